// gateway/qmgr/p1_channel.cpp: the outbound P1 channel (see p1_channel.hpp).
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's -Wmismatched-new-delete false positive on Asio coroutine frames
// (see p1/association/initiator.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "gateway/qmgr/p1_channel.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

#include "gateway/log.hpp"
#include "gateway/p1_config.hpp"
#include "p1/association/initiator.hpp"

namespace mixer::qmgr {

namespace asio = boost::asio;
namespace pa = p1::association;

namespace {

Micros now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

JobResult all(const Job& job, Outcome o, const std::string& dsn, const std::string& text, const std::string& relay) {
  JobResult r;
  r.relay = relay;
  for (auto idx : job.rcpts) r.recipients.push_back(RecipientResult{idx, o, dsn, text});
  return r;
}

// The peer cannot be reached now (not configured, held): the job's answer, on the strand.
template <class Strand>
void answer_unreachable(Strand& strand, ChannelPlugin::Completion done, const std::string& hop, const std::string& why) {
  asio::post(strand, [done = std::move(done), hop, why] {
    JobResult r;
    r.connection = JobResult::Connection::unreachable;
    r.relay = hop;
    r.text = why;
    done(std::move(r));
  });
}

}  // namespace

// What one association transfers: its peer's waiting jobs, one at a time.
class P1Channel::Outbound : public pa::OutboundQueue {
 public:
  Outbound(P1Channel& c, std::string peer, std::string relay) : c_(c), peer_(std::move(peer)), relay_(std::move(relay)) {}
  // An association that recovers `r`'s interrupted transfer and resumes it first.
  Outbound(P1Channel& c, std::string peer, std::string relay, Resuming r)
      : c_(c),
        peer_(std::move(peer)),
        relay_(std::move(relay)),
        current_(std::move(r.waiting)),
        recovering_(std::move(r.at)),
        refusals_(r.refusals) {
    bound_ = true;
    connected_us_ = now_micros();
  }

