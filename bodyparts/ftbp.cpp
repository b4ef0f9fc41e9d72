// bodyparts/ftbp.cpp: see the header. One rule keeps the mapping lossless
// where the FTBP has no element for a value: the field goes into the
// rfc-822-field extension as it was (an RFC822FieldList, IA5), and on the way
// back a field carried there replaces the one generated from the
// parameters. GraphicStrings are read and written as params:: says (§2.3.1).
#include "bodyparts/ftbp.hpp"

#include <algorithm>

#include "addressing/message_id.hpp"
#include "bodyparts/ftbp_params.hpp"
#include "bodyparts/internal.hpp"
#include "imf/encoded_word.hpp"

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
constexpr std::string_view mime_relationship = "Internet MIME Body Part";  // §2.3.2 Content-ID
// The Content-Disposition parameters §2.3.2 maps, and the FTAM date attributes they map to.
constexpr std::string_view date_params[3] = {"creation-date", "modification-date", "read-date"};

std::string base_name(std::string_view n) { return lower(n.substr(0, n.find('*'))); }

// An IA5 field for the rfc-822-field extension: octets over 127 and controls as '?'.
std::string ia5_field(std::string_view name, std::string_view value, bool& mended) {
  std::string f = std::string(name) + ": ";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = u == '\t' || (u >= 32 && u < 127);
    mended = mended || !ok;
    f += ok ? c : '?';
  }
  return f;
}

// Unstructured text (a Content-Description) as UTF-8, or nullopt when it does not decode exactly.
std::optional<std::string> unstructured_utf8(std::string_view v) {
  imf::Limits l;
  auto d = imf::decode_unstructured(v, l);
  if (!d || !d->exact()) return std::nullopt;
  return d->text;
}

// A GraphicString as header text: printable ASCII, else RFC 2047 (§2.3.1 (1)), else the
// §2.3.1 (2) normalisation (a loss).
std::string description_of(std::string_view g, std::vector<std::string>& lost) {
  if (params::printable_ascii(g)) return std::string(g);
  if (auto u = params::graphic_to_utf8(g))
    if (auto e = imf::encode_unstructured(*u, 21)) {
      std::string out;
      for (char c : *e)  // one line: the folds are only white space between encoded words
        if (c != '\r' && c != '\n') out += c;
      return out;
    }
  lost.push_back("a user-visible string in character sets the gateway does not read: its ASCII characters kept");
  return params::graphic_ascii(g);
}
}  // namespace

const p1::ber::Oid& ema_unknown_attachment() {
  static const p1::ber::Oid o{2, 16, 840, 1, 113694, 2, 2, 1, 1};
  return o;
}
const p1::ber::Oid& mime_ftbp_data() {
  static const p1::ber::Oid o{1, 3, 6, 1, 7, 1, 2, 1, 5};
  return o;
}

