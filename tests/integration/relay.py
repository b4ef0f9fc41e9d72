"""A TCP relay between two daemons for the P1 integration tests: it keeps
every octet of each connection (for tshark) and, when asked, breaks its
first connection mid-transfer (RTSE recovery) or holds it."""
import socket
import threading

from conftest import free_port


class Relay:
    """A TCP relay that keeps every octet (for tshark): `conversations` holds one
    list of (from_initiator, bytes) per TCP connection. With `cut_after`, it breaks
    its first connection, both ways, once the initiator has sent that many octets;
    with hold, it stops forwarding the initiator's octets there instead (until the
    responder goes away), so the test can kill the responder mid-transfer."""

    def __init__(self, target_port, cut_after=None, hold=False):
        self.target = target_port
        self.cut_after = cut_after
        self.hold = hold
        self.held = threading.Event()
        self.port = free_port()
        self.conversations = []
        self.lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.server.accept()
            except OSError:
                return
            try:
                u = socket.create_connection(("127.0.0.1", self.target))
            except OSError:  # the responder is down: so is this connection
                c.close()
                continue
            with self.lock:
                self.conversations.append([])
                segments = self.conversations[-1]
                limit = self.cut_after if len(self.conversations) == 1 else None
            state = {"sent": 0, "cut": False}
            threading.Thread(target=self.pump, args=(c, u, True, segments, limit, state), daemon=True).start()
            threading.Thread(target=self.pump, args=(u, c, False, segments, None, state), daemon=True).start()

    def pump(self, src, dst, from_initiator, segments, limit, state):
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if data and limit is not None and self.hold and state["sent"] + len(data) >= limit:
                self.held.set()  # forward nothing more from the initiator; the other direction runs on
                while True:
                    try:
                        if not src.recv(65536):
                            return
                    except OSError:
                        return
            if data and limit is not None and state["sent"] + len(data) >= limit:
                data = data[:limit - state["sent"]]
                with self.lock:
                    segments.append((from_initiator, data))
                try:
                    dst.sendall(data)
                except OSError:
                    pass
                state["cut"] = True
                for s in (src, dst):  # both TCP connections end at once: a broken association
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    s.close()
                return
            if not data or state["cut"]:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            if from_initiator:
                state["sent"] += len(data)
            with self.lock:
                segments.append((from_initiator, data))
            try:
                dst.sendall(data)
            except OSError:
                return
