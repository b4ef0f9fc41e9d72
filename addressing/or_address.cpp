// addressing/or_address.cpp: X.402 forms and X.411 bounds of an OrAddress.
#include "addressing/or_address.hpp"

#include "addressing/charset.hpp"
#include "addressing/detail.hpp"

namespace mixer::addressing {

namespace {

const std::string kX411 = "X.411 MTSUpperBounds";
const std::string kX402 = "X.402 §18.5";

// The lower bound of the X.400(1984) attributes (the first part of the
// RFC 2156 §4.1.1 key table: C, ADMD, PRMD, X121, T-ID, O, OU, UA-ID, the
// personal name and DD values) in PrintableString or NumericString.
// X.411(1988+) gives them SIZE (1..ub), ADMD alone (0..ub), but RFC 2156
// Appendix B says zero-length attributes come from X.400(1984) systems that
// "rely on them. Therefore, any null attribute shall be encoded using the
// std-or encoding (e.g., /O=/)": so they are carried, not refused (an empty
// C too: Appendix B names no exception; X.411's fixed country sizes hold for
// a non-empty C). Kept at X.411's 1: the 1988 extension attributes, teletex
// and universal forms and DD types, which a 1984 peer cannot send and
// which Appendix B calls "not legal in 1988".
constexpr std::size_t kNull84 = 0;

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

enum class Slots { p, n, pn, pt };  // which string forms an attribute may take

struct Checker {
  std::optional<Error> err;

  void fail(Errc code, const std::string& section, std::string msg) {
    if (!err) err = make_error(code, section, std::move(msg));
  }

  // Most attributes are absent: the test stays inline, the checks do not.
  void text(const Text& t, const char* key, Slots slots, std::size_t lo, std::size_t hi,
            std::size_t universal_hi = 0) {
    if (t.present() && !err) check(t, key, slots, lo, hi, universal_hi);
  }

