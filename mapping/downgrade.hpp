// mapping/downgrade.hpp: RFC 2156 Appendix B, the message for an X.400(1984)
// next hop: content type 2, no 1988 MTS elements, the heading extensions
// and the fields mapped to 1988 elements in a first IA5 body part
// "RFC-822-Headers:", and every O/R address in the 1984 form (only the
// 1984 attributes, printable values: a printable common name becomes the
// domain-defined attribute "Common", anything else makes the address an
// RFC 822 one encapsulated at the gateway). What is dropped is listed.
#pragma once

#include <string>
#include <vector>

#include "addressing/mapping.hpp"
#include "base/refusal.hpp"
#include "p1/ipms/types.hpp"

namespace mixer::mapping {

namespace x400_out {
struct Plan;
}

// The whole downgrade, on a message built for X.400(1988).
void downgrade_1984(p1::ipms::Ipm& ipm, p1::mts::MessageTransferEnvelope& env, const x400_out::Plan& plan,
                    const addressing::MappingContext& ctx, std::vector<base::Loss>& losses);

// The IPM part of it (also for a forwarded IPM, RFC 2157 §6.5, which has no envelope): the
// heading extensions out, `lines` (the carried fields and those mapped to 1988 elements) in a
// first IA5 body part "RFC-822-Headers:", the heading's O/R names in the 1984 form.
void downgrade_ipm_1984(p1::ipms::Ipm& ipm, const std::vector<std::string>& lines, const addressing::MappingContext& ctx,
                        std::vector<base::Loss>& losses);

// One O/R address into the 1984 form (in place); false when it could not be
// (it is then left as it was and the loss is listed).
bool address_1984(addressing::OrAddress& a, const addressing::MappingContext& ctx, std::vector<base::Loss>& losses);

// Whether the address has only the X.400(1984) attributes (the standard attributes and
// domain-defined attributes), each in its printable form.
bool has_1984_form(const addressing::OrAddress& a);

}  // namespace mixer::mapping
