// mapping/to_x400_fields.cpp: the header fields of an Internet message
// sorted as RFC 2156 §5.1.3 and §5.1.7 say (the Plan of to_x400.hpp): the
// IPM heading (addresses by §4.7.1, identifiers by §4.7.3, text by §3.5),
// the extended fields back to their X.400 elements, the MIME fields for
// the body, trace; everything else, and every field that does not parse,
// carried in the rfc-822-field extension, never dropped. Trusts nothing.
#include <algorithm>
#include <iterator>

#include "addressing/message_id.hpp"
#include "addressing/rfc822_mailbox.hpp"
#include "addressing/std_or.hpp"
#include "imf/encoded_word.hpp"
#include "imf/tokens.hpp"
#include "mapping/extensions.hpp"
#include "mapping/refusals.hpp"
#include "mapping/syntax.hpp"
#include "mapping/text.hpp"
#include "mapping/to_x400.hpp"

namespace mixer::mapping::x400_out {

namespace mts = p1::mts;
namespace ipms = p1::ipms;

namespace {

constexpr const char* s5_1_3 = "RFC 2156 \xC2\xA7" "5.1.3";
constexpr const char* s5_1_7 = "RFC 2156 \xC2\xA7" "5.1.7";
constexpr std::size_t ub_free_form_name = 64, ub_subject = 128, ub_ipm_identifier = 64, ub_mta_name = 32;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;  // ASCII: header names, keywords
  return out;
}

imf::Limits limits_of(const Context& ctx) {
  imf::Limits l;
  l.max_header_size = ctx.policy->limits.max_header_size;
  l.max_fields = ctx.policy->limits.max_header_fields;
  l.max_field_size = ctx.policy->limits.max_field_length + 1024;  // the name and folds
  l.max_value_size = ctx.policy->limits.max_field_length;
  return l;
}

// The free-form name of §4.7.1 step 2: the phrase of a phrase route-addr, then the comments.
std::string free_form_of(const addressing::Rfc822Mailbox& m) {
  std::string ffn = m.angle ? m.phrase : "";
  for (const auto& c : m.comments) ffn += (ffn.empty() ? "" : " ") + c;
  return ffn;
}

// A new descriptor at the end of a list of descriptors, or of recipient specifiers
// (To, Cc, Bcc): built in its place, not moved there (an O/R address is 3 KB).
ipms::OrDescriptor& new_descriptor(std::vector<ipms::OrDescriptor>& v) { return v.emplace_back(); }
ipms::OrDescriptor& new_descriptor(std::vector<ipms::RecipientSpecifier>& v) { return v.emplace_back().recipient; }

// One header address (mailbox or group) -> ORDescriptors (§4.7.1).
template <class List>
bool descriptors_of(const addressing::Rfc822HeaderAddress& a, const Context& ctx, Plan& plan, List& out) {
  auto t61 = [&](const std::string& text) {
    auto t = teletex_of_header_text(text, false, ub_free_form_name);
    if (t.truncated) plan.lost("a free-form name was cut to ub-free-form-name (64)", s5_1_3);
    return t.t61;
  };
  if (a.group) {
    ipms::OrDescriptor& g = new_descriptor(out);
    if (!a.group_phrase.empty()) g.free_form_name = t61(a.group_phrase);
  }
  bool all = true;
  for (const auto& m : a.mailboxes) {
    addressing::Rfc822Address spec = m.address;
    spec.route.clear();  // §4.7.1 step 1
    auto x = addressing::map_rfc822_to_x400(spec, addressing::AddressRole::ipms, *ctx.addressing, ctx.null_attributes);
    if (!x) {
      plan.lost("the address " + addressing::format_rfc822_address(spec) + " does not map (" + x.error().text() + ")",
                "RFC 2156 \xC2\xA7" "4.7.1");
      all = false;
      continue;
    }
    ipms::OrDescriptor& d = new_descriptor(out);
    d.formal_name.emplace().address = std::move(x->address);
    const std::string ffn = free_form_of(m);
    if (!ffn.empty()) d.free_form_name = t61(ffn);
  }
  return all;
}

// An address list field -> descriptors; false when any part did not map (the field is then also carried).
template <class List>
bool address_list(const imf::Field& f, const Context& ctx, Plan& plan, List& out) {
  const std::string value = imf::unfold(f.value);
  auto list = addressing::parse_address_list(value, ctx.policy->limits.max_field_length,
                                             ctx.policy->limits.max_recipients);
  if (!list) {
    plan.lost(std::string(f.name) + ": does not parse as an address list (" + list.error().text() +
                  "): carried in the rfc-822-field extension",
              s5_1_3);
    return false;
  }
  std::size_t n = out.size();
  for (const auto& a : *list) n += a.group + a.mailboxes.size();
  out.reserve(n);  // no O/R address moved by a regrowth
  bool all = true;
  for (const auto& a : *list) all = descriptors_of(a, ctx, plan, out) && all;
  return all;
}

// §4.7.3.3 / §4.7.3.5: msg-ids (and phrases) of In-Reply-To, References, Supersedes.
bool ipm_ids(const imf::Field& f, const Context& ctx, Plan& plan, std::vector<ipms::IpmIdentifier>& out,
             bool& truncated) {
  // Unfolded first: a fold inside a quoted local part (§4.7.3.2) is not part of the id.
  const std::string value = imf::unfold(f.value);
  auto items = imf::parse_msg_id_list(value, limits_of(ctx));
  if (!items) return false;
  out.reserve(out.size() + items->size());  // no regrowth moving their O/R addresses
  for (const auto& it : *items) {
    if (it.kind == imf::MsgIdItem::Kind::invalid) return false;
    // §4.7.3.5: a phrase is a value too, its text the user-relative-identifier.
    auto id = it.kind == imf::MsgIdItem::Kind::phrase
                  ? addressing::phrase_to_ipm_identifier(it.raw)
                  : addressing::msg_id_to_ipm_identifier(it.id, ctx.addressing->heuristics);
    if (!id) return false;
    ipms::IpmIdentifier& x = out.emplace_back();  // built in its place (moved, not copied, into it)
    if (id->user) x.user.emplace().address = std::move(*id->user);
    x.user_relative_identifier = std::move(id->user_relative_identifier);
    if (x.user_relative_identifier.size() > ub_ipm_identifier) {
      x.user_relative_identifier.resize(ub_ipm_identifier);
      truncated = true;
    }
  }
  return true;
}

std::optional<imf::DateTime> date_value(std::string_view v, const Context& ctx) {
  auto d = imf::parse_date_time(v, limits_of(ctx));
  if (!d) return std::nullopt;
  return d->value;
}

// Received: "... by DOMAIN ...; date-time": the by-domain and the date (§5.1.6).
TraceField received_of(const imf::Field& f, const Context& ctx) {
  TraceField t;
  const std::string v = imf::unfold(f.value);
  const std::size_t semi = v.rfind(';');
  if (semi != std::string::npos) t.date = date_value(std::string_view(v).substr(semi + 1), ctx);
  std::string_view tokens = std::string_view(v).substr(0, semi == std::string::npos ? v.size() : semi);
  const imf::Limits limits = limits_of(ctx);  // the Lexer keeps a reference: not a temporary
  imf::Lexer lex(tokens, limits, true);
  bool next_is_by = false;
  for (int n = 0; n < 64; ++n) {
    auto tok = lex.next();
    if (!tok || tok->kind == imf::Token::Kind::end) break;
    if (next_is_by && tok->kind == imf::Token::Kind::atom) {
      // RFC 5321 §4.4: the by-domain is an ASCII Domain; anything else names no MTA
      // (an internal trace mta-name is an IA5String, X.411).
      bool domain = true;
      for (unsigned char c : tok->text) domain = domain && (std::isalnum(c) || c == '-' || c == '.') && c < 128;
      if (domain) t.by = std::string(tok->text);
      next_is_by = false;
    } else {
      next_is_by = tok->kind == imf::Token::Kind::atom && syntax::iequals(tok->text, "by");
    }
  }
  t.mixer_conversion = v.find("MIXER Conversion") != std::string::npos || v.find("MIXER conversion") != std::string::npos;
  return t;
}

}  // namespace

