"""The queue manager between real daemons over loopback (issue 14): a P1 peer
down then up (retried, delivered), expiry after a short lifetime (failed
5.4.7 in `mixer queue show`), a second P1 peer taking over when the first is
down (fallback), and an entry with one p1 and one smtp recipient (the p1 one
delivered, the entry kept while the smtp one waits: no SMTP client yet)."""
import socket
import time
from pathlib import Path

from conftest import free_port
import queue_files
from test_p1 import HOLD_PEER, HOLD_ROUTE, apdu, peer_yaml, received, wait_for, write_apdus

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def queue_id(us: int) -> str:
    out = []
    for _ in range(11):
        out.append(ALPHABET[us & 31])
        us >>= 5
    return "".join(reversed(out))


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def write_entry(gw, content: bytes, rcpt_lines, forms=(), apdu_kind="message", arrival_us=None):
    """A complete queue entry written by hand, as the submit stage would: the
    content, the forms, then the control part, in one file."""
    arrival_us = arrival_us or int(time.time() * 1e6)
    qid = queue_id(arrival_us)
    (gw.queue / "msg").mkdir(parents=True, exist_ok=True)
    lines = ["mixer-queue 1", f"id {qid}", f"arrival {arrival_us}", "origin submit", 'client ""', 'helo ""',
             'protocol ""', f"size {len(content)}", f"crc32c {crc32c(content):08x}", 'sender ""']
    if apdu_kind:
        lines.append(f"apdu {apdu_kind}")
    for i, (kind, data, extra) in enumerate(forms, start=1):
        lines.append(f"form {i} kind={kind} size={len(data)} crc32c={crc32c(data):08x}{extra}")
    lines += list(rcpt_lines) + ["end"]
    queue_files.write(gw.queue / "msg" / qid, content, [data for _, data, _ in forms], "\n".join(lines) + "\n")
    return qid


def two(make_gateway, p1_a, p1_b=None):
    a = make_gateway(mta_name="mta-a")
    b = make_gateway(mta_name="mta-b")
    a.settings["p1"] = p1_a(b)
    b.settings["p1"] = p1_b or ("  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b", a.p1_port) + HOLD_PEER + HOLD_ROUTE)
    a.write_config()
    b.write_config()
    return a, b


def stats(gw):
    """The daemon's `stats` answer over its control socket (refreshed when asked: ask twice)."""
    answer = ""
    for _ in range(2):
        with socket.socket(socket.AF_UNIX) as c:
            c.settimeout(10)
            c.connect(str(gw.root / "var" / "run" / "mixer.sock"))
            c.sendall(b"stats\n")
            answer = c.makefile().readline()
        time.sleep(0.3)
    return answer


def show(gw, qid):
    return gw.cli("queue", "show", qid).stdout


def test_peer_down_then_up_is_retried_and_delivered(make_gateway, tmp_root):
    a, b = two(make_gateway, lambda b: "  retry: { initial: 1s, max: 2s }\n  peers:\n" +
               peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port))
    a.start()
    files = write_apdus(tmp_root / "down", "down", 3)
    ids = [l.split()[-1] for l in a.cli("p1-submit", "--peer", "mta-b", *map(str, files)).stdout.splitlines()]
    wait_for(lambda: a.log().count("status=deferred (cannot connect") >= 6, 30, "two rounds of deferrals")
    text = show(a, ids[0])
    assert "channel=p1 next_hop=mta-b form=0 status=deferred" in text, text
    assert "dsn=4.4.1 diag=(cannot connect: Connection refused)" in text, text
    listing = a.cli("queue", "list").stdout
    assert "MTA mta-b (p1 via mta-b, form 0, deferred, " in listing, listing
    assert "(4.4.1 cannot connect: Connection refused)" in listing, listing
    entry = {e["id"]: e for e in a.queue_entries()}[ids[0]]["recipients"][0]
    assert entry["next_hop"] == "mta-b" and entry["attempts"] >= 2 and entry["next_attempt"] > 0, entry
    b.start()
    wait_for(lambda: len(received(b)) == 3 and not a.queue_entries(), 30, "the three APDUs after the peer came up")
    assert sorted(received(b)) == sorted(f.read_bytes() for f in files)
    # B holds them (p1.peers hold: true): deferred without an association being tried.
    b.wait_log("relay=mta-hold, mts-id=", timeout=10)
    assert "status=deferred (held by p1.peers hold: true)" in b.log() and "cannot connect" not in b.log(), b.log()
    log = a.log()
    for qid in ids:
        assert f"{qid}: to=<mta-b>, relay=mta-b[127.0.0.1]:{b.p1_port}, mts-id=" in log, log
    assert "status=sent (transfer confirmed by mta-b)" in log and "delays=" in log
    assert "removed (every recipient delivered)" in log
    stats = a.cli("queue", "flush").stdout  # the control socket still answers
    assert "scheduled" in stats
    a.stop()
    b.stop()


