// bodyparts/to_x400.cpp: MIME -> X.400 (RFC 2157 §2.1, §5.3), one MIME part
// at a time: text/plain to IA5Text (§6.1), GeneralText (§6.2) or Teletex
// (§6.7), multipart/* to the body's parts at the outermost level and to a
// ForwardedIPMessage below (§6.6), application/octet-stream to
// BilaterallyDefined (§6.3) or, by option, the FTBP unknown attachment
// (§6.4), application/x-ftbp.<oid> to its FTBP (§3.3), application/x400-bp
// back to its body part
// (§3.2), message/rfc822 to a ForwardedIPMessage through the caller's
// callback (§6.5), message/external-body (§7.1) and security multiparts
// (§7.3, §7.4) in HARPOON IA5, image/g3fax to g3-facsimile (§5.3), and every other
// type in the MIME body part (§3.1.2; HARPOON §3.1.3 for a 1984 next hop) or, by
// option, in the FTBP of id-mime-ftbp-data (§3.1.1). With user control on,
// the sender's Wanted-X400-Conversion fields choose instead (§4.1).
// Trusts nothing in the fields or the octets: every limit is checked before
// the work it bounds.
#include <algorithm>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/charsets.hpp"
#include "bodyparts/ftbp.hpp"
#include "bodyparts/g3fax.hpp"
#include "bodyparts/general_text.hpp"
#include "bodyparts/internal.hpp"
#include "bodyparts/multipart_heading.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "bodyparts/user_control.hpp"
#include "base/t61.hpp"
#include "p1/ber/writer.hpp"
#include "p1/ipms/ipms.hpp"

namespace mixer::bodyparts {

namespace {

using namespace detail;

// One MIME -> X.400 conversion: the options, the result being built, the parts counted.
class ToX400Run {
 public:
  ToX400Run(const ToX400Options& o, ToX400& out) : o_(o), out_(out), rules_(o.enclosing_rules) {}

  // One entity (fields and body) into body parts appended to `into`; the outermost
  // multipart's parts go straight into the body (§6.6).
  std::optional<base::Refusal> entity(const std::vector<mime::Field>& fields, std::string_view body,
                                      std::size_t depth, bool outermost, std::string_view default_type,
                                      std::vector<ipms::BodyPart>& into);

 private:
  void lost(std::string what, std::string_view section) { out_.losses.push_back({std::move(what), rule(section)}); }
  std::optional<base::Refusal> converted(std::string_view section, std::string what) {
    if (o_.conversion_prohibited) return prohibited(section, "conversion is prohibited, and " + what);
    return std::nullopt;
  }
  std::optional<base::Refusal> text(const ContentType& ct, const std::vector<mime::Field>& fields,
                                    std::string_view raw, std::string data, std::vector<ipms::BodyPart>& into);
  std::optional<base::Refusal> multipart(const ContentType& ct, const std::vector<mime::Field>& fields,
                                         std::string_view body, std::size_t depth, bool outermost,
                                         std::vector<ipms::BodyPart>& into);
  // §6.5: the message through the mapping engine (the caller's callback) as a ForwardedIPMessage.
  std::optional<base::Refusal> forwarded(const ContentType& ct, const std::vector<mime::Field>& fields,
                                         std::string_view body, std::size_t depth, std::vector<ipms::BodyPart>& into);
  // §3.1: the part encapsulated (BP15, or HARPOON for a 1984 next hop); `raw` is the
  // part's body as it came (HARPOON keeps it when it is 7bit).
  std::optional<base::Refusal> encapsulate(const ContentType& ct, const std::vector<mime::Field>& fields,
                                           std::string_view raw, std::string data, std::vector<ipms::BodyPart>& into);

  // §4.1: the conversion the sender wants for this part (its own field, or the innermost
  // enclosing multipart's "from" rule for its type); a multipart's rules pushed on rules_.
  std::optional<WantedX400Conversion> wanted_for(const ContentType& ct, const std::vector<mime::Field>& fields,
                                                 bool outermost, bool is_multipart);
  // §4.1: the part as the sender asked; false (a loss saying why) when it cannot be honoured.
  bool wanted(const WantedX400Conversion& w, const ContentType& ct, const std::vector<mime::Field>& fields,
              std::string_view raw, std::string& data, std::vector<ipms::BodyPart>& into);

