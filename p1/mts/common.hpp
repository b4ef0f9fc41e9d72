// p1/mts/common.hpp: descriptions of the X.411 types shared by envelopes,
// reports and probes: MTSIdentifier, GlobalDomainIdentifier, EncodedInformation-
// Types, ContentType, TraceInformation, InternalTraceInformation, and the
// named numbers that make trees readable. Module: MTSAbstractService and
// MTAAbstractService (1999), IMPLICIT TAGS.
#pragma once

#include "p1/mts/or_name.hpp"
#include "p1/mts/types.hpp"

namespace mixer::p1::mts {

namespace names {
inline constexpr Named content_type[] = {{0, "unidentified"}, {1, "external"}, {2, "interpersonal-messaging-1984"},
                                         {22, "interpersonal-messaging-1988"}, {35, "edi-messaging"}, {40, "voice-messaging"}};
inline constexpr Named priority[] = {{0, "normal"}, {1, "non-urgent"}, {2, "urgent"}};
inline constexpr Named routing_action[] = {{0, "relayed"}, {1, "rerouted"}};
inline constexpr Named eits[] = {{0, "unknown"}, {1, "telex"}, {2, "ia5-text"}, {3, "g3-facsimile"}, {4, "g4-class-1"}, {5, "teletex"},
                                 {6, "videotex"}, {7, "voice"}, {8, "sfd"}, {9, "mixed-mode"}};
inline constexpr Named per_message_indicators[] = {{0, "disclosure-of-other-recipients"}, {1, "implicit-conversion-prohibited"},
                                                   {2, "alternate-recipient-allowed"}, {3, "content-return-request"},
                                                   {4, "reserved"}, {5, "bit-5"}, {6, "bit-6"}, {7, "service-message"}};
inline constexpr Named per_recipient_indicators[] = {{0, "responsibility"}, {1, "originating-MTA-report"},
                                                     {2, "originating-MTA-non-delivery-report"}, {3, "originator-report"},
                                                     {4, "originator-non-delivery-report"}};
inline constexpr Named other_actions[] = {{0, "redirected"}, {1, "dl-operation"}};
inline constexpr Named criticality[] = {{0, "for-submission"}, {1, "for-transfer"}, {2, "for-delivery"}};
inline constexpr Named type_of_mts_user[] = {{0, "public"}, {1, "private"}, {2, "ms"}, {3, "dl"}, {4, "pdau"},
                                             {5, "physical-recipient"}, {6, "other"}};
inline constexpr Named redirection_reason[] = {{0, "recipient-assigned-alternate-recipient"},
                                               {1, "originator-requested-alternate-recipient"},
                                               {2, "recipient-MD-assigned-alternate-recipient"}, {3, "directory-look-up"},
                                               {4, "alias"}};
inline constexpr Named security_classification[] = {{0, "unmarked"}, {1, "unclassified"}, {2, "restricted"},
                                                    {3, "confidential"}, {4, "secret"}, {5, "top-secret"}};
// G3FacsimileNonBasicParameters (T.30 bit numbers)
inline constexpr Named g3_facsimile_non_basic[] = {{8, "two-dimensional"}, {9, "fine-resolution"},
                                                   {20, "unlimited-length"}, {21, "b4-length"}, {22, "a3-width"},
                                                   {23, "b4-width"}, {25, "t6-coding"}, {30, "uncompressed"},
                                                   {37, "width-middle-864-of-1728"}, {38, "width-middle-1216-of-1728"},
                                                   {44, "resolution-type"}, {45, "resolution-400x400"},
                                                   {46, "resolution-300x300"}, {47, "resolution-8x15"},
                                                   {49, "edi"}, {50, "dtm"}, {51, "bft"}, {58, "mixed-mode"},
                                                   {60, "character-mode"}, {65, "processable-mode-26"}};
inline constexpr Named explicit_conversion[] = {{0, "ia5-text-to-teletex"}, {8, "ia5-text-to-g3-facsimile"},
                                                {9, "ia5-text-to-g4-class-1"}, {10, "ia5-text-to-videotex"},
                                                {11, "teletex-to-ia5-text"}, {12, "teletex-to-g3-facsimile"},
                                                {13, "teletex-to-g4-class-1"}, {14, "teletex-to-videotex"},
                                                {16, "videotex-to-ia5-text"}, {17, "videotex-to-teletex"}};
extern const Names non_delivery_reason;
extern const Names non_delivery_diagnostic;
extern const Names standard_extension;
}  // namespace names

const Bound ub_transfers{1, 512, "ub-transfers"};
const Bound ub_recipients{1, 32767, "ub-recipients"};
const Bound ub_extensions{0, 256, "ub-extension-types"};
const Bound ub_bit_options{0, 16, "ub-bit-options"};
const Bound ub_mta_name{1, 32, "ub-mta-name-length"};
// PP puts any character in content-identifier ("P1 beta->alpha", pp-p1-transfer-1988 frame 35).
const Bound ub_content_id{1, 16, "ub-content-id-length", true};

template <class Io>
void asn1(Io& io, GlobalDomainIdentifier& v) {
  io.constructed(application(3), Form::sequence, [&] {
    req(io, "country-name", {application(1)}, [&] {
      io.constructed(application(1), Form::sequence, [&] {
        numeric_or_printable(io, v.country, "x121-dcc-code", "iso-3166-alpha2-code",
                             Bound{3, 3, "ub-country-name-numeric-length"}, Bound{2, 2, "ub-country-name-alpha-length"});
      });
    });
    req(io, "administration-domain-name", {application(2)}, [&] {
      io.constructed(application(2), Form::sequence, [&] {
        numeric_or_printable(io, v.admd, "numeric", "printable", Bound{0, 16, "ub-domain-name-length"},
                             Bound{0, 16, "ub-domain-name-length"});
      });
    });
    std::optional<addressing::Text> prmd;
    if (v.prmd.present()) prmd = v.prmd;
    opt(io, "private-domain-identifier", {univ::numeric_string, univ::printable_string}, prmd, [&](addressing::Text& t) {
      numeric_or_printable(io, t, "numeric", "printable", Bound{1, 16, "ub-domain-name-length"},
                           Bound{1, 16, "ub-domain-name-length"});
    });
    if constexpr (Io::fills) {
      if (prmd) v.prmd = *prmd;
    }
  });
}

template <class Io>
void asn1(Io& io, MtsIdentifier& v) {
  io.constructed(application(4), Form::sequence, [&] {
    req(io, "global-domain-identifier", {application(3)}, [&] { asn1(io, v.global_domain_identifier); });
    req(io, "local-identifier", {univ::ia5_string}, [&] {
      io.text(v.local_identifier, univ::ia5_string, StringKind::ia5, Bound{1, 32, "ub-local-id-length"});
    });
  });
}

// TeletexNonBasicParameters ::= SET { graphic-character-sets [0] TeletexString OPTIONAL, ... }
template <class Io>
void asn1(Io& io, TeletexNonBasicParameters& v, Tag t = univ::set) {
  io.constructed(t, Form::set, [&] {
    auto text = [&](const char* name, std::uint32_t n, std::optional<std::string>& s) {
      opt(io, name, {context(n)}, s, [&](std::string& x) { io.text(x, context(n), StringKind::teletex); });
    };
    text("graphic-character-sets", 0, v.graphic_character_sets);
    text("control-character-sets", 1, v.control_character_sets);
    opt(io, "page-formats", {context(2)}, v.page_formats, [&](Bytes& b) { io.octets(b, context(2)); });
    text("miscellaneous-terminal-capabilities", 3, v.miscellaneous_terminal_capabilities);
    // "maximum ub-teletex-private-use-length octets" is a comment in the module, not a constraint
    opt(io, "private-use", {context(4)}, v.private_use, [&](Bytes& b) { io.octets(b, context(4)); });
  });
}

template <class Io>
void asn1(Io& io, EncodedInformationTypes& v, Tag t = application(5)) {
  io.constructed(t, Form::set, [&] {
    req(io, "built-in-encoded-information-types", {context(0)},
        [&] { io.bits(v.built_in, context(0), names::eits, Bound{0, 32, "ub-built-in-encoded-information-types"}); });
    opt(io, "g3-facsimile", {context(1)}, v.g3_facsimile,
        [&](BitString& b) { io.bits(b, context(1), names::g3_facsimile_non_basic); });
    opt(io, "teletex", {context(2)}, v.teletex, [&](TeletexNonBasicParameters& p) { asn1(io, p, context(2)); });
    opt_list(io, "extended-encoded-information-types", {context(4)}, v.extended, [&] {
      list(io, context(4), Form::set, v.extended, Bound{1, 1024, "ub-encoded-information-types"},
           [&](Oid& o) { io.oid(o); });
    });
  });
}

// ContentType ::= CHOICE { built-in BuiltInContentType, extended ExtendedContentType }
// (ExtendedContentType as OBJECT IDENTIFIER, 1988, or RELATIVE-OID, 1999)
template <class Io>
void asn1(Io& io, ContentType& v) {
  choice(io, v, [&](auto alt) {
    alt(index<0>, "built-in", {application(6)}, [&](BuiltInContentType& b) {
      io.integer(b.value, application(6), names::content_type);
      io.range(b.value, 0, 32767, "ub-built-in-content-type");
    });
    alt(index<1>, "extended", {univ::object_identifier}, [&](ExtendedContentType& e) { io.oid(e.oid); });
    alt(index<2>, "extended-relative", {univ::relative_oid},
        [&](ExtendedRelativeContentType& e) { io.octets(e.relative_oid, univ::relative_oid); });
  });
}

inline const Tags content_type_tags{application(6), univ::object_identifier, univ::relative_oid};

template <class Io>
void asn1_bits(Io& io, const char* name, std::uint32_t tag_number, std::optional<BitString>& v, Names n) {
  opt(io, name, {context(tag_number)}, v, [&](BitString& b) { io.bits(b, context(tag_number), n, ub_bit_options); });
}

// COMPONENTS OF AdditionalActions (in DomainSuppliedInformation / MTASuppliedInformation).
template <class Io>
void additional_actions(Io& io, AdditionalActions& v) {
  opt(io, "deferred-time", {context(1)}, v.deferred_time, [&](Time& t) { io.time(t, context(1)); });
  opt(io, "converted-encoded-information-types", {application(5)}, v.converted_encoded_information_types,
      [&](EncodedInformationTypes& e) { asn1(io, e); });
  asn1_bits(io, "other-actions", 3, v.other_actions, names::other_actions);
}

template <class Io>
void asn1(Io& io, TraceInformationElement& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "global-domain-identifier", {application(3)}, [&] { asn1(io, v.global_domain_identifier); });
    req(io, "domain-supplied-information", {univ::set}, [&] {
      DomainSuppliedInformation& d = v.domain_supplied_information;
      io.constructed(univ::set, Form::set, [&] {
        req(io, "arrival-time", {context(0)}, [&] { io.time(d.arrival_time, context(0)); });
        req(io, "routing-action", {context(2)}, [&] { io.integer(d.routing_action, context(2), names::routing_action); });
        opt(io, "attempted-domain", {application(3)}, d.attempted_domain,
            [&](GlobalDomainIdentifier& g) { asn1(io, g); });
        additional_actions(io, d.additional_actions);
        extension_additions(io, d.extension_additions);
      }, true);
    });
  });
}

