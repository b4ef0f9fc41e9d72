// mapping/extensions.cpp: see the header.
#include "mapping/extensions.hpp"

namespace mixer::mapping::ext {

const mts::Extension* find(const mts::Extensions& list, std::int64_t standard) {
  for (const auto& e : list)
    if (e.type_which == 0 && e.standard == standard) return &e;
  return nullptr;
}

std::optional<std::int64_t> standard_type(const mts::Extension& e) {
  if (e.type_which != 0) return std::nullopt;
  return e.standard;
}

std::optional<p1::ber::Oid> private_type(const mts::Extension& e) {
  if (e.type_which == 0) return std::nullopt;
  return e.private_oid;
}

bool critical_for_transfer_or_delivery(const mts::Extension& e) {
  return e.criticality && (e.criticality->test(1) || e.criticality->test(2));
}

namespace {
bool is_type(const mts::Extension& e, std::initializer_list<std::int64_t> types) {
  if (e.type_which != 0 || !e.has_value) return false;
  for (auto t : types)
    if (e.standard == t) return true;
  return false;
}
}  // namespace

std::optional<std::int64_t> number(const mts::Extension& e) {
  if (!is_type(e, {mts::ext::recipient_reassignment_prohibited, mts::ext::dl_expansion_prohibited,
                   mts::ext::conversion_with_loss_prohibited, mts::ext::physical_forwarding_prohibited,
                   mts::ext::physical_forwarding_address_request, mts::ext::proof_of_submission_request,
                   mts::ext::proof_of_delivery_request, mts::ext::registered_mail_type,
                   mts::ext::physical_delivery_report_request, mts::ext::forwarding_request}))
    return std::nullopt;
  return e.number;
}

const mts::Time* time(const mts::Extension& e) {
  return is_type(e, {mts::ext::latest_delivery_time}) ? &e.time : nullptr;
}
const mts::OrName* or_name(const mts::Extension& e) {
  return is_type(e, {mts::ext::originator_requested_alternate_recipient, mts::ext::physical_forwarding_address,
                     mts::ext::reporting_dl_name})
             ? &e.name
             : nullptr;
}
const mts::OrAddress* or_address(const mts::Extension& e) {
  return is_type(e, {mts::ext::originator_return_address}) ? &e.address : nullptr;
}
const std::vector<mts::Redirection>* redirections(const mts::Extension& e) {
  return is_type(e, {mts::ext::redirection_history}) ? &e.redirections : nullptr;
}
const std::vector<mts::DlExpansion>* expansions(const mts::Extension& e) {
  return is_type(e, {mts::ext::dl_expansion_history, mts::ext::originator_and_dl_expansion_history}) ? &e.expansions
                                                                                                       : nullptr;
}
const mts::InternalTraceInformation* internal_trace(const mts::Extension& e) {
  return is_type(e, {mts::ext::internal_trace_information}) ? &e.internal_trace : nullptr;
}
std::optional<std::string> correlator_text(const mts::Extension& e) {
  if (!is_type(e, {mts::ext::content_correlator}) || e.correlator_which != 0) return std::nullopt;
  return e.correlator_text;
}
const std::vector<std::int64_t>* delivery_methods(const mts::Extension& e) {
  return is_type(e, {mts::ext::requested_delivery_method}) ? &e.methods : nullptr;
}
const std::string* teletex(const mts::Extension& e) {
  return is_type(e, {mts::ext::recipient_number_for_advice}) ? &e.text : nullptr;
}

namespace {
mts::Extension standard(std::int64_t t) {
  mts::Extension e;
  e.type_which = 0;
  e.standard = t;
  return e;
}
}  // namespace

mts::Extension make_number(std::int64_t type, std::int64_t value) {
  auto e = standard(type);
  e.number = value;
  return e;
}
mts::Extension make_time(std::int64_t type, mts::Time t) {
  auto e = standard(type);
  e.time = std::move(t);
  return e;
}
mts::Extension make_or_address(std::int64_t type, mts::OrAddress a) {
  auto e = standard(type);
  e.address = std::move(a);
  return e;
}
mts::Extension make_redirections(std::vector<mts::Redirection> r) {
  auto e = standard(mts::ext::redirection_history);
  e.redirections = std::move(r);
  return e;
}
mts::Extension make_expansions(std::int64_t type, std::vector<mts::DlExpansion> x) {
  auto e = standard(type);
  e.expansions = std::move(x);
  return e;
}
mts::Extension make_internal_trace(mts::InternalTraceInformation t) {
  auto e = standard(mts::ext::internal_trace_information);
  e.internal_trace = std::move(t);
  return e;
}
mts::Extension make_correlator_text(std::string ia5) {
  auto e = standard(mts::ext::content_correlator);
  e.correlator_which = 0;
  e.correlator_text = std::move(ia5);
  return e;
}

bool is(const ipms::IpmsExtension& e, const p1::ber::Oid& type) { return e.type == type; }

const std::vector<std::string>* strings(const ipms::IpmsExtension& e) {
  if (!e.has_value || !(e.type == ipms::oid::hex(1) || e.type == ipms::oid::rfc_822_field_list)) return nullptr;
  return &e.strings;
}
std::optional<std::int64_t> number(const ipms::IpmsExtension& e) {
  if (!e.has_value || !(e.type == ipms::oid::hex(2) || e.type == ipms::oid::rex(1))) return std::nullopt;
  return e.number;
}
std::optional<std::string> universal_text(const ipms::IpmsExtension& e) {
  if (!e.has_value || !(e.type == ipms::oid::hex(8) || e.type == ipms::oid::hex(11))) return std::nullopt;
  return e.universal.utf8;
}

ipms::IpmsExtension make_strings(const p1::ber::Oid& type, std::vector<std::string> values) {
  ipms::IpmsExtension e;
  e.type = type;
  e.strings = std::move(values);
  return e;
}
ipms::IpmsExtension make_number(const p1::ber::Oid& type, std::int64_t value) {
  ipms::IpmsExtension e;
  e.type = type;
  e.number = value;
  return e;
}
ipms::IpmsExtension make_null(const p1::ber::Oid& type) {
  ipms::IpmsExtension e;
  e.type = type;
  e.has_value = false;  // value DEFAULT NULL: absent
  return e;
}

}  // namespace mixer::mapping::ext
