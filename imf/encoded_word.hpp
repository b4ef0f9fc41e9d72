// imf/encoded_word.hpp: RFC 2047 encoded words, both ways, with text as UTF-8.
//
// Decoding: unstructured text (RFC 2047 §5 (1)) and phrases (§5 (3)) to
// UTF-8. B and Q; adjacent encoded words joined, the white space between
// them dropped (§6.2), and their octets joined before the charset is
// converted when they share a charset (so a character split across two
// words still decodes); the RFC 2231 §5 language suffix ("charset*lang")
// ignored. An encoded word must be a whole white-space-delimited word (§5
// (1)); what only looks like one, or is malformed, or is in a charset ICU
// does not know, or whose octets are not valid in its charset, is left as
// the original text, and DecodedText::flags says which. Raw UTF-8 in a
// header (RFC 6532) is text; other raw 8-bit octets are kept as they are
// and flagged, never guessed.
//
// Encoding: UTF-8 text to an unstructured value or a phrase that is plain
// ASCII where it can be, else with encoded words in UTF-8 (Q or B, whichever
// is shorter), each at most 75 octets (§2) and never splitting a UTF-8
// sequence, sized so that write_field() folds the field into lines of at
// most 76 octets (§2's limit for lines holding encoded words) with the name.
// decode(encode(text)) == text for every valid UTF-8 text.
//
// Trusts nothing in the text it decodes (bounded by Limits::max_value_size
// and the comment depth); the text to encode must be valid UTF-8 (checked).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "imf/limits.hpp"

namespace mixer::imf {

enum DecodeFlag : std::uint16_t {
  decoded = 1u << 0,          // at least one encoded word was decoded
  malformed = 1u << 1,        // a word shaped like an encoded word but not one, or one run into other text: left as is
  unknown_charset = 1u << 2,  // an encoded word in a charset ICU does not know: left as is
  undecodable = 1u << 3,      // an encoded word whose octets are not valid in its charset: left as is
  raw_utf8 = 1u << 4,         // raw non-ASCII octets that are UTF-8 (RFC 6532): kept, they are text
  raw_8bit = 1u << 5,         // raw non-ASCII octets that are not UTF-8: kept as they are (text is then not UTF-8)
};

struct DecodedText {
  std::string text;
  std::uint16_t flags = 0;

  bool has(DecodeFlag f) const { return (flags & f) != 0; }
  // Every octet of the input was understood: the text is exactly what was meant, in UTF-8.
  bool exact() const { return (flags & (malformed | unknown_charset | undecodable | raw_8bit)) == 0; }
};

// An unstructured value (Subject, Comments, X-*: RFC 5322 §3.2.5), unfolded,
// or the phrase of addressing::parse_address_list (its words unquoted and
// joined by one space). Errors only for Limits::max_value_size.
Result<DecodedText> decode_unstructured(std::string_view text, const Limits& limits);

// A phrase as written in the header (atoms, quoted-strings, comments: the
// display name of a name-addr, a Keywords item): encoded words are decoded
// only where they are a whole atom, never inside a quoted-string (§5 (3));
// quoted-strings are unquoted; comments are dropped; words are joined by
// one space (RFC 5322 §3.2.2), adjacent encoded words by none. Errors for
// the limits and for an unterminated quoted-string or comment.
Result<DecodedText> decode_phrase(std::string_view phrase, const Limits& limits);

// A comment of a structured field, given with its parentheses (§5 (2)):
// its content, quoted-pairs resolved, decoded as unstructured text (the
// parentheses delimit encoded words like white space); a nested comment
// stays as its text.
Result<DecodedText> decode_comment(std::string_view comment, const Limits& limits);

// UTF-8 text -> an unstructured field value, laid out for a field whose
// value starts at `column` (the name, colon and space: name.size() + 2).
// Leading and trailing white space, control characters, words that hold
// "=?" and words too long to fold are encoded. Refuses text that is not
// valid UTF-8.
Result<std::string> encode_unstructured(std::string_view utf8, std::size_t column);

// UTF-8 text -> a phrase (RFC 2047 §5 (3)): atoms where the words are
// atoms, a quoted-string where ASCII needs quoting, encoded words (in the
// restricted Q alphabet of §5 (3), or B) where it is not ASCII. `column`
// is where the phrase starts on its line (0 when unknown).
Result<std::string> encode_phrase(std::string_view utf8, std::size_t column);

// A whole unstructured field: "name: " + encode_unstructured(utf8), folded
// by write_field (76 octets a line with encoded words, 78 without).
std::optional<Error> write_unstructured(std::string& out, std::string_view name, std::string_view utf8);

}  // namespace mixer::imf
