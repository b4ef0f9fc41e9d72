// imf/message.hpp: an RFC 5322 message split into its header fields and its
// body, as views into the caller's buffer (nothing is copied), and unfold().
//
// Trusts nothing in the input. Lines end with CRLF (the tools normalise
// LF-only files before calling; a bare CR or LF is kept as data and
// flagged). Every octet of the header lands in exactly one Field: the
// fields' raw spans are contiguous and together are Message::header.
// What is not a field (a line without a colon, a name with characters
// outside ftext, continuation lines before the first field) is kept as a
// Field flagged not_a_field, never dropped, and the header goes on: only
// an empty line or the end of the input ends it. One pass, linear in the
// input; the only allocation is the field vector.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imf/limits.hpp"

namespace mixer::imf {

// What a field has that the current syntax (RFC 5322 §3) does not allow, or
// that the engine may want to know. Bits of Field::flags.
enum FieldFlag : std::uint16_t {
  not_a_field = 1u << 0,           // no colon, an empty name or a name outside ftext (§3.6.8): name is empty
  leading_continuation = 1u << 1,  // continuation lines before the first field (also not_a_field)
  wsp_before_colon = 1u << 2,      // obs: "Subject : x" (§4.5)
  blank_continuation = 1u << 3,    // obs-FWS: a continuation line of white space only (§4.2)
  long_line = 1u << 4,             // a line over 998 octets (§2.1.1), within Limits::max_line_length
  eight_bit = 1u << 5,             // octets over 127
  utf8 = 1u << 6,                  // with eight_bit: the whole field is valid UTF-8 (RFC 6532 §3.2)
  bare_cr_lf = 1u << 7,            // a CR or LF that is not part of a CRLF (kept as data)
  no_final_crlf = 1u << 8,         // the input ended inside this field, without its CRLF
};

struct Field {
  std::string_view name;   // as written, without the obsolete WSP before the colon; empty (at the start) for not_a_field
  std::string_view value;  // folded: from the first non-WSP after the colon to before the last CRLF;
                           // for not_a_field, the whole text without the last CRLF
  std::string_view raw;    // the whole field, its first octet to its last CRLF included
  std::uint32_t line = 0;  // 1-based line of its first line
  std::uint16_t flags = 0;

  bool has(FieldFlag f) const { return (flags & f) != 0; }
  bool is_field() const { return !has(not_a_field); }
};

struct Message {
  std::vector<Field> fields;
  std::string_view header;      // every field's raw, in order; without the separator line
  std::string_view body;        // after the separator line; empty when there is none
  bool separator = false;       // an empty line ended the header (false: the header ran to the end)
  std::uint32_t body_line = 0;  // 1-based line of the body's first line; 0 without a separator
  std::uint16_t flags = 0;      // the OR of every field's flags

  // The first field named `name` (ASCII case-insensitive), or nullptr.
  const Field* find(std::string_view name) const;
};

// Splits `input` into header fields and body. Errors only for a limit.
Result<Message> parse_message(std::string_view input, const Limits& limits);

// RFC 5322 §2.2.3: removes every CRLF immediately followed by WSP.
std::string unfold(std::string_view folded);
void unfold_append(std::string& out, std::string_view folded);

// ASCII case-insensitive equality (field names, charset names, day names).
bool iequals(std::string_view a, std::string_view b);

// ftext (RFC 5322 §3.6.8): printable US-ASCII except ":".
inline bool is_ftext(unsigned char c) { return c >= 33 && c <= 126 && c != ':'; }
inline bool is_wsp(char c) { return c == ' ' || c == '\t'; }

}  // namespace mixer::imf
