// mapping/ipn_text.cpp: RFC 2156 §5.3.5's text form of an IP notification
// read back into the IPN it was written from (Internet -> X.400), for an
// IPN that crossed another MIXER gateway (or this one with
// mapping.to_rfc822.ipn_format text) and now goes back into X.400.
//
// §5.3.5 writes: From the ipn-originator, References the subject IPM,
// Message-Type "InterPersonal Notification", and the ipn-body-format text
// (in the first part of a multipart/mixed when the IPM is returned). This
// reads that text line by line with its EBNF's literal words; anything
// else refuses, and the caller maps the message as an ordinary one. The
// returned IPM is not carried back (losses say so). Trusts nothing.
#include <algorithm>

#include "addressing/message_id.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "imf/date_time.hpp"
#include "imf/tokens.hpp"
#include "mapping/syntax.hpp"
#include "mapping/to_x400.hpp"
#include "mapping/trace.hpp"

namespace mixer::mapping::x400_out {

namespace mts = p1::mts;
namespace ipms = p1::ipms;
namespace mime = bodyparts::mime;

namespace {

constexpr const char* kRule = "RFC 2156 \xC2\xA7" "5.3.5";
constexpr std::size_t ub_supplementary_info = 256, ub_auto_forward_comment = 256, ub_local_ipm_identifier = 64;
constexpr std::size_t max_lines = 200;

// The addr-spec of a mailbox: within its last "<...>", else the whole text, trimmed.
std::string addr_spec(std::string_view s) {
  const auto lt = s.rfind('<'), gt = s.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) s = s.substr(lt + 1, gt - lt - 1);
  return std::string(syntax::trim(s));
}

std::optional<ipms::OrDescriptor> descriptor_of(std::string_view mailbox, const Context& ctx) {
  auto name = or_name_of_typed("rfc822", addr_spec(mailbox), ctx);
  if (!name) return std::nullopt;
  ipms::OrDescriptor d;
  d.formal_name = std::move(*name);
  return d;
}

// The text/plain the §5.3.5 text is in: the body, or the first part of a multipart/mixed.
std::optional<std::string_view> text_of(const imf::Message& msg) {
  const auto* ct = msg.find("Content-Type");
  const auto type = bodyparts::parse_content_type(ct ? imf::unfold(ct->value) : std::string("text/plain"));
  if (type.type == "text/plain") return msg.body;
  if (type.type != "multipart/mixed" || type.parameter("boundary").empty()) return std::nullopt;
  mime::Limits limits;
  auto parts = mime::split_multipart(msg.body, type.parameter("boundary"), limits);
  if (parts.parts.empty()) return std::nullopt;
  auto first = mime::parse_entity(parts.parts.front(), limits);
  if (!first) return std::nullopt;
  const auto* pct = mime::find(first->fields, "Content-Type");
  if (pct && bodyparts::parse_content_type(pct->value).type != "text/plain") return std::nullopt;
  return first->body;
}

// The §5.3.5 discard-reason words, X.420's values.
std::optional<std::int64_t> discard_reason_of(std::string_view words) {
  for (std::int64_t v = 0; v <= 3; ++v)
    if (syntax::iequals(words, syntax::discard_reason(v))) return v;
  return std::nullopt;
}

}  // namespace

bool is_ipn_text(const imf::Message& msg) {
  const auto* t = msg.find("Message-Type");
  return t && syntax::iequals(syntax::trim(imf::unfold(t->value)), "InterPersonal Notification");
}

