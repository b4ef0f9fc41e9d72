// gateway/p1_listener.cpp: accept and refuse P1 connections (see header).
#include "gateway/p1_listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/log.hpp"
#include "smtp/server/server.hpp"

namespace mixer::gateway {

namespace asio = boost::asio;
using asio::ip::tcp;

void P1Listener::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const std::string where = host + ":" + std::to_string(port);
  auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::system_error(ec, "bad P1 listen address " + where);
  auto& acceptor = acceptors_.emplace_back(io_);
  tcp::endpoint ep(address, port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptors_.pop_back();
    throw std::system_error(ec, "cannot listen for P1 on " + where);
  }
  log_info("p1", "listening on " + where + " (associations are refused until P1 is implemented)");
  asio::co_spawn(io_, accept_loop(acceptor), asio::detached);
}

void P1Listener::close() {
  boost::system::error_code ignored;
  for (auto& a : acceptors_) a.close(ignored);
}

asio::awaitable<void> P1Listener::accept_loop(tcp::acceptor& acceptor) {
  while (acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;
    }
    boost::system::error_code ignored;
    auto remote = socket.remote_endpoint(ignored);
    log_info("p1", "connection from " + (ignored ? std::string("[unknown]") : smtp::server::peer_name(remote)) +
                       " refused: P1 associations are not implemented yet");
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }
}

}  // namespace mixer::gateway
