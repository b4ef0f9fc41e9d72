// conf/config_smtp_client.cpp: the outbound SMTP keys of the smtp section
// (smtp.routes, smtp.resolver, smtp.mx_port, smtp.helo_name, smtp.out):
// how mail leaves for the Internet (smtp/client). Reads like the file; every
// error names file, line and key. Trusts nothing in the YAML tree.
#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <set>

#include "conf/schema.hpp"

namespace mixer::conf {
namespace {

using std::chrono::milliseconds;

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// RFC 1035 §2.3.1 host name: labels of letters, digits and inner hyphens
// (underscores are let through, as resolvers do), an optional final dot.
bool is_host_name(std::string_view d) {
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);
  if (d.empty() || d.size() > 253) return false;
  std::size_t label = 0;
  char prev = '.';
  for (char c : d) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c == '-' && label > 0)) {
      if (++label > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return label > 0 && prev != '-';
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "host:port", "[v6]:port", or "host" (port `default_port`).
std::optional<ListenAddress> parse_host_port(const std::string& text, std::uint16_t default_port, std::string& why) {
  ListenAddress out;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) return why = "unclosed '['", std::nullopt;
    out.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return why = "expected ':' after ']'", std::nullopt;
      port_text = text.substr(close + 2);
      if (port_text.empty()) return why = "empty port", std::nullopt;
    }
    unsigned char buf[16];
    if (::inet_pton(AF_INET6, out.host.c_str(), buf) != 1)
      return why = "'" + out.host + "' is not an IPv6 address", std::nullopt;
  } else {
    auto colon = text.rfind(':');
    if (colon != std::string::npos && text.find(':') != colon)
      return why = "write an IPv6 address as [ADDRESS]:PORT", std::nullopt;
    out.host = text.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = text.substr(colon + 1);
      if (port_text.empty()) return why = "empty port", std::nullopt;
    }
    if (!is_ip(out.host) && !is_host_name(out.host))
      return why = "'" + out.host + "' is not a host name or IP address", std::nullopt;
    out.host = lower(out.host);
  }
  out.port = default_port;
  if (!port_text.empty()) {
    unsigned long port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size())
      return why = "port '" + port_text + "' is not a number", std::nullopt;
    if (port < 1 || port > 65535) return why = "port " + port_text + " is out of range 1-65535", std::nullopt;
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

SmtpRoute read_route(SchemaReader& r, const YAML::Node& n, const std::string& k) {
  SmtpRoute route;
  route.line = n.Mark().line + 1;
  int tls = 0, verify = -1;
  r.map(n, k,
        {{"domain",
          [&](auto& v, auto& kk) {
            r.string(v, kk, route.domain);
            route.domain = lower(route.domain);
            std::string_view bare = route.domain;
            if (!bare.empty() && bare.front() == '.') bare.remove_prefix(1);
            if (route.domain != "*" && (!is_host_name(std::string(bare)) || bare.back() == '.'))
              r.error(v, kk, "'" + route.domain + "' is not a domain name, .domain (its subdomains) or *");
          },
          true},
         {"via",
          [&](auto& v, auto& kk) {
            if (v.IsScalar()) {
              if (v.template as<std::string>() != "mx")
                r.error(v, kk, "expected mx or a list of smart hosts [ \"host:port\", ... ]");
              return;
            }
            if (!v.IsSequence() || v.size() == 0)
              return r.error(v, kk, "expected mx or a list of smart hosts [ \"host:port\", ... ]");
            for (std::size_t i = 0; i < v.size(); ++i) {
              const std::string ik = kk + "[" + std::to_string(i) + "]";
              std::string text, why;
              r.string(v[i], ik, text);
              if (text.empty() && !v[i].IsScalar()) continue;  // already an error
              if (auto a = parse_host_port(text, 25, why)) route.via.push_back(*a);
              else r.error(v[i], ik, "'" + text + "': " + why);
            }
          },
          true},
         {"tls", [&](auto& v, auto& kk) { r.choice(v, kk, {"opportunistic", "required", "none"}, tls); }},
         {"verify", [&](auto& v, auto& kk) { r.choice(v, kk, {"none", "chain", "name"}, verify); }},
         {"port", [&](auto& v, auto& kk) {
            std::size_t port = 25;
            r.count(v, kk, port, 1, 65535);
            route.port = static_cast<std::uint16_t>(port);
          }}});
  route.tls = static_cast<SmtpRouteTls>(tls);
  if (verify < 0) {
    route.verify = route.tls == SmtpRouteTls::required ? SmtpRouteVerify::name : SmtpRouteVerify::none;
  } else {
    route.verify = static_cast<SmtpRouteVerify>(verify);
    if (route.verify != SmtpRouteVerify::none && route.tls != SmtpRouteTls::required)
      r.error(n["verify"], k + ".verify",
              "certificate verification needs tls: required (opportunistic TLS falls back to clear text, "
              "so verifying would protect nothing)");
  }
  if (route.port && !route.via.empty())
    r.error(n["port"], k + ".port", "port applies to MX targets; give smart hosts as \"host:port\"");
  return route;
}

}  // namespace

