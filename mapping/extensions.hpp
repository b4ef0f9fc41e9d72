// mapping/extensions.hpp: the X.411 extensions and X.420 heading extensions
// the mapping engine reads and writes, by type: finding them, their
// criticality (RFC 2156 §5.3.6), their values, and building them. The one
// place that knows how p1/ holds extension values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "p1/ipms/types.hpp"
#include "p1/mts/types.hpp"

namespace mixer::mapping::ext {

namespace mts = p1::mts;
namespace ipms = p1::ipms;

// ---- X.411 ExtensionField

// The first standard extension of that type, or nullptr.
const mts::Extension* find(const mts::Extensions& list, std::int64_t standard);
// The standard type, or nullopt for a private extension (then `private_oid`).
std::optional<std::int64_t> standard_type(const mts::Extension& e);
std::optional<p1::ber::Oid> private_type(const mts::Extension& e);
// Marked critical for transfer or for delivery (Criticality bits 1, 2).
bool critical_for_transfer_or_delivery(const mts::Extension& e);

// Values (nullptr / nullopt when the extension holds another kind of value).
std::optional<std::int64_t> number(const mts::Extension& e);  // ENUMERATED / INTEGER values
const mts::Time* time(const mts::Extension& e);
const mts::OrName* or_name(const mts::Extension& e);
const mts::OrAddress* or_address(const mts::Extension& e);
const std::vector<mts::Redirection>* redirections(const mts::Extension& e);
const std::vector<mts::DlExpansion>* expansions(const mts::Extension& e);
const mts::InternalTraceInformation* internal_trace(const mts::Extension& e);
const mts::TraceInformation* trace(const mts::Extension& e);  // trace-information (37), a delivery envelope's
std::optional<std::string> correlator_text(const mts::Extension& e);  // ContentCorrelator ia5text
const std::vector<std::int64_t>* delivery_methods(const mts::Extension& e);
const std::string* teletex(const mts::Extension& e);  // recipient-number-for-advice

// Builders of standard extensions (criticality absent: the default).
mts::Extension make_number(std::int64_t standard, std::int64_t value);
mts::Extension make_time(std::int64_t standard, mts::Time t);
mts::Extension make_or_address(std::int64_t standard, mts::OrAddress a);
mts::Extension make_redirections(std::vector<mts::Redirection> r);
mts::Extension make_expansions(std::int64_t standard, std::vector<mts::DlExpansion> x);
mts::Extension make_internal_trace(mts::InternalTraceInformation t);
mts::Extension make_trace(mts::TraceInformation t);
mts::Extension make_correlator_text(std::string ia5);

// ---- X.420 IPMSExtension (heading extensions)

bool is(const ipms::IpmsExtension& e, const p1::ber::Oid& type);
const std::vector<std::string>* strings(const ipms::IpmsExtension& e);  // languages, rfc-822-field-list
std::optional<std::int64_t> number(const ipms::IpmsExtension& e);      // auto-submitted
std::optional<std::string> universal_text(const ipms::IpmsExtension& e);  // extended-subject (UTF-8)

ipms::IpmsExtension make_strings(const p1::ber::Oid& type, std::vector<std::string> values);
ipms::IpmsExtension make_number(const p1::ber::Oid& type, std::int64_t value);
ipms::IpmsExtension make_null(const p1::ber::Oid& type);

// ---- RFC 2156 §5.1.8.2 MTS extensions (Appendix D: mixer-core = 1.3.6.1.7.1.3), private
// extensions whose value is an RFC822FieldList (SEQUENCE OF IA5String), held as its encoding.

inline const p1::ber::Oid dsn_header_list{1, 3, 6, 1, 7, 1, 3, 3};  // id-dsn-header-list {mixer-core 3}
inline const p1::ber::Oid dsn_field_list{1, 3, 6, 1, 7, 1, 3, 4};   // id-dsn-field-list {mixer-core 4}

// A private extension of `type` whose value is the RFC822FieldList `fields` (each IA5, unfolded:
// the caller's to ensure), criticality absent (non-critical: a peer may ignore it).
mts::Extension make_field_list(const p1::ber::Oid& type, const std::vector<std::string>& fields);
// The first private extension of `type` in `list`, or nullptr.
const mts::Extension* find_private(const mts::Extensions& list, const p1::ber::Oid& type);
// Reads an RFC822FieldList value from a peer (untrusted): at most `max_fields` fields, IA5 only.
// nullopt with `error` set when the value is absent or not a well-formed list within the limits.
std::optional<std::vector<std::string>> field_list(const mts::Extension& e, std::string& error,
                                                   std::size_t max_fields = 1000);

}  // namespace mixer::mapping::ext
