// smtp/client/routes.cpp: longest-match route lookup (see routes.hpp).
#include "smtp/client/routes.hpp"

#include <cctype>

namespace mixer::smtp::client {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// How specific `pattern` is for `domain`: -1 if it does not match; else
// larger is better (an exact name beats ".name" of the same length).
long score(const std::string& pattern_in, const std::string& domain) {
  const std::string pattern = lower(pattern_in);
  if (pattern == "*") return 0;
  if (pattern.empty()) return -1;
  if (pattern.front() == '.') {
    if (domain.size() > pattern.size() && domain.compare(domain.size() - pattern.size(), pattern.size(), pattern) == 0)
      return 2 * static_cast<long>(pattern.size());
    return -1;
  }
  return pattern == domain ? 2 * static_cast<long>(pattern.size()) + 1 : -1;
}

}  // namespace

std::string HostPort::text() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Route RouteTable::match(std::string_view domain_in) const {
  const std::string domain = lower(domain_in);
  const Route* best = nullptr;
  long best_score = -1;
  for (const auto& r : routes_) {
    long s = score(r.domain, domain);
    if (s > best_score) best = &r, best_score = s;
  }
  if (best) return *best;
  return Route{};
}

std::string destination_key(const Route& route, std::string_view domain) {
  if (route.via_mx()) return lower(domain);
  std::string out = "[";
  for (const auto& h : route.smart_hosts) {
    if (out.size() > 1) out += " ";
    out += h.text();
  }
  return out + "]";
}

}  // namespace mixer::smtp::client