  std::optional<pa::OutboundApdu> next() override {
    done_waiting();
    Peer& peer = c_.peers_[peer_];
    if (!bound_) {
      bound_ = true;
      connected_us_ = now_micros();
    }
    while (!c_.stopping_ && !peer.waiting.empty()) {
      Waiting w = std::move(peer.waiting.front());
      peer.waiting.pop_front();
      auto content = c_.store_.form(w.job.id, w.job.form);
      if (!content) {  // deleted underneath us (mixer queue delete), or unreadable
        w.done(all(w.job, Outcome::deferred, "4.3.0", "form file " + queue::form_file_name(w.job.form) + " unreadable",
                   relay_));
        continue;
      }
      current_ = std::move(w);
      --peer.idle;
      return pa::OutboundApdu{current_->job.id, pa::Bytes(content->begin(), content->end())};
    }
    return std::nullopt;
  }
  void confirmed(const std::string&) override {
    if (!current_) return;
    Waiting w = std::move(*current_);
    current_.reset();
    ++c_.peers_[peer_].idle;
    JobResult r = all(w.job, Outcome::delivered, "2.0.0", "transfer confirmed by " + peer_, relay_);
    r.connected_us = connected_us_;
    // Synchronously: the queue manager may hand this association its next job before next().
    w.done(std::move(r));
  }
  void failed(const std::string&, const pa::Failure& f) override {
    if (!current_) return;
    Waiting w = std::move(*current_);
    current_.reset();
    ++c_.peers_[peer_].idle;
    if (recovering_ && !resumed_) {
      // The recovery never started: the association's report says whether the peer
      // refused it (send it whole) or could not be reached (defer, recover later).
      held_ = std::move(w);
      held_failure_ = f;
      return;
    }
    const bool permanent = f.kind == pa::FailureClass::permanent;
    JobResult r = all(w.job, permanent ? Outcome::failed : Outcome::deferred, permanent ? "5.4.0" : "4.4.2", f.what, relay_);
    r.connected_us = connected_us_;
    w.done(std::move(r));
  }
  void interrupted(const std::string& id, const pa::Failure& f, const pa::Interruption& at) override {
    if (!current_) return;
    if (recovering_ && at.progress.offset <= recovering_->progress.offset) {
      // A recovery that moved nothing further: no second try, it goes whole (no loop on a
      // peer that accepts a recover but cannot resume).
      Waiting w = std::move(*current_);
      current_.reset();
      ++c_.peers_[peer_].idle;
      gateway::log_info("p1", w.job.id + ": recovery by " + peer_ + " made no progress (" + f.what + "); sending it whole");
      c_.peers_[peer_].waiting.push_front(std::move(w));
      return;
    }
    (void)id;
    Waiting w = std::move(*current_);
    current_.reset();
    ++c_.peers_[peer_].idle;
    gateway::log_info("p1", w.job.id + ": transfer to " + relay_ + " interrupted (" + f.what + ") after checkpoint " +
                                std::to_string(at.progress.serial) + ", " + std::to_string(at.progress.offset) + " of " +
                                std::to_string(at.apdu_size) + " octets confirmed; recovering" +
                                (w.job.mts_id.empty() ? "" : ", mts-id=" + w.job.mts_id));
    c_.peers_[peer_].resuming.push_back(Resuming{std::move(w), at});
  }
  void resumed(const std::string&, const pa::Interruption& at) override {
    resumed_ = true;
    if (!current_) return;
    const Job& job = current_->job;
    gateway::log_info("p1", job.id + ": transfer to " + relay_ + " resumed from checkpoint " + std::to_string(at.progress.serial) +
                                " (" + std::to_string(at.progress.offset) + " of " + std::to_string(at.apdu_size) +
                                " octets already with the peer, X.228 recover)" +
                                (job.mts_id.empty() ? "" : ", mts-id=" + job.mts_id));
  }
  std::chrono::milliseconds wait_for_more(std::function<void()> wake) override {
    if (c_.stopping_) return {};
    const auto linger = c_.runtime_.get()->config.p1.linger_timeout;
    if (linger.count() <= 0) return {};
    wake_ = std::move(wake);
    auto& lingering = c_.peers_[peer_].lingering;
    if (std::find(lingering.begin(), lingering.end(), this) == lingering.end()) lingering.push_back(this);
    return linger;
  }
  void done_waiting() override {
    wake_ = nullptr;
    auto& lingering = c_.peers_[peer_].lingering;
    std::erase(lingering, this);
  }
  // A job came for this lingering association (the channel took it off the list).
  void wake() {
    if (auto w = std::exchange(wake_, nullptr)) w();
  }
  // A recovery the peer never started: the job, unanswered.
  std::optional<Waiting> take_held() { return std::exchange(held_, std::nullopt); }
  const pa::Failure& held_failure() const { return held_failure_; }
  const std::optional<pa::Interruption>& recovering() const { return recovering_; }
  int refusals() const { return refusals_; }

