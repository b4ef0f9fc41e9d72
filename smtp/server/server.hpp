// smtp/server/server.hpp: the ESMTP listener. Accepts connections on the
// configured addresses, enforces the connection limit, and drains on
// shutdown (SIGTERM): no new connections, idle sessions told 421, busy
// ones allowed to finish their transaction until the drain deadline.
// The io_context may be run by several threads: each connection and each
// acceptor lives on its own strand; the connection set is locked.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "smtp/server/hooks.hpp"

namespace mixer::smtp::server {

class Connection;

class SmtpServer {
 public:
  SmtpServer(boost::asio::io_context& io, Hooks& hooks);
  ~SmtpServer();

  // Binds and starts accepting; throws std::system_error naming the address.
  void listen(const std::string& host, std::uint16_t port);
  void set_max_connections(std::size_t n) { max_connections_ = n; }
  // `done` is posted to the io_context once no session is left.
  void drain(std::chrono::milliseconds deadline, std::function<void()> done);
  std::size_t connections() const;

 private:
  boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor);
  boost::asio::awaitable<void> refuse_busy(boost::asio::ip::tcp::socket socket, std::string peer);
  void finished(const std::shared_ptr<Connection>& c);

  boost::asio::io_context& io_;
  Hooks& hooks_;
  std::atomic<std::size_t> max_connections_{200};
  std::atomic<bool> draining_{false};
  std::list<boost::asio::ip::tcp::acceptor> acceptors_;  // each on its own strand
  mutable std::mutex mutex_;                             // guards what follows
  std::set<std::shared_ptr<Connection>> connections_;
  std::function<void()> drained_;
  std::unique_ptr<boost::asio::steady_timer> drain_timer_;
};

// A bound, listening acceptor; throws std::system_error saying
// "cannot listen for WHAT on HOST:PORT".
boost::asio::ip::tcp::acceptor open_listener(const boost::asio::any_io_executor& executor,
                                             const std::string& host, std::uint16_t port, const std::string& what);

// "[127.0.0.1]:4000" for logs and trace.
std::string peer_name(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace mixer::smtp::server
