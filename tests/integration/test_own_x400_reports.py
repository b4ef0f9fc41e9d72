"""The gateway's own reports for an X.400 originator (gateway/own_x400_report,
gateway/own_reports; issue 15). A non-delivery: an IPM transferred over P1
from mixer C into mixer B for two Internet recipients; B's SMTP next hop, a
scratch Postfix, answers 550 5.1.1 for one of them (check_recipient_access)
and takes the other, which it relays to smtp-sink. The one taken is
delivered, and C gets back over P1 one X.411 Report for the other: a
non-delivery with RFC 2156 §5.1.8.4's reason and diagnostic for 5.1.1, the
subject's MTS identifier, and the content returned (content-return-request).
tshark's p1 dissector reads the report without complaint (x400_judge), and
mixer convert turns it into a DSN that Python's email package reads. A probe
(RFC 2156 §5.3.9): answered by B with a delivery report from address mapping
alone, nothing sent by SMTP; or, with smtp.out.verify_probes, after a VRFY
at the Postfix next hop (Appendix A §1), which refuses one recipient."""
import email
import email.policy
import json
import re
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from conftest import MIXER, free_port
from test_e2e import ScratchPostfix
from test_p1 import HOLD_PEER, HOLD_ROUTE, peer_yaml, wait_for
from test_smtp_out import MX_PORT, Sink

# Postfix as B's next hop for sink.test: bad@ refused at RCPT (and VRFY) with 550 5.1.1,
# the rest relayed to smtp-sink on MX_PORT.
REFUSE_BAD = ("smtpd_recipient_restrictions = check_recipient_access inline:{ { bad@sink.test = "
              "550 5.1.1 <bad@sink.test>: Recipient address rejected: no such user } }, permit_mynetworks, reject\n")

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


@pytest.fixture
def postfix_sink():
    """A scratch Postfix on a loopback port taking mail for sink.test but refusing
    bad@sink.test, relaying what it takes to smtp-sink; (postfix, sink)."""
    sink = Sink("127.0.0.1")
    postfix = ScratchPostfix("sink.test", MX_PORT, REFUSE_BAD)
    yield postfix, sink
    postfix.stop()
    sink.stop()


def c_and_b(make_gateway, port, smtp_out=""):
    """C, the X.400 originator's MTA (what comes back waits in its queue to be read: every
    address routed to a held peer), and B, the gateway under test: SMTP to `port`, every X.400
    address (the originator's) routed over P1 to C."""
    c = make_gateway(mta_name="mta-c")
    b = make_gateway(mta_name="mta-b", x400_domains=[],
                     smtp_extra=f"  routes: [ {{ domain: \"*\", via: [ \"127.0.0.1:{port}\" ], tls: none }} ]\n" +
                     smtp_out)
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
        make_gateway, postfix_sink, tmp_path):
    postfix, smtp_sink = postfix_sink
    c, b = c_and_b(make_gateway, postfix.port)
    apdu = ipm_from_x400(c, tmp_path, "one of two will fail", ["ok@sink.test", "bad@sink.test"], "--ret", "FULL")
    c.start()
    b.start()
    try:
        c.cli("p1-submit", "--peer", "mta-b", str(apdu))
        wait_for(lambda: [e for e in c.queue_entries() if e.get("apdu") == "report"], 60,
                 "C to receive the non-delivery report")
        # The good recipient was delivered (Postfix relayed it to smtp-sink), the bad one only refused.
        (dump,) = smtp_sink.dumps(1, timeout=30)
        assert b"one of two will fail" in dump, dump[:2000]
        assert re.findall(rb"^X-Rcpt-Args: <([^>]*)>", dump, re.M) == [b"ok@sink.test"], dump[:2000]
        assert re.search(r"reject: RCPT from .*<bad@sink.test>: Recipient address rejected", postfix.maillog()), \
            postfix.maillog()
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


