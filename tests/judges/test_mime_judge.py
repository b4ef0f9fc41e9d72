#!/usr/bin/env python3
"""test_mime_judge.py: the judge passes good messages and fails each kind of
bad one it is meant to catch, through its function and its command line."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mime_judge  # noqa: E402

GOOD = (b"From: John Doe <jdoe@machine.example>\r\n"
        b"To: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\r\n"
        b"Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
        b" =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n"
        b"Date: Fri, 21 Nov 1997 09:55:06 -0600\r\n"
        b"Message-ID: <1234@local.machine.example>\r\n"
        b"\r\n"
        b"This is a message just to say hello.\r\n")


def with_header(line):
    """GOOD with one more header line (bytes, without its CRLF) before the body."""
    head, body = GOOD.split(b"\r\n\r\n", 1)
    return head + b"\r\n" + line + b"\r\n\r\n" + body


class JudgeTest(unittest.TestCase):
    def problems(self, data, expected=None):
        return mime_judge.judge_bytes(data, expected)

    def assert_fails(self, data, fragment):
        found = self.problems(data)
        self.assertTrue(any(fragment in p for p in found), "%r not in %r" % (fragment, found))

    def test_good_message_passes(self):
        self.assertEqual(self.problems(GOOD), [])

    def test_rfc5322_examples_pass(self):
        data = os.path.join(HERE, "..", "unit", "imf", "data")
        for name in ("rfc5322-a1.1-1.eml", "rfc5322-a1.2-1.eml", "rfc5322-a2-3.eml", "rfc5322-a3-2.eml"):
            with open(os.path.join(data, name), "rb") as f:
                self.assertEqual(self.problems(f.read()), [], name)

    def test_expected_values(self):
        want = {"Subject": "If you can read this you understand the example.",
                "To": {"display_names": ["Keld J\u00f8rn Simonsen"], "addr_specs": ["keld@dkuug.dk"]},
                "Date": {"datetime": "1997-11-21T09:55:06-06:00"},
                "Message-ID": ["<1234@local.machine.example>"]}
        self.assertEqual(self.problems(GOOD, want), [])
        bad = self.problems(GOOD, {"Subject": "something else", "To": {"display_names": ["Keld"]},
                                   "X-Absent": "x", "Date": {"datetime": "1997-11-21T09:55:06+00:00"}})
        self.assertEqual(len(bad), 4, bad)

    def test_line_over_998_octets(self):
        self.assert_fails(with_header(b"X-Long: " + b"a" * 991), "999 octets")
        self.assertEqual(self.problems(with_header(b"X-Long: " + b"a" * 990)), [])

    def test_bare_line_ends(self):
        self.assert_fails(GOOD.replace(b"hello.\r\n", b"hello.\nmore\r\n"), "bare LF")
        self.assert_fails(with_header(b"X-CR: a\rb"), "bare CR")

    def test_line_that_is_not_a_field(self):
        self.assert_fails(with_header(b"not a field"), "not a field")
        self.assert_fails(b" continuation first\r\n" + GOOD, "continuation")

    def test_invalid_encoded_words(self):
        cases = [
            (b"Subject: =?UTF-8?B?abc?=", "multiple of 4"),
            (b"Subject: =?UTF-8?B?ab!c?=", "bad B text"),
            (b"Subject: =?x-no-such?Q?a?=", "unknown charset"),
            (b"Subject: =?UTF-8?Q?=FF?=", "not valid"),
            (b"Subject: =?UTF-8?Q?a=Z?=", "bad Q text"),
            (b"Subject: =?UTF-8?X?a?=", "neither B nor Q"),
            (b"Subject: a=?UTF-8?Q?b?=", "not set off"),
            (b"Subject: =?UTF-8?Q?" + b"a" * 70 + b"?=", "encoded word of 82 octets"),
            (b"Subject: x =?UTF-8?Q?" + b"a" * 50 + b"?= =?UTF-8?Q?b?=", "76"),
        ]
        for line, fragment in cases:
            with self.subTest(line=line):
                self.assert_fails(with_header(line), fragment)

    def test_header_defects(self):
        self.assert_fails(with_header(b"Cc: \"=?UTF-8?Q?a?=\" <a@b.example>"), "defect")
        self.assert_fails(with_header(b"Reply-To: a@b@c"), "defect")

    def test_mime_defects(self):
        multipart = (b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"xyz\"\r\n\r\n"
                     b"no boundary here\r\n")
        self.assert_fails(multipart, "Boundary")

    def test_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            good, bad = os.path.join(d, "good.eml"), os.path.join(d, "bad.eml")
            with open(good, "wb") as f:
                f.write(GOOD)
            with open(bad, "wb") as f:
                f.write(with_header(b"Subject: =?x-no-such?Q?a?="))
            expect = os.path.join(d, "expect.json")
            with open(expect, "w") as f:
                json.dump({"good.eml": {"Subject": "If you can read this you understand the example."}}, f)
            judge = [sys.executable, os.path.join(HERE, "mime_judge.py")]
            run = lambda *a: subprocess.run(judge + list(a), capture_output=True, text=True)
            self.assertEqual(run("--expect", expect, good).returncode, 0)
            r = run(good, bad)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(len(r.stdout.splitlines()), 1, r.stdout)
            self.assertTrue(r.stdout.startswith(bad + ": "), r.stdout)
            r = run("--expect", expect, d)  # a folder: its *.eml files
            self.assertEqual(r.returncode, 1)
            self.assertEqual(run(os.path.join(d, "missing.eml")).returncode, 2)
            self.assertEqual(run().returncode, 2)
            os.remove(bad)
            with open(expect, "w") as f:
                json.dump({"good.eml": {}, "other.eml": {}}, f)
            self.assertEqual(run("--expect", expect, d).returncode, 1)


if __name__ == "__main__":
    unittest.main()