std::optional<ipms::Ipn> ipn_of_text(const imf::Message& msg, const Context& ctx, std::vector<Loss>& losses,
                                     std::string& why) {
  ipms::Ipn n;
  // subject-ipm: References (§5.3.5), its first msg-id by §4.7.3.
  bool subject = false;
  const std::string references = msg.find("References") ? imf::unfold(msg.find("References")->value) : std::string();
  if (!references.empty())
    if (auto items = imf::parse_msg_id_list(references, imf::Limits{}))  // items view `references`
      for (const auto& i : *items) {
        if (i.kind != imf::MsgIdItem::Kind::msg_id) continue;
        auto a = addressing::msg_id_to_ipm_identifier(i.raw, ctx.addressing->heuristics);
        if (!a) break;
        if (a->user) n.common.subject_ipm.user = mts::OrName{*a->user, std::nullopt};
        n.common.subject_ipm.user_relative_identifier = a->user_relative_identifier.substr(0, ub_local_ipm_identifier);
        subject = true;
        break;
      }
  if (!subject) return why = "no References msg-id for the subject IPM", std::nullopt;
  // ipn-originator: From (§5.3.5).
  const auto* from = msg.find("From");
  if (from) n.common.ipn_originator = descriptor_of(imf::unfold(from->value), ctx);
  if (!n.common.ipn_originator) losses.push_back({"From: does not map to an O/R name: the IPN has no ipn-originator", kRule});

  auto text = text_of(msg);
  if (!text) return why = "not a text/plain body (or a multipart/mixed starting with one)", std::nullopt;
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text->size() && lines.size() < max_lines;) {
    std::size_t end = text->find('\n', at);
    if (end == std::string_view::npos) end = text->size();
    std::string_view line = text->substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    at = end + 1;
  }
  auto after = [](const std::string& line, std::string_view lead) -> std::optional<std::string> {
    if (line.size() < lead.size() || !syntax::iequals(std::string_view(line).substr(0, lead.size()), lead)) return std::nullopt;
    return std::string(syntax::trim(std::string_view(line).substr(lead.size())));
  };
  std::size_t i = 0;
  while (i < lines.size() && syntax::trim(lines[i]).empty()) ++i;
  std::optional<std::string> preferred;
  if (i < lines.size()) preferred = after(lines[i], "Your message to:");
  if (!preferred) return why = "the text does not start \"Your message to:\"", std::nullopt;
  if (++i >= lines.size()) return why = "nothing after \"Your message to:\"", std::nullopt;
  // ipm-intended-recipient when the preferred recipient is not the IPN's originator.
  if (!from || !syntax::iequals(addr_spec(*preferred), addr_spec(imf::unfold(from->value))))
    n.common.ipm_intended_recipient = descriptor_of(*preferred, ctx);

  auto find = [&](std::string_view lead) -> std::optional<std::pair<std::size_t, std::string>> {
    for (std::size_t k = i; k < lines.size(); ++k)
      if (auto v = after(lines[k], lead)) return std::make_pair(k, *v);
    return std::nullopt;
  };
  if (auto when = after(lines[i], "was received at")) {
    ipms::ReceiptFields r;
    imf::Limits limits;
    auto d = imf::parse_date_time(*when, limits);
    auto t = d ? utc_time_of(d->value) : std::nullopt;
    if (!t) return why = "the receipt time does not read as a date-time", std::nullopt;
    r.receipt_time = *t;
    if (auto mode = find("This notification was generated")) {
      if (syntax::iequals(mode->second, "Automatically")) r.acknowledgment_mode = 1;
      else if (!syntax::iequals(mode->second, "Manually")) return why = "an acknowledgement-mode that is neither", std::nullopt;
    }
    if (auto extra = find("The following extra information was given:"); extra && extra->first + 1 < lines.size())
      if (auto p = syntax::printable_of(syntax::trim(lines[extra->first + 1])).substr(0, ub_supplementary_info); !p.empty())
        r.suppl_receipt_info = p;
    n.fields = std::move(r);
  } else if (after(lines[i], "was automatically forwarded.")) {
    ipms::NonReceiptFields nr;
    nr.non_receipt_reason = 1;
    if (auto c = find("The following comment was made:"))
      nr.auto_forward_comment = syntax::printable_of(c->second).substr(0, ub_auto_forward_comment);
    n.fields = std::move(nr);
  } else if (auto reason = after(lines[i], "was discarded for the following reason:")) {
    ipms::NonReceiptFields nr;
    nr.non_receipt_reason = 0;
    nr.discard_reason = discard_reason_of(*reason);
    if (!nr.discard_reason) return why = "a discard-reason that is none of \xC2\xA7" "5.3.5's", std::nullopt;
    if (find("The Original Message follows:"))
      losses.push_back({"the returned message is not carried back as returned-ipm", kRule});
    n.fields = std::move(nr);
  } else {
    return why = "neither ipn-receipt nor ipn-non-receipt after \"Your message to:\"", std::nullopt;
  }
  if (auto eits = find("The following information types were converted:"))
    if (auto e = syntax::parse_encoded_info(eits->second)) {
      mts::EncodedInformationTypes t;
      t.built_in = e->built_in;
      t.extended = e->extended;
      n.common.conversion_eits = std::move(t);
    }
  return n;
}

}  // namespace mixer::mapping::x400_out
