#!/usr/bin/env python3
"""reports_judges.py: every DSN the X.400 report -> DSN mapping (RFC 2156
§5.3.8) writes for the report vectors, through the independent judges.
Python 3 standard library only.

Usage:
    reports_judges.py --mixer BIN -c CONFIG --vectors DIR --out DIR [--min N]

Runs `mixer conformance -c CONFIG --output OUT VECTORS` (a vector added
under VECTORS is judged with nothing else to change), then every output.eml
through mime_judge.py (Python's email package, no defect, header fields
parse, lines, encoded words) and dsn_judge.py (the multipart/report
structure and the message/delivery-status fields one by one). Every vector
that converted must have left its output.eml. Fails when fewer than --min
DSNs were judged. Prints "FILE: problem" lines and "N passed, N failed".
"""

import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mapping_judges  # noqa: E402  (run_conformance, judge_eml, files_under)


def judge_dsn(files):
    problems = {f: [] for f in files}
    if not files:
        return problems
    r = subprocess.run([sys.executable, os.path.join(HERE, "dsn_judge.py")] + files, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        for f in files:
            problems[f].append("dsn_judge.py could not run: " + (r.stderr.strip() or str(r.returncode)))
        return problems
    for line in r.stdout.splitlines():
        for f in files:
            if line.startswith(f + ": "):
                problems[f].append("dsn_judge: " + line[len(f) + 2:])
                break
    if r.returncode == 1 and not any(problems.values()):
        for f in files:
            problems[f].append("dsn_judge.py failed without naming a file: " + r.stdout.strip())
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mixer", required=True)
    ap.add_argument("-c", "--config", required=True)
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min", type=int, default=1)
    args = ap.parse_args(argv)
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    general = mapping_judges.run_conformance(args)
    emls = mapping_judges.files_under(args.out, ".eml")
    if len(emls) < args.min:
        general.append("%d DSNs judged, fewer than %d" % (len(emls), args.min))
    problems = mapping_judges.judge_eml(emls)
    for f, more in judge_dsn(emls).items():
        problems[f] += more
    failed = 0
    for f in sorted(problems):
        for q in problems[f]:
            print("%s: %s" % (f, q))
        failed += bool(problems[f])
    for q in general:
        print(q)
    print("judged %d DSNs" % len(emls))
    print("%d passed, %d failed" % (len(problems) - failed, failed + len(general)))
    return 0 if failed == 0 and not general else 1


if __name__ == "__main__":
    sys.exit(main())
