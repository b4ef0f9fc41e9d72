// imf/encoded_word_encode.cpp: RFC 2047 encoding (see encoded_word.hpp).
// The layout follows header_writer.hpp's Layout, so the encoded words are
// sized for the lines write_field() will make of them.
#include <vector>

#include "base/utf8.hpp"
#include "imf/encoded_word.hpp"
#include "imf/header_writer.hpp"
#include "imf/message.hpp"
#include "imf/tokens.hpp"

namespace mixer::imf {

namespace {

constexpr std::size_t kMaxWord = 75;                // §2: an encoded word's octets
constexpr std::size_t kEncodedLine = 76;            // §2: a line holding encoded words
constexpr std::string_view kQ = "=?UTF-8?Q?", kB = "=?UTF-8?B?", kEnd = "?=";
constexpr std::size_t kOverhead = 12;               // "=?UTF-8?Q?" + "?="
constexpr std::size_t kComfort = 24;                // below this room, a word starts a new line instead

// Characters Q keeps as they are: §5 (3)'s set, safe in phrases and in text alike.
bool q_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' || c == '*' ||
         c == '+' || c == '-' || c == '/';
}

std::size_t q_cost(char c) { return q_plain(c) || c == ' ' ? 1 : 3; }

// Octets of the UTF-8 sequence starting at s[i] (valid input).
std::size_t seq_len(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

std::size_t cost(std::string_view s, std::size_t i, std::size_t n, bool q) {
  if (!q) return (n + 2) / 3 * 4;
  std::size_t c = 0;
  for (std::size_t k = i; k < i + n; ++k) c += q_cost(s[k]);
  return c;
}

void put_word(std::string& out, std::string_view octets, bool q) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out.append(q ? kQ : kB);
  if (q) {
    for (char c : octets) {
      if (c == ' ') {
        out += '_';
      } else if (q_plain(c)) {
        out += c;
      } else {
        const auto u = static_cast<unsigned char>(c);
        out += '=';
        out += kHex[u >> 4];
        out += kHex[u & 15];
      }
    }
  } else {
    std::size_t i = 0;
    for (; i + 3 <= octets.size(); i += 3) {
      const unsigned n = (static_cast<unsigned char>(octets[i]) << 16) |
                         (static_cast<unsigned char>(octets[i + 1]) << 8) | static_cast<unsigned char>(octets[i + 2]);
      out += kB64[n >> 18];
      out += kB64[(n >> 12) & 63];
      out += kB64[(n >> 6) & 63];
      out += kB64[n & 63];
    }
    if (i < octets.size()) {
      const bool two = i + 2 == octets.size();
      const unsigned n = (static_cast<unsigned char>(octets[i]) << 16) |
                         (two ? static_cast<unsigned char>(octets[i + 1]) << 8 : 0u);
      out += kB64[n >> 18];
      out += kB64[(n >> 12) & 63];
      out += two ? kB64[(n >> 6) & 63] : '=';
      out += '=';
    }
  }
  out.append(kEnd);
}

// Writes text under the layout: `lead` (white space or "") then the text's
// WSP-separated pieces, each placed as the writer will place it.
class Emitter {
 public:
  Emitter(std::string& out, std::size_t column) : out_(out), lay_{kEncodedLine, column} {}

  // Plain text after `lead` (its WSP runs are fold points).
  void plain(std::string_view lead, std::string_view text) {
    std::size_t i = 0;
    while (true) {
      std::size_t j = i;
      while (j < text.size() && !is_wsp(text[j])) ++j;
      place(lead.size() + (j - i));
      out_.append(lead);
      out_.append(text.substr(i, j - i));
      if (j >= text.size()) return;
      std::size_t k = j;
      while (k < text.size() && is_wsp(text[k])) ++k;
      lead = text.substr(j, k - j);
      i = k;
      if (i >= text.size()) {  // trailing white space stays on the line, as the writer keeps it
        lay_.column += lead.size();
        out_.append(lead);
        return;
      }
    }
  }

  // `run` (valid UTF-8) as encoded words, the first after `lead`, the rest after one space.
  void encoded(std::string_view lead, std::string_view run) {
    std::size_t qsize = 0;
    for (char c : run) qsize += q_cost(c);
    const bool q = qsize <= (run.size() + 2) / 3 * 4;
    std::size_t i = 0;
    while (i < run.size()) {
      const std::size_t need = kOverhead + cost(run, i, seq_len(run, i), q);
      const bool can_fold = !first_;
      const std::size_t room = lay_.width > lay_.column + lead.size() ? lay_.width - lay_.column - lead.size() : 0;
      std::size_t cap;
      if (room >= need && (room >= kComfort || !can_fold)) cap = std::min(kMaxWord, room);
      else if (can_fold) cap = std::min(kMaxWord, lay_.width > lead.size() ? lay_.width - lead.size() : 0);
      else cap = std::min(kMaxWord, room);
      cap = std::max(cap, need);
      // As many whole UTF-8 sequences as fit in cap.
      std::size_t j = i, used = kOverhead;
      while (j < run.size()) {
        const std::size_t n = seq_len(run, j);
        const std::size_t more = q ? cost(run, j, n, true) : cost(run, i, j - i + n, false) + kOverhead - used;
        if (used + more > cap && j > i) break;
        used += more;
        j += n;
      }
      place(lead.size() + used);
      out_.append(lead);
      put_word(out_, run.substr(i, j - i), q);
      lead = " ";
      i = j;
    }
  }

