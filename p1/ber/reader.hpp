// p1/ber/reader.hpp: a BER (X.690) decoder over a span, written so that
// typed decoders read like their ASN.1:
//
//   AARE-apdu ::= [APPLICATION 1] IMPLICIT SEQUENCE { ... result [2] ... }
//   Reader s = r.enter(application(1));
//   Reader res = s.enter(context(2)); a.result = res.integer(); res.end();
//
// Errors are sticky: the first one is kept in the shared Decoding, and every
// later call on any Reader of that decoding does nothing and returns a
// neutral value, so a decoder is straight-line code checked once at the end.
// Definite and indefinite lengths, constructed strings, high tag numbers.
// Trusts nothing in the input: every length is checked against its container,
// and Limits bound size, nesting depth and the number of elements.
// Decoded views (ByteView) point into the caller's input.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "p1/ber/limits.hpp"
#include "p1/ber/tag.hpp"
#include "p1/ber/values.hpp"

namespace mixer::p1::ber {

// One element's identifier and length octets (X.690 §8.1.2, §8.1.3).
struct Header {
  Tag tag;
  bool constructed = false;
  bool indefinite = false;
  std::size_t offset = 0;        // absolute offset of the identifier octet
  std::size_t header_size = 0;   // identifier + length octets
  std::size_t content_size = 0;  // contents, without the end-of-contents octets
  std::size_t total_size() const { return header_size + content_size + (indefinite ? 2 : 0); }
};

// Character repertoires checked when Limits::strict_charsets is set.
enum class Charset { any, numeric, printable, ia5, visible };

class Reader;

// The state shared by all Readers of one input: limits, counters, the first error.
class Decoding {
 public:
  Decoding(ByteView input, const Limits& limits);
  Decoding(const Decoding&) = delete;
  Decoding& operator=(const Decoding&) = delete;

  Reader root();
  bool ok() const { return !error_; }
  const std::optional<Error>& error() const { return error_; }
  const Limits& limits() const { return limits_; }
  ByteView input() const { return input_; }

 private:
  friend class Reader;
  void fail(Errc code, std::size_t offset, std::string what);
  std::size_t offset_of(const std::uint8_t* p) const { return static_cast<std::size_t>(p - input_.data()); }

  ByteView input_;
  Limits limits_;
  std::size_t elements_ = 0;
  std::optional<Error> error_;
  // Content end of each indefinite-length element already scanned, by header offset.
  std::unordered_map<std::size_t, std::size_t> indefinite_ends_;
};

class Reader {
 public:
  Reader() = default;  // an exhausted reader (returned on errors)

  bool ok() const { return d_ && d_->ok(); }
  // True when there is no further element here, or decoding has failed.
  bool at_end() const { return !ok() || pos_ >= end_; }
  std::size_t offset() const { return d_ ? d_->offset_of(pos_) : 0; }
  unsigned depth() const { return depth_; }
  Decoding* decoding() const { return d_; }

  // The next element's header, without consuming it; nullopt at the end or on error.
  std::optional<Header> peek();
  // Is the next element tagged t?
  bool next_is(Tag t);

  // Constructed element tagged t (SEQUENCE, SET, explicit tag, ...): a reader over its contents.
  Reader enter(Tag t);
  Reader sequence() { return enter(univ::sequence); }
  Reader set() { return enter(univ::set); }

  // Primitive types; t is the tag to expect (IMPLICIT tagging) or the universal default.
  std::int64_t integer(Tag t = univ::integer);
  template <std::integral T>
  T integer_as(Tag t = univ::integer);
  std::int64_t enumerated(Tag t = univ::enumerated) { return integer(t); }
  bool boolean(Tag t = univ::boolean);
  void null(Tag t = univ::null);
  Oid oid(Tag t = univ::object_identifier);
  // OCTET STRING, primitive or constructed (copied).
  Bytes octets(Tag t = univ::octet_string);
  // OCTET STRING contents without copying; a constructed encoding fails with wrong_form.
  ByteView octets_view(Tag t = univ::octet_string);
  // Restricted character strings, primitive or constructed.
  std::string string(Tag t, Charset cs = Charset::any);
  BitString bit_string(Tag t = univ::bit_string);
  // UTCTime / GeneralizedTime as their text (checked for the time characters only).
  std::string time(Tag t);

