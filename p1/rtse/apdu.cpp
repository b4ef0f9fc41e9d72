// p1/rtse/apdu.cpp: RTSE APDUs over the BER reader and writer, following
// the Reliable-Transfer-APDU module (explicit tagging unless IMPLICIT).
#include "p1/rtse/apdu.hpp"

namespace mixer::p1::rtse {

using ber::context;
using ber::Reader;
using ber::Tag;
using ber::Writer;
namespace univ = ber::univ;

const char* to_string(Errc e) {
  switch (e) {
    case Errc::malformed: return "malformed RTSE APDU";
    case Errc::unknown_apdu: return "unknown RTSE APDU";
    case Errc::protocol_error: return "RTSE protocol error";
    case Errc::refused: return "association refused";
    case Errc::aborted: return "association aborted";
  }
  return "?";
}

namespace {

SessionConnectionIdentifier read_sci(Reader& s) {
  SessionConnectionIdentifier id;
  auto h = s.peek();
  if (h && h->tag == univ::teletex_string) {
    id.t61 = true;
    id.calling_reference = s.octets(univ::teletex_string);
  } else {
    id.calling_reference = s.octets(univ::octet_string);
  }
  id.common_reference = s.time(univ::utc_time);
  if (s.next_is(context(0))) id.additional_reference = s.octets(context(0));
  s.end();
  return id;
}

void write_sci(Writer& w, const SessionConnectionIdentifier& id) {
  w.octets(id.calling_reference, id.t61 ? univ::teletex_string : univ::octet_string);
  w.string(id.common_reference, univ::utc_time);
  if (id.additional_reference) w.octets(*id.additional_reference, context(0));
}

// ConnectionData, inside its explicit [3] (RTORQ) or [2] (RTOAC) tag.
ConnectionData read_connection_data(Reader& set, Tag t) {
  ConnectionData d;
  Reader x = set.enter(t);
  auto h = x.peek();
  if (h && h->tag == context(0)) {
    Reader open = x.enter(context(0));
    d.open = open.any();
    open.end();
  } else if (h && h->tag == context(1)) {
    d.recover = true;
    Reader r = x.enter(context(1));
    d.recovery = read_sci(r);
  } else if (x.ok()) {
    x.fail(ber::Errc::unexpected_tag, "ConnectionData neither open [0] nor recover [1]");
  }
  x.end();
  return d;
}

void write_connection_data(Writer& w, Tag t, const ConnectionData& d) {
  w.explicit_(t, [&] {
    if (d.recover) w.constructed(context(1), [&] { write_sci(w, d.recovery); });
    else w.explicit_(context(0), [&] { w.raw(d.open); });
  });
}

Rtorq read_rtorq(Reader& s) {
  Rtorq a;
  bool have_data = false;
  ber::for_each_component(s, false, [&](Tag t) {
    if (t == context(0)) a.checkpoint_size = s.integer(t);
    else if (t == context(1)) a.window_size = s.integer(t);
    else if (t == context(2)) a.dialogue_mode = s.integer(t);
    else if (t == context(3)) {
      a.data = read_connection_data(s, t);
      have_data = true;
    } else if (t == context(4)) a.application_protocol = s.integer(t);
    else return false;
    return true;
  });
  if (s.ok() && !have_data) s.fail(ber::Errc::missing, "RTORQ without connectionDataRQ");
  return a;
}

void write_rtorq(Writer& w, const Rtorq& a) {
  if (a.checkpoint_size) w.integer(*a.checkpoint_size, context(0));
  if (a.window_size) w.integer(*a.window_size, context(1));
  if (a.dialogue_mode) w.integer(*a.dialogue_mode, context(2));
  write_connection_data(w, context(3), a.data);
  if (a.application_protocol) w.integer(*a.application_protocol, context(4));
}

Rtoac read_rtoac(Reader& s) {
  Rtoac a;
  bool have_data = false;
  ber::for_each_component(s, false, [&](Tag t) {
    if (t == context(0)) a.checkpoint_size = s.integer(t);
    else if (t == context(1)) a.window_size = s.integer(t);
    else if (t == context(2)) {
      a.data = read_connection_data(s, t);
      have_data = true;
    } else return false;
    return true;
  });
  if (s.ok() && !have_data) s.fail(ber::Errc::missing, "RTOAC without connectionDataAC");
  return a;
}

void write_rtoac(Writer& w, const Rtoac& a) {
  if (a.checkpoint_size) w.integer(*a.checkpoint_size, context(0));
  if (a.window_size) w.integer(*a.window_size, context(1));
  write_connection_data(w, context(2), a.data);
}

std::optional<ByteView> read_open(Reader& s, Tag t) {
  Reader x = s.enter(t);
  ByteView v = x.any();
  x.end();
  return v;
}

Rtorj read_rtorj(Reader& s) {
  Rtorj a;
  ber::for_each_component(s, false, [&](Tag t) {
    if (t == context(0)) a.refuse_reason = s.integer(t);
    else if (t == context(1)) a.user_data = read_open(s, t);
    else return false;
    return true;
  });
  return a;
}

void write_rtorj(Writer& w, const Rtorj& a) {
  if (a.refuse_reason) w.integer(*a.refuse_reason, context(0));
  if (a.user_data) w.explicit_(context(1), [&] { w.raw(*a.user_data); });
}

Rtab read_rtab(Reader& s) {
  Rtab a;
  ber::for_each_component(s, false, [&](Tag t) {
    if (t == context(0)) a.abort_reason = s.integer(t);
    else if (t == context(1)) a.reflected_parameter = s.bit_string(t);
    else if (t == context(2)) a.user_data = read_open(s, t);
    else return false;
    return true;
  });
  return a;
}

void write_rtab(Writer& w, const Rtab& a) {
  if (a.abort_reason) w.integer(*a.abort_reason, context(0));
  if (a.reflected_parameter) w.bit_string(*a.reflected_parameter, context(1));
  if (a.user_data) w.explicit_(context(2), [&] { w.raw(*a.user_data); });
}

template <class T, class Read>
Result<T> decode_components(ByteView b, const ber::Limits& limits, const char* name, Read read) {
  T out;
  auto err = ber::decode(b, limits, [&](Reader& r) { out = read(r); });
  if (err) return make_error(Errc::malformed, std::string(name) + ": " + err->what, err->offset);
  return out;
}

template <class F>
Bytes write(F&& body) {
  Writer w;
  body(w);
  return w.take();
}

}  // namespace

Result<Apdu> decode(ByteView b, const ber::Limits& limits) {
  Apdu out;
  bool unknown = false;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    auto h = r.peek();
    if (!h) {
      if (r.ok()) r.fail(ber::Errc::missing, "no RTSE APDU");
      return;
    }
    if (h->tag == context(16)) {
      Reader s = r.enter(h->tag);
      out.emplace<Rtorq>(read_rtorq(s));
    } else if (h->tag == context(17)) {
      Reader s = r.enter(h->tag);
      out.emplace<Rtoac>(read_rtoac(s));
    } else if (h->tag == context(18)) {
      Reader s = r.enter(h->tag);
      out.emplace<Rtorj>(read_rtorj(s));
    } else if (h->tag == context(22)) {
      Reader s = r.enter(h->tag);
      out.emplace<Rtab>(read_rtab(s));
    } else if (h->tag == univ::integer) {
      out.emplace<Rttp>(Rttp{r.integer()});
    } else if (h->tag == univ::octet_string) {
      Rttr t;
      if (h->constructed) t.owned = r.octets();
      else t.octets = r.octets_view();
      out.emplace<Rttr>(std::move(t));
    } else {
      unknown = true;
      r.fail(ber::Errc::unexpected_tag, "RTSE APDU tagged " + ber::to_string(h->tag));
      return;
    }
    r.end();
  });
  if (unknown) return make_error(Errc::unknown_apdu, err->what, 0);
  if (err) return make_error(Errc::malformed, "RTSE: " + err->what, err->offset);
  return out;
}

