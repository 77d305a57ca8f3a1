#!/usr/bin/env bash
# harvest's done-when run for "never lose an ID": a fault mix, then kill -9 / resume cycles.
#
#   app/bench/fault-mix.sh [--ids N] [--cycles K] [--retry-after S] [--per-attempt] [--seed S] [--keep] [--work DIR] [-- HARVEST_ARGS...]
#
#   --ids N      IDs in the input (default 100000)
#   --cycles K   kill -9 / --resume cycles in the interrupted run (default 20)
#   --retry-after S  the 429s' Retry-After in seconds (default 1). A sprinkled 429 delays only its
#                own ID's retry and halves concurrency (at most once a second); the whole job pauses
#                (and then paces its requests) only when a quarter of the last 100 responses are
#                throttled, which this mix never reaches
#   --per-attempt  the server's per-attempt model instead of the per-ID one (below), with --retries 10
#   --seed S     seed for the kill moments (default: random; printed so a run can be repeated)
#   --keep       keep the work directory (inputs, outputs, logs)
#   --work DIR   work directory (default: a new mktemp dir under $TMPDIR or /tmp)
#   -- ARGS      extra harvest arguments for every run
#
# The server (app/bench/FaultMixServer.java, JDK only, its own process) makes a quarter of the IDs,
# fixed by a hash of the ID, fail their first one or two attempts and then answer; each failing
# attempt is a 5xx, a 429 with Retry-After: 1, a reset (no response), a body cut short, or (at most
# once per ID) a reply slower than harvest's --timeout (2s here). 2% of IDs, fixed by another hash,
# get malformed JSON (permanent). Bodies depend only on the ID. With --per-attempt it answers each
# attempt at random instead: 10% 5xx, 5% 429, 2% resets, 1% slow.
#
# Steps and checks (any failed check makes the exit code 1):
#   1. one uninterrupted run; harvest verify passes; the failed file holds exactly the malformed-JSON
#      IDs, all as bad_json (every transient failure was recovered by the retries)
#   2. the server forgets its attempt counts; a second run killed with kill -9 at K random moments,
#      resumed each time, then resumed to the end; harvest verify passes; its results are identical
#      to step 1's as a set of lines, with no line twice, and its failed IDs too
#   3. a short report: durations, retries, requests the server saw by fault, failures by reason
#
# harvest settings used: harvest's defaults but --timeout 2s (the slow replies take 3 s). No
# --retry-budget: the budget paces retries, it never fails an ID that has retries left. With
# --per-attempt, also --retries 10: 18% of attempts fail transiently, so 0.18^4 x 100,000 ~ 100 IDs
# would fail 4 times in a row (the default --retries 3), 0.18^11 x 100,000 ~ 0.001 fail 11 times.
#
# Environment: HARVEST_BIN, HARVEST_JAVA, HARVEST_JAVA_OPTS as in run.sh; SERVER_JAVA: a JDK 21+
# `java` for the server's source launcher (default: HARVEST_JAVA's or a JDK 25 found as run.sh does).
# Exit code: 0 when every check passed, 1 when one failed, 2 on a usage or setup error.
set -euo pipefail
export LC_ALL=C

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
repo=$(cd -P -- "$here/../.." && pwd -P)

die() { echo "fault-mix: $*" >&2; exit 2; }
say() { echo "fault-mix: $*" >&2; }

ids=100000; cycles=20; retry_after=1; model=per-id; seed=""; keep=0; work=""; extra=()
while (($#)); do
    case $1 in
        --ids) ids=${2:?--ids N}; shift ;;
        --cycles) cycles=${2:?--cycles K}; shift ;;
        --retry-after) retry_after=${2:?--retry-after S}; shift ;;
        --seed) seed=${2:?--seed S}; shift ;;
        --per-attempt) model=per-attempt ;;
        --keep) keep=1 ;;
        --work) work=${2:?--work DIR}; shift ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[[ $ids =~ ^[1-9][0-9]*$ ]] || die "bad --ids: $ids"
[[ $cycles =~ ^[0-9]+$ ]] || die "bad --cycles: $cycles"
[[ $retry_after =~ ^[0-9]+$ ]] || die "bad --retry-after: $retry_after"
[[ -n $seed ]] || seed=$(( (RANDOM << 15) | RANDOM ))
RANDOM=$seed
command -v curl >/dev/null || die "needs curl (apt-get install curl)"

# ---------------------------------------------------------------------------------------------
# harvest and a JDK for the server
# shellcheck source=app/bench/harvest-cmd.sh
source "$repo/app/bench/harvest-cmd.sh"

