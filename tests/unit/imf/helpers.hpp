// tests/unit/imf/helpers.hpp: reading test data files and checking the
// invariants every parsed message must keep.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "imf/message.hpp"

namespace mixer::imf::test {

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  EXPECT_TRUE(f.good()) << path;
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::string data(const std::string& name) { return read_file("tests/unit/imf/data/" + name); }

// The fields' raw spans are contiguous, start at the header's start and end at its end.
inline void expect_partition(const Message& m, std::string_view input) {
  const char* at = input.data();
  EXPECT_EQ(m.header.data(), input.data());
  for (const Field& f : m.fields) {
    EXPECT_EQ(f.raw.data(), at);
    at += f.raw.size();
  }
  EXPECT_EQ(at, m.header.data() + m.header.size());
  if (m.separator) {
    EXPECT_EQ(m.body.data(), at + 2);
  }
}

inline Limits defaults() { return Limits{}; }

}  // namespace mixer::imf::test
