#!/usr/bin/env bash
# Checks jlink/Dockerfile as far as that is possible without a container engine (this machine
# has the docker client but no daemon): the files its COPY lines need exist after jlink/build.sh,
# the run stage's layout works when copied into place (as a non-root user, through the
# /usr/local/bin symlink, read-only), the base images are pinned, the OCI labels come from build
# args, USER is non-root, ENTRYPOINT/WORKDIR are right, there is no anonymous VOLUME, and the image
# needs no shared library that the Debian 12 slim base lacks.
#
#   jlink/check-dockerfile.sh        (after jlink/build.sh)
#
# Ends with "dockerfile: N passed, N failed, N skipped"; exits 1 if any check failed.
set -uo pipefail

JLINK_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname -- "$JLINK_DIR")
DOCKERFILE=$JLINK_DIR/Dockerfile
IMAGE=$JLINK_DIR/target/image

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; shift; for line in "$@"; do echo "      $line"; done; }
skip() { skipped=$((skipped + 1)); echo "SKIP  $1"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/harvest-dockerfile-check.XXXXXX")
# shellcheck disable=SC2317 # called through the trap
cleanup() { chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# --- parse the Dockerfile (continuation lines joined, comments dropped) ---------------------------
awk '
    /^[[:space:]]*#/ { next }
    { line = line $0 }
    /\\[[:space:]]*$/ { sub(/\\[[:space:]]*$/, "", line); next }
    { if (line ~ /[^[:space:]]/) print line; line = "" }
' "$DOCKERFILE" > "$WORK/instructions"
stages=$(grep -c '^FROM ' "$WORK/instructions")
# Instructions of the last stage (the image that ships).
awk '/^FROM /{ buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$WORK/instructions" > "$WORK/final"
last() { grep "^$1 " "$WORK/final" | tail -1 | cut -d' ' -f2-; }

echo "Dockerfile: $DOCKERFILE"

# 1 - engine
if docker info >/dev/null 2>&1; then
    skip "docker build (an engine is reachable: run 'docker build -f jlink/Dockerfile -t harvest .' from $ROOT)"
else
    skip "docker build/run: no container engine on this machine (docker info fails) - static checks only"
fi

# 2 - stages and bases: FROM ${ARG} resolved with the ARG's default (ARGs before the first FROM)
global_arg() { awk '/^FROM /{ exit } { print }' "$WORK/instructions" | sed -n "s/^ARG $1=//p" | tail -1; }
resolve() {
    local line=$1 name
    while [[ $line =~ \$\{([A-Z_]+)\} ]]; do
        name=${BASH_REMATCH[1]}
        line=${line//\$\{$name\}/$(global_arg "$name")}
    done
    echo "$line"
}
build_from=$(resolve "$(grep '^FROM ' "$WORK/instructions" | head -1)")
final_from=$(resolve "$(grep '^FROM ' "$WORK/instructions" | tail -1)")
if [ "$stages" = 2 ] && [[ $build_from == "FROM eclipse-temurin:25"*"-jdk"*" AS build" ]] \
        && [[ $final_from == "FROM debian:"*"-slim"* ]]; then
    pass "two stages: '$build_from' -> '$final_from'"
else
    fail "two stages (JDK 25 build, slim run)" "$stages FROM lines: $build_from / $final_from"
fi

# 2b - pinned bases: an exact release tag (Temurin 25.0.N_B, Debian 12.N) or a digest, never a
#      floating tag such as 25-jdk, latest or bookworm-slim
pinned() { [[ $1 == *@sha256:* || $1 =~ ^eclipse-temurin:25\.[0-9]+\.[0-9]+_[0-9]+-jdk || $1 =~ ^debian:[0-9]+\.[0-9]+-slim$ ]]; }
build_image=$(echo "$build_from" | awk '{ print $2 }')
run_image=$(echo "$final_from" | awk '{ print $2 }')
if pinned "$build_image" && pinned "$run_image"; then
    pass "base images pinned: $build_image, $run_image"
else
    fail "base images pinned to an exact tag or digest" "build: $build_image" "run: $run_image"
fi

# 2c - OCI labels version, revision and source, each from a build arg declared in the run stage
labels_ok=1
for pair in version:VERSION revision:REVISION source:SOURCE created:CREATED; do
    key=${pair%%:*} arg=${pair#*:}
    grep -q "org.opencontainers.image.$key=\"\${$arg}\"" "$WORK/final" && grep -q "^ARG $arg\b" "$WORK/final" || labels_ok=0
done
if [ "$labels_ok" = 1 ]; then
    pass "OCI labels version, revision, source, created from build args"
else
    fail "OCI labels from build args" "$(grep -o 'org.opencontainers.image.[a-z.]*="[^"]*"' "$WORK/final" | xargs)"
fi

# 3 - build-stage COPY sources exist in the repository and are not excluded by the .dockerignore
missing=()
while read -r -a words; do
    args=("${words[@]:1}")
    case ${args[0]} in --from=*) continue ;; esac
    for src in "${args[@]:0:${#args[@]}-1}"; do
        [ -e "$ROOT/$src" ] || missing+=("$src")
        if [ -f "$DOCKERFILE.dockerignore" ] && grep -qxF -- "$src" "$DOCKERFILE.dockerignore"; then
            missing+=("$src (ignored)")
        fi
    done
done < <(grep '^COPY ' "$WORK/instructions")
if [ "${#missing[@]}" = 0 ]; then
    pass "build-stage COPY sources exist: $(grep '^COPY ' "$WORK/instructions" | grep -v -- '--from=' | awk '{ $1 = ""; $NF = ""; print }' | xargs)"
else
    fail "build-stage COPY sources exist" "missing: ${missing[*]}"
fi

# 4 - the run stage's COPY --from=build source is what jlink/build.sh makes (WORKDIR /src = repo root)
copy_from=$(grep '^COPY --from=build ' "$WORK/final" | head -1)
from_src=$(echo "$copy_from" | awk '{ print $3 }')
from_dst=$(echo "$copy_from" | awk '{ print $4 }')
local_src=$ROOT/${from_src#/src/}
if [[ $from_src == /src/* ]] && [ -x "$local_src/bin/harvest" ] && [ -x "$local_src/bin/java" ] \
        && [ -f "$local_src/lib/app/harvest.jar" ] && [ -f "$local_src/lib/app/harvest.aot" ]; then
    pass "COPY --from=build $from_src exists after build.sh ($(du -sh "$local_src" | cut -f1), launcher, java, app jar, AOT cache)"
else
    fail "COPY --from=build $from_src exists after build.sh" "looked at $local_src - run jlink/build.sh first"
fi

# 5 - USER non-root, numeric (Kubernetes runAsNonRoot can only verify a numeric UID)
user=$(last USER)
uid=${user%%:*}
if [[ $uid =~ ^[0-9]+$ ]] && [ "$uid" != 0 ]; then
    pass "USER $user (numeric, non-root)"
else
    fail "USER non-root and numeric" "USER '${user:-<none>}'"
fi

# 6 - ENTRYPOINT/CMD, and 'harvest' resolves through the symlink the RUN line makes
entrypoint=$(last ENTRYPOINT)
link_line=$(grep -o 'ln -s [^ ]* /usr/local/bin/harvest' "$WORK/final" | head -1)
link_target=$(echo "$link_line" | awk '{ print $3 }')
if [ "$entrypoint" = '["harvest"]' ] && [ "$link_target" = "$from_dst/bin/harvest" ] \
        && ! grep -q '^ENV PATH' "$WORK/final"; then
    pass "ENTRYPOINT [\"harvest\"] -> /usr/local/bin/harvest -> $link_target (default PATH)"
else
    fail "ENTRYPOINT [\"harvest\"] reaches the launcher" "ENTRYPOINT ${entrypoint:-<none>}; ${link_line:-no ln -s to /usr/local/bin/harvest}; COPY to $from_dst"
fi

# 7 - WORKDIR /data, owned by the USER; no VOLUME (each run without a mount would leave an
#     anonymous volume behind)
workdir=$(last WORKDIR)
if [ "$workdir" = /data ] && ! grep -q '^VOLUME ' "$WORK/instructions" && grep -q "chown $user /data\|chown ${uid}:[0-9]* /data" "$WORK/final"; then
    pass "WORKDIR /data owned by $user, no anonymous VOLUME"
else
    fail "WORKDIR /data owned by the user, no VOLUME" "WORKDIR ${workdir:-<none>}, $(grep '^VOLUME ' "$WORK/instructions" || echo 'no VOLUME')"
fi

# 8 - simulate the run stage: image at <root>/opt/harvest, symlink in <root>/usr/local/bin, run as
#     UID 10001 with a clean environment from a /data-like folder, read-only image.
if [ -x "$local_src/bin/harvest" ]; then
    R=$WORK/rootfs
    mkdir -p "$R/opt" "$R/usr/local/bin" "$R/data"
    cp -a "$local_src" "$R$from_dst"
    # relative link, so the tree also works where test 9 mounts it
    ln -s "../../..$from_dst/bin/harvest" "$R/usr/local/bin/harvest"
    chmod -R a-w "$R$from_dst"
    as_user=()
    if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
        chown "$uid:${user#*:}" "$R/data" 2>/dev/null || chown "$uid" "$R/data"
        chmod 755 "$WORK" "$R"
        as_user=(setpriv --reuid="$uid" --regid="${user#*:}" --clear-groups)
    fi
    smoke=$(grep -o 'HARVEST_JAVA_OPTS="[^"]*" harvest --version' "$WORK/final" | head -1 | sed 's/HARVEST_JAVA_OPTS="\(.*\)" harvest --version/\1/')
    smoke=${smoke//$from_dst/$R$from_dst}
    (cd "$R/data" && env -i PATH="$R/usr/local/bin:/usr/bin:/bin" LANG=C.UTF-8 HOME=/data \
        HARVEST_JAVA_OPTS="$smoke" "${as_user[@]}" harvest --version) >"$WORK/out" 2>"$WORK/err"; rc=$?
    who=${as_user:+UID $uid}
    if [ "$rc" = 0 ] && grep -q '^harvest ' "$WORK/out" && [ ! -s "$WORK/err" ]; then
        pass "run stage simulated: 'harvest --version' as ${who:-$(id -un)} via the symlink, read-only image, the Dockerfile's AOTMode=on smoke test: $(head -1 "$WORK/out")"
    else
        fail "run stage simulated" "exit $rc" "stdout: $(head -c 300 "$WORK/out")" "stderr: $(head -c 300 "$WORK/err")"
    fi

    # 9 - readOnlyRootFilesystem: nothing but the working folder writable (/tmp read-only too)
    if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
        # The simulated root is bind-mounted read-only on /mnt, then /tmp becomes a read-only tmpfs.
        # shellcheck disable=SC2016 # expanded by the inner sh
        unshare -m sh -c 'mount --bind "$1" /mnt && mount -o remount,bind,ro /mnt \
                && mount -t tmpfs -o ro none /tmp && shift && cd /mnt/data && exec "$@"' \
            sh "$R" env -i PATH="/mnt/usr/local/bin:/usr/bin:/bin" HOME=/data "${as_user[@]}" \
            harvest --version >"$WORK/out" 2>"$WORK/err"; rc=$?
        if [ "$rc" = 0 ] && [ ! -s "$WORK/err" ]; then
            pass "runs with everything read-only, /tmp included (Kubernetes readOnlyRootFilesystem: true, no emptyDir)"
        else
            fail "runs with a read-only /tmp and image" "exit $rc" "stderr: $(head -c 300 "$WORK/err")"
        fi
    else
        skip "read-only /tmp (needs root and unshare -m)"
    fi
else
    fail "run stage simulated" "no image to copy"
fi

# 10 - shared libraries: everything the image's ELF files need is in the image or in the packages
#      debian:bookworm-slim always has (libc6, zlib1g, libgcc-s1, libstdc++6).
if command -v readelf >/dev/null 2>&1 && [ -d "$IMAGE" ]; then
    base_libs=" libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 ld-linux-x86-64.so.2 libz.so.1 libgcc_s.so.1 libstdc++.so.6 "
    image_libs=" $(find "$IMAGE" -name '*.so' -printf '%f ') "
    unknown=()
    while IFS= read -r f; do
        while IFS= read -r lib; do
            [[ $base_libs == *" $lib "* || $image_libs == *" $lib "* ]] || unknown+=("${f#"$IMAGE"/}: $lib")
        done < <(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    done < <(find "$IMAGE" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) -exec sh -c 'head -c 4 "$1" | grep -q ELF' sh {} \; -print)
    if [ "${#unknown[@]}" = 0 ]; then
        pass "shared libraries: only glibc/zlib/libgcc/libstdc++ and the image's own (no X11/ALSA)"
    else
        fail "shared libraries available on debian:bookworm-slim" "${unknown[@]}"
    fi
else
    skip "shared libraries (needs readelf from binutils, and a built image)"
fi

# 11 - the launcher is POSIX sh (the slim base's /bin/sh is dash)
if command -v dash >/dev/null 2>&1; then
    if dash -n "$JLINK_DIR/launcher/harvest"; then pass "launcher parses with dash (/bin/sh on Debian)"; else fail "launcher parses with dash"; fi
else
    skip "launcher parses with dash (dash not installed)"
fi

echo "dockerfile: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
