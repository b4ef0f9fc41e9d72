"""Fixtures for the integration tests: a real `mixer serve` on loopback with
a scratch config and queue, and helpers to drive it and read its queue."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import queue_files

MIXER = os.environ.get("MIXER_BIN", str(Path(__file__).resolve().parents[2] / "build" / "mixer"))


_given_ports = set()


def free_port():
    """A loopback port nobody listens on, never the same one twice in a run."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _given_ports:
            _given_ports.add(port)
            return port


class Gateway:
    """One daemon with its own directory, config and queue."""

    def __init__(self, root: Path, **overrides):
        self.root = root
        self.smtp_port = free_port()
        self.p1_port = free_port()
        self.config = root / "mixer.yaml"
        self.queue = root / "var" / "queue"
        self.log_path = root / "mixer.log"
        self.proc = None
        self.settings = dict(
            max_message_size="64K", max_recipients=5, idle="5s", session="60s", drain="10s",
            max_connections=20, max_errors=20, tls=None, x400_domains=["x400.example", ".x400.example"],
            sync="syncfs", level="info", max_messages=100000, addressing="", mta_name="gw.test", smtp_extra="", queue_extra="",
            prmd="TEST",  # the gateway's global domain identifier is /C=XX/ADMD= /PRMD=<prmd>/
            # X.400-bound recipients need a P1 route (else 550 5.4.4 at RCPT): a peer nobody listens
            # for, so what is queued for it stays queued.
            p1=f"  peers:\n    - {{ name: x400-mta, password: \"\", our_password: \"\", host: 127.0.0.1, "
               f"port: {free_port()} }}\n  routes:\n    - {{ match: \"*\", peers: [ x400-mta ] }}\n")
        self.settings.update(overrides)
        self.root.mkdir(parents=True, exist_ok=True)
        self.write_config()

    def write_config(self, extra=""):
        s = self.settings
        tls = ""
        if s["tls"]:
            tls = f"  tls: {{ certificate: {s['tls'][0]}, private_key: {s['tls'][1]} }}\n"
        text = f"""gateway:
  mta_name: {s['mta_name']}
  domain: gw.test
  or_address: "/C=XX/ADMD= /PRMD={s['prmd']}/"
  global_domain: {{ country: XX, admd: " ", prmd: {s['prmd']} }}
smtp:
  listen: [ "127.0.0.1:{self.smtp_port}" ]
  max_message_size: {s['max_message_size']}
  max_recipients: {s['max_recipients']}
  max_errors: {s['max_errors']}
  max_connections: {s['max_connections']}
  timeouts: {{ idle: {s['idle']}, session: {s['session']}, drain: {s['drain']} }}
{s['smtp_extra']}{tls}p1:
  listen: [ "127.0.0.1:{self.p1_port}" ]
{s['p1']}routing:
  x400_domains: [ {", ".join(s['x400_domains'])} ]
{s['addressing']}queue:
  directory: var/queue
  sync: {s['sync']}
  max_messages: {s['max_messages']}
{s['queue_extra']}control:
  socket: var/run/mixer.sock
log:
  level: {s['level']}
{extra}"""
        self.config.write_text(text)

    def start(self, expect_ready=True):
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([MIXER, "serve", "-c", str(self.config)], stdout=self.log_file,
                                     stderr=subprocess.STDOUT)
        if expect_ready:
            deadline = time.time() + 10
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    raise AssertionError(f"mixer exited with {self.proc.returncode}:\n{self.log()}")
                try:
                    with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1) as c:
                        c.recv(100)
                    return self
                except OSError:
                    time.sleep(0.05)
            raise AssertionError("mixer did not start listening:\n" + self.log())
        return self

    def stop(self, timeout=20):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise AssertionError("mixer did not drain within %ss" % timeout)
            assert rc == 0, f"mixer exited {rc} after SIGTERM:\n{self.log()}"
        self.proc = None

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def hup(self):
        self.proc.send_signal(signal.SIGHUP)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_log(self, needle, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if needle in self.log():
                return
            time.sleep(0.05)
        raise AssertionError(f"log never said {needle!r}:\n{self.log()}")

    def cli(self, *args, check=True):
        r = subprocess.run([MIXER, *args, "-c", str(self.config)], capture_output=True, text=True, timeout=60)
        if check:
            assert r.returncode == 0, f"mixer {' '.join(args)} exited {r.returncode}: {r.stderr}"
        return r

    def queue_entries(self):
        return json.loads(self.cli("queue", "list", "--json").stdout)

    def content(self, queue_id):
        return queue_files.read(self.queue / "msg" / queue_id).content


@pytest.fixture
def tmp_root():
    with tempfile.TemporaryDirectory(prefix="mixer-it-") as d:
        yield Path(d)


@pytest.fixture
def make_gateway(tmp_root):
    made = []

    def make(**overrides):
        gw = Gateway(tmp_root / f"gw{len(made)}", **overrides) if made else Gateway(tmp_root, **overrides)
        gw.root.mkdir(parents=True, exist_ok=True)
        gw.write_config()
        made.append(gw)
        return gw

    yield make
    for gw in made:
        if gw.proc and gw.proc.poll() is None:
            gw.proc.kill()
            gw.proc.wait()


@pytest.fixture
def gateway(make_gateway):
    gw = make_gateway().start()
    yield gw
    gw.stop()


@pytest.fixture(scope="session")
def tls_cert():
    """A self-signed certificate made for this test run (never committed)."""
    d = Path(tempfile.mkdtemp(prefix="mixer-tls-"))
    key, cert = d / "key.pem", d / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=gw.test"], check=True, capture_output=True)
    yield str(cert), str(key)


class RawClient:
    """A line-level SMTP client on a plain socket, for what smtplib will not send."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def send(self, data: bytes):
        self.sock.sendall(data)

    def reply(self):
        """Reads one (possibly multi-line) reply; returns (code, text-lines)."""
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed; got " + repr(self.buf))
                self.buf += chunk
            line, self.buf = self.buf.split(b"\r\n", 1)
            lines.append(line.decode())
            if len(line) < 4 or line[3:4] == b" ":
                return int(line[:3]), lines

    def cmd(self, line):
        self.send(line.encode() + b"\r\n")
        return self.reply()

    def closed(self, timeout=5):
        """True if the server closes the connection within `timeout`."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(4096)
                if not data:
                    return True
                self.buf += data
        except (socket.timeout, TimeoutError):
            return False
        except ConnectionResetError:
            return True

    def close(self):
        self.sock.close()
