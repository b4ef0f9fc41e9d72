// addressing/charset.hpp: the character-level encodings of RFC 2156 ch.3-4.
//
// PrintableString and NumericString classes (§3.3.2, §3.3.3), ASCII encoded
// in PrintableString (§3.4, "(a)" for "@" ...), the teletex-string text form
// of T.61 octets (§3.3.4, "{165}"), and the restricted domain-syntax of MCGAMs
// (§4.2). Pure functions over bytes; nothing is trusted.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "addressing/error.hpp"

namespace mixer::addressing {

namespace charclass {
// One bit per class for each octet (tested inline: these run per character
// of every value the mappings read or write).
enum : std::uint8_t { ps_restricted = 1, ps = 2, digit = 4, alnum = 8, atext = 16 };
inline constexpr auto table = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool d = c >= '0' && c <= '9';
    const bool a = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool r = a || d || c == ' ' || c == '\'' || c == '+' || c == ',' || c == '-' || c == '.' || c == '/' ||
                   c == ':' || c == '=' || c == '?';
    bool at = a || d || c > 127;
    for (char x : std::string_view("!#$%&'*+-/=?^_`{|}~")) at = at || c == static_cast<unsigned char>(x);
    t[c] = static_cast<std::uint8_t>((r ? ps_restricted : 0) | (r || c == '(' || c == ')' ? ps : 0) | (d ? digit : 0) |
                                     (a || d ? alnum : 0) | (at ? atext : 0));
  }
  return t;
}();
inline bool is(char c, std::uint8_t cls) { return (table[static_cast<unsigned char>(c)] & cls) != 0; }
}  // namespace charclass

// §3.3.3 ps-char: A-Z a-z 0-9 space ' ( ) + , - . / : = ?
inline bool is_ps_char(char c) { return charclass::is(c, charclass::ps); }
// §3.3.3 ps-restricted-char: ps-char without the round brackets.
inline bool is_ps_restricted_char(char c) { return charclass::is(c, charclass::ps_restricted); }
inline bool is_printable_string(std::string_view s) {
  for (char c : s)
    if (!is_ps_char(c)) return false;
  return true;
}
// §3.3.2 numericstring: digits and space.
inline bool is_numeric_string(std::string_view s) {
  for (char c : s)
    if (!(c == ' ' || (c >= '0' && c <= '9'))) return false;
  return true;
}
// Non-empty, digits only.
inline bool is_all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// §3.4: ASCII -> PrintableString ("foo@bar" -> "foo(a)bar"). Refuses octets
// above 127: the encoding is defined for ASCII only.
Result<std::string> ps_encode(std::string_view ascii);
// §3.4: PrintableString -> ASCII. Encodings are read case-insensitively;
// a "(" that starts no valid encoding is passed through, as §3.4's examples
// ("(" -> "(") allow.
std::string ps_decode(std::string_view printable);
// §3.4 strict parse as ps-encoded: fails on a "(" or ")" that is not part of
// an encoding, or on any character outside ps-char.
Result<std::string> ps_decode_strict(std::string_view printable);

// §3.3.4 teletex-string: ps-char octets as themselves, any other octet as
// "{ddd}" (runs grouped: "{165166}").
std::string teletex_to_text(std::string_view octets);
// §3.3.4 reverse; "{" must hold 1+ groups of 3 decimal digits (0..255).
Result<std::string> teletex_from_text(std::string_view text);

// §4.2 domain-syntax for one label: alphanum [ *alphanumhyphen alphanum ].
bool is_domain_label(std::string_view label);
// Labels of domain-syntax joined by "." (a trailing "." is refused).
bool is_domain_syntax(std::string_view domain);

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
std::string ascii_lowercase(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
// §4.3.5 step 1 (lookup form): strip leading/trailing spaces, collapse runs of spaces.
std::string squeeze_spaces(std::string_view s);

}  // namespace mixer::addressing
