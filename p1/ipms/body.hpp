// p1/ipms/body.hpp: descriptions of the IPM body (X.420 BodyPart: the basic
// types and ExtendedBodyPart{} with the standard id-et/id-ep types,
// general-text, voice, file-transfer (its parameters in ftbp.hpp), forwarded
// content, the RFC 2157 MIME body part, and the forwarded notification and
// report), IPM, IPN and InformationObject. IMPLICIT TAGS.
#pragma once

#include "p1/ipms/ftbp.hpp"
#include "p1/ipms/heading.hpp"
#include "p1/mts/envelope.hpp"
#include "p1/mts/submission.hpp"

namespace mixer::p1::ipms {

template <class Io>
void asn1(Io& io, Ipm& v, Tag t = univ::sequence);
template <class Io>
void asn1(Io& io, Ipn& v, Tag t = univ::set);

template <class Io>
void asn1(Io& io, OtherMessageDeliveryFields& v, Tag t) {
  io.constructed(t, Form::set, [&] {
    req(io, "content-type", {context(0), univ::object_identifier}, [&] {
      // DeliveredContentType ::= CHOICE { built-in [0] BuiltInContentType, extended ExtendedContentType }
      choice(io, v.content_type, [&](auto alt) {
        alt(index<0>, "built-in", {context(0)},
            [&](mts::BuiltInContentType& b) { io.integer(b.value, context(0), mts::names::content_type); });
        alt(index<1>, "extended", {univ::object_identifier}, [&](mts::ExtendedContentType& e) { io.oid(e.oid); });
      });
    });
    req(io, "originator-name", {application(0)}, [&] { mts::asn1(io, v.originator_name); });
    opt(io, "original-encoded-information-types", {context(1)}, v.original_encoded_information_types,
        [&](mts::EncodedInformationTypes& e) { mts::asn1(io, e, context(1)); });
    opt(io, "priority", {application(7)}, v.priority,
        [&](std::int64_t& p) { io.integer(p, application(7), mts::names::priority); });
    opt(io, "delivery-flags", {context(2)}, v.delivery_flags, [&](BitString& b) { io.bits(b, context(2)); });
    opt_list(io, "other-recipient-names", {context(3)}, v.other_recipient_names, [&] {
      list(io, context(3), Form::sequence, v.other_recipient_names, mts::ub_recipients, [&](OrName& n) { mts::asn1(io, n); });
    });
    req(io, "this-recipient-name", {context(4)}, [&] { mts::asn1(io, v.this_recipient_name, context(4)); });
    opt(io, "originally-intended-recipient-name", {context(5)}, v.originally_intended_recipient_name,
        [&](OrName& n) { mts::asn1(io, n, context(5)); });
    opt(io, "converted-encoded-information-types", {context(6)}, v.converted_encoded_information_types,
        [&](mts::EncodedInformationTypes& e) { mts::asn1(io, e, context(6)); });
    req(io, "message-submission-time", {context(7)}, [&] { io.time(v.message_submission_time, context(7)); });
    opt(io, "content-identifier", {context(8)}, v.content_identifier,
        [&](std::string& s) { io.text(s, context(8), StringKind::printable, mts::ub_content_id); });
    mts::extensions(io, v.extensions, 9);
  });
}

template <class Io>
void asn1(Io& io, MimeParameters& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "content-type", {univ::ia5_string}, [&] { io.text(v.content_type, univ::ia5_string, StringKind::ia5); });
    req(io, "content-parameters", {univ::sequence}, [&] {
      list(io, univ::sequence, Form::sequence, v.content_parameters, mts::unbounded,
           [&](std::pair<std::string, std::string>& p) {
             io.constructed(univ::sequence, Form::sequence, [&] {
               req(io, "parameter", {univ::ia5_string}, [&] { io.text(p.first, univ::ia5_string, StringKind::ia5); });
               req(io, "parameter-value", {univ::ia5_string}, [&] { io.text(p.second, univ::ia5_string, StringKind::ia5); });
             });
           });
    });
    req(io, "other-header-fields", {univ::sequence}, [&] {
      list(io, univ::sequence, Form::sequence, v.other_header_fields, mts::unbounded,
           [&](std::string& s) { io.text(s, univ::ia5_string, StringKind::ia5); });
    });
  });
}

