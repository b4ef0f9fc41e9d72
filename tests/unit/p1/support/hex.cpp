// tests/unit/p1/support/hex.cpp: see hex.hpp.
#include "tests/unit/p1/support/hex.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mixer::p1::test {

Bytes unhex(std::string_view hex) {
  Bytes out;
  int hi = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    else throw std::invalid_argument("unhex: bad character");
    if (hi < 0) hi = v;
    else {
      out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) throw std::invalid_argument("unhex: odd number of digits");
  return out;
}

std::string hex(std::span<const std::uint8_t> bytes) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto b : bytes) {
    s += d[b >> 4];
    s += d[b & 15];
  }
  return s;
}

Bytes vector_file(const std::string& name) {
  std::ifstream f("tests/vectors/p1/" + name);
  if (!f) throw std::runtime_error("cannot open tests/vectors/p1/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  return unhex(ss.str());
}

std::vector<Bytes> tpkts(std::span<const std::uint8_t> p) {
  std::vector<Bytes> out;
  while (!p.empty()) {
    if (p.size() < 4 || p[0] != 3) throw std::runtime_error("tpkts: not a TPKT");
    std::size_t len = std::size_t{p[2]} << 8 | p[3];
    if (len < 4 || len > p.size()) throw std::runtime_error("tpkts: bad length");
    out.emplace_back(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(len));
    p = p.subspan(len);
  }
  return out;
}

Bytes dt_user_data(std::span<const std::uint8_t> t) {
  if (t.size() < 7 || t[4] != 2 || t[5] != 0xf0) throw std::runtime_error("dt_user_data: not a DT");
  return Bytes(t.begin() + 7, t.end());
}

Bytes dt_tpkt(std::span<const std::uint8_t> tsdu) {
  Bytes out;
  const std::size_t n = tsdu.size() + 7;
  out.reserve(n);
  for (std::uint8_t b : {std::uint8_t{3}, std::uint8_t{0}, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n),
                         std::uint8_t{2}, std::uint8_t{0xf0}, std::uint8_t{0x80}})
    out.push_back(b);
  out.insert(out.end(), tsdu.begin(), tsdu.end());
  return out;
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace mixer::p1::test
