"""The start-up snapshot (issue 14): a clean shutdown (SIGTERM, drained) writes
DIR/snapshot and names it in DIR/clean; the next start takes the entries from
it without opening their files, and removes both before anything else, so a
kill -9 after that start never reuses it. An offline CLI change discards it;
a stale one (another shutdown's generation) is never trusted."""
import re
import shutil
import smtplib


def send(gw, n):
    ids = []
    for i in range(n):
        with smtplib.SMTP("127.0.0.1", gw.smtp_port, timeout=20) as s:
            s.ehlo("snapshot.test")
            s.mail("a@b.example")
            s.rcpt(f"u{i}@x400.example")
            code, msg = s.data(f"Subject: snapshot {i}\r\n\r\nbody {i}\r\n".encode())
            assert code == 250
            ids.append(msg.decode().rsplit(" ", 1)[1])
    return ids


def recoveries(gw):
    """(entries recovered, of which from the snapshot) for each start so far."""
    return [(int(a), int(b)) for a, b in
            re.findall(r"recovered (\d+) entries in \d+ ms \([^;]*; (\d+) from the start-up snapshot\)", gw.log())]


def state(gw):
    return {e["id"]: (e["held"], [r.get("address") for r in e["recipients"]])
            for e in gw.queue_entries()}


def test_clean_restart_uses_the_snapshot_once_and_kill_9_after_it_does_not(make_gateway):
    gw = make_gateway()
    gw.start()
    ids = send(gw, 25)
    gw.cli("queue", "hold", ids[3])
    gw.wait_log("deferred")  # the P1 peer is down: attempts recorded
    gw.stop()
    assert "start-up snapshot of 25 entries written" in gw.log()
    assert (gw.queue / "snapshot").exists() and (gw.queue / "clean").exists()
    before = state(gw)
    assert before[ids[3]][0] is True

    gw.start()
    gw.wait_log("daemon started")
    assert recoveries(gw)[-1] == (25, 25)
    assert not (gw.queue / "snapshot").exists(), "the snapshot must be removed at start"
    assert not (gw.queue / "clean").exists()
    assert state(gw).keys() == before.keys()
    assert state(gw)[ids[3]][0] is True

    gw.kill9()  # a crash after a start from the snapshot
    gw.start()
    gw.wait_log("daemon started")
    assert recoveries(gw)[-1] == (25, 0), gw.log()
    assert state(gw).keys() == before.keys()
    gw.stop()


def test_offline_cli_change_discards_the_snapshot(make_gateway):
    gw = make_gateway()
    gw.start()
    ids = send(gw, 5)
    gw.stop()
    assert (gw.queue / "snapshot").exists()
    gw.cli("queue", "hold", ids[2])  # no daemon: the entry's file changes
    assert not (gw.queue / "snapshot").exists()
    gw.start()
    gw.wait_log("daemon started")
    assert recoveries(gw)[-1] == (5, 0)
    assert state(gw)[ids[2]][0] is True
    gw.stop()


def test_stale_snapshot_is_not_trusted(make_gateway, tmp_root):
    gw = make_gateway()
    gw.start()
    ids = send(gw, 6)
    gw.stop()
    shutil.copy(gw.queue / "snapshot", tmp_root / "old-snapshot")
    gw.start()
    gw.wait_log("daemon started")
    gw.cli("queue", "delete", ids[0])
    gw.stop()
    # The earlier shutdown's snapshot (still listing the deleted entry) under this shutdown's marker.
    shutil.copy(tmp_root / "old-snapshot", gw.queue / "snapshot")
    gw.start()
    gw.wait_log("daemon started")
    assert recoveries(gw)[-1] == (5, 0)
    assert "start-up snapshot not used: generation differs" in gw.log()
    assert ids[0] not in state(gw)
    gw.stop()
