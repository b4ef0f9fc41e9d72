// p1/presentation/ppdu.cpp: X.226 PPDUs over the BER reader and writer.
// Each decoder follows its ASN.1 type in the ISO8823-PRESENTATION module
// (explicit tagging unless IMPLICIT is written).
#include "p1/presentation/ppdu.hpp"

namespace mixer::p1::presentation {

using ber::context;
using ber::Reader;
using ber::Tag;
using ber::Writer;
namespace univ = ber::univ;

const char* to_string(Errc e) {
  switch (e) {
    case Errc::malformed: return "malformed PPDU";
    case Errc::bad_mode: return "bad presentation mode";
    case Errc::unsupported: return "unsupported presentation feature";
    case Errc::unknown_context: return "unknown presentation context";
  }
  return "?";
}

namespace {

constexpr Tag user_data_simple = ber::application(0);
constexpr Tag user_data_full = ber::application(1);

// Decoding state for one PPDU: non-BER faults stop the BER reader too.
struct Faults {
  std::optional<Error> fault;
  void set(Reader& r, Errc code, std::string what) {
    if (!fault) fault = make_error(code, std::move(what), r.offset());
    r.fail(ber::Errc::bad_value, "presentation fault");
  }
};

template <class T>
Result<T> finish(const char* what, std::optional<ber::Error> err, Faults& f, T&& value) {
  if (f.fault) return *f.fault;
  if (err) return make_error(Errc::malformed, std::string(what) + ": " + err->what, err->offset);
  return std::move(value);
}

std::vector<ContextDefinition> read_context_list(Reader& r, Tag t) {
  std::vector<ContextDefinition> out;
  Reader list = r.enter(t);
  while (!list.at_end()) {
    Reader item = list.sequence();
    ContextDefinition d;
    d.id = item.integer();
    d.abstract_syntax = item.oid();
    Reader ts = item.sequence();
    while (!ts.at_end()) d.transfer_syntaxes.push_back(ts.oid());
    item.end();
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<ContextResult> read_result_list(Reader& r, Tag t) {
  std::vector<ContextResult> out;
  Reader list = r.enter(t);
  while (!list.at_end()) {
    Reader item = list.sequence();
    ContextResult c;
    c.result = item.integer(context(0));
    if (item.next_is(context(1))) c.transfer_syntax = item.oid(context(1));
    if (item.next_is(context(2))) c.provider_reason = item.integer(context(2));
    item.end();
    out.push_back(std::move(c));
  }
  return out;
}

UserData read_user_data(Reader& r, Faults& f) {
  UserData u;
  auto h = r.peek();
  if (!h) return u;
  if (h->tag == user_data_simple) {
    f.set(r, Errc::unsupported, "simply-encoded user data (X.226 §8.4.2) is not used by P1");
    return u;
  }
  Reader list = r.enter(user_data_full);
  while (!list.at_end()) {
    Reader pdv = list.sequence();
    Pdv p;
    if (pdv.next_is(univ::object_identifier)) p.transfer_syntax = pdv.oid();
    p.context_id = pdv.integer();
    auto v = pdv.peek();
    if (v && v->tag == context(0)) {
      Reader single = pdv.enter(context(0));
      p.view = single.any();
      single.end();
    } else if (v && v->tag == context(1)) {
      p.encoding = Pdv::Encoding::octet_aligned;
      if (v->constructed) p.owned = pdv.octets(context(1));
      else p.view = pdv.octets_view(context(1));
    } else if (v && v->tag == context(2)) {
      p.encoding = Pdv::Encoding::arbitrary;
      p.owned = pdv.bit_string(context(2)).bytes;
    } else if (pdv.ok()) {
      pdv.fail(ber::Errc::missing, "PDV-list without presentation-data-values");
    }
    pdv.end();
    u.pdvs.push_back(std::move(p));
  }
  if (u.pdvs.empty() && r.ok()) r.fail(ber::Errc::missing, "fully-encoded-data with no PDV-list");
  return u;
}

std::optional<Bytes> opt_octets(Reader& r, Tag t) {
  if (!r.next_is(t)) return std::nullopt;
  return r.octets(t);
}
std::optional<ber::BitString> opt_bits(Reader& r, Tag t) {
  if (!r.next_is(t)) return std::nullopt;
  return r.bit_string(t);
}
bool is_user_data(Reader& r) { return r.next_is(user_data_full) || r.next_is(user_data_simple); }

// mode-selector [0] IMPLICIT Mode-selector ::= SET { mode-value [0] IMPLICIT INTEGER }
std::optional<Mode> read_mode(Reader& set) {
  Reader m = set.enter(context(0));
  auto v = m.integer(context(0));
  m.end();
  if (v == 0) return Mode::x410_1984;
  if (v == 1) return Mode::normal;
  return std::nullopt;
}

void write_mode(Writer& w, Mode m) {
  w.constructed(context(0), [&] { w.integer(static_cast<int>(m), context(0)); });
}

void write_context_list(Writer& w, Tag t, const std::vector<ContextDefinition>& l) {
  w.constructed(t, [&] {
    for (const auto& d : l)
      w.sequence([&] {
        w.integer(d.id);
        w.oid(d.abstract_syntax);
        w.sequence([&] {
          for (const auto& ts : d.transfer_syntaxes) w.oid(ts);
        });
      });
  });
}

void write_result_list(Writer& w, Tag t, const std::vector<ContextResult>& l) {
  w.constructed(t, [&] {
    for (const auto& c : l)
      w.sequence([&] {
        w.integer(c.result, context(0));
        if (c.transfer_syntax) w.oid(*c.transfer_syntax, context(1));
        if (c.provider_reason) w.integer(*c.provider_reason, context(2));
      });
  });
}

// Reads the CP-type/CPA-PPDU SET: mode, then one of [1] (x410) or [2] (normal).
template <class Normal>
Mode read_modal_set(Reader& r, Faults& f, const char* name, ByteView& x410, Normal&& normal) {
  std::optional<Mode> mode;
  bool have_x410 = false, have_normal = false;
  Reader set = r.set();
  ber::for_each_component(set, false, [&](Tag t) {
    if (t == context(0)) {
      mode = read_mode(set);
      if (!mode) f.set(set, Errc::bad_mode, std::string(name) + ": mode-value neither x410-1984(0) nor normal(1)");
    } else if (t == context(1)) {
      Reader x = set.enter(context(1));
      x410 = x.rest();
      have_x410 = true;
    } else if (t == context(2)) {
      Reader n = set.enter(context(2));
      normal(n);
      n.end();
      have_normal = true;
    } else {
      return false;
    }
    return true;
  });
  r.end();
  if (!f.fault && set.ok()) {
    if (!mode) f.set(r, Errc::bad_mode, std::string(name) + " without a mode-selector");
    else if (*mode == Mode::normal && have_x410) f.set(r, Errc::bad_mode, std::string(name) + ": x410-mode-parameters in normal mode");
    else if (*mode == Mode::x410_1984 && have_normal) f.set(r, Errc::bad_mode, std::string(name) + ": normal-mode-parameters in X.410 mode");
    else if (*mode == Mode::x410_1984 && !have_x410) f.set(r, Errc::bad_mode, std::string(name) + ": X.410 mode without its RTSE parameters");
  }
  return mode.value_or(Mode::normal);
}

}  // namespace

void write_user_data(Writer& w, const UserData& u) {
  w.constructed(user_data_full, [&] {
    for (const auto& p : u.pdvs)
      w.sequence([&] {
        if (p.transfer_syntax) w.oid(*p.transfer_syntax);
        w.integer(p.context_id);
        switch (p.encoding) {
          case Pdv::Encoding::single_asn1_type: w.explicit_(context(0), [&] { w.raw(p.value()); }); break;
          case Pdv::Encoding::octet_aligned: w.octets(p.value(), context(1)); break;
          case Pdv::Encoding::arbitrary: w.bit_string(ber::BitString{Bytes(p.value().begin(), p.value().end()), 0}, context(2)); break;
        }
      });
  });
}

UserData single_value(std::int64_t context_id, ByteView value) {
  UserData u;
  Pdv p;
  p.context_id = context_id;
  p.view = value;
  u.pdvs.push_back(std::move(p));
  return u;
}

Result<ConnectPpdu> decode_cp(ByteView b, const ber::Limits& limits) {
  ConnectPpdu cp;
  Faults f;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    cp.mode = read_modal_set(r, f, "CP-type", cp.x410_parameters, [&](Reader& n) {
      cp.protocol_version = opt_bits(n, context(0));
      cp.calling_selector = opt_octets(n, context(1));
      cp.called_selector = opt_octets(n, context(2));
      if (n.next_is(context(4))) cp.contexts = read_context_list(n, context(4));
      if (n.next_is(context(6))) {
        Reader d = n.enter(context(6));
        Oid a = d.oid(context(0)), t = d.oid(context(1));
        d.end();
        cp.default_context = std::make_pair(a, t);
      }
      cp.presentation_requirements = opt_bits(n, context(8));
      cp.user_session_requirements = opt_bits(n, context(9));
      for (std::uint32_t tag : {11u, 12u, 14u})
        if (n.next_is(context(tag))) n.skip();  // protocol-options, nominated context, extensions
      if (is_user_data(n)) cp.user_data = read_user_data(n, f);
    });
  });
  return finish("CP-type", err, f, std::move(cp));
}

Result<AcceptPpdu> decode_cpa(ByteView b, const ber::Limits& limits) {
  AcceptPpdu cpa;
  Faults f;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    cpa.mode = read_modal_set(r, f, "CPA-PPDU", cpa.x410_parameters, [&](Reader& n) {
      cpa.protocol_version = opt_bits(n, context(0));
      cpa.responding_selector = opt_octets(n, context(3));
      if (n.next_is(context(5))) cpa.results = read_result_list(n, context(5));
      cpa.presentation_requirements = opt_bits(n, context(8));
      cpa.user_session_requirements = opt_bits(n, context(9));
      for (std::uint32_t tag : {11u, 13u})
        if (n.next_is(context(tag))) n.skip();
      if (is_user_data(n)) cpa.user_data = read_user_data(n, f);
    });
  });
  return finish("CPA-PPDU", err, f, std::move(cpa));
}

