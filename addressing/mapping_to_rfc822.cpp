// addressing/mapping_to_rfc822.cpp: RFC 2156 §4.3.5, X.400 -> RFC 822.
#include "addressing/charset.hpp"
#include "addressing/dmn_or.hpp"
#include "addressing/mapping.hpp"
#include "addressing/personal_name.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {

const std::string kA = "RFC 2156 §4.3.5 mapping A";
const std::string kB = "RFC 2156 §4.3.5 mapping B";
// What parse_rfc822_address() accepts by default: the mapping never
// produces an address the other direction would refuse to read.
constexpr std::size_t kMaxAddress = 4096;

// The component of hierarchy level `level`, or nullptr when absent.
const Text* level_text(const OrAddress& a, std::size_t level) {
  switch (level) {
    case 0: return a.country.present() ? &a.country : nullptr;
    case 1: return a.admd.present() ? &a.admd : nullptr;
    case 2: return a.prmd.present() ? &a.prmd : nullptr;
    case 3: return a.organization.present() ? &a.organization : nullptr;
    default: {
      const std::size_t i = level - 4;
      return i < a.organizational_units.size() ? &a.organizational_units[i] : nullptr;
    }
  }
}

// The address without hierarchy levels [0, levels) (OUs beyond kept).
OrAddress without_levels(const OrAddress& a, std::size_t levels) {
  OrAddress r = a;
  if (levels > 0) r.country = Text{};
  if (levels > 1) r.admd = Text{};
  if (levels > 2) r.prmd = Text{};
  if (levels > 3) r.organization = Text{};
  if (levels > 4) {
    const std::size_t n = std::min(levels - 4, r.organizational_units.size());
    r.organizational_units.erase(r.organizational_units.begin(), r.organizational_units.begin() + static_cast<long>(n));
  }
  return r;
}

// A component may become a subdomain if it is printable only and domain-syntax (step 4).
std::optional<std::string> as_label(const Text& t) {
  if (!t.printable || t.universal || (t.teletex && *t.teletex != *t.printable)) return std::nullopt;
  if (!is_domain_label(*t.printable)) return std::nullopt;
  return *t.printable;
}

Result<std::string> local_part_for(const OrAddress& lhs, bool mnemonic, Explanation& ex) {
  OrAddress pn_only;
  pn_only.personal_name = lhs.personal_name;
  if (mnemonic && lhs == pn_only && encoded_pn_reversible(lhs.personal_name)) {
    ex.add("RFC 2156 §4.1.2", "remaining attributes are a personal name: encoded-pn");
    return format_encoded_pn(lhs.personal_name);
  }
  auto s = format_std_or(lhs);
  if (!s) return s.error();
  ex.add("RFC 2156 §4.3.5 step 5", "remaining attributes as std-or-address");
  return *s;
}

}  // namespace

Result<Rfc822Mapping> map_x400_to_rfc822(const OrAddress& a, AddressRole role, const MappingContext& ctx) {
  Rfc822Mapping out;
  Explanation& ex = out.explanation;
  (void)role;
  // Mapping A: a single RFC-822 domain-defined attribute.
  auto encapsulated = rfc822_from_ddas(a);
  if (!encapsulated) return encapsulated.error();
  if (*encapsulated) {
    const std::string& text = **encapsulated;
    auto parsed = parse_rfc822_address(text);
    if (!parsed)
      return make_error(Errc::syntax, kA, "RFC-822 attribute '" + text + "' is not an RFC 822 address: " + parsed.error().message);
    ex.add(kA, "RFC-822 attribute decoded (§3.4); other attributes dropped");
    ex.rule = "§4.3.5 mapping A (RFC-822 attribute)";
    out.address = text;
    return out;
  }
  // Mapping B.
  if (a.empty()) return make_error(Errc::not_x400_address, kB, "empty O/R address");
  const bool mnemonic = only_mnemonic_attributes(a);
  const OrPrefix prefix = prefix_of(a);
  std::string domain;
  std::size_t consumed = 0;  // hierarchy levels expressed by the domain
  bool mcgam = false;
  if (prefix.values[0]) {
    if (const auto hit = ctx.tables->match_or(TableKind::table2, prefix)) {
      domain = std::string(hit->value);
      consumed = hit->depth;
      mcgam = true;
      ex.add(kB + " step 3", "MCGAM " + std::to_string(hit->depth) + " level(s) -> '" + domain + "'", hit->location());
      ex.source = hit->location();
      ex.rule = "§4.3.5 mapping B (MCGAM)";
    } else if (const auto gw = ctx.tables->match_or(TableKind::gateway_domain, prefix)) {
      domain = std::string(gw->value);
      consumed = gw->depth;
      ex.add(kB + " step 3", "preferred gateway domain '" + domain + "' (Appendix F §8)", gw->location());
      ex.source = gw->location();
      ex.rule = "§4.3.5 mapping B (preferred gateway domain)";
    }
  }
  if (domain.empty()) {
    domain = ctx.gateway.domain;
    ex.add(kB + " step 3", "no MCGAM: the local gateway's domain '" + domain + "'");
    ex.rule = "§4.3.5 mapping B (std-or at the local gateway)";
  }
  if (!mnemonic) {
    // Step 5: attributes outside the mnemonic form: everything on the LHS.
    auto s = format_std_or(a);
    if (!s) return make_error(s.error().code, s.error().section, "cannot write the O/R address as text: " + s.error().message);
    ex.add(kB + " step 5", "attributes outside the mnemonic form: the whole address in the local-part");
    out.address = format_addr_spec(*s, domain);
    if (out.address.size() > kMaxAddress)
      return make_error(Errc::limit, kB, "the RFC 822 form would be longer than " + std::to_string(kMaxAddress) + " octets");
    return out;
  }
  // Step 4: allocate subdomains below an MCGAM prefix.
  std::size_t level = consumed;
  if (mcgam) {
    std::string allocated;
    for (; level < kLevels; ++level) {
      const Text* t = level_text(a, level);
      if (!t) break;  // omitted below the prefix: the rest goes on the LHS
      const auto label = as_label(*t);
      if (!label) break;
      if (without_levels(a, level + 1).empty()) break;  // the local-part cannot be null
      domain = *label + "." + domain;
      allocated += std::string(allocated.empty() ? "" : ", ") + level_key(level) + "=" + *label;
    }
    if (!allocated.empty()) ex.add(kB + " step 4", "subdomains from " + allocated);
  }
  OrAddress lhs = without_levels(a, level);
  if (lhs.empty()) {
    // The prefix covers the whole address: no local-part is left.
    ex.add(kB + " step 4", "no attribute left for the local-part: the local gateway's domain is used");
    domain = ctx.gateway.domain;
    lhs = a;
    ex.source.clear();
    ex.rule = "§4.3.5 mapping B (std-or at the local gateway)";
  }
  auto local = local_part_for(lhs, mnemonic, ex);
  if (!local) return make_error(local.error().code, local.error().section, "cannot write the O/R address as text: " + local.error().message);
  out.address = format_addr_spec(*local, domain);
  if (out.address.size() > kMaxAddress)
    return make_error(Errc::limit, kB, "the RFC 822 form would be longer than " + std::to_string(kMaxAddress) + " octets");
  return out;
}

}  // namespace mixer::addressing
