// addressing/mapping_to_x400.cpp: RFC 2156 §4.3.4, RFC 822 -> X.400.
#include "addressing/charset.hpp"
#include "addressing/dmn_or.hpp"
#include "addressing/mapping.hpp"
#include "addressing/personal_name.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {

const std::string kS1 = "RFC 2156 §4.3.4 stage I";
const std::string kS2 = "RFC 2156 §4.3.4 stage II";

// Stage I step 8: the attributes an MCGAM (table1) gives for a domain, with
// the unmatched labels allocated in the order C, ADMD, PRMD, O, OU.
struct Step8 {
  OrAddress rhs;
  bool complete = true;  // false: an upper bound or the fifth OU stopped allocation
  TableHit hit;
};

std::optional<Step8> step8(std::string_view domain, const MappingContext& ctx, Explanation& ex, const std::string& step) {
  if (!is_domain_syntax(domain)) {
    ex.add(step, "domain '" + std::string(domain) + "' is not domain-syntax (§4.2): no MCGAM applies");
    return std::nullopt;
  }
  const auto hit = ctx.tables->match_domain(TableKind::table1, domain);
  if (!hit) {
    ex.add(step, "no table1 MCGAM matches '" + std::string(domain) + "'");
    return std::nullopt;
  }
  auto prefix = parse_mcgam_or(hit->value);
  if (!prefix) return std::nullopt;  // the loader validated it; defensive
  Step8 s;
  s.hit = *hit;
  // Labels left of the matched part, allocated from the right.
  std::vector<std::string_view> labels;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    labels.push_back(domain.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  OrPrefix p = *prefix;
  std::size_t level = p.depth;
  const std::size_t unmatched = labels.size() - hit->depth;
  std::string allocated;
  for (std::size_t k = unmatched; k-- > 0;) {
    static const std::size_t bounds[] = {3, ub::domain_name, ub::domain_name, ub::organization_name,
                                         ub::organizational_unit_name};
    if (level >= kLevels || labels[k].size() > bounds[std::min<std::size_t>(level, 4)]) {
      s.complete = false;
      ex.add(step, std::string(level >= kLevels ? "a fifth OU" : "upper bound of " + std::string(level_key(level))) +
                       " reached at label '" + std::string(labels[k]) + "'");
      break;
    }
    p.values[level] = std::string(labels[k]);
    allocated += std::string(allocated.empty() ? "" : ", ") + level_key(level) + "=" + std::string(labels[k]);
    p.depth = ++level;
  }
  s.rhs = prefix_address(p);
  ex.add(step, "MCGAM '" + std::string(hit->value) + "' matches " + std::to_string(hit->depth) + " label(s)" +
                   (allocated.empty() ? "" : "; subdomains give " + allocated),
         hit->location());
  return s;
}

// Stage I step 8 merge: LHS attributes all used; RHS ones above the highest LHS one.
OrAddress merge(const OrAddress& lhs, const OrAddress& rhs) {
  OrAddress m = lhs;
  m.country = rhs.country;
  if (lhs.admd.present()) return m;
  m.admd = rhs.admd;
  if (lhs.prmd.present()) return m;
  m.prmd = rhs.prmd;
  if (lhs.organization.present()) return m;
  m.organization = rhs.organization;
  m.organizational_units = rhs.organizational_units;
  m.organizational_units.insert(m.organizational_units.end(), lhs.organizational_units.begin(), lhs.organizational_units.end());
  return m;
}

// Step 3's character set, plus "|" which the §4.1.1 upa-string (PD-ADDRESS
// lines) needs and the step's list omits, and ";" (§4.1.3 input separator).
bool stage1_chars_ok(std::string_view s, bool semicolons) {
  for (char c : s)
    if (!is_ps_char(c) && c != '{' && c != '}' && c != '*' && c != '$' && c != '|' && !(semicolons && c == ';'))
      return false;
  return true;
}

// Stage I steps 2-10; nullopt sends the address to stage II.
std::optional<OrAddress> stage1(const Rfc822Address& a, const MappingContext& ctx, Explanation& ex,
                                std::optional<Step8>& s8, bool& step8_tried) {
  const std::string& local = a.local_part;
  if (local.empty() || local.front() == ' ' || local.back() == ' ' || local.find("  ") != std::string::npos) {
    ex.add(kS1 + " step 2", "local-part has leading, trailing or double spaces");
    return std::nullopt;
  }
  if (!stage1_chars_ok(local, ctx.heuristics.semicolon_local_part)) {
    ex.add(kS1 + " step 3", "local-part has characters outside PrintableString, '{', '}', '*', '$'");
    return std::nullopt;
  }
  OrAddress lhs;
  bool from_std_or = false;
  if (local.find_first_of("/;") != std::string::npos) {
    StdOrParseOptions o;
    o.inverted_ou_heuristic = ctx.heuristics.inverted_ou_order;
    o.semicolons = ctx.heuristics.semicolon_local_part;
    if (auto p = parse_std_or(local, o)) {
      lhs = std::move(p->address);
      from_std_or = true;
      ex.add(kS1 + " step 4", "local-part parsed as std-or-address" +
                                  std::string(p->inverted_ou_order ? " (OU order inverted, §4.3.4.1)" : ""));
    } else {
      ex.add(kS1 + " step 4", "not std-or-address: " + p.error().message);
    }
  }
  if (!from_std_or) {
    auto pn = parse_encoded_pn(local);
    if (!pn) {
      ex.add(kS1 + " step 4", "local-part is neither std-or-address nor encoded-pn");
      return std::nullopt;
    }
    lhs.personal_name = *pn;
    ex.add("RFC 2156 §4.1.2", "local-part parsed as encoded-pn");
  }
  if (validate_x402(lhs)) {
    ex.add(kS1 + " step 6", std::string("local-part is a complete ") + form_name(classify_form(lhs)) + " O/R address");
    return lhs;
  }
  if (!only_mnemonic_attributes(lhs)) {
    ex.add(kS1 + " step 7", "attributes cannot form a mnemonic O/R address");
    return std::nullopt;
  }
  s8 = step8(a.domain, ctx, ex, kS1 + " step 8");
  step8_tried = true;
  if (!s8) return std::nullopt;
  if (!s8->complete) return std::nullopt;
  OrAddress merged = merge(lhs, s8->rhs);
  if (auto v = validate_x402(merged); !v) {
    ex.add(kS1 + " step 9", v.error().message);
    return std::nullopt;
  }
  return merged;
}

// The O/R address that carries the RFC-822 DDA (stage II, "the rest").
OrAddress stage2_context(const Rfc822Address& a, std::string_view routed_domain, AddressRole role,
                         const MappingContext& ctx, const std::optional<Step8>& s8, Explanation& ex) {
  if (s8) {
    ex.add(kS2, "remainder from the MCGAM of stage I step 8", s8->hit.location());
    ex.source = s8->hit.location();
    ex.rule = "§4.3.4 stage II (RFC-822 attribute at the MCGAM's O/R address)";
    return s8->rhs;
  }
  if (role != AddressRole::smtp_originator) {
    if (const auto hit = ctx.tables->match_domain(TableKind::gateway_or, routed_domain)) {
      if (auto g = dmn_to_or_address(hit->value)) {
        ex.add(kS2, "preferred gateway for '" + std::string(routed_domain) + "': " + std::string(hit->value), hit->location());
        ex.source = hit->location();
        ex.rule = "§4.3.4 stage II (RFC-822 attribute at the preferred gateway, Appendix F §7)";
        return *g;
      }
    }
  }
  ex.add(kS2, role == AddressRole::smtp_originator ? "SMTP return address: the local gateway's O/R address"
                                                   : "no preferred gateway: the local gateway's O/R address");
  ex.rule = "§4.3.4 stage II (RFC-822 attribute at the local gateway)";
  (void)a;
  return ctx.gateway.or_address;
}

}  // namespace

