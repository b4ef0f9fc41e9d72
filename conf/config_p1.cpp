// conf/config_p1.cpp: the schema of the p1 section (the P1 listener, the
// RTSE parameters, deadlines, retry policy and the peer MTA table).
// Reads like the file; every key is checked with its line.
#include <arpa/inet.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "conf/schema.hpp"

namespace mixer::conf {
namespace {

using std::chrono::milliseconds;

bool is_ip_address(const std::string& s) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// A host name (letters, digits, hyphens, dots) or an IP address.
bool is_host(const std::string& s) {
  if (s.empty() || s.size() > 255) return false;
  if (is_ip_address(s)) return true;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return s.front() != '.' && s.front() != '-';
}

// A selector: "hex:0a0b..." for octets, anything else is taken as its
// ASCII octets (the "x400" TSAP selectors of the captures).
void selector(SchemaReader& r, const YAML::Node& v, const std::string& k, std::optional<std::string>& out) {
  std::string s;
  r.string(v, k, s);
  std::string octets;
  if (s.rfind("hex:", 0) == 0) {
    std::string hex = s.substr(4);
    if (hex.size() % 2 != 0 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return r.error(v, k, "'" + s + "' is not hex:OCTETS (an even number of hex digits)");
    for (std::size_t i = 0; i < hex.size(); i += 2) octets.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  } else {
    octets = s;
  }
  if (octets.empty() || octets.size() > 64) return r.error(v, k, "a selector has 1 to 64 octets");
  out = octets;
}

void selectors(SchemaReader& r, const YAML::Node& n, const std::string& k, P1Selectors& out) {
  r.map(n, k,
        {{"tsap", [&](auto& v, auto& kk) { selector(r, v, kk, out.tsap); }},
         {"ssap", [&](auto& v, auto& kk) { selector(r, v, kk, out.ssap); }},
         {"psap", [&](auto& v, auto& kk) { selector(r, v, kk, out.psap); }}});
}

// A password given in the file, or read from a file (its first line).
void password_file(SchemaReader& r, const YAML::Node& v, const std::string& k, std::string& out) {
  std::filesystem::path p;
  r.readable_file(v, k, p);
  if (p.empty() || !r.checks_files()) return;
  std::ifstream in(p, std::ios::binary);
  std::string first;
  std::getline(in, first);
  if (!first.empty() && first.back() == '\r') first.pop_back();
  if (first.size() > 256) return r.error(v, k, "the password in '" + p.string() + "' is longer than 256 octets");
  out = first;
}

P1Peer read_peer(SchemaReader& r, const YAML::Node& n, const std::string& k) {
  P1Peer p;
  p.line = n.Mark().line + 1;
  bool has_password = false, has_ours = false;
  int form = 0, mode = 0, dialogue = 0;
  std::size_t port = p.port;
  r.map(n, k,
        {{"name",
          [&](auto& v, auto& kk) {
            r.string(v, kk, p.name);
            if (p.name.empty() || p.name.size() > 64) r.error(v, kk, "an MTA name has 1 to 64 characters");
          },
          true},
         {"password", [&](auto& v, auto& kk) { r.string(v, kk, p.password), has_password = true; }},
         {"password_file", [&](auto& v, auto& kk) { password_file(r, v, kk, p.password), has_password = true; }},
         {"our_password", [&](auto& v, auto& kk) { r.string(v, kk, p.our_password), has_ours = true; }},
         {"our_password_file", [&](auto& v, auto& kk) { password_file(r, v, kk, p.our_password), has_ours = true; }},
         {"password_form", [&](auto& v, auto& kk) { r.choice(v, kk, {"ia5", "octets"}, form); }},
         {"addresses",
          [&](auto& v, auto& kk) {
            r.string_list(v, kk, p.addresses);
            for (std::size_t i = 0; i < p.addresses.size(); ++i)
              if (!is_ip_address(p.addresses[i]))
                r.error(v.IsSequence() ? v[i] : v, kk + "[" + std::to_string(i) + "]",
                        "'" + p.addresses[i] + "' is not an IP address");
          }},
         {"host",
          [&](auto& v, auto& kk) {
            r.string(v, kk, p.host);
            if (!is_host(p.host)) r.error(v, kk, "'" + p.host + "' is not a host name or IP address");
          }},
         {"port", [&](auto& v, auto& kk) { r.count(v, kk, port, 1, 65535); }},
         {"mode", [&](auto& v, auto& kk) { r.choice(v, kk, {"1988", "1984"}, mode); }},
         {"bp14", [&](auto& v, auto& kk) { r.boolean(v, kk, p.bp14); }},
         {"dialogue", [&](auto& v, auto& kk) { r.choice(v, kk, {"monologue", "two-way-alternate"}, dialogue); }},
         {"associations", [&](auto& v, auto& kk) { r.count(v, kk, p.associations, 1, 64); }},
         {"hold", [&](auto& v, auto& kk) { r.boolean(v, kk, p.hold); }},
         {"selectors", [&](auto& v, auto& kk) { selectors(r, v, kk, p.selectors); }},
         {"calling_selectors", [&](auto& v, auto& kk) { selectors(r, v, kk, p.calling_selectors); }}});
  if (n.IsMap()) {
    if (n["password"] && n["password_file"]) r.error(n["password_file"], k + ".password_file", "give password or password_file, not both");
    if (n["our_password"] && n["our_password_file"])
      r.error(n["our_password_file"], k + ".our_password_file", "give our_password or our_password_file, not both");
    if (!has_password) r.error(n, k + ".password", "missing: what the peer presents in its bind (\"\" for none)");
    if (!has_ours) r.error(n, k + ".our_password", "missing: what we present to the peer (\"\" for none)");
    // RFC 2157 §3.1: a 1988 peer takes [14] anyway; the switch is for X.400(1984) peers.
    if (p.bp14 && mode != 1) r.error(n["bp14"], k + ".bp14", "applies to a peer of mode 1984 only (P2 1988 has [14])");
  }
  p.password_octets = form == 1;
  p.mode = mode == 1 ? 1984 : 1988;
  p.two_way_alternate = dialogue == 1;
  p.port = static_cast<std::uint16_t>(port);
  return p;
}

// "/C=GB/ADMD=BT/PRMD=X/O=Y/OU=Z/" (a prefix of the std-or hierarchy) or "*".
void read_route_match(SchemaReader& r, const YAML::Node& v, const std::string& k, P1Route& route) {
  r.string(v, k, route.text);
  if (route.text == "*") return;
  std::string s = route.text;
  if (s.size() < 2 || s.front() != '/' || s.back() != '/')
    return r.error(v, k, "'" + s + "' is neither \"*\" nor an O/R address prefix like /C=GB/ADMD=BT/PRMD=Army/");
  static const char* const order[] = {"C", "ADMD", "PRMD", "O", "OU"};
  std::size_t rank = 0, ous = 0;
  std::size_t pos = 1;
  while (pos < s.size()) {
    auto end = s.find('/', pos);
    std::string part = s.substr(pos, end - pos);
    pos = end + 1;
    auto eq = part.find('=');
    if (eq == std::string::npos || eq == 0) return r.error(v, k, "'" + part + "' is not KEY=VALUE");
    std::string key = part.substr(0, eq), value = part.substr(eq + 1);
    for (auto& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (key == "A") key = "ADMD";
    if (key == "P") key = "PRMD";
    std::size_t at = 0;
    while (at < 5 && key != order[at]) ++at;
    if (at == 5) return r.error(v, k, "'" + key + "': a route matches on C, ADMD, PRMD, O and OU only");
    if (at < rank || (at == rank && at != 4 && !route.match.empty()))
      return r.error(v, k, "'" + key + "' out of order: C, ADMD, PRMD, O, then OUs");
    if (at == 4 && ++ous > 4) return r.error(v, k, "at most four OUs");
    if (value.empty() && key != "ADMD") return r.error(v, k, "'" + key + "' has no value");
    if (value.size() > 64) return r.error(v, k, "'" + key + "' value longer than 64 characters");
    rank = at;
    route.match.emplace_back(key, value);
  }
  if (route.match.empty()) return r.error(v, k, "an empty O/R address prefix (use \"*\" for the default route)");
}

}  // namespace

void read_p1(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  auto& p = c.p1;
  std::size_t checkpoint = p.checkpoint_size, window = p.window_size;
  r.map(n, k,
        {{"listen", [&](auto& v, auto& kk) { r.listen_list(v, kk, p.listen); }},
         {"max_associations", [&](auto& v, auto& kk) { r.count(v, kk, p.max_associations, 1, 100000); }},
         {"selectors", [&](auto& v, auto& kk) { selectors(r, v, kk, p.selectors); }},
         // X.228 §7.3: checkpointSize and windowSize are INTEGERs; 0 disables checkpointing.
         {"checkpoint_size", [&](auto& v, auto& kk) { r.count(v, kk, checkpoint, 0, 1 << 20); }},
         {"window_size", [&](auto& v, auto& kk) { r.count(v, kk, window, 1, 1000); }},
         {"two_way_alternate", [&](auto& v, auto& kk) { r.boolean(v, kk, p.two_way_alternate); }},
         {"max_apdu_size", [&](auto& v, auto& kk) {
            r.size(v, kk, p.max_apdu_size, 1024);
            if (p.max_apdu_size > (256u << 20)) r.error(v, kk, "at most 256M");
          }},
         {"timeouts",
          [&](auto& v, auto& kk) {
            auto d = [&](milliseconds& out, milliseconds min) {
              return [&r, &out, min](auto& vv, auto& kkk) { r.duration(vv, kkk, out, min); };
            };
            r.map(v, kk,
                  {{"connect", d(p.connect_timeout, milliseconds(100))},
                   {"bind", d(p.bind_timeout, milliseconds(100))},
                   {"idle", d(p.idle_timeout, milliseconds(100))},
                   {"total", d(p.total_timeout, milliseconds(100))},
                   {"durable", d(p.durable_timeout, milliseconds(100))},
                   {"linger", d(p.linger_timeout, milliseconds(0))}});
          }},
         {"duplicate_window", [&](auto& v, auto& kk) { r.duration(v, kk, p.duplicate_window, milliseconds(0)); }},
         {"retry",
          [&](auto& v, auto& kk) {
            r.map(v, kk,
                  {{"initial", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, p.retry_initial, milliseconds(100)); }},
                   {"max", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, p.retry_max, milliseconds(100)); }},
                   {"lifetime", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, p.lifetime, milliseconds(1000)); }}});
            if (p.retry_max < p.retry_initial) r.error(v, kk + ".max", "must not be shorter than retry.initial");
          }},
         {"peers", [&](auto& v, auto& kk) {
            std::set<std::string> names;
            r.list_of(v, kk, [&](const YAML::Node& item, const std::string& ik) {
              P1Peer peer = read_peer(r, item, ik);
              if (!peer.name.empty() && !names.insert(peer.name).second)
                r.error(item["name"], ik + ".name", "peer '" + peer.name + "' is defined twice");
              p.peers.push_back(std::move(peer));
            });
          }},
         {"routes", [&](auto& v, auto& kk) {
            std::set<std::string> seen;
            r.list_of(v, kk, [&](const YAML::Node& item, const std::string& ik) {
              P1Route route;
              route.line = item.Mark().line + 1;
              r.map(item, ik,
                    {{"match", [&](auto& vv, auto& kkk) { read_route_match(r, vv, kkk, route); }, true},
                     {"peers", [&](auto& vv, auto& kkk) {
                        r.string_list(vv, kkk, route.peers);
                        if (route.peers.empty()) r.error(vv, kkk, "a route needs at least one peer");
                      }, true}});
              if (!route.text.empty() && !seen.insert(route.text).second)
                r.error(item["match"], ik + ".match", "route '" + route.text + "' is defined twice");
              p.routes.push_back(std::move(route));
            });
          }}});
  // Every route's peers must be peers we can call.
  for (std::size_t i = 0; i < p.routes.size(); ++i)
    for (const auto& name : p.routes[i].peers) {
      const P1Peer* peer = p.peer(name);
      const std::string key = k + ".routes[" + std::to_string(i) + "].peers";
      if (!peer) r.error_at(p.routes[i].line, key, "no peer '" + name + "' in p1.peers");
      else if (peer->host.empty()) r.error_at(p.routes[i].line, key, "peer '" + name + "' has no host: it is inbound only");
      else if (const P1Peer* first = p.peer(p.routes[i].peers.front()); first && first->mode != peer->mode)
        r.error_at(p.routes[i].line, key, "peers '" + first->name + "' and '" + name +
                                              "' have different modes: one route's peers take the same converted form");
    }
  p.checkpoint_size = checkpoint;
  p.window_size = window;
}

}  // namespace mixer::conf
