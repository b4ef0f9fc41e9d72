"""The ESMTP server against real clients: swaks, smtplib, raw sockets."""
import hashlib
import smtplib
import socket
import ssl
import subprocess
import time

import pytest

from conftest import RawClient
from test_p1 import wait_for

MESSAGE = (b"From: a@b.example\r\nTo: u@x400.example\r\nSubject: test\r\n\r\n"
           b"Hello\r\n.leading dot\r\n..two dots\r\n")


def swaks(gw, *args, check=True):
    r = subprocess.run(["swaks", "--server", f"127.0.0.1:{gw.smtp_port}", "--helo", "client.test",
                        "--from", "a@b.example", *args], capture_output=True, text=True, timeout=60)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout + r.stderr


def queued_id(transcript):
    for line in transcript.splitlines():
        if "queued as " in line:
            return line.rsplit("queued as ", 1)[1].strip()
    raise AssertionError("no 'queued as' in:\n" + transcript)


def test_swaks_message_is_queued_as_received(gateway):
    t = swaks(gateway, "--to", "u@x400.example", "--body", "hello from swaks")
    qid = queued_id(t)
    assert "250 2.0.0 Ok: queued as" in t
    entries = gateway.queue_entries()
    assert [e["id"] for e in entries] == [qid]
    e = entries[0]
    assert e["sender"] == "a@b.example"
    assert [r["address"] for r in e["recipients"]] == ["u@x400.example"]
    assert e["recipients"][0]["channel"] == "p1"
    assert b"hello from swaks" in gateway.content(qid)
    gateway.wait_log(f"{qid}: client=[127.0.0.1]:")
    assert f"from=<a@b.example>, size={e['size']}, nrcpt=1, form1=p1/1988 mts-id=[" in gateway.log()


def test_smtplib_content_stored_byte_exact_with_dots_unstuffed(gateway):
    with smtplib.SMTP("127.0.0.1", gateway.smtp_port, timeout=10) as s:
        s.ehlo("client.test")
        s.sendmail("a@b.example", ["u@x400.example"], MESSAGE)
    (e,) = gateway.queue_entries()
    assert gateway.content(e["id"]) == MESSAGE
    assert e["size"] == len(MESSAGE)


def test_pipelining(gateway):
    c = RawClient(gateway.smtp_port)
    assert c.reply()[0] == 220
    code, lines = c.cmd("EHLO client.test")
    assert code == 250 and "250-PIPELINING" in lines
    # RFC 2920: the whole transaction in one write, replies in order.
    c.send(b"MAIL FROM:<a@b.example>\r\nRCPT TO:<u1@x400.example>\r\nRCPT TO:<nobody@else.example>\r\n"
           b"RCPT TO:<u2@x400.example>\r\nDATA\r\n")
    assert c.reply()[0] == 250
    assert c.reply()[0] == 250
    code, lines = c.reply()
    assert code == 550 and lines[0].startswith("550 5.7.1")
    assert c.reply()[0] == 250
    assert c.reply()[0] == 354
    c.send(b"Subject: p\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<Postmaster>\r\nDATA\r\n")
    code, lines = c.reply()
    assert code == 250 and "queued as" in lines[0]
    assert c.reply()[0] == 250
    assert c.reply()[0] == 250
    assert c.reply()[0] == 354
    c.send(b"Subject: bounce\r\n\r\n.\r\nQUIT\r\n")
    assert c.reply()[0] == 250
    assert c.reply()[0] == 221
    assert c.closed()
    # The bounce to Postmaster goes by the local channel into the postmaster's Maildir.
    maildir = gateway.queue.parent / "postmaster" / "new"
    wait_for(lambda: maildir.exists() and len(list(maildir.iterdir())) == 1 and len(gateway.queue_entries()) == 1,
             10, "the bounce in the postmaster's Maildir")
    (copy,) = list(maildir.iterdir())
    assert copy.read_bytes().startswith(b"Return-Path: <>\nDelivered-To: Postmaster\n")
    assert b"Subject: bounce\n" in copy.read_bytes()
    (entry,) = gateway.queue_entries()
    assert [r["address"] for r in entry["recipients"]] == ["u1@x400.example", "u2@x400.example"]


def test_starttls_with_swaks_and_smtplib(make_gateway, tls_cert):
    gw = make_gateway(tls=tls_cert).start()
    t = swaks(gw, "--to", "u@x400.example", "--tls")
    assert "STARTTLS" in t and "TLS started" in t
    qid = queued_id(t)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", gw.smtp_port, timeout=10) as s:
        s.ehlo("c.test")
        assert s.has_extn("starttls")
        s.starttls(context=ctx)
        s.ehlo("c.test")
        assert not s.has_extn("starttls")
        s.sendmail("a@b.example", ["u@x400.example"], MESSAGE)
    entries = {e["id"]: e for e in gw.queue_entries()}
    assert qid in entries and len(entries) == 2
    shown = gw.cli("queue", "show", qid).stdout
    assert "protocol=ESMTPS" in shown and "tls=TLSv1." in shown
    gw.wait_log("TLS connection established from [127.0.0.1]")
    gw.stop()


