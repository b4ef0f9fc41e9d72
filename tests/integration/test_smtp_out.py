"""Outbound SMTP (smtp/client) against real peers: the test driver
tests/tools/mixer-smtp-deliver delivers with a scratch mixer config whose
smtp.resolver is a dnsmasq started here on a loopback port (MX, A and null MX
records of a test zone under .test), to Postfix's smtp-sink (plain ESMTP,
refusals with -r/-f/-Q/-q, the conversation logged with -v) and to aiosmtpd
(per-recipient refusals, STARTTLS with certificates from a CA made by openssl
in this run). Every MX target uses the config's smtp.mx_port; hosts are told
apart by their loopback address (127.0.0.x)."""
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import free_port

DELIVER = os.environ.get("MIXER_SMTP_DELIVER",
                         str(Path(__file__).resolve().parents[2] / "build" / "tests" / "tools" / "mixer-smtp-deliver"))
SMTP_SINK = shutil.which("smtp-sink", path="/usr/sbin:/usr/bin") or "/usr/sbin/smtp-sink"
DNSMASQ = shutil.which("dnsmasq", path="/usr/sbin:/usr/bin") or "/usr/sbin/dnsmasq"

MX_PORT = free_port()  # every MX target of this run listens here, each on its own 127.0.0.x

# The test zone. 127.0.0.1 is the good sink; 127.0.0.3 has nothing listening.
ZONE = """\
local=/test/
mx-host=order.test,mx1.order.test,10
mx-host=order.test,mx2.order.test,20
host-record=mx1.order.test,127.0.0.3
host-record=mx2.order.test,127.0.0.1
host-record=plain.test,127.0.0.1
mx-host=down.test,mx.down.test,10
host-record=mx.down.test,127.0.0.3
dns-rr=nullmx.test,15,000000
mx-host=busy.test,mx1.busy.test,10
mx-host=busy.test,mx2.busy.test,20
host-record=mx1.busy.test,127.0.0.4
host-record=mx2.busy.test,127.0.0.1
mx-host=cut.test,mx1.cut.test,10
mx-host=cut.test,mx2.cut.test,20
host-record=mx1.cut.test,127.0.0.5
host-record=mx2.cut.test,127.0.0.1
mx-host=tls.test,mx.tls.test,10
host-record=mx.tls.test,127.0.0.6
mx-host=wrongname.test,other.tls.test,10
host-record=other.tls.test,127.0.0.6
mx-host=aio.test,mx.aio.test,10
host-record=mx.aio.test,127.0.0.7
mx-host=bigmx.test,mx00.a-rather-long-host-name-to-fill-the-answer.bigmx.test,0
mx-host=bigmx.test,mx01.a-rather-long-host-name-to-fill-the-answer.bigmx.test,1
mx-host=bigmx.test,mx02.a-rather-long-host-name-to-fill-the-answer.bigmx.test,2
mx-host=bigmx.test,mx03.a-rather-long-host-name-to-fill-the-answer.bigmx.test,3
mx-host=bigmx.test,mx04.a-rather-long-host-name-to-fill-the-answer.bigmx.test,4
mx-host=bigmx.test,mx05.a-rather-long-host-name-to-fill-the-answer.bigmx.test,5
mx-host=bigmx.test,mx06.a-rather-long-host-name-to-fill-the-answer.bigmx.test,6
mx-host=bigmx.test,mx07.a-rather-long-host-name-to-fill-the-answer.bigmx.test,7
mx-host=bigmx.test,mx08.a-rather-long-host-name-to-fill-the-answer.bigmx.test,8
mx-host=bigmx.test,mx09.a-rather-long-host-name-to-fill-the-answer.bigmx.test,9
mx-host=bigmx.test,mx10.a-rather-long-host-name-to-fill-the-answer.bigmx.test,10
mx-host=bigmx.test,mx11.a-rather-long-host-name-to-fill-the-answer.bigmx.test,11
mx-host=bigmx.test,mx12.a-rather-long-host-name-to-fill-the-answer.bigmx.test,12
mx-host=bigmx.test,mx13.a-rather-long-host-name-to-fill-the-answer.bigmx.test,13
mx-host=bigmx.test,mx14.a-rather-long-host-name-to-fill-the-answer.bigmx.test,14
mx-host=bigmx.test,mx15.a-rather-long-host-name-to-fill-the-answer.bigmx.test,15
mx-host=bigmx.test,mx16.a-rather-long-host-name-to-fill-the-answer.bigmx.test,16
mx-host=bigmx.test,mx17.a-rather-long-host-name-to-fill-the-answer.bigmx.test,17
mx-host=bigmx.test,mx18.a-rather-long-host-name-to-fill-the-answer.bigmx.test,18
mx-host=bigmx.test,mx19.a-rather-long-host-name-to-fill-the-answer.bigmx.test,19
mx-host=bigmx.test,mx20.a-rather-long-host-name-to-fill-the-answer.bigmx.test,20
mx-host=bigmx.test,mx21.a-rather-long-host-name-to-fill-the-answer.bigmx.test,21
mx-host=bigmx.test,mx22.a-rather-long-host-name-to-fill-the-answer.bigmx.test,22
mx-host=bigmx.test,mx23.a-rather-long-host-name-to-fill-the-answer.bigmx.test,23
mx-host=bigmx.test,mx24.a-rather-long-host-name-to-fill-the-answer.bigmx.test,24
mx-host=bigmx.test,mx25.a-rather-long-host-name-to-fill-the-answer.bigmx.test,25
mx-host=bigmx.test,mx26.a-rather-long-host-name-to-fill-the-answer.bigmx.test,26
mx-host=bigmx.test,mx27.a-rather-long-host-name-to-fill-the-answer.bigmx.test,27
mx-host=bigmx.test,mx28.a-rather-long-host-name-to-fill-the-answer.bigmx.test,28
mx-host=bigmx.test,mx29.a-rather-long-host-name-to-fill-the-answer.bigmx.test,29
mx-host=garbage.test,mx.garbage.test,10
host-record=mx.garbage.test,127.0.0.8
"""


