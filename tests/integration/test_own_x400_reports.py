"""The gateway's own reports for an X.400 originator (gateway/own_x400_report,
gateway/own_reports; issue 15). A non-delivery: an IPM transferred over P1
from mixer C into mixer B for two Internet recipients; B's SMTP next hop
(aiosmtpd) answers 550 5.1.1 for one of them and takes the other. The one
taken is delivered, and C gets back over P1 one X.411 Report for the other:
a non-delivery with RFC 2156 §5.1.8.4's reason and diagnostic for 5.1.1, the
subject's MTS identifier, and the content returned (content-return-request).
tshark's p1 dissector reads the report without complaint (x400_judge), and
mixer convert turns it into a DSN that Python's email package reads. A probe
(RFC 2156 §5.3.9): answered by B with a delivery report from address mapping
alone, nothing sent by SMTP."""
import email
import email.policy
import json
import re
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from conftest import MIXER, free_port
from test_p1 import HOLD_PEER, HOLD_ROUTE, peer_yaml, wait_for

X400_JUDGE = Path(MIXER).parent / "tests" / "judges" / "x400_judge"
ORIGINATOR = "\"/G=Ann/S=Smith/O=Army/PRMD=ARMY/ADMD= /C=XX/\"@gw.test"


class RefuseOne:
    """Takes every recipient but `bad@sink.test`, which gets 550 5.1.1."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() == "bad@sink.test":
            return "550 5.1.1 <bad@sink.test>: Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"from": envelope.mail_from, "rcpts": list(envelope.rcpt_tos),
                              "content": envelope.original_content})
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def sink():
    handler = RefuseOne()
    port = free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    server.start()
    yield handler, port
    server.stop()


def c_and_b(make_gateway, port):
    """C, the X.400 originator's MTA (what comes back waits in its queue to be read: every
    address routed to a held peer), and B, the gateway under test: SMTP to `port`, every X.400
    address (the originator's) routed over P1 to C."""
    c = make_gateway(mta_name="mta-c")
    b = make_gateway(mta_name="mta-b", x400_domains=[],
                     smtp_extra=f"  routes: [ {{ domain: \"*\", via: [ \"127.0.0.1:{port}\" ], tls: none }} ]\n")
    c.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-c", b.p1_port) +
                        HOLD_PEER + HOLD_ROUTE)
    b.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-c", "pw-c", "pw-b", c.p1_port) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-c ] }\n")
    c.write_config()
    b.write_config()
    return c, b


