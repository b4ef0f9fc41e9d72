// addressing/message_id.cpp: RFC 2156 §4.7.3 IPM identifiers, §4.6.3 MTS
// identifiers and the §5.1.6 trace domain.
#include "addressing/message_id.hpp"

#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/explanation.hpp"
#include "addressing/rfc822_address.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {

const std::string k473 = "RFC 2156 §4.7.3";
// A msg-id must fit on a header line (RFC 5322 §2.1.1: 998 characters);
// the same bound on input and output keeps every generated ID readable.
constexpr std::size_t kMaxMsgId = 998;

std::string_view strip_braces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

// id-loc ::= [ printablestring ] "*" [ std-or-address ]
std::optional<IpmIdentifier> parse_id_loc(std::string_view local) {
  const std::size_t star = local.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  const std::string_view ps = local.substr(0, star), rest = local.substr(star + 1);
  if (!is_printable_string(ps)) return std::nullopt;
  IpmIdentifier id;
  id.user_relative_identifier = std::string(ps);
  if (!rest.empty()) {
    if (rest.front() != '/') return std::nullopt;
    StdOrParseOptions o;
    o.semicolons = false;
    auto a = parse_or_address(rest, o);
    if (!a) return std::nullopt;
    id.user = std::move(*a);
  }
  return id;
}

// An addr-spec with no route: what "parses as 822.msg-id" needs.
std::optional<Rfc822Address> as_msg_id(std::string_view inner) {
  auto a = parse_rfc822_address(inner);
  if (!a || !a->route.empty()) return std::nullopt;
  return std::move(*a);
}
bool is_msg_id(std::string_view inner) {
  bool routed = false;
  return detail::is_rfc822_address(inner, routed) && !routed;
}

// Whether the addr-spec parse_rfc822_address() reads from `text` can have
// the domain "MHS": the text, trimmed as that parser trims it, ends "@MHS".
bool may_be_at_mhs(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n')) t.remove_suffix(1);
  if (t.size() >= 2 && t.front() == '<' && t.back() == '>') t = t.substr(1, t.size() - 2);
  return t.size() >= 4 && iequals(t.substr(t.size() - 4), "@MHS");
}

