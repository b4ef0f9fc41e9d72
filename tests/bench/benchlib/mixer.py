# tests/bench/benchlib/mixer.py: mixer on a scratch config (the shipped
# defaults of conf/mixer.yaml but for ports, paths, routed domain, log level
# and queue.sync), queue under the run's temp dir. Each message is converted
# to X.400 before the 250 (the submit stage); its P1 peer does not listen, so
# what mixer accepts stays in its queue.
# Trusts mixer's control socket "stats" only for acks per sync (nothing else
# can count its syncs); message counts are checked on disk and with
# `mixer queue list --json`.
import json
import os
import signal
import socket
import subprocess
import sys

from benchlib.server import Server
from benchlib.smtpload import CHILDREN, PROBE_SENDER, RECIPIENT, SENDER
from benchlib.sysstat import BenchError, CgroupMeter, free_port, proc_stat

MIXER_YAML = """\
gateway:
  mta_name: mixer.localhost
  domain: mixer.localhost
  or_address: "/C=XX/ADMD= /PRMD=MIXER/O=Gateway/"
  global_domain: {{ country: XX, admd: " ", prmd: MIXER }}
smtp:
  listen: [ "127.0.0.1:{port}" ]
  max_message_size: 10M
  max_recipients: 1000
  max_line_length: 2048
  max_commands: 10000
  max_errors: 20
  max_connections: 200
  timeouts: {{ idle: 5m, session: 30m, drain: 30s }}
p1:
  listen: [ "127.0.0.1:{p1_port}" ]
  max_associations: 50
  retry: {{ initial: 1h, max: 1h }}
  # The X.400 next hop the submit stage converts for (RFC 2156 §5.1, once per
  # message, before the 250); nothing listens there, so what is accepted stays.
  peers:
    - {{ name: x400-mta, password: "", our_password: "", host: 127.0.0.1, port: {peer_port} }}
  routes:
    - {{ match: "*", peers: [ x400-mta ] }}
routing:
  x400_domains: [ {domain} ]
queue:
  directory: queue
  max_messages: 100000
  max_size: 10G
  min_free_space: 100M
  sync: {sync}
control:
  socket: run/mixer.sock
log:
  level: {log_level}
  format: text
"""


def parse_stats(answer):
    # "ok messages=.. bytes=.. connections=.. committed=.. batches=.. sync_calls=.. max_batch=.."
    if not answer.startswith("ok "):
        raise BenchError(f"mixer stats: unexpected answer {answer!r}")
    return {k: int(v) for k, v in (w.split("=", 1) for w in answer.split()[1:])}


