// mapping/refusals.hpp: the refusals of the mapping engine, each with the
// SMTP reply, the RFC 3463 status and the X.411 reason and diagnostic
// paired as RFC 2156 §5.1.8.4 and §5.3.8.2 pair them, so that a refusal
// reads the same whichever side reports it. `rule` names the section that
// refused; `message` is one sentence.
#pragma once

#include <string>
#include <string_view>

#include "base/refusal.hpp"
#include "conf/config.hpp"
#include "imf/message.hpp"

namespace mixer::mapping {

// An RFC 5322 message parsed within mapping.limits; when it does not parse,
// the refusal: over a limit too_large (`over_limit` + the parser's error),
// else content_syntax under `rule` (`bad_syntax` + the parser's error).
base::Expected<imf::Message> parse_within_limits(std::string_view octets, const conf::MappingLimits& limits,
                                                 const std::string& over_limit, const std::string& rule,
                                                 const std::string& bad_syntax);

}  // namespace mixer::mapping

namespace mixer::mapping::refuse {

// The content cannot be parsed: 554 5.6.0, unable-to-transfer / content-syntax-error (1/12).
base::Refusal content_syntax(std::string rule, std::string message);
// Over a size limit: 552 5.3.4, unable-to-transfer / content-too-long (1/7).
base::Refusal too_large(std::string rule, std::string message);
// More MIXER conversions than allowed (RFC 2156 §5.1.5): 554 5.4.6, unable-to-transfer / loop-detected (1/3).
base::Refusal loop(std::string rule, std::string message);
// A critical extension the gateway cannot honour (§5.3.6): 554 5.3.3, unable-to-transfer / unsupported-critical-function (1/18).
base::Refusal critical_function(std::string rule, std::string message);
// Conversion needed but the message prohibits it: 554 5.6.2, unable-to-transfer / implicit-conversion-prohibited (1/9).
base::Refusal conversion_prohibited(std::string rule, std::string message);
// Conversion would lose information and the message prohibits that: 554 5.6.2,
// conversion-not-performed / conversion-with-loss-prohibited (2/19).
base::Refusal conversion_with_loss_prohibited(std::string rule, std::string message);
// Content the gateway cannot convert: 554 5.6.3, conversion-not-performed / conversion-impractical (2/8).
base::Refusal conversion_impractical(std::string rule, std::string message);
// The next hop is X.400(1984) and the message cannot be downgraded: 554 5.3.3,
// conversion-not-performed / unable-to-downgrade (2/47).
base::Refusal unable_to_downgrade(std::string rule, std::string message);
// DL expansion prohibited and the gateway cannot control it (§5.3.7): 554 5.7.2,
// unable-to-transfer / dl-expansion-prohibited (1/28).
base::Refusal dl_expansion_prohibited(std::string rule, std::string message);
// Recipient reassignment prohibited (§5.3.7): 554 5.4.0, unable-to-transfer /
// recipient-reassignment-prohibited (1/26).
base::Refusal recipient_reassignment_prohibited(std::string rule, std::string message);
// No recipient could be mapped: 550 5.1.1, unable-to-transfer / unrecognised-OR-name (1/0).
base::Refusal no_recipient(std::string rule, std::string message);
// Too many recipients: 452 4.5.3 would be SMTP's answer at RCPT; here 554 5.5.3,
// unable-to-transfer / too-many-recipients (1/16).
base::Refusal too_many_recipients(std::string rule, std::string message);

}  // namespace mixer::mapping::refuse
