// tests/unit/p1/mts/security_values.cpp: the security part of the X.411 value
// corpus (see values.hpp): every field of the X.509 structures, the token
// and the X.411 / X.420 security extensions set, with non-default values.
#include <stdexcept>

#include "p1/ber/writer.hpp"
#include "p1/mts/mts.hpp"
#include "tests/unit/p1/mts/values.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace mixer::p1::mts::test {

namespace {

const Oid ecdsa_sha256{1, 2, 840, 10045, 4, 3, 2};
const Oid rsa_encryption{1, 2, 840, 113549, 1, 1, 1};

Bytes string_value(Tag t, const Bytes& contents) {
  ber::Writer w;
  w.octets(contents, t);
  return w.take();
}
Bytes string_value(Tag t, const std::string& s) { return string_value(t, Bytes(s.begin(), s.end())); }

AttributeValueAssertionWire attribute(Oid type, Bytes value) {
  AttributeValueAssertionWire a;
  a.type = std::move(type);
  a.value = std::move(value);
  return a;
}


Signature signature(std::uint8_t fill) {
  Signature s;
  s.algorithm.algorithm = ecdsa_sha256;
  s.encrypted.bytes.assign(8, fill);
  return s;
}

SecurityLabel label() {
  SecurityLabel l;
  l.security_policy_identifier = Oid{1, 3, 6, 1, 4, 1, 99999, 9};
  l.security_classification = 3;
  l.privacy_mark = "TOKEN LABEL";
  return l;
}

// A Certificates value from the DER of a user certificate and of the CA certificates of its path.
Certificates certificates_from(const Bytes& user, const std::vector<Bytes>& path) {
  ber::Writer w;
  w.constructed(univ::sequence, [&] {
    w.raw(user);
    if (!path.empty())
      w.constructed(univ::sequence, [&] {
        for (const Bytes& c : path) w.constructed(univ::set, [&] { w.raw(c); });
      });
  });
  auto d = decode<MtsApdu>(message_with_extension_octets(ext::originator_certificate, w.take()));
  if (!d) throw std::runtime_error(d.error().what);
  return std::get<Certificates>(std::get<Message>(*d).envelope.extensions.at(0).value);
}

Token asymmetric_token(int name_which, std::optional<TokenData> data, std::uint8_t fill) {
  Token t;
  t.type = Oid{2, 6, 3, 6, 0};  // id-tok-asymmetricToken
  AsymmetricTokenToBeSigned& b = t.to_be_signed;
  b.signature_algorithm_identifier.algorithm = ecdsa_sha256;
  if (name_which == 0)
    b.name = simple_name("bob", "BETA");
  else
    b.name = TokenMta{gdi("BETA"), "beta.test"};
  b.time = "261123110000Z";
  b.signed_data = std::move(data);
  t.signed_by = signature(fill);
  return t;
}

TokenData token_data(std::int64_t type) {
  TokenData d;
  d.type = type;
  return d;
}

}  // namespace

NameWire name_with_every_string_kind() {
  const Oid cn{2, 5, 4, 3};
  NameWire n;
  n.push_back({attribute(Oid{2, 5, 4, 6}, string_value(univ::printable_string, std::string("GB")))});
  n.push_back({attribute(Oid{2, 5, 4, 10}, string_value(univ::teletex_string, std::string("B\xe9ta")))});
  n.push_back({attribute(Oid{2, 5, 4, 11}, string_value(univ::utf8_string, std::string("Us\xc3\xa9rs"))),
               attribute(cn, string_value(univ::bmp_string, Bytes{0x00, 'b', 0x03, 0xa9}))});  // multi-valued RDN
  n.push_back({attribute(cn, string_value(univ::universal_string, Bytes{0, 0, 0, 'x', 0, 1, 0xf4, 0xe7}))});
  n.push_back({attribute(Oid{1, 2, 840, 113549, 1, 9, 1}, string_value(univ::ia5_string, std::string("bob@beta.test")))});
  n.push_back({attribute(Oid{2, 5, 4, 24}, string_value(univ::numeric_string, std::string("0123 45")))});  // x121Address
  // Not a string: a uniqueIdentifier's BIT STRING (kept as its encoding); a PrintableString with '@'
  // (pseudonym) stays an encoding too.
  n.push_back({attribute(Oid{2, 5, 4, 45}, Bytes{0x03, 0x02, 0x00, 0x05})});
  n.push_back({attribute(Oid{2, 5, 4, 65}, string_value(univ::printable_string, std::string("a@b")))});
  return n;
}

