// p1/association/initiator.cpp: the initiator coroutine and p1-ping (see header).
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 pairs Asio's coroutine-frame operator new/delete wrongly in its
// -Wmismatched-new-delete analysis of a value-returning awaitable (a known
// false positive); the frames are allocated and freed by the same class.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "p1/association/initiator.hpp"

#include "p1/association/socket_io.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mixer::p1::association {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

asio::awaitable<AssociationReport> run_initiator(InitiatorSettings settings, PeerSettings peer, OutboundQueue& queue,
                                                 LogFn log, std::optional<Recovery> recover) {
  AssociationReport report;
  auto say = [&](const std::string& line) {
    if (log) log("p1 to " + peer.name + " [" + peer.host + "]:" + std::to_string(peer.port) + ": " + line);
  };
  auto ex = co_await asio::this_coro::executor;
  const auto& dl = settings.deadlines;
  const auto start = Clock::now();
  asio::steady_timer timer(ex);

  // Resolve and connect under the connect deadline.
  tcp::resolver resolver(ex);
  auto [rec, endpoints] = co_await resolver.async_resolve(peer.host, std::to_string(peer.port), asio::as_tuple(asio::use_awaitable));
  if (rec) {
    report.failure = Failure{FailureClass::transient, "cannot resolve " + peer.host + ": " + rec.message()};
    report.answer = report.failure.what;
    say(report.answer);
    co_return report;
  }
  tcp::socket socket(ex);
  timer.expires_after(dl.connect);
  auto c = co_await (asio::async_connect(socket, endpoints, asio::as_tuple(asio::use_awaitable)) ||
                     timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (c.index() == 1 || std::get<0>(std::get<0>(c))) {
    std::string why = c.index() == 1 ? "connect deadline passed" : std::get<0>(std::get<0>(c)).message();
    report.failure = Failure{FailureClass::transient, "cannot connect: " + why};
    report.answer = report.failure.what;
    say(report.answer);
    co_return report;
  }
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);

  std::optional<OutboundApdu> current;
  std::optional<Interruption> resuming;
  if (recover) {
    current = OutboundApdu{recover->id, {}};  // the Link holds the octets to resume
    resuming = recover->resumption.from;
  }
  Link link(settings, peer, next_common_reference(),
            recover ? std::optional<Resumption>(std::move(recover->resumption)) : std::nullopt);
  link.start();
  bool releasing = false;
  // Nothing to send: bound, waiting for more until then (the queue's wait_for_more()).
  std::optional<Clock::time_point> lingering;
  bool woken = false;  // the queue has more since we asked (set on this executor)
  auto wake = [&woken, &timer] {
    woken = true;
    timer.cancel();
  };
  std::vector<std::uint8_t> buf(64 * 1024);
  const AssociationClock clock(dl, start);

  auto fail_current = [&](const Failure& f) {
    if (current) {
      queue.failed(current->id, f);
      current.reset();
    }
  };
  auto handle = [&](std::vector<LinkEvent> events) {
    for (auto& e : events) {
      switch (e.kind) {
        case LinkEvent::Kind::bound:
          report.bound = true;
          report.peer = e.peer;
          report.answer = e.recovery ? "recovery accepted by " + e.peer : "Bind-Result from " + e.peer;
          report.recovered = e.recovery;
          say(e.what);
          if (e.recovery && current && resuming) queue.resumed(current->id, *resuming);
          break;
        case LinkEvent::Kind::bind_refused:
          report.recovery_refused = e.recovery;
          report.bind_error = e.bind_error;
          report.failure = e.failure;
          report.answer = e.bind_error ? std::string("Bind-Error ") + mta::to_string(*e.bind_error) : e.failure.what;
          say(e.what);
          break;
        case LinkEvent::Kind::transfer_confirmed:
          if (current) {
            queue.confirmed(current->id);
            current.reset();
          }
          ++report.transferred;
          break;
        case LinkEvent::Kind::transfer_failed:
          say("transfer failed: " + e.what);
          fail_current(e.failure);
          break;
        case LinkEvent::Kind::released:
          report.released = true;
          say("released after " + std::to_string(report.transferred) + " APDUs");
          break;
        case LinkEvent::Kind::aborted:
          if (!report.failure) report.failure = e.failure;
          say(e.what);
          if (auto at = link.interrupted(); at && current) {
            // The receiver holds it up to a confirmed checkpoint: recoverable (X.228 §7.6).
            say("transfer of " + current->id + " interrupted after checkpoint " + std::to_string(at->progress.serial) +
                " (" + std::to_string(at->progress.offset) + " of " + std::to_string(at->apdu_size) + " octets confirmed)");
            queue.interrupted(current->id, e.failure, *at);
            current.reset();
          }
          fail_current(e.failure);
          break;
        case LinkEvent::Kind::apdu:
          break;  // a responder's turn: not in monologue
      }
    }
  };

  for (;;) {
    if (link.ready() && !current && !releasing) {
      woken = false;
      current = queue.next();
      if (current) {
        lingering.reset();
        auto st = link.transfer(current->apdu);
        if (!st) fail_current(Failure{FailureClass::transient, st.error().what});
      } else {
        const auto wait = queue.wait_for_more(wake);
        const auto now = Clock::now();
        if (!lingering && wait.count() > 0) lingering = now + wait;
        if (wait.count() <= 0 || now >= *lingering) {
          queue.done_waiting();  // no wake-up may cut the release short
          lingering.reset();
          link.release();
          releasing = true;
        }
      }
    }
    if (auto failed = co_await write_pending(link, socket)) {
      handle(link.disconnected(*failed));
      break;
    }
    if (link.closed()) break;
    if (lingering && woken) continue;  // more came while we were not waiting
    SocketWait w = co_await read_until_deadline(link, clock, socket, timer, buf, lingering);
    if (w.kind == SocketWait::Kind::deadline) {
      // Woken, or the wait for more is over: ask the queue again (then release).
      if (lingering && (woken || std::string_view(w.which) == "linger")) continue;
      handle(link.timeout(w.which));
      continue;
    }
    if (w.kind == SocketWait::Kind::closed) {
      handle(link.disconnected(w.what));
      break;
    }
    handle(link.receive(ByteView(buf.data(), w.size)));
  }
  queue.done_waiting();  // `wake` refers to this frame
  fail_current(report.failure ? report.failure : Failure{FailureClass::transient, "association ended"});
  if (!report.bound && !report.failure) report.failure = Failure{FailureClass::transient, "association ended before the bind"};
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
  co_return report;
}