// Whether a kind has parameters, and its data and parameter types (one place for both forms).
bool has_parameters(int kind);
Oid data_oid(const BodyPart& v);
Oid parameters_oid(const BodyPart& v);
// The kind an extended body part's data / parameters OBJECT IDENTIFIER names
// (other_extended if none); they set the content type suffix of forwarded content.
int kind_of_data_oid(const Oid& o, BodyPart& v);
int kind_of_parameters_oid(const Oid& o, BodyPart& v);

// The parameters of a body part kind (the basic type's `parameters`, or the BP15 [0] value).
template <class Io>
void body_parameters(Io& io, BodyPart& v) {
  switch (v.kind) {
    case BodyPart::ia5_text:
      return io.constructed(univ::set, Form::set, [&] {
        opt(io, "repertoire", {context(0)}, v.repertoire,
            [&](std::int64_t& r) { io.integer(r, context(0), names::repertoire); });
      });
    case BodyPart::g3_facsimile:
      return io.constructed(univ::set, Form::set, [&] {
        opt(io, "number-of-pages", {context(0)}, v.number_of_pages, [&](std::int64_t& n) { io.integer(n, context(0)); });
        opt(io, "non-basic-parameters", {context(1)}, v.g3_non_basic_parameters,
            [&](BitString& b) { io.bits(b, context(1), mts::names::g3_facsimile_non_basic); });
      });
    case BodyPart::teletex:
      return io.constructed(univ::set, Form::set, [&] {
        opt(io, "number-of-pages", {context(0)}, v.number_of_pages, [&](std::int64_t& n) { io.integer(n, context(0)); });
        opt(io, "telex-compatible", {context(1)}, v.telex_compatible, [&](bool& b) { io.boolean(b, context(1)); });
        opt(io, "non-basic-parameters", {context(2)}, v.teletex_non_basic_parameters,
            [&](mts::TeletexNonBasicParameters& p) { mts::asn1(io, p, context(2)); });
      });
    case BodyPart::videotex:
      return io.constructed(univ::set, Form::set, [&] {
        opt(io, "syntax", {context(0)}, v.videotex_syntax,
            [&](std::int64_t& s) { io.integer(s, context(0), names::videotex_syntax); });
      });
    case BodyPart::encrypted:
      // EncryptedParameters ::= SET { algorithm-identifier, originator-certificates ExtendedCertificates OPTIONAL, ... }
      return io.constructed(univ::set, Form::set, [&] {
        EncryptedParameters& p = v.encrypted_parameters;
        req(io, "algorithm-identifier", {univ::sequence}, [&] { mts::asn1(io, p.algorithm_identifier); });
        opt_list(io, "originator-certificates", {univ::set}, p.originator_certificates,
                 [&] { mts::extended_certificates(io, p.originator_certificates, univ::set); });
        mts::extension_additions(io, p.extension_additions);
      });
    case BodyPart::message:
    case BodyPart::notification:  // MessageParameters
    case BodyPart::forwarded_content:
      return io.constructed(univ::set, Form::set, [&] {
        opt(io, "delivery-time", {context(0)}, v.delivery_time, [&](Time& t) { io.time(t, context(0)); });
        opt(io, "delivery-envelope", {context(1)}, v.delivery_envelope,
            [&](OtherMessageDeliveryFields& f) { asn1(io, f, context(1)); });
        if (v.kind == BodyPart::forwarded_content) {
          opt(io, "mts-identifier", {context(2)}, v.mts_identifier, [&](mts::MtsIdentifier& id) {
            io.constructed(context(2), Form::sequence, [&] {  // [2] IMPLICIT [APPLICATION 4] SEQUENCE
              req(io, "global-domain-identifier", {application(3)}, [&] { mts::asn1(io, id.global_domain_identifier); });
              req(io, "local-identifier", {univ::ia5_string}, [&] {
                io.text(id.local_identifier, univ::ia5_string, StringKind::ia5, Bound{1, 32, "ub-local-id-length"});
              });
            });
          });
          opt(io, "submission-proof", {context(3)}, v.submission_proof, [&](SubmissionProof& p) {
            io.constructed(context(3), Form::set, [&] {
              req(io, "proof-of-submission", {context(0)}, [&] { mts::asn1(io, p.proof_of_submission, context(0)); });
              req(io, "originating-MTA-certificate", {context(1)},
                  [&] { mts::asn1(io, p.originating_mta_certificate, context(1)); });
              req(io, "message-submission-envelope", {univ::set}, [&] { mts::asn1(io, p.message_submission_envelope); });
            });
          });
        }
      });
    case BodyPart::general_text:
      return list(io, univ::set, Form::set, v.character_sets, mts::unbounded, [&](std::int64_t& c) {
        io.integer(c);
        io.range(c, 1, 32767, nullptr);
      });
    case BodyPart::voice:
      return io.constructed(univ::sequence, Form::sequence, [&] {
        opt(io, "voice-message-duration", {context(0)}, v.voice_message_duration,
            [&](std::int64_t& d) { io.integer(d, context(0)); });
        req(io, "voice-encoding-type", {context(1)}, [&] { io.oid(v.voice_encoding_type, context(1)); });
        opt(io, "supplementary-information", {context(2)}, v.voice_supplementary_information,
            [&](std::string& s) { io.text(s, context(2), StringKind::ia5); });
      });
    case BodyPart::file_transfer: return asn1(io, v.file_transfer_parameters);
    case BodyPart::mime: return asn1(io, v.mime_parameters);
    default: return io.raw(v.parameters_value);
  }
}