CertificateAssertion full_certificate_assertion() {
  CertificateAssertion a;
  a.serial_number = Bytes{0x0b, 0x0c};
  a.issuer = NameWire{{attribute(Oid{2, 5, 4, 6}, string_value(univ::printable_string, std::string("GB")))},
                      {attribute(Oid{2, 5, 4, 3}, string_value(univ::printable_string, std::string("Beta root")))}};
  a.subject_key_identifier = Bytes{0x60, 0x05, 0x11, 0x68};
  AuthorityKeyIdentifier aki;
  aki.key_identifier = Bytes{0x4c, 0xd2, 0xbc, 0xaf};
  aki.authority_cert_issuer = {GeneralName{*a.issuer}};
  aki.authority_cert_serial_number = Bytes{0x0a};
  a.authority_key_identifier = aki;
  a.certificate_valid = X509Time{false, "261201000000Z"};
  a.private_key_valid = "20261201120000Z";
  a.subject_public_key_alg_id = Oid{1, 2, 840, 10045, 2, 1};  // id-ecPublicKey
  a.key_usage = BitString::from_flags(0b101);                  // digitalSignature, keyEncipherment
  a.subject_alt_name = AltNameType{std::int64_t{4}};  // builtinNameForm directoryName
  a.policy = {Oid{2, 5, 29, 32, 0}, Oid{1, 3, 6, 1, 4, 1, 99999, 3}};
  a.path_to_name = NameWire{{attribute(Oid{2, 5, 4, 10}, string_value(univ::utf8_string, std::string("Beta CA")))}};
  a.subject = name_with_every_string_kind();
  NameConstraintsSyntax nc;
  GeneralSubtree dns;
  dns.base = DnsName{"beta.test"};
  dns.minimum = 0;
  dns.maximum = 3;
  GeneralSubtree x400;
  x400.base = simple_name("bob", "BETA").address;
  nc.permitted_subtrees = {dns, x400};
  auto excluded = [&](GeneralName g) {
    GeneralSubtree s;
    s.base = std::move(g);
    nc.excluded_subtrees.push_back(std::move(s));
  };
  // id-pkinit-san: KRB5PrincipalName { realm [0] "BETA.TEST", principalName [1] { [0] 1, [1] { "bob" } } }
  excluded(OtherName{Oid{1, 3, 6, 1, 5, 2, 2},
                     p1::test::unhex("301fa00b1b09424554412e54455354a110300ea003020101a10730051b03626f62")});
  excluded(Rfc822Name{"eve@beta.test"});
  excluded(*a.path_to_name);  // directoryName
  EdiPartyName edi;
  edi.name_assigner = DirectoryString{StringKind::printable, "EDI assigner"};
  edi.party_name = DirectoryString{StringKind::utf8, "party \xc3\xa9"};
  excluded(edi);
  excluded(UniformResourceIdentifier{"http://beta.test/eve"});
  excluded(IpAddress{Bytes{192, 0, 2, 0, 255, 255, 255, 0}});
  excluded(Oid{1, 2, 3, 4});  // registeredID
  a.name_constraints = nc;
  return a;
}

Certificates certificates_with_path() {
  return certificates_from(p1::test::vector_file("mts/x509-ec-user-certificate.hex"),
                           {p1::test::vector_file("mts/x509-rsa-ca-certificate.hex")});
}

