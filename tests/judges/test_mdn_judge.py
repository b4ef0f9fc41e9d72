#!/usr/bin/env python3
"""test_mdn_judge.py: mdn_judge.py passes a good MDN and fails each broken
one it is for (so the judge can fail). Python 3 standard library only."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mdn_judge  # noqa: E402

GOOD = """\
Date: Wed, 31 Dec 1997 23:59:30 +0000
From: jane@example.org
To: steve@cs.ucl.ac.uk
Subject: X.400 Inter-Personal Notification
Message-Type: InterPersonal Notification
References: <orig-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="b"

--b
Content-Type: text/plain; charset=us-ascii

Your message to: jane@example.org
was received at Wed, 31 Dec 1997 23:59:00 +0000

--b
Content-Type: message/disposition-notification

Reporting-UA: mixer.gateway.example; MIXER (RFC 2156) for an X.400 user agent
MDN-Gateway: dns; mixer.gateway.example
Final-Recipient: rfc822; jane@example.org
Original-Message-ID: <orig-1@example.org>
Disposition: automatic-action/MDN-sent-automatically; displayed
X400-Receipt-Time: Wed, 31 Dec 1997 23:59:00 +0000
X400-Acknowledgment-Mode: automatic (1)

--b--
"""


def crlf(text):
    return text.replace("\n", "\r\n").encode("ascii")


class MdnJudgeTest(unittest.TestCase):
    def problems(self, text):
        return mdn_judge.judge(crlf(text))

    def test_good_passes(self):
        self.assertEqual(self.problems(GOOD), [])

    def broken(self, old, new, expect):
        self.assertIn(old, GOOD)
        p = self.problems(GOOD.replace(old, new, 1))
        self.assertTrue(any(expect in q for q in p), "%r not in %r" % (expect, p))

    def test_report_type(self):
        self.broken("report-type=disposition-notification", "report-type=delivery-status", "report-type")

    def test_disposition_syntax(self):
        self.broken("MDN-sent-automatically; displayed", "MDN-sent-automatically displayed", "Disposition")

    def test_disposition_type(self):
        self.broken("; displayed\n", "; read\n", "Disposition")

    def test_missing_final_recipient(self):
        self.broken("Final-Recipient: rfc822; jane@example.org\n", "", "Final-Recipient")

    def test_final_recipient_untyped(self):
        self.broken("Final-Recipient: rfc822; jane", "Final-Recipient: jane", "Final-Recipient")

    def test_missing_gateway(self):
        self.broken("MDN-Gateway: dns; mixer.gateway.example\n", "", "MDN-Gateway")

    def test_original_message_id(self):
        self.broken("Original-Message-ID: <orig-1@example.org>", "Original-Message-ID: orig-1", "msg-id")

    def test_acknowledgment_mode_against_sending_mode(self):
        self.broken("X400-Acknowledgment-Mode: automatic (1)", "X400-Acknowledgment-Mode: manual (0)",
                    "X400-Acknowledgment-Mode")

    def test_receipt_time(self):
        self.broken("X400-Receipt-Time: Wed, 31 Dec 1997 23:59:00 +0000\n", "", "X400-Receipt-Time")

    def test_deleted_needs_non_receipt_reason(self):
        self.broken("; displayed\n", "; deleted\n", "X400-Non-Receipt-Reason")

    def test_subject_agrees(self):
        self.broken("Subject: X.400 Inter-Personal Notification\n",
                    "Subject: X.400 Inter-Personal Notification (failure)\n", "Subject")

    def test_no_request_in_an_mdn(self):
        self.broken("MIME-Version: 1.0\n", "Disposition-Notification-To: x@example.org\nMIME-Version: 1.0\n",
                    "Disposition-Notification-To")

    def test_repeated_field(self):
        self.broken("Original-Message-ID: <orig-1@example.org>\n",
                    "Original-Message-ID: <orig-1@example.org>\nOriginal-Message-ID: <orig-2@example.org>\n",
                    "given 2 times")

    def test_third_part_type(self):
        self.broken("\n--b--", "\n--b\nContent-Type: image/png\n\nxx\n--b--", "third part")


if __name__ == "__main__":
    unittest.main()
