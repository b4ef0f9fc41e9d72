// conf/units.cpp: sizes, durations and listen addresses (see units.hpp).
#include "conf/units.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace mixer::conf {
namespace {

// Splits "123abc" into the number and its unit; nullopt without digits.
std::optional<std::pair<std::uint64_t, std::string_view>> number_and_unit(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit(end, text.data() + text.size() - end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return std::pair{value, unit};
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  auto parsed = number_and_unit(text);
  if (!parsed) return std::nullopt;
  auto [value, unit] = *parsed;
  std::uint64_t multiplier = 1;
  if (unit.empty() || unit == "B") multiplier = 1;
  else if (unit == "k" || unit == "K" || unit == "KiB" || unit == "KB") multiplier = 1ULL << 10;
  else if (unit == "M" || unit == "MiB" || unit == "MB") multiplier = 1ULL << 20;
  else if (unit == "G" || unit == "GiB" || unit == "GB") multiplier = 1ULL << 30;
  else if (unit == "T" || unit == "TiB" || unit == "TB") multiplier = 1ULL << 40;
  else return std::nullopt;
  if (value > UINT64_MAX / multiplier) return std::nullopt;
  return value * multiplier;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto parsed = number_and_unit(text);
  if (!parsed) return std::nullopt;
  auto [value, unit] = *parsed;
  std::uint64_t ms_per_unit = 0;
  if (unit == "ms") ms_per_unit = 1;
  else if (unit == "s") ms_per_unit = 1000;
  else if (unit == "m") ms_per_unit = 60'000;
  else if (unit == "h") ms_per_unit = 3'600'000;
  else if (unit == "d") ms_per_unit = 86'400'000;
  else return std::nullopt;
  if (value > (1ULL << 40) / ms_per_unit) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * ms_per_unit));
}

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& why) {
  ListenAddress out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      why = "expected [IPv6]:PORT";
      return std::nullopt;
    }
    out.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
    in6_addr a6{};
    if (inet_pton(AF_INET6, out.host.c_str(), &a6) != 1) {
      why = "'" + out.host + "' is not an IPv6 address";
      return std::nullopt;
    }
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      why = "expected HOST:PORT";
      return std::nullopt;
    }
    out.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    in_addr a4{};
    if (inet_pton(AF_INET, out.host.c_str(), &a4) != 1) {
      why = "'" + out.host + "' is not an IPv4 address (write IPv6 as [addr]:port)";
      return std::nullopt;
    }
  }
  unsigned long port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port_text.empty()) {
    why = "port '" + std::string(port_text) + "' is not a number";
    return std::nullopt;
  }
  if (port < 1 || port > 65535) {
    why = "port " + std::string(port_text) + " is out of range 1-65535";
    return std::nullopt;
  }
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

std::string ListenAddress::text() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

}  // namespace mixer::conf
