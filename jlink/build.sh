#!/usr/bin/env bash
# Builds harvest's self-contained runtime: a jlinked JDK 25 with only the modules harvest needs,
# the app jars, a launcher and an AOT cache, then packs it as a tarball.
#
#   jlink/build.sh [--no-maven] [--no-aot] [--no-tar]
#
# Output (under jlink/target/):
#   image/                            the runtime image (run image/bin/harvest); image/share/ has
#                                     the man page and the bash and zsh completions
#   harvest-<version>-linux-x64.tar.gz  image/ packed under a harvest-<version>/ top folder
#   aot-training.log                  what the AOT training run printed
#
# Environment:
#   JAVA_HOME                  used when it is a JDK 25 with jlink; else /usr/lib/jvm/*25* is searched
#   MVN                        the Maven command (default: mvn)
#   HARVEST_AOT_TRAIN_ARGS     arguments of the AOT training run (default: see AOT_TRAIN_ARGS)
#   HARVEST_EXTRA_JDK_MODULES  comma-separated JDK modules to add (e.g. jdk.localedata)
#   HARVEST_APP_TARGET         where the built app is (default: <repo>/app/target)
#   HARVEST_COMMIT             the commit `harvest --version` names (default: git rev-parse; else "unknown")
set -euo pipefail

# --- settings ------------------------------------------------------------------------------------

# AOT training command: ONE run of the image's launcher, in an empty temporary folder, with a clean
# environment and no network beyond loopback. The cache holds the classes (and profiles) that run
# used, so the closer it is to a real job the faster real jobs start: `harvest demo` runs the
# classic job against its embedded stub service on 127.0.0.1 (2,000 IDs, ~6 s). "--help" gives a
# 4x smaller cache that only speeds up start-up itself. Exit codes 0 and 1 count as success (the
# demo ends with 1 on purpose: its stub service fails some IDs).
AOT_TRAIN_ARGS=${HARVEST_AOT_TRAIN_ARGS:-"demo --quiet"}

# JDK modules, chosen by jdeps plus run-time tests (see jlink/README.md):
#   java.base, java.net.http, jdk.unsupported  harvest's own code (HttpClient; sun.misc.Signal)
#   java.desktop     log4j-core: LoggerContext uses java.beans.PropertyChangeEvent; without it
#                    harvest dies at start-up. Brings java.xml, java.datatransfer, java.prefs along.
#   java.naming      log4j-core: without it every (re)configuration prints a status WARN "JNDI lookup
#                    class is not available" (JNDI lookups themselves stay disabled by default)
#   java.management  log4j-core: without it every (re)configuration prints a WARN and a stack trace
#                    from JmxRuntimeInputArgumentsLookup (NoClassDefFoundError ManagementFactory)
#   jdk.management   this machine's CPU load (com.sun.management): --concurrency auto sets the
#                    latency rule aside while the CPUs are busy (pipeline/MachineCpu)
#   java.xml         Log4j's XML config (log4j2.xml); StAX for RSS/Atom feeds
#   jdk.httpserver   the embedded stub service of `harvest demo`
#   jdk.jfr          Flight Recorder for profiling/diagnosing production runs (~0.8 MB)
#   jdk.charsets     the encodings feeds declare beyond java.base's (windows-1255/1256/1258,
#                    ISO-2022-JP, IBM037 and ~150 more; ~1.7 MB): the image reads every charset a
#                    full JDK reads (jlink/test-image.sh checks 32 of them)
# Not needed (jdeps lists them for optional Log4j/Jackson features; tested without): java.sql,
# java.rmi, java.scripting, java.compiler. (java.logging and java.security.sasl come with
# java.naming; java.datatransfer and java.prefs with java.desktop.) jdk.crypto.ec is an empty module since
# JDK 22 (EC and TLS 1.3 are in java.base); java.base also has the common web charsets (UTF-*,
# ISO-8859-*, windows-125x, Shift_JIS, EUC-JP/KR, GB18030, Big5); jdk.charsets has the rest.
JDK_MODULES="java.base,java.net.http,jdk.unsupported,java.desktop,java.naming,java.management,jdk.management,java.xml,jdk.httpserver,jdk.jfr,jdk.charsets"

