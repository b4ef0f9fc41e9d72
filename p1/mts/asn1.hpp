// p1/mts/asn1.hpp: the combinators every X.411 / X.420 type is written in,
// once, for all directions. A type's description is a function template
//
//   template <class Io> void asn1(Io& io, GlobalDomainIdentifier& v) {
//     io.constructed(application(3), Form::sequence, [&] {
//       req(io, "country-name", {application(1)}, [&] { country_name(io, v.country); });
//       ...
//     });
//   }
//
// run by four Io implementations: BerDecoder (bytes -> value, under
// ber::Limits and the X.411 upper bounds, errors naming the field path),
// BerEncoder (value -> BER, definite lengths, SET components in DER tag
// order), TreeWriter (value -> Node, for `mixer decode` and JSON) and
// TreeReader (Node -> value, for `mixer encode`). What an Io provides:
//
//   static constexpr bool fills;   // true when the Io fills the value in
//   bool field(name, tags, present) / void leave() / void missing(name)
//   constructed(tag, Form, body), integer, boolean, null, oid, octets,
//   text, bits, time, raw (a whole element kept as its encoding),
//   list (SEQUENCE OF / SET OF), fail(sentence), no_alternative(),
//   signed_part (a typed value kept with the octets it came in),
//   detect_string_value and additions (the unknown extension additions of
//   a SEQUENCE or SET).
//
// A CHOICE that is a value is a std::variant (or a type derived from one),
// described with choice(io, v, ...) and index<I>: a filling Io emplaces the
// alternative it finds, a writing Io writes the one held. The int `which`
// form of choice is for choices that are not values of their own (the
// string type of one text, a flag).
//
// Nothing here trusts the input; the Ios do the checking. A value built by
// code is not trusted either: the encoder refuses (fail, with the field path)
// a value the description cannot write, such as an alternative a CHOICE does
// not list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "base/boxed.hpp"
#include "p1/ber/tag.hpp"
#include "p1/ber/values.hpp"

namespace mixer::p1::mts {

using ber::Bytes;
using ber::ByteView;
using ber::BitString;
using ber::Oid;
using ber::Tag;
using ber::application;
using ber::context;
namespace univ = ber::univ;

// The tags a component may start with (several for an untagged CHOICE);
// `any` accepts every tag (an open type as the last component).
// Made for every component a reader looks at: only the first n entries are
// written (no zeroing of the 16; a `rep stos` per component was a tenth of an
// O/R name's decoding).
struct Tags {
  std::uint32_t number[16];  // number[i], cls[i]: the i-th tag, for i < n
  ber::TagClass cls[16];
  std::uint8_t n = 0;
  bool any = false;
  Tags() = default;
  Tags(std::initializer_list<Tag> l) {
    for (Tag x : l)
      if (n < 16) {
        number[n] = x.number;
        cls[n++] = x.cls;
      }
  }
  static Tags anything() {
    Tags a;
    a.any = true;
    return a;
  }
  bool has(Tag x) const {
    if (any) return true;
    for (std::uint8_t i = 0; i < n; ++i)
      if (number[i] == x.number && cls[i] == x.cls) return true;
    return false;
  }
};

// set_of_der: a SET OF whose elements the encoder sorts as X.690 §11.6 (DER)
// asks, for values (the O/R address's extension attributes) whose order a
// fold does not keep; other SET OFs keep the value's order.
enum class Form { sequence, set, set_of_der };

// Character string types (X.680 §37), for checking and for the tree.
enum class StringKind { printable, numeric, ia5, teletex, visible, videotex, general, graphic, utf8, bmp, universal };
Tag tag_of(StringKind k);
const char* name_of(StringKind k);

// The universal character string types an X.501 attribute value (held as its
// encoding) is shown as in the tree; the alternative names are X.520's.
struct StringAlternative {
  const char* name;  // "printableString"
  Tag tag;
  StringKind kind;
};
inline constexpr int string_alternative_count = 7;
extern const StringAlternative string_alternatives[string_alternative_count];
// The index in string_alternatives of `encoding`'s type, with its text, when it is
// a primitive string of that type, valid for it, that string_value_encoding
// writes back to the same octets; -1 otherwise (the value stays an encoding).
int string_value_kind(ByteView encoding, std::string& text);
Bytes string_value_encoding(int which, const std::string& text);

// A named number or named bit, for readable trees.
struct Named {
  std::int64_t value;
  const char* name;
};
using Names = std::span<const Named>;

// An upper bound from MTSUpperBounds / IPMSUpperBounds, named in errors.
struct Bound {
  std::size_t lo = 0;
  std::size_t hi = SIZE_MAX;
  const char* ub = nullptr;  // "ub-recipients"; null when the size is unbounded
  bool any_chars = false;    // accept any octet in a restricted string (what peers do, see uses)
  bool or_empty = false;     // zero length taken too (RFC 2156 Appendix B's null attributes)
};
inline constexpr Bound unbounded{};

// The decoded, readable form of a value: what `mixer decode` prints and
// what JSON is made from and read back into.
struct Node {
  enum class Kind { object, array, number, boolean, null, string, hex };
  std::string name;      // component name; empty for list elements
  Kind kind = Kind::object;
  std::string text;      // string / hex (lower-case digits) / OID in dotted form
  std::int64_t number = 0;
  bool flag = false;
  std::string note;      // a type or the name of a number ("urgent"), printing only
  std::vector<Node> children;

