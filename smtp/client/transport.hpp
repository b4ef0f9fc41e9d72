// smtp/client/transport.hpp: one outbound TCP connection that can switch to
// TLS mid-stream (RFC 3207 STARTTLS, client side), with a deadline on every
// operation: a watchdog closes the socket when the deadline passes, so no
// connect, read, write or handshake waits longer than it was given.
// Operations return error codes, never throw. Certificate checks follow
// Verify (routes.hpp): none, the chain against the context's CA store, or
// the chain and the host name (RFC 6125 through OpenSSL's host check).
//
// Trusts the ssl::context it is given (its CA store); trusts nothing the
// peer sends. Runs on one strand: all calls from the coroutine that owns it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "smtp/client/routes.hpp"

namespace mixer::smtp::client {

class ClientTransport : public std::enable_shared_from_this<ClientTransport> {
 public:
  explicit ClientTransport(const boost::asio::any_io_executor& executor);
  ~ClientTransport();

  // Connects within `timeout`; starts the watchdog.
  boost::asio::awaitable<boost::system::error_code> connect(const boost::asio::ip::tcp::endpoint& to,
                                                            std::chrono::milliseconds timeout);
  boost::asio::awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(
      boost::asio::mutable_buffer buffer, std::chrono::milliseconds timeout);
  boost::asio::awaitable<boost::system::error_code> write(std::span<const std::string_view> pieces,
                                                          std::chrono::milliseconds timeout);
  // The client handshake; `host` is the name for SNI and for Verify::name.
  boost::asio::awaitable<boost::system::error_code> start_tls(boost::asio::ssl::context& context, Verify verify,
                                                              const std::string& host,
                                                              std::chrono::milliseconds timeout);

  bool tls() const { return tls_ != nullptr; }
  bool timed_out() const { return timed_out_; }
  // "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", "" in clear.
  std::string tls_description() const;
  // Why the last handshake's certificate check failed ("" if it did not).
  const std::string& verify_error() const { return verify_error_; }
  void close();

 private:
  void arm(std::chrono::milliseconds timeout);
  boost::asio::awaitable<void> watchdog();

  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_;
  bool watching_ = false;
  bool closed_ = false;
  bool timed_out_ = false;
  std::string verify_error_;
};

}  // namespace mixer::smtp::client
