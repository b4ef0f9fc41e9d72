// smtp/client/delivery.cpp: one message to its next hop, host after host
// (see delivery.hpp).
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's -Wmismatched-new-delete false positive on Asio coroutine frames
// (see p1/association/initiator.cpp; valgrind finds nothing here).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "smtp/client/delivery.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "smtp/client/transport.hpp"

namespace mixer::smtp::client {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kSlotRecheck{1000};  // a waiting call looks again at least this often (a lost wake-up)

std::shared_ptr<asio::ssl::context> make_context(bool verify, const std::string& ca_file) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  if (verify) {
    boost::system::error_code ec;
    if (ca_file.empty()) ctx->set_default_verify_paths(ec);
    else ctx->load_verify_file(ca_file, ec);
    if (ec) throw std::runtime_error("cannot load the CA certificates " + (ca_file.empty() ? std::string("of the system") : "'" + ca_file + "'") + ": " + ec.message());
  }
  return ctx;
}

RecipientOutcome outcome(RecipientOutcome::Kind kind, proto::Reply reply, bool from_server, bool dsn = false) {
  RecipientOutcome o;
  o.kind = kind;
  o.reply = std::move(reply);
  o.from_server = from_server;
  o.relayed_dsn_due = dsn;
  return o;
}

// A deferred recipient that another host may take: nothing of the message
// can have been delivered (the content was not sent, or the server said
// 421), and the refusal was not the server's word on this recipient.
bool may_try_next_host(const RecipientResult& rr) {
  if (rr.reply.code == 421) return true;
  if (rr.stage == Command::end_of_data) return false;  // maybe delivered (RFC 1047)
  return !rr.from_server || rr.stage == Command::mail;
}

struct Slot {  // gives a connection slot back however the call ends
  std::function<void()> release;
  ~Slot() {
    if (release) release();
  }
};

}  // namespace

std::string_view kind_name(RecipientOutcome::Kind kind) {
  switch (kind) {
    case RecipientOutcome::Kind::delivered: return "delivered";
    case RecipientOutcome::Kind::deferred: return "deferred";
    case RecipientOutcome::Kind::failed: return "failed";
  }
  return "?";
}

std::string Deliverer::Target::text() const {
  return name + "[" + address + "]:" + std::to_string(port);
}

Deliverer::Deliverer(DelivererSettings settings, std::shared_ptr<Resolver> resolver, Log log)
    : settings_(std::move(settings)), resolver_(std::move(resolver)), log_(std::move(log)) {
  tls_none_ = make_context(false, {});
  tls_verify_ = make_context(true, settings_.ca_file);
  pool_ = new_pool();
}

Deliverer::~Deliverer() { close_idle(); }

namespace {
// How many unreachable hosts are remembered at most (the oldest are forgotten first).
constexpr std::size_t kMaxDeadHosts = 4096;
}  // namespace

std::optional<std::string> Deliverer::dead(const Target& target) const {
  if (settings_.dead_host_time.count() <= 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (dead_.empty()) return std::nullopt;  // the usual case: no key to make
  auto it = dead_.find(target.address + ":" + std::to_string(target.port));
  if (it == dead_.end()) return std::nullopt;
  const auto age = std::chrono::steady_clock::now() - it->second.since;
  if (age >= settings_.dead_host_time) return std::nullopt;
  auto secs = [](auto d) { return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()); };
  return target.text() + ": unreachable " + secs(age) + " s ago (" + it->second.why + "); tried again after " +
         secs(settings_.dead_host_time - age + std::chrono::milliseconds(999)) + " s";
}

void Deliverer::note_reachable(const Target& target, bool reachable, const std::string& why) {
  if (settings_.dead_host_time.count() <= 0) return;
  std::lock_guard lock(mutex_);
  if (reachable && dead_.empty()) return;  // every delivery comes here: nothing to forget
  const auto key = target.address + ":" + std::to_string(target.port);
  if (reachable) {
    dead_.erase(key);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (dead_.size() >= kMaxDeadHosts && !dead_.count(key)) {
    std::erase_if(dead_, [&](const auto& e) { return now - e.second.since >= settings_.dead_host_time; });
    if (dead_.size() >= kMaxDeadHosts)
      dead_.erase(std::min_element(dead_.begin(), dead_.end(),
                                   [](const auto& a, const auto& b) { return a.second.since < b.second.since; }));
  }
  dead_[key] = DeadHost{now, why};
}

void Deliverer::log(LogLevel level, const std::string& line) const {
  if (log_) log_(level, line);
}

std::size_t Deliverer::connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

milliseconds Deliverer::reply_timeout(Command c) const {
  milliseconds t = std::chrono::seconds(reply_timeout_seconds(c));
  if (settings_.reply_timeout_max) t = std::min(t, *settings_.reply_timeout_max);
  return t;
}

asio::awaitable<void> Deliverer::acquire(const std::string& destination) {
  while (true) {
    std::shared_ptr<asio::steady_timer> wake;
    {
      std::lock_guard lock(mutex_);
      auto it = per_destination_.find(destination);
      const std::size_t n = it == per_destination_.end() ? 0 : it->second;
      if (open_ < settings_.max_connections && n < settings_.max_per_destination) {
        ++open_;
        ++per_destination_[destination];
        co_return;
      }
      // Woken by release() (on this coroutine's executor, so after it waits).
      wake = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, kSlotRecheck);
      waiters_.push_back(wake);
    }
    co_await wake->async_wait(as_tuple(use_awaitable));
    std::lock_guard lock(mutex_);
    std::erase(waiters_, wake);
  }
}

