// tests/unit/p1/mts_test.cpp: the X.411 codec (p1/mts) on the real MTS-APDUs
// of the PP captures (values compared with the captures' tshark decodes),
// round trips of values that use every field, DER idempotence, the tree
// (JSON) path both ways, and the limits: every refusal names its type and
// field path.
#include <gtest/gtest.h>

#include "p1/mts/box.hpp"
#include "p1/mts/mts.hpp"
#include "p1/mts/or_name.hpp"
#include "p1/mts/tree_io.hpp"
#include "tests/unit/p1/mts/round_trip.hpp"
#include "tests/unit/p1/mts/support.hpp"
#include "tests/unit/p1/mts/values.hpp"

namespace {

using namespace mixer::p1::mts;
using namespace mixer::p1::mts::test;
using mixer::p1::ber::Writer;

TEST(X411Captures, pp_1988_message_alpha_matches_tshark) {
  MtsApdu a = must_decode<MtsApdu>(pp_message_alpha());
  ASSERT_TRUE(std::holds_alternative<Message>(a));
  const MessageTransferEnvelope& e = std::get<Message>(a).envelope;
  // tshark: local-identifier: alpha.test.357:23.10.26.10.40.15
  EXPECT_EQ(e.message_identifier.local_identifier, "alpha.test.357:23.10.26.10.40.15");
  EXPECT_EQ(*e.message_identifier.global_domain_identifier.country.printable, "GB");
  EXPECT_EQ(*e.message_identifier.global_domain_identifier.prmd.printable, "ALPHA");
  // originator-name (/C=GB/A=TEST/P=ALPHA/O=Alpha/S=root/)
  const OrAddress& o = e.originator_name.address;
  EXPECT_EQ(*o.country.printable, "GB");
  EXPECT_EQ(*o.admd.printable, "TEST");
  EXPECT_EQ(*o.prmd.printable, "ALPHA");
  EXPECT_EQ(*o.organization.printable, "Alpha");
  EXPECT_EQ(*o.personal_name.surname.printable, "root");
  EXPECT_TRUE(e.original_encoded_information_types->built_in.test(eit::ia5_text));
  EXPECT_TRUE(e.content_type.is_ipm());
  EXPECT_EQ(e.content_type.built_in(), 22);
  EXPECT_EQ(*e.content_identifier, "P1 test 10");
  EXPECT_FALSE(e.priority);
  EXPECT_EQ(e.per_message_indicators->as_flags(), (1u << pmi::alternate_recipient_allowed) | (1u << pmi::content_return_request));
  // arrival-time: 26-11-23 10:40:15 (UTC), twice, relayed
  ASSERT_EQ(e.trace_information.size(), 2u);
  EXPECT_EQ(e.trace_information[1].domain_supplied_information.arrival_time, "261123104015Z");
  EXPECT_EQ(e.trace_information[1].domain_supplied_information.routing_action, 0);
  // The two extensions tshark cannot name (131351, 131366) are 23 and 38 (P1-PRIMER §7.3).
  ASSERT_EQ(e.extensions.size(), 2u);
  EXPECT_TRUE(e.extensions[0].type_explicitly_tagged);
  EXPECT_TRUE(e.extensions[0].is(ext::content_correlator));
  const ContentCorrelator* correlator = e.extensions[0].value_as<ContentCorrelator>();
  ASSERT_TRUE(correlator);
  ASSERT_EQ(correlator->index(), 1u);  // octets
  const Bytes& octets = std::get<Bytes>(*correlator);
  std::string corr(octets.begin(), octets.end());
  EXPECT_EQ(corr, "Subject: P1 test 10,\nTo: bob@beta.test");
  EXPECT_TRUE(e.extensions[1].is(ext::internal_trace_information));
  const InternalTraceInformation* internal = find_extension_value<InternalTraceInformation>(e.extensions, ext::internal_trace_information);
  ASSERT_TRUE(internal);
  ASSERT_EQ(internal->size(), 2u);
  EXPECT_EQ((*internal)[0].mta_name, "alpha.test");
  EXPECT_EQ((*internal)[0].mta_supplied_information.arrival_time, "261123104015Z");
  // per-recipient-fields: 1 item, surname: bob, per-recipient-indicators: a800
  ASSERT_EQ(e.per_recipient_fields.size(), 1u);
  const PerRecipientMessageTransferFields& r = e.per_recipient_fields[0];
  EXPECT_EQ(*r.recipient_name.address.personal_name.surname.printable, "bob");
  EXPECT_EQ(*r.recipient_name.address.prmd.printable, "BETA");
  EXPECT_EQ(r.originally_specified_recipient_number, 1);
  EXPECT_EQ(r.per_recipient_indicators.as_flags(),
            (1u << pri::responsibility) | (1u << pri::originating_mta_non_delivery_report) |
                (1u << pri::originator_non_delivery_report));
  EXPECT_EQ(std::get<Message>(a).content.size(), 0xc0u);
  EXPECT_EQ(std::get<Message>(a).content[0], 0xa0);
}

TEST(X411Captures, pp_1988_message_beta_and_x410_message) {
  MtsApdu b = must_decode<MtsApdu>(pp_message_beta());
  EXPECT_EQ(std::get<Message>(b).envelope.message_identifier.local_identifier, "beta.test.424:23.10.26.10.40.45");
  EXPECT_EQ(*std::get<Message>(b).envelope.per_recipient_fields.at(0).recipient_name.address.personal_name.surname.printable, "alice");
  EXPECT_EQ(*std::get<Message>(b).envelope.content_identifier, "P1 beta->alpha");
  EXPECT_EQ(std::get<Message>(b).content.size(), 0xdcu);
  MtsApdu x = must_decode<MtsApdu>(pp_message_x410());
  EXPECT_EQ(*std::get<Message>(x).envelope.content_identifier, "P1 X.410-mode...");
  EXPECT_EQ(std::get<Message>(x).envelope.content_type.built_in(), 22);
}

TEST(X411Captures, minimal_vector_without_extensions) {
  MtsApdu m = must_decode<MtsApdu>(vector_file("mts-apdu-pp-without-extensions.hex"));
  EXPECT_TRUE(std::get<Message>(m).envelope.extensions.empty());
  EXPECT_EQ(std::get<Message>(m).envelope.message_identifier.local_identifier, "alpha.test.357:23.10.26.10.40.15");
}

TEST(X411Captures, reencode_keeps_values_and_pp_extension_form) {
  for (const Bytes& in : {pp_message_alpha(), pp_message_beta(), pp_message_x410()}) {
    MtsApdu a = must_decode<MtsApdu>(in);
    expect_round_trip(a);
    Bytes e = encode(a).value();
    // PP's explicitly tagged extension type is kept: a0 03 02 01 17 (P1-PRIMER §7.3).
    Bytes pp = unhex("a003020117");
    EXPECT_NE(std::search(e.begin(), e.end(), pp.begin(), pp.end()), e.end());
  }
}

TEST(X411RoundTrip, unmapped_content_types_pass_through_opaque) {
  // P772 (extended content type 1.3.26.0.4406.0.4.1) and EDI (built-in 35): the envelope is
  // decoded in full, the content octets are kept as they are.
  Bytes content = unhex("3180a003020101000004ffee");
  for (int edi = 0; edi < 2; ++edi) {
    MtsApdu a = full_message(1, content);
    if (edi) {
      std::get<Message>(a).envelope.content_type = ContentType::builtin(35);
    } else {
      std::get<Message>(a).envelope.content_type = ExtendedContentType{Oid{1, 3, 26, 0, 4406, 0, 4, 1}};
    }
    MtsApdu d = must_decode<MtsApdu>(encode(a).value());
    EXPECT_FALSE(std::get<Message>(d).envelope.content_type.is_ipm());
    EXPECT_EQ(std::get<Message>(d).content, content);
    expect_round_trip(d);
  }
}

TEST(X411RoundTrip, message_with_every_field) { expect_round_trip(full_message()); }
TEST(X411RoundTrip, probe_with_every_field) { expect_round_trip(full_probe()); }
TEST(X411RoundTrip, report_with_every_field) { expect_round_trip(full_report()); }

TEST(X411RoundTrip, or_name_every_attribute_folds_back) {
  OrName n = every_attribute_name();
  OrName back = must_decode<OrName>(encode(n).value());
  EXPECT_TRUE(back.address == n.address);
  ASSERT_TRUE(back.directory_name);
  EXPECT_EQ(back.directory_name->rdns.size(), 3u);
  EXPECT_EQ(back.directory_name->rdns[2][0].value, "J\xc3\xb6hn Smith");
  EXPECT_EQ(back.directory_name->rdns[2][1].type, "2.5.4.4");
}

TEST(X411RoundTrip, or_name_directory_name_keeps_each_string_type) {
  // X.501 values of all seven string types (and a non-string one) in an ORName's
  // directory-name come back as the type they came as, octet for octet.
  OrNameWire w;
  w.address = to_wire(every_attribute_name().address);
  w.directory_name = name_with_every_string_kind();
  AttributeValueAssertionWire number;
  number.type = Oid{2, 5, 4, 5};
  number.value = {0x02, 0x01, 0x07};  // an INTEGER: no string, kept as its encoding
  w.directory_name->push_back({number});
  Bytes der = encode_with(w, [](auto& io, OrNameWire& x) { asn1(io, x); }).value();
  OrName n = must_decode<OrName>(der);
  ASSERT_TRUE(n.directory_name);
  const auto& rdns = n.directory_name->rdns;
  EXPECT_EQ(rdns[1][0].value, "B\xc3\x98ta");  // T.61 0xE9, shown as UTF-8
  EXPECT_EQ(rdns[1][0].string_type, 20);
  EXPECT_EQ(rdns.back()[0].value, "#020107");
  EXPECT_EQ(encode(n).value(), der);
}

// The wire form of an O/R address: each extension attribute's value holds the alternative its
// type takes (to_wire and the decoder put it there); one that does not is refused, not written.
TEST(X411RoundTrip, or_address_extension_attribute_values_follow_their_type) {
  const OrAddressWire w = to_wire(every_attribute_name().address);
  std::size_t seen = 0;
  for (const ExtensionAttributeWire& e : w.extension_attributes) {
    if (e.type == 1) {
      EXPECT_EQ(std::get<PrintableAttribute>(e.value).text, "John Smith");
    } else if (e.type == 2) {
      EXPECT_TRUE(std::holds_alternative<TeletexAttribute>(e.value));
    } else if (e.type == 22) {
      EXPECT_EQ(std::get<E1634Address>(std::get<ExtendedNetworkAddress>(e.value)).number, "4420712345");
    } else if (e.type == 23) {
      EXPECT_EQ(std::get<std::int64_t>(e.value), 4);
    } else if (e.type == 24) {
      EXPECT_EQ(std::get<UniversalOrBmp>(e.value).language, "en");
    }
    seen += e.type == 1 || e.type == 2 || e.type == 22 || e.type == 23 || e.type == 24;
  }
  EXPECT_EQ(seen, 5u);
  OrNameWire bad;
  bad.address = w;
  bad.address.extension_attributes.push_back(ExtensionAttributeWire{7, TeletexAttribute{"pds"}});
  auto e = encode_with(bad, [](auto& io, OrNameWire& x) { asn1(io, x); }, "ORName");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what.rfind("ORName.extension-attributes[", 0), 0u) << e.error().what;
  EXPECT_NE(e.error().what.find("].extension-attribute-value: extension attribute 7 (pds-name) takes a PrintableString, "
                                "not a TeletexString"),
            std::string::npos)
      << e.error().what;
}

