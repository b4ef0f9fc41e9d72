// X.419 Annex B: an MTS-APDU relayed to an X.400(1984) MTA (mapping/relay_1984).
// Each test builds a 1988 APDU, downgrades it, and checks what is left, what
// is refused (X.411 reason and diagnostic) and that the result still encodes.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "addressing/directory_name.hpp"
#include "mapping/downgrade.hpp"
#include "mapping/relay_1984.hpp"
#include "p1/mts/mts.hpp"

using namespace mixer;
namespace mts = p1::mts;
namespace relay = mapping::relay_1984;
using addressing::Text;

namespace {

mts::OrName name(const std::string& surname) {
  mts::OrName n;
  n.address.country = Text::of("XX");
  n.address.admd = Text::of(" ");
  n.address.prmd = Text::of("P");
  n.address.organization = Text::of("Org");
  n.address.personal_name.surname = Text::of(surname);
  return n;
}

mts::PerRecipientMessageTransferFields recipient(const std::string& surname, std::int64_t number, bool ours = true) {
  mts::PerRecipientMessageTransferFields f;
  f.recipient_name = name(surname);
  f.originally_specified_recipient_number = number;
  f.per_recipient_indicators = p1::ber::BitString::from_flags(ours ? 0b10011 : 0b10010);
  return f;
}

mts::Extension critical(mts::Extension e, std::uint64_t bits) {
  e.criticality = p1::ber::BitString::from_flags(bits);
  return e;
}

mts::Message message() {
  mts::Message m;
  auto& e = m.envelope;
  e.message_identifier.global_domain_identifier.country = Text::of("XX");
  e.message_identifier.global_domain_identifier.admd = Text::of(" ");
  e.message_identifier.local_identifier = "id-1";
  e.originator_name = name("Orig");
  e.content_type = mts::ContentType::builtin(22);
  mts::TraceInformationElement t;
  t.global_domain_identifier = e.message_identifier.global_domain_identifier;
  t.domain_supplied_information.arrival_time = "261203120000Z";
  e.trace_information.push_back(t);
  e.per_recipient_fields = {recipient("One", 1), recipient("Two", 2)};
  m.content = {0x31, 0x00};
  return m;
}

template <class Apdu>
Apdu round_trip(const Apdu& a) {
  auto encoded = mts::encode_mts_apdu(mts::MtsApdu(a));
  EXPECT_TRUE(encoded) << (encoded ? "" : encoded.error().what);
  if (!encoded) return a;
  auto decoded = mts::decode_mts_apdu(p1::ber::ByteView(encoded->data(), encoded->size()));
  EXPECT_TRUE(decoded);
  return decoded ? std::get<Apdu>(*decoded) : a;
}

}  // namespace

TEST(Relay1984, x419_annex_b_non_critical_extensions_are_left_out_each_listed) {
  auto m = message();
  m.envelope.extensions.push_back(mts::Extension::standard(mts::ext::latest_delivery_time,
                                                           mts::LatestDeliveryTime{"261204120000Z"}));
  m.envelope.extensions.push_back(mts::Extension::standard(mts::ext::content_correlator, mts::ContentCorrelator{std::string("c")}));
  m.envelope.per_recipient_fields[1].extensions.push_back(
      mts::Extension::standard(mts::ext::recipient_reassignment_prohibited, std::int64_t{1}));
  auto out = relay::downgrade(m);
  EXPECT_TRUE(out.refused.empty());
  EXPECT_EQ(out.remaining, 2u);
  EXPECT_TRUE(m.envelope.extensions.empty());
  EXPECT_TRUE(m.envelope.per_recipient_fields[1].extensions.empty());
  std::size_t extension_losses = 0;
  for (const auto& l : out.losses)
    if (l.what.find("extension") != std::string::npos && l.rule == "X.419 Annex B") ++extension_losses;
  EXPECT_EQ(extension_losses, 3u);
  auto back = round_trip(m);
  EXPECT_TRUE(back.envelope.extensions.empty());
  EXPECT_EQ(back.envelope.per_recipient_fields.size(), 2u);
}

