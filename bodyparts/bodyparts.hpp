// bodyparts/bodyparts.hpp: the seam between the mapping engine and the body
// part conversion (RFC 2157): one call per direction, taking and returning
// the parts of a body (and, for §6.5, the caller's callbacks). Pure functions: body parts and options in, a MIME
// entity (or body parts) and the list of what was lost out, or a refusal.
//
// What converts (bodyparts/README.md has the list): text/plain in every
// charset ICU knows <-> IA5Text (§6.1), GeneralText (§6.2) or Teletex
// (§6.7); multipart/* <-> the body's parts at the outermost level and a
// ForwardedIPMessage below it (§6.6); application/octet-stream <->
// BilaterallyDefined (§6.3); the MIME types with no equivalence carried in
// the MIME body part (§3.1.2, or HARPOON §3.1.3 for an X.400(1984) next
// hop); the X.400 body parts with no equivalence carried in
// application/x400-bp (§3.2), and both encapsulations undone on the way
// back. What is lost is listed; a refusal only where a limit or a
// prohibition says so.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/refusal.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "bodyparts/user_control.hpp"
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
//
// With ToMimeOptions::deferred_base64, base64 lines of a body part's octets
// (BilaterallyDefined, §6.3) are not written yet: each Base64At says that
// base64_lines(octets) goes at offset `at` of the octets above, and the caller
// writes the whole with append_body() (straight into its output, no
// intermediate copy of a large attachment); octets() then is the text around them.
struct MimeEntity {
  struct Base64At {
    std::size_t at;
    std::string_view octets;  // a view of the body parts given to to_mime
  };
  std::vector<MimeField> fields;
  std::string body;
  std::string_view borrowed;
  std::vector<Base64At> base64;  // in order of `at`; empty unless deferred_base64
  std::string_view octets() const { return borrowed.data() ? borrowed : std::string_view(body); }
};

// The length of the entity's body: octets() with the deferred base64 lines.
std::size_t body_size(const MimeEntity& e);
// Appends the entity's body (octets() with the deferred base64 lines written in) to `out`.
void append_body(std::string& out, const MimeEntity& e);

// The explicit limits of both directions (RFC 2157 "within the limits").
struct BodyLimits {
  std::size_t max_parts = 1000;             // body parts (or MIME parts) in all, at every level
  std::size_t max_header_size = 64 * 1024;  // octets of one MIME part's header block
  std::size_t max_part_size = 64u << 20;    // octets of one part's content
};

// RFC 2157 §6.5: a forwarded message's heading goes through the RFC 2156 mapping engine, which
// bodyparts/ does not depend on: the engine gives these callbacks (mapping/forwarded.cpp). `depth`
// is the nesting of the forwarded message (the outermost message 0); `parts_left` what remains of
// limits.max_parts. Without a callback, message/rfc822 and ForwardedIPMessage are encapsulated.
struct ForwardedX400 {
  p1::ipms::BodyPart part;  // the MessageBodyPart
  std::vector<base::Loss> losses;
  std::size_t parts = 0;    // body parts converted inside it, at every level
  std::vector<base::Loss> requested_losses;  // §4.1, as ToX400::requested_losses
};
struct ForwardedMime {
  std::string message;      // RFC 5322 octets: header, empty line, body (CRLF lines)
  std::vector<base::Loss> losses;
  std::size_t parts = 0;
  std::vector<base::Loss> requested_losses;  // §4.2, as ToMime::requested_losses
};
// `enclosing`: the §4.1 (2) "from" rules of the multiparts around the message/rfc822 part,
// outermost first, for ToX400Options::enclosing_rules of its body.
using ForwardedToX400 = std::function<base::Expected<ForwardedX400>(
    std::string_view rfc822, std::size_t depth, std::size_t parts_left, const std::vector<WantedX400Conversion>& enclosing)>;
using ForwardedToMime = std::function<base::Expected<ForwardedMime>(const p1::ipms::MessageBodyPart& m,
                                                                     std::size_t depth, std::size_t parts_left)>;

struct ToMimeOptions {
  bool eight_bit = false;  // the next hop offered 8BITMIME: 8bit is allowed
  std::size_t max_nesting = 16;
  BodyLimits limits{};
  bool conversion_prohibited = false;  // X.411 implicit-conversion-prohibited: refuse any conversion
  // The IPM heading's multipart-message extension (RFC 2157 §6.6), when it has one: the
  // subtype of the multipart a body of several parts goes out as ("mixed" without it).
  std::string multipart_subtype;
  std::size_t depth = 0;             // the nesting the caller has used (a forwarded message's body)
  ForwardedToMime forwarded_to_mime;  // §6.5
  // The outermost entity may keep base64 lines unwritten (MimeEntity::base64): the caller
  // writes the body with append_body(). False: the body is all in octets().
  bool deferred_base64 = false;
  // §4.2 (not chapter 8's minimum; the caller reads it from the heading when the configuration
  // says so): the X.400 user's wanted conversions, for the body parts of these types at every
  // level, nested messages included; they override the prohibitions.
  std::vector<WantedMimeConversion> wanted_mime_conversions;
};

