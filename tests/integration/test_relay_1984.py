"""X.419 Annex B between real daemons (issue 14): mixer A transfers a 1988
message over P1 to mixer B, which relays it to mixer C, configured in B as an
X.400(1984) peer (`mode: 1984`). The message carries what 1984 lacks: an
envelope extension (content correlator), a common name in a recipient's O/R
address, and a second recipient with a per-recipient extension marked
critical for transfer. C must receive the message downgraded (no
extensions, the common name as the domain-defined attribute "Common", only
the first recipient), read cleanly by `mixer decode --json` and by tshark's
p1 dissector (tests/judges/x400_judge); B must record the second recipient
failed with unable-to-transfer / unsupported-critical-function. A loop
through a 1984 MTA in another domain: B's internal trace is lost on the way
(1984 has no extensions), so B finds the loop in the trace (X.411
§12.2.1.1.1.4: it left B's domain and came back)."""
import binascii
import json
import re
import subprocess
import time
from pathlib import Path

from conftest import MIXER
from test_p1 import HOLD_PEER, HOLD_ROUTE, VECTOR, peer_yaml, received, wait_for

X400_JUDGE = Path(MIXER).parent / "tests" / "judges" / "x400_judge"


def decode_json(path: Path) -> dict:
    r = subprocess.run([MIXER, "decode", "--json", "--no-content", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def the_1988_message(tmp_path: Path) -> Path:
    """The pp-1988 capture's message with the 1988 elements added (mixer decode/encode)."""
    base = tmp_path / "base.ber"
    base.write_bytes(binascii.unhexlify("".join(VECTOR.read_text().split())))
    tree = decode_json(base)
    env = tree["value"]["message"]["envelope"]
    env["message-identifier"]["local-identifier"] = "relay-1984-test"
    # No content-return-request: a 1984 report has no content type (X.411 (1984)
    # DeliveryReportContent), and tshark cannot dissect returned content without one.
    env["per-message-indicators"] = "001"
    env["extensions"] = [{"type": {"standard-extension": 23}, "value": {"ia5text": "relay correlator"}}]
    first = env["per-recipient-fields"][0]
    second = json.loads(json.dumps(first))
    first["recipient-name"]["extension-attributes"] = [
        {"extension-attribute-type": 1, "extension-attribute-value": "Relay Tester"}]
    second["originally-specified-recipient-number"] = 2
    second["recipient-name"]["built-in-standard-attributes"]["personal-name"] = {"surname": "critical"}
    second["extensions"] = [{"type": {"standard-extension": 6}, "criticality": "010", "value": [0]}]
    env["per-recipient-fields"] = [first, second]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(tree))
    out = tmp_path / "in.ber"
    r = subprocess.run([MIXER, "encode", "-o", str(out), str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def test_x419_annex_b_message_relayed_to_a_1984_peer_arrives_downgraded(make_gateway, tmp_path):
    a = make_gateway(mta_name="mta-a")
    b = make_gateway(mta_name="mta-b")
    c = make_gateway(mta_name="mta-c")
    retry = "  retry: { initial: 1s, max: 2s }\n  peers:\n"
    a.settings["p1"] = retry + peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port) + HOLD_PEER + HOLD_ROUTE
    b.settings["p1"] = (retry + peer_yaml("mta-a", "pw-a", "pw-b", a.p1_port) +
                        peer_yaml("mta-c", "pw-c", "pw-b", c.p1_port, ", mode: 1984") +
                        "  routes:\n    - { match: \"*\", peers: [ mta-c ] }\n")
    c.settings["p1"] = retry + peer_yaml("mta-b", "pw-b", "pw-c", b.p1_port) + HOLD_PEER + HOLD_ROUTE
    for gw in (a, b, c):
        gw.write_config()
    apdu = the_1988_message(tmp_path)
    sent = decode_json(apdu)["value"]["message"]
    assert len(sent["envelope"]["per-recipient-fields"]) == 2 and sent["envelope"]["extensions"]
    for gw in (a, b, c):
        gw.start()
    try:
        a.cli("p1-submit", "--peer", "mta-b", str(apdu))
        wait_for(lambda: any(b"relay-1984-test" in x for x in received(c)), 60, "C to receive the relayed message")
        # (C also gets B's non-delivery report on the second recipient: MTS-APDU report [1].)
        (octets,) = [x for x in received(c) if b"relay-1984-test" in x and x[0] == 0xA0]  # message [0]
        got = tmp_path / "relayed.ber"
        got.write_bytes(octets)
        # tshark's p1 dissector reads it without a Malformed or expert Error/Warning item.
        j = subprocess.run([str(X400_JUDGE), str(got)], capture_output=True, text=True)
        assert j.returncode == 0, j.stdout + j.stderr
        message = decode_json(got)["value"]["message"]
        env = message["envelope"]
        # No extensions at all: the content correlator and B's internal trace left out.
        assert "extensions" not in env, json.dumps(env, indent=1)[:3000]
        (rcpt,) = env["per-recipient-fields"]
        assert rcpt["originally-specified-recipient-number"] == 1
        name = rcpt["recipient-name"]
        assert "extension-attributes" not in name, name
        assert {"type": "Common", "value": "Relay Tester"} in name["built-in-domain-defined-attributes"], name
        assert "extensions" not in rcpt
        assert env["content-type"] == {"built-in": 22}
        # The content is the one A sent (an MTA does not touch it).
        assert message["content"] == sent["content"]
        # B's non-delivery report on the second recipient (unable-to-transfer,
        # unsupported-critical-function) went the same way, downgraded too: 18 is not
        # a 1984 diagnostic (0-11), so C gets the reason alone.
        wait_for(lambda: any(x[0] == 0xA1 for x in received(c)), 30, "C to receive B's report")
        (report_octets,) = [x for x in received(c) if x[0] == 0xA1]
        report = tmp_path / "report.ber"
        report.write_bytes(report_octets)
        j = subprocess.run([str(X400_JUDGE), str(report)], capture_output=True, text=True)
        assert j.returncode == 0, j.stdout + j.stderr
        text = json.dumps(decode_json(report))
        assert '"non-delivery-reason-code": 1' in text, text[:3000]
        assert "non-delivery-diagnostic-code" not in text, text[:3000]
        assert '"extensions"' not in text, text[:3000]
    finally:
        for gw in (a, b, c):
            gw.stop()


def start_loop(make_gateway, tmp_path, local_id, c_prmd=None, c_to_b=""):
    """A submits an IPM (its local identifier `local_id`) to B; B sends everything to C, an
    X.400(1984) MTA; C (misconfigured) sends everything back to B. The three, started."""
    a = make_gateway(mta_name="mta-a")
    b = make_gateway(mta_name="mta-b")
    c = make_gateway(mta_name="mta-c", **({"prmd": c_prmd} if c_prmd else {}))
    retry = "  retry: { initial: 1s, max: 2s }\n  peers:\n"
    a.settings["p1"] = retry + peer_yaml("mta-b", "pw-b", "pw-a", b.p1_port) + HOLD_PEER + HOLD_ROUTE
    b.settings["p1"] = (retry + peer_yaml("mta-a", "pw-a", "pw-b", a.p1_port) +
                        peer_yaml("mta-c", "pw-c", "pw-b", c.p1_port, ", mode: 1984") +
                        "  routes:\n    - { match: \"*\", peers: [ mta-c ] }\n")
    c.settings["p1"] = (retry + peer_yaml("mta-b", "pw-b", "pw-c", b.p1_port, c_to_b) +
                        "  routes:\n    - { match: \"*\", peers: [ mta-b ] }\n")
    for gw in (a, b, c):
        gw.write_config()
    base = tmp_path / "base.ber"
    base.write_bytes(binascii.unhexlify("".join(VECTOR.read_text().split())))
    tree = decode_json(base)
    tree["value"]["message"]["envelope"]["message-identifier"]["local-identifier"] = local_id
    src = tmp_path / "in.json"
    src.write_text(json.dumps(tree))
    apdu = tmp_path / "in.ber"
    r = subprocess.run([MIXER, "encode", "-o", str(apdu), str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for gw in (a, b, c):
        gw.start()
    try:
        a.cli("p1-submit", "--peer", "mta-b", str(apdu))
    except BaseException:
        for gw in (a, b, c):
            gw.stop()
        raise
    return a, b, c


def test_x411_12_2_1_1_1_4_loop_through_a_1984_mta_in_another_domain_is_detected(make_gateway, tmp_path):
    a, b, c = start_loop(make_gateway, tmp_path, "loop-1984-test", c_prmd="OTHER")  # C: another domain
    try:
        wait_for(lambda: "left this domain" in b.log() and "to the X.400 originator" in b.log(), 60,
                 "B to find the loop and report it")
        log = b.log()
        assert re.search(r"failed: the APDU loops: its trace shows it left this domain \(XX/ /TEST\) and came back", log), log
        # The originator is told (a non-delivery report, loop-detected), and the message does not
        # go round again: B took it twice, from A and back from C.
        assert re.search(r"report \S+ to the X.400 originator: 0 delivered, 1 not delivered", log), log
        time.sleep(2)
        taken = re.findall(r"apdu=message, mts-id=\[[^\]]*;loop-1984-test\]", b.log())
        assert len(taken) == 2, b.log()
    finally:
        for gw in (a, b, c):
            gw.stop()


def test_x411_loop_through_a_1984_mta_in_our_own_domain_is_detected(make_gateway, tmp_path):
    # An X.400(1984) MTA keeps no internal trace and, in our own domain, adds no trace element:
    # the APDU comes back with nothing in its trace that shows the loop. What shows it: B
    # relayed this recipient of this MTS identifier to C, and C sends it back.
    a, b, c = start_loop(make_gateway, tmp_path, "loop-own-1984", c_to_b=", mode: 1984")  # C: our domain
    try:
        wait_for(lambda: "which sent it back" in b.log() and "to the X.400 originator" in b.log(), 60,
                 "B to find the loop and report it")
        log = b.log()
        assert re.search(r"bob/O=Beta/PRMD=BETA/ADMD=TEST/C=GB/: failed: the APDU loops: this recipient was relayed to "
                         r"mta-c, which sent it back \(no redirection or DL expansion since\)", log), log
        # The originator is told (loop-detected), and nothing is dropped unreported: before, C
        # took B's second transfer as a duplicate of the first and confirmed it silently.
        assert re.search(r"report \S+ to the X.400 originator: 0 delivered, 1 not delivered", log), log
        time.sleep(2)
        assert len(re.findall(r"apdu=message, mts-id=\[[^\]]*;loop-own-1984\]", b.log())) == 2, b.log()
        assert len(re.findall(r"apdu=message, mts-id=\[[^\]]*;loop-own-1984\]", c.log())) == 1, c.log()
        assert "duplicate of" not in c.log(), c.log()
    finally:
        for gw in (a, b, c):
            gw.stop()
