// p1/association/bench_main.cpp: `p1-bench [SIZE COUNT [CHECKPOINT WINDOW]]`.
// Without arguments runs the two standard cases: 10 KiB and 1 MiB APDUs.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "p1/association/bench.hpp"

int main(int argc, char** argv) {
  using mixer::p1::association::BenchOptions;
  using mixer::p1::association::run_benchmark;
  std::vector<BenchOptions> runs;
  if (argc >= 3) {
    BenchOptions o;
    o.apdu_size = std::strtoull(argv[1], nullptr, 10);
    o.count = std::strtoull(argv[2], nullptr, 10);
    if (argc >= 5) {
      o.checkpoint_size = std::strtoll(argv[3], nullptr, 10);
      o.window_size = std::strtoll(argv[4], nullptr, 10);
    }
    runs.push_back(o);
  } else {
    runs.push_back(BenchOptions{10 * 1024, 5000, 63, 3});
    runs.push_back(BenchOptions{1024 * 1024, 200, 63, 3});
  }
  int status = 0;
  for (const auto& o : runs) {
    auto r = run_benchmark(o);
    std::printf("p1-bench: APDU %zu octets, checkpoint %lldK, window %lld: %s\n", o.apdu_size,
                static_cast<long long>(o.checkpoint_size), static_cast<long long>(o.window_size), r.summary().c_str());
    if (!r.error.empty()) status = 1;
  }
  return status;
}