std::string carried_text(const imf::Field& f) {
  std::string value = imf::unfold(f.value);
  if (!f.is_field()) return ascii_of_8bit("X-MIXER-Unparsed: " + value);
  return ascii_of_8bit(std::string(f.name) + ": " + value);
}

std::optional<base::Refusal> plan_fields(const imf::Message& msg, const Context& ctx, Plan& plan) {
  auto& h = plan.heading;
  const auto& policy = ctx.policy->to_x400;
  std::vector<ipms::OrDescriptor> from, sender, reply_to;
  std::vector<ipms::RecipientSpecifier> to, cc, bcc;
  std::vector<ipms::IpmIdentifier> in_reply_to, references, obsoleted;
  std::vector<std::string> languages;
  std::optional<std::int64_t> auto_submitted;
  bool incomplete_copy = false;
  bool resent_date = false;  // §5.1.6: the most recent (topmost) Resent-Date stands for Date
  auto carry = [&](const imf::Field& f) { plan.carried.push_back(carried_text(f)); };
  auto eighty_eight = [&](const imf::Field& f) { plan.eighty_eight.push_back(carried_text(f)); };

  for (const auto& f : msg.fields) {
    if (!f.is_field()) {
      plan.lost("line " + std::to_string(f.line) + " of the header is not a field: carried as X-MIXER-Unparsed",
                "RFC 5322 \xC2\xA7" "2.2");
      carry(f);
      continue;
    }
    const std::string value = imf::unfold(f.value);
    if (value.size() > ctx.policy->limits.max_field_length)
      return refuse::too_large("mapping.limits.max_field_length",
                               std::string(f.name) + ": a field longer than " +
                                   std::to_string(ctx.policy->limits.max_field_length) + " octets unfolded");
    const std::string lowered = lower(f.name);
    const std::string_view name = lowered;  // compared with literals below: no strlen each time
    auto bad = [&](const char* what) {
      plan.lost(std::string(f.name) + ": " + what + ": carried in the rfc-822-field extension", s5_1_3);
      carry(f);
    };
    if (name == "date") {
      if (auto d = date_value(value, ctx)) {
        if (!resent_date) plan.date = d;
      } else {
        bad("not a date-time");
      }
      plan.correlator_fields.push_back("Date: " + value);
    } else if (name == "resent-date") {
      carry(f);  // Resent-* are heading extension fields (§5.1.3)
      if (auto d = date_value(value, ctx); d && !resent_date) {  // the topmost is the most recent
        plan.date = d;
        resent_date = true;
      }
      plan.resent = true;
    } else if (name.starts_with("resent-")) {
      carry(f);
      plan.resent = true;
    } else if (name == "received") {
      plan.trace.push_back(received_of(f, ctx));
    } else if (name == "x400-received") {
      auto e = parse_x400_trace(f.value, limits_of(ctx));
      if (!e) {
        bad("not an x400-trace");
        continue;
      }
      TraceField t;
      t.x400 = true;
      t.entry = std::move(*e);
      plan.trace.push_back(std::move(t));
    } else if (name == "message-id") {
      plan.message_id = value;
      plan.correlator_fields.push_back("Message-ID: " + value);
      auto items = imf::parse_msg_id_list(value, limits_of(ctx));  // unfolded (§4.7.3.2's quoted form may fold)
      std::optional<addressing::IpmIdentifier> id;
      if (items && items->size() == 1 && items->front().kind != imf::MsgIdItem::Kind::invalid &&
          items->front().kind != imf::MsgIdItem::Kind::phrase) {
        auto r = addressing::msg_id_to_ipm_identifier(items->front().id, ctx.addressing->heuristics);
        if (r) id = *r;
      }
      if (!id) {
        bad("not a msg-id");
        continue;
      }
      if (id->user) h.this_ipm.user = mts::OrName{*id->user, std::nullopt};
      h.this_ipm.user_relative_identifier = id->user_relative_identifier;
      if (h.this_ipm.user_relative_identifier.size() > ub_ipm_identifier) {
        h.this_ipm.user_relative_identifier.resize(ub_ipm_identifier);
        plan.lost("Message-ID cut to ub-local-ipm-identifier (64); the whole field is carried", s5_1_3);
        carry(f);
      }
    } else if (name == "from") {
      if (!address_list(f, ctx, plan, from)) carry(f);
    } else if (name == "sender") {
      if (!address_list(f, ctx, plan, sender)) carry(f);
    } else if (name == "reply-to") {
      if (!address_list(f, ctx, plan, reply_to)) carry(f);
    } else if (name == "to" || name == "cc" || name == "bcc") {
      if (name == "to") plan.correlator_fields.push_back("To: " + value);
      auto& list = name == "to" ? to : name == "cc" ? cc : bcc;
      const std::size_t before = list.size();
      if (!address_list(f, ctx, plan, list)) carry(f);
      else if (name == "bcc" && list.size() == before) plan.empty_bcc = true;
    } else if (name == "in-reply-to" || name == "references" || name == "supersedes" || name == "obsoletes") {
      auto& list = name == "in-reply-to" ? in_reply_to : name == "references" ? references : obsoleted;
      bool truncated = false;
      if (!ipm_ids(f, ctx, plan, list, truncated)) {
        bad("not a list of msg-ids");
        continue;
      }
      if (truncated) {
        plan.lost(std::string(f.name) + ": an identifier was cut to 64 characters; the whole field is carried", s5_1_3);
        carry(f);
      }
    } else if (name == "subject") {
      plan.correlator_fields.push_back("Subject: " + value);
      auto decoded = imf::decode_unstructured(value, limits_of(ctx));
      plan.subject_utf8 = decoded ? decoded->text : value;
      auto t = teletex_of_header_text(value, false, ub_subject);
      h.subject = t.t61;
      if (t.truncated) {
        plan.lost("Subject cut to ub-subject-field (128); the whole field is carried", s5_1_3);
        carry(f);
      }
    } else if (name == "content-language") {
      // §5.1.3: the first two characters of each value; a header extension too when there is more.
      auto items = imf::split_list(value, ',', limits_of(ctx));
      bool more = !items;
      if (items)
        for (auto it : *items) {
          std::string v(syntax::trim(it));
          if (v.size() < 2 || !std::isalpha(static_cast<unsigned char>(v[0])) ||
              !std::isalpha(static_cast<unsigned char>(v[1]))) {
            more = true;
            continue;
          }
          if (v.size() != 2) more = true;
          languages.push_back(lower(v.substr(0, 2)));
        }
      if (more) carry(f);
      else eighty_eight(f);
    } else if (name == "mime-version" || name.starts_with("content-")) {
      plan.mime.fields.push_back({std::string(f.name), value});
    } else if (name == "expires" || name == "expiry-date" || name == "reply-by") {
      auto d = date_value(value, ctx);
      auto t = d ? utc_time_of(*d) : std::nullopt;
      if (!t) {
        bad("not a date-time in UTCTime's years");
        continue;
      }
      (name == "reply-by" ? h.reply_time : h.expiry_time) = *t;
      if (name == "expiry-date") carry(f);  // RFC 1327's name, kept as written
    } else if (name == "importance" || name == "sensitivity") {
      auto v = name == "importance" ? syntax::parse_importance(value) : syntax::parse_sensitivity(value);
      if (!v) {
        bad(name == "importance" ? "not low, normal or high" : "not Personal, Private or Company-Confidential");
        continue;
      }
      (name == "importance" ? h.importance : h.sensitivity) = *v;
    } else if (name == "autoforwarded") {
      auto v = syntax::parse_boolean(value);
      if (!v) {
        bad("not TRUE or FALSE");
        continue;
      }
      h.auto_forwarded = *v;
    } else if (name == "incomplete-copy") {
      incomplete_copy = true;
      eighty_eight(f);
    } else if (name == "autosubmitted") {
      auto v = syntax::parse_autosubmitted(value);
      if (!v) {
        bad("not an autosubmitted value");
        continue;
      }
      if (*v == 3) h.auto_forwarded = true;
      else auto_submitted = *v;
      eighty_eight(f);
    } else if (name == "auto-submitted") {
      // RFC 3834: auto-replied / auto-generated to the IPM's auto-submitted, auto-forwarded to
      // auto-forwarded; the field itself carried so it comes back as it was.
      std::string token = lower(syntax::trim(value.substr(0, value.find(';'))));
      if (token == "auto-replied") auto_submitted = 2;
      else if (token == "auto-forwarded") h.auto_forwarded = true;
      else if (token != "no" && !token.empty()) auto_submitted = 1;
      carry(f);
    } else if (name == "priority") {
      auto v = syntax::parse_priority(value);
      if (!v) {
        bad("not normal, non-urgent or urgent");
        continue;
      }
      plan.priority = *v;
    } else if (name == "conversion" || name == "conversion-with-loss") {
      auto v = syntax::parse_prohibition(value);
      if (!v) {
        bad("not Prohibited or Allowed");
        continue;
      }
      (name == "conversion" ? plan.conversion_prohibited : plan.conversion_with_loss_prohibited) = *v;
      if (name == "conversion-with-loss") eighty_eight(f);
    } else if (name == "deferred-delivery" || name == "latest-delivery-time") {
      auto d = date_value(value, ctx);
      if (!d || !utc_time_of(*d)) {
        bad("not a date-time in UTCTime's years");
        continue;
      }
      (name == "deferred-delivery" ? plan.deferred_delivery : plan.latest_delivery) = d;
      if (name == "latest-delivery-time") eighty_eight(f);
    } else if (name == "originator-return-address") {
      auto list = addressing::parse_address_list(value);
      std::optional<mts::OrAddress> a;
      if (list && !list->empty() && !list->front().mailboxes.empty()) {
        auto x = addressing::map_rfc822_to_x400(list->front().mailboxes.front().address,
                                                addressing::AddressRole::ipms, *ctx.addressing, ctx.null_attributes);
        if (x) a = std::move(x->address);
      }
      if (!a) {
        bad("not a mailbox that maps to X.400");
        continue;
      }
      plan.originator_return_address = std::move(*a);
      eighty_eight(f);
    } else if (name == "dl-expansion-history") {
      // mailbox ";" date-time ";"
      auto parts = imf::split_list(value, ';', limits_of(ctx));
      std::optional<mts::OrName> dl;
      std::optional<imf::DateTime> when;
      if (parts && parts->size() == 2) {
        auto list = addressing::parse_address_list((*parts)[0]);
        if (list && list->size() == 1 && list->front().mailboxes.size() == 1) {
          auto x = addressing::map_rfc822_to_x400(list->front().mailboxes.front().address,
                                                  addressing::AddressRole::ipms, *ctx.addressing, ctx.null_attributes);
          if (x) dl = mts::OrName{std::move(x->address), std::nullopt};
        }
        when = date_value((*parts)[1], ctx);
      }
      if (!dl || !when || !utc_time_of(*when)) {
        bad("not a mailbox ; date-time ;");
        continue;
      }
      plan.dl_expansions.emplace_back(std::move(*dl), *when);
      eighty_eight(f);
    } else if (name == "x400-content-identifier") {
      plan.content_identifier = syntax::printable_of(value).substr(0, 16);
    } else if (name == "x400-content-correlator") {
      plan.content_correlator = value;
      eighty_eight(f);
    } else if (name == "original-encoded-information-types") {
      auto e = syntax::parse_encoded_info(value);
      if (!e) {
        bad("not an encoded-info");
        continue;
      }
      plan.original_eits = *e;
    } else if (name == "x400-mts-identifier") {
      if (policy.restore_mts_identifier) plan.mts_identifier = value;
      // §5.1.7: not mapped (nor carried: the field describes the X.400 message it came from).
    } else if (name == "x400-content-type" || name == "x400-originator" || name == "x400-recipients" ||
               name == "delivery-date") {
      // §5.1.7: "shall not be mapped" (Delivery-Date: the gateway's delivery time, regenerated);
      // kept for RFC 2157 §6.5 (a forwarded message's delivery-envelope).
      auto& slot = name == "x400-content-type" ? plan.x400_content_type
                   : name == "x400-originator" ? plan.x400_originator
                   : name == "x400-recipients" ? plan.x400_recipients
                                               : plan.delivery_date;
      if (!slot) slot = value;
      plan.delivery_carried.push_back(carried_text(f));
    } else if (name == "discarded-x400-mts-extensions" || name == "message-type" ||
               name == "discarded-x400-ipms-extensions") {
      // §5.1.7: "shall not be mapped".
    } else if (policy.appendix_c &&
               (name == "prevent-nondelivery-report" || name == "generate-delivery-report" ||
                name == "alternate-recipient" || name == "disclose-recipients" || name == "x400-content-return")) {
      // Appendix C.
      if (name == "prevent-nondelivery-report") plan.prevent_ndr = true;
      else if (name == "generate-delivery-report") plan.generate_dr = true;
      else {
        auto v = syntax::parse_prohibition(value);
        if (!v) {
          bad("not Prohibited or Allowed");
          continue;
        }
        (name == "alternate-recipient"   ? plan.alternate_recipient
         : name == "disclose-recipients" ? plan.disclose_recipients
                                         : plan.content_return) = !*v;
      }
    } else {
      // Keywords, Comments, Encrypted, X-* and every other field (§5.1.3 "Other Fields").
      carry(f);
    }
  }

  // Merge (§5.1.3): From is the originator unless Sender is present.
  if (!sender.empty()) {
    h.originator = std::move(sender.front());
    h.authorizing_users = std::move(from);
  } else if (!from.empty()) {
    h.originator = std::move(from.front());
    if (from.size() > 1)
      h.authorizing_users.assign(std::make_move_iterator(from.begin() + 1), std::make_move_iterator(from.end()));
  }
  h.reply_recipients = std::move(reply_to);
  h.primary_recipients = std::move(to);
  h.copy_recipients = std::move(cc);
  // §5.1.3: a Bcc: with no address is a zero-length sequence, or one recipient "BCC" by policy.
  if (!bcc.empty() || plan.empty_bcc) h.blind_copy_recipients = std::move(bcc);
  if (plan.empty_bcc && h.blind_copy_recipients->empty() && policy.empty_bcc == "free-form") {
    ipms::RecipientSpecifier r;
    r.recipient.free_form_name = "BCC";
    h.blind_copy_recipients->push_back(std::move(r));
  }
  // In-Reply-To: one value to replied-to-IPM; several go to related-IPMs with References (§5.1.3).
  if (in_reply_to.size() == 1) {
    h.replied_to_ipm = std::move(in_reply_to.front());
  } else {
    h.related_ipms = std::move(in_reply_to);
  }
  for (auto& r : references) h.related_ipms.push_back(std::move(r));
  h.obsoleted_ipms = std::move(obsoleted);
  // Heading extensions.
  if (incomplete_copy) h.extensions.push_back(ext::make_null(ipms::oid::hex(0)));
  if (!languages.empty()) h.extensions.push_back(ext::make_strings(ipms::oid::hex(1), std::move(languages)));
  if (auto_submitted) h.extensions.push_back(ext::make_number(ipms::oid::hex(2), *auto_submitted));
  (void)s5_1_7;
  (void)ub_mta_name;
  return std::nullopt;
}

