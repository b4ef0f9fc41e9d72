// p1/ber/values.cpp: OBJECT IDENTIFIER and BIT STRING values, tag and error
// names. Pure functions over bytes.
#include "p1/ber/values.hpp"

#include <charconv>

#include "p1/ber/limits.hpp"
#include "p1/ber/tag.hpp"

namespace mixer::p1::ber {

std::string to_string(Tag t) {
  static const char* const names[] = {
      "EOC", "BOOLEAN", "INTEGER", "BIT STRING", "OCTET STRING", "NULL", "OBJECT IDENTIFIER",
      "ObjectDescriptor", "EXTERNAL", "REAL", "ENUMERATED", "EMBEDDED PDV", "UTF8String",
      "RELATIVE-OID", "14", "15", "SEQUENCE", "SET", "NumericString", "PrintableString",
      "TeletexString", "VideotexString", "IA5String", "UTCTime", "GeneralizedTime",
      "GraphicString", "VisibleString", "GeneralString", "UniversalString", "CHARACTER STRING",
      "BMPString"};
  switch (t.cls) {
    case TagClass::universal:
      if (t.number < std::size(names)) return std::string("UNIVERSAL ") + std::to_string(t.number) + " (" + names[t.number] + ")";
      return "UNIVERSAL " + std::to_string(t.number);
    case TagClass::application: return "[APPLICATION " + std::to_string(t.number) + "]";
    case TagClass::context: return "[" + std::to_string(t.number) + "]";
    case TagClass::private_use: return "[PRIVATE " + std::to_string(t.number) + "]";
  }
  return "?";
}

const char* to_string(Errc e) {
  switch (e) {
    case Errc::truncated: return "truncated";
    case Errc::bad_header: return "bad header";
    case Errc::too_large: return "too large";
    case Errc::too_deep: return "nested too deep";
    case Errc::too_many_elements: return "too many elements";
    case Errc::unexpected_tag: return "unexpected tag";
    case Errc::wrong_form: return "wrong form";
    case Errc::bad_value: return "bad value";
    case Errc::out_of_range: return "out of range";
    case Errc::missing: return "missing component";
    case Errc::trailing: return "trailing data";
    case Errc::duplicate: return "duplicate component";
  }
  return "?";
}

std::string Oid::to_string() const {
  std::string s;
  for (std::size_t i = 0; i < arcs.size(); ++i) {
    if (i) s += '.';
    s += std::to_string(arcs[i]);
  }
  return s;
}

std::optional<Oid> Oid::parse(std::string_view dotted) {
  Oid o;
  while (!dotted.empty()) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(dotted.data(), dotted.data() + dotted.size(), v);
    if (ec != std::errc() || p == dotted.data()) return std::nullopt;
    o.arcs.push_back(v);
    dotted.remove_prefix(static_cast<std::size_t>(p - dotted.data()));
    if (dotted.empty()) break;
    if (dotted[0] != '.' || dotted.size() == 1) return std::nullopt;
    dotted.remove_prefix(1);
  }
  if (!o.contents()) return std::nullopt;
  return o;
}

namespace {
void put_base128(Bytes& out, std::uint64_t v) {
  std::uint8_t tmp[10];
  int n = 0;
  do {
    tmp[n++] = static_cast<std::uint8_t>(v & 0x7f);
    v >>= 7;
  } while (v);
  while (n > 1) out.push_back(static_cast<std::uint8_t>(tmp[--n] | 0x80));
  out.push_back(tmp[0]);
}
}  // namespace

std::optional<Bytes> Oid::contents() const {
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) return std::nullopt;
  Bytes out;
  put_base128(out, std::uint64_t{arcs[0]} * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) put_base128(out, arcs[i]);
  return out;
}

