// bodyparts/wanted_mime.cpp: RFC 2157 §4.2 applied to one body part: the
// X400toMIMEConversion that names its type, and the MIME part it asks for:
// (1) a mapping the gateway defines (application/x400-bp, §3.2), (2) the
// body part's OCTET STRING in a simple MIME part of the type asked for (what
// is outside it lost), or (3) nothing: the gateway's own mapping. The type,
// parameters and encoding come from an X.400 user: checked, never written
// as they came.
#include "bodyparts/ftbp.hpp"
#include "bodyparts/internal.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "p1/ipms/ipms.hpp"

namespace mixer::bodyparts::detail {

namespace {

std::string octets_of(const p1::mts::Bytes& b) { return std::string(b.begin(), b.end()); }

// The contents of a DER/BER primitive OCTET STRING that is the whole of `enc`, or nullopt.
std::optional<std::string> octet_string(const p1::mts::Bytes& enc) {
  if (enc.size() < 2 || enc[0] != 0x04) return std::nullopt;
  std::size_t len = enc[1], at = 2;
  if (len & 0x80) {
    const std::size_t n = len & 0x7F;
    if (n == 0 || n > 4 || enc.size() < 2 + n) return std::nullopt;
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | enc[2 + i];
    at = 2 + n;
  }
  if (enc.size() - at != len) return std::nullopt;
  return std::string(enc.begin() + static_cast<std::ptrdiff_t>(at), enc.end());
}

}  // namespace

const WantedMimeConversion* wanted_mime_for(const ipms::BodyPart& p, const std::vector<WantedMimeConversion>& wanted) {
  const int tag = p.extended() ? -1 : basic_tag(p);
  std::optional<p1::ber::Oid> data, application;
  if (p.extended()) data = ipms::data_oid(p);
  if (const auto* f = p.as<ipms::FileTransferBodyPart>())
    if (f->parameters.environment && f->parameters.environment->application_reference)
      if (const auto* o = std::get_if<p1::ber::Oid>(&*f->parameters.environment->application_reference)) application = *o;
  for (const auto& w : wanted) {
    if (const auto* s = std::get_if<WantedMimeConversion::Standard>(&w.x400_type); s && s->tag == tag) return &w;
    if (const auto* e = std::get_if<WantedMimeConversion::Extended>(&w.x400_type); e && data && e->data == *data) return &w;
    if (const auto* f = std::get_if<WantedMimeConversion::Ftbp>(&w.x400_type);
        f && application && f->application_reference == *application)
      return &w;
  }
  return nullptr;
}

std::optional<MimeEntity> wanted_mime_entity(const ipms::BodyPart& p, const WantedMimeConversion& w, bool eight_bit,
                                             std::vector<std::string>& lost) {
  ContentType ct = parse_content_type(w.type);
  if (!ct.ok || !ct.complete || !ct.parameters.empty() || ct.type.find('/') == std::string::npos) {
    lost.push_back("a wanted-MIME-conversion to \"" + w.type.substr(0, 64) + "\", which is no type/subtype: ignored");
    return std::nullopt;
  }
  // (1) the mapping the gateway defines for this destination: §3.2's encapsulation.
  if (ct.type == "application/x400-bp") {
    std::string why;
    return x400_bp(p, why);
  }
  if (ct.major() == "multipart" || ct.major() == "message") return std::nullopt;  // no simple MIME part
  // (2) the body part's OCTET STRING.
  std::string octets, outside;
  std::vector<MimeField> kept;  // the FTBP's parameters survive (§4.2)
  if (const auto* b = p.as<ipms::BilaterallyDefinedBodyPart>()) {
    octets = octets_of(b->octets);
  } else if (const auto* t = p.as<ipms::Ia5TextBodyPart>()) {
    octets = t->text;
  } else if (const auto* v = p.as<ipms::VoiceBodyPart>()) {
    octets = octets_of(v->data);
    outside = "the voice parameters";
  } else if (const auto* m = p.as<ipms::MimeBodyPart>()) {
    octets = octets_of(m->data);
    outside = "the MIME body part's type and fields";
  } else if (const auto* o = p.as<ipms::OtherExtendedBodyPart>()) {
    auto s = octet_string(o->data);
    if (!s) return std::nullopt;  // (3): its data is no OCTET STRING
    octets = std::move(*s);
    if (p.parameters_present && !o->parameters.empty()) outside = "the body part's parameters";
  } else if (const auto* f = p.as<ipms::FileTransferBodyPart>()) {
    if (f->data.size() != 1) return std::nullopt;
    const auto* oa = std::get_if<ipms::OctetAligned>(&f->data[0].encoding);
    if (!oa) return std::nullopt;
    octets = octets_of(oa->octets);
    std::vector<std::string> ftbp_lost;
    if (auto e = mime_of_ftbp(*f, false, ftbp_lost)) {
      for (auto& fd : e->fields) {
        const std::string n = lower(fd.name);
        if (n != "content-type" && n != "content-transfer-encoding" && n != "mime-version") kept.push_back(std::move(fd));
      }
      for (auto& l : ftbp_lost) lost.push_back(std::move(l));
    }
  } else {
    return std::nullopt;  // (3)
  }
  if (!outside.empty()) lost.push_back(outside + " (§4.2 (2): all information outside the OCTET STRING)");
  MimeEntity e;
  std::string type = ct.type;
  if (w.parameters) {  // read as a Content-Type's parameters, written back quoted where needed
    ContentType params = parse_content_type(ct.type + "; " + *w.parameters);
    if (!params.ok || !params.complete)
      lost.push_back("wanted-MIME-conversion parameters that are not MIME parameters: left out");
    if (!header_safe(*w.parameters))
      lost.push_back("control characters in wanted-MIME-conversion parameters: left out");
    if (params.ok)
      for (const auto& [name, value] : params.parameters) type += "; " + name + "=" + parameter_value(value);
  }
  e.fields.push_back({"Content-Type", std::move(type)});
  for (auto& fd : kept) e.fields.push_back(std::move(fd));
  const std::string enc = w.encoding.value_or("");
  if (enc == "base64") {
    set_binary_body(e, octets);
  } else if (enc == "quoted-printable") {
    e.fields.push_back({"Content-Transfer-Encoding", "quoted-printable"});
    e.body = quoted_printable(octets);
  } else {
    if (!enc.empty() && enc != "7bit" && enc != "8bit" && enc != "binary")
      lost.push_back("wanted-MIME-conversion encoding \"" + enc.substr(0, 32) + "\", which the gateway does not write");
    if (ct.major() == "text" || (enc != "base64" && is_7bit_lines(octets))) set_text_body(e, std::move(octets), eight_bit);
    else set_binary_body(e, octets);
  }
  return e;
}

}  // namespace mixer::bodyparts::detail
