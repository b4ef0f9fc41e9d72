// gateway/qmgr/scheduler.cpp: the queue manager's scheduler (see scheduler.hpp).
#include "gateway/qmgr/scheduler.hpp"

#include <algorithm>
#include <tuple>

namespace mixer::qmgr {

using queue::RecipientStatus;

namespace {

constexpr Micros kSecond = 1'000'000;

// Unix seconds for the control file's next= (rounded up, so that a record
// never promises an attempt before the one scheduled).
std::int64_t seconds_up(Micros us) { return (us + kSecond - 1) / kSecond; }

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::delivered: return "delivered";
    case Outcome::deferred: return "deferred";
    case Outcome::failed: return "failed";
  }
  return "?";
}

Scheduler::Scheduler(Sink& sink, Limits limits, std::uint64_t seed) : sink_(sink), limits_(std::move(limits)), rng_(seed) {
  if (!limits_.per_hop) limits_.per_hop = [](Channel, const std::string&) { return std::size_t(1); };
}

std::uint32_t Scheduler::intern(const std::string& s) {
  if (s.empty()) return 0;
  auto [it, inserted] = name_ids_.try_emplace(s, static_cast<std::uint32_t>(names_.size()));
  if (inserted) names_.push_back(s);
  return it->second;
}

std::uint32_t Scheduler::intern_list(const std::vector<std::string>& list) {
  if (list.empty()) return 0;
  // Most entries of a queue share a few routes: the last list first, without allocating.
  if (last_list_ && list.size() == lists_[last_list_].size() &&
      std::equal(list.begin(), list.end(), lists_[last_list_].begin(),
                 [this](const std::string& s, std::uint32_t id) { return names_[id] == s; }))
    return last_list_;
  std::vector<std::uint32_t> ids;
  ids.reserve(list.size());
  for (const auto& s : list) ids.push_back(intern(s));
  auto [it, inserted] = list_ids_.try_emplace(ids, static_cast<std::uint32_t>(lists_.size()));
  if (inserted) lists_.push_back(std::move(ids));
  return last_list_ = it->second;
}

std::optional<std::uint32_t> Scheduler::hop_at(const Rcpt& r, std::size_t step) const {
  if (step == 0) return r.hop;
  const auto& list = lists_[r.fallback];
  if (step - 1 < list.size()) return list[step - 1];
  return std::nullopt;
}

std::chrono::microseconds Scheduler::backoff(Channel c, unsigned attempts) {
  const auto& p = policy(c);
  auto d = p.initial;
  for (unsigned i = 1; i < attempts && d < p.max; ++i) d *= 2;
  d = std::min(d, p.max);
  if (p.jitter > 0) {
    std::uniform_real_distribution<double> u(0.0, p.jitter);
    d -= std::chrono::microseconds(static_cast<std::int64_t>(double(d.count()) * u(rng_)));
  }
  return std::max(d, std::chrono::microseconds(1000));
}

void Scheduler::add(const queue::ControlFile& c, Micros now) {
  add_entry(const_cast<queue::ControlFile&>(c), false, now);  // not written to: take = false
}

void Scheduler::add(queue::ControlFile&& c, Micros now) { add_entry(c, true, now); }

