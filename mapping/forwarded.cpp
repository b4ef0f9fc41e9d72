// mapping/forwarded.cpp: see the header. The forwarded message's MTS
// elements (§6.5): a delivery-envelope is written as the fields §5.3.6 and
// §5.3.7 write for a delivery's envelope (mapping/to_rfc822.cpp's code),
// and those fields (X400-Originator, X400-Recipients, ..., X400-Received)
// in a forwarded message make its delivery-envelope again; delivery-time <->
// Delivery-Date. Without a delivery-envelope, Date and Resent-Date are
// carried in the forwarded heading's rfc-822-field extension (restored on
// the way back) and Received fields are a loss.
#include "mapping/forwarded.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "bodyparts/multipart_heading.hpp"
#include "imf/message.hpp"
#include "mapping/downgrade.hpp"
#include "mapping/extensions.hpp"
#include "mapping/refusals.hpp"
#include "mapping/syntax.hpp"
#include "mapping/to_rfc822.hpp"
#include "mapping/to_x400.hpp"
#include "mapping/trace.hpp"

namespace mixer::mapping {

namespace ipms = p1::ipms;

namespace {

struct ToX400Callback {
  const Context* ctx;
  bodyparts::ToX400Options base;

  base::Expected<bodyparts::ForwardedX400> operator()(std::string_view rfc822, std::size_t depth, std::size_t parts_left,
                                                      const std::vector<bodyparts::WantedX400Conversion>& enclosing) const {
    const auto& limits = ctx->policy->limits;
    auto parsed = parse_within_limits(rfc822, limits, "a forwarded message's header is over a limit: ",
                                      "RFC 2157 \xC2\xA7" "6.5", "the forwarded message does not parse: ");
    if (!parsed) return parsed.error();
    bodyparts::ForwardedX400 out;
    x400_out::Plan plan;
    plan.losses = &out.losses;
    plan.mime.body = parsed->body;
    if (auto r = x400_out::plan_fields(*parsed, *ctx, plan)) return *r;
    // §6.5: "Any mappings that would have been made to the MTS Abstract Service are placed in
    // ...delivery-envelope": from the fields a MIXER gateway wrote for the delivery (§5.3.6),
    // not for an X.400(1984) next hop (P2 (1984)'s delivery envelope is P3's; the fields are carried).
    std::optional<ipms::OtherMessageDeliveryFields> envelope;
    std::string why;
    if (base.extended_allowed) envelope = x400_out::delivery_envelope_of(plan, *ctx, why);
    if (!envelope && plan.x400_originator)
      out.losses.push_back(Loss{"the forwarded message's X400-* fields make no delivery-envelope (" +
                                    (base.extended_allowed ? why : std::string("X.400(1984) next hop")) +
                                    "): carried in the rfc-822-field extension",
                                "RFC 2157 \xC2\xA7" "6.5"});
    // Delivery-Date is the delivery-time (X.420 MessageParameters), 1988 next hops only.
    std::optional<p1::mts::Time> delivery_time;
    if (base.extended_allowed) delivery_time = x400_out::delivery_time_of(plan, *ctx);
    if (!envelope)
      for (const auto& f : plan.delivery_carried)
        if (!delivery_time || !syntax::iequals(f.substr(0, 14), "Delivery-Date:")) plan.carried.push_back(f);
    bool received = false, x400_received = false;
    for (const auto& t : plan.trace) (t.x400 ? x400_received : received) = true;
    if (received || (x400_received && !envelope))
      out.losses.push_back(Loss{envelope ? "the forwarded message's Received fields (its Internet trace)"
                                         : "the forwarded message's Received and X400-Received fields (its MTS trace)",
                                "RFC 2157 \xC2\xA7" "6.5"});
    bodyparts::ToX400Options o = base;
    o.wanted_x400_conversion = wanted_x400_conversion(*parsed, o.user_control);  // its own heading's (§4.1)
    o.enclosing_rules = enclosing;  // §4.1 (2): the enclosing multiparts' "from" rules reach into it
    o.depth = depth;
    o.limits.max_parts = parts_left;
    o.forwarded_to_x400 = *this;
    auto body = bodyparts::to_x400(plan.mime, o);
    if (!body) return std::move(body).error();
    for (auto& l : body->losses) out.losses.push_back(std::move(l));
    for (auto& l : body->requested_losses) out.requested_losses.push_back(std::move(l));
    out.parts = body->parts;
    ipms::Ipm ipm;
    ipm.heading = std::move(plan.heading);
    if (ipm.heading.this_ipm.user_relative_identifier.empty() && !ipm.heading.this_ipm.user) {
      // No Message-ID: this-IPM made from the message's octets (FNV-1a), as §6.6 makes one.
      std::uint64_t h = 1469598103934665603ULL;
      for (unsigned char c : rfc822) h = (h ^ c) * 1099511628211ULL;
      char id[40];
      std::snprintf(id, sizeof id, "mixer-forwarded-%016llx", static_cast<unsigned long long>(h));
      ipm.heading.this_ipm.user_relative_identifier = id;
    }
    ipm.body = std::move(body->body);
    for (auto& e : body->heading_extensions) ipm.heading.extensions.push_back(std::move(e));
    // The Date (and Resent-Date) map to the MTS (§5.1.6 trace), which a forwarded IPM has not:
    // carried in its rfc-822-field extension, restored on the way back (§5.3.4).
    for (const auto& f : parsed->fields) {
      std::string n(f.name);
      for (auto& c : n) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;  // ASCII: header names, keywords
      // With a delivery-envelope the Date is its message-submission-time, written back as Date.
      if ((n == "date" && !envelope) || n == "resent-date") plan.carried.push_back(x400_out::carried_text(f));
    }
    if (!base.extended_allowed) {
      // RFC 2156 Appendix B (RFC 1496: ForwardedIPMessage [9] is P2 (1984)'s): no heading
      // extensions; the fields they would carry in a first "RFC-822-Headers:" IA5 body part.
      if (!body->heading_extensions.empty())  // §6.6's, for a multipart/* other than mixed
        out.losses.push_back(Loss{"the forwarded message's multipart subtype (a heading extension) for the X.400(1984) "
                                  "next hop",
                                  "RFC 2156 Appendix B"});
      std::vector<std::string> lines = plan.carried;
      lines.insert(lines.end(), plan.eighty_eight.begin(), plan.eighty_eight.end());
      downgrade_ipm_1984(ipm, lines, *ctx->addressing, out.losses);
    } else if (!plan.carried.empty()) {
      ipm.heading.extensions.push_back(ext::make_strings(ipms::oid::rfc_822_field_list, plan.carried));
    }
    ipms::MessageBodyPart mb;
    mb.ipm = std::move(ipm);
    mb.parameters.delivery_time = delivery_time;  // Delivery-Date (§6.5)
    if (base.extended_allowed && plan.delivery_date && !delivery_time)
      out.losses.push_back(Loss{"the forwarded message's Delivery-Date is not a date-time in UTCTime's years",
                                "RFC 2157 \xC2\xA7" "6.5"});
    if (envelope) mb.parameters.delivery_envelope = std::move(*envelope);
    out.part.type = std::move(mb);
    return out;
  }
};

struct ToMimeCallback {
  const Context* ctx;
  bodyparts::ToMimeOptions base;

