#!/usr/bin/env python3
"""The "classic" peer: a Python multiprocessing pool of worker processes, standard library only.

usage: peer-python.py IDS_FILE URL_TEMPLATE OUT_FILE [PROCESSES=10]

Each worker fetches one ID at a time with urllib.request (a new connection per request, as a plain
requests.get() loop does), parses the JSON and returns the `details` rows; the parent writes them
as CSV rows customer,id,relevanceScore,relevanceRank (the same columns as harvest's CSV output).
Failed IDs go to OUT_FILE.failed. Exit 0 when every ID succeeded.
"""
import csv
import json
import sys
import urllib.parse
import urllib.request
from multiprocessing import Pool

TEMPLATE = None


def init(template):
    global TEMPLATE
    TEMPLATE = template


def fetch(cid):
    url = TEMPLATE.replace("{id}", urllib.parse.quote(cid, safe=""))
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            doc = json.load(r)
        return cid, [(cid, d["id"], d["relevanceScore"], d["relevanceRank"]) for d in doc["details"]], None
    except Exception as e:  # noqa: BLE001 - a benchmark peer records every failure and goes on
        return cid, None, "%s: %s" % (type(e).__name__, e)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    ids_file, template, out_file = argv[1], argv[2], argv[3]
    procs = int(argv[4]) if len(argv) > 4 else 10
    with open(ids_file) as f:
        next(f, None)
        ids = [line.strip() for line in f if line.strip()]
    failed = 0
    with open(out_file, "w", newline="") as out, open(out_file + ".failed", "w") as bad, \
            Pool(procs, initializer=init, initargs=(template,)) as pool:
        w = csv.writer(out)
        w.writerow(["customer", "id", "relevanceScore", "relevanceRank"])
        for cid, rows, err in pool.imap_unordered(fetch, ids, chunksize=16):
            if rows is None:
                failed += 1
                bad.write("%s\t%s\n" % (cid, err))
            else:
                w.writerows(rows)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
