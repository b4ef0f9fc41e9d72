"""P1 between real daemons over loopback (issue 4): binds and refusals seen by
`mixer p1-ping`, 1,000 MTS-APDUs each way between two mixer instances, an
association cut by kill -9 that loses nothing, hostile peers, and tshark
decoding a whole daemon-to-daemon association without a Malformed or expert
Error/Warning item."""
import binascii
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import MIXER, free_port
from relay import Relay
import queue_files

SOURCE = Path(os.environ.get("MIXER_SOURCE", Path(__file__).resolve().parents[2]))
VECTOR = SOURCE / "tests/vectors/p1/mts-apdu-pp-without-extensions.hex"
MTS_ID = b"alpha.test.357:23.10.26.10.40.15"  # the MTS identifier's local part, 32 octets


def apdu(tag: str, i: int) -> bytes:
    """The pp-1988 capture's message with its MTS identifier made unique."""
    base = binascii.unhexlify("".join(VECTOR.read_text().split()))
    local = f"{tag}-{i:0{31 - len(tag)}d}".encode()
    assert len(local) == len(MTS_ID) and base.count(MTS_ID) == 1
    return base.replace(MTS_ID, local)


def peer_yaml(name, password, ours, port=None, extra=""):
    host = f", host: 127.0.0.1, port: {port}" if port else ""
    return f"    - {{ name: {name}, password: {password}, our_password: {ours}, addresses: [ 127.0.0.1 ]{host}{extra} }}\n"


# What a test daemon receives over P1 waits in its queue for the test to read:
# every address routes to a peer held by `hold: true`, whose next hop is suspended.
# (Without a route, the capture's recipients would fail and the daemon would
# answer them with a non-delivery report and remove the message.)
HOLD_PEER = peer_yaml("mta-hold", "pw-hold", "pw-hold", 9, ", hold: true")
HOLD_ROUTE = "  routes:\n    - { match: \"*\", peers: [ mta-hold ] }\n"


def pair(make_gateway, p1_common="  retry: { initial: 1s, max: 2s }\n", peer_a_port=None):
    """Two daemons, mta-a and mta-b, each the other's peer, each holding what it receives."""
    a = make_gateway(mta_name="mta-a")
    b = make_gateway(mta_name="mta-b")
    a.settings["p1"] = (p1_common + "  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-a", peer_a_port or b.p1_port) +
                        HOLD_PEER + HOLD_ROUTE)
    b.settings["p1"] = p1_common + "  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b", a.p1_port) + HOLD_PEER + HOLD_ROUTE
    a.write_config()
    b.write_config()
    return a, b


def write_apdus(directory: Path, tag: str, n: int):
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        f = directory / f"{tag}-{i:05d}.ber"
        f.write_bytes(apdu(tag, i))
        files.append(f)
    return files


def received(gw):
    """Contents of the P1 entries a daemon received (origin p1)."""
    out = []
    msg = gw.queue / "msg"
    if not msg.exists():
        return out
    for f in msg.iterdir():
        entry = queue_files.read(f)
        if entry and "\norigin p1\n" in entry.control and "\nend\n" in entry.control:  # complete
            out.append(entry.content)
    return out


