// conf/config.cpp: the schema of conf/mixer.yaml and its validation.
// Reads like the file: one SchemaReader::map() call per YAML mapping.
#include "conf/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

#include "conf/schema.hpp"

namespace mixer::conf {
namespace {

using std::chrono::milliseconds;
using Field = SchemaReader::Field;

// RFC 5321 §4.1.2 Domain: sub-domain *("." sub-domain), letters, digits, hyphens.
bool is_domain(std::string_view d) {
  if (d.empty() || d.size() > 255) return false;
  std::size_t label = 0;
  char prev = '.';
  for (char c : d) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || (c == '-' && label > 0)) {
      if (++label > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return label > 0 && prev != '-';
}

// Printable string characters (X.680 §41.4), for the global domain identifier.
bool is_printable_string(std::string_view s) {
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view(" '()+,-./:=?").find(c) !=
                                                            std::string_view::npos))
      return false;
  return true;
}

// RFC 5321 §4.1.2 Mailbox with a Dot-string local part (no quoting): the
// gateway's postmaster, written as it is into From: and envelopes.
bool is_postmaster_address(std::string_view a) {
  const auto at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view local = a.substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  for (char c : local)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) !=
                                                             std::string_view::npos))
      return false;
  return is_domain(a.substr(at + 1));
}

void read_gateway(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  auto& g = c.gateway;
  r.map(n, k,
        {{"mta_name", [&](auto& v, auto& kk) { r.string(v, kk, g.mta_name); }, true},
         {"domain",
          [&](auto& v, auto& kk) {
            r.string(v, kk, g.domain);
            if (!g.domain.empty() && !is_domain(g.domain))
              r.error(v, kk, "'" + g.domain + "' is not a domain name");
          },
          true},
         {"or_address", [&](auto& v, auto& kk) { r.string(v, kk, g.or_address); }},
         {"postmaster",
          [&](auto& v, auto& kk) {
            r.string(v, kk, g.postmaster);
            if (!is_postmaster_address(g.postmaster))
              r.error(v, kk, "'" + g.postmaster + "' is not an addr-spec local@domain (dot-atom local part)");
          }},
         {"x400_postmaster", [&](auto& v, auto& kk) { r.string(v, kk, g.x400_postmaster); }},
         {"global_domain",
          [&](auto& v, auto& kk) {
            r.map(v, kk,
                  {{"country", [&](auto& vv, auto& kkk) { r.string(vv, kkk, g.country); }, true},
                   {"admd", [&](auto& vv, auto& kkk) { r.string(vv, kkk, g.admd); }, true},
                   {"prmd", [&](auto& vv, auto& kkk) { r.string(vv, kkk, g.prmd); }}});
            for (auto* s : {&g.country, &g.admd, &g.prmd})
              if (!is_printable_string(*s))
                r.error(v, kk, "'" + *s + "' has characters outside PrintableString");
          }}});
}

