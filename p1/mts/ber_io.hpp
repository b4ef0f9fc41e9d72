// p1/mts/ber_io.hpp: the BER Ios of asn1.hpp. BerDecoder runs a type's
// description over untrusted bytes with the sticky ber::Reader, under
// ber::Limits and (unless turned off) the X.411/X.420 upper bounds, and
// names the field path of the first error:
//   "MessageTransferEnvelope.per-recipient-fields[3].recipient-name...:
//    PrintableString of 70 characters, outside SIZE (1..64) (ub-common-name-length)"
// BerEncoder writes definite lengths and puts SET components in the
// canonical tag order of X.690 §10.3 (DER), so DER input re-encodes to
// the same octets. SET OF keeps the value's order, except Form::set_of_der
// (the O/R address's extension attributes), sorted as X.690 §11.6. It does
// not trust the value either: what the description cannot write (a CHOICE
// alternative it does not list, an extension value not of its type's ASN.1
// type) is refused through fail(), and encode_with names the field path.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"
#include "p1/mts/asn1.hpp"

namespace mixer::p1::mts {

struct Limits {
  ber::Limits ber;
  bool upper_bounds = true;  // enforce the SIZE and ub-* constraints of the modules (and time syntax)
  // Where a lenient decode (upper_bounds false) lists what it accepted that a strict one refuses.
  std::vector<std::string>* warnings = nullptr;
};

using Error = ber::Error;
template <class T>
using Result = ber::Result<T>;

class BerDecoder {
 public:
  static constexpr bool fills = true;

  BerDecoder(ByteView input, const Limits& limits, std::string root);
  bool ok() const { return d_.ok(); }
  // The first error with its field path, or nullopt; checks that the input was used up.
  std::optional<Error> finish();

  bool field(const char* name, const Tags& tags, bool present);
  void leave();
  void missing(const char* name);
  void no_alternative();
  void fail(const std::string& what);

  template <class F>
  void constructed(Tag t, Form form, F&& body, bool extensible = false);
  template <class T, class F>
  void list(Tag t, Form form, std::vector<T>& v, const Bound& b, F&& elem);

  void integer(std::int64_t& v, Tag t = univ::integer, Names names = {});
  template <class I>
  void integer(I& v, Tag t = univ::integer, Names names = {}) {
    std::int64_t x = 0;
    integer(x, t, names);
    v = static_cast<I>(x);
  }
  void boolean(bool& v, Tag t = univ::boolean);
  void null(Tag t = univ::null);
  void oid(Oid& v, Tag t = univ::object_identifier);
  void octets(Bytes& v, Tag t = univ::octet_string);
  void text(std::string& v, Tag t, StringKind k, const Bound& b = unbounded);
  void bits(BitString& v, Tag t = univ::bit_string, Names names = {}, const Bound& b = unbounded);
  void time(std::string& v, Tag t = univ::utc_time, ber::TimeKind k = ber::TimeKind::of_tag);
  void raw(Bytes& v);
  // Every element left in the current SEQUENCE, each as its encoding.
  void raw_rest(std::vector<Bytes>& v);
  void range(std::int64_t v, std::int64_t lo, std::int64_t hi, const char* ub);
  // Is the next element constructed? (a peer's non-standard explicit tag)
  void detect_constructed(bool& flag);
  // Which of string_alternatives the next element is (string_value_kind), or -1.
  void detect_string_value(int& which);
  // The elements of the current SEQUENCE or SET that no component took (extension
  // additions we do not know), each as its encoding; called after the last component.
  void additions(std::vector<Bytes>& v);
  void meta_flag(const char*, bool&) {}
  // Reads a signed part typed and keeps the octets it came in (ReceivedEncoding).
  template <class T, class D>
  void signed_part(T& v, ReceivedEncoding& r, D&& describe);

 private:
  struct Frame {
    ber::Reader r;         // SET: the element of the component being read, else the SET's end
    Form form = Form::sequence;
    unsigned active = 0;   // SET: fields open inside the component being read
    // SET: its elements, set_elements_[first, last), found once when it is entered;
    // each component takes the element its tags match (X.680 §27.3: any order).
    std::size_t first = 0, last = 0;
    ber::Reader set_end;   // SET: the reader past its last element
    // The header of the next element, cached by offset: optional components peek it in turn.
    std::size_t peeked_at = SIZE_MAX;
    std::optional<ber::Header> peeked;
  };
  struct SetElement {
    ber::Reader r;  // over exactly the element
    Tag tag;
    bool taken = false;  // a component (or additions) read it
  };
  // The next element's header in the current frame (cached).
  const std::optional<ber::Header>& peek_next();
  static Frame frame(ber::Reader r, Form form) {
    Frame f;
    f.r = r;
    f.form = form;
    return f;
  }
  Frame& top() { return frames_.back(); }
  ber::Reader& reader() { return frames_.back().r; }
  void capture();
  std::string path() const;
  // A SET just entered: its elements into set_elements_ (the frame's first, last).
  void index_set(Frame& f);
  // After a SET's components: an element none took is skipped (extensible) or refused.
  void finish_set(Frame& f, bool extensible);
  // Reads the SET's element e as the current component.
  void read_element(Frame& f, SetElement& e);

