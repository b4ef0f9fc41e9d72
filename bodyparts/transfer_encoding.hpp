// bodyparts/transfer_encoding.hpp: MIME Content-Transfer-Encodings (RFC
// 2045 §6): quoted-printable and base64 both ways, and the choice of one
// for a part. Encoders write CRLF lines of at most 76 characters; decoders
// take untrusted input, ignore what RFC 2045 says to ignore and refuse
// nothing (a malformed sequence is kept as it is, and flagged).
#pragma once

#include <string>
#include <string_view>

namespace mixer::bodyparts {

// RFC 2045 §6.7, for text: line breaks (CRLF) stay line breaks; a text without a final one
// ends with a soft line break.
std::string quoted_printable(std::string_view text);
// The same appended to `out`, and its length (for sizing an output once).
void append_quoted_printable(std::string& out, std::string_view text);
std::size_t quoted_printable_size(std::string_view text);
// RFC 2045 §6.8, lines of 76.
std::string base64_lines(std::string_view octets);
// The same appended to `out` (sized once, no temporary).
void append_base64_lines(std::string& out, std::string_view octets);
// The length of base64_lines(octets) for `n` octets: 78 per 57 octets and a shorter last line.
std::size_t base64_lines_size(std::size_t n);
// base64_lines() written at `out` (base64_lines_size() characters); returns their end.
char* write_base64_lines(std::string_view octets, char* out);

struct Decoded {
  std::string octets;
  bool clean = true;  // false: something malformed was kept as it was
};
Decoded decode_quoted_printable(std::string_view in);
Decoded decode_base64(std::string_view in);

// What one pass over a text finds (sixteen octets at a time where it can).
struct TextScan {
  bool eight_bit = false;       // an octet over 127
  bool nul = false;
  bool bare_cr_lf = false;      // a CR or LF not in a CRLF pair
  bool ends_with_crlf = false;
  std::size_t max_line = 0;     // the longest line, CRLF not counted
};
TextScan scan_text(std::string_view text);

// Text as a 7bit body: every line ends with CRLF, no octet over 127 or NUL,
// no line over 998 octets, no bare CR or LF (RFC 2045 §2.7).
bool is_7bit(std::string_view text);
// The same from the scan of a text of `size` octets.
bool is_7bit(const TextScan& scan, std::size_t size);
// Every line of the scanned text ends with CRLF and there is no bare CR or LF: what
// crlf_lines would give back unchanged.
bool is_crlf_lines(const TextScan& scan, std::size_t size);
// Bare CR and bare LF become CRLF; a final line without one gets it.
std::string crlf_lines(std::string_view text);

}  // namespace mixer::bodyparts
