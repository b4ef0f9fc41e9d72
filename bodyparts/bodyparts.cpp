// bodyparts/bodyparts.cpp: X.400 -> MIME (RFC 2157 §2.2, §5.4): IA5Text
// to text/plain (§6.1; HARPOON undone, §3.1.3), GeneralText (§6.2) and
// Teletex (§6.7) to text/plain, BilaterallyDefined to
// application/octet-stream (§6.3), FTBP to application/octet-stream (§6.4)
// or application/x-ftbp.<oid> (§3.3), the MIME body part back to its MIME part
// (§3.1.2), g3-facsimile to image/g3fax (§5.4), a ForwardedIPMessage made from a multipart back to it (§6.6), one
// that is a message to message/rfc822 through the caller's callback (§6.5),
// several body parts to multipart/mixed (multipart/digest when all are messages, §2.2), and every other body part in
// application/x400-bp (§3.2). IA5 text that already is 7bit CRLF lines is
// borrowed, not copied; the X.400 user's wanted-MIME-conversions first (§4.2).
// Trusts nothing in the parts.
#include "bodyparts/bodyparts.hpp"

#include <algorithm>
#include <cctype>

#include "base/t61.hpp"
#include "bodyparts/charsets.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/ftbp.hpp"
#include "bodyparts/g3fax.hpp"
#include "bodyparts/general_text.hpp"
#include "bodyparts/internal.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "bodyparts/multipart_heading.hpp"
#include "bodyparts/transfer_encoding.hpp"

