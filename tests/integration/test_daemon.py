"""Daemon life cycle: SIGTERM drains, SIGHUP reloads (bad configs refused),
one daemon per queue."""
import smtplib
import socket
import subprocess
import time

from conftest import MIXER, RawClient


def test_sigterm_drains_idle_and_busy_sessions(make_gateway):
    gw = make_gateway(drain="10s").start()
    idle = RawClient(gw.smtp_port)
    idle.reply()
    idle.cmd("EHLO idle.test")
    busy = RawClient(gw.smtp_port)
    busy.reply()
    busy.cmd("EHLO busy.test")
    busy.cmd("MAIL FROM:<a@b.example>")
    busy.cmd("RCPT TO:<u@x400.example>")
    assert busy.cmd("DATA")[0] == 354
    busy.send(b"Subject: in flight\r\n\r\nfirst half\r\n")
    gw.proc.send_signal(15)
    # The idle session is told at once; the listener stops taking connections.
    code, lines = idle.reply()
    assert lines[0] == "421 4.3.2 gw.test Service shutting down, try again later"
    time.sleep(0.3)
    try:
        probe = socket.create_connection(("127.0.0.1", gw.smtp_port), timeout=2)
        assert probe.recv(100) == b""
    except OSError:
        pass
    # The busy one finishes its message, which is acknowledged and queued.
    busy.send(b"second half\r\n.\r\n")
    code, lines = busy.reply()
    assert code == 250 and "queued as" in lines[0]
    qid = lines[0].rsplit(" ", 1)[1]
    code, lines = busy.reply()
    assert code == 421
    assert gw.proc.wait(10) == 0
    gw.proc = None
    assert "stopped: 1 messages committed" in gw.log()
    assert gw.content(qid) == b"Subject: in flight\r\n\r\nfirst half\r\nsecond half\r\n"


def test_drain_deadline_closes_stuck_sessions(make_gateway):
    gw = make_gateway(drain="1s").start()
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("HELO c")
    c.cmd("MAIL FROM:<a@b.example>")
    c.cmd("RCPT TO:<u@x400.example>")
    c.cmd("DATA")
    c.send(b"Subject: never finished\r\n")
    start = time.time()
    gw.proc.send_signal(15)
    assert gw.proc.wait(10) == 0
    gw.proc = None
    assert time.time() - start < 5
    assert "drain deadline reached, closing 1 sessions" in gw.log()
    assert gw.queue_entries() == []


def test_sighup_reloads_routing_without_dropping_connections(gateway):
    c = RawClient(gateway.smtp_port)
    c.reply()
    c.cmd("EHLO c")
    assert c.cmd("MAIL FROM:<a@b.example>")[0] == 250
    assert c.cmd("RCPT TO:<u@new.example>")[0] == 550
    gateway.settings["x400_domains"] = ["x400.example", "new.example"]
    gateway.write_config()
    gateway.hup()
    gateway.wait_log("reloaded configuration from")
    # The open session keeps working (with the snapshot it started with)...
    assert c.cmd("RCPT TO:<u@x400.example>")[0] == 250
    assert c.cmd("DATA")[0] == 354
    c.send(b"Subject: across reload\r\n\r\n.\r\n")
    assert c.reply()[0] == 250
    # ...and new sessions use the new configuration.
    with smtplib.SMTP("127.0.0.1", gateway.smtp_port, timeout=10) as s:
        s.sendmail("a@b.example", ["u@new.example"], "Subject: new\r\n\r\nx\r\n")
    assert len(gateway.queue_entries()) == 2


def test_sighup_with_a_bad_config_keeps_the_old_one(gateway):
    good = gateway.config.read_text()
    gateway.config.write_text(good.replace("  max_recipients: 5\n", "  max_recipients: lots\n"))
    gateway.hup()
    gateway.wait_log("reload refused: keeping the running configuration")
    assert f"reload refused: {gateway.config}:9: key 'smtp.max_recipients': expected a whole number, got 'lots'" \
        in gateway.log()
    with smtplib.SMTP("127.0.0.1", gateway.smtp_port, timeout=10) as s:
        s.sendmail("a@b.example", ["u@x400.example"], "Subject: still\r\n\r\nrunning\r\n")
    gateway.config.write_text(good)
    assert len(gateway.queue_entries()) == 1


def test_reload_warns_about_keys_that_need_a_restart(gateway):
    text = gateway.config.read_text()
    gateway.config.write_text(text.replace("sync: syncfs", "sync: fsync"))
    gateway.hup()
    gateway.wait_log("reload: 'queue.sync' changed; it takes effect after a restart")


def test_one_daemon_per_queue(gateway):
    r = subprocess.run([MIXER, "serve", "-c", str(gateway.config)], capture_output=True, text=True, timeout=20)
    assert r.returncode == 1
    assert "is in use by another mixer daemon" in r.stderr


def test_listen_failure_is_reported(make_gateway):
    blocker = socket.socket()
    blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    gw = make_gateway()
    blocker.bind(("127.0.0.1", gw.smtp_port))
    blocker.listen(1)
    r = subprocess.run([MIXER, "serve", "-c", str(gw.config)], capture_output=True, text=True, timeout=20)
    blocker.close()
    assert r.returncode == 1
    assert f"cannot listen for SMTP on 127.0.0.1:{gw.smtp_port}" in r.stderr
