// tests/fuzz/bodyparts/fuzz_bodyparts_to_mime.cpp: arbitrary octets as the
// BER of an IPMS InformationObject (its IPM's body) or of one body part,
// decoded strictly, through bodyparts::to_mime (RFC 2157 X.400 -> MIME). A
// refusal has one class of codes; the entity is sound 7bit MIME
// (fuzz_bodyparts_check.hpp). It then goes back through to_x400, whose body
// parts must encode and decode; a single body part with no equivalence
// (carried in application/x400-bp, or octets in BilaterallyDefined) must
// come back with the same BER; a g3-facsimile (image/g3fax) maps to the same MIME again.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/bodyparts/fuzz_bodyparts_check.hpp"

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mixer::p1::ber::ByteView in(data, size);
  std::vector<ipms::BodyPart> body;
  if (auto o = ipms::decode<ipms::InformationObject>(in); o && std::holds_alternative<ipms::Ipm>(*o)) {
    body = std::get<ipms::Ipm>(*o).body;
  } else if (auto p = ipms::decode<ipms::BodyPart>(in)) {
    body.push_back(std::move(*p));
  } else {
    return 0;
  }
  ToMimeOptions mo;
  mo.limits.max_parts = 64;
  auto m = to_mime(body, mo);
  if (!m) {
    fuzz::check_refusal(m.error());
    return 0;
  }
  fuzz::check_mime(m->entity, false);
  ToX400Options o;
  o.limits.max_parts = 64;
  // An FTBP comes back as one under the §8 choice that makes application/octet-stream one.
  if (body.size() == 1 && body.front().as<ipms::FileTransferBodyPart>()) o.octet_stream = OctetStream::ftbp_unknown;
  auto x = to_x400(fuzz::input_of(m->entity), o);
  fuzz::check(x.ok(), "X.400 -> MIME -> X.400: the way back is not refused");
  fuzz::check_x400(*x, o);
  if (body.size() == 1 && x->body.size() == 1) {
    const auto& p = body.front();
    const bool opaque = !p.as<ipms::Ia5TextBodyPart>() && !p.as<ipms::GeneralTextBodyPart>() &&
                        !p.as<ipms::TeletexBodyPart>() && !p.as<ipms::MimeBodyPart>() &&
                        !p.as<ipms::G3FacsimileBodyPart>() &&
                        !p.as<ipms::MessageBodyPart>() &&
                        !(p.as<ipms::BilaterallyDefinedBodyPart>() && p.extended());  // comes back basic
    // An FTBP's §2.3 parameters are mapped, not carried (a GraphicString comes back in the
    // gateway's own ISO 2022 form): the unit tests check its round trip.
    if (opaque && !p.as<ipms::FileTransferBodyPart>()) {
      auto a = ipms::encode(p), b = ipms::encode(x->body.front());
      fuzz::check(a.ok() && b.ok() && *a == *b, "a body part with no equivalence comes back with the same BER");
    }
    // §5.4 image/g3fax (RFC 1494 §7.5 strips trailing EOLs and pads pages): the g3-facsimile that
    // comes back maps to the same MIME octets again.
    if (p.as<ipms::G3FacsimileBodyPart>() && x->body.front().as<ipms::G3FacsimileBodyPart>()) {
      auto again = to_mime(x->body, mo);
      fuzz::check(again.ok() && again->entity.octets() == m->entity.octets() &&
                      again->entity.fields.size() == m->entity.fields.size() &&
                      again->entity.fields.at(1).value == m->entity.fields.at(1).value,
                  "g3-facsimile -> image/g3fax -> g3-facsimile -> image/g3fax is stable");
    }
  }
  return 0;
}
