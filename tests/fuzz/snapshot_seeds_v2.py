#!/usr/bin/env python3
"""Rewrites the fuzz_queue_snapshot seeds (tests/fuzz/corpus/fuzz_queue_snapshot)
from format version 1 to version 2 (gateway/queue/format/snapshot_format.hpp):
a 56-octet header with the as-of time, and each entry's file size after its
inode. An encoder independent of the C++ one (its own CRC-32C and varints), so
that the seeds check the decoder against the format's description.
Usage: snapshot_seeds_v2.py FILE... (rewritten in place; version 2 files are left)."""
import struct
import sys


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def varint(data, at):
    v, shift = 0, 0
    while True:
        b = data[at]
        at += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, at


def put_varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def convert(data, as_of_ns=1_795_430_400_000_000_000):
    magic, version, zero, generation, entries, size, crc, zero2 = struct.unpack_from("<8sIIQQQII", data, 0)
    assert magic == b"MIXSNAP\0" and version == 1, "not a version 1 snapshot"
    at, blocks, number = 48, b"", 0
    while at < len(data):
        length, n, _ = struct.unpack_from("<III", data, at)
        payload = data[at + 12: at + 12 + length]
        out, p = bytearray(), 0
        for _ in range(n):
            id_len, q = varint(payload, p)
            q += id_len
            inode, q = varint(payload, q)
            # The entry's file size: an entry file's 32-octet header, a little content and a control part.
            out += payload[p:q] + put_varint(600 + 37 * number)
            number += 1
            p = q
            p2 = skip_rest(payload, p)  # the fields after the inode, as they were
            out += payload[p:p2]
            p = p2
        assert p == len(payload)
        head = struct.pack("<II", len(out), n)
        blocks += head + struct.pack("<I", crc32c(bytes(out), crc32c(head))) + bytes(out)
        at += 12 + length
    header = struct.pack("<8sIIQQQQ", b"MIXSNAP\0", 2, 0, generation, entries, 56 + len(blocks), as_of_ns)
    return header + struct.pack("<II", crc32c(header), 0) + blocks


def skip_rest(s, p):
    """Past an entry's fields after its inode (version 1 and 2 alike)."""
    def string(p):
        n, p = varint(s, p)
        return p + n
    for _ in range(4):  # arrival_us, size, flags, warned
        _, p = varint(s, p)
    p = string(p)  # mts_id
    _, p = varint(s, p)  # apdu
    forms, p = varint(s, p)
    for _ in range(forms):
        _, p = varint(s, p)
        p = string(p)
    rcpts, p = varint(s, p)
    for _ in range(rcpts):
        _, p = varint(s, p)  # index
        _, p = varint(s, p)  # channel
        p = string(p)  # hop
        fallback, p = varint(s, p)
        for _ in range(fallback):
            p = string(p)
        for _ in range(5):  # form, status, attempts, next_attempt, flags
            _, p = varint(s, p)
        for _ in range(3):  # address, dsn, diagnostic
            p = string(p)
    return p


if __name__ == "__main__":
    for name in sys.argv[1:]:
        with open(name, "rb") as f:
            data = f.read()
        if struct.unpack_from("<I", data, 8)[0] == 2:
            continue
        with open(name, "wb") as f:
            f.write(convert(data))
