#!/usr/bin/env bash
# Benchmark target server: Debian's nginx with the echo module, on a free loopback port.
#
#   server.sh start LATENCY_SECONDS [WORKERS] [PROTO CERT_DIR]
#                                               starts nginx (daemon), prints "PORT DIR"
#   server.sh stop DIR                          stops the nginx started in DIR and removes DIR
#   server.sh certs CERT_DIR                    makes a throw-away CA (ca.pem) and a server
#                                               certificate for 127.0.0.1 and localhost signed by it
#                                               (server.pem, server.key) with openssl
#
# PROTO is http (the default), https (TLS, HTTP/1.1 only: ALPN offers http/1.1) or https-h2 (TLS,
# HTTP/2 and HTTP/1.1 by ALPN: the client picks); the TLS ones use CERT_DIR's server.pem/server.key.
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
    local lat=${1:?usage: server.sh start LATENCY_SECONDS [WORKERS] [PROTO CERT_DIR]} workers=${2:-1}
    local proto=${3:-http} certs=${4:-} listen_opts="" tls_lines="" scheme=http curl_tls=()
    [[ $lat =~ ^[0-9]*\.?[0-9]+$ ]] || die "bad latency: $lat"
    [[ $workers =~ ^([0-9]+|auto)$ ]] || die "bad worker count: $workers"
    case $proto in
        http) ;;
        https|https-h2)
            [[ -s $certs/server.pem && -s $certs/server.key && -s $certs/ca.pem ]] || die "no certificates in '$certs' (server.sh certs DIR)"
            certs=$(cd -P -- "$certs" && pwd -P)
            # nginx 1.22 (bookworm) spells HTTP/2 as a listen parameter; 1.25.1+ also has `http2 on;`
            listen_opts=" ssl"; [[ $proto == https-h2 ]] && listen_opts=" ssl http2"
            tls_lines="ssl_certificate $certs/server.pem; ssl_certificate_key $certs/server.key; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:TLS:10m;"
            scheme=https; curl_tls=(--cacert "$certs/ca.pem") ;;
        *) die "bad protocol: $proto (http, https or https-h2)" ;;
    esac
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
            -e "s|@USER@|$user_line|g" -e "s|@ECHO@|$echo_so|g" \
            -e "s|@LISTEN_OPTS@|$listen_opts|g" -e "s|@TLS@|$tls_lines|g" "$here/nginx.conf.in" > "$dir/nginx.conf"
        rm -f "$dir/nginx.pid"
        if nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>>"$dir/start.log"; then
            for _ in $(seq 1 100); do
                if [[ -s $dir/nginx.pid ]] && curl -fs -o /dev/null --max-time 1 "${curl_tls[@]}" "$scheme://127.0.0.1:$port/health"; then
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

# A CA and a server certificate signed by it (P-256 keys: the usual choice, and cheap handshakes).
# The CA's key is thrown away: nothing else can ever be signed by it.
certs() {
    local dir=${1:?usage: server.sh certs CERT_DIR}
    command -v openssl >/dev/null || die "openssl is not installed (apt-get install openssl)"
    mkdir -p "$dir"
    (
        cd "$dir"
        openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
            -days 2 -subj "/CN=harvest bench CA" -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign"
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
            -subj "/CN=127.0.0.1"
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 \
            -extfile server.ext -out server.pem
        rm -f ca.key ca.srl server.csr server.ext
        chmod 644 ca.pem server.pem server.key  # nginx's workers read the key
    ) >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; die "openssl could not make the certificates"; }
}

case ${1:-} in
    certs) shift; certs "$@" ;;
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: server.sh start LATENCY_SECONDS [WORKERS] [PROTO CERT_DIR] | server.sh stop DIR | server.sh certs CERT_DIR" >&2; exit 2 ;;
esac
