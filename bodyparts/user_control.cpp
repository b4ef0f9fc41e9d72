// bodyparts/user_control.cpp: see the header. The §4.1 field is read as a
// list of words with RFC 822 comments between them; the §4.2 extension with
// the BER reader under its limits.
#include "bodyparts/user_control.hpp"

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"

namespace mixer::bodyparts {

namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  return out;
}

// The value's words, comments (nested, with quoted-pairs) taken as white space; false with
// `why` on an unclosed or too deeply nested comment or a control octet.
bool words_of(std::string_view v, std::vector<std::string_view>& words, std::string& why) {
  std::size_t i = 0;
  while (i < v.size()) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(') {
      std::size_t depth = 0;
      for (; i < v.size(); ++i) {
        if (v[i] == '\\') {
          ++i;
        } else if (v[i] == '(') {
          if (++depth > max_wanted_comment_depth) {
            why = "comments nested deeper than " + std::to_string(max_wanted_comment_depth);
            return false;
          }
        } else if (v[i] == ')' && --depth == 0) {
          break;
        }
      }
      if (i >= v.size()) {
        why = "a comment is not closed";
        return false;
      }
      ++i;
    } else if (c < 0x21 || c > 0x7E || c == ')') {
      why = "an octet that is no part of a word";
      return false;
    } else {
      const std::size_t start = i;
      while (i < v.size() && static_cast<unsigned char>(v[i]) > 0x20 && static_cast<unsigned char>(v[i]) < 0x7F &&
             v[i] != '(' && v[i] != ')')
        ++i;
      words.push_back(v.substr(start, i - start));
    }
  }
  return true;
}

// RFC 2045 token characters (a type/subtype is two tokens and a slash).
bool token_char(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

bool is_mime_type(std::string_view t) {
  const std::size_t slash = t.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == t.size() || t.size() > 127) return false;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (i != slash && !token_char(t[i])) return false;
  return true;
}

}  // namespace

std::optional<WantedX400Conversion> parse_wanted_x400_conversion(std::string_view value, std::string& why) {
  if (value.size() > max_wanted_x400_conversion_size) {
    why = "the value is over " + std::to_string(max_wanted_x400_conversion_size) + " octets";
    return std::nullopt;
  }
  std::vector<std::string_view> w;
  if (!words_of(value, w, why)) return std::nullopt;
  WantedX400Conversion out;
  std::size_t i = 0;
  if (i < w.size() && lower_ascii(w[i]) == "from") {  // mime-from = "from" mime-type
    if (i + 1 >= w.size() || !is_mime_type(w[i + 1])) {
      why = "\"from\" is not followed by a type/subtype";
      return std::nullopt;
    }
    out.from = lower_ascii(w[i + 1]);
    i += 2;
  }
  if (i < w.size() && lower_ascii(w[i]) == "to") {  // x400-object-id = "to" ( object-identifier-2 / "tunnel" )
    if (i + 1 >= w.size()) {
      why = "\"to\" is not followed by an object identifier or \"tunnel\"";
      return std::nullopt;
    }
    if (lower_ascii(w[i + 1]) != "tunnel") {
      auto oid = p1::ber::Oid::parse(w[i + 1]);
      if (!oid || oid->arcs.size() > max_wanted_oid_arcs) {
        why = "\"" + std::string(w[i + 1].substr(0, 64)) + "\" is not an object identifier";
        return std::nullopt;
      }
      out.to = std::move(*oid);
    }
    i += 2;
  }
  if (i >= w.size() || lower_ascii(w[i]) != "in") {
    why = "no \"in\" x400-encoding";
    return std::nullopt;
  }
  if (i + 1 >= w.size()) {
    why = "\"in\" is not followed by bp14, bp15, ftbp or ia5";
    return std::nullopt;
  }
  const std::string enc = lower_ascii(w[i + 1]);
  if (enc == "bp14") out.in = WantedX400Conversion::In::bp14;
  else if (enc == "bp15") out.in = WantedX400Conversion::In::bp15;
  else if (enc == "ftbp") out.in = WantedX400Conversion::In::ftbp;
  else if (enc == "ia5") out.in = WantedX400Conversion::In::ia5;
  else {
    why = "\"" + enc.substr(0, 32) + "\" is not bp14, bp15, ftbp or ia5";
    return std::nullopt;
  }
  if (i + 2 != w.size()) {
    why = "words after the x400-encoding";
    return std::nullopt;
  }
  // The object identifier names a BP15 data type or an FTBP application reference; BP14 and
  // IA5 have none ("tunnel" only).
  if (out.to && (out.in == WantedX400Conversion::In::bp14 || out.in == WantedX400Conversion::In::ia5)) {
    why = "an object identifier with " + enc + ", which has none";
    return std::nullopt;
  }
  return out;
}

