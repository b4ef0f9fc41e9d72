// p1/acse/apdu.cpp: ACSE APDUs over the BER reader and writer, following
// the ACSE-1 module (X.227bis): explicit tags unless IMPLICIT is written.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 at -O2 warns of maybe-uninitialized members inside std::variant's
// move of the decoded APDU: a false positive of its inliner (every
// alternative is constructed before it is moved).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "p1/acse/apdu.hpp"

namespace mixer::p1::acse {

using ber::application;
using ber::context;
using ber::Reader;
using ber::Tag;
using ber::Writer;
namespace univ = ber::univ;

const char* to_string(Errc e) {
  switch (e) {
    case Errc::malformed: return "malformed ACSE APDU";
    case Errc::unknown_apdu: return "unknown ACSE APDU";
  }
  return "?";
}

Title Title::from_oid(const Oid& o) {
  Writer w;
  w.oid(o);
  return Title{w.take()};
}

Title Title::from_integer(std::int64_t v) {
  Writer w;
  w.integer(v);
  return Title{w.take()};
}

std::optional<Oid> Title::oid() const {
  Oid o;
  auto err = ber::decode(encoding, ber::Limits{}, [&](Reader& r) { o = r.oid(); r.end(); });
  if (err) return std::nullopt;
  return o;
}

std::optional<std::int64_t> Title::integer() const {
  std::int64_t v = 0;
  auto err = ber::decode(encoding, ber::Limits{}, [&](Reader& r) { v = r.integer(); r.end(); });
  if (err) return std::nullopt;
  return v;
}

namespace {

// An explicitly tagged CHOICE value: its inner encoding.
Title read_title(Reader& r, Tag t) {
  Reader x = r.enter(t);
  ByteView v = x.any();
  x.end();
  return Title{Bytes(v.begin(), v.end())};
}

std::int64_t read_explicit_integer(Reader& r, Tag t) {
  Reader x = r.enter(t);
  std::int64_t v = x.integer();
  x.end();
  return v;
}

// Association-data ::= SEQUENCE OF EXTERNAL, here [30] IMPLICIT.
std::vector<External> read_user_information(Reader& r) {
  std::vector<External> out;
  Reader l = r.enter(context(30));
  while (!l.at_end()) out.push_back(ber::read_external(l));
  return out;
}

void write_user_information(Writer& w, const std::vector<External>& ui) {
  if (ui.empty()) return;
  w.constructed(context(30), [&] {
    for (const auto& e : ui) ber::write_external(w, e);
  });
}

void write_title(Writer& w, Tag t, const std::optional<Title>& title) {
  if (title) w.explicit_(t, [&] { w.raw(title->encoding); });
}

void write_explicit_integer(Writer& w, Tag t, const std::optional<std::int64_t>& v) {
  if (v) w.explicit_(t, [&] { w.integer(*v); });
}

// Reads the components shared by AARQ ([2]..[9] for called/calling) and AARE ([4]..[7]).
bool read_endpoint(Reader& s, Tag t, std::uint32_t base, Endpoint& e) {
  if (t == context(base)) e.ap_title = read_title(s, t);
  else if (t == context(base + 1)) e.ae_qualifier = read_title(s, t);
  else if (t == context(base + 2)) e.ap_invocation = read_explicit_integer(s, t);
  else if (t == context(base + 3)) e.ae_invocation = read_explicit_integer(s, t);
  else return false;
  return true;
}

void write_endpoint(Writer& w, std::uint32_t base, const Endpoint& e) {
  write_title(w, context(base), e.ap_title);
  write_title(w, context(base + 1), e.ae_qualifier);
  write_explicit_integer(w, context(base + 2), e.ap_invocation);
  write_explicit_integer(w, context(base + 3), e.ae_invocation);
}

std::optional<Bytes> read_auth(Reader& s, Tag t) {
  Reader x = s.enter(t);
  ByteView v = x.any();
  x.end();
  return Bytes(v.begin(), v.end());
}

Aarq read_aarq(Reader& r) {
  Aarq a;
  bool have_name = false;
  Reader s = r.enter(application(0));
  while (!s.at_end()) {
    auto h = s.peek();
    if (!h) break;
    Tag t = h->tag;
    if (t == context(0)) a.protocol_version = s.bit_string(t);
    else if (t == context(1)) {
      Reader x = s.enter(t);
      a.context_name = x.oid();
      x.end();
      have_name = true;
    } else if (read_endpoint(s, t, 2, a.called) || read_endpoint(s, t, 6, a.calling)) {
    } else if (t == context(10)) a.acse_requirements = s.bit_string(t);
    else if (t == context(11)) a.mechanism_name = s.oid(t);
    else if (t == context(12)) a.authentication_value = read_auth(s, t);
    else if (t == context(29)) a.implementation_information = s.string(t);
    else if (t == context(30)) a.user_information = read_user_information(s);
    else s.skip();  // aSO-context-name-list and the extension additions
  }
  if (!have_name && s.ok()) s.fail(ber::Errc::missing, "AARQ without an application-context-name");
  return a;
}

Aare read_aare(Reader& r) {
  Aare a;
  bool have_name = false, have_result = false, have_diag = false;
  Reader s = r.enter(application(1));
  while (!s.at_end()) {
    auto h = s.peek();
    if (!h) break;
    Tag t = h->tag;
    if (t == context(0)) a.protocol_version = s.bit_string(t);
    else if (t == context(1)) {
      Reader x = s.enter(t);
      a.context_name = x.oid();
      x.end();
      have_name = true;
    } else if (t == context(2)) {
      a.result = read_explicit_integer(s, t);
      have_result = true;
    } else if (t == context(3)) {
      Reader d = s.enter(t);
      auto c = d.peek();
      if (c && (c->tag == context(1) || c->tag == context(2))) {
        a.diagnostic_source = c->tag == context(1) ? DiagnosticSource::service_user : DiagnosticSource::service_provider;
        a.diagnostic = read_explicit_integer(d, c->tag);
      } else if (d.ok()) {
        d.fail(ber::Errc::unexpected_tag, "Associate-source-diagnostic neither [1] nor [2]");
      }
      d.end();
      have_diag = true;
    } else if (read_endpoint(s, t, 4, a.responding)) {
    } else if (t == context(8)) a.acse_requirements = s.bit_string(t);
    else if (t == context(9)) a.mechanism_name = s.oid(t);
    else if (t == context(10)) a.authentication_value = read_auth(s, t);
    else if (t == context(29)) a.implementation_information = s.string(t);
    else if (t == context(30)) a.user_information = read_user_information(s);
    else s.skip();
  }
  if (s.ok() && !(have_name && have_result && have_diag))
    s.fail(ber::Errc::missing, "AARE without its context name, result or result-source-diagnostic");
  return a;
}

template <class T>
T read_release(Reader& r, Tag t) {
  T a;
  Reader s = r.enter(t);
  while (!s.at_end()) {
    auto h = s.peek();
    if (!h) break;
    if (h->tag == context(0)) a.reason = s.integer(context(0));
    else if (h->tag == context(30)) a.user_information = read_user_information(s);
    else s.skip();
  }
  return a;
}

Abrt read_abrt(Reader& r) {
  Abrt a;
  bool have_source = false;
  Reader s = r.enter(application(4));
  while (!s.at_end()) {
    auto h = s.peek();
    if (!h) break;
    if (h->tag == context(0)) {
      a.source = s.integer(context(0));
      have_source = true;
    } else if (h->tag == context(1)) a.diagnostic = s.integer(context(1));
    else if (h->tag == context(30)) a.user_information = read_user_information(s);
    else s.skip();
  }
  if (s.ok() && !have_source) s.fail(ber::Errc::missing, "ABRT without abort-source");
  return a;
}

}  // namespace

Result<Apdu> decode(ByteView b, const ber::Limits& limits) {
  Apdu out;
  bool unknown = false, have = false;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    auto h = r.peek();
    if (!h) return;
    have = true;
    if (h->tag == application(0)) out.emplace<Aarq>(read_aarq(r));
    else if (h->tag == application(1)) out.emplace<Aare>(read_aare(r));
    else if (h->tag == application(2)) out.emplace<Rlrq>(read_release<Rlrq>(r, application(2)));
    else if (h->tag == application(3)) out.emplace<Rlre>(read_release<Rlre>(r, application(3)));
    else if (h->tag == application(4)) out.emplace<Abrt>(read_abrt(r));
    else {
      unknown = true;
      r.fail(ber::Errc::unexpected_tag, "ACSE APDU tagged " + ber::to_string(h->tag));
      return;
    }
    r.end();
  });
  if (unknown) return make_error(Errc::unknown_apdu, err ? err->what : "unknown ACSE APDU", 0);
  if (err) return make_error(Errc::malformed, "ACSE: " + err->what, err->offset);
  if (!have) return make_error(Errc::malformed, "ACSE: empty", 0);
  return out;
}

