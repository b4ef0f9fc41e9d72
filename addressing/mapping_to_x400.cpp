// addressing/mapping_to_x400.cpp: RFC 2156 §4.3.4, RFC 822 -> X.400.
//
// The O/R address is built once, in place, in the result: stage I writes the
// local-part's attributes there and merges the MCGAM's in; stage II starts it
// afresh. The MCGAM's right side is read as views into the table text and
// only the values that end in the address are copied. Steps are recorded for
// the Explanation and written out only when read (explanation.hpp).
#include <span>

#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/dmn_or.hpp"
#include "addressing/explanation.hpp"
#include "addressing/mapping.hpp"
#include "addressing/personal_name.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {

using R = detail::ExplanationRecorder;

const char* const kS1s1 = "RFC 2156 §4.3.4 stage I step 1";
const char* const kS1s2 = "RFC 2156 §4.3.4 stage I step 2";
const char* const kS1s3 = "RFC 2156 §4.3.4 stage I step 3";
const char* const kS1s4 = "RFC 2156 §4.3.4 stage I step 4";
const char* const kS1s6 = "RFC 2156 §4.3.4 stage I step 6";
const char* const kS1s7 = "RFC 2156 §4.3.4 stage I step 7";
const char* const kS1s8 = "RFC 2156 §4.3.4 stage I step 8";
const char* const kS1s9 = "RFC 2156 §4.3.4 stage I step 9";
const char* const kS2 = "RFC 2156 §4.3.4 stage II";
const char* const kS2s8 = "RFC 2156 §4.3.4 stage II (stage I step 8)";
const char* const kS2s12 = "RFC 2156 §4.3.4 stage II steps 1-2";

// Stage I step 8: the table1 MCGAM for a domain, its levels (views into the
// table text) and the labels allocated below it in the order C, ADMD, PRMD,
// O, OU (views into the domain).
struct Step8 {
  TableHit hit;
  detail::McgamLevels rhs;
  bool complete = true;  // false: an upper bound or the fifth OU stopped allocation
};

// The labels of `domain` left of the part an MCGAM matched (`depth` labels)
// allocated from the right to the levels below the MCGAM's. Returns false
// when an upper bound or the fifth OU stopped allocation (with the label);
// `allocated` gets the labels allocated, in level order, when given.
bool allocate(std::string_view domain, std::size_t depth, detail::McgamLevels& rhs, std::string* allocated,
              std::string_view& stopped_at) {
  std::size_t labels = 1;
  for (char c : domain) labels += c == '.';
  const std::size_t unmatched = labels - depth;
  std::size_t right = domain.size();  // end of the label being allocated
  for (std::size_t d = 0; d < depth && unmatched; ++d) right = domain.rfind('.', right - 1);
  std::size_t level = rhs.depth;
  for (std::size_t k = unmatched; k-- > 0;) {
    const std::size_t left = k == 0 ? 0 : domain.rfind('.', right - 1) + 1;
    const std::string_view label = domain.substr(left, right - left);
    static const std::size_t bounds[] = {3, ub::domain_name, ub::domain_name, ub::organization_name,
                                         ub::organizational_unit_name};
    if (level >= kLevels || label.size() > bounds[std::min<std::size_t>(level, 4)]) {
      stopped_at = label;
      return false;
    }
    rhs.raw[level] = label;
    rhs.present[level] = true;
    if (allocated) R::append_label(*allocated, label);
    rhs.depth = ++level;
    right = left - 1;
  }
  return true;
}

bool step8(std::string_view domain, const MappingContext& ctx, Explanation& ex, const char* section, Step8& s) {
  if (!is_domain_syntax(domain)) {
    R::add(ex, R::wrapped, section, "domain '", domain, "' is not domain-syntax (§4.2): no MCGAM applies");
    return false;
  }
  const auto hit = ctx.tables->match_domain(TableKind::table1, domain);
  if (!hit) {
    R::add(ex, R::wrapped, section, "no table1 MCGAM matches '", domain, "'");
    return false;
  }
  if (!detail::read_mcgam(hit->value, s.rhs)) return false;  // the loader validated it; defensive
  s.hit = *hit;
  const std::size_t first = s.rhs.depth;
  std::string allocated;
  std::string_view stopped_at;
  s.complete = allocate(domain, hit->depth, s.rhs, &allocated, stopped_at);
  if (!s.complete) {
    const std::size_t level = s.rhs.depth;
    ex.add(section, std::string(level >= kLevels ? "a fifth OU" : "upper bound of " + std::string(level_key(level))) +
                        " reached at label '" + std::string(stopped_at) + "'");
  }
  R::add(ex, R::mcgam_x400, section, nullptr, allocated, nullptr, &ctx, &s.hit, hit->depth, first);
  return true;
}

