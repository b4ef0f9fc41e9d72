"""The gateway's own reports (gateway/own_dsn, gateway/own_reports): a message
accepted over SMTP whose X.400 recipient then fails (here: its P1 peer is down
until the message expires, RFC 3463 5.4.7) comes back to its originator as one
RFC 3464 DSN, MAIL FROM:<>, over the SMTP channel; a recipient that said
NOTIFY=NEVER is not in it; the original entry is removed once the report is
queued, and the report once delivered. Python's email package reads it."""
import email
import email.policy
import time

import pytest
from aiosmtpd.controller import Controller

from conftest import RawClient, free_port
from test_p1 import peer_yaml, wait_for


class Catch:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"from": envelope.mail_from, "rcpts": list(envelope.rcpt_tos),
                              "content": envelope.original_content})
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def originator_mx():
    """aiosmtpd on a loopback port, catching what is sent to the originator: (handler, port)."""
    catch = Catch()
    port = free_port()
    server = Controller(catch, hostname="127.0.0.1", port=port, ready_timeout=5)
    server.start()
    yield catch, port
    server.stop()


def gateway_with_a_dead_peer(make_gateway, mx_port, lifetime, queue_extra=""):
    """Mixer A: every X.400 recipient routed to a P1 peer that never answers (so it expires
    after `lifetime`), the Internet reached through `mx_port`."""
    a = make_gateway(mta_name="mta-a")
    a.settings["p1"] = (f"  retry: {{ initial: 1s, max: 1s, lifetime: {lifetime} }}\n  peers:\n" +
                        peer_yaml("mta-down", "pw-d", "pw-a", free_port()) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-down ] }\n")
    a.settings["smtp_extra"] = f"  routes: [ {{ domain: \"*\", via: [ \"127.0.0.1:{mx_port}\" ], tls: none }} ]\n"
    a.settings["queue_extra"] = queue_extra
    a.write_config()
    a.start()
    return a


def send(a, mail_from, rcpts):
    """The message over SMTP: MAIL FROM and RCPT TO lines as given; the queue ID."""
    c = RawClient(a.smtp_port)
    c.reply()
    c.cmd("EHLO client.example")
    assert c.cmd(f"MAIL FROM:{mail_from}")[0] == 250
    for r in rcpts:
        assert c.cmd(f"RCPT TO:{r}")[0] == 250
    assert c.cmd("DATA")[0] == 354
    c.send(MESSAGE + b".\r\n")
    code, lines = c.reply()
    assert code == 250, lines
    c.cmd("QUIT")
    return lines[-1].split()[-1]


MESSAGE = (b"From: Jane Doe <jane@client.example>\r\n"
           b"To: Ulla <u@x400.example>, w@x400.example\r\n"
           b"Subject: will not arrive\r\n"
           b"Message-ID: <own-dsn-1@client.example>\r\n"
           b"\r\n"
           b"Hello X.400 world.\r\n")


