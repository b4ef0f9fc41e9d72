// tests/unit/p1/mts_security_test.cpp: the X.411 security values (p1/mts
// certificate.hpp, security.hpp) at the X.509 structural level: OpenSSL
// certificates typed (subjectPublicKeyInfo, extensions, names, certification
// path) and written back octet for octet, received signed parts kept lossless
// when they are not DER, every security extension of the corpus round trip,
// and the limits: damaged or over-bound fields refused with their path.
#include <gtest/gtest.h>

#include "p1/mts/mts.hpp"
#include "p1/mts/tree_io.hpp"
#include "tests/unit/p1/mts/round_trip.hpp"
#include "tests/unit/p1/mts/support.hpp"
#include "tests/unit/p1/mts/values.hpp"

namespace {

using namespace mixer::p1::mts;
using namespace mixer::p1::mts::test;

const Extension& find(const Extensions& x, std::int64_t type) {
  if (const Extension* e = find_extension(x, type)) return *e;
  throw std::runtime_error("extension " + std::to_string(type) + " not found");
}

// An extension's value as T (std::get: a test failure when it holds another alternative).
template <class T>
T& as(Extension& e) {
  return std::get<T>(e.value);
}
template <class T>
const T& as(const Extension& e) {
  return std::get<T>(e.value);
}

bool contains(const Bytes& hay, const Bytes& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

MtsApdu with_security_extensions() {
  MtsApdu a = full_message(1);
  std::get<Message>(a).envelope.extensions = security_extensions();
  return a;
}

// An X.509 certificate made by OpenSSL (`openssl req -x509`, ECDSA P-256; its `openssl x509
// -text` is x509-ec-certificate.txt) as originator-certificate (15): the values OpenSSL
// printed, typed, and the same octets written back (the tree path too).
TEST(X411Security, openssl_certificate_as_originator_certificate) {
  Bytes der = vector_file("mts/x509-ec-certificate.hex");
  ASSERT_EQ(der.size(), 450u);
  Bytes in = message_with_extension_octets(ext::originator_certificate, certificates_of(der));
  auto d = decode<MtsApdu>(in);
  ASSERT_TRUE(d) << d.error().what;
  const Extension& e = std::get<Message>(*d).envelope.extensions.at(0);
  ASSERT_TRUE(e.is(ext::originator_certificate));
  ASSERT_TRUE(e.value_as<Certificates>());
  const Certificate& c = as<Certificates>(e).user_certificate;
  EXPECT_TRUE(as<Certificates>(e).certification_path.empty());
  EXPECT_EQ(*c.version, 2);  // "Version: 3 (0x2)"
  EXPECT_EQ(c.serial_number, unhex("1f2e3d4c5b6a79880102030405060708"));
  EXPECT_EQ(c.signature.algorithm, (Oid{1, 2, 840, 10045, 4, 3, 2}));  // ecdsa-with-SHA256
  EXPECT_FALSE(c.signature.parameters);
  ASSERT_EQ(c.issuer.size(), 3u);  // C = GB, O = Alpha, CN = MTA alpha.test
  EXPECT_EQ(c.issuer[0].at(0).type, (Oid{2, 5, 4, 6}));
  EXPECT_EQ(c.issuer[0].at(0).value, unhex("13024742"));
  EXPECT_EQ(c.issuer[2].at(0).type, (Oid{2, 5, 4, 3}));
  EXPECT_EQ(c.subject, c.issuer);  // self-signed
  EXPECT_EQ(c.not_before, "261123153952Z");  // Nov 23 15:39:52 2026 GMT
  EXPECT_EQ(c.not_after, "361120153952Z");
  EXPECT_FALSE(c.not_before_generalized);
  // Public Key Algorithm: id-ecPublicKey, ASN1 OID: prime256v1, pub: 04:08:c7:2a:...:ce:1d:c4
  const SubjectPublicKeyInfo& k = c.subject_public_key_info;
  EXPECT_EQ(k.algorithm.algorithm, (Oid{1, 2, 840, 10045, 2, 1}));
  EXPECT_EQ(*k.algorithm.parameters, unhex("06082a8648ce3d030107"));
  ASSERT_EQ(k.subject_public_key.bytes.size(), 65u);
  EXPECT_EQ(k.subject_public_key.unused_bits, 0);
  EXPECT_EQ(k.subject_public_key.bytes[0], 0x04);
  EXPECT_EQ(k.subject_public_key.bytes[64], 0xc4);
  // X509v3 Subject Key Identifier, Authority Key Identifier, Basic Constraints: critical, CA:TRUE
  ASSERT_EQ(c.extensions.size(), 3u);
  EXPECT_EQ(c.extensions[0].extn_id, (Oid{2, 5, 29, 14}));
  EXPECT_FALSE(c.extensions[0].critical);
  EXPECT_EQ(c.extensions[0].extn_value, unhex("04142ad6eaeb8d4a31b61f53454623219b6c6004a077"));
  EXPECT_EQ(c.extensions[1].extn_id, (Oid{2, 5, 29, 35}));
  EXPECT_EQ(c.extensions[2].extn_id, (Oid{2, 5, 29, 19}));
  EXPECT_EQ(c.extensions[2].critical, std::optional<bool>(true));
  EXPECT_EQ(c.extensions[2].extn_value, unhex("30030101ff"));
  EXPECT_EQ(c.signed_by.algorithm.algorithm, c.signature.algorithm);
  EXPECT_EQ(c.signed_by.encrypted.unused_bits, 0);
  // DER in: the received toBeSigned is what the typed value encodes to.
  EXPECT_EQ(c.to_be_signed_received.encoding.size(), 0x163u + 4);
  EXPECT_TRUE(c.to_be_signed_received.canonical.empty());
  std::string tree = print_tree(to_tree(*d));
  EXPECT_NE(tree.find("printableString: GB (PrintableString)"), std::string::npos) << tree;
  EXPECT_NE(tree.find("uTF8String: MTA alpha.test (UTF8String)"), std::string::npos) << tree;
  EXPECT_EQ(tree.find("received-encoding"), std::string::npos);
  EXPECT_EQ(encode(*d).value(), in);
  MtsApdu back;
  auto err = from_tree(to_tree(*d), back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back).value(), in);
  // The same certificate as recipient-certificate (28), reporting- and originating-MTA-certificate.
  for (std::uint8_t t : {ext::recipient_certificate, ext::reporting_mta_certificate, ext::originating_mta_certificate}) {
    Bytes other = message_with_extension_octets(t, certificates_of(der));
    auto o = decode<MtsApdu>(other);
    ASSERT_TRUE(o) << o.error().what;
    EXPECT_EQ(as<Certificates>(std::get<Message>(*o).envelope.extensions.at(0)).user_certificate.serial_number, c.serial_number);
    EXPECT_EQ(encode(*o).value(), other);
  }
}

// An OpenSSL user certificate (EC key, RSA CA, subjectAltName of six kinds, a subject in
// PrintableString, T61String, BMPString and IA5String) with its CA's certificate as the
// certification path: typed, and both certificates written back octet for octet.
TEST(X411Security, certification_path_and_name_string_kinds) {
  Bytes user = vector_file("mts/x509-ec-user-certificate.hex");
  Bytes ca = vector_file("mts/x509-rsa-ca-certificate.hex");
  Certificates cs = certificates_with_path();
  ASSERT_EQ(cs.certification_path.size(), 1u);
  ASSERT_EQ(cs.certification_path[0].size(), 1u);
  const Certificate& root = cs.certification_path[0][0];
  EXPECT_EQ(root.serial_number, unhex("0a"));
  EXPECT_EQ(root.subject_public_key_info.algorithm.algorithm, (Oid{1, 2, 840, 113549, 1, 1, 1}));  // rsaEncryption
  EXPECT_EQ(*root.subject_public_key_info.algorithm.parameters, unhex("0500"));
  const Certificate& u = cs.user_certificate;
  EXPECT_EQ(u.serial_number, unhex("0b0c"));
  EXPECT_EQ(u.issuer, root.subject);
  ASSERT_EQ(u.subject.size(), 5u);  // C = GB, O = B\C3\A9ta, OU = Users, CN = bob \CE\A9, emailAddress
  EXPECT_EQ(u.subject[1][0].value, unhex("140442e97461"));  // T61String "B\xe9ta"
  ASSERT_EQ(u.extensions.size(), 4u);  // SKI, AKI, key usage (critical), subjectAltName
  EXPECT_EQ(u.extensions[2].extn_id, (Oid{2, 5, 29, 15}));
  EXPECT_EQ(u.extensions[2].critical, std::optional<bool>(true));
  EXPECT_EQ(u.extensions[3].extn_id, (Oid{2, 5, 29, 17}));
  MtsApdu a = full_message(1);
  std::get<Message>(a).envelope.extensions = {Extension::standard(ext::originator_certificate, cs)};
  expect_round_trip(a);
  Bytes out = encode(a).value();
  EXPECT_TRUE(contains(out, user));
  EXPECT_TRUE(contains(out, ca));
  std::string tree = print_tree(to_tree(a));
  // The T61String value is OpenSSL's Latin-1 "B\xe9ta": read as T.61 (0xE9 is O with stroke), as X.509 says.
  for (const char* line : {"teletexString: B\xc3\x98ta (TeletexString)", "bmpString: bob \xce\xa9 (BMPString)",
                           "ia5String: bob@beta.test (IA5String)", "printableString: Users (PrintableString)",
                           "certificationPath [1]", "subjectPublicKey: ", "extnId: 2.5.29.17 (OBJECT IDENTIFIER)",
                           "critical: TRUE"})
    EXPECT_NE(tree.find(line), std::string::npos) << line << "\n" << tree;
}

// A toBeSigned received in BER that is not DER (here a long-form length where the short
// one would do) is covered by the signature as it came: it is written back unchanged, by
// the value and by the tree path ("received-encoding"); a changed value is encoded anew.
TEST(X411Security, non_der_certificate_to_be_signed_is_written_back_as_received) {
  Bytes der = vector_file("mts/x509-ec-certificate.hex");
  ASSERT_EQ(Bytes(der.begin(), der.begin() + 8), unhex("308201be30820163"));
  Bytes ber = unhex("308201bf3083000163");  // the TBS length in 3 octets instead of 2
  ber.insert(ber.end(), der.begin() + 8, der.end());
  const std::ptrdiff_t tbs = 0x163;  // the TBS contents: after a 4-octet header in DER, 5 in `ber`
  Bytes in = message_with_extension_octets(ext::originator_certificate, certificates_of(ber));
  auto d = decode<MtsApdu>(in);
  ASSERT_TRUE(d) << d.error().what;
  Certificate& c = as<Certificates>(std::get<Message>(*d).envelope.extensions.at(0)).user_certificate;
  EXPECT_EQ(c.to_be_signed_received.encoding, Bytes(ber.begin() + 4, ber.begin() + 4 + 5 + tbs));
  EXPECT_EQ(c.to_be_signed_received.canonical, Bytes(der.begin() + 4, der.begin() + 4 + 4 + tbs));
  EXPECT_EQ(encode(*d).value(), in);
  Node tree = to_tree(*d);
  EXPECT_NE(print_tree(tree).find("received-encoding: 3083000163"), std::string::npos);
  MtsApdu back;
  auto err = from_tree(tree, back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back).value(), in);
  // Without the received octets (a value built here): the DER form.
  MtsApdu built = *d;
  as<Certificates>(std::get<Message>(built).envelope.extensions.at(0)).user_certificate.to_be_signed_received = {};
  EXPECT_TRUE(contains(encode(built).value(), der));
  // A changed value is no longer what was signed: written as it now encodes (DER).
  c.serial_number = unhex("01");
  auto again = decode<MtsApdu>(encode(*d).value());
  ASSERT_TRUE(again) << again.error().what;
  const Certificate& c2 = as<Certificates>(std::get<Message>(*again).envelope.extensions.at(0)).user_certificate;
  EXPECT_EQ(c2.serial_number, unhex("01"));
  EXPECT_TRUE(c2.to_be_signed_received.canonical.empty());
  EXPECT_EQ(c2.to_be_signed_received.encoding[1], 0x82);
}

