// mapping/extensions.cpp: see the header.
#include "mapping/extensions.hpp"

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"

namespace mixer::mapping::ext {

const mts::Extension* find(const mts::Extensions& list, std::int64_t standard) {
  return mts::find_extension(list, standard);
}

std::optional<std::int64_t> standard_type(const mts::Extension& e) { return e.standard_type(); }

std::optional<p1::ber::Oid> private_type(const mts::Extension& e) {
  if (const auto* p = std::get_if<mts::PrivateExtension>(&e.type)) return p->type;
  return std::nullopt;
}

bool critical_for_transfer_or_delivery(const mts::Extension& e) {
  return e.criticality && (e.criticality->test(1) || e.criticality->test(2));
}

// The value of a standard extension of one of `types` as T (the alternative its type takes), or null.
namespace {
template <class T>
const T* value_of(const mts::Extension& e, std::initializer_list<std::int64_t> types) {
  const auto t = e.standard_type();
  if (!t) return nullptr;
  for (auto x : types)
    if (*t == x) return e.value_as<T>();
  return nullptr;
}
}  // namespace

std::optional<std::int64_t> number(const mts::Extension& e) {
  const auto* n = value_of<std::int64_t>(
      e, {mts::ext::recipient_reassignment_prohibited, mts::ext::dl_expansion_prohibited,
          mts::ext::conversion_with_loss_prohibited, mts::ext::physical_forwarding_prohibited,
          mts::ext::physical_forwarding_address_request, mts::ext::proof_of_submission_request,
          mts::ext::proof_of_delivery_request, mts::ext::registered_mail_type,
          mts::ext::physical_delivery_report_request, mts::ext::forwarding_request});
  return n ? std::optional<std::int64_t>(*n) : std::nullopt;
}

const mts::Time* time(const mts::Extension& e) {
  const auto* t = value_of<mts::LatestDeliveryTime>(e, {mts::ext::latest_delivery_time});
  return t ? &t->time : nullptr;
}
const mts::OrName* or_name(const mts::Extension& e) {
  return value_of<mts::OrName>(e, {mts::ext::originator_requested_alternate_recipient, mts::ext::physical_forwarding_address,
                                   mts::ext::reporting_dl_name});
}
const mts::OrAddress* or_address(const mts::Extension& e) {
  return value_of<mts::OrAddress>(e, {mts::ext::originator_return_address});
}
const std::vector<mts::Redirection>* redirections(const mts::Extension& e) {
  return value_of<mts::RedirectionHistory>(e, {mts::ext::redirection_history});
}
const std::vector<mts::DlExpansion>* expansions(const mts::Extension& e) {
  return value_of<mts::DlExpansionHistory>(e, {mts::ext::dl_expansion_history, mts::ext::originator_and_dl_expansion_history});
}
const mts::InternalTraceInformation* internal_trace(const mts::Extension& e) {
  return value_of<mts::InternalTraceInformation>(e, {mts::ext::internal_trace_information});
}
const mts::TraceInformation* trace(const mts::Extension& e) {
  return value_of<mts::TraceInformation>(e, {mts::ext::trace_information});
}
std::optional<std::string> correlator_text(const mts::Extension& e) {
  const auto* c = value_of<mts::ContentCorrelator>(e, {mts::ext::content_correlator});
  if (const auto* text = c ? std::get_if<std::string>(c) : nullptr) return *text;  // ia5text
  return std::nullopt;
}
const std::vector<std::int64_t>* delivery_methods(const mts::Extension& e) {
  const auto* m = value_of<mts::RequestedDeliveryMethod>(e, {mts::ext::requested_delivery_method});
  return m ? &m->methods : nullptr;
}
const std::string* teletex(const mts::Extension& e) {
  const auto* r = value_of<mts::RecipientNumberForAdvice>(e, {mts::ext::recipient_number_for_advice});
  return r ? &r->teletex : nullptr;
}

mts::Extension make_number(std::int64_t type, std::int64_t value) { return mts::Extension::standard(type, value); }
mts::Extension make_time(std::int64_t type, mts::Time t) {
  return mts::Extension::standard(type, mts::LatestDeliveryTime{std::move(t)});
}
mts::Extension make_or_address(std::int64_t type, mts::OrAddress a) { return mts::Extension::standard(type, std::move(a)); }
mts::Extension make_redirections(std::vector<mts::Redirection> r) {
  return mts::Extension::standard(mts::ext::redirection_history, std::move(r));
}
mts::Extension make_expansions(std::int64_t type, std::vector<mts::DlExpansion> x) {
  return mts::Extension::standard(type, std::move(x));
}
mts::Extension make_internal_trace(mts::InternalTraceInformation t) {
  return mts::Extension::standard(mts::ext::internal_trace_information, std::move(t));
}
mts::Extension make_trace(mts::TraceInformation t) {
  return mts::Extension::standard(mts::ext::trace_information, std::move(t));
}
mts::Extension make_correlator_text(std::string ia5) {
  return mts::Extension::standard(mts::ext::content_correlator, mts::ContentCorrelator{std::move(ia5)});
}

bool is(const ipms::IpmsExtension& e, const p1::ber::Oid& type) { return e.type == type; }

const std::vector<std::string>* strings(const ipms::IpmsExtension& e) {
  if (e.type == ipms::oid::hex(1))
    if (const auto* l = e.value_as<ipms::Languages>()) return &l->languages;
  if (e.type == ipms::oid::rfc_822_field_list)
    if (const auto* f = e.value_as<ipms::Rfc822FieldList>()) return &f->fields;
  return nullptr;
}
std::optional<std::int64_t> number(const ipms::IpmsExtension& e) {
  if (!(e.type == ipms::oid::hex(2) || e.type == ipms::oid::rex(1))) return std::nullopt;
  const auto* n = e.value_as<std::int64_t>();
  return n ? std::optional<std::int64_t>(*n) : std::nullopt;
}
std::optional<std::string> universal_text(const ipms::IpmsExtension& e) {
  if (!(e.type == ipms::oid::hex(8) || e.type == ipms::oid::hex(11))) return std::nullopt;
  const auto* u = e.value_as<p1::mts::UniversalOrBmp>();
  return u ? std::optional<std::string>(u->utf8) : std::nullopt;
}

ipms::IpmsExtension make_strings(const p1::ber::Oid& type, std::vector<std::string> values) {
  ipms::IpmsExtension e;
  e.type = type;
  // languages (id-hex-1) is a SET OF Language; rfc-822-field-list a SEQUENCE OF RFC822Field
  if (type == ipms::oid::hex(1)) e.value = ipms::Languages{std::move(values)};
  else e.value = ipms::Rfc822FieldList{std::move(values)};
  return e;
}
ipms::IpmsExtension make_number(const p1::ber::Oid& type, std::int64_t value) {
  ipms::IpmsExtension e;
  e.type = type;
  e.value = value;
  return e;
}
ipms::IpmsExtension make_null(const p1::ber::Oid& type) {
  ipms::IpmsExtension e;
  e.type = type;  // value DEFAULT NULL: left out (mts::AbsentValue)
  return e;
}

mts::Extension make_field_list(const p1::ber::Oid& type, const std::vector<std::string>& fields) {
  p1::ber::Writer w;
  w.sequence([&] {
    for (const auto& f : fields) w.string(f, p1::ber::univ::ia5_string);
  });
  mts::Extension e;
  e.type = mts::PrivateExtension{type};
  e.value = mts::EncodedValue{w.take()};
  return e;
}

const mts::Extension* find_private(const mts::Extensions& list, const p1::ber::Oid& type) {
  for (const auto& e : list)
    if (const auto* p = std::get_if<mts::PrivateExtension>(&e.type); p && p->type == type) return &e;
  return nullptr;
}

std::optional<std::vector<std::string>> field_list(const mts::Extension& e, std::string& error, std::size_t max_fields) {
  const auto* v = e.value_as<mts::EncodedValue>();
  if (!v) {
    error = "no RFC822FieldList value";
    return std::nullopt;
  }
  std::vector<std::string> out;
  p1::ber::Limits limits;
  limits.max_size = 1u << 20;
  limits.max_depth = 4;  // a constructed IA5String inside the SEQUENCE at most
  bool too_many = false;
  auto failed = p1::ber::decode(p1::ber::ByteView(v->encoding.data(), v->encoding.size()), limits,
                                [&](p1::ber::Reader& r) {
                                  auto list = r.sequence();  // RFC822FieldList ::= SEQUENCE OF RFC822Field
                                  while (!list.at_end()) {
                                    if (out.size() == max_fields) {
                                      too_many = true;
                                      return;
                                    }
                                    out.push_back(list.string(p1::ber::univ::ia5_string, p1::ber::Charset::ia5));
                                  }
                                  list.end();
                                  r.end();
                                });
  if (failed || too_many) {
    error = failed ? "RFC822FieldList: " + failed->what
                   : "RFC822FieldList of more than " + std::to_string(max_fields) + " fields";
    return std::nullopt;
  }
  return out;
}

}  // namespace mixer::mapping::ext
