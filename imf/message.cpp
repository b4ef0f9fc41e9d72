// imf/message.cpp: see the header. One pass over the input, a memchr per
// line; each octet is looked at a bounded number of times.
#include "imf/message.hpp"

#include <cstring>

#include "base/utf8.hpp"

namespace mixer::imf {

namespace {

// Whether any of n octets at p has its high bit set, eight at a time.
bool has_high_bit(const char* p, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) return true;
  }
  for (; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) & 0x80) return true;
  return false;
}

// A limit of ours exceeded (no RFC rule: RFC 5322 sets none but the 998 flagged here).
Error limit_error(Errc code, std::size_t offset, std::uint32_t line, std::string message) {
  return Error{code, offset, line, "", std::move(message)};
}

// The field being gathered: its first octet, where its value starts, its flags.
struct Open {
  bool active = false;
  bool field = false;
  std::size_t start = 0, value_start = 0, name_end = 0;
  std::uint32_t line = 0;
  std::uint16_t flags = 0;
};

// Closes the open field at `end` (just after its last CRLF, or the input's end).
void finish(std::string_view in, Open& o, std::size_t end, Message& m) {
  Field f;
  f.raw = in.substr(o.start, end - o.start);
  f.line = o.line;
  std::size_t content_end = end;
  if (!(o.flags & no_final_crlf)) content_end -= 2;
  if (o.field) {
    f.name = in.substr(o.start, o.name_end - o.start);
    std::size_t v = o.value_start;
    while (v < content_end) {
      if (is_wsp(in[v])) ++v;
      else if (in[v] == '\r' && v + 2 < content_end && in[v + 1] == '\n' && is_wsp(in[v + 2])) v += 2;
      else break;
    }
    f.value = in.substr(v, content_end - v);
  } else {
    f.name = in.substr(o.start, 0);  // empty, but a view into the input like every other
    f.value = in.substr(o.start, content_end - o.start);
  }
  if ((o.flags & eight_bit) && base::valid_utf8(f.raw)) o.flags |= utf8;
  f.flags = o.flags;
  m.flags |= o.flags;
  m.fields.push_back(f);
  o.active = false;
}

}  // namespace

const Field* Message::find(std::string_view name) const {
  for (const Field& f : fields)
    if (f.is_field() && iequals(f.name, name)) return &f;
  return nullptr;
}

Result<Message> parse_message(std::string_view in, const Limits& lim) {
  Message m;
  const char* const base = in.data();
  const std::size_t n = in.size();
  std::size_t pos = 0;
  std::uint32_t line = 1;
  Open o;
  while (pos < n) {
    if (in[pos] == '\r' && pos + 1 < n && in[pos + 1] == '\n') {  // the separator line
      if (o.active) finish(in, o, pos, m);
      m.header = in.substr(0, pos);
      m.body = in.substr(pos + 2);
      m.separator = true;
      m.body_line = line + 1;
      return m;
    }
    // This line's end: the next CRLF, searched no further than the line limit allows.
    const std::size_t room = n - pos;
    const std::size_t window = lim.max_line_length < room && lim.max_line_length + 2 < room ? pos + lim.max_line_length + 2 : n;
    std::size_t le = n, next = n, search = pos;
    bool bare = false, found = false;
    while (search < window) {
      const void* p = std::memchr(base + search, '\n', window - search);
      if (!p) break;
      const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(p) - base);
      if (e > pos && in[e - 1] == '\r') {
        le = e - 1;
        next = e + 1;
        found = true;
        break;
      }
      bare = true;
      search = e + 1;
    }
    if (!found && window < n)
      return limit_error(Errc::line_too_long, pos, line,
                         "header line longer than " + std::to_string(lim.max_line_length) + " octets");
    const std::size_t len = le - pos;
    if (len > lim.max_line_length)
      return limit_error(Errc::line_too_long, pos, line,
                         "header line longer than " + std::to_string(lim.max_line_length) + " octets");
    if (next > lim.max_header_size)
      return limit_error(Errc::header_too_large, pos, line,
                         "header longer than " + std::to_string(lim.max_header_size) + " octets");
    if (!bare && len > 0 && std::memchr(base + pos, '\r', len)) bare = true;
    std::uint16_t lf = 0;
    if (bare) lf |= bare_cr_lf;
    if (len > 998) lf |= long_line;
    if (has_high_bit(base + pos, len)) lf |= eight_bit;
    if (!found) lf |= no_final_crlf;

    if (is_wsp(in[pos])) {  // a continuation line
      if (!o.active) {
        if (m.fields.size() >= lim.max_fields)
          return limit_error(Errc::too_many_fields, pos, line,
                             "more than " + std::to_string(lim.max_fields) + " header fields");
        o = Open{true, false, pos, pos, pos, line, static_cast<std::uint16_t>(not_a_field | leading_continuation)};
      }
      std::size_t k = pos;
      while (k < le && is_wsp(in[k])) ++k;
      if (k == le) o.flags |= blank_continuation;
    } else {
      if (o.active) finish(in, o, pos, m);
      if (m.fields.size() >= lim.max_fields)
        return limit_error(Errc::too_many_fields, pos, line,
                           "more than " + std::to_string(lim.max_fields) + " header fields");
      std::size_t i = pos;
      while (i < le && is_ftext(static_cast<unsigned char>(in[i]))) ++i;
      const std::size_t name_end = i;
      while (i < le && is_wsp(in[i])) ++i;
      if (name_end > pos && i < le && in[i] == ':') {
        o = Open{true, true, pos, i + 1, name_end, line, 0};
        if (i > name_end) o.flags |= wsp_before_colon;
      } else {
        o = Open{true, false, pos, pos, pos, line, not_a_field};
      }
    }
    o.flags |= lf;
    if (next - o.start > lim.max_field_size)
      return limit_error(Errc::field_too_long, o.start, o.line,
                         "header field longer than " + std::to_string(lim.max_field_size) + " octets");
    pos = next;
    ++line;
  }
  if (o.active) finish(in, o, n, m);
  m.header = in;
  return m;
}

void unfold_append(std::string& out, std::string_view s) {
  std::size_t from = 0;
  while (true) {
    const std::size_t crlf = s.find("\r\n", from);
    if (crlf == std::string_view::npos) break;
    if (crlf + 2 < s.size() && is_wsp(s[crlf + 2])) {
      out.append(s, from, crlf - from);
      from = crlf + 2;
    } else {
      out.append(s, from, crlf + 2 - from);
      from = crlf + 2;
    }
  }
  out.append(s, from, s.size() - from);
}

std::string unfold(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  unfold_append(out, folded);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
  }
  return true;
}

}  // namespace mixer::imf
