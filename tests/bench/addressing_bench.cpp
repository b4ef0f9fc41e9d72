// tests/bench/addressing_bench.cpp: MCGAM table benchmark (Google Benchmark).
//
// Generates a 1,000,000-entry table1 (domain -> O/R) and table2
// (O/R -> domain) in Appendix F format under $TMPDIR, measures loading them
// (wall time, bytes held by the table, RSS growth), then lookups per second
// for hits and misses, and the cost of whole mappings through them.
// Targets (issue 6): load < 2 s, lookup < 1 us.
// Then single calls of the libraries under the mapping engine (run from the
// source tree: they map through the RFC 2156 example MCGAMs of
// tests/vectors/addressing): each direction of the §4.3 address mapping,
// the §5.1.6 trace domain, and the imf dates. Count their instructions with
//   valgrind --tool=callgrind --toggle-collect='*BM_Single_*' build/addressing/bench_addressing
//       --benchmark_filter=BM_Single_ --benchmark_min_time=0.05
// and divide by the calls of the function measured.
//
//   cmake --build build --target bench_addressing && build/addressing/bench_addressing
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "addressing/dmn_or.hpp"
#include "addressing/mapping.hpp"
#include "addressing/message_id.hpp"
#include "addressing/or_descriptor.hpp"
#include "addressing/rfc822_mailbox.hpp"
#include "addressing/std_or.hpp"
#include "addressing/tables.hpp"
#include "imf/date_time.hpp"

using namespace mixer::addressing;

namespace {

constexpr int kEntries = 1'000'000;

std::string dir() {
  static const std::string d = [] {
    auto p = std::filesystem::temp_directory_path() / "mixer-addressing-bench";
    std::filesystem::create_directories(p);
    return p.string();
  }();
  return d;
}

// Entry i: domain "o<i>.p<i/100>.example" <-> O=Org<i>, PRMD=P<i/100>, ADMD=A<i%50>, C=XX.
std::string domain_of(int i) { return "o" + std::to_string(i) + ".p" + std::to_string(i / 100) + ".example"; }
std::string dmn_of(int i) {
  return "O$Org" + std::to_string(i) + ".PRMD$P" + std::to_string(i / 100) + ".ADMD$A" + std::to_string(i % 50) + ".C$XX";
}

void generate() {
  static bool done = false;
  if (done) return;
  std::ofstream t1(dir() + "/table1.txt"), t2(dir() + "/table2.txt");
  t1 << "# generated: " << kEntries << " entries\n";
  t2 << "# generated: " << kEntries << " entries\n";
  for (int i = 0; i < kEntries; ++i) {
    t1 << domain_of(i) << '#' << dmn_of(i) << "#\n";
    t2 << dmn_of(i) << '#' << domain_of(i) << "#\n";
  }
  done = true;
}

long rss_kb() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4;
}

const MappingTables& tables() {
  static MappingTables::Ptr t = [] {
    generate();
    auto r = MappingTables::load({{dir() + "/table1.txt", TableKind::table1, TableScope::shared},
                                  {dir() + "/table2.txt", TableKind::table2, TableScope::shared}});
    if (!std::holds_alternative<MappingTables::Ptr>(r)) std::abort();
    return std::get<MappingTables::Ptr>(r);
  }();
  return *t;
}

void load_one(benchmark::State& state, TableKind kind, const char* file) {
  generate();
  for (auto _ : state) {
    const long before = rss_kb();
    const auto t0 = std::chrono::steady_clock::now();
    auto r = load_table_file(dir() + file, kind, TableScope::shared);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto& t = std::get<MappingTable>(r);
    state.counters["entries"] = static_cast<double>(t.size());
    state.counters["load_s"] = secs;
    state.counters["table_MB"] = static_cast<double>(t.memory_bytes()) / 1e6;
    state.counters["rss_growth_MB"] = static_cast<double>(rss_kb() - before) / 1e3;
    benchmark::DoNotOptimize(t);
  }
}

void BM_LoadTable1(benchmark::State& s) { load_one(s, TableKind::table1, "/table1.txt"); }
void BM_LoadTable2(benchmark::State& s) { load_one(s, TableKind::table2, "/table2.txt"); }
BENCHMARK(BM_LoadTable1)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadTable2)->Iterations(1)->Unit(benchmark::kMillisecond);