  const ToX400Options& o_;
  ToX400& out_;
  std::vector<WantedX400Conversion> rules_;

 public:
  std::size_t parts() const { return parts_; }

 private:
  std::size_t parts_ = 0;
  std::size_t ids_ = 0;
};

std::optional<base::Refusal> ToX400Run::entity(const std::vector<mime::Field>& fields, std::string_view body,
                                               std::size_t depth, bool outermost, std::string_view default_type,
                                               std::vector<ipms::BodyPart>& into) {
  if (++parts_ > o_.limits.max_parts)
    return over_limit("the body has more than " + std::to_string(o_.limits.max_parts) + " parts");
  if (body.size() > o_.limits.max_part_size)
    return over_limit("a MIME part of " + std::to_string(body.size()) + " octets is over the limit");
  const auto* ct_field = mime::find(fields, "Content-Type");
  ContentType ct;
  if (ct_field) ct = parse_content_type(ct_field->value);
  else ct = parse_content_type(default_type);
  if (!ct.ok) {  // RFC 2045 §5.2: an unparseable Content-Type is text/plain; charset=us-ascii
    lost("a Content-Type that does not parse ('" + ct_field->value.substr(0, 64) + "') read as text/plain", "2.1");
    ct = parse_content_type("text/plain; charset=us-ascii");
  }
  // The transfer encoding undone (the canonical octets of §3.1.1, §3.1.2).
  std::string cte;
  if (const auto* f = mime::find(fields, "Content-Transfer-Encoding")) {
    cte = lower(f->value);
    while (!cte.empty() && (cte.back() == ' ' || cte.back() == '\t')) cte.pop_back();
  }
  const std::string major = ct.major();
  const bool identity = cte.empty() || cte == "7bit" || cte == "8bit" || cte == "binary";
  std::optional<WantedX400Conversion> want;
  if (o_.user_control) want = wanted_for(ct, fields, outermost, major == "multipart" && identity);
  if (major == "multipart" && identity) {
    const std::size_t rules_before = rules_.size();  // §4.1 (2): the rules hold inside this multipart only
    auto r = multipart(ct, fields, body, depth, outermost, into);
    rules_.resize(rules_before);
    return r;
  }
  if (ct.type == "message/rfc822" && identity && o_.forwarded_to_x400 && !want)
    return forwarded(ct, fields, body, depth, into);
  if (ct.type == "message/external-body" && identity && is_7bit_lines(body) && !want) {
    // §7.1: always HARPOON (IA5), "MIME-Version: 1.0 (generated by gateway)" first.
    if (auto p = harpoon(fields, {}, false, body)) {
      p->as<ipms::Ia5TextBodyPart>()->text.replace(0, 17, "MIME-Version: 1.0 (generated by gateway)");
      into.push_back(std::move(*p));
      return std::nullopt;
    }
  }
  std::string data;
  if (cte.empty() || cte == "7bit" || cte == "8bit" || cte == "binary") {
    data = std::string(body);
  } else if (cte == "quoted-printable" || cte == "base64") {
    Decoded d = cte == "base64" ? decode_base64(body) : decode_quoted_printable(body);
    if (!d.clean) lost("malformed " + cte + " in a " + ct.type + " part decoded as far as it goes", "2.1");
    data = std::move(d.octets);
  } else {
    if (want)
      lost("Wanted-X400-Conversion for a " + ct.type + " part not honoured: its Content-Transfer-Encoding " +
               cte.substr(0, 32) + " is unknown",
           "4.1");
    // RFC 2045 §6.4: an unknown encoding makes the part opaque: carried as it is.
    lost("Content-Transfer-Encoding " + cte.substr(0, 32) + " is unknown: the " + ct.type +
             " part is carried encapsulated, still encoded",
         "3.1.2");
    return encapsulate(ct, fields, body, std::string(body), into);
  }
  if (want && wanted(*want, ct, fields, body, data, into)) return std::nullopt;
  if (ct.type == "text/plain") return text(ct, fields, body, std::move(data), into);
  if (ct.type == "image/g3fax" && !o_.conversion_prohibited) {  // §5.3: g3-facsimile (RFC 1494 §7.5)
    std::vector<std::string> lost_here;
    ipms::BodyPart p;
    p.type = g3fax_body_part(ct, data, lost_here);
    for (auto& l : lost_here) lost(std::move(l), "5.3");
    const auto* disp = mime::find(fields, "Content-Disposition");
    if (disp && disp->value.find("filename") != std::string::npos)
      lost("the file name of an image/g3fax part (g3-facsimile has no place for it)", "5.3");
    into.push_back(std::move(p));
    return std::nullopt;
  }
  // §6.4 (the §8 configuration choice) and §3.3: the FTBP of the EMA unknown attachment, or of
  // the application reference an application/x-ftbp.<oid> names.
  std::optional<p1::ber::Oid> ftbp_app;
  if (ct.type == "application/octet-stream" && o_.octet_stream == OctetStream::ftbp_unknown)
    ftbp_app = ema_unknown_attachment();
  else if (ct.type.starts_with("application/x-ftbp."))
    ftbp_app = p1::ber::Oid::parse(ct.type.substr(19));
  if (ftbp_app && o_.extended_allowed) {
    std::vector<std::string> lost_here;
    into.push_back(ftbp_of(*ftbp_app, ct, fields, std::move(data), lost_here));
    for (auto& l : lost_here) lost(std::move(l), "2.3");
    return std::nullopt;
  }
  if (ct.type == "application/octet-stream" && (o_.extended_allowed || o_.bp14_1984)) {
    // §6.3: parameters removed; name/filename have nowhere to go in BilaterallyDefined.
    const auto* disp = mime::find(fields, "Content-Disposition");
    if (!ct.parameter("name").empty() || (disp && disp->value.find("filename") != std::string::npos))
      lost("the file name of an application/octet-stream part (BilaterallyDefined has no parameters)", "6.3");
    ipms::BodyPart p;
    p.type = ipms::BilaterallyDefinedBodyPart{detail::bytes_of(data)};
    into.push_back(std::move(p));
    return std::nullopt;
  }
  if (ct.type == "application/x400-bp") {
    std::string why;
    if (auto p = from_x400_bp(data, o_.limits.max_part_size, why)) {
      into.push_back(std::move(*p));
      return std::nullopt;
    }
    lost("an application/x400-bp part does not decode (" + why + "): carried encapsulated", "3.2");
  }
  return encapsulate(ct, fields, body, std::move(data), into);
}

std::optional<base::Refusal> ToX400Run::text(const ContentType& ct, const std::vector<mime::Field>& fields,
                                             std::string_view raw, std::string data,
                                             std::vector<ipms::BodyPart>& into) {
  std::string charset = lower(ct.parameter("charset"));
  if (charset.empty()) charset = "us-ascii";
  if (charset == "teletex") {  // §6.7: pages split at FF, the FF deleted
    ipms::TeletexBodyPart t;
    std::size_t at = 0;
    while (at <= data.size()) {
      const std::size_t ff = data.find('\f', at);
      if (ff == std::string::npos) {
        if (at < data.size()) t.pages.push_back(data.substr(at));
        break;
      }
      t.pages.push_back(data.substr(at, ff - at));
      at = ff + 1;
    }
    ipms::BodyPart p;
    p.type = std::move(t);
    into.push_back(std::move(p));
    return std::nullopt;
  }
  // §6.1 at once for ASCII in a charset that has ASCII as its lower half (no ICU, no copy).
  const bool ascii_based = charset == "us-ascii" || charset == "utf-8" || charset.starts_with("iso-8859-");
  if (ascii_based && !scan_text(data).eight_bit) {
    into.push_back(ia5_text_part(std::move(data)));
    return std::nullopt;
  }
  const charsets::Utf8 u = charsets::to_utf8(data, charset);
  if (u.status != charsets::Status::ok) {
    lost(u.status == charsets::Status::unknown_charset
             ? "text/plain in charset " + charset.substr(0, 40) + ", which the gateway does not know: carried encapsulated"
             : "text/plain with octets that are not " + charset.substr(0, 40) + ": carried encapsulated",
         "3.1.2");
    return encapsulate(ct, fields, raw, std::move(data), into);
  }
  if (charsets::is_ascii(u.text)) {  // §6.1 (any charset whose text is all ASCII)
    if (charset != "us-ascii" && !charsets::is_ascii(data))
      if (auto r = converted("6.1", "text/plain in " + charset + " would become IA5 text")) return r;
    into.push_back(ia5_text_part(std::string(u.text)));
    return std::nullopt;
  }
  if (!o_.extended_allowed) {
    // X.400(1984): no GeneralText; the teletex repertoire if the text fits it (§6.7's other way).
    if (auto t61 = base::utf8_to_t61(u.text)) {
      if (auto r = converted("6.7", "text/plain in " + charset + " would become teletex")) return r;
      ipms::TeletexBodyPart t;
      t.pages.push_back(std::move(*t61));
      ipms::BodyPart p;
      p.type = std::move(t);
      into.push_back(std::move(p));
      return std::nullopt;
    }
    return encapsulate(ct, fields, raw, std::move(data), into);
  }
  // ESC, SO and SI (and the C1 controls) would be read as ISO 2022 functions in GeneralText.
  const bool c0_safe = u.text.find_first_of("\x1B\x0E\x0F") == std::string::npos;
  const auto* labelled = charsets::iso8859_by_label(charset);
  if (!c0_safe || (labelled && !general_text_safe(data))) {
    lost("text/plain in " + charset.substr(0, 40) + " with ISO 2022 control octets (ESC, SO, SI, C1): carried encapsulated",
         "6.2");
    return encapsulate(ct, fields, raw, std::move(data), into);
  }
  if (labelled) {  // §6.2, the octets as they are
    ipms::BodyPart p;
    p.type = general_text_8859(*labelled, data);
    into.push_back(std::move(p));
    return std::nullopt;
  }
  for (const auto& set : charsets::iso8859_sets()) {  // §6.2's "similar procedures": the first part that fits
    if (auto octets = charsets::from_utf8(u.text, set.mime); octets && general_text_safe(*octets)) {
      if (auto r = converted("6.2", "text/plain in " + charset + " would become " + set.mime)) return r;
      ipms::BodyPart p;
      p.type = general_text_8859(set, *octets);
      into.push_back(std::move(p));
      return std::nullopt;
    }
  }
  if (o_.utf8_general_text) {
    if (charset != "utf-8")
      if (auto r = converted("6.2", "text/plain in " + charset + " would become UTF-8")) return r;
    ipms::BodyPart p;
    p.type = general_text_utf8(u.text);
    into.push_back(std::move(p));
    return std::nullopt;
  }
  return encapsulate(ct, fields, raw, std::move(data), into);
}

std::optional<base::Refusal> ToX400Run::multipart(const ContentType& ct, const std::vector<mime::Field>& fields,
                                                  std::string_view body, std::size_t depth, bool outermost,
                                                  std::vector<ipms::BodyPart>& into) {
  const std::string sub = ct.minor();
  if (sub == "signed" || sub == "encrypted") {  // §7.3, §7.4: HARPOON, octets untouched
    if (auto p = harpoon(fields, {}, false, body); p && is_7bit_lines(body)) {
      into.push_back(std::move(*p));
      return std::nullopt;
    }
    return encapsulate(ct, fields, body, std::string(body), into);
  }
  if (depth >= o_.max_nesting)
    return over_limit("MIME parts nested deeper than " + std::to_string(o_.max_nesting) + " levels");
  // Each ForwardedIPMessage adds about four levels of BER nesting, and decoders bound it (ours at
  // 48): below 8 of them a multipart is carried whole in the MIME body part, losing nothing.
  // The parts are still read (the limits hold at every level), then left for the whole.
  constexpr std::size_t max_forwarded_depth = 8;
  const bool whole = depth > max_forwarded_depth && o_.extended_allowed;
  mime::Limits ml;
  ml.max_header_size = o_.limits.max_header_size;
  ml.max_parts = o_.limits.max_parts;
  const std::string boundary = ct.parameter("boundary");
  const mime::Multipart m = mime::split_multipart(body, boundary, ml);
  if (m.too_many) return over_limit("a multipart of more than " + std::to_string(ml.max_parts) + " parts");
  if (!m.opened) {  // RFC 2046 §5.1.1: no delimiter: nothing to split; carried as it is
    lost("a " + ct.type + " without its boundary is carried encapsulated", "6.6");
    return encapsulate(ct, fields, body, std::string(body), into);
  }
  const std::size_t losses_before = out_.losses.size();
  if (!m.closed) lost("a " + ct.type + " without its close delimiter: the last part runs to the end", "6.6");
  std::vector<ipms::BodyPart> parts;
  const std::string_view child_default = sub == "digest" ? "message/rfc822" : "text/plain; charset=us-ascii";
  for (std::string_view part : m.parts) {
    auto e = mime::parse_entity(part, ml);
    if (!e) return over_limit("a MIME part's header is over the limits");
    for (const auto& d : e->defects) lost(d, "6.6");
    if (auto r = entity(e->fields, e->body, depth + 1, false, child_default, parts)) return r;
  }
  if (whole) {
    out_.losses.resize(losses_before);
    return encapsulate(ct, fields, body, std::string(body), into);
  }
  if (outermost) {  // §6.6: the outermost multipart's parts are the body's
    if (sub != "mixed") out_.heading_extensions = multipart_heading(sub, "").extensions;
    for (auto& p : parts) into.push_back(std::move(p));
    return std::nullopt;
  }
  // §6.6: below the outermost level, a ForwardedIPMessage with a heading of its own.
  ipms::MessageBodyPart mb;
  ipms::Ipm ipm;
  ipm.heading = multipart_heading(sub, "mixer-multipart-" + std::to_string(++ids_));
  if (!o_.extended_allowed && !ipm.heading.extensions.empty()) {
    // P2 (1984) has no heading extensions (RFC 2156 Appendix B); §6.6's subject says what it was.
    ipm.heading.extensions.clear();
    lost("a nested multipart/" + sub.substr(0, 40) +
             "'s multipart-message heading extension, for the X.400(1984) next hop (its subject says what it was)",
         "6.6");
  }
  ipm.body = std::move(parts);
  mb.ipm = std::move(ipm);
  ipms::BodyPart p;
  p.type = std::move(mb);
  into.push_back(std::move(p));
  return std::nullopt;
}

std::optional<base::Refusal> ToX400Run::forwarded(const ContentType& ct, const std::vector<mime::Field>& fields,
                                                  std::string_view body, std::size_t depth,
                                                  std::vector<ipms::BodyPart>& into) {
  if (depth + 1 >= o_.max_nesting)
    return over_limit("messages and multiparts nested deeper than " + std::to_string(o_.max_nesting) + " levels");
  const std::size_t left = o_.limits.max_parts - std::min(parts_, o_.limits.max_parts);
  auto f = o_.forwarded_to_x400(body, depth + 1, left, rules_);  // §4.1 (2): the rules reach inside
  if (!f) {
    if (f.error().enhanced_status == "5.3.4") return std::move(f).error();  // a limit holds across the recursion
    lost("a message/rfc822 part that does not map (" + f.error().text().substr(0, 200) + "): carried encapsulated",
         "6.5");
    return encapsulate(ct, fields, body, std::string(body), into);
  }
  parts_ += f->parts;
  if (parts_ > o_.limits.max_parts)
    return over_limit("the body has more than " + std::to_string(o_.limits.max_parts) + " parts");
  if (!o_.extended_allowed) {
    // X.400(1984): ForwardedIPMessage [9] is P2 (1984)'s (RFC 1496: no downgrading for it), when
    // the forwarded IPM is P2 (1984) all through; else HARPOON as before.
    const auto& fwd = *f->part.as<ipms::MessageBodyPart>()->ipm;
    if (auto why = ipms::p2_1984_violation(ipms::InformationObject{fwd}, o_.bp14_1984)) {
      lost("a message/rfc822 part whose IPM needs " + why->substr(0, 120) +
               ", which X.400(1984) cannot carry: HARPOON instead",
           "6.5");
      return encapsulate(ct, fields, body, std::string(body), into);
    }
  }
  for (auto& l : f->losses) out_.losses.push_back(std::move(l));
  for (auto& l : f->requested_losses) out_.requested_losses.push_back(std::move(l));
  for (const auto& fd : fields) {  // a MessageBodyPart has no place for the part's own fields
    const std::string n = lower(fd.name);
    if (n != "content-type" && n != "content-transfer-encoding" && n != "mime-version")
      lost("the " + std::string(fd.name).substr(0, 40) + " field of a message/rfc822 part", "6.5");
  }
  into.push_back(std::move(f->part));
  return std::nullopt;
}

std::optional<WantedX400Conversion> ToX400Run::wanted_for(const ContentType& ct, const std::vector<mime::Field>& fields,
                                                          bool outermost, bool is_multipart) {
  std::vector<std::string_view> values;
  if (outermost)
    for (const auto& v : o_.wanted_x400_conversion) values.push_back(v);
  for (const auto& f : fields)
    if (lower(f.name) == "wanted-x400-conversion") values.push_back(f.value);
  std::optional<WantedX400Conversion> own;
  for (std::string_view v : values) {
    std::string why;
    auto w = parse_wanted_x400_conversion(v, why);
    if (!w) {
      lost("a Wanted-X400-Conversion field that does not parse (" + why + "): ignored", "4.1");
      continue;
    }
    if (is_multipart) {  // §4.1 (2): "from" is mandatory, the rule holds for the parts inside
      if (w->from.empty()) lost("a multipart's Wanted-X400-Conversion field without \"from\": ignored", "4.1");
      else if (w->from.starts_with("multipart/")) lost("a Wanted-X400-Conversion rule for multipart/*: ignored", "4.1");
      else rules_.push_back(std::move(*w));
    } else if (w->from.empty() || w->from == ct.type) {  // §4.1 (1): this part's own heading
      if (!own) own = std::move(*w);
    } else {
      lost("a Wanted-X400-Conversion field of a " + ct.type + " part names another type (" + w->from.substr(0, 64) +
               "): ignored",
           "4.1");
    }
  }
  if (own || is_multipart) return own;
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it)  // the innermost multipart's rule first
    if (it->from == ct.type) return *it;
  return std::nullopt;
}

bool ToX400Run::wanted(const WantedX400Conversion& w, const ContentType& ct, const std::vector<mime::Field>& fields,
                       std::string_view raw, std::string& data, std::vector<ipms::BodyPart>& into) {
  using In = WantedX400Conversion::In;
  auto requested = [&](std::string what) { out_.requested_losses.push_back({std::move(what), rule("4.1")}); };
  auto not_honoured = [&](const std::string& why) {
    lost("Wanted-X400-Conversion for a " + ct.type + " part not honoured: " + why, "4.1");
    return false;
  };
  // "It is still the gateway's responsibility that the generated messages conform to the
  // destination domain's syntax rules": a 1984 next hop takes no extended body part.
  if (!o_.extended_allowed && (w.in == In::bp15 || w.in == In::ftbp))
    return not_honoured("an X.400(1984) next hop takes no extended body part");
  switch (w.in) {
    case In::ia5: {  // tunnel in IA5: HARPOON (§3.1.3)
      auto p = harpoon(fields, data, ct.major() == "text", is_7bit_lines(raw) ? raw : std::string_view());
      if (!p) return not_honoured("its octets cannot be carried in IA5 text");
      into.push_back(std::move(*p));
      return true;
    }
    case In::bp14: {  // tunnel in BP14: §3.1.4's content passing
      if (!o_.extended_allowed && !o_.bp14_1984) return not_honoured("P2 (1984) has no bilaterally-defined [14]");
      requested("the " + ct.type.substr(0, 64) + " part's type, parameters and fields (BP14, as the sender asked)");
      ipms::BodyPart p;
      p.type = ipms::BilaterallyDefinedBodyPart{bytes_of(data)};
      into.push_back(std::move(p));
      return true;
    }
    case In::bp15: {
      if (!w.to) {  // tunnel in BP15: the MIME body part (§3.1.2)
        bool encoded = false;
        into.push_back(mime_body_part(ct, fields, std::move(data), encoded));
        if (encoded) requested("the " + ct.type + " part's fields, written in IA5 (§3.1.2)");
        return true;
      }
      // The extended body part whose data type the OID names, its data the octets (an OCTET
      // STRING, single-ASN1-type, §5.5). An OID of a type the gateway knows would not decode
      // as that type: refused.
      p1::ber::Writer wr;
      wr.octets(p1::ber::view(data));
      ipms::BodyPart p;
      p.type = ipms::OtherExtendedBodyPart{{}, {}, *w.to, wr.take()};
      p.parameters_present = false;
      bool other = false;
      if (auto ber = ipms::encode(p))
        if (auto back = ipms::decode<ipms::BodyPart>(*ber)) other = back->as<ipms::OtherExtendedBodyPart>() != nullptr;
      if (!other)
        return not_honoured("BP15 " + w.to->to_string().substr(0, 64) + " is a body part type the gateway maps itself");
      requested("the " + ct.type.substr(0, 64) + " part's type, parameters and fields (BP15 " +
                w.to->to_string().substr(0, 64) + " of its octets, as the sender asked)");
      into.push_back(std::move(p));
      return true;
    }
    case In::ftbp: {
      if (!w.to && (ct.major() == "multipart" || ct.major() == "message"))  // §3.1.1 NOTE
        return not_honoured("the FTBP encapsulating MIME carries no multipart or message");
      std::vector<std::string> lost_here;
      into.push_back(ftbp_of(w.to ? *w.to : mime_ftbp_data(), ct, fields, std::move(data), lost_here));
      for (auto& l : lost_here) requested(std::move(l));
      return true;
    }
  }
  return false;
}

std::optional<base::Refusal> ToX400Run::encapsulate(const ContentType& ct, const std::vector<mime::Field>& fields,
                                                    std::string_view raw, std::string data,
                                                    std::vector<ipms::BodyPart>& into) {
  std::string cte;
  if (const auto* f = mime::find(fields, "Content-Transfer-Encoding")) cte = lower(f->value);
  while (!cte.empty() && (cte.back() == ' ' || cte.back() == '\t')) cte.pop_back();
  const bool canonical = cte.empty() || cte == "7bit" || cte == "8bit" || cte == "binary" ||
                         cte == "quoted-printable" || cte == "base64";
  const bool composite = ct.major() == "multipart" || ct.major() == "message";
  // §3.1.4 when the configuration chooses it: headers stripped, the transfer encoding undone, the
  // octets in BilaterallyDefined. Lossy by design, so never under a prohibition; not for a
  // composite type (its own mappings failed: its octets alone mean nothing).
  if (o_.bp14_content_passing && o_.extended_allowed && canonical && !composite && !o_.conversion_prohibited && !o_.conversion_with_loss_prohibited) {
    lost("the " + ct.type.substr(0, 64) + " part's type, parameters and fields (BP14 content passing keeps its octets only)",
         "3.1.4");
    ipms::BodyPart p;
    p.type = ipms::BilaterallyDefinedBodyPart{detail::bytes_of(data)};
    into.push_back(std::move(p));
    return std::nullopt;
  }
  if (!o_.extended_allowed) {  // §3.1.3 HARPOON: the one encapsulation an X.400(1984) peer takes
    if (auto p = harpoon(fields, data, ct.major() == "text", is_7bit_lines(raw) ? raw : std::string_view())) {
      into.push_back(std::move(*p));
      return std::nullopt;
    }
    return impractical("3.1.3", "a " + ct.type + " part cannot be carried in IA5 text to an X.400(1984) next hop");
  }
  // §3.1.1 when the configuration chooses it: the FTBP of id-mime-ftbp-data, every field in
  // its parameters (the Content-Type in the extensions). Not for a multipart or message
  // (§3.1.1 NOTE), nor for octets still in a transfer encoding the gateway does not know.
  if (o_.unknown_mime == UnknownMime::ftbp && canonical && !composite) {
    std::vector<std::string> lost_here;
    into.push_back(ftbp_of(mime_ftbp_data(), ct, fields, std::move(data), lost_here));
    for (auto& l : lost_here) lost(std::move(l), "3.1.1");
    return std::nullopt;
  }
  bool encoded = false;
  into.push_back(mime_body_part(ct, fields, std::move(data), encoded));
  if (encoded)
    lost("the " + ct.type + " part's fields: 8-bit octets written as RFC 2047/2231 encoded words, or a " +
             "Content-Type's unreadable rest or a second Content-Type or -Transfer-Encoding left out",
         "3.1.2");
  return std::nullopt;
}

}  // namespace

base::Expected<ToX400> to_x400(const MimeInput& mime_in, const ToX400Options& options) {
  ToX400 out;
  std::vector<mime::Field> fields;
  bool mime_version = false;
  for (const auto& f : mime_in.fields) {
    if (lower(f.name) == "mime-version") mime_version = true;
    fields.push_back(mime::Field{f.name, f.value});
  }
  if (!mime_version) {
    // §2.1: no MIME-Version: the body is one IA5 text (RFC 2045 §4: fields ignored).
    fields.clear();
  }
  ToX400Run run(options, out);
  if (auto r = run.entity(fields, mime_in.body, options.depth, true, "text/plain; charset=us-ascii", out.body)) return *r;
  out.parts = run.parts();
  if (out.body.empty()) out.body.push_back(ia5_text_part(""));  // a multipart of no parts: an empty text
  detail::add_eits(out.body, out);
  return out;
}

}  // namespace mixer::bodyparts
