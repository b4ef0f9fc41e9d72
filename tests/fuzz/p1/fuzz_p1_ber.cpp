// tests/fuzz/p1/fuzz_p1_ber.cpp: arbitrary bytes through the BER reader
// (generic walk and EXTERNAL), under small limits. Whatever decodes is
// re-encoded with definite lengths and decoded again: the two element trees
// must be identical (reader and writer agree on every value they accept).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "p1/ber/external.hpp"
#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"

namespace {
using namespace mixer::p1::ber;

struct Node {
  Tag tag;
  bool constructed;
  unsigned depth;
  Bytes content;  // primitives only
  bool operator==(const Node&) const = default;
};

void walk(Reader& r, std::vector<Node>& out) {
  while (!r.at_end()) {
    auto h = r.peek();
    if (!h) return;
    if (h->constructed) {
      out.push_back({h->tag, true, r.depth(), {}});
      Reader c = r.enter(h->tag);
      walk(c, out);
    } else {
      ByteView v = r.primitive(h->tag);
      out.push_back({h->tag, false, r.depth(), Bytes(v.begin(), v.end())});
    }
  }
}

// Re-encodes nodes[i..] at `depth` (definite lengths); returns the next index.
std::size_t encode(const std::vector<Node>& nodes, std::size_t i, unsigned depth, Writer& w) {
  while (i < nodes.size() && nodes[i].depth == depth) {
    const Node& n = nodes[i++];
    if (n.constructed) w.constructed(n.tag, [&] { i = encode(nodes, i, depth + 1, w); });
    else w.primitive(n.tag, n.content);
  }
  return i;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Limits lim;
  lim.max_size = 1 << 16;
  lim.max_depth = 24;
  lim.max_elements = 4096;
  ByteView in(data, size);

  std::vector<Node> first;
  auto err = decode(in, lim, [&](Reader& r) { walk(r, first); r.end(); });
  if (!err) {
    Writer w;
    encode(first, 0, 0, w);
    std::vector<Node> second;
    Limits wide = lim;
    wide.max_size = 1 << 20;
    auto again = decode(w.bytes(), wide, [&](Reader& r) { walk(r, second); r.end(); });
    if (again || first != second) __builtin_trap();
  }

  (void)decode(in, lim, [&](Reader& r) {
    External e = read_external(r);
    if (r.ok()) {
      Writer w;
      write_external(w, e);
      External back;
      auto again = decode(w.bytes(), Limits{}, [&](Reader& q) { back = read_external(q); q.end(); });
      if (again || back.indirect_reference != e.indirect_reference || back.direct_reference != e.direct_reference ||
          back.octets != e.octets || back.value.size() != e.value.size())
        __builtin_trap();
    }
  });
  return 0;
}
