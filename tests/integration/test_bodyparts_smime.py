"""RFC 2157 §7.3 and §3.1.3 end to end: an S/MIME multipart/signed message,
signed at test time with a throwaway key and self-signed certificate, goes
MIME -> X.400 -> MIME through `mixer convert` (the mapping engine with the
body part conversion), and `openssl smime -verify` still accepts the result;
the signed entity's octets come back identical. Trusts only openssl and the
body part vectors' configuration; needs no daemon."""
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import MIXER

SOURCE = Path(os.environ.get("MIXER_SOURCE", Path(__file__).resolve().parents[2]))
CONFIG = SOURCE / "tests" / "vectors" / "bodyparts" / "mixer.yaml"
NOW = "2026-12-03T10:00:00Z"


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, timeout=120, **kw)


def crlf(octets: bytes) -> bytes:
    """Every line ended by CRLF, as SMTP carries a message (openssl writes the header with LF)."""
    return octets.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    d = tmp_path_factory.mktemp("smime")
    r = run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=mixer test signer/emailAddress=jane@example.org",
            "-addext", "keyUsage=digitalSignature", "-addext", "extendedKeyUsage=emailProtection",
            "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"))
    assert r.returncode == 0, r.stderr
    return d


def sign(signer: Path, content: bytes, name: str) -> bytes:
    """An RFC 5322 message whose body is `content` signed (multipart/signed, RFC 8551)."""
    (signer / f"{name}.txt").write_bytes(content)
    r = run("openssl", "smime", "-sign", "-crlfeol", "-in", str(signer / f"{name}.txt"),
            "-signer", str(signer / "cert.pem"), "-inkey", str(signer / "key.pem"),
            "-from", "Jane Doe <jane@example.org>", "-to", "Steve Kille <S.Kille@cs.ucl.ac.uk>", "-subject", "Signed")
    assert r.returncode == 0, r.stderr
    head = b"Date: Thu, 3 Dec 2026 09:00:00 +0000\r\nMessage-ID: <" + name.encode() + b"@example.org>\r\n"
    return crlf(head + r.stdout)


def verify(signer: Path, message: bytes, name: str):
    """openssl's verdict on `message`: the signature with the signer's certificate as the trust
    anchor; returns (returncode, the content it verified, stderr)."""
    path = signer / f"{name}.eml"
    path.write_bytes(message)
    r = run("openssl", "smime", "-verify", "-CAfile", str(signer / "cert.pem"), "-purpose", "any",
            "-in", str(path), "-out", str(signer / f"{name}.verified"))
    out = (signer / f"{name}.verified").read_bytes() if r.returncode == 0 else b""
    return r.returncode, out, r.stderr.decode(errors="replace")


def round_trip(tmp: Path, message: bytes, peer_mode: str = "1988") -> tuple[bytes, bytes]:
    """`mixer convert --to x400` then `--to rfc822`: the MTS-APDU (BER) and the message back."""
    (tmp / "in.eml").write_bytes(message)
    r = run(MIXER, "convert", "-c", str(CONFIG), "--to", "x400", "--mail-from", "jane@example.org",
            "--rcpt", "S.Kille@cs.ucl.ac.uk", "--local-id", "q1", "--peer-mode", peer_mode, "--now", NOW,
            "-o", str(tmp / "out.ber"), str(tmp / "in.eml"))
    assert r.returncode == 0, r.stderr
    r = run(MIXER, "convert", "-c", str(CONFIG), "--to", "rfc822", "--now", NOW,
            "-o", str(tmp / "back.eml"), str(tmp / "out.ber"))
    assert r.returncode == 0, r.stderr
    return (tmp / "out.ber").read_bytes(), (tmp / "back.eml").read_bytes()