void read_smtp_routes(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  std::set<std::string> domains;
  r.list_of(n, k, [&](const YAML::Node& item, const std::string& ik) {
    SmtpRoute route = read_route(r, item, ik);
    if (!route.domain.empty() && !domains.insert(route.domain).second)
      r.error(item["domain"], ik + ".domain", "a route for '" + route.domain + "' is already defined");
    c.smtp.routes.push_back(std::move(route));
  });
}

void read_smtp_resolver(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  std::string text, why;
  r.string(n, k, text);
  if (text.empty()) return;
  auto a = parse_host_port(text, 53, why);
  if (a && !is_ip(a->host)) a.reset(), why = "the DNS server must be an IP address";
  if (!a) return r.error(n, k, "'" + text + "': " + why);
  c.smtp.resolver = *a;
}

void read_smtp_out(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  auto& o = c.smtp.out;
  r.map(n, k,
        {{"connect_timeout", [&](auto& v, auto& kk) { r.duration(v, kk, o.connect_timeout, milliseconds(100)); }},
         {"reply_timeout_max", [&](auto& v, auto& kk) {
            milliseconds m{0};
            r.duration(v, kk, m, milliseconds(100));
            if (m.count() > 0) o.reply_timeout_max = m;
          }},
         {"resolver_timeout", [&](auto& v, auto& kk) { r.duration(v, kk, o.resolver_timeout, milliseconds(100)); }},
         {"max_connections", [&](auto& v, auto& kk) { r.count(v, kk, o.max_connections, 1, 100000); }},
         {"max_per_destination", [&](auto& v, auto& kk) { r.count(v, kk, o.max_per_destination, 1, 100000); }},
         {"max_mx_hosts", [&](auto& v, auto& kk) { r.count(v, kk, o.max_mx_hosts, 1, 100); }},
         {"max_addresses_per_host", [&](auto& v, auto& kk) { r.count(v, kk, o.max_addresses_per_host, 1, 64); }},
         {"max_dns_answer_size", [&](auto& v, auto& kk) {
            r.size(v, kk, o.max_dns_answer_size, 512);
            if (o.max_dns_answer_size > 65535) r.error(v, kk, "a DNS message has at most 65535 octets");
          }},
         {"ca_file", [&](auto& v, auto& kk) { r.readable_file(v, kk, o.ca_file); }},
         {"reuse_time", [&](auto& v, auto& kk) { r.duration(v, kk, o.reuse_time, milliseconds(0)); }},
         {"dead_host_time", [&](auto& v, auto& kk) { r.duration(v, kk, o.dead_host_time, milliseconds(0)); }},
         {"verify_probes", [&](auto& v, auto& kk) { r.boolean(v, kk, o.verify_probes); }}});
  if (o.max_per_destination > o.max_connections && n.IsMap() && n["max_per_destination"])
    r.error(n["max_per_destination"], k + ".max_per_destination", "larger than smtp.out.max_connections");
}

void read_smtp_mx_port(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  std::size_t port = c.smtp.mx_port;
  r.count(n, k, port, 1, 65535);
  c.smtp.mx_port = static_cast<std::uint16_t>(port);
}

void read_smtp_helo_name(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  r.string(n, k, c.smtp.helo_name);
  if (!is_host_name(c.smtp.helo_name)) r.error(n, k, "'" + c.smtp.helo_name + "' is not a host name");
}

}  // namespace mixer::conf
