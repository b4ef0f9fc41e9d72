// imf/header_writer.hpp: writes header fields, folded (RFC 5322 §2.2.3) at
// white space: a CRLF is put before a run of WSP, so unfold() gives the value
// back octet for octet. Lines are kept to `width` octets (78, the SHOULD of
// RFC 5322 §2.1.1; the encoders ask 76 for lines holding encoded words,
// RFC 2047 §2) where the words allow it, and never over 998 (the MUST; also
// RFC 2156 Appendix A's 1000 with CRLF). Trusts nothing in the value: what it
// cannot write so that it reads back the same is refused, nothing is changed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "imf/limits.hpp"

namespace mixer::imf {

inline constexpr std::size_t kMaxLine = 998;   // RFC 5322 §2.1.1, CRLF excluded
inline constexpr std::size_t kFoldWidth = 78;  // RFC 5322 §2.1.1 SHOULD

// The folding rule in one place: the writer follows it, and the RFC 2047
// encoder sizes its encoded words by it. A value is a first word, then
// chunks of (a WSP run, a word); a chunk goes after a fold when it would
// take the line past `width`. The first word never folds: a fold right after
// the colon is legal, but readers (Python's email among them) then keep the
// fold's WSP as a leading space of the value.
struct Layout {
  std::size_t width = kFoldWidth;
  std::size_t column = 0;  // octets on the current line so far

  // Whether a chunk of `size` octets would go on a new line.
  bool folds(std::size_t size) const { return column + size > width; }
  // Places the chunk; true when it went after a fold.
  bool place(std::size_t size) {
    if (folds(size)) {
      column = size;
      return true;
    }
    column += size;
    return false;
  }
};

// Appends "name: value" CRLF to `out`, folded. The name must be 1*ftext; the
// value must hold no CR or LF and not start with WSP (the parser skips it).
// A run without WSP that cannot fit in 998 octets is refused. On error `out`
// is left as it was.
std::optional<Error> write_field(std::string& out, std::string_view name, std::string_view value,
                                 std::size_t width = kFoldWidth);

}  // namespace mixer::imf