def test_expiry_after_a_short_lifetime_fails_with_5_4_7(make_gateway, tmp_root):
    a, _ = two(make_gateway, lambda b: "  retry: { initial: 1s, max: 1s, lifetime: 3s }\n  peers:\n" +
               peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port))
    a.start()
    f = write_apdus(tmp_root / "exp", "exp", 1)[0]
    qid = a.cli("p1-submit", "--peer", "mta-b", str(f)).stdout.split()[-1]
    a.wait_log(f"{qid}: to=<mta-b>", timeout=10)
    a.wait_log("status=failed (delivery time expired", timeout=20)
    text = show(a, qid)
    assert "status=failed" in text and "dsn=5.4.7" in text, text
    assert "X.411 unable-to-transfer, maximum-time-expired" in text, text
    assert "last error: cannot connect" in text, text
    assert f"{qid}: kept in the queue for the operator" in a.log()
    # Kept for the operator, and not tried again.
    n = a.log().count(f"{qid}: to=<mta-b>")
    time.sleep(2.5)
    assert a.log().count(f"{qid}: to=<mta-b>") == n
    assert [e["id"] for e in a.queue_entries()] == [qid]
    a.stop()
    # After a restart it stays failed and kept.
    a.start()
    time.sleep(1)
    assert "status=failed" in show(a, qid)
    a.stop()


def test_second_peer_takes_over_when_the_first_is_down(make_gateway, tmp_root):
    down = free_port()
    a, b = two(make_gateway, lambda b: "  retry: { initial: 1h, max: 1h }\n  peers:\n" +
               peer_yaml("mta-down", "pw-d", "pw-a", down) + peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port))
    b.start()
    a.queue.mkdir(parents=True, exist_ok=True)
    content = apdu("fallback", 1)
    qid = write_entry(a, content, ["rcpt 0 channel=p1 peer=mta-down fallback=mta-b"])
    a.start()
    wait_for(lambda: received(b) == [content], 30, "the APDU at the second peer")
    wait_for(lambda: not a.queue_entries(), 10, "the entry removed")
    log = a.log()
    assert f"{qid}: to=<mta-down>, relay=mta-down" in log and "status=failover (cannot connect" in log, log
    assert "trying mta-b)" in log
    assert f"{qid}: to=<mta-b>, relay=mta-b[127.0.0.1]:{b.p1_port}" in log and "status=sent" in log
    assert "status=deferred" not in log  # failover comes before any deferral
    a.stop()
    b.stop()


