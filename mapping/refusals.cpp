// mapping/refusals.cpp: see the header.
#include "mapping/refusals.hpp"

namespace mixer::mapping::refuse {

namespace r = base::reason;
namespace d = base::diagnostic;
using base::make_refusal;

base::Refusal content_syntax(std::string rule, std::string message) {
  return make_refusal(554, "5.6.0", r::unable_to_transfer, d::content_syntax_error, std::move(rule), std::move(message));
}
base::Refusal too_large(std::string rule, std::string message) {
  return make_refusal(552, "5.3.4", r::unable_to_transfer, d::content_too_long, std::move(rule), std::move(message));
}
base::Refusal loop(std::string rule, std::string message) {
  return make_refusal(554, "5.4.6", r::unable_to_transfer, d::loop_detected, std::move(rule), std::move(message));
}
base::Refusal critical_function(std::string rule, std::string message) {
  return make_refusal(554, "5.3.3", r::unable_to_transfer, d::unsupported_critical_function, std::move(rule),
                      std::move(message));
}
base::Refusal conversion_prohibited(std::string rule, std::string message) {
  return make_refusal(554, "5.6.2", r::unable_to_transfer, d::implicit_conversion_prohibited, std::move(rule),
                      std::move(message));
}
base::Refusal conversion_with_loss_prohibited(std::string rule, std::string message) {
  return make_refusal(554, "5.6.2", r::conversion_not_performed, d::conversion_with_loss_prohibited, std::move(rule),
                      std::move(message));
}
base::Refusal conversion_impractical(std::string rule, std::string message) {
  return make_refusal(554, "5.6.3", r::conversion_not_performed, d::conversion_impractical, std::move(rule),
                      std::move(message));
}
base::Refusal unable_to_downgrade(std::string rule, std::string message) {
  return make_refusal(554, "5.3.3", r::conversion_not_performed, d::unable_to_downgrade, std::move(rule),
                      std::move(message));
}
base::Refusal dl_expansion_prohibited(std::string rule, std::string message) {
  return make_refusal(554, "5.7.2", r::unable_to_transfer, d::dl_expansion_prohibited, std::move(rule), std::move(message));
}
base::Refusal recipient_reassignment_prohibited(std::string rule, std::string message) {
  return make_refusal(554, "5.4.0", r::unable_to_transfer, d::recipient_reassignment_prohibited, std::move(rule), std::move(message));
}
base::Refusal no_recipient(std::string rule, std::string message) {
  return make_refusal(550, "5.1.1", r::unable_to_transfer, d::unrecognised_or_name, std::move(rule), std::move(message));
}
base::Refusal too_many_recipients(std::string rule, std::string message) {
  return make_refusal(554, "5.5.3", r::unable_to_transfer, d::too_many_recipients, std::move(rule), std::move(message));
}

}  // namespace mixer::mapping::refuse

namespace mixer::mapping {

base::Expected<imf::Message> parse_within_limits(std::string_view octets, const conf::MappingLimits& limits,
                                                 const std::string& over_limit, const std::string& rule,
                                                 const std::string& bad_syntax) {
  imf::Limits il;
  il.max_header_size = limits.max_header_size;
  il.max_fields = limits.max_header_fields;
  il.max_field_size = limits.max_field_length + 1024;
  il.max_value_size = limits.max_field_length;
  auto parsed = imf::parse_message(octets, il);
  if (parsed) return std::move(*parsed);
  const auto& e = parsed.error();
  const bool limit = e.code == imf::Errc::header_too_large || e.code == imf::Errc::too_many_fields ||
                     e.code == imf::Errc::field_too_long || e.code == imf::Errc::line_too_long;
  return limit ? refuse::too_large("mapping.limits", over_limit + e.text())
               : refuse::content_syntax(rule, bad_syntax + e.text());
}

}  // namespace mixer::mapping
