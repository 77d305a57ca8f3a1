#!/usr/bin/env bash
# Checks the README's shell examples against a built harvest, so the README cannot drift from the
# tool. Every ```sh block must be preceded by a marker line saying how CI covers it:
#
#   <!-- ci: run [exit=N] -->       run with bash -e in a shared work folder, `harvest` on PATH; the
#                                   block's exit code must be N (default 0). Blocks run in README
#                                   order, so a later block sees the files of an earlier one.
#   <!-- ci: serve port=P -->       a foreground service: started in the background, waited for until
#                                   port P answers, stopped after the last block
#   <!-- ci: covered [exit=N] ... --> a build or test command CI runs elsewhere: each `&&` part must
#                                   appear in .ci/run, or name a script .ci/run runs, or be the image's
#                                   harvest (then it is run here and must exit N)
#   <!-- ci: illustrative ... -->   needs a real endpoint or host: not run, but every --option given
#                                   to harvest in it must be one `harvest --help` knows
#
# Outside the blocks, every `--option` the README names must be one `harvest --help` knows too,
# and so must every one docs/reference.md names.
#
#   jlink/test-readme.sh [IMAGE_DIR] [README]   (defaults: jlink/target/image, README.md)
#
# Ends with a line "readme: N passed, N failed, N skipped"; exits 1 if any check failed.
set -uo pipefail