void Scheduler::add_entry(queue::ControlFile& c, bool take, Micros now) {
  if (c.recipients.empty()) return;
  auto [it, inserted] = entries_.try_emplace(c.id);
  if (!inserted) return;
  auto grab = [take](std::string& s) { return take ? std::move(s) : s; };
  Entry& e = it->second;
  e.seq = next_seq_++;
  e.id = c.id;
  e.mts_id = c.mts_id;
  e.arrival_us = c.arrival_us;
  e.held = c.held;
  e.file_size = c.file_size;
  // Delay warnings given before (warned records) are not given again; one that fell
  // due while the daemon was down is given now.
  e.warned_until = std::max(c.warned * kSecond, c.arrival_us);
  (void)now;
  e.apdu = c.apdu.empty() ? 0 : c.apdu == "message" ? 1 : c.apdu == "report" ? 2 : c.apdu == "probe" ? 3 : 0xff;
  if (c.forms.size() > 64) e.apdu = 0xff;  // not described by p1_forms: never exported
  for (std::size_t i = 0; i < c.forms.size() && i < 64; ++i)
    if (c.forms[i].kind == queue::FormRecord::Kind::p1) e.p1_forms |= std::uint64_t{1} << i;
  e.form_mts_ids.reserve(c.forms.size() + 1);
  e.form_mts_ids.push_back(c.mts_id);
  for (auto& f : c.forms) e.form_mts_ids.push_back(grab(f.mts_id));
  e.rcpts.reserve(c.recipients.size());
  for (auto& rr : c.recipients) {
    Rcpt r;
    r.index = static_cast<std::uint32_t>(rr.index);
    r.channel = rr.channel;
    r.hop = intern(queue::next_hop(rr));
    if (rr.channel == Channel::p1) r.fallback = intern_list(rr.fallback);
    r.form = static_cast<std::uint32_t>(rr.form);
    r.status = rr.status;
    r.attempts = rr.attempts;
    r.next_us = rr.next_attempt * kSecond;
    r.address = grab(rr.address);
    r.dsn = grab(rr.dsn);
    r.diagnostic = grab(rr.diagnostic);
    e.report_on_delivery = e.report_on_delivery || rr.delivery_report;
    // What each channel can send: an MTS-APDU over P1, an RFC 5322 message over SMTP, and
    // a probe's VRFYs over SMTP (its form 0: RFC 2156 Appendix A §1, nothing is sent).
    const bool apdu = rr.form == 0 ? !c.apdu.empty()
                                   : rr.form <= c.forms.size() && c.forms[rr.form - 1].kind == queue::FormRecord::Kind::p1;
    const bool probe = rr.form == 0 && c.apdu == "probe";
    if (rr.channel == Channel::p1) r.sendable = apdu;
    if (rr.channel == Channel::smtp) r.sendable = (rr.form <= c.forms.size() && !apdu) || probe;
    e.rcpts.push_back(std::move(r));
  }
  Entry& entry = e;
  for (auto& r : entry.rcpts)
    if (pending(r) && !r.sendable) {
      Event ev = event(Event::Kind::waiting, entry, r, now);
      ev.text = std::string("form ") + std::to_string(r.form) + " is not what channel " + queue::channel_name(r.channel) +
                " sends; the recipient waits for the operator";
      sink_.event(ev);
    }
  if (finish_if_done(entry, now)) return;
  schedule(entry, now);
}

Event Scheduler::event(Event::Kind k, const Entry& e, const Rcpt& r, Micros now) const {
  Event ev;
  ev.kind = k;
  ev.id = e.id;
  ev.channel = r.channel;
  ev.hop = names_[r.hop];
  ev.address = r.address;
  ev.rcpt = r.index;
  ev.mts_id = r.form < e.form_mts_ids.size() ? e.form_mts_ids[r.form] : e.mts_id;
  ev.arrival_us = e.arrival_us;
  ev.now_us = now;
  return ev;
}

void Scheduler::schedule(Entry& e, Micros now) {
  Micros wake = 0;
  auto consider = [&](Micros t) {
    t = std::max<Micros>(t, 1);
    if (wake == 0 || t < wake) wake = t;
  };
  for (const auto& r : e.rcpts) {
    if (!pending(r) || r.in_flight) continue;
    const auto& p = policy(r.channel);
    consider(e.arrival_us + p.lifetime.count());
    if (p.delay_warning.count() > 0) {
      const Micros iv = p.delay_warning.count();
      const Micros k = std::max<Micros>(0, (e.warned_until - e.arrival_us) / iv) + 1;
      consider(e.arrival_us + k * iv);
    }
    if (r.reserved || e.held || !r.sendable || limits_.per_channel[channel_slot(r.channel)] == 0) continue;
    // All its hops from the current step on suspended: it waits for resume_all().
    bool reachable = false;
    for (std::size_t s = r.step;; ++s) {
      auto h = hop_at(r, s);
      if (!h) break;
      auto hit = hops_.find(HopKey{r.channel, *h});
      if (hit == hops_.end() || !hit->second.suspended) {
        reachable = true;
        break;
      }
    }
    if (reachable) consider(r.next_us);
  }
  (void)now;
  if (e.wake_us) wakeups_.erase({e.wake_us, e.seq, &e});
  e.wake_us = wake;
  if (wake) wakeups_.insert({wake, e.seq, &e});
}