 private:
  void place(std::size_t size) {
    if (first_) lay_.column += size;
    else lay_.place(size);
    first_ = false;
  }

  std::string& out_;
  Layout lay_;
  bool first_ = true;
};

bool is_ctl(char c) { return static_cast<unsigned char>(c) < 32 || c == 127; }

Result<bool> check_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size())
    if (!base::next_utf8(s, i)) return make_error(Errc::invalid_utf8, i, "", "text is not valid UTF-8");
  return true;
}

// A word of unstructured text that must be encoded to read back the same.
bool must_encode(std::string_view w) {
  for (char c : w)
    if (static_cast<unsigned char>(c) >= 128 || is_ctl(c)) return true;
  return w.find("=?") != std::string_view::npos;
}

}  // namespace

Result<std::string> encode_unstructured(std::string_view s, std::size_t column) {
  if (auto ok = check_utf8(s); !ok) return ok.error();
  // Words with the white space before each; leading and trailing white space
  // is encoded (the parser skips the one, transports may strip the other).
  struct Word {
    std::size_t ws, begin, end;
    bool enc;
  };
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t ws = i;
    while (i < s.size() && is_wsp(s[i])) ++i;
    const std::size_t b = i;
    while (i < s.size() && !is_wsp(s[i])) ++i;
    const std::size_t plain_line = (words.empty() ? column : b - ws) + (i - b);
    words.push_back(Word{ws, b, i, must_encode(s.substr(b, i - b)) || plain_line > kMaxLine});
  }
  if (!words.empty()) {
    if (words.front().begin > 0) words.front().enc = true;
    if (words.back().begin == words.back().end) {  // trailing white space
      words.back().enc = true;
      if (words.size() > 1) words[words.size() - 2].enc = true;
    }
  }
  std::string out;
  Emitter em(out, column);
  for (std::size_t k = 0; k < words.size();) {
    const Word& w = words[k];
    if (!w.enc) {
      em.plain(s.substr(w.ws, w.begin - w.ws), s.substr(w.begin, w.end - w.begin));
      ++k;
      continue;
    }
    std::size_t e = k;
    while (e + 1 < words.size() && words[e + 1].enc) ++e;
    // The run keeps its inner white space; leading white space of the value is in it too.
    const std::size_t from = k == 0 ? 0 : w.begin;
    em.encoded(s.substr(w.ws, from - w.ws), s.substr(from, words[e].end - from));
    k = e + 1;
  }
  return out;
}

Result<std::string> encode_phrase(std::string_view s, std::size_t column) {
  if (auto ok = check_utf8(s); !ok) return ok.error();
  std::string out;
  if (s.empty()) return out;
  // Single spaces between non-empty words keep atoms as atoms; anything else is one run.
  bool clean = s.front() != ' ' && s.back() != ' ' && s.find("  ") == std::string_view::npos;
  std::vector<std::string_view> words;
  if (clean) {
    std::size_t i = 0;
    while (i <= s.size()) {
      const std::size_t j = std::min(s.find(' ', i), s.size());
      words.push_back(s.substr(i, j - i));
      i = j + 1;
    }
  } else {
    words.push_back(s);
  }
  auto atom = [&](std::string_view w) {
    if (w.empty() || w.size() > 900 || w.find("=?") != std::string_view::npos) return false;
    for (char c : w)
      if (!is_atext(c) || static_cast<unsigned char>(c) >= 128) return false;
    return true;
  };
  Emitter em(out, column);
  bool first = true;
  for (std::size_t k = 0; k < words.size();) {
    const std::string_view lead = first ? std::string_view{} : std::string_view(" ");
    first = false;
    if (clean && atom(words[k])) {
      em.plain(lead, words[k]);
      ++k;
      continue;
    }
    std::size_t e = k;
    while (e + 1 < words.size() && !atom(words[e + 1])) ++e;
    const char* b = words[k].data();
    const std::string_view run(b, static_cast<std::size_t>(words[e].data() + words[e].size() - b));
    bool quotable = run.size() <= 900 && run.find("=?") == std::string_view::npos;
    for (char c : run)
      if (static_cast<unsigned char>(c) >= 128 || (is_ctl(c) && c != '\t')) quotable = false;
    if (quotable) {
      std::string q = "\"";
      for (char c : run) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
      }
      q += '"';
      em.plain(lead, q);
    } else {
      em.encoded(lead, run);
    }
    k = e + 1;
  }
  return out;
}

std::optional<Error> write_unstructured(std::string& out, std::string_view name, std::string_view utf8) {
  auto v = encode_unstructured(utf8, name.size() + 2);
  if (!v) return v.error();
  const bool encoded = v->find("=?") != std::string::npos;
  return write_field(out, name, *v, encoded ? kEncodedLine : kFoldWidth);
}

}  // namespace mixer::imf
