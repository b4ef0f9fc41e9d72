# tests/bench/benchlib/syscalls.py: system calls by type and context switches
# of one process (all its threads, those it starts meanwhile included) over a
# window, counted by the kernel: `perf stat` on the syscalls:sys_enter_*
# tracepoints (in-kernel counters, no per-call record to user space, so the
# process runs nearly as fast as without them) and the context-switches
# software event, plus voluntary/involuntary switches from /proc per thread.
# Trusts perf and /proc; changes nothing.
import os
import resource
import signal
import subprocess


def _raise_nofile():
    # One counter per tracepoint per thread: a few thousand descriptors.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def thread_switches(pid):
    """(voluntary, involuntary) context switches summed over the live threads of `pid`."""
    vol = invol = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0, 0
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        invol += int(line.split()[1])
        except OSError:
            pass
    return vol, invol


class SyscallMeter:
    """perf stat -p PID on every syscall tracepoint, from start() to stop()."""

    def __init__(self, pid, out):
        self.pid, self.out, self.proc = pid, out, None

    def start(self):
        self.switches0 = thread_switches(self.pid)
        self.proc = subprocess.Popen(
            ["perf", "stat", "-x", ",", "-o", self.out, "-p", str(self.pid),
             "-e", "raw_syscalls:sys_enter,context-switches,cpu-migrations,task-clock",
             "-e", "syscalls:sys_enter_*"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_raise_nofile)

    def stop(self):
        """{event: count} over the window; 'syscalls' is the total, 'voluntary'/'involuntary' from /proc."""
        vol, invol = thread_switches(self.pid)
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(60)
        counts = {}
        with open(self.out) as f:
            for line in f:
                parts = line.strip().split(",")
                if len(parts) < 3 or not parts[0].replace(".", "").isdigit():
                    continue
                name = parts[2]
                value = float(parts[0])
                if name == "raw_syscalls:sys_enter":
                    counts["syscalls"] = value
                elif name.startswith("syscalls:sys_enter_"):
                    if value:
                        counts[name[len("syscalls:sys_enter_"):]] = value
                else:
                    counts[name] = value
        counts["voluntary"] = vol - self.switches0[0]
        counts["involuntary"] = invol - self.switches0[1]
        return counts


def per_message_table(title, counts, messages, top=18):
    """Lines: syscalls per message by type, the largest first, then the totals."""
    skip = {"syscalls", "context-switches", "cpu-migrations", "task-clock", "voluntary", "involuntary"}
    calls = sorted(((v, k) for k, v in counts.items() if k not in skip), reverse=True)
    lines = [f"{title}: per message over {messages} messages"]
    shown = 0.0
    for v, k in calls[:top]:
        lines.append(f"  {k:22} {v / messages:8.2f}")
        shown += v
    rest = sum(v for v, _ in calls[top:])
    if rest:
        lines.append(f"  {'(others)':22} {rest / messages:8.2f}")
    total = counts.get("syscalls", shown + rest)
    lines.append(f"  {'= system calls':22} {total / messages:8.2f}")
    if "context-switches" in counts:
        lines.append(f"  {'context switches':22} {counts['context-switches'] / messages:8.2f}"
                     f"  (voluntary {counts['voluntary'] / messages:.2f}, involuntary "
                     f"{counts['involuntary'] / messages:.2f}, live threads, /proc)")
    if "task-clock" in counts:
        lines.append(f"  {'task-clock ms':22} {counts['task-clock'] / messages:8.3f}")
    return lines
