// gateway/routing.hpp: which side a recipient belongs to, decided at RCPT so
// that the gateway is never an open relay: the RFC 2156 §4.3.4 "SMTP
// recipient" rule over the loaded MCGAM tables (table1 domains, the
// gateway's own domain carrying an X.400 address in its local part) plus
// the operator's private list routing.x400_domains; postmaster (RFC 5321
// §4.5.1) stays local. Pure functions of a Runtime snapshot.
#pragma once

#include <string>
#include <variant>

#include "gateway/queue/format/control_file.hpp"
#include "gateway/runtime.hpp"
#include "smtp/proto/envelope.hpp"
#include "smtp/proto/reply.hpp"

namespace mixer::gateway {

using queue::Channel;

struct Route {
  Channel channel = Channel::local;
  std::string or_address;  // RFC 2156 std-or form, for the P1 channel
  std::vector<std::string> peers;  // channel p1: the p1.routes entry's peers, in order
  int peer_mode = 1988;    // channel p1: the first peer's mode (one route's peers share it)
  std::string why;         // the deciding rule or table line, for logs
  bool peer_bp14 = false;  // channel p1: the first peer takes BP14 in 1984 mode (p1.peers bp14)
};

// The route for a recipient, or the exact refusal: 550 5.7.1 relaying
// denied, 550 5.1.1 unknown local user, and for an X.400-bound address that
// cannot be mapped (RFC 2156 §4.3.4) the code and status of the mapping's
// base::Refusal (550 5.1.3 bad syntax, 550 5.1.1 unmappable), and for one
// that maps but has no p1.routes entry 550 5.4.4 (unable to route).
std::variant<Route, smtp::proto::Reply> route_recipient(const Runtime& runtime, const smtp::proto::RcptTo& rcpt);

}  // namespace mixer::gateway
