// gateway/p1_listener.hpp: the P1 (RFC 1006) listener until the P1 issue
// lands: it takes each TCP connection, logs it, and closes it at once so
// that a calling MTA sees a refused association rather than a timeout.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <list>
#include <string>

namespace mixer::gateway {

class P1Listener {
 public:
  explicit P1Listener(boost::asio::io_context& io) : io_(io) {}
  // Throws std::system_error naming the address.
  void listen(const std::string& host, std::uint16_t port);
  void close();

 private:
  boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor);
  boost::asio::io_context& io_;
  std::list<boost::asio::ip::tcp::acceptor> acceptors_;
};

}  // namespace mixer::gateway