 private:
  P1Channel& c_;
  std::string peer_, relay_;
  std::optional<Waiting> current_;
  std::optional<pa::Interruption> recovering_;  // this association recovers a transfer broken there
  int refusals_ = 0;
  bool resumed_ = false;
  std::optional<Waiting> held_;
  pa::Failure held_failure_;
  bool bound_ = false;
  Micros connected_us_ = 0;
  std::function<void()> wake_;  // while it lingers (wait_for_more)
};

P1Channel::P1Channel(Strand strand, gateway::RuntimeHolder& runtime, queue::Store& store)
    : strand_(std::move(strand)), runtime_(runtime), store_(store) {}

std::size_t P1Channel::max_per_hop(const std::string& name) const {
  const auto* p = runtime_.get()->config.p1.peer(name);
  std::size_t max = p ? std::max<std::size_t>(1, p->associations) : 1;
  auto it = peers_.find(name);
  if (it != peers_.end() && it->second.busy_cap) max = std::min(max, it->second.busy_cap);
  return max;
}

std::size_t P1Channel::max_jobs() const {
  std::size_t n = 0;
  for (const auto& p : runtime_.get()->config.p1.peers) n += std::max<std::size_t>(1, p.associations);
  return std::max<std::size_t>(n, 16);  // unknown peers get one each (they are answered at once)
}

void P1Channel::start(Job job, Completion done) {
  if (stopping_) return;
  auto rt = runtime_.get();
  const conf::P1Peer* configured = rt->config.p1.peer(job.hop);
  if (!configured || configured->host.empty() || configured->hold) {
    // The operator removed the peer (or its host) from the table, or holds its
    // messages (as Postfix's defer_transports): wait, do not lose.
    const std::string why = !configured            ? "no peer MTA '" + job.hop + "' in p1.peers"
                            : configured->host.empty() ? "peer MTA has no host in p1.peers"
                                                       : "held by p1.peers hold: true";
    answer_unreachable(strand_, std::move(done), job.hop, why);
    return;
  }
  Peer& peer = peers_[job.hop];
  const std::string name = job.hop;
  if (auto t = tickets_.find(ticket_key(name, job)); t != tickets_.end()) {
    // This job's last transfer to this peer broke after a confirmed checkpoint: recover it.
    peer.resuming.push_back(Resuming{Waiting{std::move(job), std::move(done)}, std::move(t->second)});
    tickets_.erase(t);
    return spawn_recoveries(name);
  }
  peer.waiting.push_back(Waiting{std::move(job), std::move(done)});
  if (!peer.lingering.empty()) {
    // A bound association waits for work: it takes this job (no connect, bind and release).
    Outbound* o = peer.lingering.back();
    peer.lingering.pop_back();
    return o->wake();
  }
  if (peer.waiting.size() > peer.idle && peer.running < max_per_hop(name)) spawn(name);
}

std::string P1Channel::ticket_key(const std::string& peer, const Job& job) {
  return peer + "|" + job.id + "|" + std::to_string(job.form);
}

void P1Channel::spawn_recoveries(const std::string& name) {
  Peer& peer = peers_[name];
  while (!peer.resuming.empty() && peer.running < max_per_hop(name)) {
    Resuming r = std::move(peer.resuming.front());
    peer.resuming.pop_front();
    spawn(name, std::move(r));
  }
}

void P1Channel::spawn(const std::string& name, std::optional<Resuming> resume) {
  auto rt = runtime_.get();
  const conf::P1Peer* configured = rt->config.p1.peer(name);
  if (!configured || (resume && (configured->host.empty() || configured->hold))) {
    if (resume) {  // the peer left the table or is held (SIGHUP) while its job waited for recovery: as start() answers
      const std::string why = !configured ? "no peer MTA '" + name + "' in p1.peers" : "held, or no host, in p1.peers";
      if (tickets_.size() >= 1024) tickets_.erase(tickets_.begin());
      tickets_[ticket_key(name, resume->waiting.job)] = resume->at;  // its next attempt to this peer recovers
      answer_unreachable(strand_, std::move(resume->waiting.done), name, why);
    }
    return;
  }
  Peer& peer = peers_[name];
  const std::string relay = name + "[" + configured->host + "]:" + std::to_string(configured->port);
  std::optional<pa::Recovery> recovery;
  if (resume) {
    auto content = store_.form(resume->waiting.job.id, resume->waiting.job.form);
    if (!content) {
      auto& w = resume->waiting;
      asio::post(strand_, [done = std::move(w.done), r = all(w.job, Outcome::deferred, "4.3.0",
                                                           "form file " + queue::form_file_name(w.job.form) + " unreadable",
                                                           relay)]() mutable { done(std::move(r)); });
      return;
    }
    recovery = pa::Recovery{resume->waiting.job.id, pa::Resumption{resume->at, pa::Bytes(content->begin(), content->end())}};
  }
  ++peer.running;
  if (!resume) ++peer.idle;  // a recovering association holds its job from the start
  ++running_;
  auto settings = gateway::initiator_settings(rt->config);
  auto ps = gateway::peer_settings(*configured);
  auto queue = resume ? std::make_shared<Outbound>(*this, name, relay, std::move(*resume))
                      : std::make_shared<Outbound>(*this, name, relay);
  asio::co_spawn(
      strand_,
      [this, name, relay, settings, ps, queue, recovery = std::move(recovery)]() mutable -> asio::awaitable<void> {
        auto report = co_await pa::run_initiator(settings, ps, *queue, [](const std::string& line) {
          gateway::log_info("p1", line);
        }, std::move(recovery));
        queue->done_waiting();
        Peer& peer = peers_[name];
        if (auto held = queue->take_held()) {
          if (report.recovery_refused && queue->refusals() == 0) {
            // The peer may not have seen the broken connection end yet (its partial transfer is
            // kept only then): one more recovery a second later, before the APDU goes whole.
            gateway::log_info("p1", held->job.id + ": " + name + " refused the recovery (" + report.failure.what +
                                        "); trying once more in 1s");
            auto timer = std::make_shared<asio::steady_timer>(strand_, std::chrono::seconds(1));
            auto again = std::make_shared<Resuming>(Resuming{std::move(*held), *queue->recovering(), 1});
            timer->async_wait([this, name, timer, again](boost::system::error_code) {
              if (stopping_) return;  // a stopped channel answers nothing more
              peers_[name].resuming.push_back(std::move(*again));
              spawn_recoveries(name);
            });
          } else if (report.recovery_refused) {
            // X.228 cannotRecover, or a peer without recovery: the APDU goes whole, as before.
            gateway::log_info("p1", held->job.id + ": " + name + " refused the recovery (" + report.failure.what +
                                        "); sending it whole");
            peer.waiting.push_front(std::move(*held));
          } else {
            // Not reached: deferred; its next attempt to this peer recovers again.
            if (tickets_.size() >= 1024) tickets_.erase(tickets_.begin());
            tickets_[ticket_key(name, held->job)] = *queue->recovering();
            JobResult r = all(held->job, Outcome::deferred, "4.4.2", queue->held_failure().what, relay);
            held->done(std::move(r));
          }
        }
        const bool busy = report.bind_error && *report.bind_error == p1::mta::BindError::busy;
        if (report.recovery_refused) {
          // The peer answered: nothing to say about its other jobs.
        } else if (!report.bound && busy && peer.running > 1) {
          // One more than the peer takes: no reason to wait, but no more of them.
          peer.busy_cap = peer.running - 1;
          gateway::log_info("p1", "peer " + name + " is busy: at most " + std::to_string(peer.busy_cap) +
                                      " associations for now");
        } else if (!report.bound) {
          // The peer cannot be reached or refused us: every waiting job is answered now
          // (failover, deferral), not left to associations that would fail the same way.
          const std::string why = report.answer.empty() ? report.failure.what : report.answer;
          const bool refused_for_good =
              (report.bind_error && (*report.bind_error == p1::mta::BindError::authentication_error ||
                                     *report.bind_error == p1::mta::BindError::unacceptable_security_context)) ||
              (!report.bind_error && report.failure.kind == pa::FailureClass::permanent);
          answer_waiting(name, refused_for_good ? JobResult::Connection::suspended : JobResult::Connection::unreachable,
                         relay, why);
        }
        ended(name);
      },
      [this, name, queue](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          gateway::log_error("p1", "association to " + name + " failed: " + x.what());
        }
        queue->done_waiting();
        // The APDU under way (if any) was not confirmed: deferred.
        queue->failed("", pa::Failure{pa::FailureClass::transient, "association failed"});
        if (auto held = queue->take_held())
          held->done(all(held->job, Outcome::deferred, "4.4.2", "association failed", name));
        ended(name);
      });
}

