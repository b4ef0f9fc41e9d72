// bodyparts/ftbp_params.cpp: see the header. RFC 2231 sections are read
// only when they are numbered without gaps from 0 (at most max_sections),
// and the decoded value is at most max_value octets; anything else is a
// problem the caller lists as a loss.
#include "bodyparts/ftbp_params.hpp"

#include <algorithm>
#include <map>

#include "bodyparts/charsets.hpp"
#include "bodyparts/general_text.hpp"
#include "imf/date_time.hpp"
#include "imf/encoded_word.hpp"

namespace mixer::bodyparts::params {

namespace {
constexpr std::string_view tspecials = "()<>@,;:\\\"/[]?=";

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 2231 §4: %XX undone; false for a broken escape.
bool percent_decode(std::string_view s, std::string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return false;
    const int h = hex(s[i + 1]), l = hex(s[i + 2]);
    if (h < 0 || l < 0) return false;
    out += static_cast<char>(h * 16 + l);
    i += 2;
  }
  return true;
}

bool attribute_char(unsigned char c) {
  return c > 32 && c < 127 && c != '*' && c != '\'' && c != '%' && tspecials.find(static_cast<char>(c)) == std::string_view::npos;
}

bool valid_utf8(std::string_view s) { return charsets::to_utf8(s, "UTF-8").status == charsets::Status::ok; }
}  // namespace

std::string ascii_of_utf8(std::string_view utf8) {
  std::string out;
  for (char c : utf8) {
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) == 0x80) continue;  // a continuation octet: its character has its '?'
    out += u >= 32 && u < 127 ? c : '?';
  }
  return out;
}

bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 32 || c > 126) return false;
  return !s.empty();
}

Value parameter_utf8(const ContentType& ct, std::string_view name) {
  Value v;
  std::optional<std::string> plain, whole;  // name=, name*=
  std::map<std::size_t, std::pair<std::string, bool>> sections;  // name*k[*]= (value, extended)
  bool bad_section = false;
  for (const auto& [n, value] : ct.parameters) {
    if (n == name) {
      plain = value;
      continue;
    }
    if (n.size() <= name.size() || n.compare(0, name.size(), name) != 0 || n[name.size()] != '*') continue;
    std::string_view rest = std::string_view(n).substr(name.size() + 1);
    if (rest.empty()) {
      whole = value;
      continue;
    }
    const bool extended = rest.back() == '*';
    if (extended) rest.remove_suffix(1);
    std::size_t k = 0;
    bool number = !rest.empty() && rest.size() <= 2 && !(rest.size() > 1 && rest[0] == '0');
    for (char c : rest) {
      number = number && c >= '0' && c <= '9';
      if (number) k = k * 10 + static_cast<std::size_t>(c - '0');
    }
    if (!number || k >= max_sections || sections.count(k)) {
      bad_section = true;
      continue;
    }
    sections[k] = {value, extended};
  }
  if (!plain && !whole && sections.empty()) {
    if (bad_section) v.problem = "RFC 2231 sections of " + std::string(name) + " numbered wrongly or beyond " +
                                 std::to_string(max_sections);
    return v;
  }
  v.found = true;
  std::string octets, charset;
  bool encoded = false;
  auto extended_value = [&](std::string_view s, bool first) -> bool {
    if (first) {  // charset'language'
      const auto a = s.find('\'');
      const auto b = a == std::string_view::npos ? a : s.find('\'', a + 1);
      if (b == std::string_view::npos) return false;
      charset = lower(s.substr(0, a));
      s = s.substr(b + 1);
    }
    return percent_decode(s, octets);
  };
  if (whole) {
    encoded = true;
    if (!extended_value(*whole, true)) v.problem = "a " + std::string(name) + "*= value that is not RFC 2231";
  } else if (!sections.empty()) {
    std::size_t expect = 0;
    for (const auto& [k, s] : sections) {
      if (k != expect) {
        v.problem = "RFC 2231 sections of " + std::string(name) + " with a gap after section " + std::to_string(expect);
        break;
      }
      ++expect;
      if (s.second) {
        if (k == 0) encoded = true;
        if (!extended_value(s.first, k == 0)) v.problem = "an RFC 2231 section of " + std::string(name) + " that does not decode";
      } else {
        octets += s.first;
      }
      if (octets.size() > max_value) break;
    }
  } else {
    octets = *plain;
    // §2.3.1 (1): one RFC 2047 encoded word in quotes, as other gateways write a file name.
    if (octets.size() > 4 && octets.starts_with("=?") && octets.ends_with("?=")) {
      imf::Limits l;
      if (auto d = imf::decode_unstructured(octets, l); d && d->exact()) octets = d->text;
    }
  }
  if (bad_section && v.problem.empty()) v.problem = "RFC 2231 sections of " + std::string(name) + " numbered wrongly";
  if (octets.size() > max_value) {
    v.problem = "a " + std::string(name) + " of more than " + std::to_string(max_value) + " octets";
    octets.resize(max_value);
  }
  if (encoded && !charset.empty() && charset != "utf-8" && charset != "us-ascii") {
    auto u = charsets::to_utf8(octets, charset);
    if (u.status == charsets::Status::ok) octets = std::move(u.text);
    else if (v.problem.empty()) v.problem = "a " + std::string(name) + " in charset " + charset.substr(0, 40) + " that does not convert";
  }
  if (!valid_utf8(octets)) {
    if (v.problem.empty()) v.problem = "a " + std::string(name) + " that is not UTF-8 and names no charset";
    std::string ascii;
    for (char c : octets) ascii += static_cast<unsigned char>(c) < 128 ? c : '?';
    octets = std::move(ascii);
  }
  v.utf8 = std::move(octets);
  return v;
}