Bytes encode(const Apdu& a) {
  Writer w;
  if (auto* q = std::get_if<Rtorq>(&a)) w.constructed(context(16), [&] { write_rtorq(w, *q); });
  else if (auto* c = std::get_if<Rtoac>(&a)) w.constructed(context(17), [&] { write_rtoac(w, *c); });
  else if (auto* j = std::get_if<Rtorj>(&a)) w.constructed(context(18), [&] { write_rtorj(w, *j); });
  else if (auto* p = std::get_if<Rttp>(&a)) w.integer(p->priority);
  else if (auto* t = std::get_if<Rttr>(&a)) w.octets(t->value());
  else if (auto* b = std::get_if<Rtab>(&a)) w.constructed(context(22), [&] { write_rtab(w, *b); });
  return w.take();
}

Result<Rtorq> decode_rtorq_components(ByteView b, const ber::Limits& l) {
  return decode_components<Rtorq>(b, l, "RTORQ", [](Reader& r) { return read_rtorq(r); });
}
Result<Rtoac> decode_rtoac_components(ByteView b, const ber::Limits& l) {
  return decode_components<Rtoac>(b, l, "RTOAC", [](Reader& r) { return read_rtoac(r); });
}
Result<Rtorj> decode_rtorj_components(ByteView b, const ber::Limits& l) {
  return decode_components<Rtorj>(b, l, "RTORJ", [](Reader& r) { return read_rtorj(r); });
}
Result<Rtab> decode_rtab_components(ByteView b, const ber::Limits& l) {
  return decode_components<Rtab>(b, l, "RTAB", [](Reader& r) { return read_rtab(r); });
}

Bytes encode_components(const Rtorq& a) { return write([&](Writer& w) { write_rtorq(w, a); }); }
Bytes encode_components(const Rtoac& a) { return write([&](Writer& w) { write_rtoac(w, a); }); }
Bytes encode_components(const Rtorj& a) { return write([&](Writer& w) { write_rtorj(w, a); }); }
Bytes encode_components(const Rtab& a) { return write([&](Writer& w) { write_rtab(w, a); }); }

Bytes rttr_header(std::size_t size) {
  Writer w;
  w.header(univ::octet_string, false, size);
  return w.take();
}

}  // namespace mixer::p1::rtse
