// bodyparts/internal.hpp: what the two directions share (not an API:
// bodyparts.hpp is): the refusals, the transfer-encoding choice for one
// MIME part, the section names cited in losses, the encapsulations of
// chapter 3 (x400-bp §3.2, the MIME body part §3.1.2, HARPOON §3.1.3) and
// the encoded information types of a converted body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "bodyparts/user_control.hpp"

namespace mixer::bodyparts::detail {

// The octets of `data` as Bytes, one copy (a memcpy, not a loop over chars).
inline p1::mts::Bytes bytes_of(std::string_view data) {
  const p1::ber::ByteView v = p1::ber::view(data);
  return p1::mts::Bytes(v.begin(), v.end());
}

namespace ipms = p1::ipms;

// "RFC 2157 §N" for losses and refusals.
std::string rule(std::string_view section);

base::Refusal impractical(std::string_view section, std::string what);       // 554 5.6.3, 2/8
base::Refusal over_limit(std::string what);                                 // 552 5.3.4, 2/7
base::Refusal prohibited(std::string_view section, std::string what);        // 554 5.6.2, 1/9

// A MIME part's body from its canonical octets: text keeps 7bit where it is 7bit CRLF lines
// of at most 998, 8bit where allowed and fitting, else quoted-printable (few 8-bit octets or
// long lines) or base64 (mostly 8-bit octets); binary is always base64 (§3.2's default).
void set_text_body(MimeEntity& e, std::string text, bool eight_bit_ok);
// 7bit lines (RFC 2045 §2.7) where the last may lack its CRLF (a multipart part's body).
bool is_7bit_lines(std::string_view text);
void set_binary_body(MimeEntity& e, std::string_view octets);

// The context-specific tag of a basic body part (X.420 BodyPart), by alternative; -1 for an
// extended type.
int basic_tag(const ipms::BodyPart& p);

// §4.2: the first of `wanted` whose X400Type is this body part's (standard: its basic tag;
// extended: its data OID; ftbp: its application reference), or null.
const WantedMimeConversion* wanted_mime_for(const ipms::BodyPart& p, const std::vector<WantedMimeConversion>& wanted);
// §4.2: the MIME part `w` asks for: (1) application/x400-bp, (2) the body part's OCTET STRING
// (BP14, IA5 text, voice, the MIME body part, an extended body part whose data is an OCTET
// STRING, an FTBP of one octet-aligned element with its parameters) in a simple part of that
// type, parameters and encoding; nullopt for (3). What is lost is appended to `lost`.
std::optional<MimeEntity> wanted_mime_entity(const ipms::BodyPart& p, const WantedMimeConversion& w, bool eight_bit,
                                             std::vector<std::string>& lost);

// §3.2: the BER of a body part in application/x400-bp; bp-type= its basic tag or data OID.
std::optional<MimeEntity> x400_bp(const ipms::BodyPart& part, std::string& why_not);
// §3.2 back: the body part an application/x400-bp holds (under the limits), or nullopt.
std::optional<ipms::BodyPart> from_x400_bp(std::string_view ber, std::size_t max_size, std::string& why_not);

// §3.1.2: a MIME part (fields, canonical octets) in the MIME body part (BP15); `encoded` when
// a field or parameter value had 8-bit octets, written in IA5 by RFC 2047 / RFC 2231, the
// Content-Type went on after what could be read, or a second Content-Type or
// Content-Transfer-Encoding field was left out.
ipms::BodyPart mime_body_part(const ContentType& ct, const std::vector<mime::Field>& fields, std::string data,
                              bool& encoded);
// §3.1.2 back: the MIME part a BP15 holds; `altered` when a value had to be mended (a line
// break, NUL or 8-bit octet in a field, a type or parameter name that is not a token).
MimeEntity from_mime_body_part(const ipms::MimeBodyPart& b, bool eight_bit_ok, bool& altered);
// §3.1.3: a MIME part as IA5 text (MIME-Version first, its Content- fields, a 7bit body), or
// nullopt when the entity's octets cannot be carried in IA5 as they are.
std::optional<ipms::BodyPart> harpoon(const std::vector<mime::Field>& fields, std::string_view canonical,
                                      bool is_text, std::string_view raw_body_if_7bit);

// The encoded information types of body parts (X.411 BuiltInEncodedInformationTypes bits and
// extended EIT OIDs, §6.2's id-cs-eit-authority for GeneralText), and whether any is extended.
void add_eits(const std::vector<ipms::BodyPart>& body, ToX400& out, std::size_t depth = 0);

}  // namespace mixer::bodyparts::detail
