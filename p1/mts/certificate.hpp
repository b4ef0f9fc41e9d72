// p1/mts/certificate.hpp: descriptions of the X.509 (2019) structures X.400
// carries: SIGNATURE{}, Certificate = SIGNED{TBSCertificate} (subjectPublicKeyInfo,
// extensions and certification path typed), Certificates, ExtendedCertificates
// (X.411; the X.501 Name's description is or_name.hpp's x509_name), and
// CertificateAssertion with GeneralName(s), AltNameType, CertPolicySet and
// NameConstraintsSyntax (CertificateExtensions, IMPLICIT TAGS). Modules in asn1/.
// Nothing is verified: a certificate's toBeSigned is typed and also kept as the
// octets received, written back unchanged while the typed value is (the
// signature covers them); extension values (extnValue) stay OCTET STRINGs,
// as their ASN.1 type says; open types of unknown identity stay encodings.
#pragma once

#include "p1/mts/common.hpp"

namespace mixer::p1::mts {

namespace names {
inline constexpr Named key_usage[] = {{0, "digitalSignature"}, {1, "contentCommitment"}, {2, "keyEncipherment"},
                                      {3, "dataEncipherment"}, {4, "keyAgreement"}, {5, "keyCertSign"},
                                      {6, "cRLSign"}, {7, "encipherOnly"}, {8, "decipherOnly"}};
inline constexpr Named builtin_name_form[] = {{1, "rfc822Name"}, {2, "dNSName"}, {3, "x400Address"},
                                              {4, "directoryName"}, {5, "ediPartyName"},
                                              {6, "uniformResourceIdentifier"}, {7, "iPAddress"},
                                              {8, "registeredId"}};
inline constexpr Named certificate_version[] = {{0, "v1"}, {1, "v2"}, {2, "v3"}};
}  // namespace names



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

// TBSCertificate ::= SEQUENCE { version [0] DEFAULT v1, serialNumber, signature, issuer, validity,
// subject, subjectPublicKeyInfo, issuerUniqueIdentifier [1], ..., subjectUniqueIdentifier [2],
// extensions [3] } (AuthenticationFramework: EXPLICIT tags unless IMPLICIT is written).
// Extension additions inside it are skipped: the received octets keep them.
template <class Io>
void tbs_certificate(Io& io, Certificate& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    opt(io, "version", {context(0)}, v.version, [&](std::int64_t& n) {
      io.constructed(context(0), Form::sequence, [&] {
        io.integer(n, univ::integer, names::certificate_version);
        io.range(n, 0, 2, nullptr);  // v1(0), v2(1), v3(2)
      });
    });
    req(io, "serialNumber", {univ::integer}, [&] { io.octets(v.serial_number, univ::integer); });
    req(io, "signature", {univ::sequence}, [&] { asn1(io, v.signature); });
    req(io, "issuer", {univ::sequence}, [&] { x509_name(io, v.issuer); });
    req(io, "validity", {univ::sequence}, [&] {
      io.constructed(univ::sequence, Form::sequence, [&] {
        req(io, "notBefore", {univ::utc_time, univ::generalized_time},
            [&] { x509_time(io, v.not_before_generalized, v.not_before); });
        req(io, "notAfter", {univ::utc_time, univ::generalized_time},
            [&] { x509_time(io, v.not_after_generalized, v.not_after); });
      }, true);
    });
    req(io, "subject", {univ::sequence}, [&] { x509_name(io, v.subject); });
    req(io, "subjectPublicKeyInfo", {univ::sequence}, [&] {
      io.constructed(univ::sequence, Form::sequence, [&] {
        req(io, "algorithm", {univ::sequence}, [&] { asn1(io, v.subject_public_key_info.algorithm); });
        req(io, "subjectPublicKey", {univ::bit_string}, [&] { io.bits(v.subject_public_key_info.subject_public_key); });
      }, true);
    });
    opt(io, "issuerUniqueIdentifier", {context(1)}, v.issuer_unique_identifier,
        [&](BitString& b) { io.bits(b, context(1)); });
    opt(io, "subjectUniqueIdentifier", {context(2)}, v.subject_unique_identifier,
        [&](BitString& b) { io.bits(b, context(2)); });
    opt_list(io, "extensions", {context(3)}, v.extensions, [&] {
      io.constructed(context(3), Form::sequence, [&] {
        list(io, univ::sequence, Form::sequence, v.extensions, one_or_more, [&](CertificateExtension& e) {
          io.constructed(univ::sequence, Form::sequence, [&] {
            req(io, "extnId", {univ::object_identifier}, [&] { io.oid(e.extn_id); });
            opt(io, "critical", {univ::boolean}, e.critical, [&](bool& b) { io.boolean(b); });
            req(io, "extnValue", {univ::octet_string}, [&] { io.octets(e.extn_value); });
          }, true);
        });
      });
    });
  }, true);
}

