// tests/unit/p1/mts/transfer.cpp: see transfer.hpp.
#include "tests/unit/p1/mts/transfer.hpp"

#include <stdexcept>

#include "p1/mta/bind.hpp"
#include "p1/rtse/machine.hpp"

namespace mixer::p1::mts::test {

namespace {
using namespace mixer::p1::rtse;
namespace mta = mixer::p1::mta;
namespace mts = mixer::p1::mts;
using mixer::p1::test::bytes_of;
using mixer::p1::test::dt_tpkt;
using mixer::p1::test::Segment;
using mixer::p1::test::tshark_decode;
using Bytes = std::vector<std::uint8_t>;

void ok(mixer::p1::Status<Errc> s) {
  if (!s) throw std::runtime_error(s.error().what);
}

struct Wire {
  Machine i, r;
  std::vector<Segment> transcript;
  std::vector<Event> at_i, at_r;
  Wire(Settings is, Settings rs) : i(Role::initiator, std::move(is)), r(Role::responder, std::move(rs)) {}
  void run() {
    for (int n = 0; n < 100000; ++n) {
      auto a = i.take_output();
      for (auto& t : a) {
        transcript.push_back({true, dt_tpkt(t)});
        auto ev = r.receive(t);
        if (!ev) throw std::runtime_error(ev.error().what);
        for (auto& e : *ev) at_r.push_back(std::move(e));
      }
      auto b = r.take_output();
      for (auto& t : b) {
        transcript.push_back({false, dt_tpkt(t)});
        auto ev = i.receive(t);
        if (!ev) throw std::runtime_error(ev.error().what);
        for (auto& e : *ev) at_i.push_back(std::move(e));
      }
      if (a.empty() && b.empty()) return;
    }
  }
};

// Binds, transfers each APDU (confirmed), releases; returns tshark's decode.
}  // namespace

mixer::p1::test::Decode transfer(const std::vector<Bytes>& apdus, const std::vector<std::string>& allowed) {
  Settings is;
  is.calling_reference = bytes_of("MIXER-A");
  is.common_reference = "261123104015Z";
  Wire w(is, Settings{});
  mta::BindArgument a;
  a.name = "mixer-a.example";
  a.credentials.password = mta::simple_password("secret-a");
  ok(w.i.open(mta::encode_bind_argument(a, true)));
  w.run();
  mta::BindResult res;
  res.name = "mixer-b.example";
  res.credentials.password = mta::simple_password("secret-b");
  ok(w.r.accept(mta::encode_bind_result(res, true)));
  w.run();
  for (const Bytes& apdu : apdus) {
    ok(w.i.transfer(apdu));
    w.run();
    ok(w.r.confirm_transfer());
    w.run();
  }
  ok(w.i.close());
  w.run();
  ok(w.r.close_response());
  w.run();
  return tshark_decode(w.transcript, 102, allowed);
}


}  // namespace mixer::p1::mts::test