void Scheduler::tick(Micros now, std::size_t budget) {
  for (; budget && !wakeups_.empty() && wakeups_.begin()->at <= now; --budget) {
    Entry* e = wakeups_.begin()->entry;  // an entry leaves wakeups_ before it is erased
    wakeups_.erase(wakeups_.begin());
    e->wake_us = 0;
    process(*e, now);
  }
}

void Scheduler::process(Entry& e, Micros now) {
  // Expiry first: what outlived its lifetime is not attempted again.
  for (auto& r : e.rcpts)
    if (pending(r) && !r.in_flight && now >= e.arrival_us + policy(r.channel).lifetime.count() && !(r.reserved = false))
      fail(e, r, "", names_[r.hop], "5.4.7",
           "delivery time expired (X.411 unable-to-transfer, maximum-time-expired) after " +
               std::to_string(r.attempts) + " attempts" + (r.diagnostic.empty() ? "" : "; last error: " + r.diagnostic),
           Event::Kind::expired, now);
  // One delay warning per interval for the recipients still waiting.
  bool warned = false;
  for (auto& r : e.rcpts) {
    if (!pending(r)) continue;
    const Micros iv = policy(r.channel).delay_warning.count();
    if (iv <= 0) continue;
    const Micros k = std::max<Micros>(0, (e.warned_until - e.arrival_us) / iv) + 1;
    if (now >= e.arrival_us + k * iv) {
      Event ev = event(Event::Kind::delayed, e, r, now);
      ev.dsn = "4.4.7";
      ev.text = r.diagnostic;
      ev.next_us = r.next_us;
      ev.first_warning = k == 1;
      ev.expires_us = e.arrival_us + policy(r.channel).lifetime.count();
      sink_.event(ev);
      warned = true;
    }
  }
  if (warned) {
    e.warned_until = now;
    // Recorded, so that a restart neither repeats it nor forgets one due (not synced:
    // after a crash the warning may come twice, never not at all).
    queue::Record rec;
    rec.kind = queue::Record::Kind::warned;
    rec.time = now / kSecond;
    (void)append(e, rec, false);
  }
  if (finish_if_done(e, now)) return;
  if (!e.held) {
    // Due recipients grouped into jobs: same channel, hop, form and failover list.
    std::map<std::tuple<Channel, std::uint32_t, std::uint32_t, std::uint32_t, std::uint8_t>, Pending> groups;
    for (auto& r : e.rcpts) {
      if (!pending(r) || r.in_flight || r.reserved || !r.sendable || r.next_us > now) continue;
      if (limits_.per_channel[channel_slot(r.channel)] == 0) continue;
      std::optional<std::uint32_t> hop;
      for (;; ++r.step) {
        hop = hop_at(r, r.step);
        if (!hop) break;
        auto hit = hops_.find(HopKey{r.channel, *hop});
        if (hit == hops_.end() || !hit->second.suspended) break;
      }
      if (!hop) {  // every hop from here suspended: wait for a configuration change
        r.step = 0;
        continue;
      }
      auto& g = groups[{r.channel, *hop, r.form, r.fallback, r.step}];
      g.id = e.id;
      g.form = r.form;
      g.step = r.step;
      g.queued_us = now;
      g.rcpts.push_back(r.index);
      r.reserved = true;  // waiting for a slot on its hop
    }
    for (auto& [key, g] : groups) {
      HopKey hk{std::get<0>(key), std::get<1>(key)};
      hops_[hk].ready.push_back(std::move(g));
      ready_hops_.insert(hk);
    }
  }
  schedule(e, now);
}