TEST(Relay1984, x411_criticality_for_transfer_per_message_refuses_every_recipient_unsupported_critical_function) {
  auto m = message();
  m.envelope.extensions.push_back(critical(
      mts::Extension::standard(mts::ext::latest_delivery_time, mts::LatestDeliveryTime{"261204120000Z"}), 0b010));
  auto out = relay::downgrade(m);
  ASSERT_EQ(out.refused.size(), 2u);
  EXPECT_EQ(out.refused[0].index, 0u);
  EXPECT_EQ(out.refused[1].index, 1u);
  EXPECT_EQ(out.refused[0].refusal.x411_reason, 1);
  EXPECT_EQ(out.refused[0].refusal.x411_diagnostic, 18);
  EXPECT_EQ(out.remaining, 0u);
  EXPECT_TRUE(m.envelope.per_recipient_fields.empty());
}

TEST(Relay1984, x411_criticality_for_submission_only_is_not_critical_for_the_relay) {
  auto m = message();
  m.envelope.extensions.push_back(critical(
      mts::Extension::standard(mts::ext::content_correlator, mts::ContentCorrelator{std::string("c")}), 0b001));
  auto out = relay::downgrade(m);
  EXPECT_TRUE(out.refused.empty());
  EXPECT_EQ(out.remaining, 2u);
}

TEST(Relay1984, x411_criticality_for_delivery_per_recipient_refuses_that_recipient_only) {
  auto m = message();
  m.envelope.per_recipient_fields[1].extensions.push_back(
      critical(mts::Extension::standard(mts::ext::recipient_reassignment_prohibited, std::int64_t{1}), 0b100));
  auto out = relay::downgrade(m);
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].index, 1u);
  EXPECT_EQ(out.refused[0].refusal.x411_diagnostic, 18);
  EXPECT_NE(out.refused[0].refusal.message.find("recipient-reassignment-prohibited"), std::string::npos)
      << out.refused[0].refusal.message;
  ASSERT_EQ(m.envelope.per_recipient_fields.size(), 1u);
  EXPECT_EQ(m.envelope.per_recipient_fields[0].originally_specified_recipient_number, 1);
  EXPECT_EQ(out.remaining, 1u);
}

TEST(Relay1984, rfc1328_3_2_common_name_becomes_dda_common) {
  auto m = message();
  auto& given = m.envelope.per_recipient_fields[0].recipient_name.address;
  given.personal_name = {};
  given.common_name = Text::of("Postmaster");
  auto out = relay::downgrade(m);
  EXPECT_TRUE(out.refused.empty());
  const auto& a = m.envelope.per_recipient_fields[0].recipient_name.address;  // the fields are rebuilt
  EXPECT_FALSE(a.common_name.present());
  ASSERT_EQ(a.ddas.size(), 1u);
  EXPECT_EQ(a.ddas[0].type, "Common");
  EXPECT_EQ(a.ddas[0].value, "Postmaster");
  auto back = round_trip(m);
  EXPECT_EQ(back.envelope.per_recipient_fields[0].recipient_name.address.ddas.size(), 1u);
}

TEST(Relay1984, x419_annex_b_directory_name_left_out_and_directory_name_only_refused) {
  auto m = message();
  m.envelope.per_recipient_fields[0].recipient_name.directory_name =
      addressing::DirectoryName{{{{"2.5.4.6", "GB"}}, {{"2.5.4.3", "One"}}}};
  m.envelope.per_recipient_fields[1].recipient_name.address = {};
  m.envelope.per_recipient_fields[1].recipient_name.directory_name =
      addressing::DirectoryName{{{{"2.5.4.6", "GB"}}, {{"2.5.4.3", "Two"}}}};
  auto out = relay::downgrade(m);
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].index, 1u);
  EXPECT_EQ(out.refused[0].refusal.x411_reason, 1);
  EXPECT_EQ(out.refused[0].refusal.x411_diagnostic, 47);  // unable-to-downgrade
  ASSERT_EQ(m.envelope.per_recipient_fields.size(), 1u);
  EXPECT_FALSE(m.envelope.per_recipient_fields[0].recipient_name.directory_name);
}