def ipm_from_x400(c, tmp_path, subject, rcpts, *options):
    """The IPM the X.400 originator sends (C's conversion of an RFC 822 message from
    ORIGINATOR to `rcpts`, with mixer convert's `options`): the MTS-APDU's path."""
    rfc822 = tmp_path / "in.eml"
    rfc822.write_bytes(b"From: Ann Smith <" + ORIGINATOR.encode() + b">\r\nTo: " +
                       ", ".join(f"<{r}>" for r in rcpts).encode() + b"\r\nSubject: " + subject.encode() +
                       b"\r\nMessage-ID: <" + subject.replace(" ", "-").encode() + b"@gw.test>\r\n"
                       b"Date: Thu, 03 Dec 2026 12:00:00 +0000\r\n\r\nHello, Internet.\r\n")
    apdu = tmp_path / "ipm.ber"
    args = [MIXER, "convert", "-c", str(c.config), "--to", "x400", "--mail-from", ORIGINATOR]
    for r in rcpts:
        args += ["--rcpt", r]
    r = subprocess.run(args + list(options) + ["-o", str(apdu), str(rfc822)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return apdu


def report_as_dsn(c, entry, tmp_path):
    """C's received report: judged by tshark (x400_judge), then converted to its DSN."""
    report = tmp_path / "report.ber"
    report.write_bytes(c.content(entry["id"]))
    j = subprocess.run([str(X400_JUDGE), str(report)], capture_output=True, text=True)
    assert j.returncode == 0, j.stdout + j.stderr
    out = tmp_path / "report.eml"
    r = subprocess.run([MIXER, "convert", "-c", str(c.config), "--to", "rfc822", "-o", str(out), str(report)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    dsn = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert dsn.get_content_type() == "multipart/report", out.read_text()[:2000]
    assert not dsn.defects and all(not p.defects for p in dsn.walk())
    return dsn, out.read_text()


def test_x411_smtp_550_for_one_of_two_recipients_is_a_non_delivery_report_to_the_x400_originator(
        make_gateway, sink, tmp_path):
    handler, port = sink
    c, b = c_and_b(make_gateway, port)
    apdu = ipm_from_x400(c, tmp_path, "one of two will fail", ["ok@sink.test", "bad@sink.test"], "--ret", "FULL")
    c.start()
    b.start()
    try:
        c.cli("p1-submit", "--peer", "mta-b", str(apdu))
        wait_for(lambda: [e for e in c.queue_entries() if e.get("apdu") == "report"], 60,
                 "C to receive the non-delivery report")
        # The good recipient was delivered, the bad one only refused.
        assert [m["rcpts"] for m in handler.messages] == [["ok@sink.test"]], handler.messages
        (entry,) = [e for e in c.queue_entries() if e.get("apdu") == "report"]
        # tshark reads it cleanly; read as the DSN mixer makes of it (RFC 2156 §5.3.8).
        dsn, text = report_as_dsn(c, entry, tmp_path)
        parts = dsn.get_payload()
        per_message, *per_rcpt = parts[1].get_payload()
        assert per_message["Reporting-MTA"].startswith("x400;"), dict(per_message.items())
        assert len(per_rcpt) == 1, [dict(p.items()) for p in per_rcpt]
        f = per_rcpt[0]
        # §5.3.8: the actual recipient in x400 form, the one C's IPM named in rfc822 form.
        assert f["Final-Recipient"].startswith("x400; /RFC-822=bad(a)sink.test/"), dict(f.items())
        assert f["Original-Recipient"] == "rfc822; bad@sink.test", dict(f.items())
        # 550 5.1.1 -> unable-to-transfer, unrecognised-OR-name (§5.1.8.4) -> 5.1.1 again (§5.3.8.2).
        assert f["Action"] == "failed" and f["Status"] == "5.1.1", dict(f.items())
        assert "unrecognised-OR-name" in f["Diagnostic-Code"], dict(f.items())
        assert "550 5.1.1" in f["X400-Supplementary-Info"], dict(f.items())
        # Subject identifier: the MTS identifier C gave the message.
        subject = re.search(r"mts-id=(\[[^\]]*\])", c.log())
        assert subject and subject.group(1) in text, (c.log()[-2000:], text[:3000])
        # Content returned, as content-return-request (RET=FULL) asked.
        assert parts[-1].get_content_type() == "message/rfc822", [p.get_content_type() for p in parts]
        assert "one of two will fail" in parts[-1].as_string()
        # B removed the original once the report was queued, and the report once transferred.
        wait_for(lambda: not b.queue_entries(), 20, "B's queue to empty")
        assert re.search(r"report \S+ to the X.400 originator: 0 delivered, 1 not delivered", b.log()), b.log()
    finally:
        b.stop()
        c.stop()


def test_rfc2156_5_3_9_probe_for_an_internet_recipient_is_answered_with_a_delivery_report(
        make_gateway, sink, tmp_path):
    handler, port = sink
    c, b = c_and_b(make_gateway, port)
    # The probe: the envelope of the IPM C would send to ok@sink.test, as a probe.
    rfc822 = tmp_path / "in.eml"
    rfc822.write_bytes(b"From: Ann Smith <" + ORIGINATOR.encode() + b">\r\nTo: <ok@sink.test>\r\n"
                       b"Subject: probe\r\n\r\nnot sent\r\n")
    ipm = tmp_path / "ipm.ber"
    r = subprocess.run([MIXER, "convert", "-c", str(c.config), "--to", "x400", "--mail-from", ORIGINATOR,
                        "--rcpt", "ok@sink.test", "-o", str(ipm), str(rfc822)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    decoded = json.loads(subprocess.run([MIXER, "decode", "--json", str(ipm)], capture_output=True, text=True,
                                        check=True).stdout)
    env = decoded["value"]["message"]["envelope"]
    probe = {k: env[k] for k in ("originator-name", "content-type", "trace-information", "per-recipient-fields")}
    probe["probe-identifier"] = dict(env["message-identifier"], **{"local-identifier": "probe-e2e-1"})
    as_json = tmp_path / "probe.json"
    as_json.write_text(json.dumps({"type": "mts-apdu", "value": {"probe": probe}}))
    probe_ber = tmp_path / "probe.ber"
    subprocess.run([MIXER, "encode", "-o", str(probe_ber), str(as_json)], capture_output=True, text=True, check=True)
    c.start()
    b.start()
    try:
        c.cli("p1-submit", "--peer", "mta-b", str(probe_ber))
        wait_for(lambda: [e for e in c.queue_entries() if e.get("apdu") == "report"], 60,
                 "C to receive the probe's report")
        assert handler.messages == []  # nothing was sent
        (entry,) = [e for e in c.queue_entries() if e.get("apdu") == "report"]
        dsn, text = report_as_dsn(c, entry, tmp_path)
        _, *per_rcpt = dsn.get_payload()[1].get_payload()
        assert len(per_rcpt) == 1, text
        f = per_rcpt[0]
        assert f["Final-Recipient"].startswith("x400; /RFC-822=ok(a)sink.test/"), dict(f.items())
        assert f["Action"] == "delivered" and f["Status"].startswith("2."), dict(f.items())
        assert "probe-e2e-1" in text, text[:3000]
        assert "would be delivered to" in f["X400-Supplementary-Info"], dict(f.items())
        wait_for(lambda: not b.queue_entries(), 20, "B's queue to empty")
        assert re.search(r"report \S+ to the X.400 originator: 1 delivered, 0 not delivered", b.log()), b.log()
    finally:
        b.stop()
        c.stop()


def test_rfc3461_4_2_relayed_to_a_server_without_dsn_the_gateway_sends_the_delivery_report(
        make_gateway, sink, tmp_path):
    """The X.400 originator asked for a delivery report (NOTIFY=SUCCESS once mapped); B's
    SMTP next hop (aiosmtpd) does not offer DSN, so the request cannot be passed on: B
    reports the delivery itself once the next hop took the message (RFC 3461 §4.2,
    "relayed"; RFC 2156 Appendix A §3.2), as an X.411 delivery report."""
    handler, port = sink
    c, b = c_and_b(make_gateway, port)
    apdu = ipm_from_x400(c, tmp_path, "tell me when it arrives", ["ok@sink.test"], "--notify", "SUCCESS,FAILURE")
    c.start()
    b.start()
    try:
        c.cli("p1-submit", "--peer", "mta-b", str(apdu))
        wait_for(lambda: [e for e in c.queue_entries() if e.get("apdu") == "report"], 60,
                 "C to receive the delivery report")
        assert [m["rcpts"] for m in handler.messages] == [["ok@sink.test"]], handler.messages
        (entry,) = [e for e in c.queue_entries() if e.get("apdu") == "report"]
        dsn, text = report_as_dsn(c, entry, tmp_path)
        _, *per_rcpt = dsn.get_payload()[1].get_payload()
        assert len(per_rcpt) == 1, text
        f = per_rcpt[0]
        assert f["Final-Recipient"].startswith("x400; /RFC-822=ok(a)sink.test/"), dict(f.items())
        assert f["Action"] == "delivered" and f["Status"].startswith("2."), dict(f.items())
        wait_for(lambda: not b.queue_entries(), 20, "B's queue to empty")
        assert re.search(r"report \S+ to the X.400 originator: 1 delivered, 0 not delivered", b.log()), b.log()
    finally:
        b.stop()
        c.stop()