def test_rfc3464_failure_after_acceptance_comes_back_as_one_dsn(make_gateway, originator_mx):
    catch, port = originator_mx
    a = gateway_with_a_dead_peer(make_gateway, port, "3s")
    try:
        qid = send(a, "<jane@client.example> RET=HDRS ENVID=own+2Ddsn",
                   ["<u@x400.example> ORCPT=rfc822;U+40x400.example", "<w@x400.example> NOTIFY=NEVER"])
        wait_for(lambda: catch.messages, 30, "the DSN at the originator's server")
        (m,) = catch.messages
        assert m["from"] == "<>" or m["from"] == "", m["from"]
        assert m["rcpts"] == ["jane@client.example"]
        dsn = email.message_from_bytes(m["content"], policy=email.policy.default)
        assert dsn.get_content_type() == "multipart/report" and dsn.get_param("report-type") == "delivery-status"
        assert not dsn.defects and all(not p.defects for p in dsn.walk())
        assert str(dsn["Auto-Submitted"]) == "auto-replied"
        parts = dsn.get_payload()
        assert [p.get_content_type() for p in parts] == ["text/plain", "message/delivery-status",
                                                         "text/rfc822-headers"]  # RET=HDRS
        assert b"Subject: will not arrive" in parts[2].get_payload(decode=True) or \
            "Subject: will not arrive" in parts[2].get_content()
        per_message, *per_rcpt = parts[1].get_payload()
        assert per_message["Original-Envelope-Id"] == "own-dsn"
        assert per_message["Reporting-MTA"].startswith("dns; ")
        assert len(per_rcpt) == 1, [dict(b.items()) for b in per_rcpt]  # w said NOTIFY=NEVER
        r = per_rcpt[0]
        assert r["Final-Recipient"] == "rfc822; u@x400.example"
        assert r["Original-Recipient"] == "rfc822; U@x400.example"
        assert r["Action"] == "failed" and r["Status"] == "5.4.7", dict(r.items())
        assert r["Remote-MTA"] == "x400; mta-down"
        # The original is removed once the report is queued, the report once delivered.
        wait_for(lambda: not a.queue_entries(), 10, "the queue to empty")
        log = a.log()
        assert f"{qid}: removed (every recipient done; the report is queued)" in log, log
    finally:
        a.stop()


def test_rfc3464_first_delay_warning_is_a_delayed_dsn_then_the_failure(make_gateway, originator_mx):
    catch, port = originator_mx
    a = gateway_with_a_dead_peer(make_gateway, port, "6s", queue_extra="  delay_warning: 2s\n")
    try:
        send(a, "<jane@client.example>", ["<u@x400.example>", "<w@x400.example> NOTIFY=FAILURE"])  # w: no delayed DSN
        wait_for(lambda: len(catch.messages) >= 2, 30, "a delayed DSN, then the failure")
        time.sleep(1)
        assert len(catch.messages) == 2, [m["content"][:300] for m in catch.messages]  # one warning only
        first, second = (email.message_from_bytes(m["content"], policy=email.policy.default) for m in catch.messages)
        _, *delayed = first.get_payload()[1].get_payload()
        assert [(b["Final-Recipient"], b["Action"]) for b in delayed] == [("rfc822; u@x400.example", "delayed")]
        assert delayed[0]["Status"].startswith("4.")
        assert delayed[0]["Will-Retry-Until"]
        assert "Delay" in str(first["Subject"])
        _, *failed = second.get_payload()[1].get_payload()
        assert sorted((b["Final-Recipient"], b["Action"]) for b in failed) == [
            ("rfc822; u@x400.example", "failed"), ("rfc822; w@x400.example", "failed")]
        assert second.get_payload()[2].get_content_type() == "message/rfc822"  # RET absent: all of it
        wait_for(lambda: not a.queue_entries(), 10, "the queue to empty")
    finally:
        a.stop()


