"""RFC 2156 chapter 4 wired into the gateway: `mixer map`, table errors in
check-config, RCPT routing by MCGAM with the O/R form queued, reloads."""
import smtplib
import subprocess

from conftest import MIXER, RawClient

TABLE1 = "mcgam.example#PRMD$EXAMPLE.ADMD$ .C$XX#\n"
TABLE2 = "PRMD$EXAMPLE.ADMD$ .C$XX#mcgam.example#\n"


def run(*args, stdin=None):
    return subprocess.run([MIXER, *args], capture_output=True, text=True, timeout=60, input=stdin)


def with_tables(make_gateway, table1=TABLE1, table2=TABLE2, **kw):
    gw = make_gateway(**kw)
    (gw.root / "t1.txt").write_text(table1)
    (gw.root / "t2.txt").write_text(table2)
    gw.settings["addressing"] = ("addressing:\n  tables:\n"
                                 "    - { file: t1.txt, kind: table1 }\n"
                                 "    - { file: t2.txt, kind: table2 }\n")
    gw.write_config()
    return gw


def test_map_with_the_shipped_tables():
    r = run("map", "-c", "conf/mixer.yaml", "john.smith@sales.x400.example")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "/G=john/S=smith/O=sales/PRMD=EXAMPLE/ADMD= /C=XX/\n"
    back = run("map", "-c", "conf/mixer.yaml", "/G=john/S=smith/O=sales/PRMD=EXAMPLE/ADMD= /C=XX/")
    assert back.stdout == "john.smith@sales.x400.example\n"
    explained = run("map", "-c", "conf/mixer.yaml", "--explain", "--to", "x400", "a@x400.example").stdout
    assert "rule: RFC 2156 §4.3.4 stage I (MCGAM)" in explained
    assert "conf/tables/mcgam-table1.txt:" in explained


def test_map_batch_is_tsv_and_says_what_failed():
    r = run("map", "-c", "conf/mixer.yaml", stdin="a@x400.example\n/C=XX/ADMD= /PRMD=EXAMPLE/S=x/\nbad@@\n")
    assert r.returncode == 1  # one refusal
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows[0][0] == "# input"
    assert rows[1][:4] == ["a@x400.example", "x400", "ok", "/S=a/PRMD=EXAMPLE/ADMD= /C=XX/"]
    assert rows[2][:4] == ["/C=XX/ADMD= /PRMD=EXAMPLE/S=x/", "rfc822", "ok", "x@x400.example"]
    assert rows[3][:3] == ["bad@@", "rfc822", "refused"]


def test_check_config_names_the_table_line(make_gateway):
    gw = with_tables(make_gateway, table1="# comment\nmcgam.example#PRMD$EXAMPLE.ADMD$ .C$XX#\nnot a line\n")
    r = run("check-config", "-c", str(gw.config))
    assert r.returncode == 1
    assert r.stderr.startswith(f"{gw.root / 't1.txt'}:3: ")
    s = run("serve", "-c", str(gw.config))
    assert s.returncode == 2 and f"{gw.root / 't1.txt'}:3: " in s.stderr


def test_check_config_names_a_missing_table(make_gateway):
    gw = make_gateway()
    gw.settings["addressing"] = "addressing:\n  tables:\n    - { file: nope.txt, kind: table1 }\n"
    gw.write_config()
    r = run("check-config", "-c", str(gw.config))
    assert r.returncode == 1
    line = gw.config.read_text().splitlines().index("    - { file: nope.txt, kind: table1 }") + 1
    assert r.stderr.strip() == (f"{gw.config}:{line}: key 'addressing.tables[0].file': cannot read file "
                                f"'{gw.root / 'nope.txt'}': No such file or directory")


def test_rcpt_routed_by_mcgam_and_or_form_queued(make_gateway):
    gw = with_tables(make_gateway, x400_domains=[]).start()
    with smtplib.SMTP("127.0.0.1", gw.smtp_port, timeout=10) as s:
        s.sendmail("a@b.example", ["john.smith@sales.mcgam.example"], "Subject: x\r\n\r\ny\r\n")
    (e,) = gw.queue_entries()
    (r,) = e["recipients"]
    assert r["channel"] == "p1"
    assert r["or_address"] == "/G=john/S=smith/O=sales/PRMD=EXAMPLE/ADMD= /C=XX/"
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.example>")
    code, lines = c.cmd("RCPT TO:<nobody@x400.example>")  # no longer listed anywhere
    assert lines[0] == "550 5.7.1 <nobody@x400.example>: Relay access denied"
    code, lines = c.cmd("RCPT TO:<root@gw.test>")
    assert code == 550 and lines[0].startswith("550 5.1.") and "RFC 2156 section 4.3.1" in lines[0]
    code, lines = c.cmd('RCPT TO:<"/S=Jones/O=Org/PRMD=P/ADMD= /C=XX/"@gw.test>')
    assert code == 250, lines
    gw.stop()


def test_sighup_with_a_bad_table_keeps_the_old_tables(make_gateway):
    gw = with_tables(make_gateway, x400_domains=[]).start()
    (gw.root / "t1.txt").write_text(TABLE1 + "other.example#PRMD$OTHER.ADMD$ .C$XX#\nbroken\n")
    gw.hup()
    gw.wait_log("reload refused: keeping the running configuration")
    assert f"reload refused: {gw.root / 't1.txt'}:3: " in gw.log()
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("HELO c")
    c.cmd("MAIL FROM:<a@b.example>")
    assert c.cmd("RCPT TO:<u@other.example>")[0] == 550  # the bad file's new entry is not live
    assert c.cmd("RCPT TO:<u@mcgam.example>")[0] == 250
    c.cmd("QUIT")
    (gw.root / "t1.txt").write_text(TABLE1 + "other.example#PRMD$OTHER.ADMD$ .C$XX#\n")
    gw.hup()
    gw.wait_log("reloaded configuration from")
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("HELO c")
    c.cmd("MAIL FROM:<a@b.example>")
    assert c.cmd("RCPT TO:<u@other.example>")[0] == 250
    gw.stop()


def test_route_decided_at_rcpt_is_queued_after_a_reload_mid_session(make_gateway):
    # Issue 14's defect: the recipient was routed again at DATA with the new configuration,
    # so one the new tables refuse was queued with channel x400 and an empty O/R address.
    gw = with_tables(make_gateway, x400_domains=[]).start()
    c = RawClient(gw.smtp_port)
    c.reply()
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.example>")
    code, lines = c.cmd("RCPT TO:<john.smith@sales.mcgam.example>")
    assert code == 250, lines
    (gw.root / "t1.txt").write_text("other.example#PRMD$OTHER.ADMD$ .C$XX#\n")  # mcgam.example gone
    gw.hup()
    gw.wait_log("reloaded configuration from")
    code, lines = c.cmd("DATA")
    assert code == 354, lines
    c.send(b"Subject: x\r\n\r\ny\r\n.\r\n")
    code, lines = c.reply()
    assert code == 250, lines
    c.cmd("QUIT")
    (e,) = gw.queue_entries()
    (r,) = e["recipients"]
    assert r["channel"] == "p1"
    assert r["or_address"] == "/G=john/S=smith/O=sales/PRMD=EXAMPLE/ADMD= /C=XX/"
    gw.stop()
