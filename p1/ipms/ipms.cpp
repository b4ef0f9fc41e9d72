// p1/ipms/ipms.cpp: the four Ios over the X.420 descriptions, the object
// identifiers of the extended body parts, and the P2 (1984) subset check.
#include "p1/ipms/ipms.hpp"

#include "p1/ipms/body.hpp"
#include "p1/mts/tree_io.hpp"

namespace mixer::p1::ipms {

namespace {

// The id-et-n / id-ep-n (IPMSExtendedBodyPartTypes, IPMSForwardedReportBodyPartType) of each
// BodyPartType alternative, by its index; -1: none. Forwarded content (id-et/id-ep-content and
// the content type), MIME (RFC 2157) and unknown types have OIDs of their own.
struct ExtendedOids {
  int et;
  int ep;
};
constexpr ExtendedOids extended_oids[] = {
    {0, 0},    // Ia5TextBodyPart
    {-1, -1},  // Tlx1984BodyPart
    {-1, -1},  // Voice1984BodyPart
    {2, 2},    // G3FacsimileBodyPart
    {3, -1},   // G4Class1BodyPart
    {4, 4},    // TeletexBodyPart
    {5, 5},    // VideotexBodyPart
    {10, -1},  // NationallyDefinedBodyPart
    {6, 6},    // EncryptedBodyPart
    {7, 7},    // MessageBodyPart
    {-1, -1},  // Sfd1984BodyPart
    {8, -1},   // MixedModeBodyPart
    {9, -1},   // BilaterallyDefinedBodyPart
    {11, 11},  // GeneralTextBodyPart
    {16, 16},  // VoiceBodyPart
    {12, 12},  // FileTransferBodyPart
    {-1, -1},  // ForwardedContentBodyPart: id-et/id-ep-content (17) + the content type
    {-1, -1},  // MimeBodyPart: id-mime-bp-data / -parameters
    {15, 15},  // NotificationBodyPart
    {14, -1},  // ReportBodyPart
    {-1, -1},  // OtherExtendedBodyPart: its own
};
static_assert(std::size(extended_oids) == std::variant_size_v<BodyPartType>);
static_assert(mts::variant_index<ForwardedContentBodyPart, BodyPartType> == 16 &&
              mts::variant_index<MimeBodyPart, BodyPartType> == 17 &&
              mts::variant_index<NotificationBodyPart, BodyPartType> == 18 &&
              mts::variant_index<OtherExtendedBodyPart, BodyPartType> == 20);

bool under(const Oid& o, const Oid& prefix) {
  return o.arcs.size() > prefix.arcs.size() && std::equal(prefix.arcs.begin(), prefix.arcs.end(), o.arcs.begin());
}

Oid with_suffix(Oid prefix, const Oid& suffix) {
  prefix.arcs.insert(prefix.arcs.end(), suffix.arcs.begin(), suffix.arcs.end());
  return prefix;
}

Oid suffix_of(const Oid& o) { return Oid(std::vector<std::uint32_t>(o.arcs.begin() + 5, o.arcs.end())); }

// Emplaces the alternative `index` of t.
template <std::size_t... I>
void emplace_at(BodyPartType& t, std::size_t index, std::index_sequence<I...>) {
  ((index == I ? (void)t.emplace<I>() : (void)0), ...);
}
void emplace_at(BodyPartType& t, std::size_t index) {
  emplace_at(t, index, std::make_index_sequence<std::variant_size_v<BodyPartType>>{});
}

}  // namespace

const char* ipms_extension_value_name(std::size_t index) {
  static constexpr const char* names[] = {
      "no value",           "NULL",
      "an ENUMERATED or INTEGER", "Languages",
      "an AuthorizationTime", "a UniversalOrBMPString",
      "ManualHandlingInstructions", "an OBJECT IDENTIFIER",
      "DistributionCodes",  "InformationCategories",
      "a CirculationList",  "an IPMSecurityLabel",
      "BodyPartSignatures", "a RecipientSecurityRequest",
      "an IpnSecurityResponse", "an RFC822FieldList",
      "an encoding"};
  static_assert(std::size(names) == std::variant_size_v<IpmsExtensionValue>);
  return index < std::size(names) ? names[index] : "?";
}

const IpmsExtension* find_extension(const std::vector<IpmsExtension>& x, const Oid& type) {
  for (const IpmsExtension& e : x)
    if (e.type == type) return &e;
  return nullptr;
}

std::optional<Oid> data_oid(const BodyPart& v) {
  if (const auto* f = v.as<ForwardedContentBodyPart>()) return with_suffix(oid::et(17), f->content_type_suffix);
  if (v.as<MimeBodyPart>()) return oid::mime_bp_data;
  if (const auto* o = v.as<OtherExtendedBodyPart>()) return o->data_type;
  const int et = extended_oids[v.type.index()].et;
  if (et < 0) return std::nullopt;
  return oid::et(static_cast<std::uint32_t>(et));
}

std::optional<Oid> parameters_oid(const BodyPart& v) {
  if (const auto* f = v.as<ForwardedContentBodyPart>()) return with_suffix(oid::ep(17), f->content_type_suffix);
  if (v.as<MimeBodyPart>()) return oid::mime_bp_parameters;
  if (const auto* o = v.as<OtherExtendedBodyPart>()) return o->parameters_type;
  const int ep = extended_oids[v.type.index()].ep;
  if (ep < 0) return std::nullopt;
  return oid::ep(static_cast<std::uint32_t>(ep));
}

void type_of_parameters_oid(const Oid& o, BodyPartType& t) {
  for (std::size_t i = 0; i < std::size(extended_oids); ++i)
    if (extended_oids[i].ep >= 0 && o == oid::ep(static_cast<std::uint32_t>(extended_oids[i].ep))) return emplace_at(t, i);
  if (under(o, oid::ep(17))) {
    t.emplace<ForwardedContentBodyPart>().content_type_suffix = suffix_of(o);
  } else if (o == oid::mime_bp_parameters) {
    t.emplace<MimeBodyPart>();
  } else {
    t.emplace<OtherExtendedBodyPart>().parameters_type = o;
  }
}

void type_of_data_oid(const Oid& o, BodyPartType& t) {
  for (std::size_t i = 0; i < std::size(extended_oids); ++i)
    if (extended_oids[i].et >= 0 && o == oid::et(static_cast<std::uint32_t>(extended_oids[i].et))) return emplace_at(t, i);
  if (under(o, oid::et(17))) {
    t.emplace<ForwardedContentBodyPart>().content_type_suffix = suffix_of(o);
  } else if (o == oid::mime_bp_data) {
    t.emplace<MimeBodyPart>();
  } else {
    t.emplace<OtherExtendedBodyPart>().data_type = o;
  }
}

bool data_oid_agrees(const Oid& o, BodyPartType& t) {
  if (auto* x = std::get_if<OtherExtendedBodyPart>(&t)) {  // parameters of a type we do not know: any data
    x->data_type = o;
    return true;
  }
  if (auto* f = std::get_if<ForwardedContentBodyPart>(&t)) {
    if (!under(o, oid::et(17))) return false;
    f->content_type_suffix = suffix_of(o);  // the data's content type is the one written back
    return true;
  }
  if (std::holds_alternative<MimeBodyPart>(t)) return o == oid::mime_bp_data;
  const int et = extended_oids[t.index()].et;
  return et >= 0 && o == oid::et(static_cast<std::uint32_t>(et));
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

std::optional<std::string> check_1984(const Ipm& m, bool bp14);

std::optional<std::string> check_1984_body(const std::vector<BodyPart>& body, bool bp14) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    const BodyPart& b = body[i];
    std::string at = "body[" + std::to_string(i) + "]";
    if (b.extended()) return at + ": extended body part [15] (1988)";
    if (b.as<MixedModeBodyPart>()) return at + ": body part type [11] is not in P2 (1984)";
    if (b.as<BilaterallyDefinedBodyPart>() && !bp14) return at + ": body part type [14] is not in P2 (1984)";
    if (const auto* m = b.as<MessageBodyPart>())
      if (auto e = check_1984(*m->ipm, bp14)) return at + ".message: " + *e;
  }
  return std::nullopt;
}

std::optional<std::string> check_1984(const Ipm& m, bool bp14) {
  if (!m.heading.extensions.empty()) return std::string("heading.extensions [15] (1988)");
  static const std::vector<RecipientSpecifier> none;
  for (const auto* list : {&m.heading.primary_recipients, &m.heading.copy_recipients,
                           m.heading.blind_copy_recipients ? &*m.heading.blind_copy_recipients : &none})
    for (const RecipientSpecifier& r : *list)
      if (!r.recipient_extensions.empty()) return std::string("recipient-extensions [3] (1988)");
  return check_1984_body(m.body, bp14);
}

}  // namespace

std::optional<std::string> p2_1984_violation(const InformationObject& v, bool bp14) {
  if (const Ipm* m = std::get_if<Ipm>(&v)) return check_1984(*m, bp14);
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
