#!/usr/bin/env python3
"""test_mapping_judges.py: mutation tests of the judges' harness
(mapping_judges.py, x400_judge, mixer decode, mime_judge.py). The outputs
of the mapping conformance vectors pass; each broken output fails, and the
judge that must catch it is the one that reports it. Needs MIXER_BIN and
X400_JUDGE in the environment (ctest sets them)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MIXER = os.environ.get("MIXER_BIN", os.path.join(ROOT, "build", "mixer"))
X400_JUDGE = os.environ.get("X400_JUDGE", os.path.join(ROOT, "build", "tests", "judges", "x400_judge"))
sys.path.insert(0, HERE)
import mapping_judges  # noqa: E402


def ber_parse(data):
    """BER (definite lengths) as a list of [tag octets, constructed, children or content]."""
    out, i = [], 0
    while i < len(data):
        start = i
        if data[i] & 0x1F == 0x1F:
            i += 1
            while data[i] & 0x80:
                i += 1
        i += 1
        tag = data[start:i]
        n = data[i]
        i += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(data[i:i + k], "big")
            i += k
        body = data[i:i + n]
        i += n
        constructed = bool(tag[0] & 0x20)
        out.append([tag, constructed, ber_parse(body) if constructed else body])
    return out


def ber_write(nodes):
    out = b""
    for tag, constructed, value in nodes:
        body = ber_write(value) if constructed else value
        n = len(body)
        length = bytes([n]) if n < 128 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes(
            (n.bit_length() + 7) // 8, "big")
        out += tag + length + body
    return out


def ber_replace(data, old, new):
    """The BER with every primitive whose contents are `old` holding `new`, lengths redone."""
    count = [0]

    def walk(nodes):
        for node in nodes:
            if node[1]:
                walk(node[2])
            elif node[2] == old:
                node[2] = new
                count[0] += 1
    tree = ber_parse(data)
    walk(tree)
    assert count[0], "no primitive holds %r" % old
    return ber_write(tree)


class MappingJudgesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mapping-judges-test-")
        good = os.path.join(cls.tmp, "good")
        r = subprocess.run([MIXER, "conformance", "-c", os.path.join(ROOT, "tests/vectors/mapping/mixer.yaml"),
                            "--output", good, os.path.join(ROOT, "tests/vectors/mapping")],
                           capture_output=True, text=True)
        assert "passed" in r.stdout, r.stdout + r.stderr
        emls = mapping_judges.files_under(good, ".eml")
        bers = mapping_judges.files_under(good, ".ber")
        assert emls and bers, "the vectors left no output"
        with open(emls[0], "rb") as f:
            cls.eml = f.read()
        with open(bers[0], "rb") as f:
            cls.ber = f.read()
        r = subprocess.run([MIXER, "decode", "--json", bers[0]], capture_output=True, text=True, check=True)
        cls.tree = json.loads(r.stdout)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def judge(self, files, min_eml=0, min_ber=0, known=None):
        """mapping_judges.py over a fresh folder holding `files` ({name: bytes}); (status, output)."""
        d = tempfile.mkdtemp(dir=self.tmp)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        r = subprocess.run([sys.executable, os.path.join(HERE, "mapping_judges.py"), "--mixer", MIXER,
                            "--x400-judge", X400_JUDGE, "--outputs", d, "--min-eml", str(min_eml),
                            "--min-ber", str(min_ber)] + (["--known", known] if known else []),
                           capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr

    def encode(self, tree):
        r = subprocess.run([MIXER, "encode", "-"], input=json.dumps(tree).encode(), capture_output=True, check=True)
        return r.stdout

    def assert_fails(self, files, judge, fragment=""):
        status, out = self.judge(files)
        self.assertEqual(status, 1, out)
        lines = [l for l in out.splitlines() if (": " + judge) in l]
        self.assertTrue(lines, "%s did not report:\n%s" % (judge, out))
        self.assertTrue(any(fragment in l for l in lines), "%r not in:\n%s" % (fragment, out))

    # ---- the good outputs pass

    def test_conformance_outputs_pass(self):
        status, out = self.judge({"a.eml": self.eml, "b.ber": self.ber}, 1, 1)
        self.assertEqual(status, 0, out)
        self.assertIn("judged 1 RFC 5322 and 1 X.400 outputs", out)

    def test_nothing_to_judge_fails(self):
        status, out = self.judge({}, 1, 1)
        self.assertEqual(status, 1, out)
        self.assertIn("0 RFC 5322 outputs judged", out)

    # ---- RFC 5322 outputs: mime_judge.py

    def test_long_line_fails(self):
        head, body = self.eml.split(b"\r\n\r\n", 1)
        self.assert_fails({"a.eml": head + b"\r\n\r\n" + b"x" * 999 + b"\r\n" + body}, "mime_judge", "998")

    def test_bad_encoded_word_fails(self):
        data = self.eml.replace(b"Subject: Email link test", b"Subject: =?UTF-8?B?abc?= test")
        self.assertNotEqual(data, self.eml)
        self.assert_fails({"a.eml": data}, "mime_judge", "encoded word")

    def test_unparsable_address_field_fails(self):
        data = self.eml.replace(b"From: Jane Doe <jane@example.org>", b"From: Jane Doe <<jane@example.org>")
        self.assertNotEqual(data, self.eml)
        self.assert_fails({"a.eml": data}, "mime_judge")

    def test_bare_lf_fails(self):
        self.assert_fails({"a.eml": self.eml.replace(b"\r\n", b"\n", 1)}, "mime_judge")

    def test_known_defect_passes_and_others_still_fail(self):
        head, body = self.eml.split(b"\r\n\r\n", 1)
        long_line = head + b"\r\n\r\n" + b"x" * 999 + b"\r\n" + body
        known = os.path.join(self.tmp, "known.txt")
        with open(known, "w") as f:
            f.write("# a comment\n998\tthe test's own\n")
        status, out = self.judge({"a.eml": long_line}, known=known)
        self.assertEqual(status, 0, out)
        self.assertIn("known defect seen 1 times: 998", out)
        status, out = self.judge({"a.eml": long_line.replace(b"Subject: Email link test", b"Subject: =?UTF-8?B?abc?=")},
                                 known=known)
        self.assertEqual(status, 1, out)

    # ---- X.400 outputs: mixer decode and x400_judge (tshark)

    def test_truncated_ber_fails_both(self):
        status, out = self.judge({"b.ber": self.ber[:-1]})
        self.assertEqual(status, 1, out)
        self.assertIn(": mixer decode", out)
        self.assertIn(": x400_judge", out)

    def test_short_per_recipient_indicators_fail_tshark(self):
        # The engine's first output: X.411 PerRecipientIndicators in 5 bits, under SIZE (8..).
        tree = json.loads(json.dumps(self.tree))
        prf = tree["value"]["message"]["envelope"]["per-recipient-fields"][0]
        self.assertEqual(prf["per-recipient-indicators"], "10101000")
        prf["per-recipient-indicators"] = "10101"
        self.assert_fails({"b.ber": self.encode(tree)}, "x400_judge", "bit string too short")

    def test_ber_rewriter_is_faithful(self):
        self.assertEqual(ber_write(ber_parse(self.ber)), self.ber)

    def test_local_identifier_over_bound_fails_decode(self):
        # mixer encode refuses it too, so the octets are rewritten here: ub-local-id-length is 32.
        local = self.tree["value"]["message"]["envelope"]["message-identifier"]["local-identifier"].encode()
        self.assert_fails({"b.ber": ber_replace(self.ber, local, b"x" * 33)}, "mixer decode", "local-identifier")

    def test_subject_over_bound_fails_decode(self):
        # The subject inside the content octets (an OCTET STRING's contents: rewritten as BER too).
        subject = self.tree["content"]["value"]["ipm"]["heading"]["subject"].encode()
        content = bytes.fromhex(self.tree["value"]["message"]["content"]["hex"])
        bad = ber_replace(content, subject, b"s" * 129)  # ub-subject-field 128
        self.assert_fails({"b.ber": ber_replace(self.ber, content, bad)}, "mixer decode", "subject")

    def test_content_not_an_ipm_fails_both(self):
        tree = json.loads(json.dumps(self.tree))
        del tree["content"]
        tree["value"]["message"]["content"] = {"hex": "a0030101ff"}
        status, out = self.judge({"b.ber": self.encode(tree)})
        self.assertEqual(status, 1, out)
        self.assertIn(": mixer decode: the IPM content", out)
        self.assertIn(": x400_judge", out)

    def test_unknown_heading_extension_oid_fails_tshark(self):
        # Only the RFC 2156 OIDs (1.3.6.1.7.1...) may go undissected.
        tree = json.loads(json.dumps(self.tree))
        ext = tree["content"]["value"]["ipm"]["heading"]["extensions"][0]
        self.assertEqual(ext["type"], "1.3.6.1.7.1.3.2")
        ext["type"] = "1.3.6.1.4.1.99999.1"
        ext["value"] = {"hex": "3003160161"}
        self.assert_fails({"b.ber": self.encode(tree)}, "x400_judge", "Dissector for OID")


if __name__ == "__main__":
    unittest.main()
