// tests/unit/qmgr/delay_histogram_test.cpp: the queue delay histogram behind
// the stats' delay_p50_ms / delay_p99_ms (gateway/qmgr/delay_histogram.hpp).
#include <gtest/gtest.h>

#include "gateway/qmgr/delay_histogram.hpp"

using mixer::qmgr::DelayHistogram;

TEST(DelayHistogram, empty_says_zero) {
  DelayHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile_micros(0.5), 0);
  EXPECT_EQ(h.stats(), " delivered=0 delay_p50_ms=0.0 delay_p99_ms=0.0");
}

TEST(DelayHistogram, quantiles_within_one_bucket_of_the_truth) {
  DelayHistogram h;
  // 98 deliveries of 2 ms, one of 50 ms, one of 3 s.
  for (int i = 0; i < 98; ++i) h.add(2000);
  h.add(50'000);
  h.add(3'000'000);
  EXPECT_EQ(h.count(), 100u);
  const auto p50 = h.quantile_micros(0.5), p99 = h.quantile_micros(0.99), p100 = h.quantile_micros(1.0);
  EXPECT_GE(p50, 2000);
  EXPECT_LT(p50, 2000 * 1.19 + 1);  // the bucket's upper bound: within 2^(1/4)
  EXPECT_GE(p99, 50'000);
  EXPECT_LT(p99, 50'000 * 1.19 + 1);
  EXPECT_GE(p100, 3'000'000);
  EXPECT_LT(p100, 3'000'000 * 1.19 + 1);
}

TEST(DelayHistogram, negative_tiny_and_huge_delays_are_kept_in_the_end_buckets) {
  DelayHistogram h;
  h.add(-5);              // a clock step back
  h.add(0);
  h.add(10LL * 86400 * 1'000'000);  // ten days
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.quantile_micros(0.5), 100);
  EXPECT_GT(h.quantile_micros(1.0), 3'000'000'000LL);
}
