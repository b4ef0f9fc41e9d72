// tests/fuzz/bodyparts/fuzz_bodyparts_to_x400.cpp: arbitrary octets as a
// MIME entity (the first octet picks the options: 1984 next hop, UTF-8
// general text, conversion prohibited, octet-stream as FTBP, BP14 content passing, the
// §4.1 user control with both prohibitions, reading Wanted-X400-Conversion fields) through the parser seam and
// bodyparts::to_x400 (RFC 2157 MIME -> X.400). A refusal has one class of
// codes; body parts encode and decode strictly (fuzz_bodyparts_check.hpp).
// The body parts then go back through to_mime, whose entity must be sound
// 7bit MIME, and that entity through to_x400 again: when the first
// conversion lost nothing, the second gives the same body parts (but for
// RFC 2157's own asymmetries, see symmetric()).
#include <cstddef>
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "bodyparts/mime_adapter.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "tests/fuzz/bodyparts/fuzz_bodyparts_check.hpp"

using namespace mixer::bodyparts;

namespace {
std::string ber_of(const std::vector<mixer::p1::ipms::BodyPart>& body) {
  std::string s;
  for (const auto& p : body) {
    auto b = mixer::p1::ipms::encode(p);
    if (b) s.append(b->begin(), b->end());
  }
  return s;
}
// RFC 2157's own asymmetries: teletex comes back as text in a common charset (§6.7 NOTE:
// "the reverse translation giving a GeneralText body part"), an IA5 text whose first line is
// a MIME-Version field is read as HARPOON (§2.2 (1)), and text line ends are CRLF on the MIME
// side. Anywhere in the body.
bool symmetric(const std::vector<mixer::p1::ipms::BodyPart>& body, int depth = 0) {
  namespace ipms = mixer::p1::ipms;
  for (const auto& p : body) {
    if (p.as<ipms::TeletexBodyPart>()) return false;
    if (const auto* t = p.as<ipms::Ia5TextBodyPart>()) {
      std::string head = t->text.substr(0, 13);
      for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (head == "mime-version:") return false;
      // Text with a bare CR or LF is not canonical text (RFC 2046 §4.1.1): its line ends are
      // mended into CRLF on the way to MIME.
      const auto scan = mixer::bodyparts::scan_text(t->text);
      if (scan.bare_cr_lf) return false;
      // A message's only text gets a last CRLF (a part of a multipart need not: its
      // delimiter brings one).
      if (depth == 0 && body.size() == 1 && !t->text.empty() && !scan.ends_with_crlf) return false;
    }
    if (const auto* m = p.as<ipms::MessageBodyPart>())
      if (depth > 32 || !symmetric(m->ipm->body, depth + 1)) return false;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  ToX400Options o;
  o.extended_allowed = !(data[0] & 1);
  o.utf8_general_text = data[0] & 2;
  o.conversion_prohibited = data[0] & 4;
  if (data[0] & 8) o.octet_stream = OctetStream::ftbp_unknown;
  o.bp14_content_passing = data[0] & 16;  // §3.1.4
  o.bp14_1984 = !o.extended_allowed && (data[0] & 64);  // §3.1: a 1984 peer that takes BP14
  if (data[0] & 32) {  // §4.1: the sender's fields override the prohibitions
    o.user_control = true;
    o.conversion_with_loss_prohibited = true;
  }
  o.limits.max_parts = 64;
  o.limits.max_part_size = 1 << 20;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  auto e = mime::parse_entity(in, {});
  if (!e) return 0;
  MimeInput m;
  for (const auto& f : e->fields) m.fields.push_back({std::string(f.name), f.value});
  m.body = e->body;
  auto x = to_x400(m, o);
  if (!x) {
    fuzz::check_refusal(x.error());
    return 0;
  }
  fuzz::check_x400(*x, o);
  ToMimeOptions mo;
  mo.limits = o.limits;
  mo.conversion_prohibited = o.conversion_prohibited;  // the message's prohibition holds both ways
  auto back = to_mime(x->body, mo);
  if (!back) {
    fuzz::check_refusal(back.error());
    return 0;
  }
  fuzz::check_mime(back->entity, false);
  auto again = to_x400(fuzz::input_of(back->entity), o);
  // A multipart's §4.1 rule does not come back with its parts (MIME has no place for it in the
  // multipart to_mime makes), so under user control the second conversion may choose otherwise.
  const bool lossless =
      x->losses.empty() && x->requested_losses.empty() && back->losses.empty() && !o.user_control;
  if (!again) {
    // After a loss the content is another one, which a prohibition may refuse; never else.
    std::fprintf(stderr, "refused: %s\n", again.error().message.c_str());
    fuzz::check_refusal(again.error());
    fuzz::check(!lossless, "MIME -> X.400 -> MIME -> X.400: the second conversion is not refused");
    return 0;
  }
  fuzz::check_x400(*again, o);
  if (lossless && !o.conversion_prohibited && symmetric(x->body) &&
      ber_of(again->body) != ber_of(x->body)) {
    // What differs, to read the case: the MIME between, and both bodies' BER in hex.
    std::fprintf(stderr, "MIME between:\n");
    for (const auto& f : back->entity.fields) std::fprintf(stderr, "%s: %s\n", f.name.c_str(), f.value.c_str());
    std::fprintf(stderr, "\n%.*s\n", static_cast<int>(back->entity.octets().size()), back->entity.octets().data());
    for (const auto* b : {&x->body, &again->body}) {
      std::fprintf(stderr, "BER:");
      for (unsigned char c : ber_of(*b)) std::fprintf(stderr, "%02x", c);
      std::fprintf(stderr, "\n");
    }
    fuzz::check(false, "lossless: the second conversion gives the same body parts");
  }
  return 0;
}
