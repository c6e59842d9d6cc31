#!/usr/bin/env python3
"""Per-rule finding counts of corpus snapshots (scripts/corpus-snapshot.sh).

Usage: scripts/corpus-rule-counts.py BEFORE_DIR [AFTER_DIR]
With two snapshots, prints before, after and the change for every rule
that fires in either, and the files whose findings of a rule changed can
then be compared with `diff BEFORE_DIR/NAME.json AFTER_DIR/NAME.json`.
"""
import collections
import json
import pathlib
import sys


def counts(d):
    c = collections.Counter()
    for f in sorted(pathlib.Path(d).glob("*.json")):
        try:
            data = json.loads(f.read_text() or "{}")
        except json.JSONDecodeError:
            continue
        for x in data.get("findings") or []:
            c[(x["rule"], x["severity"])] += 1
    return c


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    snaps = [counts(d) for d in argv[1:]]
    keys = sorted(set().union(*snaps))
    for rule, sev in keys:
        row = [snap.get((rule, sev), 0) for snap in snaps]
        if len(row) == 2:
            delta = row[1] - row[0]
            print(f"{rule}\t{sev}\t{row[0]}\t{row[1]}\t{delta:+d}" if delta else f"{rule}\t{sev}\t{row[0]}\t{row[1]}")
        else:
            print(f"{rule}\t{sev}\t{row[0]}")


main(sys.argv)
