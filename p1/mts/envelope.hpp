// p1/mts/envelope.hpp: descriptions of ExtensionField{}, the transfer
// envelopes (MessageTransferEnvelope, ProbeTransferEnvelope,
// ReportTransferEnvelope), ReportTransferContent and MTS-APDU (X.411
// MTAAbstractService, X.419 MTSTransferProtocol; IMPLICIT TAGS). The
// extension's type decides its value's alternative: decoders take it,
// the encoder refuses a value holding another (value_of_type).
#pragma once

#include "p1/mts/common.hpp"
#include "p1/mts/security.hpp"

namespace mixer::p1::mts {

// The alternative T of an extension's value, which its type says it takes.
template <class T, class Io, class F>
void value_of_type(Io& io, Extension& e, F&& body) {
  alternative_of_type<T>(io, e.value, body, [&] {
    const auto t = e.standard_type();
    const char* name = t ? extension_name(*t) : nullptr;
    return (t ? "standard extension " + std::to_string(*t) : std::string("a private extension")) +
           (name ? std::string(" (") + name + ")" : std::string()) + " takes " +
           extension_value_name(variant_index<T, ExtensionValue>) + ", not " + extension_value_name(e.value.index());
  });
}

// The value of an extension, by its type (X.411 §§ "Extension Fields"; 43, 44 X.420).
template <class Io>
void extension_value(Io& io, Extension& v) {
  const auto standard = v.standard_type();
  if (!standard) return value_of_type<EncodedValue>(io, v, [&](EncodedValue& x) { io.raw(x.encoding); });
  auto number = [&](auto&& check) {
    value_of_type<std::int64_t>(io, v, [&](std::int64_t& n) { check(n); });
  };
  switch (*standard) {
    case ext::recipient_reassignment_prohibited:
    case ext::dl_expansion_prohibited:
    case ext::conversion_with_loss_prohibited:
    case ext::physical_forwarding_prohibited:
    case ext::physical_forwarding_address_request:
    case ext::proof_of_submission_request:
    case ext::proof_of_delivery_request:
      return number([&](std::int64_t& n) { io.integer(n, univ::enumerated); });
    case ext::registered_mail_type:
    case ext::physical_delivery_report_request:
      return number([&](std::int64_t& n) {
        io.integer(n);
        io.range(n, 0, 256, "ub-integer-options");
      });
    case ext::forwarding_request:  // X.413 SequenceNumber ::= INTEGER (0..ub-messages)
      return number([&](std::int64_t& n) {
        io.integer(n);
        io.range(n, 0, 2147483647, "ub-messages");
      });
    case ext::originator_requested_alternate_recipient:
    case ext::physical_forwarding_address:
    case ext::reporting_dl_name:
      return value_of_type<OrName>(io, v, [&](OrName& n) { asn1(io, n); });
    case ext::originator_return_address:
      return value_of_type<OrAddress>(io, v, [&](OrAddress& a) { asn1(io, a); });
    case ext::latest_delivery_time:
      return value_of_type<LatestDeliveryTime>(io, v, [&](LatestDeliveryTime& t) { io.time(t.time); });
    case ext::requested_delivery_method:
      return value_of_type<RequestedDeliveryMethod>(io, v, [&](RequestedDeliveryMethod& r) {
        list(io, univ::sequence, Form::sequence, r.methods, unbounded, [&](std::int64_t& m) {
          io.integer(m);
          io.range(m, 0, 256, "ub-integer-options");
        });
      });
    case ext::physical_delivery_modes:
      return value_of_type<PhysicalDeliveryModes>(
          io, v, [&](PhysicalDeliveryModes& m) { io.bits(m.modes, univ::bit_string, {}, ub_bit_options); });
    case ext::recipient_number_for_advice:
      return value_of_type<RecipientNumberForAdvice>(io, v, [&](RecipientNumberForAdvice& r) {
        io.text(r.teletex, univ::teletex_string, StringKind::teletex, Bound{1, 32, "ub-recipient-number-for-advice-length"});
      });
    case ext::physical_rendition_attributes:
      return value_of_type<PhysicalRenditionAttributes>(io, v, [&](PhysicalRenditionAttributes& p) { io.oid(p.oid); });
    case ext::content_correlator:
      return value_of_type<ContentCorrelator>(io, v, [&](ContentCorrelator& c) {
        choice(io, c, [&](auto alt) {
          alt(index<0>, "ia5text", {univ::ia5_string}, [&](std::string& t) { io.text(t, univ::ia5_string, StringKind::ia5); });
          alt(index<1>, "octets", {univ::octet_string}, [&](Bytes& o) { io.octets(o); });
        });
      });
    case ext::redirection_history:
      return value_of_type<RedirectionHistory>(io, v, [&](RedirectionHistory& h) {
        list(io, univ::sequence, Form::sequence, h, Bound{1, 512, "ub-redirections"}, [&](Redirection& r) {
          io.constructed(univ::sequence, Form::sequence, [&] {
            req(io, "intended-recipient-name", {univ::sequence}, [&] {
              io.constructed(univ::sequence, Form::sequence, [&] {
                req(io, "intended-recipient", {application(0)}, [&] { asn1(io, r.intended_recipient); });
                req(io, "redirection-time", {univ::utc_time}, [&] { io.time(r.redirection_time); });
              });
            });
            req(io, "redirection-reason", {univ::enumerated},
                [&] { io.integer(r.redirection_reason, univ::enumerated, names::redirection_reason); });
          });
        });
      });
    case ext::dl_expansion_history:
    case ext::originator_and_dl_expansion_history: {
      const bool dl = *standard == ext::dl_expansion_history;
      return value_of_type<DlExpansionHistory>(io, v, [&](DlExpansionHistory& h) {
        list(io, univ::sequence, Form::sequence, h,
             dl ? Bound{1, 512, "ub-dl-expansions"} : Bound{2, 513, "ub-orig-and-dl-expansions"}, [&](DlExpansion& x) {
               io.constructed(univ::sequence, Form::sequence, [&] {
                 req(io, dl ? "dl" : "originator-or-dl-name", {application(0)}, [&] { asn1(io, x.dl); });
                 req(io, dl ? "dl-expansion-time" : "origination-or-expansion-time", {univ::utc_time},
                     [&] { io.time(x.time); });
               });
             });
      });
    }
    case ext::trace_information:
      return value_of_type<TraceInformation>(io, v, [&](TraceInformation& t) { trace_information(io, t); });
    case ext::internal_trace_information:
      return value_of_type<InternalTraceInformation>(io, v, [&](InternalTraceInformation& t) {
        list(io, univ::sequence, Form::sequence, t, ub_transfers, [&](InternalTraceInformationElement& e) { asn1(io, e); });
      });
    case ext::reporting_mta_name:
      return value_of_type<ReportingMtaName>(io, v, [&](ReportingMtaName& r) {
        io.constructed(univ::sequence, Form::sequence, [&] {
          req(io, "domain", {application(3)}, [&] { asn1(io, r.domain); });
          req(io, "mta-name", {univ::ia5_string}, [&] { io.text(r.mta_name, univ::ia5_string, StringKind::ia5, ub_mta_name); });
          opt(io, "mta-directory-name", {context(0)}, r.mta_directory_name,
              [&](NameWire& n) { x509_name(io, n, context(0)); });
        });
      });
    case ext::message_security_label:
      return value_of_type<SecurityLabel>(io, v, [&](SecurityLabel& l) { asn1(io, l); });
    case ext::content_confidentiality_algorithm_identifier:
      return value_of_type<AlgorithmIdentifier>(io, v, [&](AlgorithmIdentifier& a) { asn1(io, a); });
    case ext::originator_certificate:
    case ext::recipient_certificate:
    case ext::reporting_mta_certificate:
    case ext::originating_mta_certificate:
      return value_of_type<Certificates>(io, v, [&](Certificates& c) { asn1(io, c); });
    case ext::message_token: return value_of_type<Token>(io, v, [&](Token& t) { asn1(io, t); });
    case ext::content_integrity_check:
    case ext::message_origin_authentication_check:
    case ext::probe_origin_authentication_check:
    case ext::proof_of_delivery:
    case ext::report_origin_authentication_check:
    case ext::proof_of_submission:
      return value_of_type<Signature>(io, v, [&](Signature& s) { asn1(io, s); });
    case ext::dl_exempted_recipients:
      return value_of_type<DlExemptedRecipients>(io, v, [&](DlExemptedRecipients& r) {
        list(io, univ::set, Form::set, r, unbounded, [&](OrName& n) { asn1(io, n); });
      });
    case ext::multiple_originator_certificates:
      return value_of_type<ExtendedCertificates>(
          io, v, [&](ExtendedCertificates& c) { extended_certificates(io, c, univ::set); });
    case ext::body_part_encryption_token:
      return value_of_type<BodyPartTokens>(io, v, [&](BodyPartTokens& t) { body_part_tokens(io, t); });
    case ext::forwarded_content_token:
      return value_of_type<ForwardedContentToken>(io, v, [&](ForwardedContentToken& t) { forwarded_content_token(io, t); });
    case ext::certificate_selectors:
    case ext::certificate_selectors_override: {
      const bool override_ = *standard == ext::certificate_selectors_override;
      return value_of_type<CertificateSelectors>(io, v, [&](CertificateSelectors& c) { asn1(io, c, override_); });
    }
    default:
      // types we do not know: the value's encoding, relayed unchanged.
      return value_of_type<EncodedValue>(io, v, [&](EncodedValue& x) { io.raw(x.encoding); });
  }
}

// ExtensionField{} ::= SEQUENCE { type ExtensionType, criticality [1] DEFAULT {}, value [2] DEFAULT NULL:NULL }
template <class Io>
void asn1(Io& io, Extension& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    io.detect_constructed(v.type_explicitly_tagged);
    io.meta_flag("type-explicitly-tagged", v.type_explicitly_tagged);
    auto type_choice = [&](Tag standard_tag, Tag private_tag) {
      choice(io, v.type, [&](auto alt) {
        alt(index<0>, "standard-extension", {standard_tag}, [&](StandardExtension& s) {
          io.integer(s.type, standard_tag, names::standard_extension);
          io.range(s.type, 0, 256, "ub-extension-types");
        });
        alt(index<1>, "private-extension", {private_tag}, [&](PrivateExtension& p) { io.oid(p.type, private_tag); });
      });
    };
    req(io, "type", {context(0), context(3)}, [&] {
      // PP writes `type [0] EXPLICIT CHOICE { INTEGER, OBJECT IDENTIFIER }` (P1-PRIMER §7.3).
      if (v.type_explicitly_tagged)
        io.constructed(context(0), Form::sequence, [&] { type_choice(univ::integer, univ::object_identifier); });
      else
        type_choice(context(0), context(3));
    });
    opt(io, "criticality", {context(1)}, v.criticality,
        [&](BitString& b) { io.bits(b, context(1), names::criticality, ub_bit_options); });
    if (io.field("value", {context(2)}, !std::holds_alternative<AbsentValue>(v.value))) {
      io.constructed(context(2), Form::sequence, [&] { extension_value(io, v); });
      io.leave();
    }
  });
}

