// Sizes, durations and listen addresses in the config.
#include <gtest/gtest.h>

#include "conf/units.hpp"

using namespace mixer::conf;
using namespace std::chrono_literals;

TEST(ConfUnits, sizes) {
  EXPECT_EQ(parse_size("10M").value(), 10u << 20);
  EXPECT_EQ(parse_size("512KiB").value(), 512u << 10);
  EXPECT_EQ(parse_size("1048576").value(), 1048576u);
  EXPECT_EQ(parse_size("2G").value(), 2ULL << 30);
  EXPECT_FALSE(parse_size("10X"));
  EXPECT_FALSE(parse_size("M"));
  EXPECT_FALSE(parse_size("99999999999999999999T"));
}

TEST(ConfUnits, durations) {
  EXPECT_EQ(parse_duration("250ms").value(), 250ms);
  EXPECT_EQ(parse_duration("30s").value(), 30s);
  EXPECT_EQ(parse_duration("5m").value(), 5min);
  EXPECT_EQ(parse_duration("1h").value(), 1h);
  EXPECT_FALSE(parse_duration("30"));
  EXPECT_FALSE(parse_duration("fast"));
}

TEST(ConfUnits, listen_addresses) {
  std::string why;
  auto a = parse_listen_address("127.0.0.1:2525", why);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 2525);
  auto b = parse_listen_address("[::1]:25", why);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->text(), "[::1]:25");
  EXPECT_FALSE(parse_listen_address("127.0.0.1:0", why));
  EXPECT_EQ(why, "port 0 is out of range 1-65535");
  EXPECT_FALSE(parse_listen_address("localhost:25", why));
  EXPECT_EQ(why, "'localhost' is not an IPv4 address (write IPv6 as [addr]:port)");
  EXPECT_FALSE(parse_listen_address("127.0.0.1", why));
  EXPECT_FALSE(parse_listen_address("127.0.0.1:http", why));
  EXPECT_EQ(why, "port 'http' is not a number");
}