void P1Channel::answer_waiting(const std::string& name, JobResult::Connection c, const std::string& relay,
                               const std::string& why) {
  auto waiting = std::move(peers_[name].waiting);
  peers_[name].waiting.clear();
  for (auto& w : waiting) {
    JobResult r;
    r.connection = c;
    r.relay = relay;
    r.text = why;
    w.done(std::move(r));
  }
}

void P1Channel::ended(const std::string& name) {
  Peer& peer = peers_[name];
  if (peer.running) --peer.running;
  if (peer.idle) --peer.idle;
  if (running_) --running_;
  if (peer.running == 0) peer.busy_cap = 0;
  if (stopping_) {
    if (running_ == 0 && drained_) std::exchange(drained_, nullptr)();
    return;
  }
  spawn_recoveries(name);
  // Jobs that came while this one was ending, and no association left to take them.
  if (!peer.waiting.empty() && peer.waiting.size() > peer.idle && peer.running < max_per_hop(name)) spawn(name);
}

void P1Channel::stop(std::function<void()> drained) {
  stopping_ = true;
  // Lingering associations release now (wait_for_more answers zero from here on).
  for (auto& [name, peer] : peers_)
    for (auto* o : std::exchange(peer.lingering, {})) o->wake();
  if (running_ == 0) return drained();
  drained_ = std::move(drained);
}

std::string P1Channel::stats() const {
  std::size_t waiting = 0;
  for (const auto& [n, p] : peers_) waiting += p.waiting.size();
  return " p1_associations_out=" + std::to_string(running_) + " p1_waiting_for_association=" + std::to_string(waiting);
}

}  // namespace mixer::qmgr
