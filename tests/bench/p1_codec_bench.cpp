// tests/bench/p1_codec_bench.cpp: X.411 / X.420 codec speed (Google
// Benchmark). A P1 message (full envelope, one recipient) whose content is
// an IPM with a full heading and one IA5 body part, of about 10 KiB and
// 1 MiB: decode (MTS-APDU, then the IPM in its content) and encode, in
// MB/s and messages/s.
//   cmake --build BUILD --target bench_p1_codec && BUILD/p1/ipms/bench_p1_codec
#include <benchmark/benchmark.h>

#include "p1/ipms/ipms.hpp"
#include "p1/mts/mts.hpp"

namespace {

using namespace mixer::p1;
using mixer::addressing::Text;
using mixer::addressing::OrName;

OrName name(const char* surname) {
  OrName n;
  n.address.country = Text::of("GB");
  n.address.admd = Text::of("TEST");
  n.address.prmd = Text::of("ALPHA");
  n.address.organization = Text::of("Alpha");
  n.address.organizational_units = {Text::of("Sales"), Text::of("North")};
  n.address.personal_name.surname = Text::of(surname);
  n.address.personal_name.given_name = Text::of("John");
  return n;
}

mts::Bytes message_of_size(std::size_t size) {
  ipms::InformationObject o;
  ipms::Heading& h = std::get<ipms::Ipm>(o).heading;
  h.this_ipm.user = name("root");
  h.this_ipm.user_relative_identifier = "1234.5678@alpha.test";
  h.originator = ipms::OrDescriptor{name("root"), std::string("Root User"), std::nullopt};
  for (const char* r : {"bob", "carol", "dave"}) {
    ipms::RecipientSpecifier s;
    s.recipient.formal_name = name(r);
    s.notification_requests = mts::BitString::from_flags(1);
    h.primary_recipients.push_back(s);
  }
  h.subject = "Quarterly report";
  h.importance = 1;
  ipms::Ia5TextBodyPart text;
  text.repertoire = 5;
  const std::string line = "The quick brown fox jumps over the lazy dog. 0123456789\r\n";
  while (text.text.size() + 1500 < size) text.text += line;
  ipms::BodyPart part;
  part.type = text;
  std::get<ipms::Ipm>(o).body = {part};

  mts::Message msg;
  mts::MessageTransferEnvelope& e = msg.envelope;
  e.message_identifier.global_domain_identifier.country = Text::of("GB");
  e.message_identifier.global_domain_identifier.admd = Text::of("TEST");
  e.message_identifier.global_domain_identifier.prmd = Text::of("ALPHA");
  e.message_identifier.local_identifier = "alpha.test.1:23.11.26";
  e.originator_name = name("root");
  e.content_type = mts::ContentType::builtin(22);
  e.per_message_indicators = mts::BitString::from_flags(0b1100);
  mts::TraceInformationElement t;
  t.global_domain_identifier = e.message_identifier.global_domain_identifier;
  t.domain_supplied_information.arrival_time = "261123104015Z";
  e.trace_information = {t, t};
  mts::PerRecipientMessageTransferFields r;
  r.recipient_name = name("bob");
  r.per_recipient_indicators = mts::BitString::from_flags(0b10101);
  e.per_recipient_fields = {r};
  msg.content = ipms::encode(o).value();
  return mts::encode(mts::MtsApdu{std::move(msg)}).value();
}

void decode(benchmark::State& state) {
  mts::Bytes m = message_of_size(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto a = mts::decode<mts::MtsApdu>(m);
    auto c = ipms::decode<ipms::InformationObject>(std::get<mts::Message>(*a).content);
    benchmark::DoNotOptimize(std::get<ipms::Ipm>(*c).body.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * m.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void encode(benchmark::State& state) {
  mts::Bytes m = message_of_size(static_cast<std::size_t>(state.range(0)));
  auto a = mts::decode<mts::MtsApdu>(m).value();
  auto c = ipms::decode<ipms::InformationObject>(std::get<mts::Message>(a).content).value();
  for (auto _ : state) {
    std::get<mts::Message>(a).content = ipms::encode(c).value();
    mts::Bytes out = mts::encode(a).value();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * m.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(decode)->Arg(10 << 10)->Arg(1 << 20);
BENCHMARK(encode)->Arg(10 << 10)->Arg(1 << 20);

}  // namespace

BENCHMARK_MAIN();
