// gateway/p1_routes.hpp: the p1.routes table (conf/config.hpp P1Route):
// which peer MTAs take an X.400 recipient, by the longest prefix of its
// O/R address's C, ADMD, PRMD, O and OU values, "*" as the default.
// Pure; trusts the config check (every route's peers exist and can be called).
#pragma once

#include "addressing/or_address.hpp"
#include "conf/config.hpp"

namespace mixer::gateway {

// The route whose every attribute equals the address's (case-insensitively,
// X.411 §18.4's comparison of PrintableString values), the one with the most
// attributes; the default route when none matches; nullptr without either.
const conf::P1Route* find_p1_route(const conf::P1Config& config, const addressing::OrAddress& address);

}  // namespace mixer::gateway
