// gateway/qmgr/channel.hpp: the queue manager's channel plug-in interface
// (PP's channels, Postfix's delivery agents). A channel takes a job (one
// entry's recipients that share a channel, next hop and form), sends it and
// answers once with per-recipient results (delivered, deferred or failed
// with an RFC 3463 code and a text) or a connection-level outcome (next hop
// unreachable: the scheduler fails over and defers; suspended: the next
// hop refused us for a reason retrying will not cure). Every call comes on
// the queue manager's strand and the completion must be called on it too,
// never from inside start() itself. Trusts the scheduler's jobs.
#pragma once

#include <functional>
#include <string>

#include "gateway/qmgr/scheduler.hpp"

namespace mixer::qmgr {

class ChannelPlugin {
 public:
  using Completion = std::function<void(JobResult)>;
  virtual ~ChannelPlugin() = default;
  virtual Channel kind() const = 0;
  // Sends the job; `done` is called exactly once (unless the channel was
  // stopped first), on the strand, after start() has returned.
  virtual void start(Job job, Completion done) = 0;
  // Jobs in parallel to one next hop, and in all (0: the channel does not run).
  virtual std::size_t max_per_hop(const std::string& hop) const = 0;
  virtual std::size_t max_jobs() const = 0;
  // Takes no more jobs; finishes what is under way, then `drained()`.
  virtual void stop(std::function<void()> drained) = 0;
  // The configuration was reloaded (SIGHUP).
  virtual void reconfigured() {}
  // " key=value ..." for the stats request.
  virtual std::string stats() const { return ""; }
};

}  // namespace mixer::qmgr
