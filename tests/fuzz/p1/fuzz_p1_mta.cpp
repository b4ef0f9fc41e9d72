// tests/fuzz/p1/fuzz_p1_mta.cpp: arbitrary bytes through the MTA-bind
// decoder, wrapped (normal mode) and bare (X.410 mode); what decodes
// re-encodes to the same name, credentials and error.
#include <cstddef>
#include <cstdint>

#include "p1/mta/bind.hpp"

using namespace mixer::p1::mta;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mixer::p1::ber::Limits lim;
  lim.max_depth = 16;
  lim.max_elements = 1024;
  for (bool wrapped : {true, false}) {
    auto r = decode_bind(ByteView(data, size), lim, wrapped);
    if (!r) continue;
    Bytes again;
    switch (r->kind) {
      case BindApdu::Kind::argument: again = encode_bind_argument(r->value, wrapped); break;
      case BindApdu::Kind::result: again = encode_bind_result(r->value, wrapped); break;
      case BindApdu::Kind::error: again = encode_bind_error(static_cast<BindError>(r->error), wrapped); break;
    }
    auto back = decode_bind(again, lim, wrapped);
    if (!back || back->kind != r->kind || back->value.name != r->value.name || back->error != r->error ||
        !(back->value.credentials.password == r->value.credentials.password))
      __builtin_trap();
  }
  return 0;
}
