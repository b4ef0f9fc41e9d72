// imf/encoded_word.cpp: RFC 2047 decoding (see the header); the encoder is
// in encoded_word_encode.cpp.
#include "imf/encoded_word.hpp"

#include <vector>

#include "base/utf8.hpp"
#include "imf/charset.hpp"
#include "imf/message.hpp"
#include "imf/tokens.hpp"
#include "base/digits.hpp"

namespace mixer::imf {

namespace {

// RFC 2047 §2 especials: not in a charset or encoding token.
bool is_especial(char c) {
  switch (c) {
    case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':': case '"': case '/':
    case '[': case ']': case '?': case '.': case '=':
      return true;
    default:
      return false;
  }
}

using base::base64_value;
using base::hex_value;

// §4.1: the B encoding (RFC 2045 §6.8 base64), padded to a multiple of 4.
bool decode_b(std::string_view t, std::string& out) {
  if (t.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < t.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = t[i + k];
      if (c == '=') {
        if (i + 4 != t.size() || k < 2) return false;
        ++pad;
        v[k] = 0;
      } else {
        if (pad) return false;
        v[k] = base64_value(c);
        if (v[k] < 0) return false;
      }
    }
    const unsigned n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>(n >> 16);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return true;
}

// §4.2: the Q encoding ("_" is space; "=" two hex digits, lower case accepted).
bool decode_q(std::string_view t, std::string& out) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '_') {
      out += ' ';
    } else if (c == '=') {
      if (i + 2 >= t.size()) return false;
      const int h = hex_value(t[i + 1]), l = hex_value(t[i + 2]);
      if (h < 0 || l < 0) return false;
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else {
      out += c;
    }
  }
  return true;
}

enum class Shape { not_one, malformed, ok };

// A whole word as an encoded word "=?charset[*lang]?B|Q?text?=" (§2, RFC 2231 §5).
Shape parse_encoded_word(std::string_view w, std::string_view& charset, char& encoding, std::string_view& text) {
  if (w.size() < 8 || w[0] != '=' || w[1] != '?' || w[w.size() - 2] != '?' || w.back() != '=') return Shape::not_one;
  const std::string_view inner = w.substr(2, w.size() - 4);
  const std::size_t q1 = inner.find('?');
  if (q1 == std::string_view::npos || q1 + 2 >= inner.size() || inner[q1 + 2] != '?')
    return Shape::malformed;
  charset = inner.substr(0, q1);
  encoding = inner[q1 + 1];
  text = inner.substr(q1 + 3);
  for (char c : charset)
    if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127 || is_especial(c))
      return Shape::malformed;
  if (const std::size_t star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);
  if (charset.empty()) return Shape::malformed;
  if (encoding != 'B' && encoding != 'b' && encoding != 'Q' && encoding != 'q') return Shape::malformed;
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127 || c == '?')
      return Shape::malformed;
  return Shape::ok;
}

// "=?" with a later "?=": what a reader might take for an encoded word.
bool looks_encoded(std::string_view w) {
  const std::size_t open = w.find("=?");
  return open != std::string_view::npos && w.find("?=", open + 2) != std::string_view::npos;
}

bool has_high_bit(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) & 0x80) return true;
  return false;
}

// Gathers adjacent encoded words into pieces (one per run of one charset)
// and converts each piece when the run ends; a piece that does not convert
// goes out as the original text.
class Decoder {
 public:
  explicit Decoder(std::string_view src) : src_(src) {}

  // A word at [b, e) of the source, with `space` the white space before it
  // ("" at the start) that is dropped between two encoded words and kept otherwise.
  void word(std::size_t b, std::size_t e, std::string_view space) {
    const std::string_view w = src_.substr(b, e - b);
    std::string_view charset, text;
    char enc = 0;
    const Shape shape = parse_encoded_word(w, charset, enc, text);
    if (shape == Shape::ok) {
      const std::size_t mark = octets_.size();
      const bool ok = (enc == 'B' || enc == 'b') ? decode_b(text, octets_) : decode_q(text, octets_);
      if (ok) {
        if (!pieces_.empty() && iequals(pieces_.back().charset, charset)) {
          pieces_.back().end = e;
          pieces_.back().octets_end = octets_.size();
        } else {
          pieces_.push_back(Piece{charset, b, e, mark, octets_.size(), space});
        }
        return;
      }
      octets_.resize(mark);
    }
    flush();
    out_.text.append(space);
    out_.text.append(w);
    // Malformed, or an encoded word run into other text ("a=?UTF-8?Q?b?=", §5 (1)).
    if (shape != Shape::not_one || looks_encoded(w)) out_.flags |= malformed;
    note_raw(w);
  }

