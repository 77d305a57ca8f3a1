#!/usr/bin/env bash
# harvest benchmark: the packaged harvest against `curl --parallel` (and optionally a Python
# multiprocessing pool) on the same IDs, against a local nginx that adds a fixed latency.
#
#   app/bench/run.sh [--quick] [--runs N] [--cases LIST] [--peers LIST] [--no-install] [--keep] [--work DIR]
#
#   --quick        IDs / 10, one run per case, memory case 200,000 + 10,000 (a smoke test, ~2 min)
#   --runs N       runs per case and peer; the table shows medians (default 3)
#   --cases LIST   comma-separated, from: c1000, c256, zero, tls-h1, tls-h2, mem (default: all)
#                    c1000  100,000 IDs, concurrency 1000, 20 ms latency
#                    c256    20,000 IDs, concurrency  256, 20 ms latency
#                    zero   100,000 IDs, concurrency  256,  0 ms latency (pure client overhead)
#                    tls-h1 100,000 IDs, concurrency 1000, 20 ms latency, HTTPS with HTTP/1.1
#                    tls-h2 100,000 IDs, concurrency 1000, 20 ms latency, HTTPS with HTTP/2
#                         (nginx with a CA and server certificate made at bench time by openssl; curl
#                         gets --cacert, harvest --ca-file, jdk-client trusts the CA; the other
#                         peers do not run on these cases)
#                    mem  2,000,000 IDs and 100,000 IDs, concurrency 256, 0 ms, harvest only: peak RSS
#                         must stay flat (BENCH_MEM_RUNS runs each, default 1)
#   --peers LIST   comma-separated, from: harvest, curl, python, jdk-client, socket-client (default:
#                  harvest,curl). python is a pool of 10 processes with urllib (slow: it runs only on
#                  case c256 unless BENCH_PYTHON_CASES names more). jdk-client and socket-client are
#                  not peers but a cost breakdown (app/bench/ClientCost.java, same JVM flags as the
#                  launcher): the same fetches with nothing else, through java.net.http.HttpClient as
#                  harvest uses it, and through a minimal blocking socket client (the floor).
#                  apache-client (app/bench/ApacheClientCost.java) does the same through Apache
#                  HttpClient 5's blocking API, the library a replacement would use; its jars come
#                  from Maven Central (mvn) into the work directory
#   --no-install   do not apt-get install missing tools; fail instead
#   --keep         keep the work directory (ID files, outputs, logs) instead of removing it
#   --work DIR     work directory (default: a new mktemp dir under $TMPDIR or /tmp)
#
# Environment:
#   HARVEST_BIN         harvest launcher to test (default: <repo>/jlink/target/image/bin/harvest, built
#                       by jlink/build.sh; if missing, the jar in app/target with a JDK 25 `java`)
#   HARVEST_JAVA        the JDK 25 java for the jar fallback (default: $JAVA_HOME/bin/java, then
#                       /usr/lib/jvm/*25*/bin/java, then `java` on PATH)
#   HARVEST_JAVA_OPTS   passed through to the launcher (extra JVM options), e.g. "-Xmx128m"
#   BENCH_ARGS          extra harvest arguments for every run (split on spaces)
#   BENCH_NGINX_WORKERS nginx worker processes (default 1: the server shares the machine's cores)
#   BENCH_MEM_RUNS      runs of each memory case (default 1; 2,000,000 IDs take minutes)
#   BENCH_PYTHON_CASES  cases the python peer runs on (default: c256)
#   BENCH_QUIET_WAIT    seconds to wait before each run for the machine to be 90% idle (default 60;
#                       on a machine that is never idle, a few seconds keep the runs closer in time)
#
# What it measures, per run: wall seconds, client CPU seconds (user + sys of the client process and
# its children, from GNU time), peak RSS (the largest single process: for the python pool that is one
# process, not the pool's sum), requests/s (IDs / wall), the nginx workers' CPU and the requests nginx
# served (more than the IDs means retries). Every run's output is checked (every ID's 3 detail records
# exactly once, harvest's exit code 0, its failed file empty); a failed check marks the row FAIL.
# CPU used on the machine by anything else during a run is reported as "other CPU": a run with more
# than 10% of the machine busy elsewhere is marked with '!' (its figures are not trustworthy).
#
# Exit code: 0 when every run's output checked out, 1 otherwise, 2 on a usage or setup error.
# The bench never runs in the test suite; it talks to 127.0.0.1 only.
set -euo pipefail
export LC_ALL=C

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
repo=$(cd -P -- "$here/../.." && pwd -P)