  base::Expected<bodyparts::ForwardedMime> operator()(const ipms::MessageBodyPart& m, std::size_t depth,
                                                      std::size_t parts_left) const {
    bodyparts::ForwardedMime out;
    rfc822_out::Build b{*ctx, HeaderOut{}, out.losses};
    const ipms::Ipm& ipm = *m.ipm;
    auto restored = rfc822_out::restored_fields(ipm.heading, b);
    if (m.parameters.delivery_envelope) {
      // §6.5: "used for the MTS Abstract Service Mappings", as a delivery's envelope (§5.3.6, §5.3.7).
      rfc822_out::write_delivery_envelope(*m.parameters.delivery_envelope, m.parameters.delivery_time, b);
    } else if (m.parameters.delivery_time) {
      if (auto d = rfc822_out::date_of(*m.parameters.delivery_time, b, "delivery-time"))
        b.header.structured("Delivery-Date", *d);
    }
    rfc822_out::map_heading(ipm.heading, b);
    rfc822_out::write_restored(restored, b);
    bodyparts::ToMimeOptions o = base;
    for (auto& w : wanted_mime_conversions(ipm.heading, *ctx, out.losses))  // its own, after the outer ones (§4.2)
      o.wanted_mime_conversions.push_back(std::move(w));
    o.depth = depth;
    o.limits.max_parts = parts_left;
    o.eight_bit = false;  // message/rfc822 in 7bit (RFC 2046 §5.2.1)
    o.multipart_subtype.clear();
    if (auto type = bodyparts::multipart_type(ipm.heading); type && !type->is_a_message)
      o.multipart_subtype = type->subtype;
    o.forwarded_to_mime = *this;
    o.deferred_base64 = true;  // written once, into out.message below
    auto body = bodyparts::to_mime(ipm.body, o);
    if (!body) return std::move(body).error();
    for (auto& l : body->losses) out.losses.push_back(std::move(l));
    for (auto& l : body->requested_losses) out.requested_losses.push_back(std::move(l));
    out.parts = body->parts;
    for (const auto& f : body->entity.fields) b.header.structured(f.name, f.value);
    for (const auto& p : b.header.problems()) b.lost(p, "RFC 5322 \xC2\xA7" "2.1.1");
    out.message = b.header.take();
    out.message.reserve(out.message.size() + 2 + bodyparts::body_size(body->entity));
    out.message += "\r\n";
    bodyparts::append_body(out.message, body->entity);
    return out;
  }
};

}  // namespace

std::vector<std::string> wanted_x400_conversion(const imf::Message& m, bool user_control) {
  std::vector<std::string> out;
  if (!user_control) return out;
  for (const auto& f : m.fields) {
    if (f.name.size() != 22) continue;
    std::string n(f.name);
    for (auto& c : n) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
    if (n == "wanted-x400-conversion") out.emplace_back(f.value);
  }
  return out;
}

std::vector<bodyparts::WantedMimeConversion> wanted_mime_conversions(const ipms::Heading& h, const Context& ctx,
                                                                     std::vector<Loss>& losses) {
  std::vector<bodyparts::WantedMimeConversion> out;
  const auto& bp = ctx.policy->body_parts;
  if (!bp.user_control || bp.wanted_mime_conversions_oid.empty()) return out;
  const auto oid = p1::ber::Oid::parse(bp.wanted_mime_conversions_oid);
  if (!oid) return out;
  for (const auto& e : h.extensions) {
    if (e.type != *oid) continue;
    std::string why = "not an encoded value";
    std::optional<std::vector<bodyparts::WantedMimeConversion>> w;
    if (const auto* v = e.value_as<p1::mts::EncodedValue>())
      w = bodyparts::decode_wanted_mime_conversions(p1::ber::ByteView(v->encoding.data(), v->encoding.size()), why);
    if (!w) {
      losses.push_back(Loss{"a wanted-MIME-conversions heading extension that does not decode (" + why.substr(0, 200) +
                                "): ignored",
                            "RFC 2157 \xC2\xA7" "4.2"});
      continue;
    }
    for (auto& c : *w) out.push_back(std::move(c));
  }
  return out;
}

bool honoured_wanted_mime_conversions(const ipms::IpmsExtension& e, const Context& ctx) {
  const auto& bp = ctx.policy->body_parts;
  if (!bp.user_control || bp.wanted_mime_conversions_oid.empty()) return false;
  const auto oid = p1::ber::Oid::parse(bp.wanted_mime_conversions_oid);
  if (!oid || e.type != *oid) return false;
  const auto* v = e.value_as<p1::mts::EncodedValue>();
  std::string why;
  return v && bodyparts::decode_wanted_mime_conversions(p1::ber::ByteView(v->encoding.data(), v->encoding.size()), why)
                   .has_value();
}

bodyparts::ForwardedToX400 forwarded_to_x400(const Context& ctx, const bodyparts::ToX400Options& base) {
  return ToX400Callback{&ctx, base};
}

bodyparts::ForwardedToMime forwarded_to_mime(const Context& ctx, const bodyparts::ToMimeOptions& base) {
  return ToMimeCallback{&ctx, base};
}

}  // namespace mixer::mapping
