#!/usr/bin/env python3
"""dsn_judge.py: an independent judge of delivery status notifications
(RFC 3464, RFC 6522) as RFC 2156 §5.3.8 writes them from X.400 reports.
Python 3 standard library only; the structure is read by Python's email
package, the fields checked here one by one.

Usage:
    dsn_judge.py MESSAGE_OR_DIR...

Each MESSAGE is a file holding one DSN (a DIR stands for its *.eml files).
Prints one line per problem, "FILE: problem", and exits 0 only if every
message passed (1: problems found, 2: usage error or unreadable file).

A message fails unless:
  - it is ASCII only, its lines at most 998 octets, and Python's email
    package (policy.default) registers no defect on it or any part;
  - its header has From, To, Date, Message-Type "Delivery Report" and a
    Subject in RFC 2156 §5.3.8.1's syntax ("Delivery-Report" "(" status ")"
    ["for" destination]) whose status agrees with the recipients' actions;
  - it is multipart/report; report-type=delivery-status (RFC 6522 §3) whose
    first part is text/plain, second message/delivery-status, and third (if
    any) message/rfc822, text/rfc822-headers or application/octet-stream,
    and nothing more;
  - the per-message block has Reporting-MTA "type; name" (type x400, RFC
    2156 §5.3.8.1) and, where present, Arrival-Date a valid date;
  - there is at least one per-recipient block, and every one has
    Final-Recipient "type; address", Action one of RFC 3464 §2.3.3's
    words, Status matching ^[245]\\.\\d{1,3}\\.\\d{1,3}$ whose class agrees with
    the Action (delivered: 2, failed: 4 or 5), a Diagnostic-Code "x400;
    Reason N (...)" for a failed one, valid dates in Last-Attempt-Date and
    X400-Delivery-Time, and X400-Originally-Specified-Recipient-Number an
    integer; no field repeated that RFC 3464 allows once.
"""

import re
import sys

import judge_cli

STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")
SUBJECT = re.compile(r"^Delivery-Report \((success|failure|success and failures)\)( for (MTA )?\S.*)?$")
ACTIONS = {"failed", "delayed", "delivered", "relayed", "expanded"}
TYPED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*\s*;\s*\S")
DIAGNOSTIC = re.compile(r"^x400\s*;\s*Reason \d+ \([^()]+\)(; Diagnostic \d+ \([^()]+\))?$")
ONCE_PER_MESSAGE = ["Reporting-MTA", "Original-Envelope-Id", "DSN-Gateway", "Received-From-MTA", "Arrival-Date"]
ONCE_PER_RECIPIENT = ["Original-Recipient", "Final-Recipient", "Action", "Status", "Remote-MTA",
                      "Diagnostic-Code", "Last-Attempt-Date", "Final-Log-ID", "Will-Retry-Until"]


unfold = judge_cli.unfold


valid_date = judge_cli.valid_date


