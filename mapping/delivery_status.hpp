// mapping/delivery_status.hpp: the body of an RFC 3464 message/delivery-status
// part, read and written: the per-message fields, then one group of fields
// per reported recipient (RFC 3464 §2.2, §2.3), and the RFC 2156 §5.1.8.4
// table from a status code to the X.411 non-delivery reason and diagnostic.
//
// The reader trusts nothing: a DSN comes from any MTA on the Internet. It
// takes RFC 822 field syntax (folded lines, CRLF or bare LF line ends,
// field names in any case), keeps every field as written (for RFC 2156
// §5.1.8.2's dsn-field-list extension), and refuses, with the line, a body
// without a Reporting-MTA or a recipient group without Final-Recipient,
// Action or a well-formed Status, or anything over its limits: the caller
// then delivers the DSN as an ordinary message (RFC 2156 §5.1.8, the issue's
// "never dropped"). No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::mapping {

struct DeliveryStatusLimits {
  std::size_t max_size = 1 << 20;       // octets of the body
  std::size_t max_recipients = 1000;    // recipient groups
  std::size_t max_fields = 100;         // fields in one group
  std::size_t max_field_size = 4096;    // one field, unfolded
};

// "type; value" as RFC 3464 writes addresses (address-type; generic-address),
// MTA names (mta-name-type; mta-name) and diagnostics (diagnostic-type; text).
struct TypedValue {
  std::string type;   // "rfc822", "dns", "smtp", "x400", ... as written
  std::string value;  // the rest, white space at either end removed
};

// "type ; value" (RFC 3464 §2.1.2, RFC 8098 §3.2): nullopt without the ";" or with an empty type.
std::optional<TypedValue> typed_value_of(std::string_view v);

// One field as it was received: its name as written and its value unfolded.
struct DsnField {
  std::string name;
  std::string value;
};

// RFC 3464 §2.3.3.
enum class DsnAction { failed, delayed, delivered, relayed, expanded };
const char* action_name(DsnAction a);

struct PerMessageDsnFields {
  std::optional<std::string> original_envelope_id;  // §2.2.1, as written (case kept)
  TypedValue reporting_mta;                          // §2.2.2, required
  std::optional<TypedValue> dsn_gateway;             // §2.2.3
  std::optional<TypedValue> received_from_mta;       // §2.2.4
  std::optional<std::string> arrival_date;           // §2.2.5, the RFC 5322 date-time as written
  std::vector<DsnField> fields;                      // all of them, in order
};

struct PerRecipientDsnFields {
  std::optional<TypedValue> original_recipient;  // §2.3.1
  TypedValue final_recipient;                    // §2.3.2, required
  DsnAction action = DsnAction::failed;          // §2.3.3, required
  std::string status;                            // §2.3.4, required: "5.1.1"
  std::optional<TypedValue> remote_mta;          // §2.3.5
  std::optional<TypedValue> diagnostic_code;     // §2.3.6
  std::optional<std::string> last_attempt_date;  // §2.3.7
  std::optional<std::string> final_log_id;       // §2.3.8
  std::optional<std::string> will_retry_until;   // §2.3.9
  std::vector<DsnField> fields;                  // all of them, in order
};

struct DeliveryStatusNotification {
  PerMessageDsnFields per_message;
  std::vector<PerRecipientDsnFields> recipients;  // at least one
};

struct DeliveryStatusError {
  std::size_t line = 0;  // 1-based line of the body where it went wrong (0: the whole)
  std::string message;
};

// Reads a message/delivery-status body (transfer encoding already removed).
// On success `error` is empty.
std::optional<DeliveryStatusNotification> parse_delivery_status(std::string_view body,
                                                                const DeliveryStatusLimits& limits,
                                                                DeliveryStatusError& error);

// Writes one (CRLF line ends, fields folded at 78 where they have white space):
// the typed fields first in RFC 3464's order, then `fields` entries whose
// names are not among them (extension fields such as X400-*).
std::string write_delivery_status(const DeliveryStatusNotification& dsn);

// True for a status-code of RFC 3463 §2 (class 2, 4 or 5; subject and detail of 1-3 digits).
bool valid_status_code(std::string_view status);

// RFC 2156 §5.1.8.4: the X.411 non-delivery reason and diagnostic for a status.
// Codes the table does not list map as their "X.n.0" row, as the section allows;
// `positive` marks the rows that are "only used for positive reports" (X.1.5, X.6.4),
// which map as X.n.0 too when a failure carries them.
struct X411NonDelivery {
  int reason = 1;
  std::optional<int> diagnostic;
  bool positive = false;
};
X411NonDelivery non_delivery_of_status(std::string_view status);

}  // namespace mixer::mapping
