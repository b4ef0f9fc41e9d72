// p1/mts/security.hpp: descriptions of the security values X.411 carries in
// its extensions beyond the X.509 structures of certificate.hpp: the message
// Token with its SIGNED asymmetric token (toBeSigned typed, with TokenData for
// its table, and kept as the octets received), CertificateSelectors (X.411),
// and X.420 IPMSSecurityExtensions' BodyPartTokens and ForwardedContentToken
// (recursive: the BER Limits depth and TreeReader::max_depth bound them).
// Nothing is verified: encrypted and signed data are read as the BIT STRINGs
// they are; TokenData of unknown type and BindTokenEncryptedData (EXTERNAL)
// stay their encoding.
#pragma once

#include "p1/mts/certificate.hpp"

namespace mixer::p1::mts {

namespace names {
inline constexpr Named token_data_type[] = {{1, "bind-token-signed-data"}, {2, "message-token-signed-data"},
                                            {3, "message-token-encrypted-data"}, {4, "bind-token-encrypted-data"}};
inline constexpr Named proof_of_delivery_request[] = {{0, "proof-of-delivery-not-requested"},
                                                      {1, "proof-of-delivery-requested"}};
}  // namespace names

// MessageTokenSignedData / MessageTokenEncryptedData ::= SEQUENCE (X.411, IMPLICIT TAGS)
template <class Io>
void asn1(Io& io, MessageTokenSignedData& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    opt(io, "content-confidentiality-algorithm-identifier", {context(0)}, v.content_confidentiality_algorithm_identifier,
        [&](AlgorithmIdentifier& a) { asn1(io, a, context(0)); });
    opt(io, "content-integrity-check", {context(1)}, v.content_integrity_check,
        [&](Signature& s) { asn1(io, s, context(1)); });
    opt(io, "message-security-label", {context(2)}, v.message_security_label,
        [&](SecurityLabel& l) { asn1(io, l, context(2)); });
    opt(io, "proof-of-delivery-request", {context(3)}, v.proof_of_delivery_request,
        [&](std::int64_t& n) { io.integer(n, context(3), names::proof_of_delivery_request); });
    opt(io, "message-sequence-number", {context(4)}, v.message_sequence_number,
        [&](std::int64_t& n) { io.integer(n, context(4)); });
  });
}

template <class Io>
void asn1(Io& io, MessageTokenEncryptedData& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    opt(io, "content-confidentiality-key", {context(0)}, v.content_confidentiality_key,
        [&](BitString& b) { io.bits(b, context(0)); });
    opt(io, "content-integrity-check", {context(1)}, v.content_integrity_check,
        [&](Signature& s) { asn1(io, s, context(1)); });
    opt(io, "message-security-label", {context(2)}, v.message_security_label,
        [&](SecurityLabel& l) { asn1(io, l, context(2)); });
    opt(io, "content-integrity-key", {context(3)}, v.content_integrity_key,
        [&](BitString& b) { io.bits(b, context(3)); });
    opt(io, "message-sequence-number", {context(4)}, v.message_sequence_number,
        [&](std::int64_t& n) { io.integer(n, context(4)); });
  });
}

// TokenData ::= SEQUENCE { type [0] TOKEN-DATA.&id, value [1] TOKEN-DATA.&Type } tagged t;
// the open type's [1] is explicit.
template <class Io>
void asn1(Io& io, TokenData& v, Tag t) {
  io.constructed(t, Form::sequence, [&] {
    req(io, "type", {context(0)}, [&] { io.integer(v.type, context(0), names::token_data_type); });
    req(io, "value", {context(1)}, [&] {
      io.constructed(context(1), Form::sequence, [&] {
        switch (v.type) {
          case TokenData::bind_token_signed_data: return io.bits(v.random_number);
          case TokenData::message_token_signed_data: return asn1(io, v.signed_data);
          case TokenData::message_token_encrypted_data: return asn1(io, v.encrypted_data);
          default: return io.raw(v.value);  // bind-token-encrypted-data (EXTERNAL), unknown types
        }
      });
    });
  });
}

