// mapping/disposition_notification.hpp: the body of an RFC 8098 (RFC 3798)
// message/disposition-notification part, read and written: Reporting-UA,
// MDN-Gateway, Original-Recipient, Final-Recipient, Original-Message-ID,
// Disposition (RFC 8098 §3.2.1-§3.2.6), Failure/Error/Warning (RFC 3798
// §3.2.7) and extension fields (§3.3, X400-* for what X.400 has and an MDN
// has not).
//
// The reader trusts nothing: an MDN comes from any user agent on the
// Internet. It takes RFC 5322 field syntax (folded lines, CRLF or bare LF
// line ends, field names in any case, comments in the Disposition field),
// keeps every field as written, and refuses, with the line, a body over its
// limits, a field repeated that RFC 8098 allows once, or one without
// Final-Recipient or a Disposition of RFC 8098 §3.2.6's syntax: the caller
// then maps the MDN as an ordinary message (never drops it). No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/delivery_status.hpp"  // TypedValue, DsnField

namespace mixer::mapping {

struct DispositionNotificationLimits {
  std::size_t max_size = 64 << 10;     // octets of the body
  std::size_t max_fields = 100;        // fields in the body
  std::size_t max_field_size = 4096;   // one field, unfolded
  std::size_t max_modifiers = 16;      // disposition modifiers
};

// RFC 8098 §3.2.6.1 and §3.2.6.2.
enum class ActionMode { manual, automatic };
enum class SendingMode { manually, automatically };
enum class DispositionType { displayed, deleted, dispatched, processed };
const char* disposition_type_name(DispositionType t);

struct Disposition {
  ActionMode action = ActionMode::automatic;
  SendingMode sending = SendingMode::automatically;
  DispositionType type = DispositionType::displayed;
  std::vector<std::string> modifiers;  // "error" or extensions, lower case, as RFC 8098 §3.2.6.3 lists them
};

struct DispositionNotification {
  std::optional<std::string> reporting_ua;          // §3.2.1, "ua-name [; ua-product]" as written
  std::optional<TypedValue> mdn_gateway;            // §3.2.2
  std::optional<TypedValue> original_recipient;     // §3.2.3
  TypedValue final_recipient;                       // §3.2.4, required
  std::optional<std::string> original_message_id;   // §3.2.5, the msg-id "<...>"
  Disposition disposition;                          // §3.2.6, required
  std::vector<DsnField> fields;                     // every field, in order (extension fields too)

  // The value of the first field of this name (case-insensitive) among `fields`, or nullptr.
  const std::string* field(std::string_view name) const;
};

struct DispositionNotificationError {
  std::size_t line = 0;  // 1-based line of the body where it went wrong (0: the whole)
  std::string message;
};

// Reads a message/disposition-notification body (transfer encoding already
// removed). On success `error` is empty.
std::optional<DispositionNotification> parse_disposition_notification(std::string_view body,
                                                                      const DispositionNotificationLimits& limits,
                                                                      DispositionNotificationError& error);

// The Disposition field's value (§3.2.6): "automatic-action/MDN-sent-automatically; displayed".
std::string disposition_text(const Disposition& d);

// Writes one (CRLF line ends, folded at 78 where there is white space): the
// typed fields in RFC 8098's order, then the `fields` entries whose names are
// not among them. What it writes reads back as the same value.
std::string write_disposition_notification(const DispositionNotification& mdn);

}  // namespace mixer::mapping
