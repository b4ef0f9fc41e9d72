// bodyparts/mime_adapter.cpp: the MIME parser (header blocks, multipart
// bodies, one level per call, views into the input) and mimetic as its
// reference. The only file that includes mimetic. Trusts nothing: every
// scan is linear in its input and bounded by the limits.
#include "bodyparts/mime_adapter.hpp"

#include <mimetic/mimetic.h>

#include <sstream>

namespace mixer::bodyparts::mime {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// One line from `at`: its text without the line break, and where the next starts.
struct Line {
  std::string_view text;
  std::size_t next;
};
Line line_at(std::string_view s, std::size_t at) {
  const std::size_t lf = s.find('\n', at);
  const std::size_t end = lf == std::string_view::npos ? s.size() : lf;
  std::size_t stop = end;
  if (stop > at && s[stop - 1] == '\r') --stop;
  return {s.substr(at, stop - at), lf == std::string_view::npos ? s.size() : lf + 1};
}

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// A value unfolded from a first line of white space only starts with the fold's: dropped.
void trim_values(Entity& e) {
  for (auto& f : e.fields) {
    std::size_t n = 0;
    while (n < f.value.size() && is_wsp(f.value[n])) ++n;
    f.value.erase(0, n);
  }
}

// RFC 5322 §3.6.8 field name: printable US-ASCII but the colon.
bool field_name_ok(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n)
    if (static_cast<unsigned char>(c) < 33 || static_cast<unsigned char>(c) > 126) return false;
  return true;
}

}  // namespace

const Field* find(const std::vector<Field>& fields, std::string_view name) {
  for (const auto& f : fields)
    if (iequal(f.name, name)) return &f;
  return nullptr;
}

std::optional<Entity> parse_entity(std::string_view octets, const Limits& limits) {
  Entity e;
  std::size_t at = 0;
  while (at < octets.size()) {
    if (at > limits.max_header_size) return std::nullopt;
    const Line l = line_at(octets, at);
    if (l.text.empty()) {  // the empty line: the body follows
      e.body = octets.substr(l.next);
      trim_values(e);
      return e;
    }
    if (is_wsp(l.text.front())) {
      if (e.fields.empty()) {
        e.defects.push_back("a header block begins with a continuation line (read as the body)");
        e.body = octets.substr(at);
        return e;
      }
      e.fields.back().value.append(l.text);
      at = l.next;
      continue;
    }
    const std::size_t colon = l.text.find(':');
    std::string_view name = colon == std::string_view::npos ? std::string_view() : l.text.substr(0, colon);
    while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
    if (!field_name_ok(name)) {
      // RFC 2045 §3: a line that is no field ends the header; what follows is body.
      e.defects.push_back("the header block ends without an empty line (the rest read as the body)");
      e.body = octets.substr(at);
      trim_values(e);
      return e;
    }
    if (e.fields.size() >= limits.max_fields) return std::nullopt;
    std::string_view value = l.text.substr(colon + 1);
    while (!value.empty() && is_wsp(value.front())) value.remove_prefix(1);
    e.fields.push_back(Field{name, std::string(value)});
    at = l.next;
  }
  if (at > limits.max_header_size) return std::nullopt;
  e.body = octets.substr(octets.size());
  if (!e.fields.empty()) e.defects.push_back("a header block with no body");
  trim_values(e);
  return e;
}

Multipart split_multipart(std::string_view body, std::string_view boundary, const Limits& limits) {
  Multipart m;
  if (boundary.empty() || boundary.size() > 200) return m;
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t part_start = std::string_view::npos;  // where the current part's octets start
  std::size_t from = 0;
  while (from <= body.size()) {
    const std::size_t pos = body.find(delimiter, from);
    if (pos == std::string_view::npos) break;
    from = pos + 1;
    if (pos != 0 && body[pos - 1] != '\n') continue;  // not at a line start
    std::size_t after = pos + delimiter.size();
    const bool close = body.substr(after, 2) == "--";
    if (close) after += 2;
    const Line rest = line_at(body, after);
    bool padding_only = true;  // RFC 2046: transport padding (white space) may follow
    for (char c : rest.text) padding_only = padding_only && is_wsp(c);
    if (!padding_only) continue;
    if (part_start != std::string_view::npos) {
      std::size_t end = pos;  // the line break before the delimiter belongs to it
      if (end > part_start && body[end - 1] == '\n') --end;
      if (end > part_start && body[end - 1] == '\r') --end;
      if (m.parts.size() >= limits.max_parts) {
        m.too_many = true;
        return m;
      }
      m.parts.push_back(body.substr(part_start, end - part_start));
    }
    m.opened = true;
    if (close) {
      m.closed = true;
      return m;
    }
    part_start = rest.next;
    from = rest.next;
  }
  // Unterminated: the last part runs to the end of the body.
  if (part_start != std::string_view::npos && part_start <= body.size()) {
    if (m.parts.size() >= limits.max_parts) m.too_many = true;
    else m.parts.push_back(body.substr(part_start));
  }
  return m;
}

namespace {
void leaves_of(const mimetic::MimeEntity& e, std::vector<ReferenceLeaf>& out) {
  const auto& parts = e.body().parts();
  if (!parts.empty()) {
    for (const auto* c : parts) leaves_of(*c, out);
    return;
  }
  ReferenceLeaf leaf;
  for (const auto& f : e.header()) leaf.fields.emplace_back(std::string(f.name()), f.value());
  leaf.body = e.body();
  out.push_back(std::move(leaf));
}
}  // namespace

std::vector<ReferenceLeaf> mimetic_leaves(std::string_view octets) {
  mimetic::MimeEntity e(octets.begin(), octets.end());
  std::vector<ReferenceLeaf> out;
  leaves_of(e, out);
  return out;
}

}  // namespace mixer::bodyparts::mime