# java.desktop's native libraries (AWT, fonts, imaging, sound, splash screen): log4j only needs
# java.beans, which is pure Java. Dropping them saves ~6 MB and removes the image's only links to
# X11 and ALSA libraries, which slim base images don't have.
EXCLUDE_FILES="**/libawt.so,**/libawt_headless.so,**/libawt_xawt.so,**/libjawt.so,**/libfontmanager.so,**/libfreetype.so,**/libjavajpeg.so,**/liblcms.so,**/libmlib_image.so,**/libjsound.so,**/libsplashscreen.so,**/psfont.properties.ja,**/psfontj2d.properties"

JLINK_COMPRESS=zip-9

# --- arguments -----------------------------------------------------------------------------------

run_maven=1 make_aot=1 make_tar=1
for arg in "$@"; do
    case $arg in
        --no-maven) run_maven=0 ;;
        --no-aot) make_aot=0 ;;
        --no-tar) make_tar=0 ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        *) echo "build.sh: error: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

die() { echo "build.sh: error: $*" >&2; exit 1; }
step() { echo "==> $*"; }

JLINK_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname -- "$JLINK_DIR")
TARGET=$JLINK_DIR/target
IMAGE=$TARGET/image
APP_TARGET=${HARVEST_APP_TARGET:-$ROOT/app/target}

# --- JDK 25 --------------------------------------------------------------------------------------

# Major version of the JDK at $1, from its release file (no JVM start needed).
jdk_major() {
    local v
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)
    echo "${v:-?}"
}

JDK=
tried=()
if [ -n "${JAVA_HOME:-}" ]; then
    if [ "$(jdk_major "$JAVA_HOME")" = 25 ] && [ -x "$JAVA_HOME/bin/jlink" ]; then
        JDK=$JAVA_HOME
    else
        tried+=("JAVA_HOME=$JAVA_HOME is Java $(jdk_major "$JAVA_HOME")$([ -x "$JAVA_HOME/bin/jlink" ] || echo ' without jlink')")
    fi