TEST(Relay1984, x419_annex_b_physical_delivery_attribute_refuses_recipient_unable_to_downgrade) {
  auto m = message();
  m.envelope.per_recipient_fields[0].recipient_name.address.postal_mut().pd_office_name = Text::of("Central");
  auto out = relay::downgrade(m);
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].index, 0u);
  EXPECT_EQ(out.refused[0].refusal.x411_diagnostic, 47);
  EXPECT_EQ(out.remaining, 1u);
}

TEST(Relay1984, x419_annex_b_originator_without_1984_form_refuses_every_recipient) {
  auto m = message();
  m.envelope.originator_name.address.postal_mut().street_address = Text::of("1 Main St");
  auto out = relay::downgrade(m);
  ASSERT_EQ(out.refused.size(), 2u);
  EXPECT_NE(out.refused[1].refusal.message.find("originator"), std::string::npos);
  EXPECT_EQ(out.remaining, 0u);
}

TEST(Relay1984, x419_annex_b_teletex_variant_dropped_teletex_only_refused) {
  auto m = message();
  m.envelope.per_recipient_fields[0].recipient_name.address.organization.teletex = std::string("Org\xC8");
  m.envelope.per_recipient_fields[1].recipient_name.address.organization = Text{};
  m.envelope.per_recipient_fields[1].recipient_name.address.organization.teletex = std::string("Org\xC8");
  auto out = relay::downgrade(m);
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].index, 1u);
  ASSERT_EQ(m.envelope.per_recipient_fields.size(), 1u);
  const auto& o = m.envelope.per_recipient_fields[0].recipient_name.address.organization;
  EXPECT_FALSE(o.teletex);
  EXPECT_EQ(*o.printable, "Org");
}

TEST(Relay1984, x419_annex_b_extended_content_type_refused_built_in_22_and_content_kept) {
  auto m = message();
  const auto content = m.content;
  auto out = relay::downgrade(m);
  EXPECT_TRUE(out.refused.empty());
  EXPECT_EQ(m.envelope.content_type.built_in(), 22);
  EXPECT_EQ(m.content, content);

  auto oid = message();
  oid.envelope.content_type = mts::ExtendedContentType{p1::ber::Oid{{1, 2, 840, 113549, 1, 7, 1}}};
  auto refused = relay::downgrade(oid);
  ASSERT_EQ(refused.refused.size(), 2u);
  EXPECT_EQ(refused.refused[0].refusal.x411_diagnostic, 47);
}

TEST(Relay1984, x411_1984_envelope_fields_indicators_eits_trace_bilateral) {
  auto m = message();
  auto& e = m.envelope;
  mts::EncodedInformationTypes eits;
  eits.built_in = p1::ber::BitString::from_flags(1 << mts::eit::ia5_text);
  eits.extended.push_back(p1::ber::Oid{{2, 6, 3, 4, 2}});
  e.original_encoded_information_types = eits;
  e.per_message_indicators = p1::ber::BitString::from_flags((1 << 2) | (1 << 7));
  e.per_recipient_fields[0].per_recipient_indicators = p1::ber::BitString::from_flags(0b1000011);
  e.trace_information[0].domain_supplied_information.additional_actions.other_actions =
      p1::ber::BitString::from_flags(1);
  mts::PerDomainBilateralInformation priv;
  priv.country_name = Text::of("XX");
  priv.domain = mts::BilateralPrivateDomain{Text::of(" "), Text::of("P")};
  priv.bilateral_information = {0x05, 0x00};
  mts::PerDomainBilateralInformation admd = priv;
  admd.domain = Text::of(" ");
  e.per_domain_bilateral_information = {priv, admd};
  auto out = relay::downgrade(m);
  EXPECT_TRUE(out.refused.empty());
  EXPECT_TRUE(e.original_encoded_information_types->extended.empty());
  EXPECT_TRUE(e.original_encoded_information_types->built_in.test(mts::eit::ia5_text));
  EXPECT_EQ(e.per_message_indicators->as_flags(), 1u << 2);
  EXPECT_EQ(e.per_recipient_fields[0].per_recipient_indicators.as_flags(), 0b11u);
  EXPECT_FALSE(e.trace_information[0].domain_supplied_information.additional_actions.other_actions);
  ASSERT_EQ(e.per_domain_bilateral_information.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Text>(e.per_domain_bilateral_information[0].domain));
  EXPECT_GE(out.losses.size(), 5u);
  auto back = round_trip(m);
  EXPECT_EQ(back.envelope.per_message_indicators->as_flags(), 1u << 2);
}

