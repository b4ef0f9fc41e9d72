// gateway/p1_routes.cpp: longest-prefix match over p1.routes (see p1_routes.hpp).
#include "gateway/p1_routes.hpp"

#include <cctype>

namespace mixer::gateway {
namespace {

// A value as written in a route: printable, else the teletex octets.
const std::string* value_of(const addressing::Text& t) {
  if (t.printable) return &*t.printable;
  if (t.teletex) return &*t.teletex;
  return nullptr;
}

bool same(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool matches(const conf::P1Route& route, const addressing::OrAddress& a) {
  std::size_t ou = 0;
  for (const auto& [key, value] : route.match) {
    const addressing::Text* t = nullptr;
    if (key == "C") t = &a.country;
    else if (key == "ADMD") t = &a.admd;
    else if (key == "PRMD") t = &a.prmd;
    else if (key == "O") t = &a.organization;
    else if (key == "OU") {
      if (ou >= a.organizational_units.size()) return false;
      t = &a.organizational_units[ou++];
    }
    const std::string* v = t ? value_of(*t) : nullptr;
    if (!v) return false;
    // RFC 2156 §4.2: a single-space ADMD and a zero-length one are the same "no ADMD".
    if (key == "ADMD" && (value.empty() || value == " ") && (v->empty() || *v == " ")) continue;
    if (!same(*v, value)) return false;
  }
  return true;
}

}  // namespace

const conf::P1Route* find_p1_route(const conf::P1Config& config, const addressing::OrAddress& address) {
  const conf::P1Route* best = nullptr;
  const conf::P1Route* fallback = nullptr;
  for (const auto& route : config.routes) {
    if (route.match.empty()) {
      if (!fallback) fallback = &route;
      continue;
    }
    if (matches(route, address) && (!best || route.match.size() > best->match.size())) best = &route;
  }
  return best ? best : fallback;
}

}  // namespace mixer::gateway