TEST(X411RoundTrip, unknown_components_of_supplied_information_are_kept) {
  // DomainSuppliedInformation and MTASuppliedInformation are extensible SETs ("...").
  MtsApdu a = full_message();
  DomainSuppliedInformation& d = std::get<Message>(a).envelope.trace_information.at(0).domain_supplied_information;
  d.extension_additions = {{0x9e, 0x01, 'x'}};
  expect_round_trip(a);
  MtsApdu back = must_decode<MtsApdu>(encode(a).value());
  EXPECT_EQ(std::get<Message>(back).envelope.trace_information.at(0).domain_supplied_information.extension_additions,
            d.extension_additions);
}

TEST(X411RoundTrip, x413_forwarding_request_36_is_an_integer) {
  // forwarding-request (X.413, standard-extension 36): SequenceNumber ::= INTEGER (0..ub-messages).
  // tshark's p1 does not know it, so it is checked here rather than in the oracle corpus.
  MtsApdu a = full_message();
  std::get<Message>(a).envelope.extensions.push_back(Extension::standard(ext::forwarding_request, std::int64_t{4711}));
  expect_round_trip(a);
  EXPECT_NE(print_tree(to_tree(a)).find("4711"), std::string::npos);
  std::get<Message>(a).envelope.extensions.back().value = std::int64_t{-1};
  auto d = decode<MtsApdu>(encode(a).value());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("ub-messages"), std::string::npos) << d.error().what;
}