Result<RefusePpdu> decode_cpr(ByteView b, const ber::Limits& limits) {
  RefusePpdu cpr;
  Faults f;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    if (r.next_is(univ::set)) {
      cpr.mode = Mode::x410_1984;
      Reader s = r.set();
      cpr.x410_parameters = s.rest();
    } else {
      Reader n = r.sequence();
      cpr.protocol_version = opt_bits(n, context(0));
      cpr.responding_selector = opt_octets(n, context(3));
      if (n.next_is(context(5))) cpr.results = read_result_list(n, context(5));
      if (n.next_is(context(7))) cpr.default_context_result = n.integer(context(7));
      if (n.next_is(context(10))) cpr.provider_reason = n.integer(context(10));
      if (is_user_data(n)) cpr.user_data = read_user_data(n, f);
      n.end();
    }
    r.end();
  });
  return finish("CPR-PPDU", err, f, std::move(cpr));
}

Result<AbortPpdu> decode_abort(ByteView b, const ber::Limits& limits) {
  AbortPpdu a;
  Faults f;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    if (r.next_is(univ::set)) {  // ARU, X.410 mode
      a.mode = Mode::x410_1984;
      Reader s = r.set();
      a.x410_parameters = s.rest();
    } else if (r.next_is(context(0))) {  // ARU, normal mode
      Reader n = r.enter(context(0));
      if (n.next_is(context(0))) {
        Reader l = n.enter(context(0));
        while (!l.at_end()) {
          Reader item = l.sequence();
          std::int64_t id = item.integer();
          Oid ts = item.oid();
          item.end();
          a.context_identifiers.emplace_back(id, ts);
        }
      }
      if (is_user_data(n)) a.user_data = read_user_data(n, f);
      n.end();
    } else {  // ARP
      a.provider = true;
      Reader s = r.sequence();
      if (s.next_is(context(0))) a.abort_reason = s.integer(context(0));
      if (s.next_is(context(1))) a.event_identifier = s.integer(context(1));
      s.end();
    }
    r.end();
  });
  return finish("Abort-type", err, f, std::move(a));
}

