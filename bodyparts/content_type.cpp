// bodyparts/content_type.cpp: the Content-Type value parsed (comments and
// folding skipped, quoted-strings unquoted) and parameter values quoted
// (controls other than HTAB left out: RFC 5322 §3.2.4 qtext has none).
// Trusts nothing: at most 64 parameters are read.
#include "bodyparts/content_type.hpp"

#include <algorithm>
#include <cctype>

namespace mixer::bodyparts {

namespace {
constexpr std::string_view tspecials = "()<>@,;:\\\"/[]?=";

// An octet a quoted-string may carry in a header we write.
bool parameter_octet(char c) {
  const auto u = static_cast<unsigned char>(c);
  return c == '\t' || (u >= 32 && u != 127);
}
}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ContentType::parameter(std::string_view name) const {
  for (const auto& [n, v] : parameters)
    if (n == name) return v;
  return {};
}

ContentType parse_content_type(std::string_view v) {
  ContentType c;
  auto skip = [&](std::size_t& i) {
    while (i < v.size()) {
      if (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n') {
        ++i;
      } else if (v[i] == '(') {
        int depth = 0;
        for (; i < v.size(); ++i) {
          if (v[i] == '\\') ++i;
          else if (v[i] == '(') ++depth;
          else if (v[i] == ')' && --depth == 0) {
            ++i;
            break;
          }
        }
        i = std::min(i, v.size());  // a quoted-pair at the very end stepped past it
      } else {
        break;
      }
    }
  };
  auto token = [&](std::size_t& i) {
    std::size_t s = i;
    while (i < v.size() && static_cast<unsigned char>(v[i]) > 32 && static_cast<unsigned char>(v[i]) < 127 &&
           tspecials.find(v[i]) == std::string_view::npos)
      ++i;
    return lower(v.substr(s, i - s));
  };
  std::size_t i = 0;
  skip(i);
  std::string type = token(i);
  skip(i);
  if (i >= v.size() || v[i] != '/') {
    c.ok = false;
    return c;
  }
  ++i;
  skip(i);
  std::string sub = token(i);
  if (type.empty() || sub.empty()) {
    c.ok = false;
    return c;
  }
  c.type = type + "/" + sub;
  bool left_out = false;  // a parameter name without "=value": not carried, so not complete
  for (int n = 0; n < 64; ++n) {
    skip(i);
    if (i >= v.size() || v[i] != ';') break;
    ++i;
    skip(i);
    std::string name = token(i);
    skip(i);
    if (i >= v.size() || v[i] != '=') {
      left_out = left_out || !name.empty();
      break;
    }
    ++i;
    skip(i);
    std::string value;
    const std::size_t value_start = i;
    bool unterminated = false;
    if (i < v.size() && v[i] == '"') {
      for (++i; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        value += v[i];
      }
      unterminated = i >= v.size();
      ++i;
    } else {
      const std::size_t s = i;
      while (i < v.size() && static_cast<unsigned char>(v[i]) > 32 && static_cast<unsigned char>(v[i]) < 127 &&
             tspecials.find(v[i]) == std::string_view::npos)
        ++i;
      value = std::string(v.substr(s, i - s));  // values keep their case (boundary=)
    }
    if (!name.empty()) {
      c.parameters.emplace_back(name, value);
      // As written, but an empty or unterminated value, or one with a control, as the quoted-string it
      // should have been.
      std::string written(v.substr(value_start, std::min(i, v.size()) - value_start));
      c.written.push_back(unterminated || !header_safe(written) || written.empty() ? parameter_value(value)
                                                                                  : std::move(written));
    }
  }
  skip(i);
  if (i < v.size() && v[i] == ';') ++i;  // a trailing ";" is harmless
  skip(i);
  c.complete = i >= v.size() && !left_out;
  return c;
}

bool header_safe(std::string_view v) { return std::all_of(v.begin(), v.end(), parameter_octet); }

std::string parameter_value(std::string_view v) {
  bool token = !v.empty();
  for (char c : v)
    token = token && static_cast<unsigned char>(c) > 32 && static_cast<unsigned char>(c) < 127 &&
            tspecials.find(c) == std::string_view::npos;
  if (token) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (!parameter_octet(c)) continue;  // a line break, NUL or other control: never written into a header
    out += c;
  }
  return out + "\"";
}

}  // namespace mixer::bodyparts
