// p1/association/responder.cpp: accept loop and one coroutine per
// association around a Link (see header).
#include "p1/association/responder.hpp"

#include "p1/association/socket_io.hpp"

#include "base/scope_exit.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <ctime>

namespace mixer::p1::association {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Responder::State {
  std::shared_ptr<const ResponderSettings> settings;  // under mutex
  ApduHandler on_apdu;
  LogFn log;
  RecoveryStore recovery;
  std::atomic<std::size_t> active{0};
  std::atomic<bool> draining{false};
  std::uint64_t next_id = 1;
  std::mutex mutex;
  std::set<asio::steady_timer*> timers;  // each association's deadline timer, cancelled by drain()
  std::function<void()> drained;         // drain()'s completion, called once when none is left
  void say(const std::string& line) const {
    if (log) log(line);
  }
  // One association fewer; the last one during a drain completes it.
  void left() {
    if (--active != 0 || !draining) return;
    std::function<void()> done;
    {
      std::lock_guard lock(mutex);
      done = std::exchange(drained, nullptr);
    }
    if (done) done();
  }
  std::shared_ptr<const ResponderSettings> current() {
    std::lock_guard lock(mutex);
    return settings;
  }
};

namespace {

std::string tag(std::uint64_t id, const std::string& address) {
  return "p1 assoc=" + std::to_string(id) + " peer=[" + address + "]: ";
}

// The durability report of one APDU, woken from any thread.
struct Pending {
  explicit Pending(const asio::any_io_executor& ex) : wake(ex) {}
  asio::steady_timer wake;
  bool waiting = false, done = false, ok = false;
};

asio::awaitable<void> serve(std::shared_ptr<Responder::State> st, tcp::socket socket, std::uint64_t id) {
  auto ex = co_await asio::this_coro::executor;
  boost::system::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  const std::string address = ec ? std::string("unknown") : remote.address().to_string();
  const std::string who = tag(id, address);
  ++st->active;
  const base::ScopeExit count([&] { st->left(); });  // also when an exception ends the coroutine
  const auto settings = st->current();
  const bool busy = st->active > settings->max_associations;
  Link link(*settings, address, busy, &st->recovery);
  const auto& dl = settings->deadlines;
  const auto start = Clock::now();
  const AssociationClock clock(dl, start);
  asio::steady_timer timer(ex);
  {
    std::lock_guard lock(st->mutex);
    st->timers.insert(&timer);
  }
  const base::ScopeExit unregister([&] {  // before `timer` is destroyed: drain() may cancel it until then
    std::lock_guard lock(st->mutex);
    st->timers.erase(&timer);
  });
  auto pending = std::make_shared<Pending>(ex);
  std::vector<std::uint8_t> buf(64 * 1024);
  st->say(who + "connect" + (busy ? " (over the association limit: the bind will be refused busy)" : ""));

  auto handle = [&](std::vector<LinkEvent> events) {
    for (auto& e : events) {
      switch (e.kind) {
        case LinkEvent::Kind::apdu: {
          pending->waiting = true;
          pending->done = false;
          InboundApdu in{std::move(e.apdu), link.peer_name(), address, id};
          std::weak_ptr<Pending> weak = pending;
          auto done = [weak, ex](bool durable) {
            asio::post(ex, [weak, durable] {
              if (auto p = weak.lock()) {
                p->done = true;
                p->ok = durable;
                p->wake.cancel();
              }
            });
          };
          if (st->on_apdu) st->on_apdu(std::move(in), done);
          else done(false);
          break;
        }
        case LinkEvent::Kind::released:
          st->say(who + "release from " + link.peer_name() + ", " + std::to_string(link.apdus_in()) + " APDUs received");
          break;
        default:
          st->say(who + e.what);
          break;
      }
    }
  };

  for (;;) {
    if (auto failed = co_await write_pending(link, socket)) {
      handle(link.disconnected(*failed));
      break;
    }
    if (link.closed()) break;
    if (pending->waiting) {
      if (!pending->done) {
        pending->wake.expires_after(dl.durable);
        (void)co_await pending->wake.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      pending->waiting = false;
      if (pending->done && pending->ok) {
        link.confirm();
      } else {
        handle(link.reject_transfer(pending->done ? "the queue could not keep it" : "not durable within the deadline"));
      }
      continue;
    }
    if (st->draining) {  // between transfers: nothing of the peer's is in our hands
      handle(link.timeout("shutdown"));
      continue;
    }
    SocketWait w = co_await read_until_deadline(link, clock, socket, timer, buf);
    if (w.kind == SocketWait::Kind::deadline) {
      if (st->draining) continue;  // woken by drain(): end it at the top of the loop
      handle(link.timeout(w.which));
      continue;
    }
    if (w.kind == SocketWait::Kind::closed) {
      handle(link.disconnected(w.what));
      break;
    }
    handle(link.receive(ByteView(buf.data(), w.size)));
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
  st->say(who + "disconnect after " +
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()) + " ms");
}

asio::awaitable<void> accept_loop(std::shared_ptr<Responder::State> st, std::shared_ptr<tcp::acceptor> acceptor) {
  while (acceptor->is_open()) {
    auto [ec, socket] = co_await acceptor->async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::use_awaitable);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::uint64_t id = st->next_id++;
    // One strand per association: its coroutine and the durability
    // callbacks posted to it never run concurrently.
    asio::co_spawn(asio::make_strand(acceptor->get_executor()), serve(st, std::move(socket), id),
                   [st, id](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& x) {
                       st->say(tag(id, "?") + "association ended by an exception: " + x.what());
                     } catch (...) {
                       st->say(tag(id, "?") + "association ended by an unknown exception");
                     }
                   });
  }
}

}  // namespace