// The attributes of the MCGAM's levels: what prefix_address() makes of them.
void write_levels(OrAddress& a, const detail::McgamLevels& p) {
  if (p.present[0]) detail::set_level_text(a.country, p.raw[0], true);
  if (p.depth > 1 && p.present[1]) detail::set_level_text(a.admd, p.raw[1], true);
  if (p.depth > 2 && p.present[2]) detail::set_level_text(a.prmd, p.raw[2], true);
  if (p.depth > 3 && p.present[3]) detail::set_level_text(a.organization, p.raw[3], false);
  for (std::size_t i = 4; i < p.depth && p.present[i]; ++i)
    detail::set_level_text(a.organizational_units.emplace_back(), p.raw[i], false);
}

// One level of the MCGAM's address written over t (absent: t = Text{}).
void merge_level(Text& t, const detail::McgamLevels& p, std::size_t level, bool numeric_choice) {
  if (level < p.depth && p.present[level]) detail::set_level_text(t, p.raw[level], numeric_choice);
  else if (!detail::is_default(t)) t = Text{};
}

// Stage I step 8 merge, in place: the LHS attributes all used; the RHS ones
// above the highest LHS one (C always from the RHS).
void merge(OrAddress& m, const detail::McgamLevels& rhs) {
  merge_level(m.country, rhs, 0, true);
  if (m.admd.present()) return;
  merge_level(m.admd, rhs, 1, true);
  if (m.prmd.present()) return;
  merge_level(m.prmd, rhs, 2, true);
  if (m.organization.present()) return;
  merge_level(m.organization, rhs, 3, false);
  std::size_t n = 0;
  while (4 + n < rhs.depth && rhs.present[4 + n]) ++n;
  if (!n) return;
  auto& ous = m.organizational_units;
  ous.insert(ous.begin(), n, Text{});
  for (std::size_t i = 0; i < n; ++i) detail::set_level_text(ous[i], rhs.raw[4 + i], false);
}

// Step 3's character set, plus "|" which the §4.1.1 upa-string (PD-ADDRESS
// lines) needs and the step's list omits, and ";" (§4.1.3 input separator).
bool stage1_chars_ok(std::string_view s, bool semicolons) {
  for (char c : s)
    if (!is_ps_char(c) && c != '{' && c != '}' && c != '*' && c != '$' && c != '|' && !(semicolons && c == ';'))
      return false;
  return true;
}

const char* complete_address(OrAddressForm f) {
  switch (f) {
    case OrAddressForm::mnemonic: return "local-part is a complete mnemonic O/R address";
    case OrAddressForm::numeric: return "local-part is a complete numeric O/R address";
    case OrAddressForm::postal: return "local-part is a complete postal O/R address";
    case OrAddressForm::terminal: return "local-part is a complete terminal O/R address";
    case OrAddressForm::invalid: break;
  }
  return "local-part is a complete invalid O/R address";
}

// Stage I steps 2-10 writing into out.address (empty); false sends the
// address to stage II, with out.address to be started afresh.
bool stage1(const Rfc822Address& a, const MappingContext& ctx, X400Mapping& out, Step8& s8, bool& have_s8,
            bool& step8_tried, NullAttributes nulls) {
  Explanation& ex = out.explanation;
  const std::string& local = a.local_part;
  if (local.empty() || local.front() == ' ' || local.back() == ' ' || local.find("  ") != std::string::npos) {
    R::add_text(ex, kS1s2, "local-part has leading, trailing or double spaces");
    return false;
  }
  if (!stage1_chars_ok(local, ctx.heuristics.semicolon_local_part)) {
    R::add_text(ex, kS1s3, "local-part has characters outside PrintableString, '{', '}', '*', '$'");
    return false;
  }
  OrAddress& lhs = out.address;
  bool from_std_or = false;
  if (local.find_first_of("/;") != std::string::npos) {
    StdOrParseOptions o;
    o.inverted_ou_heuristic = ctx.heuristics.inverted_ou_order;
    o.semicolons = ctx.heuristics.semicolon_local_part;
    bool inverted = false;
    if (auto e = detail::parse_std_or_into(local, o, lhs, inverted); !e) {
      from_std_or = true;
      R::add_text(ex, kS1s4,
                  inverted ? "local-part parsed as std-or-address (OU order inverted, §4.3.4.1)"
                           : "local-part parsed as std-or-address");
    } else {
      detail::clear(lhs);
      ex.add(kS1s4, "not std-or-address: " + e->message);
    }
  }
  if (!from_std_or) {
    auto pn = parse_encoded_pn(local);
    if (!pn) {
      R::add_text(ex, kS1s4, "local-part is neither std-or-address nor encoded-pn");
      return false;
    }
    lhs.personal_name = std::move(*pn);
    R::add_text(ex, "RFC 2156 §4.1.2", "local-part parsed as encoded-pn");
  }
  // Appendix B: a null attribute (but ADMD) is not legal in 1988: an RFC 822 address then.
  auto legal_1988 = [&] {
    if (nulls == NullAttributes::kept) return true;
    const auto v = validate_x411_for_1988(lhs);
    if (v) return true;
    ex.add("RFC 2156 Appendix B", "not legal in X.400(1988) (" + v.error().message + "): treated as an RFC 822 address");
    return false;
  };
  if (detail::x402_ok(lhs)) {
    R::add_text(ex, kS1s6, complete_address(classify_form(lhs)));
    return legal_1988();
  }
  if (!only_mnemonic_attributes(lhs)) {
    R::add_text(ex, kS1s7, "attributes cannot form a mnemonic O/R address");
    return false;
  }
  step8_tried = true;
  have_s8 = step8(a.domain, ctx, ex, kS1s8, s8);
  if (!have_s8 || !s8.complete) return false;
  merge(lhs, s8.rhs);
  if (!detail::x402_ok(lhs)) {
    ex.add(kS1s9, validate_x402(lhs).error().message);
    return false;
  }
  return legal_1988();
}

