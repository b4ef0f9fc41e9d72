// addressing/rfc822_address.hpp: the RFC 822 address forms RFC 2156 ch.4
// works on: 822-address = [ route ] addr-spec (§4 intro), with the local-part
// as words (atoms or quoted-strings, RFC 822 §6.1) and the domain as a dot-atom
// or domain-literal. No comments or folding: envelope addresses and the
// addr-spec of a header mailbox only. Octets above 127 are kept, so that the
// mapping can refuse them with a reason rather than the parser guessing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "addressing/charset.hpp"
#include "addressing/error.hpp"

namespace mixer::addressing {

struct Rfc822Address {
  std::vector<std::string> route;  // "@a,@b:" -> {"a", "b"}
  std::string local_part;          // quoting removed: "a b".c -> a b.c
  std::string domain;              // as written; a domain-literal keeps its brackets

  bool operator==(const Rfc822Address&) const = default;
};

// Parses [route] addr-spec, optionally inside "<" ">" and surrounding
// spaces. The domain is required. Limits: `max_length` octets of input.
Result<Rfc822Address> parse_rfc822_address(std::string_view text, std::size_t max_length = 4096);

// The local-part as RFC 5322 dot-atom when it is one, else quoted-string
// (RFC 2156 §4.3.5 step 5: "a b.c" quoted as a whole, the recommended form).
std::string format_local_part(std::string_view local);

// addr-spec text: local-part "@" domain.
std::string format_addr_spec(std::string_view local, std::string_view domain);

// The whole 822-address, route included ("@a,@b:local@domain").
std::string format_rfc822_address(const Rfc822Address& a);

// RFC 5322 atext (octets above 127 count as atext, RFC 6532).
inline bool is_atext(char c) { return charclass::is(c, charclass::atext); }

}  // namespace mixer::addressing