  // The next element whatever its tag: its whole encoding (identifier to the last EOC).
  ByteView any();
  // The next element tagged t: its whole encoding.
  ByteView any(Tag t);
  // Contents octets of a primitive element tagged t.
  ByteView primitive(Tag t);
  // Everything not yet read here, as one view (the contents of a SET whose
  // components another layer decodes); the reader is then at its end.
  ByteView rest();
  // The next element as a reader over exactly its encoding (identifier to its last
  // octet), its header in h; this reader moves past it. An exhausted reader on error.
  // (A SET's elements, found once and then read in the order its components are described.)
  Reader next_element(Header& h);
  // Skips the next element.
  void skip();
  // Skips everything left (ASN.1 extension additions we do not know).
  void skip_rest();
  // Fails with `trailing` unless every element here has been read.
  void end();

  // Records an error at the current position (first error wins).
  void fail(Errc code, std::string what);

 private:
  friend class Decoding;
  Reader(Decoding* d, const std::uint8_t* pos, const std::uint8_t* end, unsigned depth)
      : d_(d), pos_(pos), end_(end), depth_(depth) {}
  // Reads the header at pos_ (checked against end_), resolving indefinite lengths.
  bool read_header(Header& h);
  bool take(Tag t, Header& h);
  bool take_primitive(Tag t, Header& h, ByteView& content);
  bool find_indefinite_end(const std::uint8_t* content, std::size_t header_offset, std::size_t& end_offset);
  void collect_segments(const Header& h, Tag segment_tag, Bytes& out, std::uint8_t* unused);

  Decoding* d_ = nullptr;
  const std::uint8_t* pos_ = nullptr;
  const std::uint8_t* end_ = nullptr;
  unsigned depth_ = 0;
};

template <std::integral T>
T Reader::integer_as(Tag t) {
  std::size_t at = offset();
  std::int64_t v = integer(t);
  if (!ok()) return T{};
  bool fits;
  if constexpr (std::is_signed_v<T>)
    fits = v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
  else
    fits = v >= 0 && static_cast<std::uint64_t>(v) <= std::numeric_limits<T>::max();
  if (!fits) {
    d_->fail(Errc::out_of_range, at, "INTEGER " + std::to_string(v) + " out of range");
    return T{};
  }
  return static_cast<T>(v);
}

// Decodes a SET's components in any order (X.680 §27.3). For each element,
// f(tag) reads it and returns true, or returns false for a tag it does not
// know: skipped when `extensible`, else an error. A tag seen twice is an error.
template <class F>
void for_each_component(Reader& set, bool extensible, F&& f) {
  std::vector<Tag> seen;
  while (!set.at_end()) {
    auto h = set.peek();
    if (!h) return;
    for (const Tag& s : seen)
      if (s == h->tag) return set.fail(Errc::duplicate, to_string(h->tag) + " given twice in a SET");
    seen.push_back(h->tag);
    std::size_t before = set.offset();
    if (!f(h->tag)) {
      if (!extensible) return set.fail(Errc::unexpected_tag, "unexpected " + to_string(h->tag) + " in a SET");
      set.skip();
    } else if (set.ok() && set.offset() == before) {
      set.skip();  // the callback accepted the tag but read nothing
    }
  }
}

// Runs `body` on the root reader of `input` and returns the first error, if any.
// The body is expected to read the whole input (call end()).
template <class F>
std::optional<Error> decode(ByteView input, const Limits& limits, F&& body) {
  Decoding d(input, limits);
  if (!d.ok()) return d.error();
  Reader r = d.root();
  body(r);
  return d.error();
}

}  // namespace mixer::p1::ber
