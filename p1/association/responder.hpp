// p1/association/responder.hpp: the P1 listener (the only Asio code in p1/
// with initiator.hpp): accepts RFC 1006 connections, runs one Link per
// connection under the bind, idle and total deadlines, answers binds beyond
// max_associations with Bind-Error busy, and hands each received MTS-APDU to
// the daemon. The transfer is confirmed to the sending MTA (activity end
// ack) only when the daemon reports the APDU durable. One log line per event.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "p1/association/link.hpp"

namespace mixer::p1::association {

struct InboundApdu {
  Bytes apdu;                  // the MTS-APDU (message, report or probe) as received
  std::string peer;            // the calling MTA's authenticated name
  std::string address;         // its IP address
  std::uint64_t association = 0;
};

// Make the APDU durable, then call done(true); done(false) if it cannot be
// kept (the association is aborted and the sender retries later). done may
// be called from any thread, once.
using ApduHandler = std::function<void(InboundApdu apdu, std::function<void(bool durable)> done)>;
using LogFn = std::function<void(const std::string& line)>;

class Responder {
 public:
  Responder(boost::asio::io_context& io, ResponderSettings settings, ApduHandler on_apdu, LogFn log = {});
  ~Responder();
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  // Binds HOST:PORT and starts accepting; returns the port bound (useful with 0).
  // Throws std::system_error naming the address.
  std::uint16_t listen(const std::string& host, std::uint16_t port);
  // Stops accepting; associations under way finish.
  void close();
  // Stops accepting and ends every association once the APDU it is
  // receiving (if any) has been made durable and confirmed: an abort, so
  // that the peer keeps what it had not handed over. From any thread.
  // `done` runs once, on the thread of the last association to end (at
  // once when none is open).
  void drain(std::function<void()> done = {});
  // New settings (a reloaded peer table) for associations accepted from now on.
  void update(ResponderSettings settings);
  std::size_t associations() const;
  RecoveryStore& recovery();

  // Shared with the coroutines, which may outlive this object.
  struct State;

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<State> state_;
  std::list<std::shared_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
};

// "YYMMDDhhmmssZ" for now (RTSE's CommonReference).
std::string utc_time_now();

}  // namespace mixer::p1::association
