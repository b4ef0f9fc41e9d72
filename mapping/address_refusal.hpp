// mapping/address_refusal.hpp: an address the addressing library refused,
// as the engine's refusal (RFC 2156 §5.1.8.4's pairs: 5.1.3 / 5.1.1 /
// 5.1.7 with unable-to-transfer and unrecognised-OR-name or invalid-arguments).
#pragma once

#include "addressing/error.hpp"
#include "addressing/mapping.hpp"
#include "base/refusal.hpp"

namespace mixer::mapping {

inline base::Refusal address_refusal(const addressing::Error& e, addressing::AddressRole role) {
  const bool originator = role == addressing::AddressRole::smtp_originator;
  const std::string status = addressing::refusal_enhanced_status(e, originator);
  return base::make_refusal(originator ? 553 : 550, status, addressing::refusal_x411_reason(e),
                            addressing::refusal_x411_diagnostic(e, originator), e.section, e.message);
}

}  // namespace mixer::mapping