std::vector<Job> Scheduler::take(Micros now) {
  // A bounded share of the due entries per call (a start-up with a large
  // queue due at once does not hold the strand for seconds); next_wakeup()
  // says when the rest is due: now.
  tick(now, kTickBudget);
  std::vector<Job> jobs;
  for (auto hit = ready_hops_.begin(); hit != ready_hops_.end();) {
    const HopKey key = *hit;
    Hop& hop = hops_[key];
    const std::string& name = names_[key.hop];
    const std::size_t slot = channel_slot(key.channel);
    const std::size_t limit = limits_.per_hop(key.channel, name);
    while (hop.head < hop.ready.size() && !hop.suspended && hop.running < limit &&
           running_[slot] < limits_.per_channel[slot]) {
      Pending p = std::move(hop.ready[hop.head++]);
      auto eit = entries_.find(p.id);
      if (eit == entries_.end()) continue;  // deleted meanwhile
      Entry& e = eit->second;
      Job job;
      for (auto idx : p.rcpts) {
        if (idx >= e.rcpts.size()) continue;
        Rcpt& r = e.rcpts[idx];
        if (!pending(r) || !r.reserved) continue;
        r.reserved = false;
        if (e.held) continue;  // held while it waited for a slot: back to waiting
        r.in_flight = true;
        job.rcpts.push_back(idx);
        job.addresses.push_back(r.address);
      }
      if (job.rcpts.empty()) {
        schedule(e, now);
        continue;
      }
      job.number = next_job_++;
      job.id = e.id;
      job.channel = key.channel;
      job.hop = name;
      job.hop_step = p.step;
      job.form = p.form;
      job.mts_id = p.form < e.form_mts_ids.size() ? e.form_mts_ids[p.form] : e.mts_id;
      job.arrival_us = e.arrival_us;
      job.queued_us = p.queued_us;
      job.started_us = now;
      ++hop.running;
      ++running_[slot];
      in_flight_[job.number] = InFlight{job.id, key};
      jobs.push_back(std::move(job));
    }
    if (hop.suspended && hop.head < hop.ready.size()) {
      // Suspended while these waited: their recipients look for another hop.
      for (; hop.head < hop.ready.size(); ++hop.head) {
        auto eit = entries_.find(hop.ready[hop.head].id);
        if (eit == entries_.end()) continue;
        for (auto idx : hop.ready[hop.head].rcpts)
          if (idx < eit->second.rcpts.size()) eit->second.rcpts[idx].reserved = false;
        schedule(eit->second, now);
      }
    }
    if (hop.head >= hop.ready.size()) {
      hop.ready.clear();
      hop.head = 0;
      hit = ready_hops_.erase(hit);
    } else {
      ++hit;
    }
  }
  return jobs;
}

void Scheduler::defer(Entry& e, Rcpt& r, const std::string& relay, const std::string& hop, const std::string& dsn,
                      const std::string& text, Micros now) {
  r.in_flight = false;
  r.step = 0;
  const unsigned attempts = r.attempts + 1;
  if (now >= e.arrival_us + policy(r.channel).lifetime.count()) {
    r.attempts = attempts;
    r.diagnostic = text;
    fail(e, r, relay, hop, "5.4.7",
         "delivery time expired (X.411 unable-to-transfer, maximum-time-expired) after " + std::to_string(attempts) +
             " attempts; last error: " + text,
         Event::Kind::expired, now);
    return;
  }
  const Micros next = now + backoff(r.channel, attempts).count();
  queue::Record rec;
  rec.kind = queue::Record::Kind::status;
  rec.time = now / kSecond;
  rec.rcpt = r.index;
  rec.status = RecipientStatus::deferred;
  rec.attempts = attempts;
  rec.next_attempt = seconds_up(next);
  rec.dsn = dsn;
  rec.diagnostic = text;
  // Advisory: losing it in a crash only means an earlier retry.
  const auto ec = append(e, rec, false);
  r.status = RecipientStatus::deferred;
  r.attempts = attempts;
  r.next_us = next;
  r.dsn = dsn;
  r.diagnostic = text;
  Event ev = event(Event::Kind::deferred, e, r, now);
  ev.relay = relay;
  ev.hop = hop;
  ev.dsn = dsn;
  ev.text = ec ? text + " (not recorded: " + ec.message() + ")" : text;
  ev.next_us = next;
  sink_.event(ev);
}

