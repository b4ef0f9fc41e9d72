// tests/unit/p1/association_test.cpp: the Asio responder and initiator over
// loopback. The captures' initiator octets are replayed to our responder
// (configured as guinevere) and its answers compared with the capture and
// read by tshark; two instances transfer 1,000 APDUs each way; a transfer
// the receiver cannot keep is retried and nothing is lost; the refusals
// (wrong password, unknown MTA, busy, garbage, short TPKT, deep nesting)
// arrive within their deadlines; p1-ping prints the peer's answer.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "p1/association/initiator.hpp"
#include "p1/association/responder.hpp"
#include "tests/unit/p1/support/hex.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace {

using namespace mixer::p1::association;
namespace asio = boost::asio;
using asio::ip::tcp;
using mixer::p1::test::bytes_of;
using mixer::p1::test::Segment;
using mixer::p1::test::tshark_decode;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;
using Clock = std::chrono::steady_clock;

PeerSettings peer(const std::string& name, const std::string& password, const std::string& ours) {
  PeerSettings p;
  p.name = name;
  p.password = password;
  p.our_password = ours;
  p.host = "127.0.0.1";
  return p;
}

ResponderSettings guinevere() {
  ResponderSettings s;
  s.mta_name = "guinevere.smhs.co.uk";
  s.checkpoint_size = 63;
  s.peers.push_back(peer("percival.smhs.co.uk", "excalibur", "merlin"));
  return s;
}

// A responder on its own thread, keeping every APDU it is given.
struct Server {
  asio::io_context io;
  Responder responder;
  std::uint16_t port = 0;
  std::mutex mutex;
  std::vector<Bytes> durable;
  std::vector<std::string> log;
  std::function<bool(const Bytes&)> keep = [](const Bytes&) { return true; };
  std::thread thread;

  explicit Server(ResponderSettings s)
      : responder(io, std::move(s),
                  [this](InboundApdu a, std::function<void(bool)> done) {
                    bool ok = keep(a.apdu);
                    if (ok) {
                      std::lock_guard<std::mutex> l(mutex);
                      durable.push_back(std::move(a.apdu));
                    }
                    done(ok);
                  },
                  [this](const std::string& line) {
                    std::lock_guard<std::mutex> l(mutex);
                    log.push_back(line);
                  }) {
    port = responder.listen("127.0.0.1", 0);
    thread = std::thread([this] { io.run(); });
  }
  ~Server() {
    asio::post(io, [this] { responder.close(); io.stop(); });
    thread.join();
  }
  std::size_t count() {
    std::lock_guard<std::mutex> l(mutex);
    return durable.size();
  }
  std::string logs() {
    std::lock_guard<std::mutex> l(mutex);
    std::string s;
    for (auto& x : log) s += x + "\n";
    return s;
  }
};

// Writes `out`, then reads until `expect` octets arrived or the peer closed.
Bytes exchange(tcp::socket& s, const Bytes& out, std::size_t expect) {
  if (!out.empty()) asio::write(s, asio::buffer(out));
  Bytes in(expect);
  boost::system::error_code ec;
  std::size_t n = asio::read(s, asio::buffer(in), ec);
  in.resize(n);
  return in;
}

TEST(P1Association, replay_isode_ping_to_our_responder) {
  Server srv(guinevere());
  asio::io_context io;
  tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), srv.port});
  std::vector<Segment> transcript;
  struct Step { const char* in; const char* out; } steps[] = {
      {"ping-success/04-I-cr.hex", "ping-success/05-R-cc.hex"},
      {"ping-success/06-I-cn-cp-aarq-rtorq-bind.hex", "ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex"},
      {"ping-success/08-I-fn-rlrq.hex", "ping-success/09-R-dn-rlre.hex"}};
  for (const auto& st : steps) {
    Bytes in = vector_file(st.in), expected = vector_file(st.out);
    Bytes got = exchange(s, in, expected.size());
    ASSERT_EQ(got.size(), expected.size()) << st.out;
    if (std::string(st.out).find("cc") != std::string::npos) {
      EXPECT_EQ(Bytes(got.begin(), got.begin() + 8), Bytes(expected.begin(), expected.begin() + 8));
    } else {
      EXPECT_EQ(got, expected) << st.out;
    }
    transcript.push_back({true, in});
    transcript.push_back({false, got});
  }
  s.close();
  auto d = tshark_decode(transcript, 102);
  ASSERT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("responder-name: guinevere.smhs.co.uk"));
  EXPECT_TRUE(d.has("ia5-string: merlin"));
  EXPECT_TRUE(d.has("result: accepted (0)"));
}

