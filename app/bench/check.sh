#!/usr/bin/env bash
# Check one benchmark output against its input IDs: every ID's 3 detail records exactly once.
#
#   usage: check.sh IDS_FILE OUTPUT_FILE csv|json [RECORDS_PER_ID]
#
#   csv   harvest --format csv (and the python peer): a header line, then rows
#         customer,id,relevanceScore,relevanceRank; the record id must be <customer>-<k>.
#   json  one JSON document per line (curl's raw bodies, or harvest's jsonl lines): every
#         "id":"<customer>-<k>" inside a line whose "customer" is <customer> counts as one record.
#
# Prints one line: "ok ids=N records=M" or "FAIL ids=N records=M missing=.. dup=.. extra=.. bad=..",
# and exits 0 only when every expected record appears exactly once and nothing else does.
# Needs only awk, sort and comm (LC_ALL=C sort of 3 lines per ID; 2M IDs take a few seconds).
set -euo pipefail
ids=${1:?usage: check.sh IDS_FILE OUTPUT_FILE csv|json [RECORDS_PER_ID]}
out=${2:?usage: check.sh IDS_FILE OUTPUT_FILE csv|json [RECORDS_PER_ID]}
fmt=${3:?usage: check.sh IDS_FILE OUTPUT_FILE csv|json [RECORDS_PER_ID]}
k=${4:-3}
export LC_ALL=C
tmp=$(mktemp -d "${TMPDIR:-/tmp}/harvest-bench-check.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
sortopts=(-S 20% -T "$tmp")

[[ -f $out ]] || { echo "FAIL no output file $out"; exit 1; }

# expected record ids, sorted (cached next to the ID file: it does not change between runs)
exp=$ids.expected-$k
if [[ ! -s $exp || $exp -ot $ids ]]; then
    tail -n +2 -- "$ids" | awk -v k="$k" 'NF { for (i = 1; i <= k; i++) print $1 "-" i }' | sort "${sortopts[@]}" > "$exp.tmp"
    mv -- "$exp.tmp" "$exp"
fi
nids=$(( $(wc -l < "$ids") - 1 ))

case $fmt in
    csv)
        # header must be customer,id,... ; a record whose id is not <customer>-<n> is "bad"
        head -1 -- "$out" | grep -q '^"\{0,1\}customer"\{0,1\},"\{0,1\}id"\{0,1\}' || echo "warning: unexpected header: $(head -1 -- "$out")" >&2
        tail -n +2 -- "$out" | awk -F, '
            { gsub(/"/, ""); c = $1; r = $2
              if (index(r, c "-") == 1 && substr(r, length(c) + 2) ~ /^[0-9]+$/) print r; else print "BAD " NR }'
        ;;
    json)
        awk '
            NF == 0 { next }
            {
                if (!match($0, /"customer":"[^"]*"/) || $0 !~ /}[ \t\r]*$/) { print "BAD " NR; next }
                c = substr($0, RSTART + 12, RLENGTH - 13)
                line = $0; n = 0
                while (match(line, /"id":"[^"]*"/)) {
                    r = substr(line, RSTART + 6, RLENGTH - 7)
                    line = substr(line, RSTART + RLENGTH)
                    if (r == c) continue                      # harvest jsonl: the outer "id" is the ID itself
                    if (index(r, c "-") == 1 && substr(r, length(c) + 2) ~ /^[0-9]+$/) { print r; n++ }
                    else print "BAD " NR
                }
                if (n == 0) print "BAD " NR
            }' "$out"
        ;;
    *) echo "check.sh: unknown format $fmt" >&2; exit 2 ;;
esac | sort "${sortopts[@]}" > "$tmp/actual"

records=$(grep -vc '^BAD ' "$tmp/actual" || true)
if cmp -s -- "$exp" "$tmp/actual"; then
    echo "ok ids=$nids records=$records"
    exit 0
fi
bad=$(grep -c '^BAD ' "$tmp/actual" || true)
grep -v '^BAD ' "$tmp/actual" > "$tmp/recs" || true
uniq -d "$tmp/recs" > "$tmp/dups"
uniq "$tmp/recs" > "$tmp/uniq"
missing=$(comm -23 -- "$exp" "$tmp/uniq" | wc -l)
extra=$(comm -13 -- "$exp" "$tmp/uniq" | wc -l)
dup=$(wc -l < "$tmp/dups")
echo "FAIL ids=$nids records=$records missing=$missing dup=$dup extra=$extra bad=$bad"
comm -23 -- "$exp" "$tmp/uniq" | head -3 | sed 's/^/  missing: /' >&2
head -3 "$tmp/dups" | sed 's/^/  duplicate: /' >&2
exit 1
