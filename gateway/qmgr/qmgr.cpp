// gateway/qmgr/qmgr.cpp: the queue manager (see qmgr.hpp).
#include "gateway/qmgr/qmgr.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <cstdio>

#include "gateway/log.hpp"
#include "gateway/queue/touch_log.hpp"
#include "gateway/qmgr/p1_channel.hpp"

namespace mixer::qmgr {

namespace asio = boost::asio;
using std::chrono::duration_cast;
using std::chrono::microseconds;

namespace {

Micros now_micros() {
  return duration_cast<microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One of Postfix's delays=a/b/c/d: "0", "0.04", "3.2", "3600".
std::string secs(Micros us) {
  const double v = std::max<double>(0, double(us) / 1e6);
  if (v < 0.01) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 10 ? "%.0f" : "%.2f", v);
  std::string out = buf;
  if (v < 10) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

std::string delay_text(Micros us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::max<double>(0, double(us) / 1e6));
  return buf;
}

const char* facility(Channel c) {
  switch (c) {
    case Channel::p1: return "p1";
    case Channel::smtp: return "smtp";
    case Channel::local: return "local";
  }
  return "qmgr";
}

}  // namespace

RetryPolicy channel_policy(const conf::Config& config, Channel c) {
  RetryPolicy p;
  const auto& q = config.queue;
  p.lifetime = q.lifetime;
  p.delay_warning = q.delay_warning;
  p.initial = q.retry_initial;
  p.max = q.retry_max;
  if (c == Channel::p1) {
    p.initial = config.p1.retry_initial;
    p.max = config.p1.retry_max;
    if (config.line_of("p1.retry.lifetime")) p.lifetime = config.p1.lifetime;
  }
  return p;
}

Qmgr::Qmgr(asio::io_context& io, gateway::RuntimeHolder& runtime, queue::Store& store, queue::QueueIndex& index,
           SmtpDeliverer smtp)
    : io_(io),
      strand_(asio::make_strand(io)),
      timer_(strand_),
      runtime_(runtime),
      store_(store),
      index_(index) {
  p1_ = std::make_unique<P1Channel>(strand_, runtime_, store_);
  const auto& q = runtime_.get()->config.queue;
  const bool smtp_configured = static_cast<bool>(smtp);
  smtp_ = std::make_unique<SmtpChannel>(strand_, store_, std::move(smtp),
                                        SmtpLimits{q.smtp_max_connections, q.smtp_max_per_destination});
  local_ = std::make_unique<LocalChannel>(strand_, runtime_, store_);
  Sink& sink = *this;
  scheduler_ = std::make_unique<Scheduler>(sink, Limits{});
  apply_config();
  if (!smtp_configured) gateway::log_info("qmgr", "smtp channel: outbound delivery not configured");
}

Qmgr::~Qmgr() = default;

ChannelPlugin* Qmgr::channel(Channel c) {
  switch (c) {
    case Channel::p1: return p1_.get();
    case Channel::smtp: return smtp_.get();
    case Channel::local: return local_.get();
  }
  return nullptr;
}

void Qmgr::apply_config() {
  auto rt = runtime_.get();
  for (auto c : {Channel::smtp, Channel::p1, Channel::local}) scheduler_->set_policy(c, channel_policy(rt->config, c));
  smtp_->set_limits(SmtpLimits{rt->config.queue.smtp_max_connections, rt->config.queue.smtp_max_per_destination});
  Limits l;
  l.per_hop = [this](Channel c, const std::string& hop) -> std::size_t {
    auto* ch = channel(c);
    return ch ? ch->max_per_hop(hop) : 0;
  };
  l.per_channel = {smtp_->max_jobs(), p1_->max_jobs(), local_->max_jobs()};
  scheduler_->set_limits(std::move(l));
}

void Qmgr::add(const queue::ControlFile& entry) {
  asio::post(strand_, [this, entry] {
    scheduler_->add(entry, now_micros());
    pump();
  });
}

void Qmgr::adopt(queue::ControlFile entry) { scheduler_->add(std::move(entry), now_micros()); }

void Qmgr::export_in_slices(std::vector<std::string> ids, std::function<void(queue::ControlFile&)> each,
                            std::function<void()> slice_done, std::function<void()> done, std::size_t slice) {
  struct State {
    std::vector<std::string> ids;
    std::size_t next = 0;
    std::function<void(queue::ControlFile&)> each;
    std::function<void()> slice_done, done;
    std::size_t slice = 1;
    queue::ControlFile c;
  };
  auto st = std::make_shared<State>();
  st->ids = std::move(ids);
  st->each = std::move(each);
  st->slice_done = std::move(slice_done);
  st->done = std::move(done);
  st->slice = std::max<std::size_t>(1, slice);
  // One turn of the strand per slice; each turn posts the next.
  auto turn = std::make_shared<std::function<void()>>();
  *turn = [this, st, weak = std::weak_ptr<std::function<void()>>(turn)] {
    const std::size_t end = std::min(st->ids.size(), st->next + st->slice);
    for (; st->next < end; ++st->next)
      if (scheduler_->export_entry(st->ids[st->next], st->c)) st->each(st->c);
    st->slice_done();
    if (st->next < st->ids.size()) {
      if (auto again = weak.lock()) asio::post(strand_, [again] { (*again)(); });
      return;
    }
    st->done();
  };
  asio::post(strand_, [turn] { (*turn)(); });
}

void Qmgr::start() {
  asio::post(strand_, [this] {
    started_ = true;
    auto done = std::move(done_before_start_);
    done_before_start_.clear();
    for (const auto& [id, text] : done) report_or_keep(id, text);
    pump();
  });
}

void Qmgr::hold(const std::string& id, bool held) {
  asio::post(strand_, [this, id, held] {
    scheduler_->hold(id, held, now_micros());
    release_touch(id);
    pump();
  });
}

void Qmgr::retry(const std::string& id) {
  asio::post(strand_, [this, id] {
    scheduler_->retry(id, now_micros());
    release_touch(id);
    pump();
  });
}

// The operator's record for ID (appended off the strand) is in the scheduler's state
// now: later snapshots copy it, so DIR/touched need not name ID in their sections.
void Qmgr::release_touch(const std::string& id) {
  if (auto* t = store_.touch_log()) t->release(id);
}

void Qmgr::flush() {
  asio::post(strand_, [this] {
    scheduler_->flush(now_micros());
    pump();
  });
}

void Qmgr::remove(const std::string& id) {
  asio::post(strand_, [this, id] {
    scheduler_->remove(id);
    release_touch(id);
    pump();
  });
}

void Qmgr::reconfigured() {
  asio::post(strand_, [this] {
    apply_config();
    scheduler_->resume_all(now_micros());
    pump();
  });
}

void Qmgr::stop(std::function<void()> drained) {
  asio::post(strand_, [this, drained = std::move(drained)] {
    stopping_ = true;
    timer_.cancel();
    // Every channel finishes what it holds; the last to finish says so.
    auto left = std::make_shared<int>(3);
    auto one = [left, drained] {
      if (--*left == 0) drained();
    };
    p1_->stop(one);
    smtp_->stop(one);
    local_->stop(one);
  });
}

void Qmgr::pump() {
  if (stopping_ || !started_) return;
  const Micros now = now_micros();
  auto jobs = scheduler_->take(now);
  // Their records (deferrals, mostly) will need their IDs in queue/touched: one sync for
  // all of them now rather than one each later (a failure here leaves it to each append).
  if (auto* t = store_.touch_log(); t && !jobs.empty()) {
    std::vector<std::string> ids;
    ids.reserve(jobs.size());
    for (const auto& job : jobs) ids.push_back(job.id);
    (void)t->touch_all(ids);
  }
  for (auto& job : jobs) {
    ChannelPlugin* ch = channel(job.channel);
    if (!ch) continue;  // limits keep these from being handed out
    Job copy = job;
    ch->start(std::move(job), [this, copy = std::move(copy)](JobResult r) {
      scheduler_->complete(copy, r, now_micros());
      pump();
    });
  }
  if (now - stats_at_ > 1'000'000) refresh_stats();
  const Micros wake = scheduler_->next_wakeup();
  if (wake == 0) {
    timer_.cancel();
    return;
  }
  timer_.expires_after(microseconds(std::max<Micros>(1000, wake - now_micros())));
  timer_.async_wait(asio::bind_executor(strand_, [this](boost::system::error_code ec) {
    if (!ec) pump();
  }));
}

void Qmgr::refresh_stats() {
  stats_at_ = now_micros();
  std::string s = " qmgr_entries=" + std::to_string(scheduler_->entries());
  for (auto c : {Channel::p1, Channel::smtp, Channel::local}) {
    auto st = scheduler_->stats(c);
    const std::string n = queue::channel_name(c);
    s += " " + n + "_recipients=" + std::to_string(st.recipients) + " " + n + "_deferred=" +
         std::to_string(st.deferred) + " " + n + "_jobs=" + std::to_string(st.jobs);
    if (c != Channel::local) s += " " + n + "_suspended=" + std::to_string(st.hops_suspended);
  }
  s += p1_->stats() + smtp_->stats() + local_->stats() + delays_.stats();
  std::lock_guard lock(stats_mutex_);
  stats_ = std::move(s);
}

std::string Qmgr::stats() {
  asio::post(strand_, [this] { refresh_stats(); });
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

// ---- Sink --------------------------------------------------------------------

std::error_code Qmgr::append(const std::string& id, const queue::Record& record, bool sync) {
  return store_.append(id, record, sync);
}

void Qmgr::discard(const std::string& id) {
  if (auto ec = store_.discard(id)) gateway::log_warning("queue", id + ": delivered, but removing it failed: " + ec.message());
  index_.erase(id);
}

void Qmgr::event(const Event& e) {
  using K = Event::Kind;
  const std::string to = "to=<" + (e.address.empty() ? e.hop : e.address) + ">";
  std::string head = e.id + ": " + to;
  if (!e.relay.empty()) head += ", relay=" + e.relay;
  if (!e.mts_id.empty()) head += ", mts-id=" + e.mts_id;
  const std::string delay = ", delay=" + delay_text(e.now_us - e.arrival_us);
  const char* fac = facility(e.channel);
  switch (e.kind) {
    case K::delivered: {
      delays_.add(e.now_us - e.arrival_us);
      const Micros a = (e.queued_us ? e.queued_us : e.now_us) - e.arrival_us;
      const Micros b = e.started_us && e.queued_us ? e.started_us - e.queued_us : 0;
      const Micros c = e.connected_us && e.started_us ? std::max<Micros>(0, e.connected_us - e.started_us) : 0;
      const Micros d = e.now_us - (e.connected_us ? std::max(e.connected_us, e.started_us) : e.started_us ? e.started_us : e.now_us);
      gateway::log_info(fac, head + delay + ", delays=" + secs(a) + "/" + secs(b) + "/" + secs(c) + "/" + secs(d) +
                                 ", dsn=" + e.dsn + ", status=sent (" + e.text + ")");
      break;
    }
    case K::deferred:
      gateway::log_info(fac, head + delay + ", dsn=" + e.dsn + ", status=deferred (" + e.text + "), next attempt in " +
                                 std::to_string(std::max<Micros>(0, (e.next_us - e.now_us + 999'999) / 1'000'000)) + "s");
      break;
    case K::failed:
    case K::expired:
      gateway::log_warning(fac, head + delay + ", dsn=" + e.dsn + ", status=failed (" + e.text + ")");
      break;
    case K::delayed:
      gateway::log_info(fac, head + delay + ", dsn=4.4.7, status=delayed (still in the queue after " +
                                 delay_text(e.now_us - e.arrival_us) + "s" +
                                 (e.text.empty() ? "" : "; last error: " + e.text) + "; delay warning)");
      // The entry's first warning is also a DSN "delayed": one for the recipients warned
      // together (gathered until this strand's current work is done).
      if (e.first_warning && report_hook_) {
        auto& [rcpts, until] = first_warnings_[e.id];
        if (rcpts.empty())
          asio::post(strand_, [this, id = e.id] {
            auto it = first_warnings_.find(id);
            if (it == first_warnings_.end()) return;
            auto [rcpts, until] = std::move(it->second);
            first_warnings_.erase(it);
            report_hook_(id, mapping::DsnAction::delayed, rcpts, until, [id](const std::string& error) {
              if (!error.empty()) gateway::log_warning("qmgr", id + ": its DSN \"delayed\" could not be queued (" + error + ")");
            });
          });
        rcpts.push_back(e.rcpt);
        until = e.expires_us / 1000000;
      }
      break;
    case K::failover:
      gateway::log_info(fac, head + delay + ", status=failover (" + e.text + ")");
      break;
    case K::suspended:
      gateway::log_warning(fac, std::string(queue::channel_name(e.channel)) + " next hop " + e.hop +
                                    " suspended: " + e.text +
                                    "; its messages wait until its configuration changes (SIGHUP)");
      break;
    case K::waiting:
      // Found at start-up for every such recipient: the first ones say it, not a million lines.
      if (++waiting_logged_ <= 20)
        gateway::log_warning("qmgr", head + ", status=waiting (" + e.text + ")");
      else if (waiting_logged_ == 21)
        gateway::log_warning("qmgr", "more recipients wait because their form is not what their channel sends; "
                                     "not logged one by one (mixer queue list shows them)");
      break;
    case K::kept:
      if (started_) report_or_keep(e.id, e.text);
      else done_before_start_.emplace_back(e.id, e.text);
      break;
    case K::discarded:
      gateway::log_info("qmgr", e.id + ": removed (every recipient delivered)");
      break;
  }
}

void Qmgr::report_or_keep(const std::string& id, const std::string& text) {
  const Report r = report_hook_ ? report_hook_(id, mapping::DsnAction::failed, {}, 0, [this, id](const std::string& error) {
    asio::post(strand_, [this, id, error] {
      if (!error.empty())
        return gateway::log_warning("qmgr", id + ": kept in the queue: its report could not be queued (" + error + ")");
      discard(id);
      gateway::log_info("qmgr", id + ": removed (every recipient done; the report is queued)");
    });
  })
                                : Report::kept;
  if (r == Report::not_due) {
    discard(id);
    gateway::log_info("qmgr", id + ": removed (every recipient done; no report was asked for)");
  } else if (r == Report::kept) {
    gateway::log_info("qmgr", id + ": " + text);
  }
}

}  // namespace mixer::qmgr
