// gateway/p1_sender.cpp: the outbound P1 channel (see p1_sender.hpp).
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's -Wmismatched-new-delete false positive on Asio coroutine frames
// (see p1/association/initiator.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "gateway/p1_sender.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "gateway/intake.hpp"
#include "gateway/log.hpp"
#include "gateway/p1_config.hpp"
#include "p1/association/initiator.hpp"

namespace mixer::gateway {

namespace asio = boost::asio;
namespace pa = p1::association;

namespace {

std::int64_t unix_now() { return static_cast<std::int64_t>(::time(nullptr)); }

std::string seconds_since(std::int64_t arrival_us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::max<double>(0, double(now_us() - arrival_us) / 1e6));
  return buf;
}

}  // namespace

// What one association transfers: the due APDUs of its peer, in order.
class P1Sender::Outbound : public pa::OutboundQueue {
 public:
  Outbound(P1Sender& s, std::string peer, std::string relay) : s_(s), peer_(std::move(peer)), relay_(std::move(relay)) {}

  std::optional<pa::OutboundApdu> next() override {
    if (s_.stopping_) return std::nullopt;
    auto pit = s_.peers_.find(peer_);
    if (pit == s_.peers_.end()) return std::nullopt;
    const std::int64_t now = unix_now();
    for (auto it = pit->second.ids.begin(); it != pit->second.ids.end();) {
      const std::string id = *it++;
      Item* item = s_.find(id);
      if (!item || item->held || item->in_flight || item->next > now) continue;
      auto content = s_.store_.form(id, item->form);
      if (!content) {  // deleted underneath us (mixer queue delete)
        s_.erase(id);
        continue;
      }
      item->in_flight = true;
      ++offered;
      return pa::OutboundApdu{id, pa::Bytes(content->begin(), content->end())};
    }
    return std::nullopt;
  }
  void confirmed(const std::string& id) override { s_.confirmed(id, relay_); }
  void failed(const std::string& id, const pa::Failure& f) override {
    s_.deferred(id, relay_, f.what, f.kind == pa::FailureClass::permanent);
  }
  std::size_t offered = 0;

 private:
  P1Sender& s_;
  std::string peer_, relay_;
};

P1Sender::P1Sender(asio::io_context& io, RuntimeHolder& runtime, queue::Store& store, queue::QueueIndex& index)
    : io_(io), strand_(asio::make_strand(io)), timer_(strand_), runtime_(runtime), store_(store), index_(index) {}

void P1Sender::add(const queue::ControlFile& entry) {
  std::vector<Item> items;
  for (const auto& r : entry.recipients) {
    if (r.channel != queue::Channel::p1 || r.peer.empty()) continue;
    if (r.status != queue::RecipientStatus::queued && r.status != queue::RecipientStatus::deferred) continue;
    // What goes to the peer is an MTS-APDU: the content as received over P1, or a converted P1 form.
    const bool apdu = r.form == 0 ? !entry.apdu.empty()
                                  : r.form <= entry.forms.size() && entry.forms[r.form - 1].kind == queue::FormRecord::Kind::p1;
    if (!apdu) continue;
    Item it;
    it.form = r.form;
    it.id = entry.id;
    it.peer = r.peer;
    it.mts_id = r.form ? entry.forms[r.form - 1].mts_id : entry.mts_id;
    it.rcpt = r.index;
    it.attempts = r.attempts;
    it.next = r.next_attempt;
    it.arrival_us = entry.arrival_us;
    it.held = entry.held;
    items.push_back(std::move(it));
    break;  // one APDU goes to one peer: the first p1 recipient decides
  }
  if (items.empty()) return;
  asio::post(strand_, [this, items = std::move(items)] {
    for (const auto& it : items) {
      peers_[it.peer].ids.insert(it.id);
      items_[it.id] = it;
      pending_ = items_.size();
    }
    rearm();
  });
}

void P1Sender::hold(const std::string& id, bool held) {
  asio::post(strand_, [this, id, held] {
    if (Item* it = find(id)) it->held = held;
    rearm();
  });
}

