// p1/ipms/ipms.cpp: the four Ios over the X.420 descriptions, the object
// identifiers of the extended body parts, and the P2 (1984) subset check.
#include "p1/ipms/ipms.hpp"

#include "p1/ipms/body.hpp"
#include "p1/mts/tree_io.hpp"

namespace mixer::p1::ipms {

namespace {

// Basic kind <-> id-et-n / id-ep-n (IPMSExtendedBodyPartTypes); -1: none.
struct KindOids {
  int kind;
  int et;
  int ep;
};
constexpr KindOids kind_oids[] = {
    {BodyPart::ia5_text, 0, 0},        {BodyPart::g3_facsimile, 2, 2},      {BodyPart::g4_class1, 3, -1},
    {BodyPart::teletex, 4, 4},         {BodyPart::videotex, 5, 5},          {BodyPart::encrypted, 6, 6},
    {BodyPart::message, 7, 7},         {BodyPart::mixed_mode, 8, -1},       {BodyPart::bilaterally_defined, 9, -1},
    {BodyPart::nationally_defined, 10, -1}, {BodyPart::general_text, 11, 11}, {BodyPart::file_transfer, 12, 12},
    {BodyPart::voice, 16, 16},         {BodyPart::report, 14, -1},          {BodyPart::notification, 15, 15}};

bool under(const Oid& o, const Oid& prefix) {
  return o.arcs.size() > prefix.arcs.size() && std::equal(prefix.arcs.begin(), prefix.arcs.end(), o.arcs.begin());
}

Oid with_suffix(Oid prefix, const Oid& suffix) {
  prefix.arcs.insert(prefix.arcs.end(), suffix.arcs.begin(), suffix.arcs.end());
  return prefix;
}

}  // namespace

bool has_parameters(int kind) {
  for (const KindOids& k : kind_oids)
    if (k.kind == kind) return k.ep >= 0;
  return kind == BodyPart::forwarded_content || kind == BodyPart::mime;
}

Oid data_oid(const BodyPart& v) {
  for (const KindOids& k : kind_oids)
    if (k.kind == v.kind) return oid::et(static_cast<std::uint32_t>(k.et));
  if (v.kind == BodyPart::forwarded_content) return with_suffix(oid::et(17), v.content_type_suffix);
  if (v.kind == BodyPart::mime) return oid::mime_bp_data;
  return v.data_type;
}

Oid parameters_oid(const BodyPart& v) {
  for (const KindOids& k : kind_oids)
    if (k.kind == v.kind && k.ep >= 0) return oid::ep(static_cast<std::uint32_t>(k.ep));
  if (v.kind == BodyPart::forwarded_content) return with_suffix(oid::ep(17), v.content_type_suffix);
  if (v.kind == BodyPart::mime) return oid::mime_bp_parameters;
  return v.parameters_type;
}

int kind_of_data_oid(const Oid& o, BodyPart& v) {
  for (const KindOids& k : kind_oids)
    if (o == oid::et(static_cast<std::uint32_t>(k.et))) return k.kind;
  if (under(o, oid::et(17))) {
    v.content_type_suffix = Oid(std::vector<std::uint32_t>(o.arcs.begin() + 5, o.arcs.end()));
    return BodyPart::forwarded_content;
  }
  if (o == oid::mime_bp_data) return BodyPart::mime;
  return BodyPart::other_extended;
}

int kind_of_parameters_oid(const Oid& o, BodyPart& v) {
  for (const KindOids& k : kind_oids)
    if (k.ep >= 0 && o == oid::ep(static_cast<std::uint32_t>(k.ep))) return k.kind;
  if (under(o, oid::ep(17))) {
    v.content_type_suffix = Oid(std::vector<std::uint32_t>(o.arcs.begin() + 5, o.arcs.end()));
    return BodyPart::forwarded_content;
  }
  if (o == oid::mime_bp_parameters) return BodyPart::mime;
  return BodyPart::other_extended;
}

namespace {

template <class T>
struct RootName;
template <> struct RootName<InformationObject> { static constexpr const char* value = "InformationObject"; };
template <> struct RootName<Ipm> { static constexpr const char* value = "IPM"; };
template <> struct RootName<Ipn> { static constexpr const char* value = "IPN"; };
template <> struct RootName<Heading> { static constexpr const char* value = "Heading"; };
template <> struct RootName<BodyPart> { static constexpr const char* value = "BodyPart"; };

struct Describe {
  template <class Io, class T>
  void operator()(Io& io, T& v) const { asn1(io, v); }
};

std::optional<std::string> check_1984(const Ipm& m);

std::optional<std::string> check_1984_body(const std::vector<BodyPart>& body) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    const BodyPart& b = body[i];
    std::string at = "body[" + std::to_string(i) + "]";
    if (b.kind >= BodyPart::general_text || b.extended_form) return at + ": extended body part [15] (1988)";
    if (b.kind == BodyPart::mixed_mode || b.kind == BodyPart::bilaterally_defined)
      return at + ": body part type [" + std::to_string(b.kind) + "] is not in P2 (1984)";
    if (b.kind == BodyPart::message && !b.forwarded.empty())
      if (auto e = check_1984(b.forwarded[0])) return at + ".message: " + *e;
  }
  return std::nullopt;
}