def test_starttls_plaintext_injection_is_discarded(make_gateway, tls_cert):
    """CVE-2011-0411: commands pipelined after STARTTLS must not run after the handshake."""
    gw = make_gateway(tls=tls_cert).start()
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("EHLO c.test")
    c.send(b"STARTTLS\r\nRSET\r\n")
    code, _ = c.reply()
    assert code == 220
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    tls = ctx.wrap_socket(c.sock, server_hostname="gw.test")
    tls.sendall(b"NOOP\r\n")
    answer = tls.recv(1000)
    assert answer.startswith(b"250 2.0.0 Ok"), answer  # the injected RSET got no reply
    tls.close()
    gw.wait_log("octets pipelined after STARTTLS")
    gw.stop()


def test_starttls_not_offered_without_certificate(gateway):
    c = RawClient(gateway.smtp_port)
    c.reply()
    code, lines = c.cmd("EHLO c.test")
    assert not any("STARTTLS" in l for l in lines)
    assert c.cmd("STARTTLS")[1][0].startswith("502 5.5.1")


def test_size_declared_and_actual(gateway):
    c = RawClient(gateway.smtp_port)
    c.reply()
    code, lines = c.cmd("EHLO c.test")
    assert "250-SIZE 65536" in lines
    code, lines = c.cmd("MAIL FROM:<a@b.example> SIZE=70000")
    assert lines[0].startswith("552 5.3.4")
    assert c.cmd("MAIL FROM:<a@b.example> SIZE=100")[0] == 250
    assert c.cmd("RCPT TO:<u@x400.example>")[0] == 250
    assert c.cmd("DATA")[0] == 354
    c.send((b"x" * 998 + b"\r\n") * 80 + b".\r\n")
    code, lines = c.reply()
    assert lines[0].startswith("552 5.3.4"), lines
    assert c.cmd("NOOP")[0] == 250  # the session survives
    assert gateway.queue_entries() == []


def test_dsn_parameters_are_stored(gateway):
    c = RawClient(gateway.smtp_port)
    c.reply()
    code, lines = c.cmd("EHLO c.test")
    assert any(l[4:] == "DSN" for l in lines)
    assert c.cmd("MAIL FROM:<a@b.example> RET=HDRS ENVID=QQ+2B314 BODY=8BITMIME")[0] == 250
    assert c.cmd("RCPT TO:<u@x400.example> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;u+40x400.example")[0] == 250
    assert c.cmd("RCPT TO:<v@x400.example> NOTIFY=NEVER")[0] == 250
    code, lines = c.cmd("RCPT TO:<w@x400.example> NOTIFY=NEVER,SUCCESS")
    assert lines[0].startswith("501 5.5.4")
    code, lines = c.cmd("RCPT TO:<w@x400.example> ORCPT=nonsense")
    assert lines[0].startswith("501 5.5.4")
    assert c.cmd("DATA")[0] == 354
    c.send(b"Subject: dsn\r\n\r\n\xc3\xa9\r\n.\r\n")
    assert c.reply()[0] == 250
    (e,) = gateway.queue_entries()
    assert e["ret"] == "HDRS" and e["envid"] == "QQ+2B314" and e["body"] == "8BITMIME"
    r0, r1 = e["recipients"]
    assert r0["notify"] == "SUCCESS,DELAY" and r0["orcpt"] == "rfc822;u+40x400.example"
    assert r1["notify"] == "NEVER" and r1["orcpt"] == ""


def test_open_relay_attempt_is_refused(gateway):
    t = swaks(gateway, "--to", "victim@elsewhere.example", check=False)
    assert "550 5.7.1 <victim@elsewhere.example>: Relay access denied" in t
    t2 = swaks(gateway, "--to", "victim@[192.0.2.1]", check=False)
    assert "550 5.7.1" in t2
    t3 = swaks(gateway, "--to", "root@gw.test", check=False)
    assert "550 5.1.1" in t3
    assert gateway.queue_entries() == []
    gateway.wait_log("NOQUEUE: reject: RCPT TO:<victim@elsewhere.example> from [127.0.0.1]")
    t4 = swaks(gateway, "--to", "postmaster@gw.test")
    assert queued_id(t4)