void Deliverer::release(const std::string& destination) {
  std::vector<std::shared_ptr<asio::steady_timer>> waiting;
  {
    std::lock_guard lock(mutex_);
    --open_;
    auto it = per_destination_.find(destination);
    if (it != per_destination_.end() && --it->second == 0) per_destination_.erase(it);
    waiting.swap(waiters_);
  }
  for (auto& w : waiting) asio::post(w->get_executor(), [w] { w->cancel(); });  // each looks again
}

asio::awaitable<std::vector<Deliverer::Target>> Deliverer::targets(const Route& route, const std::string& domain,
                                                                   std::optional<ResolveError>& error) {
  std::vector<Target> out;
  if (route.via_mx()) {
    Resolution r = co_await resolver_->resolve_mx(domain);
    if (r.error) {
      error = r.error;
      co_return out;
    }
    log(LogLevel::debug, domain + ": " + (r.implicit ? "no MX, its own address: " : "MX: ") + r.text());
    const std::uint16_t port = route.port.value_or(settings_.mx_port);
    for (const auto& h : r.hosts)
      for (const auto& a : h.addresses) out.push_back({h.name, a, port});
    co_return out;
  }
  for (const auto& hp : route.smart_hosts) {
    Resolution r = co_await resolver_->resolve_host(hp.host);
    if (r.error) {
      // Our own configuration's fault, not the recipient's: never permanent.
      const std::string text = "smart host " + hp.text() + ": " + r.error->text;
      error = ResolveError{proto::Reply(451, "4.4.3", text), false, text};
      log(LogLevel::warning, text);
      continue;
    }
    for (const auto& h : r.hosts)
      for (const auto& a : h.addresses) out.push_back({hp.host, a, hp.port});
  }
  if (!out.empty()) error.reset();
  co_return out;
}

