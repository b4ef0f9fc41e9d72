// bodyparts/bodyparts.hpp: the seam between the mapping engine and the body
// part conversion (RFC 2157): one call per direction, taking and returning
// the parts of a body. Pure functions: body parts and options in, a MIME
// entity (or body parts) and the list of what was lost out, or a refusal.
//
// What exists now: IA5Text <-> text/plain (RFC 2157 §6.1), several IA5
// body parts <-> multipart/mixed. Every other body part or MIME type is
// refused with conversion-not-performed / conversion-impractical (554
// 5.6.3) naming it: the full RFC 2157 conversion is the next issue.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/refusal.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "p1/ipms/types.hpp"

namespace mixer::bodyparts {

// A MIME header field of the converted body: name and structured value (ASCII).
struct MimeField {
  std::string name;
  std::string value;
};

// The body of an Internet message: its MIME header fields (MIME-Version,
// Content-Type, Content-Transfer-Encoding, ...) and its octets (CRLF lines,
// each at most 998 octets): in `body`, or, when they are a body part's text as
// it is (IA5 text that already is 7bit CRLF lines), in `borrowed`, a view of
// that text (no copy), valid while the body parts given to to_mime are.
struct MimeEntity {
  std::vector<MimeField> fields;
  std::string body;
  std::string_view borrowed;
  std::string_view octets() const { return borrowed.data() ? borrowed : std::string_view(body); }
};

struct ToMimeOptions {
  bool eight_bit = false;  // the next hop offered 8BITMIME: 8bit is allowed
  std::size_t max_nesting = 16;
};

struct ToMime {
  MimeEntity entity;
  std::vector<base::Loss> losses;
};

// X.400 -> MIME.
base::Expected<ToMime> to_mime(const std::vector<p1::ipms::BodyPart>& body, const ToMimeOptions& options);

// The MIME part of an Internet message: its MIME header fields (unfolded
// values, as found) and its body octets.
struct MimeInput {
  std::vector<MimeField> fields;
  std::string_view body;
};

struct ToX400Options {
  bool extended_allowed = true;  // false: the next hop is X.400(1984) (RFC 2156 Appendix B)
  std::size_t max_nesting = 16;
};

struct ToX400 {
  std::vector<p1::ipms::BodyPart> body;
  p1::ber::BitString built_in_eits;            // the body's encoded information types
  std::vector<p1::ber::Oid> extended_eits;
  bool uses_1988 = false;                      // extended body parts (content type 22 needed)
  std::vector<base::Loss> losses;
};

// MIME -> X.400.
base::Expected<ToX400> to_x400(const MimeInput& mime, const ToX400Options& options);

// An ia5-text body part holding `text` (for RFC 2156 Appendix B's "RFC-822-Headers:" part).
p1::ipms::BodyPart ia5_text_part(std::string text);

}  // namespace mixer::bodyparts