die() { echo "bench: $*" >&2; exit 2; }
say() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------------------------------------
# options
quick=0; runs=3; cases=c1000,c256,zero,tls-h1,tls-h2,mem; peers=harvest,curl; install=1; keep=0; work=""
while (($#)); do
    case $1 in
        --quick) quick=1 ;;
        --runs) runs=${2:?--runs N}; shift ;;
        --runs=*) runs=${1#*=} ;;
        --cases) cases=${2:?--cases LIST}; shift ;;
        --cases=*) cases=${1#*=} ;;
        --peers) peers=${2:?--peers LIST}; shift ;;
        --peers=*) peers=${1#*=} ;;
        --no-install) install=0 ;;
        --keep) keep=1 ;;
        --work) work=${2:?--work DIR}; shift ;;
        --work=*) work=${1#*=} ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "bad --runs: $runs"
mem_runs=${BENCH_MEM_RUNS:-1}
scale=1
if ((quick)); then scale=10; runs=1; mem_runs=1; fi
has() { [[ ,$1, == *,$2,* ]]; }
for c in ${cases//,/ }; do has c1000,c256,zero,tls-h1,tls-h2,mem "$c" || die "unknown case $c"; done
for p in ${peers//,/ }; do has harvest,curl,python,jdk-client,socket-client,apache-client "$p" || die "unknown peer $p"; done

# ---------------------------------------------------------------------------------------------
# tools: nginx + echo module (target), curl (peer and health checks), GNU time (measurements)
ensure_tools() {
    local need=() sudo=""
    command -v nginx >/dev/null || need+=(nginx-light)
    [[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ]] || need+=(libnginx-mod-http-echo)
    command -v curl >/dev/null || need+=(curl)
    [[ -x /usr/bin/time ]] || need+=(time)
    command -v pgrep >/dev/null || need+=(procps)
    if has "$cases" tls-h1 || has "$cases" tls-h2; then command -v openssl >/dev/null || need+=(openssl); fi
    if has "$peers" python; then command -v python3 >/dev/null || need+=(python3); fi
    ((${#need[@]})) || return 0
    ((install)) || die "missing packages: ${need[*]} (run without --no-install, or apt-get install them)"
    command -v apt-get >/dev/null || die "missing packages: ${need[*]}, and no apt-get to install them"
    [[ $(id -u) == 0 ]] || sudo=sudo
    say "installing ${need[*]} (Debian packages)"
    $sudo apt-get update -qq
    # nginx-light is bookworm's small nginx; later Debian releases dropped it for plain nginx
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
        need=("${need[@]/nginx-light/nginx}")
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
            || die "apt-get install ${need[*]} failed"
    fi
    # Debian's nginx package starts a system nginx on port 80 when installed; the bench does not need it
    if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
        $sudo systemctl stop nginx || true
    fi
}
ensure_tools

# ---------------------------------------------------------------------------------------------
# harvest: the one place that knows how to start it and with which arguments
HARVEST_CMD=()
resolve_harvest() {
    local bin=${HARVEST_BIN:-$repo/jlink/target/image/bin/harvest}
    if [[ -x $bin ]]; then
        HARVEST_CMD=("$bin")
        return 0
    fi
    [[ -n ${HARVEST_BIN:-} ]] && die "HARVEST_BIN=$HARVEST_BIN is not executable"
    local jar=$repo/app/target/harvest-0.1.0.jar java=${HARVEST_JAVA:-}
    [[ -f $jar ]] || die "no harvest to test: build the image (jlink/build.sh) or the jar (mvn package), or set HARVEST_BIN"
    if [[ -z $java ]]; then
        local cand
        for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*25*/bin/java "$(command -v java || true)"; do
            [[ -x $cand ]] || continue
            if [[ $("$cand" -version 2>&1) == *'version "25'* ]]; then java=$cand; break; fi
        done
    fi
    [[ -n $java ]] || die "the jar fallback needs a JDK 25 java: set HARVEST_JAVA"
    # shellcheck disable=SC2206 # HARVEST_JAVA_OPTS is split on spaces, as the launcher does
    HARVEST_CMD=("$java" --enable-preview -Xlog:disable -Xlog:all=warning:stderr ${HARVEST_JAVA_OPTS:-}
                 -cp "$jar:$repo/app/target/lib/*" dev.harvest.cli.Main)
}

# ClientCost (the cost breakdown): compiled once with a JDK 25, run with the launcher's JVM defaults
CLIENT_COST_CMD=()
resolve_client_cost() {
    local java=${HARVEST_JAVA:-} cand
    if [[ -z $java ]]; then
        for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*25*/bin/java; do
            [[ -x $cand && -x ${cand%/java}/javac ]] || continue
            if [[ $("$cand" -version 2>&1) == *'version "25'* ]]; then java=$cand; break; fi
        done
    fi
    [[ -n $java && -x ${java%/java}/javac ]] || die "jdk-client/socket-client need a JDK 25 with javac: set HARVEST_JAVA"
    mkdir -p "$work/client-cost"
    "${java%/java}/javac" -d "$work/client-cost" "$here/ClientCost.java" || die "could not compile ClientCost.java"
    local opts; opts=$(sed -n 's/^JVM_OPTS_DEFAULT="\(.*\)"$/\1/p' "$repo/jlink/launcher/harvest")
    [[ -n $opts ]] || die "no JVM_OPTS_DEFAULT in jlink/launcher/harvest"
    # shellcheck disable=SC2206 # the launcher's options, split on spaces as the launcher does
    CLIENT_COST_CMD=("$java" $opts -cp "$work/client-cost" ClientCost)
}

APACHE_CMD=()
resolve_apache() {
    resolve_client_cost  # the same java and options
    local d=$work/apache java=${CLIENT_COST_CMD[0]}
    mkdir -p "$d"
    cat > "$d/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>apache-client-cost</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.httpcomponents.client5</groupId><artifactId>httpclient5</artifactId><version>5.6.5</version>
    </dependency>
  </dependencies>
</project>
POM
    mvn -B -q -f "$d/pom.xml" dependency:copy-dependencies -DoutputDirectory="$d/lib" >"$d/mvn.log" 2>&1 \
        || die "could not fetch Apache HttpClient 5 (log: $d/mvn.log)"
    "${java%/java}/javac" -cp "$d/lib/*" -d "$d/classes" "$here/ApacheClientCost.java" || die "could not compile ApacheClientCost.java"
    APACHE_CMD=("${CLIENT_COST_CMD[@]:0:${#CLIENT_COST_CMD[@]}-3}" -cp "$d/classes:$d/lib/*" ApacheClientCost)
}

# harvest_args IDS URL_TEMPLATE CONCURRENCY OUT_DIR [ARGS...]: the job, results as CSV rows (3 per ID)
harvest_args() {
    local ids=$1 url=$2 c=$3 dir=$4
    shift 4
    # shellcheck disable=SC2206 # BENCH_ARGS is split on spaces on purpose
    HARVEST_ARGS=(run --input "$ids" --input-header true --url "$url" --concurrency "$c" --out "$dir" --results "$dir/results.csv"
                  --format csv --records /details
                  --fields 'customer={id},id=/id,relevanceScore=/relevanceScore,relevanceRank=/relevanceRank'
                  --quiet "$@" ${BENCH_ARGS:-})
}

# check_harvest IDS OUT_DIR EXIT_CODE: prints a verdict line, returns non-zero on failure
check_harvest() {
    local ids=$1 dir=$2 rc=$3 verdict f rows=0
    verdict=$("$here/check.sh" "$ids" "$dir/results.csv" csv 2>>"$dir/check.log") || { echo "$verdict"; return 1; }
    for f in "$dir"/failed-*.csv "$dir"/failed*.csv; do
        [[ -f $f ]] || continue
        rows=$(( rows + $(grep -c . "$f" || true) - 1 ))
    done
    (( rows <= 0 )) || { echo "FAIL $rows rows in the failed file"; return 1; }
    (( rc == 0 )) || { echo "FAIL exit code $rc"; return 1; }
    echo "$verdict"
}

# ---------------------------------------------------------------------------------------------
# work directory, servers, clean-up
if [[ -z $work ]]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/harvest-bench.XXXXXX")
else
    mkdir -p "$work"; work=$(cd -P -- "$work" && pwd -P)
fi
declare -A server_port=() server_dir=()
certs=$work/certs  # the bench's throw-away CA and server certificate (TLS cases)
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    local l
    for l in "${!server_dir[@]}"; do "$here/server.sh" stop "${server_dir[$l]}" 2>/dev/null || true; done
    if ((keep)); then say "work directory kept: $work"; else rm -rf -- "$work/runs" "$work/certs" "$work"/*.cfg "$work"/ids-*; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# server_for LATENCY PROTO -> sets PORT, SERVER (its key) and BASE (scheme://host:port); starts
# nginx on first use. PROTO is http or https-h2 (TLS offering h2 and http/1.1 by ALPN: one server
# for both TLS cases, the client asks for its version).
server_for() {
    local lat=$1 proto=$2 line key=$1/$2
    if [[ -z ${server_port[$key]:-} ]]; then
        if [[ $proto != http && ! -s $certs/ca.pem ]]; then
            "$here/server.sh" certs "$certs" || die "could not make the TLS certificates"
        fi
        line=$("$here/server.sh" start "$lat" "${BENCH_NGINX_WORKERS:-1}" "$proto" "$certs") || die "could not start nginx"
        server_port[$key]=${line%% *}
        server_dir[$key]=${line#* }
        say "nginx ($proto) with ${lat}s latency on 127.0.0.1:${server_port[$key]}"
    fi
    SERVER=$key
    PORT=${server_port[$key]}
    BASE=$([[ $proto == http ]] && echo http || echo https)://127.0.0.1:$PORT
}

ids_file() {  # ids_file N -> path (generated once)
    local f=$work/ids-$1.csv
    [[ -s $f ]] || "$here/gen-ids.sh" "$1" "$f"
    echo "$f"
}

# ---------------------------------------------------------------------------------------------
# measuring
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat; }  # user+nice+system (softirq apart: loopback TCP)
server_ticks() {  # CPU ticks of the nginx workers of the server on $PORT
    local dir=$1 t=0 p
    for p in $(pgrep -P "$(cat "$dir/nginx.pid")" 2>/dev/null); do
        t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
    done
    echo "$t"
}
served() {  # served BASE: requests nginx has served so far (0 if it cannot tell)
    local n
    n=$(curl -fs --max-time 2 --cacert "$certs/ca.pem" "$1/status" | awk 'NR == 3 { print $3 }') || true
    [[ $n =~ ^[0-9]+$ ]] && echo "$n" || echo 0
}
cores=$(nproc 2>/dev/null || echo 1)

wait_quiet() {  # wait up to BENCH_QUIET_WAIT s (60) for a 1 s window in which the machine is at least 90% idle
    local b0 b1
    for _ in $(seq 1 "${BENCH_QUIET_WAIT:-60}"); do
        b0=$(busy_ticks); sleep 1; b1=$(busy_ticks)
        (( (b1 - b0) * 10 < cores * HZ )) && return 0
    done
    say "the machine stays busy with other work; measuring anyway (rows will be marked '!')"
}

raw=$work/raw.tsv
[[ -s $raw ]] || printf 'case\tpeer\trun\tids\tconc\tlat\twall\tcpu\trss_mib\tsrv_cpu\tserved\tother_cpu\tcheck\n' > "$raw"
failures=0

# the protocol a case runs on: http, h1 (HTTPS, HTTP/1.1) or h2 (HTTPS, HTTP/2)
case_proto() { case $1 in tls-h1) echo h1 ;; tls-h2) echo h2 ;; *) echo http ;; esac; }

# measure CASE PEER RUN N C LAT: runs one peer once and appends a row to raw.tsv
measure() {
    local case=$1 peer=$2 run=$3 n=$4 c=$5 lat=$6 ids url dir rc=0 verdict proto
    proto=$(case_proto "$case")
    local harvest_tls=() curl_tls=() client_tls=()
    case $proto in
        http) server_for "$lat" http ;;
        h1|h2)
            server_for "$lat" https-h2
            harvest_tls=(--ca-file "$certs/ca.pem" --http-version "$([[ $proto == h2 ]] && echo 2 || echo 1.1)")
            curl_tls=(--cacert "$certs/ca.pem" "$([[ $proto == h2 ]] && echo --http2 || echo --http1.1)")
            client_tls=(--ca "$certs/ca.pem")
            [[ $proto == h2 ]] && client_tls+=(--h2) ;;
    esac
    ids=$(ids_file "$n")
    url="$BASE/customers/{id}"
    dir=$work/runs/$case-$peer-$run
    rm -rf -- "$dir"; mkdir -p "$dir"
    local cmd=()
    case $peer in
        harvest) harvest_args "$ids" "$url" "$c" "$dir" "${harvest_tls[@]}"; cmd=("${HARVEST_CMD[@]}" "${HARVEST_ARGS[@]}") ;;
        curl)
            local cfg=$work/curl-$n-$PORT.cfg
            [[ -s $cfg ]] || "$here/peer-curl.sh" config "$ids" "$url" > "$cfg"
            cmd=("$here/peer-curl.sh" run "$cfg" "$c" "$dir/out.json" "${curl_tls[@]}") ;;
        python) cmd=(python3 "$here/peer-python.py" "$ids" "$url" "$dir/out.csv" 10) ;;
        jdk-client|socket-client) cmd=("${CLIENT_COST_CMD[@]}" "${peer%-client}" "$ids" "${url%\{id\}}" "$c" "${client_tls[@]}") ;;
        apache-client) cmd=("${APACHE_CMD[@]}" "$ids" "${url%\{id\}}" "$c") ;;
    esac
    wait_quiet
    local b0 b1 s0 s1 r0 r1
    r0=$(served "$BASE"); s0=$(server_ticks "${server_dir[$SERVER]}"); b0=$(busy_ticks)
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "${cmd[@]}" > "$dir/stdout" 2> "$dir/stderr" || rc=$?
    b1=$(busy_ticks); s1=$(server_ticks "${server_dir[$SERVER]}"); r1=$(served "$BASE")
    case $peer in
        harvest) verdict=$(check_harvest "$ids" "$dir" "$rc") || true ;;
        curl) verdict=$("$here/check.sh" "$ids" "$dir/out.json" json 2>>"$dir/check.log") || true
              [[ $rc == 0 || $verdict == FAIL* ]] || verdict="FAIL curl exit code $rc" ;;
        python) verdict=$("$here/check.sh" "$ids" "$dir/out.csv" csv 2>>"$dir/check.log") || true ;;
        # they keep no output: all IDs answered 200 with a full body, and nginx served each once
        *-client) if [[ $rc == 0 ]] && grep -q "^${peer%-client}: $n IDs, 0 failed" "$dir/stdout"; then verdict=ok
                  else verdict="FAIL exit code $rc: $(head -c 200 "$dir/stdout" "$dir/stderr" | tr '\n' ' ')"; fi ;;
    esac
    [[ $verdict == ok* ]] || { failures=$((failures + 1)); say "$case $peer run $run: $verdict (logs in $dir)"; keep=1; }
    local wall user sys rss
    read -r wall user sys rss < <(tail -1 "$dir/time")
    awk -v OFS='\t' -v cs="$case" -v p="$peer" -v r="$run" -v n="$n" -v c="$c" -v l="$lat" -v w="$wall" \
        -v u="$user" -v s="$sys" -v m="$rss" -v sv=$((s1 - s0)) -v req=$((r1 - r0 - 1)) -v b=$((b1 - b0)) \
        -v hz="$HZ" -v ok="${verdict%% *}" 'BEGIN {
            cpu = u + s; srv = sv / hz; other = b / hz - cpu - srv; if (other < 0) other = 0
            print cs, p, r, n, c, l, w, sprintf("%.2f", cpu), sprintf("%.0f", m / 1024), sprintf("%.2f", srv), req, sprintf("%.2f", other), ok }' >> "$raw"
    printf '  %-6s %-8s run %d: wall %6.2f s  cpu %6.2f s  rss %4d MiB  %s\n' "$case" "$peer" "$run" "$wall" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" $((rss / 1024)) "$verdict" >&2
    # outputs are big (2M IDs: ~100 MB); keep only a failed run's
    [[ $verdict == ok* ]] && rm -f -- "$dir/results.csv" "$dir/out.json" "$dir/out.csv"
    return 0
}

# ---------------------------------------------------------------------------------------------
# the cases
has "$peers" harvest && resolve_harvest
if has "$peers" jdk-client || has "$peers" socket-client; then resolve_client_cost; fi
if has "$peers" apache-client; then resolve_apache; fi
say "work directory $work; runs per case: $runs; harvest: ${HARVEST_CMD[*]:-not run}"
say "$(nginx -v 2>&1 | sed 's/^nginx version: //'), $(curl --version | sed -n '1s/^\(curl [^ ]*\).*/\1/p'), $cores cores"

run_case() {  # run_case NAME N C LATENCY PEERS RUNS
    local name=$1 n=$(( $2 / scale )) c=$3 lat=$4 list=$5 r=$6 run p
    say "case $name: $n IDs, concurrency $c, latency ${lat}s, $r run(s): ${list//,/ }"
    local order=(${list//,/ }) k
    for run in $(seq 1 "$r"); do
        # Each run starts with the next peer, so no peer always runs first or always follows the
        # same one (the machine's state after a run, such as closing sockets, weighs on the next).
        for k in $(seq 0 $((${#order[@]} - 1))); do
            p=${order[$(( (k + run - 1) % ${#order[@]} ))]}
            measure "$name" "$p" "$run" "$n" "$c" "$lat"
        done
    done
}
peers_for() {  # peers_for CASE -> the peers that run on it
    local out=() p
    for p in ${peers//,/ }; do
        if [[ $p == python ]] && ! has "${BENCH_PYTHON_CASES:-c256}" "$1"; then continue; fi
        # TLS cases: the peers that speak TLS here (curl, the JDK client, harvest)
        if [[ $1 == tls-* ]] && ! has harvest,curl,jdk-client "$p"; then continue; fi
        out+=("$p")
    done
    local IFS=,; echo "${out[*]}"
}
has "$cases" c1000 && run_case c1000 100000 1000 0.02 "$(peers_for c1000)" "$runs"
has "$cases" c256 && run_case c256 20000 256 0.02 "$(peers_for c256)" "$runs"
has "$cases" zero && run_case zero 100000 256 0 "$(peers_for zero)" "$runs"
has "$cases" tls-h1 && run_case tls-h1 100000 1000 0.02 "$(peers_for tls-h1)" "$runs"
has "$cases" tls-h2 && run_case tls-h2 100000 1000 0.02 "$(peers_for tls-h2)" "$runs"
if has "$cases" mem && has "$peers" harvest; then
    run_case mem-100k 100000 256 0 harvest "$mem_runs"
    run_case mem-2M 2000000 256 0 harvest "$mem_runs"
fi

# ---------------------------------------------------------------------------------------------
# the table: medians per case and peer, ratios against curl in the same case
table=$work/results.txt
awk -F'\t' -v cores="$cores" '
    function median(list,   a, n, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    NR == 1 { next }
    {
        k = $1 SUBSEP $2
        if (!(k in n)) { order[++keys] = k; cs[k] = $1; pr[k] = $2; ids[k] = $4; conc[k] = $5; lat[k] = $6 }
        n[k]++; wall[k] = wall[k] " " $7; cpu[k] = cpu[k] " " $8; rss[k] = rss[k] " " $9; srv[k] = srv[k] " " $10
        if ($11 + 0 > $4 + 0) extra[k] += $11 - $4
        if ($13 != "ok") bad[k]++
        if ($12 + 0 > 0.1 * $7 * cores) noisy[k]++
    }
    END {
        printf "%-9s %-13s %9s %5s %6s %4s %8s %8s %8s %9s %7s %7s %7s %7s %s\n", "case", "peer", "IDs", "conc", "lat ms", "runs", "wall s", "CPU s", "RSS MiB", "req/s", "wall/cu", "CPU/cu", "wall/jdk", "CPU/jdk", "check"
        for (i = 1; i <= keys; i++) {
            k = order[i]
            w[k] = median(wall[k]); c[k] = median(cpu[k]); m[k] = median(rss[k])
        }
        for (i = 1; i <= keys; i++) {
            k = order[i]; ck = cs[k] SUBSEP "curl"
            rw = (ck in w && pr[k] != "curl" && w[ck] > 0) ? sprintf("%.2f", w[k] / w[ck]) : "-"
            rc = (ck in c && pr[k] != "curl" && c[ck] > 0) ? sprintf("%.2f", c[k] / c[ck]) : "-"
            jk = cs[k] SUBSEP "jdk-client"
            jw = (jk in w && pr[k] != "jdk-client" && w[jk] > 0) ? sprintf("%.2f", w[k] / w[jk]) : "-"
            jc = (jk in c && pr[k] != "jdk-client" && c[jk] > 0) ? sprintf("%.2f", c[k] / c[jk]) : "-"
            note = bad[k] ? bad[k] " FAIL" : "ok"
            if (extra[k]) note = note ", " extra[k] " extra requests"
            if (noisy[k]) note = note ", " noisy[k] " run(s) disturbed!"
            printf "%-9s %-13s %9d %5d %6g %4d %8.2f %8.2f %8d %9.0f %7s %7s %8s %7s %s\n", cs[k], pr[k], ids[k], conc[k], lat[k] * 1000, n[k], w[k], c[k], m[k], ids[k] / w[k], rw, rc, jw, jc, note
        }
    }' "$raw" > "$table"

echo
echo "harvest benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $cores cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians of each column; wall/cu, CPU/cu = the row / curl, wall/jdk, CPU/jdk = the row / jdk-client, in the same case"
((quick)) && echo "(--quick: IDs / 10, one run: a smoke test, not a measurement)"
cat "$table"
has "$peers" curl && echo "curl runs at most 300 transfers at once (its --parallel-max cap), whatever the case's concurrency."
echo "raw runs: $raw"

# targets (full-size runs only), against the bare JDK client and curl in the same run:
#   c1000 and zero: harvest wall <= 1.05 x jdk-client, CPU <= 1.15 x jdk-client; c1000: wall <= curl;
#   harvest peak RSS <= 256 MiB in the plain-http cases (HTTPS is printed beside it), and flat:
#   mem-2M within 10% of mem-100k
if ! ((quick)); then
    awk '
        NR == 1 { next }
        { w[$1, $2] = $7; c[$1, $2] = $8; m[$1, $2] = $9
          # the RSS target is for the plain-http cases; HTTPS is reported beside it
          if ($2 == "harvest" && $1 !~ /^tls-/ && $9 + 0 > maxrss) maxrss = $9 + 0
          if ($2 == "harvest" && $1 ~ /^tls-/ && $9 + 0 > tlsrss) { tlsrss = $9 + 0; tlscase = $1 } }
        function verdict(ok) { return ok ? "met" : "NOT met" }
        END {
            print "targets:"
            split("c1000 zero", tc, " ")
            for (i = 1; i <= 2; i++) {
                k = tc[i]
                if (!(((k, "harvest") in w) && ((k, "jdk-client") in w))) continue
                printf "  %-5s wall <= 1.05 x jdk-client: %6.2f vs %6.2f s  %s\n", k, w[k, "harvest"], 1.05 * w[k, "jdk-client"], verdict(w[k, "harvest"] <= 1.05 * w[k, "jdk-client"])
                printf "  %-5s CPU  <= 1.15 x jdk-client: %6.2f vs %6.2f s  %s\n", k, c[k, "harvest"], 1.15 * c[k, "jdk-client"], verdict(c[k, "harvest"] <= 1.15 * c[k, "jdk-client"])
            }
            if ((("c1000", "harvest") in w) && (("c1000", "curl") in w))
                printf "  c1000 wall <= curl:              %6.2f vs %6.2f s  %s\n", w["c1000", "harvest"], w["c1000", "curl"], verdict(w["c1000", "harvest"] <= w["c1000", "curl"])
            if (maxrss) printf "  harvest peak RSS <= 256 MiB (largest median, plain http): %d MiB  %s\n", maxrss, verdict(maxrss <= 256)
            if (tlsrss) printf "  (over HTTPS, not a target: largest median %d MiB, %s)\n", tlsrss, tlscase
            if ((("mem-100k", "harvest") in m) && (("mem-2M", "harvest") in m))
                printf "  peak RSS flat, 2M within 10%% of 100k: %d vs %d MiB  %s\n", m["mem-2M", "harvest"], m["mem-100k", "harvest"], verdict(m["mem-2M", "harvest"] <= 1.1 * m["mem-100k", "harvest"])
        }' "$table"
    # The spread behind those medians: each run's harvest against the jdk-client run beside it.
    awk -F'\t' '
        NR == 1 { next }
        $2 == "harvest" || $2 == "jdk-client" { w[$1, $2, $3] = $7; c[$1, $2, $3] = $8; if ($3 > runs[$1]) runs[$1] = $3 }
        END {
            split("c1000 zero", tc, " ")
            for (i = 1; i <= 2; i++) {
                k = tc[i]; line = ""
                for (r = 1; r <= runs[k]; r++)
                    if (((k, "harvest", r) in w) && ((k, "jdk-client", r) in w) && w[k, "jdk-client", r] > 0 && c[k, "jdk-client", r] > 0)
                        line = line sprintf(" %.2f/%.2f", w[k, "harvest", r] / w[k, "jdk-client", r], c[k, "harvest", r] / c[k, "jdk-client", r])
                if (line != "") printf "  %-5s each run, harvest / jdk-client, wall/CPU:%s\n", k, line
            }
        }' "$raw"
fi
if ((keep)); then cp -- "$table" "$work/results-$(date -u +%Y%m%dT%H%M%SZ).txt"; fi
((failures == 0)) || { say "$failures run(s) failed their output check"; exit 1; }
exit 0
