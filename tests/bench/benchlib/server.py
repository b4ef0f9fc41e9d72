# tests/bench/benchlib/server.py: one measured run against one server: start
# it, wait for the disk to go quiet, load it with smtp-source while the probe
# times single messages, read the kernel's counters around the load, then
# let the subclass check its queue and stop it.
# Trusts the kernel's counters (sysstat.py); the subclass verifies on disk.
import os
import resource
import socket
import time

from benchlib.smtpload import Load, Probe, percentile
from benchlib.sysstat import BenchError, free_port, machine_cpu


def client_cpu():
    # CPU of this process (probe, load driver) and of its reaped children (smtp-source).
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


class Server:
    """Subclasses: start, cpu_seconds, finish (verify + stop), cleanup;
    optionally check_alive, before_load, after_load."""
    name = "?"

    def __init__(self, top, args):
        self.top, self.args = top, args
        self.port = free_port()
        self.cg = None
        self.details = []
        self.problems = []

    def check_alive(self):
        pass

    def before_load(self):
        return None

    def after_load(self, before, accepted):
        return {}

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                    if s.recv(512).startswith(b"220"):
                        s.sendall(b"QUIT\r\n")
                        s.recv(512)
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise BenchError(f"{self.name}: no SMTP banner on 127.0.0.1:{self.port} within {timeout} s")

    def run(self, disk):
        self.start()
        self.wait_ready()
        os.sync()  # leave no dirty data of earlier steps for this run to flush
        settle = disk.settle(limit=self.args.settle_limit)
        before = self.before_load()
        d0, (busy0, steal0), c0, cpu0 = disk.writes(), machine_cpu(), client_cpu(), self.cpu_seconds()
        t0 = time.perf_counter()
        load = Load(self.port, self.args)
        load.start()
        probe = Probe(self.port, self.args.size, self.args.per_session)
        probe.start()
        ok = False
        try:
            load.wait()
            ok = True
        finally:
            probe.stop.set()  # the probe finishes the message it has in hand
            load.abort()
            if not ok:
                probe.abort()
            probe.join(timeout=120)
        wall = time.perf_counter() - t0
        cpu1, c1, (busy1, steal1), d1 = self.cpu_seconds(), client_cpu(), machine_cpu(), disk.writes()
        if probe.is_alive():
            raise BenchError(f"{self.name}: probe stuck in a transaction 120 s after the load ended")
        if probe.error:
            raise BenchError(f"{self.name}: {probe.error}")
        if not probe.samples:
            raise BenchError(f"{self.name}: the probe completed no message during the load")
        accepted = self.args.messages + len(probe.samples)
        server_s, client_s = cpu1 - cpu0, c1 - c0
        r = {"server": self.name, "wall": wall, "msgs_s": self.args.messages / wall,
             "p50": percentile(probe.samples, 50) * 1000, "p99": percentile(probe.samples, 99) * 1000,
             "probe_n": len(probe.samples), "cpu_ms": server_s * 1000 / accepted, "cpu_s": server_s,
             "accepted": accepted, "rounds": load.round_rates, "settle": settle, "client_s": client_s,
             "other_s": (busy1 - busy0) - server_s - client_s, "steal_s": steal1 - steal0,
             "busy_pct": 100.0 * (busy1 - busy0) / (wall * os.cpu_count()), "acks_flush": None}
        if d0 and d1:
            writes, octets, flushes = (b - a for a, b in zip(d0, d1))
            r["disk"] = (writes / accepted, octets / 1024 / accepted, flushes / accepted)
            r["acks_flush"] = accepted / flushes if flushes else None
        r.update(self.after_load(before, accepted))
        self.finish(accepted)
        r["problems"] = self.problems
        r["verified"] = not self.problems
        r["details"] = self.details
        return r