// The asymmetric token's toBeSigned received with an indefinite length: the same guarantee.
TEST(X411Security, non_der_token_to_be_signed_is_written_back_as_received) {
  MtsApdu t = full_message(1);
  std::get<Message>(t).envelope.extensions = {security_extensions().at(0)};
  auto td = decode<MtsApdu>(encode(t).value());
  ASSERT_TRUE(td) << td.error().what;
  const Token& tok = as<Token>(std::get<Message>(*td).envelope.extensions.at(0));
  const Bytes& definite = tok.to_be_signed_received.encoding;
  ASSERT_EQ(definite[0], 0x30);
  EXPECT_TRUE(tok.to_be_signed_received.canonical.empty());
  const std::size_t header = definite[1] & 0x80 ? 2u + (definite[1] & 0x7fu) : 2u;
  Bytes indefinite = unhex("3080");
  indefinite.insert(indefinite.end(), definite.begin() + static_cast<std::ptrdiff_t>(header), definite.end());
  indefinite.push_back(0);
  indefinite.push_back(0);
  // Token ::= SEQUENCE { [0] id-tok-asymmetricToken, [1] { SEQUENCE { toBeSigned, algorithm, signature } } }
  mixer::p1::ber::Writer w;
  w.constructed(univ::sequence, [&] {
    w.oid(tok.type, context(0));
    w.constructed(context(1), [&] {
      w.constructed(univ::sequence, [&] {
        w.raw(indefinite);
        w.constructed(univ::sequence, [&] { w.oid(tok.signed_by.algorithm.algorithm); });
        w.bit_string(tok.signed_by.encrypted);
      });
    });
  });
  Bytes in = message_with_extension_octets(ext::message_token, w.take());
  auto d = decode<MtsApdu>(in);
  ASSERT_TRUE(d) << d.error().what;
  const Token& got = as<Token>(std::get<Message>(*d).envelope.extensions.at(0));
  EXPECT_EQ(got.to_be_signed.time, "261123110000Z");
  EXPECT_EQ(got.to_be_signed_received.encoding, indefinite);
  EXPECT_EQ(got.to_be_signed_received.canonical, definite);
  EXPECT_EQ(encode(*d).value(), in);
  MtsApdu back;
  auto err = from_tree(to_tree(*d), back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back).value(), in);
}

