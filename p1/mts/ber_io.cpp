// p1/mts/ber_io.cpp: BerDecoder and BerEncoder (see ber_io.hpp).
#include "p1/mts/ber_io.hpp"

#include <algorithm>
#include <cstring>

#include "p1/mts/strings.hpp"

namespace mixer::p1::mts {

namespace {
// An element's X.690 §10.3 sort key (tag class, then number) from its identifier
// octets; the elements come from the reader, so they are well formed.
std::pair<unsigned, std::uint64_t> tag_order(ByteView e) {
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
}  // namespace

namespace {

ber::Charset charset_of(StringKind k) {
  switch (k) {
    case StringKind::printable: return ber::Charset::printable;
    case StringKind::numeric: return ber::Charset::numeric;
    case StringKind::ia5: return ber::Charset::ia5;
    case StringKind::visible: return ber::Charset::visible;
    default: return ber::Charset::any;
  }
}

// 256-entry repertoire tables (X.680 §41): one lookup per octet.
struct Repertoire {
  bool ok[256]{};
  explicit Repertoire(ber::Charset cs) {
    for (int c = 0; c < 256; ++c) {
      switch (cs) {
        case ber::Charset::any: ok[c] = true; break;
        case ber::Charset::numeric: ok[c] = (c >= '0' && c <= '9') || c == ' '; break;
        case ber::Charset::printable:
          ok[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (c < 128 && std::string_view(" '()+,-./:=?").find(static_cast<char>(c)) != std::string_view::npos);
          break;
        case ber::Charset::ia5: ok[c] = c < 0x80; break;
        case ber::Charset::visible: ok[c] = c >= 0x20 && c < 0x7f; break;
      }
    }
  }
};

// The first octet of `c` outside IA5 (over 127), or c.size(): eight octets at a time, as
// long IA5 strings (a body part's text) are checked.
std::size_t first_not_ia5(ByteView c) {
  const std::uint8_t* p = c.data();
  const std::size_t n = c.size();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    std::uint64_t w[4];
    std::memcpy(w, p + i, 32);
    if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) break;
  }
  for (; i < n; ++i)
    if (p[i] & 0x80) return i;
  return n;
}

const Repertoire& repertoire(ber::Charset cs) {
  static const Repertoire any(ber::Charset::any), numeric(ber::Charset::numeric), printable(ber::Charset::printable),
      ia5(ber::Charset::ia5), visible(ber::Charset::visible);
  switch (cs) {
    case ber::Charset::numeric: return numeric;
    case ber::Charset::printable: return printable;
    case ber::Charset::ia5: return ia5;
    case ber::Charset::visible: return visible;
    case ber::Charset::any: break;
  }
  return any;
}

std::string bound_text(const Bound& b) {
  std::string s = "SIZE (" + std::to_string(b.lo) + ".." + (b.hi == SIZE_MAX ? "MAX" : std::to_string(b.hi)) + ")";
  if (b.ub) s += std::string(" (") + b.ub + ")";
  return s;
}

}  // namespace

BerDecoder::BerDecoder(ByteView input, const Limits& limits, std::string root)
    : d_(input, limits.ber), limits_(limits), root_(std::move(root)) {
  frames_.push_back(frame(d_.root(), Form::sequence));
  capture();
}

std::string BerDecoder::path() const {
  std::string s = root_;
  for (const PathPart& p : path_) {
    if (p.name) {
      s += '.';
      s += p.name;
    } else {
      s += "[" + std::to_string(p.index) + "]";
    }
  }
  return s;
}

void BerDecoder::capture() {
  if (!d_.ok() && !error_path_) error_path_ = path();
}

std::optional<Error> BerDecoder::finish() {
  if (ok()) frames_.front().r.end();
  capture();
  if (d_.ok()) return std::nullopt;
  Error e = *d_.error();
  e.what = (error_path_ ? *error_path_ : std::string("?")) + ": " + e.what;
  return e;
}

void BerDecoder::fail(const std::string& what) {
  reader().fail(ber::Errc::bad_value, what);
  capture();
}

const std::optional<ber::Header>& BerDecoder::peek_next() {
  Frame& f = top();
  const std::size_t at = f.r.offset();
  if (f.peeked_at != at) {
    f.peeked = f.r.peek();
    f.peeked_at = at;
  }
  return f.peeked;
}

void BerDecoder::index_set(Frame& f) {
  f.first = set_elements_.size();
  while (ok() && !f.r.at_end()) {
    ber::Header h;
    ber::Reader e = f.r.next_element(h);
    if (!ok()) break;
    set_elements_.push_back(SetElement{e, h.tag, false});
  }
  f.last = set_elements_.size();
  f.set_end = f.r;
  capture();
}

void BerDecoder::read_element(Frame& f, SetElement& e) {
  e.taken = true;
  f.r = e.r;
  f.peeked_at = SIZE_MAX;  // another reader: the cached header is not its
}

void BerDecoder::finish_set(Frame& f, bool extensible) {
  for (std::size_t i = f.first; i < f.last && ok(); ++i) {
    SetElement& e = set_elements_[i];
    if (e.taken) continue;
    if (extensible) continue;  // an extension addition we do not know: skipped
    read_element(f, e);
    f.r.fail(ber::Errc::unexpected_tag, "unexpected " + ber::to_string(e.tag) + " in the SET");
  }
  f.r = f.set_end;
  f.peeked_at = SIZE_MAX;
}

bool BerDecoder::field(const char* name, const Tags& tags, bool) {
  if (!ok()) return false;
  Frame& f = top();
  if (f.form == Form::set && f.active == 0) {
    // A component of a SET: the element its tags match, wherever it is (X.680 §27.3).
    SetElement* found = nullptr;
    for (std::size_t i = f.first; i < f.last; ++i) {
      SetElement& e = set_elements_[i];
      if (e.taken || !tags.has(e.tag)) continue;
      if (!found) {
        found = &e;
        continue;
      }
      path_.push_back(PathPart{name, 0});
      read_element(f, e);
      f.r.fail(ber::Errc::duplicate, "component given twice in the SET");
      capture();
      path_.pop_back();
      return false;
    }
    if (!found) return false;
    read_element(f, *found);
    f.active = 1;
    path_.push_back(PathPart{name, 0});
    return true;
  }
  const auto& h = peek_next();
  if (!ok() || !h || !tags.has(h->tag)) return false;
  if (f.form == Form::set) ++f.active;
  path_.push_back(PathPart{name, 0});
  return true;
}

void BerDecoder::leave() {
  capture();
  path_.pop_back();
  Frame& f = top();
  if (f.form == Form::set && f.active > 0 && --f.active == 0) {
    // The component read its element: nothing of it may be left.
    if (ok()) f.r.end();
    capture();
    f.r = f.set_end;
    f.peeked_at = SIZE_MAX;
  }
}

void BerDecoder::missing(const char* name) {
  if (!ok()) return;
  Frame& f = top();
  path_.push_back(PathPart{name, 0});
  if (f.form == Form::set && f.active == 0) {
    f.r.fail(ber::Errc::missing, "mandatory component absent");
  } else {
    auto h = f.r.peek();
    if (!ok()) {
    } else if (h) {
      f.r.fail(ber::Errc::missing, "mandatory component absent (found " + ber::to_string(h->tag) + ")");
    } else {
      f.r.fail(ber::Errc::missing, "mandatory component absent");
    }
  }
  capture();
  path_.pop_back();
}

void BerDecoder::no_alternative() {
  if (!ok()) return;
  auto h = reader().peek();
  if (!ok()) return capture();
  reader().fail(ber::Errc::unexpected_tag,
                h ? "no alternative of the CHOICE is tagged " + ber::to_string(h->tag) : std::string("CHOICE value absent"));
  capture();
}

void BerDecoder::integer(std::int64_t& v, Tag t, Names) {
  v = reader().integer(t);
  capture();
}

void BerDecoder::range(std::int64_t v, std::int64_t lo, std::int64_t hi, const char* ub) {
  if (!ok() || !limits_.upper_bounds || (v >= lo && v <= hi)) return;
  reader().fail(ber::Errc::out_of_range, "value " + std::to_string(v) + " outside (" + std::to_string(lo) + ".." +
                                             std::to_string(hi) + ")" + (ub ? std::string(" (") + ub + ")" : std::string()));
  capture();
}

void BerDecoder::detect_constructed(bool& flag) {
  auto h = reader().peek();
  flag = h && h->constructed;
  capture();
}

void BerDecoder::detect_string_value(int& which) {
  which = -1;
  if (!ok()) return;
  ber::Reader next = reader();  // a copy: nothing consumed
  auto h = next.peek();
  capture();
  if (!h || h->constructed || h->tag.cls != ber::TagClass::universal) return;
  std::string text;
  which = string_value_kind(d_.input().subspan(h->offset, h->total_size()), text);
}

void BerDecoder::additions(std::vector<Bytes>& v) {
  if (!ok()) return;
  Frame& f = top();
  if (f.form == Form::sequence) return raw_rest(v);
  if (f.active) return;
  // A SET: the elements no component took, as received.
  for (std::size_t i = f.first; i < f.last && ok(); ++i) {
    SetElement& e = set_elements_[i];
    if (e.taken) continue;
    read_element(f, e);
    ByteView x = f.r.any();
    if (!ok()) break;
    // Kept in the encoder's X.690 §10.3 tag order (equal tags as received), so a value
    // decoded from a SET in any order encodes and decodes back to itself.
    auto at = std::upper_bound(v.begin(), v.end(), tag_order(x), [](const auto& key, const Bytes& b) {
      return key < tag_order(b);
    });
    v.emplace(at, x.begin(), x.end());
  }
  f.r = f.set_end;
  f.peeked_at = SIZE_MAX;
  capture();
}

void BerDecoder::boolean(bool& v, Tag t) {
  v = reader().boolean(t);
  capture();
}

void BerDecoder::null(Tag t) {
  reader().null(t);
  capture();
}

void BerDecoder::oid(Oid& v, Tag t) {
  v = reader().oid(t);
  capture();
}

void BerDecoder::octets(Bytes& v, Tag t) {
  v = reader().octets(t);
  capture();
}

void BerDecoder::text(std::string& v, Tag t, StringKind k, const Bound& b) {
  std::size_t chars = 0;
  if (k == StringKind::bmp || k == StringKind::universal) {
    Bytes raw = reader().octets(t);
    if (!ok()) return capture();
    auto u = k == StringKind::bmp ? utf8_from_ucs2(raw) : utf8_from_ucs4(raw);
    if (!u) {
      reader().fail(ber::Errc::bad_value, std::string(name_of(k)) + " with an invalid code point or length");
      return capture();
    }
    v = std::move(*u);
    chars = raw.size() / (k == StringKind::bmp ? 2 : 4);
  } else {
    const ber::Charset cs = b.any_chars ? ber::Charset::any : charset_of(k);
    const auto& h = peek_next();  // cached: the CHOICE of string types above peeked it
    if (h && !h->constructed && h->tag == t) {
      // The common primitive case: one pass over the contents, no intermediate copy.
      ByteView c = reader().primitive(t);
      if (!ok()) return capture();
      if (d_.limits().strict_charsets && cs != ber::Charset::any) {
        if (cs == ber::Charset::ia5) {
          if (const std::size_t at = first_not_ia5(c); at < c.size()) {
            reader().fail(ber::Errc::bad_value, "character " + std::to_string(c[at]) + " is not allowed in a " + name_of(k));
            return capture();
          }
        } else {
          const Repertoire& r = repertoire(cs);
          for (std::uint8_t x : c)
            if (!r.ok[x]) {
              reader().fail(ber::Errc::bad_value, "character " + std::to_string(x) + " is not allowed in a " + name_of(k));
              return capture();
            }
        }
      }
      v.assign(reinterpret_cast<const char*>(c.data()), c.size());
    } else {
      v = reader().string(t, cs);
    }
    if (!ok()) return capture();
    chars = k == StringKind::utf8 ? utf8_length(v) : v.size();
    if (k == StringKind::utf8 && !valid_utf8(v)) {
      reader().fail(ber::Errc::bad_value, "UTF8String that is not valid UTF-8");
      return capture();
    }
  }
  if (limits_.upper_bounds && (chars < b.lo || chars > b.hi) && !(b.or_empty && chars == 0)) {
    reader().fail(ber::Errc::out_of_range, std::string(name_of(k)) + " of " + std::to_string(chars) +
                                               " characters, outside " + bound_text(b));
  }
  capture();
}

void BerDecoder::bits(BitString& v, Tag t, Names, const Bound& b) {
  v = reader().bit_string(t);
  // The unused bits are not part of the value (X.690 §11.2.1 wants them zero): clear them.
  if (!v.bytes.empty() && v.unused_bits) v.bytes.back() &= static_cast<std::uint8_t>(0xff << v.unused_bits);
  if (ok() && limits_.upper_bounds && (v.size() < b.lo || v.size() > b.hi)) {
    // Trailing zero bits beyond the bound are harmless (X.690 §11.2.2 is DER only).
    bool beyond = false;
    for (std::size_t i = b.hi; i < v.size(); ++i) beyond = beyond || v.test(i);
    if (beyond || v.size() < b.lo)
      reader().fail(ber::Errc::out_of_range, "BIT STRING of " + std::to_string(v.size()) + " bits, outside " + bound_text(b));
  }
  capture();
}

void BerDecoder::time(std::string& v, Tag t, ber::TimeKind k) {
  v = reader().time(t);
  if (ok() && (v.size() < 10 || v.size() > 24)) reader().fail(ber::Errc::bad_value, "time value of " + std::to_string(v.size()) + " characters");
  // X.680 §46/§47 syntax: refused when strict; kept with a warning when lenient.
  const bool generalized = k == ber::TimeKind::generalized || (k == ber::TimeKind::of_tag && t == univ::generalized_time);
  if (ok()) {
    if (const char* why = ber::time_syntax_error(v, generalized)) {
      const std::string what = std::string("malformed ") + (generalized ? "GeneralizedTime" : "UTCTime") + " '" + v + "': " + why;
      if (limits_.upper_bounds) reader().fail(ber::Errc::bad_value, what);
      else if (limits_.warnings) limits_.warnings->push_back(what);
    }
  }
  capture();
}

void BerDecoder::raw(Bytes& v) {
  ByteView e = reader().any();
  if (ok()) v.assign(e.begin(), e.end());
  capture();
}

void BerDecoder::raw_rest(std::vector<Bytes>& v) {
  while (ok() && !reader().at_end()) {
    ByteView e = reader().any();
    if (ok()) v.emplace_back(e.begin(), e.end());
  }
  capture();
}

// ---- BerEncoder

void BerEncoder::enter(const char* name) { path_.push_back(PathPart{name, 0}); }

void BerEncoder::leave_tracked() { path_.pop_back(); }

std::string BerEncoder::path() const {
  std::string s = root_;
  for (const PathPart& p : path_) {
    if (p.name) {
      if (!s.empty()) s += '.';
      s += p.name;
    } else {
      s += "[" + std::to_string(p.index) + "]";
    }
  }
  return s;
}

void BerEncoder::oid(const Oid& v, Tag t) {
  if (auto c = v.contents()) w_.primitive(t, *c);
  else w_.primitive(t, {});  // an invalid OID in a value: written empty, refused by any decoder
}

void BerEncoder::text(const std::string& v, Tag t, StringKind k, const Bound&) {
  if (k == StringKind::bmp) w_.octets(ucs2_from_utf8(v), t);
  else if (k == StringKind::universal) w_.octets(ucs4_from_utf8(v), t);
  else w_.string(v, t);
}

namespace {

struct SetPart {
  Tag tag;
  ByteView bytes;
};

// Splits the encodings written since `start` into elements, reorders them by
// `less` (stable) and writes them back; malformed contents are left as they are.
// A SET has a few components: they are listed in place (no vector per SET) unless
// there are more than 16.
template <class Less>
void reorder(ber::Writer& w, std::size_t start, Less less) {
  Bytes& all = w.buffer();  // rewritten in place: the writer keeps its open elements
  ByteView contents(all.data() + start, all.size() - start);
  constexpr std::size_t kLocal = 16;
  SetPart local[kLocal];
  std::vector<SetPart> more;
  std::size_t count = 0;
  ber::Limits unlimited;
  unlimited.max_size = SIZE_MAX;
  unlimited.max_elements = SIZE_MAX;
  unlimited.max_depth = SIZE_MAX;
  ber::Decoding d(contents, unlimited);
  ber::Reader r = d.root();
  while (!r.at_end()) {
    ber::Header h;
    (void)r.next_element(h);  // one header read per element
    if (!d.ok()) break;
    const SetPart p{h.tag, contents.subspan(h.offset, h.total_size())};
    if (count < kLocal) {
      local[count] = p;
    } else {
      if (more.empty()) more.assign(local, local + kLocal);
      more.push_back(p);
    }
    ++count;
  }
  const std::span<SetPart> parts = count <= kLocal ? std::span<SetPart>(local, count) : std::span<SetPart>(more);
  if (d.ok() && !std::is_sorted(parts.begin(), parts.end(), less)) {
    std::stable_sort(parts.begin(), parts.end(), less);
    Bytes out(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(start));
    out.reserve(all.size());
    for (const SetPart& p : parts) out.insert(out.end(), p.bytes.begin(), p.bytes.end());
    all = std::move(out);
  }
}

}  // namespace

void BerEncoder::sort_set(std::size_t start) {
  reorder(w_, start, [](const SetPart& a, const SetPart& b) {
    return std::pair(a.tag.cls, a.tag.number) < std::pair(b.tag.cls, b.tag.number);
  });
}

void BerEncoder::sort_set_of(std::size_t start) {
  // X.690 §11.6: compared as octet strings, the shorter padded with 0-octets at its end.
  reorder(w_, start, [](const SetPart& p, const SetPart& q) {
    ByteView a = p.bytes, b = q.bytes;
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
      std::uint8_t x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
      if (x != y) return x < y;
    }
    return false;
  });
}

}  // namespace mixer::p1::mts