void read_smtp(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  auto& s = c.smtp;
  r.map(n, k,
        {{"listen", [&](auto& v, auto& kk) { r.listen_list(v, kk, s.listen); }},
         {"hostname", [&](auto& v, auto& kk) {
            r.string(v, kk, s.hostname);
            if (!is_domain(s.hostname)) r.error(v, kk, "'" + s.hostname + "' is not a domain name");
          }},
         {"max_message_size", [&](auto& v, auto& kk) { r.size(v, kk, s.max_message_size, 1024); }},
         {"max_recipients", [&](auto& v, auto& kk) { r.count(v, kk, s.max_recipients, 1, 100000); }},
         {"max_line_length", [&](auto& v, auto& kk) { r.count(v, kk, s.max_line_length, 512, 65536); }},
         {"max_commands", [&](auto& v, auto& kk) { r.count(v, kk, s.max_commands, 10, 10000000); }},
         {"max_errors", [&](auto& v, auto& kk) { r.count(v, kk, s.max_errors, 1, 100000); }},
         {"max_connections", [&](auto& v, auto& kk) { r.count(v, kk, s.max_connections, 1, 100000); }},
         {"timeouts",
          [&](auto& v, auto& kk) {
            r.map(v, kk,
                  {{"idle", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, s.idle_timeout, milliseconds(100)); }},
                   {"session", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, s.session_timeout, milliseconds(100)); }},
                   {"drain", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, s.drain_timeout, milliseconds(0)); }}});
          }},
         {"tls", [&](auto& v, auto& kk) {
            TlsConfig t;
            r.map(v, kk,
                  {{"certificate", [&](auto& vv, auto& kkk) { r.readable_file(vv, kkk, t.certificate); }, true},
                   {"private_key", [&](auto& vv, auto& kkk) { r.readable_file(vv, kkk, t.private_key); }, true}});
            if (!v.IsNull()) s.tls = t;
          }},
         {"routes", [&](auto& v, auto& kk) { read_smtp_routes(r, v, kk, c); }},
         {"resolver", [&](auto& v, auto& kk) { read_smtp_resolver(r, v, kk, c); }},
         {"mx_port", [&](auto& v, auto& kk) { read_smtp_mx_port(r, v, kk, c); }},
         {"helo_name", [&](auto& v, auto& kk) { read_smtp_helo_name(r, v, kk, c); }},
         {"out", [&](auto& v, auto& kk) { read_smtp_out(r, v, kk, c); }}});
}

void read_routing(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  r.map(n, k, {{"x400_domains", [&](auto& v, auto& kk) {
                  r.string_list(v, kk, c.routing.x400_domains);
                  std::size_t i = 0;
                  for (auto& d : c.routing.x400_domains) {
                    std::string_view bare = d;
                    if (!bare.empty() && bare.front() == '.') bare.remove_prefix(1);
                    if (!is_domain(bare))
                      r.error(v.IsSequence() ? v[i] : v, kk + "[" + std::to_string(i) + "]",
                              "'" + d + "' is not a domain name (or .domain for its subdomains)");
                    for (auto& ch : d) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    ++i;
                  }
                }},
               {"max_received", [&](auto& v, auto& kk) { r.count(v, kk, c.routing.max_received, 1, 10000); }}});
}

void read_addressing(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  auto& a = c.addressing;
  const std::vector<const char*> kinds{"table1", "table2", "gateway-or", "gateway-domain"};
  const std::vector<const char*> scopes{"local", "shared"};
  auto word = [&](const std::vector<const char*>& words, const YAML::Node& v, const std::string& kk,
                  std::string& out) {
    int i = -1;
    r.choice(v, kk, words, i);
    if (i >= 0) out = words[static_cast<std::size_t>(i)];
  };
  r.map(n, k,
        {{"tables",
          [&](auto& v, auto& kk) {
            r.list_of(v, kk, [&](const YAML::Node& item, const std::string& ik) {
              TableFile t;
              t.scope = "shared";
              r.map(item, ik,
                    {{"file", [&](auto& vv, auto& kkk) { r.readable_file(vv, kkk, t.file); }, true},
                     {"kind", [&](auto& vv, auto& kkk) { word(kinds, vv, kkk, t.kind); }, true},
                     {"scope", [&](auto& vv, auto& kkk) { word(scopes, vv, kkk, t.scope); }}});
              a.tables.push_back(t);
            });
          }},
         {"precedence",
          [&](auto& v, auto& kk) {
            r.string_list(v, kk, a.precedence);
            std::vector<std::string> sorted = a.precedence;
            std::sort(sorted.begin(), sorted.end());
            if (sorted != std::vector<std::string>{"local", "shared"})
              r.error(v, kk, "expected [local, shared] or [shared, local]");
          }},
         {"override", [&](auto& v, auto& kk) { word({"related-set", "entry"}, v, kk, a.override_mode); }},
         {"heuristics", [&](auto& v, auto& kk) {
            r.map(v, kk,
                  {{"source_routes",
                    [&](auto& vv, auto& kkk) { word({"keep", "strip", "strip-local"}, vv, kkk, a.source_routes); }},
                   {"inverted_ou_order", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, a.inverted_ou_order); }},
                   {"semicolon_local_part", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, a.semicolon_local_part); }},
                   {"rfc987_message_ids", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, a.rfc987_message_ids); }}});
          }}});
}