Bytes encode(const Aarq& a) {
  Writer w;
  w.constructed(application(0), [&] {
    if (a.protocol_version) w.bit_string(*a.protocol_version, context(0));
    w.explicit_(context(1), [&] { w.oid(a.context_name); });
    write_endpoint(w, 2, a.called);
    write_endpoint(w, 6, a.calling);
    if (a.acse_requirements) w.bit_string(*a.acse_requirements, context(10));
    if (a.mechanism_name) w.oid(*a.mechanism_name, context(11));
    if (a.authentication_value) w.explicit_(context(12), [&] { w.raw(*a.authentication_value); });
    if (a.implementation_information) w.string(*a.implementation_information, context(29));
    write_user_information(w, a.user_information);
  });
  return w.take();
}

Bytes encode(const Aare& a) {
  Writer w;
  w.constructed(application(1), [&] {
    if (a.protocol_version) w.bit_string(*a.protocol_version, context(0));
    w.explicit_(context(1), [&] { w.oid(a.context_name); });
    w.explicit_(context(2), [&] { w.integer(a.result); });
    w.explicit_(context(3), [&] {
      w.explicit_(context(static_cast<std::uint32_t>(a.diagnostic_source)), [&] { w.integer(a.diagnostic); });
    });
    write_endpoint(w, 4, a.responding);
    if (a.acse_requirements) w.bit_string(*a.acse_requirements, context(8));
    if (a.mechanism_name) w.oid(*a.mechanism_name, context(9));
    if (a.authentication_value) w.explicit_(context(10), [&] { w.raw(*a.authentication_value); });
    if (a.implementation_information) w.string(*a.implementation_information, context(29));
    write_user_information(w, a.user_information);
  });
  return w.take();
}

namespace {
template <class T>
Bytes encode_release(const T& a, Tag t) {
  Writer w;
  w.constructed(t, [&] {
    if (a.reason) w.integer(*a.reason, context(0));
    write_user_information(w, a.user_information);
  });
  return w.take();
}
}  // namespace

Bytes encode(const Rlrq& a) { return encode_release(a, application(2)); }
Bytes encode(const Rlre& a) { return encode_release(a, application(3)); }

Bytes encode(const Abrt& a) {
  Writer w;
  w.constructed(application(4), [&] {
    w.integer(a.source, context(0));
    if (a.diagnostic) w.integer(*a.diagnostic, context(1));
    write_user_information(w, a.user_information);
  });
  return w.take();
}

}  // namespace mixer::p1::acse