namespace {
namespace ber = p1::ber;

constexpr std::size_t max_wanted_string = 256;

std::string ia5(ber::Reader& r, ber::Tag t) {
  std::string s = r.string(t, ber::Charset::ia5);
  if (r.ok() && s.size() > max_wanted_string) r.fail(ber::Errc::out_of_range, "a MIMEType string over 256 characters");
  return s;
}
}  // namespace

std::optional<std::vector<WantedMimeConversion>> decode_wanted_mime_conversions(ber::ByteView in, std::string& why) {
  ber::Limits limits;
  limits.max_size = 64u << 10;
  limits.max_depth = 8;
  limits.max_elements = 4096;
  ber::Decoding d(in, limits);
  ber::Reader root = d.root();
  ber::Reader seq = root.sequence();
  std::vector<WantedMimeConversion> out;
  while (!seq.at_end()) {
    if (out.size() == max_wanted_mime_conversions) {
      seq.fail(ber::Errc::too_many_elements, "more than 64 X400toMIMEConversion");
      break;
    }
    ber::Reader c = seq.sequence();
    WantedMimeConversion w;
    auto h = c.peek();
    if (h && h->tag == ber::context(0)) {
      w.x400_type = WantedMimeConversion::Standard{c.integer(ber::context(0))};
    } else if (h && h->tag == ber::context(1)) {
      w.x400_type = WantedMimeConversion::Extended{c.oid(ber::context(1))};
    } else if (h && h->tag == ber::context(2)) {
      w.x400_type = WantedMimeConversion::Ftbp{c.oid(ber::context(2))};
    } else {
      c.fail(ber::Errc::unexpected_tag, "X400Type is not standard [0], extended [1] or ftbp [2]");
    }
    ber::Reader m = c.sequence();
    w.type = lower_ascii(ia5(m, ber::univ::ia5_string));
    if (m.next_is(ber::context(1))) w.encoding = lower_ascii(ia5(m, ber::context(1)));
    if (m.next_is(ber::context(2))) w.parameters = ia5(m, ber::context(2));
    m.end();
    c.end();
    if (!d.ok()) break;
    out.push_back(std::move(w));
  }
  seq.end();
  root.end();
  if (!d.ok()) {
    why = d.error()->what;
    return std::nullopt;
  }
  return out;
}

ber::Bytes encode_wanted_mime_conversions(const std::vector<WantedMimeConversion>& v) {
  ber::Writer w;
  w.sequence([&] {
    for (const auto& c : v)
      w.sequence([&] {
        if (const auto* s = std::get_if<WantedMimeConversion::Standard>(&c.x400_type)) w.integer(s->tag, ber::context(0));
        else if (const auto* e = std::get_if<WantedMimeConversion::Extended>(&c.x400_type)) w.oid(e->data, ber::context(1));
        else w.oid(std::get<WantedMimeConversion::Ftbp>(c.x400_type).application_reference, ber::context(2));
        w.sequence([&] {
          w.string(c.type, ber::univ::ia5_string);
          if (c.encoding) w.string(*c.encoding, ber::context(1));
          if (c.parameters) w.string(*c.parameters, ber::context(2));
        });
      });
  });
  return w.take();
}

}  // namespace mixer::bodyparts
