// addressing/routing.hpp: which side an SMTP recipient belongs to, decided
// from the MCGAM tables at RCPT time (RFC 2156 §4.3.4 "SMTP Recipient").
//
// A recipient goes to X.400 when its domain is inside a table1 MCGAM, is one
// of the gateway's own domains (an X.400 address in the local-part, §4.3.1),
// or is on the operator's private list of X.400-routed RFC 822 islands.
// The preferred-gateway tables never decide this (§4.3.4: "shall not be
// used as a basis for deciding to convert a message from RFC 822 to X.400").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "addressing/mapping.hpp"
#include "base/refusal.hpp"

namespace mixer::addressing {

struct RecipientRoute {
  bool x400 = false;               // the recipient belongs on the X.400 side
  std::string why;                 // "table1 MCGAM FILE:LINE", "gateway domain", "private list entry .x"
  std::optional<X400Mapping> mapping;   // set when x400 and mapped
  std::optional<base::Refusal> refusal;  // set when x400 but unmappable: to_refusal(..., smtp_recipient)
};

// `private_x400_domains`: "d" for d itself, ".d" for its subdomains.
RecipientRoute route_smtp_recipient(std::string_view address, const MappingContext& ctx,
                                    const std::vector<std::string>& private_x400_domains = {});

}  // namespace mixer::addressing