template <class Io>
void extensions(Io& io, Extensions& v, std::uint32_t tag) {
  opt_list(io, "extensions", {context(tag)}, v, [&] {
    list(io, context(tag), Form::set, v, ub_extensions, [&](Extension& e) { asn1(io, e); });
  });
}

// PerDomainBilateralInformation ::= SEQUENCE { country-name CountryName, domain CHOICE {
//   administration-domain-name AdministrationDomainName, private-domain SEQUENCE {
//   administration-domain-name [0] AdministrationDomainName, private-domain-identifier [1]
//   PrivateDomainIdentifier } }, bilateral-information BILATERAL.&Type }
template <class Io>
void asn1(Io& io, PerDomainBilateralInformation& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "country-name", {application(1)}, [&] {
      io.constructed(application(1), Form::sequence, [&] {
        numeric_or_printable(io, v.country_name, "x121-dcc-code", "iso-3166-alpha2-code",
                             Bound{3, 3, "ub-country-name-numeric-length"}, Bound{2, 2, "ub-country-name-alpha-length"});
      });
    });
    const Bound dn{0, 16, "ub-domain-name-length"};
    req(io, "domain", {application(2), univ::sequence}, [&] {
      choice(io, v.domain, [&](auto alt) {
        alt(index<0>, "administration-domain-name", {application(2)}, [&](addressing::Text& admd) {
          io.constructed(application(2), Form::sequence,
                         [&] { numeric_or_printable(io, admd, "numeric", "printable", dn, dn); });
        });
        alt(index<1>, "private-domain", {univ::sequence}, [&](BilateralPrivateDomain& p) {
          io.constructed(univ::sequence, Form::sequence, [&] {
            req(io, "administration-domain-name", {context(0)}, [&] {
              io.constructed(context(0), Form::sequence,
                             [&] { numeric_or_printable(io, p.administration_domain_name, "numeric", "printable", dn, dn); });
            });
            req(io, "private-domain-identifier", {context(1)}, [&] {
              io.constructed(context(1), Form::sequence,
                             [&] { numeric_or_printable(io, p.private_domain_identifier, "numeric", "printable", dn, dn); });
            });
          });
        });
      });
    });
    req(io, "bilateral-information", Tags::anything(), [&] { io.raw(v.bilateral_information); });
  });
}

