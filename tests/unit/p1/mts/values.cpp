// tests/unit/p1/mts/values.cpp: see values.hpp.
#include "tests/unit/p1/mts/values.hpp"

#include <algorithm>
#include <stdexcept>

#include "p1/ber/writer.hpp"
#include "p1/mts/mts.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace mixer::p1::mts::test {

using addressing::DdaForm;
using addressing::Text;
using addressing::UniversalString;

Text P(const char* s) { return Text::of(s); }
static EncodedInformationTypes eits(BitString built_in, std::vector<Oid> extended = {}) {
  EncodedInformationTypes e;
  e.built_in = std::move(built_in);
  e.extended = std::move(extended);
  return e;
}

// PerRecipientIndicators are SIZE (8..ub-bit-options): the flags in at least 8 bits.
BitString bits8(std::uint64_t flags) {
  BitString b = BitString::from_flags(flags);
  if (b.size() < 8) {
    b.bytes.resize(1);
    b.unused_bits = 0;
  }
  return b;
}
Text N(const char* s) {
  Text t = Text::of(s);
  t.numeric = true;
  return t;
}

OrName simple_name(const char* surname, const char* prmd) {
  OrName n;
  n.address.country = P("GB");
  n.address.admd = P("TEST");
  n.address.prmd = P(prmd);
  n.address.organization = P("Alpha");
  n.address.personal_name.surname = P(surname);
  return n;
}

OrName every_attribute_name() {
  OrName n;
  OrAddress& a = n.address;
  a.country = N("234");
  a.admd = P(" ");
  a.network_address = P("12345");
  a.terminal_identifier = P("TID1");
  a.prmd = N("42");
  a.organization = P("Org");
  a.organization.teletex = "Org\xc8" "e";
  a.organization.universal = UniversalString{"Org\xc3\xa9", "fr", false};
  a.numeric_user_identifier = P("777");
  a.personal_name.surname = P("Smith");
  a.personal_name.surname.teletex = "Sm\xc8ith";
  a.personal_name.surname.universal = UniversalString{"Sm\xc3\xafth", "", true};
  a.personal_name.given_name = P("John");
  a.personal_name.given_name.teletex = "John";
  a.personal_name.given_name.universal = UniversalString{"J\xc3\xb6hn", "de", false};
  a.personal_name.initials = P("J");
  a.personal_name.generation_qualifier = P("III");
  a.organizational_units = {P("Unit1"), P("Unit2")};
  a.organizational_units[0].teletex = "Unit\xe9";
  a.organizational_units[0].universal = UniversalString{"Unit\xe2\x82\xac", "", false};
  a.ddas = {{"RFC-822", "john(a)example.com", DdaForm::printable},
            {"T", "teletex value", DdaForm::teletex},
            {"U", "univ\xc3\xa9", DdaForm::universal},
            {"B", "bmp", DdaForm::bmp}};
  a.common_name = P("John Smith");
  a.common_name.teletex = "John Sm\xc8ith";
  a.common_name.universal = UniversalString{"John Sm\xc3\xafth \xf0\x9f\x93\xa7", "en", false};
  a.postal_mut().pds_name = P("PDS");
  a.postal_mut().pd_country = P("FR");
  a.postal_mut().postal_code = N("75001");
  a.postal_mut().pd_office_name = P("Office");
  a.postal_mut().pd_office_name.teletex = "Office";
  a.postal_mut().pd_office_name.universal = UniversalString{"B\xc3\xbcro", "", false};
  a.postal_mut().pd_office_number = P("12");
  a.postal_mut().extension_or_address_components = P("ext");
  a.postal_mut().pd_personal_name = P("pdpn");
  a.postal_mut().pd_organization_name = P("pdo");
  a.postal_mut().extension_pd_address_components = P("extpd");
  a.postal_mut().unformatted_postal_address = addressing::UnformattedPostalAddress{{"line 1", "line 2"}, "teletex lines", UniversalString{"univ lines", "", true}};
  a.postal_mut().street_address = P("1 Main Street");
  a.postal_mut().street_address.universal = UniversalString{"1 Main Stra\xc3\x9f" "e", "de", false};
  a.postal_mut().post_office_box_address = P("PO 9");
  a.postal_mut().poste_restante_address = P("restante");
  a.postal_mut().unique_postal_name = P("unique");
  a.postal_mut().local_postal_attributes = P("local");
  a.postal_mut().local_postal_attributes.teletex = "local";
  a.postal_mut().e163_4_number = P("4420712345");
  a.postal_mut().e163_4_sub_address = P("99");
  a.terminal_type = 4;
  addressing::DirectoryName dn;
  dn.rdns = {{{"2.5.4.6", "GB"}}, {{"2.5.4.10", "Org"}}, {{"2.5.4.3", "J\xc3\xb6hn Smith"}, {"2.5.4.4", "Smith"}}};
  n.directory_name = dn;
  return n;
}