struct ToMime {
  MimeEntity entity;
  std::vector<base::Loss> losses;
  // §4.2: what the conversions the X.400 user asked for lost; they override "conversion (with
  // loss) prohibited": the caller reports them but does not refuse for them.
  std::vector<base::Loss> requested_losses;
  std::size_t parts = 0;  // body parts converted, at every level
};

// X.400 -> MIME.
base::Expected<ToMime> to_mime(const std::vector<p1::ipms::BodyPart>& body, const ToMimeOptions& options);

// The MIME part of an Internet message: its MIME header fields (unfolded
// values, as found) and its body octets.
struct MimeInput {
  std::vector<MimeField> fields;
  std::string_view body;
};

// RFC 2157 §8's configuration choice for application/octet-stream.
enum class OctetStream { bilaterally_defined, ftbp_unknown };

// The encapsulation of a MIME type with no equivalence for an X.400(1988) next hop: the MIME
// body part (BP15, §3.1.2) or the FTBP of id-mime-ftbp-data (§3.1.1).
enum class UnknownMime { bp15, ftbp };


struct ToX400Options {
  bool extended_allowed = true;  // false: the next hop is X.400(1984) (RFC 2156 Appendix B)
  // With extended_allowed false: the 1984 next hop takes bilaterally-defined [14] (RFC 2157
  // §3.1 "X.400(84) UA with BP14 handling capability"): application/octet-stream and §4.1's
  // "in bp14" are BP14 as for a 1988 next hop, not HARPOON.
  bool bp14_1984 = false;
  std::size_t max_nesting = 16;
  BodyLimits limits{};
  OctetStream octet_stream = OctetStream::bilaterally_defined;  // §6.3, or §6.4
  bool utf8_general_text = false;  // the next hop takes GeneralText in UTF-8 (ISO-IR 196)
  bool conversion_prohibited = false;  // Conversion: Prohibited: refuse any conversion
  UnknownMime unknown_mime = UnknownMime::bp15;  // §3.1.2, or §3.1.1
  // §3.1.4, a configurable choice: such a type as BilaterallyDefined (BP14), its decoded octets
  // only (lossy: "impossible to reconstruct the MIME type"), instead of unknown_mime. X.400(1988)
  // next hops only: P2 (1984) as p1/ipms checks it has no [14], so HARPOON stays theirs.
  bool bp14_content_passing = false;
  bool conversion_with_loss_prohibited = false;  // no BP14 then (the lossless encapsulation instead)
  // §4 (not in chapter 8's minimum; on when the configuration says so): the sender's
  // Wanted-X400-Conversion fields choose the body part of a MIME part (§4.1 (1), its own
  // heading) or of every part of a type in a multipart (§4.1 (2), "from"), overriding the
  // prohibitions; `wanted_x400_conversion` holds the values of the message heading's fields
  // (the outermost entity's, which the caller's MimeInput may not include).
  bool user_control = false;
  std::vector<std::string> wanted_x400_conversion;
  // §4.1 (2) for a forwarded message's body: the "from" rules of the multiparts around the
  // message/rfc822 part (outermost first), below the rules of its own multiparts.
  std::vector<WantedX400Conversion> enclosing_rules;
  std::size_t depth = 0;             // the nesting the caller has used (a forwarded message's body)
  ForwardedToX400 forwarded_to_x400;  // §6.5
};

struct ToX400 {
  std::vector<p1::ipms::BodyPart> body;
  p1::ber::BitString built_in_eits;            // the body's encoded information types
  std::vector<p1::ber::Oid> extended_eits;
  bool uses_1988 = false;                      // extended body parts (content type 22 needed)
  std::vector<base::Loss> losses;
  // §4.1: what the conversions the sender asked for lost (BP14 drops the type and fields, ...).
  // The sender's choice overrides "conversion (with loss) prohibited": the caller reports these
  // (Conversion-With-Loss) but does not refuse for them.
  std::vector<base::Loss> requested_losses;
  // For the IPM heading: §6.6's multipart-message extension when the outermost multipart is
  // not multipart/mixed (the caller adds these to the heading it builds).
  std::vector<p1::ipms::IpmsExtension> heading_extensions;
  std::size_t parts = 0;  // MIME parts converted, at every level
};

// MIME -> X.400.
base::Expected<ToX400> to_x400(const MimeInput& mime, const ToX400Options& options);

// An ia5-text body part holding `text` (for RFC 2156 Appendix B's "RFC-822-Headers:" part).
p1::ipms::BodyPart ia5_text_part(std::string text);

}  // namespace mixer::bodyparts