Result<UserData> decode_user_data(ByteView b, const ber::Limits& limits) {
  UserData u;
  Faults f;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    u = read_user_data(r, f);
    if (!r.ok()) return;
    if (u.pdvs.empty()) r.fail(ber::Errc::missing, "no User-data");
    r.end();
  });
  return finish("User-data", err, f, std::move(u));
}

Bytes encode(const ConnectPpdu& p) {
  Writer w;
  w.set([&] {
    write_mode(w, p.mode);
    if (p.mode == Mode::x410_1984) {
      w.constructed(context(1), [&] { w.raw(p.x410_parameters); });
      return;
    }
    w.constructed(context(2), [&] {
      if (p.protocol_version) w.bit_string(*p.protocol_version, context(0));
      if (p.calling_selector) w.octets(*p.calling_selector, context(1));
      if (p.called_selector) w.octets(*p.called_selector, context(2));
      if (!p.contexts.empty()) write_context_list(w, context(4), p.contexts);
      if (p.default_context)
        w.constructed(context(6), [&] {
          w.oid(p.default_context->first, context(0));
          w.oid(p.default_context->second, context(1));
        });
      if (p.presentation_requirements) w.bit_string(*p.presentation_requirements, context(8));
      if (p.user_session_requirements) w.bit_string(*p.user_session_requirements, context(9));
      if (p.user_data) write_user_data(w, *p.user_data);
    });
  });
  return w.take();
}

