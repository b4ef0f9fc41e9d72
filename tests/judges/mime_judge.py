#!/usr/bin/env python3
"""mime_judge.py: an independent judge of Internet messages (RFC 5322, MIME,
RFC 2047), for tests of code that writes them. Python 3 standard library only.

Usage:
    mime_judge.py [--expect FILE.json] MESSAGE_OR_DIR...

Each MESSAGE is a file holding one message (CRLF line ends; LF-only files are
judged too, with bare line ends reported); a DIR stands for its *.eml files.
Prints one line per problem, "FILE: problem", and exits 0 only if every
message passed (1: problems found, 2: usage error, unreadable file or bad
JSON).

A message fails on:
  - any defect Python's email package registers, on the message or any part
    (email.parser.BytesParser(policy=email.policy.default));
  - any header field, of the message or any part, whose value does not parse
    or has defects;
  - any line over 998 octets without its line end (RFC 5322 §2.1.1), a bare
    CR or LF, or a header line that is not a field;
  - any invalid encoded word (RFC 2047) in a header: charset unknown to
    Python, encoding not B or Q, encoded text outside its alphabet or not
    decoding, octets not valid in the charset, a word over 75 octets (§2),
    a line holding encoded words over 76 octets (§2), or a word not set off
    by white space (or a comment's parentheses) from the text around it (§5).

--expect FILE.json compares decoded header values. The JSON maps a message's
file name (without its folder) to {field name: expected}, where expected is
  - a string: str() of the field as Python reads it (the decoded value);
  - a list of strings: every occurrence of the field, in order;
  - an object with any of "display_names" and "addr_specs" (lists, compared
    with the field's addresses in order) and "datetime" (the ISO 8601 form of
    a date field's value, "2026-12-03T02:42:26+01:00").
A field expected but absent is a problem.
"""

import argparse
import base64
import binascii
import codecs
import email.policy
import json
import os
import re
import sys
from email.parser import BytesParser

MAX_LINE = 998
MAX_ENCODED_WORD = 75
MAX_ENCODED_LINE = 76

ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([^?\s]*)\?([^?\s]*)\?=")
Q_TEXT = re.compile(r"^(?:[!-<>@-~]|=[0-9A-Fa-f]{2})*$")  # printable ASCII but "=", "?", SPACE; "=XX"
FIELD_NAME = re.compile(rb"^[!-9;-~]+[ \t]*:")


def decode_encoded_word(charset, encoding, text):
    """The text of one encoded word, or raises ValueError saying why not."""
    charset = charset.split("*", 1)[0]  # RFC 2231 §5 language
    if not charset:
        raise ValueError("empty charset")
    try:
        codecs.lookup(charset)
    except LookupError:
        raise ValueError("unknown charset %r" % charset)
    if encoding in ("B", "b"):
        if len(text) % 4:
            raise ValueError("B text length not a multiple of 4")
        try:
            octets = base64.b64decode(text, validate=True)
        except binascii.Error as e:
            raise ValueError("bad B text (%s)" % e)
    elif encoding in ("Q", "q"):
        if not Q_TEXT.match(text):
            raise ValueError("bad Q text")
        octets = re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                        text.replace("_", " ").encode("ascii"))
    else:
        raise ValueError("encoding %r is neither B nor Q" % encoding)
    try:
        return octets.decode(charset, "strict")
    except (UnicodeDecodeError, LookupError) as e:
        raise ValueError("octets not valid %s (%s)" % (charset, e))


def check_encoded_words(name, raw_value, problems, where=""):
    """RFC 2047 checks of one raw (folded) field value, as raw_items() gives it."""
    for index, line in enumerate(raw_value.replace("\r\n", "\n").split("\n")):
        if ENCODED_WORD.search(line):
            # The first line also holds "Name: ", which raw_items() leaves out.
            length = len(line.encode("utf-8", "surrogateescape")) + (len(name) + 2 if index == 0 else 0)
            if length > MAX_ENCODED_LINE:
                problems.append("%s%s: a line holding encoded words has %d octets (RFC 2047 §2: 76)"
                                % (where, name, length))
    text = raw_value
    for m in ENCODED_WORD.finditer(text):
        word = m.group(0)
        if len(word) > MAX_ENCODED_WORD:
            problems.append("%s%s: encoded word of %d octets (RFC 2047 §2: 75): %s" % (where, name, len(word), word))
        before = text[m.start() - 1] if m.start() > 0 else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before not in " \t\r\n(" or after not in " \t\r\n)":
            problems.append("%s%s: encoded word not set off by white space (RFC 2047 §5): %s" % (where, name, word))
        try:
            decode_encoded_word(m.group(1), m.group(2), m.group(3))
        except ValueError as e:
            problems.append("%s%s: invalid encoded word %s: %s" % (where, name, word, e))