// The data of a body part kind.
template <class Io>
void body_data(Io& io, BodyPart& v) {
  switch (v.kind) {
    case BodyPart::ia5_text: return io.text(v.text, univ::ia5_string, StringKind::ia5);
    case BodyPart::g3_facsimile:
      return list(io, univ::sequence, Form::sequence, v.g3_pages, mts::unbounded, [&](BitString& b) { io.bits(b); });
    case BodyPart::g4_class1:
    case BodyPart::mixed_mode:
      return list(io, univ::sequence, Form::sequence, v.elements, mts::unbounded, [&](Bytes& b) { io.raw(b); });
    case BodyPart::teletex:
      return list(io, univ::sequence, Form::sequence, v.teletex_pages, mts::unbounded,
                  [&](std::string& s) { io.text(s, univ::teletex_string, StringKind::teletex); });
    case BodyPart::videotex: return io.text(v.text, univ::videotex_string, StringKind::videotex);
    case BodyPart::encrypted: return io.bits(v.encrypted_data);
    case BodyPart::message:
      if constexpr (Io::fills) v.forwarded.resize(1);
      if (v.forwarded.empty()) return io.fail("message body part without its IPM");
      return asn1(io, v.forwarded[0]);
    case BodyPart::notification:
      if constexpr (Io::fills) v.forwarded_ipn.resize(1);
      if (v.forwarded_ipn.empty()) return io.fail("notification body part without its IPN");
      return asn1(io, v.forwarded_ipn[0]);
    case BodyPart::report: return mts::asn1(io, v.forwarded_report);
    case BodyPart::bilaterally_defined:
    case BodyPart::voice:
    case BodyPart::forwarded_content:
    case BodyPart::mime:
      return io.octets(v.octets);
    case BodyPart::general_text: return io.text(v.text, univ::general_string, StringKind::general);
    case BodyPart::file_transfer:
      return list(io, univ::sequence, Form::sequence, v.file_transfer_data, mts::unbounded, [&](External& e) { asn1(io, e); });
    default: return io.raw(v.raw);
  }
}

// A basic body part: SEQUENCE { parameters, data } (or the data alone), implicitly tagged [n].
template <class Io>
void basic_body_part(Io& io, BodyPart& v, Tag t) {
  switch (v.kind) {
    case BodyPart::g4_class1:
    case BodyPart::mixed_mode:
      return list(io, t, Form::sequence, v.elements, mts::unbounded, [&](Bytes& b) { io.raw(b); });
    case BodyPart::bilaterally_defined: return io.octets(v.octets, t);
    case BodyPart::nationally_defined:
      // NATIONAL-BODY-PARTS.&Type: an open type, explicitly tagged.
      return io.constructed(t, Form::sequence, [&] { io.raw(v.raw); });
    case BodyPart::tlx_1984:
    case BodyPart::voice_1984:
    case BodyPart::sfd_1984:
      // X.420 (1984) tlx [1], voice [2] IMPLICIT SEQUENCE { SET, BIT STRING }, sfd [10]
      // IMPLICIT SFD.Document: their components, each as its encoding.
      return io.constructed(t, Form::sequence, [&] { io.raw_rest(v.elements); });
    default:
      return io.constructed(t, Form::sequence, [&] {
        req(io, "parameters", Tags::anything(), [&] { body_parameters(io, v); });
        req(io, "data", Tags::anything(), [&] { body_data(io, v); });
      });
  }
}