TEST(P1Association, replay_isode_refusal_to_our_responder) {
  Server srv(guinevere());
  asio::io_context io;
  tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), srv.port});
  Bytes cc = exchange(s, vector_file("ping-refuse/04-I-cr.hex"), 11);
  ASSERT_EQ(cc.size(), 11u);
  Bytes rf = exchange(s, vector_file("ping-refuse/06-I-cn-cp-aarq-rtorq-bind.hex"), 1000);
  EXPECT_EQ(rf, vector_file("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex"));  // then the responder closes
  auto d = tshark_decode({{true, vector_file("ping-refuse/04-I-cr.hex")}, {false, cc},
                          {true, vector_file("ping-refuse/06-I-cn-cp-aarq-rtorq-bind.hex")}, {false, rf}});
  ASSERT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("MTABindError: authentication-error (2)"));
  EXPECT_NE(srv.logs().find("bind refused: authentication-error (wrong password for percival.smhs.co.uk)"), std::string::npos)
      << srv.logs();
}

// The daemon's queue, for the tests: ids, confirmed, failed (requeued when transient).
struct TestQueue : OutboundQueue {
  std::deque<OutboundApdu> todo;
  std::set<std::string> confirmed_ids;
  std::vector<std::string> failures;
  std::optional<OutboundApdu> next() override {
    if (todo.empty()) return std::nullopt;
    auto a = todo.front();
    todo.pop_front();
    return a;
  }
  void confirmed(const std::string& id) override { confirmed_ids.insert(id); }
  void failed(const std::string& id, const Failure& f) override {
    failures.push_back(id + ": " + f.what);
    if (f.kind == FailureClass::transient) todo.push_back({id, apdus.at(id)});
  }
  std::map<std::string, Bytes> apdus;
  void add(const std::string& id, Bytes a) {
    apdus[id] = a;
    todo.push_back({id, std::move(a)});
  }
};

// An MTS-APDU per id: the capture's message with a distinct local identifier.
Bytes message(std::size_t n) {
  Bytes m = vector_file("mts-apdu-pp-without-extensions.hex");
  Bytes id = bytes_of("alpha.test.357:23.10.26.10.40.15");
  auto it = std::search(m.begin(), m.end(), id.begin(), id.end());
  std::string tag = std::to_string(100000 + n);
  std::copy(tag.begin(), tag.end(), it + 11);  // "alpha.test." then digits
  return m;
}

AssociationReport run(asio::io_context& io, InitiatorSettings s, PeerSettings p, OutboundQueue& q) {
  AssociationReport report;
  asio::co_spawn(io, run_initiator(s, p, q), [&](std::exception_ptr e, AssociationReport r) {
    if (e) std::rethrow_exception(e);
    report = std::move(r);
  });
  io.run();
  io.restart();
  return report;
}

InitiatorSettings percival() {
  InitiatorSettings s;
  s.mta_name = "percival.smhs.co.uk";
  s.checkpoint_size = 4;
  return s;
}

TEST(P1Association, two_instances_transfer_1000_apdus_each_way) {
  ResponderSettings a = guinevere();
  a.peers.push_back(peer("lancelot.example", "pw-l", "pw-g"));
  ResponderSettings b;
  b.mta_name = "lancelot.example";
  b.peers.push_back(peer("guinevere.smhs.co.uk", "pw-g", "pw-l"));
  Server sa(a), sb(b);
  TestQueue to_a, to_b;
  for (std::size_t k = 0; k < 1000; ++k) {
    to_a.add("b" + std::to_string(k), message(k));
    to_b.add("a" + std::to_string(k), message(5000 + k));
  }
  InitiatorSettings from_b;
  from_b.mta_name = "lancelot.example";
  InitiatorSettings from_a;
  from_a.mta_name = "guinevere.smhs.co.uk";
  PeerSettings pa = peer("guinevere.smhs.co.uk", "pw-g", "pw-l");
  pa.port = sa.port;
  PeerSettings pb = peer("lancelot.example", "pw-l", "pw-g");
  pb.port = sb.port;
  asio::io_context io;
  AssociationReport ra, rb;
  auto t0 = Clock::now();
  asio::co_spawn(io, run_initiator(from_b, pa, to_a), [&](std::exception_ptr e, AssociationReport r) {
    if (e) std::rethrow_exception(e);
    ra = std::move(r);
  });
  asio::co_spawn(io, run_initiator(from_a, pb, to_b), [&](std::exception_ptr e, AssociationReport r) {
    if (e) std::rethrow_exception(e);
    rb = std::move(r);
  });
  io.run();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  EXPECT_TRUE(ra.bound && ra.released) << ra.failure.what;
  EXPECT_TRUE(rb.bound && rb.released) << rb.failure.what;
  EXPECT_EQ(ra.transferred, 1000u);
  EXPECT_EQ(rb.transferred, 1000u);
  EXPECT_EQ(to_a.confirmed_ids.size(), 1000u);
  EXPECT_EQ(to_b.confirmed_ids.size(), 1000u);
  ASSERT_EQ(sa.count(), 1000u);
  ASSERT_EQ(sb.count(), 1000u);
  for (std::size_t k = 0; k < 1000; ++k) {
    EXPECT_EQ(sa.durable[k], message(k));
    EXPECT_EQ(sb.durable[k], message(5000 + k));
  }
  std::cout << "[ P1 ] 2 x 1000 APDUs of " << message(0).size() << " octets in " << ms << " ms\n";
}

