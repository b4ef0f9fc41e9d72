// tests/unit/bodyparts/mime_leaves.hpp: a test oracle for the 7-bit downgrade
// (bodyparts/seven_bit): the leaves of a MIME message, each as its type and
// its decoded octets, read with mime_adapter's one-level parser (RFC 2045,
// RFC 2046 §5.1.1, §5.1.5's digest default, §5.2.1's message/rfc822) and
// transfer_encoding's decoders. For the unit tests and the fuzzer; trusts
// nothing, its depth bounded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "bodyparts/transfer_encoding.hpp"

namespace mixer::test {

struct MimeLeaf {
  std::string type;     // "type/subtype"
  std::string octets;   // the body decoded
  bool operator==(const MimeLeaf&) const = default;
};

// The leaves of `octets` in order, or nullopt when a header block is over the limits, the
// nesting is over 64, or a multipart has no delimiter (nothing to compare).
inline bool collect_mime_leaves(std::string_view octets, std::string_view default_type, int depth,
                                std::vector<MimeLeaf>& out) {
  namespace bp = mixer::bodyparts;
  if (depth > 64) return false;
  bp::mime::Limits limits;
  limits.max_parts = 100000;
  auto e = bp::mime::parse_entity(octets, limits);
  if (!e) return false;
  const auto* ctf = bp::mime::find(e->fields, "Content-Type");
  bp::ContentType ct = bp::parse_content_type(ctf ? std::string_view(ctf->value) : default_type);
  if (!ct.ok) ct = bp::parse_content_type("text/plain");
  std::string cte;
  if (const auto* f = bp::mime::find(e->fields, "Content-Transfer-Encoding")) {
    std::string_view v = f->value;
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    const auto end = v.find_first_of(" \t(;");
    cte = bp::lower(v.substr(0, end));
  }
  const bool identity = cte.empty() || cte == "7bit" || cte == "8bit" || cte == "binary";
  if (ct.major() == "multipart" && identity) {
    auto m = bp::mime::split_multipart(e->body, ct.parameter("boundary"), limits);
    if (!m.opened || m.too_many) return false;
    for (auto part : m.parts)
      if (!collect_mime_leaves(part, ct.type == "multipart/digest" ? "message/rfc822" : "text/plain", depth + 1, out))
        return false;
    return true;
  }
  if (ct.type == "message/rfc822" && identity) return collect_mime_leaves(e->body, "text/plain", depth + 1, out);
  MimeLeaf leaf{ct.type, {}};
  if (cte == "quoted-printable") leaf.octets = bp::decode_quoted_printable(e->body).octets;
  else if (cte == "base64") leaf.octets = bp::decode_base64(e->body).octets;
  else leaf.octets = std::string(e->body);
  out.push_back(std::move(leaf));
  return true;
}

inline std::optional<std::vector<MimeLeaf>> mime_leaves(std::string_view message) {
  std::vector<MimeLeaf> out;
  if (!collect_mime_leaves(message, "text/plain", 0, out)) return std::nullopt;
  return out;
}

// The longest line of `s` (split at LF, a CR before it not counted) and whether any octet is
// over 127: what SMTP's BODY=7BIT allows (RFC 5321 §2.4, §4.5.3.1.6; RFC 6152 §3).
inline bool is_seven_bit_transport(std::string_view s) {
  std::size_t line = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c > 127) return false;
    if (c == '\n') {
      line = 0;
      continue;
    }
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    if (++line > 998) return false;
  }
  return true;
}

}  // namespace mixer::test