// Certificate ::= SIGNED{TBSCertificate} (X.509 §7; RFC 5280 §4.1 has the same octets)
template <class Io>
void asn1(Io& io, Certificate& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "toBeSigned", {univ::sequence}, [&] {
      signed_part(io, v, v.to_be_signed_received, [](auto& o, Certificate& c) { tbs_certificate(o, c); });
    });
    signature_components(io, v.signed_by);
  });
}

// Certificates ::= SEQUENCE { userCertificate Certificate, certificationPath ForwardCertificationPath OPTIONAL }
// ForwardCertificationPath ::= SEQUENCE SIZE (1..MAX) OF CrossCertificates (SET SIZE (1..MAX) OF Certificate)
// (tagged t where a user retags it implicitly)
template <class Io>
void asn1(Io& io, Certificates& v, Tag t = univ::sequence) {
  io.constructed(t, Form::sequence, [&] {
    req(io, "userCertificate", {univ::sequence}, [&] { asn1(io, v.user_certificate); });
    opt_list(io, "certificationPath", {univ::sequence}, v.certification_path, [&] {
      list(io, univ::sequence, Form::sequence, v.certification_path, one_or_more, [&](CrossCertificates& x) {
        list(io, univ::set, Form::set, x, one_or_more, [&](Certificate& c) { asn1(io, c); });
      });
    });
  });
}

// ExtendedCertificates ::= SET SIZE (1..ub-certificates) OF ExtendedCertificate, tagged t
// (X.420 uses it implicitly tagged). ExtendedCertificate: [0] Name is a CHOICE, so explicit.
template <class Io>
void extended_certificates(Io& io, std::vector<ExtendedCertificate>& v, Tag t) {
  list(io, t, Form::set, v, Bound{1, 64, "ub-certificates"}, [&](ExtendedCertificate& c) {
    choice(io, c, [&](auto alt) {
      alt(index<0>, "directory-entry", {context(0)}, [&](NameWire& n) { x509_name(io, n, context(0)); });
      alt(index<1>, "certificate", {context(1)}, [&](Certificates& x) { asn1(io, x, context(1)); });  // [1] IMPLICIT
    });
  });
}

// UnboundedDirectoryString ::= CHOICE { teletexString, printableString, bmpString,
// universalString, uTF8String } (X.520), each SIZE (1..MAX).
template <class Io>
void asn1(Io& io, DirectoryString& v) {
  static constexpr int alternatives[] = {1, 0, 3, 4, 2};  // indexes in string_alternatives, X.520 order
  int which = 0;
  for (int i = 0; i < 5; ++i)
    if (string_alternatives[alternatives[i]].kind == v.kind) which = i;
  choice(io, which, [&](auto alt) {
    for (int i = 0; i < 5; ++i) {
      const StringAlternative& a = string_alternatives[alternatives[i]];
      alt(i, a.name, {a.tag}, [&] { io.text(v.text, a.tag, a.kind, one_or_more); });
    }
  });
  if constexpr (Io::fills) v.kind = string_alternatives[alternatives[which]].kind;
}

inline const Tags directory_string_tags{univ::teletex_string, univ::printable_string, univ::bmp_string,
                                        univ::universal_string, univ::utf8_string};

