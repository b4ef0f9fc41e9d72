// base/refusal.hpp: the one refusal type of the codecs that decide whether a
// message or an address can cross the gateway (addressing/, bodyparts/,
// mapping/). A refusal says, once, what both sides report: the SMTP reply
// code and RFC 3463 enhanced status for the Internet side, the X.411
// non-delivery reason and diagnostic for the X.400 side, the rule that
// refused (an RFC section) and a sentence for a human. Callers turn it into
// an SMTP reply, an X.400 non-delivery or a log line; nothing here does I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mixer::base {

// X.411 NonDeliveryReasonCode (MTSAbstractService).
namespace reason {
inline constexpr int transfer_failure = 0, unable_to_transfer = 1, conversion_not_performed = 2,
                     physical_rendition_not_performed = 3, physical_delivery_not_performed = 4,
                     restricted_delivery = 5, directory_operation_unsuccessful = 6,
                     deferred_delivery_not_performed = 7, transfer_failure_for_security_reason = 8;
}
// X.411 NonDeliveryDiagnosticCode: the ones the gateway's codecs give.
namespace diagnostic {
inline constexpr int unrecognised_or_name = 0, ambiguous_or_name = 1, mts_congestion = 2, loop_detected = 3,
                     recipient_unavailable = 4, maximum_time_expired = 5,
                     encoded_information_types_unsupported = 6, content_too_long = 7, conversion_impractical = 8,
                     implicit_conversion_prohibited = 9, invalid_arguments = 11, content_syntax_error = 12,
                     size_constraint_violation = 13, protocol_violation = 14, content_type_not_supported = 15,
                     too_many_recipients = 16, unsupported_critical_function = 18,
                     conversion_with_loss_prohibited = 19, line_too_long = 20, multiple_information_loss = 25,
                     recipient_reassignment_prohibited = 26, redirection_loop_detected = 27,
                     dl_expansion_prohibited = 28, unable_to_downgrade = 47;
}

struct Refusal {
  int smtp_code = 554;                 // RFC 5321 reply code: 550, 553, 554, 452, ...
  std::string enhanced_status;         // RFC 3463: "5.6.1"
  int x411_reason = reason::unable_to_transfer;
  std::optional<int> x411_diagnostic;  // absent: the reason alone says it
  std::string rule;                    // "RFC 2156 §4.3.4"; empty when generic
  std::string message;                 // one sentence, no trailing period

  // "message (rule)"
  std::string text() const;
  // The text in US-ASCII for an SMTP reply (RFC 5321 §4.2): "§" as "section ".
  std::string smtp_text() const;
  bool transient() const { return smtp_code >= 400 && smtp_code < 500; }
};

// Something a conversion could not carry over exactly: done, not refused
// (for logs, the queue, RFC 2156's Conversion-With-Loss and X.411's
// converted EITs); `rule` cites the section.
struct Loss {
  std::string what;
  std::string rule;
};

// A refusal for a message that cannot be converted: 554 5.6.x on the SMTP
// side, conversion-not-performed (or unable-to-transfer) on the X.400 side.
Refusal make_refusal(int smtp_code, std::string enhanced_status, int x411_reason, std::optional<int> x411_diagnostic,
                     std::string rule, std::string message);

// A value or a reason why not (std::expected is C++23; this is the subset we
// need). E is the error type: Refusal for the mapping codecs.
template <class T, class E = Refusal>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const E& error() const& { return std::get<1>(v_); }
  E&& error() && { return std::get<1>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace mixer::base