// TraceInformation ::= [APPLICATION 9] SEQUENCE SIZE (1..ub-transfers) OF TraceInformationElement
template <class Io>
void trace_information(Io& io, TraceInformation& v, Tag t = application(9)) {
  list(io, t, Form::sequence, v, ub_transfers, [&](TraceInformationElement& e) { asn1(io, e); });
}

template <class Io>
void asn1(Io& io, InternalTraceInformationElement& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "global-domain-identifier", {application(3)}, [&] { asn1(io, v.global_domain_identifier); });
    req(io, "mta-name", {univ::ia5_string}, [&] { io.text(v.mta_name, univ::ia5_string, StringKind::ia5, ub_mta_name); });
    req(io, "mta-supplied-information", {univ::set}, [&] {
      MtaSuppliedInformation& m = v.mta_supplied_information;
      io.constructed(univ::set, Form::set, [&] {
        req(io, "arrival-time", {context(0)}, [&] { io.time(m.arrival_time, context(0)); });
        req(io, "routing-action", {context(2)}, [&] { io.integer(m.routing_action, context(2), names::routing_action); });
        // attempted CHOICE { mta MTAName, domain GlobalDomainIdentifier } OPTIONAL
        opt(io, "attempted", {univ::ia5_string, application(3)}, m.attempted, [&](AttemptedMtaOrDomain& a) {
          choice(io, a, [&](auto alt) {
            alt(index<0>, "mta", {univ::ia5_string},
                [&](MtaName& n) { io.text(n.name, univ::ia5_string, StringKind::ia5, ub_mta_name); });
            alt(index<1>, "domain", {application(3)}, [&](GlobalDomainIdentifier& g) { asn1(io, g); });
          });
        });
        additional_actions(io, m.additional_actions);
        extension_additions(io, m.extension_additions);
      }, true);
    });
  });
}