  const Node* child(std::string_view n) const {
    for (const Node& c : children)
      if (c.name == n) return &c;
    return nullptr;
  }
  bool operator==(const Node& o) const {  // value equality: notes are for people
    return name == o.name && kind == o.kind && text == o.text && number == o.number && flag == o.flag &&
           children == o.children;
  }
};

// The octets a signed part (X.509 SIGNED{}'s toBeSigned) was received in: the
// signature covers them, so they are written back while the typed value still
// encodes as it did when received (`canonical`: what it encoded to then, when
// that differed; empty when the input was already our (DER) encoding).
// Empty `encoding`: the value was built here, written as we encode it.
struct ReceivedEncoding {
  Bytes encoding;
  Bytes canonical;
};

// tshark -V style text: "name: value (note)" with two spaces per level.
std::string print_tree(const Node& n, int indent = 0);

// Only readers look at a component's tags (writers know what they hold): a braced
// list of tags is made into Tags for them alone, writers get none.
inline const Tags no_tags{};

// A mandatory component: `body` reads or writes it.
template <class Io, class F>
void req(Io& io, const char* name, const Tags& tags, F&& body) {
  if (io.field(name, tags, true)) {
    body();
    io.leave();
  } else {
    io.missing(name);
  }
}
template <class Io, class F>
void req(Io& io, const char* name, std::initializer_list<Tag> tags, F&& body) {
  if constexpr (Io::fills) req(io, name, Tags(tags), body);
  else req(io, name, no_tags, body);
}

// An OPTIONAL (or DEFAULT, kept as given) component.
template <class Io, class T, class F>
void opt(Io& io, const char* name, const Tags& tags, std::optional<T>& v, F&& body) {
  if (io.field(name, tags, v.has_value())) {
    if constexpr (Io::fills) v.emplace();
    body(*v);
    io.leave();
  }
}
template <class Io, class T, class F>
void opt(Io& io, const char* name, std::initializer_list<Tag> tags, std::optional<T>& v, F&& body) {
  if constexpr (Io::fills) opt(io, name, Tags(tags), v, body);
  else opt(io, name, no_tags, v, body);
}

// An OPTIONAL component kept on the heap (base::Boxed: large and usually absent).
template <class Io, class T, class F>
void opt(Io& io, const char* name, const Tags& tags, base::Boxed<T>& v, F&& body) {
  if (io.field(name, tags, v.has_value())) {
    if constexpr (Io::fills) v.emplace();
    body(*v);
    io.leave();
  }
}
template <class Io, class T, class F>
void opt(Io& io, const char* name, std::initializer_list<Tag> tags, base::Boxed<T>& v, F&& body) {
  if constexpr (Io::fills) opt(io, name, Tags(tags), v, body);
  else opt(io, name, no_tags, v, body);
}

// An OPTIONAL component held in a vector whose emptiness means absence
// (SET OF ... DEFAULT {} and OPTIONAL SEQUENCE OF).
template <class Io, class T, class F>
void opt_list(Io& io, const char* name, const Tags& tags, std::vector<T>& v, F&& body) {
  if (io.field(name, tags, !v.empty())) {
    body();
    io.leave();
  }
}
template <class Io, class T, class F>
void opt_list(Io& io, const char* name, std::initializer_list<Tag> tags, std::vector<T>& v, F&& body) {
  if constexpr (Io::fills) opt_list(io, name, Tags(tags), v, body);
  else opt_list(io, name, no_tags, v, body);
}

// CHOICE that is not a value of its own (which string type one text is
// written as, a flag): `alts(alt)` calls alt(index, name, tags, body) for each
// alternative; `which` holds the chosen index.
template <class Io>
struct IndexAlternative {
  Io& io;
  int& which;
  bool& matched;
  template <class F>
  void operator()(int index, const char* name, std::initializer_list<Tag> tags, F&& body) const {
    // A writer skips the alternatives not held before making their Tags.
    if constexpr (!Io::fills) {
      if (which != index) return;
      (*this)(index, name, no_tags, body);
    } else {
      (*this)(index, name, Tags(tags), body);
    }
  }
  template <class F>
  void operator()(int index, const char* name, const Tags& tags, F&& body) const {
    if (matched) return;
    if (io.field(name, tags, which == index)) {
      matched = true;
      if constexpr (Io::fills) which = index;
      body();
      io.leave();
    }
  }
};

template <class Io, class Alts>
void choice(Io& io, int& which, Alts&& alts) {
  bool matched = false;
  alts(IndexAlternative<Io>{io, which, matched});
  if (!matched) io.no_alternative();
}

// The alternative I of a std::variant CHOICE: alt(index<2>, "probe", ...).
template <std::size_t I>
inline constexpr std::in_place_index_t<I> index{};

// The index of the alternative T of the std::variant V.
template <class T, class V>
struct variant_index_of;
template <class T, class... Ts>
struct variant_index_of<T, std::variant<Ts...>> {
  static constexpr std::size_t value = [] {
    constexpr bool same[] = {std::is_same_v<T, Ts>...};
    for (std::size_t i = 0; i < sizeof...(Ts); ++i)
      if (same[i]) return i;
    return sizeof...(Ts);
  }();
  static_assert(value < sizeof...(Ts), "not an alternative of the variant");
};
template <class T, class V>
inline constexpr std::size_t variant_index = variant_index_of<T, V>::value;

// CHOICE held in a std::variant (or a type derived from one): `alts(alt)` calls
// alt(index<I>, name, tags, body) for each alternative, body(T&) doing the
// alternative I, so the description reads like the ASN.1:
//
//   choice(io, v, [&](auto alt) {   // MTS-APDU ::= CHOICE { message [0], probe [2], report [1] }
//     alt(index<0>, "message", {context(0)}, [&](Message& m) { ... });
//     ...
//   });
//
// A filling Io emplaces the alternative whose tag (or tree name) it finds; a
// writing Io writes the alternative held, and no_alternative() refuses one the
// description does not list.
template <class Io, class V>
struct VariantAlternative {
  Io& io;
  V& v;
  bool& matched;
  template <std::size_t I, class F>
  void operator()(std::in_place_index_t<I> i, const char* name, std::initializer_list<Tag> tags, F&& body) const {
    // A writer skips the alternatives not held before making their Tags.
    if constexpr (!Io::fills) {
      if (v.index() != I) return;
      (*this)(i, name, no_tags, body);
    } else {
      (*this)(i, name, Tags(tags), body);
    }
  }
  template <std::size_t I, class F>
  void operator()(std::in_place_index_t<I>, const char* name, const Tags& tags, F&& body) const {
    if (matched) return;
    if (io.field(name, tags, v.index() == I)) {
      matched = true;
      if constexpr (Io::fills) {
        if (v.index() != I) v.template emplace<I>();
      }
      body(std::get<I>(v));
      io.leave();
    }
  }
};

template <class Io, class... Ts, class Alts>
void choice(Io& io, std::variant<Ts...>& v, Alts&& alts) {
  bool matched = false;
  alts(VariantAlternative<Io, std::variant<Ts...>>{io, v, matched});
  if (!matched) io.no_alternative();
}

// The alternative T of a variant v that something outside it decides (an extension's
// type, an open type's identifier): a filling Io emplaces T; a writing Io refuses a v
// holding another alternative, fail(refusal()), instead of writing what the type does not
// say. body(T&) reads or writes it.
template <class T, class Io, class... Ts, class F, class Refusal>
void alternative_of_type(Io& io, std::variant<Ts...>& v, F&& body, Refusal&& refusal) {
  if constexpr (Io::fills) {
    if (!std::holds_alternative<T>(v)) v.template emplace<T>();
  } else if (!std::holds_alternative<T>(v)) {
    return io.fail(refusal());
  }
  body(std::get<T>(v));
}

// SEQUENCE OF / SET OF T tagged t with SIZE bounds; elem(T&) does one element.
template <class Io, class T, class F>
void list(Io& io, Tag t, Form form, std::vector<T>& v, const Bound& b, F&& elem) {
  io.list(t, form, v, b, elem);
}

// The extension additions ("...") of an extensible SEQUENCE or SET that we do
// not know, after its last known component: each kept as its encoding (a SET's
// in X.690 §10.3 tag order), and written back.
template <class Io>
void extension_additions(Io& io, std::vector<Bytes>& v) {
  io.additions(v);
}

// A signed part: describe(io, v) reads or writes it; the received octets are
// kept in r and written back unchanged while v is (see ReceivedEncoding).
template <class Io, class T, class D>
void signed_part(Io& io, T& v, ReceivedEncoding& r, D&& describe) {
  io.signed_part(v, r, describe);
}

}  // namespace mixer::p1::mts
