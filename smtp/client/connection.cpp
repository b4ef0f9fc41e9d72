// smtp/client/connection.cpp: one SMTP connection to one target, driven by
// the ClientSession (connect, greeting, EHLO, STARTTLS, the message, QUIT),
// and the pool of idle connections kept for the next message to the same
// host (RFC 5321 §4.5.4.1 lets a client send several transactions on one
// connection).
//
// Threads: each connection has its own strand, and everything touching its
// transport or session (the conversation, the idle timer, the QUIT) runs
// there, spawned from the delivering coroutine, which waits for it. So a
// connection made by one delivery can serve the next one whatever strand
// that one runs on. The pool itself is guarded by its mutex.
//
// Trusts the Deliverer's settings and TLS contexts; trusts nothing the
// server sends (ClientSession checks every reply; transport.hpp bounds
// every wait).
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's -Wmismatched-new-delete false positive on Asio coroutine frames
// (see p1/association/initiator.cpp; valgrind finds nothing here).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>

#include "smtp/client/delivery.hpp"
#include "smtp/client/transport.hpp"

namespace mixer::smtp::client {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;
using std::chrono::milliseconds;

namespace {
constexpr milliseconds kQuitTimeout{2000};  // for the polite QUIT after a failure or when idle ends
}

struct Deliverer::Conn {
  explicit Conn(const asio::any_io_executor& executor)
      : strand(asio::make_strand(executor)),
        transport(std::make_shared<ClientTransport>(strand)),
        idle_timer(strand) {}
  asio::strand<asio::any_io_executor> strand;
  std::shared_ptr<ClientTransport> transport;
  std::unique_ptr<ClientSession> session;
  asio::steady_timer idle_timer;
  std::string key;   // target and TLS policy: who may reuse it
  std::string destination;  // the destination_key() it was opened for
  Target target;            // where it goes
  std::string tls;   // the TLS description, "" in clear
  // Guarded by Pool::mutex:
  bool in_use = true;
  std::uint64_t generation = 0;  // one more each time it goes idle
};

struct Deliverer::Pool {
  std::mutex mutex;
  std::multimap<std::string, std::shared_ptr<Conn>> idle;
  bool closed = false;
};

std::shared_ptr<Deliverer::Pool> Deliverer::new_pool() { return std::make_shared<Pool>(); }

const Message* Deliverer::SevenBit::message_for(const Message& eight_bit) {
  if (!outbound || !outbound->seven_bit) return nullptr;
  if (!form) form = outbound->seven_bit();
  if (!form->content) return nullptr;
  message = eight_bit;
  message.envelope.mail.body = proto::Body::seven_bit;
  message.envelope.mail.size.reset();  // the 7-bit form's own, counted by the session
  message.content.assign(1, std::string_view(*form->content));
  return &message;
}

asio::awaitable<Deliverer::Attempt> Deliverer::converse(Conn& c, const Target& target, const Route& route,
                                                        const Message& message, SevenBit& seven_bit, bool in_clear,
                                                        bool reused) {
  Attempt a;
  a.reused = reused;
  auto& transport = *c.transport;
  struct Closer {  // closes the connection unless it is kept for the next message
    Conn& c;
    Attempt& a;
    ~Closer() {
      if (!a.reusable) c.transport->close();
    }
  } closer{c, a};

  if (!reused) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(target.address, ec);
    if (ec) {
      a.detail = "bad address " + target.text();
      co_return a;
    }
    ec = co_await transport.connect({address, target.port}, settings_.connect_timeout);
    if (ec) {
      a.detail = "connect to " + target.text() + ": " + (transport.timed_out() ? "Connection timed out" : ec.message());
      a.unreachable = true;
      log(LogLevel::info, a.detail);
      co_return a;
    }
    ClientSettings cs;
    cs.helo_name = settings_.helo_name;
    cs.tls = in_clear ? TlsPolicy::none : route.tls;
    cs.use_pipelining = settings_.use_pipelining;
    cs.limits = settings_.reply_limits;
    c.session = std::make_unique<ClientSession>(cs);
  }
  a.connected = true;
  a.tls = c.tls;
  ClientSession& session = *c.session;
  std::array<char, 16384> buffer;
  std::array<std::string_view, 64> pieces;
  bool started = false;
  auto start = [&] {
    started = true;
    auto sr = session.start_message(message);
    // RFC 6152 §3: a server without 8BITMIME gets the 7-bit form, on this connection (the
    // refusal left the session idle), or the recipients fail with the downgrade's refusal.
    if (sr.refusal == Refusal::needs_8bitmime && seven_bit.outbound && seven_bit.outbound->seven_bit) {
      if (const Message* seven = seven_bit.message_for(message)) {
        log(LogLevel::info, target.text() + " does not offer 8BITMIME: sending the 7-bit form (RFC 6152 \xC2\xA7" "3)");
        sr = session.start_message(*seven);
        a.seven_bit = sr.ok();
      } else {
        sr.reply = seven_bit.form->refusal;
        log(LogLevel::info, target.text() + " does not offer 8BITMIME, and the message has no 7-bit form: " +
                                sr.reply.text());
      }
    }
    if (!sr.ok()) {
      a.refused = sr;
      session.quit();
    }
  };
  if (reused) start();  // the session is idle: its `ready` was taken by the last message

