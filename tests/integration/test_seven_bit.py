"""The 7-bit downgrade (RFC 6152 §3, bodyparts/seven_bit) on the outbound SMTP
channel: an 8-bit RFC 822 form sent to Postfix's smtp-sink started with -8 (it
does not announce 8BITMIME). The 8-bit form is the gateway's own RFC 3464 DSN
about a message accepted with BODY=8BITMIME whose X.400 recipient expired (its
P1 peer is down): the DSN returns the message whole (message/rfc822, 8bit), so
the form is 8BITMIME (gateway/own_reports). The X.400 mapping itself writes
7bit parts (RFC 2157 §2.2, bodyparts/README.md), so its forms never need it.

Checked: the sink gets MAIL FROM (without BODY=, which RFC 6152 §2 keeps for
servers announcing 8BITMIME) on the connection it first answered, every octet under 128 and no line over 998, and Python's email
package reads the returned message's text back to the original octets; a
returned message with an 8-bit header cannot be downgraded, its DSN fails with
5.6.3 and goes to the postmaster (RFC 3461 §6.2)."""
import email
import email.policy
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import RawClient, free_port
from test_own_reports import gateway_with_a_dead_peer
from test_p1 import wait_for

SMTP_SINK = shutil.which("smtp-sink", path="/usr/sbin:/usr/bin") or "/usr/sbin/smtp-sink"

TEXT = "Grüße aus Köln: déjà vu, naïve café.\r\n" + "x" * 1200 + "\r\n"  # a line over 998 too


class SevenBitSink:
    """smtp-sink -8 on 127.0.0.1:port (no 8BITMIME), each transaction dumped to its own file."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="mixer-7bit-sink-"))
        os.chmod(self.dir, 0o777)  # smtp-sink writes as nobody
        self.port = free_port()
        args = [SMTP_SINK, "-v", "-8"]
        if os.geteuid() == 0:
            args += ["-u", "nobody"]
        args += ["-d", str(self.dir / "m."), "-h", "sink.test", f"127.0.0.1:{self.port}", "10"]
        self.err = open(self.dir / "stderr", "wb")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.time() + 5
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as c:
                    c.recv(100)
                return
            except OSError:
                assert self.proc.poll() is None, "smtp-sink exited: " + self.log()
                time.sleep(0.05)
        raise AssertionError("smtp-sink did not start")

    def dumps(self):
        return [f.read_bytes() for f in sorted(self.dir.glob("m.*"))]

    def log(self):
        return (self.dir / "stderr").read_text(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(5)
        self.err.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def send_8bit(a, message: bytes):
    c = RawClient(a.smtp_port)
    c.reply()
    c.cmd("EHLO client.example")
    assert c.cmd("MAIL FROM:<jane@client.example> BODY=8BITMIME RET=FULL")[0] == 250
    assert c.cmd("RCPT TO:<u@x400.example>")[0] == 250
    assert c.cmd("DATA")[0] == 354
    c.send(message + b".\r\n")
    code, lines = c.reply()
    assert code == 250, lines
    c.cmd("QUIT")
    return lines[-1].split()[-1]


def message_of(dump: bytes) -> bytes:
    """The message in an smtp-sink dump: after its X-Client-*/X-Mail-From/X-Rcpt-To lines."""
    lines = dump.split(b"\n")
    k = 0
    while k < len(lines) and lines[k].startswith((b"X-Client-", b"X-Helo-", b"X-Mail-", b"X-Rcpt-")):
        k += 1
    return b"\n".join(lines[k:])


def test_rfc6152_3_eight_bit_form_to_a_server_without_8bitmime_goes_as_its_7bit_form(make_gateway):
    sink = SevenBitSink()
    a = gateway_with_a_dead_peer(make_gateway, sink.port, "3s")
    try:
        original = (b"From: Jane <jane@client.example>\r\nTo: u@x400.example\r\nSubject: eight bits\r\n"
                    b"Message-ID: <seven-bit-1@client.example>\r\nMIME-Version: 1.0\r\n"
                    b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
                    TEXT.encode())
        qid = send_8bit(a, original)
        wait_for(lambda: sink.dumps(), 40, "the DSN at the sink")
        (dump,) = sink.dumps()
        log = sink.log()
        # No BODY= at all: RFC 6152 §2 allows the parameter only to a server announcing 8BITMIME.
        assert "MAIL FROM:<>" in log and "BODY=" not in log, log
        assert log.count("EHLO") == 1, log  # the 7-bit form went on the connection that said no 8BITMIME
        raw = message_of(dump)
        assert all(b < 128 for b in raw), [hex(b) for b in raw if b >= 128][:5]
        assert max(len(line.rstrip(b"\r")) for line in raw.split(b"\n")) <= 998
        dsn = email.message_from_bytes(raw, policy=email.policy.default)
        assert dsn.get_content_type() == "multipart/report", raw[:400]
        assert not dsn.defects and all(not p.defects for p in dsn.walk()), [p.defects for p in dsn.walk()]
        returned = dsn.get_payload()[2]
        assert returned.get_content_type() == "message/rfc822"
        assert returned["Content-Transfer-Encoding"] in (None, "7bit"), returned["Content-Transfer-Encoding"]
        (inner,) = returned.get_payload()
        assert inner["Subject"] == "eight bits" and inner["Message-ID"] == "<seven-bit-1@client.example>"
        assert inner["Content-Transfer-Encoding"] == "quoted-printable"
        # The same octets (Python's parser gives line ends as LF).
        assert inner.get_payload(decode=True) == TEXT.replace("\r\n", "\n").encode()
        assert inner.get_content() == TEXT.replace("\r\n", "\n")  # the same text, read as UTF-8
        wait_for(lambda: not a.queue_entries(), 10, "the queue to empty")
        glog = a.log()
        assert "the 7-bit form for a server without 8BITMIME" in glog, glog
        assert "sent as its 7-bit form" in glog, glog
        assert qid in glog
    finally:
        a.stop()
        sink.stop()


def test_rfc3463_5_6_3_returned_message_with_an_8bit_header_cannot_be_downgraded(make_gateway):
    sink = SevenBitSink()
    a = gateway_with_a_dead_peer(make_gateway, sink.port, "2s")
    try:
        original = ("From: jane@client.example\r\nTo: u@x400.example\r\nSubject: Grüße\r\n\r\n" + TEXT).encode()
        send_8bit(a, original)
        # The DSN's 7-bit form is refused (the header needs SMTPUTF8): the DSN fails with
        # 5.6.3, and, a report about a report being never sent, its copy goes to the postmaster.
        maildir = a.queue.parent / "postmaster" / "new"
        wait_for(lambda: maildir.exists() and list(maildir.iterdir()), 40, "the postmaster's copy")
        (copy,) = list(maildir.iterdir())
        got = email.message_from_bytes(copy.read_bytes(), policy=email.policy.default)
        assert "jane@client.example; 5.6.3; " in got["X-Mixer-Undelivered"], got["X-Mixer-Undelivered"]
        assert sink.dumps() == [] and "MAIL" not in sink.log()
        glog = a.log()
        assert "no 7-bit form for a server without 8BITMIME" in glog and "SMTPUTF8" in glog, glog
    finally:
        a.stop()
        sink.stop()