void Scheduler::fail(Entry& e, Rcpt& r, const std::string& relay, const std::string& hop, const std::string& dsn,
                     const std::string& text, Event::Kind kind, Micros now) {
  queue::Record rec;
  rec.kind = queue::Record::Kind::status;
  rec.time = now / kSecond;
  rec.rcpt = r.index;
  rec.status = RecipientStatus::failed;
  rec.attempts = r.attempts;
  rec.dsn = dsn;
  rec.diagnostic = text;
  if (auto ec = append(e, rec, true)) {
    // Not recorded: the state does not move on; tried again after a backoff.
    r.in_flight = false;
    r.next_us = now + backoff(r.channel, std::max(1u, r.attempts)).count();
    Event ev = event(Event::Kind::deferred, e, r, now);
    ev.relay = relay;
    ev.dsn = "4.3.0";
    ev.text = "cannot record the failure (" + ec.message() + "): " + text;
    ev.next_us = r.next_us;
    sink_.event(ev);
    return;
  }
  r.in_flight = false;
  r.status = RecipientStatus::failed;
  r.next_us = 0;  // as its record says (none): what a start from the file or a snapshot gives
  r.dsn = dsn;
  r.diagnostic = text;
  Event ev = event(kind, e, r, now);
  ev.relay = relay;
  if (!hop.empty()) ev.hop = hop;
  ev.dsn = dsn;
  ev.text = text;
  sink_.event(ev);
}

void Scheduler::complete(const Job& job, const JobResult& result, Micros now) {
  auto fit = in_flight_.find(job.number);
  if (fit == in_flight_.end()) return;
  const HopKey key = fit->second.hop;
  in_flight_.erase(fit);
  Hop& hop = hops_[key];
  if (hop.running) --hop.running;
  if (running_[channel_slot(key.channel)]) --running_[channel_slot(key.channel)];
  auto eit = entries_.find(job.id);
  if (eit == entries_.end()) return;  // deleted while in flight
  Entry& e = eit->second;
  auto mine = [&](std::size_t idx) -> Rcpt* {
    if (idx >= e.rcpts.size()) return nullptr;
    Rcpt& r = e.rcpts[idx];
    return pending(r) && r.in_flight ? &r : nullptr;
  };
  if (!hop.ready.empty()) ready_hops_.insert(key);

  if (result.connection != JobResult::Connection::ok) {
    const bool suspend = result.connection == JobResult::Connection::suspended;
    if (suspend && !hop.suspended) {
      hop.suspended = true;
      hop.reason = result.text;
      Event ev;
      ev.kind = Event::Kind::suspended;
      ev.id = e.id;
      ev.channel = job.channel;
      ev.hop = job.hop;
      ev.relay = result.relay;
      ev.text = result.text;
      ev.now_us = now;
      sink_.event(ev);
    }
    for (auto idx : job.rcpts) {
      Rcpt* r = mine(idx);
      if (!r) continue;
      const std::size_t step = job.hop_step + 1;
      if (hop_at(*r, step)) {  // the next peer of its route, at once
        r->step = static_cast<std::uint8_t>(step);
        r->in_flight = false;
        Event ev = event(Event::Kind::failover, e, *r, now);
        ev.hop = job.hop;
        ev.relay = result.relay;
        ev.text = result.text + "; trying " + names_[*hop_at(*r, step)];
        sink_.event(ev);
        continue;
      }
      defer(e, *r, result.relay, job.hop, "4.4.1", suspend ? "peer suspended: " + result.text : result.text, now);
    }
    schedule(e, now);
    return;
  }

  // Whether this answer finishes the entry with every recipient delivered:
  // then no "delivered" record is written, the entry is discarded.
  bool all_delivered = true;
  for (const auto& r : e.rcpts) {
    const bool in_job = std::find(job.rcpts.begin(), job.rcpts.end(), r.index) != job.rcpts.end();
    if (in_job) {
      auto res = std::find_if(result.recipients.begin(), result.recipients.end(),
                              [&](const RecipientResult& x) { return x.rcpt == r.index; });
      if (res == result.recipients.end() || res->outcome != Outcome::delivered) all_delivered = false;
    } else if (r.status != RecipientStatus::delivered) {
      all_delivered = false;
    }
  }
  for (auto idx : job.rcpts) {
    Rcpt* r = mine(idx);
    if (!r) continue;
    auto res = std::find_if(result.recipients.begin(), result.recipients.end(),
                            [&](const RecipientResult& x) { return x.rcpt == idx; });
    if (res == result.recipients.end()) {
      defer(e, *r, result.relay, job.hop, "4.3.0", "no result for this recipient from the channel", now);
      continue;
    }
    switch (res->outcome) {
      case Outcome::delivered: {
        // Recorded unless the entry goes now; one that owes a report keeps it until
        // its report is queued, and the report is made from what is recorded.
        e.report_on_delivery = e.report_on_delivery || res->report_due;
        if (!all_delivered || e.report_on_delivery) {
          queue::Record rec;
          rec.kind = queue::Record::Kind::status;
          rec.time = now / kSecond;
          rec.rcpt = idx;
          rec.status = RecipientStatus::delivered;
          rec.attempts = r->attempts + 1;
          rec.dsn = res->dsn;
          rec.diagnostic = res->text;
          rec.delivery_report = res->report_due;
          if (auto ec = append(e, rec, true)) {
            // Not recorded: sent again later (a duplicate, never a loss).
            defer(e, *r, result.relay, job.hop, "4.3.0", "delivered, but cannot record it: " + ec.message(), now);
            continue;
          }
        }
        r->in_flight = false;
        r->status = RecipientStatus::delivered;
        r->next_us = 0;  // as its record says (none)
        ++r->attempts;
        r->dsn = res->dsn;
        r->diagnostic = res->text;
        Event ev = event(Event::Kind::delivered, e, *r, now);
        ev.hop = job.hop;
        ev.relay = result.relay;
        ev.dsn = res->dsn.empty() ? "2.0.0" : res->dsn;
        ev.text = res->text;
        ev.queued_us = job.queued_us;
        ev.started_us = job.started_us;
        ev.connected_us = result.connected_us;
        sink_.event(ev);
        break;
      }
      case Outcome::failed:
        ++r->attempts;
        fail(e, *r, result.relay, job.hop, res->dsn.empty() ? "5.0.0" : res->dsn, res->text, Event::Kind::failed, now);
        break;
      case Outcome::deferred:
        defer(e, *r, result.relay, job.hop, res->dsn.empty() ? "4.0.0" : res->dsn, res->text, now);
        break;
    }
  }
  if (!finish_if_done(e, now)) schedule(e, now);
}

