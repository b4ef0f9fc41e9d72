"""What the message judges share (dsn_judge.py, mdn_judge.py): the octet and
defect checks every report gets, field unfolding and date checks, and the
command line (FILE.eml or DIR arguments, each judged by `judge(octets)` ->
list of problems, printed as "FILE: problem"; exit 0 when none, 1 when
some, 2 on a usage or read error)."""
import email.policy
import email.utils
import os
import re
from email.parser import BytesParser


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


def unfold(v):
    return re.sub(r"\r?\n[ \t]+", " ", str(v)).strip()


def valid_date(v):
    try:
        return email.utils.parsedate_to_datetime(unfold(v)) is not None
    except (TypeError, ValueError, IndexError):
        return False


def octet_problems(data):
    """What RFC 5322 §2.1.1 and the judges ask of any report's octets: ASCII, CRLF lines of
    at most 998 octets, and no defect Python's email package finds. (problems, message)"""
    p = []
    try:
        data.decode("ascii")
    except UnicodeDecodeError:
        p.append("octets outside ASCII")
    for i, line in enumerate(data.split(b"\r\n"), 1):
        if len(line) > 998:
            p.append("line %d has %d octets, over 998" % (i, len(line)))
        if b"\n" in line or b"\r" in line:
            p.append("line %d has a bare CR or LF" % i)
    msg = BytesParser(policy=email.policy.default).parsebytes(data)
    for part in msg.walk():
        for d in part.defects:
            p.append("email package defect: %s" % type(d).__name__)
    return p, msg