// ExtensionField{}: the value alternative the decoder takes is the one the type names, and
// the accessors give it back; absent, private and unknown values as the ASN.1 has them.
TEST(X411Extensions, value_alternative_follows_the_type) {
  MtsApdu d = must_decode<MtsApdu>(encode(full_message()).value());
  const Extensions& x = std::get<Message>(d).envelope.extensions;
  const LatestDeliveryTime* ldt = find_extension_value<LatestDeliveryTime>(x, ext::latest_delivery_time);
  ASSERT_TRUE(ldt);
  EXPECT_EQ(ldt->time, "261124000000Z");
  EXPECT_FALSE(find_extension_value<Signature>(x, ext::latest_delivery_time));  // another alternative
  EXPECT_FALSE(find_extension(x, ext::message_token));                           // not there
  const Extension* dl = find_extension(x, ext::dl_expansion_prohibited);
  ASSERT_TRUE(dl);
  EXPECT_EQ(*dl->value_as<std::int64_t>(), 1);
  EXPECT_EQ(std::get<std::string>(*find_extension_value<ContentCorrelator>(x, ext::content_correlator)), "Subject: hello");
  std::size_t private_ones = 0, absent = 0;
  for (const Extension& e : x) {
    if (!e.standard_type()) {
      ++private_ones;
      EXPECT_EQ(std::get<PrivateExtension>(e.type).type, (Oid{1, 3, 6, 1, 4, 1, 99999, 7}));
      EXPECT_EQ(e.value_as<EncodedValue>()->encoding, unhex("0402abcd"));
    }
    if (e.is(99)) {
      ++absent;
      EXPECT_TRUE(std::holds_alternative<AbsentValue>(e.value));
    }
  }
  EXPECT_EQ(private_ones, 1u);
  EXPECT_EQ(absent, 1u);
  // A value given for an unknown standard type is kept as its encoding.
  MtsApdu u = must_decode<MtsApdu>(message_with_extension_octets(99, unhex("0500")));
  EXPECT_EQ(std::get<Message>(u).envelope.extensions.at(0).value_as<EncodedValue>()->encoding, unhex("0500"));
  // A known type left without its value (DEFAULT NULL:NULL) decodes as absent.
  MtsApdu n = full_message(1);
  std::get<Message>(n).envelope.extensions = {Extension::standard(ext::latest_delivery_time)};
  MtsApdu nd = must_decode<MtsApdu>(encode(n).value());
  EXPECT_TRUE(std::holds_alternative<AbsentValue>(std::get<Message>(nd).envelope.extensions.at(0).value));
  expect_round_trip(n);
}

