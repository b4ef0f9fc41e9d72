// smtp/server/transport.cpp: plain or TLS reads and writes.
#include "smtp/server/transport.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace mixer::smtp::server {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;

asio::awaitable<std::pair<boost::system::error_code, std::size_t>> Transport::read_some(
    asio::mutable_buffer buffer) {
  if (tls_) {
    auto [ec, n] = co_await tls_->async_read_some(buffer, as_tuple(use_awaitable));
    co_return std::pair{ec, n};
  }
  auto [ec, n] = co_await socket_.async_read_some(buffer, as_tuple(use_awaitable));
  co_return std::pair{ec, n};
}

asio::awaitable<boost::system::error_code> Transport::write(asio::const_buffer buffer) {
  if (tls_) {
    auto [ec, n] = co_await asio::async_write(*tls_, buffer, as_tuple(use_awaitable));
    co_return ec;
  }
  auto [ec, n] = co_await asio::async_write(socket_, buffer, as_tuple(use_awaitable));
  co_return ec;
}

asio::awaitable<boost::system::error_code> Transport::start_tls(asio::ssl::context& context) {
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, context);
  auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::server, as_tuple(use_awaitable));
  co_return ec;
}

std::string Transport::tls_description() const {
  if (!tls_) return {};
  SSL* ssl = const_cast<asio::ssl::stream<asio::ip::tcp::socket&>&>(*tls_).native_handle();
  std::string out = SSL_get_version(ssl);
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) out += std::string(" with cipher ") + SSL_CIPHER_get_name(c);
  return out;
}

void Transport::cancel() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
}

void Transport::close() {
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace mixer::smtp::server