TEST(P1Association, large_apdus_arrive_whole) {
  Server srv(guinevere());
  TestQueue q;
  mixer::p1::ber::Writer w;
  Bytes big(3u << 20);
  for (std::size_t k = 0; k < big.size(); ++k) big[k] = static_cast<std::uint8_t>(k * 7 + (k >> 12));
  w.constructed(mixer::p1::ber::context(0), [&] { w.octets(big); });
  Bytes apdu = w.take();
  q.add("big1", apdu);
  q.add("small", message(1));
  q.add("big2", apdu);
  PeerSettings p = peer("guinevere.smhs.co.uk", "merlin", "excalibur");
  p.port = srv.port;
  asio::io_context io;
  InitiatorSettings s = percival();
  s.checkpoint_size = 16;
  auto r = run(io, s, p, q);
  EXPECT_TRUE(r.bound && r.released) << r.failure.what;
  ASSERT_EQ(srv.durable.size(), 3u);
  EXPECT_EQ(srv.durable[0], apdu);
  EXPECT_EQ(srv.durable[1], message(1));
  EXPECT_EQ(srv.durable[2], apdu);
}

// A queue with nothing now may ask the association to wait (wait_for_more): it stays
// bound, takes what comes within the wait on the same association (one connect and one
// bind for both APDUs: the peer and we are spared a bind and a release per burst), and
// releases once a wait passes with nothing more.
TEST(P1Association, lingers_bound_for_more_then_releases) {
  Server srv(guinevere());
  struct Lingering : TestQueue {
    std::function<void()> wake;
    int waits = 0;
    std::chrono::milliseconds wait_for_more(std::function<void()> w) override {
      ++waits;
      wake = std::move(w);
      return std::chrono::milliseconds(300);
    }
    void done_waiting() override { wake = nullptr; }
    std::optional<OutboundApdu> next() override {
      wake = nullptr;
      return TestQueue::next();
    }
  } q;
  q.add("m1", message(1));
  PeerSettings p = peer("guinevere.smhs.co.uk", "merlin", "excalibur");
  p.port = srv.port;
  asio::io_context io;
  asio::steady_timer later(io, std::chrono::milliseconds(100));
  bool woken = false;
  later.async_wait([&](boost::system::error_code) {
    q.add("m2", message(2));
    if ((woken = static_cast<bool>(q.wake))) q.wake();
  });
  const auto t0 = Clock::now();
  auto r = run(io, percival(), p, q);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  EXPECT_TRUE(r.bound && r.released) << r.failure.what;
  EXPECT_TRUE(woken) << "the association was not waiting for more after m1";
  EXPECT_EQ(r.transferred, 2u);
  ASSERT_EQ(srv.count(), 2u);
  EXPECT_EQ(srv.durable[1], message(2));
  const std::string logs = srv.logs();
  std::size_t connects = 0;
  for (auto at = logs.find("connect"); at != std::string::npos; at = logs.find("connect", at + 1))
    if (logs.compare(at - 3, 3, "dis") != 0) ++connects;
  EXPECT_EQ(connects, 1u) << logs;
  EXPECT_GE(q.waits, 2);
  EXPECT_GE(ms, 350) << "released before the wait after m2 passed";
  EXPECT_LT(ms, 5000);
}