TEST(Relay1984, x411_splitting_another_mtas_recipient_without_1984_form_left_out_not_refused) {
  auto m = message();
  m.envelope.per_recipient_fields[1] = recipient("Two", 2, false);
  m.envelope.per_recipient_fields[1].recipient_name.address.postal_mut().pd_office_name = Text::of("Central");
  auto out = relay::downgrade(m);
  EXPECT_TRUE(out.refused.empty());
  EXPECT_EQ(out.remaining, 1u);
  EXPECT_EQ(m.envelope.per_recipient_fields.size(), 1u);
  bool listed = false;
  for (const auto& l : out.losses) listed = listed || l.what.find("another MTA") != std::string::npos;
  EXPECT_TRUE(listed);
}

TEST(Relay1984, x419_annex_b_probe_downgraded_like_a_message) {
  auto m = message();
  mts::Probe p;
  p.probe_identifier = m.envelope.message_identifier;
  p.originator_name = m.envelope.originator_name;
  p.originator_name.address.common_name = Text::of("Boss");
  p.content_type = m.envelope.content_type;
  p.trace_information = m.envelope.trace_information;
  p.per_recipient_fields = m.envelope.per_recipient_fields;
  p.extensions.push_back(mts::Extension::standard(mts::ext::internal_trace_information, mts::InternalTraceInformation{}));
  p.per_recipient_fields[0].extensions.push_back(
      critical(mts::Extension::standard(mts::ext::originator_requested_alternate_recipient, name("Alt")), 0b010));
  auto out = relay::downgrade(p);
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].index, 0u);
  EXPECT_TRUE(p.extensions.empty());
  EXPECT_EQ(p.originator_name.address.ddas.at(0).type, "Common");
  auto back = round_trip(p);
  EXPECT_EQ(back.per_recipient_fields.size(), 1u);
}

