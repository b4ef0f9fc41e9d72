#!/usr/bin/env python3
"""test_dsn_judge.py: dsn_judge.py passes a good DSN and fails each broken
one it is for (so the judge can fail). Python 3 standard library only."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dsn_judge  # noqa: E402

GOOD = """\
Date: Wed, 31 Dec 1997 23:59:40 +0000
From: postmaster@gateway.example
To: jane@example.org
Subject: Delivery-Report (success and failures) for MTA bells
Message-Type: Delivery Report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain; charset=us-ascii

This report relates to your message:

--b
Content-Type: message/delivery-status

Reporting-MTA: x400; /PRMD=UK.AC/ADMD=GOLD 400/C=GB/
Arrival-Date: Wed, 31 Dec 1997 23:59:30 +0000

Final-Recipient: x400; /I=S/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/
Action: delivered
Status: 2.0.0
X400-Originally-Specified-Recipient-Number: 1

Final-Recipient: x400; /S=Nobody/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/
Action: failed
Status: 5.1.1
Diagnostic-Code: x400; Reason 1 (unable-to-transfer); Diagnostic 0 (unrecognised-OR-name)
X400-Originally-Specified-Recipient-Number: 2

--b--
"""


def crlf(text):
    return text.replace("\n", "\r\n").encode("ascii")


class DsnJudgeTest(unittest.TestCase):
    def problems(self, text):
        return dsn_judge.judge(crlf(text) if isinstance(text, str) else text)

    def test_good_passes(self):
        self.assertEqual(self.problems(GOOD), [])

    def broken(self, old, new, expect):
        self.assertIn(old, GOOD)
        p = self.problems(GOOD.replace(old, new, 1))
        self.assertTrue(any(expect in q for q in p), "%r not in %r" % (expect, p))

    def test_status_syntax(self):
        self.broken("Status: 5.1.1", "Status: 5.1", "does not match")

    def test_status_class_against_action(self):
        self.broken("Status: 2.0.0", "Status: 5.0.0", "delivered with Status")

    def test_missing_final_recipient(self):
        self.broken("Final-Recipient: x400; /S=Nobody", "X-Final: x400; /S=Nobody", "Final-Recipient")

    def test_bad_action(self):
        self.broken("Action: failed", "Action: failure", "Action 'failure'")

    def test_missing_diagnostic(self):
        self.broken("Diagnostic-Code: x400; Reason 1 (unable-to-transfer); Diagnostic 0 (unrecognised-OR-name)\n", "",
                    "Diagnostic-Code")

    def test_subject_syntax_and_agreement(self):
        self.broken("Delivery-Report (success and failures)", "Delivery Report (failure)", "subject-line")
        self.broken("Delivery-Report (success and failures)", "Delivery-Report (failure)", "Subject says")

    def test_message_type(self):
        self.broken("Message-Type: Delivery Report", "Message-Type: DSN", "Message-Type")

    def test_reporting_mta(self):
        self.broken("Reporting-MTA: x400;", "Reporting-MTA: dns;", "Reporting-MTA")

    def test_report_type(self):
        self.broken("report-type=delivery-status", "report-type=disposition-notification", "report-type")

    def test_no_recipient_block(self):
        start = GOOD.index("Final-Recipient: x400; /I=S")
        end = GOOD.index("--b--")
        p = self.problems(GOOD[:start] + GOOD[end:])
        self.assertTrue(any("per-recipient" in q for q in p), p)

    def test_non_ascii_and_long_line(self):
        p = self.problems(crlf(GOOD).replace(b"Kille", b"Kill\xc3\xa9", 1))
        self.assertTrue(any("ASCII" in q for q in p), p)
        p = self.problems(GOOD.replace("This report", "x" * 1000, 1))
        self.assertTrue(any("over 998" in q for q in p), p)

    def test_repeated_field(self):
        self.broken("Status: 5.1.1", "Status: 5.1.1\nStatus: 5.1.2", "given 2 times")

    def test_per_message_recipient_fields(self):
        self.broken("Arrival-Date: Wed, 31 Dec 1997 23:59:30 +0000\n",
                    "Arrival-Date: Wed, 31 Dec 1997 23:59:30 +0000\nAction: failed\n", "per-recipient fields")


if __name__ == "__main__":
    unittest.main()
