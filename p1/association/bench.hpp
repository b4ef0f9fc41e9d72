// p1/association/bench.hpp: the P1 transfer benchmark: one responder and
// one initiator of ours in this process over loopback, N APDUs of a given
// size through one association; transfers/s, MB/s and CPU per transfer
// (both ends together). The APDUs are opaque here (an MTS-APDU-shaped BER
// value); nothing is written to disk, so this measures the protocol stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mixer::p1::association {

struct BenchOptions {
  std::size_t apdu_size = 10 * 1024;
  std::size_t count = 1000;
  std::int64_t checkpoint_size = 63;  // units of 1 K
  std::int64_t window_size = 3;
};

struct BenchResult {
  std::size_t transferred = 0;
  double seconds = 0;
  double transfers_per_second = 0;
  double megabytes_per_second = 0;   // APDU octets, 10^6 per MB
  double cpu_us_per_transfer = 0;    // user + system, both ends
  std::string error;                 // empty on success
  std::string summary() const;
};

BenchResult run_benchmark(const BenchOptions& options);

}  // namespace mixer::p1::association
