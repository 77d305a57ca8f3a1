#!/usr/bin/env bash
# Benchmark target server: Debian's nginx with the echo module, on a free loopback port.
#
#   server.sh start LATENCY_SECONDS [WORKERS]   starts nginx (daemon), prints "PORT DIR"
#   server.sh stop DIR                          stops the nginx started in DIR and removes DIR
#
# Every /customers/{id} request waits LATENCY_SECONDS (echo_sleep; 0 means no wait at all) and
# then gets a ~640-byte JSON body with 3 detail records. /status is nginx's stub_status, /health
# answers "ok". The port is picked at random below the ephemeral port range, so it cannot collide
# with the client's own connections, and nginx listens on 127.0.0.1 only.
set -euo pipefail
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)

die() { echo "server.sh: $*" >&2; exit 1; }

echo_module() {
    local m
    for m in /usr/lib/nginx/modules/ngx_http_echo_module.so /usr/lib64/nginx/modules/ngx_http_echo_module.so \
             /usr/share/nginx/modules/ngx_http_echo_module.so; do
        [[ -f $m ]] && { echo "$m"; return 0; }
    done
    return 1
}

start() {
    local lat=${1:?usage: server.sh start LATENCY_SECONDS [WORKERS]} workers=${2:-1}
    [[ $lat =~ ^[0-9]*\.?[0-9]+$ ]] || die "bad latency: $lat"
    [[ $workers =~ ^([0-9]+|auto)$ ]] || die "bad worker count: $workers"
    command -v nginx >/dev/null || die "nginx is not installed (apt-get install nginx-light libnginx-mod-http-echo)"
    local echo_so; echo_so=$(echo_module) || die "the nginx echo module is not installed (apt-get install libnginx-mod-http-echo)"

    local dir sleep_line="" user_line=""
    dir=$(mktemp -d "${TMPDIR:-/tmp}/harvest-bench-nginx.XXXXXX")
    chmod 755 "$dir"
    mkdir -p "$dir/tmp"
    awk -v l="$lat" 'BEGIN { exit !(l + 0 > 0) }' && sleep_line="echo_sleep $lat;"
    [[ $(id -u) == 0 ]] && user_line="user root;"

    # nginx keeps one descriptor per connection: let it have many (the client may run 1000+ at once).
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

    local low port
    read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
    (( low > 11000 )) || low=32768
    for _ in $(seq 1 30); do
        port=$(( 10000 + RANDOM % (low - 11000) ))
        # something already listening there?
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
        sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@WORKERS@|$workers|g" -e "s|@SLEEP@|$sleep_line|g" \
            -e "s|@USER@|$user_line|g" -e "s|@ECHO@|$echo_so|g" "$here/nginx.conf.in" > "$dir/nginx.conf"
        rm -f "$dir/nginx.pid"
        if nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>>"$dir/start.log"; then
            for _ in $(seq 1 100); do
                if [[ -s $dir/nginx.pid ]] && curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health"; then
                    echo "$port $dir"
                    return 0
                fi
                sleep 0.05
            done
            stop "$dir"
            die "nginx started but does not answer on port $port (see $dir/error.log)"
        fi
        # bind failed (port taken between the check and the start): try another port
        grep -q 'Address already in use' "$dir/start.log" "$dir/error.log" 2>/dev/null || {
            cat "$dir/start.log" >&2; rm -rf -- "$dir"; die "nginx did not start"; }
    done
    rm -rf -- "$dir"
    die "no free port found"
}

stop() {
    local dir=${1:?usage: server.sh stop DIR} pid=""
    [[ -d $dir && $dir == */harvest-bench-nginx.* ]] || die "not a server directory: $dir"
    [[ -s $dir/nginx.pid ]] && pid=$(cat "$dir/nginx.pid")
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    rm -rf -- "$dir"
}

case ${1:-} in
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: server.sh start LATENCY_SECONDS [WORKERS] | server.sh stop DIR" >&2; exit 2 ;;
esac
