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
  // TLS key and certificate, the gateway's O/R address, every mapping table.
  auto built = gateway::make_runtime(*loaded.config);
  for (const auto& e : built.errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!built.runtime) return 1;
  std::printf("%s: configuration OK\n", file.c_str());
  return 0;
}

}  // namespace mixer::cli