bool Scheduler::finish_if_done(Entry& e, Micros now) {
  bool failed = false;
  for (const auto& r : e.rcpts) {
    if (pending(r)) return false;
    if (r.status == RecipientStatus::failed) failed = true;
  }
  Event ev;
  ev.id = e.id;
  ev.mts_id = e.mts_id;
  ev.arrival_us = e.arrival_us;
  ev.now_us = now;
  if (failed || e.report_on_delivery) {
    // The queue manager's report hook decides: a report queued, none due, or kept.
    ev.kind = Event::Kind::kept;
    ev.text = "kept in the queue for the operator (no report of the gateway's own applies to it)";
  } else {
    sink_.discard(e.id);
    ev.kind = Event::Kind::discarded;
    ev.text = "removed";
  }
  sink_.event(ev);
  if (e.wake_us) wakeups_.erase({e.wake_us, e.seq, &e});
  const std::string id = e.id;  // the key outlives the erase's lookup
  entries_.erase(id);
  return true;
}

std::error_code Scheduler::append(Entry& e, const queue::Record& rec, bool sync) {
  auto ec = sink_.append(e.id, rec, sync);
  // The file now holds the record too; after a failure, what it holds is not known
  // (part of the line, or none, while the state may move on regardless).
  if (ec) e.file_size = 0;
  else if (e.file_size) e.file_size += queue::encode_record(rec).size();
  return ec;
}

void Scheduler::export_one(const Entry& e, queue::ControlFile& c) const {
  static const char* apdu_names[] = {"", "message", "report", "probe"};
  c = queue::ControlFile{};
  c.id = e.id;
  c.arrival_us = e.arrival_us;
  c.held = e.held;
  c.file_size = e.file_size;
  // add() takes max(warned, arrival): the same value back.
  c.warned = e.warned_until > e.arrival_us ? e.warned_until / kSecond : 0;
  c.mts_id = e.mts_id;
  c.apdu = apdu_names[e.apdu];
  for (std::size_t i = 1; i < e.form_mts_ids.size(); ++i) {
    queue::FormRecord f;
    f.index = i;
    f.kind = (e.p1_forms >> (i - 1) & 1) ? queue::FormRecord::Kind::p1 : queue::FormRecord::Kind::rfc822;
    f.mts_id = e.form_mts_ids[i];
    c.forms.push_back(std::move(f));
  }
  for (const auto& r : e.rcpts) {
    queue::RecipientRecord rr;
    rr.index = r.index;
    rr.channel = r.channel;
    if (r.channel == Channel::p1) {
      rr.peer = names_[r.hop];
      for (auto h : lists_[r.fallback]) rr.fallback.push_back(names_[h]);
    } else if (r.channel == Channel::smtp) {
      rr.domain = names_[r.hop];
    }
    rr.form = r.form;
    rr.status = r.status;
    rr.attempts = r.attempts;
    rr.next_attempt = r.next_us > 0 ? seconds_up(r.next_us) : r.next_us / kSecond;
    rr.delivery_report = e.report_on_delivery;
    rr.address = r.address;
    rr.dsn = r.dsn;
    rr.diagnostic = r.diagnostic;
    c.recipients.push_back(std::move(rr));
  }
}

