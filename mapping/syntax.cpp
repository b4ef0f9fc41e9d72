// mapping/syntax.cpp: RFC 2156 Appendix E values (see the header).
#include "mapping/syntax.hpp"

#include <array>
#include <cctype>
#include <charconv>

namespace mixer::mapping::syntax {

namespace {

bool is_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }  // ASCII

struct Keyword {
  std::int64_t value;
  std::string_view text;
};

std::string_view find_text(std::span<const Keyword> table, std::int64_t v) {
  for (const auto& k : table)
    if (k.value == v) return k.text;
  return {};
}

std::optional<std::int64_t> find_value(std::span<const Keyword> table, std::string_view text) {
  text = trim(text);
  for (const auto& k : table)
    if (iequals(k.text, text)) return k.value;
  return std::nullopt;
}

// Digits only, at most 18 of them (a value that fits an int64 without overflow).
std::optional<std::int64_t> number(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The key-string of an arc we know, by the arcs before and including it.
struct ArcName {
  std::array<std::uint32_t, 8> arcs;
  std::size_t n;
  std::string_view name;
};
constexpr ArcName arc_names[] = {
    {{1}, 1, "iso"},
    {{1, 3}, 2, "identified-organization"},
    {{1, 3, 6}, 3, "dod"},
    {{1, 3, 6, 1}, 4, "internet"},
    {{1, 3, 6, 1, 7}, 5, "mail"},
    {{1, 3, 6, 1, 7, 1}, 6, "mixer"},
    {{1, 3, 6, 1, 7, 1, 3}, 7, "mixer-core"},
    {{1, 3, 6, 1, 7, 1, 3, 2}, 8, "id-rfc-822-field-list"},
    {{1, 3, 6, 1, 7, 1, 3, 3}, 8, "id-dsn-header-list"},
    {{1, 3, 6, 1, 7, 1, 3, 4}, 8, "id-dsn-field-list"},
    {{1, 3, 6, 1, 7, 1, 3, 5}, 8, "eit-mixer"},
    {{2}, 1, "joint-iso-itu-t"},
    {{2, 6}, 2, "mhs"},
    {{2, 6, 1}, 3, "ipms"},
    {{2, 6, 1, 4}, 4, "et"},
    {{2, 6, 1, 5}, 4, "hex"},
    {{2, 6, 1, 11}, 4, "ep"},
    {{2, 6, 1, 18}, 4, "sec"},
    {{2, 6, 1, 20}, 4, "rex"},
    {{2, 6, 3}, 3, "mts"},
};

std::string_view arc_name(const Oid& oid, std::size_t upto) {
  for (const auto& a : arc_names) {
    if (a.n != upto + 1) continue;
    bool same = true;
    for (std::size_t i = 0; i < a.n && same; ++i) same = oid.arcs[i] == a.arcs[i];
    if (same) return a.name;
  }
  return {};
}

// BuiltInEncodedInformationTypes bit -> RFC 2156 name, and the other names
// parsers meet: X.411's and RFC 987's.
struct EitName {
  std::size_t bit;
  std::string_view name;
  std::array<std::string_view, 3> also;
};
constexpr EitName eit_names[] = {
    {0, "Undefined", {"unknown", "undefined", ""}},
    {1, "Telex", {"tLX", "tlx", ""}},
    {2, "IA5-Text", {"iA5Text", "ia5", "ia5-text"}},
    {3, "G3-Fax", {"g3Fax", "g3fax", "g3-facsimile"}},
    {4, "TIF0", {"tIF0", "g4-class-1", ""}},
    {5, "Teletex", {"tTX", "ttx", ""}},
    {6, "Videotex", {"", "", ""}},
    {7, "Voice", {"", "", ""}},
    {8, "SFD", {"sFD", "", ""}},
    {9, "TIF1", {"tIF1", "mixed-mode", ""}},
};

constexpr Keyword priorities[] = {{0, "normal"}, {1, "non-urgent"}, {2, "urgent"}};
constexpr Keyword importances[] = {{0, "low"}, {1, "normal"}, {2, "high"}};
constexpr Keyword sensitivities[] = {{1, "Personal"}, {2, "Private"}, {3, "Company-Confidential"}};
constexpr Keyword autosubmitteds[] = {
    {0, "not-auto-submitted"}, {1, "auto-generated"}, {2, "auto-replied"}, {3, "auto-forwarded"}};
constexpr Keyword redirection_reasons[] = {{0, "Recipient Assigned Alternate Recipient"},
                                           {1, "Originator Requested Alternate Recipient"},
                                           {2, "Recipient MD Assigned Alternate Recipient"},
                                           {3, "Directory Look Up"},
                                           {4, "Alias"}};
constexpr Keyword discard_reasons[] = {
    {0, "Expired"}, {1, "Obsoleted"}, {2, "User Subscription Terminated"}, {3, "IPM Deleted"}};
constexpr Keyword content_type_labels[] = {{0, "unidentified"}, {1, "external"}, {2, "P2-1984"},
                                           {22, "P2-1988"}, {35, "Pedi"}};

}  // namespace

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string labelled_integer(std::int64_t value, std::string_view label) {
  std::string out(label);
  if (!out.empty()) out += ' ';
  return out + "(" + std::to_string(value) + ")";
}

std::optional<std::int64_t> parse_labelled_integer(std::string_view text) {
  text = trim(text);
  std::size_t i = 0;
  while (i < text.size() && is_key_char(text[i])) ++i;
  text = trim(text.substr(i));
  if (text.size() < 3 || text.front() != '(' || text.back() != ')') return std::nullopt;
  return number(text.substr(1, text.size() - 2));
}

std::string labelled_integer_2(std::int64_t value, std::string_view label) {
  return std::to_string(value) + " (" + std::string(label) + ")";
}

namespace {

// object_identifier() appended to out (no temporary per arc: trace and EIT fields write many).
void append_object_identifier(std::string& out, const Oid& oid) {
  for (std::size_t i = 0; i < oid.arcs.size(); ++i) {
    if (i) out += ' ';
    out += arc_name(oid, i);
    char digits[16];
    digits[0] = '(';
    char* end = std::to_chars(digits + 1, digits + sizeof digits - 1, oid.arcs[i]).ptr;
    *end++ = ')';
    out.append(digits, end);
  }
}

}  // namespace

std::string object_identifier(const Oid& oid) {
  std::string out;
  append_object_identifier(out, oid);
  return out;
}

std::optional<Oid> parse_object_identifier(std::string_view text) {
  Oid oid;
  text = trim(text);
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break;
    while (i < text.size() && is_key_char(text[i])) ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size() || text[i] != '(') return std::nullopt;
    const std::size_t close = text.find(')', i);
    if (close == std::string_view::npos) return std::nullopt;
    auto n = number(text.substr(i + 1, close - i - 1));
    if (!n || *n > 0xFFFFFFFF || oid.arcs.size() >= 128) return std::nullopt;
    oid.arcs.push_back(static_cast<std::uint32_t>(*n));
    i = close + 1;
  }
  // A valid OID (X.660 first arc 0..2; at least two arcs): what BER can carry.
  if (oid.arcs.size() < 2 || !oid.contents()) return std::nullopt;
  return oid;
}