  // Plain text (a quoted-string's content, white space) after a flush.
  void text(std::string_view space, std::string_view t) {
    flush();
    out_.text.append(space);
    out_.text.append(t);
    note_raw(space);
    note_raw(t);
  }

  DecodedText finish() {
    flush();
    return std::move(out_);
  }

 private:
  struct Piece {
    std::string_view charset;
    std::size_t begin, end;                // source span of its encoded words
    std::size_t octets_begin, octets_end;  // its decoded octets in octets_
    std::string_view space;                // the white space before it
  };

  void note_raw(std::string_view t) {
    if (!has_high_bit(t)) return;
    out_.flags |= base::valid_utf8(t) ? raw_utf8 : raw_8bit;
  }

  void flush() {
    bool prev_ok = false;
    for (std::size_t k = 0; k < pieces_.size(); ++k) {
      const Piece& p = pieces_[k];
      // The white space before a piece goes out unless both it and the piece before decode (§6.2).
      const std::string_view octets(octets_.data() + p.octets_begin, p.octets_end - p.octets_begin);
      const Conversion c = to_utf8(p.charset, octets, scratch_);
      const bool ok = c == Conversion::ok;
      if (k == 0 || !(ok && prev_ok)) out_.text.append(p.space);
      if (ok) {
        out_.text.append(scratch_);
        out_.flags |= decoded;
      } else {
        out_.text.append(src_.substr(p.begin, p.end - p.begin));
        out_.flags |= c == Conversion::unknown_charset ? unknown_charset : undecodable;
      }
      scratch_.clear();
      prev_ok = ok;
    }
    pieces_.clear();
    octets_.clear();
  }

  std::string_view src_;
  DecodedText out_;
  std::vector<Piece> pieces_;
  std::string octets_, scratch_;
};

Error too_long(const Limits& limits) {
  return make_error(Errc::value_too_long, 0, "", "value longer than " + std::to_string(limits.max_value_size) + " octets");
}

}  // namespace

Result<DecodedText> decode_unstructured(std::string_view s, const Limits& limits) {
  if (s.size() > limits.max_value_size) return too_long(limits);
  Decoder d(s);
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t ws = i;
    while (i < s.size() && is_lwsp(s[i])) ++i;
    if (i == s.size()) {
      d.text(s.substr(ws, i - ws), {});
      break;
    }
    const std::size_t b = i;
    while (i < s.size() && !is_lwsp(s[i])) ++i;
    d.word(b, i, s.substr(ws, b - ws));
  }
  return d.finish();
}

Result<DecodedText> decode_phrase(std::string_view s, const Limits& limits) {
  if (s.size() > limits.max_value_size) return too_long(limits);
  static constexpr std::string_view kSpace = " ";
  Decoder d(s);
  std::size_t i = 0;
  bool first = true;
  while (true) {
    if (auto e = skip_cfws(s, i, limits)) return *e;
    if (i >= s.size()) break;
    const std::string_view space = first ? std::string_view{} : kSpace;
    first = false;
    if (s[i] == '"') {
      auto end = quoted_string_end(s, i);
      if (!end) return end.error();
      d.text(space, unquote(s.substr(i, *end - i)));
      i = *end;
      continue;
    }
    const std::size_t b = i;
    while (i < s.size() && !is_lwsp(s[i]) && s[i] != '(' && s[i] != '"') ++i;
    if (i == b) ++i;  // a stray ")"
    d.word(b, i, space);
  }
  return d.finish();
}

Result<DecodedText> decode_comment(std::string_view c, const Limits& limits) {
  if (c.size() > limits.max_value_size) return too_long(limits);
  if (c.size() >= 2 && c.front() == '(' && c.back() == ')') c = c.substr(1, c.size() - 2);
  std::string inner;
  inner.reserve(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i] == '\\' && i + 1 < c.size()) ++i;
    inner += c[i];
  }
  return decode_unstructured(inner, limits);
}

}  // namespace mixer::imf