GlobalDomainIdentifier gdi(const char* prmd) {
  GlobalDomainIdentifier g;
  g.country = P("GB");
  g.admd = P("TEST");
  if (prmd) g.prmd = P(prmd);
  return g;
}

TraceInformation trace(int n) {
  TraceInformation t;
  for (int i = 0; i < n; ++i) {
    TraceInformationElement e;
    e.global_domain_identifier = gdi(i % 2 ? "BETA" : "ALPHA");
    e.domain_supplied_information.arrival_time = "261123104015Z";
    e.domain_supplied_information.routing_action = i % 2;
    if (i == 1) {
      e.domain_supplied_information.attempted_domain = gdi(nullptr);
      AdditionalActions& x = e.domain_supplied_information.additional_actions;
      x.deferred_time = "261123110000Z";
      x.converted_encoded_information_types = eits(BitString::from_flags(1u << eit::teletex), {Oid{2, 6, 3, 4, 1}});
      x.other_actions = BitString::from_flags(3);
    }
    t.push_back(e);
  }
  return t;
}

namespace {
Extension standard(std::int64_t type, ExtensionValue value) { return Extension::standard(type, std::move(value)); }
}  // namespace

Extensions every_message_extension() {
  Extensions x;
  for (std::int64_t t : {ext::recipient_reassignment_prohibited, ext::dl_expansion_prohibited,
                         ext::conversion_with_loss_prohibited}) {
    Extension e = standard(t, std::int64_t{1});
    e.criticality = BitString::from_flags(4);
    x.push_back(e);
  }
  x.push_back(standard(ext::latest_delivery_time, LatestDeliveryTime{"261124000000Z"}));
  x.push_back(standard(ext::originator_return_address, simple_name("returns").address));
  SecurityLabel label;
  label.security_policy_identifier = Oid{1, 3, 6, 1, 4, 1, 99999, 9};
  label.security_classification = 2;
  label.privacy_mark = "IN CONFIDENCE";
  label.security_categories = {SecurityCategory{Oid{1, 2, 3}, {0x02, 0x01, 0x05}}};
  // aes128-CBC with its IV (an OCTET STRING of 16 octets, as tshark's x509af expects).
  Bytes iv{0x04, 0x10};
  for (std::uint8_t i = 0; i < 16; ++i) iv.push_back(i);
  x.push_back(standard(ext::content_confidentiality_algorithm_identifier,
                       AlgorithmIdentifier{Oid{2, 16, 840, 1, 101, 3, 4, 1, 2}, iv}));
  x.push_back(standard(ext::message_security_label, label));
  x.push_back(standard(ext::content_correlator, ContentCorrelator{std::string("Subject: hello")}));
  x.push_back(standard(ext::dl_expansion_history, DlExpansionHistory{DlExpansion{simple_name("list"), "261123100000Z"}}));
  InternalTraceInformationElement ie;
  ie.global_domain_identifier = gdi();
  ie.mta_name = "alpha.test";
  ie.mta_supplied_information.arrival_time = "261123104015Z";
  ie.mta_supplied_information.attempted = MtaName{"beta.test"};
  x.push_back(standard(ext::internal_trace_information, InternalTraceInformation{ie}));
  x.push_back(standard(ext::dl_exempted_recipients, DlExemptedRecipients{simple_name("exempt")}));
  Extension priv;
  priv.type = PrivateExtension{Oid{1, 3, 6, 1, 4, 1, 99999, 7}};
  priv.value = EncodedValue{{0x04, 0x02, 0xab, 0xcd}};
  x.push_back(priv);
  Extension pp = standard(ext::content_correlator, ContentCorrelator{Bytes{'x', 'y'}});  // PP's explicit [0] on the type
  pp.type_explicitly_tagged = true;
  x.push_back(pp);
  x.push_back(standard(99, AbsentValue{}));
  return x;
}