// GeneralName ::= CHOICE { otherName [0] INSTANCE OF OTHER-NAME, rfc822Name [1] IA5String, dNSName [2],
// x400Address [3] ORAddress, directoryName [4] Name, ediPartyName [5], uniformResourceIdentifier [6],
// iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER, ... }
template <class Io>
void asn1(Io& io, GeneralName& v) {
  choice(io, v, [&](auto alt) {
    alt(index<0>, "otherName", {context(0)}, [&](OtherName& o) {
      io.constructed(context(0), Form::sequence, [&] {
        req(io, "type-id", {univ::object_identifier}, [&] { io.oid(o.type_id); });
        req(io, "value", {context(0)}, [&] { io.constructed(context(0), Form::sequence, [&] { io.raw(o.value); }); });
      });
    });
    alt(index<1>, "rfc822Name", {context(1)}, [&](Rfc822Name& n) { io.text(n.address, context(1), StringKind::ia5); });
    alt(index<2>, "dNSName", {context(2)}, [&](DnsName& n) { io.text(n.name, context(2), StringKind::ia5); });
    alt(index<3>, "x400Address", {context(3)}, [&](OrAddress& a) {
      OrAddressWire w;
      if constexpr (!Io::fills) w = to_wire(a);
      io.constructed(context(3), Form::sequence, [&] { asn1(io, w); });
      if constexpr (Io::fills) {
        if (io.ok()) from_wire(w, a);
      }
    });
    alt(index<4>, "directoryName", {context(4)}, [&](NameWire& n) { x509_name(io, n, context(4)); });
    alt(index<5>, "ediPartyName", {context(5)}, [&](EdiPartyName& e) {
      io.constructed(context(5), Form::sequence, [&] {  // EDIPartyName, [0] [1] explicit (CHOICE)
        opt(io, "nameAssigner", {context(0)}, e.name_assigner,
            [&](DirectoryString& s) { io.constructed(context(0), Form::sequence, [&] { asn1(io, s); }); });
        req(io, "partyName", {context(1)}, [&] { io.constructed(context(1), Form::sequence, [&] { asn1(io, e.party_name); }); });
        extension_additions(io, e.extension_additions);
      });
    });
    alt(index<6>, "uniformResourceIdentifier", {context(6)},
        [&](UniformResourceIdentifier& u) { io.text(u.uri, context(6), StringKind::ia5); });
    alt(index<7>, "iPAddress", {context(7)}, [&](IpAddress& a) { io.octets(a.octets, context(7)); });
    alt(index<8>, "registeredID", {context(8)}, [&](Oid& o) { io.oid(o, context(8)); });
    alt(index<9>, "unknown-alternative", Tags::anything(), [&](UnknownAlternative& u) { io.raw(u.encoding); });
  });
}

// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, tagged t.
template <class Io>
void general_names(Io& io, GeneralNames& v, Tag t = univ::sequence) {
  list(io, t, Form::sequence, v, one_or_more, [&](GeneralName& g) { asn1(io, g); });
}

// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0], authorityCertIssuer [1] GeneralNames,
// authorityCertSerialNumber [2] CertificateSerialNumber, ... }
template <class Io>
void asn1(Io& io, AuthorityKeyIdentifier& v, Tag t = univ::sequence) {
  io.constructed(t, Form::sequence, [&] {
    opt(io, "keyIdentifier", {context(0)}, v.key_identifier, [&](Bytes& b) { io.octets(b, context(0)); });
    opt_list(io, "authorityCertIssuer", {context(1)}, v.authority_cert_issuer,
             [&] { general_names(io, v.authority_cert_issuer, context(1)); });
    opt(io, "authorityCertSerialNumber", {context(2)}, v.authority_cert_serial_number,
        [&](Bytes& b) { io.octets(b, context(2)); });
    extension_additions(io, v.extension_additions);
  });
}

// GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree, tagged t;
// GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0, maximum [1] OPTIONAL, ... }
template <class Io>
void general_subtrees(Io& io, std::vector<GeneralSubtree>& v, Tag t) {
  list(io, t, Form::sequence, v, one_or_more, [&](GeneralSubtree& s) {
    io.constructed(univ::sequence, Form::sequence, [&] {
      req(io, "base", Tags::anything(), [&] { asn1(io, s.base); });
      auto distance = [&](const char* name, std::uint32_t n, std::optional<std::int64_t>& d) {
        opt(io, name, {context(n)}, d, [&](std::int64_t& x) {
          io.integer(x, context(n));
          io.range(x, 0, INT64_MAX, nullptr);  // BaseDistance ::= INTEGER (0..MAX)
        });
      };
      distance("minimum", 0, s.minimum);
      distance("maximum", 1, s.maximum);
      extension_additions(io, s.extension_additions);
    });
  });
}

