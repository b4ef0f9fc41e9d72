// p1/ipms/heading.hpp: descriptions of the IPM heading (X.420
// IPMSInformationObjects Heading, IPMIdentifier, ORDescriptor,
// RecipientSpecifier, IPMSExtension{}) and the heading and recipient
// extensions of IPMSHeadingExtensions (the circulation list with its
// Checkmark), IPMSSecurityExtensions (recipient-security-request,
// ipn-security-response) and RFC 2156 (rfc-822-field-list).
// IMPLICIT TAGS; subject is [8] EXPLICIT.
#pragma once

#include "p1/ipms/types.hpp"
#include "p1/mts/common.hpp"
#include "p1/mts/security.hpp"

namespace mixer::p1::ipms {

using mts::Bound;
using mts::context;
using mts::application;
using mts::Form;
using mts::Named;
using mts::StringKind;
using mts::Tag;
using mts::Tags;
using mts::choice;
using mts::index;
using mts::list;
using mts::opt;
using mts::opt_list;
using mts::req;
namespace univ = mts::univ;

namespace names {
inline constexpr Named importance[] = {{0, "low"}, {1, "normal"}, {2, "high"}};
inline constexpr Named sensitivity[] = {{1, "personal"}, {2, "private"}, {3, "company-confidential"}};
inline constexpr Named notification_requests[] = {{0, "rn"}, {1, "nrn"}, {2, "ipm-return"}, {3, "an-supported"},
                                                  {4, "suppress-an"}};
inline constexpr Named auto_submitted[] = {{0, "not-auto-submitted"}, {1, "auto-generated"}, {2, "auto-replied"}};
inline constexpr Named repertoire[] = {{2, "ita2"}, {5, "ia5"}};
inline constexpr Named non_receipt_reason[] = {{0, "ipm-discarded"}, {1, "ipm-auto-forwarded"}};
inline constexpr Named discard_reason[] = {{0, "ipm-expired"}, {1, "ipm-obsoleted"}, {2, "user-subscription-terminated"},
                                           {3, "not-used"}};
inline constexpr Named acknowledgment_mode[] = {{0, "manual"}, {1, "automatic"}};
inline constexpr Named videotex_syntax[] = {{0, "ids"}, {1, "data-syntax1"}, {2, "data-syntax2"}, {3, "data-syntax3"}};
inline constexpr Named recipient_security_request[] = {{0, "content-non-repudiation"}, {1, "content-proof"},
                                                       {2, "ipn-non-repudiation"}, {3, "ipn-proof"}};
inline constexpr Named security_diagnostic_code[] = {
    {0, "integrity-failure-on-subject-message"}, {1, "integrity-failure-on-forwarded-message"},
    {2, "moac-failure-on-subject-message"}, {3, "unsupported-security-policy"},
    {4, "unsupported-algorithm-identifier"}, {5, "decryption-failed"}, {6, "token-error"},
    {7, "unable-to-sign-notification"}, {8, "unable-to-sign-message-receipt"},
    {9, "authentication-failure-on-subject-message"}, {10, "security-context-failure-message"},
    {11, "message-sequence-failure"}, {12, "message-security-labelling-failure"},
    {13, "repudiation-failure-of-message"}, {14, "failure-of-proof-of-message"}, {15, "signature-key-unobtainable"},
    {16, "decryption-key-unobtainable"}, {17, "key-failure"}, {18, "unsupported-request-for-security-service"},
    {19, "inconsistent-request-for-security-service"}, {20, "ipn-non-repudiation-provided-instead-of-content-proof"},
    {21, "token-decryption-failed"}, {22, "double-enveloping-message-restoring-failure"},
    {23, "unauthorised-dl-member"}, {24, "reception-security-failure"}, {25, "unsuitable-alternate-recipient"},
    {26, "security-services-refusal"}, {27, "unauthorised-recipient"}, {28, "unknown-certification-authority-name"},
    {29, "unknown-dl-name"}, {30, "unknown-originator-name"}, {31, "unknown-recipient-name"},
    {32, "security-policy-violation"}};
}  // namespace names

// ORDescriptor ::= SET { formal-name ORName OPTIONAL, free-form-name [0], telephone-number [1] }
template <class Io>
void asn1(Io& io, OrDescriptor& v, Tag t = univ::set) {
  io.constructed(t, Form::set, [&] {
    opt(io, "formal-name", {application(0)}, v.formal_name, [&](OrName& n) { mts::asn1(io, n); });
    opt(io, "free-form-name", {context(0)}, v.free_form_name, [&](std::string& s) {
      io.text(s, context(0), StringKind::teletex, Bound{0, 64, "ub-free-form-name"});
    });
    opt(io, "telephone-number", {context(1)}, v.telephone_number, [&](std::string& s) {
      io.text(s, context(1), StringKind::printable, Bound{0, 32, "ub-telephone-number"});
    });
  });
}

template <class Io>
void asn1(Io& io, IpmIdentifier& v, Tag t = application(11)) {
  io.constructed(t, Form::set, [&] {
    opt(io, "user", {application(0)}, v.user, [&](OrName& n) { mts::asn1(io, n); });
    req(io, "user-relative-identifier", {univ::printable_string}, [&] {
      // Peers put any character here (PP: "(q)13361 Mon Nov 23 ...(q)(a)alpha.test" is clean, others are not).
      io.text(v.user_relative_identifier, univ::printable_string, StringKind::printable,
              Bound{0, 64, "ub-local-ipm-identifier", true});
    });
  });
}

template <class Io>
void asn1(Io& io, RecipientSpecifier& v, Tag t = univ::set);

template <class Io>
void extension_list(Io& io, std::vector<IpmsExtension>& v, Tag t);

// Checkmark ::= CHOICE { simple NULL, timestamped CirculationTime, signed CirculationSignature }, the
// signature SIGNED{ToBeSigned} ::= SEQUENCE { toBeSigned, COMPONENTS OF SIGNATURE{} } (X.509).
template <class Io>
void asn1(Io& io, Checkmark& c) {
  choice(io, c, [&](auto alt) {
    alt(index<0>, "simple", {univ::null}, [&](SimpleCheckmark&) { io.null(); });
    alt(index<1>, "timestamped", {univ::generalized_time},
        [&](CirculationTime& t) { io.time(t.time, univ::generalized_time); });
    alt(index<2>, "signed", {univ::sequence}, [&](CirculationSignature& s) {
      io.constructed(univ::sequence, Form::sequence, [&] {
        req(io, "toBeSigned", {univ::sequence}, [&] {
          io.constructed(univ::sequence, Form::sequence, [&] {
            req(io, "algorithm-identifier", {univ::sequence}, [&] { mts::asn1(io, s.algorithm_identifier); });
            req(io, "this-IPM", {application(11)}, [&] { asn1(io, s.this_ipm); });
            req(io, "timestamp", {univ::generalized_time}, [&] { io.time(s.timestamp, univ::generalized_time); });
          });
        });
        mts::signature_components(io, s.signature);
      });
    });
  });
}

// IpnSecurityResponse (IPMSSecurityExtensions): the checks are SIGNATURE{}s and the token
// a Token, implicitly tagged [0] / [1] / [2].
template <class Io>
void asn1(Io& io, IpnSecurityResponse& r) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "content-or-arguments", {univ::octet_string, univ::set}, [&] {
      choice(io, r.content_or_arguments, [&](auto alt) {
        alt(index<0>, "original-content", {univ::octet_string}, [&](Bytes& content) { io.octets(content); });
        alt(index<1>, "original-security-arguments", {univ::set}, [&](OriginalSecurityArguments& a) {
          io.constructed(univ::set, Form::set, [&] {
            opt(io, "original-content-integrity-check", {context(0)}, a.original_content_integrity_check,
                [&](mts::Signature& s) { mts::asn1(io, s, context(0)); });
            opt(io, "original-message-origin-authentication-check", {context(1)},
                a.original_message_origin_authentication_check, [&](mts::Signature& s) { mts::asn1(io, s, context(1)); });
            opt(io, "original-message-token", {context(2)}, a.original_message_token,
                [&](mts::Token& k) { mts::asn1(io, k, context(2)); });
          });
        });
      });
    });
    opt(io, "security-diagnostic-code", {univ::integer}, r.security_diagnostic_code,
        [&](std::int64_t& c) { io.integer(c, univ::integer, names::security_diagnostic_code); });
  });
}

