// gateway/runtime.cpp: config -> SMTP settings and TLS context.
#include "gateway/runtime.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace mixer::gateway {

namespace {
std::shared_ptr<boost::asio::ssl::context> make_tls(const conf::TlsConfig& t) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(t.certificate.string(), ec);
  if (ec) throw std::runtime_error("smtp.tls.certificate '" + t.certificate.string() + "': " + ec.message());
  ctx->use_private_key_file(t.private_key.string(), ssl::context::pem, ec);
  if (ec) throw std::runtime_error("smtp.tls.private_key '" + t.private_key.string() + "': " + ec.message());
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    throw std::runtime_error("smtp.tls.private_key does not match smtp.tls.certificate");
  return ctx;
}
}  // namespace

std::shared_ptr<const Runtime> make_runtime(conf::Config config) {
  auto settings = std::make_shared<smtp::server::Settings>();
  const auto& s = config.smtp;
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
    settings->tls = make_tls(*s.tls);
    settings->session.starttls_available = true;
  }
  auto r = std::make_shared<Runtime>();
  r->config = std::move(config);
  r->smtp = std::move(settings);
  return r;
}

}  // namespace mixer::gateway
