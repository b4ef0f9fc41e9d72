// gateway/cli/check_config.cpp: `mixer check-config`.
#include <cstdio>

#include "conf/config.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/runtime.hpp"

namespace mixer::cli {

int check_config(const std::filesystem::path& file) {
  auto loaded = conf::load_config(file);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.text().c_str());
    return 1;
  }
  try {
    gateway::make_runtime(*loaded.config);  // TLS key and certificate must load and match
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), e.what());
    return 1;
  }
  std::printf("%s: configuration OK\n", file.c_str());
  return 0;
}

}  // namespace mixer::cli