std::string write_parameter(std::string_view name, std::string_view utf8) {
  if (printable_ascii(utf8)) return std::string(name) + "=" + parameter_value(utf8);
  static constexpr char digits[] = "0123456789ABCDEF";
  std::vector<std::string> pieces(1);
  for (char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    std::string one = attribute_char(c) ? std::string(1, ch) : std::string{'%', digits[c >> 4], digits[c & 15]};
    if (pieces.back().size() + one.size() > 60) pieces.emplace_back();
    pieces.back() += one;
  }
  if (pieces.size() == 1) return std::string(name) + "*=utf-8''" + pieces.front();
  std::string out;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i) out += "; ";
    out += std::string(name) + "*" + std::to_string(i) + "*=" + (i == 0 ? "utf-8''" : "") + pieces[i];
  }
  return out;
}

std::optional<std::string> graphic_to_utf8(std::string_view g) {
  if (printable_ascii(g)) return std::string(g);
  p1::ipms::GeneralTextBodyPart t;
  t.text = std::string(g);
  MimeText m = read_general_text(t);
  if (!m.decoded) return std::nullopt;
  std::string utf8 = std::move(m.octets);
  if (m.charset != "us-ascii" && m.charset != "utf-8") {
    auto u = charsets::to_utf8(utf8, m.charset);
    if (u.status != charsets::Status::ok) return std::nullopt;
    utf8 = std::move(u.text);
  }
  for (char c : utf8)  // a file name or description has no controls
    if (static_cast<unsigned char>(c) < 32 || c == 127) return std::nullopt;
  return utf8;
}

std::string graphic_ascii(std::string_view g) {
  // GL is ASCII until a G0 designation of another set (or SO) says otherwise; characters of
  // other sets are one '?' each (two octets each in a multi-octet set).
  std::string out;
  bool g0_ascii = true, shifted = false;
  std::size_t width = 1;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const auto c = static_cast<unsigned char>(g[i]);
    if (c == 0x1B) {  // an escape sequence: intermediates 2/0..2/15, then its final
      const std::size_t start = ++i;
      while (i < g.size() && static_cast<unsigned char>(g[i]) >= 0x20 && static_cast<unsigned char>(g[i]) <= 0x2F) ++i;
      const std::string_view inter = g.substr(start, i - start);
      const char final = i < g.size() ? g[i] : 0;
      if (inter == "(") {
        g0_ascii = final == 0x42 || final == 0x40 || final == 0x4A;
        width = 1;
      } else if (inter == "$" || inter == "$(") {
        g0_ascii = false;
        width = 2;
      }
      continue;
    }
    if (c == 0x0E || c == 0x0F) {
      shifted = c == 0x0E;
      continue;
    }
    if (c >= 0x21 && c < 0x7F && (!g0_ascii || shifted)) {
      out += '?';
      i += width - 1;
      continue;
    }
    out += c >= 32 && c < 127 ? static_cast<char>(c) : '?';
  }
  return out;
}

std::optional<std::string> utf8_to_graphic(std::string_view utf8) {
  if (printable_ascii(utf8)) return std::string(utf8);
  if (!valid_utf8(utf8)) return std::nullopt;
  for (char c : utf8)
    if (static_cast<unsigned char>(c) < 32 || c == 127) return std::nullopt;
  for (const auto& set : charsets::iso8859_sets()) {
    if (auto octets = charsets::from_utf8(utf8, set.mime); octets && general_text_safe(*octets)) {
      std::string g{0x1B, 0x2D, set.final, 0x1B, 0x7E};  // ESC 2/13 F (G1), LS1R
      return g + *octets;
    }
  }
  return std::nullopt;
}

std::optional<std::string> generalized_time_of(std::string_view date_time) {
  imf::Limits l;
  auto p = imf::parse_date_time(date_time, l);
  if (!p) return std::nullopt;
  imf::Asn1Time t;
  t.value = p->value;
  // RFC 5322 §3.3: -0000 is a time in UTC whose local zone is unknown: Z (X.420's decoders,
  // ours included, refuse a GeneralizedTime without its zone).
  if (!t.value.offset_known) t.value = {t.value.year, t.value.month, t.value.day, t.value.hour, t.value.minute, t.value.second, 0, true};
  t.zone = t.value.offset == 0 ? imf::ZoneForm::z : imf::ZoneForm::numeric;
  t.precision = t.value.second ? imf::Precision::second : imf::Precision::minute;
  auto s = imf::format_generalized_time(t);
  if (!s) return std::nullopt;
  return *s;
}

std::optional<std::string> date_time_of(std::string_view generalized_time) {
  imf::Limits l;
  auto t = imf::parse_generalized_time(generalized_time, l);
  if (!t) return std::nullopt;
  auto s = imf::format_date_time(t->value);
  if (!s) return std::nullopt;
  return *s;
}

}  // namespace mixer::bodyparts::params