class DnsServer(str):
    """HOST:PORT of the test's dnsmasq, which logs every query it is asked."""

    def queries(self, name, qtype):
        """How many queries for NAME of type QTYPE (MX, A, AAAA) dnsmasq has answered so far."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return len(re.findall(rf"query\[{qtype}\] {re.escape(name)} from ", text))


@pytest.fixture(scope="module")
def dns():
    """dnsmasq answering the test zone on a loopback port; its HOST:PORT (a DnsServer)."""
    d = Path(tempfile.mkdtemp(prefix="mixer-dns-"))
    port = free_port()
    conf = d / "dnsmasq.conf"
    conf.write_text(f"port={port}\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n"
                    f"no-negcache\nlog-queries\n{ZONE}")
    proc = subprocess.Popen([DNSMASQ, "--keep-in-foreground", "--pid-file=", "-C", str(conf),
                             "--log-facility=" + str(d / "log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 5
    while time.time() < deadline:  # ready once it answers on TCP
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert proc.poll() is None, f"dnsmasq exited: {proc.stderr.read().decode()}"
            time.sleep(0.05)
    server = DnsServer(f"127.0.0.1:{port}")
    server.log = d / "log"
    yield server
    proc.terminate()
    proc.wait(5)
    shutil.rmtree(d, ignore_errors=True)


class Sink:
    """Postfix's smtp-sink on ADDRESS:MX_PORT, dumping each transaction."""

    def __init__(self, address="127.0.0.1", options=()):
        self.dir = Path(tempfile.mkdtemp(prefix="mixer-sink-"))
        os.chmod(self.dir, 0o777)  # smtp-sink writes as nobody
        args = [SMTP_SINK, "-v"]
        if os.geteuid() == 0:
            args += ["-u", "nobody"]
        args += [*options, "-d", str(self.dir / "m."), "-h", "sink.test", f"{address}:{MX_PORT}", "10"]
        self.err = open(self.dir / "stderr", "wb")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.time() + 5
        while time.time() < deadline:
            try:
                with socket.create_connection((address, MX_PORT), timeout=0.5) as c:
                    c.recv(100)
                return
            except OSError:
                assert self.proc.poll() is None, "smtp-sink exited: " + self.log()
                time.sleep(0.05)
        raise AssertionError("smtp-sink did not start")

    def dumps(self, n=None, timeout=3):
        """The transactions dumped so far (at least n, waiting up to timeout), each read once
        smtp-sink has finished writing it (its size non-zero and unchanged for 50 ms)."""
        deadline = time.time() + timeout
        while True:
            files = sorted(self.dir.glob("m.*"))
            if n is None or len(files) >= n or time.time() > deadline:
                sizes = [f.stat().st_size for f in files]
                time.sleep(0.05)
                if time.time() > deadline or (all(sizes) and sizes == [f.stat().st_size for f in files]):
                    return [f.read_bytes() for f in files]
                continue
            time.sleep(0.05)

    def log(self):
        return (self.dir / "stderr").read_text(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(5)
        self.err.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def sinks():
    made = []

    def make(address="127.0.0.1", options=()):
        s = Sink(address, options)
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()


class Recorder:
    """aiosmtpd handler: refuses the listed recipients with 550, keeps the rest."""

    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"from": envelope.mail_from, "rcpts": list(envelope.rcpt_tos),
                              "content": envelope.original_content, "tls": session.ssl is not None})
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def aio():
    """aiosmtpd servers on 127.0.0.x:MX_PORT, optionally offering STARTTLS."""
    from aiosmtpd.controller import Controller
    made = []

    def make(address, handler, tls_context=None, **smtp_parameters):
        c = Controller(handler, hostname=address, port=MX_PORT, tls_context=tls_context, ready_timeout=5,
                       **smtp_parameters)
        c.start()
        made.append(c)
        return c

    yield make
    for c in made:
        c.stop()


