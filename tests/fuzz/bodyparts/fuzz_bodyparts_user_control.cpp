// tests/fuzz/bodyparts/fuzz_bodyparts_user_control.cpp: RFC 2157 §4's two
// decoders on arbitrary octets. An even first octet: the rest as a
// Wanted-X400-Conversion value (§4.1), which either parses or says why, and
// when it parses drives to_x400 of a fixed multipart (the value in its
// heading and in a part's) whose body parts must encode and decode. An odd
// one: the rest as the BER of WantedMIMEConversions (§4.2), which decodes
// under its limits or fails; what decodes encodes to a value that decodes
// to the same, and drives to_mime of fixed body parts, whose entity must be
// sound 7bit MIME (fuzz_bodyparts_check.hpp).
#include <cstddef>
#include <cstdint>

#include "bodyparts/user_control.hpp"
#include "tests/fuzz/bodyparts/fuzz_bodyparts_check.hpp"

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;

namespace {

std::vector<ipms::BodyPart> fixed_body() {
  std::vector<ipms::BodyPart> body;
  body.push_back(ia5_text_part("text\r\n"));
  ipms::BodyPart b;
  b.type = ipms::BilaterallyDefinedBodyPart{{0x00, 0xFF, 0x0D, 0x0A}};
  body.push_back(b);
  ipms::BodyPart x;
  x.type = ipms::OtherExtendedBodyPart{{}, {}, mixer::p1::ber::Oid{1, 3, 6, 1, 4, 1, 99999, 1}, {0x04, 0x02, 'h', 'i'}};
  x.parameters_present = false;
  body.push_back(x);
  ipms::BodyPart v;
  v.type = ipms::VoiceBodyPart{std::nullopt, mixer::p1::ber::Oid{1, 2, 3}, std::nullopt, {0x01, 0x02}};
  body.push_back(v);
  return body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string why;
  if ((data[0] & 1) == 0) {  // §4.1
    auto w = parse_wanted_x400_conversion(rest, why);
    fuzz::check(w.has_value() || !why.empty(), "a Wanted-X400-Conversion value parses or says why");
    if (!w) return 0;
    fuzz::check(!w->to || (w->in != WantedX400Conversion::In::bp14 && w->in != WantedX400Conversion::In::ia5),
                "no object identifier with bp14 or ia5");
    const std::string value(rest);
    if (value.find_first_of("\r\n") != std::string::npos) return 0;  // not one field line
    ToX400Options o;
    o.user_control = true;
    o.extended_allowed = !(data[0] & 2);
    o.wanted_x400_conversion = {value};
    const std::string body = "--b\r\nContent-Type: application/msword\r\nWanted-X400-Conversion: " + value +
                             "\r\n\r\ndoc\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n";
    MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "multipart/mixed; boundary=b"}}, body};
    auto x = to_x400(in, o);
    if (!x) {
      fuzz::check_refusal(x.error());
      return 0;
    }
    fuzz::check_x400(*x, o);
    return 0;
  }
  auto v = decode_wanted_mime_conversions(mixer::p1::ber::view(rest), why);  // §4.2
  fuzz::check(v.has_value() || !why.empty(), "WantedMIMEConversions decodes or says why");
  if (!v) return 0;
  fuzz::check(v->size() <= max_wanted_mime_conversions, "at most 64 conversions");
  const auto again = encode_wanted_mime_conversions(*v);
  auto back = decode_wanted_mime_conversions(again, why);
  fuzz::check(back.has_value() && encode_wanted_mime_conversions(*back) == again, "what decodes encodes and decodes");
  ToMimeOptions mo;
  mo.wanted_mime_conversions = std::move(*v);
  auto m = to_mime(fixed_body(), mo);
  if (!m) {
    fuzz::check_refusal(m.error());
    return 0;
  }
  fuzz::check_mime(m->entity, false);
  return 0;
}
