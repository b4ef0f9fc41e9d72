#!/usr/bin/env python3
"""mapping_judges.py: every output of the RFC 2156 mapping engine through
the independent judges. Python 3 standard library only.

Usage:
    mapping_judges.py --mixer BIN --x400-judge BIN --vectors DIR -c CONFIG --out DIR
    mapping_judges.py --mixer BIN --x400-judge BIN --outputs DIR [--min-eml N] [--min-ber N]

The first form runs `mixer conformance -c CONFIG --output OUT VECTORS` (so a
vector added under VECTORS is judged without anything else to change) and
then judges what it wrote; the second judges a folder of outputs that
another test wrote (unit.mapping_roundtrip). In both, recursively:

  - every *.eml (RFC 5322 output) through mime_judge.py: no defect of
    Python's email package (policy.default), every header field parses, no
    line over 998 octets, no bare CR or LF, every encoded word valid;
  - every *.ber (MTS-APDU output) through `mixer decode --json`, which
    enforces the X.411 / X.420 upper bounds and fails on anything out of
    bounds, with its IPM content decoded too (a "content-error" fails), and
    through x400_judge (tshark's p1 and p22 dissectors: no Malformed, no
    expert Error or Warning item);
  - with --vectors, every vector that converted must have left its output
    (output.eml, or output.ber), so a vector cannot escape the judges.

--known FILE lists defects of the engine that are reported and not fixed
yet: one "SUBSTRING<TAB>WHY" line each (# comments). A problem line holding
a SUBSTRING is printed as known and does not fail the run; every entry
must still be seen in some run that uses the file (an entry nothing
matches is printed, so a fixed defect's entry is removed).

A run that judges no RFC 5322 output or no X.400 output fails (--min-eml,
--min-ber: the least count expected). Prints "FILE: problem" lines and
"N passed, N failed" (files); exits 0 only when every file passed.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def files_under(root, suffix):
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith(suffix):
                out.append(os.path.join(d, n))
    return sorted(out)


def judge_eml(files):
    """{file: [problems]} from mime_judge.py, run once over all the files."""
    problems = {f: [] for f in files}
    if not files:
        return problems
    r = subprocess.run([sys.executable, os.path.join(HERE, "mime_judge.py")] + files,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        for f in files:
            problems[f].append("mime_judge.py could not run: " + (r.stderr.strip() or str(r.returncode)))
        return problems
    for line in r.stdout.splitlines():
        for f in files:
            if line.startswith(f + ": "):
                problems[f].append("mime_judge: " + line[len(f) + 2:])
                break
    if r.returncode == 1 and not any(problems.values()):
        for f in files:
            problems[f].append("mime_judge.py failed without naming a file: " + r.stdout.strip())
    return problems


def judge_ber(files, mixer, x400_judge):
    problems = {f: [] for f in files}
    for f in files:
        r = subprocess.run([mixer, "decode", "--json", f], capture_output=True, text=True)
        if r.returncode != 0:
            problems[f].append("mixer decode: " + (r.stderr.strip() or "exit %d" % r.returncode))
            continue
        try:
            tree = json.loads(r.stdout)
        except ValueError as e:
            problems[f].append("mixer decode --json wrote no JSON: %s" % e)
            continue
        if tree.get("type") != "mts-apdu":
            problems[f].append("mixer decode: not an MTS-APDU but %r" % tree.get("type"))
        if "content-error" in tree:
            problems[f].append("mixer decode: the IPM content: %s" % tree["content-error"])
    if files:
        r = subprocess.run([x400_judge] + files, capture_output=True, text=True)
        if r.returncode not in (0, 1):
            for f in files:
                problems[f].append("x400_judge could not run: " + (r.stderr.strip() or str(r.returncode)))
        else:
            for line in r.stdout.splitlines():
                for f in files:
                    if line.startswith(f + ": "):
                        problems[f].append("x400_judge: " + line[len(f) + 2:])
                        break
            if r.returncode == 1 and not any(problems[f] for f in files):
                for f in files:
                    problems[f].append("x400_judge failed without naming a file: " + r.stdout.strip())
    return problems


def run_conformance(args):
    """Runs the vectors; returns the problems of vectors that converted but left no output."""
    r = subprocess.run([args.mixer, "conformance", "-c", args.config, "--output", args.out, args.vectors],
                       capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    problems = []
    if r.returncode == 2 or "passed" not in r.stdout:
        problems.append("mixer conformance could not run: " + r.stderr.strip())
        return problems
    for line in r.stdout.splitlines():
        # A vector that passed and expects no refusal must have left an output to judge.
        if not line.startswith("PASS "):
            continue
        name = line[5:]
        vdir = os.path.join(args.vectors, name)
        if os.path.exists(os.path.join(vdir, "expected.refusal")):
            continue
        odir = os.path.join(args.out, name)
        want = "output.eml" if os.path.exists(os.path.join(vdir, "input.json")) else "output.ber"
        if not os.path.exists(os.path.join(odir, want)):
            problems.append("%s: converted, but left no %s to judge" % (name, want))
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mixer", required=True)
    ap.add_argument("--x400-judge", required=True)
    ap.add_argument("--vectors")
    ap.add_argument("-c", "--config")
    ap.add_argument("--out")
    ap.add_argument("--outputs")
    ap.add_argument("--min-eml", type=int, default=1)
    ap.add_argument("--min-ber", type=int, default=1)
    ap.add_argument("--known", help="known defects: SUBSTRING<TAB>WHY lines")
    args = ap.parse_args(argv)
    general = []
    if args.vectors:
        if not (args.config and args.out):
            ap.error("--vectors needs -c and --out")
        if os.path.isdir(args.out):
            import shutil
            shutil.rmtree(args.out)
        general = run_conformance(args)
        root = args.out
    elif args.outputs:
        root = args.outputs
        if not os.path.isdir(root):
            print("%s: no such folder (did the test that writes it run?)" % root)
            return 1
    else:
        ap.error("--vectors or --outputs")
    emls = files_under(root, ".eml")
    bers = files_under(root, ".ber")
    if len(emls) < args.min_eml:
        general.append("%d RFC 5322 outputs judged, fewer than %d" % (len(emls), args.min_eml))
    if len(bers) < args.min_ber:
        general.append("%d X.400 outputs judged, fewer than %d" % (len(bers), args.min_ber))
    problems = judge_eml(emls)
    problems.update(judge_ber(bers, args.mixer, args.x400_judge))
    known = []
    if args.known:
        with open(args.known) as kf:
            for line in kf:
                if line.strip() and not line.startswith("#"):
                    sub, _, why = line.rstrip("\n").partition("\t")
                    known.append([sub, why, 0])
    failed = 0
    for f in sorted(problems):
        left = []
        for p in problems[f]:
            k = next((k for k in known if k[0] in p), None)
            if k:
                k[2] += 1
            else:
                left.append(p)
            print("%s%s: %s" % ("known defect: " if k else "", f, p))
        failed += bool(left)
    for sub, why, seen in known:
        print("known defect seen %d times: %s (%s)" % (seen, sub, why))
    for p in general:
        print(p)
    print("judged %d RFC 5322 and %d X.400 outputs" % (len(emls), len(bers)))
    print("%d passed, %d failed" % (len(problems) - failed, failed + len(general)))
    return 0 if failed == 0 and not general else 1


if __name__ == "__main__":
    sys.exit(main())
