// tests/tools/smtp_deliver.cpp: mixer-smtp-deliver, the integration tests'
// driver for outbound SMTP (smtp/client): reads a mixer config, builds the
// Deliverer from its smtp.routes / smtp.resolver / smtp.out keys exactly as
// the gateway is to do (client_settings below), delivers one message (or
// --copies of it at once) to one domain, or with --resolve only prints the
// next hops, and prints the outcome as JSON on stdout; log lines on stderr.
// Exit 0 whenever it ran (the outcome is in the JSON), 2 on bad arguments
// or config.
//
// Trusts its command line and the config (checked by conf/); the peers and
// DNS answers are what it tests, so nothing they send is trusted.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <fstream>
#include <thread>
#include <iostream>
#include <sstream>

#include "conf/config.hpp"
#include "gateway/smtp_out.hpp"
#include "smtp/client/delivery.hpp"

namespace asio = boost::asio;
namespace client = mixer::smtp::client;
namespace proto = mixer::smtp::proto;
using json = nlohmann::json;

namespace {

using mixer::gateway::path_mailbox;

json reply_json(const proto::Reply& r) {
  std::string text;
  for (const auto& l : r.lines) text += (text.empty() ? "" : "\n") + l;
  return {{"code", r.code}, {"enhanced", r.enhanced}, {"text", text}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mixer-smtp-deliver: one outbound SMTP delivery with a mixer config (a test driver)"};
  std::string config = "conf/mixer.yaml", domain, from, file, notify, ret, envid, resolve;
  std::vector<std::string> rcpts;
  bool eight_bit = false, sequential = false;
  int copies = 1, pause_ms = 0, threads = 1;
  app.add_option("-c,--config", config, "the mixer config");
  app.add_option("--from", from, "MAIL FROM address (empty: <>)");
  app.add_option("--rcpt", rcpts, "a recipient (repeat)");
  app.add_option("--domain", domain, "the destination domain (default: the first recipient's)");
  app.add_option("--file", file, "the RFC 5322 content (default: a small test message)");
  app.add_option("--notify", notify, "NOTIFY for every recipient: NEVER or SUCCESS,FAILURE,DELAY");
  app.add_option("--ret", ret, "RET: FULL or HDRS");
  app.add_option("--envid", envid, "ENVID");
  app.add_flag("--eight-bit", eight_bit, "send with BODY=8BITMIME");
  app.add_option("--copies", copies, "deliver this many copies at once (connection limits)")->check(CLI::Range(1, 1000));
  app.add_flag("--sequential", sequential, "deliver the copies one after the other (connection reuse)");
  app.add_option("--threads", threads, "threads running the io_context (as the daemon's `threads`)")->check(CLI::Range(1, 16));
  app.add_option("--pause", pause_ms, "milliseconds between sequential copies");
  app.add_option("--resolve", resolve, "only resolve this domain's next hops (MX) and print them");
  CLI11_PARSE(app, argc, argv);

  auto loaded = mixer::conf::load_config(config);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e.text() << "\n";
    return 2;
  }
  const auto& cfg = *loaded.config;
  auto log = [](client::LogLevel, const std::string& line) { std::cerr << "mixer/smtp: " << line << "\n"; };
  asio::io_context io;
  std::shared_ptr<client::Resolver> resolver;
  std::unique_ptr<client::Deliverer> deliverer;
  try {
    resolver = std::make_shared<client::Resolver>(mixer::gateway::smtp_resolver_settings(cfg));
    deliverer = std::make_unique<client::Deliverer>(mixer::gateway::smtp_client_settings(cfg), resolver, log);
  } catch (const std::exception& e) {
    std::cerr << "mixer-smtp-deliver: " << e.what() << "\n";
    return 2;
  }

  if (!resolve.empty()) {
    json out;
    asio::co_spawn(
        asio::make_strand(io),
        [&]() -> asio::awaitable<void> {
          auto r = co_await resolver->resolve_mx(resolve);
          out["implicit"] = r.implicit;
          out["hosts"] = json::array();
          for (const auto& h : r.hosts)
            out["hosts"].push_back({{"name", h.name}, {"preference", h.preference}, {"addresses", h.addresses}});
          if (r.error) out["error"] = {{"reply", reply_json(r.error->reply)}, {"permanent", r.error->permanent}, {"text", r.error->text}};
        },
        asio::detached);
    io.run();
    std::cout << out.dump(2) << std::endl;
    return 0;
  }

  client::OutboundMessage m;
  auto sender = path_mailbox(from);
  if (!sender || rcpts.empty()) {
    std::cerr << "mixer-smtp-deliver: need --from ADDR (or \"\") and at least one --rcpt ADDR\n";
    return 2;
  }
  m.envelope.mail.reverse_path = *sender;
  if (ret == "FULL") m.envelope.mail.ret = proto::Ret::full;
  if (ret == "HDRS") m.envelope.mail.ret = proto::Ret::hdrs;
  m.envelope.mail.envid = envid;
  for (const auto& r : rcpts) {
    auto mb = path_mailbox(r);
    if (!mb || mb->empty()) {
      std::cerr << "mixer-smtp-deliver: bad recipient '" << r << "'\n";
      return 2;
    }
    proto::RcptTo rt;
    rt.forward_path = *mb;
    if (!notify.empty()) {
      rt.notify.present = true;
      rt.notify.never = notify == "NEVER";
      rt.notify.success = notify.find("SUCCESS") != std::string::npos;
      rt.notify.failure = notify.find("FAILURE") != std::string::npos;
      rt.notify.delay = notify.find("DELAY") != std::string::npos;
    }
    m.envelope.rcpts.push_back(std::move(rt));
  }
  m.domain = domain.empty() ? m.envelope.rcpts.front().forward_path.domain : domain;
  std::string content;
  if (file.empty()) {
    content = "From: <" + from + ">\r\nTo: <" + rcpts.front() + ">\r\nSubject: mixer-smtp-deliver\r\n\r\nHello.\r\n";
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "mixer-smtp-deliver: cannot read " << file << "\n";
      return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    content = ss.str();
  }
  m.content = {content};
  m.eight_bit = eight_bit;

  std::vector<client::DeliveryResult> results(static_cast<std::size_t>(copies));
  std::atomic<std::size_t> peak = 0, done = 0;  // the io_context may run on --threads threads
  auto finished = [&] {
    if (++done == static_cast<std::size_t>(copies)) deliverer->close_idle();  // QUIT what is kept
  };
  if (sequential)  // one after the other: the second and later can reuse the first's connection
    asio::co_spawn(
        asio::make_strand(io),
        [&]() -> asio::awaitable<void> {
          for (auto& r : results) {
            if (&r != &results.front() && pause_ms > 0) {
              asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(pause_ms));
              co_await pause.async_wait(asio::use_awaitable);
            }
            r = co_await deliverer->deliver(m);
            finished();
          }
        },
        asio::detached);
  else
    for (int i = 0; i < copies; ++i)
      asio::co_spawn(
          asio::make_strand(io),
          [&, i]() -> asio::awaitable<void> {
            results[static_cast<std::size_t>(i)] = co_await deliverer->deliver(m);
            finished();
          },
          asio::detached);
  // Samples the number of open connections while the copies run (one thread).
  asio::steady_timer sampler(io);
  std::function<void()> sample = [&] {
    peak = std::max(peak.load(), deliverer->connections());
    if (done == static_cast<std::size_t>(copies)) return;
    sampler.expires_after(std::chrono::milliseconds(2));
    sampler.async_wait([&](boost::system::error_code) { sample(); });
  };
  asio::post(io, sample);
  std::vector<std::thread> more;
  for (int i = 1; i < threads; ++i) more.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : more) t.join();

  json out = json::array();
  for (const auto& r : results) {
    json one{{"relay", r.relay}, {"detail", r.detail}, {"tls", r.tls}, {"needs_seven_bit", r.needs_seven_bit}};
    one["recipients"] = json::array();
    for (std::size_t i = 0; i < r.recipients.size(); ++i) {
      const auto& o = r.recipients[i];
      one["recipients"].push_back({{"address", rcpts[i]},
                                   {"kind", std::string(client::kind_name(o.kind))},
                                   {"reply", reply_json(o.reply)},
                                   {"from_server", o.from_server},
                                   {"relayed_dsn_due", o.relayed_dsn_due}});
    }
    out.push_back(std::move(one));
  }
  json top = copies == 1 ? out[0] : json{{"results", out}, {"peak_connections", peak.load()}};
  std::cout << top.dump(2) << std::endl;
  return 0;
}
