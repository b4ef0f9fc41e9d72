// smtp/server/server.cpp: listeners, the connection limit, and draining.
#include "smtp/server/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "smtp/server/connection.hpp"

namespace mixer::smtp::server {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

std::string peer_name(const tcp::endpoint& ep) {
  return "[" + ep.address().to_string() + "]:" + std::to_string(ep.port());
}

SmtpServer::SmtpServer(asio::io_context& io, Hooks& hooks) : io_(io), hooks_(hooks) {}

SmtpServer::~SmtpServer() = default;

tcp::acceptor open_listener(const asio::any_io_executor& executor, const std::string& host, std::uint16_t port,
                            const std::string& what) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  const std::string where = host + ":" + std::to_string(port);
  if (ec) throw std::system_error(ec, "bad " + what + " listen address " + where);
  tcp::endpoint ep(address, port);
  tcp::acceptor acceptor(executor);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::system_error(ec, "cannot listen for " + what + " on " + where);
  return acceptor;
}

void SmtpServer::listen(const std::string& host, std::uint16_t port) {
  auto& acceptor = acceptors_.emplace_back(open_listener(asio::make_strand(io_), host, port, "SMTP"));
  hooks_.log(LogLevel::info, "smtp: listening on " + host + ":" + std::to_string(port));
  asio::co_spawn(acceptor.get_executor(), accept_loop(acceptor), asio::detached);
}

asio::awaitable<void> SmtpServer::accept_loop(tcp::acceptor& acceptor) {
  while (!draining_) {
    // Each connection gets its own strand: sessions run on any thread.
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io_), as_tuple(use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || draining_) break;
      // EMFILE and friends: log and keep accepting after a pause.
      hooks_.log(LogLevel::warning, "smtp: accept failed: " + ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(as_tuple(use_awaitable));
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto remote = socket.remote_endpoint(ignored);
    std::string peer = ignored ? "[unknown]" : peer_name(remote);
    if (connections() >= max_connections_) {
      asio::co_spawn(socket.get_executor(), refuse_busy(std::move(socket), std::move(peer)), asio::detached);
      continue;
    }
    auto executor = socket.get_executor();
    auto c = std::make_shared<Connection>(std::move(socket), hooks_, hooks_.settings(), peer);
    {
      std::lock_guard lock(mutex_);
      connections_.insert(c);
    }
    asio::co_spawn(executor, c->run(), [this, c](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          hooks_.log(LogLevel::error, std::string("smtp: session failed: ") + ex.what());
        }
      }
      finished(c);
    });
  }
}

asio::awaitable<void> SmtpServer::refuse_busy(tcp::socket socket, std::string peer) {
  hooks_.log(LogLevel::warning, "smtp: too many connections, refusing " + peer);
  static const std::string busy = "421 4.3.2 All server ports are busy, try again later\r\n";
  socket.non_blocking(true);
  boost::system::error_code ignored;
  socket.write_some(asio::buffer(busy), ignored);  // best effort, never blocks
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  co_return;
}

std::size_t SmtpServer::connections() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

void SmtpServer::finished(const std::shared_ptr<Connection>& c) {
  std::function<void()> done;
  {
    std::lock_guard lock(mutex_);
    connections_.erase(c);
    if (draining_ && connections_.empty() && drained_) {
      done = std::move(drained_);
      drained_ = nullptr;
      if (drain_timer_) drain_timer_->cancel();
    }
  }
  if (done) asio::post(io_, std::move(done));
}

void SmtpServer::drain(std::chrono::milliseconds deadline, std::function<void()> done) {
  draining_ = true;
  for (auto& a : acceptors_)
    asio::post(a.get_executor(), [&a] {
      boost::system::error_code ignored;
      a.close(ignored);
    });
  std::lock_guard lock(mutex_);
  if (connections_.empty()) {
    asio::post(io_, std::move(done));
    return;
  }
  drained_ = std::move(done);
  for (const auto& c : connections_) asio::post(c->executor(), [c] { c->request_shutdown(); });
  drain_timer_ = std::make_unique<asio::steady_timer>(io_, deadline);
  drain_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    std::lock_guard lock(mutex_);
    if (!connections_.empty())
      hooks_.log(LogLevel::warning, "smtp: drain deadline reached, closing " +
                                        std::to_string(connections_.size()) + " sessions");
    for (const auto& c : connections_) asio::post(c->executor(), [c] { c->force_close(); });
  });
}

}  // namespace mixer::smtp::server
