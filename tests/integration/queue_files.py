"""The queue's entry files (gateway/queue/store.hpp), read and written by the
tests the way the daemon does: one file per entry, a 32-octet header
("mixer-entry 1 " + the control part's offset in 16 hex digits + " \\n"),
the content as received, the converted forms in order, then the control
part (gateway/queue/format/control_file.hpp) with its appended records."""
from dataclasses import dataclass, field
from pathlib import Path
import re

HEADER_SIZE = 32


@dataclass
class Entry:
    content: bytes
    forms: list = field(default_factory=list)  # form 1, 2, ... octets
    control: str = ""


def read(path: Path):
    """The entry in `path`, or None while it is unfinished (or unreadable)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if len(data) < HEADER_SIZE or not data.startswith(b"mixer-entry 1 "):
        return None
    offset = int(data[14:30], 16)
    if offset == 0 or offset > len(data):
        return None
    control = data[offset:].decode("utf-8", "replace")
    m = re.search(r"^size (\d+)$", control, re.M)
    if not m:
        return None
    size = int(m.group(1))
    content = data[HEADER_SIZE:HEADER_SIZE + size]
    forms, at = [], HEADER_SIZE + size
    for fm in re.finditer(r"^form \d+ .*?\bsize=(\d+)", control, re.M):
        n = int(fm.group(1))
        forms.append(data[at:at + n])
        at += n
    return Entry(content, forms, control)


def write(path: Path, content: bytes, forms, control_text: str):
    """A complete entry, as the daemon writes it (no sync: the daemon is not running)."""
    offset = HEADER_SIZE + len(content) + sum(len(f) for f in forms)
    header = b"mixer-entry 1 " + b"%016x" % offset + b" \n"
    assert len(header) == HEADER_SIZE
    Path(path).write_bytes(header + content + b"".join(forms) + control_text.encode())
