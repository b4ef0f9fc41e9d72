// bodyparts/transfer_encoding.cpp: see the header.
#include "bodyparts/transfer_encoding.hpp"

#include "base/digits.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mixer::bodyparts {

namespace {
const char* hex_digits = "0123456789ABCDEF";

using base::base64_value;
using base::hex_value;
}  // namespace

namespace {

// The index of the first octet at or after i that is CR, LF, NUL or (when `high`) over 127,
// or n: sixteen octets at a time with SSE2, else eight.
inline std::size_t next_special(const unsigned char* p, std::size_t i, std::size_t n, bool high) {
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
  const int high_mask = high ? 0xFFFF : 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i s = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, zero));
    const int m = _mm_movemask_epi8(s) | (_mm_movemask_epi8(v) & high_mask);
    if (m) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(m)));
  }
#else
  auto has_zero = [](std::uint64_t w) { return (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL; };
  const std::uint64_t high_bits = high ? 0x8080808080808080ULL : 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if ((w & high_bits) || has_zero(w) || has_zero(w ^ 0x0A0A0A0A0A0A0A0AULL) || has_zero(w ^ 0x0D0D0D0D0D0D0D0DULL)) break;
  }
#endif
  for (; i < n; ++i) {
    const unsigned char c = p[i];
    if (c == '\r' || c == '\n' || c == 0 || (high && c > 127)) return i;
  }
  return n;
}

}  // namespace

TextScan scan_text(std::string_view text) {
  TextScan r;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0, line_start = 0;
#if defined(__SSE2__)
  // Until an octet over 127 is found: sixteen octets at a time, one signed comparison flagging
  // those below 14 (NUL, LF and CR among them) and those over 127; only the flagged ones are
  // looked at. `skip`: the LF of a CRLF already counted.
  std::size_t skip = 0;
  const __m128i fourteen = _mm_set1_epi8(14);
  while (i + 16 <= n) {
    auto m = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmplt_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), fourteen)));
    bool high = false;
    while (m) {
      const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(m));
      m &= m - 1;
      if (at < skip) continue;
      const unsigned char c = p[at];
      if (c == '\r') {
        if (at + 1 < n && p[at + 1] == '\n') {
          r.max_line = std::max(r.max_line, at - line_start);
          line_start = skip = at + 2;
        } else {
          r.bare_cr_lf = true;
        }
      } else if (c == '\n') {
        r.bare_cr_lf = true;
      } else if (c == 0) {
        r.nul = true;
      } else if (c > 127) {
        r.eight_bit = true;  // the rest as below, without looking for more
        i = at + 1;
        high = true;
        break;
      }
    }
    if (high) break;
    i += 16;
  }
  i = std::max(i, skip);
#endif
  // From one octet that matters to the next (CR, LF, NUL, and octets over 127 until one is found).
  while ((i = next_special(p, i, n, !r.eight_bit)) < n) {
    const unsigned char c = p[i];
    if (c == '\r') {
      if (i + 1 < n && p[i + 1] == '\n') {
        r.max_line = std::max(r.max_line, i - line_start);
        i += 2;
        line_start = i;
        continue;
      }
      r.bare_cr_lf = true;
    } else if (c == '\n') {
      r.bare_cr_lf = true;
    } else if (c == 0) {
      r.nul = true;
    } else {
      r.eight_bit = true;
    }
    ++i;
  }
  r.max_line = std::max(r.max_line, n - line_start);
  r.ends_with_crlf = n >= 2 && p[n - 2] == '\r' && p[n - 1] == '\n';
  return r;
}