def signed_entity(message: bytes) -> bytes:
    """The octets of the first body part of the (first) multipart/signed in `message`: the
    entity the signature covers, from its first header line to the CRLF before the delimiter."""
    m = re.search(rb'multipart/signed;[^\r\n]*(?:\r\n[ \t][^\r\n]*)*', message, re.I)
    assert m, "no multipart/signed"
    b = re.search(rb'boundary="?([^";\r\n]+)"?', m.group(0), re.I)
    delimiter = b"\r\n--" + b.group(1)
    start = message.index(delimiter, m.end()) + len(delimiter) + 2
    return message[start:message.index(delimiter, start)]


def ia5_texts(ber_path: Path) -> list[str]:
    r = run(MIXER, "decode", "--json", str(ber_path))
    assert r.returncode == 0, r.stderr
    return re.findall(r'"ia5-text": \{\s*"parameters": \{\},\s*"data": "((?:[^"\\]|\\.)*)"', r.stdout.decode())


CONTENT = b"Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned text.\r\nA second line, trailing space \r\n"


@pytest.mark.parametrize("peer_mode", ["1988", "1984"])
def test_rfc2157_7_3_multipart_signed_verifies_after_mime_x400_mime(signer, tmp_path, peer_mode):
    message = sign(signer, CONTENT, "top")
    rc, before, err = verify(signer, message, "top-in")
    assert rc == 0, err  # the test's own input verifies
    ber, back = round_trip(tmp_path, message, peer_mode)
    # §3.1.3: the X.400 body is one IA5 text, the HARPOON form (MIME-Version first).
    texts = ia5_texts(tmp_path / "out.ber")
    assert len(texts) == 1 and texts[0].startswith("MIME-Version: 1.0\\r\\nContent-Type: multipart/signed;")
    rc, after, err = verify(signer, back, "top-back")
    assert rc == 0, err
    assert after == before
    assert signed_entity(back) == signed_entity(message) == CONTENT


def test_rfc2157_7_3_multipart_signed_inside_multipart_mixed_verifies(signer, tmp_path):
    signed = sign(signer, CONTENT, "inner")
    head, _, body = signed.partition(b"\r\n\r\n")
    ctype = re.search(rb"Content-Type: multipart/signed;[^\r\n]*(?:\r\n[ \t][^\r\n]*)*", head).group(0)
    outer = (b"From: Jane Doe <jane@example.org>\r\nTo: Steve Kille <S.Kille@cs.ucl.ac.uk>\r\n"
             b"Subject: Signed inside\r\nDate: Thu, 3 Dec 2026 09:00:00 +0000\r\nMessage-ID: <outer@example.org>\r\n"
             b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
             b"--outer\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nCover note.\r\n"
             b"--outer\r\n" + ctype + b"\r\n\r\n" + body + b"\r\n--outer--\r\n")
    _, back = round_trip(tmp_path, outer)
    # The signed entity is one body part of the X.400 body (§6.6), in HARPOON (§7.3).
    texts = ia5_texts(tmp_path / "out.ber")
    assert len(texts) == 2 and texts[1].startswith("MIME-Version: 1.0\\r\\nContent-Type: multipart/signed;")
    assert signed_entity(back) == CONTENT
    # The part back, as a message of its own, still verifies.
    part = re.search(rb"\r\n--([^\r\n]+)\r\nContent-Type: multipart/signed", back)
    start = part.start() + 2 + len(part.group(1)) + 4
    end = back.index(b"\r\n--" + part.group(1), start)
    rc, after, err = verify(signer, b"MIME-Version: 1.0\r\n" + back[start:end] + b"\r\n", "inner-back")
    assert rc == 0, err
    assert after.replace(b"\r\n", b"\n") == CONTENT.replace(b"\r\n", b"\n")


def test_rfc2157_7_3_verification_fails_when_a_signed_octet_changes(signer, tmp_path):
    # The check above can fail: one octet of the signed text changed after the round trip.
    message = sign(signer, CONTENT, "tamper")
    _, back = round_trip(tmp_path, message)
    tampered = back.replace(b"Signed text.", b"Signed text!", 1)
    assert tampered != back
    rc, _, _ = verify(signer, tampered, "tamper-back")
    assert rc != 0