# ---------------------------------------------------------------------------------------------
# work directory, server
if [[ -z $work ]]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/harvest-fault-mix.XXXXXX")
else
    mkdir -p "$work"; work=$(cd -P -- "$work" && pwd -P)
fi
server_pid=""; harvest_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    [[ -n $harvest_pid ]] && kill -9 "$harvest_pid" 2>/dev/null || true
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
    if ((keep)); then say "work directory kept: $work"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

input=$work/ids.txt
"$here/gen-ids.sh" "$ids" "$input"
"$server_java" "$here/FaultMixServer.java" 0 3000 "$retry_after" "$model" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q '^listening ' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^listening /{ print $2 }' "$work/server.out")
[[ -n $port ]] || die "the fault-mix server did not start: $(cat "$work/server.err")"
base=http://127.0.0.1:$port
say "fault-mix server on $base (pid $server_pid); $model faults; $ids IDs; Retry-After $retry_after; seed $seed"
"$server_java" "$here/FaultMixServer.java" --bad-json-ids "$input" | sort >"$work/expected-bad-json.txt"

server_stats() { curl -fsS "$base/stats"; }
stat_of() { awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' <<<"$1"; }

settings=(--timeout 2s)
[[ $model == per-attempt ]] && settings+=(--retries 10)
# job DIR: the harvest arguments of one run into DIR
job() {
    JOB=(run --input "$input" --input-header true --url "$base/customers/{id}" --out "$1" --results "$1/results.csv"
         --failed "$1/failed.csv" --format csv --records /details
         --fields 'customer={id},id=/id,relevanceScore=/relevanceScore,relevanceRank=/relevanceRank'
         "${settings[@]}" --quiet "${extra[@]}")
}
verify_job() {
    "${HARVEST_CMD[@]}" verify --input "$input" --input-header true --results "$1/results.csv" --failed "$1/failed.csv" \
        --format csv --records /details --fields 'customer={id},id=/id,relevanceScore=/relevanceScore,relevanceRank=/relevanceRank'
}
# (no `| head`: under pipefail a SIGPIPE'd grep would end the script)
json_num() { sed -n "s/.*\"$2\" *: *\([0-9][0-9.]*\).*/\1/p" "$1" | sed -n 1p; }
json_obj() { tr -d '\n ' <"$1" | sed -n "s/.*\"$2\":\({[^}]*}\).*/\1/p"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

failures=0
check() {  # check DESCRIPTION COMMAND...: runs the command, prints ok/FAIL
    local what=$1; shift
    if "$@" >>"$work/checks.log" 2>&1; then say "ok    $what"; else say "FAIL  $what"; failures=$((failures + 1)); fi
}

# ---------------------------------------------------------------------------------------------
# 1. uninterrupted
a=$work/uninterrupted; mkdir -p "$a"; job "$a"
before=$(server_stats)
t0=$(now)
set +e; "${HARVEST_CMD[@]}" "${JOB[@]}" >"$a/stdout" 2>"$a/stderr"; a_rc=$?; set -e
t1=$(now)
after=$(server_stats)
a_secs=$(secs "$t0" "$t1")
a_summary=$(ls "$a"/summary-*.json)
say "uninterrupted run: exit $a_rc in ${a_secs}s"
check "uninterrupted run exits 1 (some IDs failed, none unfinished)" test "$a_rc" = 1
check "uninterrupted run: harvest verify" verify_job "$a"
cut -d, -f1 "$a/failed.csv" | tail -n +2 | sort >"$a/failed-ids.txt"
check "failed file = exactly the malformed-JSON IDs" cmp "$a/failed-ids.txt" "$work/expected-bad-json.txt"
check "every failed row is bad_json (no transient reason left)" \
    awk -F, 'NR > 1 && $2 != "bad_json" { bad++ } END { exit bad > 0 }' "$a/failed.csv"
a_retries=$(json_num "$a_summary" retries)
a_by_reason=$(json_obj "$a_summary" failed_by_reason)
a_requests=$(( $(stat_of "$after" requests) - $(stat_of "$before" requests) ))

# ---------------------------------------------------------------------------------------------
# 2. kill -9 / resume cycles
b=$work/interrupted; mkdir -p "$b"; job "$b"
curl -fsS "$base/reset" >/dev/null # the per-id faults again, from the first attempt
# Kill moments: 1 s to (1 + run time / cycles) s after each start. Each process starts slow
# (JVM start-up, then concurrency halved by the first 429/503s grows back), so the cycles together
# cover most of the work, not all of it: the last resume finishes the rest.
max_ms=$(awk -v s="$a_secs" -v k="$cycles" 'BEGIN { m = (k > 0) ? 1000 * s / k : 0; printf "%d", (m < 300) ? 300 : m }')
kills=0; completed_early=0; early_rc=0; before_last=0; t2=$(now)
for ((c = 1; c <= cycles; c++)); do
    # --resume once a killed run has left its journal; before that (a kill during JVM start-up on a
    # loaded machine) there is nothing to resume and --resume would rightly refuse: start afresh.
    resume=()
    if ((c > 1)); then
        if compgen -G "$b/.harvest-*.journal" >/dev/null; then resume=(--resume); else resume=(--resume=auto); fi
    fi
    "${HARVEST_CMD[@]}" "${JOB[@]}" "${resume[@]}" >>"$b/stdout" 2>>"$b/stderr" &
    harvest_pid=$!
    ms=$(( 1000 + RANDOM % max_ms ))
    sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
    if kill -9 "$harvest_pid" 2>/dev/null; then
        kills=$((kills + 1))
        wait "$harvest_pid" 2>/dev/null || true
        lines=$( (cat "$b"/results.csv.part 2>/dev/null || true) | wc -l)
        before_last=$lines
        say "cycle $c: killed after ${ms} ms (results.part has $lines lines)"
    else
        set +e; wait "$harvest_pid"; rc=$?; set -e
        say "cycle $c: the run had already ended (exit $rc) before its kill at ${ms} ms"
        completed_early=1; early_rc=$rc; harvest_pid=""; break
    fi
    harvest_pid=""
done
if ((completed_early)); then
    # The job is complete: another --resume=auto would start a new run.
    b_rc=$early_rc
else
    set +e; "${HARVEST_CMD[@]}" "${JOB[@]}" --resume=auto >>"$b/stdout" 2>>"$b/stderr"; b_rc=$?; set -e
fi
t3=$(now)
b_secs=$(secs "$t2" "$t3")
say "interrupted run: $kills kills, final resume exit $b_rc; ${b_secs}s in all"
check "$cycles kill -9 cycles landed mid-run" test "$kills" = "$cycles" -a "$completed_early" = 0
check "final resume exits 1" test "$b_rc" = 1
check "interrupted run: harvest verify" verify_job "$b"
check "no .part or journal left" bash -c "! ls '$b'/*.part '$b'/.harvest-*.journal 2>/dev/null | grep -q ."
tail -n +2 "$a/results.csv" | sort >"$a/sorted.txt"
tail -n +2 "$b/results.csv" | sort >"$b/sorted.txt"
check "results identical as a set of lines" cmp "$a/sorted.txt" "$b/sorted.txt"
check "no result line twice" bash -c "[ -z \"\$(uniq -d '$b/sorted.txt' | head -1)\" ]"
cut -d, -f1,2 "$b/failed.csv" | tail -n +2 | sort >"$b/failed-rows.txt"
cut -d, -f1,2 "$a/failed.csv" | tail -n +2 | sort >"$a/failed-rows.txt"
check "failed IDs and reasons identical" cmp "$a/failed-rows.txt" "$b/failed-rows.txt"
final=$(server_stats)

# ---------------------------------------------------------------------------------------------
# 3. report
echo
echo "fault-mix report ($(date -u +%Y-%m-%dT%H:%M:%SZ), seed $seed, $(nproc) cores)"
printf '  %-28s %s\n' "IDs" "$ids" \
    "server" "$model faults, Retry-After: $retry_after on the 429s" \
    "harvest args" "${settings[*]} ${extra[*]}" \
    "uninterrupted" "exit $a_rc, ${a_secs}s, $(wc -l <"$a/sorted.txt") result rows, $(wc -l <"$a/failed-ids.txt") failed" \
    "  requests / retries" "$a_requests requests at the server, $a_retries retries (summary)" \
    "  failed by reason" "$a_by_reason" \
    "  expected bad_json IDs" "$(wc -l <"$work/expected-bad-json.txt")" \
    "interrupted" "$kills kill -9 of $cycles planned, then a final resume: exit $b_rc, ${b_secs}s in all" \
    "  result rows" "$(wc -l <"$b/sorted.txt") ($(uniq -d "$b/sorted.txt" | wc -l) duplicated); the killed runs had written $before_last lines" \
    "server saw (both runs)" "$(tr '\n' ' ' <<<"$final")"
echo "  checks: $failures failed (details in $work/checks.log)"
((failures == 0)) || { keep=1; exit 1; }