// ExtendedBodyPart{} ::= SEQUENCE { parameters [0] INSTANCE OF TYPE-IDENTIFIER OPTIONAL,
//                                   data INSTANCE OF TYPE-IDENTIFIER }
// The parameters' type-id gives the kind (the data's must agree with it);
// without parameters the data's type-id does.
template <class Io>
void extended_body_part(Io& io, BodyPart& v) {
  io.constructed(context(15), Form::sequence, [&] {
    std::optional<Oid> ptype;
    if (!Io::fills && v.parameters_present) ptype = parameters_oid(v);
    opt(io, "parameters", {context(0)}, ptype, [&](Oid& p) {
      io.constructed(context(0), Form::sequence, [&] {
        req(io, "type-id", {univ::object_identifier}, [&] { io.oid(p); });
        if constexpr (Io::fills) {
          v.parameters_type = p;
          v.kind = kind_of_parameters_oid(p, v);
        }
        req(io, "value", {context(0)}, [&] { io.constructed(context(0), Form::sequence, [&] { body_parameters(io, v); }); });
      });
    });
    if constexpr (Io::fills) v.parameters_present = ptype.has_value();
    req(io, "data", {univ::external}, [&] {
      io.constructed(univ::external, Form::sequence, [&] {
        Oid d;
        if constexpr (!Io::fills) d = data_oid(v);
        req(io, "type-id", {univ::object_identifier}, [&] { io.oid(d); });
        if constexpr (Io::fills) {
          v.data_type = d;
          int k = kind_of_data_oid(d, v);
          if (!v.parameters_present || v.kind == BodyPart::other_extended) {
            v.kind = v.parameters_present && v.kind == BodyPart::other_extended ? BodyPart::other_extended : k;
          } else if (k != v.kind) {
            io.fail("data type " + d.to_string() + " does not match parameters type " + v.parameters_type.to_string());
          }
          v.extended_form = v.kind < BodyPart::general_text;
        }
        req(io, "value", {context(0)}, [&] { io.constructed(context(0), Form::sequence, [&] { body_data(io, v); }); });
      });
    });
  });
}

template <class Io>
void asn1(Io& io, BodyPart& v) {
  int which = v.kind >= BodyPart::general_text || v.extended_form ? 1 : 0;
  choice(io, which, [&](auto alt) {
    // basic: an untagged CHOICE of [0]..[14]
    alt(0, "basic", {context(0), context(1), context(2), context(3), context(4), context(5), context(6), context(7),
                     context(8), context(9), context(10), context(11), context(14)}, [&] {
      int k = v.kind;
      mts::choice(io, k, [&](auto b) {
        static constexpr struct { int kind; const char* name; } kinds[] = {
            {BodyPart::ia5_text, "ia5-text"}, {BodyPart::tlx_1984, "tlx"}, {BodyPart::voice_1984, "voice-1984"},
            {BodyPart::g3_facsimile, "g3-facsimile"}, {BodyPart::g4_class1, "g4-class1"}, {BodyPart::teletex, "teletex"},
            {BodyPart::videotex, "videotex"}, {BodyPart::nationally_defined, "nationally-defined"},
            {BodyPart::encrypted, "encrypted"}, {BodyPart::message, "message"}, {BodyPart::sfd_1984, "sfd"},
            {BodyPart::mixed_mode, "mixed-mode"}, {BodyPart::bilaterally_defined, "bilaterally-defined"}};
        for (const auto& x : kinds)
          b(x.kind, x.name, {context(static_cast<std::uint32_t>(x.kind))}, [&] {
            if constexpr (Io::fills) v.kind = x.kind;
            basic_body_part(io, v, context(static_cast<std::uint32_t>(x.kind)));
          });
      });
    });
    alt(1, "extended", {context(15)}, [&] { extended_body_part(io, v); });
  });
}

