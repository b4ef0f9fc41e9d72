// addressing/mapping_common.cpp: gateway identity, the RFC-822 domain-defined
// attributes of RFC 2156 §4.3.2, and the §4.4.1 recursion check.
#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/mapping.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {
const char* kRfc822Types[] = {"RFC-822", "RFC822C1", "RFC822C2", "RFC822C3"};

int rfc822_part(std::string_view type) {
  for (int i = 0; i < 4; ++i)
    if (iequals(type, kRfc822Types[i])) return i;
  return -1;
}
}  // namespace

Result<GatewayIdentity> make_gateway_identity(std::string_view or_text, std::string_view domain,
                                              std::string_view mta_name, std::string_view country,
                                              std::string_view admd, std::string_view prmd) {
  GatewayIdentity g;
  StdOrParseOptions o;
  o.label_prefix = true;
  auto a = parse_or_address(or_text, o);
  if (!a) return make_error(a.error().code, a.error().section, "gateway O/R address: " + a.error().message);
  if (auto v = validate_x402(*a); !v) return make_error(v.error().code, v.error().section, "gateway O/R address: " + v.error().message);
  if (!is_domain_syntax(domain))
    return make_error(Errc::syntax, "RFC 2156 §4.2", "gateway domain '" + std::string(domain) + "' is not domain-syntax");
  if (mta_name.empty() || mta_name.size() > ub::mta_name)
    return make_error(Errc::upper_bound, "X.411 MTAName", "MTA name must have 1..32 characters");
  g.or_address = std::move(*a);
  g.domain = std::string(domain);
  g.mta_name = std::string(mta_name);
  g.global_domain = global_domain_of(g.or_address);
  g.global_domain.prmd = Text{};
  if (!country.empty()) {
    g.global_domain.country = Text::of(std::string(country));
    g.global_domain.country.numeric = is_all_digits(country);
    g.global_domain.admd = Text::of(admd.empty() ? std::string(" ") : std::string(admd));
    g.global_domain.admd.numeric = is_all_digits(admd);
    if (!prmd.empty()) {
      g.global_domain.prmd = Text::of(std::string(prmd));
      g.global_domain.prmd.numeric = is_all_digits(prmd);
    }
  } else {
    g.global_domain.prmd = g.or_address.prmd;
  }
  OrAddress gdi;
  gdi.country = g.global_domain.country;
  gdi.admd = g.global_domain.admd;
  gdi.prmd = g.global_domain.prmd;
  if (auto v = validate_x411(gdi); !v) return make_error(v.error().code, v.error().section, "global domain identifier: " + v.error().message);
  g.local_domains.push_back(g.domain);
  return g;
}

Result<std::vector<DomainDefinedAttribute>> rfc822_ddas(std::string_view ps) {
  if (ps.size() > 4 * ub::dda_value)
    return make_error(Errc::too_long, "RFC 2156 §4.3.2",
                      "the encoded RFC 822 address has " + std::to_string(ps.size()) + " characters; at most 512 fit in RFC-822 and RFC822C1..C3");
  if (ps.empty()) return make_error(Errc::syntax, "RFC 2156 §4.3.2", "empty RFC 822 address");
  std::vector<DomainDefinedAttribute> out;
  for (std::size_t i = 0; i * ub::dda_value < ps.size(); ++i)
    out.push_back({kRfc822Types[i], std::string(ps.substr(i * ub::dda_value, ub::dda_value)), DdaForm::printable});
  return out;
}

namespace detail {

std::optional<Error> append_rfc822_ddas(std::string&& ps, std::vector<DomainDefinedAttribute>& out) {
  if (ps.size() > 4 * ub::dda_value || ps.empty()) return rfc822_ddas(ps).error();
  if (ps.size() <= ub::dda_value) {
    out.push_back({kRfc822Types[0], std::move(ps), DdaForm::printable});
    return std::nullopt;
  }
  for (std::size_t i = 0; i * ub::dda_value < ps.size(); ++i)
    out.push_back({kRfc822Types[i], ps.substr(i * ub::dda_value, ub::dda_value), DdaForm::printable});
  return std::nullopt;
}

}  // namespace detail

Result<std::optional<std::string>> rfc822_from_ddas(const OrAddress& a) {
  // parts[form][index]: printable (0) and teletex (1) groups.
  std::optional<std::string> parts[2][4];
  for (const auto& d : a.ddas) {
    const int i = rfc822_part(d.type);
    if (i < 0) continue;
    const int form = d.form == DdaForm::printable ? 0 : d.form == DdaForm::teletex ? 1 : -1;
    if (form < 0) return make_error(Errc::conflict, "RFC 2156 §4.3.2", "RFC-822 domain-defined attribute in a universal string");
    if (parts[form][i])
      return make_error(Errc::conflict, "RFC 2156 §4.3.5", std::string("more than one ") + kRfc822Types[i] + " domain-defined attribute");
    parts[form][i] = d.value;
  }
  std::optional<std::string> result[2];
  for (int f = 0; f < 2; ++f) {
    if (!parts[f][0]) {
      for (int i = 1; i < 4; ++i)
        if (parts[f][i]) return make_error(Errc::conflict, "RFC 2156 §4.3.2", std::string(kRfc822Types[i]) + " without RFC-822");
      continue;
    }
    std::string joined;
    for (int i = 0; i < 4; ++i) {
      if (!parts[f][i]) {
        for (int k = i + 1; k < 4; ++k)
          if (parts[f][k]) return make_error(Errc::conflict, "RFC 2156 §4.3.2", std::string(kRfc822Types[k]) + " without " + kRfc822Types[i]);
        break;
      }
      joined += *parts[f][i];
    }
    // Teletex values with only printable characters read as printable ones;
    // otherwise the PrintableString decoding is not applied (§4.3.2).
    result[f] = (f == 0 || is_printable_string(joined)) ? ps_decode(joined) : joined;
  }
  if (result[0] && result[1] && *result[0] != *result[1])
    return make_error(Errc::conflict, "RFC 2156 §4.3.2", "printable and teletex RFC-822 attributes name different addresses");
  if (result[0]) return std::optional<std::string>(result[0]);
  return std::optional<std::string>(result[1]);
}

std::optional<X400Mapping> recursive_x400(const OrAddress& a, const MappingContext& ctx) {
  auto r = rfc822_from_ddas(a);
  if (!r || !*r) return std::nullopt;
  auto parsed = parse_rfc822_address(**r);
  if (!parsed || !parsed->route.empty()) return std::nullopt;
  auto back = map_rfc822_to_x400(*parsed, AddressRole::smtp_recipient, ctx);
  if (!back || back->encapsulated) return std::nullopt;
  bool ours = !back->explanation.source.empty();
  for (const auto& d : ctx.gateway.local_domains) ours = ours || iequals(d, parsed->domain);
  if (!ours) return std::nullopt;
  back->explanation.steps.insert(back->explanation.steps.begin(),
                                 {"RFC 2156 §4.4.1", "RFC-822 attribute '" + **r + "' maps back to X.400 at this gateway: no conversion", ""});
  back->explanation.rule = "§4.4.1 recursive mapping";
  return std::move(*back);
}

}  // namespace mixer::addressing