ipms::BodyPart ftbp_of(const p1::ber::Oid& application, const ContentType& ct, const std::vector<mime::Field>& fields,
                       std::string data, std::vector<std::string>& lost) {
  const bool encapsulating = application == mime_ftbp_data();  // §3.1.1
  ipms::FileTransferBodyPart f;
  f.parameters.contents_type = ipms::ContentsType{ipms::DocumentType{ftam3(), std::nullopt}};
  ipms::EnvironmentParameter env;
  env.application_reference = ipms::GeneralIdentifier{application};
  ipms::FileAttributes attrs;
  std::vector<std::string> carried;  // the rfc-822-field extension
  bool mended = false;
  auto carry = [&](const mime::Field& fd) { carried.push_back(ia5_field(fd.name, fd.value, mended)); };

  // Content-Disposition: filename (§6.4: else the Content-Type name), the three dates; the
  // field itself carried when it holds more (a type other than attachment, other parameters,
  // a value that does not map exactly).
  const mime::Field* cd_field = mime::find(fields, "Content-Disposition");
  ContentType cd;
  bool cd_whole = false;
  if (cd_field) {
    cd = parse_content_type("x/" + cd_field->value);  // the disposition-type read as a subtype
    cd_whole = !cd.ok || !cd.complete || cd.type != "x/attachment";
    for (const auto& [n, v] : cd.parameters) {
      const std::string b = base_name(n);
      cd_whole = cd_whole || (b != "filename" && b != "size" &&
                              std::find(std::begin(date_params), std::end(date_params), b) == std::end(date_params));
    }
  }
  params::Value name = params::parameter_utf8(cd, "filename");
  const bool from_cd = name.found;
  const params::Value ct_name = params::parameter_utf8(ct, "name");
  if (!name.found) name = ct_name;
  else if (ct_name.found && ct_name.utf8 != name.utf8 && !encapsulating)
    lost.push_back("the Content-Type name, which differs from the Content-Disposition filename");
  if (name.found && !name.utf8.empty()) {
    if (!name.problem.empty()) lost.push_back(name.problem);
    auto g = params::utf8_to_graphic(name.utf8);
    if (!g) {  // §2.3.1 (2) in the pathname; the name as it was in the field carried
      g = params::ascii_of_utf8(name.utf8);
      if (from_cd) cd_whole = true;
      else lost.push_back("a file name no ISO 8859 part can write, written with '?' for its other characters");
    }
    attrs.pathname = ipms::PathnameAttribute{ipms::IncompletePathname{{std::move(*g)}}};
  }
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string d = cd.parameter(date_params[i]);
    if (d.empty()) continue;
    if (auto t = params::generalized_time_of(d)) attrs.date_and_time[i] = ipms::FtamDateAndTime{*t};
    else cd_whole = true;
  }
  // §3.1.1 gives back a Content-Disposition only for a file name or a date: one without either
  // is carried as it is.
  if (encapsulating && cd_field && !from_cd && !attrs.date_and_time[0] && !attrs.date_and_time[1] &&
      !attrs.date_and_time[2])
    cd_whole = true;
  if (cd_field && cd_whole) carry(*cd_field);

  if (const auto* d = mime::find(fields, "Content-Description")) {
    auto u = unstructured_utf8(d->value);
    auto g = u ? params::utf8_to_graphic(*u) : std::nullopt;
    if (g) {
      env.user_visible_string.push_back(std::move(*g));
    } else {  // its ASCII characters in the string, the field as it was in the extension
      env.user_visible_string.push_back(params::ascii_of_utf8(u.value_or(d->value)));
      carry(*d);
    }
  }
  if (const auto* id = mime::find(fields, "Content-ID")) {
    auto x = addressing::msg_id_to_ipm_identifier(id->value);
    if (x && !x->user && !x->user_relative_identifier.empty() && x->user_relative_identifier.size() <= 64) {
      ipms::CrossReference cr;  // application-cross-reference a null OCTET STRING (§2.3.2)
      cr.message_reference = ipms::MessageReference{std::nullopt, x->user_relative_identifier};
      ipms::RelatedStoredFile r{ipms::FileIdentifier{std::move(cr)}, ipms::Relationship{std::string(mime_relationship)}};
      f.parameters.related_stored_file = std::vector<ipms::RelatedStoredFile>{std::move(r)};
    } else {
      carry(*id);
    }
  }
  // §2.3.2 "Other RFC-822 headers" (and §3.1.1 the Content-Type): the extension.
  for (const auto& fd : fields) {
    const std::string n = lower(fd.name);
    if (n == "mime-version" || n == "content-transfer-encoding" || n == "content-disposition" ||
        n == "content-description" || n == "content-id")
      continue;
    if (n == "content-type" && !encapsulating) continue;
    carry(fd);
  }
  if (encapsulating && !mime::find(fields, "Content-Type")) {  // the default type, written out
    std::string v = ct.type;
    for (std::size_t i = 0; i < ct.parameters.size(); ++i) v += "; " + ct.parameters[i].first + "=" + ct.written[i];
    carried.insert(carried.begin(), ia5_field("Content-Type", v, mended));
  }
  if (!encapsulating && ct.parameters.size() > (ct.parameter("name").empty() ? 0u : 1u))
    lost.push_back("the " + ct.type + " parameters other than name (an FTBP of a registered application has none)");
  if (mended) lost.push_back("header fields with octets IA5 cannot hold, carried with '?' for them");
  std::stable_partition(carried.begin(), carried.end(),  // §3.1.1: the Content-Type first
                        [](const std::string& c) { return lower(c.substr(0, 13)) == "content-type:"; });
  if (!carried.empty()) {
    ipms::IpmsExtension x{ipms::oid::rfc_822_field_list, ipms::Rfc822FieldList{std::move(carried)}};
    f.parameters.extensions = std::vector<ipms::IpmsExtension>{std::move(x)};
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

std::optional<MimeEntity> mime_of_ftbp(const ipms::FileTransferBodyPart& f, bool eight_bit,
                                       std::vector<std::string>& lost) {
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
  const std::string_view data(reinterpret_cast<const char*>(octets->octets.data()), octets->octets.size());
  const bool encapsulated = *app == mime_ftbp_data();  // §3.1.1

  // The fields the extension carries (RFC822FieldList: "Name: value" each).
  std::vector<MimeField> carried;
  bool other = false;
  if (prm.extensions) {
    for (const auto& x : *prm.extensions) {
      const auto* list = x.type == ipms::oid::rfc_822_field_list ? x.value_as<ipms::Rfc822FieldList>() : nullptr;
      if (!list) {
        other = true;
        continue;
      }
      for (const auto& s : list->fields) {
        const auto colon = s.find(':');
        std::string name = s.substr(0, colon == std::string::npos ? 0 : colon);
        bool ok = !name.empty() && name.size() <= 76 && colon != std::string::npos;
        for (char c : name) ok = ok && c > 32 && c < 127;
        std::string value = ok ? s.substr(colon + 1) : std::string();
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
        for (char c : value) ok = ok && c != '\r' && c != '\n' && c != 0;
        const std::string n = lower(name);
        if (!ok || n == "mime-version" || n == "content-transfer-encoding") {  // §3.1.1: chosen anew
          if (!ok) lost.push_back("a field in the FTBP extensions that is not a header field");
          continue;
        }
        carried.push_back({std::move(name), std::move(value)});
      }
    }
  }
  auto carried_field = [&](std::string_view name) -> const MimeField* {
    for (const auto& c : carried)
      if (lower(c.name) == name) return &c;
    return nullptr;
  };

  MimeEntity e;
  std::string type;
  if (encapsulated) {
    const MimeField* ct = carried_field("content-type");
    ContentType parsed = ct ? parse_content_type(ct->value) : ContentType{};
    if (!ct || !parsed.ok) {
      lost.push_back("an FTBP encapsulating MIME (§3.1.1) without a Content-Type that parses: application/octet-stream");
      e.fields.push_back({"Content-Type", "application/octet-stream"});
      type = "application/octet-stream";
    } else {
      e.fields.push_back({"Content-Type", ct->value});
      type = parsed.type;
    }
    // §3.1.1 NOTE: a multipart (or message) is mapped to a ForwardedIPMessage, never put in an
    // FTBP; one that comes anyway can go back only where its octets are 7bit lines as they are.
    const std::string major = type.substr(0, type.find('/'));
    if ((major == "multipart" || major == "message") && !detail::is_7bit_lines(data)) return std::nullopt;
  } else {
    const bool unknown = *app == ema_unknown_attachment() || *app == ema_unknown_1984_draft();
    type = unknown ? std::string("application/octet-stream") : "application/x-ftbp." + app->to_string();
    e.fields.push_back({"Content-Type", type});
  }

  // Content-Disposition: attachment (§2.3.2), with the file name, the dates and the size.
  std::string disposition = "attachment";
  bool named_or_dated = false;
  std::string name_param;  // the file name as a parameter, for the Content-Type below when needed
  if (prm.file_attributes && prm.file_attributes->pathname) {
    const auto& pn = *prm.file_attributes->pathname;
    const auto& parts = std::holds_alternative<ipms::IncompletePathname>(pn)
                            ? std::get<ipms::IncompletePathname>(pn).pathname
                            : std::get<ipms::CompletePathname>(pn).pathname;
    std::string name;
    for (const auto& s : parts) name += (name.empty() ? "" : "/") + s;
    if (!name.empty()) {
      auto u = params::graphic_to_utf8(name);
      if (!u) {
        lost.push_back("a file name in character sets the gateway does not read: its ASCII characters kept");
        u = params::graphic_ascii(name);
      }
      if (u->size() > params::max_value) {
        lost.push_back("a file name of more than " + std::to_string(params::max_value) + " octets");
      } else {
        disposition += "; " + params::write_parameter("filename", *u);
        name_param = params::write_parameter("name", *u);
        named_or_dated = true;
      }
    }
  }
  if (const auto& a = prm.file_attributes) {
    for (std::size_t i = 0; i < 3; ++i) {
      const auto* t = a->date_and_time[i] ? std::get_if<p1::mts::Time>(&*a->date_and_time[i]) : nullptr;
      if (!t) continue;
      if (auto d = params::date_time_of(*t)) {
        disposition += "; " + std::string(date_params[i]) + "=\"" + *d + "\"";
        named_or_dated = true;
      } else lost.push_back("a file date that is not a GeneralizedTime (" + t->substr(0, 32) + ")");
    }
    if (a->object_size)
      if (const auto* n = std::get_if<std::int64_t>(&*a->object_size); n && *n >= 0)
        disposition += "; size=" + std::to_string(*n);
  }
  // §3.1.1: a part that had no disposition gets none for its size alone.
  if (!encapsulated || named_or_dated) e.fields.push_back({"Content-Disposition", disposition});
  const auto& uvs = prm.environment->user_visible_string;
  if (!uvs.empty()) e.fields.push_back({"Content-Description", description_of(uvs.front(), lost)});
  bool other_files = false;
  if (prm.related_stored_file) {
    for (const auto& r : *prm.related_stored_file) {
      const auto* rel = r.relationship ? std::get_if<std::string>(&*r.relationship) : nullptr;
      const auto* cr = std::get_if<ipms::CrossReference>(&r.file_identifier);
      if (!rel || *rel != mime_relationship || !cr || !cr->message_reference || cr->message_reference->user) {
        other_files = true;
        continue;
      }
      addressing::IpmIdentifier id{std::nullopt, cr->message_reference->user_relative_identifier};
      auto m = addressing::ipm_identifier_to_msg_id(id);
      if (m && !m->phrase && !carried_field("content-id")) e.fields.push_back({"Content-ID", m->text});
      else other_files = true;
    }
  }
  // A carried Content-Disposition without a filename: the name was the Content-Type's (§6.4),
  // and goes back there.
  if (!encapsulated && !name_param.empty())
    if (const MimeField* c = carried_field("content-disposition")) {
      const ContentType cd = parse_content_type("x/" + c->value);
      if (!params::parameter_utf8(cd, "filename").found) e.fields.front().value += "; " + name_param;
    }
  // A carried field replaces the generated one of its name (once); the others follow.
  const std::size_t generated = e.fields.size();
  std::vector<bool> replaced(generated, false);
  for (auto& c : carried) {
    const std::string n = lower(c.name);
    if (n == "content-type" && encapsulated) continue;
    std::size_t i = 0;
    while (i < generated && lower(e.fields[i].name) != n) ++i;
    if (i < generated && !replaced[i] && n != "content-type") {
      e.fields[i] = std::move(c);
      replaced[i] = true;
    } else if (n != "content-type") {
      e.fields.push_back(std::move(c));
    }
  }
  // §2.3.3: all other elements are discarded.
  other = other || other_files || uvs.size() > 1 || prm.environment->machine || prm.environment->operating_system;
  if (const auto& a = prm.file_attributes) {
    other = other || a->date_and_time[3].has_value();
    for (const auto& d : a->identity) other = other || d.has_value();
    other = other || a->permitted_actions || a->storage_account || a->object_availability ||
            a->future_object_size || a->access_control || a->legal_qualifications || a->private_use ||
            a->attribute_extensions;
  }
  if (other)
    lost.push_back("file transfer parameters with no MIME form (related files, identities, access control, ...)");
  if (encapsulated && type.starts_with("text/")) detail::set_text_body(e, std::string(data), eight_bit);
  else if (encapsulated && (type.starts_with("multipart/") || type.starts_with("message/"))) e.body = std::string(data);
  else detail::set_binary_body(e, data);
  return e;
}

}  // namespace mixer::bodyparts