// A value whose alternative is not the one its type takes is refused by the encoder, naming the
// field and both types, rather than written as something a peer would misread.
TEST(X411Extensions, encoder_refuses_a_value_not_of_its_types_alternative) {
  MtsApdu a = full_message(1);
  Extensions& x = std::get<Message>(a).envelope.extensions;
  x = {Extension::standard(ext::latest_delivery_time, LatestDeliveryTime{"261124000000Z"}),
       Extension::standard(ext::latest_delivery_time, RecipientNumberForAdvice{"12"})};
  auto e = encode(a);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, mixer::p1::ber::Errc::bad_value);
  EXPECT_EQ(e.error().what,
            "MTS-APDU.message.envelope.extensions[1].value: standard extension 5 (latest-delivery-time) takes a "
            "LatestDeliveryTime, not a RecipientNumberForAdvice");
  // A known type's value as an encoding is refused too: the type says what it must be.
  x = {Extension::standard(ext::message_token, EncodedValue{unhex("0500")})};
  e = encode(a);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what,
            "MTS-APDU.message.envelope.extensions[0].value: standard extension 16 (message-token) takes a Token, not an encoding");
  // A private extension's value is its encoding, nothing else.
  Extension p;
  p.type = PrivateExtension{Oid{1, 2, 3}};
  p.value = std::int64_t{1};
  x = {p};
  e = encode(a);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what,
            "MTS-APDU.message.envelope.extensions[0].value: a private extension takes an encoding, not an ENUMERATED or INTEGER");
  // In a per-recipient SET and deeper: the path says where.
  x.clear();
  std::get<Message>(a).envelope.per_recipient_fields[0].extensions = {
      Extension::standard(ext::requested_delivery_method, PhysicalDeliveryModes{})};
  e = encode(a);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what.rfind("MTS-APDU.message.envelope.per-recipient-fields[0].extensions[0].value: standard "
                                 "extension 6 (requested-delivery-method) takes a RequestedDeliveryMethod",
                                 0),
            0u)
      << e.error().what;
  // Absent is always allowed (the value is DEFAULT NULL:NULL).
  std::get<Message>(a).envelope.per_recipient_fields[0].extensions = {Extension::standard(ext::requested_delivery_method)};
  EXPECT_TRUE(encode(a));
}

