#!/usr/bin/env bash
# --concurrency auto against a server with a capacity knee: fixed 10, fixed 1000 and auto, on a
# server that queues past the knee and on one that sheds load with 503.
#
#   app/bench/knee.sh [--ids N] [--workers W] [--service-ms MS] [--keep] [--work DIR] [-- HARVEST_ARGS...]
#
#   --ids N         IDs per run (default 20000)
#   --workers W     the server's workers: its knee (default 50)
#   --service-ms MS each request's work (default 20): the server serves W/MS*1000 req/s at most
#   --keep          keep the work directory (inputs, outputs, logs, summaries)
#
# The server (app/bench/KneeServer.java, JDK only, its own process) runs once per variant: `queue`
# (requests past the knee wait, latency grows) and `shed` (past twice the knee, an immediate 503).
# Prints one table row per run from harvest's summary-*.json: wall time, req/s, latency p50/p99,
# failed IDs, retries, and the final concurrency limit with the latency floor auto measured.
#
# Environment: HARVEST_BIN, HARVEST_JAVA, HARVEST_JAVA_OPTS as in run.sh; SERVER_JAVA as in fault-mix.sh.
# Needs jq. Exit code: 0 when every run exited 0 or 1, 2 on a usage or setup error.
set -euo pipefail
export LC_ALL=C

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
repo=$(cd -P -- "$here/../.." && pwd -P)

die() { echo "knee: $*" >&2; exit 2; }
say() { echo "knee: $*" >&2; }

ids=20000; workers=50; service_ms=20; keep=0; work=""; extra=()
while (($#)); do
    case $1 in
        --ids) ids=${2:?--ids N}; shift ;;
        --workers) workers=${2:?--workers W}; shift ;;
        --service-ms) service_ms=${2:?--service-ms MS}; shift ;;
        --keep) keep=1 ;;
        --work) work=${2:?--work DIR}; shift ;;
        --) shift; extra=("$@"); break ;;
        *) die "unknown argument: $1" ;;
    esac
    shift
done
command -v jq >/dev/null || die "needs jq (apt-get install jq)"

# shellcheck source=app/bench/harvest-cmd.sh
source "$repo/app/bench/harvest-cmd.sh"

if [[ -z $work ]]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/harvest-knee.XXXXXX")
else
    mkdir -p "$work"; work=$(cd -P -- "$work" && pwd -P)
fi
server_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
    if ((keep)); then say "work directory kept: $work"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

input=$work/ids.txt
"$here/gen-ids.sh" "$ids" "$input"
say "$ids IDs; server: $workers workers x $service_ms ms (at most $((workers * 1000 / service_ms)) req/s)"
printf '%-6s %-11s %6s %8s %8s %8s %7s %8s %-22s\n' server concurrency exit seconds 'req/s' 'p99 ms' failed retries 'final limit (floor)'
status=0
for variant in queue shed; do
    "$server_java" "$here/KneeServer.java" 0 "$workers" "$service_ms" "$variant" >"$work/server-$variant.out" 2>"$work/server-$variant.err" &
    server_pid=$!
    for _ in $(seq 1 100); do grep -q '^listening ' "$work/server-$variant.out" 2>/dev/null && break; sleep 0.1; done
    port=$(awk '/^listening /{ print $2 }' "$work/server-$variant.out")
    [[ -n $port ]] || die "the knee server did not start: $(cat "$work/server-$variant.err")"
    for c in 10 1000 auto; do
        out=$work/$variant-$c
        mkdir -p "$out"
        code=0
        "${HARVEST_CMD[@]}" --input "$input" --input-header true --url "http://127.0.0.1:$port/customers/{id}" \
            --out "$out" --concurrency "$c" --timeout 10s --log-level debug -q "${extra[@]}" || code=$?
        ((code <= 1)) || status=1
        s=$(ls "$out"/summary-*.json)
        jq -r --arg v "$variant" --arg c "$c" --arg code "$code" '[$v, $c, $code, .duration_seconds, .requests_per_second,
                .latency_ms.p99, .failed, .retries,
                "\(.concurrency.limit)" + (if .concurrency.latency_floor_ms == null then "" else " (\(.concurrency.latency_floor_ms) ms)" end)]
            | @tsv' "$s" | awk -F'\t' '{ printf "%-6s %-11s %6s %8.1f %8.0f %8.1f %7s %8s %-22s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
    done
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
done
exit "$status"