// NameConstraintsSyntax ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
// excludedSubtrees [1] GeneralSubtrees OPTIONAL, ... }
template <class Io>
void asn1(Io& io, NameConstraintsSyntax& v, Tag t = univ::sequence) {
  io.constructed(t, Form::sequence, [&] {
    opt_list(io, "permittedSubtrees", {context(0)}, v.permitted_subtrees,
             [&] { general_subtrees(io, v.permitted_subtrees, context(0)); });
    opt_list(io, "excludedSubtrees", {context(1)}, v.excluded_subtrees,
             [&] { general_subtrees(io, v.excluded_subtrees, context(1)); });
    extension_additions(io, v.extension_additions);
  });
}

// CertificateAssertion ::= SEQUENCE { serialNumber [0], issuer [1] Name, subjectKeyIdentifier [2],
// authorityKeyIdentifier [3], certificateValid [4] Time, privateKeyValid [5] GeneralizedTime,
// subjectPublicKeyAlgID [6], keyUsage [7], subjectAltName [8] AltNameType, policy [9] CertPolicySet,
// pathToName [10] Name, subject [11] Name, nameConstraints [12] NameConstraintsSyntax, ... }
// (X.509 2019 CertificateExtensions, IMPLICIT TAGS: Name, Time and AltNameType are CHOICEs, so explicit.)
template <class Io>
void asn1(Io& io, CertificateAssertion& v, Tag t = univ::sequence) {
  io.constructed(t, Form::sequence, [&] {
    opt(io, "serialNumber", {context(0)}, v.serial_number, [&](Bytes& b) { io.octets(b, context(0)); });
    opt(io, "issuer", {context(1)}, v.issuer, [&](NameWire& n) { x509_name(io, n, context(1)); });
    opt(io, "subjectKeyIdentifier", {context(2)}, v.subject_key_identifier, [&](Bytes& b) { io.octets(b, context(2)); });
    opt(io, "authorityKeyIdentifier", {context(3)}, v.authority_key_identifier,
        [&](AuthorityKeyIdentifier& a) { asn1(io, a, context(3)); });
    opt(io, "certificateValid", {context(4)}, v.certificate_valid, [&](X509Time& x) {
      io.constructed(context(4), Form::sequence, [&] { x509_time(io, x.generalized, x.value); });
    });
    opt(io, "privateKeyValid", {context(5)}, v.private_key_valid, [&](Time& x) { io.time(x, context(5), ber::TimeKind::generalized); });
    opt(io, "subjectPublicKeyAlgID", {context(6)}, v.subject_public_key_alg_id, [&](Oid& o) { io.oid(o, context(6)); });
    opt(io, "keyUsage", {context(7)}, v.key_usage, [&](BitString& b) { io.bits(b, context(7), names::key_usage); });
    opt(io, "subjectAltName", {context(8)}, v.subject_alt_name, [&](AltNameType& a) {
      io.constructed(context(8), Form::sequence, [&] {
        choice(io, a, [&](auto alt) {
          alt(index<0>, "builtinNameForm", {univ::enumerated},
              [&](std::int64_t& n) { io.integer(n, univ::enumerated, names::builtin_name_form); });
          alt(index<1>, "otherNameForm", {univ::object_identifier}, [&](Oid& o) { io.oid(o); });
          alt(index<2>, "unknown-alternative", Tags::anything(),
              [&](UnknownAlternative& u) { io.raw(u.encoding); });  // after "..."
        });
      });
    });
    opt_list(io, "policy", {context(9)}, v.policy,
             [&] { list(io, context(9), Form::sequence, v.policy, one_or_more, [&](Oid& o) { io.oid(o); }); });
    opt(io, "pathToName", {context(10)}, v.path_to_name, [&](NameWire& n) { x509_name(io, n, context(10)); });
    opt(io, "subject", {context(11)}, v.subject, [&](NameWire& n) { x509_name(io, n, context(11)); });
    opt(io, "nameConstraints", {context(12)}, v.name_constraints,
        [&](NameConstraintsSyntax& n) { asn1(io, n, context(12)); });
    extension_additions(io, v.extension_additions);
  });
}

}  // namespace mixer::p1::mts
