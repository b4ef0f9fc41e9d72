// smtp/client/routes.hpp: the outbound routing table (I/O-free): which next
// hop (the domain's MX hosts or a list of smart hosts) and which TLS policy
// apply to a recipient domain. Longest match wins: "example.org" matches
// only itself, ".example.org" every subdomain (not example.org itself), "*"
// anything; with no matching route the default is "*" via MX, opportunistic
// TLS. The gateway builds the table from conf's smtp.routes.
//
// Trusts its entries (conf/ validated them); trusts nothing in the domain
// looked up (compared case-insensitively, a final dot ignored).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smtp/client/proto/session.hpp"

namespace mixer::smtp::client {

enum class Verify {
  none,   // encrypt, accept any certificate
  chain,  // the certificate chain must verify against the CA store
  name,   // chain, and the certificate must name the host we connected to (MX or smart host name)
};

struct HostPort {
  std::string host;  // name or IP address (no brackets)
  std::uint16_t port = 25;
  std::string text() const;  // "host:port", "[::1]:25"
};

struct Route {
  std::string domain = "*";         // "example.org", ".example.org" or "*"
  std::vector<HostPort> smart_hosts;  // tried in order; empty: MX
  TlsPolicy tls = TlsPolicy::opportunistic;
  Verify verify = Verify::none;
  std::optional<std::uint16_t> port;  // for MX targets; absent: the table's mx_port
  bool via_mx() const { return smart_hosts.empty(); }
};

class RouteTable {
 public:
  RouteTable() = default;
  explicit RouteTable(std::vector<Route> routes) : routes_(std::move(routes)) {}
  // The route for `domain` (a copy: the table may be replaced meanwhile).
  Route match(std::string_view domain) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The next hop's key for per-destination limits: the domain for MX routes,
// the smart host list for the others ("[mx.example:25 ...]").
std::string destination_key(const Route& route, std::string_view domain);

}  // namespace mixer::smtp::client
