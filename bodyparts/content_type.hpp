// bodyparts/content_type.hpp: the MIME Content-Type value (RFC 2045 §5.1)
// read into type/subtype and parameters, and written back with quoting
// where RFC 2045's tspecials need it. Trusts nothing in the value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mixer::bodyparts {

struct ContentType {
  std::string type = "text/plain";  // lower case "type/subtype"
  std::vector<std::pair<std::string, std::string>> parameters;  // lower-case names, unquoted values
  std::vector<std::string> written;  // each parameter's value as written (quotes kept, RFC 2157 §3.1.2)
  bool ok = true;
  bool complete = true;  // false: the value goes on after what could be read (left out)
  std::string parameter(std::string_view name) const;
  std::string major() const { return type.substr(0, type.find('/')); }
  std::string minor() const { return type.substr(type.find('/') + 1); }
};

ContentType parse_content_type(std::string_view value);

// A parameter value as a token when it is one, else as a quoted-string (RFC 2045 §5.1),
// without the octets a header may not carry (see header_safe).
std::string parameter_value(std::string_view v);

// True when `v` has no control other than HTAB (RFC 5322 §3.2.4: none in qtext).
bool header_safe(std::string_view v);

std::string lower(std::string_view s);

}  // namespace mixer::bodyparts