TEST(P1Association, interrupted_transfer_loses_nothing_and_is_retried) {
  Server srv(guinevere());
  std::atomic<int> refusals{0};
  srv.keep = [&](const Bytes& apdu) {
    // The queue cannot keep the 3rd APDU the first time it arrives.
    if (apdu == message(3) && refusals.fetch_add(1) == 0) return false;
    return true;
  };
  TestQueue q;
  for (std::size_t k = 0; k < 6; ++k) q.add("m" + std::to_string(k), message(k));
  PeerSettings p = peer("guinevere.smhs.co.uk", "merlin", "excalibur");
  p.port = srv.port;
  asio::io_context io;
  auto first = run(io, percival(), p, q);
  EXPECT_TRUE(first.bound);
  EXPECT_FALSE(first.released);
  EXPECT_EQ(first.failure.kind, FailureClass::transient);
  ASSERT_EQ(q.failures.size(), 1u);
  EXPECT_EQ(q.failures[0].substr(0, 3), "m3:");
  auto second = run(io, percival(), p, q);  // the daemon retries on a new association
  EXPECT_TRUE(second.bound && second.released) << second.failure.what;
  EXPECT_EQ(q.confirmed_ids.size(), 6u);
  // Every APDU is durable exactly once.
  std::multiset<Bytes> got(srv.durable.begin(), srv.durable.end());
  for (std::size_t k = 0; k < 6; ++k) EXPECT_EQ(got.count(message(k)), 1u) << k;
  EXPECT_EQ(srv.durable.size(), 6u);
}

