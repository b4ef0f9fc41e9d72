// smtp/server/transport.hpp: a TCP connection that can switch to TLS
// mid-stream (RFC 3207 STARTTLS). Reads and writes return error codes
// instead of throwing.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace mixer::smtp::server {

class Transport {
 public:
  explicit Transport(boost::asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}

  boost::asio::awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(
      boost::asio::mutable_buffer buffer);
  boost::asio::awaitable<boost::system::error_code> write(boost::asio::const_buffer buffer);
  boost::asio::awaitable<boost::system::error_code> start_tls(boost::asio::ssl::context& context);

  bool tls() const { return tls_ != nullptr; }
  std::string tls_description() const;  // "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  // Cancels pending operations (used by shutdown and deadlines).
  void cancel();
  void close();

 private:
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
};

}  // namespace mixer::smtp::server
