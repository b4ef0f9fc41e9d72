// p1/mts/security.hpp: descriptions of the security values X.411 carries in
// its extensions, at the structural level: X.509 SIGNATURE{} (the checks and
// proofs), Certificates / Certificate = SIGNED{TBSCertificate} and the
// message Token with its SIGNED asymmetric token. Nothing is verified here:
// algorithm identifiers, names, times and signature bits are read, the public
// key, certificate extensions, certification path and signed token data are
// kept as their encodings and written back unchanged.
#pragma once

#include "p1/mts/common.hpp"

namespace mixer::p1::mts {

// SIGNATURE{} ::= SEQUENCE { algorithmIdentifier AlgorithmIdentifier, encrypted BIT STRING }
// (X.509 AuthenticationFramework); also the tail of SIGNED{}.
template <class Io>
void signature_components(Io& io, Signature& v) {
  req(io, "algorithmIdentifier", {univ::sequence}, [&] { asn1(io, v.algorithm); });
  req(io, "encrypted", {univ::bit_string}, [&] { io.bits(v.encrypted); });
}

template <class Io>
void asn1(Io& io, Signature& v, Tag t = univ::sequence) {
  io.constructed(t, Form::sequence, [&] { signature_components(io, v); });
}

// X.509 Time ::= CHOICE { utcTime UTCTime, generalizedTime GeneralizedTime }
template <class Io>
void x509_time(Io& io, bool& generalized, Time& v) {
  int which = generalized ? 1 : 0;
  choice(io, which, [&](auto alt) {
    alt(0, "utcTime", {univ::utc_time}, [&] { io.time(v, univ::utc_time); });
    alt(1, "generalizedTime", {univ::generalized_time}, [&] { io.time(v, univ::generalized_time); });
  });
  if constexpr (Io::fills) generalized = which == 1;
}

// Certificate ::= SIGNED{TBSCertificate} (X.509 §7; RFC 5280 §4.1 has the same octets)
template <class Io>
void asn1(Io& io, Certificate& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "toBeSigned", {univ::sequence}, [&] {
      io.constructed(univ::sequence, Form::sequence, [&] {
        opt(io, "version", {context(0)}, v.version, [&](std::int64_t& n) {
          io.constructed(context(0), Form::sequence, [&] {
            io.integer(n);
            io.range(n, 0, 2, nullptr);  // v1(0), v2(1), v3(2)
          });
        });
        req(io, "serialNumber", {univ::integer}, [&] { io.octets(v.serial_number, univ::integer); });
        req(io, "signature", {univ::sequence}, [&] { asn1(io, v.signature); });
        req(io, "issuer", {univ::sequence}, [&] { asn1(io, v.issuer); });
        req(io, "validity", {univ::sequence}, [&] {
          io.constructed(univ::sequence, Form::sequence, [&] {
            req(io, "notBefore", {univ::utc_time, univ::generalized_time},
                [&] { x509_time(io, v.not_before_generalized, v.not_before); });
            req(io, "notAfter", {univ::utc_time, univ::generalized_time},
                [&] { x509_time(io, v.not_after_generalized, v.not_after); });
          });
        });
        req(io, "subject", {univ::sequence}, [&] { asn1(io, v.subject); });
        req(io, "subjectPublicKeyInfo", {univ::sequence}, [&] { io.raw(v.subject_public_key_info); });
        opt(io, "issuerUniqueIdentifier", {context(1)}, v.issuer_unique_identifier,
            [&](BitString& b) { io.bits(b, context(1)); });
        opt(io, "subjectUniqueIdentifier", {context(2)}, v.subject_unique_identifier,
            [&](BitString& b) { io.bits(b, context(2)); });
        opt(io, "extensions", {context(3)}, v.extensions,
            [&](Bytes& b) { io.constructed(context(3), Form::sequence, [&] { io.raw(b); }); });
      });
    });
    signature_components(io, v.signed_by);
  });
}

// Certificates ::= SEQUENCE { userCertificate Certificate, certificationPath ForwardCertificationPath OPTIONAL }
// (tagged t where a user retags it implicitly)
template <class Io>
void asn1(Io& io, Certificates& v, Tag t = univ::sequence) {
  io.constructed(t, Form::sequence, [&] {
    req(io, "userCertificate", {univ::sequence}, [&] { asn1(io, v.user_certificate); });
    opt(io, "certificationPath", {univ::sequence}, v.certification_path, [&](Bytes& b) { io.raw(b); });
  });
}

// ExtendedCertificates ::= SET SIZE (1..ub-certificates) OF ExtendedCertificate, tagged t
// (X.420 uses it implicitly tagged). ExtendedCertificate: [0] Name is a CHOICE, so explicit.
template <class Io>
void extended_certificates(Io& io, std::vector<ExtendedCertificate>& v, Tag t) {
  list(io, t, Form::set, v, Bound{1, 64, "ub-certificates"}, [&](ExtendedCertificate& c) {
    choice(io, c.which, [&](auto alt) {
      alt(0, "directory-entry", {context(0)},
          [&] { io.constructed(context(0), Form::sequence, [&] { asn1(io, c.directory_entry); }); });
      alt(1, "certificate", {context(1)}, [&] { asn1(io, c.certificate, context(1)); });  // [1] IMPLICIT
    });
  });
}

// Token ::= SEQUENCE { token-type-identifier [0] TOKEN.&id, token [1] TOKEN.&Type } (X.411 §
// "Token"; IMPLICIT TAGS, the open type explicitly tagged). AsymmetricToken ::= SIGNED{...}.
template <class Io>
void asn1(Io& io, Token& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "token-type-identifier", {context(0)}, [&] { io.oid(v.type, context(0)); });
    req(io, "token", {context(1)}, [&] {
      io.constructed(context(1), Form::sequence, [&] {
        if (!v.asymmetric()) return io.raw(v.value);
        io.constructed(univ::sequence, Form::sequence, [&] {
          req(io, "toBeSigned", {univ::sequence}, [&] { io.raw(v.to_be_signed); });
          signature_components(io, v.signed_by);
        });
      });
    });
  });
}

}  // namespace mixer::p1::mts