TEST(X411RoundTrip, many_generated_messages) {
  // Property style: vary recipients, extensions and optional fields.
  for (std::size_t n = 1; n <= 12; ++n) {
    MtsApdu a = full_message(n, Bytes(n * 37, static_cast<std::uint8_t>(n)));
    MessageTransferEnvelope& e = std::get<Message>(a).envelope;
    if (n % 2) e.extensions.resize(n % e.extensions.size());
    if (n % 3 == 0) e.priority.reset();
    if (n % 4 == 0) e.per_domain_bilateral_information.clear();
    if (n % 5 == 0) e.trace_information = trace(static_cast<int>(n));
    expect_round_trip(a);
  }
}

TEST(X411Der, set_components_written_in_tag_order) {
  // X.690 §10.3: PerRecipientMessageTransferFields written as
  // [APPLICATION 0] name, [0] number, [1] indicators.
  MtsApdu a = full_message(1);
  Bytes e = encode(a).value();
  auto d = must_decode<MtsApdu>(e);
  EXPECT_EQ(encode(d).value(), e);
  // The envelope SET starts with the APPLICATION 0 originator-name, the
  // first tag in DER order ([APPLICATION 0] < [APPLICATION 4] ...).
  ASSERT_GT(e.size(), 8u);
  std::size_t at = 2 + (e[1] & 0x80 ? (e[1] & 0x7f) : 0);  // inside [0] Message
  at += 2 + (e[at + 1] & 0x80 ? (e[at + 1] & 0x7f) : 0);  // inside the envelope SET
  EXPECT_EQ(e[at], 0x60);
}

// X.690 §11.6: the extension-attributes SET OF of an O/R address in DER order, by the
// octets of each element (here terminal-type 23, whose element is shorter, before
// common-name 1 and pds-name 7). Assembled by hand from X.411; comes back byte for byte.
TEST(X411Der, or_address_extension_attributes_in_set_of_order) {
  Bytes der = unhex(
      "6034" "300e" "610413024742" "6206130454455354"  // C=GB A=TEST
      "3122"                                           // extension-attributes SET OF
      "3008" "800117" "a103020103"                     //   terminal-type (23): 3
      "300a" "800101" "a1051303416e6e"                 //   common-name (1): Ann
      "300a" "800107" "a1051303504453");               //   pds-name (7): PDS
  auto n = decode<OrName>(der);
  ASSERT_TRUE(n) << n.error().what;
  EXPECT_EQ(*n->address.common_name.printable, "Ann");
  EXPECT_EQ(*n->address.postal().pds_name.printable, "PDS");
  EXPECT_EQ(*n->address.terminal_type, 3);
  EXPECT_EQ(encode(*n).value(), der);
  // The same attributes in another (BER) order read the same and are written in DER order.
  Bytes ber = unhex(
      "6034" "300e" "610413024742" "6206130454455354" "3122"
      "300a" "800107" "a1051303504453" "300a" "800101" "a1051303416e6e" "3008" "800117" "a103020103");
  auto b = decode<OrName>(ber);
  ASSERT_TRUE(b) << b.error().what;
  EXPECT_EQ(encode(*b).value(), der);
}

