// p1/association/socket_io.hpp: the socket side both association coroutines
// share: write what the Link has to send, then wait for the peer's octets
// under the nearest of the bind, idle and total deadlines. The Link decides
// what the bytes and the timeouts mean; nothing here parses.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "p1/association/link.hpp"
#include "p1/association/settings.hpp"

namespace mixer::p1::association {

// The association's fixed deadlines, from its start.
struct AssociationClock {
  using Clock = std::chrono::steady_clock;
  AssociationClock(const Deadlines& d, Clock::time_point start)
      : deadlines(d), total(start + d.total), bind(start + d.bind) {}
  const Deadlines& deadlines;
  Clock::time_point total, bind;
};

// What one wait on the socket brought.
struct SocketWait {
  enum class Kind { data, deadline, closed } kind = Kind::data;
  std::size_t size = 0;     // data: octets in the buffer
  const char* which = "";   // deadline: "bind", "idle" or "total"
  std::string what;         // closed: why
};

// Writes the Link's pending output; the error text when the socket failed.
boost::asio::awaitable<std::optional<std::string>> write_pending(Link& link, boost::asio::ip::tcp::socket& socket);

// Reads into `buf` until octets come or the nearest deadline passes (the bind
// deadline counts until the association is bound; `until`, when earlier than the
// others, reads as the deadline "linger"). A cancelled timer reads as a deadline,
// so the caller can be woken (drain(), a lingering initiator given work).
boost::asio::awaitable<SocketWait> read_until_deadline(const Link& link, const AssociationClock& clock,
                                                       boost::asio::ip::tcp::socket& socket,
                                                       boost::asio::steady_timer& timer, std::vector<std::uint8_t>& buf,
                                                       std::optional<AssociationClock::Clock::time_point> until = {});

}  // namespace mixer::p1::association
