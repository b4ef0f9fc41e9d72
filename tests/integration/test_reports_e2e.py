"""Reports end to end with real peers (issue 15). An Internet sender's
message goes through Postfix (a scratch instance) to mixer A, which converts
it (RFC 2156 §5.1) and transfers it over P1 to mixer B, a remote X.400 MTA.
B has no route for the recipient and answers with an X.411 non-delivery
report (unable-to-transfer, unrecognised-OR-name), which it transfers back to
A. A turns the report into a DSN (RFC 2156 §5.3.8, RFC 3464) to the sender,
matched to what it sent through its correlation journal (§5.3.8.3): the
originator's ENVID and ORCPT come back as Original-Envelope-Id and
Original-Recipient, which the X.400 report does not carry. Python's email
package reads the DSN the sender's MX (aiosmtpd) receives."""
import email
import email.policy
import re
import smtplib

from conftest import free_port
from test_e2e import ScratchPostfix
from test_own_reports import originator_mx  # noqa: F401 (fixture: the sender's MX)
from test_p1 import peer_yaml, wait_for

TABLE1 = "order.test#O$Order.PRMD$REMOTE.ADMD$ .C$XX#\n"
TABLE2 = "O$Order.PRMD$REMOTE.ADMD$ .C$XX#order.test#\n"


def test_rfc3464_sender_through_postfix_gets_a_correlated_dsn_when_the_x400_side_refuses(make_gateway, originator_mx):
    handler, port = originator_mx
    # A: order.test is X.400 by its MCGAM (/O=Order/PRMD=REMOTE/), everything X.400 goes to B;
    # mail for client.test (the sender's domain) goes to the sender's MX.
    a = make_gateway(mta_name="mta-a", x400_domains=[],
                     smtp_extra=f"  routes: [ {{ domain: client.test, via: [ \"127.0.0.1:{port}\" ], tls: none }} ]\n")
    (a.root / "t1.txt").write_text(TABLE1)
    (a.root / "t2.txt").write_text(TABLE2)
    a.settings["addressing"] = ("addressing:\n  tables:\n    - { file: t1.txt, kind: table1 }\n"
                                "    - { file: t2.txt, kind: table2 }\n")
    # B: no route for PRMD=REMOTE; the sender's O/R address (encoded at A's /PRMD=TEST/) is
    # X.400 for B (client.test in its x400_domains) and routed back to A.
    b = make_gateway(mta_name="mta-b", x400_domains=["client.test"])
    a.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-b ] }\n")
    b.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b", a.p1_port) +
                        "  routes:\n    - { match: \"/C=XX/ADMD= /PRMD=TEST/\", peers: [ mta-a ] }\n")
    a.write_config()
    b.write_config()
    b.start()
    a.start()
    postfix = ScratchPostfix("order.test", a.smtp_port)
    try:
        message = (b"From: Jane Doe <jane@client.test>\r\nTo: <u@order.test>\r\nSubject: will not arrive\r\n"
                   b"Message-ID: <rpt-e2e-1@client.test>\r\nDate: Thu, 03 Dec 2026 12:00:00 +0000\r\n\r\n"
                   b"Nobody at REMOTE routes this.\r\n")
        with smtplib.SMTP("127.0.0.1", postfix.port, timeout=30) as s:
            s.ehlo()
            # ORCPT names the address before the sender's own aliasing (RFC 3461 §4.2).
            s.sendmail("jane@client.test", ["u@order.test"], message,
                       mail_options=["ENVID=env-e2e-1", "RET=HDRS"],
                       rcpt_options=["NOTIFY=FAILURE", "ORCPT=rfc822;ulla@order.test"])
        wait_for(lambda: handler.messages, 90, "the DSN at the sender's MX")
        (got,) = handler.messages
        assert got["from"] in ("", "<>") and got["rcpts"] == ["jane@client.test"], got
        dsn = email.message_from_bytes(got["content"], policy=email.policy.default)
        assert dsn.get_content_type() == "multipart/report", got["content"][:2000]
        assert dsn.get_param("report-type") == "delivery-status"
        assert not dsn.defects and all(not p.defects for p in dsn.walk())
        assert dsn["Subject"].startswith("Delivery-Report"), dsn["Subject"]
        per_message, *per_rcpt = dsn.get_payload()[1].get_payload()
        text = got["content"].decode()
        # RFC 3464 §2.2.1, §2.3.1: the sender's ENVID and ORCPT, from A's record of what it sent.
        assert per_message["Original-Envelope-Id"] == "env-e2e-1", text
        assert per_message["Reporting-MTA"].startswith("x400;"), text
        assert len(per_rcpt) == 1, text
        f = per_rcpt[0]
        assert f["Original-Recipient"] == "rfc822;ulla@order.test", text
        assert f["Final-Recipient"].startswith("x400;") and "O=Order" in f["Final-Recipient"], text
        # X.411 unable-to-transfer / unrecognised-OR-name -> 5.1.1 (RFC 2156 §5.3.8.2).
        assert f["Action"] == "failed" and f["Status"] == "5.1.1", text
        assert "unrecognised-OR-name" in f["Diagnostic-Code"], text
        # The hops: B's failure and report, A's DSN naming the subject it reports on.
        line_a = [l for l in a.log().splitlines() if "message-id=<rpt-e2e-1@client.test>" in l]
        assert line_a, a.log()
        mts_id = re.search(r"mts-id=(\[[^\]]*\])", line_a[0]).group(1)
        assert re.search(r"report on " + re.escape(mts_id) + r" for the Internet: a DSN \(0 delivered, 1 failed\)",
                         a.log()), a.log()
        assert mts_id in b.log(), b.log()
    finally:
        postfix.stop()
        a.stop()
        b.stop()