class Refuse:
    """An originator's server that takes nothing: 550 5.1.1 for every recipient."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 <" + address + ">: Recipient address rejected: no such user"


def test_rfc3461_6_2_undeliverable_dsn_goes_once_to_the_postmaster_maildir(make_gateway):
    port = free_port()
    server = Controller(Refuse(), hostname="127.0.0.1", port=port, ready_timeout=5)
    server.start()
    a = gateway_with_a_dead_peer(make_gateway, port, "2s")
    try:
        qid = send(a, "<jane@client.example>", ["<u@x400.example>"])
        # The message expires, its DSN to jane is refused with 550: never a DSN about the
        # DSN, but one copy for the gateway's postmaster, in the local channel's Maildir.
        maildir = a.queue.parent / "postmaster" / "new"
        wait_for(lambda: maildir.exists() and list(maildir.iterdir()), 30, "the postmaster's copy")
        (copy,) = list(maildir.iterdir())
        got = email.message_from_bytes(copy.read_bytes(), policy=email.policy.default)
        assert got["Return-Path"] == "<>", got["Return-Path"]
        assert got["Delivered-To"] == "postmaster@gw.test"
        assert "jane@client.example; 5.1.1; " in got["X-Mixer-Undelivered"], got["X-Mixer-Undelivered"]
        assert got.get_content_type() == "multipart/report" and not got.defects
        assert b"\r\n" not in copy.read_bytes()  # Maildir: LF line ends
        wait_for(lambda: not a.queue_entries(), 10, "the queue to empty")
        log = a.log()
        assert "undeliverable report, sent to the postmaster <postmaster@gw.test>" in log, log
        assert "relay=local" in log and "status=sent (delivered to maildir" in log, log
        assert qid in log
    finally:
        a.stop()
        server.stop()


def test_undeliverable_x400_report_goes_once_to_the_x400_postmaster(make_gateway, tmp_path):
    """An X.400 report B cannot deliver (no route to its destination) is never reported
    on; with gateway.x400_postmaster set it goes there, once, as the same report with
    that destination, routed by p1.routes (here to a held peer, where it waits)."""
    import json
    import subprocess
    from conftest import MIXER
    from test_p1 import HOLD_PEER
    c = make_gateway(mta_name="mta-c")
    b = make_gateway(mta_name="mta-b")
    c.settings["p1"] = "  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-c", b.p1_port)
    b.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-c", "pw-c", "pw-b", c.p1_port) +
                        HOLD_PEER + "  routes:\n    - { match: \"/C=XX/ADMD= /PRMD=PM/\", peers: [ mta-hold ] }\n")
    c.write_config()
    b.write_config(extra="")
    text = b.config.read_text().replace("gateway:\n", "gateway:\n  x400_postmaster: \"/S=postmaster/PRMD=PM/ADMD= /C=XX/\"\n", 1)
    b.config.write_text(text)
    # The report: a DSN to a@x400.example as C's gateway converts it (RFC 2156 §5.1.8.3).
    dsn = tmp_path / "dsn.eml"
    dsn.write_bytes(b"From: MAILER-DAEMON@mx.example.org\r\nTo: a@x400.example\r\nSubject: Undelivered\r\n"
                    b"Message-ID: <dsn-pm-1@mx.example.org>\r\nMIME-Version: 1.0\r\n"
                    b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
                    b"--b\r\nContent-Type: text/plain\r\n\r\nNo.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
                    b"Reporting-MTA: dns; mx.example.org\r\n\r\n"
                    b"Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n")
    report = tmp_path / "report.ber"
    r = subprocess.run([MIXER, "convert", "-c", str(c.config), "--to", "x400", "--mail-from", "",
                        "--rcpt", "a@x400.example", "-o", str(report), str(dsn)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    c.start()
    b.start()
    try:
        c.cli("p1-submit", "--peer", "mta-b", str(report))
        wait_for(lambda: [e for e in b.queue_entries() if e["origin"] == "postmaster"], 30,
                 "the report to the X.400 postmaster")
        wait_for(lambda: len(b.queue_entries()) == 1, 10, "the failed report to be removed")
        (entry,) = b.queue_entries()
        assert entry["apdu"] == "report" and entry["recipients"][0]["peer"] == "mta-hold", entry
        got = tmp_path / "to-postmaster.ber"
        got.write_bytes(b.content(entry["id"]))
        decoded = json.loads(subprocess.run([MIXER, "decode", "--json", str(got)], capture_output=True, text=True,
                                            check=True).stdout)
        destination = json.dumps(decoded["value"]["report"]["envelope"]["report-destination-name"])
        assert "postmaster" in destination and "PM" in destination, destination
        log = b.log()
        assert "undeliverable X.400 report, sent to the X.400 postmaster" in log, log
        assert "undeliverable report, sent to the postmaster <" not in log, log
    finally:
        b.stop()
        c.stop()
