// p1/association/bench.cpp: see bench.hpp.
#include "p1/association/bench.hpp"

#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

#include "p1/association/initiator.hpp"
#include "p1/association/responder.hpp"
#include "p1/ber/writer.hpp"

namespace mixer::p1::association {

namespace asio = boost::asio;

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// message [0] { envelope SET { content-type [APPLICATION 6] 22 }, content OCTET STRING }
Bytes synthetic_apdu(std::size_t size) {
  Bytes payload(size > 32 ? size - 32 : 1);
  for (std::size_t k = 0; k < payload.size(); ++k) payload[k] = static_cast<std::uint8_t>('A' + k % 26);
  ber::Writer w;
  w.constructed(ber::context(0), [&] {
    w.set([&] { w.integer(22, ber::application(6)); });
    w.octets(payload);
  });
  return w.take();
}

class Repeat : public OutboundQueue {
 public:
  Repeat(Bytes apdu, std::size_t n) : apdu_(std::move(apdu)), left_(n) {}
  std::optional<OutboundApdu> next() override {
    if (!left_) return std::nullopt;
    --left_;
    return OutboundApdu{"bench", apdu_};
  }
  void confirmed(const std::string&) override { ++confirmed_; }
  void failed(const std::string&, const Failure& f) override { failure_ = f.what; }
  std::size_t confirmed_ = 0;
  std::string failure_;

 private:
  Bytes apdu_;
  std::size_t left_;
};

}  // namespace

std::string BenchResult::summary() const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%zu transfers in %.3f s: %.1f transfers/s, %.2f MB/s, %.1f us CPU per transfer",
                transferred, seconds, transfers_per_second, megabytes_per_second, cpu_us_per_transfer);
  return error.empty() ? std::string(buf) : std::string(buf) + " (" + error + ")";
}

BenchResult run_benchmark(const BenchOptions& o) {
  BenchResult result;
  asio::io_context server_io;
  ResponderSettings rs;
  rs.mta_name = "bench-responder";
  rs.checkpoint_size = o.checkpoint_size;
  rs.window_size = o.window_size;
  rs.limits.max_apdu = o.apdu_size + (1u << 20);
  rs.limits.transport.max_tsdu = rs.limits.max_apdu + (1u << 16);
  PeerSettings caller;
  caller.name = "bench-initiator";
  caller.password = caller.our_password = "bench";
  rs.peers.push_back(caller);
  Responder responder(server_io, rs, [](InboundApdu, std::function<void(bool)> done) { done(true); });
  std::uint16_t port = responder.listen("127.0.0.1", 0);
  std::thread server([&] { server_io.run(); });

  InitiatorSettings is;
  is.mta_name = "bench-initiator";
  is.checkpoint_size = o.checkpoint_size;
  is.window_size = o.window_size;
  is.limits = rs.limits;
  PeerSettings target;
  target.name = "bench-responder";
  target.password = target.our_password = "bench";
  target.host = "127.0.0.1";
  target.port = port;
  Repeat queue(synthetic_apdu(o.apdu_size), o.count);
  asio::io_context io;
  AssociationReport report;
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  asio::co_spawn(io, run_initiator(is, target, queue), [&](std::exception_ptr e, AssociationReport r) {
    if (e) result.error = "exception";
    report = std::move(r);
  });
  io.run();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  asio::post(server_io, [&] { responder.close(); server_io.stop(); });
  server.join();
  result.transferred = queue.confirmed_;
  result.seconds = secs;
  if (secs > 0) {
    result.transfers_per_second = static_cast<double>(result.transferred) / secs;
    result.megabytes_per_second = static_cast<double>(result.transferred) * static_cast<double>(o.apdu_size) / secs / 1e6;
  }
  if (result.transferred) result.cpu_us_per_transfer = cpu * 1e6 / static_cast<double>(result.transferred);
  if (result.error.empty() && (!report.released || result.transferred != o.count))
    result.error = report.failure.what.empty() ? queue.failure_ : report.failure.what;
  return result;
}

}  // namespace mixer::p1::association
