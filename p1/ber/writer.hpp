// p1/ber/writer.hpp: a BER (X.690) encoder that reads like the ASN.1 it
// encodes:
//
//   w.constructed(application(1), [&] {           // AARE-apdu
//     w.explicit_(context(1), [&] { w.oid(ctx_name); });
//     w.explicit_(context(2), [&] { w.integer(0); });
//   });
//
// Definite lengths in their minimal form (the length is patched in when a
// constructed encoding closes); indefinite form on request. Appends to one
// buffer; no I/O. Trusts its caller's values (they are ours, not a peer's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "p1/ber/tag.hpp"
#include "p1/ber/values.hpp"

namespace mixer::p1::ber {

class Writer {
 public:
  Writer() = default;
  explicit Writer(Bytes initial) : out_(std::move(initial)) {}

  const Bytes& bytes() const {
    widen();
    return out_;
  }
  Bytes take() {
    widen();
    return std::move(out_);
  }
  std::size_t size() const {
    widen();
    return out_.size();
  }
  // Where the contents of the innermost open element begin now (octets reserved for long
  // lengths move them): the position to give buffer()'s rewriting of them (a SET's sort).
  std::size_t contents_start() const {
    widen();
    return open_.empty() ? 0 : open_.back().mark + 1 + static_cast<std::size_t>(open_.back().reserved);
  }
  // The buffer, to be rewritten in place at or after contents_start() (a SET's sort).
  Bytes& buffer() {
    widen();
    return out_;
  }

  void integer(std::int64_t v, Tag t = univ::integer);
  void enumerated(std::int64_t v, Tag t = univ::enumerated) { integer(v, t); }
  void boolean(bool v, Tag t = univ::boolean);
  void null(Tag t = univ::null);
  void oid(const Oid& v, Tag t = univ::object_identifier);
  void octets(ByteView v, Tag t = univ::octet_string);
  void string(std::string_view v, Tag t) { octets(view(v), t); }
  void bit_string(const BitString& v, Tag t = univ::bit_string);
  // A primitive element with the given contents octets.
  void primitive(Tag t, ByteView contents);
  // Pre-encoded element(s), copied as they are (open types, relayed fields).
  void raw(ByteView encoded);

  // A constructed element whose contents `body` writes (definite length).
  template <class F>
  void constructed(Tag t, F&& body) {
    open(t);
    body();
    close();
  }
  // The same in the indefinite-length form (X.690 8.1.3.6).
  template <class F>
  void constructed_indefinite(Tag t, F&& body) {
    identifier(t, true);
    out_.push_back(0x80);
    body();
    out_.push_back(0);
    out_.push_back(0);
  }
  template <class F>
  void sequence(F&& body) { constructed(univ::sequence, body); }
  template <class F>
  void set(F&& body) { constructed(univ::set, body); }
  // An EXPLICIT tag around what `body` writes.
  template <class F>
  void explicit_(Tag t, F&& body) { constructed(t, body); }

  // Identifier and length octets alone, for callers that frame contents themselves.
  void header(Tag t, bool constructed, std::size_t length);

 private:
  void identifier(Tag t, bool constructed);
  void length(std::size_t n);
  void open(Tag t);
  void close();
  // Writes the long-form lengths close() left pending, moving each octet once.
  void widen() const {
    if (!pending_.empty()) widen_pending();
  }
  void widen_pending() const;
  // Before `n` contents octets go in: the open elements get their long-form length octets now,
  // so that those octets are not moved again when the lengths are written.
  void reserve_lengths(std::size_t n);

  // A constructed element being written: its length placeholder (one octet, or 1 + `reserved`
  // when reserve_lengths() made room for a long form), and the octets pending long-form
  // lengths before it added.
  struct Open {
    std::size_t mark;
    std::size_t extra_before;
    int reserved = 0;
  };
  // A closed element whose length does not fit its placeholder: written (and everything after
  // it moved) by widen(), all at once, not at each close().
  struct Pending {
    std::size_t mark;
    std::size_t length;
    int octets;    // the length's octets after the 0x80|n one
    int reserved;  // of those, already in place after the mark
  };
  mutable Bytes out_;
  mutable std::vector<Open> open_;
  mutable std::vector<Pending> pending_;
  mutable std::size_t extra_ = 0;  // the sum of pending_'s octets
};

// Contents octets of an INTEGER in two's complement, minimal (X.690 8.3.2).
Bytes integer_contents(std::int64_t v);

}  // namespace mixer::p1::ber