@pytest.fixture(scope="module")
def pki():
    """A CA, and a server certificate for mx.tls.test signed by it; a second, unrelated CA."""
    d = Path(tempfile.mkdtemp(prefix="mixer-pki-"))

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=d)

    for ca in ("ca", "otherca"):
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{ca}.key", "-out", f"{ca}.pem",
            "-days", "2", "-subj", f"/CN=mixer test {ca}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=mx.tls.test")
    (d / "ext.cnf").write_text("subjectAltName=DNS:mx.tls.test\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def server_tls(pki):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pki / "server.pem", pki / "server.key")
    return ctx


def config(tmp_root, dns, routes="", out="", reply="5s"):
    path = tmp_root / "mixer.yaml"
    path.write_text(f"""gateway: {{ mta_name: gw.test, domain: gw.test, or_address: "/C=XX/ADMD= /PRMD=TEST/",
           global_domain: {{ country: XX, admd: " ", prmd: TEST }} }}
smtp:
  listen: [ "127.0.0.1:{free_port()}" ]
  helo_name: client.gw.test
  resolver: "{dns}"
  mx_port: {MX_PORT}
  out: {{ connect_timeout: 2s, reply_timeout_max: {reply}, resolver_timeout: 2s {out} }}
  routes: [ {routes} ]
queue: {{ directory: var/queue }}
""")
    return path


def deliver(cfg, *rcpts, sender="a@gw.test", extra=(), timeout=30):
    args = [DELIVER, "-c", str(cfg), "--from", sender]
    for r in rcpts:
        args += ["--rcpt", r]
    t0 = time.time()
    p = subprocess.run([*args, *extra], capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f"mixer-smtp-deliver exited {p.returncode}: {p.stderr}"
    result = json.loads(p.stdout)
    if isinstance(result, dict):
        result["_log"] = p.stderr
        result["_seconds"] = time.time() - t0
    return result


def kinds(result):
    return [r["kind"] for r in result["recipients"]]


# ---- DNS: MX order, implicit MX, null MX, NXDOMAIN, timeout -----------------

def test_second_mx_used_when_the_first_refuses_connections(tmp_root, dns, sinks):
    sink = sinks("127.0.0.1")
    r = deliver(config(tmp_root, dns), "u@order.test", "v@order.test")
    assert kinds(r) == ["delivered", "delivered"], r
    assert r["relay"] == f"mx2.order.test[127.0.0.1]:{MX_PORT}"
    assert f"connect to mx1.order.test[127.0.0.3]:{MX_PORT}: Connection refused" in r["_log"]
    dumps = sink.dumps(1)
    assert len(dumps) == 1
    assert b"Subject: mixer-smtp-deliver" in dumps[0] and b"u@order.test" in dumps[0] and b"v@order.test" in dumps[0]


def tries(result, refused):
    """How many connection attempts the log shows failing with `refused` (its own lines)."""
    return sum(1 for line in result["_log"].splitlines() if line.endswith(refused))


def test_rfc5321_4_5_4_1_an_unreachable_mx_is_not_tried_again_by_the_next_messages(tmp_root, dns, sinks):
    """smtp.out.dead_host_time (default 60 s): once mx1 refused a connection, the next
    messages go straight to mx2 (Postfix's dead hosts), and a domain whose only host is
    down is deferred at once, without a connection attempt; with 0s every message tries
    every host again."""
    sink = sinks("127.0.0.1")
    refused = f"connect to mx1.order.test[127.0.0.3]:{MX_PORT}: Connection refused"
    r = deliver(config(tmp_root, dns, out=", reuse_time: 0s"), "u@order.test",
                extra=["--copies", "3", "--sequential"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert tries(r, refused) == 1, r["_log"]
    assert r["_log"].count(f"not trying mx1.order.test[127.0.0.3]:{MX_PORT}: unreachable ") == 2, r["_log"]
    assert r["_log"].count(f"({refused}); tried again after ") == 2, r["_log"]
    assert len(sink.dumps(3)) == 3
    # Every host down: the second message is deferred without trying.
    r = deliver(config(tmp_root, dns), "u@down.test", extra=["--copies", "2", "--sequential"])
    assert [kinds(one) for one in r["results"]] == [["deferred"], ["deferred"]], r
    assert tries(r, f"connect to mx.down.test[127.0.0.3]:{MX_PORT}: Connection refused") == 1, r["_log"]
    second = r["results"][1]["recipients"][0]["reply"]
    assert second["code"] == 451 and second["enhanced"] == "4.4.1" and "not tried" in r["results"][1]["detail"], r
    # Without the memory, each message tries mx1 again.
    r = deliver(config(tmp_root, dns, out=", reuse_time: 0s, dead_host_time: 0s"), "u@order.test",
                extra=["--copies", "3", "--sequential"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert tries(r, refused) == 3, r["_log"]


def test_no_mx_goes_to_the_domains_own_address(tmp_root, dns, sinks):
    sink = sinks("127.0.0.1")
    r = deliver(config(tmp_root, dns), "u@plain.test")
    assert kinds(r) == ["delivered"], r
    assert r["relay"] == f"plain.test[127.0.0.1]:{MX_PORT}"
    assert len(sink.dumps(1)) == 1


def test_null_mx_fails_permanently(tmp_root, dns, sinks):
    sink = sinks("127.0.0.1")
    r = deliver(config(tmp_root, dns), "u@nullmx.test")
    assert kinds(r) == ["failed"], r
    assert r["recipients"][0]["reply"] == {"code": 556, "enhanced": "5.1.10", "text": "Recipient address has null MX"}
    assert r["relay"] == "none"
    assert sink.dumps(timeout=0.3) == []


def test_nxdomain_fails_permanently(tmp_root, dns):
    r = deliver(config(tmp_root, dns), "u@nowhere.test")
    assert kinds(r) == ["failed"], r
    assert r["recipients"][0]["reply"]["code"] == 550
    assert r["recipients"][0]["reply"]["enhanced"] == "5.1.2"
    assert "does not exist" in r["detail"]


def test_dns_server_silent_is_transient_within_the_deadline(tmp_root):
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # bound, never answers
    silent.bind(("127.0.0.1", 0))
    try:
        r = deliver(config(tmp_root, f"127.0.0.1:{silent.getsockname()[1]}"), "u@order.test")
    finally:
        silent.close()
    assert kinds(r) == ["deferred"], r
    assert r["recipients"][0]["reply"]["code"] == 451
    assert r["recipients"][0]["reply"]["enhanced"] == "4.4.3"
    assert r["_seconds"] < 6, r["_seconds"]


# ---- per-recipient results and host fallback --------------------------------

def test_rcpt_4xx_defers_then_a_later_attempt_delivers(tmp_root, dns, sinks):
    cfg = config(tmp_root, dns)
    soft = sinks("127.0.0.1", ["-r", "RCPT"])
    r = deliver(cfg, "u@plain.test")
    assert kinds(r) == ["deferred"], r
    assert r["recipients"][0]["reply"]["code"] == 450 and r["recipients"][0]["from_server"]
    assert soft.dumps(timeout=0.3) == []
    soft.stop()
    good = sinks("127.0.0.1")
    r = deliver(cfg, "u@plain.test")
    assert kinds(r) == ["delivered"], r
    assert len(good.dumps(1)) == 1


def test_all_rcpt_5xx_fails_them(tmp_root, dns, sinks):
    sinks("127.0.0.1", ["-f", "RCPT"])
    r = deliver(config(tmp_root, dns), "u@plain.test", "v@plain.test")
    assert kinds(r) == ["failed", "failed"], r
    assert r["recipients"][0]["reply"]["code"] == 500


def test_one_of_two_recipients_refused_5xx(tmp_root, dns, aio):
    rec = Recorder(refuse=["bad@aio.test"])
    aio("127.0.0.7", rec)
    r = deliver(config(tmp_root, dns), "good@aio.test", "bad@aio.test")
    assert kinds(r) == ["delivered", "failed"], r
    assert r["recipients"][1]["reply"]["code"] == 550
    assert "no such user" in r["recipients"][1]["reply"]["text"]
    assert len(rec.messages) == 1 and rec.messages[0]["rcpts"] == ["good@aio.test"]
    assert rec.messages[0]["from"] == "a@gw.test"


def test_421_greeting_moves_to_the_next_mx(tmp_root, dns, sinks):
    busy = sinks("127.0.0.4", ["-Q", "CONNECT"])
    good = sinks("127.0.0.1")
    r = deliver(config(tmp_root, dns), "u@busy.test")
    assert kinds(r) == ["delivered"], r
    assert r["relay"] == f"mx2.busy.test[127.0.0.1]:{MX_PORT}"
    assert busy.dumps(timeout=0.2) == [] and len(good.dumps(1)) == 1


def test_connection_lost_after_the_content_defers_and_tries_no_other_host(tmp_root, dns, sinks):
    cut = sinks("127.0.0.5", ["-q", "."])  # disconnects without a reply to the final "."
    backup = sinks("127.0.0.1")
    r = deliver(config(tmp_root, dns), "u@cut.test", "v@cut.test")
    assert kinds(r) == ["deferred", "deferred"], r
    assert r["relay"] == f"mx1.cut.test[127.0.0.5]:{MX_PORT}"
    assert "may have been delivered" in r["detail"], r["detail"]
    assert backup.dumps(timeout=0.5) == []  # no second copy elsewhere
    assert "MAIL FROM:<a@gw.test>" in cut.log()


def test_connection_limits_are_kept(tmp_root, dns, sinks):
    sinks("127.0.0.1", ["-w", "1"])  # each DATA answered after 1 s
    cfg = config(tmp_root, dns, out=", max_connections: 3, max_per_destination: 2")
    r = deliver(cfg, "u@plain.test", extra=["--copies", "5"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert 1 <= r["peak_connections"] <= 2, r["peak_connections"]


# ---- TLS --------------------------------------------------------------------

def test_tls_required_but_not_offered_defers_and_sends_nothing_in_clear(tmp_root, dns, sinks):
    sink = sinks("127.0.0.1")
    cfg = config(tmp_root, dns, routes='{ domain: plain.test, via: mx, tls: required, verify: none }')
    r = deliver(cfg, "u@plain.test")
    assert kinds(r) == ["deferred"], r
    reply = r["recipients"][0]["reply"]
    assert reply["code"] == 451 and reply["enhanced"] == "4.7.4", reply
    assert "did not offer STARTTLS" in r["detail"]
    log = sink.log()
    assert "EHLO client.gw.test" in log
    assert "MAIL" not in log and "RCPT" not in log, log
    assert sink.dumps(timeout=0.3) == []


def test_starttls_verified_against_the_test_ca(tmp_root, dns, aio, pki):
    rec = Recorder()
    aio("127.0.0.6", rec, tls_context=server_tls(pki))
    for verify in ("chain", "name"):
        cfg = config(tmp_root, dns, routes=f'{{ domain: tls.test, via: mx, tls: required, verify: {verify} }}',
                     out=f", ca_file: {pki / 'ca.pem'}")
        r = deliver(cfg, "u@tls.test")
        assert kinds(r) == ["delivered"], r
        assert r["tls"].startswith("TLSv1."), r
        assert "Verified TLS connection established to mx.tls.test" in r["_log"]
    assert len(rec.messages) == 2 and all(m["tls"] for m in rec.messages)


def test_starttls_with_an_unknown_ca_or_the_wrong_name_is_refused(tmp_root, dns, aio, pki):
    rec = Recorder()
    aio("127.0.0.6", rec, tls_context=server_tls(pki))
    cfg = config(tmp_root, dns, routes='{ domain: tls.test, via: mx, tls: required, verify: chain }',
                 out=f", ca_file: {pki / 'otherca.pem'}")
    r = deliver(cfg, "u@tls.test")
    assert kinds(r) == ["deferred"], r
    assert r["recipients"][0]["reply"]["enhanced"] == "4.7.5"
    assert "certificate verification failed" in r["detail"], r["detail"]
    # The right CA, but the MX is other.tls.test and the certificate names mx.tls.test.
    cfg = config(tmp_root, dns, routes='{ domain: wrongname.test, via: mx, tls: required, verify: name }',
                 out=f", ca_file: {pki / 'ca.pem'}")
    r = deliver(cfg, "u@wrongname.test")
    assert kinds(r) == ["deferred"], r
    assert "certificate does not name other.tls.test" in r["detail"], r["detail"]
    # ... which verify: chain accepts.
    cfg = config(tmp_root, dns, routes='{ domain: wrongname.test, via: mx, tls: required, verify: chain }',
                 out=f", ca_file: {pki / 'ca.pem'}")
    assert kinds(deliver(cfg, "u@wrongname.test")) == ["delivered"]
    assert len(rec.messages) == 1


def test_opportunistic_tls_by_default_and_smart_hosts(tmp_root, dns, aio, pki):
    rec = Recorder()
    aio("127.0.0.6", rec, tls_context=server_tls(pki))
    r = deliver(config(tmp_root, dns), "u@tls.test")  # no route: "*" via MX, opportunistic, no verification
    assert kinds(r) == ["delivered"], r
    assert r["tls"].startswith("TLSv1.")
    # A smart host route: the first one refuses connections, the second takes the mail.
    cfg = config(tmp_root, dns, routes=f'{{ domain: "*", via: [ "127.0.0.3:{MX_PORT}", "mx.tls.test:{MX_PORT}" ] }}')
    r = deliver(cfg, "u@anything.example")
    assert kinds(r) == ["delivered"], r
    assert r["relay"] == f"mx.tls.test[127.0.0.6]:{MX_PORT}"
    assert [m["rcpts"] for m in rec.messages] == [["u@tls.test"], ["u@anything.example"]]


def test_opportunistic_tls_falls_back_to_clear_after_a_failed_handshake(tmp_root, dns, aio, pki):
    ctx = server_tls(pki)  # TLS 1.2 demanding a client certificate: our handshake fails
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(pki / "ca.pem")
    rec = Recorder()
    aio("127.0.0.6", rec, tls_context=ctx)
    r = deliver(config(tmp_root, dns), "u@tls.test")
    assert kinds(r) == ["delivered"], r
    assert r["tls"] == "" and "without TLS after the failed handshake" in r["_log"], r["_log"]
    assert [m["tls"] for m in rec.messages] == [False]
    cfg = config(tmp_root, dns, routes='{ domain: tls.test, via: mx, tls: required, verify: none }')
    r = deliver(cfg, "u@tls.test")
    assert kinds(r) == ["deferred"], r
    assert r["recipients"][0]["reply"]["enhanced"] == "4.7.5" and "TLS handshake" in r["detail"]
    assert len(rec.messages) == 1


# ---- connection reuse -------------------------------------------------------

def test_idle_connection_is_reused_for_the_next_message(tmp_root, dns, sinks):
    sink = sinks("127.0.0.1")
    r = deliver(config(tmp_root, dns), "u@plain.test", extra=["--copies", "3", "--sequential"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert len(sink.dumps(3)) == 3
    log = sink.log()
    assert log.count("EHLO") == 1 and log.count("MAIL FROM") == 3 and log.count("QUIT") == 1, log


def test_a_kept_connection_is_reused_without_a_dns_lookup(tmp_root, dns, sinks):
    # Postfix's connection cache by destination: the next message to the same domain takes the
    # kept connection first, so only the first message asks the DNS (plain.test: no MX, an A).
    sink = sinks("127.0.0.1")
    before = dns.queries("plain.test", "MX")
    r = deliver(config(tmp_root, dns), "u@plain.test", extra=["--copies", "3", "--sequential"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert len(sink.dumps(3)) == 3
    assert sink.log().count("EHLO") == 1
    assert dns.queries("plain.test", "MX") - before == 1, dns.log.read_text()[-2000:]


def test_without_reuse_each_message_has_its_connection(tmp_root, dns, sinks):
    sink = sinks("127.0.0.1")
    before = dns.queries("plain.test", "MX")
    r = deliver(config(tmp_root, dns, out=", reuse_time: 0s"), "u@plain.test", extra=["--copies", "3", "--sequential"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert len(sink.dumps(3)) == 3
    log = sink.log()
    assert log.count("EHLO") == 3 and log.count("QUIT") == 3, log
    assert dns.queries("plain.test", "MX") - before == 3  # a lookup per message: the query log can tell


def test_a_kept_connection_the_server_closed_is_replaced(tmp_root, dns, aio):
    rec = Recorder()
    aio("127.0.0.7", rec, timeout=0.5)  # the server drops idle sessions after 0.5 s ...
    # ... and the next message comes 1 s later, on the kept connection first.
    r = deliver(config(tmp_root, dns), "u@aio.test", extra=["--copies", "2", "--sequential", "--pause", "1000"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert [m["rcpts"] for m in rec.messages] == [["u@aio.test"], ["u@aio.test"]]
    assert "was gone; connecting again" in r["_log"], r["_log"]


# ---- peers that misbehave ---------------------------------------------------

class RawServer:
    """A TCP server on 127.0.0.8:MX_PORT that runs `script(conn)` for each client."""

    def __init__(self, script):
        self.sock = socket.create_server(("127.0.0.8", MX_PORT))
        self.script = script
        self.seen = []
        import threading
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    self.script(conn, self.seen)
                except OSError:
                    pass

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the thread
        except OSError:
            pass
        self.sock.close()
        self.thread.join(1)


def read_some(conn, seen):
    conn.settimeout(5)
    data = conn.recv(4096)
    seen.append(data)
    return data


@pytest.mark.parametrize("name,script,expect", [
    ("garbage greeting", lambda c, seen: (c.sendall(b"hello, this is not SMTP\r\n"), read_some(c, seen)),
     "three-digit code"),
    ("endless line", lambda c, seen: c.sendall(b"220 " + b"x" * 100000), "longer than"),
    ("silent", lambda c, seen: (read_some(c, seen), time.sleep(3)), "timed out waiting for the reply to greeting"),
    ("bare LF", lambda c, seen: (c.sendall(b"220 ok\n"), read_some(c, seen)), "without CR"),
])
def test_a_server_sending_garbage_gives_a_clear_deferral(tmp_root, dns, name, script, expect):
    server = RawServer(script)
    try:
        r = deliver(config(tmp_root, dns, reply="1s"), "u@garbage.test")
    finally:
        server.close()
    assert kinds(r) == ["deferred"], r
    assert expect in r["detail"], (name, r["detail"])
    assert r["_seconds"] < 5, r["_seconds"]
    assert all(b"MAIL" not in d for d in server.seen)


def test_malformed_and_oversized_dns_answers_are_transient(tmp_root, dns):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    import threading

    def answer():
        while True:
            try:
                q, peer = udp.recvfrom(4096)
            except OSError:
                return
            # The query's header and question echoed, one answer claimed, then junk.
            qend = 12
            while q[qend] != 0:
                qend += q[qend] + 1
            question = q[12:qend + 5]
            udp.sendto(q[:2] + b"\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question + b"\xc0\x0c\x00\x0f\x00", peer)

    threading.Thread(target=answer, daemon=True).start()
    try:
        r = deliver(config(tmp_root, f"127.0.0.1:{udp.getsockname()[1]}"), "u@order.test")
    finally:
        udp.close()
    assert kinds(r) == ["deferred"], r
    assert r["recipients"][0]["reply"]["enhanced"] == "4.4.3"
    assert "malformed" in r["detail"], r["detail"]
    # 30 MX records of ~60 octets: over a 1K answer limit (fetched over TCP after truncation).
    r = deliver(config(tmp_root, dns, out=", max_dns_answer_size: 1K"), "u@bigmx.test")
    assert kinds(r) == ["deferred"], r
    assert "malformed or oversized" in r["detail"], r["detail"]


def test_check_config_names_file_line_and_key_of_outbound_errors(tmp_root, dns):
    from conftest import MIXER
    cfg = config(tmp_root, dns, routes='{ domain: x.test, via: mx, tls: opportunistic, verify: chain }')
    p = subprocess.run([MIXER, "check-config", "-c", str(cfg)], capture_output=True, text=True, timeout=30)
    assert p.returncode == 1, p
    assert f"{cfg}:9: key 'smtp.routes[0].verify': certificate verification needs tls: required" in p.stderr + p.stdout
    good = config(tmp_root, dns, routes='{ domain: x.test, via: [ "relay.x.test:587" ], tls: required }')
    p = subprocess.run([MIXER, "check-config", "-c", str(good)], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr


# ---- DSN and 8BITMIME through the route ------------------------------------

def test_dsn_parameters_passed_on_or_a_relayed_dsn_owed(tmp_root, dns, sinks):
    cfg = config(tmp_root, dns)
    sink = sinks("127.0.0.1")
    r = deliver(cfg, "u@plain.test", extra=["--notify", "SUCCESS,FAILURE", "--ret", "HDRS", "--envid", "id42"])
    assert kinds(r) == ["delivered"] and not r["recipients"][0]["relayed_dsn_due"], r
    dump = sink.dumps(1)[0]
    assert b"NOTIFY=SUCCESS,FAILURE" in dump and b"RET=HDRS" in dump and b"ENVID=id42" in dump, dump
    sink.stop()
    sinks("127.0.0.1", ["-N"])  # no DSN offered: RFC 3461 §5.2.2, the gateway owes a "relayed" DSN
    r = deliver(cfg, "u@plain.test", extra=["--notify", "SUCCESS,FAILURE"])
    assert kinds(r) == ["delivered"] and r["recipients"][0]["relayed_dsn_due"], r


def test_eight_bit_content_to_a_server_without_8bitmime(tmp_root, dns, sinks):
    msg = tmp_root / "8bit.eml"
    msg.write_bytes("Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n".encode())
    cfg = config(tmp_root, dns)
    sink = sinks("127.0.0.1")
    r = deliver(cfg, "u@plain.test", extra=["--file", str(msg), "--eight-bit"])
    assert kinds(r) == ["delivered"], r
    assert b"BODY=8BITMIME" in sink.dumps(1)[0]
    sink.stop()
    plain = sinks("127.0.0.1", ["-8"])
    r = deliver(cfg, "u@plain.test", extra=["--file", str(msg), "--eight-bit"])
    assert kinds(r) == ["failed"] and r["needs_seven_bit"], r
    assert r["recipients"][0]["reply"]["enhanced"] == "5.6.3"
    assert plain.dumps(timeout=0.3) == [] and "MAIL" not in plain.log()


def test_many_messages_on_two_threads_share_the_kept_connections(tmp_root, dns, sinks):
    sink = sinks("127.0.0.1")
    cfg = config(tmp_root, dns, out=", max_connections: 6, max_per_destination: 3")
    r = deliver(cfg, "u@plain.test", extra=["--copies", "30", "--threads", "2"])
    assert all(kinds(one) == ["delivered"] for one in r["results"]), r
    assert 1 <= r["peak_connections"] <= 3, r["peak_connections"]
    assert len(sink.dumps(30)) == 30
    assert sink.log().count("EHLO") <= 3 + 3, sink.log().count("EHLO")  # connections open at once, plus replaced ones
