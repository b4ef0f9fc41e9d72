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

}  // namespace mixer::p1::ber