// Every security extension of the corpus: round trip, and the typed values read back.
TEST(X411Security, every_security_extension_round_trips_typed) {
  MtsApdu a = with_security_extensions();
  expect_round_trip(a);
  Bytes e = encode(a).value();
  // content-integrity-check as X.411/X.509 give it: [0] 18, [2] { SEQUENCE { AlgorithmIdentifier
  // { ecdsa-with-SHA256 }, BIT STRING (0 unused bits) 11 x 8 } }.
  EXPECT_TRUE(contains(e, unhex("800112" "a219" "3017" "300a" "06082a8648ce3d040302" "0309" "00" "1111111111111111")));
  auto d = must_decode<MtsApdu>(e);
  const Extensions& x = std::get<Message>(d).envelope.extensions;
  EXPECT_EQ(as<Signature>(find(x, ext::proof_of_submission)).encrypted.bytes, Bytes(8, 0x35));
  // message-token: the asymmetric token typed.
  const Token& t = as<Token>(find(x, ext::message_token));
  ASSERT_TRUE(t.asymmetric());
  EXPECT_EQ(t.signed_by.encrypted.bytes, Bytes(8, 0xde));
  const AsymmetricTokenToBeSigned& b = t.to_be_signed;
  ASSERT_EQ(b.name.index(), 0u);  // recipient-name
  EXPECT_EQ(*std::get<OrName>(b.name).address.personal_name.surname.printable, "bob");
  ASSERT_TRUE(b.signed_data);
  EXPECT_EQ(b.signed_data->type, TokenData::message_token_signed_data);
  const MessageTokenSignedData& s = b.signed_data->signed_data;
  EXPECT_EQ(s.content_confidentiality_algorithm_identifier->algorithm, (Oid{2, 16, 840, 1, 101, 3, 4, 1, 2}));
  EXPECT_EQ(s.content_integrity_check->encrypted.bytes, Bytes(8, 0x44));
  EXPECT_EQ(*s.message_security_label->privacy_mark, "TOKEN LABEL");
  EXPECT_EQ(*s.proof_of_delivery_request, 1);
  EXPECT_EQ(*s.message_sequence_number, 7);
  EXPECT_EQ(b.encryption_algorithm_identifier->parameters, unhex("0500"));
  EXPECT_EQ(b.encrypted_data->bytes, unhex("e1e2e3"));
  // originator-certificate with its certification path; multiple-originator-certificates.
  EXPECT_EQ(as<Certificates>(find(x, ext::originator_certificate)).certification_path.at(0).at(0).serial_number, unhex("0a"));
  const auto& multiple = as<ExtendedCertificates>(find(x, ext::multiple_originator_certificates));
  ASSERT_EQ(multiple.size(), 2u);
  ASSERT_EQ(multiple[0].index(), 0u);  // directory-entry
  EXPECT_EQ(std::get<NameWire>(multiple[0]), name_with_every_string_kind());
  EXPECT_EQ(std::get<Certificates>(multiple[1]).user_certificate.serial_number, unhex("1f2e3d4c5b6a79880102030405060708"));
  // certificate selectors: the full CertificateAssertion.
  const CertificateSelectors& sel = as<CertificateSelectors>(find(x, ext::certificate_selectors));
  ASSERT_TRUE(sel.encryption_recipient && sel.message_origin_authentication);
  const CertificateAssertion& ca = *sel.encryption_recipient;
  EXPECT_EQ(*ca.serial_number, unhex("0b0c"));
  EXPECT_TRUE(std::holds_alternative<NameWire>(ca.authority_key_identifier->authority_cert_issuer.at(0)));  // directoryName
  EXPECT_EQ(ca.certificate_valid->value, "261201000000Z");
  EXPECT_EQ(*ca.private_key_valid, "20261201120000Z");
  EXPECT_EQ(std::get<std::int64_t>(*ca.subject_alt_name), 4);  // builtinNameForm
  EXPECT_EQ(ca.policy.size(), 2u);
  const NameConstraintsSyntax& nc = *ca.name_constraints;
  ASSERT_EQ(nc.permitted_subtrees.size(), 2u);
  EXPECT_EQ(std::get<DnsName>(nc.permitted_subtrees[0].base).name, "beta.test");
  EXPECT_EQ(*nc.permitted_subtrees[0].minimum, 0);  // DEFAULT 0 given explicitly: kept
  EXPECT_EQ(*std::get<OrAddress>(nc.permitted_subtrees[1].base).personal_name.surname.printable, "bob");
  ASSERT_EQ(nc.excluded_subtrees.size(), 7u);
  EXPECT_EQ(std::get<OtherName>(nc.excluded_subtrees[0].base).type_id, (Oid{1, 3, 6, 1, 5, 2, 2}));
  EXPECT_EQ(std::get<EdiPartyName>(nc.excluded_subtrees[3].base).party_name.text, "party \xc3\xa9");
  EXPECT_EQ(std::get<EdiPartyName>(nc.excluded_subtrees[3].base).name_assigner->kind, StringKind::printable);
  EXPECT_EQ(std::get<IpAddress>(nc.excluded_subtrees[5].base).octets, (Bytes{192, 0, 2, 0, 255, 255, 255, 0}));
  EXPECT_FALSE(as<CertificateSelectors>(find(x, ext::certificate_selectors_override)).message_origin_authentication);
  // body-part-encryption-token (43): nested.
  const auto& bpt = as<BodyPartTokens>(find(x, ext::body_part_encryption_token));
  ASSERT_EQ(bpt.size(), 2u);
  const EncryptionToken& first = std::get<EncryptionToken>(bpt[0].body_part_choice);
  EXPECT_EQ(first.encrypted_key.bytes, unhex("0e4c0e4c"));
  EXPECT_EQ(first.originator_certificates.size(), 1u);
  EXPECT_TRUE(first.recipient_certificate);
  ASSERT_EQ(bpt[1].body_part_choice.index(), 1u);  // message-or-content-body-part
  const auto& inner = std::get<std::vector<BodyPartToken>>(bpt[1].body_part_choice);
  EXPECT_EQ(std::get<EncryptionToken>(inner.at(0).body_part_choice).encrypted_key.bytes, unhex("99"));
  // forwarded-content-token (44): every TokenData kind.
  const auto& fct = as<ForwardedContentToken>(find(x, ext::forwarded_content_token));
  ASSERT_EQ(fct.size(), 2u);
  const AsymmetricTokenToBeSigned& f1 = std::get<Token>(fct[0].body_part_choice).to_be_signed;
  ASSERT_EQ(f1.name.index(), 1u);  // mta
  EXPECT_EQ(std::get<TokenMta>(f1.name).mta_name, "beta.test");
  EXPECT_EQ(f1.signed_data->encrypted_data.content_integrity_key->bytes, unhex("1c1c"));
  EXPECT_EQ(*f1.signed_data->encrypted_data.message_sequence_number, 8);
  const auto& nested = std::get<std::vector<ForwardedContentTokenElement>>(fct[1].body_part_choice);
  ASSERT_EQ(nested.size(), 3u);
  EXPECT_EQ(std::get<Token>(nested[0].body_part_choice).to_be_signed.signed_data->random_number.bytes, unhex("12345678"));
  EXPECT_EQ(std::get<Token>(nested[1].body_part_choice).to_be_signed.signed_data->value, unhex("280a060456030600" "8102abcd"));
  EXPECT_EQ(std::get<Token>(nested[2].body_part_choice).to_be_signed.signed_data->type, 99);
  // Names in the tree: each string kind as text, the rest as encodings.
  std::string tree = print_tree(to_tree(d));
  for (const char* line : {"numericString: 0123 45 (NumericString)", "universalString: x\xf0\x9f\x93\xa7 (UniversalString)",
                           "uTF8String: Us\xc3\xa9rs (UTF8String)", "value: 03020005 (encoding)",
                           "value: 1303614062 (encoding)", "partyName", "uTF8String: party \xc3\xa9",
                           "type: 2 (message-token-signed-data)", "proof-of-delivery-request: 1 (proof-of-delivery-requested)",
                           "keyUsage: 101 (digitalSignature, keyEncipherment)", "builtinNameForm: 4 (directoryName)"})
    EXPECT_NE(tree.find(line), std::string::npos) << line;
  // A token of another type keeps its value's encoding.
  Token other_type;
  other_type.type = Oid{1, 3, 6, 1, 4, 1, 99999, 7};
  other_type.value = unhex("0401ff");
  std::get<Message>(a).envelope.extensions = {Extension::standard(ext::message_token, other_type)};
  expect_round_trip(a);
}

