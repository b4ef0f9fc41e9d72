// p1/mts/tree_io.hpp: the Node Ios of asn1.hpp. TreeWriter turns a value
// into a Node tree (components by their ASN.1 names, CHOICE as an object
// with the chosen alternative, lists as arrays, numbers with their names
// as notes); TreeReader fills a value from such a tree, refusing unknown or
// missing components and values of the wrong kind, with the path. The tree
// trusts nothing: a tree read back is encoded and then decoded again under
// Limits by the callers that take it from outside (mixer encode).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "p1/mts/asn1.hpp"
#include "p1/mts/ber_io.hpp"

namespace mixer::p1::mts {

class TreeWriter {
 public:
  static constexpr bool fills = false;
  explicit TreeWriter(std::string root) {
    root_.name = std::move(root);
    stack_.push_back(&root_);
  }
  Node take() { return std::move(root_); }
  bool ok() const { return true; }

  bool field(const char* name, const Tags&, bool present);
  void leave() { stack_.pop_back(); }
  void missing(const char*) {}
  void no_alternative() {}
  void fail(const std::string&) {}

  template <class F>
  void constructed(Tag, Form, F&& body, bool = false) {
    top().kind = Node::Kind::object;
    body();
  }
  template <class T, class F>
  void list(Tag, Form, std::vector<T>& v, const Bound&, F&& elem) {
    top().kind = Node::Kind::array;
    for (T& x : v) {
      Node& c = top().children.emplace_back();
      stack_.push_back(&c);
      elem(x);
      stack_.pop_back();
    }
  }

  void integer(std::int64_t v, Tag = univ::integer, Names names = {});
  template <class I>
  void integer(I& v, Tag t = univ::integer, Names names = {}) { integer(static_cast<std::int64_t>(v), t, names); }
  void boolean(bool v, Tag = univ::boolean);
  void null(Tag = univ::null);
  void oid(const Oid& v, Tag = univ::object_identifier);
  void octets(const Bytes& v, Tag = univ::octet_string);
  void text(const std::string& v, Tag, StringKind k, const Bound& = unbounded);
  void bits(const BitString& v, Tag = univ::bit_string, Names names = {}, const Bound& = unbounded);
  void time(const std::string& v, Tag = univ::utc_time, ber::TimeKind = ber::TimeKind::of_tag);
  void raw(const Bytes& v);
  void raw_rest(const std::vector<Bytes>& v);
  void range(std::int64_t, std::int64_t, std::int64_t, const char*) {}
  void detect_constructed(bool&) {}
  void detect_string_value(int&) {}
  // Unknown extension additions, as "extension-additions": [hex, ...] when there are any.
  void additions(const std::vector<Bytes>& v);
  // A gateway annotation that is not ASN.1 (how a peer encoded something), shown only when set.
  void meta_flag(const char* name, bool& v);
  // The typed value, and the received octets as "received-encoding" when they are not
  // what the value encodes to (non-DER input): the tree path keeps them too.
  template <class T, class D>
  void signed_part(T& v, ReceivedEncoding& r, D&& describe) {
    describe(*this, v);
    if (r.canonical.empty() || r.encoding.empty()) return;
    Node& c = top().children.emplace_back();
    c.name = "received-encoding";
    raw_into(c, r.encoding);
  }

 private:
  Node& top() { return *stack_.back(); }
  static void raw_into(Node& n, const Bytes& v);
  Node root_;
  std::vector<Node*> stack_;
};

class TreeReader {
 public:
  static constexpr bool fills = true;
  // Components nested deeper than this are refused: the recursive types
  // (X.420 BodyPartTokens, ForwardedContentToken) cannot run the stack out.
  static constexpr std::size_t max_depth = 192;
  explicit TreeReader(const Node& root) { stack_.push_back({&root, 0}); path_.push_back(root.name); }
  bool ok() const { return !error_; }
  const std::optional<std::string>& error() const { return error_; }
  // Fails on components of the root the description did not read.
  void finish() { check_consumed(); }

