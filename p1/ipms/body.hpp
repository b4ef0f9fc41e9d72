// p1/ipms/body.hpp: descriptions of the IPM body (X.420 BodyPart: the basic
// types and ExtendedBodyPart{} with the standard id-et/id-ep types,
// general-text, voice, file-transfer (its parameters in ftbp.hpp), forwarded
// content, the RFC 2157 MIME body part, and the forwarded notification and
// report), IPM, IPN and InformationObject. IMPLICIT TAGS. Each body part type
// (body_types.hpp) has its parameters() and data(), shared by the basic form
// and the extended [15] form; the encoder refuses what a type cannot be
// written as (parameters for a type without them, a 1984 type as [15]).
#pragma once

#include <optional>
#include <type_traits>
#include <variant>

#include "p1/ipms/ftbp.hpp"
#include "p1/ipms/heading.hpp"
#include "p1/ipms/ipms.hpp"
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

// Puts in t the type an extended body part's parameters type-id names (OtherExtendedBodyPart,
// with the OID, when we know none).
void type_of_parameters_oid(const Oid& o, BodyPartType& t);
// Puts in t the type the data type-id names, for an extended body part without parameters.
void type_of_data_oid(const Oid& o, BodyPartType& t);
// With parameters: whether the data type-id is the one of the type they named (forwarded
// content takes the data's content type suffix; an unknown type keeps the data's OID).
bool data_oid_agrees(const Oid& o, BodyPartType& t);

// ---- parameters and data of each type (the basic type's components, or the [15] values)

// A type without parameters (G4Class1, MixedMode, BilaterallyDefined, NationallyDefined, report,
// the 1984 types): a writer given "parameters present" refuses; readers never get here.
template <class Io, class T>
void body_parameters(Io& io, T&) {
  io.fail("this body part type has no parameters");
}

template <class Io>
void body_parameters(Io& io, Ia5TextBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] {
    opt(io, "repertoire", {context(0)}, b.repertoire, [&](std::int64_t& r) { io.integer(r, context(0), names::repertoire); });
  });
}

template <class Io>
void body_parameters(Io& io, G3FacsimileBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] {
    opt(io, "number-of-pages", {context(0)}, b.number_of_pages, [&](std::int64_t& n) { io.integer(n, context(0)); });
    opt(io, "non-basic-parameters", {context(1)}, b.non_basic_parameters,
        [&](BitString& x) { io.bits(x, context(1), mts::names::g3_facsimile_non_basic); });
  });
}

template <class Io>
void body_parameters(Io& io, TeletexBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] {
    opt(io, "number-of-pages", {context(0)}, b.number_of_pages, [&](std::int64_t& n) { io.integer(n, context(0)); });
    opt(io, "telex-compatible", {context(1)}, b.telex_compatible, [&](bool& x) { io.boolean(x, context(1)); });
    opt(io, "non-basic-parameters", {context(2)}, b.non_basic_parameters,
        [&](mts::TeletexNonBasicParameters& p) { mts::asn1(io, p, context(2)); });
  });
}

template <class Io>
void body_parameters(Io& io, VideotexBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] {
    opt(io, "syntax", {context(0)}, b.syntax, [&](std::int64_t& x) { io.integer(x, context(0), names::videotex_syntax); });
  });
}

// EncryptedParameters ::= SET { algorithm-identifier, originator-certificates ExtendedCertificates OPTIONAL, ... }
template <class Io>
void body_parameters(Io& io, EncryptedBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] {
    EncryptedParameters& p = b.parameters;
    req(io, "algorithm-identifier", {univ::sequence}, [&] { mts::asn1(io, p.algorithm_identifier); });
    opt_list(io, "originator-certificates", {univ::set}, p.originator_certificates,
             [&] { mts::extended_certificates(io, p.originator_certificates, univ::set); });
    mts::extension_additions(io, p.extension_additions);
  });
}

// MessageParameters ::= SET { delivery-time [0] OPTIONAL, delivery-envelope [1] OPTIONAL }, and
// ForwardedContentParameters's first two components.
template <class Io>
void message_parameters(Io& io, std::optional<Time>& time, base::Boxed<OtherMessageDeliveryFields>& envelope) {
  opt(io, "delivery-time", {context(0)}, time, [&](Time& t) { io.time(t, context(0)); });
  opt(io, "delivery-envelope", {context(1)}, envelope, [&](OtherMessageDeliveryFields& f) { asn1(io, f, context(1)); });
}