// The alternative T of an IPMS extension's value, which its OID says it takes.
template <class T, class Io, class F>
void value_of_type(Io& io, IpmsExtension& e, F&& body) {
  mts::alternative_of_type<T>(io, e.value, body, [&] {
    return "IPMS extension " + e.type.to_string() + " takes " +
           ipms_extension_value_name(mts::variant_index<T, IpmsExtensionValue>) + ", not " +
           ipms_extension_value_name(e.value.index());
  });
}

// The value of an IPMS extension, by its OBJECT IDENTIFIER.
template <class Io>
void ipms_extension_value(Io& io, IpmsExtension& v) {
  const Oid& t = v.type;
  if (t == oid::hex(1)) {  // languages: SET OF Language
    return value_of_type<Languages>(io, v, [&](Languages& l) {
      list(io, univ::set, Form::set, l.languages, mts::unbounded,
           [&](std::string& s) { io.text(s, univ::printable_string, StringKind::printable, Bound{2, 5, nullptr}); });
    });
  }
  if (t == oid::rfc_822_field_list) {  // RFC 2156 Appendix L: SEQUENCE OF IA5String
    return value_of_type<Rfc822FieldList>(io, v, [&](Rfc822FieldList& f) {
      list(io, univ::sequence, Form::sequence, f.fields, mts::unbounded,
           [&](std::string& s) { io.text(s, univ::ia5_string, StringKind::ia5); });
    });
  }
  if (t == oid::hex(2))
    return value_of_type<std::int64_t>(io, v, [&](std::int64_t& n) { io.integer(n, univ::enumerated, names::auto_submitted); });
  if (t == oid::rex(1)) {  // precedence INTEGER (0..ub-precedence)
    return value_of_type<std::int64_t>(io, v, [&](std::int64_t& n) {
      io.integer(n);
      io.range(n, 0, 127, "ub-precedence");
    });
  }
  if (t == oid::hex(5))
    return value_of_type<AuthorizationTime>(io, v, [&](AuthorizationTime& a) { io.time(a.time, univ::generalized_time); });
  if (t == oid::hex(8))
    return value_of_type<UniversalOrBmp>(
        io, v, [&](UniversalOrBmp& u) { mts::asn1(io, u, Bound{1, 256, "ub-extended-subject-length"}); });
  if (t == oid::hex(11))
    return value_of_type<UniversalOrBmp>(
        io, v, [&](UniversalOrBmp& u) { mts::asn1(io, u, Bound{1, 64, "ub-originators-reference-length"}); });
  if (t == oid::hex(12)) return value_of_type<Oid>(io, v, [&](Oid& o) { io.oid(o); });
  if (t == oid::hex(10)) {
    return value_of_type<ManualHandlingInstructions>(io, v, [&](ManualHandlingInstructions& m) {
      list(io, univ::sequence, Form::sequence, m, Bound{1, 16, "ub-manual-handling-instructions"},
           [&](UniversalOrBmp& u) { mts::asn1(io, u, Bound{1, 128, "ub-manual-handling-instruction-length"}); });
    });
  }
  if (t == oid::hex(7)) {
    return value_of_type<DistributionCodes>(io, v, [&](DistributionCodes& codes) {
      list(io, univ::sequence, Form::sequence, codes, Bound{1, 16, "ub-distribution-codes"}, [&](DistributionCode& d) {
        io.constructed(univ::sequence, Form::sequence, [&] {
          opt(io, "oid-code", {univ::object_identifier}, d.oid_code, [&](Oid& o) { io.oid(o); });
          opt(io, "alphanumeric-code", {univ::set}, d.alphanumeric_code,
              [&](UniversalOrBmp& u) { mts::asn1(io, u, Bound{1, 16, "ub-alpha-code-length"}); });
          opt(io, "or-descriptor", {context(0)}, d.or_descriptor, [&](OrDescriptor& o) { asn1(io, o, context(0)); });
        });
      });
    });
  }
  if (t == oid::hex(9)) {
    return value_of_type<InformationCategories>(io, v, [&](InformationCategories& categories) {
      list(io, univ::sequence, Form::sequence, categories, Bound{1, 16, "ub-information-categories"},
           [&](InformationCategory& c) {
             io.constructed(univ::sequence, Form::sequence, [&] {
               opt(io, "reference", {context(0)}, c.reference, [&](Oid& o) { io.oid(o, context(0)); });
               opt(io, "description", {context(1)}, c.description, [&](UniversalOrBmp& u) {
                 mts::asn1(io, u, Bound{1, 64, "ub-information-category-length"}, context(1));
               });
             });
           });
    });
  }
  if (t == oid::hex(6)) {
    return value_of_type<CirculationList>(io, v, [&](CirculationList& members) {
      list(io, univ::sequence, Form::sequence, members, Bound{2, 256, "ub-circulation-list-members"},
           [&](CirculationMember& m) {
             io.constructed(univ::set, Form::set, [&] {
               req(io, "circulation-recipient", {univ::set}, [&] { asn1(io, m.circulation_recipient); });
               opt(io, "checked", {univ::null, univ::generalized_time, univ::sequence}, m.checked,
                   [&](Checkmark& c) { asn1(io, c); });
             });
           });
    });
  }
  if (t == oid::hex(4)) {  // IPMSecurityLabel
    return value_of_type<IpmSecurityLabel>(io, v, [&](IpmSecurityLabel& l) {
      io.constructed(univ::sequence, Form::sequence, [&] {
        req(io, "content-security-label", {context(0)}, [&] { mts::asn1(io, l.content_security_label, context(0)); });
        opt(io, "heading-security-label", {context(1)}, l.heading_security_label,
            [&](mts::SecurityLabel& h) { mts::asn1(io, h, context(1)); });
        opt_list(io, "body-part-security-labels", {context(2)}, l.body_part_security_labels, [&] {
          list(io, context(2), Form::sequence, l.body_part_security_labels, mts::unbounded, [&](BodyPartSecurityLabel& b) {
            // BodyPartSecurityLabel ::= CHOICE { body-part-unlabelled [0] NULL, body-part-security-label [1] }
            choice(io, b, [&](auto alt) {
              alt(index<0>, "body-part-unlabelled", {context(0)}, [&](BodyPartUnlabelled&) { io.null(context(0)); });
              alt(index<1>, "body-part-security-label", {context(1)},
                  [&](mts::SecurityLabel& x) { mts::asn1(io, x, context(1)); });
            });
          });
        });
      });
    });
  }
  if (t == oid::hex(3)) {  // BodyPartSignatures ::= SET OF SET {...}
    return value_of_type<BodyPartSignatures>(io, v, [&](BodyPartSignatures& signatures) {
      list(io, univ::set, Form::set, signatures, mts::unbounded, [&](BodyPartSignature& b) {
        io.constructed(univ::set, Form::set, [&] {
          req(io, "body-part-number", {univ::integer}, [&] {
            io.integer(b.body_part_number);
            io.range(b.body_part_number, 1, INT64_MAX, nullptr);
          });
          req(io, "body-part-signature", {univ::sequence}, [&] { mts::asn1(io, b.body_part_signature); });
          opt(io, "originator-certificate-selector", {context(1)}, b.originator_certificate_selector,
              [&](mts::CertificateAssertion& c) { mts::asn1(io, c, context(1)); });
          opt_list(io, "originator-certificates", {context(0)}, b.originator_certificates,
                   [&] { mts::extended_certificates(io, b.originator_certificates, context(0)); });
          mts::extension_additions(io, b.extension_additions);
        }, true);  // extensible: "..."
      });
    });
  }
  if (t == oid::sec(0))
    return value_of_type<RecipientSecurityRequest>(io, v, [&](RecipientSecurityRequest& r) {
      io.bits(r.requests, univ::bit_string, names::recipient_security_request);
    });
  if (t == oid::sec(1)) return value_of_type<IpnSecurityResponse>(io, v, [&](IpnSecurityResponse& r) { asn1(io, r); });
  if (t == oid::hex(0) || t == oid::rex(0))  // incomplete-copy, circulation-list-indicator
    return value_of_type<NullValue>(io, v, [&](NullValue&) { io.null(); });
  // private and unknown extensions: the encoding.
  value_of_type<mts::EncodedValue>(io, v, [&](mts::EncodedValue& x) { io.raw(x.encoding); });
}