// Extension additions ("...") and CHOICE alternatives added after "..." that we do not know:
// kept as their encodings in CertificateAssertion and its parts and in X.420's EncryptionToken
// (a SET: written back in tag order with the known components).
TEST(X411Security, unknown_extension_additions_and_alternatives_are_kept) {
  CertificateAssertion a;
  a.extension_additions = {unhex("8d0105"), unhex("ae03020101")};
  AuthorityKeyIdentifier aki;
  aki.key_identifier = unhex("01");
  aki.extension_additions = {unhex("830107")};
  a.authority_key_identifier = aki;
  a.subject_alt_name = AltNameType{UnknownAlternative{unhex("0101ff")}};
  NameConstraintsSyntax nc;
  GeneralSubtree sub;
  sub.base = UnknownAlternative{unhex("8901aa")};
  sub.extension_additions = {unhex("820107")};
  GeneralSubtree edi;
  EdiPartyName party;
  party.party_name = DirectoryString{StringKind::teletex, "T\xe9"};
  party.extension_additions = {unhex("a203130141")};
  edi.base = party;
  nc.permitted_subtrees = {sub, edi};
  nc.extension_additions = {unhex("8200")};
  a.name_constraints = nc;
  CertificateSelectors selected;
  selected.token_signature = a;
  Extension selectors = Extension::standard(ext::certificate_selectors, selected);
  BodyPartToken t;
  EncryptionToken& token = t.body_part_choice.emplace<EncryptionToken>();
  token.encryption_algorithm_identifier.algorithm = Oid{1, 2, 3};
  token.encrypted_key = BitString{Bytes{0x01}, 0};
  token.extension_additions = {unhex("0c0178"), unhex("840102")};  // a UTF8String and [4], in tag order
  Extension tokens = Extension::standard(ext::body_part_encryption_token, BodyPartTokens{t});
  MtsApdu m = full_message(1);
  std::get<Message>(m).envelope.extensions = {selectors, tokens};
  expect_round_trip(m);
  auto d = must_decode<MtsApdu>(encode(m).value());
  const CertificateAssertion& got = *as<CertificateSelectors>(find(std::get<Message>(d).envelope.extensions, ext::certificate_selectors)).token_signature;
  EXPECT_EQ(got.extension_additions, a.extension_additions);
  EXPECT_EQ(got.authority_key_identifier->extension_additions, aki.extension_additions);
  EXPECT_EQ(std::get<UnknownAlternative>(*got.subject_alt_name).encoding, unhex("0101ff"));
  EXPECT_EQ(std::get<UnknownAlternative>(got.name_constraints->permitted_subtrees[0].base).encoding, unhex("8901aa"));
  EXPECT_EQ(got.name_constraints->permitted_subtrees[0].extension_additions, sub.extension_additions);
  EXPECT_EQ(std::get<EdiPartyName>(got.name_constraints->permitted_subtrees[1].base).extension_additions, party.extension_additions);
  EXPECT_EQ(got.name_constraints->extension_additions, nc.extension_additions);
  const auto& et = as<BodyPartTokens>(find(std::get<Message>(d).envelope.extensions, ext::body_part_encryption_token)).at(0).body_part_choice;
  EXPECT_EQ(std::get<EncryptionToken>(et).extension_additions, token.extension_additions);
  // Among the known components in DER order: UTF8String (12) before SEQUENCE (16), [4] last.
  EXPECT_TRUE(contains(encode(d).value(), unhex("03020001" "0c0178" "3004060" "22a03" "840102")));
  std::string tree = print_tree(to_tree(d));
  EXPECT_NE(tree.find("extension-additions [2]"), std::string::npos) << tree;
  EXPECT_NE(tree.find("unknown-alternative: 8901aa (encoding)"), std::string::npos) << tree;
}

