// addressing/mapping_to_rfc822.cpp: RFC 2156 §4.3.5, X.400 -> RFC 822.
#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/explanation.hpp"
#include "addressing/dmn_or.hpp"
#include "addressing/mapping.hpp"
#include "addressing/personal_name.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {

using R = detail::ExplanationRecorder;

const char* const kA = "RFC 2156 §4.3.5 mapping A";
const char* const kB = "RFC 2156 §4.3.5 mapping B";
const char* const kB3 = "RFC 2156 §4.3.5 mapping B step 3";
const char* const kB4 = "RFC 2156 §4.3.5 mapping B step 4";
const char* const kB5 = "RFC 2156 §4.3.5 mapping B step 5";
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

// A component may become a subdomain if it is printable only and domain-syntax (step 4).
std::optional<std::string_view> as_label(const Text& t) {
  if (!t.printable || t.universal || (t.teletex && *t.teletex != *t.printable)) return std::nullopt;
  if (!is_domain_label(*t.printable)) return std::nullopt;
  return std::string_view(*t.printable);
}

// The local-part for the attributes of `a` outside the hierarchy levels [0, levels).
Result<std::string> local_part_for(const OrAddress& a, std::size_t levels, bool mnemonic, Explanation& ex) {
  if (mnemonic && detail::only_personal_name(a, levels) && encoded_pn_reversible(a.personal_name)) {
    R::add_text(ex, "RFC 2156 §4.1.2", "remaining attributes are a personal name: encoded-pn");
    return format_encoded_pn(a.personal_name);
  }
  auto s = detail::format_std_or_without_levels(a, levels);
  if (!s) return s.error();
  R::add_text(ex, "RFC 2156 §4.3.5 step 5", "remaining attributes as std-or-address");
  return s;
}

std::optional<Error> to_rfc822(const OrAddress& a, const MappingContext& ctx, Rfc822Mapping& out) {
  Explanation& ex = out.explanation;
  // Mapping A: a single RFC-822 domain-defined attribute.
  if (!a.ddas.empty()) {
    auto encapsulated = rfc822_from_ddas(a);
    if (!encapsulated) return encapsulated.error();
    if (*encapsulated) {
      std::string& text = **encapsulated;
      auto parsed = parse_rfc822_address(text);
      if (!parsed)
        return make_error(Errc::syntax, kA, "RFC-822 attribute '" + text + "' is not an RFC 822 address: " + parsed.error().message);
      R::add_text(ex, kA, "RFC-822 attribute decoded (§3.4); other attributes dropped");
      ex.rule = "§4.3.5 mapping A (RFC-822 attribute)";
      out.address = std::move(text);
      return std::nullopt;
    }
  }
  // Mapping B.
  if (a.empty()) return make_error(Errc::not_x400_address, kB, "empty O/R address");
  const bool mnemonic = only_mnemonic_attributes(a);
  std::string_view domain;
  std::size_t consumed = 0;  // hierarchy levels expressed by the domain
  bool mcgam = false;
  detail::OrLookupKey key;
  if (detail::or_lookup_key(a, key)) {
    if (const auto hit = detail::TableAccess::match_or(*ctx.tables, TableKind::table2, key)) {
      domain = hit->value;
      consumed = hit->depth;
      mcgam = true;
      R::add(ex, R::mcgam_822, kB3, nullptr, {}, nullptr, &ctx, &*hit, hit->depth);
      R::source(ex, ctx, *hit);
      ex.rule = "§4.3.5 mapping B (MCGAM)";
    } else if (const auto gw = detail::TableAccess::match_or(*ctx.tables, TableKind::gateway_domain, key)) {
      domain = gw->value;
      consumed = gw->depth;
      R::add(ex, R::wrapped_value, kB3, "preferred gateway domain '", {}, "' (Appendix F §8)", &ctx, &*gw);
      R::source(ex, ctx, *gw);
      ex.rule = "§4.3.5 mapping B (preferred gateway domain)";
    }
  }
  if (domain.empty()) {
    domain = ctx.gateway.domain;
    R::add(ex, R::wrapped, kB3, "no MCGAM: the local gateway's domain '", domain, "'");
    ex.rule = "§4.3.5 mapping B (std-or at the local gateway)";
  }
  if (!mnemonic) {
    // Step 5: attributes outside the mnemonic form: everything on the LHS.
    auto s = format_std_or(a);
    if (!s) return make_error(s.error().code, s.error().section, "cannot write the O/R address as text: " + s.error().message);
    R::add_text(ex, kB5, "attributes outside the mnemonic form: the whole address in the local-part");
    out.address = format_addr_spec(*s, domain);
    if (out.address.size() > kMaxAddress)
      return make_error(Errc::limit, kB, "the RFC 822 form would be longer than " + std::to_string(kMaxAddress) + " octets");
    return std::nullopt;
  }
  // Step 4: allocate subdomains below an MCGAM prefix.
  std::size_t level = consumed;
  std::string_view labels[kLevels];
  std::size_t allocated = 0;
  if (mcgam) {
    for (; level < kLevels; ++level) {
      const Text* t = level_text(a, level);
      if (!t) break;  // omitted below the prefix: the rest goes on the LHS
      const auto label = as_label(*t);
      if (!label) break;
      if (detail::empty_without_levels(a, level + 1)) break;  // the local-part cannot be null
      labels[allocated++] = *label;
    }
    if (allocated) {
      std::string words;
      for (std::size_t i = 0; i < allocated; ++i) R::append_label(words, labels[i]);
      R::add(ex, R::subdomains, kB4, nullptr, words, nullptr, nullptr, nullptr, 0, consumed);
    }
  }
  std::string full_domain;
  if (allocated) {
    // The deepest allocated level is the leftmost label.
    std::size_t size = domain.size();
    for (std::size_t i = 0; i < allocated; ++i) size += labels[i].size() + 1;
    full_domain.reserve(size);
    for (std::size_t i = allocated; i-- > 0;) {
      full_domain += labels[i];
      full_domain += '.';
    }
    full_domain += domain;
    domain = full_domain;
  }
  std::size_t lhs_levels = level;
  if (detail::empty_without_levels(a, lhs_levels)) {
    // The prefix covers the whole address: no local-part is left.
    R::add_text(ex, kB4, "no attribute left for the local-part: the local gateway's domain is used");
    domain = ctx.gateway.domain;
    lhs_levels = 0;
    ex.source.clear();
    ex.rule = "§4.3.5 mapping B (std-or at the local gateway)";
  }
  auto local = local_part_for(a, lhs_levels, mnemonic, ex);
  if (!local) return make_error(local.error().code, local.error().section, "cannot write the O/R address as text: " + local.error().message);
  out.address = format_addr_spec(*local, domain);
  if (out.address.size() > kMaxAddress)
    return make_error(Errc::limit, kB, "the RFC 822 form would be longer than " + std::to_string(kMaxAddress) + " octets");
  return std::nullopt;
}

}  // namespace

Result<Rfc822Mapping> map_x400_to_rfc822(const OrAddress& a, AddressRole role, const MappingContext& ctx) {
  (void)role;
  Result<Rfc822Mapping> r{std::in_place};
  if (auto e = to_rfc822(a, ctx, *r)) r = std::move(*e);
  return r;
}

}  // namespace mixer::addressing
