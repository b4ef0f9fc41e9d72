// gateway/queue/format/tokens.cpp: quoting and splitting control file tokens.
#include "gateway/queue/format/tokens.hpp"

namespace mixer::queue {
namespace {
bool bare_ok(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 32 && u < 127 && c != '"' && c != '\\';
}
int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string quote_token(std::string_view value) {
  bool bare = !value.empty();
  for (char c : value) bare = bare && bare_ok(c);
  if (bare) return std::string(value);
  static const char* digits = "0123456789abcdef";
  std::string out = "\"";
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 32 || u >= 127) {
      out += "\\x";
      out += digits[u >> 4];
      out += digits[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool split_token_views(std::string_view line, std::vector<std::string_view>& out, std::string& scratch) {
  out.clear();
  scratch.clear();
  scratch.reserve(line.size());  // never more than the line: the views into it stay valid
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    // A bare prefix (e.g. "diag=") may be followed by a quoted value.
    const std::size_t begin = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '"') ++i;
    if (i >= line.size() || line[i] != '"') {
      out.push_back(line.substr(begin, i - begin));  // bare: a view of the line
      continue;
    }
    const std::size_t from = scratch.size();
    scratch.append(line.substr(begin, i - begin));
    ++i;
    bool closed = false;
    while (i < line.size()) {
      char c = line[i++];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c != '\\') {
        scratch += c;
        continue;
      }
      if (i >= line.size()) return false;
      char e = line[i++];
      if (e == '"' || e == '\\') {
        scratch += e;
      } else if (e == 'x' && i + 1 < line.size() && hex(line[i]) >= 0 && hex(line[i + 1]) >= 0) {
        scratch += static_cast<char>(hex(line[i]) * 16 + hex(line[i + 1]));
        i += 2;
      } else {
        return false;
      }
    }
    if (!closed) return false;
    if (i < line.size() && line[i] != ' ') return false;
    out.push_back(std::string_view(scratch).substr(from));
  }
  return true;
}

std::optional<std::vector<std::string>> split_tokens(std::string_view line) {
  std::vector<std::string_view> views;
  std::string scratch;
  if (!split_token_views(line, views, scratch)) return std::nullopt;
  return std::vector<std::string>(views.begin(), views.end());
}

bool for_each_line(std::string_view text, const std::function<void(std::string_view)>& line) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return true;
    line(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return false;
}

}  // namespace mixer::queue