const Oid& eit_mixer() {
  static const Oid oid{1, 3, 6, 1, 7, 1, 3, 5};
  return oid;
}

std::string encoded_info(const EncodedInfo& e) {
  std::string out;
  auto add = [&](std::string_view s) {
    if (!out.empty()) out += ", ";
    out += s;
  };
  for (const auto& n : eit_names)
    if (e.built_in.test(n.bit)) add(n.name);
  for (std::size_t bit = 10; bit < e.built_in.size(); ++bit)
    if (e.built_in.test(bit)) add(labelled_integer(static_cast<std::int64_t>(bit)));
  for (const auto& oid : e.extended) {
    if (!out.empty()) out += ", ";
    append_object_identifier(out, oid);
  }
  return out;
}

std::optional<EncodedInfo> parse_encoded_info(std::string_view text) {
  EncodedInfo e;
  bool any = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) {
      if (comma == text.size()) break;
      continue;  // 1#: empty list elements are allowed (RFC 822 §2.7)
    }
    bool known = false;
    for (const auto& n : eit_names) {
      bool match = iequals(item, n.name);
      for (auto a : n.also) match = match || (!a.empty() && iequals(item, a));
      if (match) {
        e.built_in.set(n.bit);
        known = true;
        break;
      }
    }
    if (!known) {
      if (item.find('(') == std::string_view::npos) return std::nullopt;
      auto oid = parse_object_identifier(item);
      if (!oid) {
        // A built-in bit written as a labelled-integer ("(10)").
        auto bit = parse_labelled_integer(item);
        if (!bit || *bit > 255) return std::nullopt;
        e.built_in.set(static_cast<std::size_t>(*bit));
      } else {
        e.extended.push_back(*oid);
      }
    }
    any = true;
    if (comma == text.size()) break;
  }
  if (!any) return std::nullopt;
  return e;
}