// The O/R address that carries the RFC-822 DDA (stage II, "the rest"), written over `to`.
void stage2_context(std::string_view routed_domain, AddressRole role, const MappingContext& ctx, const Step8* s8,
                    Explanation& ex, OrAddress& to) {
  if (s8) {
    R::add(ex, R::text, kS2, "remainder from the MCGAM of stage I step 8", {}, nullptr, &ctx, &s8->hit);
    R::source(ex, ctx, s8->hit);
    ex.rule = "§4.3.4 stage II (RFC-822 attribute at the MCGAM's O/R address)";
    detail::clear(to);
    write_levels(to, s8->rhs);
    return;
  }
  if (role != AddressRole::smtp_originator) {
    if (const auto hit = ctx.tables->match_domain(TableKind::gateway_or, routed_domain)) {
      if (auto g = dmn_to_or_address(hit->value)) {
        R::add(ex, R::preferred_gateway, kS2, nullptr, routed_domain, nullptr, &ctx, &*hit);
        R::source(ex, ctx, *hit);
        ex.rule = "§4.3.4 stage II (RFC-822 attribute at the preferred gateway, Appendix F §7)";
        to = std::move(*g);
        return;
      }
    }
  }
  R::add_text(ex, kS2,
              role == AddressRole::smtp_originator ? "SMTP return address: the local gateway's O/R address"
                                                   : "no preferred gateway: the local gateway's O/R address");
  ex.rule = "§4.3.4 stage II (RFC-822 attribute at the local gateway)";
  to = ctx.gateway.or_address;
}

// ps_encode(format_routed(route, a)) without writing the text first;
// nullopt when an octet is not ASCII (ps_encode() then says which).
std::optional<std::string> ps_encode_routed(std::span<const std::string> route, const Rfc822Address& a) {
  std::string out;
  out.reserve(a.local_part.size() + a.domain.size() + 8);
  for (std::size_t i = 0; i < route.size(); ++i) {
    out += i ? ",(a)" : "(a)";
    if (!detail::ps_encode_append(out, route[i])) return std::nullopt;
  }
  if (!route.empty()) out += ':';
  const bool plain = detail::is_dot_atom_local(a.local_part);
  if (!detail::ps_encode_append(out, plain ? std::string_view(a.local_part) : format_local_part(a.local_part)))
    return std::nullopt;
  out += "(a)";
  if (!detail::ps_encode_append(out, a.domain)) return std::nullopt;
  return out;
}

// format_rfc822_address() of the address with the route given.
std::string format_routed(std::span<const std::string> route, const Rfc822Address& a) {
  std::string out;
  for (std::size_t i = 0; i < route.size(); ++i) {
    out += i ? ",@" : "@";
    out += route[i];
  }
  if (!route.empty()) out += ':';
  out += format_addr_spec(a.local_part, a.domain);
  return out;
}