// AsymmetricToken's toBeSigned ::= SEQUENCE { signature-algorithm-identifier, name CHOICE {
// recipient-name RecipientName, mta [3] SEQUENCE { global-domain-identifier OPTIONAL, mta-name } },
// time Time, signed-data [0] TokenData OPTIONAL, encryption-algorithm-identifier [1] OPTIONAL,
// encrypted-data [2] ENCRYPTED{TokenData} OPTIONAL }
template <class Io>
void asn1(Io& io, AsymmetricTokenToBeSigned& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "signature-algorithm-identifier", {univ::sequence}, [&] { asn1(io, v.signature_algorithm_identifier); });
    req(io, "name", {application(0), context(3)}, [&] {
      choice(io, v.name, [&](auto alt) {
        alt(index<0>, "recipient-name", {application(0)}, [&](OrName& n) { asn1(io, n); });
        alt(index<1>, "mta", {context(3)}, [&](TokenMta& m) {
          io.constructed(context(3), Form::sequence, [&] {
            opt(io, "global-domain-identifier", {application(3)}, m.global_domain_identifier,
                [&](GlobalDomainIdentifier& g) { asn1(io, g); });
            req(io, "mta-name", {univ::ia5_string},
                [&] { io.text(m.mta_name, univ::ia5_string, StringKind::ia5, ub_mta_name); });
          });
        });
      });
    });
    req(io, "time", {univ::utc_time}, [&] { io.time(v.time); });
    opt(io, "signed-data", {context(0)}, v.signed_data, [&](TokenData& d) { asn1(io, d, context(0)); });
    opt(io, "encryption-algorithm-identifier", {context(1)}, v.encryption_algorithm_identifier,
        [&](AlgorithmIdentifier& a) { asn1(io, a, context(1)); });
    opt(io, "encrypted-data", {context(2)}, v.encrypted_data, [&](BitString& b) { io.bits(b, context(2)); });
  });
}

// Token ::= SEQUENCE { token-type-identifier [0] TOKEN.&id, token [1] TOKEN.&Type } (X.411 §
// "Token"; IMPLICIT TAGS, the open type explicitly tagged). AsymmetricToken ::= SIGNED{...}.
template <class Io>
void asn1(Io& io, Token& v, Tag t = univ::sequence) {  // t: where a user retags it implicitly
  io.constructed(t, Form::sequence, [&] {
    req(io, "token-type-identifier", {context(0)}, [&] { io.oid(v.type, context(0)); });
    req(io, "token", {context(1)}, [&] {
      io.constructed(context(1), Form::sequence, [&] {
        if (!v.asymmetric()) return io.raw(v.value);
        io.constructed(univ::sequence, Form::sequence, [&] {
          req(io, "toBeSigned", {univ::sequence}, [&] {
            signed_part(io, v.to_be_signed, v.to_be_signed_received,
                        [](auto& o, AsymmetricTokenToBeSigned& t) { asn1(o, t); });
          });
          signature_components(io, v.signed_by);
        });
      });
    });
  });
}

// CertificateSelectors ::= SET { encryption-recipient [0], encryption-originator [1],
// content-integrity-check [2], token-signature [3], message-origin-authentication [4] }
// (each CertificateAssertion OPTIONAL); certificate-selectors-override (46) has no [4].
template <class Io>
void asn1(Io& io, CertificateSelectors& v, bool override_) {
  io.constructed(univ::set, Form::set, [&] {
    auto selector = [&](const char* name, std::uint32_t n, std::optional<CertificateAssertion>& a) {
      opt(io, name, {context(n)}, a, [&](CertificateAssertion& x) { asn1(io, x, context(n)); });
    };
    selector("encryption-recipient", 0, v.encryption_recipient);
    selector("encryption-originator", 1, v.encryption_originator);
    selector("content-integrity-check", 2, v.content_integrity_check);
    selector("token-signature", 3, v.token_signature);
    if (!override_) selector("message-origin-authentication", 4, v.message_origin_authentication);
  });
}

