// p1/mts/mts.cpp: the four Ios run over the X.411 descriptions, and the
// named numbers of MTSAbstractService.
#include "p1/mts/mts.hpp"

#include "p1/mts/envelope.hpp"
#include "p1/mts/tree_io.hpp"

namespace mixer::p1::mts {

namespace names {
namespace {
const Named reason[] = {{0, "transfer-failure"}, {1, "unable-to-transfer"}, {2, "conversion-not-performed"},
                        {3, "physical-rendition-not-performed"}, {4, "physical-delivery-not-performed"},
                        {5, "restricted-delivery"}, {6, "directory-operation-unsuccessful"},
                        {7, "deferred-delivery-not-performed"}, {8, "transfer-failure-for-security-reason"}};
const Named diagnostic[] = {
    {0, "unrecognised-OR-name"}, {1, "ambiguous-OR-name"}, {2, "mts-congestion"}, {3, "loop-detected"},
    {4, "recipient-unavailable"}, {5, "maximum-time-expired"}, {6, "encoded-information-types-unsupported"},
    {7, "content-too-long"}, {8, "conversion-impractical"}, {9, "implicit-conversion-prohibited"},
    {10, "implicit-conversion-not-subscribed"}, {11, "invalid-arguments"}, {12, "content-syntax-error"},
    {13, "size-constraint-violation"}, {14, "protocol-violation"}, {15, "content-type-not-supported"},
    {16, "too-many-recipients"}, {17, "no-bilateral-agreement"}, {18, "unsupported-critical-function"},
    {19, "conversion-with-loss-prohibited"}, {20, "line-too-long"}, {21, "page-split"}, {22, "pictorial-symbol-loss"},
    {23, "punctuation-symbol-loss"}, {24, "alphabetic-character-loss"}, {25, "multiple-information-loss"},
    {26, "recipient-reassignment-prohibited"}, {27, "redirection-loop-detected"}, {28, "dl-expansion-prohibited"},
    {29, "no-dl-submit-permission"}, {30, "dl-expansion-failure"}, {31, "physical-rendition-attributes-not-supported"},
    {32, "undeliverable-mail-physical-delivery-address-incorrect"},
    {33, "undeliverable-mail-physical-delivery-office-incorrect-or-invalid"},
    {34, "undeliverable-mail-physical-delivery-address-incomplete"}, {35, "undeliverable-mail-recipient-unknown"},
    {36, "undeliverable-mail-recipient-deceased"}, {37, "undeliverable-mail-organization-expired"},
    {38, "undeliverable-mail-recipient-refused-to-accept"}, {39, "undeliverable-mail-recipient-did-not-claim"},
    {40, "undeliverable-mail-recipient-changed-address-permanently"},
    {41, "undeliverable-mail-recipient-changed-address-temporarily"},
    {42, "undeliverable-mail-recipient-changed-temporary-address"}, {43, "undeliverable-mail-new-address-unknown"},
    {44, "undeliverable-mail-recipient-did-not-want-forwarding"},
    {45, "undeliverable-mail-originator-prohibited-forwarding"}, {46, "secure-messaging-error"},
    {47, "unable-to-downgrade"}, {48, "unable-to-complete-transfer"}, {49, "transfer-attempts-limit-reached"},
    {50, "incorrect-notification-type"}, {51, "dl-expansion-prohibited-by-security-policy"},
    {52, "forbidden-alternate-recipient"}, {53, "security-policy-violation"}, {54, "security-services-refusal"},
    {55, "unauthorised-dl-member"}, {56, "unauthorised-dl-name"}, {57, "unauthorised-originally-intended-recipient-name"},
    {58, "unauthorised-originator-name"}, {59, "unauthorised-recipient-name"}, {60, "unreliable-system"},
    {61, "authentication-failure-on-subject-message"}, {62, "decryption-failed"}, {63, "decryption-key-unobtainable"},
    {64, "double-envelope-creation-failure"}, {65, "double-enveloping-message-restoring-failure"},
    {66, "failure-of-proof-of-message"}, {67, "integrity-failure-on-subject-message"}, {68, "invalid-security-label"},
    {69, "key-failure"}, {70, "mandatory-parameter-absence"}, {71, "operation-security-failure"},
    {72, "repudiation-failure-of-message"}, {73, "security-context-failure"}, {74, "token-decryption-failed"},
    {75, "token-error"}, {76, "unknown-security-label"}, {77, "unsupported-algorithm-identifier"},
    {78, "unsupported-security-policy"}};
const Named extension[] = {
    {1, "recipient-reassignment-prohibited"}, {2, "originator-requested-alternate-recipient"},
    {3, "dl-expansion-prohibited"}, {4, "conversion-with-loss-prohibited"}, {5, "latest-delivery-time"},
    {6, "requested-delivery-method"}, {7, "physical-forwarding-prohibited"}, {8, "physical-forwarding-address-request"},
    {9, "physical-delivery-modes"}, {10, "registered-mail-type"}, {11, "recipient-number-for-advice"},
    {12, "physical-rendition-attributes"}, {13, "originator-return-address"}, {14, "physical-delivery-report-request"},
    {15, "originator-certificate"}, {16, "message-token"}, {17, "content-confidentiality-algorithm-identifier"},
    {18, "content-integrity-check"}, {19, "message-origin-authentication-check"}, {20, "message-security-label"},
    {21, "proof-of-submission-request"}, {22, "proof-of-delivery-request"}, {23, "content-correlator"},
    {24, "probe-origin-authentication-check"}, {25, "redirection-history"}, {26, "dl-expansion-history"},
    {27, "physical-forwarding-address"}, {28, "recipient-certificate"}, {29, "proof-of-delivery"},
    {30, "originator-and-DL-expansion-history"}, {31, "reporting-DL-name"}, {32, "reporting-MTA-certificate"},
    {33, "report-origin-authentication-check"}, {34, "originating-MTA-certificate"}, {35, "proof-of-submission"},
    {36, "forwarding-request"}, {37, "trace-information"}, {38, "internal-trace-information"}, {39, "reporting-MTA-name"},
    {40, "multiple-originator-certificates"}, {42, "dl-exempted-recipients"},
    {43, "body-part-encryption-token"}, {44, "forwarded-content-token"}, {45, "certificate-selectors"},
    {46, "certificate-selectors-override"}};
}  // namespace
const Names non_delivery_reason{reason};
const Names non_delivery_diagnostic{diagnostic};
const Names standard_extension{extension};
}  // namespace names

const char* extension_name(std::int64_t standard) {
  for (const Named& n : names::standard_extension)
    if (n.value == standard) return n.name;
  return nullptr;
}

const char* extension_value_name(std::size_t index) {
  static constexpr const char* names[] = {
      "no value", "an ENUMERATED or INTEGER", "an ORName", "an ORAddress", "a LatestDeliveryTime",
      "a RequestedDeliveryMethod", "PhysicalDeliveryModes", "a RecipientNumberForAdvice",
      "PhysicalRenditionAttributes", "a ContentCorrelator", "a RedirectionHistory", "a DLExpansionHistory",
      "TraceInformation", "InternalTraceInformation", "a ReportingMTAName", "DLExemptedRecipients",
      "a SecurityLabel", "an AlgorithmIdentifier", "Certificates", "a Token", "a SIGNATURE",
      "ExtendedCertificates", "BodyPartTokens", "a ForwardedContentToken", "CertificateSelectors",
      "an encoding"};
  static_assert(std::size(names) == std::variant_size_v<ExtensionValue>);
  return index < std::size(names) ? names[index] : "?";
}

const Extension* find_extension(const Extensions& x, std::int64_t type) {
  for (const Extension& e : x)
    if (e.is(type)) return &e;
  return nullptr;
}

Extension* find_extension(Extensions& x, std::int64_t type) {
  return const_cast<Extension*>(find_extension(static_cast<const Extensions&>(x), type));
}

namespace {
template <class T>
struct RootName;
template <> struct RootName<MtsApdu> { static constexpr const char* value = "MTS-APDU"; };
template <> struct RootName<MessageTransferEnvelope> { static constexpr const char* value = "MessageTransferEnvelope"; };
template <> struct RootName<ProbeTransferEnvelope> { static constexpr const char* value = "ProbeTransferEnvelope"; };
template <> struct RootName<ReportTransferContent> { static constexpr const char* value = "ReportTransferContent"; };
template <> struct RootName<OrName> { static constexpr const char* value = "ORName"; };

struct Describe {
  template <class Io, class T>
  void operator()(Io& io, T& v) const { asn1(io, v); }
};
}  // namespace

template <TopLevel T>
Result<T> decode(ByteView in, const Limits& limits) {
  return decode_with<T>(in, limits, RootName<T>::value, Describe{});
}
template <TopLevel T>
Result<Bytes> encode(const T& v) {
  return encode_with(v, Describe{}, RootName<T>::value);
}
template <TopLevel T>
Node to_tree(const T& v) {
  return tree_with(v, RootName<T>::value, Describe{});
}
template <TopLevel T>
std::optional<std::string> from_tree(const Node& n, T& v) {
  return from_tree_with(n, v, Describe{});
}

#define MIXER_MTS_INSTANTIATE(T)                                 \
  template Result<T> decode<T>(ByteView, const Limits&);         \
  template Result<Bytes> encode<T>(const T&);                            \
  template Node to_tree<T>(const T&);                            \
  template std::optional<std::string> from_tree<T>(const Node&, T&);

MIXER_MTS_INSTANTIATE(MtsApdu)
MIXER_MTS_INSTANTIATE(MessageTransferEnvelope)
MIXER_MTS_INSTANTIATE(ProbeTransferEnvelope)
MIXER_MTS_INSTANTIATE(ReportTransferContent)
MIXER_MTS_INSTANTIATE(OrName)

}  // namespace mixer::p1::mts