template <class Io>
void asn1(Io& io, Ipm& v, Tag t) {
  io.constructed(t, Form::sequence, [&] {
    req(io, "heading", {univ::set}, [&] { asn1(io, v.heading); });
    req(io, "body", {univ::sequence}, [&] {
      list(io, univ::sequence, Form::sequence, v.body, mts::unbounded, [&](BodyPart& b) { asn1(io, b); });
    });
  });
}

template <class Io>
void asn1(Io& io, Ipn& v, Tag t) {
  io.constructed(t, Form::set, [&] {
    CommonFields& c = v.common;
    req(io, "subject-ipm", {application(11)}, [&] { asn1(io, c.subject_ipm); });
    opt(io, "ipn-originator", {context(1)}, c.ipn_originator, [&](OrDescriptor& d) { asn1(io, d, context(1)); });
    opt(io, "ipm-intended-recipient", {context(2)}, c.ipm_intended_recipient,
        [&](OrDescriptor& d) { asn1(io, d, context(2)); });
    opt(io, "conversion-eits", {application(5)}, c.conversion_eits, [&](mts::EncodedInformationTypes& e) { mts::asn1(io, e); });
    opt_list(io, "notification-extensions", {context(3)}, c.notification_extensions,
             [&] { extension_list(io, c.notification_extensions, context(3)); });
    req(io, "choice", {context(0)}, [&] {
      io.constructed(context(0), Form::sequence, [&] {  // [0] CHOICE: explicit
        choice(io, v.fields, [&](auto alt) {
          alt(index<0>, "non-receipt-fields", {context(0)}, [&](NonReceiptFields& n) {
            io.constructed(context(0), Form::set, [&] {
              req(io, "non-receipt-reason", {context(0)},
                  [&] { io.integer(n.non_receipt_reason, context(0), names::non_receipt_reason); });
              opt(io, "discard-reason", {context(1)}, n.discard_reason,
                  [&](std::int64_t& d) { io.integer(d, context(1), names::discard_reason); });
              opt(io, "auto-forward-comment", {context(2)}, n.auto_forward_comment, [&](std::string& s) {
                io.text(s, context(2), StringKind::printable, Bound{0, 256, "ub-auto-forward-comment"});
              });
              opt(io, "returned-ipm", {context(3)}, n.returned_ipm, [&](mts::Box<Ipm>& m) { asn1(io, *m, context(3)); });
              opt_list(io, "nrn-extensions", {context(4)}, n.nrn_extensions,
                       [&] { extension_list(io, n.nrn_extensions, context(4)); });
            });
          });
          alt(index<1>, "receipt-fields", {context(1)}, [&](ReceiptFields& r) {
            io.constructed(context(1), Form::set, [&] {
              req(io, "receipt-time", {context(0)}, [&] { io.time(r.receipt_time, context(0)); });
              opt(io, "acknowledgment-mode", {context(1)}, r.acknowledgment_mode,
                  [&](std::int64_t& m) { io.integer(m, context(1), names::acknowledgment_mode); });
              opt(io, "suppl-receipt-info", {context(2)}, r.suppl_receipt_info, [&](std::string& s) {
                io.text(s, context(2), StringKind::printable, Bound{1, 256, "ub-supplementary-info-length"});
              });
              opt_list(io, "rn-extensions", {context(3)}, r.rn_extensions,
                       [&] { extension_list(io, r.rn_extensions, context(3)); });
            });
          });
          alt(index<2>, "other-notification-type-fields", {context(2)},
              [&](OtherNotificationTypeFields& o) { extension_list(io, o.extensions, context(2)); });
        });
      });
    });
  });
}

// InformationObject ::= CHOICE { ipm [0] IPM, ipn [1] IPN }
template <class Io>
void asn1(Io& io, InformationObject& v) {
  choice(io, v, [&](auto alt) {
    alt(index<0>, "ipm", {context(0)}, [&](Ipm& m) { asn1(io, m, context(0)); });
    alt(index<1>, "ipn", {context(1)}, [&](Ipn& n) { asn1(io, n, context(1)); });
  });
}

}  // namespace mixer::p1::ipms
