// smtp/client/mx_plan.cpp: MX answers to the ordered host list (see mx_plan.hpp).
#include "smtp/client/mx_plan.hpp"

#include <algorithm>
#include <cctype>

namespace mixer::smtp::client {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

ResolveError transient(const std::string& text) { return {proto::Reply(451, "4.4.3", text), false, text}; }
ResolveError no_route(const std::string& text) { return {proto::Reply(550, "5.1.2", text), true, text}; }

bool transient_status(DnsStatus s) {
  return s == DnsStatus::servfail || s == DnsStatus::timeout || s == DnsStatus::bad_answer;
}

}  // namespace

std::string_view describe(DnsStatus s) {
  switch (s) {
    case DnsStatus::ok: return "ok";
    case DnsStatus::nodata: return "no records";
    case DnsStatus::nxdomain: return "domain does not exist (NXDOMAIN)";
    case DnsStatus::servfail: return "server failure";
    case DnsStatus::timeout: return "timed out";
    case DnsStatus::bad_answer: return "malformed or oversized answer";
  }
  return "?";
}

bool is_dns_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

MxPlan plan_mx(const std::string& domain_in, DnsStatus status, std::vector<MxRecord> records,
               const ResolverLimits& limits, const std::string& self_in, std::mt19937& random) {
  MxPlan plan;
  const std::string domain = lower(domain_in);
  if (status == DnsStatus::nxdomain) {
    plan.error = no_route("Host or domain name not found: " + domain + " does not exist (DNS NXDOMAIN)");
    return plan;
  }
  if (transient_status(status)) {
    plan.error = transient("DNS lookup of the MX records of " + domain + " failed: " + std::string(describe(status)));
    return plan;
  }
  if (status == DnsStatus::nodata || (status == DnsStatus::ok && records.empty())) {
    plan.implicit = true;  // RFC 5321 §5.1: the domain is its own mail host
    plan.hosts.push_back({domain, 0});
    return plan;
  }
  for (auto& r : records) r.host = lower(r.host);
  // RFC 7505 §3: a single MX "." is the null MX: this domain takes no mail.
  if (records.size() == 1 && records[0].host.empty()) {
    plan.error = ResolveError{proto::Reply(556, "5.1.10", "Recipient address has null MX"), true,
                              domain + " publishes a null MX (RFC 7505): it accepts no mail"};
    return plan;
  }
  // "." among other MX records is a misconfiguration (RFC 7505 §3): ignore it;
  // names that are not host names are ignored too.
  std::erase_if(records, [](const MxRecord& r) { return !is_dns_name(r.host) || r.preference < 0; });
  if (records.empty()) {
    plan.error = transient("the MX records of " + domain + " name no usable host");
    return plan;
  }
  // Random order among equal preferences, then sorted (stable) by preference.
  std::shuffle(records.begin(), records.end(), random);
  std::stable_sort(records.begin(), records.end(),
                   [](const MxRecord& a, const MxRecord& b) { return a.preference < b.preference; });
  // The same host listed twice: keep its best.
  std::vector<MxRecord> unique;
  for (auto& r : records)
    if (std::none_of(unique.begin(), unique.end(), [&](const MxRecord& u) { return u.host == r.host; }))
      unique.push_back(std::move(r));
  // RFC 5321 §5.1: if we are an MX of the domain, only better ones may be tried.
  const std::string self = lower(self_in);
  if (!self.empty()) {
    auto mine = std::find_if(unique.begin(), unique.end(), [&](const MxRecord& r) { return r.host == self; });
    if (mine != unique.end()) {
      const int cut = mine->preference;
      std::erase_if(unique, [cut](const MxRecord& r) { return r.preference >= cut; });
      if (unique.empty()) {
        plan.error = ResolveError{proto::Reply(554, "5.4.6", "mail for " + domain + " loops back to myself"), true,
                                  "mail for " + domain + " loops back to myself (" + self + " is its best MX)"};
        return plan;
      }
    }
  }
  if (unique.size() > limits.max_mx_hosts) unique.resize(limits.max_mx_hosts);
  plan.hosts = std::move(unique);
  return plan;
}

Resolution assemble(const std::string& domain_in, const MxPlan& plan, const std::vector<HostAnswer>& answers,
                    const ResolverLimits& limits) {
  Resolution res;
  res.implicit = plan.implicit;
  const std::string domain = lower(domain_in);
  if (plan.error) {
    res.error = plan.error;
    return res;
  }
  bool any_transient = false;
  std::string last_problem;
  for (std::size_t i = 0; i < plan.hosts.size() && i < answers.size(); ++i) {
    const auto& a = answers[i];
    ResolvedHost h{plan.hosts[i].host, plan.hosts[i].preference, {}};
    for (const auto* list : {&a.v4, &a.v6})
      for (const auto& addr : *list)
        if (h.addresses.size() < limits.max_addresses_per_host &&
            std::find(h.addresses.begin(), h.addresses.end(), addr) == h.addresses.end())
          h.addresses.push_back(addr);
    if (!h.addresses.empty()) {
      res.hosts.push_back(std::move(h));
      continue;
    }
    // No address: remember why (a transient failure on either query counts).
    const DnsStatus worst = transient_status(a.a) ? a.a : transient_status(a.aaaa) ? a.aaaa : a.a;
    if (transient_status(a.a) || transient_status(a.aaaa)) any_transient = true;
    last_problem = "address lookup of " + h.name + " failed: " + std::string(describe(worst));
  }
  if (!res.hosts.empty()) return res;
  if (plan.implicit) {
    if (any_transient) res.error = transient("DNS lookup of " + domain + " failed: " + last_problem);
    else res.error = no_route("Host or domain name not found: " + domain + " has no MX and no address records");
    return res;
  }
  // MX records whose hosts have no address: the domain exists and means to
  // take mail; a DNS error on its side may be repaired, so this is transient.
  res.error = transient("no MX host of " + domain + " has an address" + (last_problem.empty() ? "" : " (" + last_problem + ")"));
  return res;
}

std::string Resolution::text() const {
  std::string out;
  for (const auto& h : hosts) {
    if (!out.empty()) out += ", ";
    out += h.name;
    for (const auto& a : h.addresses) out += "[" + a + "]";
    out += " (" + std::to_string(h.preference) + ")";
  }
  return out;
}

}  // namespace mixer::smtp::client