void P1Sender::retry(const std::string& id) {
  asio::post(strand_, [this, id] {
    if (Item* it = find(id)) it->next = 0;
    rearm();
  });
}

void P1Sender::retry_all() {
  asio::post(strand_, [this] {
    for (auto& [id, it] : items_) it.next = 0;
    rearm();
  });
}

void P1Sender::forget(const std::string& id) {
  asio::post(strand_, [this, id] { erase(id); });
}

void P1Sender::stop(std::function<void()> drained) {
  asio::post(strand_, [this, drained = std::move(drained)] {
    stopping_ = true;
    timer_.cancel();
    if (running_ == 0) return drained();
    drained_ = drained;
  });
}

std::string P1Sender::stats() {
  return "p1_pending=" + std::to_string(pending_.load()) + " p1_associations_out=" + std::to_string(running_.load());
}

P1Sender::Item* P1Sender::find(const std::string& id) {
  auto it = items_.find(id);
  return it == items_.end() ? nullptr : &it->second;
}

void P1Sender::erase(const std::string& id) {
  auto it = items_.find(id);
  if (it == items_.end()) return;
  auto pit = peers_.find(it->second.peer);
  if (pit != peers_.end()) pit->second.ids.erase(id);
  items_.erase(it);
  pending_ = items_.size();
}

void P1Sender::rearm() {
  if (stopping_) return;
  std::int64_t now = unix_now();
  auto rt = runtime_.get();
  for (auto& [name, peer] : peers_) {
    const auto* configured = rt->config.p1.peer(name);
    std::size_t max = configured ? configured->associations : 1;
    if (peer.busy_cap) max = std::min(max, peer.busy_cap);
    if (peer.running >= max) continue;
    std::size_t due = 0;  // waiting for an association to take them
    for (const auto& id : peer.ids) {
      const Item& it = items_.at(id);
      if (!it.held && !it.in_flight && it.next <= now && ++due >= max) break;
    }
    while (peer.running < std::min(max, due)) {
      const std::size_t before = peer.running;
      start(name);
      if (peer.running == before) break;  // not startable (peer gone from the table): deferred
    }
  }
  now = unix_now();
  std::int64_t wake = 0;
  for (auto& [name, peer] : peers_) {
    if (peer.running) continue;  // finished() rearms
    for (const auto& id : peer.ids) {
      const Item& it = items_.at(id);
      if (!it.held && (wake == 0 || it.next < wake)) wake = it.next;
    }
  }
  if (wake) {
    timer_.expires_after(std::chrono::seconds(std::max<std::int64_t>(1, wake - now)));
    timer_.async_wait(asio::bind_executor(strand_, [this](boost::system::error_code ec) {
      if (!ec) rearm();
    }));
  }
}

void P1Sender::start(const std::string& name) {
  auto rt = runtime_.get();
  Peer& peer = peers_[name];
  const conf::P1Peer* configured = rt->config.p1.peer(name);
  if (!configured || configured->host.empty()) {
    // The operator removed the peer (or its host) from the table: defer, do not lose.
    std::vector<std::string> ids(peer.ids.begin(), peer.ids.end());
    for (const auto& id : ids)
      if (Item* it = find(id); it && !it->held && it->next <= unix_now())
        deferred(id, name, configured ? "peer MTA has no host in p1.peers" : "no peer MTA '" + name + "' in p1.peers",
                 false);
    return;
  }
  ++peer.running;
  ++running_;
  const std::string relay = name + "[" + configured->host + "]:" + std::to_string(configured->port);
  auto settings = initiator_settings(rt->config);
  auto ps = peer_settings(*configured);
  asio::co_spawn(
      strand_,
      [this, name, relay, settings, ps]() -> asio::awaitable<void> {
        Outbound queue(*this, name, relay);
        auto report = co_await pa::run_initiator(settings, ps, queue, [](const std::string& line) { log_info("p1", line); });
        Peer& peer = peers_[name];
        const bool busy = report.bind_error && *report.bind_error == p1::mta::BindError::busy;
        if (!report.bound && busy && peer.running > 1) {
          // One more than the peer takes: no reason to wait, but no more of them.
          peer.busy_cap = peer.running - 1;
          log_info("p1", "peer " + name + " is busy: at most " + std::to_string(peer.busy_cap) + " associations for now");
        } else if (!report.bound) {
          // Nothing was handed over: every due APDU of this peer waits for the next attempt.
          const std::string why = report.answer.empty() ? report.failure.what : report.answer;
          std::vector<std::string> ids(peers_[name].ids.begin(), peers_[name].ids.end());
          const std::int64_t now = unix_now();
          for (const auto& id : ids)
            if (Item* it = find(id); it && !it->held && !it->in_flight && it->next <= now) deferred(id, relay, why, false);
        }
        finished(name);
      },
      [this, name](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& x) {
            log_error("p1", "association to " + name + " failed: " + x.what());
          }
          for (auto& [id, it] : items_)
            if (it.peer == name) it.in_flight = false;
          finished(name);
        }
      });
}