std::string quote_phrase(std::string_view p) {
  bool atoms = !p.empty();
  for (char c : p) atoms = atoms && (is_atext(c) || c == ' ');
  if (atoms && p.front() != ' ' && p.back() != ' ') return std::string(p);
  std::string out = "\"";
  for (char c : p) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<IpmIdentifier> msg_id_to_ipm_identifier(std::string_view msg_id, const Heuristics& h) {
  const std::string_view inner = strip_braces(msg_id);
  if (inner.empty()) return make_error(Errc::syntax, k473, "empty msg-id");
  if (inner.size() + 2 > kMaxMsgId) return make_error(Errc::limit, k473, "msg-id longer than 998 characters");
  // Only an msg-id at MHS (or any, with §4.7.3.6) is read further.
  if (h.rfc987_message_ids || may_be_at_mhs(inner)) {
    if (auto a = as_msg_id(inner)) {
      const bool mhs = iequals(a->domain, "MHS");
      // §4.7.3.3: X.400 generated; §4.7.3.6: RFC 987 generated (other domain).
      if (mhs || h.rfc987_message_ids) {
        if (auto id = parse_id_loc(a->local_part); id && (mhs || id->user)) return std::move(*id);
      }
    }
  }
  auto ps = ps_encode(inner);
  if (!ps) return make_error(ps.error().code, "RFC 2156 §4.7.3.1", "msg-id: " + ps.error().message);
  IpmIdentifier id;
  id.user_relative_identifier = std::move(*ps);
  return id;
}

Result<IpmIdentifier> phrase_to_ipm_identifier(std::string_view phrase) {
  std::string_view p = phrase;
  while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
  while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
  std::string text;
  if (p.size() >= 2 && p.front() == '"' && p.back() == '"') {
    for (std::size_t i = 1; i + 1 < p.size(); ++i) {
      if (p[i] == '\\' && i + 2 < p.size()) ++i;
      text += p[i];
    }
  } else {
    text = std::string(p);
  }
  if (!is_printable_string(text)) {
    auto ps = ps_encode(text);
    if (!ps) return make_error(ps.error().code, "RFC 2156 §4.7.3.5", "phrase: " + ps.error().message);
    text = std::move(*ps);
  }
  IpmIdentifier id;
  id.user_relative_identifier = std::move(text);
  return id;
}

Result<Rfc822MessageId> ipm_identifier_to_msg_id(const IpmIdentifier& id, MsgIdUse use, const Heuristics& h) {
  const std::string& uri = id.user_relative_identifier;
  if (!is_printable_string(uri))
    return make_error(Errc::invalid_value, k473, "user-relative-identifier '" + uri + "' is not a PrintableString");
  if (!id.user) {
    const std::string ascii = ps_decode(uri);
    if (ascii.size() + 2 <= kMaxMsgId && is_msg_id(ascii)) return Rfc822MessageId{"<" + ascii + ">", false};  // §4.7.3.4: RFC 822 generated
    if (use == MsgIdUse::reference) return Rfc822MessageId{quote_phrase(uri), true};  // §4.7.3.5
  } else if (h.rfc987_message_ids && uri == "RFC-822") {
    // §4.7.3.6: an RFC 987 gateway carried the msg-id in the user's RFC-822 attribute.
    if (auto r = rfc822_from_ddas(*id.user); r && *r && is_msg_id(**r)) return Rfc822MessageId{"<" + **r + ">", false};
  }
  std::string local = uri + "*";
  if (id.user) {
    auto s = format_std_or(*id.user);
    if (!s) return make_error(s.error().code, "RFC 2156 §4.7.3.4", "IPM identifier user: " + s.error().message);
    local += *s;
  }
  std::string text = "<" + format_local_part(local) + "@MHS>";
  if (text.size() > kMaxMsgId) return make_error(Errc::limit, "RFC 2156 §4.7.3.4", "msg-id would be longer than 998 characters");
  return Rfc822MessageId{std::move(text), false};
}

Result<MtsIdentifier> msg_id_to_mts_identifier(std::string_view msg_id, const MappingContext& ctx) {
  const std::string_view inner = strip_braces(msg_id);
  std::string local = "<" + std::string(inner) + ">";
  for (char c : local)
    if (static_cast<unsigned char>(c) > 127)
      return make_error(Errc::not_representable, "RFC 2156 §4.6.3", "msg-id is not ASCII (LocalIdentifier is IA5String)");
  MtsIdentifier id;
  id.global_domain = ctx.gateway.global_domain;
  if (auto a = as_msg_id(inner)) {
    // Its global domain only where X.411 takes it as one: a C of 2 or 3 characters (an empty
    // C, carried in O/R addresses by Appendix B, is no CountryName), else the gateway's.
    if (auto m = map_rfc822_to_x400(*a, AddressRole::ipms, ctx)) {
      auto g = global_domain_of(m->address);
      if (g.country.printable && !g.country.printable->empty()) id.global_domain = std::move(g);
    }
  }
  if (local.size() > ub::local_id) local.resize(ub::local_id);
  id.local_identifier = std::move(local);
  return id;
}

Result<std::string> format_mts_msg_id(const MtsIdentifier& id) {
  auto g = format_global_id(id.global_domain);
  if (!g) return g.error();
  return "[" + *g + ";" + id.local_identifier + "]";
}

Result<MtsIdentifier> parse_mts_msg_id(std::string_view text) {
  std::string_view s = strip_braces(text);
  if (s.size() < 2 || s.front() != '[' || s.back() != ']')
    return make_error(Errc::syntax, "RFC 2156 §5.3", "mts-msg-id must be '[' global-id ';' text ']'");
  s = s.substr(1, s.size() - 2);
  const std::size_t semi = s.find(';');
  if (semi == std::string_view::npos) return make_error(Errc::syntax, "RFC 2156 §5.3", "mts-msg-id has no ';'");
  std::string_view gid = s.substr(0, semi);
  while (!gid.empty() && gid.back() == ' ') gid.remove_suffix(1);
  auto g = parse_global_id(gid);
  if (!g) return g.error();
  MtsIdentifier id;
  id.global_domain = std::move(*g);
  id.local_identifier = std::string(s.substr(semi + 1));
  return id;
}

TraceDomain trace_domain_for(std::string_view by, const MappingContext& ctx) {
  using R = detail::ExplanationRecorder;
  TraceDomain t;
  t.mta_name = std::string(by.substr(0, ub::mta_name));
  TableHit hit;
  switch (detail::trace_mcgam(by, ctx, t.global_domain, hit)) {
    case detail::TraceMcgam::found:
      R::add(t.explanation, R::wrapped, "RFC 2156 §5.1.6", "global domain identifier from the MCGAM for '", by, "'",
             &ctx, &hit);
      return t;
    case detail::TraceMcgam::none:
      break;
    case detail::TraceMcgam::unsure: {
      // The mapping of postmaster@by itself, when the MCGAM's attributes
      // were not all taken at stage I.
      Rfc822Address probe;
      probe.local_part = "postmaster";
      probe.domain = std::string(by);
      if (auto m = map_rfc822_to_x400(probe, AddressRole::ipms, ctx);
          m && !m->explanation.source.empty() && m->explanation.rule.find("MCGAM") != std::string::npos) {
        t.global_domain = global_domain_of(m->address);
        t.explanation.add("RFC 2156 §5.1.6", "global domain identifier from the MCGAM for '" + std::string(by) + "'",
                          m->explanation.source);
        return t;
      }
      break;
    }
  }
  t.global_domain = ctx.gateway.global_domain;
  R::add(t.explanation, R::wrapped, "RFC 2156 §5.1.6", "no MCGAM for '", by, "': the gateway's global domain identifier");
  return t;
}

}  // namespace mixer::addressing