def test_bare_lf_smuggling_attempt_is_refused(gateway):
    c = RawClient(gateway.smtp_port)
    c.reply()
    c.cmd("EHLO c.test")
    c.cmd("MAIL FROM:<a@b.example>")
    c.cmd("RCPT TO:<u@x400.example>")
    assert c.cmd("DATA")[0] == 354
    # The smuggled second transaction hides behind <LF>.<LF>.
    c.send(b"Subject: outer\r\n\r\nhi\n.\nMAIL FROM:<admin@x400.example>\r\nRCPT TO:<u@x400.example>\r\n"
           b"DATA\r\nSubject: smuggled\r\n\r\nforged\r\n.\r\n")
    code, lines = c.reply()
    assert code == 554 and lines[0].startswith("554 5.5.2 Message refused: bare <LF>"), lines
    assert c.cmd("NOOP")[0] == 250  # in step with the client: no stray replies
    c.send(b"QUIT\r\n")
    assert c.reply()[0] == 221
    assert gateway.queue_entries() == []
    # bare CR variant
    c = RawClient(gateway.smtp_port)
    c.reply()
    c.cmd("HELO c.test")
    c.cmd("MAIL FROM:<a@b.example>")
    c.cmd("RCPT TO:<u@x400.example>")
    c.cmd("DATA")
    c.send(b"hi\r.\rMAIL FROM:<x@y.example>\r\n.\r\n")
    assert c.reply()[1][0].startswith("554 5.5.2 Message refused: bare <CR>")
    assert gateway.queue_entries() == []


def test_slow_client_hits_idle_deadline(make_gateway):
    gw = make_gateway(idle="1s").start()
    c = RawClient(gw.smtp_port)
    assert c.reply()[0] == 220
    c.cmd("EHLO c.test")
    start = time.time()
    code, lines = c.reply()  # nothing sent: the server speaks first
    assert lines[0] == "421 4.4.2 gw.test Error: timeout exceeded"
    assert 0.8 < time.time() - start < 4
    assert c.closed()
    gw.wait_log("timeout after EHLO from [127.0.0.1]")
    # A client that trickles DATA slower than the idle deadline is cut too.
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("HELO c.test")
    c.cmd("MAIL FROM:<a@b.example>")
    c.cmd("RCPT TO:<u@x400.example>")
    c.cmd("DATA")
    c.send(b"Subject: slow\r\n")
    code, lines = c.reply()
    assert code == 421
    assert gw.queue_entries() == []
    gw.stop()


def test_session_deadline_bounds_a_busy_client(make_gateway):
    gw = make_gateway(idle="5s", session="2s").start()
    c = RawClient(gw.smtp_port)
    c.reply()
    start = time.time()
    with pytest.raises(ConnectionError):
        while time.time() - start < 10:
            code, lines = c.cmd("NOOP")
            if code == 421:
                assert lines[0].startswith("421 4.4.2")
                raise ConnectionError("deadline")
            time.sleep(0.2)
    assert time.time() - start < 5
    gw.stop()


def test_connection_limit(make_gateway):
    gw = make_gateway(max_connections=2).start()
    gw.wait_log("disconnect from")  # start()'s readiness probe no longer counts
    a, b = RawClient(gw.smtp_port), RawClient(gw.smtp_port)
    assert a.reply()[0] == 220 and b.reply()[0] == 220
    c = RawClient(gw.smtp_port)
    code, lines = c.reply()
    assert lines[0] == "421 4.3.2 All server ports are busy, try again later"
    a.cmd("QUIT")
    time.sleep(0.2)
    d = RawClient(gw.smtp_port)
    assert d.reply()[0] == 220
    gw.stop()


def test_error_limit_and_long_lines(make_gateway):
    gw = make_gateway(max_errors=3).start()
    c = RawClient(gw.smtp_port)
    c.reply()
    c.send(b"X" * 5000 + b"\r\n")
    assert c.reply()[1][0] == "500 5.5.2 Error: line too long"
    c.send(b"NOOP\n")
    assert c.reply()[1][0].startswith("500 5.5.2 Error: bare <LF>")
    code, lines = c.cmd("BOGUS")
    assert lines[0] == "421 4.7.0 gw.test Error: too many errors"
    assert c.closed()
    gw.stop()


def test_too_many_recipients(gateway):
    c = RawClient(gateway.smtp_port)
    c.reply()
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.example>")
    for i in range(5):
        assert c.cmd(f"RCPT TO:<u{i}@x400.example>")[0] == 250
    assert c.cmd("RCPT TO:<u9@x400.example>")[1][0] == "452 4.5.3 Error: too many recipients"
    assert c.cmd("DATA")[0] == 354
    c.send(b"Subject: five\r\n\r\n.\r\n")
    assert c.reply()[0] == 250
    assert len(gateway.queue_entries()[0]["recipients"]) == 5


def test_many_concurrent_clients_all_get_their_message_queued(gateway):
    import concurrent.futures

    def send(i):
        body = f"Subject: {i}\r\n\r\n".encode() + hashlib.sha256(str(i).encode()).hexdigest().encode() * 100 + b"\r\n"
        with smtplib.SMTP("127.0.0.1", gateway.smtp_port, timeout=30) as s:
            s.sendmail("a@b.example", ["u@x400.example"], body)
        return body

    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        bodies = set(ex.map(send, range(200)))
    entries = gateway.queue_entries()
    assert len(entries) == 200
    assert {gateway.content(e["id"]) for e in entries} == bodies