// The originator and content fields every message and probe envelope (transfer or
// submission) starts with, in one SET body.
template <class Io, class Env>
void originator_and_content(Io& io, Env& v) {
  req(io, "originator-name", {application(0)}, [&] { asn1(io, v.originator_name); });
  opt(io, "original-encoded-information-types", {application(5)}, v.original_encoded_information_types,
      [&](EncodedInformationTypes& e) { asn1(io, e); });
  req(io, "content-type", content_type_tags, [&] { asn1(io, v.content_type); });
  opt(io, "content-identifier", {application(10)}, v.content_identifier,
      [&](std::string& s) { io.text(s, application(10), StringKind::printable, ub_content_id); });
}

// The per-message fields messages and probes share, in one SET body.
template <class Io, class Env>
void per_message_common(Io& io, Env& v, MtsIdentifier& id, const char* id_name) {
  req(io, id_name, {application(4)}, [&] { asn1(io, id); });
  originator_and_content(io, v);
}

template <class Io>
void bilateral(Io& io, std::vector<PerDomainBilateralInformation>& v) {
  opt_list(io, "per-domain-bilateral-information", {context(1)}, v, [&] {
    list(io, context(1), Form::sequence, v, ub_transfers, [&](PerDomainBilateralInformation& b) { asn1(io, b); });
  });
}