std::string crlf_lines(std::string_view text) {
  if (is_crlf_lines(scan_text(text), text.size())) return std::string(text);  // already CRLF lines
  std::string out;
  out.reserve(text.size() + text.size() / 40 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

bool is_7bit(std::string_view text) { return is_7bit(scan_text(text), text.size()); }

bool is_7bit(const TextScan& s, std::size_t size) {
  return !s.bare_cr_lf && !s.nul && !s.eight_bit && s.max_line <= 998 && (size == 0 || s.ends_with_crlf);
}

bool is_crlf_lines(const TextScan& s, std::size_t size) { return !s.bare_cr_lf && (size == 0 || s.ends_with_crlf); }

namespace {

// RFC 2045 §6.7 for text, each encoded piece handed to `emit` (one walk for the encoder and
// for its size).
template <class Emit>
void walk_quoted_printable(std::string_view text, Emit&& emit) {
  std::size_t col = 0;
  auto put = [&](std::string_view s) {
    if (col + s.size() > 75) {  // room for the soft break's "="
      emit(std::string_view("=\r\n"));
      col = 0;
    }
    emit(s);
    col += s.size();
  };
  bool ends_crlf = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      emit(std::string_view("\r\n"));
      col = 0;
      ++i;
      ends_crlf = true;
      continue;
    }
    ends_crlf = false;
    const bool at_line_end = i + 1 == text.size() || (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n');
    const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
    // A "." or "From " at a line start is safe to encode too, but RFC 2045 does not ask it.
    if (literal) {
      const char ch = static_cast<char>(c);
      put(std::string_view(&ch, 1));
    } else {
      const char enc[3] = {'=', hex_digits[c >> 4], hex_digits[c & 15]};
      put(std::string_view(enc, 3));
    }
  }
  // A text without a final line break ends with a soft one: the decoded octets are the text's.
  if (!text.empty() && !ends_crlf) emit(std::string_view("=\r\n"));
}

}  // namespace

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_quoted_printable(out, text);
  return out;
}

void append_quoted_printable(std::string& out, std::string_view text) {
  walk_quoted_printable(text, [&](std::string_view s) { out += s; });
}

std::size_t quoted_printable_size(std::string_view text) {
  std::size_t n = 0;
  walk_quoted_printable(text, [&](std::string_view s) { n += s.size(); });
  return n;
}

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The value of each octet as a base64 digit, or -1 (RFC 2045 §6.8's table, inverted).
struct Base64Table {
  std::int8_t v[256];
  constexpr Base64Table() : v{} {
    for (int i = 0; i < 256; ++i) v[i] = -1;
    for (int i = 0; i < 64; ++i) v[static_cast<unsigned char>(kBase64[i])] = static_cast<std::int8_t>(i);
  }
};
constexpr Base64Table kBase64Values{};

// Two base64 digits for each 12-bit value: three octets are two lookups.
struct Base64Pairs {
  char c[4096][2];
  constexpr Base64Pairs() : c{} {
    for (int i = 0; i < 4096; ++i) {
      c[i][0] = kBase64[i >> 6];
      c[i][1] = kBase64[i & 63];
    }
  }
};
constexpr Base64Pairs kBase64Pairs{};

// Each digit's value already shifted into its place of a 24-bit group; 0xFF000000 for a
// character that is no digit, so one OR of four lookups says whether all four were digits.
struct Base64Shifted {
  std::uint32_t v[4][256];
  constexpr Base64Shifted() : v{} {
    for (int k = 0; k < 4; ++k)
      for (int i = 0; i < 256; ++i) {
        const int d = kBase64Values.v[i];
        v[k][i] = d < 0 ? 0xFF000000u : static_cast<std::uint32_t>(d) << (18 - 6 * k);
      }
  }
};
constexpr Base64Shifted kBase64Shifted{};

}  // namespace

std::size_t base64_lines_size(std::size_t n) {
  const std::size_t rest = n % 57;
  return n / 57 * 78 + (rest ? (rest + 2) / 3 * 4 + 2 : 0);
}

