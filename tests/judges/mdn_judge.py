#!/usr/bin/env python3
"""mdn_judge.py: an independent judge of message disposition notifications
(RFC 8098 / RFC 3798, RFC 6522) as the gateway writes them from X.420 IP
notifications (RFC 2156 §5.3.5, RFC 3798 §8.1). Python 3 standard library
only; the structure is read by Python's email package, the fields checked
here one by one.

Usage:
    mdn_judge.py MESSAGE_OR_DIR...

Each MESSAGE is a file holding one MDN (a DIR stands for its *.eml files).
Prints one line per problem, "FILE: problem", and exits 0 only if every
message passed (1: problems found, 2: usage error or unreadable file).

A message fails unless:
  - it is ASCII only, its lines at most 998 octets with no bare CR or LF,
    and Python's email package (policy.default) registers no defect on it
    or any part;
  - its header has one From, To, Date and Subject, no
    Disposition-Notification-To (RFC 3798 §3: an MDN never asks for one),
    and a Subject that agrees with the disposition (RFC 2156 §5.3.5:
    "X.400 Inter-Personal Notification" for displayed, "... (failure)"
    otherwise);
  - it is multipart/report; report-type=disposition-notification whose
    first part is text/plain, second message/disposition-notification and
    third (if any) message/rfc822 or text/rfc822-headers, nothing more;
  - the report has one Final-Recipient "type; address", one Disposition of
    RFC 8098 §3.2.6's syntax (comments allowed), at most one Reporting-UA,
    MDN-Gateway ("type; name"), Original-Recipient ("type; address") and
    Original-Message-ID (a msg-id), and an MDN-Gateway (RFC 3798 §8.1: a
    gatewayed MDN MUST name its gateway);
  - the X400-* fields agree with the disposition: X400-Receipt-Time (a
    valid date) and X400-Acknowledgment-Mode ("manual (0)" / "automatic
    (1)", agreeing with the sending-mode) for displayed only;
    X400-Non-Receipt-Reason "ipm-discarded (0)" for deleted and
    "ipm-auto-forwarded (1)" for dispatched; X400-Discard-Reason one of
    X.420's four, for deleted only.
"""

import email
import email.policy
import re
import sys

import judge_cli

TYPED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*\s*;\s*\S")
MSG_ID = re.compile(r"^<[^<>@\s]+@[^<>@\s]+>$")
DISPOSITION = re.compile(r"^(manual-action|automatic-action)\s*/\s*(MDN-sent-manually|MDN-sent-automatically)\s*;"
                         r"\s*(displayed|deleted|dispatched|processed)"
                         r"(\s*/\s*[^\s()<>\[\]:;@\\,.\"/]+(\s*,\s*[^\s()<>\[\]:;@\\,.\"/]+)*)?$", re.I)
ONCE = ["Reporting-UA", "MDN-Gateway", "Original-Recipient", "Final-Recipient", "Original-Message-ID", "Disposition"]
DISCARD = {"ipm-expired (0)", "ipm-obsoleted (1)", "user-subscription-terminated (2)", "ipm-deleted (3)"}


unfold = judge_cli.unfold


def uncomment(v):
    out, depth, i = "", 0, 0
    while i < len(v):
        c = v[i]
        if depth and c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            out += c
        i += 1
    return out.strip()


valid_date = judge_cli.valid_date


