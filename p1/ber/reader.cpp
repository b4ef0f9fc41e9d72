// p1/ber/reader.cpp: BER decoding (X.690 §8). Every read is bounds-checked
// against the enclosing element; indefinite lengths are resolved by one scan
// whose results are cached, so nested indefinite encodings cost O(n).
#include "p1/ber/reader.hpp"

namespace mixer::p1::ber {

namespace {

struct RawHeader {
  Tag tag;
  bool constructed = false;
  bool indefinite = false;
  std::size_t header_size = 0;
  std::uint64_t length = 0;
};

struct HeaderFault {
  Errc code;
  const char* what;
};

// Parses identifier and length octets at p (X.690 §8.1.2-8.1.3); never reads past end.
std::optional<HeaderFault> parse_header(const std::uint8_t* p, const std::uint8_t* end, RawHeader& h) {
  const std::uint8_t* start = p;
  if (p >= end) return HeaderFault{Errc::truncated, "expected an element, found the end of its container"};
  std::uint8_t b = *p++;
  h.tag.cls = static_cast<TagClass>(b >> 6);
  h.constructed = (b & 0x20) != 0;
  std::uint32_t number = b & 0x1f;
  if (number == 0x1f) {
    number = 0;
    int n = 0;
    do {
      if (p >= end) return HeaderFault{Errc::truncated, "identifier octets run past the end"};
      b = *p++;
      if (n == 0 && b == 0x80) return HeaderFault{Errc::bad_header, "tag number with a padding octet (X.690 8.1.2.4.2)"};
      if (++n > 5 || number > (0xffffffffu >> 7)) return HeaderFault{Errc::bad_header, "tag number too large"};
      number = (number << 7) | (b & 0x7f);
    } while (b & 0x80);
  }
  h.tag.number = number;
  if (h.tag == univ::end_of_contents)
    return HeaderFault{Errc::bad_header, "end-of-contents octets where an element was expected"};
  if (p >= end) return HeaderFault{Errc::truncated, "length octets missing"};
  b = *p++;
  h.indefinite = false;
  h.length = 0;
  if (b < 0x80) {
    h.length = b;
  } else if (b == 0x80) {
    if (!h.constructed) return HeaderFault{Errc::bad_header, "indefinite length on a primitive encoding (X.690 8.1.3.2)"};
    h.indefinite = true;
  } else if (b == 0xff) {
    return HeaderFault{Errc::bad_header, "reserved length octet 0xFF (X.690 8.1.3.5)"};
  } else {
    int n = b & 0x7f;
    if (n > 8) return HeaderFault{Errc::bad_header, "length of more than 8 octets"};
    for (int i = 0; i < n; ++i) {
      if (p >= end) return HeaderFault{Errc::truncated, "length octets run past the end"};
      h.length = (h.length << 8) | *p++;
    }
  }
  h.header_size = static_cast<std::size_t>(p - start);
  return std::nullopt;
}

bool in_charset(std::uint8_t c, Charset cs) {
  switch (cs) {
    case Charset::any: return true;
    case Charset::numeric: return (c >= '0' && c <= '9') || c == ' ';
    case Charset::printable:
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' ||
             c == '\'' || c == '(' || c == ')' || c == '+' || c == ',' || c == '-' || c == '.' || c == '/' ||
             c == ':' || c == '=' || c == '?';
    case Charset::ia5: return c < 0x80;
    case Charset::visible: return c >= 0x20 && c < 0x7f;
  }
  return false;
}

const char* charset_name(Charset cs) {
  switch (cs) {
    case Charset::numeric: return "NumericString";
    case Charset::printable: return "PrintableString";
    case Charset::ia5: return "IA5String";
    case Charset::visible: return "VisibleString";
    case Charset::any: break;
  }
  return "string";
}

}  // namespace

Decoding::Decoding(ByteView input, const Limits& limits) : input_(input), limits_(limits) {
  if (input.size() > limits.max_size)
    fail(Errc::too_large, 0, "input of " + std::to_string(input.size()) + " octets exceeds the limit of " +
                                 std::to_string(limits.max_size));
}

Reader Decoding::root() { return Reader(this, input_.data(), input_.data() + input_.size(), 0); }

void Decoding::fail(Errc code, std::size_t offset, std::string what) {
  if (error_) return;
  error_ = Error{code, std::move(what) + " (at offset " + std::to_string(offset) + ")", offset};
}

void Reader::fail(Errc code, std::string what) {
  if (d_) d_->fail(code, offset(), std::move(what));
}

bool Reader::find_indefinite_end(const std::uint8_t* content, std::size_t header_offset, std::size_t& end_offset) {
  auto& cache = d_->indefinite_ends_;
  const std::size_t limit = d_->offset_of(end_);
  if (auto it = cache.find(header_offset); it != cache.end()) {
    if (it->second + 2 > limit) {
      fail(Errc::truncated, "indefinite-length element runs past its container");
      return false;
    }
    end_offset = it->second;
    return true;
  }
  std::vector<std::size_t> open{header_offset};
  const std::uint8_t* p = content;
  while (true) {
    if (p >= end_) {
      d_->fail(Errc::truncated, header_offset, "no end-of-contents for the indefinite-length element");
      return false;
    }
    if (*p == 0) {
      if (end_ - p < 2) {
        d_->fail(Errc::truncated, d_->offset_of(p), "end-of-contents cut short");
        return false;
      }
      if (p[1] != 0) {
        d_->fail(Errc::bad_header, d_->offset_of(p), "end-of-contents with a non-zero length");
        return false;
      }
      cache[open.back()] = d_->offset_of(p);
      open.pop_back();
      p += 2;
      if (open.empty()) {
        end_offset = cache[header_offset];
        return true;
      }
      continue;
    }
    RawHeader h;
    if (auto fault = parse_header(p, end_, h)) {
      d_->fail(fault->code, d_->offset_of(p), fault->what);
      return false;
    }
    if (++d_->elements_ > d_->limits_.max_elements) {
      d_->fail(Errc::too_many_elements, d_->offset_of(p), "more than " + std::to_string(d_->limits_.max_elements) + " elements");
      return false;
    }
    if (h.indefinite) {
      if (depth_ + 1 + open.size() > d_->limits_.max_depth) {
        d_->fail(Errc::too_deep, d_->offset_of(p), "nesting deeper than " + std::to_string(d_->limits_.max_depth));
        return false;
      }
      open.push_back(d_->offset_of(p));
      p += h.header_size;
    } else {
      if (h.length > static_cast<std::uint64_t>(end_ - p) - h.header_size) {
        d_->fail(Errc::truncated, d_->offset_of(p), "element length " + std::to_string(h.length) + " runs past its container");
        return false;
      }
      p += h.header_size + h.length;
    }
  }
}

bool Reader::read_header(Header& h) {
  if (!ok()) return false;
  RawHeader raw;
  if (auto fault = parse_header(pos_, end_, raw)) {
    fail(fault->code, fault->what);
    return false;
  }
  if (++d_->elements_ > d_->limits_.max_elements) {
    fail(Errc::too_many_elements, "more than " + std::to_string(d_->limits_.max_elements) + " elements");
    return false;
  }
  h.tag = raw.tag;
  h.constructed = raw.constructed;
  h.indefinite = raw.indefinite;
  h.offset = offset();
  h.header_size = raw.header_size;
  const std::size_t room = static_cast<std::size_t>(end_ - pos_) - raw.header_size;
  if (!raw.indefinite) {
    if (raw.length > room) {
      fail(Errc::truncated, to_string(raw.tag) + " of length " + std::to_string(raw.length) + " has only " +
                                std::to_string(room) + " octets left in its container");
      return false;
    }
    h.content_size = static_cast<std::size_t>(raw.length);
    return true;
  }
  std::size_t end_offset = 0;
  if (!find_indefinite_end(pos_ + raw.header_size, h.offset, end_offset)) return false;
  h.content_size = end_offset - (h.offset + raw.header_size);
  return true;
}

std::optional<Header> Reader::peek() {
  if (at_end()) return std::nullopt;
  Header h;
  if (!read_header(h)) return std::nullopt;
  --d_->elements_;  // counted again when actually read
  return h;
}

Reader Reader::next_element(Header& h) {
  // Counted here (a header read), and again when the element itself is read: so a SET
  // of many elements meets max_elements before its index grows past it.
  if (at_end() || !read_header(h)) return {};
  Reader e(d_, pos_, pos_ + h.total_size(), depth_);
  pos_ += h.total_size();
  return e;
}

bool Reader::next_is(Tag t) {
  auto h = peek();
  return h && h->tag == t;
}

bool Reader::take(Tag t, Header& h) {
  if (!ok()) return false;
  if (pos_ >= end_) {
    fail(Errc::missing, "expected " + to_string(t) + ", found the end of its container");
    return false;
  }
  if (!read_header(h)) return false;
  if (h.tag != t) {
    fail(Errc::unexpected_tag, "expected " + to_string(t) + ", found " + to_string(h.tag));
    return false;
  }
  return true;
}

bool Reader::take_primitive(Tag t, Header& h, ByteView& content) {
  if (!take(t, h)) return false;
  if (h.constructed) {
    fail(Errc::wrong_form, to_string(t) + " must be primitive here");
    return false;
  }
  content = ByteView(pos_ + h.header_size, h.content_size);
  pos_ += h.total_size();
  return true;
}

Reader Reader::enter(Tag t) {
  Header h;
  if (!take(t, h)) return {};
  if (!h.constructed) {
    fail(Errc::wrong_form, to_string(t) + " must be constructed");
    return {};
  }
  if (depth_ + 1 > d_->limits_.max_depth) {
    fail(Errc::too_deep, "nesting deeper than " + std::to_string(d_->limits_.max_depth));
    return {};
  }
  const std::uint8_t* c = pos_ + h.header_size;
  pos_ += h.total_size();
  return Reader(d_, c, c + h.content_size, depth_ + 1);
}

ByteView Reader::primitive(Tag t) {
  Header h;
  ByteView c;
  if (!take_primitive(t, h, c)) return {};
  return c;
}

std::int64_t Reader::integer(Tag t) {
  std::size_t at = offset();
  ByteView c = primitive(t);
  if (!ok()) return 0;
  if (c.empty()) {
    d_->fail(Errc::bad_value, at, "INTEGER with no contents octets (X.690 8.3.1)");
    return 0;
  }
  // Redundant leading octets are tolerated (peers are not all minimal).
  while (c.size() > 1 && ((c[0] == 0x00 && !(c[1] & 0x80)) || (c[0] == 0xff && (c[1] & 0x80)))) c = c.subspan(1);
  if (c.size() > 8) {
    d_->fail(Errc::out_of_range, at, "INTEGER of " + std::to_string(c.size()) + " octets does not fit 64 bits");
    return 0;
  }
  std::uint64_t v = (c[0] & 0x80) ? ~std::uint64_t{0} : 0;
  for (std::uint8_t b : c) v = (v << 8) | b;
  return static_cast<std::int64_t>(v);
}

bool Reader::boolean(Tag t) {
  std::size_t at = offset();
  ByteView c = primitive(t);
  if (!ok()) return false;
  if (c.size() != 1) {
    d_->fail(Errc::bad_value, at, "BOOLEAN must have one contents octet (X.690 8.2.1)");
    return false;
  }
  return c[0] != 0;
}

void Reader::null(Tag t) {
  std::size_t at = offset();
  ByteView c = primitive(t);
  if (ok() && !c.empty()) d_->fail(Errc::bad_value, at, "NULL with contents octets (X.690 8.8.2)");
}

Oid Reader::oid(Tag t) {
  std::size_t at = offset();
  ByteView c = primitive(t);
  if (!ok()) return {};
  auto o = Oid::from_contents(c);
  if (!o) {
    d_->fail(Errc::bad_value, at, "invalid OBJECT IDENTIFIER encoding (X.690 8.19)");
    return {};
  }
  return *o;
}

void Reader::collect_segments(const Header& h, Tag segment_tag, Bytes& out, std::uint8_t* unused) {
  if (depth_ + 1 > d_->limits_.max_depth) return fail(Errc::too_deep, "constructed string nested too deep");
  const std::uint8_t* c = pos_ + h.header_size;
  Reader inner(d_, c, c + h.content_size, depth_ + 1);
  while (!inner.at_end()) {
    Header s;
    if (!inner.read_header(s)) return;
    if (s.tag != segment_tag)
      return inner.fail(Errc::unexpected_tag, "segment of a constructed string tagged " + to_string(s.tag) +
                                                  ", expected " + to_string(segment_tag) + " (X.690 8.7.3.2)");
    if (s.constructed) {
      inner.collect_segments(s, segment_tag, out, unused);
      if (!inner.ok()) return;
    } else {
      ByteView seg(inner.pos_ + s.header_size, s.content_size);
      if (unused) {
        if (seg.empty() || seg[0] > 7 || (seg.size() == 1 && seg[0] != 0))
          return inner.fail(Errc::bad_value, "invalid BIT STRING segment (X.690 8.6.2)");
        if (*unused != 0) return inner.fail(Errc::bad_value, "unused bits in a BIT STRING segment that is not the last");
        *unused = seg[0];
        seg = seg.subspan(1);
      }
      out.insert(out.end(), seg.begin(), seg.end());
    }
    inner.pos_ += s.total_size();
  }
}

Bytes Reader::octets(Tag t) {
  Header h;
  if (!take(t, h)) return {};
  Bytes out;
  if (!h.constructed) {
    const std::uint8_t* c = pos_ + h.header_size;
    out.assign(c, c + h.content_size);
  } else {
    collect_segments(h, univ::octet_string, out, nullptr);
  }
  pos_ += h.total_size();
  return ok() ? out : Bytes{};
}

ByteView Reader::octets_view(Tag t) { return primitive(t); }

std::string Reader::string(Tag t, Charset cs) {
  std::size_t at = offset();
  Bytes b = octets(t);
  if (!ok()) return {};
  if (d_->limits_.strict_charsets) {
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (!in_charset(b[i], cs)) {
        d_->fail(Errc::bad_value, at, std::string("character ") + std::to_string(b[i]) + " is not allowed in a " + charset_name(cs));
        return {};
      }
    }
  }
  return std::string(b.begin(), b.end());
}