template <class Io>
void body_parameters(Io& io, MessageBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] { message_parameters(io, b.parameters.delivery_time, b.parameters.delivery_envelope); });
}

template <class Io>
void body_parameters(Io& io, NotificationBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] { message_parameters(io, b.parameters.delivery_time, b.parameters.delivery_envelope); });
}

template <class Io>
void body_parameters(Io& io, ForwardedContentBodyPart& b) {
  io.constructed(univ::set, Form::set, [&] {
    ForwardedContentParameters& p = b.parameters;
    message_parameters(io, p.delivery_time, p.delivery_envelope);
    opt(io, "mts-identifier", {context(2)}, p.mts_identifier, [&](mts::MtsIdentifier& id) {
      io.constructed(context(2), Form::sequence, [&] {  // [2] IMPLICIT [APPLICATION 4] SEQUENCE
        req(io, "global-domain-identifier", {application(3)}, [&] { mts::asn1(io, id.global_domain_identifier); });
        req(io, "local-identifier", {univ::ia5_string}, [&] {
          io.text(id.local_identifier, univ::ia5_string, StringKind::ia5, Bound{1, 32, "ub-local-id-length"});
        });
      });
    });
    opt(io, "submission-proof", {context(3)}, p.submission_proof, [&](SubmissionProof& x) {
      io.constructed(context(3), Form::set, [&] {
        req(io, "proof-of-submission", {context(0)}, [&] { mts::asn1(io, x.proof_of_submission, context(0)); });
        req(io, "originating-MTA-certificate", {context(1)}, [&] { mts::asn1(io, x.originating_mta_certificate, context(1)); });
        req(io, "message-submission-envelope", {univ::set}, [&] { mts::asn1(io, x.message_submission_envelope); });
      });
    });
  });
}

template <class Io>
void body_parameters(Io& io, GeneralTextBodyPart& b) {
  list(io, univ::set, Form::set, b.character_sets, mts::unbounded, [&](std::int64_t& c) {
    io.integer(c);
    io.range(c, 1, 32767, nullptr);
  });
}

template <class Io>
void body_parameters(Io& io, VoiceBodyPart& b) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    opt(io, "voice-message-duration", {context(0)}, b.voice_message_duration, [&](std::int64_t& d) { io.integer(d, context(0)); });
    req(io, "voice-encoding-type", {context(1)}, [&] { io.oid(b.voice_encoding_type, context(1)); });
    opt(io, "supplementary-information", {context(2)}, b.supplementary_information,
        [&](std::string& s) { io.text(s, context(2), StringKind::ia5); });
  });
}

template <class Io>
void body_parameters(Io& io, FileTransferBodyPart& b) {
  asn1(io, b.parameters);
}

template <class Io>
void body_parameters(Io& io, MimeBodyPart& b) {
  asn1(io, b.parameters);
}

template <class Io>
void body_parameters(Io& io, OtherExtendedBodyPart& b) {
  io.raw(b.parameters);
}

template <class Io>
void body_data(Io& io, Ia5TextBodyPart& b) {
  io.text(b.text, univ::ia5_string, StringKind::ia5);
}

template <class Io>
void body_data(Io& io, G3FacsimileBodyPart& b) {
  list(io, univ::sequence, Form::sequence, b.pages, mts::unbounded, [&](BitString& x) { io.bits(x); });
}

// SEQUENCE OF Interchange-Data-Element, tagged t
template <class Io>
void interchange_data_elements(Io& io, std::vector<Bytes>& v, Tag t = univ::sequence) {
  list(io, t, Form::sequence, v, mts::unbounded, [&](Bytes& e) { io.raw(e); });
}

template <class Io>
void body_data(Io& io, G4Class1BodyPart& b) {
  interchange_data_elements(io, b.elements);
}

template <class Io>
void body_data(Io& io, MixedModeBodyPart& b) {
  interchange_data_elements(io, b.elements);
}

template <class Io>
void body_data(Io& io, TeletexBodyPart& b) {
  list(io, univ::sequence, Form::sequence, b.pages, mts::unbounded,
       [&](std::string& s) { io.text(s, univ::teletex_string, StringKind::teletex); });
}

