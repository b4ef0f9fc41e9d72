"""RTSE recovery as initiator between two daemons (issue 14, X.228 §7.6): mixer A
transfers a 1 MiB MTS-APDU to mixer B with 4 KiB checkpoints through a TCP relay
that cuts the first connection after some 300 KB; A's next association recovers
the broken connection (RTORQ recover, no bind) and resumes the activity (AR)
from B's last confirmed checkpoint, so only the rest travels again; B delivers
the APDU once, octet for octet. tshark reads both conversations without a
Malformed or expert Error/Warning item, but for the one frame where it joins
the resumed activity's segments without their head (they went on the broken
connection, and tshark reassembles per conversation). A second test: B
restarted between the cut and the recovery (its partial transfers are in
memory only) refuses the recovery, and A sends the APDU whole, still once."""
import json
import subprocess
import time

import pytest

from conftest import MIXER
from relay import Relay
from test_p1 import HOLD_PEER, HOLD_ROUTE, apdu, outbound_left, peer_yaml, received, tshark_problems, wait_for

P1_COMMON = "  retry: { initial: 1s, max: 2s }\n  checkpoint_size: 4\n"


def big_apdu(tmp_root, tag):
    """The pp-1988 capture's message (its MTS identifier made unique) with a 1 MiB IA5 body."""
    small = apdu(tag, 0)
    (tmp_root / "small.ber").write_bytes(small)
    content = subprocess.run([MIXER, "decode", "--json", str(tmp_root / "small.ber")], capture_output=True,
                             text=True, check=True).stdout
    ipm_hex = json.loads(content)["value"]["message"]["content"]["hex"]
    ipm = bytes.fromhex(ipm_hex)
    (tmp_root / "ipm.ber").write_bytes(ipm)
    ipm_json = json.loads(subprocess.run([MIXER, "decode", "--as", "information-object", "--json",
                                          str(tmp_root / "ipm.ber")], capture_output=True, text=True,
                                         check=True).stdout)
    line = "The quick brown fox jumps over the lazy dog 0123456789 abcdefghij\r\n"
    ipm_json["value"]["ipm"]["body"][0]["basic"]["ia5-text"]["data"] = line * (1048576 // len(line))
    (tmp_root / "ipm-big.json").write_text(json.dumps(ipm_json))
    subprocess.run([MIXER, "encode", str(tmp_root / "ipm-big.json"), "-o", str(tmp_root / "ipm-big.ber")], check=True)
    big = (tmp_root / "ipm-big.ber").read_bytes()
    # The capture's content is a definite OCTET STRING inside indefinite [0] and SET.
    at = small.find(ipm)
    assert at > 3 and small[at - 3:at] == bytes([0x04, 0x81, len(ipm)]) and small.endswith(b"\0\0\0\0"), "capture shape"
    n = len(big)
    out = small[:at - 3] + bytes([0x04, 0x83, n >> 16, (n >> 8) & 255, n & 255]) + big + small[at + len(ipm):]
    f = tmp_root / f"{tag}.ber"
    f.write_bytes(out)
    return f


def octets_from_initiator(conversation):
    return sum(len(d) for i, d in conversation if i)


PROBLEM = ("Malformed", "Expert Info (Error", "Expert Info (Warning", "Internal error")


def tshark_complaints(text, x410, recovering):
    """tshark's problem lines in one conversation's decode, but for two things tshark cannot
    read, each confined to its TPKT: in X.410-1984 mode the DT SPDUs (their user data is a
    bare slice of the APDU, P1-PRIMER §8, which tshark takes for a presentation PDU), and
    in a recovering conversation the RTSE subtree of the TPKT that ends the resumed
    activity (the first activity end after the AR), because tshark reassembles RTTR
    segments per TCP conversation and that activity's head went on the broken one."""
    bad, after_ar, tail_seen = [], False, False
    for frame in text.split("\nFrame "):
        for tpkt in frame.split("\nTPKT, Version"):
            is_tail = recovering and after_ar and not tail_seen and "MAJOR SYNC POINT (MAP) SPDU (41)" in tpkt
            if "ACTIVITY RESUME (AR) SPDU (29)" in tpkt:
                after_ar = True
            x410_data = x410 and "SPDU Type: DATA TRANSFER (DT) SPDU" in tpkt
            rtse_at = tpkt.find("X.228 OSI Reliable Transfer Service")
            at = 0
            for line in tpkt.split("\n"):
                if any(p in line for p in PROBLEM) and not x410_data and not (is_tail and 0 <= rtse_at < at):
                    bad.append(line)
                at += len(line) + 1
            if is_tail:
                tail_seen = True
    if recovering and not after_ar:
        bad.append("no ACTIVITY RESUME in the recovering conversation")
    return bad


def recovery_pair(make_gateway, cut_after, hold=False, peer_extra=""):
    b = make_gateway(mta_name="mta-b")
    relay = Relay(b.p1_port, cut_after, hold)
    a = make_gateway(mta_name="mta-a")
    a.settings["p1"] = P1_COMMON + "  peers:\n" + peer_yaml("mta-b", "pw-b", "pw-a", relay.port, peer_extra)
    b.settings["p1"] = P1_COMMON + "  peers:\n" + peer_yaml("mta-a", "pw-a", "pw-b") + HOLD_PEER + HOLD_ROUTE
    a.write_config()
    b.write_config()
    return a, b, relay


# The recovering association follows what the broken one negotiated: 1988 normal mode in
# monologue, and X.410-1984 mode in two-way alternate.
@pytest.mark.parametrize("peer_extra", ["", ", mode: 1984, dialogue: two-way-alternate"], ids=["normal", "x410_twa"])
def test_x228_7_6_interrupted_transfer_resumed_by_recover_delivered_once(make_gateway, tmp_root, peer_extra):
    x410 = "1984" in peer_extra
    a, b, relay = recovery_pair(make_gateway, cut_after=300_000, peer_extra=peer_extra)
    a.start()
    b.start()
    f = big_apdu(tmp_root, "rcv")
    sub = a.cli("p1-submit", "--peer", "mta-b", str(f))
    assert sub.returncode == 0, sub.stderr
    wait_for(lambda: len(received(b)) >= 1 and not outbound_left(a), 120, "the 1 MiB APDU at mta-b")
    time.sleep(0.5)
    got = received(b)
    assert got == [f.read_bytes()], f"{len(got)} copies at mta-b"  # once, octet for octet
    log_a, log_b = a.log(), b.log()
    # The resumption, logged with the peer, the MTS identifier and the checkpoint.
    lines = [l for l in log_a.splitlines() if "resumed from checkpoint" in l and "mts-id=" in l]
    assert lines, log_a[-3000:]
    assert "mta-b[127.0.0.1]" in lines[0] and ";rcv-" in lines[0], lines[0]
    checkpoint = int(lines[0].split("resumed from checkpoint ")[1].split()[0])
    assert checkpoint >= 10, lines[0]  # 300 KB went before the cut: tens of 4 KiB checkpoints
    assert "recovery of an interrupted transfer from mta-a accepted" in log_b
    assert "status=sent (transfer confirmed by mta-b)" in log_a
    entries = b.queue_entries()
    assert len(entries) == 1 and entries[0]["peer"] == "mta-a"  # the recovered association keeps the bound MTA
    # Two connections: the cut one, and the recovering one that sent only what followed the checkpoint.
    # (A third, between them, when mta-b had not yet seen the cut connection end and refused
    # the first recovery: the channel tries once more a second later.)
    assert len(relay.conversations) in (2, 3), len(relay.conversations)
    first, second = relay.conversations[0], relay.conversations[-1]
    assert 0 < octets_from_initiator(first) <= 300_000
    assert octets_from_initiator(second) < len(f.read_bytes()) - checkpoint * 4096 + 64_000, octets_from_initiator(second)
    # tshark: the cut conversation decodes clean; the recovering one too but for the resumed tail.
    _, text = tshark_problems(first, 102)
    bad = tshark_complaints(text, x410, recovering=False)
    assert not bad, "\n".join(bad[:20])
    _, text = tshark_problems(second, 102)
    bad = tshark_complaints(text, x410, recovering=True)
    assert not bad, "\n".join(bad[:20])
    assert "connectionDataRQ: recover (1)" in text and "connectionDataAC: recover (1)" in text
    assert "initiator-name" not in text  # recovery replaces the bind
    # The RTORQ proposes what the broken association negotiated: checkpoint 4 K, the dialogue mode.
    assert "checkpointSize: 4" in text
    assert ("dialogueMode: twa (1)" in text) == x410
    assert ("mode-value: x410-1984-mode (0)" in text) == x410
    assert ("X.410-1984 mode)" in lines[0] or "X.410-1984 mode)" in log_a) == x410
    assert f"Serial Number: {checkpoint}" in text
    assert text.count("MAJOR SYNC ACK (MAA) SPDU (42)") == 1  # the activity end, acknowledged once
    a.stop()
    b.stop()


def test_x228_refused_recovery_sends_the_apdu_whole_once(make_gateway, tmp_root):
    # No cut by the relay: mta-b is killed in the middle of the transfer and restarts
    # empty-handed (its partial transfers were in memory), so it refuses the recovery.
    a, b, relay = recovery_pair(make_gateway, cut_after=300_000, hold=True)
    a.start()
    b.start()
    f = big_apdu(tmp_root, "rfs")
    sub = a.cli("p1-submit", "--peer", "mta-b", str(f))
    assert sub.returncode == 0, sub.stderr
    wait_for(relay.held.is_set, 60, "300 KB of the transfer")
    time.sleep(0.5)  # the checkpoints' acknowledgements reach mta-a
    b.kill9()
    a.wait_log("interrupted", timeout=30)
    b.start()
    wait_for(lambda: len(received(b)) >= 1 and not outbound_left(a), 120, "the APDU at mta-b")
    time.sleep(0.5)
    assert received(b) == [f.read_bytes()]
    log_a = a.log()
    assert "refused the recovery" in log_a and "sending it whole" in log_a, log_a[-3000:]
    assert "resumed from checkpoint" not in log_a
    # The path: interrupted after checkpoints; the recovering association finds mta-b down
    # (deferred, the job keeps where it broke) or already back; mta-b refuses the recovery,
    # once more a second later, and the APDU goes whole.
    order = [log_a.find(s) for s in ("; recovering, mts-id=", "refused the recovery", "trying once more in 1s",
                                     "sending it whole", "status=sent")]
    assert -1 not in order and order == sorted(order), order
    a.stop()
    b.stop()
