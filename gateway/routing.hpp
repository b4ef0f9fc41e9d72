// gateway/routing.hpp: which side a recipient belongs to, decided at RCPT so
// that the gateway is never an open relay. Until the addressing issue's
// MCGAM tables land, the X.400 side is the configured list of domains.
// Pure functions of the config.
#pragma once

#include <string>
#include <variant>

#include "conf/config.hpp"
#include "smtp/proto/envelope.hpp"
#include "smtp/proto/reply.hpp"

namespace mixer::gateway {

enum class Channel { x400, local };

const char* channel_name(Channel c);

// The channel for a recipient, or the exact refusal (550 5.7.1 relaying
// denied, 550 5.1.1 unknown local user).
std::variant<Channel, smtp::proto::Reply> route_recipient(const conf::Config& config,
                                                          const smtp::proto::RcptTo& rcpt);

// True if `domain` is listed in routing.x400_domains ("d" or ".d" for subdomains).
bool is_x400_domain(const conf::Config& config, std::string_view domain);

}  // namespace mixer::gateway
