// bodyparts/bodyparts.cpp: the first slice of RFC 2157: IA5Text <->
// text/plain (§6.1), several IA5 body parts <-> multipart/mixed. Every
// other body part and MIME type is refused with its name (554 5.6.3,
// conversion-not-performed / conversion-impractical) until the full body
// part conversion lands. Trusts nothing in the parts or the MIME fields.
#include "bodyparts/bodyparts.hpp"

#include <cctype>

#include "bodyparts/transfer_encoding.hpp"

namespace mixer::bodyparts {

namespace ipms = p1::ipms;

namespace {

constexpr const char* rfc2157 = "RFC 2157";

base::Refusal not_yet(std::string what) {
  return base::make_refusal(554, "5.6.3", base::reason::conversion_not_performed, base::diagnostic::conversion_impractical,
                            rfc2157, what + " is not converted by this version of the gateway");
}

// What a body part is, for refusals.
struct KindName {
  const char* operator()(const ipms::Ia5TextBodyPart&) const { return "an ia5-text body part"; }
  const char* operator()(const ipms::Tlx1984BodyPart&) const { return "a telex (1984) body part"; }
  const char* operator()(const ipms::Voice1984BodyPart&) const { return "a voice body part"; }
  const char* operator()(const ipms::VoiceBodyPart&) const { return "a voice body part"; }
  const char* operator()(const ipms::G3FacsimileBodyPart&) const { return "a g3-facsimile body part"; }
  const char* operator()(const ipms::G4Class1BodyPart&) const { return "a g4-class1 body part"; }
  const char* operator()(const ipms::TeletexBodyPart&) const { return "a teletex body part"; }
  const char* operator()(const ipms::VideotexBodyPart&) const { return "a videotex body part"; }
  const char* operator()(const ipms::NationallyDefinedBodyPart&) const { return "a nationally-defined body part"; }
  const char* operator()(const ipms::EncryptedBodyPart&) const { return "an encrypted body part"; }
  const char* operator()(const ipms::MessageBodyPart&) const { return "a message (forwarded IPM) body part"; }
  const char* operator()(const ipms::Sfd1984BodyPart&) const { return "an SFD (1984) body part"; }
  const char* operator()(const ipms::MixedModeBodyPart&) const { return "a mixed-mode body part"; }
  const char* operator()(const ipms::BilaterallyDefinedBodyPart&) const { return "a bilaterally-defined body part"; }
  const char* operator()(const ipms::GeneralTextBodyPart&) const { return "a general-text body part"; }
  const char* operator()(const ipms::FileTransferBodyPart&) const { return "a file-transfer body part"; }
  const char* operator()(const ipms::ForwardedContentBodyPart&) const { return "a forwarded-content body part"; }
  const char* operator()(const ipms::MimeBodyPart&) const { return "a MIME (RFC 2157) body part"; }
  const char* operator()(const ipms::NotificationBodyPart&) const { return "a forwarded notification body part"; }
  const char* operator()(const ipms::ReportBodyPart&) const { return "a forwarded report body part"; }
  const char* operator()(const ipms::OtherExtendedBodyPart&) const { return "an extended body part of an unknown type"; }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A text/plain entity of IA5 text: 7bit when it is, else quoted-printable (RFC 2157 §6.1,
// RFC 2045). One scan of the text; true when the body is `ia5` itself (7bit CRLF lines as it
// is: nothing copied), false when it is `converted` (line ends mended, or quoted-printable).
bool text_entity(const std::string& ia5, std::vector<MimeField>& fields, std::string& converted) {
  fields.push_back({"Content-Type", "text/plain; charset=us-ascii"});
  TextScan scan = scan_text(ia5);
  std::string_view text = ia5;
  bool borrowed = true;
  if (!is_crlf_lines(scan, ia5.size())) {
    converted = crlf_lines(ia5);
    text = converted;
    scan = scan_text(text);
    borrowed = false;
  }
  if (is_7bit(scan, text.size())) return borrowed;
  fields.push_back({"Content-Transfer-Encoding", "quoted-printable"});
  converted = quoted_printable(text);
  return false;
}

// The value of a Content-Type: type/subtype and its parameters (RFC 2045 §5.1), lower-cased names.
struct ContentType {
  std::string type = "text/plain";
  std::vector<std::pair<std::string, std::string>> parameters;
  bool ok = true;
  std::string parameter(std::string_view name) const {
    for (const auto& [n, v] : parameters)
      if (n == name) return v;
    return {};
  }
};

ContentType parse_content_type(std::string_view v) {
  ContentType c;
  auto skip = [&](std::size_t& i) {
    while (i < v.size()) {
      if (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n') {
        ++i;
      } else if (v[i] == '(') {
        int depth = 0;
        for (; i < v.size(); ++i) {
          if (v[i] == '\\') ++i;
          else if (v[i] == '(') ++depth;
          else if (v[i] == ')' && --depth == 0) {
            ++i;
            break;
          }
        }
      } else {
        break;
      }
    }
  };
  auto token = [&](std::size_t& i) {
    std::size_t s = i;
    while (i < v.size() && static_cast<unsigned char>(v[i]) > 32 && std::string_view("()<>@,;:\\\"/[]?=").find(v[i]) ==
                                                                          std::string_view::npos)
      ++i;
    return lower(v.substr(s, i - s));
  };
  std::size_t i = 0;
  skip(i);
  std::string type = token(i);
  skip(i);
  if (i >= v.size() || v[i] != '/') {
    c.ok = false;
    return c;
  }
  ++i;
  skip(i);
  std::string sub = token(i);
  if (type.empty() || sub.empty()) {
    c.ok = false;
    return c;
  }
  c.type = type + "/" + sub;
  for (int n = 0; n < 64; ++n) {
    skip(i);
    if (i >= v.size() || v[i] != ';') break;
    ++i;
    skip(i);
    std::string name = token(i);
    skip(i);
    if (i >= v.size() || v[i] != '=') break;
    ++i;
    skip(i);
    std::string value;
    if (i < v.size() && v[i] == '"') {
      for (++i; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        value += v[i];
      }
      ++i;
    } else {
      value = token(i);
    }
    c.parameters.emplace_back(name, value);
  }
  return c;
}

}  // namespace

ipms::BodyPart ia5_text_part(std::string text) {
  ipms::BodyPart p;
  p.type = ipms::Ia5TextBodyPart{std::nullopt, std::move(text)};
  return p;
}

base::Expected<ToMime> to_mime(const std::vector<ipms::BodyPart>& body, const ToMimeOptions& options) {
  ToMime out;
  auto& e = out.entity;
  e.fields.push_back({"MIME-Version", "1.0"});
  for (const auto& p : body)
    if (!p.as<ipms::Ia5TextBodyPart>()) return not_yet(std::visit(KindName{}, p.type));
  if (body.empty()) {
    e.fields.push_back({"Content-Type", "text/plain; charset=us-ascii"});
    return out;
  }
  if (body.size() == 1) {
    if (text_entity(body.front().as<ipms::Ia5TextBodyPart>()->text, e.fields, e.body))
      e.borrowed = body.front().as<ipms::Ia5TextBodyPart>()->text;
    return out;
  }
  // Several body parts: multipart/mixed, one text/plain each (RFC 2157 §6.6's multipart form).
  struct Part {
    std::vector<MimeField> fields;
    std::string converted;
    std::string_view text;
  };
  std::vector<Part> parts(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    Part& part = parts[i];
    const std::string& ia5 = body[i].as<ipms::Ia5TextBodyPart>()->text;
    part.text = text_entity(ia5, part.fields, part.converted) ? std::string_view(ia5) : std::string_view(part.converted);
  }
  // A boundary found in no part (the parts' own field lines cannot hold one).
  std::string boundary = "=_mixer_1";
  for (bool clash = true; clash;) {
    clash = false;
    const std::string delimiter = "--" + boundary;
    for (const Part& p : parts) clash = clash || p.text.find(delimiter) != std::string_view::npos;
    if (clash) boundary += "_";
  }
  e.fields.push_back({"Content-Type", "multipart/mixed; boundary=\"" + boundary + "\""});
  std::size_t size = boundary.size() + 6;
  for (const Part& p : parts) {
    size += boundary.size() + 6 + p.text.size();
    for (const auto& f : p.fields) size += f.name.size() + f.value.size() + 4;
  }
  e.body.reserve(size);
  for (const Part& p : parts) {
    e.body.append("--").append(boundary).append("\r\n");
    for (const auto& f : p.fields) e.body.append(f.name).append(": ").append(f.value).append("\r\n");
    e.body.append("\r\n").append(p.text);
  }
  e.body.append("--").append(boundary).append("--\r\n");
  (void)options;
  return out;
}

base::Expected<ToX400> to_x400(const MimeInput& mime, const ToX400Options& options) {
  ToX400 out;
  std::string content_type, encoding;
  bool mime_version = false;
  for (const auto& f : mime.fields) {
    const std::string n = lower(f.name);
    if (n == "content-type") content_type = f.value;
    else if (n == "content-transfer-encoding") encoding = lower(f.value);
    else if (n == "mime-version") mime_version = true;
  }
  ContentType ct;
  if (mime_version && !content_type.empty()) ct = parse_content_type(content_type);
  if (!ct.ok) return not_yet("a Content-Type that does not parse ('" + content_type.substr(0, 64) + "')");
  if (ct.type != "text/plain") return not_yet("MIME type " + ct.type);
  const std::string charset = lower(ct.parameter("charset"));
  while (!encoding.empty() && (encoding.back() == ' ' || encoding.back() == '\t')) encoding.pop_back();
  std::string text;
  if (encoding.empty() || encoding == "7bit" || encoding == "8bit" || encoding == "binary") {
    text = std::string(mime.body);
  } else if (encoding == "quoted-printable") {
    text = decode_quoted_printable(mime.body).octets;
  } else if (encoding == "base64") {
    text = decode_base64(mime.body).octets;
  } else {
    return not_yet("Content-Transfer-Encoding " + encoding);
  }
  const TextScan scan = scan_text(text);
  if (scan.eight_bit || scan.nul)
    return not_yet("text/plain in charset " + (charset.empty() ? std::string("us-ascii (but with 8-bit octets)") : charset));
  out.body.push_back(ia5_text_part(std::move(text)));
  out.built_in_eits.set(2);  // ia5-text
  (void)options;
  return out;
}

}  // namespace mixer::bodyparts