  ber::Decoding d_;
  Limits limits_;
  std::vector<Frame> frames_;
  std::vector<SetElement> set_elements_;  // the elements of the SETs open, outermost first
  // The field path, built into text only when an error is found.
  struct PathPart {
    const char* name;   // a component name, or null for a list element
    std::size_t index;  // the list element's index
  };
  std::string root_;
  std::vector<PathPart> path_;
  std::optional<std::string> error_path_;
};

class BerEncoder {
 public:
  static constexpr bool fills = false;

  // root: the type's name, the start of the field path errors give. The path is
  // noted only when track_path: encode_with writes untracked, and runs again
  // tracked to name the field when a value was refused.
  explicit BerEncoder(std::string root = {}, bool track_path = false) : track_(track_path), root_(std::move(root)) {}
  // False once the value was refused (a CHOICE alternative the description does not
  // list, an extension value not of its type's ASN.1 type): the octets are then not
  // an encoding of it.
  bool ok() const { return !error_; }
  // The refusal, as "MTS-APDU.message.envelope.extensions[2].value: ...".
  const std::optional<std::string>& error() const { return error_; }
  Bytes take() { return w_.take(); }
  const Bytes& bytes() const { return w_.bytes(); }

  bool field(const char* name, const Tags&, bool present) {
    if (present && track_) [[unlikely]]
      enter(name);
    return present;
  }
  void leave() {
    if (track_) [[unlikely]]
      leave_tracked();
  }
  void missing(const char*) {}
  void no_alternative() { fail("the value holds an alternative this CHOICE does not have"); }
  void fail(const std::string& what) {
    if (!error_) error_ = track_ ? path() + ": " + what : what;
  }

  template <class F>
  void constructed(Tag t, Form form, F&& body, bool = false) {
    w_.constructed(t, [&] {
      body();
      if (form == Form::set) sort_set(w_.contents_start());
    });
  }
  template <class T, class F>
  void list(Tag t, Form form, std::vector<T>& v, const Bound&, F&& elem) {
    w_.constructed(t, [&] {
      if (track_) [[unlikely]] {
        path_.push_back(PathPart{nullptr, 0});
        for (T& x : v) {
          elem(x);
          ++path_.back().index;
        }
        path_.pop_back();
      } else {
        for (T& x : v) elem(x);
      }
      if (form == Form::set_of_der) sort_set_of(w_.contents_start());
    });
  }

  void integer(std::int64_t v, Tag t = univ::integer, Names = {}) { w_.integer(v, t); }
  template <class I>
  void integer(I& v, Tag t = univ::integer, Names = {}) { w_.integer(static_cast<std::int64_t>(v), t); }
  void boolean(bool v, Tag t = univ::boolean) { w_.boolean(v, t); }
  void null(Tag t = univ::null) { w_.null(t); }
  void oid(const Oid& v, Tag t = univ::object_identifier);
  void octets(const Bytes& v, Tag t = univ::octet_string) { w_.octets(v, t); }
  void text(const std::string& v, Tag t, StringKind k, const Bound& = unbounded);
  void bits(const BitString& v, Tag t = univ::bit_string, Names = {}, const Bound& = unbounded) { w_.bit_string(v, t); }
  void time(const std::string& v, Tag t = univ::utc_time, ber::TimeKind = ber::TimeKind::of_tag) { w_.string(v, t); }
  void raw(const Bytes& v) { w_.raw(v); }
  void raw_rest(const std::vector<Bytes>& v) {
    for (const Bytes& b : v) w_.raw(b);
  }
  void range(std::int64_t, std::int64_t, std::int64_t, const char*) {}
  void detect_constructed(bool&) {}
  void detect_string_value(int&) {}
  void additions(const std::vector<Bytes>& v) { raw_rest(v); }  // a SET puts them in tag order
  void meta_flag(const char*, bool&) {}
  // The received octets while v still encodes as it did when received, else v's encoding.
  template <class T, class D>
  void signed_part(T& v, ReceivedEncoding& r, D&& describe) {
    BerEncoder now(track_ ? path() : std::string(), track_);
    describe(now, v);
    if (!now.ok()) {
      if (!error_) error_ = now.error_;
      return;
    }
    const Bytes& then = r.canonical.empty() ? r.encoding : r.canonical;
    w_.raw(!r.encoding.empty() && now.bytes() == then ? r.encoding : now.bytes());
  }