Responder::Responder(asio::io_context& io, ResponderSettings settings, ApduHandler on_apdu, LogFn log)
    : io_(io), state_(std::make_shared<State>()) {
  state_->settings = std::make_shared<const ResponderSettings>(std::move(settings));
  state_->on_apdu = std::move(on_apdu);
  state_->log = std::move(log);
}

Responder::~Responder() { close(); }

std::size_t Responder::associations() const { return state_->active; }
RecoveryStore& Responder::recovery() { return state_->recovery; }

std::uint16_t Responder::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const std::string where = host + ":" + std::to_string(port);
  auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::system_error(ec, "bad P1 listen address " + where);
  auto acceptor = std::make_shared<tcp::acceptor>(asio::make_strand(io_));
  tcp::endpoint ep(address, port);
  acceptor->open(ep.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(ep, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::system_error(ec, "cannot listen for P1 on " + where);
  std::uint16_t bound = acceptor->local_endpoint().port();
  acceptors_.push_back(acceptor);
  state_->say("p1: listening on " + host + ":" + std::to_string(bound));
  asio::co_spawn(acceptor->get_executor(), accept_loop(state_, acceptor), asio::detached);
  return bound;
}

void Responder::close() {
  for (auto& a : acceptors_)
    asio::post(a->get_executor(), [a] {
      boost::system::error_code ignored;
      a->close(ignored);
    });
  acceptors_.clear();
}

void Responder::drain(std::function<void()> done) {
  close();
  {
    std::lock_guard lock(state_->mutex);
    state_->drained = std::move(done);
  }
  state_->draining = true;
  if (state_->active == 0) {  // none open: complete now (once, whoever gets there first)
    std::function<void()> now;
    {
      std::lock_guard lock(state_->mutex);
      now = std::exchange(state_->drained, nullptr);
    }
    if (now) now();
  }
  std::lock_guard lock(state_->mutex);
  for (auto* t : state_->timers)
    asio::post(t->get_executor(), [st = state_, t] {
      std::lock_guard inner(st->mutex);  // the association may have ended meanwhile
      if (st->timers.count(t)) t->cancel();
    });
}

void Responder::update(ResponderSettings settings) {
  auto s = std::make_shared<const ResponderSettings>(std::move(settings));
  std::lock_guard lock(state_->mutex);
  state_->settings = std::move(s);
}

std::string utc_time_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%y%m%d%H%M%SZ", &tm);
  return buf;
}

}  // namespace mixer::p1::association