// EncryptionToken ::= SET { encryption-algorithm-identifier, encrypted-key ENCRYPTED{EncryptionKey},
// recipient-certificate-selector [0], recipient-certificate [1] Certificates,
// originator-certificate-selector [2], originator-certificates [3] ExtendedCertificates, ... }
// (X.420 IPMSSecurityExtensions, IMPLICIT TAGS); unknown additions kept as their encoding.
template <class Io>
void asn1(Io& io, EncryptionToken& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "encryption-algorithm-identifier", {univ::sequence}, [&] { asn1(io, v.encryption_algorithm_identifier); });
    req(io, "encrypted-key", {univ::bit_string}, [&] { io.bits(v.encrypted_key); });
    opt(io, "recipient-certificate-selector", {context(0)}, v.recipient_certificate_selector,
        [&](CertificateAssertion& a) { asn1(io, a, context(0)); });
    opt(io, "recipient-certificate", {context(1)}, v.recipient_certificate,
        [&](Certificates& c) { asn1(io, c, context(1)); });
    opt(io, "originator-certificate-selector", {context(2)}, v.originator_certificate_selector,
        [&](CertificateAssertion& a) { asn1(io, a, context(2)); });
    opt_list(io, "originator-certificates", {context(3)}, v.originator_certificates,
             [&] { extended_certificates(io, v.originator_certificates, context(3)); });
    extension_additions(io, v.extension_additions);
  });
}

// body-part-number BodyPartNumber ::= INTEGER (1..MAX) (X.420 IPMSHeadingExtensions)
template <class Io>
void body_part_number(Io& io, std::int64_t& n) {
  req(io, "body-part-number", {univ::integer}, [&] {
    io.integer(n);
    io.range(n, 1, INT64_MAX, nullptr);
  });
}

// BodyPartTokens ::= SET OF SET { body-part-number, body-part-choice CHOICE {
// encryption-token EncryptionToken, message-or-content-body-part [0] BodyPartTokens } }, tagged t.
template <class Io>
void body_part_tokens(Io& io, std::vector<BodyPartToken>& v, Tag t = univ::set) {
  list(io, t, Form::set, v, unbounded, [&](BodyPartToken& b) {
    io.constructed(univ::set, Form::set, [&] {
      body_part_number(io, b.body_part_number);
      req(io, "body-part-choice", {univ::set, context(0)}, [&] {
        choice(io, b.body_part_choice, [&](auto alt) {
          alt(index<0>, "encryption-token", {univ::set}, [&](EncryptionToken& t) { asn1(io, t); });
          alt(index<1>, "message-or-content-body-part", {context(0)},
              [&](std::vector<BodyPartToken>& nested) { body_part_tokens(io, nested, context(0)); });
        });
      });
    });
  });
}

// ForwardedContentToken ::= SET OF SET { body-part-number, body-part-choice CHOICE {
// forwarding-token MessageToken, message-or-content-body-part ForwardedContentToken } }
template <class Io>
void forwarded_content_token(Io& io, std::vector<ForwardedContentTokenElement>& v) {
  list(io, univ::set, Form::set, v, unbounded, [&](ForwardedContentTokenElement& e) {
    io.constructed(univ::set, Form::set, [&] {
      body_part_number(io, e.body_part_number);
      req(io, "body-part-choice", {univ::sequence, univ::set}, [&] {
        choice(io, e.body_part_choice, [&](auto alt) {
          alt(index<0>, "forwarding-token", {univ::sequence}, [&](Token& t) { asn1(io, t); });
          alt(index<1>, "message-or-content-body-part", {univ::set},
              [&](std::vector<ForwardedContentTokenElement>& nested) { forwarded_content_token(io, nested); });
        });
      });
    });
  });
}

}  // namespace mixer::p1::mts
