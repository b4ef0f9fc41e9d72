// mapping/dsn_fields.hpp: the parts of the X.400 report -> DSN mapping
// (RFC 2156 §5.3.8) shared by its files; not an API (engine.hpp is). The
// message/delivery-status fields of RFC 3464 with the MIXER extensions of
// §5.3.8.1, and the small text helpers both parts use. Values from the
// report are untrusted: everything written is ASCII, one line per field
// before folding.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/engine.hpp"
#include "mapping/trace.hpp"

namespace mixer::mapping::dsn {

// Text from the report as printable ASCII: controls and octets over 126 become '?'.
std::string ascii(std::string_view text);
// An X.411 time as an RFC 5322 date-time; nullopt when it is not a valid time.
std::optional<std::string> date_text(const p1::mts::Time& t);
// §4.3.5: the RFC 822 mailbox of an O/R name (IPMS role), or nullopt.
std::optional<std::string> rfc822_of(const p1::mts::OrName& n, const Context& ctx);
// The x400 address-type form: std-or, the directory name as a trailing comment (§5.3.8.1); nullopt without std-or text.
std::optional<std::string> x400_of(const p1::mts::OrName& n);
// RFC 822 word: an atom as it is, anything else a quoted-string (§5.3.8.1 mta-name, "MTA" word).
std::string word(std::string_view s);
// §5.3.8.1 report-point = [ "mta" mta-name "in" ] global-id, of a trace entry.
std::optional<std::string> report_point(const TraceEntry& e);

// §5.1.8.5: the dsn-header-list or dsn-field-list (§5.1.8.2) of a report that began as an
// Internet DSN, from the first of `lists` that has one; nullopt when none has, or when it is
// malformed (then a loss). Each field IA5 "Name: value"; the caller validates names.
std::optional<std::vector<std::string>> carried_dsn_list(std::initializer_list<const p1::mts::Extensions*> lists,
                                                         const p1::ber::Oid& type, std::vector<Loss>& losses);
// "Name: value" -> Name (empty without a colon).
std::string_view carried_name(std::string_view field);
// A carried value made safe to write: controls as spaces, octets over 126 as '?'.
std::string carried_value(std::string_view field);

// The per-message fields of the message/delivery-status part (RFC 3464
// §2.2 and §5.3.8.1's dr-per-message-fields), folded, CRLF after each.
// `report_trace`: the report's trace, oldest first.
// `subject`: the gateway's record of the reported message (its ENVID).
std::string per_message_fields(const p1::mts::Report& report, const std::vector<TraceEntry>& report_trace,
                               const Context& ctx, const ReportSubject& subject, std::vector<Loss>& losses);

// One recipient's fields (RFC 3464 §2.3, §5.3.8.1's dr-per-recipient-fields).
std::string per_recipient_fields(const p1::mts::PerRecipientReportTransferFields& r, const Context& ctx,
                                 const ReportSubject& subject, std::vector<Loss>& losses);

}  // namespace mixer::mapping::dsn