namespace {

// The first mailbox of an address-list value as an O/R name (§4.7.1's role ipms), or nullopt.
std::optional<mts::OrName> or_name_of_mailbox(const addressing::Rfc822Mailbox& m, const Context& ctx) {
  auto x = addressing::map_rfc822_to_x400(m.address, addressing::AddressRole::ipms, *ctx.addressing, ctx.null_attributes);
  if (!x) return std::nullopt;
  return mts::OrName{std::move(x->address), std::nullopt};
}

}  // namespace

std::optional<ipms::OtherMessageDeliveryFields> delivery_envelope_of(const Plan& plan, const Context& ctx,
                                                                     std::string& why) {
  if (!plan.x400_originator) {
    why = "no X400-Originator";
    return std::nullopt;
  }
  ipms::OtherMessageDeliveryFields d;
  auto originators = addressing::parse_address_list(*plan.x400_originator, ctx.policy->limits.max_field_length, 1);
  std::optional<mts::OrName> originator;
  if (originators && originators->size() == 1 && originators->front().mailboxes.size() == 1)
    originator = or_name_of_mailbox(originators->front().mailboxes.front(), ctx);
  if (!originator) {
    why = "X400-Originator is not a mailbox that maps to X.400";
    return std::nullopt;
  }
  d.originator_name = std::move(*originator);
  // §4.6.2.2 as mapping/to_rfc822.cpp writes it for a delivery envelope: this recipient first.
  std::vector<mts::OrName> recipients;
  if (plan.x400_recipients) {
    auto list = addressing::parse_address_list(*plan.x400_recipients, ctx.policy->limits.max_field_length,
                                               ctx.policy->limits.max_recipients);
    if (!list) {
      why = "X400-Recipients is not a list of mailboxes";
      return std::nullopt;
    }
    for (const auto& a : *list)
      for (const auto& m : a.mailboxes) {
        auto n = or_name_of_mailbox(m, ctx);
        if (!n) {
          why = "a mailbox of X400-Recipients does not map to X.400";
          return std::nullopt;
        }
        recipients.push_back(std::move(*n));
      }
  }
  if (recipients.empty()) {
    why = "no X400-Recipients (this-recipient-name is required)";
    return std::nullopt;
  }
  d.this_recipient_name = std::move(recipients.front());
  d.other_recipient_names.assign(std::make_move_iterator(recipients.begin() + 1), std::make_move_iterator(recipients.end()));
  // §5.3.6: Date is message-submission-time.
  std::optional<mts::Time> submitted = plan.date ? utc_time_of(*plan.date) : std::nullopt;
  if (!submitted) {
    why = "no Date in UTCTime's years (message-submission-time is required)";
    return std::nullopt;
  }
  d.message_submission_time = *submitted;
  d.content_type = mts::BuiltInContentType{22};  // an IPM (P2-1988) when the field does not say
  if (plan.x400_content_type) {
    auto t = syntax::parse_mts_content_type(*plan.x400_content_type);
    if (t && t->built_in) d.content_type = mts::BuiltInContentType{*t->built_in};
    else if (t && t->extended) d.content_type = mts::ExtendedContentType{*t->extended};
    else plan.lost("X400-Content-Type of a forwarded message is not an mts-content-type: P2-1988 (22) assumed",
                   "RFC 2157 \xC2\xA7" "6.5");
  }
  if (plan.original_eits) {
    mts::EncodedInformationTypes e;
    e.built_in = plan.original_eits->built_in;
    e.extended = plan.original_eits->extended;
    d.original_encoded_information_types = std::move(e);
  }
  d.priority = plan.priority;
  if (plan.conversion_prohibited) {
    p1::ber::BitString flags;
    flags.set(1);  // DeliveryFlags implicit-conversion-prohibited (1)
    d.delivery_flags = flags;
  }
  d.content_identifier = plan.content_identifier;
  if (plan.conversion_with_loss_prohibited)
    d.extensions.push_back(ext::make_number(mts::ext::conversion_with_loss_prohibited, 1));
  if (plan.originator_return_address)
    d.extensions.push_back(ext::make_or_address(mts::ext::originator_return_address, *plan.originator_return_address));
  if (!plan.dl_expansions.empty()) d.extensions.push_back(dl_expansion_history_of(plan));
  // X400-Received (top first) as trace-information, oldest first; internal elements where an MTA is named.
  mts::TraceInformation trace;
  mts::InternalTraceInformation internal;
  for (auto it = plan.trace.rbegin(); it != plan.trace.rend(); ++it) {
    if (!it->x400 || !it->entry) continue;
    if (auto e = trace_element_of(*it->entry)) trace.push_back(std::move(*e));
    if (it->entry->mta)
      if (auto e = internal_trace_element_of(*it->entry)) internal.push_back(std::move(*e));
  }
  if (!trace.empty()) d.extensions.push_back(ext::make_trace(std::move(trace)));
  if (!internal.empty()) d.extensions.push_back(ext::make_internal_trace(std::move(internal)));
  return d;
}

mts::Extension dl_expansion_history_of(const Plan& plan) {
  std::vector<mts::DlExpansion> x;  // X.411 order: oldest first; the header has the most recent first
  for (auto it = plan.dl_expansions.rbegin(); it != plan.dl_expansions.rend(); ++it)
    if (auto t = utc_time_of(it->second)) x.push_back(mts::DlExpansion{it->first, *t});
  return ext::make_expansions(mts::ext::dl_expansion_history, std::move(x));
}

std::optional<mts::Time> delivery_time_of(const Plan& plan, const Context& ctx) {
  if (!plan.delivery_date) return std::nullopt;
  auto d = date_value(*plan.delivery_date, ctx);
  return d ? utc_time_of(*d) : std::nullopt;
}

}  // namespace mixer::mapping::x400_out
