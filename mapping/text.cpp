// mapping/text.cpp: see the header.
#include "mapping/text.hpp"

#include "base/t61.hpp"
#include "base/utf8.hpp"
#include "imf/encoded_word.hpp"

namespace mixer::mapping {

namespace {

bool ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) > 127) return false;
  return true;
}

const char* hex = "0123456789ABCDEF";

// Only octets 0x20..0x7E (no control character, nothing above ASCII).
bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// The header text decoded (RFC 2047) as T.61; nullopt when it does not decode exactly or
// T.61 cannot hold it.
std::optional<std::string> t61_of_header_text(std::string_view value, bool phrase, const imf::Limits& limits) {
  auto decoded = phrase ? imf::decode_phrase(value, limits) : imf::decode_unstructured(value, limits);
  if (decoded && decoded->exact()) return base::utf8_to_t61(decoded->text);
  return std::nullopt;
}

}  // namespace

InternetText internet_text_of_teletex(std::string_view t61) {
  InternetText out;
  if (auto u = base::t61_to_utf8(t61)) {
    out.utf8 = std::move(*u);
  } else {
    // Octets T.61 does not define: shown as U+FFFD, the rest as T.61 reads it.
    out.exact = false;
    for (char c : t61) {
      const auto b = static_cast<unsigned char>(c);
      auto one = base::t61_to_utf8(std::string_view(&c, 1));
      if (b < 128 && one) out.utf8 += *one;
      else if (one) out.utf8 += *one;
      else out.utf8 += "\xEF\xBF\xBD";
    }
  }
  // §3.5: RFC 2047 encoded words a gateway left in the value are interpreted.
  if (out.utf8.find("=?") != std::string::npos) {
    imf::Limits limits;
    auto d = imf::decode_unstructured(out.utf8, limits);
    if (d && d->has(imf::decoded) && d->exact()) out.utf8 = std::move(d->text);
  }
  return out;
}

std::string ascii_of_8bit(std::string_view text) {
  if (ascii(text)) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find_first_of(" \t", i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view w = text.substr(i, end - i);
    if (ascii(w)) {
      out += w;
    } else {
      // One RFC 2047 Q word: UTF-8 when the octets are, else RFC 1428's unknown-8bit.
      out += base::valid_utf8(w) ? "=?UTF-8?Q?" : "=?unknown-8bit?Q?";
      for (unsigned char c : w) {
        if (c > 127 || c == '=' || c == '?' || c == '_' || c < 33) {
          out += '=';
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
      }
      out += "?=";
    }
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) out += text[end++];
    i = end;
  }
  return out;
}

std::string cut_to(std::string_view text, std::size_t ub) {
  if (text.size() <= ub) return std::string(text);
  std::size_t cut = ub;
  // Not between a T.61 non-spacing diacritic (0xC1-0xCF) and its letter.
  if (cut > 0) {
    const auto prev = static_cast<unsigned char>(text[cut - 1]);
    if (prev >= 0xC1 && prev <= 0xCF) --cut;
  }
  // Not inside an encoded word: back to before its "=?" when one is open at the cut.
  const std::size_t open = text.rfind("=?", cut);
  if (open != std::string_view::npos) {
    // An encoded word is "=?charset?X?text?=": it ends at the first "?=" after the
    // '?' that closes its encoding, not at a "?=" like the one of "?Q?=E2".
    const std::size_t q1 = text.find('?', open + 2);
    const std::size_t q2 = q1 == std::string_view::npos ? q1 : text.find('?', q1 + 1);
    const std::size_t close = q2 == std::string_view::npos ? q2 : text.find("?=", q2 + 1);
    if (q2 != std::string_view::npos && (close == std::string_view::npos || close + 2 > cut)) cut = open;
  }
  // Not inside a comment: back to before an unclosed "(".
  int depth = 0;
  std::size_t last_open = std::string_view::npos;
  for (std::size_t i = 0; i < cut; ++i) {
    if (text[i] == '(' ) {
      if (depth++ == 0) last_open = i;
    } else if (text[i] == ')' && depth > 0) {
      --depth;
    }
  }
  if (depth > 0 && last_open != std::string_view::npos) cut = last_open;
  while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\t')) --cut;
  return std::string(text.substr(0, cut));
}

TeletexText teletex_of_header_text(std::string_view value, bool phrase, std::size_t ub) {
  TeletexText out;
  imf::Limits limits;
  if (!phrase && value.size() <= limits.max_value_size && printable_ascii(value) &&
      value.find("=?") == std::string_view::npos) {
    // The common case at once: unstructured printable ASCII with no encoded word decodes
    // to itself, and is its own T.61 (what the general path below gives, without its copies).
    out.t61 = std::string(value);
  } else if (auto t61 = t61_of_header_text(value, phrase, limits)) {
    out.t61 = std::move(*t61);
  } else {
    // T.61 cannot hold it (or it was not understood): its ASCII form, which loses nothing.
    out.ascii_form = true;
    out.t61 = ascii_of_8bit(value);
  }
  if (out.t61.size() > ub) {
    out.t61 = cut_to(out.t61, ub);
    out.truncated = true;
  }
  return out;
}

}  // namespace mixer::mapping