  while (true) {
    while (auto ev = session.next_event()) {
      switch (ev->kind) {
        case Event::Kind::ready:
          if (!started) {
            start();
          } else if (settings_.reuse_time.count() > 0 && a.result) {
            a.reusable = true;  // idle, in step: keep it
            co_return a;
          } else {
            session.quit();
          }
          break;
        case Event::Kind::start_tls: {
          auto& ctx = route.verify == Verify::none ? *tls_none_ : *tls_verify_;
          auto ec = co_await transport.start_tls(ctx, route.verify, target.name, reply_timeout(Command::starttls));
          if (ec) {
            a.tls_failed = true;
            const std::string why = !transport.verify_error().empty() ? transport.verify_error()
                                    : transport.timed_out()            ? "timed out"
                                                                       : ec.message();
            a.detail = "TLS handshake with " + target.text() + " failed: " + why;
            log(LogLevel::warning, a.detail);
            co_return a;
          }
          a.tls = c.tls = transport.tls_description();
          log(LogLevel::info, std::string(route.verify == Verify::none ? "Anonymous" : "Verified") +
                                  " TLS connection established to " + target.text() + ": " + a.tls);
          session.tls_started();
          break;
        }
        case Event::Kind::message_done:
          a.result = std::move(ev->result);
          break;
        case Event::Kind::failed:
          a.error = std::move(ev->error);
          if (session.has_output()) {  // QUIT when still in step; best effort
            const std::size_t n = session.output_pieces(pieces);
            co_await transport.write({pieces.data(), n}, kQuitTimeout);
          }
          co_return a;
        case Event::Kind::closed:
          co_return a;
      }
    }
    if (session.has_output()) {
      const std::size_t n = session.output_pieces(pieces);
      std::size_t total = 0;
      for (std::size_t i = 0; i < n; ++i) total += pieces[i].size();
      milliseconds limit = std::chrono::seconds(kDataBlockTimeoutSeconds);
      if (settings_.reply_timeout_max) limit = std::min(limit, *settings_.reply_timeout_max);
      auto ec = co_await transport.write({pieces.data(), n}, limit);
      if (ec) {
        if (transport.timed_out()) session.on_timeout();
        else session.on_closed();
        continue;
      }
      session.wrote(total);
      continue;
    }
    const auto awaited = session.awaiting();
    if (!awaited) {  // nothing to write, nothing awaited, no event: cannot go on
      if (!session.finished()) session.on_closed();
      if (!session.has_events()) co_return a;
      continue;
    }
    auto [ec, n] = co_await transport.read_some(asio::buffer(buffer), reply_timeout(*awaited));
    if (ec) {
      if (transport.timed_out()) session.on_timeout();
      else session.on_closed();
      continue;
    }
    session.on_input({buffer.data(), n});
  }
}

std::string Deliverer::pool_key(const Target& target, const Route& route, bool in_clear) {
  return target.text() + (in_clear ? " clear" : route.tls == TlsPolicy::required ? " tls" : " may") +
         " verify=" + std::to_string(static_cast<int>(route.verify));
}

std::optional<Deliverer::Target> Deliverer::idle_target(const std::string& destination, const Route& route) const {
  if (settings_.reuse_time.count() <= 0) return std::nullopt;
  std::lock_guard lock(pool_->mutex);
  for (const auto& [key, conn] : pool_->idle)
    if (conn->destination == destination && key == pool_key(conn->target, route, false)) return conn->target;
  return std::nullopt;
}