std::optional<Oid> Oid::from_contents(ByteView c) {
  if (c.empty() || (c.back() & 0x80)) return std::nullopt;
  Oid o;
  std::uint64_t v = 0;
  bool first = true, start = true;
  for (std::uint8_t b : c) {
    if (start && b == 0x80) return std::nullopt;  // X.690 §8.19.2: no padding octet
    start = false;
    v = (v << 7) | (b & 0x7f);
    if (v > 0xffffffffull + 80) return std::nullopt;
    if (b & 0x80) continue;
    if (first) {
      std::uint64_t x = v < 40 ? 0 : v < 80 ? 1 : 2;
      std::uint64_t y = v - 40 * x;
      if (y > 0xffffffffull) return std::nullopt;
      o.arcs.push_back(static_cast<std::uint32_t>(x));
      o.arcs.push_back(static_cast<std::uint32_t>(y));
      first = false;
    } else {
      if (v > 0xffffffffull) return std::nullopt;
      o.arcs.push_back(static_cast<std::uint32_t>(v));
    }
    v = 0;
    start = true;
  }
  return o;
}

void BitString::set(std::size_t bit) {
  if (bit >= size()) {
    std::size_t nbits = bit + 1;
    bytes.resize((nbits + 7) / 8, 0);
    unused_bits = static_cast<std::uint8_t>(bytes.size() * 8 - nbits);
  }
  bytes[bit / 8] |= static_cast<std::uint8_t>(0x80u >> (bit % 8));
}

std::uint64_t BitString::as_flags() const {
  std::uint64_t f = 0;
  for (std::size_t i = 0; i < size() && i < 64; ++i)
    if (test(i)) f |= std::uint64_t{1} << i;
  return f;
}

BitString BitString::from_flags(std::uint64_t flags) {
  BitString b;
  for (std::size_t i = 0; i < 64; ++i)
    if (flags & (std::uint64_t{1} << i)) b.set(i);
  return b;
}

namespace {

// The number of `n` digits at v[i], or -1 when they are not all digits.
int digits_at(std::string_view v, std::size_t i, std::size_t n) {
  if (i + n > v.size()) return -1;
  int x = 0;
  for (std::size_t k = i; k < i + n; ++k) {
    if (v[k] < '0' || v[k] > '9') return -1;
    x = x * 10 + (v[k] - '0');
  }
  return x;
}

int days_in(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

}  // namespace

const char* time_syntax_error(std::string_view v, bool generalized) {
  const std::size_t ylen = generalized ? 4 : 2;
  int year = digits_at(v, 0, ylen);
  const int month = digits_at(v, ylen, 2), day = digits_at(v, ylen + 2, 2), hour = digits_at(v, ylen + 4, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0) return "not digits where the date and hour are";
  if (!generalized) year += year < 50 ? 2000 : 1900;  // X.509's reading; only February 29 depends on it
  if (month < 1 || month > 12) return "month outside 01..12";
  if (day < 1 || day > days_in(year, month)) return "day outside its month";
  if (hour > 23) return "hour outside 00..23";
  std::size_t i = ylen + 6;
  const int minute = digits_at(v, i, 2);
  if (minute >= 0) {
    if (minute > 59) return "minutes outside 00..59";
    i += 2;
    const int second = digits_at(v, i, 2);
    if (second >= 0) {
      if (second > 59) return "seconds outside 00..59";
      i += 2;
    }
  } else if (!generalized) {
    return "no minutes";
  }
  if (generalized && i < v.size() && (v[i] == '.' || v[i] == ',')) {
    const std::size_t from = ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    if (i == from) return "a decimal sign without digits";
  }
  if (i == v.size()) return "no time zone (Z or an offset)";
  if (v[i] == 'Z') return i + 1 == v.size() ? nullptr : "characters after Z";
  if (v[i] != '+' && v[i] != '-') return "no time zone (Z or an offset)";
  const int oh = digits_at(v, i + 1, 2);
  if (oh < 0 || oh > 23) return "offset hours outside 00..23";
  const std::size_t rest = v.size() - (i + 3);
  if (rest == 0 && generalized) return nullptr;
  const int om = digits_at(v, i + 3, 2);
  if (rest != 2 || om < 0 || om > 59) return "offset not +-hhmm";
  return nullptr;
}

}  // namespace mixer::p1::ber
