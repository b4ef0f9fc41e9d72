// gateway/qmgr/p1_channel.hpp: the outbound P1 channel, a queue manager
// plug-in (was gateway/p1_sender). Each job is one MTS-APDU (the
// recipients' form file: the APDU as received, or a converted P1 form) for
// one peer MTA. Per peer, up to p1.peers[].associations associations run
// the P1 initiator (p1/association/initiator.hpp) and each takes the
// peer's waiting jobs one after the other (an association is reused for
// as many APDUs as the queue manager hands it while it is open, then
// released). A job's recipients are delivered once the peer confirmed the
// transfer. A peer that refuses one association more as busy caps the
// number until they all end. An association that cannot connect or bind
// answers the peer's waiting jobs `unreachable` (failover, then
// deferral); an authentication or security-context Bind-Error, or another
// permanent refusal of the bind, answers them `suspended`: the peer's
// messages wait until its configuration changes. A transfer that breaks
// after the peer confirmed a checkpoint is recovered (X.228 §7.6): the
// next association to that peer (at once, or when the job comes back after
// a deferral) opens with RTSE `recover` naming the broken connection and
// resumes the activity from that checkpoint; if the peer refuses the
// recovery twice (the second a second later: it may not have seen the broken
// connection end), or a recovery makes no progress, the APDU is sent whole
// on a fresh association as before. Runs on the queue manager's strand. Trusts the initiator for the protocol and the
// configuration for the peers.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <deque>
#include <map>
#include <optional>

#include "gateway/qmgr/channel.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/runtime.hpp"
#include "p1/association/link.hpp"

namespace mixer::qmgr {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

class P1Channel : public ChannelPlugin {
 public:
  P1Channel(Strand strand, gateway::RuntimeHolder& runtime, queue::Store& store);

  Channel kind() const override { return Channel::p1; }
  void start(Job job, Completion done) override;
  std::size_t max_per_hop(const std::string& peer) const override;
  std::size_t max_jobs() const override;
  void stop(std::function<void()> drained) override;
  std::string stats() const override;

 private:
  struct Waiting {
    Job job;
    Completion done;
  };
  struct Resuming {
    Waiting waiting;
    p1::association::Interruption at;
    int refusals = 0;  // recoveries of it the peer refused so far
  };
  class Outbound;
  struct Peer {
    std::deque<Resuming> resuming;  // interrupted jobs, each for an association that recovers it
    std::deque<Waiting> waiting;  // jobs no association has taken yet
    std::size_t running = 0;      // associations under way
    std::size_t idle = 0;         // of those, without an APDU (binding, or between two)
    std::size_t busy_cap = 0;     // the peer refused one more as busy: at most this many until all end
    std::vector<Outbound*> lingering;  // of the idle ones, bound and waiting for a job (wait_for_more)
  };

  void spawn(const std::string& name, std::optional<Resuming> resume = std::nullopt);
  void spawn_recoveries(const std::string& name);
  static std::string ticket_key(const std::string& peer, const Job& job);
  void ended(const std::string& name);
  void answer_waiting(const std::string& name, JobResult::Connection c, const std::string& relay, const std::string& why);

  Strand strand_;
  gateway::RuntimeHolder& runtime_;
  queue::Store& store_;
  std::map<std::string, Peer> peers_;
  // Interrupted jobs deferred when their recovering association could not reach the peer:
  // the job's next attempt to that peer recovers (peer, queue ID, form -> where it broke).
  std::map<std::string, p1::association::Interruption> tickets_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::function<void()> drained_;
};

}  // namespace mixer::qmgr