template <class Io>
void asn1(Io& io, PerRecipientMessageTransferFields& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "recipient-name", {application(0)}, [&] { asn1(io, v.recipient_name); });
    req(io, "originally-specified-recipient-number", {context(0)}, [&] {
      io.integer(v.originally_specified_recipient_number, context(0));
      io.range(v.originally_specified_recipient_number, 1, 32767, "ub-recipients");
    });
    req(io, "per-recipient-indicators", {context(1)},
        [&] { io.bits(v.per_recipient_indicators, context(1), names::per_recipient_indicators, Bound{1, 16, "ub-bit-options"}); });
    opt(io, "explicit-conversion", {context(2)}, v.explicit_conversion,
        [&](std::int64_t& x) { io.integer(x, context(2), names::explicit_conversion); });
    extensions(io, v.extensions, 3);
  });
}

template <class Io>
void asn1(Io& io, MessageTransferEnvelope& v) {
  io.constructed(univ::set, Form::set, [&] {
    per_message_common(io, v, v.message_identifier, "message-identifier");
    opt(io, "priority", {application(7)}, v.priority,
        [&](std::int64_t& p) { io.integer(p, application(7), names::priority); });
    opt(io, "per-message-indicators", {application(8)}, v.per_message_indicators,
        [&](BitString& b) { io.bits(b, application(8), names::per_message_indicators, ub_bit_options); });
    opt(io, "deferred-delivery-time", {context(0)}, v.deferred_delivery_time, [&](Time& t) { io.time(t, context(0)); });
    bilateral(io, v.per_domain_bilateral_information);
    req(io, "trace-information", {application(9)}, [&] { trace_information(io, v.trace_information); });
    extensions(io, v.extensions, 3);
    req(io, "per-recipient-fields", {context(2)}, [&] {
      list(io, context(2), Form::sequence, v.per_recipient_fields, ub_recipients,
           [&](PerRecipientMessageTransferFields& r) { asn1(io, r); });
    });
  });
}

template <class Io>
void asn1(Io& io, Message& v) {
  req(io, "envelope", {univ::set}, [&] { asn1(io, v.envelope); });
  req(io, "content", {univ::octet_string}, [&] { io.octets(v.content); });
}