// Longest match of a domain two labels below an entry (hit) or under no entry (miss).
void BM_Table1Hit(benchmark::State& state) {
  const auto& t = tables();
  std::vector<std::string> q;
  std::mt19937 rng(1);
  for (int i = 0; i < 4096; ++i) q.push_back("host.dept." + domain_of(static_cast<int>(rng() % kEntries)));
  std::size_t i = 0, hits = 0;
  for (auto _ : state) hits += t.match_domain(TableKind::table1, q[i++ & 4095]).has_value();
  if (static_cast<benchmark::IterationCount>(hits) != state.iterations()) state.SkipWithError("a hit was missed");
  state.SetItemsProcessed(state.iterations());
}
void BM_Table1Miss(benchmark::State& state) {
  const auto& t = tables();
  std::vector<std::string> q;
  for (int i = 0; i < 4096; ++i) q.push_back("host.dept.o" + std::to_string(i) + ".nowhere.example.org");
  std::size_t i = 0, hits = 0;
  for (auto _ : state) hits += t.match_domain(TableKind::table1, q[i++ & 4095]).has_value();
  if (hits) state.SkipWithError("a miss hit");
  state.SetItemsProcessed(state.iterations());
}
void BM_Table2Hit(benchmark::State& state) {
  const auto& t = tables();
  std::vector<OrPrefix> q;
  std::mt19937 rng(2);
  for (int i = 0; i < 4096; ++i) {
    const int k = static_cast<int>(rng() % kEntries);
    auto a = parse_or_address("/S=Smith/OU=Dept/O=Org" + std::to_string(k) + "/PRMD=P" + std::to_string(k / 100) +
                              "/ADMD=A" + std::to_string(k % 50) + "/C=XX/");
    q.push_back(prefix_of(a.value()));
  }
  std::size_t i = 0, hits = 0;
  for (auto _ : state) hits += t.match_or(TableKind::table2, q[i++ & 4095]).has_value();
  if (static_cast<benchmark::IterationCount>(hits) != state.iterations()) state.SkipWithError("a hit was missed");
  state.SetItemsProcessed(state.iterations());
}
void BM_Table2Miss(benchmark::State& state) {
  const auto& t = tables();
  std::vector<OrPrefix> q;
  for (int i = 0; i < 4096; ++i)
    q.push_back(prefix_of(parse_or_address("/S=Smith/O=Org" + std::to_string(i) + "/PRMD=Q/ADMD=B/C=YY/").value()));
  std::size_t i = 0, hits = 0;
  for (auto _ : state) hits += t.match_or(TableKind::table2, q[i++ & 4095]).has_value();
  if (hits) state.SkipWithError("a miss hit");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Table1Hit);
BENCHMARK(BM_Table1Miss);
BENCHMARK(BM_Table2Hit);
BENCHMARK(BM_Table2Miss);

// Whole RFC 2156 §4.3 mappings through the 1M tables (parse + map + format).
MappingContext context() {
  MappingContext c;
  c.gateway = make_gateway_identity("/O=GW/PRMD=P/ADMD= /C=XX/", "gw.example", "gw.example", "", "", "").value();
  static MappingTables::Ptr keep(&tables(), [](const MappingTables*) {});
  c.tables = keep;
  return c;
}
void BM_MapRfc822ToX400(benchmark::State& state) {
  const MappingContext c = context();
  std::vector<std::string> q;
  for (int i = 0; i < 1024; ++i) q.push_back("John.Smith@dept." + domain_of(i * 977));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(map_rfc822_to_x400(q[i++ & 1023], AddressRole::ipms, c));
  state.SetItemsProcessed(state.iterations());
}
void BM_MapX400ToRfc822(benchmark::State& state) {
  const MappingContext c = context();
  std::vector<OrAddress> q;
  for (int i = 0; i < 1024; ++i) {
    const int k = i * 977;
    q.push_back(parse_or_address("/G=John/S=Smith/OU=dept/O=Org" + std::to_string(k) + "/PRMD=P" + std::to_string(k / 100) +
                                 "/ADMD=A" + std::to_string(k % 50) + "/C=XX/")
                    .value());
  }
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(map_x400_to_rfc822(q[i++ & 1023], AddressRole::ipms, c));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MapRfc822ToX400);
BENCHMARK(BM_MapX400ToRfc822);