// X.420 body-part-signatures heading extension's originator-certificate-selector is the same
// CertificateAssertion (ipms_test reads the IPM); here: a name value that is a string but not
// in its DER form stays its encoding, so it too comes back octet for octet.
TEST(X411Security, non_der_name_value_stays_an_encoding) {
  MtsApdu a = full_message(1);
  ExtendedCertificate entry = NameWire{{AttributeValueAssertionWire{Oid{2, 5, 4, 6}, unhex("1381024742")}},  // long form
                                       {AttributeValueAssertionWire{Oid{2, 5, 4, 3}, unhex("330613014213014f")}}};  // constructed
  std::get<Message>(a).envelope.extensions = {Extension::standard(ext::multiple_originator_certificates, ExtendedCertificates{entry})};
  expect_round_trip(a);
  std::string tree = print_tree(to_tree(a));
  EXPECT_NE(tree.find("value: 1381024742 (encoding)"), std::string::npos) << tree;
  EXPECT_NE(tree.find("value: 330613014213014f (encoding)"), std::string::npos) << tree;
}

// ---- limits and errors

Bytes with_extension(const Extension& e) {
  MtsApdu a = full_message(1);
  std::get<Message>(a).envelope.extensions = {e};
  return encode(a).value();
}

void expect_error(const Bytes& in, const std::string& what) {
  auto d = decode<MtsApdu>(in);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find(what), std::string::npos) << d.error().what;
}

