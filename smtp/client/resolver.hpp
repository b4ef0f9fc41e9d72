// smtp/client/resolver.hpp: asynchronous next-hop resolution through c-ares:
// a domain's MX hosts and their A/AAAA addresses (RFC 5321 §5.1, RFC 7505),
// or one host's addresses (smart hosts). One small thread owns the c-ares
// channel and waits on its sockets with poll(2); lookups are handed to it
// and their results posted back to the awaiting coroutine's executor, so
// the event loop never blocks. Every lookup has a deadline.
//
// c-ares parses the wire format (ares_parse_mx_reply, _a_, _aaaa_): there
// is no DNS parsing of our own here, so no fuzz target; what c-ares hands
// over is bounded (answer size, MX hosts, addresses) and ordered by the
// I/O-free mx_plan.hpp. Trusts c-ares and the configured DNS server's
// address; trusts nothing in the answers.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "smtp/client/mx_plan.hpp"
#include "smtp/client/routes.hpp"

namespace mixer::smtp::client {

struct ResolverSettings {
  std::optional<HostPort> server;  // the DNS server (an IP address); absent: /etc/resolv.conf
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // one whole lookup, all its queries
  ResolverLimits limits;
  std::string self;  // our host name: an MX list naming it is cut there (RFC 5321 §5.1)
};

class Resolver {
 public:
  // Starts the resolver thread; throws std::runtime_error when c-ares
  // cannot be initialised (a start-up failure).
  explicit Resolver(ResolverSettings settings);
  ~Resolver();  // lookups still running complete with a transient error
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // The mail hosts of `domain`: its MX hosts in order, each with its
  // addresses; the domain itself when it has no MX (implicit MX); an
  // address literal "[192.0.2.1]" as itself. Never throws; a failure is
  // Resolution::error (556 5.1.10 null MX, 550 5.1.2 no such domain, 451
  // 4.4.3 DNS trouble, 554 5.4.6 loop).
  boost::asio::awaitable<Resolution> resolve_mx(std::string domain);
  // The addresses of one host (an IP address is returned as it is).
  boost::asio::awaitable<Resolution> resolve_host(std::string host);

  const ResolverSettings& settings() const;

  struct Impl;
  struct Initiation;

 private:
  using Callback = std::function<void(Resolution)>;  // runs on the resolver thread
  void start(std::string name, bool mx, Callback done);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mixer::smtp::client