// IPMSExtension{} ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY DEFAULT NULL }
template <class Io>
void asn1(Io& io, IpmsExtension& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "type", {univ::object_identifier}, [&] { io.oid(v.type); });
    if (io.field("value", Tags::anything(), !std::holds_alternative<mts::AbsentValue>(v.value))) {
      ipms_extension_value(io, v);
      io.leave();
    }
  });
}

template <class Io>
void extension_list(Io& io, std::vector<IpmsExtension>& v, Tag t) {
  list(io, t, Form::set, v, mts::unbounded, [&](IpmsExtension& e) { asn1(io, e); });
}

template <class Io>
void asn1(Io& io, RecipientSpecifier& v, Tag t) {
  io.constructed(t, Form::set, [&] {
    req(io, "recipient", {context(0)}, [&] { asn1(io, v.recipient, context(0)); });
    opt(io, "notification-requests", {context(1)}, v.notification_requests,
        [&](BitString& b) { io.bits(b, context(1), names::notification_requests); });
    opt(io, "reply-requested", {context(2)}, v.reply_requested, [&](bool& b) { io.boolean(b, context(2)); });
    opt_list(io, "recipient-extensions", {context(3)}, v.recipient_extensions,
             [&] { extension_list(io, v.recipient_extensions, context(3)); });
  });
}