TEST(X411SecurityLimits, over_bound_and_damaged_fields_name_their_path) {
  const Extensions all = security_extensions();
  // ExtendedCertificates: SIZE (1..ub-certificates).
  Extension many = find(all, ext::multiple_originator_certificates);
  as<ExtendedCertificates>(many).assign(65, as<ExtendedCertificates>(many)[0]);
  expect_error(with_extension(many), "MTS-APDU.message.envelope.extensions[0].value: more than 64 elements (ub-certificates)");
  // BodyPartNumber ::= INTEGER (1..MAX), in a nested body part token.
  Extension zero = find(all, ext::body_part_encryption_token);
  std::get<std::vector<BodyPartToken>>(as<BodyPartTokens>(zero)[1].body_part_choice)[0].body_part_number = 0;
  expect_error(with_extension(zero),
               "extensions[0].value[1].body-part-choice.message-or-content-body-part[0].body-part-number: value 0 outside");
  // MTAName in a forwarded content token's token: ub-mta-name-length.
  Extension mta = find(all, ext::forwarded_content_token);
  std::get<TokenMta>(std::get<Token>(as<ForwardedContentToken>(mta)[0].body_part_choice).to_be_signed.name).mta_name =
      std::string(33, 'm');
  expect_error(with_extension(mta), "extensions[0].value[0].body-part-choice.forwarding-token.token.toBeSigned.name.mta.mta-name: "
                                    "IA5String of 33 characters, outside SIZE (1..32) (ub-mta-name-length)");
  // TokenData value not of its type's (2: a SEQUENCE) kind.
  Extension token = find(all, ext::message_token);
  as<Token>(token).to_be_signed.signed_data->type = TokenData::bind_token_signed_data;
  Bytes bad = with_extension(token);  // written as a BIT STRING: [0] 1, [1] { BIT STRING '' } ...
  Bytes one = unhex("800101a103030100");
  auto at = std::search(bad.begin(), bad.end(), one.begin(), one.end());
  ASSERT_NE(at, bad.end());
  at[2] = 2;  // ... retyped 2 (MessageTokenSignedData, a SEQUENCE)
  expect_error(bad, "extensions[0].value.token.toBeSigned.signed-data.value: expected UNIVERSAL 16");
  // certificate-selectors-override: message-origin-authentication [4] is ABSENT.
  Extension sel = find(all, ext::certificate_selectors);
  Bytes with4 = with_extension(sel);
  Bytes t45 = unhex("80012d"), t46 = unhex("80012e");
  auto s45 = std::search(with4.begin(), with4.end(), t45.begin(), t45.end());
  ASSERT_NE(s45, with4.end());
  s45[2] = 0x2e;
  expect_error(with4, "MTS-APDU.message.envelope.extensions[0].value: unexpected [4] in the SET");
  // A certificate's SPKI without its BIT STRING.
  Bytes der = vector_file("mts/x509-ec-certificate.hex");
  Bytes spki_key = unhex("034200");
  auto k = std::search(der.begin(), der.end(), spki_key.begin(), spki_key.end());
  ASSERT_NE(k, der.end());
  k[0] = 0x04;  // an OCTET STRING is no BIT STRING
  expect_error(message_with_extension_octets(ext::originator_certificate, certificates_of(der)),
               "extensions[0].value.userCertificate.toBeSigned.subjectPublicKeyInfo.subjectPublicKey");
}

