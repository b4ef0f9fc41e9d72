// p1/mts/strings.cpp: UCS-2/UCS-4 <-> UTF-8, hex, string kind names.
#include "p1/mts/strings.hpp"

#include "base/utf8.hpp"

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"
#include "p1/mts/asn1.hpp"

namespace mixer::p1::mts {

using base::next_utf8;
using base::put_utf8;

std::optional<std::string> utf8_from_ucs2(ber::ByteView b) {
  if (b.size() % 2) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += 2) {
    std::uint32_t cp = (std::uint32_t{b[i]} << 8) | b[i + 1];
    if (cp >= 0xd800 && cp <= 0xdfff) return std::nullopt;
    put_utf8(out, cp);
  }
  return out;
}

std::optional<std::string> utf8_from_ucs4(ber::ByteView b) {
  if (b.size() % 4) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += 4) {
    std::uint32_t cp = (std::uint32_t{b[i]} << 24) | (std::uint32_t{b[i + 1]} << 16) | (std::uint32_t{b[i + 2]} << 8) | b[i + 3];
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
    put_utf8(out, cp);
  }
  return out;
}

ber::Bytes ucs2_from_utf8(std::string_view s) {
  ber::Bytes out;
  for (std::size_t i = 0; i < s.size();) {
    auto cp = next_utf8(s, i);
    std::uint32_t c = cp ? *cp : 0xfffd;
    if (!cp) ++i;
    if (c > 0xffff) c = 0xfffd;
    out.push_back(static_cast<std::uint8_t>(c >> 8));
    out.push_back(static_cast<std::uint8_t>(c));
  }
  return out;
}

ber::Bytes ucs4_from_utf8(std::string_view s) {
  ber::Bytes out;
  for (std::size_t i = 0; i < s.size();) {
    auto cp = next_utf8(s, i);
    std::uint32_t c = cp ? *cp : 0xfffd;
    if (!cp) ++i;
    for (int k = 3; k >= 0; --k) out.push_back(static_cast<std::uint8_t>(c >> (8 * k)));
  }
  return out;
}


std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
  return n;
}

std::string to_hex(ber::ByteView b) {
  static const char d[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (std::uint8_t x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

std::optional<ber::Bytes> from_hex(std::string_view s) {
  auto v = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (s.size() % 2) return std::nullopt;
  ber::Bytes out;
  out.reserve(s.size() / 2);
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int a = v(s[i]), b = v(s[i + 1]);
    if (a < 0 || b < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(a * 16 + b));
  }
  return out;
}

Tag tag_of(StringKind k) {
  switch (k) {
    case StringKind::printable: return univ::printable_string;
    case StringKind::numeric: return univ::numeric_string;
    case StringKind::ia5: return univ::ia5_string;
    case StringKind::teletex: return univ::teletex_string;
    case StringKind::visible: return univ::visible_string;
    case StringKind::videotex: return univ::videotex_string;
    case StringKind::general: return univ::general_string;
    case StringKind::graphic: return univ::graphic_string;
    case StringKind::utf8: return univ::utf8_string;
    case StringKind::bmp: return univ::bmp_string;
    case StringKind::universal: return univ::universal_string;
  }
  return univ::octet_string;
}

const char* name_of(StringKind k) {
  switch (k) {
    case StringKind::printable: return "PrintableString";
    case StringKind::numeric: return "NumericString";
    case StringKind::ia5: return "IA5String";
    case StringKind::teletex: return "TeletexString";
    case StringKind::visible: return "VisibleString";
    case StringKind::videotex: return "VideotexString";
    case StringKind::general: return "GeneralString";
    case StringKind::graphic: return "GraphicString";
    case StringKind::utf8: return "UTF8String";
    case StringKind::bmp: return "BMPString";
    case StringKind::universal: return "UniversalString";
  }
  return "string";
}

const StringAlternative string_alternatives[string_alternative_count] = {
    {"printableString", univ::printable_string, StringKind::printable},
    {"teletexString", univ::teletex_string, StringKind::teletex},
    {"uTF8String", univ::utf8_string, StringKind::utf8},
    {"bmpString", univ::bmp_string, StringKind::bmp},
    {"universalString", univ::universal_string, StringKind::universal},
    {"ia5String", univ::ia5_string, StringKind::ia5},
    {"numericString", univ::numeric_string, StringKind::numeric}};

Bytes string_value_encoding(int which, const std::string& text) {
  if (which < 0 || which >= string_alternative_count) return {};
  const StringAlternative& a = string_alternatives[which];
  ber::Writer w;
  if (a.kind == StringKind::bmp) w.octets(ucs2_from_utf8(text), a.tag);
  else if (a.kind == StringKind::universal) w.octets(ucs4_from_utf8(text), a.tag);
  else w.string(text, a.tag);
  return w.take();
}

int string_value_kind(ByteView encoding, std::string& text) {
  int which = -1;
  ber::Limits limits;
  ber::decode(encoding, limits, [&](ber::Reader& r) {
    auto h = r.peek();
    if (!h || h->constructed || h->tag.cls != ber::TagClass::universal) return;
    int i = 0;
    while (i < string_alternative_count && string_alternatives[i].tag != h->tag) ++i;
    if (i == string_alternative_count) return;
    ByteView c = r.primitive(h->tag);
    if (!r.ok()) return;
    std::optional<std::string> t;
    std::string_view chars(reinterpret_cast<const char*>(c.data()), c.size());
    auto all = [&](auto pred) {
      for (char x : chars)
        if (!pred(static_cast<unsigned char>(x))) return false;
      return true;
    };
    switch (string_alternatives[i].kind) {
      case StringKind::printable:
        if (all([](unsigned char x) {
              return (x >= 'A' && x <= 'Z') || (x >= 'a' && x <= 'z') || (x >= '0' && x <= '9') ||
                     (x < 128 && std::string_view(" '()+,-./:=?").find(static_cast<char>(x)) != std::string_view::npos);
            }))
          t = std::string(chars);
        break;
      case StringKind::numeric:
        if (all([](unsigned char x) { return (x >= '0' && x <= '9') || x == ' '; })) t = std::string(chars);
        break;
      case StringKind::ia5:
        if (all([](unsigned char x) { return x < 0x80; })) t = std::string(chars);
        break;
      case StringKind::utf8:
        if (valid_utf8(chars)) t = std::string(chars);
        break;
      case StringKind::bmp: t = utf8_from_ucs2(c); break;
      case StringKind::universal: t = utf8_from_ucs4(c); break;
      default: t = std::string(chars); break;  // teletex: the octets
    }
    if (!t || !r.at_end()) return;
    if (string_value_encoding(i, *t) != Bytes(encoding.begin(), encoding.end())) return;
    text = std::move(*t);
    which = i;
  });
  return which;
}

}  // namespace mixer::p1::mts