def probe_apdu(c, tmp_path, rcpts, local_id):
    """The BER of a probe C would send for an IPM from ORIGINATOR to `rcpts` (its envelope
    made by mixer convert, as a probe with the local identifier `local_id`)."""
    rfc822 = tmp_path / "in.eml"
    rfc822.write_bytes(b"From: Ann Smith <" + ORIGINATOR.encode() + b">\r\nTo: " +
                       ", ".join(f"<{r}>" for r in rcpts).encode() + b"\r\nSubject: probe\r\n\r\nnot sent\r\n")
    ipm = tmp_path / "ipm.ber"
    args = [MIXER, "convert", "-c", str(c.config), "--to", "x400", "--mail-from", ORIGINATOR]
    for r in rcpts:
        args += ["--rcpt", r]
    r = subprocess.run(args + ["-o", str(ipm), str(rfc822)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    decoded = json.loads(subprocess.run([MIXER, "decode", "--json", str(ipm)], capture_output=True, text=True,
                                        check=True).stdout)
    env = decoded["value"]["message"]["envelope"]
    probe = {k: env[k] for k in ("originator-name", "content-type", "trace-information", "per-recipient-fields")}
    probe["probe-identifier"] = dict(env["message-identifier"], **{"local-identifier": local_id})
    as_json = tmp_path / "probe.json"
    as_json.write_text(json.dumps({"type": "mts-apdu", "value": {"probe": probe}}))
    probe_ber = tmp_path / "probe.ber"
    subprocess.run([MIXER, "encode", "-o", str(probe_ber), str(as_json)], capture_output=True, text=True, check=True)
    return probe_ber


def test_rfc2156_5_3_9_probe_for_an_internet_recipient_is_answered_with_a_delivery_report(
        make_gateway, sink, tmp_path):
    handler, port = sink
    c, b = c_and_b(make_gateway, port)
    probe_ber = probe_apdu(c, tmp_path, ["ok@sink.test"], "probe-e2e-1")
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


def test_rfc2156_appendix_a_1_probe_answered_after_vrfy_at_the_postfix_next_hop(make_gateway, postfix_sink, tmp_path):
    """smtp.out.verify_probes: B asks its next hop, a scratch Postfix, with VRFY. Postfix
    answers 252 for ok@ (it will accept) and 550 5.1.1 for bad@ (its recipient
    restrictions): C gets one report, a delivery for ok@ and a non-delivery
    (unrecognised-OR-name, §5.1.8.4) for bad@; nothing is sent."""
    postfix, smtp_sink = postfix_sink
    c, b = c_and_b(make_gateway, postfix.port, "  out: { verify_probes: true }\n")
    probe_ber = probe_apdu(c, tmp_path, ["ok@sink.test", "bad@sink.test"], "probe-vrfy-1")
    c.start()
    b.start()
    try:
        c.cli("p1-submit", "--peer", "mta-b", str(probe_ber))
        try:
            wait_for(lambda: [e for e in c.queue_entries() if e.get("apdu") == "report"], 60,
                     "C to receive the probe's report")
        except AssertionError:
            raise AssertionError("no report at C:\n" + b.log()[-4000:] + postfix.maillog()[-2000:])
        (entry,) = [e for e in c.queue_entries() if e.get("apdu") == "report"]
        dsn, text = report_as_dsn(c, entry, tmp_path)
        _, *per_rcpt = dsn.get_payload()[1].get_payload()
        by_rcpt = {f["Final-Recipient"].split("RFC-822=")[1].split("/")[0]: f for f in per_rcpt}
        assert set(by_rcpt) == {"ok(a)sink.test", "bad(a)sink.test"}, text
        ok, bad = by_rcpt["ok(a)sink.test"], by_rcpt["bad(a)sink.test"]
        assert ok["Action"] == "delivered" and ok["Status"].startswith("2."), dict(ok.items())
        assert "VRFY at" in ok["X400-Supplementary-Info"] and " 252 " in ok["X400-Supplementary-Info"], dict(ok.items())
        assert bad["Action"] == "failed" and bad["Status"] == "5.1.1", dict(bad.items())
        assert "unrecognised-OR-name" in bad["Diagnostic-Code"], dict(bad.items())
        assert "550 5.1.1" in bad["X400-Supplementary-Info"], dict(bad.items())
        assert "probe-vrfy-1" in text, text[:3000]
        # Postfix saw two VRFYs and no message; smtp-sink got nothing.
        log = postfix.maillog()
        assert re.search(r"reject: VRFY from .*<bad@sink.test>", log), log
        assert smtp_sink.dumps(timeout=0) == []
        wait_for(lambda: not b.queue_entries(), 20, "B's queue to empty")
        assert re.search(r"report \S+ to the X.400 originator: 1 delivered, 1 not delivered", b.log()), b.log()
    finally:
        b.stop()
        c.stop()