void read_queue(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  auto& q = c.queue;
  int sync = static_cast<int>(q.sync);
  r.map(n, k,
        {{"directory", [&](auto& v, auto& kk) { r.path(v, kk, q.directory); }, true},
         {"max_messages", [&](auto& v, auto& kk) { r.count(v, kk, q.max_messages, 1, 100000000); }},
         {"max_size", [&](auto& v, auto& kk) { r.size(v, kk, q.max_bytes, 1 << 20); }},
         {"min_free_space", [&](auto& v, auto& kk) { r.size(v, kk, q.min_free_bytes, 0); }},
         {"sync", [&](auto& v, auto& kk) { r.choice(v, kk, {"syncfs", "fsync"}, sync); }},
         {"sync_workers", [&](auto& v, auto& kk) { r.count(v, kk, q.sync_workers, 1, 64); }},
         {"postmaster_maildir", [&](auto& v, auto& kk) { r.path(v, kk, q.postmaster_maildir); }},
         {"lifetime", [&](auto& v, auto& kk) { r.duration(v, kk, q.lifetime, std::chrono::milliseconds(1000)); }},
         {"delay_warning", [&](auto& v, auto& kk) { r.duration(v, kk, q.delay_warning, std::chrono::milliseconds(0)); }},
         {"snapshot_interval",
          [&](auto& v, auto& kk) { r.duration(v, kk, q.snapshot_interval, std::chrono::milliseconds(0)); }},
         {"retry",
          [&](auto& v, auto& kk) {
            r.map(v, kk,
                  {{"initial", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, q.retry_initial, std::chrono::milliseconds(100)); }},
                   {"max", [&](auto& vv, auto& kkk) { r.duration(vv, kkk, q.retry_max, std::chrono::milliseconds(100)); }}});
            if (q.retry_max < q.retry_initial) r.error(v, kk + ".max", "must not be shorter than retry.initial");
          }},
         {"smtp", [&](auto& v, auto& kk) {
            r.map(v, kk,
                  {{"max_connections", [&](auto& vv, auto& kkk) { r.count(vv, kkk, q.smtp_max_connections, 1, 10000); }},
                   {"max_per_destination",
                    [&](auto& vv, auto& kkk) { r.count(vv, kkk, q.smtp_max_per_destination, 1, 1000); }}});
            if (q.smtp_max_per_destination > q.smtp_max_connections)
              r.error(v, kk + ".max_per_destination", "must not be more than max_connections");
          }}});
  q.sync = static_cast<SyncMethod>(sync);
}

void read_log(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  int level = static_cast<int>(c.log.level), format = static_cast<int>(c.log.format);
  r.map(n, k,
        {{"level", [&](auto& v, auto& kk) { r.choice(v, kk, {"debug", "info", "warning", "error"}, level); }},
         {"format", [&](auto& v, auto& kk) { r.choice(v, kk, {"text", "journal"}, format); }}});
  c.log.level = static_cast<LogLevel>(level);
  c.log.format = static_cast<LogFormat>(format);
}