std::string mts_content_type(std::int64_t built_in) {
  return labelled_integer(built_in, find_text(content_type_labels, built_in));
}

std::string mts_content_type(const Oid& extended) { return object_identifier(extended); }

std::optional<ContentTypeText> parse_mts_content_type(std::string_view text) {
  text = trim(text);
  ContentTypeText c;
  if (iequals(text, "P2")) {  // RFC 987's form, still parsed (§5.3.6)
    c.built_in = 2;
    return c;
  }
  // One "(n)": a labelled-integer; several: an object-identifier.
  std::size_t parens = 0;
  for (char ch : text) parens += ch == '(';
  if (parens == 1) {
    c.built_in = parse_labelled_integer(text);
    if (!c.built_in) return std::nullopt;
    return c;
  }
  c.extended = parse_object_identifier(text);
  if (!c.extended) return std::nullopt;
  return c;
}

std::string_view priority(std::int64_t v) { return find_text(priorities, v); }
std::optional<std::int64_t> parse_priority(std::string_view t) { return find_value(priorities, t); }
std::string_view importance(std::int64_t v) { return find_text(importances, v); }
std::optional<std::int64_t> parse_importance(std::string_view t) { return find_value(importances, t); }
std::string_view sensitivity(std::int64_t v) { return find_text(sensitivities, v); }
std::optional<std::int64_t> parse_sensitivity(std::string_view t) { return find_value(sensitivities, t); }
std::string_view boolean(bool v) { return v ? "TRUE" : "FALSE"; }
std::optional<bool> parse_boolean(std::string_view t) {
  t = trim(t);
  if (iequals(t, "TRUE")) return true;
  if (iequals(t, "FALSE")) return false;
  return std::nullopt;
}
std::string_view prohibition(bool prohibited) { return prohibited ? "Prohibited" : "Allowed"; }
std::optional<bool> parse_prohibition(std::string_view t) {
  t = trim(t);
  if (iequals(t, "Prohibited")) return true;
  if (iequals(t, "Allowed")) return false;
  return std::nullopt;
}
std::string_view autosubmitted(std::int64_t v) { return find_text(autosubmitteds, v); }
std::optional<std::int64_t> parse_autosubmitted(std::string_view t) { return find_value(autosubmitteds, t); }
std::string_view redirection_reason(std::int64_t v) { return find_text(redirection_reasons, v); }
std::optional<std::int64_t> parse_redirection_reason(std::string_view t) {
  return find_value(redirection_reasons, t);
}
std::string_view discard_reason(std::int64_t v) { return find_text(discard_reasons, v); }
std::string_view acknowledgment_mode(std::int64_t v) { return v == 1 ? "Automatically" : "Manually"; }

bool is_printable(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(" '()+,-./:=?").find(c) != std::string_view::npos;
}

bool is_printable(std::string_view s) {
  for (char c : s)
    if (!is_printable(c)) return false;
  return true;
}

std::string printable_of(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += is_printable(static_cast<char>(c)) ? static_cast<char>(c) : '?';
    } else {
      out += '?';
      while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) ++i;
    }
  }
  return out;
}

}  // namespace mixer::mapping::syntax
