// gateway/p1_listener.cpp: accept and refuse P1 connections (see header).
#include "gateway/p1_listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/log.hpp"
#include "smtp/server/server.hpp"

namespace mixer::gateway {

namespace asio = boost::asio;
using asio::ip::tcp;

void P1Listener::listen(const std::string& host, std::uint16_t port) {
  auto& acceptor = acceptors_.emplace_back(smtp::server::open_listener(asio::make_strand(io_), host, port, "P1"));
  log_info("p1", "listening on " + host + ":" + std::to_string(port) +
                     " (associations are refused until P1 is implemented)");
  asio::co_spawn(acceptor.get_executor(), accept_loop(acceptor), asio::detached);
}

void P1Listener::close() {
  for (auto& a : acceptors_)
    asio::post(a.get_executor(), [&a] {
      boost::system::error_code ignored;
      a.close(ignored);
    });
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
