// addressing/charset.cpp: RFC 2156 §3.3, §3.4 and §4.2 character encodings.
#include "addressing/charset.hpp"

#include "addressing/detail.hpp"

namespace mixer::addressing {

namespace detail {

bool ps_encode_append(std::string& out, std::string_view ascii) {
  for (std::size_t i = 0; i < ascii.size(); ++i) {
    const char ch = ascii[i];
    if (static_cast<unsigned char>(ch) > 127) return false;
    if (is_ps_restricted_char(ch)) {  // with the ps-restricted characters after it
      std::size_t j = i + 1;
      while (j < ascii.size() && is_ps_restricted_char(ascii[j])) ++j;
      out.append(ascii.data() + i, j - i);
      i = j - 1;
      continue;
    }
    switch (ch) {
      case '@': out += "(a)"; break;
      case '%': out += "(p)"; break;
      case '!': out += "(b)"; break;
      case '"': out += "(q)"; break;
      case '_': out += "(u)"; break;
      case '(': out += "(l)"; break;
      case ')': out += "(r)"; break;
      default: {
        const auto c = static_cast<unsigned char>(ch);
        const char buf[5] = {'(', static_cast<char>('0' + c / 100), static_cast<char>('0' + c / 10 % 10),
                             static_cast<char>('0' + c % 10), ')'};
        out.append(buf, 5);
      }
    }
  }
  return true;
}

}  // namespace detail

Result<std::string> ps_encode(std::string_view ascii) {
  std::string out;
  out.reserve(ascii.size() + 8);
  if (!detail::ps_encode_append(out, ascii)) {
    for (char ch : ascii) {
      const auto c = static_cast<unsigned char>(ch);
      if (c > 127)
        return make_error(Errc::not_representable, "RFC 2156 §3.4",
                          "octet " + std::to_string(c) + " is not ASCII and cannot be encoded in PrintableString");
    }
  }
  return out;
}

namespace {
// Decodes one "(x)" or "(ddd)" at s[i] ('('); returns chars consumed or 0.
std::size_t decode_one(std::string_view s, std::size_t i, char& out) {
  if (i + 2 < s.size() && s[i + 2] == ')') {
    switch (ascii_lower(s[i + 1])) {
      case 'a': out = '@'; return 3;
      case 'p': out = '%'; return 3;
      case 'b': out = '!'; return 3;
      case 'q': out = '"'; return 3;
      case 'u': out = '_'; return 3;
      case 'l': out = '('; return 3;
      case 'r': out = ')'; return 3;
      default: return 0;
    }
  }
  if (i + 4 < s.size() && s[i + 4] == ')' && is_all_digits(s.substr(i + 1, 3))) {
    const int v = (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    if (v > 127) return 0;
    out = static_cast<char>(v);
    return 5;
  }
  return 0;
}
}  // namespace

std::string ps_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char c = 0;
    const std::size_t n = s[i] == '(' ? decode_one(s, i, c) : 0;
    if (n) {
      out += c;
      i += n;
    } else {  // s[i] and what follows up to the next "("
      std::size_t j = s.find('(', i + 1);
      if (j == std::string_view::npos) j = s.size();
      out.append(s.data() + i, j - i);
      i = j;
    }
  }
  return out;
}

Result<std::string> ps_decode_strict(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '(') {
      char c = 0;
      const std::size_t n = decode_one(s, i, c);
      if (!n) return make_error(Errc::syntax, "RFC 2156 §3.4", "'(' at offset " + std::to_string(i) + " starts no ps-encoded-char");
      out += c;
      i += n;
    } else if (is_ps_restricted_char(s[i])) {
      out += s[i++];
    } else {
      return make_error(Errc::syntax, "RFC 2156 §3.4", "character at offset " + std::to_string(i) + " is not ps-encoded");
    }
  }
  return out;
}

std::string teletex_to_text(std::string_view octets) {
  std::string out;
  out.reserve(octets.size());
  bool open = false;
  for (char ch : octets) {
    if (is_ps_char(ch)) {
      if (open) out += '}';
      open = false;
      out += ch;
      continue;
    }
    if (!open) out += '{';
    open = true;
    const auto c = static_cast<unsigned char>(ch);
    out += static_cast<char>('0' + c / 100);
    out += static_cast<char>('0' + c / 10 % 10);
    out += static_cast<char>('0' + c % 10);
  }
  if (open) out += '}';
  return out;
}

Result<std::string> teletex_from_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (is_ps_char(c)) {
      out += c;
      ++i;
      continue;
    }
    if (c != '{')
      return make_error(Errc::invalid_value, "RFC 2156 §3.3.4",
                        "character at offset " + std::to_string(i) + " is neither ps-char nor '{'");
    const std::size_t close = text.find('}', i);
    if (close == std::string_view::npos)
      return make_error(Errc::syntax, "RFC 2156 §3.3.4", "'{' without '}' in teletex-string");
    const std::string_view digits = text.substr(i + 1, close - i - 1);
    if (digits.empty() || digits.size() % 3 != 0 || !is_all_digits(digits))
      return make_error(Errc::syntax, "RFC 2156 §3.3.4", "t61-encoded needs groups of 3 decimal digits");
    for (std::size_t k = 0; k < digits.size(); k += 3) {
      const int v = (digits[k] - '0') * 100 + (digits[k + 1] - '0') * 10 + (digits[k + 2] - '0');
      if (v > 255) return make_error(Errc::syntax, "RFC 2156 §3.3.4", "t61-encoded-char above 255");
      out += static_cast<char>(v);
    }
    i = close + 1;
  }
  return out;
}

bool is_domain_label(std::string_view l) {
  auto alnum = [](char c) { return charclass::is(c, charclass::alnum); };
  if (l.empty() || !alnum(l.front()) || !alnum(l.back())) return false;
  for (char c : l)
    if (!alnum(c) && c != '-') return false;
  return true;
}

bool is_domain_syntax(std::string_view d) {
  if (d.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = d.find('.', start);
    if (!is_domain_label(d.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string ascii_lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

std::string squeeze_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace mixer::addressing