void Scheduler::export_entries(const std::function<void(queue::ControlFile&)>& each) const {
  std::vector<const Entry*> order;
  order.reserve(entries_.size());
  for (const auto& [id, e] : entries_)
    if (e.apdu <= 3) order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) { return a->id < b->id; });
  queue::ControlFile c;
  for (const Entry* e : order) {
    export_one(*e, c);
    each(c);
  }
}

std::vector<std::string> Scheduler::exportable_ids() const {
  std::vector<std::string> ids;
  ids.reserve(entries_.size());
  for (const auto& [id, e] : entries_)
    if (e.apdu <= 3) ids.push_back(id);
  return ids;
}

bool Scheduler::export_entry(const std::string& id, queue::ControlFile& out) const {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.apdu > 3) return false;
  export_one(it->second, out);
  return true;
}

Micros Scheduler::next_wakeup() const { return wakeups_.empty() ? 0 : wakeups_.begin()->at; }

bool Scheduler::hold(const std::string& id, bool held, Micros now) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  it->second.held = held;
  it->second.file_size = 0;  // the operator's record: appended by the caller, its size not known here
  schedule(it->second, now);
  return true;
}

bool Scheduler::retry(const std::string& id, Micros now) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  it->second.file_size = 0;  // as hold()
  for (auto& r : it->second.rcpts)
    if (pending(r) && !r.in_flight && !r.reserved) {
      r.next_us = 0;
      r.step = 0;
    }
  schedule(it->second, now);
  return true;
}

void Scheduler::flush(Micros now) {
  for (auto& [id, e] : entries_) {
    if (e.held) continue;  // not even a flush sends what is on hold
    bool changed = false;
    for (auto& r : e.rcpts)
      if (r.status == RecipientStatus::deferred && !r.in_flight && !r.reserved && r.next_us > now) {
        r.next_us = 0;
        r.step = 0;
        changed = true;
      }
    if (!changed) continue;
    e.file_size = 0;  // due now, not when its file says (nothing is recorded for a flush)
    schedule(e, now);
  }
}

bool Scheduler::remove(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  if (it->second.wake_us) wakeups_.erase({it->second.wake_us, it->second.seq, &it->second});
  entries_.erase(it);
  return true;
}

void Scheduler::resume_all(Micros now) {
  bool any = false;
  for (auto& [key, hop] : hops_)
    if (hop.suspended) {
      hop.suspended = false;
      hop.reason.clear();
      any = true;
    }
  (void)any;
  // Also: a channel may have been enabled. Every entry looks again.
  for (auto& [id, e] : entries_) schedule(e, now);
}

bool Scheduler::suspended(Channel c, const std::string& hop) const {
  auto n = name_ids_.find(hop);
  if (n == name_ids_.end()) return false;
  auto it = hops_.find(HopKey{c, n->second});
  return it != hops_.end() && it->second.suspended;
}

ChannelStats Scheduler::stats(Channel c) const {
  ChannelStats s;
  for (const auto& [id, e] : entries_)
    for (const auto& r : e.rcpts)
      if (r.channel == c && pending(r)) {
        ++s.recipients;
        if (r.status == RecipientStatus::deferred) ++s.deferred;
      }
  s.jobs = running_[channel_slot(c)];
  for (const auto& [key, hop] : hops_)
    if (key.channel == c && hop.suspended) ++s.hops_suspended;
  return s;
}

}  // namespace mixer::qmgr
