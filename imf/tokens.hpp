// imf/tokens.hpp: the small lexical pieces of RFC 5322 structured fields
// the mapping engine needs (§3.2): CFWS and comments, quoted-strings, a
// lexer of atoms / quoted-strings / domain literals / specials, and three
// list readers: the msg-id list of References / In-Reply-To / Supersedes
// (§3.6.4 with the §4.5.4 obsolete phrases), the phrase list of Keywords
// (§3.6.5, §4.1 obs-phrase-list) and a generic "1#item" splitter for the
// RFC 2156 Appendix E fields (encoded-info, 1#language, "x ; date-time ;").
// Address lists are addressing::parse_address_list's, not here.
//
// Input is a field value, folded or unfolded (CRLF before WSP is white
// space here), untrusted: every reader is bounded by a Limits (value size,
// item count, comment nesting) and returns views into the input.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imf/limits.hpp"

namespace mixer::imf {

// RFC 5322 atext (§3.2.3); octets over 127 count as atext (RFC 6532 §3.2).
namespace detail {
// RFC 5322 atext (ALPHA DIGIT and "!#$%&'*+-/=?^_`{|}~"; octets above 127 as
// atext, RFC 6532), one entry per octet.
inline constexpr auto kAtext = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 127;
  for (char c : std::string_view("!#$%&'*+-/=?^_`{|}~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();
}  // namespace detail
inline bool is_atext(char c) { return detail::kAtext[static_cast<unsigned char>(c)]; }
// White space of a (possibly folded) value: SP, HTAB, CR, LF.
inline bool is_lwsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Skips FWS and comments (nested, with quoted-pairs) from s[i]. An
// unterminated or too deeply nested comment is an error (i then where it began).
std::optional<Error> skip_cfws(std::string_view s, std::size_t& i, const Limits& limits);
// s[i] == '(': the offset just past the comment's closing ")".
Result<std::size_t> comment_end(std::string_view s, std::size_t i, const Limits& limits);
// s[i] == '"': the offset just past the quoted-string's closing quote.
Result<std::size_t> quoted_string_end(std::string_view s, std::size_t i);
// The content of a quoted-string given with its quotes: quoted-pairs
// resolved, the CRLF of folds removed (§3.2.4).
std::string unquote(std::string_view quoted);

struct Token {
  enum class Kind : std::uint8_t { end, atom, quoted_string, domain_literal, special };
  Kind kind = Kind::end;
  std::string_view text;  // as written: the quotes / brackets included; one octet for a special
  std::size_t offset = 0;
};

// Tokens of a structured value, CFWS skipped between them (comments are
// not tokens). Atoms are runs of atext; with `dot_atoms`, "." joins them
// (dot-atom, obs-phrase) instead of being a special.
class Lexer {
 public:
  Lexer(std::string_view s, const Limits& limits, bool dot_atoms = false) : s_(s), limits_(limits), dots_(dot_atoms) {}
  // The next token; Kind::end at the end. Errors: unterminated quoted-string, comment or literal.
  Result<Token> next();
  std::size_t offset() const { return i_; }

 private:
  std::string_view s_;
  const Limits& limits_;
  bool dots_;
  std::size_t i_ = 0;
};

// One element of References / In-Reply-To / Supersedes.
struct MsgIdItem {
  enum class Kind : std::uint8_t {
    msg_id,      // "<" dot-atom-text "@" (dot-atom-text / no-fold-literal) ">" (§3.6.4)
    obs_msg_id,  // "<" local-part "@" domain ">" with CFWS or quoted-strings inside (§4.5.4)
    invalid,     // "<...>" that is neither (no "@", an empty side, stray specials): kept as written
    phrase,      // obs: words between the msg-ids, "ignored for purposes of interpretation" (§4.5.4)
  };
  Kind kind = Kind::msg_id;
  std::string_view raw;  // as written, "<" to ">" or the phrase's first word to its last
  std::string id;        // a msg-id without its obsolete CFWS ("<left@right>"); empty for a phrase
};

// *(phrase / msg-id) with CFWS: Errors for the limits and for a "<" without ">".
Result<std::vector<MsgIdItem>> parse_msg_id_list(std::string_view value, const Limits& limits);

// One element of a Keywords phrase list.
struct PhraseItem {
  std::string_view raw;  // the item, surrounding white space trimmed (decode with decode_phrase)
  bool phrase = true;    // false: it holds specials other than "." (kept as written)
};

// obs-phrase-list: comma-separated, empty elements skipped (§4.1).
Result<std::vector<PhraseItem>> parse_phrase_list(std::string_view value, const Limits& limits);

// Splits at `separator` outside quoted-strings, comments, "<...>" and
// domain literals; each item trimmed of white space; empty items (obs
// "null" elements) skipped. For "1#x" lists and ";"-separated values.
Result<std::vector<std::string_view>> split_list(std::string_view value, char separator, const Limits& limits);

}  // namespace mixer::imf
