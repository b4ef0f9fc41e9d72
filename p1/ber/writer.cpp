// p1/ber/writer.cpp: BER encoding (X.690 §8), minimal definite lengths.
#include "p1/ber/writer.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace mixer::p1::ber {

Bytes integer_contents(std::int64_t v) {
  Bytes out;
  auto u = static_cast<std::uint64_t>(v);
  int n = 8;
  // Drop leading octets that only repeat the sign (X.690 8.3.2).
  while (n > 1) {
    std::uint8_t top = static_cast<std::uint8_t>(u >> ((n - 1) * 8));
    std::uint8_t next = static_cast<std::uint8_t>(u >> ((n - 2) * 8));
    if ((top == 0x00 && !(next & 0x80)) || (top == 0xff && (next & 0x80))) --n;
    else break;
  }
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(u >> (i * 8)));
  return out;
}

void Writer::identifier(Tag t, bool constructed) {
  std::uint8_t first = static_cast<std::uint8_t>(static_cast<unsigned>(t.cls) << 6) | (constructed ? 0x20 : 0);
  if (t.number < 31) {
    out_.push_back(first | static_cast<std::uint8_t>(t.number));
    return;
  }
  out_.push_back(first | 0x1f);
  std::uint8_t tmp[5];
  int n = 0;
  std::uint32_t v = t.number;
  do {
    tmp[n++] = v & 0x7f;
    v >>= 7;
  } while (v);
  while (n > 1) out_.push_back(tmp[--n] | 0x80);
  out_.push_back(tmp[0]);
}

void Writer::length(std::size_t n) {
  if (n < 0x80) {
    out_.push_back(static_cast<std::uint8_t>(n));
    return;
  }
  int bytes = 0;
  for (std::size_t v = n; v; v >>= 8) ++bytes;
  out_.push_back(static_cast<std::uint8_t>(0x80 | bytes));
  for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(n >> (i * 8)));
}

void Writer::header(Tag t, bool constructed, std::size_t n) {
  identifier(t, constructed);
  length(n);
}

namespace {
// The octets of a long-form length of n after its 0x80|count octet.
int length_octets(std::size_t n) {
  int bytes = 0;
  for (std::size_t v = n; v; v >>= 8) ++bytes;
  return bytes;
}
// Contents this long have their enclosing lengths reserved before they are written.
constexpr std::size_t reserve_threshold = 1024;
}  // namespace

void Writer::open(Tag t) {
  identifier(t, true);
  out_.push_back(0);  // short-form placeholder, widened when needed
  open_.push_back({out_.size() - 1, extra_, 0});
}

void Writer::close() {
  if (open_.empty()) return;
  const Open o = open_.back();
  open_.pop_back();
  // The contents: what follows the placeholder, with the long-form lengths pending inside.
  const std::size_t start = o.mark + 1 + static_cast<std::size_t>(o.reserved);
  const std::size_t n = out_.size() - start + (extra_ - o.extra_before);
  if (n < 0x80 && !o.reserved) {
    out_[o.mark] = static_cast<std::uint8_t>(n);
    return;
  }
  // A reserved placeholder is only made for contents of reserve_threshold octets or more,
  // so it never holds more octets than the minimal long form needs (X.690 10.1).
  const int bytes = length_octets(n);
  if (bytes == o.reserved) {
    out_[o.mark] = static_cast<std::uint8_t>(0x80 | bytes);
    for (int i = 0; i < bytes; ++i) out_[o.mark + 1 + i] = static_cast<std::uint8_t>(n >> ((bytes - 1 - i) * 8));
    return;
  }
  pending_.push_back({o.mark, n, bytes, o.reserved});
  extra_ += static_cast<std::size_t>(bytes - o.reserved);
}

void Writer::reserve_lengths(std::size_t n) {
  if (n < reserve_threshold || open_.empty()) return;
  const int bytes = length_octets(n);  // each open element's contents are at least n octets
  // Worth it only when what moves now (everything after the first placeholder to widen) is
  // less than the n octets that would move at widen().
  std::size_t first = out_.size(), total = 0;
  for (const auto& o : open_)
    if (o.reserved < bytes) {
      first = std::min(first, o.mark);
      total += static_cast<std::size_t>(bytes - o.reserved);
    }
  if (!total || out_.size() - first + extra_ > n) return;
  widen();
  const std::size_t old_size = out_.size();
  out_.resize(old_size + total);
  std::uint8_t* b = out_.data();
  std::size_t end = old_size, shift = total;
  // From the innermost out: the octets after each placeholder move once, by the octets added
  // to it and to the placeholders before it (the placeholder itself moves with the outer ones).
  for (auto o = open_.rbegin(); o != open_.rend(); ++o) {
    const int add = o->reserved < bytes ? bytes - o->reserved : 0;
    const std::size_t from = o->mark + 1 + static_cast<std::size_t>(o->reserved);
    std::memmove(b + from + shift, b + from, end - from);
    shift -= static_cast<std::size_t>(add);
    end = from;
    o->mark += shift;
    o->reserved += add;
  }
}

void Writer::widen_pending() const {
  // Inner elements close first: by position, then from the last one back, each stretch of
  // octets moves once to where the lengths before it put it.
  std::sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) { return a.mark < b.mark; });
  const std::size_t old_size = out_.size();
  out_.resize(old_size + extra_);
  std::uint8_t* b = out_.data();
  std::size_t end = old_size, shift = extra_;
  for (auto p = pending_.rbegin(); p != pending_.rend(); ++p) {
    const std::size_t from = p->mark + 1 + static_cast<std::size_t>(p->reserved);
    std::memmove(b + from + shift, b + from, end - from);
    shift -= static_cast<std::size_t>(p->octets - p->reserved);
    std::uint8_t* at = b + p->mark + shift;
    at[0] = static_cast<std::uint8_t>(0x80 | p->octets);
    for (int i = 0; i < p->octets; ++i) at[1 + i] = static_cast<std::uint8_t>(p->length >> ((p->octets - 1 - i) * 8));
    end = p->mark;
  }
  // The elements still open were opened after every pending one before them.
  for (auto& o : open_) {
    o.mark += o.extra_before;
    o.extra_before = 0;
  }
  pending_.clear();
  extra_ = 0;
}

void Writer::primitive(Tag t, ByteView contents) {
  reserve_lengths(contents.size());
  identifier(t, false);
  length(contents.size());
  out_.insert(out_.end(), contents.begin(), contents.end());
}

void Writer::integer(std::int64_t v, Tag t) { primitive(t, integer_contents(v)); }

void Writer::boolean(bool v, Tag t) {
  std::uint8_t b = v ? 0xff : 0x00;
  primitive(t, ByteView(&b, 1));
}

void Writer::null(Tag t) { primitive(t, {}); }

void Writer::oid(const Oid& v, Tag t) {
  auto c = v.contents();
  if (!c) throw std::invalid_argument("ber::Writer: invalid OBJECT IDENTIFIER " + v.to_string());
  primitive(t, *c);
}

void Writer::octets(ByteView v, Tag t) { primitive(t, v); }

void Writer::bit_string(const BitString& v, Tag t) {
  identifier(t, false);
  length(v.bytes.size() + 1);
  out_.push_back(v.bytes.empty() ? 0 : v.unused_bits);
  out_.insert(out_.end(), v.bytes.begin(), v.bytes.end());
}

void Writer::raw(ByteView encoded) {
  reserve_lengths(encoded.size());
  out_.insert(out_.end(), encoded.begin(), encoded.end());
}

}  // namespace mixer::p1::ber
