// smtp/client/transport.cpp: connect, read, write, STARTTLS with deadlines
// (see transport.hpp).
#include "smtp/client/transport.hpp"

#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <vector>

namespace mixer::smtp::client {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;
using std::chrono::steady_clock;

ClientTransport::ClientTransport(const asio::any_io_executor& executor)
    : socket_(executor), timer_(executor), deadline_(steady_clock::time_point::max()) {}

ClientTransport::~ClientTransport() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void ClientTransport::arm(std::chrono::milliseconds timeout) {
  deadline_ = steady_clock::now() + timeout;
  timer_.cancel();  // the watchdog wakes and waits for the new deadline
}

asio::awaitable<void> ClientTransport::watchdog() {
  auto self = shared_from_this();  // alive until closed
  while (!closed_) {
    timer_.expires_at(deadline_);
    co_await timer_.async_wait(as_tuple(use_awaitable));
    if (closed_) break;
    if (steady_clock::now() < deadline_) continue;  // re-armed meanwhile
    timed_out_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);  // every pending operation ends with an error
    break;
  }
  watching_ = false;
}

asio::awaitable<boost::system::error_code> ClientTransport::connect(const asio::ip::tcp::endpoint& to,
                                                                    std::chrono::milliseconds timeout) {
  if (!watching_) {
    watching_ = true;
    asio::co_spawn(timer_.get_executor(), watchdog(), asio::detached);
  }
  arm(timeout);
  auto [ec] = co_await socket_.async_connect(to, as_tuple(use_awaitable));
  deadline_ = steady_clock::time_point::max();
  if (timed_out_) co_return asio::error::timed_out;
  if (!ec) {
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  }
  co_return ec;
}

asio::awaitable<std::pair<boost::system::error_code, std::size_t>> ClientTransport::read_some(
    asio::mutable_buffer buffer, std::chrono::milliseconds timeout) {
  if (closed_ || timed_out_) co_return std::pair{boost::system::error_code(asio::error::not_connected), 0};
  arm(timeout);
  boost::system::error_code ec;
  std::size_t n = 0;
  if (tls_) std::tie(ec, n) = co_await tls_->async_read_some(buffer, as_tuple(use_awaitable));
  else std::tie(ec, n) = co_await socket_.async_read_some(buffer, as_tuple(use_awaitable));
  deadline_ = steady_clock::time_point::max();
  if (timed_out_) ec = asio::error::timed_out;
  co_return std::pair{ec, n};
}

asio::awaitable<boost::system::error_code> ClientTransport::write(std::span<const std::string_view> pieces,
                                                                  std::chrono::milliseconds timeout) {
  if (closed_ || timed_out_) co_return asio::error::not_connected;
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(pieces.size());
  for (auto p : pieces) buffers.emplace_back(p.data(), p.size());
  arm(timeout);
  boost::system::error_code ec;
  if (tls_) std::tie(ec, std::ignore) = co_await asio::async_write(*tls_, buffers, as_tuple(use_awaitable));
  else std::tie(ec, std::ignore) = co_await asio::async_write(socket_, buffers, as_tuple(use_awaitable));
  deadline_ = steady_clock::time_point::max();
  if (timed_out_) ec = asio::error::timed_out;
  co_return ec;
}

asio::awaitable<boost::system::error_code> ClientTransport::start_tls(asio::ssl::context& context, Verify verify,
                                                                      const std::string& host,
                                                                      std::chrono::milliseconds timeout) {
  if (closed_ || timed_out_) co_return asio::error::not_connected;
  verify_error_.clear();
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, context);
  unsigned char ip[16];
  const bool literal = ::inet_pton(AF_INET, host.c_str(), ip) == 1 || ::inet_pton(AF_INET6, host.c_str(), ip) == 1;
  if (!literal && !host.empty()) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());  // SNI
  boost::system::error_code ec;
  if (verify == Verify::none) {
    tls_->set_verify_mode(asio::ssl::verify_none, ec);
  } else {
    tls_->set_verify_mode(asio::ssl::verify_peer, ec);
    asio::ssl::host_name_verification by_name(host);
    tls_->set_verify_callback(
        [this, verify, by_name, host](bool preverified, asio::ssl::verify_context& ctx) mutable {
          X509_STORE_CTX* store = ctx.native_handle();
          if (!preverified) {
            if (verify_error_.empty()) {
              const int err = X509_STORE_CTX_get_error(store);
              verify_error_ = std::string("certificate verification failed: ") + X509_verify_cert_error_string(err);
            }
            return false;
          }
          if (verify != Verify::name || X509_STORE_CTX_get_error_depth(store) != 0) return true;
          if (by_name(preverified, ctx)) return true;
          if (verify_error_.empty()) verify_error_ = "certificate does not name " + host;
          return false;
        },
        ec);
  }
  if (ec) co_return ec;
  arm(timeout);
  auto [hs] = co_await tls_->async_handshake(asio::ssl::stream_base::client, as_tuple(use_awaitable));
  deadline_ = steady_clock::time_point::max();
  if (timed_out_) hs = asio::error::timed_out;
  co_return hs;
}

std::string ClientTransport::tls_description() const {
  if (!tls_) return {};
  SSL* ssl = const_cast<asio::ssl::stream<asio::ip::tcp::socket&>&>(*tls_).native_handle();
  std::string out = SSL_get_version(ssl);
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) out += std::string(" with cipher ") + SSL_CIPHER_get_name(c);
  return out;
}

void ClientTransport::close() {
  closed_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace mixer::smtp::client