asio::awaitable<DeliveryResult> Deliverer::deliver(const OutboundMessage& m) {
  using Kind = RecipientOutcome::Kind;
  DeliveryResult result;
  result.relay = "none";
  const std::size_t n = m.envelope.rcpts.size();
  result.recipients.assign(n, outcome(Kind::deferred, proto::Reply(451, "4.3.0", "not attempted"), false));
  auto all = [&](Kind kind, const proto::Reply& reply, bool from_server, const std::vector<std::size_t>& which) {
    for (auto i : which) result.recipients[i] = outcome(kind, reply, from_server);
  };
  std::vector<std::size_t> pending(n);
  for (std::size_t i = 0; i < n; ++i) pending[i] = i;
  try {
    const Route route = settings_.routes.match(m.domain);
    const std::string destination = destination_key(route, m.domain);
    // The next hops: first a connection kept from the last delivery to this destination, with
    // no DNS lookup (Postfix's connection cache by destination); the resolved hosts only for
    // what it did not take. Resolution happens before a connection slot is taken.
    std::vector<Target> hops;
    bool resolved = false;
    auto resolve = [&](std::optional<ResolveError>& rerr) -> asio::awaitable<bool> {
      resolved = true;
      auto more = co_await targets(route, m.domain, rerr);
      if (more.empty() && !rerr)
        rerr = ResolveError{proto::Reply(451, "4.4.3", "no next hop for " + m.domain), false, "no next hop"};
      hops.insert(hops.end(), more.begin(), more.end());
      co_return !more.empty();
    };
    if (auto kept = idle_target(destination, route)) {
      hops.push_back(*kept);
    } else if (std::optional<ResolveError> rerr; !co_await resolve(rerr)) {
      all(rerr->permanent ? Kind::failed : Kind::deferred, rerr->reply, false, pending);
      result.detail = rerr->text;
      co_return result;
    }
    co_await acquire(destination);
    Slot slot{[this, destination] { release(destination); }};

    SevenBit seven_bit;  // made once, for the first server without 8BITMIME
    seven_bit.outbound = &m;
    proto::Reply last(451, "4.4.1", "no host of " + destination + " could be reached");
    bool last_from_server = false;
    for (std::size_t h = 0; !pending.empty(); ++h) {
      if (h == hops.size()) {  // the kept connection did not take everything: the resolved hosts
        if (resolved) break;
        if (std::optional<ResolveError> rerr; !co_await resolve(rerr)) {
          all(rerr->permanent ? Kind::failed : Kind::deferred, rerr->reply, false, pending);
          result.detail = rerr->text;
          pending.clear();
          break;
        }
      }
      const Target target = hops[h];  // a copy: hops may grow
      Message msg;
      msg.envelope.mail = m.envelope.mail;
      if (m.eight_bit) msg.envelope.mail.body = proto::Body::eight_bit_mime;
      for (auto i : pending) msg.envelope.rcpts.push_back(m.envelope.rcpts[i]);
      msg.content = m.content;
      msg.verify_only = m.verify_only;

      // RFC 5321 §4.5.4.1 leaves it to the client how often a host is tried: one found
      // unreachable a moment ago is not tried by every message (Postfix's dead hosts).
      if (auto why = dead(target)) {
        log(LogLevel::info, "not trying " + *why);
        if (!last_from_server) last = proto::Reply(451, "4.4.1", "not tried: " + *why);  // a server's reply says more
        if (result.relay == "none") result.detail = "not tried: " + *why;
        continue;
      }
      Attempt a = co_await attempt(target, destination, route, msg, seven_bit, false);
      if (!a.reused) note_reachable(target, !a.unreachable, a.detail);
      if (a.tls_failed && route.tls == TlsPolicy::opportunistic) {
        log(LogLevel::info, "retrying " + target.text() + " without TLS after the failed handshake");
        a = co_await attempt(target, destination, route, msg, seven_bit, true);
      }
      if (!a.connected) {
        last = proto::Reply(451, "4.4.1", a.detail);
        last_from_server = false;
        result.detail = a.detail;
        continue;
      }
      if (a.tls_failed) {  // tls: required, and the handshake or the certificate failed
        last = proto::Reply(451, "4.7.5", a.detail);
        last_from_server = false;
        result.detail = a.detail;
        continue;
      }
      if (a.refused) {  // the server's EHLO made the message impossible there
        result.relay = target.text();
        result.tls = a.tls;
        const auto& sr = *a.refused;
        result.needs_seven_bit = sr.refusal == Refusal::needs_8bitmime && !m.seven_bit;
        const bool permanent = sr.refusal != Refusal::not_ready;
        all(permanent ? Kind::failed : Kind::deferred, sr.reply, false, pending);
        result.detail = sr.reply.text() + " (" + target.text() + ")";
        pending.clear();
        break;
      }
      if (a.result) {
        result.relay = target.text();
        result.tls = a.tls;
        result.sent_seven_bit = a.seven_bit;
        std::vector<std::size_t> again;
        const auto& rrs = a.result->recipients;
        for (std::size_t k = 0; k < rrs.size() && k < pending.size(); ++k) {
          const auto& rr = rrs[k];
          const std::size_t i = pending[k];
          switch (rr.status) {
            case RecipientStatus::delivered:
              result.recipients[i] = outcome(Kind::delivered, rr.reply, rr.from_server, rr.relayed_dsn_due);
              break;
            case RecipientStatus::failed:
              result.recipients[i] = outcome(Kind::failed, rr.reply, rr.from_server);
              break;
            default:
              result.recipients[i] = outcome(Kind::deferred, rr.reply, rr.from_server);
              if (may_try_next_host(rr)) again.push_back(i);
              break;
          }
          if (!rr.reply.lines.empty()) result.detail = rr.reply.text();
        }
        if (a.error) result.detail = a.error->text;
        if (!again.empty()) {
          last = result.recipients[again.front()].reply;
          last_from_server = result.recipients[again.front()].from_server;
        }
        pending = std::move(again);
        continue;
      }
      if (a.error) {  // before the message: greeting, EHLO, STARTTLS, 421
        last = a.error->reply;
        last_from_server = a.error->from_server;
        result.detail = a.error->text + " (" + target.text() + ")";
        result.relay = target.text();
        continue;
      }
    }
    // What no host took is deferred with the last host's reason (a 5xx at
    // greeting or EHLO is about the host, not the recipient).
    if (!pending.empty()) {
      if (last.code >= 500) last = proto::Reply(451, last.enhanced.empty() ? "4.4.0" : "4" + last.enhanced.substr(1),
                                               "the last host said: " + last.text());
      all(Kind::deferred, last, last_from_server, pending);
    }
  } catch (const std::exception& e) {  // a defect of ours: nothing is lost, try later
    all(Kind::deferred, proto::Reply(451, "4.3.0", std::string("internal error: ") + e.what()), false, pending);
    result.detail = std::string("internal error: ") + e.what();
    log(LogLevel::error, "delivery to " + m.domain + ": " + result.detail);
  }
  co_return result;
}

}  // namespace mixer::smtp::client