def test_p1_recipient_delivered_entry_kept_while_smtp_recipient_waits(make_gateway, tmp_root):
    a, b = two(make_gateway, lambda b: "  retry: { initial: 1s, max: 2s }\n  peers:\n" +
               peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port))
    # The SMTP recipient's next hop is a smart host where nothing listens: it waits (deferred).
    a.settings["smtp_extra"] = (f"  routes: [ {{ domain: \"*\", via: [ \"127.0.0.1:{free_port()}\" ], tls: none }} ]\n"
                                "  out: { connect_timeout: 1s }\n")
    a.write_config()
    b.start()
    a.queue.mkdir(parents=True, exist_ok=True)
    content = apdu("mixed", 1)
    rfc822 = b"From: <a@x400.example>\r\nTo: <v@example.org>\r\nSubject: mixed\r\n\r\nbody\r\n"
    qid = write_entry(a, content, [
        "rcpt 0 to=u@x400.example channel=p1 peer=mta-b",
        "rcpt 1 to=v@example.org channel=smtp domain=example.org form=1",
    ], forms=[("rfc822", rfc822, " sender=a@x400.example body=7BIT")])
    a.start()
    wait_for(lambda: received(b) == [content], 30, "the p1 recipient's APDU")
    a.wait_log(f"{qid}: to=<u@x400.example>, relay=mta-b[127.0.0.1]:{b.p1_port}")
    time.sleep(1)
    entries = a.queue_entries()
    assert [e["id"] for e in entries] == [qid]
    r0, r1 = entries[0]["recipients"]
    assert r0["status"] == "delivered" and r0["channel"] == "p1" and r0["next_hop"] == "mta-b", r0
    a.wait_log(f"{qid}: to=<v@example.org>")
    entries = a.queue_entries()
    r1 = entries[0]["recipients"][1]
    assert r1["status"] == "deferred" and r1["channel"] == "smtp" and r1["next_hop"] == "example.org", r1
    assert r1["form"] == 1
    text = show(a, qid)
    assert "recipient: u@x400.example channel=p1 next_hop=mta-b form=0 status=delivered attempts=1" in text, text
    assert "recipient: v@example.org channel=smtp next_hop=example.org form=1 status=deferred attempts=1" in text, text
    assert "status 0 delivered" in text  # the history line, synced before the state moved on
    st = stats(a)
    assert st.startswith("ok ") and " qmgr_entries=1 " in st, st
    assert " p1_recipients=0 " in st and " smtp_recipients=1 " in st, st
    # After a restart: not sent again (delivered is recorded), still kept.
    a.stop()
    a.start()
    time.sleep(1.5)
    assert len(received(b)) == 1
    assert [e["id"] for e in a.queue_entries()] == [qid]
    a.stop()
    b.stop()


def test_peer_refusing_our_bind_is_suspended_until_the_configuration_changes(make_gateway, tmp_root):
    a, b = two(make_gateway, lambda b: "  retry: { initial: 1s, max: 1s }\n  peers:\n" +
               peer_yaml("mta-b", "pw-b", "not-our-password", b.p1_port))
    b.start()
    a.start()
    f = write_apdus(tmp_root / "auth", "auth", 1)[0]
    qid = a.cli("p1-submit", "--peer", "mta-b", str(f)).stdout.split()[-1]
    a.wait_log("p1 next hop mta-b suspended: Bind-Error authentication-error", timeout=20)
    a.wait_log(f"{qid}: to=<mta-b>", timeout=10)
    text = show(a, qid)
    assert "status=deferred" in text and "peer suspended: Bind-Error authentication-error" in text, text
    # Retrying does not cure it: no second association while suspended, even after a flush.
    binds = b.log().count("authentication-error")
    assert binds >= 1, b.log()
    a.cli("queue", "flush")
    time.sleep(3)
    assert b.log().count("authentication-error") == binds
    assert received(b) == []
    # The operator fixes our password: after the reload the message goes.
    a.settings["p1"] = "  retry: { initial: 1s, max: 1s }\n  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port)
    a.write_config()
    a.hup()
    wait_for(lambda: received(b) == [f.read_bytes()], 30, "the APDU after the reload")
    wait_for(lambda: not a.queue_entries(), 10, "the entry removed")
    a.stop()
    b.stop()