template <class Io>
void descriptors(Io& io, const char* name, std::uint32_t n, std::vector<OrDescriptor>& v) {
  opt_list(io, name, {context(n)}, v, [&] {
    list(io, context(n), Form::sequence, v, mts::unbounded, [&](OrDescriptor& d) { asn1(io, d); });
  });
}

template <class Io>
void recipients(Io& io, const char* name, std::uint32_t n, std::vector<RecipientSpecifier>& v) {
  opt_list(io, name, {context(n)}, v, [&] {
    list(io, context(n), Form::sequence, v, mts::unbounded, [&](RecipientSpecifier& r) { asn1(io, r); });
  });
}

template <class Io>
void identifiers(Io& io, const char* name, std::uint32_t n, std::vector<IpmIdentifier>& v) {
  opt_list(io, name, {context(n)}, v, [&] {
    list(io, context(n), Form::sequence, v, mts::unbounded, [&](IpmIdentifier& i) { asn1(io, i); });
  });
}

template <class Io>
void asn1(Io& io, Heading& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "this-IPM", {application(11)}, [&] { asn1(io, v.this_ipm); });
    opt(io, "originator", {context(0)}, v.originator, [&](OrDescriptor& d) { asn1(io, d, context(0)); });
    descriptors(io, "authorizing-users", 1, v.authorizing_users);
    recipients(io, "primary-recipients", 2, v.primary_recipients);
    recipients(io, "copy-recipients", 3, v.copy_recipients);
    opt(io, "blind-copy-recipients", {context(4)}, v.blind_copy_recipients, [&](std::vector<RecipientSpecifier>& l) {
      list(io, context(4), Form::sequence, l, mts::unbounded, [&](RecipientSpecifier& r) { asn1(io, r); });
    });
    opt(io, "replied-to-IPM", {context(5)}, v.replied_to_ipm, [&](IpmIdentifier& i) { asn1(io, i, context(5)); });
    identifiers(io, "obsoleted-IPMs", 6, v.obsoleted_ipms);
    identifiers(io, "related-IPMs", 7, v.related_ipms);
    opt(io, "subject", {context(8)}, v.subject, [&](std::string& s) {
      io.constructed(context(8), Form::sequence,
                     [&] { io.text(s, univ::teletex_string, StringKind::teletex, Bound{0, 128, "ub-subject-field"}); });
    });
    opt(io, "expiry-time", {context(9)}, v.expiry_time, [&](Time& t) { io.time(t, context(9)); });
    opt(io, "reply-time", {context(10)}, v.reply_time, [&](Time& t) { io.time(t, context(10)); });
    descriptors(io, "reply-recipients", 11, v.reply_recipients);
    opt(io, "importance", {context(12)}, v.importance,
        [&](std::int64_t& x) { io.integer(x, context(12), names::importance); });
    opt(io, "sensitivity", {context(13)}, v.sensitivity,
        [&](std::int64_t& x) { io.integer(x, context(13), names::sensitivity); });
    opt(io, "auto-forwarded", {context(14)}, v.auto_forwarded, [&](bool& b) { io.boolean(b, context(14)); });
    opt_list(io, "extensions", {context(15)}, v.extensions, [&] { extension_list(io, v.extensions, context(15)); });
    mts::extension_additions(io, v.extension_additions);
  }, true);
}

}  // namespace mixer::p1::ipms