std::optional<Error> to_x400(const Rfc822Address& a, AddressRole role, const MappingContext& ctx, NullAttributes nulls,
                             X400Mapping& out) {
  Explanation& ex = out.explanation;
  // Stage I step 1: source routes (the route left is a view of the input's).
  std::span<const std::string> route(a.route);
  if (!route.empty()) {
    if (ctx.heuristics.source_routes == SourceRoutes::strip) {
      R::add_text(ex, kS1s1, "source route removed (RFC 1123 practice)");
      route = {};
    } else if (ctx.heuristics.source_routes == SourceRoutes::strip_local) {
      while (!route.empty()) {
        bool local = false;
        for (const auto& d : ctx.gateway.local_domains) local = local || iequals(d, route.front());
        if (!local) break;
        R::add(ex, R::wrapped, kS1s1, "route domain '", route.front(), "' names this gateway: removed");
        route = route.subspan(1);
      }
    }
  }
  Step8 s8;
  bool have_s8 = false, step8_tried = false;
  std::string_view routed_domain = a.domain;
  if (!route.empty()) {
    routed_domain = route.front();
    R::add(ex, R::wrapped, kS1s1, "not local-part@domain: the address is routed on '", routed_domain, "'");
    have_s8 = step8(routed_domain, ctx, ex, kS1s8, s8);
    step8_tried = true;
  } else if (stage1(a, ctx, out, s8, have_s8, step8_tried, nulls)) {
    if (have_s8) {
      ex.rule = "§4.3.4 stage I (MCGAM)";
      R::source(ex, ctx, s8.hit);
    } else {
      ex.rule = "§4.3.4 stage I (X.400 address encoded in the local-part, §4.3.1)";
    }
    return std::nullopt;
  }
  // Stage II: encapsulate in the RFC-822 domain-defined attribute; the rest
  // of the address comes from stage I step 8 when an MCGAM applies.
  if (!have_s8 && !step8_tried) have_s8 = step8(routed_domain, ctx, ex, kS2s8, s8);
  auto ps = ps_encode_routed(route, a);
  if (!ps) {
    const std::string text822 = format_routed(route, a);
    const auto e = ps_encode(text822).error();
    return make_error(e.code, "RFC 2156 §4.3.4 stage II step 1", "'" + text822 + "': " + e.message);
  }
  if (ps->size() > 4 * ub::dda_value || ps->empty()) return rfc822_ddas(*ps).error();
  R::add(ex, R::wrapped, kS2s12, "RFC-822 attribute '", *ps, "'");
  if (have_s8 && !s8.complete) R::add_text(ex, kS2, "using the attributes derived before the bound was reached");
  OrAddress& result = out.address;
  stage2_context(routed_domain, role, ctx, have_s8 ? &s8 : nullptr, ex, result);
  (void)detail::append_rfc822_ddas(std::move(*ps), result.ddas);  // its refusals were checked above
  if (!detail::x411_ok(result)) {
    const auto v = validate_x411(result);
    return make_error(v.error().code, kS2, "'" + format_routed(route, a) + "' cannot be encapsulated: " + v.error().message);
  }
  if (nulls == NullAttributes::not_legal)
    if (const auto v = validate_x411_for_1988(result); !v)
      return make_error(v.error().code, kS2,
                        "'" + format_routed(route, a) + "' cannot be encapsulated for X.400(1988) (RFC 2156 Appendix B): " +
                            v.error().message);
  out.encapsulated = true;
  return std::nullopt;
}

}  // namespace

namespace detail {

TraceMcgam trace_mcgam(std::string_view by, const MappingContext& ctx, GlobalDomainIdentifier& gdi, TableHit& hit) {
  // The mapping of postmaster@by (what trace_domain_for asks) in the case
  // that decides it: stage I merging the encoded-pn "postmaster" with a
  // complete allocation below the MCGAM into a valid O/R address.
  if (!is_domain_syntax(by)) return TraceMcgam::none;
  const auto h = ctx.tables->match_domain(TableKind::table1, by);
  if (!h) return TraceMcgam::none;
  McgamLevels rhs;
  std::string_view stopped_at;
  if (!read_mcgam(h->value, rhs) || !allocate(by, h->depth, rhs, nullptr, stopped_at)) return TraceMcgam::unsure;
  OrAddress merged;
  merged.personal_name.surname = Text::of("postmaster");
  merge(merged, rhs);
  if (!x402_ok(merged)) return TraceMcgam::unsure;
  gdi.country = std::move(merged.country);
  gdi.admd = std::move(merged.admd);
  gdi.prmd = std::move(merged.prmd);
  hit = *h;
  return TraceMcgam::found;
}

}  // namespace detail

Result<X400Mapping> map_rfc822_to_x400(std::string_view text, AddressRole role, const MappingContext& ctx,
                                       NullAttributes nulls) {
  auto a = parse_rfc822_address(text);
  if (!a) return make_error(a.error().code, a.error().section, "not an RFC 822 address: " + a.error().message);
  return map_rfc822_to_x400(*a, role, ctx, nulls);
}

Result<X400Mapping> map_rfc822_to_x400(const Rfc822Address& in, AddressRole role, const MappingContext& ctx,
                                       NullAttributes nulls) {
  Result<X400Mapping> r{std::in_place};
  if (auto e = to_x400(in, role, ctx, nulls, *r)) r = std::move(*e);
  return r;
}

}  // namespace mixer::addressing
