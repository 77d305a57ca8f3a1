#!/usr/bin/env bash
# The curl peer: one `curl --parallel` process doing the same job as harvest.
#
#   peer-curl.sh config IDS_FILE URL_TEMPLATE > CONFIG   write curl's config: one `url = ...` per ID
#                                                         ({id} in URL_TEMPLATE is replaced by the ID)
#   peer-curl.sh run CONFIG CONCURRENCY OUT_FILE [CURL_ARGS...]
#                                                         fetch them all, every body appended to OUT_FILE
#                                                         (CURL_ARGS: e.g. --cacert CA.pem --http2)
#
# The harness times only `run` (the config is the peer's input, like harvest's ID file). Each body is
# one JSON line, so OUT_FILE holds one response per line. curl 7.x caps --parallel-max at 300: a
# larger CONCURRENCY runs at 300. --parallel-immediate opens new connections at once instead of
# waiting to reuse one; --fail drops non-2xx bodies (the output check then reports those IDs missing).
set -euo pipefail
case ${1:-} in
    config)
        ids=${2:?usage: peer-curl.sh config IDS_FILE URL_TEMPLATE} tpl=${3:?usage: peer-curl.sh config IDS_FILE URL_TEMPLATE}
        [[ $tpl == *'{id}'* ]] || { echo "peer-curl.sh: URL_TEMPLATE needs {id}" >&2; exit 2; }
        # IDs in the benchmark are [A-Za-z0-9] only, so no percent-encoding is needed here
        tail -n +2 -- "$ids" | awk -v pre="${tpl%%\{id\}*}" -v post="${tpl#*\{id\}}" \
            'NF { printf "url = \"%s%s%s\"\n", pre, $1, post }'
        ;;
    run)
        cfg=${2:?usage: peer-curl.sh run CONFIG CONCURRENCY OUT_FILE [CURL_ARGS...]} c=${3:?} out=${4:?}
        shift 4
        (( c <= 300 )) || c=300
        exec curl --parallel --parallel-max "$c" --parallel-immediate --no-progress-meter --fail \
            "$@" -K "$cfg" > "$out"
        ;;
    *) echo "usage: peer-curl.sh config IDS_FILE URL_TEMPLATE | peer-curl.sh run CONFIG CONCURRENCY OUT_FILE [CURL_ARGS...]" >&2; exit 2 ;;
esac
