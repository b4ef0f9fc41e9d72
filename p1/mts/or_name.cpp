// p1/mts/or_name.cpp: the fold between the X.411 wire form of an O/R
// address (built-in attributes + extension attributes) and the addressing/
// model, where each attribute keeps its printable, teletex and universal
// forms side by side (RFC 2156 §4.1.1 P/T keys); attributes of types beyond
// 40 are kept as their value's encoding.
#include "p1/mts/or_name.hpp"

#include <algorithm>
#include <tuple>

#include "base/t61.hpp"
#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"
#include "p1/mts/strings.hpp"

namespace mixer::p1::mts {

using addressing::DdaForm;
using addressing::Text;
using addressing::UniversalString;

const char* extension_attribute_name(std::int64_t type) {
  static const char* const names[] = {
      nullptr, "common-name", "teletex-common-name", "teletex-organization-name", "teletex-personal-name",
      "teletex-organizational-unit-names", "teletex-domain-defined-attributes", "pds-name",
      "physical-delivery-country-name", "postal-code", "physical-delivery-office-name",
      "physical-delivery-office-number", "extension-OR-address-components", "physical-delivery-personal-name",
      "physical-delivery-organization-name", "extension-physical-delivery-address-components",
      "unformatted-postal-address", "street-address", "post-office-box-address", "poste-restante-address",
      "unique-postal-name", "local-postal-attributes", "extended-network-address", "terminal-type",
      "universal-common-name", "universal-organization-name", "universal-personal-name",
      "universal-organizational-unit-names", "universal-domain-defined-attributes",
      "universal-physical-delivery-office-name", "universal-physical-delivery-office-number",
      "universal-extension-OR-address-components", "universal-physical-delivery-personal-name",
      "universal-physical-delivery-organization-name", "universal-extension-physical-delivery-address-components",
      "universal-unformatted-postal-address", "universal-street-address", "universal-post-office-box-address",
      "universal-poste-restante-address", "universal-unique-postal-name", "universal-local-postal-attributes"};
  return type > 0 && type <= 40 ? names[type] : nullptr;
}

namespace {

// The PDSParameter attribute of types 10..15 and 17..21 (and their universal forms 29..34, 36..40).
Text* pds_field(OrAddress& a, std::int64_t type) {
  if (type >= 29 && type <= 40 && type != 35) type -= 19;
  switch (type) {
    case 10: return &a.pd_office_name;
    case 11: return &a.pd_office_number;
    case 12: return &a.extension_or_address_components;
    case 13: return &a.pd_personal_name;
    case 14: return &a.pd_organization_name;
    case 15: return &a.extension_pd_address_components;
    case 17: return &a.street_address;
    case 18: return &a.post_office_box_address;
    case 19: return &a.poste_restante_address;
    case 20: return &a.unique_postal_name;
    case 21: return &a.local_postal_attributes;
  }
  return nullptr;
}

UniversalString from_u(const UniversalOrBmp& u) {
  return UniversalString{u.utf8, u.language.value_or(""), u.which == 0};
}

UniversalOrBmp to_u(const UniversalString& u) {
  UniversalOrBmp w;
  w.which = u.bmp ? 0 : 1;
  w.utf8 = u.utf8;
  if (!u.language.empty()) w.language = u.language;
  return w;
}

Text printable(const std::string& s) { return Text::of(s); }

void set_opt(const std::optional<std::string>& from, Text& to) {
  if (from) to.printable = *from;
}

}  // namespace

OrAddress from_wire(const OrAddressWire& w) {
  OrAddress a;
  if (w.country_name) a.country = *w.country_name;
  if (w.administration_domain_name) a.admd = *w.administration_domain_name;
  set_opt(w.network_address, a.network_address);
  set_opt(w.terminal_identifier, a.terminal_identifier);
  if (w.private_domain_name) a.prmd = *w.private_domain_name;
  set_opt(w.organization_name, a.organization);
  set_opt(w.numeric_user_identifier, a.numeric_user_identifier);
  if (w.personal_name) {
    a.personal_name.surname = printable(w.personal_name->surname);
    set_opt(w.personal_name->given_name, a.personal_name.given_name);
    set_opt(w.personal_name->initials, a.personal_name.initials);
    set_opt(w.personal_name->generation_qualifier, a.personal_name.generation_qualifier);
  }
  for (const std::string& ou : w.organizational_unit_names) a.organizational_units.push_back(printable(ou));
  for (const DdaWire& d : w.built_in_domain_defined_attributes) a.ddas.push_back({d.type, d.value, DdaForm::printable});
  auto ou_at = [&](std::size_t i) -> Text& {
    if (a.organizational_units.size() <= i) a.organizational_units.resize(i + 1);
    return a.organizational_units[i];
  };
  for (const ExtensionAttributeWire& e : w.extension_attributes) {
    switch (e.type) {
      case 1: a.common_name.printable = e.str; break;
      case 2: a.common_name.teletex = e.str; break;
      case 3: a.organization.teletex = e.str; break;
      case 4: {
        const PersonalNameWire& p = e.personal_name;
        a.personal_name.surname.teletex = p.surname;
        if (p.given_name) a.personal_name.given_name.teletex = *p.given_name;
        if (p.initials) a.personal_name.initials.teletex = *p.initials;
        if (p.generation_qualifier) a.personal_name.generation_qualifier.teletex = *p.generation_qualifier;
        break;
      }
      case 5:
        for (std::size_t i = 0; i < e.ous.size(); ++i) ou_at(i).teletex = e.ous[i];
        break;
      case 6:
        for (const DdaWire& d : e.ddas) a.ddas.push_back({d.type, d.value, DdaForm::teletex});
        break;
      case 7: a.pds_name.printable = e.str; break;
      case 8: a.pd_country = e.numeric_or_printable; break;
      case 9: a.postal_code = e.numeric_or_printable; break;
      case 16: {
        addressing::UnformattedPostalAddress u = a.unformatted_postal_address.value_or(addressing::UnformattedPostalAddress{});
        u.lines = e.printable_address;
        u.teletex = e.unformatted_teletex;
        a.unformatted_postal_address = u;
        break;
      }
      case 22:
        if (e.network_which == 0) {
          a.e163_4_number.printable = e.e163_4_number;
          if (e.e163_4_sub_address) a.e163_4_sub_address.printable = *e.e163_4_sub_address;
        } else {
          a.psap_address.printable = "#" + to_hex(e.psap_address);
        }
        break;
      case 23: a.terminal_type = static_cast<int>(e.terminal_type); break;
      case 24: a.common_name.universal = from_u(e.universal); break;
      case 25: a.organization.universal = from_u(e.universal); break;
      case 26: {
        const UniversalPersonalNameWire& p = e.universal_personal_name;
        a.personal_name.surname.universal = from_u(p.surname);
        if (p.given_name) a.personal_name.given_name.universal = from_u(*p.given_name);
        if (p.initials) a.personal_name.initials.universal = from_u(*p.initials);
        if (p.generation_qualifier) a.personal_name.generation_qualifier.universal = from_u(*p.generation_qualifier);
        break;
      }
      case 27:
        for (std::size_t i = 0; i < e.universal_ous.size(); ++i) ou_at(i).universal = from_u(e.universal_ous[i]);
        break;
      case 28:
        for (const UniversalDdaWire& d : e.universal_ddas)
          a.ddas.push_back({d.type.utf8, d.value.utf8, d.value.which == 0 ? DdaForm::bmp : DdaForm::universal,
                            d.type.language.value_or(""), d.value.language.value_or("")});
        break;
      case 35: {
        addressing::UnformattedPostalAddress u = a.unformatted_postal_address.value_or(addressing::UnformattedPostalAddress{});
        u.universal = from_u(e.universal);
        a.unformatted_postal_address = u;
        break;
      }
      default:
        if (Text* t = pds_field(a, e.type)) {
          if (e.type >= 29) {
            t->universal = from_u(e.universal);
          } else {
            if (e.pds.printable_string) t->printable = e.pds.printable_string;
            if (e.pds.teletex_string) t->teletex = e.pds.teletex_string;
          }
        } else if (e.type < 1 || e.type > 40) {
          a.other_extension_attributes.push_back({static_cast<int>(e.type), e.value});
        }
        break;
    }
  }
  // The order of a SET OF is not kept (DER order on output): hold the others
  // in one canonical order so that every decoding of the same set is equal.
  std::sort(a.other_extension_attributes.begin(), a.other_extension_attributes.end(),
            [](const addressing::OtherExtensionAttribute& x, const addressing::OtherExtensionAttribute& y) {
              return std::tie(x.type, x.value) < std::tie(y.type, y.value);
            });
  return a;
}

OrAddressWire to_wire(const OrAddress& a) {
  OrAddressWire w;
  if (a.country.printable) w.country_name = a.country;
  if (a.admd.printable) w.administration_domain_name = a.admd;
  if (a.network_address.printable) w.network_address = a.network_address.printable;
  if (a.terminal_identifier.printable) w.terminal_identifier = a.terminal_identifier.printable;
  if (a.prmd.printable) w.private_domain_name = a.prmd;
  if (a.organization.printable) w.organization_name = a.organization.printable;
  if (a.numeric_user_identifier.printable) w.numeric_user_identifier = a.numeric_user_identifier.printable;
  const addressing::PersonalName& pn = a.personal_name;
  if (pn.surname.printable) {
    PersonalNameWire p;
    p.surname = *pn.surname.printable;
    p.given_name = pn.given_name.printable;
    p.initials = pn.initials.printable;
    p.generation_qualifier = pn.generation_qualifier.printable;
    w.personal_name = p;
  }
  for (const Text& ou : a.organizational_units)
    if (ou.printable) w.organizational_unit_names.push_back(*ou.printable);
  for (const auto& d : a.ddas)
    if (d.form == DdaForm::printable) w.built_in_domain_defined_attributes.push_back({d.type, d.value});

  auto add = [&](std::int64_t type) -> ExtensionAttributeWire& {
    ExtensionAttributeWire& e = w.extension_attributes.emplace_back();
    e.type = type;
    return e;
  };
  if (a.common_name.printable) add(1).str = *a.common_name.printable;
  if (a.common_name.teletex) add(2).str = *a.common_name.teletex;
  if (a.organization.teletex) add(3).str = *a.organization.teletex;
  if (pn.surname.teletex) {
    PersonalNameWire& p = add(4).personal_name;
    p.surname = *pn.surname.teletex;
    p.given_name = pn.given_name.teletex;
    p.initials = pn.initials.teletex;
    p.generation_qualifier = pn.generation_qualifier.teletex;
  }
  {
    std::vector<std::string> t;
    for (const Text& ou : a.organizational_units)
      if (ou.teletex) t.push_back(*ou.teletex);
    if (!t.empty()) add(5).ous = t;
  }
  {
    std::vector<DdaWire> t;
    for (const auto& d : a.ddas)
      if (d.form == DdaForm::teletex) t.push_back({d.type, d.value});
    if (!t.empty()) add(6).ddas = t;
  }
  if (a.pds_name.printable) add(7).str = *a.pds_name.printable;
  if (a.pd_country.printable) add(8).numeric_or_printable = a.pd_country;
  if (a.postal_code.printable) add(9).numeric_or_printable = a.postal_code;
  OrAddress& m = const_cast<OrAddress&>(a);  // pds_field only reads here
  for (std::int64_t t : {10, 11, 12, 13, 14, 15}) {
    const Text* f = pds_field(m, t);
    if (f->printable || f->teletex) add(t).pds = PdsParameter{f->printable, f->teletex};
  }
  if (a.unformatted_postal_address &&
      (!a.unformatted_postal_address->lines.empty() || a.unformatted_postal_address->teletex)) {
    ExtensionAttributeWire& e = add(16);
    e.printable_address = a.unformatted_postal_address->lines;
    e.unformatted_teletex = a.unformatted_postal_address->teletex;
  }
  for (std::int64_t t : {17, 18, 19, 20, 21}) {
    const Text* f = pds_field(m, t);
    if (f->printable || f->teletex) add(t).pds = PdsParameter{f->printable, f->teletex};
  }
  if (a.e163_4_number.printable) {
    ExtensionAttributeWire& e = add(22);
    e.e163_4_number = *a.e163_4_number.printable;
    e.e163_4_sub_address = a.e163_4_sub_address.printable;
  } else if (a.psap_address.printable && a.psap_address.printable->starts_with("#")) {
    if (auto b = from_hex(a.psap_address.printable->substr(1))) {
      ExtensionAttributeWire& e = add(22);
      e.network_which = 1;
      e.psap_address = *b;
    }
  }
  if (a.terminal_type) add(23).terminal_type = *a.terminal_type;
  if (a.common_name.universal) add(24).universal = to_u(*a.common_name.universal);
  if (a.organization.universal) add(25).universal = to_u(*a.organization.universal);
  if (pn.surname.universal) {
    UniversalPersonalNameWire& p = add(26).universal_personal_name;
    p.surname = to_u(*pn.surname.universal);
    if (pn.given_name.universal) p.given_name = to_u(*pn.given_name.universal);
    if (pn.initials.universal) p.initials = to_u(*pn.initials.universal);
    if (pn.generation_qualifier.universal) p.generation_qualifier = to_u(*pn.generation_qualifier.universal);
  }
  {
    std::vector<UniversalOrBmp> t;
    for (const Text& ou : a.organizational_units)
      if (ou.universal) t.push_back(to_u(*ou.universal));
    if (!t.empty()) add(27).universal_ous = t;
  }
  {
    std::vector<UniversalDdaWire> t;
    for (const auto& d : a.ddas)
      if (d.form == DdaForm::universal || d.form == DdaForm::bmp) {
        UniversalDdaWire u;
        u.type.utf8 = d.type;
        u.value.utf8 = d.value;
        u.type.which = u.value.which = d.form == DdaForm::bmp ? 0 : 1;
        if (!d.type_language.empty()) u.type.language = d.type_language;
        if (!d.value_language.empty()) u.value.language = d.value_language;
        t.push_back(u);
      }
    if (!t.empty()) add(28).universal_ddas = t;
  }
  for (std::int64_t t : {29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40}) {
    if (t == 35) {
      if (a.unformatted_postal_address && a.unformatted_postal_address->universal)
        add(35).universal = to_u(*a.unformatted_postal_address->universal);
      continue;
    }
    const Text* f = pds_field(m, t);
    if (f->universal) add(t).universal = to_u(*f->universal);
  }
  for (const addressing::OtherExtensionAttribute& o : a.other_extension_attributes) add(o.type).value = o.value;
  return w;
}

// ---- X.501 Name

addressing::DirectoryName from_wire(const NameWire& w) {
  addressing::DirectoryName n;
  for (const RdnWire& rdn : w) {
    addressing::RelativeDistinguishedName r;
    for (const AttributeValueAssertionWire& a : rdn) {
      addressing::AttributeValueAssertion v{a.type.to_string(), "#" + to_hex(a.value)};
      std::string text;
      int which = string_value_kind(a.value, text);
      std::optional<std::string> utf8;
      if (which >= 0) {
        const StringAlternative& alt = string_alternatives[which];
        utf8 = alt.kind == StringKind::teletex ? base::t61_as_utf8_exactly(text) : std::optional(text);
        if (utf8 && !utf8->starts_with("#")) {
          v.value = std::move(*utf8);
          v.string_type = static_cast<int>(alt.tag.number);
        }
      }
      r.push_back(std::move(v));
    }
    n.rdns.push_back(std::move(r));
  }
  return n;
}

namespace {

// The value's encoding as the string type it came as, when it can still be written so.
std::optional<Bytes> as_string_type(const addressing::AttributeValueAssertion& a) {
  for (int i = 0; i < string_alternative_count; ++i) {
    const StringAlternative& alt = string_alternatives[i];
    if (static_cast<int>(alt.tag.number) != a.string_type) continue;
    std::optional<std::string> octets = a.value;
    if (alt.kind == StringKind::teletex) octets = base::utf8_to_t61(a.value);
    if (!octets) return std::nullopt;
    Bytes e = string_value_encoding(i, *octets);
    std::string back;
    if (string_value_kind(e, back) != i) return std::nullopt;  // not valid as that type
    return e;
  }
  return std::nullopt;
}

}  // namespace

NameWire to_wire(const addressing::DirectoryName& n) {
  NameWire w;
  for (const auto& rdn : n.rdns) {
    RdnWire r;
    for (const auto& a : rdn) {
      AttributeValueAssertionWire x;
      x.type = Oid::parse(a.type).value_or(Oid{2, 5, 4, 3});
      std::optional<Bytes> raw;
      if (a.value.starts_with("#")) raw = from_hex(a.value.substr(1));
      if (raw && !raw->empty()) {
        x.value = *raw;
      } else if (auto typed = as_string_type(a)) {
        x.value = std::move(*typed);
      } else {
        bool printable = !a.value.empty();
        for (char c : a.value)
          printable = printable && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                    std::string_view(" '()+,-./:=?").find(c) != std::string_view::npos);
        ber::Writer wr;
        wr.string(a.value, printable ? univ::printable_string : univ::utf8_string);
        x.value = wr.take();
      }
      r.push_back(std::move(x));
    }
    w.push_back(std::move(r));
  }
  return w;
}

}  // namespace mixer::p1::mts