class Mixer(Server):
    def __init__(self, top, args, sync, run_no):
        super().__init__(top, args)
        self.sync = sync
        self.name = f"mixer {sync}"
        self.dir = os.path.join(top, f"mixer-{sync}-{run_no}")
        self.cfg = os.path.join(self.dir, "mixer.yaml")
        self.proc = None
        self.logf = None

    def control(self, request):
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(30)
            s.connect(os.path.join(self.dir, "run", "mixer.sock"))
            s.sendall(request.encode() + b"\n")
            data = b""
            while chunk := s.recv(4096):
                data += chunk
        return data.decode().strip()

    def start(self):
        os.makedirs(self.dir)
        with open(self.cfg, "w") as f:
            f.write(MIXER_YAML.format(port=self.port, p1_port=free_port(), peer_port=free_port(),
                                      domain=RECIPIENT.split("@")[1],
                                      sync=self.sync, log_level=self.args.mixer_log_level))
        r = subprocess.run([self.args.mixer, "check-config", "-c", self.cfg], capture_output=True, text=True)
        if r.returncode != 0:
            raise BenchError(f"mixer check-config refused the scratch config: {r.stdout}{r.stderr}")
        self.cg = CgroupMeter(f"mixer-bench-{os.getpid()}-{os.path.basename(self.dir)}")
        self.logf = open(os.path.join(self.dir, "mixer.log"), "wb")
        self.proc = subprocess.Popen([self.args.mixer, "serve", "-c", self.cfg], stdin=subprocess.DEVNULL,
                                     stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=self.cg.enter if self.cg.path else None)
        CHILDREN.append(self.proc)
        self.details.append(f"CPU: /proc/{self.proc.pid}/stat utime+stime (all threads)"
                            + (f"; cross-check {self.cg.describe()}" if self.cg.path else ""))

    def log_lines(self):
        try:
            with open(os.path.join(self.dir, "mixer.log"), errors="replace") as f:
                return f.read().splitlines()
        except OSError:
            return []

    def check_alive(self):
        if self.proc.poll() is not None:
            raise BenchError(f"mixer exited {self.proc.returncode} at start-up: {' | '.join(self.log_lines()[-10:])}")

    def cpu_seconds(self):
        u, s, _, _, _ = proc_stat(self.proc.pid)
        return u + s

    def before_load(self):
        return {"stats": parse_stats(self.control("stats")), "cg": self.cg.seconds() if self.cg.path else None,
                "times": proc_stat(self.proc.pid)[:2]}

    def after_load(self, before, accepted):
        if self.proc.poll() is not None:
            raise BenchError(f"mixer died during the load (exit {self.proc.returncode}): "
                             f"{' | '.join(self.log_lines()[-10:])}")
        s0, s1 = before["stats"], parse_stats(self.control("stats"))
        d = {k: s1[k] - s0[k] for k in ("committed", "batches", "sync_calls")}
        with open(f"/proc/{self.proc.pid}/status") as f:
            hwm = next((l.split(":")[1].strip() for l in f if l.startswith("VmHWM")), "?")
        self.details.append(f"stats over the load: committed={d['committed']} batches={d['batches']} "
                            f"sync_calls={d['sync_calls']}; mean batch {d['committed'] / max(1, d['batches']):.2f}"
                            f", largest batch {s1['max_batch']}; peak RSS {hwm}")
        u0, s0_ = before["times"]
        u1, s1_ = proc_stat(self.proc.pid)[:2]
        self.details.append(f"CPU split: user {(u1 - u0) * 1000 / accepted:.3f} + system {(s1_ - s0_) * 1000 / accepted:.3f}"
                            " ms/msg")
        if self.cg.path:
            self.details.append(f"cgroup cross-check: {(self.cg.seconds() - before['cg']) * 1000 / accepted:.3f}"
                                " CPU ms/msg (includes the two stats requests)")
        if d["committed"] != accepted:
            self.problems.append(f"stats: committed grew by {d['committed']}, but {accepted} messages were "
                                 "answered 250")
        return {"acks_sync": d["committed"] / d["sync_calls"] if d["sync_calls"] else None}

    def stop(self):
        # SIGTERM drains; returns the exit status (None if it had to be killed).
        if not self.proc or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.details.append(f"still running 60 s after SIGTERM: killed pid {self.proc.pid}")
            self.proc.kill()
            self.proc.wait()
            return None

    def finish(self, accepted):
        rc = self.stop()
        if rc != 0:
            self.problems.append(f"mixer serve exited {rc} after SIGTERM (expected 0)")
        r = subprocess.run([self.args.mixer, "queue", "list", "--json", "-c", self.cfg], capture_output=True,
                           text=True)
        try:
            listed = json.loads(r.stdout)
        except ValueError:
            listed = None
            self.problems.append(f"mixer queue list --json: exit {r.returncode}, not JSON: {r.stderr.strip()[:300]}")
        qdir = os.path.join(self.dir, "queue")
        on_disk = len(os.listdir(os.path.join(qdir, "msg")))
        tmp = len(os.listdir(os.path.join(qdir, "tmp"))) if os.path.isdir(os.path.join(qdir, "tmp")) else 0
        lines = self.log_lines()
        self.details.append(f"queue after the run: {on_disk} entries in msg/, {tmp} in tmp/, queue list --json: "
                            f"{len(listed) if listed is not None else '?'}; exit status {rc}; {len(lines)} log "
                            f"lines at level {self.args.mixer_log_level}")
        if self.args.mixer_log_level in ("warning", "error"):
            self.details += ["  log: " + l for l in lines[:5]]
        if listed is not None:
            if len(listed) != accepted:
                self.problems.append(f"queue list shows {len(listed)} messages, expected {accepted} "
                                     "(the messages answered 250)")
            wrong = [e.get("id") for e in listed if e.get("sender") not in (SENDER, PROBE_SENDER)
                     or [x.get("address") for x in e.get("recipients", [])] != [RECIPIENT]]
            if wrong:
                self.problems.append(f"{len(wrong)} entries with an unexpected sender or recipients: {wrong[:3]}")
        if on_disk != accepted:
            self.problems.append(f"{on_disk} entries under queue/msg/, expected {accepted}")

    def cleanup(self):
        try:
            if self.proc and self.proc.poll() is None:
                self.stop()
        finally:
            if self.logf:
                self.logf.close()
            if self.cg and not self.cg.remove():
                print(f"smtp_accept: warning: cannot remove cgroup {self.cg.path}", file=sys.stderr)
