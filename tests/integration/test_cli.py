"""The command-line contract: --help everywhere, check-config errors with
FILE:LINE: key, and the queue commands with and without a running daemon."""
import re
import json
import smtplib
import subprocess

import pytest

from conftest import MIXER


def run(*args):
    return subprocess.run([MIXER, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("cmd", [[], ["serve"], ["check-config"], ["queue"], ["queue", "list"], ["queue", "show"],
                                 ["queue", "hold"], ["queue", "release"], ["queue", "retry"], ["queue", "delete"],
                                 ["queue", "flush"], ["map"], ["p1-ping"], ["p1-submit"], ["decode"], ["encode"]])
def test_help_on_every_command(cmd):
    r = run(*cmd, "--help")
    assert r.returncode == 0
    assert "Usage:" in r.stdout and "--help" in r.stdout


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("queue", "show").returncode == 2  # ID missing


def test_check_config_default_is_ok():
    r = run("check-config", "-c", "conf/mixer.yaml")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "conf/mixer.yaml: configuration OK\n"


@pytest.mark.parametrize("edit,expected", [
    # unknown key
    (("  max_recipients: 5\n", "  max_recipients: 5\n  max_recipient: 6\n"),
     "{file}:10: key 'smtp.max_recipient': unknown key (known here: listen, hostname, max_message_size, "
     "max_recipients, max_line_length, max_commands, max_errors, max_connections, timeouts, tls, routes, resolver, mx_port, helo_name, out)"),
    # wrong type
    (("  max_recipients: 5\n", "  max_recipients: five\n"),
     "{file}:9: key 'smtp.max_recipients': expected a whole number, got 'five'"),
    # missing file
    (("  max_recipients: 5\n", "  max_recipients: 5\n  tls: { certificate: /no/such/cert.pem, private_key: /no/such/key.pem }\n"),
     "{file}:10: key 'smtp.tls.certificate': cannot read file '/no/such/cert.pem': No such file or directory\n"
     "{file}:10: key 'smtp.tls.private_key': cannot read file '/no/such/key.pem': No such file or directory"),
    # bad port
    (("127.0.0.1:{smtp}", "127.0.0.1:70000"),
     "{file}:7: key 'smtp.listen[0]': port 70000 is out of range 1-65535"),
])
def test_check_config_error_classes(make_gateway, edit, expected):
    gw = make_gateway()
    text = gw.config.read_text()
    old, new = edit[0].replace("{smtp}", str(gw.smtp_port)), edit[1]
    assert old in text
    gw.config.write_text(text.replace(old, new, 1))
    r = run("check-config", "-c", str(gw.config))
    assert r.returncode == 1
    assert r.stderr.strip() == expected.format(file=gw.config)
    # The daemon refuses to start on the same config, with the same words.
    s = run("serve", "-c", str(gw.config))
    assert s.returncode == 2
    assert expected.format(file=gw.config) in s.stderr
    assert "not started" in s.stderr


def test_check_config_tls_key_must_match_certificate(make_gateway, tls_cert, tmp_root):
    other = tmp_root / "other.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(other), "2048"], check=True, capture_output=True)
    gw = make_gateway(tls=(tls_cert[0], str(other)))
    r = run("check-config", "-c", str(gw.config))
    assert r.returncode == 1
    assert f"{gw.config}:13: key 'smtp.tls.private_key': '{other}': key values mismatch" in r.stderr


def send(gw, n=1):
    for i in range(n):
        with smtplib.SMTP("127.0.0.1", gw.smtp_port, timeout=10) as s:
            s.sendmail("a@b.example", ["u@x400.example", "Postmaster"], f"Subject: {i}\r\n\r\nbody {i}\r\n")


def test_queue_commands_while_the_daemon_runs(gateway):
    assert gateway.cli("queue", "list").stdout == "Mail queue is empty\n"
    send(gateway, 3)
    entries = gateway.queue_entries()
    ids = [e["id"] for e in entries]
    assert len(ids) == 3 and ids == sorted(ids)
    listing = gateway.cli("queue", "list").stdout
    assert listing.startswith("-Queue ID-")
    assert "-- 1 Kbytes in 3 Requests." in listing
    assert "u@x400.example (p1 via x400-mta, form 1, " in listing, listing
    assert re.search(r"Postmaster \(local, form 0, (queued|delivered)", listing), listing  # the Maildir's

    r = gateway.cli("queue", "hold", ids[0])
    assert r.stdout.strip() == f"{ids[0]}: placed on hold"
    assert f"{ids[0]}!" in gateway.cli("queue", "list").stdout
    assert gateway.queue_entries()[0]["held"] is True
    gateway.wait_log(f"{ids[0]}: placed on hold")  # done by the daemon, not the CLI
    assert gateway.cli("queue", "release", ids[0]).stdout.strip() == f"{ids[0]}: released from hold"
    assert gateway.cli("queue", "retry", ids[1]).stdout.strip() == f"{ids[1]}: scheduled for immediate retry"
    assert gateway.cli("queue", "delete", ids[2]).stdout.strip() == f"{ids[2]}: removed"
    assert [e["id"] for e in gateway.queue_entries()] == ids[:2]

    shown = gateway.cli("queue", "show", ids[0]).stdout
    assert "*** ENVELOPE RECORDS" in shown and "sender: a@b.example" in shown
    assert "history: hold " in shown and "history: release " in shown
    assert "Subject: 0\n\nbody 0\n" in shown and shown.endswith("*** END OF MESSAGE ***\n")

    missing = gateway.cli("queue", "hold", "00000000000", check=False)
    assert missing.returncode == 1 and "no such message in the queue" in missing.stderr
    bad = gateway.cli("queue", "delete", "../../etc", check=False)
    assert bad.returncode == 2 and "is neither a queue ID nor the MTS identifier or Message-ID of a queued message" in bad.stderr
    bad_show = gateway.cli("queue", "show", "nonsense", check=False)
    assert bad_show.returncode == 1


def test_queue_commands_without_a_daemon(make_gateway):
    gw = make_gateway().start()
    send(gw, 2)
    ids = [e["id"] for e in gw.queue_entries()]
    gw.stop()
    assert gw.cli("queue", "hold", ids[0]).stdout.strip() == f"{ids[0]}: placed on hold"
    assert gw.cli("queue", "delete", ids[1]).stdout.strip() == f"{ids[1]}: removed"
    # A restarted daemon sees what was done while it was down.
    gw.start()
    (e,) = gw.queue_entries()
    assert e["id"] == ids[0] and e["held"] is True
    gw.wait_log("daemon started: 1 messages in queue")
    gw.stop()


def test_decode_and_encode_round_trip_through_the_binary(tmp_path):
    """mixer decode / encode on the pp-1988 capture's message (issue 5)."""
    from pathlib import Path
    vector = Path(__file__).resolve().parents[1] / "vectors/p1/mts-apdu-pp-without-extensions.hex"
    tree = run("decode", str(vector))
    assert tree.returncode == 0, tree.stderr
    assert "local-identifier: alpha.test.357:23.10.26.10.40.15 (IA5String)" in tree.stdout
    assert "content-type" in tree.stdout and "built-in: 22 (interpersonal-messaging-1988)" in tree.stdout
    js = run("decode", "--json", str(vector))
    assert js.returncode == 0, js.stderr
    assert json.loads(js.stdout)["type"] == "mts-apdu"
    (tmp_path / "m.json").write_text(js.stdout)
    ber = subprocess.run([MIXER, "encode", str(tmp_path / "m.json")], capture_output=True, timeout=60)
    assert ber.returncode == 0, ber.stderr
    assert ber.stdout[:1] == b"\xa0"
    (tmp_path / "m.ber").write_bytes(ber.stdout)
    again = run("decode", "--json", str(tmp_path / "m.ber"))
    assert json.loads(again.stdout)["value"] == json.loads(js.stdout)["value"]
    # A broken APDU: exit 1 and the error names where.
    (tmp_path / "bad.ber").write_bytes(ber.stdout[:60])
    bad = run("decode", str(tmp_path / "bad.ber"))
    assert bad.returncode == 1 and "MTS-APDU" in bad.stderr, bad.stderr


def test_rfc2156_5_1_8_3_convert_of_a_dsn_with_failed_and_delayed_writes_the_report_and_the_ipm(tmp_path):
    """§5.1.8.3: "both a Delivery Report and an IPM shall be generated": the report to
    -o, the IPM for the delayed recipient to OUTPUT.ipm, named on stderr."""
    import json
    dsn = tmp_path / "dsn.eml"
    dsn.write_bytes(b"From: MAILER-DAEMON@mx.example.org\r\nTo: a@x400.example\r\nSubject: Undelivered\r\n"
                    b"Message-ID: <dsn-cli-1@mx.example.org>\r\nMIME-Version: 1.0\r\n"
                    b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
                    b"--b\r\nContent-Type: text/plain\r\n\r\nNo.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
                    b"Reporting-MTA: dns; mx.example.org\r\n\r\n"
                    b"Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
                    b"Final-Recipient: rfc822; slow@example.org\r\nAction: delayed\r\nStatus: 4.4.1\r\n--b--\r\n")
    out = tmp_path / "report.ber"
    r = run("convert", "-c", "conf/mixer.yaml", "--to", "x400", "--mail-from", "", "--rcpt", "a@x400.example",
            "-o", str(out), str(dsn))
    assert r.returncode == 0, r.stderr
    assert f"written to {out}.ipm" in r.stderr, r.stderr
    kinds = []
    for f in (out, tmp_path / "report.ber.ipm"):
        d = run("decode", "--json", str(f))
        assert d.returncode == 0, d.stderr
        kinds.append(next(iter(json.loads(d.stdout)["value"])))
    assert kinds == ["report", "message"], kinds
