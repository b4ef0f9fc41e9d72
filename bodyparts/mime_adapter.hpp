// bodyparts/mime_adapter.hpp: the MIME parser behind one seam (RFC 2045
// §3 header blocks, RFC 2046 §5.1.1 multipart bodies), one level at a
// time, returning views into the caller's octets (nothing copied) within
// explicit limits. The gateway's conversion uses the hand-written parser
// here; mimetic (the library the design names) is kept behind the same
// seam as the reference the tests and the fuzzer compare against, because
// it failed the limits (see bodyparts/README.md: a stack overflow at
// 100,000 nested multiparts, quadratic time on long header lines, and no
// octets of an embedded message/rfc822). Trusts nothing in the input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::bodyparts::mime {

struct Limits {
  std::size_t max_header_size = 64 * 1024;  // octets of one header block
  std::size_t max_fields = 256;             // fields in one header block
  std::size_t max_parts = 1000;             // parts of one multipart
};

// A header field: its name as written and its value unfolded (CRLF before
// white space removed), leading white space dropped.
struct Field {
  std::string_view name;
  std::string value;
};

// An entity: header fields, then its body (after the empty line).
struct Entity {
  std::vector<Field> fields;
  std::string_view body;
  std::vector<std::string> defects;  // what was malformed (and how it was read)
};

// The first field named `name` (case-insensitive), or null.
const Field* find(const std::vector<Field>& fields, std::string_view name);

// An entity's octets as header and body (RFC 5322 §2.1, RFC 2045 §3); lines end with CRLF
// or LF. nullopt when the header block is over the limits. A header without an empty line
// after it is a header with no body (a defect).
std::optional<Entity> parse_entity(std::string_view octets, const Limits& limits);

// The parts of a multipart body with this boundary (RFC 2046 §5.1.1): the CRLF before each
// delimiter belongs to it; transport padding after a delimiter is ignored.
struct Multipart {
  std::vector<std::string_view> parts;  // each part's octets (header and body)
  bool opened = false;                  // a first delimiter was found
  bool closed = false;                  // the close delimiter was found
  bool too_many = false;                // parts over limits.max_parts (the rest left out)
};
Multipart split_multipart(std::string_view body, std::string_view boundary, const Limits& limits);

// The reference: the same entity parsed by mimetic, as (header fields, body) per leaf in
// order, bodies as mimetic gives them. For tests and measurements only (small inputs).
struct ReferenceLeaf {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
};
std::vector<ReferenceLeaf> mimetic_leaves(std::string_view octets);

}  // namespace mixer::bodyparts::mime