JLINK_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname -- "$JLINK_DIR")
IMAGE=${1:-$JLINK_DIR/target/image}
README=${2:-$ROOT/README.md}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; shift; for line in "$@"; do echo "      $line"; done; }
skip() { skipped=$((skipped + 1)); echo "SKIP  $1"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/harvest-readme-test.XXXXXX")
server_pids=()
# shellcheck disable=SC2317 # called through the trap
cleanup() {
    for pid in "${server_pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

finish() {
    echo "readme: $passed passed, $failed failed, $skipped skipped"
    [ "$failed" = 0 ]
    exit
}

if [ ! -x "$IMAGE/bin/harvest" ]; then
    fail "image present" "no $IMAGE/bin/harvest - run jlink/build.sh first"
    finish
fi
[ -f "$README" ] || { fail "README present" "no $README"; finish; }

# `harvest` on PATH, as an installed one would be; a clean environment (no HARVEST_*, no proxies).
mkdir -p "$WORK/bin" "$WORK/home" "$WORK/run"
ln -s "$(cd -P -- "$IMAGE" && pwd -P)/bin/harvest" "$WORK/bin/harvest"
in_env() { env -i PATH="$WORK/bin:/usr/bin:/bin" HOME="$WORK/home" LANG=C.UTF-8 "$@"; }

# Every option harvest knows: from the main help and, where they exist, the subcommands' help.
known=$( { in_env harvest --help; for c in demo verify; do in_env harvest help "$c"; in_env harvest "$c" --help; done; } 2>/dev/null \
    | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
[ -n "$known" ] || { fail "harvest --help lists options" "no --options in the help text"; finish; }
is_known() { grep -qxF -- "$1" <<<"$known"; }

# --options given to harvest in a block: words after a word that is harvest (a path ending in
# /harvest, or an image name harvest:TAG), continuation lines joined, comments left out.
block_options() {
    sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' <<<"$1" | sed -e 's/^[[:space:]]*#.*//' -e 's/[[:space:]]#.*//' \
        | awk '{ on = 0; for (i = 1; i <= NF; i++) {
                    w = $i
                    if (w == "harvest" || w ~ /\/harvest$/ || w ~ /^harvest:/) { on = 1; continue }
                    if (on && w ~ /^--[a-z]/) { sub(/=.*/, "", w); print w } } }'
}

# Splits the README into blocks: one file per ```sh block (lines), with its marker and line number.
awk -v dir="$WORK" '
    /^<!-- ci: .* -->$/ { marker = $0; sub(/^<!-- ci: */, "", marker); sub(/ *-->$/, "", marker); mline = NR; next }
    /^```sh$/ && !inblock { n++; inblock = 1; file = sprintf("%s/block%03d", dir, n)
                            if (mline == NR - 1) printf "%s\n", marker > (file ".marker")
                            printf "%d\n", NR > (file ".line"); printf "" > file; next }
    /^```/ && inblock { inblock = 0; close(file); next }
    inblock { print > file; next }
    { gsub(/<!--.*-->/, ""); print > (dir "/prose") }    # HTML comments are notes, not text
' "$README"

# --- options named in the prose ------------------------------------------------------------------
unknown=()
while read -r opt; do
    is_known "$opt" || unknown+=("$opt")
done < <(grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' "$WORK/prose" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
if [ "${#unknown[@]}" = 0 ]; then
    pass "every --option the README's text names is in harvest --help"
else
    fail "options named in the README's text" "not in harvest --help: ${unknown[*]}"
fi

# The reference beside the README: every --option it names, in text and examples alike.
REFERENCE=$(dirname -- "$README")/docs/reference.md
if [ -f "$REFERENCE" ]; then
    unknown=()
    while read -r opt; do
        is_known "$opt" || unknown+=("$opt")
    done < <(sed 's/<!--.*-->//g' "$REFERENCE" | grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    if [ "${#unknown[@]}" = 0 ]; then
        pass "every --option docs/reference.md names is in harvest --help"
    else
        fail "options named in docs/reference.md" "not in harvest --help: ${unknown[*]}"
    fi
fi

# --- the blocks ----------------------------------------------------------------------------------
port_subst=()    # "README_PORT FREE_PORT" pairs when the README's port was taken on this machine
missing_serve="" # set when this build has no `demo --serve`: the later blocks need its service
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for f in "$WORK"/block[0-9][0-9][0-9]; do
    line=$(cat "$f.line")
    block=$(cat "$f")
    for pair in "${port_subst[@]}"; do block=${block//${pair% *}/${pair#* }}; done
    first=$(grep -m1 -v '^[[:space:]]*\(#\|$\)' <<<"$block")
    what="README line $line: ${first:0:70}"
    if [ ! -f "$f.marker" ]; then
        fail "$what" "no <!-- ci: ... --> marker on the line before the block"
        continue
    fi
    marker=$(cat "$f.marker")
    want_exit=0
    [[ $marker =~ exit=([0-9]+) ]] && want_exit=${BASH_REMATCH[1]}

    case $marker in
    illustrative*)
        bad=()
        while read -r opt; do [ -n "$opt" ] && ! is_known "$opt" && bad+=("$opt"); done < <(block_options "$block")
        if [ "${#bad[@]}" = 0 ]; then pass "$what (illustrative: options known)"; else fail "$what" "unknown options: ${bad[*]}"; fi
        ;;
    covered*)
        problems=()
        while read -r part; do
            part=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$part")
            [ -z "$part" ] && continue
            word=${part%% *}
            if grep -qF -- "$part" "$ROOT/.ci/run"; then
                :
            elif [ "$word" = jlink/target/image/bin/harvest ]; then
                args=${part#"$word"}
                mkdir -p "$WORK/covered$line"
                # shellcheck disable=SC2086 # the README's own words
                (cd "$WORK/covered$line" && in_env timeout 300 harvest $args >"$WORK/out" 2>"$WORK/err"); rc=$?
                [ "$rc" = "$want_exit" ] || problems+=("'$part' exited $rc, want $want_exit: $(head -c 300 "$WORK/err")")
            elif [ -x "$ROOT/$word" ] && grep -qF -- "$word" "$ROOT/.ci/run"; then
                :
            else
                problems+=("'$part' is neither in .ci/run nor a script it runs")
            fi
        done < <(grep -v '^[[:space:]]*#' <<<"$block" | sed 's/&&/\n/g')
        if [ "${#problems[@]}" = 0 ]; then pass "$what (covered by CI)"; else fail "$what" "${problems[@]}"; fi
        ;;
    serve*)
        [[ $marker =~ port=([0-9]+) ]] || { fail "$what" "serve marker without port=N"; continue; }
        port=${BASH_REMATCH[1]}
        if port_open "$port"; then
            free=$((port + 1000))
            while port_open "$free"; do free=$((free + 1)); done
            port_subst+=("$port $free")
            block=${block//$port/$free}
            echo "      (port $port is taken here: using $free in this and later blocks)"
            port=$free
        fi
        (cd "$WORK/run" && exec setsid env -i PATH="$WORK/bin:/usr/bin:/bin" HOME="$WORK/home" LANG=C.UTF-8 \
            timeout 900 bash -e -c "$block" >"$WORK/serve$line.out" 2>"$WORK/serve$line.err") &
        pid=$!
        server_pids+=("$pid")
        up=0
        for _ in $(seq 1 600); do
            port_open "$port" && { up=1; break; }
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if [ "$up" = 1 ]; then
            pass "$what (serving on port $port)"
        else
            wait "$pid" 2>/dev/null; rc=$?
            if [ "$rc" = 2 ] && grep -qE -- "unknown option --(serve|port)" "$WORK/serve$line.err"; then
                missing_serve=$port
                skip "$what (this build has no 'demo --serve'; the blocks using port $port are skipped)"
            else
                fail "$what" "port $port never answered; exit $rc" "stdout: $(head -c 300 "$WORK/serve$line.out")" \
                    "stderr: $(head -c 300 "$WORK/serve$line.err")"
            fi
        fi
        ;;
    run*)
        if [ -n "$missing_serve" ]; then
            skip "$what (follows the service on port $missing_serve)"
            continue
        fi
        (cd "$WORK/run" && in_env timeout 300 bash -e -c "$block" >"$WORK/out" 2>"$WORK/err"); rc=$?
        if [ "$rc" = "$want_exit" ]; then
            pass "$what (exit $rc)"
        else
            fail "$what" "exit $rc, want $want_exit" "stdout: $(head -c 400 "$WORK/out" | tr '\n' '|')" \
                "stderr: $(head -c 400 "$WORK/err" | tr '\n' '|')"
        fi
        ;;
    *)
        fail "$what" "unknown marker '$marker' (run, serve, covered or illustrative)"
        ;;
    esac
done

finish
