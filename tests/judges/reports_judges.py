#!/usr/bin/env python3
"""reports_judges.py: every DSN the X.400 report -> DSN mapping (RFC 2156
§5.3.8) and every MDN the IPN -> MDN mapping (RFC 8098) writes for the
report vectors, through the independent judges; with --x400-judge, every
X.400 output (reports, IPNs) too. Python 3 standard library only.

Usage:
    reports_judges.py --mixer BIN -c CONFIG --vectors DIR --out DIR [--min N] [--x400-judge BIN]

Runs `mixer conformance -c CONFIG --output OUT VECTORS` (a vector added
under VECTORS is judged with nothing else to change), then every output.eml
through mime_judge.py (Python's email package, no defect, header fields
parse, lines, encoded words) and dsn_judge.py (the multipart/report
structure and the message/delivery-status fields one by one). Every vector
that converted must have left its output.eml. Fails when fewer than --min
DSNs were judged. An output.eml whose Content-Type says
report-type=disposition-notification goes to mdn_judge.py (the RFC 8098
fields one by one) instead of dsn_judge.py; one that is no report at all
(the §5.3.5 text form, an MDN that did not read) to mime_judge.py only.
Every output.ber goes through `mixer decode --json` and x400_judge
(tshark's p1 and p22 dissectors), as mapping_judges.py does. Prints "FILE:
problem" lines and "N passed, N failed".
"""

import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mapping_judges  # noqa: E402  (run_conformance, judge_eml, files_under)


def judge_with(script, files, options=()):
    problems = {f: [] for f in files}
    if not files:
        return problems
    name = os.path.basename(script)
    r = subprocess.run([sys.executable, os.path.join(HERE, script)] + list(options) + files, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        for f in files:
            problems[f].append(name + " could not run: " + (r.stderr.strip() or str(r.returncode)))
        return problems
    for line in r.stdout.splitlines():
        for f in files:
            if line.startswith(f + ": "):
                problems[f].append(name[:-3] + ": " + line[len(f) + 2:])
                break
    if r.returncode == 1 and not any(problems.values()):
        for f in files:
            problems[f].append(name + " failed without naming a file: " + r.stdout.strip())
    return problems


def judge_dsn(files):
    # The DSNs of 5.1.8.5-* vectors are restored from the report's dsn lists (RFC 2156 §5.1.8.5).
    unwrapped = [f for f in files if os.path.basename(os.path.dirname(f)).startswith("5.1.8.5-")]
    problems = judge_with("dsn_judge.py", [f for f in files if f not in unwrapped])
    problems.update(judge_with("dsn_judge.py", unwrapped, ["--unwrapped"]))
    return problems


def report_type(path):
    """The report-type of a message's top-level Content-Type, or None."""
    import email
    import email.policy
    with open(path, "rb") as fh:
        msg = email.message_from_binary_file(fh, policy=email.policy.default)
    if msg.get_content_type() != "multipart/report":
        return None
    return (msg.get_param("report-type") or "").lower()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mixer", required=True)
    ap.add_argument("-c", "--config", required=True)
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min", type=int, default=1)
    ap.add_argument("--x400-judge", help="x400_judge: judge every output.ber too")
    ap.add_argument("--min-mdn", type=int, default=0, help="the least count of MDNs judged")
    ap.add_argument("--known", help="known defects: SUBSTRING<TAB>WHY lines (as mapping_judges.py)")
    args = ap.parse_args(argv)
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    general = mapping_judges.run_conformance(args)
    emls = mapping_judges.files_under(args.out, ".eml")
    kinds = {f: report_type(f) for f in emls}
    dsns = [f for f in emls if kinds[f] == "delivery-status"]
    mdns = [f for f in emls if kinds[f] == "disposition-notification"]
    if len(dsns) < args.min:
        general.append("%d DSNs judged, fewer than %d" % (len(dsns), args.min))
    if len(mdns) < args.min_mdn:
        general.append("%d MDNs judged, fewer than %d" % (len(mdns), args.min_mdn))
    problems = mapping_judges.judge_eml(emls)
    for f, more in judge_dsn(dsns).items():
        problems[f] += more
    for f, more in judge_with("mdn_judge.py", mdns).items():
        problems[f] += more
    bers = mapping_judges.files_under(args.out, ".ber") if args.x400_judge else []
    if args.x400_judge:
        problems.update(mapping_judges.judge_ber(bers, args.mixer, args.x400_judge))
    known = []
    if args.known:
        with open(args.known) as kf:
            known = [line.rstrip("\n").partition("\t")[0] for line in kf if line.strip() and not line.startswith("#")]
    failed = 0
    for f in sorted(problems):
        left = 0
        for q in problems[f]:
            k = any(sub in q for sub in known)
            left += not k
            print("%s%s: %s" % ("known defect: " if k else "", f, q))
        failed += bool(left)
    for q in general:
        print(q)
    print("judged %d DSNs, %d MDNs, %d other messages and %d X.400 outputs"
          % (len(dsns), len(mdns), len(emls) - len(dsns) - len(mdns), len(bers)))
    print("%d passed, %d failed" % (len(problems) - failed, failed + len(general)))
    return 0 if failed == 0 and not general else 1


if __name__ == "__main__":
    sys.exit(main())