TEST(Relay1984, x419_annex_b_report_fields_and_codes_into_1984) {
  auto m = message();
  mts::Report r;
  r.envelope.report_identifier = m.envelope.message_identifier;
  r.envelope.report_destination_name = m.envelope.originator_name;
  r.envelope.report_destination_name.address.common_name = Text::of("Orig");
  r.envelope.trace_information = m.envelope.trace_information;
  r.envelope.extensions.push_back(mts::Extension::standard(mts::ext::internal_trace_information, mts::InternalTraceInformation{}));
  r.content.subject_identifier = m.envelope.message_identifier;
  r.content.content_type = mts::ContentType::builtin(22);
  mts::EncodedInformationTypes eits;
  eits.built_in = p1::ber::BitString::from_flags(1 << mts::eit::ia5_text);
  r.content.original_encoded_information_types = eits;
  mts::PerRecipientReportTransferFields f;
  f.actual_recipient_name = m.envelope.per_recipient_fields[0].recipient_name;
  f.per_recipient_indicators = p1::ber::BitString::from_flags(0b10);
  f.last_trace_information.arrival_time = "261203120000Z";
  f.last_trace_information.report_type = mts::NonDeliveryReport{5, 47};
  r.content.per_recipient_fields.push_back(f);
  f.last_trace_information.report_type = mts::DeliveryReport{"261203120000Z", 3};
  r.content.per_recipient_fields.push_back(f);
  auto out = relay::downgrade(r);
  ASSERT_TRUE(out) << out.error().text();
  EXPECT_TRUE(r.envelope.extensions.empty());
  EXPECT_FALSE(r.content.content_type);
  EXPECT_FALSE(r.content.original_encoded_information_types);
  EXPECT_EQ(r.envelope.report_destination_name.address.ddas.at(0).type, "Common");
  const auto& nd = std::get<mts::NonDeliveryReport>(r.content.per_recipient_fields[0].last_trace_information.report_type);
  EXPECT_EQ(nd.non_delivery_reason_code, 1);
  EXPECT_FALSE(nd.non_delivery_diagnostic_code);
  const auto& d = std::get<mts::DeliveryReport>(r.content.per_recipient_fields[1].last_trace_information.report_type);
  EXPECT_FALSE(d.type_of_mts_user);
  auto back = round_trip(r);
  EXPECT_FALSE(back.content.content_type);
}

TEST(Relay1984, x419_annex_b_report_that_cannot_be_downgraded_is_refused_whole) {
  auto m = message();
  mts::Report r;
  r.envelope.report_identifier = m.envelope.message_identifier;
  r.envelope.report_destination_name = m.envelope.originator_name;
  r.content.subject_identifier = m.envelope.message_identifier;
  mts::PerRecipientReportTransferFields f;
  f.actual_recipient_name = m.envelope.per_recipient_fields[0].recipient_name;
  f.per_recipient_indicators = p1::ber::BitString::from_flags(0b10);
  f.last_trace_information.report_type = mts::NonDeliveryReport{1, 0};
  r.content.per_recipient_fields.push_back(f);
  auto bad_name = r;
  bad_name.content.per_recipient_fields[0].actual_recipient_name.address.postal_mut().pd_office_name = Text::of("Central");
  auto out = relay::downgrade(bad_name);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().x411_diagnostic, 47);
  auto crit = r;
  crit.envelope.extensions.push_back(
      critical(mts::Extension::standard(mts::ext::content_correlator, mts::ContentCorrelator{std::string("c")}), 0b010));
  auto out2 = relay::downgrade(crit);
  ASSERT_FALSE(out2);
  EXPECT_EQ(out2.error().x411_diagnostic, 18);
  EXPECT_TRUE(relay::downgrade(r));
}

