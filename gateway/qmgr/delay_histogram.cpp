// gateway/qmgr/delay_histogram.cpp: see delay_histogram.hpp.
#include "gateway/qmgr/delay_histogram.hpp"

#include <cmath>
#include <cstdio>

namespace mixer::qmgr {

namespace {
constexpr double kFirst = 100.0;  // µs: the upper bound of bucket 0

double upper_bound(std::size_t i) { return kFirst * std::exp2(static_cast<double>(i) / 4.0); }
}  // namespace

void DelayHistogram::add(std::int64_t micros) {
  std::size_t i = 0;
  if (micros > kFirst) {
    const double b = std::ceil(4.0 * std::log2(static_cast<double>(micros) / kFirst));
    i = b >= kBuckets - 1 ? kBuckets - 1 : static_cast<std::size_t>(b);
  }
  ++buckets_[i];
  ++count_;
}

std::int64_t DelayHistogram::quantile_micros(double q) const {
  if (count_ == 0) return 0;
  const auto want = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= want && seen > 0) return static_cast<std::int64_t>(std::llround(upper_bound(i)));
  }
  return static_cast<std::int64_t>(std::llround(upper_bound(kBuckets - 1)));
}

std::string DelayHistogram::stats() const {
  char buf[96];
  std::snprintf(buf, sizeof buf, " delivered=%llu delay_p50_ms=%.1f delay_p99_ms=%.1f",
                static_cast<unsigned long long>(count_), quantile_micros(0.5) / 1000.0, quantile_micros(0.99) / 1000.0);
  return buf;
}

}  // namespace mixer::qmgr
