#!/usr/bin/env bash
# Write an ID input file for the benchmark: a header line `customer_id`, then N IDs C0000001, C0000002, ...
# (a plain list has no header by default: harvest runs on it with --input-header true)
#   usage: gen-ids.sh N FILE
set -euo pipefail
n=${1:?usage: gen-ids.sh N FILE}
file=${2:?usage: gen-ids.sh N FILE}
[[ $n =~ ^[0-9]+$ ]] || { echo "gen-ids.sh: bad N: $n" >&2; exit 2; }
{ echo customer_id; awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "C%07d\n", i }'; } > "$file.tmp"
mv -- "$file.tmp" "$file"
