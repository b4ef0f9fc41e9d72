// bodyparts/ftbp.cpp: see the header. GraphicString values are written
// only when they are printable ASCII (the ISO 646 IRV subset every
// GraphicString reader takes, RFC 2157 §2.3.1); others are losses.
#include "bodyparts/ftbp.hpp"

#include "bodyparts/internal.hpp"

namespace mixer::bodyparts {

namespace ipms = p1::ipms;

namespace {
// FTAM-3, unstructured binary (ISO 8571-2 document type), the EMA profile's only contents type.
const p1::ber::Oid& ftam3() {
  static const p1::ber::Oid o{1, 0, 8571, 5, 3};
  return o;
}
const p1::ber::Oid& ema_unknown_1984_draft() {  // §6.4 NOTE: the previous EMA drafts' form
  static const p1::ber::Oid o{1, 2, 840, 1, 113694, 2, 2, 1, 1};
  return o;
}

bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 32 || c > 126) return false;
  return !s.empty();
}

// A header value from an untrusted GraphicString: printable ASCII, or nullopt.
std::optional<std::string> header_text(std::string_view s) {
  if (!printable_ascii(s)) return std::nullopt;
  return std::string(s);
}
}  // namespace

const p1::ber::Oid& ema_unknown_attachment() {
  static const p1::ber::Oid o{2, 16, 840, 1, 113694, 2, 2, 1, 1};
  return o;
}

ipms::BodyPart ftbp_of(const p1::ber::Oid& application, const ContentType& ct, const std::vector<mime::Field>& fields,
                       std::string data, std::vector<std::string>& lost) {
  ipms::FileTransferBodyPart f;
  f.parameters.contents_type = ipms::ContentsType{ipms::DocumentType{ftam3(), std::nullopt}};
  ipms::EnvironmentParameter env;
  env.application_reference = ipms::GeneralIdentifier{application};
  ipms::FileAttributes attrs;
  // §2.3.2: C-D filename (§6.4: else the Content-Type name) as one incomplete-pathname string.
  std::string name;
  if (const auto* cd = mime::find(fields, "Content-Disposition"))
    name = parse_content_type("x/" + cd->value).parameter("filename");  // disposition-type as a subtype
  if (name.empty()) name = ct.parameter("name");
  if (!name.empty()) {
    if (printable_ascii(name)) attrs.pathname = ipms::PathnameAttribute{ipms::IncompletePathname{{name}}};
    else lost.push_back("a file name that is not printable ASCII (RFC 2231 names are not mapped yet)");
  }
  if (const auto* d = mime::find(fields, "Content-Description")) {
    if (printable_ascii(d->value)) env.user_visible_string.push_back(d->value);
    else lost.push_back("a Content-Description that is not printable ASCII");
  }
  attrs.object_size = ipms::FtamObjectSize{static_cast<std::int64_t>(data.size())};
  f.parameters.environment = std::move(env);
  f.parameters.file_attributes = std::move(attrs);
  ipms::External x;
  x.encoding = ipms::OctetAligned{detail::bytes_of(data)};
  f.data.push_back(std::move(x));
  ipms::BodyPart p;
  p.type = std::move(f);
  return p;
}

std::optional<MimeEntity> mime_of_ftbp(const ipms::FileTransferBodyPart& f, std::vector<std::string>& lost) {
  const auto& prm = f.parameters;
  if (f.data.size() != 1 || prm.compression) return std::nullopt;
  const auto* octets = std::get_if<ipms::OctetAligned>(&f.data.front().encoding);
  if (!octets) return std::nullopt;
  if (prm.contents_type) {
    const auto* doc = std::get_if<ipms::DocumentType>(&*prm.contents_type);
    if (!doc || doc->document_type_name != ftam3()) return std::nullopt;
  }
  if (!prm.environment || !prm.environment->application_reference) return std::nullopt;
  const auto* app = std::get_if<p1::ber::Oid>(&*prm.environment->application_reference);
  if (!app) return std::nullopt;
  MimeEntity e;
  const bool unknown = *app == ema_unknown_attachment() || *app == ema_unknown_1984_draft();
  e.fields.push_back({"Content-Type", unknown ? std::string("application/octet-stream")
                                             : "application/x-ftbp." + app->to_string()});
  std::string disposition = "attachment";  // §2.3.2: always attachment
  if (prm.file_attributes && prm.file_attributes->pathname) {
    const auto& pn = *prm.file_attributes->pathname;
    const auto& parts = std::holds_alternative<ipms::IncompletePathname>(pn)
                            ? std::get<ipms::IncompletePathname>(pn).pathname
                            : std::get<ipms::CompletePathname>(pn).pathname;
    std::string name;
    for (const auto& s : parts) name += (name.empty() ? "" : "/") + s;
    if (auto h = header_text(name)) disposition += "; filename=" + parameter_value(*h);
    else if (!name.empty()) lost.push_back("a file name that is not printable ASCII");
  }
  e.fields.push_back({"Content-Disposition", disposition});
  const auto& uvs = prm.environment->user_visible_string;
  if (!uvs.empty()) {
    if (auto h = header_text(uvs.front())) e.fields.push_back({"Content-Description", *h});
    else lost.push_back("a user-visible string that is not printable ASCII");
  }
  // §2.3.3: all other elements are discarded.
  bool other = prm.related_stored_file.has_value() || prm.extensions.has_value() || uvs.size() > 1 ||
               prm.environment->machine || prm.environment->operating_system;
  if (const auto& a = prm.file_attributes) {
    for (const auto& d : a->date_and_time) other = other || d.has_value();
    for (const auto& d : a->identity) other = other || d.has_value();
    other = other || a->permitted_actions || a->storage_account || a->object_availability ||
            a->future_object_size || a->access_control || a->legal_qualifications || a->private_use ||
            a->attribute_extensions;
  }
  if (other) lost.push_back("file transfer parameters with no MIME form in this gateway (dates, related files, ...)");
  detail::set_binary_body(e, std::string_view(reinterpret_cast<const char*>(octets->octets.data()),
                                              octets->octets.size()));
  return e;
}

}  // namespace mixer::bodyparts