fi
if [ -z "$JDK" ]; then
    for d in /usr/lib/jvm/*25*; do
        [ -d "$d" ] || continue
        if [ "$(jdk_major "$d")" = 25 ] && [ -x "$d/bin/jlink" ]; then JDK=$d; break; fi
    done
    [ -n "$JDK" ] || tried+=("no JDK 25 with bin/jlink under /usr/lib/jvm/*25*")
fi
if [ -z "$JDK" ]; then
    why=${tried[0]}
    [ "${#tried[@]}" -gt 1 ] && why="$why; ${tried[1]}"
    die "no JDK 25 found: $why - install a JDK 25 (e.g. Temurin 25) or set JAVA_HOME to one"
fi
step "JDK 25: $JDK ($(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$JDK/release"))"

# --- app -----------------------------------------------------------------------------------------

if [ "$run_maven" = 1 ]; then
    MVN=${MVN:-mvn}
    command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') not found on PATH - install Maven 3.8+ or run with --no-maven after building the app"
    step "Maven package (tests skipped) in $ROOT"
    # (sed: Debian's Maven 3.8 prints bare ANSI resets even with -B when stdout is not a terminal)
    # The commit goes into `harvest --version`; without git (a source tarball) it says "commit unknown".
    # HARVEST_COMMIT names it where there is no .git (a Docker build context leaves .git out).
    commit=${HARVEST_COMMIT:-$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
    if [ -z "${HARVEST_COMMIT:-}" ] && [ "$commit" != unknown ] && ! git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null; then commit="$commit-dirty"; fi
    step "commit: $commit"
    (cd "$ROOT" && "$MVN" -B -q -Dstyle.color=never -Dharvest.commit="$commit" -DskipTests package 2>&1 | sed 's/\x1b\[0m//g') \
        || die "Maven build failed (mvn -B -q -DskipTests package in $ROOT)"
fi

shopt -s nullglob
jars=()
for j in "$APP_TARGET"/harvest-*.jar; do
    case $j in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) jars+=("$j") ;; esac
done
shopt -u nullglob
[ "${#jars[@]}" = 1 ] || die "expected exactly one app jar $APP_TARGET/harvest-<version>.jar, found ${#jars[@]} - build the app first (mvn -B -DskipTests package)"
APP_JAR=${jars[0]}
[ -d "$APP_TARGET/lib" ] || die "missing $APP_TARGET/lib (the app's dependency jars, copied by maven-dependency-plugin)"
VERSION=$(basename -- "$APP_JAR" .jar)
VERSION=${VERSION#harvest-}
step "app: $APP_JAR (version $VERSION)"

# --- jlink ---------------------------------------------------------------------------------------

MODULES=$JDK_MODULES${HARVEST_EXTRA_JDK_MODULES:+,$HARVEST_EXTRA_JDK_MODULES}
step "jlink: $MODULES"
mkdir -p "$TARGET"
rm -rf "$IMAGE" "$TARGET"/harvest-*-linux-x64.tar.gz
"$JDK/bin/jlink" \
    --add-modules "$MODULES" \
    --strip-debug --no-header-files --no-man-pages \
    --compress="$JLINK_COMPRESS" \
    --exclude-files="$EXCLUDE_FILES" \
    --output "$IMAGE"

# --- app jars + launcher -------------------------------------------------------------------------

# Copy the app jar and exactly the jars its manifest Class-Path names (app/target/lib may hold
# stale versions from earlier builds); a missing one would only show as NoClassDefFoundError.
mkdir -p "$IMAGE/lib/app/lib"
cp -p "$APP_JAR" "$IMAGE/lib/app/harvest.jar"
mf_dir=$(mktemp -d)
trap 'rm -rf "$mf_dir"' EXIT
(cd "$mf_dir" && "$JDK/bin/jar" -xf "$IMAGE/lib/app/harvest.jar" META-INF/MANIFEST.MF)
classpath=$(tr -d '\r' < "$mf_dir/META-INF/MANIFEST.MF" | awk '
    /^Class-Path:/ { cp = substr($0, 13); on = 1; next }
    on && /^ / { cp = cp substr($0, 2); next }
    { on = 0 }
    END { print cp }')
main_class=$(tr -d '\r' < "$mf_dir/META-INF/MANIFEST.MF" | sed -n 's/^Main-Class: *//p')
[ -n "$main_class" ] || die "the app jar's manifest has no Main-Class"
[ -n "$classpath" ] || die "the app jar's manifest has no Class-Path"
for entry in $classpath; do
    case $entry in
        lib/*) [ -f "$APP_TARGET/$entry" ] || die "manifest Class-Path entry $entry is not in $APP_TARGET/lib"
               cp -p "$APP_TARGET/$entry" "$IMAGE/lib/app/$entry" ;;
        *) die "unexpected manifest Class-Path entry '$entry' (expected lib/<name>.jar)" ;;
    esac
done

install -m 0755 "$JLINK_DIR/launcher/harvest" "$IMAGE/bin/harvest"

# --- man page and shell completions --------------------------------------------------------------

# Generated by the image's own harvest from its option catalogue, so they list exactly its options
# (the same catalogue as --help and docs/options.md). Paths as packagers use them under a prefix.
step "man page and shell completions"
mkdir -p "$IMAGE/share/man/man1" "$IMAGE/share/bash-completion/completions" "$IMAGE/share/zsh/site-functions"
for gen in "help --man:share/man/man1/harvest.1" "completion bash:share/bash-completion/completions/harvest" \
        "completion zsh:share/zsh/site-functions/_harvest"; do
    # shellcheck disable=SC2086 # the generator's arguments are space-separated words
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$IMAGE/bin/harvest" ${gen%%:*} > "$IMAGE/${gen#*:}" \
        || die "'harvest ${gen%%:*}' failed (writing ${gen#*:})"
done
# World-readable files, so a non-root user can run an image built by root.
chmod -R a+rX "$IMAGE"

# --- AOT cache -----------------------------------------------------------------------------------

AOT=$IMAGE/lib/app/harvest.aot
if [ "$make_aot" = 1 ]; then
    step "AOT cache: training run 'harvest $AOT_TRAIN_ARGS'"
    train_dir=$(mktemp -d)
    link_dir=$(mktemp -d)
    trap 'rm -rf "$mf_dir" "$train_dir" "$link_dir"' EXIT
    # HARVEST_JAVA_OPTS is split on spaces: reach the cache through a link in a space-free path.
    ln -s "$IMAGE/lib/app" "$link_dir/app"
    aot_path=$link_dir/app/harvest.aot
    # Clean environment: no HARVEST_* settings, proxies or JAVA_TOOL_OPTIONS of the builder leak
    # in. The launcher adds the same JVM options as in production; only the output option is extra.
    rc=0
    # shellcheck disable=SC2086 # AOT_TRAIN_ARGS is a space-separated argument list
    (cd "$train_dir" && env -i PATH=/usr/bin:/bin HOME="$train_dir" LANG=C.UTF-8 \
        HARVEST_JAVA_OPTS="-XX:AOTCacheOutput=$aot_path" \
        timeout 600 "$IMAGE/bin/harvest" $AOT_TRAIN_ARGS) >"$TARGET/aot-training.log" 2>&1 || rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
        tail -20 "$TARGET/aot-training.log" >&2
        die "AOT training run 'harvest $AOT_TRAIN_ARGS' exited $rc (log: $TARGET/aot-training.log); --no-aot builds without the cache"
    fi
    [ -s "$AOT" ] || die "the training run wrote no AOT cache $AOT (log: $TARGET/aot-training.log)"
    chmod a+r "$AOT"
    # The cache must be accepted by the launcher's own options: -XX:AOTMode=on makes refusal fatal.
    if ! out=$(env -i PATH=/usr/bin:/bin HARVEST_JAVA_OPTS="-XX:AOTCache=$aot_path -XX:AOTMode=on" \
            "$IMAGE/bin/harvest" --version 2>&1); then
        echo "$out" >&2
        die "the image's java refuses the AOT cache it just built"
    fi
fi

# --- tarball -------------------------------------------------------------------------------------

TARBALL=$TARGET/harvest-$VERSION-linux-x64.tar.gz
if [ "$make_tar" = 1 ]; then
    step "tarball"
    # Keeps file times (the AOT cache was made against these jars); owner root, sorted names.
    tar -C "$TARGET" --sort=name --owner=0 --group=0 --numeric-owner \
        --transform "s,^image,harvest-$VERSION," -cf - image | gzip -9n > "$TARBALL"
fi

# --- summary -------------------------------------------------------------------------------------

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
image_bytes=$(du -sb "$IMAGE" | cut -f1)
echo "image:   $IMAGE ($(mib "$image_bytes"))"
echo "modules: $(sed -n 's/^MODULES="\(.*\)"/\1/p' "$IMAGE/release" | tr ' ' ',')"
echo "main:    $main_class"
if [ -f "$AOT" ]; then
    echo "aot:     lib/app/harvest.aot ($(mib "$(stat -c %s "$AOT")"), trained with 'harvest $AOT_TRAIN_ARGS')"
else
    echo "aot:     none"
fi
[ "$make_tar" = 1 ] && echo "tarball: $TARBALL ($(mib "$(stat -c %s "$TARBALL")"))"
echo "run:     $IMAGE/bin/harvest --version"