template <class Io>
void asn1(Io& io, ProbeTransferEnvelope& v, Tag t = univ::set) {
  io.constructed(t, Form::set, [&] {
    per_message_common(io, v, v.probe_identifier, "probe-identifier");
    opt(io, "content-length", {context(0)}, v.content_length, [&](std::int64_t& n) {
      io.integer(n, context(0));
      io.range(n, 0, 2147483647, "ub-content-length");
    });
    opt(io, "per-message-indicators", {application(8)}, v.per_message_indicators,
        [&](BitString& b) { io.bits(b, application(8), names::per_message_indicators, ub_bit_options); });
    bilateral(io, v.per_domain_bilateral_information);
    req(io, "trace-information", {application(9)}, [&] { trace_information(io, v.trace_information); });
    extensions(io, v.extensions, 3);
    req(io, "per-recipient-fields", {context(2)}, [&] {
      list(io, context(2), Form::sequence, v.per_recipient_fields, ub_recipients,
           [&](PerRecipientProbeTransferFields& r) { asn1(io, r); });
    });
  });
}

template <class Io>
void asn1(Io& io, ReportTransferEnvelope& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "report-identifier", {application(4)}, [&] { asn1(io, v.report_identifier); });
    req(io, "report-destination-name", {application(0)}, [&] { asn1(io, v.report_destination_name); });
    req(io, "trace-information", {application(9)}, [&] { trace_information(io, v.trace_information); });
    extensions(io, v.extensions, 1);
  });
}

// ReportType ::= CHOICE { delivery [0] DeliveryReport, non-delivery [1] NonDeliveryReport },
// as the [n]-tagged component of LastTraceInformation and PerRecipientReportDeliveryFields.
template <class Io>
void report_type(Io& io, ReportType& v, std::uint32_t n) {
  req(io, "report-type", {context(n)}, [&] {
    io.constructed(context(n), Form::sequence, [&] {
      choice(io, v, [&](auto alt) {
        alt(index<0>, "delivery", {context(0)}, [&](DeliveryReport& d) {
          io.constructed(context(0), Form::set, [&] {
            req(io, "message-delivery-time", {context(0)}, [&] { io.time(d.message_delivery_time, context(0)); });
            opt(io, "type-of-MTS-user", {context(1)}, d.type_of_mts_user, [&](std::int64_t& u) {
              io.integer(u, context(1), names::type_of_mts_user);
              io.range(u, 0, 256, "ub-mts-user-types");
            });
          });
        });
        alt(index<1>, "non-delivery", {context(1)}, [&](NonDeliveryReport& r) {
          io.constructed(context(1), Form::set, [&] {
            req(io, "non-delivery-reason-code", {context(0)}, [&] {
              io.integer(r.non_delivery_reason_code, context(0), names::non_delivery_reason);
              io.range(r.non_delivery_reason_code, 0, 32767, "ub-reason-codes");
            });
            opt(io, "non-delivery-diagnostic-code", {context(1)}, r.non_delivery_diagnostic_code, [&](std::int64_t& d) {
              io.integer(d, context(1), names::non_delivery_diagnostic);
              io.range(d, 0, 32767, "ub-diagnostic-codes");
            });
          });
        });
      });
    });
  });
}

template <class Io>
void asn1(Io& io, LastTraceInformation& v) {
  io.constructed(context(3), Form::set, [&] {
    req(io, "arrival-time", {context(0)}, [&] { io.time(v.arrival_time, context(0)); });
    opt(io, "converted-encoded-information-types", {application(5)}, v.converted_encoded_information_types,
        [&](EncodedInformationTypes& e) { asn1(io, e); });
    report_type(io, v.report_type, 1);
  });
}

template <class Io>
void asn1(Io& io, PerRecipientReportTransferFields& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "actual-recipient-name", {context(0)}, [&] { asn1(io, v.actual_recipient_name, context(0)); });
    req(io, "originally-specified-recipient-number", {context(1)}, [&] {
      io.integer(v.originally_specified_recipient_number, context(1));
      io.range(v.originally_specified_recipient_number, 1, 32767, "ub-recipients");
    });
    req(io, "per-recipient-indicators", {context(2)},
        [&] { io.bits(v.per_recipient_indicators, context(2), names::per_recipient_indicators, Bound{1, 16, "ub-bit-options"}); });
    req(io, "last-trace-information", {context(3)}, [&] { asn1(io, v.last_trace_information); });
    opt(io, "originally-intended-recipient-name", {context(4)}, v.originally_intended_recipient_name,
        [&](OrName& n) { asn1(io, n, context(4)); });
    opt(io, "supplementary-information", {context(5)}, v.supplementary_information, [&](std::string& s) {
      io.text(s, context(5), StringKind::printable, Bound{1, 256, "ub-supplementary-info-length"});
    });
    extensions(io, v.extensions, 6);
  });
}

