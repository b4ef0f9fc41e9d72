"""End to end (issue 14): a message crosses the gateway both ways between
real peers. Postfix (a scratch instance with its own config directory and
loopback ports) relays a MIME message with an attachment and a non-ASCII
subject to mixer A; A converts it (RFC 2156 §5.1, RFC 2157) and transfers it
over P1 to mixer B, a remote X.400 MTA with another MTA name; B maps it back
(§5.3) and delivers it by MX lookup through dnsmasq (its first MX refusing
connections) to Postfix's smtp-sink. Python's email package checks what
arrives; each hop's log lines carry the IDs."""
import email
import email.policy
import os
import re
import shutil
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import free_port
from test_p1 import HOLD_PEER, HOLD_ROUTE, peer_yaml, wait_for
from test_smtp_out import MX_PORT, dns, sinks  # noqa: F401 (fixtures)

POSTFIX = "/usr/sbin/postfix"


class ScratchPostfix:
    """A Postfix relay on 127.0.0.1:PORT for `domain`, sending everything to `relay` (mixer A)."""

    MASTER = ("{listen} inet n - n - - smtpd\npickup unix n - n 60 1 pickup\ncleanup unix n - n - 0 cleanup\n"
              "qmgr unix n - n 300 1 qmgr\nrewrite unix - - n - - trivial-rewrite\nbounce unix - - n - 0 bounce\n"
              "defer unix - - n - 0 bounce\ntrace unix - - n - 0 bounce\nverify unix - - n - 1 verify\n"
              "flush unix n - n 1000? 0 flush\nproxymap unix - - n - - proxymap\nsmtp unix - - n - - smtp\n"
              "relay unix - - n - - smtp\nshowq unix n - n - - showq\nerror unix - - n - - error\n"
              "retry unix - - n - - error\ndiscard unix - - n - - discard\nanvil unix - - n - 1 anvil\n"
              "scache unix - - n - 1 scache\npostlog unix-dgram n - n - 1 postlogd\n")

    def __init__(self, domain, relay_port, extra=""):
        # Postfix starts only as root: as another user, through passwordless sudo (what
        # scripts/setup uses to install packages); without either the test fails, saying so.
        self.sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        if self.sudo:
            ok = subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
            assert ok, "the end-to-end tests start a scratch Postfix: run them as root or with passwordless sudo"
        self.dir = Path(tempfile.mkdtemp(prefix="mixer-postfix-", dir="/var/tmp"))
        os.chmod(self.dir, 0o755)  # postfix (mail_owner) reaches its data directory
        self.port = free_port()
        etc = self.dir / "etc"
        for d in ("etc", "queue", "data"):
            (self.dir / d).mkdir()
        (etc / "main.cf").write_text(
            f"compatibility_level = 3.6\nqueue_directory = {self.dir}/queue\ndata_directory = {self.dir}/data\n"
            "mail_owner = postfix\nsetgid_group = postdrop\nmyhostname = postfix.client.test\nmydestination =\n"
            "inet_interfaces = 127.0.0.1\ninet_protocols = ipv4\nmynetworks = 127.0.0.0/8\n"
            f"relay_domains = {domain}\nrelayhost = [127.0.0.1]:{relay_port}\n"
            f"maillog_file = {self.dir}/maillog\nalias_maps =\nalias_database =\nbiff = no\n"
            "smtp_tls_security_level = none\n" + extra)
        (etc / "master.cf").write_text(self.MASTER.format(listen=f"127.0.0.1:{self.port}"))
        if self.sudo:
            subprocess.run([*self.sudo, "chown", "-R", "root:root", str(self.dir)], check=True)
        subprocess.run([*self.sudo, "chown", "postfix", str(self.dir / "data")], check=True)
        r = self.cmd("start")
        assert r.returncode == 0, r.stderr + self.maillog()
        import socket
        deadline = time.time() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as c:
                    if c.recv(100).startswith(b"220"):
                        break
            except OSError:
                pass
            assert time.time() < deadline, "Postfix did not start listening: " + self.maillog()
            time.sleep(0.1)

    def cmd(self, *args):
        return subprocess.run([*self.sudo, POSTFIX, "-c", str(self.dir / "etc"), *args], capture_output=True,
                              text=True, start_new_session=True)

    def maillog(self):
        r = subprocess.run([*self.sudo, "cat", str(self.dir / "maillog")], capture_output=True)
        return r.stdout.decode(errors="replace")

    def send(self, message: bytes, sender, rcpt):
        import smtplib
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as s:
            s.sendmail(sender, [rcpt], message)

    def stop(self):
        self.cmd("stop")
        subprocess.run([*self.sudo, "rm", "-rf", str(self.dir)], capture_output=True)


def mime_message():
    m = EmailMessage()
    m["From"] = "Jane Doe <jane@client.test>"
    m["To"] = "Ulla Ünal <u@order.test>"
    m["Subject"] = "Grüße über X.400"
    m["Message-ID"] = "<e2e-42@client.test>"
    m["Date"] = "Thu, 03 Dec 2026 12:00:00 +0000"
    m.set_content("Hello across the gateway.\n")
    m.add_attachment(bytes(range(256)) * 8, maintype="application", subtype="octet-stream", filename="blob.bin")
    return m


def gateways(make_gateway, dns):
    a = make_gateway(mta_name="mta-a", x400_domains=["order.test"])
    b = make_gateway(mta_name="mta-b", x400_domains=[],
                     smtp_extra=f"  resolver: \"{dns}\"\n  mx_port: {MX_PORT}\n"
                                "  out: { connect_timeout: 2s, resolver_timeout: 2s }\n")
    a.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-b ] }\n")
    b.settings["p1"] = "  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b", a.p1_port)
    a.write_config()
    b.write_config()
    return a, b