namespace mixer::bodyparts {

namespace ipms = p1::ipms;

namespace {

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

// A text/plain entity of IA5 text: 7bit when it is, else quoted-printable (RFC 2157 §6.1,
// RFC 2045). One scan of the text; true when the body is `ia5` itself (7bit CRLF lines as it
// is: nothing copied), false when it is `converted` (line ends mended, or quoted-printable).
// In a multipart (`inner`) a last line without CRLF is kept so: the delimiter brings its own.
bool text_entity(const std::string& ia5, std::vector<MimeField>& fields, std::string& converted, bool inner = false) {
  fields.push_back({"Content-Type", "text/plain; charset=us-ascii"});
  TextScan scan = scan_text(ia5);
  std::string_view text = ia5;
  bool borrowed = true;
  if (inner && !scan.bare_cr_lf && !scan.ends_with_crlf) scan.ends_with_crlf = true;  // as if it had one
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

// §2.2 (1): an IA5 text whose first line is a MIME-Version field is a HARPOON
// encapsulation (§3.1.3): its fields and its body (a view into the text), or nullopt.
std::optional<MimeEntity> harpoon_entity(const std::string& ia5, const mime::Limits& limits) {
  constexpr std::string_view mv = "mime-version:";
  if (ia5.size() < mv.size() || lower(std::string_view(ia5).substr(0, mv.size())) != mv) return std::nullopt;
  auto e = mime::parse_entity(ia5, limits);
  if (!e || !e->defects.empty() || !mime::find(e->fields, "Content-Type") || !detail::is_7bit_lines(e->body))
    return std::nullopt;
  MimeEntity out;
  for (const auto& f : e->fields) {
    for (char c : f.value)  // a value MIME cannot carry: not HARPOON after all
      if (c == '\r' || c == '\n' || c == 0) return std::nullopt;
    if (lower(f.name) != "mime-version") out.fields.push_back({std::string(f.name), f.value});
  }
  out.borrowed = e->body.empty() ? std::string_view(ia5.data() + ia5.size(), 0) : e->body;
  return out;
}

// A field of a part inside a multipart, folded (RFC 5322 §2.2.3) where the line would be
// longer than 78 characters: after a parameter's ";" when there is one (the §2.3 parameters
// of an FTBP can be many), else before any other white space (between encoded words).
void append_field(std::string& out, const MimeField& f) {
  out.append(f.name).append(": ");
  std::size_t column = f.name.size() + 2;
  std::string_view v = f.value;
  // The last fold point (a space, after a ";" when `after_semicolon`) that keeps the line
  // within 78, else the first one: npos when there is none.
  auto fold_point = [&](bool after_semicolon) {
    std::size_t cut = std::string_view::npos;
    const std::size_t text = v.find_first_not_of(' ');  // no line of white space only
    if (text == std::string_view::npos) return cut;
    for (std::size_t at = v.find(' ', text + 1); at != std::string_view::npos; at = v.find(' ', at + 1)) {
      if (after_semicolon && v[at - 1] != ';') continue;
      if (cut != std::string_view::npos && column + at > 78) break;
      cut = at;
    }
    return cut;
  };
  while (column + v.size() > 78) {
    std::size_t cut = fold_point(true);
    if (cut == std::string_view::npos || column + cut > 78) {
      const std::size_t any = fold_point(false);
      if (any != std::string_view::npos && (cut == std::string_view::npos || any < cut)) cut = any;
    }
    if (cut == std::string_view::npos) break;
    out.append(v.substr(0, cut)).append("\r\n");
    v.remove_prefix(cut);  // the space begins the next line
    column = 0;
  }
  out.append(v).append("\r\n");
}

// One X.400 -> MIME conversion: the options, the losses, the parts counted.
class ToMimeRun {
 public:
  ToMimeRun(const ToMimeOptions& o, std::vector<base::Loss>& losses, std::vector<base::Loss>& requested)
      : o_(o), losses_(losses), requested_(requested) {
    limits_.max_header_size = o.limits.max_header_size;
  }
  // One body part as a MIME part (no MIME-Version field).
  std::optional<base::Refusal> part(const ipms::BodyPart& p, std::size_t depth, MimeEntity& e, bool inner = false);
  // Several as multipart/<subtype> (§2.2, §6.6); `keep_base64`: the parts' deferred base64
  // lines stay deferred in `e` (else they are written into its body).
  std::optional<base::Refusal> multipart(const std::vector<ipms::BodyPart>& body, std::string_view subtype,
                                         std::size_t depth, MimeEntity& e, bool keep_base64 = false);

 private:
  void lost(std::string what, std::string_view section) { losses_.push_back({std::move(what), detail::rule(section)}); }
  std::optional<base::Refusal> encapsulate(const ipms::BodyPart& p, MimeEntity& e) {
    std::string why;
    auto x = detail::x400_bp(p, why);
    if (!x) return detail::impractical("3.2", std::string(std::visit(KindName{}, p.type)) + " cannot be carried: " + why);
    e = std::move(*x);
    return std::nullopt;
  }
  // §6.5: the forwarded IPM through the mapping engine (the caller's callback) as message/rfc822.
  std::optional<base::Refusal> forwarded(const ipms::MessageBodyPart& m, std::size_t depth, MimeEntity& e,
                                         const ipms::BodyPart& p) {
    if (depth + 1 >= o_.max_nesting)
      return detail::over_limit("body parts nested deeper than " + std::to_string(o_.max_nesting) + " levels");
    const std::size_t left = o_.limits.max_parts - std::min(parts_, o_.limits.max_parts);
    auto f = o_.forwarded_to_mime(m, depth + 1, left);
    if (!f) {
      if (f.error().enhanced_status == "5.3.4") return std::move(f).error();  // a limit holds across the recursion
      lost("a forwarded IPM that does not map (" + f.error().text().substr(0, 200) + "): carried in application/x400-bp",
           "6.5");
      return encapsulate(p, e);
    }
    parts_ += f->parts;
    if (parts_ > o_.limits.max_parts)
      return detail::over_limit("the body has more than " + std::to_string(o_.limits.max_parts) + " body parts");
    if (!detail::is_7bit_lines(f->message)) {  // RFC 2046 §5.2.1: 7bit, 8bit or binary only
      lost("a forwarded IPM whose RFC 822 form is not 7bit lines: carried in application/x400-bp", "6.5");
      return encapsulate(p, e);
    }
    for (auto& l : f->losses) losses_.push_back(std::move(l));
    for (auto& l : f->requested_losses) requested_.push_back(std::move(l));
    e.fields.push_back({"Content-Type", "message/rfc822"});
    e.body = std::move(f->message);
    return std::nullopt;
  }

 public:
  std::size_t parts() const { return parts_; }

 private:
  const ToMimeOptions& o_;
  std::vector<base::Loss>& losses_;
  std::vector<base::Loss>& requested_;  // §4.2's
  mime::Limits limits_;
  std::size_t parts_ = 0;
};

std::optional<base::Refusal> ToMimeRun::part(const ipms::BodyPart& p, std::size_t depth, MimeEntity& e, bool inner) {
  if (++parts_ > o_.limits.max_parts)
    return detail::over_limit("the body has more than " + std::to_string(o_.limits.max_parts) + " body parts");
  if (!o_.wanted_mime_conversions.empty())  // §4.2: the X.400 user's choice, when it has one for this type
    if (const auto* w = detail::wanted_mime_for(p, o_.wanted_mime_conversions)) {
      std::vector<std::string> lost_here;
      auto m = detail::wanted_mime_entity(p, *w, o_.eight_bit, lost_here);
      for (auto& l : lost_here) requested_.push_back({std::move(l), detail::rule("4.2")});
      if (m) {
        e = std::move(*m);
        return std::nullopt;
      }
    }
  if (const auto* t = p.as<ipms::Ia5TextBodyPart>()) {  // §6.1, §2.2 (1)
    if (auto h = harpoon_entity(t->text, limits_)) {
      e = std::move(*h);
      return std::nullopt;
    }
    if (text_entity(t->text, e.fields, e.body, inner)) e.borrowed = t->text;
    return std::nullopt;
  }
  if (const auto* g = p.as<ipms::GeneralTextBodyPart>()) {  // §6.2
    MimeText m = read_general_text(*g);
    if (!m.decoded) lost("general text in character sets the gateway does not convert, labelled " + m.charset, "6.2");
    e.fields.push_back({"Content-Type", "text/plain; charset=" + m.charset});
    detail::set_text_body(e, std::move(m.octets), o_.eight_bit);
    return std::nullopt;
  }
  if (const auto* t = p.as<ipms::TeletexBodyPart>()) {  // §6.7: pages ended by FF
    std::string t61;
    for (const auto& page : t->pages) {
      t61 += page;
      if (page.empty() || page.back() != '\f') t61 += '\f';
    }
    if (t->non_basic_parameters || t->telex_compatible.value_or(false))
      lost("the teletex parameters (non-basic parameters, telex-compatible) are discarded", "6.7");
    std::string charset = "teletex", text = t61;
    // §6.7 NOTE: a more widespread charset where the text fits one (ISO 8859 part, else UTF-8).
    std::string between;  // the pages with FF between them only, for the converted text
    for (std::size_t i = 0; i < t->pages.size(); ++i) {
      if (i && (between.empty() || between.back() != '\f')) between += '\f';
      between += t->pages[i];
    }
    if (auto utf8 = o_.conversion_prohibited ? std::nullopt : base::t61_to_utf8(between)) {
      charset = charsets::is_ascii(*utf8) ? "us-ascii" : "utf-8";
      text = *utf8;
      for (const auto& set : charsets::iso8859_sets()) {
        if (charset == "us-ascii") break;
        if (auto octets = charsets::from_utf8(*utf8, set.mime)) {
          charset = lower(set.mime);
          text = std::move(*octets);
          break;
        }
      }
    }
    e.fields.push_back({"Content-Type", "text/plain; charset=" + charset});
    detail::set_text_body(e, std::move(text), o_.eight_bit);
    return std::nullopt;
  }
  if (const auto* b = p.as<ipms::BilaterallyDefinedBodyPart>()) {  // §6.3
    e.fields.push_back({"Content-Type", "application/octet-stream"});
    // base64, written where the entity is assembled (multipart() or the caller): a view of the octets.
    e.fields.push_back({"Content-Transfer-Encoding", "base64"});
    e.base64.push_back({0, std::string_view(reinterpret_cast<const char*>(b->octets.data()), b->octets.size())});
    return std::nullopt;
  }
  if (const auto* f = p.as<ipms::FileTransferBodyPart>()) {  // §6.4, §3.3; else x400-bp below
    std::vector<std::string> lost_here;
    if (auto m = mime_of_ftbp(*f, o_.eight_bit, lost_here)) {
      for (auto& l : lost_here) lost(std::move(l), "2.3");
      e = std::move(*m);
      return std::nullopt;
    }
  }
  if (const auto* g = p.as<ipms::G3FacsimileBodyPart>(); g && !o_.conversion_prohibited) {  // §5.4
    std::vector<std::string> lost_here;
    if (auto m = g3fax_mime(*g, lost_here)) {
      for (auto& l : lost_here) lost(std::move(l), "5.4");
      e = std::move(*m);
      return std::nullopt;
    }
    lost("a g3-facsimile page holds the six-EOL page delimiter of image/g3fax: carried in application/x400-bp",
         "5.4");
  }
  if (const auto* m = p.as<ipms::MimeBodyPart>()) {  // §3.1.2 back
    // RFC 2045 §6.4: a multipart or message takes no encoding but 7bit/8bit/binary; one whose
    // octets are not such lines (bare LF, NUL, 8-bit without 8BITMIME) keeps its type only in §3.2.
    const std::string major = lower(m->parameters.content_type.substr(0, m->parameters.content_type.find('/')));
    if (major == "multipart" || major == "message") {
      const TextScan s = scan_text(std::string_view(reinterpret_cast<const char*>(m->data.data()), m->data.size()));
      if (s.nul || s.bare_cr_lf || s.max_line > 998 || (s.eight_bit && !o_.eight_bit)) {
        lost("a " + m->parameters.content_type.substr(0, 40) +
                 " in the MIME body part whose octets are not 7bit lines: carried in application/x400-bp",
             "3.1.2");
        return encapsulate(p, e);
      }
    }
    bool altered = false;
    e = detail::from_mime_body_part(*m, o_.eight_bit, altered);
    if (altered) lost("a MIME body part's header values that MIME cannot carry were mended", "3.1.2");
    return std::nullopt;
  }
  if (const auto* m = p.as<ipms::MessageBodyPart>()) {
    const auto type = multipart_type(m->ipm->heading);
    if (type && !type->is_a_message) {  // §6.6: a multipart, not a message
      if (depth + 1 >= o_.max_nesting)
        return detail::over_limit("body parts nested deeper than " + std::to_string(o_.max_nesting) + " levels");
      std::string sub;
      for (char c : type->subtype) sub += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const bool token = !sub.empty() && parameter_value(sub) == sub;  // an RFC 2045 token
      return multipart(m->ipm->body, token ? sub : "mixed", depth + 1, e);
    }
    if (o_.forwarded_to_mime) return forwarded(*m, depth, e, p);  // §6.5
    return encapsulate(p, e);  // no mapping engine to map its heading: §3.2
  }
  return encapsulate(p, e);  // §3.2: no equivalence
}

std::optional<base::Refusal> ToMimeRun::multipart(const std::vector<ipms::BodyPart>& body, std::string_view subtype,
                                                  std::size_t depth, MimeEntity& e, bool keep_base64) {
  struct Part {
    MimeEntity entity;
  };
  std::vector<Part> parts(body.size());
  for (std::size_t i = 0; i < body.size(); ++i)
    if (auto r = part(body[i], depth, parts[i].entity, true)) return r;
  // A boundary found in no part (its depth in it, so no boundary is a prefix of another's).
  // A part's deferred base64 lines cannot hold one ("--" is no base64 character), and a part
  // that has them has no other octets (part() gives them to BilaterallyDefined alone).
  std::string boundary = depth == 0 ? "=_mixer_1" : "=_mixer_n" + std::to_string(depth) + "_";
  for (bool clash = true; clash;) {
    clash = false;
    const std::string delimiter = "--" + boundary;
    for (const Part& p : parts) {
      clash = clash || p.entity.octets().find(delimiter) != std::string_view::npos;
      for (const auto& f : p.entity.fields) clash = clash || f.value.find(delimiter) != std::string::npos;
    }
    if (clash) boundary += "_";
  }
  e.fields.push_back({"Content-Type", "multipart/" + std::string(subtype) + "; boundary=\"" + boundary + "\""});
  std::size_t size = boundary.size() + 6;
  for (const Part& p : parts) {
    size += boundary.size() + 6 + (keep_base64 ? p.entity.octets().size() : body_size(p.entity));
    for (const auto& f : p.entity.fields) size += f.name.size() + f.value.size() + 4;
  }
  e.body.reserve(size);
  for (const Part& p : parts) {
    e.body.append("--").append(boundary).append("\r\n");
    for (const auto& f : p.entity.fields) append_field(e.body, f);
    // The CRLF before a delimiter is the delimiter's (RFC 2046 §5.1.1): the part keeps its own.
    e.body.append("\r\n");
    if (keep_base64) {
      const std::size_t at = e.body.size();
      for (const auto& b : p.entity.base64) e.base64.push_back({at + b.at, b.octets});
      e.body.append(p.entity.octets());
    } else {
      append_body(e.body, p.entity);
    }
    e.body.append("\r\n");
  }
  e.body.append("--").append(boundary).append("--\r\n");
  return std::nullopt;
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
  if (body.empty()) {
    e.fields.push_back({"Content-Type", "text/plain; charset=us-ascii"});
    return out;
  }
  ToMimeRun run(options, out.losses, out.requested_losses);
  MimeEntity converted;
  // A body of one multipart ForwardedIPMessage came from a multipart holding one multipart
  // (§6.6): multipart/mixed around it keeps that shape.
  const auto* only = body.size() == 1 ? body.front().as<ipms::MessageBodyPart>() : nullptr;
  const bool nested = only && multipart_type(only->ipm->heading).value_or(MultipartType{}).is_a_message == false;
  if (body.size() == 1 && !nested) {
    if (auto r = run.part(body.front(), options.depth, converted)) return *r;
  } else {
    std::string sub;
    for (char c : options.multipart_subtype) sub += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool token = !sub.empty() && parameter_value(sub) == sub;  // an RFC 2045 token
    // §2.2: several body parts that all are messages (not §6.6 multiparts) are multipart/digest,
    // unless the heading's multipart-message extension names the subtype.
    const bool all_messages = body.size() > 1 && std::all_of(body.begin(), body.end(), [](const ipms::BodyPart& p) {
      const auto* m = p.as<ipms::MessageBodyPart>();
      return m && multipart_type(m->ipm->heading).value_or(MultipartType{}).is_a_message;
    });
    if (auto r = run.multipart(body, token ? sub : all_messages ? "digest" : "mixed", options.depth, converted,
                               options.deferred_base64))
      return *r;
  }
  out.parts = run.parts();
  for (auto& f : converted.fields) e.fields.push_back(std::move(f));
  if (!converted.base64.empty() && !options.deferred_base64) {  // written now, in one buffer of its size
    e.body.reserve(body_size(converted));
    append_body(e.body, converted);
    return out;
  }
  e.body = std::move(converted.body);
  e.borrowed = converted.borrowed;
  e.base64 = std::move(converted.base64);
  return out;
}

std::size_t body_size(const MimeEntity& e) {
  std::size_t n = e.octets().size();
  for (const auto& b : e.base64) n += base64_lines_size(b.octets.size());
  return n;
}

void append_body(std::string& out, const MimeEntity& e) {
  const std::string_view text = e.octets();
  std::size_t done = 0;
  for (const auto& b : e.base64) {
    out.append(text.substr(done, b.at - done));
    append_base64_lines(out, b.octets);
    done = b.at;
  }
  out.append(text.substr(done));
}


}  // namespace mixer::bodyparts