Extensions every_recipient_extension() {
  Extensions x;
  x.push_back(standard(ext::originator_requested_alternate_recipient, simple_name("alternate")));
  x.push_back(standard(ext::requested_delivery_method, RequestedDeliveryMethod{{1, 2, 7}}));
  x.push_back(standard(ext::physical_forwarding_prohibited, std::int64_t{1}));
  x.push_back(standard(ext::physical_delivery_modes, PhysicalDeliveryModes{BitString::from_flags(0b10010)}));
  x.push_back(standard(ext::registered_mail_type, std::int64_t{2}));
  x.push_back(standard(ext::recipient_number_for_advice, RecipientNumberForAdvice{"+44 20 7123"}));
  x.push_back(standard(ext::physical_rendition_attributes, PhysicalRenditionAttributes{Oid{2, 6, 5, 6, 0}}));
  x.push_back(standard(ext::physical_delivery_report_request, std::int64_t{3}));
  x.push_back(standard(ext::proof_of_delivery_request, std::int64_t{1}));
  x.push_back(standard(ext::redirection_history,
                       RedirectionHistory{Redirection{simple_name("intended"), "261123100500Z", 1}}));
  return x;
}

MtsApdu full_message(std::size_t recipients, Bytes content) {
  MtsApdu a{Message{}};
  MessageTransferEnvelope& e = std::get<Message>(a).envelope;
  e.message_identifier = MtsIdentifier{gdi(), "alpha.test.1:23.11.26"};
  e.originator_name = every_attribute_name();
  e.original_encoded_information_types = eits(BitString::from_flags(1u << eit::ia5_text), {Oid{2, 6, 3, 4, 9}});
  // the 1988 non-basic parameters (X.411 1988 COMPONENTS OF NonBasicParameters)
  e.original_encoded_information_types->built_in = BitString::from_flags((1u << eit::ia5_text) | (1u << eit::g3_facsimile) | (1u << eit::teletex));
  e.original_encoded_information_types->g3_facsimile = BitString::from_flags((1u << 8) | (1u << 9));
  e.original_encoded_information_types->teletex = TeletexNonBasicParameters{};
  e.original_encoded_information_types->teletex->graphic_character_sets = "\x1b\x28\x42";
  e.original_encoded_information_types->teletex->miscellaneous_terminal_capabilities = "x";
  e.content_type = ContentType::builtin(22);
  e.content_identifier = "content-id 1";
  e.priority = 2;
  e.per_message_indicators = BitString::from_flags(0b1101);
  e.deferred_delivery_time = "261123120000Z";
  PerDomainBilateralInformation b1, b2;
  b1.country_name = P("GB");
  b1.domain = P("TEST");
  b1.bilateral_information = {0x04, 0x01, 0x2a};
  b2.country_name = N("234");
  b2.domain = BilateralPrivateDomain{P("TEST"), P("BETA")};
  b2.bilateral_information = {0x30, 0x03, 0x02, 0x01, 0x05};
  e.per_domain_bilateral_information = {b1, b2};
  e.trace_information = trace(2);
  e.extensions = every_message_extension();
  for (std::size_t i = 0; i < recipients; ++i) {
    PerRecipientMessageTransferFields r;
    r.recipient_name = i == 0 ? every_attribute_name() : simple_name(("rcpt" + std::to_string(i)).c_str(), "BETA");
    r.originally_specified_recipient_number = static_cast<std::int64_t>(i + 1);
    r.per_recipient_indicators = bits8(0b10101);
    if (i == 1) r.explicit_conversion = 8;
    if (i == 0) r.extensions = every_recipient_extension();
    e.per_recipient_fields.push_back(r);
  }
  std::get<Message>(a).content = content.empty() ? Bytes{0x31, 0x00} : content;
  return a;
}

MtsApdu full_probe() {
  MtsApdu a{Probe{}};
  Probe& p = std::get<Probe>(a);
  p.probe_identifier = MtsIdentifier{gdi(), "probe.1"};
  p.originator_name = simple_name("prober");
  p.original_encoded_information_types = eits(BitString::from_flags(1u << eit::ia5_text));
  p.content_type = ExtendedContentType{Oid{1, 3, 26, 0, 4406, 0, 4, 1}};  // a P772 content: opaque to us
  p.content_identifier = "probe-cid";
  p.content_length = 123456;
  p.per_message_indicators = BitString::from_flags(0b100);
  p.trace_information = trace(1);
  p.extensions = {standard(ext::content_correlator, ContentCorrelator{std::string("probe correlator")})};
  PerRecipientProbeTransferFields r;
  r.recipient_name = simple_name("probed", "BETA");
  r.per_recipient_indicators = bits8(1);
  r.extensions = {standard(ext::requested_delivery_method, RequestedDeliveryMethod{{0}})};
  p.per_recipient_fields = {r};
  return a;
}