asio::awaitable<Deliverer::Attempt> Deliverer::attempt(const Target& target, const std::string& destination,
                                                       const Route& route, const Message& message,
                                                       SevenBit& seven_bit, bool in_clear) {
  const std::string key = pool_key(target, route, in_clear);
  auto fresh = [&](const asio::any_io_executor& ex) {
    auto c = std::make_shared<Conn>(ex);
    c->key = key;
    c->destination = destination;
    c->target = target;
    return c;
  };
  std::shared_ptr<Conn> conn = take_idle(key);
  const bool reused = conn != nullptr;
  if (!conn) conn = fresh(co_await asio::this_coro::executor);
  Attempt a = co_await asio::co_spawn(conn->strand,
                                      converse(*conn, target, route, message, seven_bit, in_clear, reused),
                                      use_awaitable);
  if (reused && went_stale(a)) {
    log(LogLevel::debug, "kept connection to " + target.text() + " was gone; connecting again");
    conn = fresh(co_await asio::this_coro::executor);
    a = co_await asio::co_spawn(conn->strand, converse(*conn, target, route, message, seven_bit, in_clear, false),
                                use_awaitable);
  }
  if (a.reusable) keep_idle(std::move(conn));
  co_return a;
}

std::shared_ptr<Deliverer::Conn> Deliverer::take_idle(const std::string& key) {
  if (settings_.reuse_time.count() <= 0) return nullptr;
  std::lock_guard lock(pool_->mutex);
  auto it = pool_->idle.find(key);
  if (it == pool_->idle.end()) return nullptr;
  auto conn = std::move(it->second);
  pool_->idle.erase(it);
  conn->in_use = true;
  asio::post(conn->strand, [conn] { conn->idle_timer.cancel(); });  // its sweeper gives up
  return conn;
}

// QUIT when the session is idle, then close; on the connection's strand.
asio::awaitable<void> Deliverer::quit_and_close(std::shared_ptr<Conn> conn) {
  auto& c = *conn;
  if (c.session && c.session->quit()) {
    std::array<std::string_view, 8> pieces;
    const std::size_t n = c.session->output_pieces(pieces);
    if (!co_await c.transport->write({pieces.data(), n}, kQuitTimeout)) {
      std::array<char, 512> buffer;  // the 221, or whatever comes first
      co_await c.transport->read_some(asio::buffer(buffer), kQuitTimeout);
    }
  }
  c.transport->close();
}

// Closes `conn` once it has been idle for `after`, unless it was taken again
// (or went idle again: a newer sweeper is in charge) meanwhile.
asio::awaitable<void> Deliverer::sweep(std::shared_ptr<Pool> pool, std::shared_ptr<Conn> conn,
                                       std::uint64_t generation, milliseconds after) {
  conn->idle_timer.expires_after(after);
  co_await conn->idle_timer.async_wait(as_tuple(use_awaitable));
  {
    std::lock_guard lock(pool->mutex);
    if (conn->in_use || conn->generation != generation) co_return;
    for (auto it = pool->idle.begin(); it != pool->idle.end(); ++it)
      if (it->second == conn) {
        pool->idle.erase(it);
        break;
      }
    conn->in_use = true;
  }
  co_await quit_and_close(conn);
}

// A kept connection the server had closed meanwhile (or closed with 421):
// its first command found nobody. Nothing was delivered; a new connection
// to the same host is the right next step, not the next host.
bool Deliverer::went_stale(const Attempt& a) {
  if (!a.result || a.result->recipients.empty()) return false;
  for (const auto& rr : a.result->recipients)
    if (rr.status != RecipientStatus::deferred || rr.stage != Command::mail ||
        (rr.from_server && rr.reply.code != 421))
      return false;
  return true;
}

void Deliverer::keep_idle(std::shared_ptr<Conn> conn) {
  std::uint64_t generation = 0;
  bool kept = false;
  {
    std::lock_guard lock(pool_->mutex);
    if (!pool_->closed && pool_->idle.size() < settings_.max_connections) {
      conn->in_use = false;
      generation = ++conn->generation;
      pool_->idle.emplace(conn->key, conn);
      kept = true;
    }
  }
  auto strand = conn->strand;
  if (kept) asio::co_spawn(strand, sweep(pool_, std::move(conn), generation, settings_.reuse_time), asio::detached);
  else asio::co_spawn(strand, quit_and_close(std::move(conn)), asio::detached);
}

std::size_t Deliverer::idle_connections() const {
  std::lock_guard lock(pool_->mutex);
  return pool_->idle.size();
}

void Deliverer::close_idle() {
  std::multimap<std::string, std::shared_ptr<Conn>> idle;
  {
    std::lock_guard lock(pool_->mutex);
    pool_->closed = true;
    idle.swap(pool_->idle);
    for (auto& [key, conn] : idle) conn->in_use = true;
  }
  for (auto& [key, conn] : idle) {
    auto strand = conn->strand;
    asio::post(strand, [conn] { conn->idle_timer.cancel(); });
    asio::co_spawn(strand, quit_and_close(conn), asio::detached);
  }
}

}  // namespace mixer::smtp::client
