// imf/limits.hpp: the explicit bounds every imf parser runs under, and the
// imf error type. Nothing in imf/ allocates or loops beyond what a Limits
// allows, whatever the input claims; a limit exceeded is an Error naming the
// limit, never a truncated result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "base/refusal.hpp"

namespace mixer::imf {

struct Limits {
  // The header section (message.hpp).
  std::size_t max_header_size = 4u << 20;   // octets from the first field to the separator line
  std::size_t max_fields = 10000;           // fields, not-a-field lines included
  std::size_t max_field_size = 1u << 20;    // octets of one field, folded, name to its last CRLF
  std::size_t max_line_length = 64u << 10;  // octets of one line without CRLF; over 998 is flagged, over this refused
  // Field values (encoded_word.hpp, date_time.hpp, tokens.hpp).
  std::size_t max_value_size = 1u << 20;    // octets of one value given to a decoder or tokenizer
  std::size_t max_items = 10000;            // msg-ids, phrases or list items taken from one value
  std::size_t max_comment_depth = 32;       // nested comments "((...))"
};

enum class Errc : std::uint8_t {
  header_too_large = 1,  // Limits::max_header_size
  too_many_fields,       // Limits::max_fields
  field_too_long,        // Limits::max_field_size
  line_too_long,         // Limits::max_line_length
  value_too_long,        // Limits::max_value_size
  too_many_items,        // Limits::max_items
  comment_too_deep,      // Limits::max_comment_depth
  syntax,                // the text does not follow the grammar
  invalid_value,         // well-formed but not a valid value (month 13, 25:00, Feb 30)
  out_of_range,          // valid, but not representable in the form asked for (UTCTime outside 1980-2079)
  not_representable,     // the writer cannot write it (CR/LF in a value, a word over 998 octets, a bad name)
  invalid_utf8,          // text that should be UTF-8 is not
};

const char* to_string(Errc e);

struct Error {
  Errc code = Errc::syntax;
  std::size_t offset = 0;  // octet offset in the input where it was found
  std::size_t line = 0;    // 1-based line in a message; 0 when not about a message
  std::string rule;        // "RFC 5322 §3.3"; empty when a limit of ours
  std::string message;     // one sentence, no trailing period
  // "message (rule) at line N" / "at offset N".
  std::string text() const;
};

template <class T>
using Result = base::Expected<T, Error>;

inline Error make_error(Errc code, std::size_t offset, std::string rule, std::string message) {
  return Error{code, offset, 0, std::move(rule), std::move(message)};
}

}  // namespace mixer::imf