def judge(data):
    """The problems of one MDN's octets."""
    p, msg = judge_cli.octet_problems(data)
    for f in ("From", "To", "Date", "Subject"):
        if len(msg.get_all(f) or []) != 1:
            p.append("%s: %d in the header, not 1" % (f, len(msg.get_all(f) or [])))
    if msg["Disposition-Notification-To"] is not None:
        p.append("an MDN with Disposition-Notification-To (RFC 3798 §3 forbids it)")
    if msg["Date"] is not None and not valid_date(msg["Date"]):
        p.append("Date does not parse")
    if msg.get_content_type() != "multipart/report":
        p.append("Content-Type %s, not multipart/report" % msg.get_content_type())
        return p
    if msg.get_param("report-type") != "disposition-notification":
        p.append("report-type %r, not disposition-notification" % msg.get_param("report-type"))
    parts = msg.get_payload()
    if not isinstance(parts, list) or len(parts) not in (2, 3):
        p.append("%s parts, not 2 or 3" % (len(parts) if isinstance(parts, list) else "no"))
        return p
    if parts[0].get_content_type() != "text/plain":
        p.append("first part %s, not text/plain" % parts[0].get_content_type())
    if parts[1].get_content_type() != "message/disposition-notification":
        p.append("second part %s, not message/disposition-notification" % parts[1].get_content_type())
        return p
    if len(parts) == 3 and parts[2].get_content_type() not in ("message/rfc822", "text/rfc822-headers"):
        p.append("third part %s, not the original message or its headers" % parts[2].get_content_type())
    inner = parts[1].get_payload()
    if isinstance(inner, list):
        if len(inner) != 1:
            p.append("the disposition-notification part holds %d groups of fields, not 1" % len(inner))
            return p
        fields = inner[0]
    else:
        fields = email.message_from_string(str(inner), policy=email.policy.default)
    for f in ONCE:
        if len(fields.get_all(f) or []) > 1:
            p.append("%s given %d times" % (f, len(fields.get_all(f))))
    fr = fields["Final-Recipient"]
    if fr is None or not TYPED.match(unfold(fr)):
        p.append("Final-Recipient %r is not 'type; address'" % (fr and unfold(fr)))
    for f in ("Original-Recipient", "MDN-Gateway"):
        if fields[f] is not None and not TYPED.match(unfold(fields[f])):
            p.append("%s %r is not 'type; value'" % (f, unfold(fields[f])))
    if fields["MDN-Gateway"] is None:
        p.append("no MDN-Gateway (RFC 3798 §8.1: a gatewayed MDN MUST name its gateway)")
    if fields["Original-Message-ID"] is not None and not MSG_ID.match(unfold(fields["Original-Message-ID"])):
        p.append("Original-Message-ID %r is not a msg-id" % unfold(fields["Original-Message-ID"]))
    d = fields["Disposition"]
    m = DISPOSITION.match(uncomment(unfold(d))) if d is not None else None
    if not m:
        p.append("Disposition %r is not RFC 8098 §3.2.6's syntax" % (d and unfold(d)))
        return p
    sending, kind = m.group(2).lower(), m.group(3).lower()
    rt, ack = fields["X400-Receipt-Time"], fields["X400-Acknowledgment-Mode"]
    nrr, dr = fields["X400-Non-Receipt-Reason"], fields["X400-Discard-Reason"]
    if kind == "displayed":
        if rt is None or not valid_date(rt):
            p.append("displayed without an X400-Receipt-Time that parses")
        want = "automatic (1)" if sending == "mdn-sent-automatically" else "manual (0)"
        if ack is None or unfold(ack) != want:
            p.append("X400-Acknowledgment-Mode %r, the sending-mode says %r" % (ack and unfold(ack), want))
        if nrr is not None or dr is not None:
            p.append("displayed with non-receipt fields")
    else:
        if rt is not None or ack is not None:
            p.append("%s with receipt fields" % kind)
        want = {"deleted": "ipm-discarded (0)", "dispatched": "ipm-auto-forwarded (1)"}.get(kind)
        if want and (nrr is None or unfold(nrr) != want):
            p.append("%s with X400-Non-Receipt-Reason %r, not %r" % (kind, nrr and unfold(nrr), want))
        if dr is not None and (kind != "deleted" or unfold(dr) not in DISCARD):
            p.append("X400-Discard-Reason %r with %s" % (unfold(dr), kind))
    subject = unfold(msg["Subject"]) if msg["Subject"] is not None else ""
    want = "X.400 Inter-Personal Notification" + ("" if kind == "displayed" else " (failure)")
    if subject != want:
        p.append("Subject %r, the disposition %s says %r (RFC 2156 §5.3.5)" % (subject, kind, want))
    return p


def main(argv):
    return judge_cli.run(argv, judge, __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