def test_rfc3464_sender_through_postfix_gets_delayed_then_expired_dsns(make_gateway, originator_mx):
    """The same path with B down: A warns the sender once (a DSN "delayed" with
    Will-Retry-Until, its first delay warning) and, when the lifetime is over, reports the
    failure (5.4.7, X.411 maximum-time-expired), each DSN with the ENVID and ORCPT the
    sender gave Postfix."""
    handler, port = originator_mx
    a = make_gateway(mta_name="mta-a", x400_domains=["order.test"],
                     smtp_extra=f"  routes: [ {{ domain: client.test, via: [ \"127.0.0.1:{port}\" ], tls: none }} ]\n",
                     queue_extra="  delay_warning: 3s\n")
    a.settings["p1"] = ("  retry: { initial: 1s, max: 1s, lifetime: 8s }\n  peers:\n" +
                        peer_yaml("mta-down", "pw-d", "pw-a", free_port()) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-down ] }\n")
    a.write_config()
    a.start()
    postfix = ScratchPostfix("order.test", a.smtp_port)
    try:
        message = (b"From: Jane Doe <jane@client.test>\r\nTo: <u@order.test>\r\nSubject: stuck\r\n"
                   b"Message-ID: <rpt-e2e-2@client.test>\r\nDate: Thu, 03 Dec 2026 12:00:00 +0000\r\n\r\n"
                   b"The X.400 side is down.\r\n")
        with smtplib.SMTP("127.0.0.1", postfix.port, timeout=30) as s:
            s.ehlo()
            s.sendmail("jane@client.test", ["u@order.test"], message, mail_options=["ENVID=env-e2e-2"],
                       rcpt_options=["NOTIFY=DELAY,FAILURE", "ORCPT=rfc822;ulla@order.test"])
        wait_for(lambda: len(handler.messages) >= 2, 60, "a delayed DSN, then the failure")
        first, second = (email.message_from_bytes(m["content"], policy=email.policy.default)
                         for m in handler.messages[:2])
        for dsn in (first, second):
            assert dsn.get_content_type() == "multipart/report" and not dsn.defects
        text = [m["content"].decode(errors="replace") for m in handler.messages]
        meta, *delayed = first.get_payload()[1].get_payload()
        assert meta["Original-Envelope-Id"] == "env-e2e-2", text[0]
        assert [(b["Original-Recipient"].replace(" ", ""), b["Action"]) for b in delayed] == [
            ("rfc822;ulla@order.test", "delayed")], text[0]
        # RFC 3461 §4.3: RET concerns failures; a delay notice carries the header only.
        assert first.get_payload()[2].get_content_type() == "text/rfc822-headers", text[0]
        assert delayed[0]["Status"].startswith("4.") and delayed[0]["Will-Retry-Until"], text[0]
        meta, *failed = second.get_payload()[1].get_payload()
        assert meta["Original-Envelope-Id"] == "env-e2e-2", text[1]
        assert [(b["Original-Recipient"].replace(" ", ""), b["Action"], b["Status"]) for b in failed] == [
            ("rfc822;ulla@order.test", "failed", "5.4.7")], text[1]
        assert "maximum-time-expired" in failed[0]["Diagnostic-Code"], text[1]
        assert second.get_payload()[2].get_content_type() == "message/rfc822", text[1]  # RET absent: all of it
        wait_for(lambda: not a.queue_entries(), 20, "A's queue to empty")
        assert len(handler.messages) == 2, text
    finally:
        postfix.stop()
        a.stop()