Extensions security_extensions() {
  auto check = [&](std::int64_t type, std::uint8_t fill) { return Extension::standard(type, signature(fill)); };
  // message-token (16): an asymmetric token to the recipient with MessageTokenSignedData, and
  // an encryption algorithm and encrypted data.
  TokenData signed_data = token_data(TokenData::message_token_signed_data);
  MessageTokenSignedData& s = signed_data.signed_data;
  s.content_confidentiality_algorithm_identifier = AlgorithmIdentifier{Oid{2, 16, 840, 1, 101, 3, 4, 1, 2}, std::nullopt};
  s.content_integrity_check = signature(0x44);
  s.message_security_label = label();
  s.proof_of_delivery_request = 1;
  s.message_sequence_number = 7;
  Token message_token = asymmetric_token(0, signed_data, 0xde);
  message_token.to_be_signed.encryption_algorithm_identifier = AlgorithmIdentifier{rsa_encryption, Bytes{0x05, 0x00}};
  message_token.to_be_signed.encrypted_data = BitString{Bytes{0xe1, 0xe2, 0xe3}, 0};
  Extension token = Extension::standard(ext::message_token, message_token);
  // originator-certificate (15): a user certificate with its certification path (OpenSSL's).
  Extension originator = Extension::standard(ext::originator_certificate, certificates_with_path());
  // multiple-originator-certificates (40): a directory entry and a certificate.
  ExtendedCertificate entry = name_with_every_string_kind();  // directory-entry
  ExtendedCertificate cert = openssl_certificates();          // certificate
  Extension multiple = Extension::standard(ext::multiple_originator_certificates, ExtendedCertificates{entry, cert});
  // certificate-selectors (45) with all five, and -override (46) with four.
  CertificateAssertion small;
  small.serial_number = Bytes{0x0a};
  small.subject_key_identifier = Bytes{0x2a, 0xd6};
  CertificateSelectors all;
  all.encryption_recipient = full_certificate_assertion();
  all.encryption_originator = small;
  all.content_integrity_check = small;
  all.token_signature = small;
  all.message_origin_authentication = small;
  Extension selectors = Extension::standard(ext::certificate_selectors, all);
  CertificateSelectors four;
  four.encryption_recipient = small;
  four.encryption_originator = small;
  four.content_integrity_check = small;
  four.token_signature = small;
  Extension override_ = Extension::standard(ext::certificate_selectors_override, four);
  // body-part-encryption-token (43): an encryption token with every field, and one nested
  // in a message or content body part.
  BodyPartToken first;
  first.body_part_number = 1;
  EncryptionToken& et = first.body_part_choice.emplace<EncryptionToken>();
  et.encryption_algorithm_identifier = AlgorithmIdentifier{rsa_encryption, Bytes{0x05, 0x00}};
  et.encrypted_key = BitString{Bytes{0x0e, 0x4c, 0x0e, 0x4c}, 0};
  et.recipient_certificate_selector = small;
  et.recipient_certificate = openssl_certificates();
  et.originator_certificate_selector = full_certificate_assertion();
  et.originator_certificates = {entry};
  BodyPartToken inner;
  inner.body_part_number = 1;
  EncryptionToken& inner_token = inner.body_part_choice.emplace<EncryptionToken>();
  inner_token.encryption_algorithm_identifier = AlgorithmIdentifier{rsa_encryption, std::nullopt};
  inner_token.encrypted_key = BitString{Bytes{0x99}, 0};
  BodyPartToken nested;
  nested.body_part_number = 2;
  nested.body_part_choice = std::vector<BodyPartToken>{inner};  // message-or-content-body-part
  Extension body_parts = Extension::standard(ext::body_part_encryption_token, BodyPartTokens{first, nested});
  // forwarded-content-token (44): tokens for a forwarded body part and, nested, for the body
  // parts of a forwarded message, with every TokenData kind.
  ForwardedContentTokenElement f1;
  f1.body_part_number = 1;
  TokenData encrypted = token_data(TokenData::message_token_encrypted_data);
  MessageTokenEncryptedData& x = encrypted.encrypted_data;
  x.content_confidentiality_key = BitString{Bytes{0xcc, 0xcc}, 0};
  x.content_integrity_check = signature(0x55);
  x.message_security_label = label();
  x.content_integrity_key = BitString{Bytes{0x1c, 0x1c}, 0};
  x.message_sequence_number = 8;
  f1.body_part_choice = asymmetric_token(1, encrypted, 0xf1);
  ForwardedContentTokenElement n1, n2, n3;
  n1.body_part_number = 1;
  TokenData random = token_data(TokenData::bind_token_signed_data);
  random.random_number = BitString{Bytes{0x12, 0x34, 0x56, 0x78}, 0};
  n1.body_part_choice = asymmetric_token(0, random, 0xf2);
  n2.body_part_number = 2;
  TokenData external = token_data(TokenData::bind_token_encrypted_data);
  // EXTERNAL { direct-reference 2.6.3.6.0, encoding octet-aligned [1] 'abcd' }
  external.value = p1::test::unhex("280a" "060456030600" "8102abcd");
  n2.body_part_choice = asymmetric_token(1, external, 0xf3);
  n3.body_part_number = 3;
  TokenData unknown = token_data(99);
  unknown.value = Bytes{0x04, 0x01, 0x63};
  n3.body_part_choice = asymmetric_token(0, unknown, 0xf4);
  ForwardedContentTokenElement f2;
  f2.body_part_number = 2;
  f2.body_part_choice = std::vector<ForwardedContentTokenElement>{n1, n2, n3};  // message-or-content-body-part
  Extension forwarded = Extension::standard(ext::forwarded_content_token, ForwardedContentToken{f1, f2});
  return {token, check(ext::content_integrity_check, 0x11), check(ext::message_origin_authentication_check, 0x22),
          check(ext::proof_of_submission, 0x35), originator, multiple, selectors, override_, body_parts, forwarded};
}

}  // namespace mixer::p1::mts::test