  bool field(const char* name, const Tags&, bool);
  void leave();
  void missing(const char* name);
  void no_alternative();
  void fail(const std::string& what);

  template <class F>
  void constructed(Tag, Form, F&& body, bool = false) {
    // An explicit tag around a primitive leaves a leaf node here: no kind check.
    if (ok()) body();
  }
  template <class T, class F>
  void list(Tag, Form, std::vector<T>& v, const Bound&, F&& elem) {
    if (!ok()) return;
    const Node& n = top();
    if (n.kind != Node::Kind::array) return fail("expected an array");
    if (stack_.size() >= max_depth && !n.children.empty())
      return fail("nested deeper than " + std::to_string(max_depth) + " components");
    for (std::size_t i = 0; i < n.children.size() && ok(); ++i) {
      stack_.push_back({&n.children[i], 0});
      path_.push_back("[" + std::to_string(i) + "]");
      v.emplace_back();
      elem(v.back());
      if (ok()) check_consumed();
      path_.pop_back();
      stack_.pop_back();
    }
  }

  void integer(std::int64_t& v, Tag = univ::integer, Names names = {});
  template <class I>
  void integer(I& v, Tag t = univ::integer, Names names = {}) {
    std::int64_t x = 0;
    integer(x, t, names);
    v = static_cast<I>(x);
  }
  void boolean(bool& v, Tag = univ::boolean);
  void null(Tag = univ::null);
  void oid(Oid& v, Tag = univ::object_identifier);
  void octets(Bytes& v, Tag = univ::octet_string);
  void text(std::string& v, Tag, StringKind k, const Bound& = unbounded);
  void bits(BitString& v, Tag = univ::bit_string, Names names = {}, const Bound& = unbounded);
  void time(std::string& v, Tag = univ::utc_time, ber::TimeKind = ber::TimeKind::of_tag);
  void raw(Bytes& v);
  void raw_rest(std::vector<Bytes>& v);
  void range(std::int64_t, std::int64_t, std::int64_t, const char*) {}
  void detect_constructed(bool&) {}
  // -1 when the value is given as a hex encoding, else 0 (the CHOICE then reads the alternative).
  void detect_string_value(int& which);
  void additions(std::vector<Bytes>& v);
  void meta_flag(const char* name, bool& v);
  // The typed value; a "received-encoding" given with it is taken as the octets
  // received and written back as they are (the typed value read here is what
  // they stand for): to have an edited value encoded, leave it out.
  template <class T, class D>
  void signed_part(T& v, ReceivedEncoding& r, D&& describe) {
    describe(*this, v);
    if (!ok() || top().kind != Node::Kind::object) return;
    const Node* c = top().child("received-encoding");
    if (!c) return;
    ++stack_.back().consumed;
    Bytes got;
    raw_of(*c, got);
    if (!ok()) return;
    BerEncoder now;
    describe(now, v);
    r.encoding = std::move(got);
    if (now.bytes() == r.encoding) r.canonical.clear();
    else r.canonical = now.take();
  }

 private:
  struct Entry {
    const Node* node;
    std::size_t consumed;  // children read through field()
  };
  const Node& top() const { return *stack_.back().node; }
  void check_consumed();
  void raw_of(const Node& n, Bytes& v);
  std::string path() const;
  std::vector<Entry> stack_;
  std::vector<std::string> path_;
  std::optional<std::string> error_;
};

// Runs a description into a tree, or fills a value from one.
template <class T, class Describe>
Node tree_with(const T& v, const char* root, Describe&& describe) {
  TreeWriter io(root);
  describe(io, const_cast<T&>(v));  // the writer only reads
  return io.take();
}

template <class T, class Describe>
std::optional<std::string> from_tree_with(const Node& n, T& v, Describe&& describe) {
  TreeReader io(n);
  describe(io, v);
  if (io.ok()) io.finish();
  return io.error();
}

}  // namespace mixer::p1::mts
