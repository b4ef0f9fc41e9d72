// gateway/qmgr/delay_histogram.hpp: how long delivered recipients spent in
// the queue (arrival to the next hop's acceptance: Postfix's delay=), as a
// log-scale histogram, for the daemon's stats (delay_p50_ms, delay_p99_ms)
// and so the end-to-end benchmark's latency figures. Fixed memory; no I/O.
// Not thread-safe: the queue manager's strand owns it.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace mixer::qmgr {

class DelayHistogram {
 public:
  // Buckets grow by 2^(1/4) (about 19 %) from 100 µs; the last takes the rest.
  static constexpr std::size_t kBuckets = 104;

  void add(std::int64_t micros);
  std::uint64_t count() const { return count_; }
  // The upper bound of the bucket holding the q-th quantile (0 < q <= 1), in
  // microseconds; 0 when nothing was added.
  std::int64_t quantile_micros(double q) const;
  // " delivered=N delay_p50_ms=X delay_p99_ms=Y" for the stats line.
  std::string stats() const;

 private:
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
};

}  // namespace mixer::qmgr
