# tests/bench/benchlib/smtpload.py: the load (Postfix's smtp-source) and the
# latency probe (ours: one SMTP client, one message after another).
# Trusts smtp-source's exit status (it stops at the first non-2xx reply) and
# the server's replies; counts only messages answered 250 as accepted.
import math
import os
import socket
import subprocess
import threading
import time

from benchlib.sysstat import BenchError

SENDER = "bench@sender.example"
PROBE_SENDER = "probe@sender.example"
RECIPIENT = "user@x400.example"  # both servers accept this domain
CHILDREN = []  # every Popen of the run, killed (by pid) at clean-up


def percentile(samples, p):
    # Nearest-rank percentile.
    s = sorted(samples)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def probe_message(size, n):
    # A 10 KiB-style message like smtp-source's: a few headers, CRLF lines.
    head = (f"From: <{PROBE_SENDER}>\r\nTo: <{RECIPIENT}>\r\nSubject: latency probe {n}\r\n"
            f"Message-ID: <probe.{n}.{os.getpid()}@bench.client>\r\n\r\n").encode()
    body = ((b"P" * 78 + b"\r\n") * (size // 80 + 1))[:size]
    if not body.endswith(b"\r\n"):
        body = body[:-2] + b"\r\n"
    return head + body + b".\r\n"


class Probe(threading.Thread):
    """One extra SMTP client: sends messages one after another and times
    MAIL FROM .. the 250 after the final dot (RFC 5321 §4.1.1.4 DATA)."""

    def __init__(self, port, size, per_session):
        super().__init__(daemon=True)
        self.port, self.size, self.per_session = port, size, per_session
        self.stop = threading.Event()
        self.samples = []
        self.error = None
        self.sock = None

    def reply(self, f, want):
        lines = []
        while True:
            line = f.readline(4096)
            if not line:
                raise BenchError(f"probe: connection closed while waiting for {want}")
            lines.append(line.decode("latin-1").rstrip())
            if len(line) < 4 or line[3:4] != b"-":
                break
        if lines[-1][:3] != str(want):
            raise BenchError(f"probe: expected {want}, got: {' / '.join(lines)}")

    def session(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=120) as s:
            self.sock = s
            f = s.makefile("rb")
            self.reply(f, 220)
            s.sendall(b"EHLO probe.client\r\n")
            self.reply(f, 250)
            sent = 0
            while not self.stop.is_set() and (self.per_session == 0 or sent < self.per_session):
                msg = probe_message(self.size, len(self.samples))
                t0 = time.perf_counter()
                s.sendall(f"MAIL FROM:<{PROBE_SENDER}>\r\n".encode())
                self.reply(f, 250)
                s.sendall(f"RCPT TO:<{RECIPIENT}>\r\n".encode())
                self.reply(f, 250)
                s.sendall(b"DATA\r\n")
                self.reply(f, 354)
                s.sendall(msg)
                self.reply(f, 250)
                self.samples.append(time.perf_counter() - t0)
                sent += 1
            s.sendall(b"QUIT\r\n")
            self.reply(f, 221)

    def run(self):
        try:
            while not self.stop.is_set():
                self.session()
        except Exception as e:  # reported by the caller; the thread must not die silently
            self.error = str(e)

    def abort(self):
        # Unblocks a probe waiting on a server that stalled.
        try:
            if self.sock:
                self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Load:
    """smtp-source -s SESSIONS -l SIZE, in rounds of SESSIONS*PER_SESSION
    messages with -d, so that each connection carries about PER_SESSION
    messages (0: one round, connections kept for the whole run; 1: no -d, a
    new connection per message)."""

    def __init__(self, port, args):
        self.port, self.args = port, args
        self.proc = None
        self.rounds = 0
        self.round_rates = []  # msgs/s of each smtp-source run: a trend over the run
        self.stop = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def command(self, count):
        a = self.args
        cmd = ["/usr/sbin/smtp-source", "-s", str(a.sessions), "-l", str(a.size), "-m", str(count),
               "-f", SENDER, "-t", RECIPIENT, "-M", "bench.client"]
        if a.per_session != 1:
            cmd.append("-d")  # keep the connection for the next message
        return cmd + [f"127.0.0.1:{self.port}"]

    def _run(self):
        a = self.args
        per_round = a.messages if a.per_session in (0, 1) else a.sessions * a.per_session
        left = a.messages
        try:
            while left > 0 and not self.stop.is_set():
                count = min(per_round, left)
                limit = 120 + count * 0.05
                self.proc = subprocess.Popen(self.command(count), stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, start_new_session=True)
                CHILDREN.append(self.proc)
                t0 = time.perf_counter()
                try:
                    _, err = self.proc.communicate(timeout=limit)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
                    raise BenchError(f"smtp-source -m {count} did not finish in {limit:.0f} s (server stalled?); "
                                     f"{a.messages - left} messages were sent by earlier runs")
                if self.proc.returncode != 0:
                    raise BenchError(f"smtp-source exited {self.proc.returncode} in run {self.rounds + 1} "
                                     f"({a.messages - left} messages were sent by earlier runs): "
                                     f"{err.decode(errors='replace').strip()}")
                self.rounds += 1
                self.round_rates.append(count / (time.perf_counter() - t0))
                left -= count
        except BaseException as e:
            self.error = e

    def start(self):
        self.thread.start()

    def wait(self):
        while self.thread.is_alive():
            self.thread.join(0.2)  # short joins keep Ctrl-C responsive
        if self.error:
            raise self.error

    def abort(self):
        # Stops the rounds and kills a running smtp-source (no-op once done).
        self.stop.set()
        p = self.proc
        if p and p.poll() is None:
            p.kill()
        self.thread.join()
