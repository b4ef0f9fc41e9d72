// base/utf8.hpp: UTF-8 code points out and in, the one place the
// project encodes and checks UTF-8 (T.61, UCS-2/UCS-4 and the X.400 string
// codecs build on it). Input is untrusted: overlong forms, surrogates and
// code points beyond U+10FFFF are invalid.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mixer::base {

// Appends code point c (at most U+10FFFF) as UTF-8.
void put_utf8(std::string& out, char32_t c);
// The code point of valid UTF-8 at s[i], advancing i past it; nullopt (i unchanged) if invalid.
std::optional<char32_t> next_utf8(std::string_view s, std::size_t& i);
bool valid_utf8(std::string_view s);

}  // namespace mixer::base