// X.411 ExtensionAttributes: types the model has no key for (99, 200) kept as their value's
// encoding, and a universal DDA (28) with the iso-639 languages of its type and value;
// assembled by hand in DER order (§11.6), it comes back byte for byte.
TEST(X411Der, or_address_unknown_extension_attributes_and_dda_languages) {
  Bytes der = unhex(
      "604c" "300e" "610413024742" "6206130454455354" "313a"
      "3009" "800163" "a104" "0402abcd"                  // type 99: OCTET STRING abcd
      "300a" "800200c8" "a104" "04020102"                // type 200: OCTET STRING 0102
      "3021" "80011c" "a11c" "301a" "3018"               // universal-domain-defined-attributes (28)
      "310a" "1302656e" "1c0400000058"                   //   type: SET { en, four-octets "X" } (DER: tag 19 < 28)
      "310a" "13026672" "1c0400000059");                 //   value: SET { fr, four-octets "Y" }
  auto n = decode<OrName>(der);
  ASSERT_TRUE(n) << n.error().what;
  const auto& others = n->address.other_extension_attributes;
  ASSERT_EQ(others.size(), 2u);
  EXPECT_EQ(others[0].type, 99);
  EXPECT_EQ(others[0].value, unhex("0402abcd"));
  EXPECT_EQ(others[1].type, 200);
  ASSERT_EQ(n->address.ddas.size(), 1u);
  EXPECT_EQ(n->address.ddas[0].type, "X");
  EXPECT_EQ(n->address.ddas[0].value, "Y");
  EXPECT_EQ(n->address.ddas[0].type_language, "en");
  EXPECT_EQ(n->address.ddas[0].value_language, "fr");
  EXPECT_EQ(encode(*n).value(), der);
  OrName back;
  auto err = from_tree(to_tree(*n), back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back).value(), der);
}

TEST(X411Der, every_attribute_name_extension_attributes_sorted) {
  // Every extension attribute the fold knows: the SET OF elements ascend as octet strings.
  Bytes e = encode(every_attribute_name()).value();
  auto again = decode<OrName>(e);
  ASSERT_TRUE(again) << again.error().what;
  EXPECT_EQ(encode(*again).value(), e);
  mixer::p1::ber::Limits l;
  mixer::p1::ber::Decoding d(e, l);
  auto name = d.root().enter(application(0));
  name.any();  // built-in-standard-attributes
  while (!name.at_end() && name.peek() && name.peek()->tag != univ::set) name.any();
  auto set = name.enter(univ::set);
  std::vector<Bytes> elems;
  while (!set.at_end()) {
    auto v = set.any();
    elems.emplace_back(v.begin(), v.end());
  }
  ASSERT_TRUE(d.ok());
  ASSERT_GT(elems.size(), 20u);
  EXPECT_TRUE(std::is_sorted(elems.begin(), elems.end()));  // same lengths' prefix rule as §11.6 padding
}

// ---- limits and errors

Bytes message_with_recipient(OrName recipient) {
  MtsApdu a = full_message(1);
  std::get<Message>(a).envelope.per_recipient_fields[0].recipient_name = std::move(recipient);
  std::get<Message>(a).envelope.per_recipient_fields[0].extensions.clear();
  return encode(a).value();
}

TEST(X411Limits, common_name_too_long_names_the_path_and_bound) {
  OrName n = simple_name("bob");
  n.address.common_name = P(std::string(70, 'x').c_str());
  auto d = decode<MtsApdu>(message_with_recipient(n));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), mixer::p1::ber::Errc::out_of_range);
  EXPECT_NE(d.error().what.find("MTS-APDU.message.envelope.per-recipient-fields[0].recipient-name.extension-attributes[0]."
                                "extension-attribute-value: PrintableString of 70 characters, outside SIZE (1..64) "
                                "(ub-common-name-length)"),
            std::string::npos)
      << d.error().what;
  Limits lax;
  lax.upper_bounds = false;
  EXPECT_TRUE(decode<MtsApdu>(message_with_recipient(n), lax));
}

