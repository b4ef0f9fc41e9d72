# tests/bench/benchlib/sysstat.py: what the kernel counts for us: CPU time of
# a cgroup or a process tree, the whole machine's CPU, a disk's writes.
# Trusts /proc and /sys; changes nothing but cgroups it creates itself.
import os
import socket
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """A failure the run must report loudly (exit status 1)."""


def free_port():
    # Bind port 0 to let the kernel pick a free port, then release it.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mount_of(path):
    # The /proc/mounts entry (device, mountpoint, fstype) holding `path`.
    path = os.path.realpath(path)
    best = ("?", "/", "?")
    with open("/proc/mounts") as f:
        for line in f:
            dev, mnt, fstype = line.split()[:3]
            if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best[1]):
                best = (dev, mnt, fstype)
    return best


def machine_cpu():
    # (busy, steal) seconds of the whole machine since boot (/proc/stat "cpu").
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + v[5] + v[6]  # user nice system irq softirq (guest is inside user)
    return busy / CLK_TCK, (v[7] if len(v) > 7 else 0) / CLK_TCK


class Disk:
    """Write counters of the block device under a mount (/sys/class/block/X/stat)."""

    def __init__(self, dev):
        name = os.path.basename(os.path.realpath(dev)) if dev.startswith("/dev/") else ""
        self.path = f"/sys/class/block/{name}/stat" if name else ""
        if not os.path.exists(self.path):
            self.path = ""

    def writes(self):
        # (write requests, octets written, flush requests) or None if unknown.
        if not self.path:
            return None
        with open(self.path) as f:
            v = [int(x) for x in f.read().split()]
        return v[4], v[6] * 512, (v[15] if len(v) > 15 else 0)

    def _activity(self):
        # Writes, discards and flushes completed so far, and requests in flight.
        with open(self.path) as f:
            v = [int(x) for x in f.read().split()]
        return tuple(v[i] for i in (4, 11, 15, 8) if i < len(v))

    def settle(self, quiet=1.0, limit=60.0):
        # Waits until nothing has been written for `quiet` seconds; returns the wait.
        t0 = time.monotonic()
        if not self.path:
            time.sleep(quiet)
            return quiet
        last, since = self._activity(), time.monotonic()
        while time.monotonic() - t0 < limit:
            time.sleep(0.2)
            now = self._activity()
            if now != last or now[-1]:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return time.monotonic() - t0


class CgroupMeter:
    """A cgroup of our own; its CPU usage counts every process ever in it,
    including those that exited during the run."""

    def __init__(self, name):
        self.path = self.kind = None
        with open("/proc/mounts") as f:
            mounts = [l.split() for l in f]
        candidates = [(m[1], "v2") for m in mounts if m[2] == "cgroup2"]
        candidates += [(m[1], "v1") for m in mounts if m[2] == "cgroup" and "cpuacct" in m[3].split(",")]
        for mnt, kind in candidates:
            path = os.path.join(mnt, name)
            try:
                os.mkdir(path)
            except OSError:
                continue
            if os.path.exists(os.path.join(path, "cpu.stat" if kind == "v2" else "cpuacct.usage")):
                self.path, self.kind = path, kind
                break
            os.rmdir(path)

    def describe(self):
        what = "cpu.stat usage_usec" if self.kind == "v2" else "cpuacct.usage"
        return f"cgroup {self.kind} {what} ({self.path})"

    def enter(self):
        # Runs in the child between fork and exec: join the cgroup.
        with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))

    def seconds(self):
        if self.kind == "v2":
            with open(os.path.join(self.path, "cpu.stat")) as f:
                for line in f:
                    k, v = line.split()
                    if k == "usage_usec":
                        return int(v) / 1e6
            raise BenchError(f"{self.path}/cpu.stat has no usage_usec")
        with open(os.path.join(self.path, "cpuacct.usage")) as f:
            return int(f.read()) / 1e9

    def pids(self):
        with open(os.path.join(self.path, "cgroup.procs")) as f:
            return [int(x) for x in f.read().split()]

    def remove(self):
        # Removes the (empty) cgroup; returns False if it stays populated.
        if not self.path:
            return True
        for _ in range(50):
            try:
                os.rmdir(self.path)
                self.path = None
                return True
            except FileNotFoundError:
                return True
            except OSError:
                time.sleep(0.1)
        return False


def proc_stat(pid):
    # (utime, stime, cutime, cstime, ppid) in seconds from /proc/PID/stat.
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    fields = data[data.rindex(")") + 2:].split()
    u, s, cu, cs = (int(x) / CLK_TCK for x in fields[11:15])
    return u, s, cu, cs, int(fields[1])


def proc_tree_seconds(root):
    # Fallback when no cgroup can be made: CPU of `root` and its live
    # descendants, plus what `root` reaped (cutime/cstime). Misses only
    # grandchildren that exited without being reaped by `root`.
    children, total = {}, 0.0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                children.setdefault(proc_stat(int(d))[4], []).append(int(d))
            except (OSError, ValueError):
                pass
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            u, s, cu, cs, _ = proc_stat(pid)
        except OSError:
            continue
        total += u + s + (cu + cs if pid == root else 0)
        todo.extend(children.get(pid, []))
    return total