// The fuzz corpus's MTS-APDUs (full-message, full-probe, full-report: every 1988
// element the codec has; the captures; the security extensions), each downgraded:
// what is left has no extension and only 1984 O/R names, still encodes and
// decodes, every recipient we were responsible for is either refused or still
// there, and a second downgrade finds nothing more to do.
namespace {

// Returns how much the downgrade did (losses and refusals), to show it did something.
template <class Apdu>
std::size_t check_envelope_1984(Apdu copy, const std::vector<mts::PerRecipientMessageTransferFields>& given,
                         const std::string& file) {
  SCOPED_TRACE(file);
  std::size_t ours = 0;
  for (const auto& r : given) ours += r.per_recipient_indicators.test(mts::pri::responsibility);
  auto out = relay::downgrade(copy.apdu);
  const auto& fields = copy.per_recipient_fields_ref();
  EXPECT_EQ(out.refused.size() + out.remaining, ours);
  for (const auto& r : out.refused) {
    EXPECT_LT(r.index, given.size());
    EXPECT_EQ(r.refusal.x411_reason, 1);
    EXPECT_TRUE(r.refusal.x411_diagnostic == 18 || r.refusal.x411_diagnostic == 47);
  }
  for (const auto& r : fields) {
    EXPECT_TRUE(r.extensions.empty());
    EXPECT_FALSE(r.recipient_name.directory_name);
    EXPECT_TRUE(mapping::has_1984_form(r.recipient_name.address));
  }
  const std::size_t did = out.losses.size() + out.refused.size();
  if (fields.empty()) return did;
  EXPECT_TRUE(copy.extensions_ref().empty());
  EXPECT_TRUE(mapping::has_1984_form(copy.originator_ref().address));
  auto encoded = mts::encode_mts_apdu(mts::MtsApdu(copy.apdu));
  EXPECT_TRUE(encoded) << encoded.error().what;
  if (!encoded) return did;
  EXPECT_TRUE(mts::decode_mts_apdu(p1::ber::ByteView(encoded->data(), encoded->size())));
  auto again = copy;
  auto second = relay::downgrade(again.apdu);
  EXPECT_TRUE(second.refused.empty());
  EXPECT_TRUE(second.losses.empty()) << second.losses.front().what;
  return did;
}

// Accessors so one check serves a message and a probe.
struct MessageView {
  mts::Message apdu;
  std::vector<mts::PerRecipientMessageTransferFields>& per_recipient_fields_ref() { return apdu.envelope.per_recipient_fields; }
  mts::Extensions& extensions_ref() { return apdu.envelope.extensions; }
  mts::OrName& originator_ref() { return apdu.envelope.originator_name; }
};
struct ProbeView {
  mts::Probe apdu;
  std::vector<mts::PerRecipientMessageTransferFields>& per_recipient_fields_ref() { return apdu.per_recipient_fields; }
  mts::Extensions& extensions_ref() { return apdu.extensions; }
  mts::OrName& originator_ref() { return apdu.originator_name; }
};

}  // namespace

TEST(Relay1984, x419_annex_b_fuzz_corpus_apdus_downgrade_to_encodable_1984_form) {
  const std::filesystem::path dir = "tests/fuzz/corpus/fuzz_p1_mts_apdu";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << "run from the source directory";
  std::size_t messages = 0, probes = 0, reports = 0, done = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(bytes.data(), bytes.size()));
    if (!apdu) continue;
    const std::string file = entry.path().filename().string();
    if (auto* m = std::get_if<mts::Message>(&*apdu)) {
      ++messages;
      done += check_envelope_1984(MessageView{*m}, m->envelope.per_recipient_fields, file);
    } else if (auto* p = std::get_if<mts::Probe>(&*apdu)) {
      ++probes;
      done += check_envelope_1984(ProbeView{*p}, p->per_recipient_fields, file);
    } else {
      ++reports;
      SCOPED_TRACE(file);
      auto r = std::get<mts::Report>(*apdu);
      auto out = relay::downgrade(r);
      done += out ? out->size() : 1;
      if (!out) {
        EXPECT_EQ(out.error().x411_reason, 1);
        continue;
      }
      EXPECT_TRUE(r.envelope.extensions.empty());
      EXPECT_TRUE(r.content.extensions.empty());
      EXPECT_TRUE(mapping::has_1984_form(r.envelope.report_destination_name.address));
      for (const auto& f : r.content.per_recipient_fields) {
        EXPECT_TRUE(f.extensions.empty());
        EXPECT_TRUE(mapping::has_1984_form(f.actual_recipient_name.address));
      }
      auto encoded = mts::encode_mts_apdu(mts::MtsApdu(r));
      ASSERT_TRUE(encoded) << encoded.error().what;
      auto again = relay::downgrade(r);
      ASSERT_TRUE(again);
      EXPECT_TRUE(again->empty());
    }
  }
  EXPECT_GE(messages, 3u);
  EXPECT_GE(probes, 1u);
  EXPECT_GE(reports, 1u);
  EXPECT_GE(done, 10u) << "the corpus's 1988 elements should have given losses or refusals";
  std::printf("corpus: %zu messages, %zu probes, %zu reports, %zu losses and refusals\n", messages, probes, reports, done);
}