Bytes encode(const AcceptPpdu& p) {
  Writer w;
  w.set([&] {
    write_mode(w, p.mode);
    if (p.mode == Mode::x410_1984) {
      w.constructed(context(1), [&] { w.raw(p.x410_parameters); });
      return;
    }
    w.constructed(context(2), [&] {
      if (p.protocol_version) w.bit_string(*p.protocol_version, context(0));
      if (p.responding_selector) w.octets(*p.responding_selector, context(3));
      if (!p.results.empty()) write_result_list(w, context(5), p.results);
      if (p.presentation_requirements) w.bit_string(*p.presentation_requirements, context(8));
      if (p.user_session_requirements) w.bit_string(*p.user_session_requirements, context(9));
      if (p.user_data) write_user_data(w, *p.user_data);
    });
  });
  return w.take();
}

Bytes encode(const RefusePpdu& p) {
  Writer w;
  if (p.mode == Mode::x410_1984) {
    w.set([&] { w.raw(p.x410_parameters); });
    return w.take();
  }
  w.sequence([&] {
    if (p.protocol_version) w.bit_string(*p.protocol_version, context(0));
    if (p.responding_selector) w.octets(*p.responding_selector, context(3));
    if (!p.results.empty()) write_result_list(w, context(5), p.results);
    if (p.default_context_result) w.integer(*p.default_context_result, context(7));
    if (p.provider_reason) w.integer(*p.provider_reason, context(10));
    if (p.user_data) write_user_data(w, *p.user_data);
  });
  return w.take();
}

Bytes encode(const AbortPpdu& p) {
  Writer w;
  if (p.provider) {
    w.sequence([&] {
      if (p.abort_reason) w.integer(*p.abort_reason, context(0));
      if (p.event_identifier) w.integer(*p.event_identifier, context(1));
    });
  } else if (p.mode == Mode::x410_1984) {
    w.set([&] { w.raw(p.x410_parameters); });
  } else {
    w.constructed(context(0), [&] {
      if (!p.context_identifiers.empty())
        w.constructed(context(0), [&] {
          for (const auto& item : p.context_identifiers)
            w.sequence([&] {
              w.integer(item.first);
              w.oid(item.second);
            });
        });
      if (p.user_data) write_user_data(w, *p.user_data);
    });
  }
  return w.take();
}

Bytes encode(const UserData& u) {
  Writer w;
  write_user_data(w, u);
  return w.take();
}

}  // namespace mixer::p1::presentation