 private:
  struct PathPart {
    const char* name;   // a component name, or null for a list element
    std::size_t index;  // the list element's index
  };
  std::string path() const;
  // The tracked run's path keeping, out of line so that field() and leave() stay small.
  void enter(const char* name);
  void leave_tracked();
  // X.690 §10.3: the components of a SET in ascending tag order.
  void sort_set(std::size_t start);
  // X.690 §11.6: the elements of a SET OF in ascending order of their encodings.
  void sort_set_of(std::size_t start);
  ber::Writer w_;
  bool track_ = false;
  std::string root_;
  std::vector<PathPart> path_;
  std::optional<std::string> error_;
};

// ---- BerDecoder templates

template <class F>
void BerDecoder::constructed(Tag t, Form form, F&& body, bool extensible) {
  if (!ok()) return;
  ber::Reader inner = reader().enter(t);
  if (!ok()) return capture();
  frames_.push_back(frame(inner, form));
  const std::size_t me = frames_.size() - 1;
  if (form == Form::sequence) {
    body();
    if (extensible) frames_[me].r.skip_rest();
    else frames_[me].r.end();
  } else {
    index_set(frames_[me]);
    if (ok()) body();
    if (ok()) finish_set(frames_[me], extensible);
    set_elements_.resize(frames_[me].first);
  }
  capture();
  frames_.pop_back();
}

template <class T, class F>
void BerDecoder::list(Tag t, Form, std::vector<T>& v, const Bound& b, F&& elem) {
  if (!ok()) return;
  ber::Reader inner = reader().enter(t);
  if (!ok()) return capture();
  frames_.push_back(frame(inner, Form::sequence));
  while (ok() && !reader().at_end()) {
    if (limits_.upper_bounds && v.size() >= b.hi) {
      reader().fail(ber::Errc::out_of_range, "more than " + std::to_string(b.hi) + " elements" +
                                                 (b.ub ? std::string(" (") + b.ub + ")" : std::string()));
      break;
    }
    path_.push_back(PathPart{nullptr, v.size()});
    v.emplace_back();
    elem(v.back());
    capture();
    path_.pop_back();
  }
  if (ok() && limits_.upper_bounds && v.size() < b.lo)
    reader().fail(ber::Errc::out_of_range, std::to_string(v.size()) + " elements, at least " + std::to_string(b.lo) +
                                               " required" + (b.ub ? std::string(" (SIZE ") + std::to_string(b.lo) + ".." + b.ub + ")" : std::string()));
  capture();
  frames_.pop_back();
}

template <class T, class D>
void BerDecoder::signed_part(T& v, ReceivedEncoding& r, D&& describe) {
  if (!ok()) return;
  const std::size_t start = reader().offset();
  describe(*this, v);
  if (!ok()) return;
  const ByteView in = d_.input();
  r.encoding.assign(in.begin() + static_cast<std::ptrdiff_t>(start), in.begin() + static_cast<std::ptrdiff_t>(reader().offset()));
  BerEncoder now;
  describe(now, v);
  if (now.bytes() == r.encoding) r.canonical.clear();
  else r.canonical = now.take();
}

// True for a std::variant (an ASN.1 CHOICE).
template <class T>
inline constexpr bool is_variant_v = false;
template <class... A>
inline constexpr bool is_variant_v<std::variant<A...>> = true;

// Runs asn1(io, v) over `in`: the value, or the first error with its path.
template <class T, class Describe>
Result<T> decode_with(ByteView in, const Limits& limits, const char* root, Describe&& describe) {
  BerDecoder io(in, limits, root);
  auto run = [&](T& v) -> Result<T> {
    describe(io, v);
    if (auto e = io.finish()) return *e;
    return std::move(v);
  };
  // A CHOICE starts as its first alternative, value-initialised by the variant itself;
  // `T v{}` would zero the whole variant first (an IPM's is 9.7 KB).
  if constexpr (is_variant_v<T>) {
    T v;
    return run(v);
  } else {
    T v{};
    return run(v);
  }
}

// Runs asn1(io, v) into BER: the octets, or the refusal with its field path (bad_value;
// found by a second, tracked run, so that writing costs no path keeping).
template <class T, class Describe>
Result<Bytes> encode_with(const T& v, Describe&& describe, const char* root = "") {
  BerEncoder io(root);
  describe(io, const_cast<T&>(v));  // the encoder only reads
  if (io.ok()) return io.take();
  BerEncoder locate(root, true);
  describe(locate, const_cast<T&>(v));
  return p1::make_error(ber::Errc::bad_value, locate.error().value_or(*io.error()));
}

}  // namespace mixer::p1::mts