template <class Io>
void asn1(Io& io, ReportTransferContent& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "subject-identifier", {application(4)}, [&] { asn1(io, v.subject_identifier); });
    opt_list(io, "subject-intermediate-trace-information", {application(9)}, v.subject_intermediate_trace_information,
             [&] { trace_information(io, v.subject_intermediate_trace_information); });
    opt(io, "original-encoded-information-types", {application(5)}, v.original_encoded_information_types,
        [&](EncodedInformationTypes& e) { asn1(io, e); });
    opt(io, "content-type", content_type_tags, v.content_type, [&](ContentType& c) { asn1(io, c); });
    opt(io, "content-identifier", {application(10)}, v.content_identifier,
        [&](std::string& s) { io.text(s, application(10), StringKind::printable, ub_content_id); });
    opt(io, "returned-content", {context(1)}, v.returned_content, [&](Bytes& b) { io.octets(b, context(1)); });
    opt(io, "additional-information", {context(2)}, v.additional_information,
        [&](Bytes& b) { io.constructed(context(2), Form::sequence, [&] { io.raw(b); }); });
    extensions(io, v.extensions, 3);
    req(io, "per-recipient-fields", {context(0)}, [&] {
      list(io, context(0), Form::sequence, v.per_recipient_fields, ub_recipients,
           [&](PerRecipientReportTransferFields& r) { asn1(io, r); });
    });
  });
}

template <class Io>
void asn1(Io& io, PerRecipientReportDeliveryFields& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "actual-recipient-name", {context(0)}, [&] { asn1(io, v.actual_recipient_name, context(0)); });
    report_type(io, v.report_type, 1);
    opt(io, "converted-encoded-information-types", {application(5)}, v.converted_encoded_information_types,
        [&](EncodedInformationTypes& e) { asn1(io, e); });
    opt(io, "originally-intended-recipient-name", {context(2)}, v.originally_intended_recipient_name,
        [&](OrName& n) { asn1(io, n, context(2)); });
    opt(io, "supplementary-information", {context(3)}, v.supplementary_information, [&](std::string& s) {
      io.text(s, context(3), StringKind::printable, Bound{1, 256, "ub-supplementary-info-length"});
    });
    extensions(io, v.extensions, 4);
  });
}

// ReportDeliveryArgument ::= SET { COMPONENTS OF ReportDeliveryEnvelope, returned-content [0] Content OPTIONAL }
template <class Io>
void asn1(Io& io, ReportDeliveryArgument& v, Tag t = univ::set) {
  io.constructed(t, Form::set, [&] {
    req(io, "subject-submission-identifier", {application(4)}, [&] { asn1(io, v.subject_submission_identifier); });
    opt(io, "content-identifier", {application(10)}, v.content_identifier,
        [&](std::string& s) { io.text(s, application(10), StringKind::printable, ub_content_id); });
    opt(io, "content-type", content_type_tags, v.content_type, [&](ContentType& c) { asn1(io, c); });
    opt(io, "original-encoded-information-types", {application(5)}, v.original_encoded_information_types,
        [&](EncodedInformationTypes& e) { asn1(io, e); });
    extensions(io, v.extensions, 1);
    req(io, "per-recipient-fields", {univ::sequence}, [&] {
      list(io, univ::sequence, Form::sequence, v.per_recipient_fields, ub_recipients,
           [&](PerRecipientReportDeliveryFields& r) { asn1(io, r); });
    });
    opt(io, "returned-content", {context(0)}, v.returned_content, [&](Bytes& b) { io.octets(b, context(0)); });
  });
}

template <class Io>
void asn1(Io& io, Report& v) {
  req(io, "envelope", {univ::set}, [&] { asn1(io, v.envelope); });
  req(io, "content", {univ::set}, [&] { asn1(io, v.content); });
}

// MTS-APDU ::= CHOICE { message [0] Message, probe [2] Probe, report [1] Report }
template <class Io>
void asn1(Io& io, MtsApdu& v) {
  choice(io, v, [&](auto alt) {
    alt(index<0>, "message", {context(0)},
        [&](Message& m) { io.constructed(context(0), Form::sequence, [&] { asn1(io, m); }); });
    alt(index<2>, "probe", {context(2)}, [&](Probe& p) { asn1(io, p, context(2)); });
    alt(index<1>, "report", {context(1)},
        [&](Report& r) { io.constructed(context(1), Form::sequence, [&] { asn1(io, r); }); });
  });
}

}  // namespace mixer::p1::mts