char* write_base64_lines(std::string_view in, char* o) {
  // 57 octets make one 76-character line (RFC 2045 §6.8). Six octets at a time where eight
  // can be read: one big-endian load, four lookups of two digits, one store of eight.
  const std::size_t n = in.size();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  std::size_t i = 0;
  while (i < n) {
    const std::size_t line_end = std::min(n, i + 57);
    for (; i + 6 <= line_end && i + 8 <= n; i += 6) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      const std::uint64_t v = __builtin_bswap64(w) >> 16;  // the six octets, most significant first
      std::uint16_t d[4];
      std::memcpy(&d[0], kBase64Pairs.c[(v >> 36) & 0xFFF], 2);
      std::memcpy(&d[1], kBase64Pairs.c[(v >> 24) & 0xFFF], 2);
      std::memcpy(&d[2], kBase64Pairs.c[(v >> 12) & 0xFFF], 2);
      std::memcpy(&d[3], kBase64Pairs.c[v & 0xFFF], 2);
      std::memcpy(o, d, 8);
      o += 8;
    }
    for (; i + 3 <= line_end; i += 3) {
      const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
      std::memcpy(o, kBase64Pairs.c[v >> 12], 2);
      std::memcpy(o + 2, kBase64Pairs.c[v & 0xFFF], 2);
      o += 4;
    }
    if (i < line_end) {  // the last one or two octets, padded
      const std::uint32_t b1 = i + 1 < line_end ? p[i + 1] : 0;
      const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (b1 << 8);
      o[0] = kBase64[(v >> 18) & 63];
      o[1] = kBase64[(v >> 12) & 63];
      o[2] = i + 1 < line_end ? kBase64[(v >> 6) & 63] : '=';
      o[3] = '=';
      o += 4;
      i = line_end;
    }
    o[0] = '\r';
    o[1] = '\n';
    o += 2;
  }
  return o;
}

std::string base64_lines(std::string_view in) {
  std::string out(base64_lines_size(in.size()), '\0');
  write_base64_lines(in, out.data());
  return out;
}

void append_base64_lines(std::string& out, std::string_view octets) {
  const std::size_t at = out.size();
  out.resize(at + base64_lines_size(octets.size()));
  write_base64_lines(octets, out.data() + at);
}

Decoded decode_quoted_printable(std::string_view in) {
  Decoded d;
  d.octets.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c != '=') {
      d.octets += c;
      continue;
    }
    // Soft line break: "=" then optional white space then CRLF (RFC 2045 §6.7 rule 5).
    std::size_t j = i + 1;
    while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
    if (j + 1 < in.size() && in[j] == '\r' && in[j + 1] == '\n') {
      i = j + 1;
      continue;
    }
    if (j < in.size() && in[j] == '\n') {
      i = j;
      continue;
    }
    const int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
    const int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
    if (hi >= 0 && lo >= 0) {
      d.octets += static_cast<char>(hi * 16 + lo);
      i += 2;
      continue;
    }
    d.clean = false;
    d.octets += c;  // a malformed "=": kept (RFC 2045 §6.7 note 1)
  }
  return d;
}

Decoded decode_base64(std::string_view in) {
  Decoded d;
  d.octets.resize(in.size() / 4 * 3 + 3);
  char* o = d.octets.data();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::uint32_t acc = 0;
  int bits = 0;
  bool pad = false;
  std::size_t i = 0;
  while (i < n) {
    // Four digits at a time while there is no pending sextet, no padding and no line break.
    if (bits == 0 && !pad) {
      while (i + 4 <= n) {
        const std::uint32_t v = kBase64Shifted.v[0][p[i]] | kBase64Shifted.v[1][p[i + 1]] |
                                kBase64Shifted.v[2][p[i + 2]] | kBase64Shifted.v[3][p[i + 3]];
        if (v & 0xFF000000u) break;
        o[0] = static_cast<char>(v >> 16);
        o[1] = static_cast<char>(v >> 8);
        o[2] = static_cast<char>(v);
        o += 3;
        i += 4;
      }
      if (i >= n) break;
    }
    // One character: a digit, padding, or what RFC 2045 §6.8 says to ignore.
    const unsigned char ch = p[i++];
    if (ch == '=') {
      pad = true;
      continue;
    }
    const int v = kBase64Values.v[ch];
    if (v < 0) {
      if (ch != '\r' && ch != '\n' && ch != ' ' && ch != '\t') d.clean = false;  // RFC 2045 §6.8: ignored
      continue;
    }
    if (pad) d.clean = false;  // data after padding
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *o++ = static_cast<char>((acc >> bits) & 0xFF);
    }
    if (bits == 0) acc = 0;
  }
  if (bits >= 6) d.clean = false;  // a dangling sextet
  d.octets.resize(static_cast<std::size_t>(o - d.octets.data()));
  return d;
}

}  // namespace mixer::bodyparts
