// p1/association/socket_io.cpp: see the header.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's -Wmismatched-new-delete false positive on value-returning
// awaitables (see initiator.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "p1/association/socket_io.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace mixer::p1::association {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

asio::awaitable<std::optional<std::string>> write_pending(Link& link, asio::ip::tcp::socket& socket) {
  if (!link.has_output()) co_return std::nullopt;
  Bytes out = link.take_output();
  auto [ec, n] = co_await asio::async_write(socket, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
  (void)n;
  if (ec) co_return ec.message();
  co_return std::nullopt;
}

asio::awaitable<SocketWait> read_until_deadline(const Link& link, const AssociationClock& clock,
                                                asio::ip::tcp::socket& socket, asio::steady_timer& timer,
                                                std::vector<std::uint8_t>& buf,
                                                std::optional<AssociationClock::Clock::time_point> until) {
  auto deadline = std::min(AssociationClock::Clock::now() + clock.deadlines.idle, clock.total);
  SocketWait w;
  w.which = deadline == clock.total ? "total" : "idle";
  if (!link.bound() && clock.bind < deadline) {
    deadline = clock.bind;
    w.which = "bind";
  }
  if (until && *until < deadline) {
    deadline = *until;
    w.which = "linger";
  }
  timer.expires_at(deadline);
  auto r = co_await (socket.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable)) ||
                     timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (r.index() == 1) {
    w.kind = SocketWait::Kind::deadline;
    co_return w;
  }
  auto [ec, n] = std::get<0>(r);
  if (ec) {
    w.kind = SocketWait::Kind::closed;
    w.what = ec == asio::error::eof ? "end of stream" : ec.message();
    co_return w;
  }
  w.size = n;
  co_return w;
}

}  // namespace mixer::p1::association