def check_lines(data, problems):
    """Line lengths and line ends of the whole message; header lines that are not fields."""
    in_header = True
    lines = data.split(b"\n")
    for number, line in enumerate(lines, 1):
        last = number == len(lines)
        if last and line == b"":
            break
        if line.endswith(b"\r"):
            line = line[:-1]
        elif not last:
            problems.append("line %d: bare LF" % number)
        if b"\r" in line:
            problems.append("line %d: bare CR" % number)
        if len(line) > MAX_LINE:
            problems.append("line %d: %d octets (RFC 5322 §2.1.1: 998)" % (number, len(line)))
        if in_header:
            if line == b"":
                in_header = False
            elif line[:1] not in (b" ", b"\t") and not FIELD_NAME.match(line):
                problems.append("line %d: header line that is not a field: %r" % (number, line[:60]))
            elif number == 1 and line[:1] in (b" ", b"\t"):
                problems.append("line 1: header starts with a continuation line")


def compare(name, header_values, expected, problems):
    if not header_values:
        problems.append("%s: expected, absent" % name)
        return
    if isinstance(expected, list):
        got = [str(h) for h in header_values]
        if got != expected:
            problems.append("%s: expected %r, read %r" % (name, expected, got))
        return
    h = header_values[0]
    if isinstance(expected, str):
        if str(h) != expected:
            problems.append("%s: expected %r, read %r" % (name, expected, str(h)))
        return
    if not isinstance(expected, dict):
        problems.append("%s: expectation is neither a string, a list nor an object" % name)
        return
    for key, want in expected.items():
        try:
            if key == "display_names":
                got = [a.display_name for a in h.addresses]
            elif key == "addr_specs":
                got = [a.addr_spec for a in h.addresses]
            elif key == "datetime":
                got = h.datetime.isoformat()
            else:
                problems.append("%s: unknown expectation %r" % (name, key))
                continue
        except AttributeError:
            problems.append("%s: has no %s" % (name, key))
            continue
        if got != want:
            problems.append("%s: %s expected %r, read %r" % (name, key, want, got))


def judge_bytes(data, expected=None):
    """The problems of one message (a list of sentences; empty if it passes)."""
    problems = []
    check_lines(data, problems)
    try:
        msg = BytesParser(policy=email.policy.default).parsebytes(data)
    except Exception as e:  # the parser is meant never to raise; say so if it does
        return problems + ["does not parse: %s: %s" % (type(e).__name__, e)]
    for index, part in enumerate(msg.walk()):
        where = "" if index == 0 else "part %d: " % index
        for d in part.defects:
            problems.append("%sdefect %s: %s" % (where, type(d).__name__, d))
        for name, raw in part.raw_items():
            try:
                for h in part.get_all(name) or []:
                    for d in getattr(h, "defects", ()):
                        problems.append("%s%s: defect %s: %s" % (where, name, type(d).__name__, d))
                    str(h)
            except Exception as e:
                problems.append("%s%s: does not parse: %s: %s" % (where, name, type(e).__name__, e))
            check_encoded_words(name, raw, problems, where)
    if expected:
        for name, want in expected.items():
            compare(name, msg.get_all(name) or [], want, problems)
    # Each field once per occurrence: raw_items() lists every occurrence, get_all() too.
    seen, unique = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def message_files(args):
    for a in args:
        if os.path.isdir(a):
            for f in sorted(os.listdir(a)):
                if f.endswith(".eml"):
                    yield os.path.join(a, f)
        else:
            yield a


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--expect", metavar="FILE.json", help="decoded header values to compare")
    ap.add_argument("messages", nargs="+", metavar="MESSAGE_OR_DIR")
    args = ap.parse_args(argv)
    expect = {}
    if args.expect:
        try:
            with open(args.expect, encoding="utf-8") as f:
                expect = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: %s" % (args.expect, e))
            return 2
    files = list(message_files(args.messages))
    if not files:
        print("no messages given")
        return 2
    failed = False
    for path in files:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            print("%s: %s" % (path, e))
            return 2
        for p in judge_bytes(data, expect.get(os.path.basename(path))):
            print("%s: %s" % (path, p))
            failed = True
    for name in expect:
        if name not in {os.path.basename(p) for p in files}:
            print("%s: expected in %s, not judged" % (name, args.expect))
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
