// p1/mta/bind.cpp: MTA-bind values over the BER reader and writer.
#include "p1/mta/bind.hpp"

namespace mixer::p1::mta {

using ber::context;
using ber::Reader;
using ber::Tag;
using ber::Writer;
namespace univ = ber::univ;

const char* to_string(Errc e) {
  switch (e) {
    case Errc::malformed: return "malformed MTA-bind";
    case Errc::bad_value: return "bad MTA-bind value";
  }
  return "?";
}

const char* to_string(BindError e) {
  switch (e) {
    case BindError::busy: return "busy";
    case BindError::authentication_error: return "authentication-error";
    case BindError::unacceptable_dialogue_mode: return "unacceptable-dialogue-mode";
    case BindError::unacceptable_security_context: return "unacceptable-security-context";
    case BindError::inadequate_association_confidentiality: return "inadequate-association-confidentiality";
  }
  return "unknown";
}

Password simple_password(std::string_view text, bool octet_string) {
  return Password{octet_string, Bytes(text.begin(), text.end())};
}

namespace {

struct Bounds {
  std::optional<Error> fault;
};

BindArgument read_value(Reader& r, Bounds& b) {
  BindArgument a;
  if (r.next_is(univ::null)) {
    r.null();
    a.authenticated = false;
    return a;
  }
  bool have_name = false, have_credentials = false;
  Reader set = r.enter(context(1));
  ber::for_each_component(set, false, [&](Tag t) {
    if (t == context(0)) {
      a.name = set.string(context(0), ber::Charset::ia5);
      have_name = true;
    } else if (t == context(1)) {
      Reader c = set.enter(context(1));
      auto h = c.peek();
      if (h && h->tag == univ::ia5_string) {
        a.credentials.password.value = c.octets(univ::ia5_string);
      } else if (h && h->tag == univ::octet_string) {
        a.credentials.password.octet_string = true;
        a.credentials.password.value = c.octets();
      } else if (h && (h->tag == context(0) || h->tag == context(1))) {
        a.credentials.kind = h->tag == context(0) ? Credentials::Kind::strong : Credentials::Kind::protected_password;
        ByteView e = c.any();
        a.credentials.encoding.assign(e.begin(), e.end());
      } else if (c.ok()) {
        c.fail(ber::Errc::unexpected_tag, "Credentials: no known alternative");
      }
      c.end();
      have_credentials = true;
    } else if (t == context(2)) {
      ByteView e = set.any(context(2));
      a.security_context = Bytes(e.begin(), e.end());
    } else {
      return false;
    }
    return true;
  });
  if (set.ok() && !(have_name && have_credentials)) set.fail(ber::Errc::missing, "authenticated bind without name or credentials");
  if (set.ok() && !b.fault) {
    if (a.name.empty() || a.name.size() > max_mta_name)
      b.fault = make_error(Errc::bad_value, "MTA name of " + std::to_string(a.name.size()) + " characters");
    else if (a.credentials.password.value.size() > max_password)
      b.fault = make_error(Errc::bad_value, "password of " + std::to_string(a.credentials.password.value.size()) + " octets");
  }
  return a;
}

void write_value(Writer& w, const BindArgument& a) {
  if (!a.authenticated) {
    w.null();
    return;
  }
  w.constructed(context(1), [&] {
    w.string(a.name, context(0));
    w.explicit_(context(1), [&] {
      switch (a.credentials.kind) {
        case Credentials::Kind::simple:
          w.octets(a.credentials.password.value,
                   a.credentials.password.octet_string ? univ::octet_string : univ::ia5_string);
          break;
        case Credentials::Kind::strong:
        case Credentials::Kind::protected_password:
          w.raw(a.credentials.encoding);
          break;
      }
    });
    if (a.security_context) w.raw(*a.security_context);
  });
}

template <class F>
Bytes wrap(bool wrapped, std::uint32_t tag, F&& body) {
  Writer w;
  if (wrapped) w.explicit_(context(tag), [&] { body(w); });
  else body(w);
  return w.take();
}

}  // namespace

Result<BindApdu> decode_bind(ByteView b, const ber::Limits& limits, bool wrapped) {
  BindApdu out;
  Bounds bounds;
  auto err = ber::decode(b, limits, [&](Reader& r) {
    if (!wrapped) {
      out.value = read_value(r, bounds);
      r.end();
      return;
    }
    auto h = r.peek();
    if (!h) {
      if (r.ok()) r.fail(ber::Errc::missing, "no bind APDU");
      return;
    }
    Reader x;
    if (h->tag == context(16)) {
      x = r.enter(h->tag);
      out.kind = BindApdu::Kind::argument;
      out.value = read_value(x, bounds);
    } else if (h->tag == context(17)) {
      x = r.enter(h->tag);
      out.kind = BindApdu::Kind::result;
      out.value = read_value(x, bounds);
    } else if (h->tag == context(18)) {
      x = r.enter(h->tag);
      out.kind = BindApdu::Kind::error;
      out.error = x.integer();
    } else if (h->tag == ber::univ::integer) {
      // PP puts the MTABindError in the RTORJ user data as a bare INTEGER, without ROS's [18].
      out.kind = BindApdu::Kind::error;
      out.error = r.integer();
      r.end();
      return;
    } else {
      r.fail(ber::Errc::unexpected_tag, "bind APDU tagged " + ber::to_string(h->tag) + ", expected [16], [17], [18] or an INTEGER");
      return;
    }
    x.end();
    r.end();
  });
  if (err) return make_error(Errc::malformed, "MTA-bind: " + err->what, err->offset);
  if (bounds.fault) return *bounds.fault;
  return out;
}

Result<BindArgument> decode_bind_value(ByteView b, const ber::Limits& limits) {
  auto r = decode_bind(b, limits, false);
  if (!r) return r.error();
  return std::move(r->value);
}

Bytes encode_bind_argument(const BindArgument& a, bool wrapped) {
  return wrap(wrapped, 16, [&](Writer& w) { write_value(w, a); });
}

Bytes encode_bind_result(const BindResult& a, bool wrapped) {
  BindResult r = a;
  r.security_context.reset();  // not part of MTABindResult
  return wrap(wrapped, 17, [&](Writer& w) { write_value(w, r); });
}

Bytes encode_bind_error(BindError e, bool wrapped) {
  return wrap(wrapped, 18, [&](Writer& w) { w.integer(static_cast<std::int64_t>(e)); });
}

}  // namespace mixer::p1::mta
