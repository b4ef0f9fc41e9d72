// tests/unit/p1/support/wire.hpp: two RTSE machines (initiator and
// responder) connected back to back, with the transcript of every TSDU they
// exchanged as TPKTs, for the tshark oracle tests.
#pragma once

#include <stdexcept>
#include <vector>

#include "p1/rtse/machine.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace mixer::p1::test {

struct RtseWire {
  rtse::Machine i, r;
  std::vector<Segment> transcript;
  std::vector<rtse::Event> at_i, at_r;
  RtseWire(rtse::Settings is, rtse::Settings rs)
      : i(rtse::Role::initiator, std::move(is)), r(rtse::Role::responder, std::move(rs)) {}
  // Lets them talk until both are silent.
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

}  // namespace mixer::p1::test