TEST(X411SecurityLimits, certificate_damage_names_the_path) {
  Bytes der = vector_file("mts/x509-ec-certificate.hex");
  der[101] = 0x18;  // notBefore: UTCTime (offset 101) retagged GeneralizedTime: a Time, but
                    // its two-digit year is no GeneralizedTime (X.680 §46): refused when strict
  expect_error(message_with_extension_octets(ext::originator_certificate, certificates_of(der)),
               "validity.notBefore.generalizedTime: malformed GeneralizedTime");
  Limits lax;
  lax.upper_bounds = false;
  auto ok = decode<MtsApdu>(message_with_extension_octets(ext::originator_certificate, certificates_of(der)), lax);
  ASSERT_TRUE(ok) << ok.error().what;
  EXPECT_TRUE(as<Certificates>(std::get<Message>(*ok).envelope.extensions.at(0)).user_certificate.not_before_generalized);
  der[101] = 0x04;  // an OCTET STRING is no Time
  expect_error(message_with_extension_octets(ext::originator_certificate, certificates_of(der)),
               "extensions[0].value.userCertificate.toBeSigned.validity.notBefore");
}

// The recursive X.420 types: BER nesting is bounded by Limits::max_depth, a tree by
// TreeReader::max_depth.
TEST(X411SecurityLimits, recursive_tokens_are_depth_bounded) {
  auto nested = [](int levels) {
    BodyPartToken t;
    EncryptionToken& token = t.body_part_choice.emplace<EncryptionToken>();
    token.encryption_algorithm_identifier.algorithm = Oid{1, 2, 3};
    token.encrypted_key = BitString{Bytes{0x01}, 0};
    for (int i = 0; i < levels; ++i) {
      BodyPartToken up;
      up.body_part_choice = std::vector<BodyPartToken>{t};  // message-or-content-body-part
      t = up;
    }
    MtsApdu a = full_message(1);
    std::get<Message>(a).envelope.extensions = {Extension::standard(ext::body_part_encryption_token, BodyPartTokens{t})};
    return a;
  };
  MtsApdu deep = nested(80);
  auto d = decode<MtsApdu>(encode(deep).value());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), mixer::p1::ber::Errc::too_deep);
  EXPECT_NE(d.error().what.find("extensions[0].value[0].body-part-choice.message-or-content-body-part[0]"), std::string::npos)
      << d.error().what;
  // The tree of the same value is refused by the reader, with the path.
  MtsApdu back;
  auto err = from_tree(to_tree(deep), back);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("nested deeper than 192 components"), std::string::npos) << *err;
  EXPECT_EQ(err->rfind("MTS-APDU.message.envelope.extensions[0].value[0].body-part-choice.", 0), 0u) << *err;
  // Within the bounds both ways.
  expect_round_trip(nested(10));
}

}  // namespace