std::optional<std::string> check_1984(const Ipm& m) {
  if (!m.heading.extensions.empty()) return std::string("heading.extensions [15] (1988)");
  for (const auto* list : {&m.heading.primary_recipients, &m.heading.copy_recipients, &m.heading.blind_copy_recipients})
    for (const RecipientSpecifier& r : *list)
      if (!r.recipient_extensions.empty()) return std::string("recipient-extensions [3] (1988)");
  return check_1984_body(m.body);
}

}  // namespace

std::optional<std::string> p2_1984_violation(const InformationObject& v) {
  if (const Ipm* m = std::get_if<Ipm>(&v)) return check_1984(*m);
  const Ipn& n = std::get<Ipn>(v);
  if (std::holds_alternative<OtherNotificationTypeFields>(n.fields)) return std::string("other-notification-type-fields (1992)");
  const auto* nrn = std::get_if<NonReceiptFields>(&n.fields);
  const auto* rn = std::get_if<ReceiptFields>(&n.fields);
  if (!n.common.notification_extensions.empty() || (nrn && !nrn->nrn_extensions.empty()) || (rn && !rn->rn_extensions.empty()))
    return std::string("IPN extensions (1988)");
  return std::nullopt;
}

template <TopLevel T>
Result<T> decode(mts::ByteView in, const Limits& limits) {
  return mts::decode_with<T>(in, limits, RootName<T>::value, Describe{});
}
template <TopLevel T>
Result<Bytes> encode(const T& v) {
  return mts::encode_with(v, Describe{}, RootName<T>::value);
}
template <TopLevel T>
Node to_tree(const T& v) {
  return mts::tree_with(v, RootName<T>::value, Describe{});
}
template <TopLevel T>
std::optional<std::string> from_tree(const Node& n, T& v) {
  return mts::from_tree_with(n, v, Describe{});
}

#define MIXER_IPMS_INSTANTIATE(T)                                  \
  template Result<T> decode<T>(mts::ByteView, const Limits&);      \
  template Result<Bytes> encode<T>(const T&);                              \
  template Node to_tree<T>(const T&);                              \
  template std::optional<std::string> from_tree<T>(const Node&, T&);

MIXER_IPMS_INSTANTIATE(InformationObject)
MIXER_IPMS_INSTANTIATE(Ipm)
MIXER_IPMS_INSTANTIATE(Ipn)
MIXER_IPMS_INSTANTIATE(Heading)
MIXER_IPMS_INSTANTIATE(BodyPart)

}  // namespace mixer::p1::ipms