// An exception out of an association's handling ends that association only: the count
// and the timer registration are undone (scope guards), the exception is logged, a later
// bind is not refused busy, and drain() completes once none is left.
TEST(P1Association, exception_in_an_association_leaks_nothing) {
  ResponderSettings rs = guinevere();
  rs.max_associations = 1;
  Server srv(rs);
  srv.keep = [](const Bytes& apdu) -> bool {
    if (apdu == message(1)) throw std::runtime_error("the queue exploded");
    return true;
  };
  PeerSettings p = peer("guinevere.smhs.co.uk", "merlin", "excalibur");
  p.port = srv.port;
  asio::io_context io;
  TestQueue q;
  q.add("m1", message(1));
  auto first = run(io, percival(), p, q);
  EXPECT_TRUE(first.bound);
  EXPECT_FALSE(first.released);
  const std::string logged = "association ended by an exception: the queue exploded";
  for (int k = 0; k < 200 && (srv.responder.associations() != 0 || srv.logs().find(logged) == std::string::npos); ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(srv.responder.associations(), 0u);
  EXPECT_NE(srv.logs().find(logged), std::string::npos) << srv.logs();
  srv.keep = [](const Bytes&) { return true; };
  TestQueue q2;
  q2.add("m2", message(2));
  auto second = run(io, percival(), p, q2);  // not busy: the count came back
  EXPECT_TRUE(second.bound && second.released) << second.failure.what;
  EXPECT_EQ(q2.confirmed_ids.size(), 1u);
  std::atomic<bool> drained{false};
  srv.responder.drain([&] { drained = true; });
  for (int k = 0; k < 200 && !drained; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(drained);
}

TEST(P1Association, p1_ping_answers) {
  ResponderSettings s = guinevere();
  s.max_associations = 1;
  Server srv(s);
  PingOptions o;
  o.host = "127.0.0.1";
  o.port = srv.port;
  o.mta = "percival.smhs.co.uk";
  o.password = "excalibur";
  o.peer = "guinevere.smhs.co.uk";
  o.peer_password = "merlin";
  // One association at a time: the next ping waits until the server has closed the last
  // one (the client sees the release before the server's count goes down).
  auto idle = [&] {
    for (int k = 0; k < 500 && srv.responder.associations() > 0; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };
  auto ok = p1_ping(o);
  EXPECT_TRUE(ok.ok) << ok.answer;
  EXPECT_EQ(ok.answer, "Bind-Result from guinevere.smhs.co.uk\nreleased");
  idle();

  PingOptions x410 = o;  // X.410-1984 mode, and PP's OCTET STRING password form
  x410.mode = mixer::p1::rtse::Mode::x410_1984;
  x410.password_octets = true;
  auto x = p1_ping(x410);
  EXPECT_TRUE(x.ok) << x.answer;
  EXPECT_NE(srv.logs().find("X.410-1984 mode"), std::string::npos) << srv.logs();
  idle();

  PingOptions wrong = o;
  wrong.password = "mordred";
  auto w = p1_ping(wrong);
  EXPECT_FALSE(w.ok);
  EXPECT_EQ(w.answer, "Bind-Error authentication-error");
  idle();

  PingOptions unknown = o;
  unknown.mta = "mordred.example";
  EXPECT_EQ(p1_ping(unknown).answer, "Bind-Error authentication-error");
  idle();

  PingOptions impostor = o;
  impostor.peer_password = "not-merlin";
  auto i = p1_ping(impostor);
  EXPECT_FALSE(i.ok);
  EXPECT_NE(i.answer.find("wrong password"), std::string::npos) << i.answer;
  idle();

  // Too many associations: hold one open, the next bind is refused busy.
  asio::io_context io;
  tcp::socket hold(io);
  hold.connect({asio::ip::make_address("127.0.0.1"), srv.port});
  exchange(hold, vector_file("ping-success/04-I-cr.hex"), 11);
  for (int k = 0; k < 100 && srv.responder.associations() < 1; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto busy = p1_ping(o);
  EXPECT_FALSE(busy.ok);
  EXPECT_EQ(busy.answer, "Bind-Error busy");

  PingOptions nobody = o;
  nobody.port = 1;  // nothing listens there
  auto n = p1_ping(nobody);
  EXPECT_FALSE(n.ok);
  EXPECT_NE(n.answer.find("cannot connect"), std::string::npos) << n.answer;
}

TEST(P1Association, hostile_peers_get_their_refusal_within_the_deadline) {
  ResponderSettings s = guinevere();
  s.deadlines.bind = std::chrono::milliseconds(400);
  s.deadlines.idle = std::chrono::milliseconds(400);
  Server srv(s);
  auto session = [&](const Bytes& out, std::size_t max_in) {
    asio::io_context io;
    tcp::socket sock(io);
    sock.connect({asio::ip::make_address("127.0.0.1"), srv.port});
    auto t0 = Clock::now();
    Bytes in = exchange(sock, out, max_in);  // returns at EOF
    return std::make_pair(in, Clock::now() - t0);
  };
  {  // garbage after a TPKT header: ER and close
    auto [in, took] = session(unhex("0300000b 0f ffffffffffffff"), 100);
    ASSERT_GE(in.size(), 9u);
    EXPECT_EQ(in[5], 0x70);
    EXPECT_LT(took, std::chrono::milliseconds(5000));  // the ER/RF itself shows it was not the deadline
  }
  {  // a TPKT of 65535 octets with short data: closed at the bind deadline
    auto [in, took] = session(unhex("0300ffff 02f080 0d00"), 100);
    EXPECT_TRUE(in.empty());
    EXPECT_GE(took, std::chrono::milliseconds(350));
    EXPECT_LT(took, std::chrono::milliseconds(5000));
  }
  {  // deep BER nesting in the CP: RF at once
    Bytes cp;
    for (int k = 0; k < 100; ++k) cp.insert(cp.end(), {0x31, 0x80});
    for (int k = 0; k < 100; ++k) cp.insert(cp.end(), {0x00, 0x00});
    Bytes tsdu = {0x0d, 0, 0xc1, 0xff, static_cast<std::uint8_t>(cp.size() >> 8), static_cast<std::uint8_t>(cp.size())};
    tsdu.insert(tsdu.end(), cp.begin(), cp.end());
    tsdu[1] = 0xff;
    tsdu.insert(tsdu.begin() + 2, {0, 0});
    std::size_t li = tsdu.size() - 4;
    tsdu[2] = static_cast<std::uint8_t>(li >> 8);
    tsdu[3] = static_cast<std::uint8_t>(li);
    Bytes out = vector_file("ping-success/04-I-cr.hex");
    Bytes dt = mixer::p1::test::dt_tpkt(tsdu);
    out.insert(out.end(), dt.begin(), dt.end());
    auto [in, took] = session(out, 1000);
    ASSERT_GT(in.size(), 11u + 7u);
    EXPECT_EQ(in[11 + 7], 0x0c);  // RF after the CC
    EXPECT_LT(took, std::chrono::milliseconds(5000));  // the ER/RF itself shows it was not the deadline
  }
  EXPECT_NE(srv.logs().find("nesting deeper"), std::string::npos) << srv.logs();
  EXPECT_NE(srv.logs().find("bind deadline passed"), std::string::npos) << srv.logs();
}

}  // namespace
