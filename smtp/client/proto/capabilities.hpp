// smtp/client/proto/capabilities.hpp: what the server offered in its reply
// to EHLO (RFC 5321 §4.1.1.1: the first line names the server, each further
// line is "keyword [params]", keywords case-insensitive), restricted to the
// service extensions the client uses.
//
// Trusts nothing in the reply: an unknown keyword is ignored, a malformed
// SIZE value counts as SIZE without a limit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "smtp/proto/reply.hpp"

namespace mixer::smtp::client {

struct Capabilities {
  bool esmtp = false;                // the server answered EHLO (not HELO)
  bool pipelining = false;           // RFC 2920
  bool size = false;                 // RFC 1870 SIZE offered
  std::uint64_t max_size = 0;        // its fixed maximum; 0 = none declared
  bool eight_bit_mime = false;       // RFC 6152
  bool dsn = false;                  // RFC 3461
  bool starttls = false;             // RFC 3207
  bool enhanced_status_codes = false;// RFC 2034
  bool smtputf8 = false;             // RFC 6531
  std::string server_name;           // first word of the first line

  // "PIPELINING SIZE=10240000 8BITMIME ..." for logs.
  std::string text() const;
};

// Reads the keywords of a positive EHLO reply.
Capabilities parse_ehlo_reply(const proto::Reply& reply);

}  // namespace mixer::smtp::client