BitString Reader::bit_string(Tag t) {
  Header h;
  if (!take(t, h)) return {};
  BitString bs;
  if (!h.constructed) {
    ByteView c(pos_ + h.header_size, h.content_size);
    if (c.empty() || c[0] > 7 || (c.size() == 1 && c[0] != 0)) {
      fail(Errc::bad_value, "invalid BIT STRING (X.690 8.6.2)");
      return {};
    }
    bs.unused_bits = c[0];
    bs.bytes.assign(c.begin() + 1, c.end());
  } else {
    collect_segments(h, univ::bit_string, bs.bytes, &bs.unused_bits);
  }
  pos_ += h.total_size();
  return ok() ? bs : BitString{};
}

std::string Reader::time(Tag t) {
  std::size_t at = offset();
  Bytes b = octets(t);
  if (!ok()) return {};
  for (std::uint8_t c : b) {
    if (!((c >= '0' && c <= '9') || c == 'Z' || c == '+' || c == '-' || c == '.' || c == ',')) {
      d_->fail(Errc::bad_value, at, "invalid character in a time value");
      return {};
    }
  }
  return std::string(b.begin(), b.end());
}

ByteView Reader::any() {
  Header h;
  if (at_end()) {
    if (ok()) fail(Errc::missing, "expected an element, found the end of its container");
    return {};
  }
  if (!read_header(h)) return {};
  ByteView whole(pos_, h.total_size());
  pos_ += h.total_size();
  return whole;
}

ByteView Reader::any(Tag t) {
  Header h;
  if (!take(t, h)) return {};
  ByteView whole(pos_, h.total_size());
  pos_ += h.total_size();
  return whole;
}

void Reader::skip() { (void)any(); }

ByteView Reader::rest() {
  if (!ok()) return {};
  ByteView v(pos_, static_cast<std::size_t>(end_ - pos_));
  pos_ = end_;
  return v;
}

void Reader::skip_rest() {
  if (ok()) pos_ = end_;
}

void Reader::end() {
  if (at_end()) return;
  auto h = peek();
  if (h) fail(Errc::trailing, "unexpected " + to_string(h->tag) + " after the last component");
}

}  // namespace mixer::p1::ber
