// gateway/runtime.cpp: config -> SMTP settings, TLS context, mapping context.
#include "gateway/runtime.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

#include "addressing/std_or.hpp"
#include "addressing/tables.hpp"

namespace mixer::gateway {

namespace {

std::string key_error(const conf::Config& c, const std::string& key, const std::string& message) {
  return conf::ConfigError{c.file.string(), c.line_of(key), key, message}.text();
}

// STARTTLS context; appends errors naming smtp.tls.*.
std::shared_ptr<boost::asio::ssl::context> make_tls(const conf::Config& c, std::vector<std::string>& errors) {
  namespace ssl = boost::asio::ssl;
  const auto& t = *c.smtp.tls;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(t.certificate.string(), ec);
  if (ec) {
    errors.push_back(key_error(c, "smtp.tls.certificate", "'" + t.certificate.string() + "': " + ec.message()));
    return nullptr;
  }
  ctx->use_private_key_file(t.private_key.string(), ssl::context::pem, ec);
  if (ec) {
    errors.push_back(key_error(c, "smtp.tls.private_key", "'" + t.private_key.string() + "': " + ec.message()));
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    errors.push_back(key_error(c, "smtp.tls.private_key", "does not match smtp.tls.certificate"));
    return nullptr;
  }
  return ctx;
}

// The RFC 2156 mapping context: identity, heuristics, tables.
void make_addressing(Runtime& r, std::vector<std::string>& errors) {
  namespace a = mixer::addressing;
  const auto& c = r.config;
  const auto& g = c.gateway;
  auto identity = a::make_gateway_identity(g.or_address, g.domain, g.mta_name, g.country, g.admd, g.prmd);
  if (!identity) {
    errors.push_back(key_error(c, g.or_address.empty() ? "gateway" : "gateway.or_address", identity.error().text()));
  } else {
    r.addressing.gateway = std::move(identity.value());
    if (c.smtp.hostname != g.domain) r.addressing.gateway.local_domains.push_back(c.smtp.hostname);
  }
  if (!g.x400_postmaster.empty()) {
    if (auto pm = a::parse_std_or(g.x400_postmaster)) r.x400_postmaster = std::move(pm->address);
    else errors.push_back(key_error(c, "gateway.x400_postmaster", "'" + g.x400_postmaster + "' is not an O/R address: " + pm.error().text()));
  }
  const auto& ac = c.addressing;
  r.addressing.heuristics.source_routes = ac.source_routes == "strip"         ? a::SourceRoutes::strip
                                          : ac.source_routes == "strip-local" ? a::SourceRoutes::strip_local
                                                                              : a::SourceRoutes::keep;
  r.addressing.heuristics.inverted_ou_order = ac.inverted_ou_order;
  r.addressing.heuristics.semicolon_local_part = ac.semicolon_local_part;
  r.addressing.heuristics.rfc987_message_ids = ac.rfc987_message_ids;
  std::vector<a::TableSource> sources;
  for (const auto& t : ac.tables)
    sources.push_back({t.file.string(), *a::parse_table_kind(t.kind), *a::parse_table_scope(t.scope)});
  a::TableSetOptions options;
  options.precedence.clear();
  for (const auto& p : ac.precedence) options.precedence.push_back(*a::parse_table_scope(p));
  options.override_mode = ac.override_mode == "entry" ? a::OverrideMode::entry : a::OverrideMode::related_set;
  auto loaded = a::MappingTables::load(sources, options);
  if (auto* errs = std::get_if<std::vector<a::TableError>>(&loaded)) {
    for (const auto& e : *errs) errors.push_back(e.text());
    r.addressing.tables = a::MappingTables::empty();
  } else {
    r.addressing.tables = std::get<a::MappingTables::Ptr>(loaded);
  }
}

std::shared_ptr<smtp::server::Settings> make_smtp_settings(const conf::Config& c, std::vector<std::string>& errors) {
  auto settings = std::make_shared<smtp::server::Settings>();
  const auto& s = c.smtp;
  settings->session.hostname = s.hostname;
  settings->session.ext.max_message_size = s.max_message_size;
  settings->session.ext.eight_bit_mime = true;
  settings->session.ext.dsn = true;
  settings->session.ext.smtputf8 = false;  // not carried through to X.400 yet
  settings->session.max_recipients = s.max_recipients;
  settings->session.max_commands = s.max_commands;
  settings->session.max_errors = s.max_errors;
  settings->max_line_length = s.max_line_length;
  settings->idle_timeout = s.idle_timeout;
  settings->session_timeout = s.session_timeout;
  if (s.tls) {
    settings->tls = make_tls(c, errors);
    settings->session.starttls_available = settings->tls != nullptr;
  }
  return settings;
}

}  // namespace

RuntimeBuild make_addressing_runtime(conf::Config config) {
  RuntimeBuild out;
  auto r = std::make_shared<Runtime>();
  r->config = std::move(config);
  make_addressing(*r, out.errors);
  if (out.errors.empty()) out.runtime = std::move(r);
  return out;
}

RuntimeBuild make_runtime(conf::Config config) {
  RuntimeBuild out;
  auto r = std::make_shared<Runtime>();
  r->config = std::move(config);
  r->smtp = make_smtp_settings(r->config, out.errors);
  make_addressing(*r, out.errors);
  if (out.errors.empty()) out.runtime = std::move(r);
  return out;
}

}  // namespace mixer::gateway
