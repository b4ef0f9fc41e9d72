// tests/fuzz/p1/fuzz_p1_presentation.cpp: arbitrary bytes through every
// X.226 PPDU decoder; whatever decodes re-encodes to something that decodes
// to the same modes, contexts, results and user data.
#include <cstddef>
#include <cstdint>

#include "p1/presentation/contexts.hpp"
#include "p1/presentation/ppdu.hpp"

using namespace mixer::p1::presentation;

namespace {
bool same(const std::optional<UserData>& a, const std::optional<UserData>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  if (a->pdvs.size() != b->pdvs.size()) return false;
  for (std::size_t i = 0; i < a->pdvs.size(); ++i) {
    auto x = a->pdvs[i].value(), y = b->pdvs[i].value();
    if (a->pdvs[i].context_id != b->pdvs[i].context_id || !std::equal(x.begin(), x.end(), y.begin(), y.end()))
      return false;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mixer::p1::ber::Limits lim;
  lim.max_depth = 24;
  lim.max_elements = 4096;
  ByteView in(data, size);
  if (auto cp = decode_cp(in, lim)) {
    Bytes again = encode(*cp);
    auto back = decode_cp(again, lim);
    if (!back || back->mode != cp->mode || back->contexts.size() != cp->contexts.size() || !same(cp->user_data, back->user_data))
      __builtin_trap();
    ContextSet set;
    auto results = negotiate(cp->contexts, {Oid{2, 2, 1, 0, 1}, Oid{2, 6, 0, 2, 12}}, set);
    if (results.size() != cp->contexts.size()) __builtin_trap();
  }
  if (auto cpa = decode_cpa(in, lim)) {
    Bytes again = encode(*cpa);  // decoded views point into it
    auto back = decode_cpa(again, lim);
    if (!back || back->results.size() != cpa->results.size() || !same(cpa->user_data, back->user_data)) __builtin_trap();
  }
  if (auto cpr = decode_cpr(in, lim)) {
    Bytes again = encode(*cpr);  // decoded views point into it
    auto back = decode_cpr(again, lim);
    if (!back || back->provider_reason != cpr->provider_reason || !same(cpr->user_data, back->user_data)) __builtin_trap();
  }
  if (auto ab = decode_abort(in, lim)) {
    Bytes again = encode(*ab);  // decoded views point into it
    auto back = decode_abort(again, lim);
    if (!back || back->provider != ab->provider || back->abort_reason != ab->abort_reason) __builtin_trap();
  }
  if (auto ud = decode_user_data(in, lim)) {
    Bytes again = encode(*ud);  // decoded views point into it
    auto back = decode_user_data(again, lim);
    if (!back || !same(std::optional<UserData>(*ud), std::optional<UserData>(*back))) __builtin_trap();
  }
  return 0;
}
