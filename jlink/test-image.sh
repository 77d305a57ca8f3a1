#!/usr/bin/env bash
# Proves the jlinked image runs on a machine without Java: every check runs the image's launcher
# with JAVA_HOME unset and a PATH that has no java (checked), from the build folder, from a copy
# elsewhere (path with a space), through symlinks and from the unpacked tarball; and stdout never
# carries JVM messages.
#
#   jlink/test-image.sh [IMAGE_DIR]     (default: jlink/target/image; build it with jlink/build.sh)
#
# Ends with a line "image: N passed, N failed, N skipped"; exits 1 if any check failed.
set -uo pipefail

JLINK_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
IMAGE=$(cd -P -- "${1:-$JLINK_DIR/target/image}" 2>/dev/null && pwd -P) || IMAGE=${1:-$JLINK_DIR/target/image}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; shift; for line in "$@"; do echo "      $line"; done; }
skip() { skipped=$((skipped + 1)); echo "SKIP  $1"; }
finish() {
    echo "image: $passed passed, $failed failed, $skipped skipped"
    [ "$failed" = 0 ]
    exit
}

if [ ! -x "$IMAGE/bin/harvest" ] || [ ! -x "$IMAGE/bin/java" ]; then
    fail "image present" "no runnable image at $IMAGE (bin/harvest, bin/java) - run jlink/build.sh first"
    finish
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/harvest-image-test.XXXXXX")
server_pid=
# shellcheck disable=SC2317 # called through the trap
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/home"

# --- an environment without Java ------------------------------------------------------------------
# PATH=/usr/bin:/bin as is when it has no java (e.g. debian:bookworm-slim); otherwise (a build
# machine with a JDK installed) a copy of it made of symlinks that leaves out every JDK command.
if ! env -i PATH=/usr/bin:/bin sh -c 'command -v java' >/dev/null 2>&1; then
    NOJAVA_PATH=/usr/bin:/bin