// Checks that span several keys, after the whole file has been read.
void cross_check(SchemaReader& r, const YAML::Node& root, Config& c) {
  if (c.smtp.hostname.empty()) c.smtp.hostname = c.gateway.domain;
  if (c.gateway.postmaster.empty() && !c.gateway.domain.empty()) c.gateway.postmaster = "postmaster@" + c.gateway.domain;
  if (c.smtp.helo_name.empty()) c.smtp.helo_name = c.smtp.hostname;
  if (c.control.socket.empty() && !c.queue.directory.empty())
    c.control.socket = c.queue.directory.parent_path() / "run" / "mixer.sock";
  if (c.queue.postmaster_maildir.empty() && !c.queue.directory.empty())
    c.queue.postmaster_maildir = c.queue.directory.parent_path() / "postmaster";
  if (c.control.socket.string().size() > 107) {
    auto node = root["control"] ? root["control"]["socket"] : root["queue"]["directory"];
    r.error(node, root["control"] ? "control.socket" : "queue.directory",
            "control socket path '" + c.control.socket.string() +
                "' is longer than the 107 bytes a unix socket allows");
  }
  const YAML::Node smtp = root["smtp"];
  if (c.smtp.listen.empty() && smtp && smtp.IsMap()) {
    const YAML::Node listen = smtp["listen"];
    if (!listen || listen.IsNull() || (listen.IsSequence() && listen.size() == 0))
      r.error(listen ? listen : smtp, "smtp.listen", "at least one listen address is required");
  }
  for (const auto& a : c.smtp.listen)
    for (const auto& b : c.p1.listen)
      if (a == b) r.error(root["p1"]["listen"], "p1.listen", a.text() + " is also an SMTP listen address");
}

}  // namespace

const P1Peer* P1Config::peer(std::string_view name) const {
  for (const auto& p : peers)
    if (p.name == name) return &p;
  return nullptr;
}

int Config::line_of(const std::string& key) const {
  auto it = key_lines.find(key);
  return it == key_lines.end() ? 0 : it->second;
}

std::string ConfigError::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!key.empty()) out += "key '" + key + "': ";
  return out + message;
}

LoadResult parse_config(std::string_view text, const std::filesystem::path& file, bool check_files) {
  LoadResult result;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    result.errors.push_back({file.string(), e.mark.line >= 0 ? e.mark.line + 1 : 0, "",
                             "YAML syntax error: " + e.msg});
    return result;
  }
  Config c;
  c.file = file;
  SchemaReader r(file.string(), file.parent_path(), check_files, result.errors, &c.key_lines);
  try {
    r.map(root, "",
          {{"threads", [&](auto& v, auto& k) { r.count(v, k, c.threads, 0, 256); }},
           {"gateway", [&](auto& v, auto& k) { read_gateway(r, v, k, c); }, true},
           {"smtp", [&](auto& v, auto& k) { read_smtp(r, v, k, c); }, true},
           {"p1", [&](auto& v, auto& k) { read_p1(r, v, k, c); }},
           {"routing", [&](auto& v, auto& k) { read_routing(r, v, k, c); }},
           {"addressing", [&](auto& v, auto& k) { read_addressing(r, v, k, c); }},
           {"mapping", [&](auto& v, auto& k) { read_mapping(r, v, k, c); }},
           {"queue", [&](auto& v, auto& k) { read_queue(r, v, k, c); }, true},
           {"control", [&](auto& v, auto& k) {
              r.map(v, k, {{"socket", [&](auto& vv, auto& kk) { r.path(vv, kk, c.control.socket); }}});
            }},
           {"log", [&](auto& v, auto& k) { read_log(r, v, k, c); }}});
    if (root.IsMap()) cross_check(r, root, c);
    else if (!root.IsNull()) r.error(root, "", "the file must be a YAML mapping");
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws for structural surprises we did not anticipate.
    result.errors.push_back({file.string(), e.mark.line >= 0 ? e.mark.line + 1 : 0, "",
                             std::string("unexpected structure: ") + e.what()});
  }
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
  if (result.errors.empty()) result.config = std::move(c);
  return result;
}

LoadResult load_config(const std::filesystem::path& file) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file, ec).lexically_normal();
  std::ifstream in(absolute, std::ios::binary);
  if (!in) {
    LoadResult r;
    r.errors.push_back({file.string(), 0, "", std::string("cannot read config: ") + std::strerror(errno)});
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto s = text.str();
  if (s.size() > (1 << 20)) {
    LoadResult r;
    r.errors.push_back({file.string(), 0, "", "config file is larger than 1 MiB"});
    return r;
  }
  auto result = parse_config(s, absolute, true);
  // Report errors under the name the operator gave.
  for (auto& e : result.errors) e.file = file.string();
  return result;
}

}  // namespace mixer::conf