  [[gnu::noinline]] void check(const Text& t, const char* key, Slots slots, std::size_t lo, std::size_t hi,
                               std::size_t universal_hi) {
    if (t.printable) {
      const std::string& v = *t.printable;
      const bool numeric = slots == Slots::n || (slots == Slots::pn && t.numeric);
      if (slots != Slots::n && slots != Slots::pn && t.numeric)
        fail(Errc::invalid_value, kX411, std::string(key) + " has no NumericString form");
      else if (numeric ? !is_numeric_string(v) : !is_printable_string(v))
        fail(Errc::invalid_value, kX411,
             std::string(key) + " value '" + v + "' is not a " + (numeric ? "NumericString" : "PrintableString"));
      else if (v.size() < lo || v.size() > hi)
        fail(Errc::upper_bound, kX411,
             std::string(key) + " value '" + v + "' has " + std::to_string(v.size()) + " characters (allowed " +
                 std::to_string(lo) + ".." + std::to_string(hi) + ")");
    } else if (slots == Slots::n && !t.teletex && !t.universal) {
      return;
    }
    if (t.teletex) {
      if (slots != Slots::pt)
        fail(Errc::invalid_value, kX411, std::string(key) + " has no TeletexString form");
      else if (t.teletex->size() < std::max<std::size_t>(lo, 1) || t.teletex->size() > hi)
        fail(Errc::upper_bound, kX411, std::string(key) + " teletex value has " + std::to_string(t.teletex->size()) +
                                           " octets (allowed 1.." + std::to_string(hi) + ")");
    }
    if (t.universal) {
      const std::size_t n = utf8_length(t.universal->utf8);
      const std::size_t uhi = universal_hi ? universal_hi : hi;
      if (slots != Slots::pt)
        fail(Errc::invalid_value, kX411, std::string(key) + " has no universal string form");
      else if (n < 1 || n > uhi)
        fail(Errc::upper_bound, kX411, std::string(key) + " universal value has " + std::to_string(n) +
                                           " characters (allowed 1.." + std::to_string(uhi) + ")");
    }
  }
};

bool any_postal(const OrAddress& a) {
  if (!a.postal_network) return false;
  const PostalAndNetworkAttributes& p = *a.postal_network;
  return p.pds_name.present() || p.pd_country.present() || p.postal_code.present() || p.pd_office_name.present() ||
         p.pd_office_number.present() || p.extension_or_address_components.present() ||
         p.pd_personal_name.present() || p.pd_organization_name.present() ||
         p.extension_pd_address_components.present() || p.unformatted_postal_address.has_value() ||
         p.street_address.present() || p.post_office_box_address.present() || p.poste_restante_address.present() ||
         p.unique_postal_name.present() || p.local_postal_attributes.present();
}

bool any_network(const OrAddress& a) {
  if (a.network_address.present()) return true;
  if (!a.postal_network) return false;
  const PostalAndNetworkAttributes& p = *a.postal_network;
  return p.e163_4_number.present() || p.e163_4_sub_address.present() || p.psap_address.present();
}

bool any_mnemonic_below_domain(const OrAddress& a) {
  return a.prmd.present() || a.organization.present() || !a.organizational_units.empty() ||
         a.personal_name.present() || a.common_name.present() || !a.ddas.empty();
}

}  // namespace

// The Text members of the boxed extension attributes 7..22.
template <class P, class F>
void for_each_postal_text(P& p, F&& f) {
  f(p.pds_name), f(p.pd_country), f(p.postal_code), f(p.pd_office_name), f(p.pd_office_number);
  f(p.extension_or_address_components), f(p.pd_personal_name), f(p.pd_organization_name);
  f(p.extension_pd_address_components), f(p.street_address), f(p.post_office_box_address);
  f(p.poste_restante_address), f(p.unique_postal_name), f(p.local_postal_attributes);
  f(p.e163_4_number), f(p.e163_4_sub_address), f(p.psap_address);
}
static_assert(sizeof(PostalAndNetworkAttributes) ==
                  17 * sizeof(Text) + sizeof(std::optional<UnformattedPostalAddress>),
              "PostalAndNetworkAttributes has a member for_each_postal_text() does not know");

// The Text members but the organizational units, for the field-by-field
// predicates below, in three groups: the hierarchy levels C, ADMD, PRMD, O;
// the personal name; the others, with the boxed ones when there is a box (a
// new field of OrAddress belongs here too: the static_assert after them
// counts the members).
template <class A, class F>
void for_each_other_text(A& a, F&& f) {
  f(a.network_address), f(a.terminal_identifier), f(a.numeric_user_identifier), f(a.common_name);
  if (a.postal_network) for_each_postal_text(*a.postal_network, f);
}
template <class A, class F>
void for_each_text(A& a, F&& f) {
  f(a.country), f(a.admd), f(a.prmd), f(a.organization);
  f(a.personal_name.surname), f(a.personal_name.given_name), f(a.personal_name.initials);
  f(a.personal_name.generation_qualifier);
  for_each_other_text(a, f);
}
constexpr std::size_t kTexts = 12;
static_assert(sizeof(OrAddress) == kTexts * sizeof(Text) + sizeof(std::vector<Text>) +
                                       sizeof(std::vector<DomainDefinedAttribute>) + sizeof(PostalAndNetworkBox) +
                                       sizeof(std::optional<int>) + sizeof(std::vector<OtherExtensionAttribute>),
              "OrAddress has a member for_each_text() does not know");

bool OrAddress::empty() const {
  bool all = organizational_units.empty() && ddas.empty() && !postal().unformatted_postal_address && !terminal_type &&
             other_extension_attributes.empty();
  if (all) for_each_text(*this, [&](const Text& t) { all = all && detail::is_default(t); });
  return all;
}

namespace detail {

void clear(OrAddress& a) {
  for_each_text(a, [](Text& t) {
    if (!is_default(t)) t = Text{};
  });
  a.organizational_units.clear();
  a.ddas.clear();
  a.postal_network.reset();
  a.terminal_type.reset();
  a.other_extension_attributes.clear();
}

namespace {
// Nothing but (when `but_personal_name`) the personal name is left of
// without_levels(a, levels) in mapping_to_rfc822.cpp.
bool nothing_left(const OrAddress& a, std::size_t levels, bool but_personal_name) {
  if (!a.ddas.empty() || a.postal().unformatted_postal_address || a.terminal_type || !a.other_extension_attributes.empty())
    return false;
  if (a.organizational_units.size() > (levels > 4 ? levels - 4 : 0)) return false;
  if ((levels < 1 && !is_default(a.country)) || (levels < 2 && !is_default(a.admd)) ||
      (levels < 3 && !is_default(a.prmd)) || (levels < 4 && !is_default(a.organization)))
    return false;
  const PersonalName& pn = a.personal_name;
  if (!but_personal_name && (!is_default(pn.surname) || !is_default(pn.given_name) || !is_default(pn.initials) ||
                             !is_default(pn.generation_qualifier)))
    return false;
  bool all = true;
  for_each_other_text(a, [&](const Text& t) { all = all && is_default(t); });
  return all;
}
}  // namespace

bool empty_without_levels(const OrAddress& a, std::size_t levels) { return nothing_left(a, levels, false); }

bool only_personal_name(const OrAddress& a, std::size_t levels) { return nothing_left(a, levels, true); }

}  // namespace detail

void Text::copy_strings(const Text& o) {
  printable = o.printable;
  teletex = o.teletex;
  universal = o.universal;
}

void Text::move_strings(Text& o) noexcept {
  printable = std::move(o.printable);
  teletex = std::move(o.teletex);
  universal = std::move(o.universal);
}

void Text::assign_strings(const Text& o) {
  printable = o.printable;
  teletex = o.teletex;
  universal = o.universal;
}

void Text::move_assign_strings(Text& o) noexcept {
  printable = std::move(o.printable);
  teletex = std::move(o.teletex);
  universal = std::move(o.universal);
}

const PostalAndNetworkAttributes PostalAndNetworkBox::kNone{};

const char* form_name(OrAddressForm f) {
  switch (f) {
    case OrAddressForm::mnemonic: return "mnemonic";
    case OrAddressForm::numeric: return "numeric";
    case OrAddressForm::postal: return "postal";
    case OrAddressForm::terminal: return "terminal";
    case OrAddressForm::invalid: return "invalid";
  }
  return "?";
}

bool only_mnemonic_attributes(const OrAddress& a) {
  return !any_postal(a) && !any_network(a) && !a.terminal_identifier.present() &&
         !a.numeric_user_identifier.present() && !a.terminal_type.has_value();
}

OrAddressForm classify_form(const OrAddress& a) {
  const bool c = a.country.present(), admd = a.admd.present();
  const bool ua = a.numeric_user_identifier.present();
  const bool net = any_network(a) || a.terminal_identifier.present() || a.terminal_type.has_value();
  const bool postal = any_postal(a);
  const bool names = a.organization.present() || !a.organizational_units.empty() || a.personal_name.present() ||
                     a.common_name.present();
  if (ua) {  // numeric: C, ADMD, UA-ID; PRMD, DDA conditional
    if (c && admd && !net && !postal && !names) return OrAddressForm::numeric;
    return OrAddressForm::invalid;
  }
  if (postal) {  // postal: C, ADMD, PD-C, PD-CODE; PRMD and PD-* conditional
    if (c && admd && a.postal().pd_country.present() && a.postal().postal_code.present() && !net && !names && a.ddas.empty())
      return OrAddressForm::postal;
    return OrAddressForm::invalid;
  }
  if (net) {  // terminal: network address; T-ID, T-TY, C+ADMD, PRMD, DDA conditional
    const bool has_address = a.network_address.present() || a.postal().e163_4_number.present() || a.postal().psap_address.present();
    if (has_address && c == admd && !names && (c || !a.prmd.present())) return OrAddressForm::terminal;
    return OrAddressForm::invalid;
  }
  if (c && admd && any_mnemonic_below_domain(a)) return OrAddressForm::mnemonic;
  return OrAddressForm::invalid;
}

namespace {
// X.411's bounds, with `null_lo` the least length of the attributes X.400(1984) peers may
// send empty (kNull84 for validate_x411; 1 for a 1988 next hop, and a C of its 2 or 3).
Result<bool> check_x411(const OrAddress& a, std::size_t null_lo) {
  Checker k;
  if (a.country.present()) {
    const auto& p = a.country.printable;
    if (!p || a.country.teletex || a.country.universal)
      k.fail(Errc::invalid_value, kX411, "C must be a PrintableString or NumericString");
    else if ((!p->empty() || null_lo > 0) && (a.country.numeric ? !(p->size() == ub::country_name_numeric && is_all_digits(*p))
                                               : !(p->size() == ub::country_name_alpha && is_printable_string(*p))))
      k.fail(Errc::invalid_value, kX411, "C value '" + *p + "' is neither 3 digits (X.121 DCC) nor 2 characters (ISO 3166)");
  }
  k.text(a.admd, "ADMD", Slots::pn, 0, ub::domain_name);
  k.text(a.network_address, "X121", Slots::n, null_lo, ub::x121_address);
  k.text(a.terminal_identifier, "T-ID", Slots::p, null_lo, ub::terminal_id);
  k.text(a.prmd, "PRMD", Slots::pn, null_lo, ub::domain_name);
  k.text(a.organization, "O", Slots::pt, null_lo, ub::organization_name);
  k.text(a.numeric_user_identifier, "UA-ID", Slots::n, null_lo, ub::numeric_user_id);
  const PersonalName& pn = a.personal_name;
  if (pn.present()) {
    k.text(pn.surname, "S", Slots::pt, null_lo, ub::surname, 64);
    k.text(pn.given_name, "G", Slots::pt, null_lo, ub::given_name, 40);
    k.text(pn.initials, "I", Slots::pt, null_lo, ub::initials, 16);
    k.text(pn.generation_qualifier, "GQ", Slots::pt, null_lo, ub::generation_qualifier, 16);
    // Each string form of the SET needs its surname (X.411 PersonalName.surname is mandatory).
    auto need = [&](auto has, const char* form) {
      if ((has(pn.given_name) || has(pn.initials) || has(pn.generation_qualifier)) && !has(pn.surname))
        k.fail(Errc::not_x400_address, kX411, std::string("personal name has no ") + form + " surname");
    };
    need([](const Text& t) { return t.printable.has_value(); }, "printable");
    need([](const Text& t) { return t.teletex.has_value(); }, "teletex");
    need([](const Text& t) { return t.universal.has_value(); }, "universal");
  }
  if (a.organizational_units.size() > ub::organizational_units)
    k.fail(Errc::upper_bound, kX411, "more than 4 OUs");
  for (const auto& ou : a.organizational_units) {
    if (!ou.present()) k.fail(Errc::invalid_value, kX411, "an OU with no value in any string form");
    k.text(ou, "OU", Slots::pt, null_lo, ub::organizational_unit_name);
  }
  std::size_t per_form[4] = {0, 0, 0, 0};
  for (const auto& d : a.ddas) {
    if (++per_form[static_cast<int>(d.form)] > ub::domain_defined_attributes)
      k.fail(Errc::upper_bound, kX411, "more than 4 domain-defined attributes of one string type");
    const std::size_t tl = d.form == DdaForm::printable || d.form == DdaForm::teletex ? d.type.size() : utf8_length(d.type);
    const std::size_t vl = d.form == DdaForm::printable || d.form == DdaForm::teletex ? d.value.size() : utf8_length(d.value);
    if (d.form == DdaForm::printable && (!is_printable_string(d.type) || !is_printable_string(d.value)))
      k.fail(Errc::invalid_value, kX411, "DD." + d.type + " is not a PrintableString");
    if (tl < 1 || tl > ub::dda_type)
      k.fail(Errc::upper_bound, kX411, "DD type '" + d.type + "' has " + std::to_string(tl) + " characters (allowed 1..8)");
    const std::size_t vlo = d.form == DdaForm::printable ? null_lo : 1;
    if (vl < vlo || vl > ub::dda_value)
      k.fail(Errc::upper_bound, kX411, "DD." + d.type + " value has " + std::to_string(vl) + " characters (allowed " +
                                           std::to_string(vlo) + "..128)");
  }
  k.text(a.common_name, "CN", Slots::pt, 1, ub::common_name);
  if (a.postal_network) {  // the postal and extended network attributes: absent in most addresses
    const PostalAndNetworkAttributes& pa = *a.postal_network;
    k.text(pa.pds_name, "PD-SERVICE", Slots::p, 1, ub::pds_name);
    if (pa.pd_country.present()) {
      const auto& p = pa.pd_country.printable;
      if (!p || pa.pd_country.teletex || pa.pd_country.universal ||
          (pa.pd_country.numeric ? !(p->size() == 3 && is_all_digits(*p)) : !(p->size() == 2 && is_printable_string(*p))))
        k.fail(Errc::invalid_value, kX411, "PD-C must be 3 digits or 2 printable characters");
    }
    k.text(pa.postal_code, "PD-CODE", Slots::pn, 1, ub::postal_code);
    const std::pair<const Text*, const char*> pds[] = {
        {&pa.pd_office_name, "PD-OFFICE"},
        {&pa.pd_office_number, "PD-OFFICE-NUM"},
        {&pa.extension_or_address_components, "PD-EXT-ADDRESS"},
        {&pa.pd_personal_name, "PD-PN"},
        {&pa.pd_organization_name, "PD-O"},
        {&pa.extension_pd_address_components, "PD-EXT-DELIVERY"},
        {&pa.street_address, "PD-STREET"},
        {&pa.post_office_box_address, "PD-BOX"},
        {&pa.poste_restante_address, "PD-RESTANTE"},
        {&pa.unique_postal_name, "PD-UNIQUE"},
        {&pa.local_postal_attributes, "PD-LOCAL"}};
    for (const auto& [t, key] : pds) k.text(*t, key, Slots::pt, 1, ub::pds_parameter);
    if (pa.unformatted_postal_address) {
      const auto& u = *pa.unformatted_postal_address;
      if (u.lines.empty() && !u.teletex && !u.universal) k.fail(Errc::invalid_value, kX411, "empty PD-ADDRESS");
      if (u.lines.size() > ub::pds_physical_address_lines) k.fail(Errc::upper_bound, kX411, "PD-ADDRESS has more than 6 lines");
      for (const auto& l : u.lines)
        if (l.empty() || l.size() > ub::pds_parameter || !is_printable_string(l))
          k.fail(Errc::invalid_value, kX411, "PD-ADDRESS line '" + l + "' is not a PrintableString of 1..30 characters");
      if (u.teletex && (u.teletex->empty() || u.teletex->size() > ub::unformatted_address))
        k.fail(Errc::upper_bound, kX411, "PD-ADDRESS teletex value has more than 180 octets");
      if (u.universal && utf8_length(u.universal->utf8) > ub::unformatted_address)
        k.fail(Errc::upper_bound, kX411, "PD-ADDRESS universal value has more than 180 characters");
    }
    k.text(pa.e163_4_number, "NET-NUM", Slots::n, 1, ub::e163_4_number);
    k.text(pa.e163_4_sub_address, "NET-SUB", Slots::n, 1, ub::e163_4_sub_address);
    if (pa.e163_4_sub_address.present() && !pa.e163_4_number.present())
      k.fail(Errc::not_x400_address, kX411, "NET-SUB without NET-NUM");
    if (pa.psap_address.present() && pa.e163_4_number.present())
      k.fail(Errc::conflict, kX411, "NET-PSAP and NET-NUM are alternatives of one ExtendedNetworkAddress");
    if (pa.psap_address.present() && (!pa.psap_address.printable || pa.psap_address.printable->empty()))
      k.fail(Errc::invalid_value, kX411, "NET-PSAP must be given as RFC 1278 text");
  }
  if (a.terminal_type && (*a.terminal_type < 0 || *a.terminal_type > static_cast<int>(ub::integer_options)))
    k.fail(Errc::upper_bound, kX411, "T-TY outside 0..256");
  if (k.err) return *k.err;
  return true;
}

}  // namespace

Result<bool> validate_x411(const OrAddress& a) { return check_x411(a, kNull84); }

Result<bool> validate_x411_for_1988(const OrAddress& a) { return check_x411(a, 1); }

Result<bool> validate_x402(const OrAddress& a) {
  auto r = validate_x411(a);
  if (!r) return r;
  if (classify_form(a) == OrAddressForm::invalid)
    return make_error(Errc::not_x400_address, kX402,
                      "the attributes form no X.400 O/R address (mnemonic, numeric, postal or terminal)");
  return true;
}

GlobalDomainIdentifier global_domain_of(const OrAddress& a) { return {a.country, a.admd, a.prmd}; }

namespace detail {

bool x411_ok(const OrAddress& a) { return validate_x411(a).ok(); }

bool x402_ok(const OrAddress& a) { return classify_form(a) != OrAddressForm::invalid && validate_x411(a).ok(); }

}  // namespace detail

}  // namespace mixer::addressing
