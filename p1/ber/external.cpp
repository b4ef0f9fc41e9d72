// p1/ber/external.cpp: EXTERNAL (X.690 §8.18) in both directions.
#include "p1/ber/external.hpp"

namespace mixer::p1::ber {

External read_external(Reader& r, Tag t) {
  External e;
  Reader s = r.enter(t);
  if (s.next_is(univ::object_identifier)) e.direct_reference = s.oid();
  if (s.next_is(univ::integer)) e.indirect_reference = s.integer();
  if (s.next_is(univ::object_descriptor)) e.data_value_descriptor = s.string(univ::object_descriptor);
  auto h = s.peek();
  if (!h) {
    if (s.ok()) s.fail(Errc::missing, "EXTERNAL without an encoding");
    return e;
  }
  if (h->tag == context(0)) {
    e.encoding = External::Encoding::single_asn1_type;
    Reader v = s.enter(context(0));
    e.value = v.any();
    v.end();
  } else if (h->tag == context(1)) {
    e.encoding = External::Encoding::octet_aligned;
    e.octets = s.octets(context(1));
  } else if (h->tag == context(2)) {
    e.encoding = External::Encoding::arbitrary;
    BitString b = s.bit_string(context(2));
    e.octets = std::move(b.bytes);
    e.unused_bits = b.unused_bits;
  } else {
    s.fail(Errc::unexpected_tag, "EXTERNAL encoding tagged " + to_string(h->tag));
  }
  s.end();
  if (!e.direct_reference && !e.indirect_reference && s.ok())
    s.fail(Errc::missing, "EXTERNAL with neither direct nor indirect reference");
  return e;
}

void write_external(Writer& w, const External& e, Tag t) {
  w.constructed(t, [&] {
    if (e.direct_reference) w.oid(*e.direct_reference);
    if (e.indirect_reference) w.integer(*e.indirect_reference);
    if (e.data_value_descriptor) w.string(*e.data_value_descriptor, univ::object_descriptor);
    switch (e.encoding) {
      case External::Encoding::single_asn1_type:
        w.explicit_(context(0), [&] { w.raw(e.value); });
        break;
      case External::Encoding::octet_aligned:
        w.octets(e.octets, context(1));
        break;
      case External::Encoding::arbitrary:
        w.bit_string(BitString{e.octets, e.unused_bits}, context(2));
        break;
    }
  });
}

}  // namespace mixer::p1::ber