// X.680 §47: a UTCTime with month 13 is a content syntax error when strict; --lenient
// keeps the octets and lists a warning.
TEST(X411Limits, x680_47_malformed_utc_time_refused_strict_kept_lenient) {
  MtsApdu a = full_message(1);
  std::get<Message>(a).envelope.deferred_delivery_time = "261323104000Z";
  const Bytes b = encode(a).value();
  auto d = decode<MtsApdu>(b);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), mixer::p1::ber::Errc::bad_value);
  EXPECT_NE(d.error().what.find("deferred-delivery-time: malformed UTCTime '261323104000Z': month outside 01..12"),
            std::string::npos)
      << d.error().what;
  std::vector<std::string> warnings;
  Limits lax;
  lax.upper_bounds = false;
  lax.warnings = &warnings;
  auto kept = decode<MtsApdu>(b, lax);
  ASSERT_TRUE(kept);
  EXPECT_EQ(std::get<Message>(*kept).envelope.deferred_delivery_time, "261323104000Z");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("month outside 01..12"), std::string::npos);
}

TEST(X411Limits, too_many_organizational_units) {
  OrName n = simple_name("bob");
  n.address.organizational_units = {P("a"), P("b"), P("c"), P("d"), P("e")};
  auto d = decode<MtsApdu>(message_with_recipient(n));
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("recipient-name.built-in-standard-attributes.organizational-unit-names: "), std::string::npos)
      << d.error().what;
  EXPECT_NE(d.error().what.find("more than 4 elements (ub-organizational-units)"), std::string::npos) << d.error().what;
}

TEST(X411Limits, bad_printable_string_character) {
  OrName n = simple_name("b@b");
  auto d = decode<MtsApdu>(message_with_recipient(n));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), mixer::p1::ber::Errc::bad_value);
  EXPECT_NE(d.error().what.find("per-recipient-fields[0].recipient-name.built-in-standard-attributes.personal-name.surname: "
                                "character 64 is not allowed in a PrintableString"),
            std::string::npos)
      << d.error().what;
}

TEST(X411Limits, too_many_extensions_and_recipients) {
  MtsApdu a = full_message(1);
  std::get<Message>(a).envelope.extensions.assign(257, Extension::standard(200, EncodedValue{{0x05, 0x00}}));
  auto d = decode<MtsApdu>(encode(a).value());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("MTS-APDU.message.envelope.extensions: more than 256 elements"), std::string::npos) << d.error().what;
  EXPECT_NE(d.error().what.find("(ub-extension-types)"), std::string::npos);
  // Recipients: bounded by Limits::max_elements well before ub-recipients.
  MtsApdu many = full_message(1);
  std::get<Message>(many).envelope.per_recipient_fields.resize(2000, std::get<Message>(many).envelope.per_recipient_fields[0]);
  Limits small;
  small.ber.max_elements = 5000;
  auto m = decode<MtsApdu>(encode(many).value(), small);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.code(), mixer::p1::ber::Errc::too_many_elements);
  EXPECT_NE(m.error().what.find("MTS-APDU.message.envelope.per-recipient-fields["), std::string::npos) << m.error().what;
}

TEST(X411Limits, deep_nesting_and_huge_lengths) {
  // A directory name nested 200 deep inside an ORName.
  Bytes deep;
  for (int i = 0; i < 200; ++i) {
    deep.push_back(0x30);
    deep.push_back(0x80);
  }
  for (int i = 0; i < 200; ++i) {
    deep.push_back(0);
    deep.push_back(0);
  }
  auto d = decode<MtsApdu>(deep);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), mixer::p1::ber::Errc::too_deep);
  // A length of 2^40 octets.
  Bytes huge = unhex("a0850100000000");
  auto h = decode<MtsApdu>(huge);
  ASSERT_FALSE(h);
  EXPECT_EQ(h.code(), mixer::p1::ber::Errc::truncated);
  EXPECT_NE(h.error().what.find("MTS-APDU"), std::string::npos);
}

