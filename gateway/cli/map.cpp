// gateway/cli/map.cpp: `mixer map`: one address, or a batch from stdin,
// through the RFC 2156 chapter 4 mapping with the configured tables.
#include <cstdio>
#include <iostream>

#include "addressing/map_command.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/runtime.hpp"

namespace mixer::cli {

int map_address(const std::filesystem::path& file, const std::string& address, const std::string& to,
                const std::string& role, bool explain) {
  auto loaded = conf::load_config(file);
  for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.text().c_str());
  if (!loaded.config) return 2;
  auto built = gateway::make_addressing_runtime(std::move(*loaded.config));
  for (const auto& e : built.errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!built.runtime) return 2;
  addressing::MapCommandOptions o;
  o.explain = explain;
  o.direction = to == "x400"     ? addressing::MapDirection::to_x400
                : to == "rfc822" ? addressing::MapDirection::to_rfc822
                                 : addressing::MapDirection::automatic;
  o.role = role == "originator" ? addressing::AddressRole::smtp_originator
           : role == "ipms"     ? addressing::AddressRole::ipms
                                : addressing::AddressRole::smtp_recipient;
  const auto& ctx = built.runtime->addressing;
  if (address.empty() || address == "-") return addressing::run_map_batch(std::cin, o, ctx, std::cout);
  return addressing::run_map(address, o, ctx, std::cout);
}

}  // namespace mixer::cli
