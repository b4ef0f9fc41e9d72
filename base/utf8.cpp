// base/utf8.cpp: see the header.
#include "base/utf8.hpp"

#include <cstdint>

namespace mixer::base {

void put_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

std::optional<char32_t> next_utf8(std::string_view s, std::size_t& i) {
  auto b = static_cast<std::uint8_t>(s[i]);
  std::size_t n = b < 0x80 ? 0 : (b & 0xe0) == 0xc0 ? 1 : (b & 0xf0) == 0xe0 ? 2 : (b & 0xf8) == 0xf0 ? 3 : 4;
  if (n == 4 || i + n >= s.size()) return std::nullopt;
  char32_t c = n == 0 ? b : n == 1 ? (b & 0x1f) : n == 2 ? (b & 0x0f) : (b & 0x07);
  for (std::size_t k = 1; k <= n; ++k) {
    auto x = static_cast<std::uint8_t>(s[i + k]);
    if ((x & 0xc0) != 0x80) return std::nullopt;
    c = (c << 6) | (x & 0x3f);
  }
  static constexpr char32_t least[] = {0, 0x80, 0x800, 0x10000};
  if (c < least[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return std::nullopt;
  i += n + 1;
  return c;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();)
    if (!next_utf8(s, i)) return false;
  return true;
}

}  // namespace mixer::base
