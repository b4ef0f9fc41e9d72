"""The submit stage (issue 14): a message crosses the gateway. SMTP into
mixer A is converted to X.400 (RFC 2156 §5.1) once per P1 route, kept beside
the content as a converted form, transferred over P1 to mixer B, and B's
submit stage maps it back (§5.3) into an RFC 822 form for its SMTP channel.
Python's email package re-parses what B will send."""
import email
import email.policy
import re
import time

from conftest import RawClient, free_port
import queue_files
from test_p1 import peer_yaml, wait_for


def control_of(gw, queue_id):
    return queue_files.read(gw.queue / "msg" / queue_id).control


def entries_from(gw, origin):
    return [e for e in gw.queue_entries() if e["origin"] == origin]


def send_smtp(gw, sender, rcpts, message: bytes):
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("EHLO client.example")
    assert c.cmd(f"MAIL FROM:<{sender}>")[0] == 250
    for r in rcpts:
        code, lines = c.cmd(f"RCPT TO:<{r}>")
        assert code == 250, lines
    assert c.cmd("DATA")[0] == 354
    c.send(message + b".\r\n")
    reply = c.reply()
    c.cmd("QUIT")
    return reply


def pair_for_relay(make_gateway, b_extra="", b_holds=False, hold_extra=""):
    """A relays X.400 mail over P1 to B. For B, x400.example is on the Internet, reached
    through a port nobody listens on: what B takes waits there (deferred) to be read.
    b_extra: more of B's entry in A's peers (", mode: 1984"); b_holds: B keeps X.400
    recipients queued for a held peer (hold_extra: more of its entry)."""
    from test_p1 import HOLD_ROUTE
    HOLD_PEER = peer_yaml("mta-hold", "pw-hold", "pw-hold", 9, ", hold: true" + hold_extra)
    a = make_gateway(mta_name="mta-a")
    b = make_gateway(mta_name="mta-b", x400_domains=[],
                     smtp_extra=f"  routes: [ {{ domain: \"*\", via: [ \"127.0.0.1:{free_port()}\" ], tls: none }} ]\n",
                     queue_extra="  retry: { initial: 1h, max: 1h }\n")
    a.settings["p1"] = ("  retry: { initial: 1s, max: 2s }\n  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port, b_extra) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-b ] }\n")
    b.settings["p1"] = "  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b", a.p1_port) + (HOLD_PEER + HOLD_ROUTE if b_holds else "")
    a.write_config()
    b.write_config()
    return a, b


MESSAGE = (b"From: Jane Doe <jane@client.example>\r\n"
           b"To: Ulla <u@x400.example>\r\n"
           b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= from the Internet\r\n"
           b"Message-ID: <e2e-1@client.example>\r\n"
           b"Date: Thu, 03 Dec 2026 12:00:00 +0000\r\n"
           b"MIME-Version: 1.0\r\n"
           b"Content-Type: text/plain; charset=us-ascii\r\n"
           b"\r\n"
           b"Hello X.400 world.\r\n")


def test_smtp_to_p1_to_rfc822_form_across_two_gateways(make_gateway):
    a, b = pair_for_relay(make_gateway)
    b.start()
    a.start()
    code, lines = send_smtp(a, "jane@client.example", ["u@x400.example"], MESSAGE)
    assert code == 250, lines
    queue_id = re.search(r"queued as (\S+)", lines[-1]).group(1)
    # A converted it once (RFC 2156 §5.1) and logged the form with its MTS identifier and Message-ID.
    a.wait_log(f"{queue_id}: client=")
    line = [l for l in a.log().splitlines() if f"{queue_id}: client=" in l][0]
    assert "form1=p1/1988 mts-id=[" in line and "message-id=<e2e-1@client.example>" in line, line
    # A transferred it to B; B's submit stage mapped the recipient back to the Internet (§4.3.5).
    wait_for(lambda: entries_from(b, "p1"), 20, "B to receive the message")
    wait_for(lambda: not a.queue_entries(), 20, "A to finish the transfer")
    (entry,) = entries_from(b, "p1")
    control = control_of(b, entry["id"])
    assert re.search(r"\nform 1 kind=rfc822 size=\d+ crc32c=[0-9a-f]{8} sender=jane@client.example body=7BIT", control), control
    assert ("\nrcpt 0 to=u@x400.example or=\"/RFC-822=u(a)x400.example/PRMD=TEST/ADMD= /C=XX/\" channel=smtp "
            "domain=x400.example form=1 src=0 notify=FAILURE\n") in control, control
    form = queue_files.read(b.queue / "msg" / entry["id"]).forms[0]
    msg = email.message_from_bytes(form, policy=email.policy.default)
    assert str(msg["Subject"]) == "Grüße from the Internet"
    assert msg["From"].addresses[0].addr_spec == "jane@client.example"
    assert msg["To"].addresses[0].addr_spec == "u@x400.example"
    assert msg.get_content().strip() == "Hello X.400 world."
    assert msg["X400-Received"] or msg["Received"]
    assert not msg.defects
    # The operator finds it at B by its Message-ID, and by its MTS identifier (issue 14).
    shown = b.cli("queue", "show", "<e2e-1@client.example>").stdout
    assert f"id: {entry['id']}" in shown or entry["id"] in shown, shown
    mts = re.search(r'mts-id="(\[[^"]*\])"', control).group(1)
    assert entry["id"] in b.cli("queue", "show", mts).stdout
    a.stop()
    b.stop()