def judge(data, unwrapped=False):
    """The problems of one DSN's octets. unwrapped: a DSN restored by RFC 2156 §5.1.8.5 from
    a report that began as an Internet DSN: its Reporting-MTA and Diagnostic-Code are that
    DSN's own (RFC 3464 "type; value"), not §5.3.8.1's x400 forms."""
    p, msg = judge_cli.octet_problems(data)
    for f in ("From", "To", "Date", "Subject", "Message-Type"):
        if len(msg.get_all(f) or []) != 1:
            p.append("%s: %d in the header, not 1" % (f, len(msg.get_all(f) or [])))
    if msg["Message-Type"] is not None and unfold(msg["Message-Type"]) != "Delivery Report":
        p.append("Message-Type is %r, not 'Delivery Report' (RFC 2156 §5.3.8.1)" % unfold(msg["Message-Type"]))
    if msg["Date"] is not None and not valid_date(msg["Date"]):
        p.append("Date does not parse")
    if msg.get_content_type() != "multipart/report":
        p.append("Content-Type %s, not multipart/report" % msg.get_content_type())
        return p
    if msg.get_param("report-type") != "delivery-status":
        p.append("report-type %r, not delivery-status" % msg.get_param("report-type"))
    parts = msg.get_payload()
    if not isinstance(parts, list) or len(parts) not in (2, 3):
        p.append("%s parts, not 2 or 3" % (len(parts) if isinstance(parts, list) else "no"))
        return p
    if parts[0].get_content_type() != "text/plain":
        p.append("first part %s, not text/plain" % parts[0].get_content_type())
    if parts[1].get_content_type() != "message/delivery-status":
        p.append("second part %s, not message/delivery-status" % parts[1].get_content_type())
        return p
    if len(parts) == 3 and parts[2].get_content_type() not in ("message/rfc822", "text/rfc822-headers",
                                                               "application/octet-stream"):
        p.append("third part %s, not returned content" % parts[2].get_content_type())
    blocks = parts[1].get_payload()
    if not isinstance(blocks, list) or len(blocks) < 2:
        p.append("the delivery-status part has no per-recipient block")
        return p
    first, recipients = blocks[0], blocks[1:]
    for f in ONCE_PER_MESSAGE:
        if len(first.get_all(f) or []) > 1:
            p.append("per-message %s given %d times" % (f, len(first.get_all(f))))
    rmta = first["Reporting-MTA"]
    if rmta is None:
        p.append("per-message: no Reporting-MTA (RFC 3464 §2.2.2)")
    elif not TYPED.match(unfold(rmta)) or not (unwrapped or unfold(rmta).lower().startswith("x400")):
        p.append("per-message: Reporting-MTA %r is not 'x400; name'" % unfold(rmta))
    if first["Arrival-Date"] is not None and not valid_date(first["Arrival-Date"]):
        p.append("per-message: Arrival-Date does not parse")
    if first["Final-Recipient"] is not None or first["Action"] is not None:
        p.append("per-message: holds per-recipient fields (a blank line missing)")
    actions = []
    for n, b in enumerate(recipients, 1):
        where = "recipient %d" % n
        for f in ONCE_PER_RECIPIENT:
            if len(b.get_all(f) or []) > 1:
                p.append("%s: %s given %d times" % (where, f, len(b.get_all(f))))
        fr = b["Final-Recipient"]
        if fr is None or not TYPED.match(unfold(fr)):
            p.append("%s: Final-Recipient %r is not 'type; address'" % (where, fr and unfold(fr)))
        if b["Original-Recipient"] is not None and not TYPED.match(unfold(b["Original-Recipient"])):
            p.append("%s: Original-Recipient is not 'type; address'" % where)
        action = unfold(b["Action"]).lower() if b["Action"] is not None else None
        if action not in ACTIONS:
            p.append("%s: Action %r is not one of RFC 3464 §2.3.3's" % (where, action))
        actions.append(action)
        status = unfold(b["Status"]) if b["Status"] is not None else None
        if status is None or not STATUS.match(status):
            p.append("%s: Status %r does not match [245].d.d" % (where, status))
        elif action == "delivered" and not status.startswith("2"):
            p.append("%s: delivered with Status %s" % (where, status))
        elif action == "failed" and status.startswith("2"):
            p.append("%s: failed with Status %s" % (where, status))
        if action == "failed":
            d = b["Diagnostic-Code"]
            if d is None or not (TYPED if unwrapped else DIAGNOSTIC).match(unfold(d)):
                p.append("%s: Diagnostic-Code %r is not RFC 2156's dr-diagnostic" % (where, d and unfold(d)))
        for f in ("Last-Attempt-Date", "X400-Delivery-Time"):
            if b[f] is not None and not valid_date(b[f]):
                p.append("%s: %s does not parse" % (where, f))
        num = b["X400-Originally-Specified-Recipient-Number"]
        if num is None or not unfold(num).isdigit():
            p.append("%s: X400-Originally-Specified-Recipient-Number %r is not an integer" % (where, num and unfold(num)))
    subject = unfold(msg["Subject"]) if msg["Subject"] is not None else ""
    m = SUBJECT.match(subject)
    if not m:
        p.append("Subject %r is not RFC 2156 §5.3.8.1's subject-line" % subject)
    else:
        want = ("success" if all(a == "delivered" for a in actions) else
                "failure" if all(a == "failed" for a in actions) else "success and failures")
        if m.group(1) != want:
            p.append("Subject says %r, the recipients %r" % (m.group(1), want))
    return p


def main(argv):
    # --unwrapped: every DSN named is one RFC 2156 §5.1.8.5 restored (see judge()).
    if argv and argv[0] == "--unwrapped":
        return judge_cli.run(argv[1:], lambda data: judge(data, unwrapped=True), __doc__)
    return judge_cli.run(argv, judge, __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