namespace {
class NothingToSend : public OutboundQueue {
 public:
  std::optional<OutboundApdu> next() override { return std::nullopt; }
  void confirmed(const std::string&) override {}
  void failed(const std::string&, const Failure&) override {}
};
}  // namespace

PingResult p1_ping(const PingOptions& o) {
  asio::io_context io;
  InitiatorSettings s;
  s.mta_name = o.mta;
  s.deadlines.connect = s.deadlines.bind = s.deadlines.idle = s.deadlines.total = o.timeout;
  PeerSettings p;
  p.name = o.peer;
  p.password = o.peer_password;
  p.our_password = o.password;
  p.password_octets = o.password_octets;
  p.host = o.host;
  p.port = o.port;
  p.local = o.local;
  p.remote = o.remote;
  p.mode = o.mode;
  NothingToSend nothing;
  AssociationReport report;
  asio::co_spawn(io, run_initiator(s, p, nothing), [&](std::exception_ptr e, AssociationReport r) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        r.failure = Failure{FailureClass::transient, x.what()};
        r.answer = x.what();
      }
    }
    report = std::move(r);
  });
  io.run();
  PingResult out;
  out.ok = report.bound && report.released;
  out.answer = report.answer.empty() ? report.failure.what : report.answer;
  if (report.bound) out.answer += report.released ? "\nreleased" : "\nnot released: " + report.failure.what;
  return out;
}

}  // namespace mixer::p1::association