def test_rfc2156_appendix_b_null_country_name_crosses_p1(make_gateway):
    """A std-or recipient with a null C (`/C=/`; RFC 2156 Appendix B: X.400(1984) systems
    generate null attributes and rely on them, so any is carried) goes to a 1984 peer as an
    empty CountryName, and the peer (B) takes the transfer: B used to refuse it as outside
    X.411's SIZE, and A retried it for the message's lifetime. B relays it on to its own
    1984 peer (held) as it is."""
    a, b = pair_for_relay(make_gateway, b_extra=", mode: 1984", b_holds=True, hold_extra=", mode: 1984")
    b.start()
    a.start()
    code, lines = send_smtp(a, "jane@client.example", ['"/S=y/O=X/ADMD=BTT/C=/"@gw.test'], MESSAGE)
    assert code == 250, lines
    wait_for(lambda: entries_from(b, "p1"), 20, "B to take the transfer")
    wait_for(lambda: not a.queue_entries(), 20, "A to finish the transfer")
    (entry,) = entries_from(b, "p1")
    control = control_of(b, entry["id"])
    assert "\nrcpt 0 or=/S=y/O=X/ADMD=BTT/C=/ channel=p1 peer=mta-hold " in control, control
    assert "form1=p1/1984 " in a.log(), a.log()  # A converted it by Appendix B for its 1984 peer
    a.stop()
    b.stop()


def test_rfc2156_appendix_b_null_attribute_relayed_from_1984_to_1988_fails_at_the_relay(make_gateway):
    """B takes the APDU from its 1984 peer A, but its route for the recipient goes to a
    1988 MTA, where the null C is "not legal": B fails the recipient at once
    (unable-to-transfer, invalid-arguments; 5.1.3) instead of retrying a transfer the
    1988 MTA would refuse, and says why in its log."""
    a, b = pair_for_relay(make_gateway, b_extra=", mode: 1984", b_holds=True)
    b.start()
    a.start()
    code, lines = send_smtp(a, "jane@client.example", ['"/S=y/O=X/ADMD=BTT/C=/"@gw.test'], MESSAGE)
    assert code == 250, lines
    b.wait_log("not legal in X.400(1988)", timeout=20)
    line = [l for l in b.log().splitlines() if "not legal in X.400(1988)" in l][0]
    assert "recipient's O/R address" in line and "mta-hold is a 1988 MTA" in line, line
    b.wait_log("0 delivered, 1 not delivered")  # the non-delivery report goes back to the originator
    a.stop()
    b.stop()


def test_rfc2156_appendix_b_null_attribute_refused_at_rcpt_for_a_1988_route(make_gateway):
    gw = make_gateway()  # its "*" route goes to a 1988 peer
    gw.start()
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("EHLO client.example")
    assert c.cmd("MAIL FROM:<jane@client.example>")[0] == 250
    code, lines = c.cmd('RCPT TO:<"/S=y/O=X/ADMD=BTT/C=/"@gw.test>')
    assert code == 550 and lines[-1].startswith("550 5.1.3 ") and "not legal in X.400(1988) (RFC 2156 Appendix B: C value ''" in lines[-1], lines
    c.cmd("QUIT")
    gw.stop()


