#!/usr/bin/env python3
"""CPU seconds per thread group of one command: where a JVM's CPU goes (GC, JIT, carriers, ...).

    app/bench/thread-cpu.py [--json] -- COMMAND [ARGS...]

Runs COMMAND, reads /proc/<pid>/task/*/stat of it and its children every 50 ms, and when it exits
prints user and system CPU seconds per thread name with the numbers taken off (so "GC Thread#0" and
"GC Thread#1" are one group "GC Thread#"). Linux truncates thread names to 15 characters:
"ForkJoinPool-1-" are the virtual-thread carriers, "HttpClient-1-Se" the HTTP client's selector,
"ForkJoinPool.co" the common pool. A thread that ends between two reads loses its last 50 ms.
Used by hand next to app/bench/run.sh (whose CPU column is the whole process); never by the tests.
"""
import collections
import json
import os
import re
import subprocess
import sys
import time


def children(pid):
    try:
        with open(f'/proc/{pid}/task/{pid}/children') as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def main(argv):
    as_json = False
    if argv and argv[0] == '--json':
        as_json, argv = True, argv[1:]
    if argv and argv[0] == '--':
        argv = argv[1:]
    if not argv:
        sys.exit(__doc__)
    proc = subprocess.Popen(argv)
    last = {}
    while proc.poll() is None:
        for pid in tree(proc.pid):
            try:
                tasks = os.listdir(f'/proc/{pid}/task')
            except OSError:
                continue
            for t in tasks:
                try:
                    with open(f'/proc/{pid}/task/{t}/stat') as f:
                        s = f.read()
                except OSError:
                    continue
                name = s[s.index('(') + 1:s.rindex(')')]
                fields = s[s.rindex(')') + 2:].split()
                last[(pid, t)] = (name, int(fields[11]), int(fields[12]))
        time.sleep(0.05)
    tick = os.sysconf('SC_CLK_TCK')
    groups = collections.defaultdict(lambda: [0, 0])
    for name, user, system in last.values():
        key = re.sub(r'#?\d+$', '#', name)
        groups[key][0] += user
        groups[key][1] += system
    rows = sorted(groups.items(), key=lambda kv: -sum(kv[1]))
    total = sum(u + s for u, s in groups.values()) / tick
    if as_json:
        print(json.dumps({'exit': proc.returncode, 'total': total,
                          'threads': {k: {'user': u / tick, 'sys': s / tick} for k, (u, s) in rows}}))
    else:
        for k, (u, s) in rows:
            if u + s:
                print(f'{k:16s} user {u / tick:7.2f}  sys {s / tick:6.2f}', file=sys.stderr)
        print(f'{"total":16s} {total:.2f} CPU-s', file=sys.stderr)
    return proc.returncode


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
