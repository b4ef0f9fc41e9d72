// conf/units.hpp: the value syntaxes of the config file that are not plain
// YAML scalars: sizes ("10M", "512KiB"), durations ("30s", "5m"), and
// listen addresses ("127.0.0.1:2525", "[::1]:25"). Pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conf/config.hpp"

namespace mixer::conf {

// Bytes: a decimal number with an optional unit k/K/KiB, M/MiB, G/GiB
// (binary multiples). Returns nullopt on bad syntax or overflow.
std::optional<std::uint64_t> parse_size(std::string_view text);

// A duration: a number with unit ms, s, m, h or d. nullopt on bad syntax.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// host:port; on failure returns nullopt and sets `why`.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& why);

}  // namespace mixer::conf
