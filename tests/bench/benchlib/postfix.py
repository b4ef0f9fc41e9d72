# tests/bench/benchlib/postfix.py: a scratch Postfix instance that accepts
# on 127.0.0.1 and keeps every message on hold (durable, never delivered).
# Its own config_directory, queue_directory and data_directory under the
# run's temp dir; /etc/postfix and the system's instance are never touched
# (meta_directory files such as postfix-files are only read).
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from benchlib.server import Server
from benchlib.smtpload import RECIPIENT
from benchlib.sysstat import BenchError, CgroupMeter, proc_tree_seconds

# Services of an instance that accepts and holds; chroot off everywhere.
MASTER_CF = """\
{listen} inet n - n - - smtpd
pickup     unix  n - n 60    1 pickup
cleanup    unix  n - n -     0 cleanup
qmgr       unix  n - n 300   1 qmgr
rewrite    unix  - - n -     - trivial-rewrite
bounce     unix  - - n -     0 bounce
defer      unix  - - n -     0 bounce
trace      unix  - - n -     0 bounce
verify     unix  - - n -     1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -     - proxymap
proxywrite unix  - - n -     1 proxymap
smtp       unix  - - n -     - smtp
relay      unix  - - n -     - smtp
showq      unix  n - n -     - showq
error      unix  - - n -     - error
retry      unix  - - n -     - error
discard    unix  - - n -     - discard
local      unix  - n n -     - local
virtual    unix  - n n -     - virtual
lmtp       unix  - - n -     - lmtp
anvil      unix  - - n -     1 anvil
scache     unix  - - n -     1 scache
postlog    unix-dgram n - n - 1 postlogd
"""

# Postfix defaults otherwise: each queue file is fsync'd before the 250
# (global/mail_stream.c); in_flow_delay stays 1s, held mail gives its flow
# token back (cleanup/cleanup_api.c), so it does not throttle this run.
MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {dir}/queue
data_directory = {dir}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = bench.localhost
mydomain = localhost
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = {domain}
# Accept durably, do not deliver: every message goes to the hold queue.
smtpd_end_of_data_restrictions = check_client_access static:HOLD
maillog_file = {dir}/maillog
alias_maps =
alias_database =
biff = no
"""


def postfix_version():
    return subprocess.run(["postconf", "-d", "-h", "mail_version"], capture_output=True,
                          text=True).stdout.strip()


class Postfix(Server):
    def __init__(self, top, args, run_no):
        super().__init__(top, args)
        self.dir = os.path.join(top, f"postfix-{run_no}")
        self.etc = os.path.join(self.dir, "etc")
        self.started = False
        self.name = f"Postfix {postfix_version()}"

    def postfix(self, *cmd, check=True):
        r = subprocess.run(["/usr/sbin/postfix", "-c", self.etc, *cmd], capture_output=True, text=True,
                           preexec_fn=self.cg.enter if self.cg and self.cg.path else None,
                           start_new_session=True)
        if check and r.returncode != 0:
            raise BenchError(f"postfix {' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()} "
                             f"maillog: {' | '.join(self.maillog()[-5:])}")
        return r

    def maillog(self):
        try:
            with open(os.path.join(self.dir, "maillog"), errors="replace") as f:
                return f.read().splitlines()
        except OSError:
            return []

    def start(self):
        for d in ("etc", "queue", "data"):
            os.makedirs(os.path.join(self.dir, d))
        shutil.chown(os.path.join(self.dir, "data"), "postfix")
        with open(os.path.join(self.etc, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(dir=self.dir, domain=RECIPIENT.split("@")[1]))
        with open(os.path.join(self.etc, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(listen=f"127.0.0.1:{self.port}"))
        self.cg = CgroupMeter(f"mixer-bench-{os.getpid()}-{os.path.basename(self.dir)}")
        self.details.append("CPU: master and every process it ran: " + (
            self.cg.describe() if self.cg.path else
            "no writable cgroup, so /proc: utime+stime of master and its live descendants "
            "+ master's cutime+cstime (children it reaped)"))
        self.started = True
        self.postfix("start")

    def master_pid(self):
        with open(os.path.join(self.dir, "queue", "pid", "master.pid")) as f:
            return int(f.read().split()[0])

    def cpu_seconds(self):
        return self.cg.seconds() if self.cg.path else proc_tree_seconds(self.master_pid())

    def queue_counts(self):
        qdir = os.path.join(self.dir, "queue")
        return {q: sum(len(files) for _, _, files in os.walk(os.path.join(qdir, q)))
                for q in ("maildrop", "incoming", "active", "deferred", "hold", "corrupt")}

    def finish(self, accepted):
        # Count while the instance runs (postqueue asks its showq), then stop
        # it and read the maillog once postlogd has written everything.
        counts = self.queue_counts()
        r = subprocess.run(["postqueue", "-c", self.etc, "-j"], capture_output=True, text=True)
        listed = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        held = sum(1 for e in listed if e.get("queue_name") == "hold")
        self.stop()
        log = self.maillog()
        holds = sum(1 for l in log if "Client host triggers HOLD action" in l)
        bad = [l for l in log if any(w in l for w in (" warning: ", " fatal: ", " panic: ", " error: "))]
        self.details.append(f"queue files after the run: {counts}; postqueue -j: {len(listed)} entries, "
                            f"{held} on hold; maillog: {holds} HOLD lines, {len(bad)} warning/error lines")
        self.details += ["  maillog: " + l for l in bad[:5]]
        if counts["hold"] != accepted or held != accepted:
            self.problems.append(f"hold queue has {counts['hold']} files / postqueue lists {held}, "
                                 f"expected {accepted} (the messages answered 250)")
        others = {q: n for q, n in counts.items() if q != "hold" and n}
        if others:
            self.problems.append(f"mail outside the hold queue: {others}")

    def stop(self):
        if not self.started:
            return
        self.started = False
        self.postfix("stop", check=False)
        if not (self.cg and self.cg.path):
            time.sleep(2)
            return
        deadline = time.monotonic() + 20
        while self.cg.pids() and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in self.cg.pids():  # only processes of our own instance are in this cgroup
            self.details.append(f"killed pid {pid}, still running 20 s after postfix stop")
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def cleanup(self):
        try:
            self.stop()
        finally:
            if self.cg and not self.cg.remove():
                print(f"smtp_accept: warning: cannot remove cgroup {self.cg.path}", file=sys.stderr)