template <class Io>
void body_data(Io& io, VideotexBodyPart& b) {
  io.text(b.data, univ::videotex_string, StringKind::videotex);
}

template <class Io>
void body_data(Io& io, NationallyDefinedBodyPart& b) {
  io.raw(b.encoding);
}

template <class Io>
void body_data(Io& io, EncryptedBodyPart& b) {
  io.bits(b.data);
}

template <class Io>
void body_data(Io& io, MessageBodyPart& b) {
  asn1(io, *b.ipm);
}

template <class Io>
void body_data(Io& io, NotificationBodyPart& b) {
  asn1(io, *b.ipn);
}

template <class Io>
void body_data(Io& io, ReportBodyPart& b) {
  mts::asn1(io, b.report);
}

template <class Io>
void body_data(Io& io, BilaterallyDefinedBodyPart& b) {
  io.octets(b.octets);
}

template <class Io>
void body_data(Io& io, VoiceBodyPart& b) {
  io.octets(b.data);
}

template <class Io>
void body_data(Io& io, ForwardedContentBodyPart& b) {
  io.octets(b.content);
}

template <class Io>
void body_data(Io& io, MimeBodyPart& b) {
  io.octets(b.data);
}

template <class Io>
void body_data(Io& io, GeneralTextBodyPart& b) {
  io.text(b.text, univ::general_string, StringKind::general);
}

template <class Io>
void body_data(Io& io, FileTransferBodyPart& b) {
  list(io, univ::sequence, Form::sequence, b.data, mts::unbounded, [&](External& e) { asn1(io, e); });
}

template <class Io>
void body_data(Io& io, OtherExtendedBodyPart& b) {
  io.raw(b.data);
}

// The 1984 types have no extended form: only a writer given one gets here.
template <class Io, class T>
  requires std::is_same_v<T, Tlx1984BodyPart> || std::is_same_v<T, Voice1984BodyPart> || std::is_same_v<T, Sfd1984BodyPart>
void body_data(Io& io, T&) {
  io.fail("the 1984 body part types have no extended form");
}

// ---- the two forms

// A basic body part: SEQUENCE { parameters, data }, implicitly tagged [n].
template <class Io, class T>
void basic_body_part(Io& io, T& b, Tag t) {
  io.constructed(t, Form::sequence, [&] {
    req(io, "parameters", Tags::anything(), [&] { body_parameters(io, b); });
    req(io, "data", Tags::anything(), [&] { body_data(io, b); });
  });
}

template <class Io>
void basic_body_part(Io& io, G4Class1BodyPart& b, Tag t) {
  interchange_data_elements(io, b.elements, t);
}

template <class Io>
void basic_body_part(Io& io, MixedModeBodyPart& b, Tag t) {
  interchange_data_elements(io, b.elements, t);
}

template <class Io>
void basic_body_part(Io& io, BilaterallyDefinedBodyPart& b, Tag t) {
  io.octets(b.octets, t);
}

// NATIONAL-BODY-PARTS.&Type: an open type, explicitly tagged.
template <class Io>
void basic_body_part(Io& io, NationallyDefinedBodyPart& b, Tag t) {
  io.constructed(t, Form::sequence, [&] { io.raw(b.encoding); });
}

// X.420 (1984) tlx [1], voice [2] IMPLICIT SEQUENCE { SET, BIT STRING }, sfd [10] IMPLICIT
// SFD.Document: their components, each as its encoding.
template <class Io, class T>
  requires std::is_same_v<T, Tlx1984BodyPart> || std::is_same_v<T, Voice1984BodyPart> || std::is_same_v<T, Sfd1984BodyPart>
void basic_body_part(Io& io, T& b, Tag t) {
  io.constructed(t, Form::sequence, [&] { io.raw_rest(b.components); });
}

