// p1/ipms/combinators.hpp: two combinators the X.420 descriptions need beyond
// p1/mts/asn1.hpp, written over the Io interface (no Io changes):
//   implicit(io, tag, body)        [n] IMPLICIT T for a T whose description
//                                  has no tag parameter (X.411 Token);
//   unknown_set_components(io, v)  the components of an extensible SET ("...")
//                                  that the description does not know, each kept
//                                  as its encoding and written back.
// They trust nothing: the Ios they run over do the checking.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "p1/mts/asn1.hpp"
#include "p1/mts/ber_io.hpp"

namespace mixer::p1::ipms {

// An Io that forwards everything to `io` but gives the first tagged element it
// writes or reads the tag `t` instead of its own: the implicit retag.
template <class Io>
class Retagged {
 public:
  static constexpr bool fills = Io::fills;
  Retagged(Io& io, mts::Tag t) : io_(io), tag_(t) {}

  bool ok() const { return io_.ok(); }
  bool field(const char* name, const mts::Tags& tags, bool present) { return io_.field(name, tags, present); }
  void leave() { io_.leave(); }
  void missing(const char* name) { io_.missing(name); }
  void no_alternative() { io_.no_alternative(); }
  void fail(const std::string& what) { io_.fail(what); }

  template <class F>
  void constructed(mts::Tag t, mts::Form form, F&& body, bool extensible = false) {
    io_.constructed(take(t), form, std::forward<F>(body), extensible);
  }
  template <class T, class F>
  void list(mts::Tag t, mts::Form form, std::vector<T>& v, const mts::Bound& b, F&& elem) {
    io_.list(take(t), form, v, b, std::forward<F>(elem));
  }
  template <class V>
  void integer(V& v, mts::Tag t = mts::univ::integer, mts::Names names = {}) { io_.integer(v, take(t), names); }
  template <class V>
  void boolean(V& v, mts::Tag t = mts::univ::boolean) { io_.boolean(v, take(t)); }
  void null(mts::Tag t = mts::univ::null) { io_.null(take(t)); }
  template <class V>
  void oid(V& v, mts::Tag t = mts::univ::object_identifier) { io_.oid(v, take(t)); }
  template <class V>
  void octets(V& v, mts::Tag t = mts::univ::octet_string) { io_.octets(v, take(t)); }
  template <class V>
  void text(V& v, mts::Tag t, mts::StringKind k, const mts::Bound& b = mts::unbounded) { io_.text(v, take(t), k, b); }
  template <class V>
  void bits(V& v, mts::Tag t = mts::univ::bit_string, mts::Names names = {}, const mts::Bound& b = mts::unbounded) {
    io_.bits(v, take(t), names, b);
  }
  template <class V>
  void time(V& v, mts::Tag t = mts::univ::utc_time) { io_.time(v, take(t)); }
  template <class V>
  void raw(V& v) {
    if (!used_) return fail("an element kept as its encoding cannot be retagged");
    io_.raw(v);
  }
  template <class V>
  void raw_rest(V& v) { io_.raw_rest(v); }
  void range(std::int64_t v, std::int64_t lo, std::int64_t hi, const char* ub) { io_.range(v, lo, hi, ub); }
  void detect_constructed(bool& flag) { io_.detect_constructed(flag); }
  void meta_flag(const char* name, bool& v) { io_.meta_flag(name, v); }

 private:
  mts::Tag take(mts::Tag own) {
    if (used_) return own;
    used_ = true;
    return tag_;
  }
  Io& io_;
  mts::Tag tag_;
  bool used_ = false;
};

// [n] IMPLICIT T: body(io2) runs T's description over an Io that retags its outermost element.
template <class Io, class F>
void implicit(Io& io, mts::Tag t, F&& body) {
  Retagged<Io> r(io, t);
  body(r);
}

// The X.690 §10.3 order of an element (its tag's class, then number) from its identifier octets.
inline std::pair<unsigned, std::uint64_t> set_order(const mts::Bytes& e) {
  if (e.empty()) return {0, 0};
  std::uint64_t number = e[0] & 0x1fu;
  if (number == 0x1f) {
    number = 0;
    for (std::size_t i = 1; i < e.size() && i < 10; ++i) {
      number = (number << 7) | (e[i] & 0x7fu);
      if (!(e[i] & 0x80)) break;
    }
  }
  return {static_cast<unsigned>(e[0] >> 6), number};
}

// The unknown components of an extensible SET, after its known ones (call it last in the
// SET's body). The BER decoder dispatches each element through the SET's description and
// refuses a component index taken twice: each unknown element gets an index of its own
// (one never-matching slot per element kept so far, then one that takes any tag). They are
// kept in the order the encoder writes them (X.690 §10.3 tag order, equal tags as received),
// so a value decoded from any order re-encodes and decodes to itself; the tree has them as
// "unknown-components", an array of hex encodings.
template <class Io>
void unknown_set_components(Io& io, std::vector<mts::Bytes>& v) {
  if constexpr (std::is_same_v<Io, mts::BerDecoder>) {
    for (std::size_t i = 0; i < v.size(); ++i) io.field("...", mts::Tags{}, false);
    std::optional<mts::Bytes> b;
    mts::opt(io, "...", mts::Tags::anything(), b, [&](mts::Bytes& x) { io.raw(x); });
    if (b) {
      auto at = std::upper_bound(v.begin(), v.end(), *b,
                                 [](const mts::Bytes& x, const mts::Bytes& y) { return set_order(x) < set_order(y); });
      v.insert(at, std::move(*b));
    }
  } else {
    mts::opt_list(io, "unknown-components", mts::Tags::anything(), v, [&] { io.raw_rest(v); });
  }
}

}  // namespace mixer::p1::ipms
