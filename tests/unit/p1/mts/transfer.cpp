// tests/unit/p1/mts/transfer.cpp: see transfer.hpp.
#include "tests/unit/p1/mts/transfer.hpp"
#include "tests/unit/p1/support/wire.hpp"

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

using Wire = mixer::p1::test::RtseWire;

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