// SecurityLabel ::= SET { security-policy-identifier OID OPTIONAL, security-classification INTEGER OPTIONAL,
//                         privacy-mark PrintableString OPTIONAL, security-categories SET OF ... OPTIONAL }
template <class Io>
void asn1(Io& io, SecurityLabel& v, Tag t = univ::set) {
  io.constructed(t, Form::set, [&] {
    opt(io, "security-policy-identifier", {univ::object_identifier}, v.security_policy_identifier,
        [&](Oid& o) { io.oid(o); });
    opt(io, "security-classification", {univ::integer}, v.security_classification, [&](std::int64_t& c) {
      io.integer(c, univ::integer, names::security_classification);
      io.range(c, 0, 256, "ub-integer-options");
    });
    opt(io, "privacy-mark", {univ::printable_string}, v.privacy_mark, [&](std::string& s) {
      io.text(s, univ::printable_string, StringKind::printable, Bound{1, 128, "ub-privacy-mark-length"});
    });
    opt_list(io, "security-categories", {univ::set}, v.security_categories, [&] {
      list(io, univ::set, Form::set, v.security_categories, Bound{1, 64, "ub-security-categories"},
           [&](SecurityCategory& c) {
             io.constructed(univ::sequence, Form::sequence, [&] {
               req(io, "type", {context(0)}, [&] { io.oid(c.type, context(0)); });
               req(io, "value", {context(1)}, [&] { io.constructed(context(1), Form::sequence, [&] { io.raw(c.value); }); });
             });
           });
    });
  });
}

// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } (X.509), tagged t
template <class Io>
void asn1(Io& io, AlgorithmIdentifier& v, Tag t = univ::sequence) {
  io.constructed(t, Form::sequence, [&] {
    req(io, "algorithm", {univ::object_identifier}, [&] { io.oid(v.algorithm); });
    opt(io, "parameters", Tags::anything(), v.parameters, [&](Bytes& b) { io.raw(b); });
  });
}

}  // namespace mixer::p1::mts
