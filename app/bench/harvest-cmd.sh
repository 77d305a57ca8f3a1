# Sourced by the bench scripts (fault-mix.sh, knee.sh): finds the harvest to test and a JDK 25.
# Needs $repo (the checkout) and a die() function. Sets HARVEST_CMD (an array) and server_java:
# HARVEST_BIN, else the jlinked image, else the jar with HARVEST_JAVA/JAVA_HOME/a JDK 25 found in
# /usr/lib/jvm; SERVER_JAVA, else that JDK 25, for the test servers' source launcher.
find_jdk25() {
    local cand
    for cand in ${HARVEST_JAVA:+"$HARVEST_JAVA"} ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*25*/bin/java "$(command -v java || true)"; do
        [[ -x $cand ]] || continue
        if [[ $("$cand" -version 2>&1) == *'version "25'* ]]; then echo "$cand"; return 0; fi
    done
    return 1
}
HARVEST_CMD=()
bin=${HARVEST_BIN:-$repo/jlink/target/image/bin/harvest}
if [[ -x $bin ]]; then
    HARVEST_CMD=("$bin")
else
    [[ -n ${HARVEST_BIN:-} ]] && die "HARVEST_BIN=$HARVEST_BIN is not executable"
    jar=$repo/app/target/harvest-0.1.0.jar
    [[ -f $jar ]] || die "no harvest to test: build the image (jlink/build.sh) or the jar (mvn package), or set HARVEST_BIN"
    java=$(find_jdk25) || die "the jar needs a JDK 25 java: set HARVEST_JAVA"
    # shellcheck disable=SC2206 # HARVEST_JAVA_OPTS is split on spaces, as the launcher does
    HARVEST_CMD=("$java" --enable-preview -Xlog:disable -Xlog:all=warning:stderr ${HARVEST_JAVA_OPTS:-}
                 -cp "$jar:$repo/app/target/lib/*" dev.harvest.cli.Main)
fi
server_java=${SERVER_JAVA:-$(find_jdk25)} || die "the server needs a JDK 21+ java: set SERVER_JAVA"
