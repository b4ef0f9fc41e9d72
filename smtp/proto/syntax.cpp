// smtp/proto/syntax.cpp: RFC 5321 §4.1.2 paths and RFC 3461 xtext.
#include "smtp/proto/syntax.hpp"

#include <cctype>

namespace mixer::smtp::proto {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_let_dig(char c) { return is_alpha(c) || is_digit(c); }

// RFC 5322 atext.
bool is_atext(char c) {
  return is_let_dig(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// Dot-string = Atom *("." Atom)
bool is_dot_string(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = 0;
  for (char c : s) {
    if (c == '.') {
      if (prev == '.') return false;
    } else if (!is_atext(c)) {
      return false;
    }
    prev = c;
  }
  return true;
}

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE
bool is_quoted_string(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      if (i + 2 >= s.size()) return false;
      auto q = static_cast<unsigned char>(s[++i]);
      if (q < 32 || q > 126) return false;
    } else if (c == '"' || c < 32 || c > 126) {
      return false;
    }
  }
  return true;
}

bool is_domain(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  std::size_t start = 0;
  while (true) {
    auto dot = s.find('.', start);
    auto label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || !is_let_dig(label.front()) || !is_let_dig(label.back()))
      return false;
    for (char c : label)
      if (!is_let_dig(c) && c != '-') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = i;
    int value = 0;
    while (j < s.size() && is_digit(s[j]) && j - i < 3) value = value * 10 + (s[j++] - '0');
    if (j == i || value > 255) return false;
    ++parts;
    if (j == s.size()) return parts == 4;
    if (s[j] != '.') return false;
    i = j + 1;
  }
  return false;
}

// address-literal: "[" IPv4 / "IPv6:" ... / General-address-literal "]".
bool is_address_literal(std::string_view s) {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  auto inner = s.substr(1, s.size() - 2);
  if (is_ipv4(inner)) return true;
  auto colon = inner.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto tag = inner.substr(0, colon);
  for (char c : tag)
    if (!is_let_dig(c) && c != '-') return false;
  auto content = inner.substr(colon + 1);
  if (content.empty()) return false;
  for (char c : content) {  // dcontent = %d33-90 / %d94-126
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || (u >= 91 && u <= 93)) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool is_domain_or_literal(std::string_view text) {
  return is_domain(text) || is_address_literal(text);
}

ParsedPath parse_path(std::string_view text, bool allow_null, bool allow_bare_local) {
  ParsedPath out;
  out.error = PathError::syntax;
  if (text.empty() || text.front() != '<') return out;
  // Find the closing ">" outside a quoted string.
  bool quoted = false;
  std::size_t close = std::string_view::npos;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      out.error = PathError::non_ascii;
      return out;
    }
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '>') {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) return out;
  out.consumed = close + 1;
  std::string_view inner = text.substr(1, close - 1);
  if (inner.size() > 254) {  // 256 octets including "<" and ">"
    out.error = PathError::too_long;
    return out;
  }
  if (inner.empty()) {
    if (allow_null) out.error = PathError::none;
    return out;
  }
  // A-d-l ":" — a source route; RFC 5321 Appendix C: accept and ignore.
  if (inner.front() == '@') {
    auto colon = inner.find(':');
    if (colon == std::string_view::npos) return out;
    std::string_view adl = inner.substr(0, colon);
    std::size_t start = 0;
    while (start < adl.size()) {
      auto comma = adl.find(',', start);
      auto hop = adl.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (hop.size() < 2 || hop.front() != '@' || !is_domain_or_literal(hop.substr(1))) return out;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    inner = inner.substr(colon + 1);
  }
  // The local part ends at the last "@" outside quotes.
  std::size_t at = std::string_view::npos;
  quoted = false;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (quoted && inner[i] == '\\') ++i;
    else if (inner[i] == '"') quoted = !quoted;
    else if (!quoted && inner[i] == '@') at = i;
  }
  std::string_view local = at == std::string_view::npos ? inner : inner.substr(0, at);
  std::string_view domain = at == std::string_view::npos ? std::string_view() : inner.substr(at + 1);
  if (!is_dot_string(local) && !is_quoted_string(local)) return out;
  if (at == std::string_view::npos) {
    if (!allow_bare_local) return out;
  } else if (!is_domain_or_literal(domain)) {
    return out;
  }
  if (local.size() > 64 || domain.size() > 255) {
    out.error = PathError::too_long;
    return out;
  }
  out.mailbox.local = std::string(local);
  out.mailbox.domain = std::string(domain);
  out.error = PathError::none;
  return out;
}

bool is_xtext(std::string_view text) { return decode_xtext(text).has_value(); }

std::optional<std::string> decode_xtext(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '+') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c >= 33 && c <= 126 && c != '=') {
      out += static_cast<char>(c);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string encode_xtext(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 33 && c <= 126 && c != '+' && c != '=') {
      out += ch;
    } else {
      out += '+';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace mixer::smtp::proto