void P1Sender::finished(const std::string& name) {
  auto& peer = peers_[name];
  if (!peer.running) return;
  --peer.running;
  --running_;
  if (peer.running == 0) peer.busy_cap = 0;
  if (stopping_) {
    if (running_ == 0 && drained_) std::exchange(drained_, nullptr)();
    return;
  }
  rearm();
}

void P1Sender::confirmed(const std::string& id, const std::string& relay) {
  Item* it = find(id);
  if (!it) return;
  const std::string line = id + ": to=<" + it->peer + ">, relay=" + relay +
                           (it->mts_id.empty() ? "" : ", mts-id=" + it->mts_id) + ", delay=" + seconds_since(it->arrival_us) +
                           ", dsn=2.0.0, status=sent (transfer confirmed by " + it->peer + ")";
  if (auto ec = store_.discard(id)) log_warning("queue", id + ": sent, but removing it failed: " + ec.message());
  index_.erase(id);
  erase(id);
  log_info("p1", line);
}

void P1Sender::deferred(const std::string& id, const std::string& relay, const std::string& why, bool permanent) {
  Item* it = find(id);
  if (!it) return;
  it->in_flight = false;
  const auto& p1 = runtime_.get()->config.p1;
  const std::int64_t now = unix_now();
  ++it->attempts;
  const bool expired = now_us() - it->arrival_us > std::chrono::duration_cast<std::chrono::microseconds>(p1.lifetime).count();
  queue::Record r;
  r.kind = queue::Record::Kind::status;
  r.time = now;
  r.rcpt = it->rcpt;
  r.attempts = it->attempts;
  if (permanent || expired) {
    r.status = queue::RecipientStatus::failed;
    r.dsn = expired && !permanent ? "4.4.7" : "5.4.0";
    r.diagnostic = expired && !permanent ? "expired after " + std::to_string(it->attempts) + " attempts: " + why : why;
    if (auto ec = store_.append(id, r)) log_error("queue", id + ": cannot record the failure: " + ec.message());
    log_warning("p1", id + ": to=<" + it->peer + ">, relay=" + relay + ", delay=" + seconds_since(it->arrival_us) +
                          ", dsn=" + r.dsn + ", status=failed (" + r.diagnostic +
                          "); kept in the queue for the operator (non-delivery reports are not implemented yet)");
    erase(id);
    return;
  }
  // Exponential backoff: initial, doubling, at most max.
  auto delay = p1.retry_initial;
  for (unsigned i = 1; i < it->attempts && delay < p1.retry_max; ++i) delay *= 2;
  delay = std::min(delay, p1.retry_max);
  const std::int64_t secs = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(delay).count());
  it->next = now + secs;
  r.status = queue::RecipientStatus::deferred;
  r.next_attempt = it->next;
  r.dsn = "4.4.1";
  r.diagnostic = why;
  // Advisory: losing it in a crash only means an earlier retry.
  if (auto ec = store_.append(id, r, false)) log_error("queue", id + ": cannot record the deferral: " + ec.message());
  log_info("p1", id + ": to=<" + it->peer + ">, relay=" + relay + ", delay=" + seconds_since(it->arrival_us) +
                     ", dsn=4.4.1, status=deferred (" + why + "), next attempt in " + std::to_string(secs) + "s");
}

}  // namespace mixer::gateway
