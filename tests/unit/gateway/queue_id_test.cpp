// Queue IDs: time-ordered, unique, safe as file names.
#include <gtest/gtest.h>

#include <set>

#include "gateway/queue/format/queue_id.hpp"

using namespace mixer::queue;

TEST(QueueId, encodes_and_decodes) {
  EXPECT_EQ(encode_queue_id(0), "00000000000");
  EXPECT_EQ(decode_queue_id(encode_queue_id(1795430400123456)), 1795430400123456);
  EXPECT_TRUE(is_queue_id("1K0XZ0B50P1"));
  for (const char* bad : {"", "1K0XZ0B50P", "1K0XZ0B50P1X", "1K0XZ0B50PI", "../../etc/x", "1k0xz0b50p1"})
    EXPECT_FALSE(is_queue_id(bad)) << bad;
}

TEST(QueueId, strictly_increasing_even_for_the_same_microsecond) {
  QueueIdGenerator g(1000);
  std::set<std::string> seen;
  std::string last;
  for (int i = 0; i < 1000; ++i) {
    auto id = g.next(500);  // clock behind the floor: still above it
    EXPECT_GT(id, last);
    EXPECT_GT(decode_queue_id(id), 1000);
    EXPECT_TRUE(seen.insert(id).second);
    last = id;
  }
}