TEST(X411Limits, missing_and_duplicate_components) {
  MtsApdu a = full_message(1);
  Bytes e = encode(a).value();
  // Drop the trace-information ([APPLICATION 9], 0x69) from the envelope by re-encoding without it.
  MessageTransferEnvelope env = std::get<Message>(a).envelope;
  Writer w;
  w.constructed(context(0), [&] {
    w.set([&] {
      Bytes inner = encode(env).value();
      auto v = must_decode<MessageTransferEnvelope>(inner);
      (void)v;
      // Re-read the components and write all but trace-information.
      mixer::p1::ber::decode(inner, mixer::p1::ber::Limits{}, [&](mixer::p1::ber::Reader& r) {
        auto s = r.set();
        while (!s.at_end()) {
          auto h = s.peek();
          ByteView x = s.any();
          if (h->tag != application(9)) w.raw(Bytes(x.begin(), x.end()));
        }
      });
    });
    w.octets(Bytes{0x31, 0x00});
  });
  auto d = decode<MtsApdu>(w.bytes());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), mixer::p1::ber::Errc::missing);
  EXPECT_NE(d.error().what.find("MTS-APDU.message.envelope.trace-information: mandatory component absent"), std::string::npos)
      << d.error().what;
}

// Box<T>: one T with value semantics (the recursive X.420 types hold their IPM / IPN in one).
TEST(X411Box, copies_deeply_and_never_reads_null) {
  Box<MtsIdentifier> a(MtsIdentifier{gdi(), "one"});
  Box<MtsIdentifier> b = a;
  b->local_identifier = "two";
  EXPECT_EQ(a->local_identifier, "one");
  EXPECT_EQ(b->local_identifier, "two");
  a = b;
  EXPECT_EQ(a->local_identifier, "two");
  b->local_identifier = "three";
  EXPECT_EQ(a->local_identifier, "two");
  Box<MtsIdentifier> c = std::move(a);
  EXPECT_EQ(c->local_identifier, "two");
  const Box<MtsIdentifier>& moved = a;
  EXPECT_EQ(moved->local_identifier, "");  // a moved-from Box reads as an empty T
  a->local_identifier = "again";           // and takes a new one when written through
  EXPECT_EQ(a->local_identifier, "again");
  EXPECT_EQ(Box<MtsIdentifier>()->local_identifier, "");
}

TEST(X411Tree, reader_refuses_unknown_and_wrong_kind) {
  Node t = to_tree(full_probe());
  Node bad = t;
  Node extra;
  extra.name = "no-such-field";
  extra.kind = Node::Kind::number;
  bad.children[0].children[0].children.push_back(extra);
  MtsApdu out;
  auto e = from_tree(bad, out);
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("no-such-field"), std::string::npos) << *e;
}

}  // namespace

namespace {
// RFC 2156 Appendix B: X.400(1984) peers send zero-length attributes (/O=/,
// /PRMD=/) and rely on them; they decode and re-encode as they came.
TEST(X411OrName, appendix_b_zero_length_attributes_kept) {
  OrName n;
  n.address.country = mixer::addressing::Text::of("GB");
  n.address.admd = mixer::addressing::Text::of("");
  n.address.prmd = mixer::addressing::Text::of("");
  n.address.organization = mixer::addressing::Text::of("");
  n.address.organizational_units.push_back(mixer::addressing::Text::of("Sales"));
  n.address.personal_name.surname = mixer::addressing::Text::of("Smith");
  const auto der = encode(n).value();
  OrName back = must_decode<OrName>(der);
  EXPECT_EQ(back.address, n.address);
  EXPECT_EQ(encode(back).value(), der);
}
// "Any null attribute" (RFC 2156 Appendix B) includes the country name (/C=/): a strict
// decode takes it like the others; a C of another length than 2 (alpha) or 3 (numeric)
// is still refused (X.411 ub-country-name-alpha-length, -numeric-length).
TEST(X411OrName, rfc2156_appendix_b_zero_length_country_name_kept) {
  OrName n;
  n.address.country = mixer::addressing::Text::of("");
  n.address.admd = mixer::addressing::Text::of("BTT");
  n.address.organization = mixer::addressing::Text::of("X");
  n.address.personal_name.surname = mixer::addressing::Text::of("y");
  const auto der = encode(n).value();
  OrName back = must_decode<OrName>(der);
  EXPECT_EQ(back.address, n.address);
  EXPECT_EQ(encode(back).value(), der);
  for (const char* c : {"G", "GBR"}) {
    n.address.country = mixer::addressing::Text::of(c);
    EXPECT_FALSE(decode<OrName>(encode(n).value())) << c;
  }
  n.address.country = mixer::addressing::Text::of("23");
  n.address.country.numeric = true;
  EXPECT_FALSE(decode<OrName>(encode(n).value()));
}
}  // namespace
