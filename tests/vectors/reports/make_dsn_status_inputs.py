#!/usr/bin/env python3
"""tests/vectors/reports/make_dsn_status_inputs.py: the RFC 2156 §5.1.8.4
vectors, one Internet DSN -> X.400 report per row of the status table
(5.1.8.4-status-*), and --check: each expected.json against the table.

TABLE below is transcribed by hand from RFC 2156 §5.1.8.4 (the rows of
/work/shared/reference/rfc2156.txt pages 84-85), not from the program's
output: (status, words, X.411 reason, diagnostic or None). The rows the
RFC marks "only used for positive reports" (X.1.5, X.6.4) and codes the
table does not list map "the same as X.n.0" (the paragraph before the
table: "5.2.37 ... would map onto the same as 5.2.0, namely 1/None"); a
failure whose class is 4 maps as its 5 (the table keys on subject.detail).

  python3 make_dsn_status_inputs.py          # writes input.eml and args
  python3 make_dsn_status_inputs.py --check  # compares every expected.json
"""
import json
import os
import sys

TABLE = [
    ("5.0.0", "other-status", 1, None),
    ("5.1.0", "other-address-status", 1, None),
    ("5.1.1", "bad-mailbox-address", 1, 0),
    ("5.1.2", "bad-system-address", 1, 0),
    ("5.1.3", "bad-mailbox-address-syntax", 1, 0),
    ("5.1.4", "mailbox-address-ambiguous", 1, 1),
    ("5.1.5", "positive-only-as-x.1.0", 1, None),
    ("5.1.6", "destination-mailbox-has-moved", 1, 43),
    ("5.1.7", "bad-senders-mailbox-address-syntax", 1, 11),
    ("5.1.8", "bad-senders-system-address", 1, 11),
    ("5.2.0", "other-mailbox-status", 1, None),
    ("5.2.1", "mailbox-disabled", 1, 4),
    ("5.2.2", "mailbox-full", 1, 4),
    ("5.2.3", "message-length-exceeds-limit", 1, 7),
    ("5.2.4", "mailing-list-expansion-problem", 1, 30),
    ("5.3.0", "other-system-status", 0, None),
    ("5.3.1", "system-full", 1, 2),
    ("5.3.2", "system-not-accepting-messages", 1, 2),
    ("5.3.3", "system-not-capable-of-feature", 1, 18),
    ("5.3.4", "message-too-big-for-system", 1, 7),
    ("5.3.5", "system-incorrectly-configured", 1, None),
    ("5.4.0", "other-network-or-routing-status", 0, None),
    ("5.4.1", "no-answer-from-host", 0, None),
    ("5.4.2", "bad-connection", 0, None),
    ("5.4.3", "routing-server-failure", 6, None),
    ("5.4.4", "unable-to-route", 0, None),
    ("5.4.5", "network-congestion", 1, 2),
    ("5.4.6", "routing-loop-detected", 1, 3),
    ("5.4.7", "delivery-time-expired", 1, 5),
    ("5.5.0", "other-protocol-status", 1, None),
    ("5.5.1", "invalid-command", 1, 14),
    ("5.5.2", "syntax-error", 1, 14),
    ("5.5.3", "too-many-recipients", 1, 16),
    ("5.5.4", "invalid-command-arguments", 1, 14),
    ("5.5.5", "wrong-protocol-version", 1, 18),
    ("5.6.0", "other-media-error", 2, None),
    ("5.6.1", "media-not-supported", 1, 6),
    ("5.6.2", "conversion-required-and-prohibited", 1, 9),
    ("5.6.3", "conversion-required-not-supported", 2, 8),
    ("5.6.4", "positive-only-as-x.6.0", 2, None),
    ("5.6.5", "conversion-failed", 2, 47),
    ("5.7.0", "other-security-status", 1, 46),
    ("5.7.1", "delivery-not-authorized", 1, 29),
    ("5.7.2", "mailing-list-expansion-prohibited", 1, 28),
    ("5.7.3", "security-conversion-not-possible", 1, 46),
    ("5.7.4", "security-features-not-supported", 1, 46),
    ("5.7.5", "cryptographic-failure", 1, 46),
    ("5.7.6", "cryptographic-algorithm-not-supported", 1, 46),
    ("5.7.7", "message-integrity-failure", 1, 46),
    # Codes outside the table: the X.n.0 row of their subject (RFC's own example 5.2.37).
    ("5.2.37", "not-in-table-as-x.2.0", 1, None),
    ("5.4.99", "not-in-table-as-x.4.0", 0, None),
    ("5.9.9", "unknown-subject-as-x.0.0", 1, None),
    ("4.4.7", "class-4-failed-as-x.4.7", 1, 5),
]

ARGS = "--mail-from '' --rcpt S.Kille@cs.ucl.ac.uk --local-id q1 --now 1998-01-01T00:00:00Z\n"

DSN = """From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: S.Kille@cs.ucl.ac.uk
Subject: Undelivered Mail Returned to Sender
Date: Wed, 31 Dec 1997 23:59:00 +0000
Message-ID: <dsn-{code}@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

RFC 2156 section 5.1.8.4 row {row}: {words}.
--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Original-Envelope-Id: X400-MTS-Identifier: [/PRMD=UK.AC/ADMD=GOLD 400/C=GB/;<1803.665941698@UK.AC.UCL.CS>]
Arrival-Date: Wed, 31 Dec 1997 23:58:00 +0000

Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: {code}
--b1--
"""


def folder(code, slug):
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), f"5.1.8.4-status-{code}-{slug}")


def row_name(code):
    return "X." + code.split(".", 1)[1]


def write():
    for code, slug, _, _ in TABLE:
        d = folder(code, slug)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "args"), "w") as f:
            f.write(ARGS)
        with open(os.path.join(d, "input.eml"), "w") as f:
            f.write(DSN.format(code=code, row=row_name(code), words=slug.replace("-", " ")))


def check():
    bad = 0
    for code, slug, reason, diagnostic in TABLE:
        path = os.path.join(folder(code, slug), "expected.json")
        report = json.load(open(path))["value"]["report"]
        (r,) = report["content"]["per-recipient-fields"]
        nd = r["last-trace-information"]["report-type"]["non-delivery"]
        got = (nd["non-delivery-reason-code"], nd.get("non-delivery-diagnostic-code"))
        if got != (reason, diagnostic):
            print(f"{code}: expected.json has {got}, the RFC table {(reason, diagnostic)}")
            bad += 1
    print(f"{len(TABLE)} rows, {bad} disagree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv else write())
