// tests/unit/mapping/message_generator.hpp: seeded Internet messages for the
// round-trip properties. The same seed gives the same message. Every
// message is valid RFC 5322 with a text/plain us-ascii body (the only body
// the engine converts until the body part issue lands), its addresses in
// domains the RFC 2156 example MCGAMs map both ways or outside them
// (encapsulated in the gateway's O/R address, RFC 2156 §4.3.5), and many
// field combinations: folding, RFC 2047 encoded words in UTF-8 and
// ISO-8859-1, comments, groups, long subjects, obsolete but valid syntax.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mapping/engine.hpp"

namespace mixer::mapping::test {

struct Generated {
  std::string content;    // CRLF line ends
  SmtpEnvelope envelope;  // MAIL FROM the From (or Sender) address, RCPT TO every recipient
  std::string describe;   // the seed and what was chosen, for failure messages
};

Generated generate_message(std::uint32_t seed);

}  // namespace mixer::mapping::test
