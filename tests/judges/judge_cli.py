"""The command line the message judges share (dsn_judge.py, mdn_judge.py):
FILE.eml or DIR (its *.eml) arguments, each judged by `judge(octets)` ->
list of problems, printed as "FILE: problem"; exit 0 when none, 1 when
some, 2 on a usage or read error."""
import os


def run(argv, judge, doc):
    if not argv:
        print(doc.split("\n\n")[1])
        return 2
    files = []
    for a in argv:
        if os.path.isdir(a):
            files += sorted(os.path.join(a, n) for n in os.listdir(a) if n.endswith(".eml"))
        else:
            files.append(a)
    bad = 0
    for f in files:
        try:
            with open(f, "rb") as fh:
                data = fh.read()
        except OSError as e:
            print("%s: cannot read: %s" % (f, e))
            return 2
        problems = judge(data)
        for q in problems:
            print("%s: %s" % (f, q))
        bad += bool(problems)
    return 1 if bad else 0
