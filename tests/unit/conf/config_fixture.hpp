// tests/unit/conf/config_fixture.hpp: a scratch directory with a config file
// in it, and the check that a load failed with exactly one error.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "conf/config.hpp"

struct ScratchConfig : ::testing::Test {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("mixer-conf-test-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::path file = dir / "mixer.yaml";
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  mixer::conf::LoadResult load_text(const std::string& text) {
    std::ofstream(file) << text;
    return mixer::conf::load_config(file);
  }
  std::string only_error(const mixer::conf::LoadResult& r) {
    EXPECT_FALSE(r.config.has_value());
    EXPECT_EQ(r.errors.size(), 1u);
    return r.errors.empty() ? "" : r.errors.front().text();
  }
};