// Single calls through the RFC 2156 example tables, with the gateway of
// tests/bench/mapping_bench.cpp.
const MappingContext& example_context() {
  static const MappingContext c = [] {
    MappingContext m;
    auto id = make_gateway_identity("/C=XX/ADMD= /PRMD=MIXER/O=Gateway/", "gateway.example", "mixer.gateway.example",
                                    "XX", " ", "MIXER");
    if (!id) std::abort();
    m.gateway = *id;
    auto t = MappingTables::load(
        {{"tests/vectors/addressing/rfc2156-table1.txt", TableKind::table1, TableScope::shared},
         {"tests/vectors/addressing/rfc2156-table2.txt", TableKind::table2, TableScope::shared},
         {"tests/vectors/addressing/rfc2156-gateway-or.txt", TableKind::gateway_or, TableScope::shared},
         {"tests/vectors/addressing/rfc2156-gateway-domain.txt", TableKind::gateway_domain, TableScope::shared}});
    if (!std::holds_alternative<MappingTables::Ptr>(t)) {
      std::fprintf(stderr, "tables do not load (run from the source tree)\n");
      std::exit(2);
    }
    m.tables = std::get<MappingTables::Ptr>(t);
    return m;
  }();
  return c;
}

void to_x400(benchmark::State& state, const char* address, bool encapsulated) {
  const MappingContext& c = example_context();
  {
    auto r = map_rfc822_to_x400(address, AddressRole::ipms, c);
    if (!r || r->encapsulated != encapsulated) {
      state.SkipWithError("unexpected mapping");
      return;
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(map_rfc822_to_x400(address, AddressRole::ipms, c));
  state.SetItemsProcessed(state.iterations());
}
// A table1 MCGAM hit: encoded-pn local part, two labels allocated below AC.UK.
void BM_Single_ToX400_Mcgam(benchmark::State& s) { to_x400(s, "S.Kille@cs.ucl.ac.uk", false); }
// A whole X.400 address written as std-or in the local part (stage I step 6).
void BM_Single_ToX400_StdOr(benchmark::State& s) {
  to_x400(s, "\"/G=Marshall/S=Rose/O=Widget/ADMD=BTT/C=TC/\"@gateway.example", false);
}
// No MCGAM: the RFC 822 address rides in RFC-822 DDAs at the local gateway (stage II).
void BM_Single_ToX400_Encapsulate(benchmark::State& s) { to_x400(s, "jane.doe@example.org", true); }
BENCHMARK(BM_Single_ToX400_Mcgam);
BENCHMARK(BM_Single_ToX400_StdOr);
BENCHMARK(BM_Single_ToX400_Encapsulate);

// §5.1.6: a Received: "by" domain under an MCGAM, and one under none.
void BM_Single_TraceDomain_Mcgam(benchmark::State& state) {
  const MappingContext& c = example_context();
  for (auto _ : state) benchmark::DoNotOptimize(trace_domain_for("relay.cs.ucl.ac.uk", c));
}
void BM_Single_TraceDomain_None(benchmark::State& state) {
  const MappingContext& c = example_context();
  for (auto _ : state) benchmark::DoNotOptimize(trace_domain_for("relay.example.org", c));
}
BENCHMARK(BM_Single_TraceDomain_Mcgam);
BENCHMARK(BM_Single_TraceDomain_None);

void to_rfc822(benchmark::State& state, const char* std_or, const char* expect) {
  const MappingContext& c = example_context();
  const OrAddress a = parse_or_address(std_or).value();
  {
    auto r = map_x400_to_rfc822(a, AddressRole::ipms, c);
    if (!r || r->address != expect) {
      static std::string why;
      why = "unexpected mapping: " + (r ? r->address : r.error().text());
      state.SkipWithError(why.c_str());
      return;
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(map_x400_to_rfc822(a, AddressRole::ipms, c));
  state.SetItemsProcessed(state.iterations());
}
// A table2 MCGAM hit with subdomains allocated.
void BM_Single_ToRfc822_Mcgam(benchmark::State& s) {
  to_rfc822(s, "/G=Steve/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", "Steve.Kille@cs.ucl.AC.UK");
}
// No MCGAM: std-or in the local part at the gateway's domain.
void BM_Single_ToRfc822_StdOr(benchmark::State& s) {
  to_rfc822(s, "/G=John/S=Smith/O=Org/ADMD=XY/C=ZZ/", "/G=John/S=Smith/O=Org/ADMD=XY/C=ZZ/@gateway.example");
}
// Mapping A: the RFC-822 DDA of an encapsulated address.
void BM_Single_ToRfc822_Dda(benchmark::State& s) {
  to_rfc822(s, "/RFC-822=jane.doe(a)example.org/O=Gateway/PRMD=MIXER/ADMD= /C=XX/", "jane.doe@example.org");
}
BENCHMARK(BM_Single_ToRfc822_Mcgam);
BENCHMARK(BM_Single_ToRfc822_StdOr);
BENCHMARK(BM_Single_ToRfc822_Dda);

// The header form of a formal name (§4.7.2), as to_internet writes From:.
void BM_Single_OrDescriptorToMailbox(benchmark::State& state) {
  const MappingContext& c = example_context();
  OrDescriptor d;
  d.formal_name = OrName{parse_or_address("/G=Steve/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/").value(), {}};
  d.free_form_name = "Steve Kille";
  for (auto _ : state) benchmark::DoNotOptimize(or_descriptor_to_mailbox(d, c));
}
BENCHMARK(BM_Single_OrDescriptorToMailbox);

// §4.7.1: a To: field's address list, as to_x400 reads every header address field.
void BM_Single_ParseAddressList(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(parse_address_list("Steve Kille <S.Kille@cs.ucl.ac.uk>, Tony Bates <tony@ean-relay.ac.uk>"));
}
BENCHMARK(BM_Single_ParseAddressList);

void BM_Single_FormatStdOr(benchmark::State& state) {
  const OrAddress a = parse_or_address("/G=John/S=Smith/OU=Sales/O=Org/PRMD=P/ADMD=XY/C=ZZ/").value();
  for (auto _ : state) benchmark::DoNotOptimize(format_std_or(a));
}
BENCHMARK(BM_Single_FormatStdOr);

void BM_Single_IpmIdentifierToMsgId(benchmark::State& state) {
  const Heuristics h;
  auto id = msg_id_to_ipm_identifier("<20261203095900.12345@example.org>", h).value();
  for (auto _ : state) benchmark::DoNotOptimize(ipm_identifier_to_msg_id(id, MsgIdUse::message_id, h));
}
BENCHMARK(BM_Single_IpmIdentifierToMsgId);

// imf dates: the Date: field both ways and the UTCTime of X.400 trace.
mixer::imf::DateTime a_date() {
  mixer::imf::DateTime t;
  t.year = 2026;
  t.month = 12;
  t.day = 3;
  t.hour = 9;
  t.minute = 59;
  t.second = 7;
  t.offset = 60;
  return t;
}
void BM_Single_FormatDateTime(benchmark::State& state) {
  const auto t = a_date();
  for (auto _ : state) benchmark::DoNotOptimize(mixer::imf::format_date_time(t));
}
void BM_Single_FormatUtcTime(benchmark::State& state) {
  const auto t = a_date();
  for (auto _ : state) benchmark::DoNotOptimize(mixer::imf::format_utc_time(t));
}
void BM_Single_ParseDateTime(benchmark::State& state) {
  const mixer::imf::Limits limits;
  for (auto _ : state) benchmark::DoNotOptimize(mixer::imf::parse_date_time("Thu, 3 Dec 2026 09:59:07 +0100", limits));
}
BENCHMARK(BM_Single_FormatDateTime);
BENCHMARK(BM_Single_FormatUtcTime);
BENCHMARK(BM_Single_ParseDateTime);

}  // namespace

BENCHMARK_MAIN();