def test_conversion_refusal_is_the_smtp_reply_after_data(make_gateway):
    a, b = pair_for_relay(make_gateway)
    a.write_config(extra="mapping:\n  limits:\n    max_header_size: 2K\n")
    a.start()
    # The mapping engine refuses a header section over mapping.limits.max_header_size: the
    # SMTP client hears it after DATA, with the engine's reason, and nothing is queued.
    big = b"X-Filler: " + b"x" * 900 + b"\r\n"
    code, lines = send_smtp(a, "jane@client.example", ["u@x400.example"], big * 3 + MESSAGE)
    assert code == 552, lines
    assert lines[-1].startswith("552 5.3.4 the header is over a limit: header longer than 2048 octets"), lines
    assert not a.queue_entries()
    assert not list((a.queue / "msg").iterdir())
    a.stop()


def test_p1_recipient_without_route_fails_with_its_x411_reason(make_gateway):
    a, b = pair_for_relay(make_gateway)
    # B has no route for X.400 recipients it cannot map to the Internet.
    b.settings["x400_domains"] = ["x400.example"]
    b.write_config()
    b.start()
    a.start()
    code, lines = send_smtp(a, "jane@client.example", ["u@x400.example"], MESSAGE)
    assert code == 250, lines
    # B refuses the recipient at once (X.411 unable-to-transfer, unrecognised-OR-name) and
    # answers with its non-delivery report, which goes to the Internet originator as a DSN.
    wait_for(lambda: entries_from(b, "report"), 20, "B's report")
    (entry,) = entries_from(b, "report")
    assert not entries_from(b, "p1")  # the message, once its report was queued
    dsn = email.message_from_bytes(queue_files.read(b.queue / "msg" / entry["id"]).forms[0],
                                   policy=email.policy.default)
    assert dsn.get_content_type() == "multipart/report" and not dsn.defects
    _, *per_rcpt = dsn.get_payload()[1].get_payload()
    (f,) = per_rcpt
    assert f["Action"] == "failed" and f["Status"] == "5.1.1", dict(f.items())
    assert "unrecognised-OR-name" in f["Diagnostic-Code"], dict(f.items())
    assert "no route" in f["X400-Supplementary-Info"], dict(f.items())
    a.stop()
    b.stop()


def test_rfc5321_6_3_too_many_received_fields_is_a_loop(make_gateway):
    gw = make_gateway()
    gw.write_config(extra="")
    text = gw.config.read_text().replace("  x400_domains:", "  max_received: 3\n  x400_domains:")
    gw.config.write_text(text)
    gw.start()
    hops = b"".join(f"Received: from h{i}.example by h{i+1}.example; Thu, 03 Dec 2026 12:00:00 +0000\r\n".encode()
                    for i in range(4))
    code, lines = send_smtp(gw, "jane@client.example", ["postmaster@gw.test"], hops + MESSAGE)
    assert (code, lines[-1]) == (554, "554 5.4.6 Too many hops: 4 Received: header fields, mail loop suspected")
    assert not gw.queue_entries()
    # Three are fine; a "Received:" in the body does not count.
    code, lines = send_smtp(gw, "jane@client.example", ["postmaster@gw.test"],
                            hops[: hops.index(b"Received: from h3")] + MESSAGE + b"Received: in the body\r\n")
    assert code == 250, lines
    gw.stop()


def test_exactly_once_a_retransmitted_apdu_is_confirmed_not_queued_again(make_gateway, tmp_path):
    from test_p1 import apdu
    a, b = pair_for_relay(make_gateway, b_holds=True)  # B keeps the capture's message (X.400 recipients)
    b.start()
    a.start()
    f = tmp_path / "m.ber"
    f.write_bytes(apdu("dup", 1))
    # The same APDU transferred twice (as a peer does when our confirmation was lost).
    a.cli("p1-submit", "--peer", "mta-b", str(f))
    wait_for(lambda: len(entries_from(b, "p1")) == 1 and not a.queue_entries(), 20, "the first transfer")
    a.cli("p1-submit", "--peer", "mta-b", str(f))
    wait_for(lambda: not a.queue_entries(), 20, "the second transfer to be confirmed")
    (first,) = entries_from(b, "p1")
    b.wait_log(f"duplicate of {first['id']}, confirmed without queueing it again")
    # Kept across a restart of the receiver.
    b.stop()
    b.start()
    a.cli("p1-submit", "--peer", "mta-b", str(f))
    wait_for(lambda: not a.queue_entries(), 20, "the third transfer to be confirmed")
    assert len(entries_from(b, "p1")) == 1
    assert b.log().count(f"duplicate of {first['id']}") == 2
    a.stop()
    b.stop()
