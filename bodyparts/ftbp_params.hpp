// bodyparts/ftbp_params.hpp: the value forms of RFC 2157 §2.3's FTBP
// parameters on both sides: MIME parameter values with RFC 2231
// continuations and charsets (read under explicit limits, written as
// `name*=utf-8''...` sections when not printable ASCII), GraphicStrings
// (§2.3.1: read through the ISO 2022 reader of general_text, written as
// ASCII or one ISO 8859 part designated into G1), RFC 822 date-time <->
// GeneralizedTime (the Content-Disposition dates of RFC 2183), and
// Content-ID <-> the MessageReference of a related-stored-file. Pure;
// trusts nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "bodyparts/content_type.hpp"

namespace mixer::bodyparts::params {

// RFC 2231 limits: sections of one parameter and octets of its decoded value.
inline constexpr std::size_t max_sections = 64;
inline constexpr std::size_t max_value = 1024;

struct Value {
  bool found = false;
  std::string utf8;     // the value, UTF-8 (valid when `problem` is empty)
  std::string problem;  // why the value could not be read exactly (a loss), empty when it was
};

// The value of parameter `name` (lower case): RFC 2231 (`name*`, `name*0*`, `name*1`, ...)
// before the plain `name`; a plain value that is one RFC 2047 encoded word in quotes (the
// §2.3.1 (1) form other gateways write) is decoded.
Value parameter_utf8(const ContentType& ct, std::string_view name);

// `name=value` (a token or quoted-string) for printable ASCII, else RFC 2231 in UTF-8:
// `name*=utf-8''%..` or, over 60 characters, `name*0*=utf-8''..; name*1*=..`.
std::string write_parameter(std::string_view name, std::string_view utf8);

// §2.3.1: a GraphicString as UTF-8 (ASCII, ISO 8859 parts designated by ISO 2022 escapes),
// or nullopt when it uses sets the gateway does not read.
std::optional<std::string> graphic_to_utf8(std::string_view g);
// §2.3.1 (2): the ASCII characters of a GraphicString, '?' for every other one.
std::string graphic_ascii(std::string_view g);
// UTF-8 as a GraphicString: ASCII as it is, else ESC 2/13 F (the first ISO 8859 part that
// writes it, in G1) and LS1R before its octets; nullopt when no part can.
std::optional<std::string> utf8_to_graphic(std::string_view utf8);

// RFC 822 / RFC 5322 date-time (a Content-Disposition date) -> GeneralizedTime, and back.
std::optional<std::string> generalized_time_of(std::string_view date_time);
std::optional<std::string> date_time_of(std::string_view generalized_time);

bool printable_ascii(std::string_view s);
// UTF-8 with '?' for each character that is not printable ASCII (§2.3.1 (2)).
std::string ascii_of_utf8(std::string_view utf8);

}  // namespace mixer::bodyparts::params
