// base/t61.hpp: TeletexString (ITU-T T.61, the 8-bit teletex graphic
// repertoire X.400 uses) to UTF-8 and back. X.400 values keep their T.61
// octets (several octet sequences can name one character, and signed data
// covers the octets); this is how they are shown and how UTF-8 text becomes
// T.61. Untrusted input: anything outside the repertoire gives nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mixer::base {

// T.61 octets -> UTF-8. Accepted: CR, LF and FF; 0x20-0x7E as ASCII (T.61
// leaves # $ \ ^ ` { } ~ unused there, but real peers send them); the
// supplementary set 0xA1-0xFE; a non-spacing diacritic 0xC1-0xCF followed by
// a letter it combines with in T.61's repertoire (or a space: the spacing
// accent). Anything else, or a diacritic at the end, gives nullopt.
std::optional<std::string> t61_to_utf8(std::string_view t61);

// UTF-8 -> T.61: ASCII as itself, other characters by the tables above
// (precomposed letters as diacritic + letter). nullopt on invalid UTF-8 or a
// character T.61 cannot write.
std::optional<std::string> utf8_to_t61(std::string_view utf8);

// The UTF-8 form of T.61 octets when writing it back gives exactly these
// octets: a text display that loses nothing (else nullopt: show the octets).
std::optional<std::string> t61_as_utf8_exactly(std::string_view t61);

}  // namespace mixer::base