// ExtendedBodyPart{} ::= SEQUENCE { parameters [0] INSTANCE OF TYPE-IDENTIFIER OPTIONAL,
//                                   data INSTANCE OF TYPE-IDENTIFIER }
// The parameters' type-id gives the type (the data's must agree with it); without
// parameters the data's type-id does.
template <class Io>
void extended_body_part(Io& io, BodyPart& v) {
  io.constructed(context(15), Form::sequence, [&] {
    std::optional<Oid> ptype;
    if constexpr (!Io::fills) {
      if (v.parameters_present) {
        ptype = parameters_oid(v);
        if (!ptype) return io.fail("this body part type has no parameters (parameters_present)");
      }
    }
    opt(io, "parameters", {context(0)}, ptype, [&](Oid& p) {
      io.constructed(context(0), Form::sequence, [&] {
        req(io, "type-id", {univ::object_identifier}, [&] { io.oid(p); });
        if constexpr (Io::fills) type_of_parameters_oid(p, v.type);
        req(io, "value", {context(0)}, [&] {
          io.constructed(context(0), Form::sequence, [&] { std::visit([&](auto& b) { body_parameters(io, b); }, v.type); });
        });
      });
    });
    if constexpr (Io::fills) v.parameters_present = ptype.has_value();
    req(io, "data", {univ::external}, [&] {
      io.constructed(univ::external, Form::sequence, [&] {
        Oid d;
        if constexpr (!Io::fills) {
          auto o = data_oid(v);
          if (!o) return io.fail("the 1984 body part types have no extended form");
          d = *o;
        }
        req(io, "type-id", {univ::object_identifier}, [&] { io.oid(d); });
        if constexpr (Io::fills) {
          if (!v.parameters_present) type_of_data_oid(d, v.type);
          else if (!data_oid_agrees(d, v.type))
            io.fail("data type " + d.to_string() + " does not match parameters type " + ptype->to_string());
          v.extended_form = has_basic_form(v.type);
        }
        req(io, "value", {context(0)}, [&] {
          io.constructed(context(0), Form::sequence, [&] { std::visit([&](auto& b) { body_data(io, b); }, v.type); });
        });
      });
    });
  });
}

// BodyPart ::= CHOICE { basic CHOICE { ia5-text [0] ... bilaterally-defined [14] }, extended [15] }
template <class Io>
void asn1(Io& io, BodyPart& v) {
  int form = v.extended() ? 1 : 0;  // the outer CHOICE is the form; the type is v.type
  choice(io, form, [&](auto alt) {
    alt(0, "basic", {context(0), context(1), context(2), context(3), context(4), context(5), context(6), context(7),
                     context(8), context(9), context(10), context(11), context(14)}, [&] {
      if constexpr (Io::fills) v.extended_form = false;
      choice(io, v.type, [&](auto b) {
        b(index<0>, "ia5-text", {context(0)}, [&](Ia5TextBodyPart& x) { basic_body_part(io, x, context(0)); });
        b(index<1>, "tlx", {context(1)}, [&](Tlx1984BodyPart& x) { basic_body_part(io, x, context(1)); });
        b(index<2>, "voice-1984", {context(2)}, [&](Voice1984BodyPart& x) { basic_body_part(io, x, context(2)); });
        b(index<3>, "g3-facsimile", {context(3)}, [&](G3FacsimileBodyPart& x) { basic_body_part(io, x, context(3)); });
        b(index<4>, "g4-class1", {context(4)}, [&](G4Class1BodyPart& x) { basic_body_part(io, x, context(4)); });
        b(index<5>, "teletex", {context(5)}, [&](TeletexBodyPart& x) { basic_body_part(io, x, context(5)); });
        b(index<6>, "videotex", {context(6)}, [&](VideotexBodyPart& x) { basic_body_part(io, x, context(6)); });
        b(index<7>, "nationally-defined", {context(7)},
          [&](NationallyDefinedBodyPart& x) { basic_body_part(io, x, context(7)); });
        b(index<8>, "encrypted", {context(8)}, [&](EncryptedBodyPart& x) { basic_body_part(io, x, context(8)); });
        b(index<9>, "message", {context(9)}, [&](MessageBodyPart& x) { basic_body_part(io, x, context(9)); });
        b(index<10>, "sfd", {context(10)}, [&](Sfd1984BodyPart& x) { basic_body_part(io, x, context(10)); });
        b(index<11>, "mixed-mode", {context(11)}, [&](MixedModeBodyPart& x) { basic_body_part(io, x, context(11)); });
        b(index<12>, "bilaterally-defined", {context(14)},
          [&](BilaterallyDefinedBodyPart& x) { basic_body_part(io, x, context(14)); });
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
