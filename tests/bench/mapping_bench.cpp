// tests/bench/mapping_bench.cpp: the RFC 2156 mapping engine, one conversion
// at a time on one core (Google Benchmark): a 10 KiB text message and a
// 1 MiB one, each direction. Internet -> X.400 includes parsing the RFC 5322
// message and BER-encoding the IPM; X.400 -> Internet includes decoding the
// IPM from the content and writing the RFC 5322 octets; the attachment cases carry
// 1 MiB of binary data base64-encoded (RFC 2157: BilaterallyDefined). The addresses map
// through the RFC 2156 example MCGAMs (tests/vectors/addressing).
//   cmake --build build --target bench_mapping && build/mapping/bench_mapping
#include "base/allocator.hpp"
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "addressing/tables.hpp"
#include "mapping/engine.hpp"

namespace {

using namespace mixer;

struct Setup {
  addressing::MappingContext actx;
  conf::MappingConfig policy;
  mapping::Context ctx;
  Setup() {
    auto id = addressing::make_gateway_identity("/C=XX/ADMD= /PRMD=MIXER/O=Gateway/", "gateway.example",
                                                "mixer.gateway.example", "XX", " ", "MIXER");
    if (!id) {
      std::fprintf(stderr, "gateway identity: %s\n", id.error().text().c_str());
      std::exit(2);
    }
    actx.gateway = *id;
    auto tables = addressing::MappingTables::load(
        {{"tests/vectors/addressing/rfc2156-table1.txt", addressing::TableKind::table1, addressing::TableScope::shared},
         {"tests/vectors/addressing/rfc2156-table2.txt", addressing::TableKind::table2, addressing::TableScope::shared}});
    if (auto* p = std::get_if<addressing::MappingTables::Ptr>(&tables)) {
      actx.tables = *p;
    } else {
      std::fprintf(stderr, "tables do not load (run from the source tree)\n");
      std::exit(2);
    }
    ctx.addressing = &actx;
    ctx.policy = &policy;
    ctx.mta_name = "mixer.gateway.example";
    ctx.host_name = "mixer.gateway.example";
    ctx.clock.now = std::chrono::sys_seconds{std::chrono::seconds{1796290805}};
  }
};

const Setup& setup() {
  static Setup s;
  return s;
}

// A message of about `size` octets: a realistic header and lines of text.
std::string message(std::size_t size) {
  std::string m =
      "Received: from client.example.org by mail.example.org with ESMTP id abc;\r\n"
      " Thu, 3 Dec 2026 10:00:00 +0100\r\n"
      "Received: from mail.example.org by relay.example.org with ESMTP id def;\r\n"
      " Thu, 3 Dec 2026 10:00:01 +0100\r\n"
      "From: \"Jane Doe\" <jane@example.org>\r\n"
      "To: Steve Kille <S.Kille@cs.ucl.ac.uk>, Tony Bates <tony@ean-relay.ac.uk>\r\n"
      "Cc: =?UTF-8?Q?J=C3=BCrgen?= <j@Widget.COM>\r\n"
      "Subject: Quarterly figures =?UTF-8?Q?f=C3=BCr?= the board\r\n"
      "Date: Thu, 3 Dec 2026 09:59:00 +0100\r\n"
      "Message-ID: <20261203095900.12345@example.org>\r\n"
      "In-Reply-To: <20261202080000.999@cs.ucl.ac.uk>\r\n"
      "References: <20261201070000.1@cs.ucl.ac.uk> <20261202080000.999@cs.ucl.ac.uk>\r\n"
      "X-Mailer: Example Mail 1.0\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=us-ascii\r\n"
      "\r\n";
  const std::string line = "The quick brown fox jumps over the lazy dog, and the figures are attached below.\r\n";
  while (m.size() < size) m += line;
  return m;
}

// A message with a short text and an attachment of `size` octets of binary data
// (application/octet-stream, base64): RFC 2157 maps it to a BilaterallyDefined body part.
std::string attachment_message(std::size_t size) {
  std::string m = message(0);
  m.erase(m.find("Content-Type: text/plain"));
  m += "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
       "The figures are attached.\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
       "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"figures.bin\"\r\n\r\n";
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::uint32_t x = 12345;
  std::string line;
  for (std::size_t done = 0; done < size; done += 57) {  // 57 octets per 76-character line
    line.clear();
    for (int k = 0; k < 76; ++k) {
      x = x * 1103515245 + 12345;
      line += b64[(x >> 16) & 63];
    }
    m += line + "\r\n";
  }
  m += "--b1--\r\n";
  return m;
}

mapping::SmtpEnvelope envelope() {
  mapping::SmtpEnvelope e;
  e.mail_from = "jane@example.org";
  e.recipients.push_back({"S.Kille@cs.ucl.ac.uk", {"SUCCESS", "FAILURE"}, std::nullopt});
  e.recipients.push_back({"tony@ean-relay.ac.uk", {}, std::nullopt});
  e.envid = "QQ314159";
  return e;
}

// Internet -> X.400 of `m`, counting `body` octets per conversion.
void run_to_x400(benchmark::State& state, const std::string& m, std::size_t body) {
  const auto& s = setup();
  const auto env = envelope();
  mapping::ToX400Options o;
  o.local_identifier = "bench";
  for (auto _ : state) {
    auto r = mapping::to_x400(env, m, s.ctx, o);
    if (!r) state.SkipWithError(r.error().text().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// X.400 -> Internet of what `m` converts to, counting `body` octets (0: the content's size).
void run_to_internet(benchmark::State& state, const std::string& m, std::size_t body) {
  const auto& s = setup();
  mapping::ToX400Options o;
  o.local_identifier = "bench";
  auto x = mapping::to_x400(envelope(), m, s.ctx, o);
  if (!x) {
    state.SkipWithError(x.error().text().c_str());
    return;
  }
  for (auto _ : state) {
    auto r = mapping::to_internet(x->message, s.ctx);
    if (!r) state.SkipWithError(r.error().text().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (body ? body : x->message.content.size())));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

const auto size_of = [](const benchmark::State& state) { return static_cast<std::size_t>(state.range(0)); };

void to_x400(benchmark::State& state) {
  const std::string m = message(size_of(state));
  run_to_x400(state, m, m.size());
}
void to_internet(benchmark::State& state) { run_to_internet(state, message(size_of(state)), 0); }
// The attachment cases count the attachment's decoded octets.
void attachment_to_x400(benchmark::State& state) {
  run_to_x400(state, attachment_message(size_of(state)), size_of(state));
}
void attachment_to_internet(benchmark::State& state) {
  run_to_internet(state, attachment_message(size_of(state)), size_of(state));
}

}  // namespace

// MIXER_BENCH_ITERATIONS=N runs each case exactly N times (for callgrind: its
// instruction count over the conversion function divided by N is per conversion).
static void fixed(benchmark::internal::Benchmark* b) {
  if (const char* n = std::getenv("MIXER_BENCH_ITERATIONS")) b->Iterations(std::atoll(n));
}
BENCHMARK(to_x400)->Arg(10 << 10)->Arg(1 << 20)->Apply(fixed);
BENCHMARK(to_internet)->Arg(10 << 10)->Arg(1 << 20)->Apply(fixed);
BENCHMARK(attachment_to_x400)->Arg(1 << 20)->Apply(fixed);
BENCHMARK(attachment_to_internet)->Arg(1 << 20)->Apply(fixed);
// As the daemon and mixer convert run (base/allocator.hpp).
int main(int argc, char** argv) {
  mixer::base::keep_message_buffers();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
