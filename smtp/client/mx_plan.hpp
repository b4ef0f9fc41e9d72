// smtp/client/mx_plan.hpp: the I/O-free half of next-hop resolution (RFC
// 5321 §5.1, RFC 7505): from the DNS answers, as c-ares decoded them, to the
// ordered list of hosts and addresses to try, or to the reason there is none
// (permanent or transient). The resolver (resolver.hpp) does the lookups and
// calls these functions; the unit tests call them with made-up answers.
//
// Trusts nothing in the answers (host names are checked, counts bounded by
// Limits); trusts its caller for the random generator.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "smtp/proto/reply.hpp"

namespace mixer::smtp::client {

// How one DNS query ended (c-ares's status, reduced).
enum class DnsStatus {
  ok,         // an answer with records of the type asked for
  nodata,     // the name exists, no records of that type (NOERROR, empty answer)
  nxdomain,   // the name does not exist
  servfail,   // SERVFAIL, REFUSED, no server answered, connection refused
  timeout,    // no answer in time
  bad_answer, // malformed or over the size limit
};
std::string_view describe(DnsStatus s);

struct ResolverLimits {
  std::size_t max_mx_hosts = 10;           // MX records considered, best preference first
  std::size_t max_addresses_per_host = 4;  // A/AAAA addresses kept per host
  std::size_t max_answer_size = 16 * 1024; // octets of one DNS answer
};

struct MxRecord {
  std::string host;  // as in the answer, without the final dot; "" for the root (null MX)
  int preference = 0;
};

// Why there is nowhere to send: the reply to record for every recipient.
struct ResolveError {
  proto::Reply reply;      // 556 5.1.10, 550 5.1.2, 451 4.4.3, 554 5.4.6
  bool permanent = false;
  std::string text;        // one sentence for the log
};

// Step 1: what to look up after the MX query for `domain`. On success, the
// host names in the order to try (MX preference, random among equals; the
// domain itself for an implicit MX), each with its preference.
struct MxPlan {
  std::vector<MxRecord> hosts;
  bool implicit = false;  // no MX records: the domain's own address records (RFC 5321 §5.1)
  std::optional<ResolveError> error;
};
// `self` is our own host name (smtp.helo_name): an MX list naming it is cut
// at its preference (RFC 5321 §5.1: "MUST discard" ours and the worse ones).
MxPlan plan_mx(const std::string& domain, DnsStatus status, std::vector<MxRecord> records, const ResolverLimits& limits,
               const std::string& self, std::mt19937& random);

// The address records of one host (A and AAAA queries together).
struct HostAnswer {
  DnsStatus a = DnsStatus::nodata;
  DnsStatus aaaa = DnsStatus::nodata;
  std::vector<std::string> v4, v6;  // textual addresses, answer order
};

struct ResolvedHost {
  std::string name;
  int preference = 0;
  std::vector<std::string> addresses;  // IPv4 first, then IPv6, at most max_addresses_per_host
};

struct Resolution {
  std::vector<ResolvedHost> hosts;  // in order; only hosts with an address
  bool implicit = false;
  std::optional<ResolveError> error;  // set only when `hosts` is empty
  std::string text() const;  // "mx1.test[127.0.0.3] (10), mx2.test[127.0.0.1] (20)" for logs
};

// Step 2: the plan and each host's answers (answers[i] for plan.hosts[i]).
Resolution assemble(const std::string& domain, const MxPlan& plan, const std::vector<HostAnswer>& answers,
                    const ResolverLimits& limits);

// A host name as it may appear in an MX target or a smart host: letters,
// digits, hyphens, underscores, dots.
bool is_dns_name(const std::string& name);

}  // namespace mixer::smtp::client