Result<X400Mapping> map_rfc822_to_x400(std::string_view text, AddressRole role, const MappingContext& ctx) {
  auto a = parse_rfc822_address(text);
  if (!a) return make_error(a.error().code, a.error().section, "not an RFC 822 address: " + a.error().message);
  return map_rfc822_to_x400(*a, role, ctx);
}

Result<X400Mapping> map_rfc822_to_x400(const Rfc822Address& in, AddressRole role, const MappingContext& ctx) {
  X400Mapping out;
  Explanation& ex = out.explanation;
  Rfc822Address a = in;
  // Stage I step 1: source routes.
  if (!a.route.empty()) {
    if (ctx.heuristics.source_routes == SourceRoutes::strip) {
      ex.add(kS1 + " step 1", "source route removed (RFC 1123 practice)");
      a.route.clear();
    } else if (ctx.heuristics.source_routes == SourceRoutes::strip_local) {
      while (!a.route.empty()) {
        bool local = false;
        for (const auto& d : ctx.gateway.local_domains) local = local || iequals(d, a.route.front());
        if (!local) break;
        ex.add(kS1 + " step 1", "route domain '" + a.route.front() + "' names this gateway: removed");
        a.route.erase(a.route.begin());
      }
    }
  }
  std::optional<Step8> s8;
  bool step8_tried = false;
  std::string routed_domain = a.domain;
  if (!a.route.empty()) {
    routed_domain = a.route.front();
    ex.add(kS1 + " step 1", "not local-part@domain: the address is routed on '" + routed_domain + "'");
    s8 = step8(routed_domain, ctx, ex, kS1 + " step 8");
    step8_tried = true;
  } else if (auto x = stage1(a, ctx, ex, s8, step8_tried)) {
    out.address = std::move(*x);
    if (s8) {
      ex.rule = "§4.3.4 stage I (MCGAM)";
      ex.source = s8->hit.location();
    } else {
      ex.rule = "§4.3.4 stage I (X.400 address encoded in the local-part, §4.3.1)";
    }
    return out;
  }
  // Stage II: encapsulate in the RFC-822 domain-defined attribute; the rest
  // of the address comes from stage I step 8 when an MCGAM applies.
  if (!s8 && !step8_tried) s8 = step8(routed_domain, ctx, ex, kS2 + " (stage I step 8)");
  const std::string text822 = format_rfc822_address(a);
  auto ps = ps_encode(text822);
  if (!ps) return make_error(ps.error().code, "RFC 2156 §4.3.4 stage II step 1", "'" + text822 + "': " + ps.error().message);
  auto ddas = rfc822_ddas(*ps);
  if (!ddas) return ddas.error();
  ex.add(kS2 + " steps 1-2", "RFC-822 attribute '" + *ps + "'");
  if (s8 && !s8->complete) ex.add(kS2, "using the attributes derived before the bound was reached");
  OrAddress result = stage2_context(a, routed_domain, role, ctx, s8, ex);
  for (auto& d : *ddas) result.ddas.push_back(std::move(d));
  if (auto v = validate_x411(result); !v)
    return make_error(v.error().code, kS2, "'" + text822 + "' cannot be encapsulated: " + v.error().message);
  out.address = std::move(result);
  out.encapsulated = true;
  return out;
}

}  // namespace mixer::addressing
