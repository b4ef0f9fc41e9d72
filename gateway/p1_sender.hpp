// gateway/p1_sender.hpp: the outbound P1 channel. Queue entries with a
// recipient on channel "p1" are transferred to that recipient's peer MTA:
// up to p1.peers[].associations associations per peer with something due
// (each APDU waits for its confirmation, so parallel associations are what
// fills the receiver's group commit), run by the P1 initiator
// (p1/association/initiator.hpp), the APDUs in arrival order, each removed
// from the queue once the peer confirmed it. A failed transfer is deferred
// with exponential backoff (p1.retry.initial doubling up to p1.retry.max)
// until p1.retry.lifetime, then marked failed and kept for the operator.
// Logs one Postfix-style line per outcome:
//   ID: to=<MTA>, relay=MTA[host]:port, delay=0.12, dsn=2.0.0, status=sent (...)
// All state lives on one strand; the public calls may come from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "gateway/queue/index.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/runtime.hpp"

namespace mixer::gateway {

class P1Sender {
 public:
  P1Sender(boost::asio::io_context& io, RuntimeHolder& runtime, queue::Store& store, queue::QueueIndex& index);

  // An entry that may have recipients on channel p1 (new, or found at start-up).
  void add(const queue::ControlFile& entry);
  // The operator's queue changes.
  void hold(const std::string& id, bool held);
  void retry(const std::string& id);
  // Every deferred entry now (`mixer queue flush`, like postqueue -f).
  void retry_all();
  void forget(const std::string& id);
  // Starts no more transfers; associations release after the APDU under
  // way; then `drained` is called (on the sender's strand).
  void stop(std::function<void()> drained);
  // "peers=N associations=N pending=N" for the stats request.
  std::string stats();

 private:
  struct Item {
    std::string id, peer, mts_id;
    std::size_t rcpt = 0;
    std::size_t form = 0;         // the form file sent (0: the APDU as received)
    unsigned attempts = 0;
    std::int64_t next = 0;        // unix seconds; 0: now
    std::int64_t arrival_us = 0;
    bool held = false, in_flight = false;
  };
  struct Peer {
    std::set<std::string> ids;    // queue IDs sort by arrival
    std::size_t running = 0;      // associations under way (at most the peer's `associations`)
    std::size_t busy_cap = 0;     // the peer refused one more as busy: at most this many until all end
  };
  class Outbound;

  void rearm();                   // on the strand: start what is due, wake at the next due time
  void start(const std::string& peer);
  void finished(const std::string& peer);
  void confirmed(const std::string& id, const std::string& relay);
  void deferred(const std::string& id, const std::string& relay, const std::string& why, bool permanent);
  Item* find(const std::string& id);
  void erase(const std::string& id);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  RuntimeHolder& runtime_;
  queue::Store& store_;
  queue::QueueIndex& index_;
  std::map<std::string, Item> items_;
  std::map<std::string, Peer> peers_;
  std::atomic<std::size_t> running_{0}, pending_{0};
  bool stopping_ = false;
  std::function<void()> drained_;
};

}  // namespace mixer::gateway
