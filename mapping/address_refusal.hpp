// mapping/address_refusal.hpp: an address the addressing library refused,
// as the engine's refusal (addressing::to_refusal: RFC 2156 §5.1.8.4's pairs).
#pragma once

#include "addressing/refusal.hpp"

namespace mixer::mapping {

inline base::Refusal address_refusal(const addressing::Error& e, addressing::AddressRole role) {
  return addressing::to_refusal(e, role);
}

}  // namespace mixer::mapping