def test_internet_to_x400_to_internet(make_gateway, dns, sinks):  # noqa: F811
    sink = sinks("127.0.0.1")  # order.test: mx1 (127.0.0.3) refuses connections, mx2 is this sink
    a, b = gateways(make_gateway, dns)
    b.start()
    a.start()
    postfix = ScratchPostfix("order.test", a.smtp_port)
    try:
        postfix.send(mime_message().as_bytes(), "jane@client.test", "u@order.test")
        dumps = sink.dumps(1, timeout=60)
        assert len(dumps) == 1, (postfix.maillog()[-2000:], a.log()[-2000:], b.log()[-3000:])
        got = email.message_from_bytes(dumps[0], policy=email.policy.default)
        assert str(got["Subject"]) == "Grüße über X.400"
        assert got["From"].addresses[0].addr_spec == "jane@client.test"
        assert got["To"].addresses[0].addr_spec == "u@order.test"
        assert got["Message-ID"] == "<e2e-42@client.test>"
        parts = list(got.iter_attachments())
        assert len(parts) == 1 and parts[0].get_content() == bytes(range(256)) * 8
        assert got.get_body(("plain",)).get_content().strip() == "Hello across the gateway."
        # Every hop's log lines carry the IDs: A by queue ID, MTS identifier and Message-ID, B by the MTS identifier.
        line_a = [l for l in a.log().splitlines() if "message-id=<e2e-42@client.test>" in l]
        assert line_a, a.log()
        mts_id = re.search(r"mts-id=(\[[^\]]*\])", line_a[0]).group(1)
        assert mts_id in b.log()
        assert re.search(r"to=<u@order.test>, relay=mx2.order.test\[127.0.0.1\]:\d+, .*status=sent", b.log()), b.log()
    finally:
        postfix.stop()
        a.stop()
        b.stop()


def test_x400_to_internet_to_x400(make_gateway, tmp_path):
    """An IPM from an X.400 originator transferred over P1 into B; B maps it to
    the Internet and sends it by SMTP (a smart host route) to A; A maps it back
    to X.400 and transfers it over P1 to D. What D received converts back to
    the same message, from the same X.400 originator (RFC 2156 §4.3.1, §4.3.5)."""
    import subprocess
    from conftest import MIXER
    c = make_gateway(mta_name="mta-c", x400_domains=["relay.test"])
    d = make_gateway(mta_name="mta-d", x400_domains=["relay.test"])  # D: X.400 side, held
    a = make_gateway(mta_name="mta-a", x400_domains=["relay.test"])
    b = make_gateway(mta_name="mta-b", x400_domains=[],
                     smtp_extra=f"  routes: [ {{ domain: relay.test, via: [ \"127.0.0.1:{a.smtp_port}\" ], tls: none }} ]\n")
    c.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-c", b.p1_port) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-b ] }\n")
    b.settings["p1"] = "  peers:\n" + peer_yaml("mta-c", "pw-c", "pw-b", c.p1_port)
    a.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-d", "pw-d", "pw-a", d.p1_port) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-d ] }\n")
    d.settings["p1"] = "  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-d", a.p1_port) + HOLD_PEER + HOLD_ROUTE  # D keeps it
    for g in (a, b, c, d):
        g.write_config()
    # The IPM C transfers: its originator is an X.400 user (no RFC 822 address behind it).
    originator = "\"/G=Ann/S=Smith/O=Army/PRMD=ARMY/ADMD= /C=XX/\"@gw.test"
    rfc822 = tmp_path / "in.eml"
    rfc822.write_bytes(b"From: Ann Smith <" + originator.encode() + b">\r\nTo: <x@relay.test>\r\n"
                       b"Subject: from X.400 and back\r\nMessage-ID: <x400-rt-1@gw.test>\r\n"
                       b"Date: Thu, 03 Dec 2026 12:00:00 +0000\r\n\r\nRound trip through the Internet.\r\n")
    apdu = tmp_path / "ipm.ber"
    r = subprocess.run([MIXER, "convert", "-c", str(c.config), "--to", "x400", "--mail-from", originator,
                        "--rcpt", "x@relay.test", "-o", str(apdu), str(rfc822)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for g in (d, a, b, c):
        g.start()
    try:
        c.cli("p1-submit", "--peer", "mta-b", str(apdu))
        wait_for(lambda: [e for e in d.queue_entries() if e["origin"] == "p1"], 60, "D to receive the message")
        (entry,) = [e for e in d.queue_entries() if e["origin"] == "p1"]
        got = tmp_path / "received.ber"
        got.write_bytes(d.content(entry["id"]))
        out = tmp_path / "out.eml"
        r = subprocess.run([MIXER, "convert", "-c", str(d.config), "--to", "rfc822", "-o", str(out), str(got)],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        msg = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
        assert str(msg["Subject"]) == "from X.400 and back"
        assert msg["Message-ID"] == "<x400-rt-1@gw.test>"
        assert msg.get_content().strip() == "Round trip through the Internet."
        sender = msg["From"].addresses[0]
        assert sender.addr_spec.lower() == originator.lower(), msg["From"]
        # The hops logged it: B sent it by SMTP to A, A relayed it over P1 to D.
        assert re.search(r"to=<x@relay.test>, relay=127.0.0.1\[127.0.0.1\]:\d+, .*status=sent", b.log()), b.log()
        assert re.search(r"to=<mta-d>|relay=mta-d\[127.0.0.1\]", a.log()), a.log()
    finally:
        for g in (c, b, a, d):
            g.stop()