def outbound_left(gw):
    return [e for e in gw.queue_entries() if e["origin"] == "submit"]


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def test_p1_ping_bind_result_and_bind_errors(make_gateway):
    gw = make_gateway(mta_name="mta-b")
    gw.settings["p1"] = "  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b")
    gw.write_config()
    gw.start()
    addr = f"127.0.0.1:{gw.p1_port}"
    ok = subprocess.run([MIXER, "p1-ping", addr, "--mta", "mta-a", "--password", "pw-a", "--peer", "mta-b",
                         "--peer-password", "pw-b"], capture_output=True, text=True, timeout=30)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout == "Bind-Result from mta-b\nreleased\n"
    # The responder's own name and password are checked by the initiator too.
    wrong_peer_pw = subprocess.run([MIXER, "p1-ping", addr, "--mta", "mta-a", "--password", "pw-a", "--peer", "mta-b",
                                    "--peer-password", "nope"], capture_output=True, text=True, timeout=30)
    assert wrong_peer_pw.returncode == 1, wrong_peer_pw.stdout
    bad = subprocess.run([MIXER, "p1-ping", addr, "--mta", "mta-a", "--password", "wrong"],
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 1
    assert bad.stdout == "Bind-Error authentication-error\n"
    unknown = subprocess.run([MIXER, "p1-ping", addr, "--mta", "stranger", "--password", "pw-a"],
                             capture_output=True, text=True, timeout=30)
    assert unknown.returncode == 1
    assert unknown.stdout == "Bind-Error authentication-error\n"
    nobody = subprocess.run([MIXER, "p1-ping", f"127.0.0.1:{free_port()}", "--mta", "mta-a", "--password", "x",
                             "--timeout", "5"], capture_output=True, text=True, timeout=30)
    assert nobody.returncode == 1 and "cannot connect" in nobody.stdout
    gw.wait_log("bind refused: authentication-error (wrong password for mta-a)")
    gw.wait_log("bind refused: authentication-error (unknown MTA stranger)")
    # SIGTERM with an idle association open: it is ended at once, not at the drain deadline (10s).
    idle = socket.create_connection(("127.0.0.1", gw.p1_port))
    idle.sendall(vector("ping-success/04-I-cr.hex"))
    assert idle.recv(100)[5] == 0xD0  # the CC
    t0 = time.time()
    gw.stop()
    assert time.time() - t0 < 3
    idle.settimeout(5)
    while idle.recv(100):  # an abort may come first; then the close (a timeout here fails the test)
        pass
    assert "shutdown deadline passed" in gw.log()


def test_thousand_apdus_each_way_between_two_daemons(make_gateway, tmp_root):
    a, b = pair(make_gateway)
    a.start()
    b.start()
    n = 1000
    to_b = write_apdus(tmp_root / "a2b", "a2b", n)
    to_a = write_apdus(tmp_root / "b2a", "b2a", n)
    ra, rb = {}, {}

    def submit(gw, peer, files, out):
        out["r"] = subprocess.run([MIXER, "p1-submit", "-c", str(gw.config), "--peer", peer, *map(str, files)],
                                  capture_output=True, text=True, timeout=600)

    threads = [threading.Thread(target=submit, args=(a, "mta-b", to_b, ra)),
               threading.Thread(target=submit, args=(b, "mta-a", to_a, rb))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ra["r"].returncode == 0, ra["r"].stderr
    assert rb["r"].returncode == 0, rb["r"].stderr
    assert ra["r"].stdout.count("queued as") == n
    wait_for(lambda: len(received(b)) >= n and len(received(a)) >= n, 300, "1000 APDUs each way")
    # Byte for byte what was submitted, each once, and nothing left to send.
    assert sorted(received(b)) == sorted(f.read_bytes() for f in to_b)
    assert sorted(received(a)) == sorted(f.read_bytes() for f in to_a)
    wait_for(lambda: not outbound_left(a) and not outbound_left(b), 60, "empty outbound queues")
    entries = b.queue_entries()
    assert all(e["origin"] == "p1" and e["peer"] == "mta-a" and e["apdu"] == "message" for e in entries)
    assert "status=sent (transfer confirmed by mta-b)" in a.log()
    listing = b.cli("queue", "list").stdout
    assert "(P1 message from MTA mta-a)" in listing
    # B retries its held next hop every few seconds: stopped, its entries stay as
    # they are between the two `queue show` calls compared below (read offline).
    b.stop()
    shown = b.cli("queue", "show", entries[0]["id"]).stdout  # decoded like `mixer decode`, then the octets
    assert "peer_mta: mta-a" in shown and "MTS-APDU\n  message\n    envelope" in shown
    assert "local-identifier: a2b-" in shown and "*** MESSAGE OCTETS" in shown
    # The X.400 MTS identifier (RFC 2156 §5.3 text) is recorded, logged and accepted for queue ID.
    mts_id = entries[0]["mts_id"]
    assert mts_id.startswith("[/PRMD=ALPHA/ADMD=TEST/C=GB/;a2b-") and mts_id.endswith("]"), mts_id  # global-id = std-or
    assert b.cli("queue", "show", mts_id).stdout == shown
    assert f"mts-id={mts_id}" in b.log() and f"mts-id={mts_id}" in a.log()
    a.stop()


def transfer_under_way(make_gateway, tmp_root, tag, n=2000):
    """mta-a with n APDUs queued while mta-b was down; mta-b started, the
    queue flushed, and returns once mta-b has begun receiving them."""
    a, b = pair(make_gateway)
    a.start()
    files = write_apdus(tmp_root / tag, tag, n)
    sub = subprocess.run([MIXER, "p1-submit", "-c", str(a.config), "--peer", "mta-b", *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    assert sub.returncode == 0, sub.stderr
    b.start()
    a.cli("queue", "flush")
    msg = b.queue / "msg"
    deadline = time.time() + 120
    while not (msg.exists() and len(os.listdir(msg)) >= 100):
        assert time.time() < deadline, "the transfer never started"
        time.sleep(0.01)
    return a, b, files


def test_interrupted_transfer_loses_nothing(make_gateway, tmp_root):
    n = 2000
    a, b, files = transfer_under_way(make_gateway, tmp_root, "cut", n)
    # Cut the associations in the middle: the receiving daemon dies.
    b.kill9()
    got_before = len(received(b))
    assert got_before < n, "the transfer finished before the cut; the test proves nothing"
    a.wait_log("status=deferred", timeout=30)
    b.start()
    wait_for(lambda: not outbound_left(a), 300, "the sender's queue to empty after the restart")
    contents = received(b)
    sent = [f.read_bytes() for f in files]
    missing = [i for i, s in enumerate(sent) if s not in set(contents)]
    assert not missing, f"{len(missing)} APDUs lost, first {missing[:5]}"
    duplicates = len(contents) - len(set(contents))
    # An APDU whose confirmation the kill swallowed is sent again; the receiver's
    # transfer journal (p1.duplicate_window) knows it and confirms it without
    # queueing it twice (issue 14, exactly once).
    assert duplicates == 0, f"{duplicates} duplicates"
    a.stop()
    b.stop()


def test_sender_killed_mid_transfer_sends_the_rest_after_restart(make_gateway, tmp_root):
    n = 2000
    a, b, files = transfer_under_way(make_gateway, tmp_root, "cuta", n)
    a.kill9()  # the sending daemon dies with associations under way
    left = len(os.listdir(a.queue / "msg"))
    assert 0 < left < n, left
    a.start()  # its start-up scan finds the unsent entries and schedules them
    wait_for(lambda: not outbound_left(a), 300, "the sender's queue to empty after its restart")
    contents = received(b)
    assert set(contents) == {f.read_bytes() for f in files}
    assert len(contents) - len(set(contents)) == 0  # the unconfirmed ones sent again are known to the receiver
    a.stop()
    b.stop()


def tpkt(payload: bytes) -> bytes:
    return b"\x03\x00" + (len(payload) + 4).to_bytes(2, "big") + payload


def exchange(port, data, timeout=10):
    """Sends data, reads until the daemon closes; returns (bytes, seconds)."""
    t0 = time.time()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        got = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            got += chunk
    return got, time.time() - t0


def vector(name):
    return binascii.unhexlify("".join((SOURCE / "tests/vectors/p1" / name).read_text().split()))


def test_hostile_peers_get_their_refusal_and_the_daemon_keeps_serving(make_gateway):
    gw = make_gateway(mta_name="mta-b")
    gw.settings["p1"] = ("  max_associations: 2\n  timeouts: { bind: 3s, idle: 4s }\n  peers:\n" +
                         peer_yaml("mta-a", "pw-a", "pw-b"))
    gw.write_config()
    gw.start()
    port = gw.p1_port
    ping = [MIXER, "p1-ping", f"127.0.0.1:{port}", "--mta", "mta-a", "--password", "pw-a"]
    # Too many associations: the third bind gets Bind-Error busy.
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    time.sleep(0.3)
    busy = subprocess.run(ping, capture_output=True, text=True, timeout=30)
    assert busy.returncode == 1 and busy.stdout == "Bind-Error busy\n", busy.stdout
    for h in held:
        h.close()
    time.sleep(0.3)
    # Garbage after a TPKT header: an X.224 ER at once, then the close.
    got, took = exchange(port, bytes.fromhex("0300000b0fffffffffffffff"))
    assert len(got) >= 9 and got[5] == 0x70, got.hex()
    assert took < 2.0  # the refusal itself, not the 3 s bind deadline
    # A TPKT announcing 65535 octets with a few: closed at the bind deadline (3s).
    got, took = exchange(port, bytes.fromhex("0300ffff02f0800d00"))
    assert got == b"" and 2.8 <= took < 8, (got.hex(), took)
    # Deep BER nesting in the presentation CP: session RF after the CC, at once.
    cp = b"\x31\x80" * 100 + b"\x00\x00" * 100
    params = b"\xc1\xff" + len(cp).to_bytes(2, "big") + cp
    cn = b"\x0d\xff" + len(params).to_bytes(2, "big") + params
    got, took = exchange(port, vector("ping-success/04-I-cr.hex") + tpkt(b"\x02\xf0\x80" + cn))
    assert len(got) > 18 and got[5] == 0xd0 and got[11 + 7] == 0x0c, got.hex()
    assert took < 2.0
    gw.wait_log("nesting deeper")
    gw.wait_log("bind deadline passed")
    # Still serving.
    ok = subprocess.run(ping, capture_output=True, text=True, timeout=30)
    assert ok.returncode == 0, ok.stdout
    gw.stop()


def tshark_problems(segments, port):
    """Writes the conversation as a pcap (text2pcap) and returns tshark's complaints and decode."""
    d = Path(tempfile.mkdtemp(prefix="mixer-p1-oracle-"))
    lines = []
    for from_initiator, data in segments:
        for at in range(0, len(data), 16000):
            chunk = data[at:at + 16000]
            lines.append("I" if from_initiator else "O")
            for i in range(0, len(chunk), 16):
                lines.append(f"{i:06x} " + " ".join(f"{b:02x}" for b in chunk[i:i + 16]))
    (d / "conv.txt").write_text("\n".join(lines) + "\n")
    subprocess.run(["text2pcap", "-q", "-D", "-4", "10.0.0.1,10.0.0.2", "-T", f"{port + 1000},{port}",
                    str(d / "conv.txt"), str(d / "conv.pcap")], check=True, capture_output=True)
    text = subprocess.run(["tshark", "-n", "-r", str(d / "conv.pcap"), "-d", f"tcp.port=={port},tpkt", "-V"],
                          capture_output=True, text=True, check=True).stdout
    shutil.rmtree(d)
    bad = [l for l in text.splitlines()
           if "Malformed" in l or "Expert Info (Error" in l or "Expert Info (Warning" in l or "Internal error" in l]
    return bad, text


def test_tshark_decodes_a_whole_daemon_to_daemon_association(make_gateway, tmp_root):
    b = make_gateway(mta_name="mta-b")
    relay = Relay(b.p1_port)  # records every octet, cuts nothing
    a = make_gateway(mta_name="mta-a")
    a.settings["p1"] = "  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-a", relay.port)
    b.settings["p1"] = "  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b") + HOLD_PEER + HOLD_ROUTE
    a.write_config()
    b.write_config()
    a.start()
    b.start()
    files = write_apdus(tmp_root / "oracle", "orc", 3)
    a.cli("p1-submit", "--peer", "mta-b", *map(str, files))
    wait_for(lambda: len(received(b)) == 3 and not outbound_left(a), 60, "3 APDUs")
    wait_for(lambda: sum(int(n) for n in re.findall(r"released after (\d+) APDUs", a.log())) == 3, 30,
             "the associations' releases")
    time.sleep(0.3)
    # Each association (the sender may use more than one) is one TCP conversation for tshark.
    texts = []
    for conversation in list(relay.conversations):
        bad, text = tshark_problems(conversation, 102)
        assert not bad, "\n".join(bad[:20])
        texts.append(text)
    text = "\n".join(texts)
    # What we meant to send, as tshark reads it: each bind with both names,
    # three messages with their MTS identifiers, each confirmed (major sync
    # acknowledged, X.228 §7.4), each association ended by an ACSE release.
    assoc = len(texts)
    assert assoc >= 1
    assert text.count("initiator-name: mta-a") == assoc and text.count("responder-name: mta-b") == assoc
    assert text.count("MTS-APDU: message (0)") == 3
    for i in range(3):
        assert f"local-identifier: orc-{i:028d}" in text
    assert text.count("SPDU Type: MAJOR SYNC ACK (MAA) SPDU (42)") == 3
    assert text.count("rlrq") == assoc and text.count("rlre") == assoc
    a.stop()
    b.stop()


def test_deferred_entries_wait_for_retry_flush_and_release(make_gateway, tmp_root):
    """Backoff of an hour; the operator's retry, flush and hold/release decide."""
    a, b = pair(make_gateway, p1_common="  retry: { initial: 1h, max: 2h }\n")
    a.start()
    files = write_apdus(tmp_root / "ops", "ops", 3)
    ids = [line.split()[-1] for line in a.cli("p1-submit", "--peer", "mta-b", *map(str, files)).stdout.splitlines()]
    wait_for(lambda: a.log().count("status=deferred (cannot connect") >= 3, 30, "three deferrals")
    entries = {e["id"]: e for e in a.queue_entries()}
    assert all(entries[i]["recipients"][0]["status"] == "deferred" for i in ids)
    # p1.retry.initial of an hour, shortened by up to 10% of jitter (the queue manager's backoff)
    waits = [int(w) for w in re.findall(r"next attempt in (\d+)s", a.log())]
    assert waits and all(3240 <= w <= 3600 for w in waits), waits
    b.start()
    a.cli("queue", "hold", ids[2])
    a.cli("queue", "retry", ids[0])  # this one now, the others keep waiting an hour
    wait_for(lambda: len(received(b)) == 1, 30, "the retried entry")
    assert received(b) == [files[0].read_bytes()]
    a.cli("queue", "flush")  # everything deferred, but not what is on hold
    wait_for(lambda: len(received(b)) == 2, 30, "the flushed entry")
    time.sleep(1)
    assert len(received(b)) == 2 and [e["id"] for e in a.queue_entries()] == [ids[2]]
    a.cli("queue", "release", ids[2])
    a.cli("queue", "flush")
    wait_for(lambda: len(received(b)) == 3 and not a.queue_entries(), 30, "the released entry")
    assert sorted(received(b)) == sorted(f.read_bytes() for f in files)
    # An unknown peer and a file that is not an MTS-APDU are refused at submission.
    bad = a.cli("p1-submit", "--peer", "mta-z", str(files[0]), check=False)
    assert bad.returncode == 1 and "no peer MTA 'mta-z' in the p1.peers table" in bad.stderr
    junk = tmp_root / "junk.ber"
    junk.write_bytes(b"\x30\x03\x02\x01\x05")
    bad = a.cli("p1-submit", "--peer", "mta-b", str(junk), check=False)
    assert bad.returncode == 1 and "not an MTS-APDU" in bad.stderr, bad.stderr
    a.stop()
    b.stop()


def test_sighup_applies_a_new_peer_table_to_new_associations(make_gateway, tmp_root):
    gw = make_gateway(mta_name="mta-b")
    gw.settings["p1"] = "  peers:\n" + peer_yaml("mta-a", "old-pw", "pw-b")
    gw.write_config()
    gw.start()
    ping = [MIXER, "p1-ping", f"127.0.0.1:{gw.p1_port}", "--mta", "mta-a", "--password", "new-pw"]
    assert subprocess.run(ping, capture_output=True, text=True, timeout=30).stdout == "Bind-Error authentication-error\n"
    (tmp_root / "pw").write_text("new-pw\n")
    gw.settings["p1"] = "  peers:\n    - { name: mta-a, password_file: pw, our_password: pw-b }\n"
    gw.write_config()
    gw.hup()
    gw.wait_log("reloaded configuration")
    ok = subprocess.run(ping, capture_output=True, text=True, timeout=30)
    assert ok.returncode == 0 and ok.stdout == "Bind-Result from mta-b\nreleased\n", ok.stdout
    # A bad peer table is refused with its line, and the running one kept.
    gw.settings["p1"] = "  peers:\n    - { name: mta-a, password: x }\n"
    gw.write_config()
    gw.hup()
    gw.wait_log("key 'p1.peers[0].our_password': missing")
    gw.wait_log("reload refused: keeping the running configuration")
    assert subprocess.run(ping, capture_output=True, text=True, timeout=30).returncode == 0
    gw.stop()