else
    NOJAVA_PATH=$WORK/usr-bin-without-java
    mkdir -p "$NOJAVA_PATH"
    for f in /usr/bin/* /bin/*; do
        name=${f##*/}
        [ -e "$NOJAVA_PATH/$name" ] && continue
        real=$(readlink -f -- "$f") || continue
        case $real in */jvm/*|*/openjdk*/*|*/jdk*/bin/*|*/jre*/bin/*) continue ;; esac
        ln -s -- "$f" "$NOJAVA_PATH/$name"
    done
fi
# Runs a command with no JAVA_HOME, no JAVA_TOOL_OPTIONS, no HARVEST_* and the java-less PATH;
# extra VAR=value words may come first. Output goes to $WORK/out and $WORK/err.
clean() {
    env -i PATH="$NOJAVA_PATH" HOME="$WORK/home" LANG=C.UTF-8 "$@" >"$WORK/out" 2>"$WORK/err"
}
# JVM/launcher messages that must never be on stdout.
noise() { grep -E '\[(warning|error|info) *\]|VM warning|OpenJDK|Picked up|NOTE: |WARNING|Exception|Error occurred' "$1"; }
out() { head -c 600 "$WORK/out" | tr '\n' '|'; }
err() { head -c 600 "$WORK/err" | tr '\n' '|'; }

# Classes the last run took from the AOT cache (-Xlog:class+load into $WORK/classes.log).
aot_classes() { grep -c 'source: shared objects file' "$WORK/classes.log" 2>/dev/null || echo 0; }
LOG_CLASSES="-Xlog:class+load=info:file=$WORK/classes.log"
HAS_AOT=0
[ -f "$IMAGE/lib/app/harvest.aot" ] && HAS_AOT=1

echo "image: $IMAGE"
echo "PATH for the checks: $NOJAVA_PATH"

# 1 ------------------------------------------------------------------------------------------------
if env -i PATH="$NOJAVA_PATH" sh -c 'command -v java || command -v javac' >/dev/null 2>&1; then
    fail "no java in the test environment" "command -v java found: $(env -i PATH="$NOJAVA_PATH" sh -c 'command -v java')"
else
    pass "no java in the test environment (command -v java fails, JAVA_HOME unset)"
fi

# 2 ------------------------------------------------------------------------------------------------
clean "$IMAGE/bin/harvest" --version; rc=$?
VERSION_OUT=$(cat "$WORK/out")
if [ "$rc" = 0 ] && grep -Eq '^harvest [0-9]' "$WORK/out" && [ ! -s "$WORK/err" ] && ! noise "$WORK/out" >/dev/null; then
    pass "harvest --version: $(head -1 "$WORK/out") (stderr empty)"
else
    fail "harvest --version" "exit $rc" "stdout: $(out)" "stderr: $(err)"
fi

# 3 ------------------------------------------------------------------------------------------------
if [ "$HAS_AOT" = 1 ]; then
    rm -f "$WORK/classes.log"
    clean HARVEST_JAVA_OPTS="$LOG_CLASSES" "$IMAGE/bin/harvest" --version; rc=$?
    n=$(aot_classes)
    if [ "$rc" = 0 ] && [ "$n" -ge 200 ] && [ ! -s "$WORK/err" ]; then
        pass "launcher uses the AOT cache ($n classes from lib/app/harvest.aot)"
    else
        fail "launcher uses the AOT cache" "exit $rc, $n classes from the cache" "stderr: $(err)"
    fi
else
    skip "launcher uses the AOT cache (image has no lib/app/harvest.aot: built with --no-aot)"
fi

# 4 ------------------------------------------------------------------------------------------------
clean "$IMAGE/bin/harvest" --help; rc=$?
if [ "$rc" = 0 ] && grep -q 'Usage' "$WORK/out" && ! noise "$WORK/out" >/dev/null; then
    pass "harvest --help ($(wc -l < "$WORK/out") lines)"
else
    fail "harvest --help" "exit $rc" "stdout: $(out)" "stderr: $(err)"
fi

# 4b -----------------------------------------------------------------------------------------------
# The man page and the completions built from the catalogue: in the image, rendered by man, loaded
# by bash, and listing the options --help lists.
MAN_PAGE=$IMAGE/share/man/man1/harvest.1
BASH_COMPLETION=$IMAGE/share/bash-completion/completions/harvest
ZSH_COMPLETION=$IMAGE/share/zsh/site-functions/_harvest
help_flags=$(grep -oE '^  --[a-z-]+' "$WORK/out" | sort -u | wc -l)
if [ ! -s "$MAN_PAGE" ] || [ ! -s "$BASH_COMPLETION" ] || [ ! -s "$ZSH_COMPLETION" ]; then
    fail "man page and completions in the image" "missing or empty: $(ls -l "$MAN_PAGE" "$BASH_COMPLETION" "$ZSH_COMPLETION" 2>&1 | tr '\n' '|')"
else
    man_flags=$(grep -oE '^\\fB\\-\\-[a-z\\-]+' "$MAN_PAGE" | sort -u | wc -l)
    completed=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(harvest --con); COMP_CWORD=1; _harvest; echo "${COMPREPLY[*]}"' \
        bash "$BASH_COMPLETION" 2>&1)
    all_completed=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(harvest run --); COMP_CWORD=2; _harvest; printf "%s\n" "${COMPREPLY[@]}"' \
        bash "$BASH_COMPLETION" 2>&1 | grep -cE '^--[a-z]')
    man_warnings=""
    if command -v man >/dev/null 2>&1; then
        man_warnings=$(MANWIDTH=80 man --warnings -l "$MAN_PAGE" 2>&1 >/dev/null)
    fi
    if [ "$man_flags" -ge "$help_flags" ] && [ -z "$man_warnings" ] && [[ " $completed " == *" --concurrency "* ]] \
            && [ "$all_completed" -ge "$help_flags" ] && head -1 "$ZSH_COMPLETION" | grep -q '^#compdef harvest'; then
        pass "man page ($man_flags options$(command -v man >/dev/null 2>&1 && echo ', man -l renders it without warnings')), bash completion (--con -> $completed) and zsh completion in share/"
    else
        fail "man page and completions in the image" "--help lists $help_flags options, the man page $man_flags," \
            "bash completes $all_completed" "bash --con: $completed" "man warnings: $man_warnings"
    fi
fi

# 5 ------------------------------------------------------------------------------------------------
clean "$IMAGE/bin/harvest" --no-such-option; rc=$?
if [ "$rc" = 2 ] && ! noise "$WORK/out" >/dev/null; then
    pass "usage error exits 2 through the launcher"
else
    fail "usage error exits 2 through the launcher" "exit $rc" "stdout: $(out)" "stderr: $(err)"
fi

# 6 ------------------------------------------------------------------------------------------------
# A JVM warning (a broken AOT cache) must go to stderr and leave stdout exactly as in a clean run.
printf 'not an AOT cache' > "$WORK/broken.aot"
clean HARVEST_JAVA_OPTS="-XX:AOTCache=$WORK/broken.aot" "$IMAGE/bin/harvest" --version; rc=$?
if [ "$rc" = 0 ] && [ "$(cat "$WORK/out")" = "$VERSION_OUT" ] && grep -Eq '\[(warning|error) *\]' "$WORK/err"; then
    pass "JVM warnings go to stderr, stdout unchanged ($(grep -cE '\[(warning|error) *\]' "$WORK/err") JVM lines on stderr)"
else
    fail "JVM warnings go to stderr, stdout unchanged" "exit $rc" "stdout: $(out)" "stderr: $(err)"
fi

# 6b -----------------------------------------------------------------------------------------------
# The default GC is the tuned parallel one; a GC named in HARVEST_JAVA_OPTS replaces it (two GC
# flags stop the JVM: "Multiple garbage collectors selected") and the run starts without warnings.
gc_checks_ok=1 gc_seen=""
for gc in "" -XX:+UseG1GC -XX:+UseSerialGC; do
    rm -f "$WORK/gcinit.log"
    clean HARVEST_JAVA_OPTS="$gc -Xlog:gc=info:file=$WORK/gcinit.log" "$IMAGE/bin/harvest" --version; rc=$?
    using=$(sed -n 's/.*Using \(.*\)$/\1/p' "$WORK/gcinit.log" 2>/dev/null | head -1)
    case $gc in
        "") want="Parallel" ;;
        *G1*) want="G1" ;;
        *) want="Serial" ;;
    esac
    gc_seen="$gc_seen ${gc:-default}:${using:-?}"
    if [ "$rc" != 0 ] || [ "$using" != "$want" ] || [ -s "$WORK/err" ] || [ "$(cat "$WORK/out")" != "$VERSION_OUT" ]; then
        gc_checks_ok=0
        gc_detail="with '${gc:-no GC option}': exit $rc, GC '$using' (want $want), stderr: $(err)"
    fi
done
if [ "$gc_checks_ok" = 1 ]; then
    pass "GC: default and HARVEST_JAVA_OPTS choices start cleanly ($gc_seen )"
else
    fail "GC choice through HARVEST_JAVA_OPTS" "$gc_detail"
fi

# 7 ------------------------------------------------------------------------------------------------
# A copy elsewhere (cp -a keeps file times), in a path with a space; the original must not be used.
MOVED="$WORK/moved copy/harvest"
mkdir -p "$WORK/moved copy"
cp -a "$IMAGE" "$MOVED"
clean "$MOVED/bin/harvest" --version; rc_plain=$?
err_plain=$(err)
rm -f "$WORK/classes.log"
clean HARVEST_JAVA_OPTS="$LOG_CLASSES -XshowSettings:properties" "$MOVED/bin/harvest" --version; rc=$?
home=$(sed -n 's/^ *java.home = //p' "$WORK/err")
n=$(aot_classes)
if [ "$rc_plain" = 0 ] && [ -z "$err_plain" ] && [ "$rc" = 0 ] && [ "$(cat "$WORK/out")" = "$VERSION_OUT" ] \
        && [ "$home" = "$MOVED" ] && { [ "$HAS_AOT" = 0 ] || [ "$n" -ge 200 ]; }; then
    pass "copied image runs from '$MOVED' (java.home there; $n classes from its AOT cache)"
else
    fail "copied image runs from elsewhere" "exit $rc_plain/$rc, java.home '$home', $n classes from the AOT cache" \
        "stdout: $(out)" "stderr of the plain run: $err_plain"
fi

# 8 ------------------------------------------------------------------------------------------------
# Reached through a chain of symlinks on PATH (absolute, then relative), as /usr/local/bin/harvest.
mkdir -p "$WORK/links/a" "$WORK/links/b"
ln -s "$MOVED/bin/harvest" "$WORK/links/a/harvest"
ln -s ../a/harvest "$WORK/links/b/harvest"
env -i PATH="$WORK/links/b:$NOJAVA_PATH" HOME="$WORK/home" sh -c 'cd / && harvest --version' >"$WORK/out" 2>"$WORK/err"; rc=$?
if [ "$rc" = 0 ] && [ "$(cat "$WORK/out")" = "$VERSION_OUT" ] && [ ! -s "$WORK/err" ]; then
    pass "launcher found through a symlink chain on PATH"
else
    fail "launcher found through a symlink chain on PATH" "exit $rc" "stdout: $(out)" "stderr: $(err)"
fi

# 9 ------------------------------------------------------------------------------------------------
tarball=$(find "$(dirname -- "$IMAGE")" -maxdepth 1 -name 'harvest-*-linux-x64.tar.gz' | head -1)
if [ -n "$tarball" ]; then
    mkdir -p "$WORK/unpacked"
    tar -C "$WORK/unpacked" -xzf "$tarball"
    top=$(ls "$WORK/unpacked")
    rm -f "$WORK/classes.log"
    clean HARVEST_JAVA_OPTS="$LOG_CLASSES" "$WORK/unpacked/$top/bin/harvest" --version; rc=$?
    n=$(aot_classes)
    if [ "$rc" = 0 ] && [ "$(cat "$WORK/out")" = "$VERSION_OUT" ] && [ ! -s "$WORK/err" ] \
            && { [ "$HAS_AOT" = 0 ] || [ "$n" -ge 200 ]; }; then
        pass "unpacked $(basename -- "$tarball") runs ($top/, $n classes from its AOT cache)"
    else
        fail "unpacked tarball runs" "exit $rc, $n classes from the AOT cache" "stdout: $(out)" "stderr: $(err)"
    fi
else
    skip "unpacked tarball runs (no tarball next to the image)"
fi

# 10 -----------------------------------------------------------------------------------------------
# Stronger than a PATH without java: a private mount namespace where every JDK folder is empty.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
    # shellcheck disable=SC2016 # expanded by the inner sh
    unshare -m sh -c '
        for d in /usr/lib/jvm /opt/java /usr/java; do [ -d "$d" ] && mount -t tmpfs none "$d"; done
        if ls /usr/lib/jvm/*/bin/java /opt/java/*/bin/java 2>/dev/null | grep -q .; then echo "a JDK is still visible" >&2; exit 99; fi
        exec env -i PATH=/usr/bin:/bin HOME="$2" "$1/bin/harvest" --version' sh "$MOVED" "$WORK/home" \
        >"$WORK/out" 2>"$WORK/err"; rc=$?
    if [ "$rc" = 0 ] && [ "$(cat "$WORK/out")" = "$VERSION_OUT" ] && [ ! -s "$WORK/err" ]; then
        pass "runs with every installed JDK hidden (/usr/lib/jvm emptied in a mount namespace)"
    else
        fail "runs with every installed JDK hidden" "exit $rc" "stdout: $(out)" "stderr: $(err)"
    fi
else
    skip "runs with every installed JDK hidden (needs root and unshare -m)"
fi

# 11 -----------------------------------------------------------------------------------------------
# A tiny real job against a loopback file server (the image's own jwebserver, jdk.httpserver):
# 5 IDs, one of them missing -> 4 results, 1 failed row, exit code 1.
mkdir -p "$WORK/www" "$WORK/job/out"
for i in 1 2 3 4; do printf '{"id":%s,"name":"item %s"}\n' "$i" "$i" > "$WORK/www/$i.json"; done
printf '1\n2\n3\n4\n5\n' > "$WORK/job/ids.txt"
env -i PATH="$NOJAVA_PATH" HOME="$WORK/home" "$MOVED/bin/jwebserver" -b 127.0.0.1 -p 0 -o none -d "$WORK/www" \
    >"$WORK/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 100); do
    port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -z "$port" ]; then
    fail "tiny job" "the loopback file server did not start: $(head -c 300 "$WORK/server.log")"
else
    (cd "$WORK/job" && clean "$MOVED/bin/harvest" run --input ids.txt --input-header false \
        --url "http://127.0.0.1:$port/{id}.json" --out out); rc=$?
    results=$(cat "$WORK"/job/out/results-*.jsonl 2>/dev/null | wc -l)
    failed_rows=$(($(cat "$WORK"/job/out/failed-*.csv 2>/dev/null | wc -l) - 1))
    if [ "$rc" = 1 ] && [ "$results" = 4 ] && [ "$failed_rows" = 1 ] && ! noise "$WORK/out" >/dev/null; then
        pass "tiny job: 5 IDs over loopback -> 4 results, 1 failed, exit 1"
    else
        fail "tiny job" "exit $rc (want 1), $results results (want 4), $failed_rows failed rows (want 1)" \
            "stdout: $(out)" "stderr: $(err)"
    fi

    # 11b ------------------------------------------------------------------------------------------
    # Feeds in 32 declared encodings (made by iconv, not by Java) read in the image as on a full JDK:
    # the image carries jdk.charsets. Each feed's title must come back as the UTF-8 original.
    mkdir -p "$WORK/www/feeds" "$WORK/feedjob/out"
    : > "$WORK/feedjob/ids.txt"; : > "$WORK/feedjob/want.txt"
    while read -r xmlname iconvname text; do
        printf '<?xml version="1.0" encoding="%s"?>\n<rss version="2.0"><channel><title>c</title><item><title>T %s</title></item></channel></rss>\n' \
            "$xmlname" "$text" | iconv -f UTF-8 -t "$iconvname" > "$WORK/www/feeds/$xmlname.xml" || continue
        echo "$xmlname" >> "$WORK/feedjob/ids.txt"
        echo "$xmlname,T $text" >> "$WORK/feedjob/want.txt"
    done <<'CHARSETS'
UTF-8 UTF-8 жук café 日本
UTF-16 UTF-16 жук café
ISO-8859-1 ISO-8859-1 café
ISO-8859-2 ISO-8859-2 žš
ISO-8859-5 ISO-8859-5 жук
ISO-8859-7 ISO-8859-7 αβ
ISO-8859-8 ISO-8859-8 של
ISO-8859-9 ISO-8859-9 ğış
ISO-8859-15 ISO-8859-15 €café
windows-1250 WINDOWS-1250 žš
windows-1251 WINDOWS-1251 жук
windows-1252 WINDOWS-1252 café€
windows-1253 WINDOWS-1253 αβ
windows-1254 WINDOWS-1254 ğış
windows-1255 WINDOWS-1255 של
windows-1256 WINDOWS-1256 مر
windows-1257 WINDOWS-1257 ąč
windows-1258 WINDOWS-1258 café
cp1252 WINDOWS-1252 café
KOI8-R KOI8-R жук
KOI8-U KOI8-U жук
Shift_JIS SHIFT_JIS 日本
EUC-JP EUC-JP 日本
ISO-2022-JP ISO-2022-JP 日本
EUC-KR EUC-KR 한국
GB2312 GB2312 中文
GBK GBK 中文
GB18030 GB18030 中文
Big5 BIG5 中文
TIS-620 TIS-620 ไท
IBM037 IBM037 cafe
IBM866 IBM866 жук
CHARSETS
    n_feeds=$(wc -l < "$WORK/feedjob/ids.txt")
    (cd "$WORK/feedjob" && clean "$MOVED/bin/harvest" run --input ids.txt --input-header false --parse rss \
        --format csv --url "http://127.0.0.1:$port/feeds/{id}.xml" --out out); rc=$?
    got=$(tail -n +2 "$WORK"/feedjob/out/results-*.csv 2>/dev/null | cut -d, -f1,3 | sort)
    want=$(sort "$WORK/feedjob/want.txt")
    if [ "$rc" = 0 ] && [ "$n_feeds" -ge 30 ] && [ "$got" = "$want" ]; then
        pass "feeds in $n_feeds declared encodings read in the image (jdk.charsets)"
    else
        fail "feeds in $n_feeds declared encodings" "exit $rc" \
            "differences: $(diff <(echo "$want") <(echo "$got") | head -c 600 | tr '\n' '|')" \
            "failed: $(head -c 600 "$WORK"/feedjob/out/failed-*.csv 2>/dev/null | tr '\n' '|')"
    fi

    # 11c ------------------------------------------------------------------------------------------
    # Non-ASCII paths under the C locale (cron, env -i: no LANG at all): the launcher picks C.UTF-8.
    cp "$WORK/job/ids.txt" "$WORK/job/$(printf '\303\257')ds.txt"
    mkdir -p "$WORK/job/$(printf 's\303\266rtie')"
    (cd "$WORK/job" && env -i PATH="$NOJAVA_PATH" HOME="$WORK/home" "$MOVED/bin/harvest" run \
        --input "$(printf '\303\257')ds.txt" --url "http://127.0.0.1:$port/{id}.json" \
        --out "$(printf 's\303\266rtie')" --quiet >"$WORK/out" 2>"$WORK/err"); rc=$?
    results=$(cat "$WORK/job/$(printf 's\303\266rtie')"/results-*.jsonl 2>/dev/null | wc -l)
    if [ "$rc" = 1 ] && [ "$results" = 4 ]; then
        pass "non-ASCII --input and --out under env -i (C locale): exit 1, 4 results"
    else
        fail "non-ASCII paths under env -i" "exit $rc (want 1), $results results (want 4)" "stderr: $(err)"
    fi

    # 12 -------------------------------------------------------------------------------------------
    # SIGTERM reaches the JVM (the launcher execs it) and harvest stops with 143.
    seq 100 199 > "$WORK/job/many.txt"
    (cd "$WORK/job" && exec env -i PATH="$NOJAVA_PATH" HOME="$WORK/home" "$MOVED/bin/harvest" run \
        --input many.txt --input-header false --rate 2 --url "http://127.0.0.1:$port/{id}.json" \
        --out out --quiet --drain-timeout 2s >"$WORK/out" 2>"$WORK/err") &
    job_pid=$!
    sleep 3
    kill -TERM "$job_pid" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$job_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$job_pid" 2>/dev/null; then
        kill -KILL "$job_pid" 2>/dev/null
        fail "SIGTERM stops a run with exit 143" "still running 30 s after SIGTERM (--drain-timeout 2s)"
    else
        wait "$job_pid"; rc=$?
        if [ "$rc" = 143 ]; then
            pass "SIGTERM stops a run with exit 143"
        else
            fail "SIGTERM stops a run with exit 143" "exit $rc" "stderr: $(err)"
        fi
    fi
    kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=
fi

# 13 -----------------------------------------------------------------------------------------------
# The built-in demo (stub service on loopback, 2,000 IDs); it ends with exit 1 on purpose (its stub
# service fails some IDs).
mkdir -p "$WORK/demo"
(cd "$WORK/demo" && clean "$MOVED/bin/harvest" demo --quiet --out .); rc=$?
if [ "$rc" = 2 ] && grep -q 'not available' "$WORK/err"; then
    skip "harvest demo (not in this build yet)"
elif { [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && ls "$WORK"/demo/results-* >/dev/null 2>&1 && ! noise "$WORK/out" >/dev/null; then
    pass "harvest demo --quiet (exit $rc, $(cat "$WORK"/demo/results-* | wc -l) result lines, stdout clean)"
else
    fail "harvest demo --quiet" "exit $rc; files: $(find "$WORK/demo" -mindepth 1 -printf '%f ')" "stdout: $(out)" "stderr: $(err)"
fi

# 14 -----------------------------------------------------------------------------------------------
# The README's shell examples, run against this image (jlink/test-readme.sh says how each is covered).
if [ -x "$JLINK_DIR/test-readme.sh" ]; then
    "$JLINK_DIR/test-readme.sh" "$MOVED" >"$WORK/readme.log" 2>&1; rc=$?
    if [ "$rc" = 0 ]; then
        pass "README examples: $(tail -1 "$WORK/readme.log")"
    else
        fail "README examples (jlink/test-readme.sh)" "$(grep -A3 '^FAIL' "$WORK/readme.log" | head -c 1500 | tr '\n' '|')" \
            "$(tail -1 "$WORK/readme.log")"
    fi
fi

finish