MtsApdu full_report() {
  MtsApdu a{Report{}};
  ReportTransferEnvelope& e = std::get<Report>(a).envelope;
  e.report_identifier = MtsIdentifier{gdi("BETA"), "beta.report.1"};
  e.report_destination_name = simple_name("root");
  e.trace_information = trace(1);
  Extension rmn = standard(ext::reporting_mta_name, ReportingMtaName{gdi("BETA"), "beta.test", name_with_every_string_kind()});
  Extension rdl = standard(ext::reporting_dl_name, simple_name("list", "BETA"));
  Extension odl = standard(ext::originator_and_dl_expansion_history,
                           DlExpansionHistory{DlExpansion{simple_name("root"), "261123100000Z"},
                                              DlExpansion{simple_name("list", "BETA"), "261123100100Z"}});
  e.extensions = {rmn, rdl, odl};
  ReportTransferContent& c = std::get<Report>(a).content;
  c.subject_identifier = MtsIdentifier{gdi(), "alpha.test.1:23.11.26"};
  c.subject_intermediate_trace_information = trace(2);
  c.original_encoded_information_types = eits(BitString::from_flags(1u << eit::ia5_text));
  c.content_type = ContentType::builtin(22);
  c.content_identifier = "content-id 1";
  c.returned_content = Bytes{0x31, 0x00};
  c.additional_information = Bytes{0x04, 0x03, 'a', 'd', 'd'};
  c.extensions = {standard(ext::content_correlator, ContentCorrelator{std::string("Subject: hello")})};
  PerRecipientReportTransferFields d;
  d.actual_recipient_name = simple_name("bob", "BETA");
  d.per_recipient_indicators = bits8(0b10001);
  d.last_trace_information.arrival_time = "261123104015Z";
  d.last_trace_information.converted_encoded_information_types =
      eits(BitString::from_flags(1u << eit::teletex));
  d.last_trace_information.report_type = DeliveryReport{"261123104016Z", 2};
  d.originally_intended_recipient_name = simple_name("robert", "BETA");
  Extension pfa = standard(ext::physical_forwarding_address, every_attribute_name());
  Extension red = standard(ext::redirection_history,
                           RedirectionHistory{Redirection{simple_name("robert", "BETA"), "261123100500Z", 4}});
  d.extensions = {red, pfa};
  PerRecipientReportTransferFields n;
  n.actual_recipient_name = every_attribute_name();
  n.originally_specified_recipient_number = 2;
  n.per_recipient_indicators = bits8(0b10100);
  n.last_trace_information.arrival_time = "261123104015Z";
  n.last_trace_information.report_type = NonDeliveryReport{1, 0};
  n.supplementary_information = "No such user (RFC 822 550 5.1.1)";
  c.per_recipient_fields = {d, n};
  return a;
}

MtsApdu message_with_extension_99(const Bytes& value) {
  MtsApdu a = full_message(1);
  std::get<Message>(a).envelope.extensions = {Extension::standard(99, EncodedValue{value})};
  return a;
}

Bytes message_with_extension_octets(std::uint8_t type, const Bytes& value) {
  Bytes bytes = encode(message_with_extension_99(value)).value();
  Bytes t99 = {0x80, 0x01, 0x63, 0xa2};
  auto at = std::search(bytes.begin(), bytes.end(), t99.begin(), t99.end());
  if (at == bytes.end()) throw std::runtime_error("extension 99 not found");
  at[2] = type;
  return bytes;
}

Bytes certificates_of(const Bytes& der) {
  ber::Writer w;
  w.constructed(univ::sequence, [&] { w.raw(der); });
  return w.take();
}

Certificates openssl_certificates() {
  Bytes in = message_with_extension_octets(ext::originator_certificate,
                                           certificates_of(p1::test::vector_file("mts/x509-ec-certificate.hex")));
  auto d = decode<MtsApdu>(in);
  if (!d) throw std::runtime_error(d.error().what);
  return std::get<Certificates>(std::get<Message>(*d).envelope.extensions.at(0).value);
}

}  // namespace mixer::p1::mts::test
