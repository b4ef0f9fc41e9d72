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
using addressing::PostalAndNetworkAttributes;
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

const char* extension_attribute_value_name(std::size_t index) {
  static constexpr const char* names[] = {
      "a PrintableString", "a TeletexString", "a TeletexPersonalName", "TeletexOrganizationalUnitNames",
      "TeletexDomainDefinedAttributes", "a numeric or printable string", "a PDSParameter",
      "an UnformattedPostalAddress", "an ExtendedNetworkAddress", "a TerminalType", "a UniversalOrBMPString",
      "a UniversalPersonalName", "UniversalOrganizationalUnitNames", "UniversalDomainDefinedAttributes",
      "an encoding"};
  static_assert(std::size(names) == std::variant_size_v<ExtensionAttributeValue>);
  return index < std::size(names) ? names[index] : "?";
}

namespace {

// The PDSParameter attribute of types 10..15 and 17..21 (and their universal
// forms 29..34, 36..40), a member of the boxed extension attributes; null for others.
Text PostalAndNetworkAttributes::*pds_member(std::int64_t type) {
  using P = PostalAndNetworkAttributes;
  if (type >= 29 && type <= 40 && type != 35) type -= 19;
  switch (type) {
    case 10: return &P::pd_office_name;
    case 11: return &P::pd_office_number;
    case 12: return &P::extension_or_address_components;
    case 13: return &P::pd_personal_name;
    case 14: return &P::pd_organization_name;
    case 15: return &P::extension_pd_address_components;
    case 17: return &P::street_address;
    case 18: return &P::post_office_box_address;
    case 19: return &P::poste_restante_address;
    case 20: return &P::unique_postal_name;
    case 21: return &P::local_postal_attributes;
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
  from_wire(w, a);
  return a;
}

void from_wire(const OrAddressWire& w, OrAddress& a) {
  if (!a.empty()) a = OrAddress{};
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
    // The alternative of e.value is the one e.type takes (the decoder, the tree reader and
    // to_wire put it there); get_if keeps a value built otherwise from being misread.
    const auto* printable_attribute = std::get_if<PrintableAttribute>(&e.value);
    const auto* teletex_attribute = std::get_if<TeletexAttribute>(&e.value);
    const auto* universal = std::get_if<UniversalOrBmp>(&e.value);
    switch (e.type) {
      case 1:
        if (printable_attribute) a.common_name.printable = printable_attribute->text;
        break;
      case 2:
        if (teletex_attribute) a.common_name.teletex = teletex_attribute->t61;
        break;
      case 3:
        if (teletex_attribute) a.organization.teletex = teletex_attribute->t61;
        break;
      case 4:
        if (const auto* p = std::get_if<PersonalNameWire>(&e.value)) {
          a.personal_name.surname.teletex = p->surname;
          if (p->given_name) a.personal_name.given_name.teletex = *p->given_name;
          if (p->initials) a.personal_name.initials.teletex = *p->initials;
          if (p->generation_qualifier) a.personal_name.generation_qualifier.teletex = *p->generation_qualifier;
        }
        break;
      case 5:
        if (const auto* ous = std::get_if<std::vector<std::string>>(&e.value))
          for (std::size_t i = 0; i < ous->size(); ++i) ou_at(i).teletex = (*ous)[i];
        break;
      case 6:
        if (const auto* ddas = std::get_if<std::vector<DdaWire>>(&e.value))
          for (const DdaWire& d : *ddas) a.ddas.push_back({d.type, d.value, DdaForm::teletex});
        break;
      case 7:
        if (printable_attribute) a.postal_mut().pds_name.printable = printable_attribute->text;
        break;
      case 8:
        if (const auto* t = std::get_if<Text>(&e.value)) a.postal_mut().pd_country = *t;
        break;
      case 9:
        if (const auto* t = std::get_if<Text>(&e.value)) a.postal_mut().postal_code = *t;
        break;
      case 16:
        if (const auto* x = std::get_if<UnformattedPostalAddressWire>(&e.value)) {
          addressing::UnformattedPostalAddress u = a.postal().unformatted_postal_address.value_or(addressing::UnformattedPostalAddress{});
          u.lines = x->printable_address;
          u.teletex = x->teletex_string;
          a.postal_mut().unformatted_postal_address = u;
        }
        break;
      case 22:
        if (const auto* n = std::get_if<ExtendedNetworkAddress>(&e.value)) {
          if (const auto* e163 = std::get_if<E1634Address>(n)) {
            a.postal_mut().e163_4_number.printable = e163->number;
            if (e163->sub_address) a.postal_mut().e163_4_sub_address.printable = *e163->sub_address;
          } else {
            a.postal_mut().psap_address.printable = "#" + to_hex(std::get<PsapAddress>(*n).encoding);
          }
        }
        break;
      case 23:
        if (const auto* n = std::get_if<std::int64_t>(&e.value)) a.terminal_type = static_cast<int>(*n);
        break;
      case 24:
        if (universal) a.common_name.universal = from_u(*universal);
        break;
      case 25:
        if (universal) a.organization.universal = from_u(*universal);
        break;
      case 26:
        if (const auto* p = std::get_if<UniversalPersonalNameWire>(&e.value)) {
          a.personal_name.surname.universal = from_u(p->surname);
          if (p->given_name) a.personal_name.given_name.universal = from_u(*p->given_name);
          if (p->initials) a.personal_name.initials.universal = from_u(*p->initials);
          if (p->generation_qualifier) a.personal_name.generation_qualifier.universal = from_u(*p->generation_qualifier);
        }
        break;
      case 27:
        if (const auto* ous = std::get_if<std::vector<UniversalOrBmp>>(&e.value))
          for (std::size_t i = 0; i < ous->size(); ++i) ou_at(i).universal = from_u((*ous)[i]);
        break;
      case 28:
        if (const auto* ddas = std::get_if<std::vector<UniversalDdaWire>>(&e.value))
          for (const UniversalDdaWire& d : *ddas)
            a.ddas.push_back({d.type.utf8, d.value.utf8, d.value.which == 0 ? DdaForm::bmp : DdaForm::universal,
                              d.type.language.value_or(""), d.value.language.value_or("")});
        break;
      case 35:
        if (universal) {
          addressing::UnformattedPostalAddress u = a.postal().unformatted_postal_address.value_or(addressing::UnformattedPostalAddress{});
          u.universal = from_u(*universal);
          a.postal_mut().unformatted_postal_address = u;
        }
        break;
      default:
        if (auto member = pds_member(e.type)) {
          Text* t = &(a.postal_mut().*member);
          if (e.type >= 29) {
            if (universal) t->universal = from_u(*universal);
          } else if (const auto* pds = std::get_if<PdsParameter>(&e.value)) {
            if (pds->printable_string) t->printable = pds->printable_string;
            if (pds->teletex_string) t->teletex = pds->teletex_string;
          }
        } else if (e.type < 1 || e.type > 40) {
          if (const auto* x = std::get_if<EncodedValue>(&e.value))
            a.other_extension_attributes.push_back({static_cast<int>(e.type), x->encoding});
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

  auto add = [&](std::int64_t type, ExtensionAttributeValue value) {
    w.extension_attributes.push_back(ExtensionAttributeWire{type, std::move(value)});
  };
  if (a.common_name.printable) add(1, PrintableAttribute{*a.common_name.printable});
  if (a.common_name.teletex) add(2, TeletexAttribute{*a.common_name.teletex});
  if (a.organization.teletex) add(3, TeletexAttribute{*a.organization.teletex});
  if (pn.surname.teletex) {
    PersonalNameWire p;
    p.surname = *pn.surname.teletex;
    p.given_name = pn.given_name.teletex;
    p.initials = pn.initials.teletex;
    p.generation_qualifier = pn.generation_qualifier.teletex;
    add(4, p);
  }
  {
    std::vector<std::string> t;
    for (const Text& ou : a.organizational_units)
      if (ou.teletex) t.push_back(*ou.teletex);
    if (!t.empty()) add(5, t);
  }
  {
    std::vector<DdaWire> t;
    for (const auto& d : a.ddas)
      if (d.form == DdaForm::teletex) t.push_back({d.type, d.value});
    if (!t.empty()) add(6, t);
  }
  const PostalAndNetworkAttributes& pa = a.postal();
  if (a.postal_network) {  // extension attributes 7..22 (absent in most addresses)
    if (pa.pds_name.printable) add(7, PrintableAttribute{*pa.pds_name.printable});
    if (pa.pd_country.printable) add(8, pa.pd_country);
    if (pa.postal_code.printable) add(9, pa.postal_code);
    for (std::int64_t t : {10, 11, 12, 13, 14, 15}) {
      const Text* f = &(pa.*pds_member(t));
      if (f->printable || f->teletex) add(t, PdsParameter{f->printable, f->teletex});
    }
    if (pa.unformatted_postal_address &&
        (!pa.unformatted_postal_address->lines.empty() || pa.unformatted_postal_address->teletex))
      add(16, UnformattedPostalAddressWire{pa.unformatted_postal_address->lines, pa.unformatted_postal_address->teletex});
    for (std::int64_t t : {17, 18, 19, 20, 21}) {
      const Text* f = &(pa.*pds_member(t));
      if (f->printable || f->teletex) add(t, PdsParameter{f->printable, f->teletex});
    }
    if (pa.e163_4_number.printable) {
      add(22, ExtendedNetworkAddress{E1634Address{*pa.e163_4_number.printable, pa.e163_4_sub_address.printable}});
    } else if (pa.psap_address.printable && pa.psap_address.printable->starts_with("#")) {
      if (auto b = from_hex(pa.psap_address.printable->substr(1))) add(22, ExtendedNetworkAddress{PsapAddress{*b}});
    }
  }
  if (a.terminal_type) add(23, std::int64_t{*a.terminal_type});
  if (a.common_name.universal) add(24, to_u(*a.common_name.universal));
  if (a.organization.universal) add(25, to_u(*a.organization.universal));
  if (pn.surname.universal) {
    UniversalPersonalNameWire p;
    p.surname = to_u(*pn.surname.universal);
    if (pn.given_name.universal) p.given_name = to_u(*pn.given_name.universal);
    if (pn.initials.universal) p.initials = to_u(*pn.initials.universal);
    if (pn.generation_qualifier.universal) p.generation_qualifier = to_u(*pn.generation_qualifier.universal);
    add(26, p);
  }
  {
    std::vector<UniversalOrBmp> t;
    for (const Text& ou : a.organizational_units)
      if (ou.universal) t.push_back(to_u(*ou.universal));
    if (!t.empty()) add(27, t);
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
    if (!t.empty()) add(28, t);
  }
  if (a.postal_network) {  // their universal forms, 29..40
    for (std::int64_t t : {29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40}) {
      if (t == 35) {
        if (pa.unformatted_postal_address && pa.unformatted_postal_address->universal)
          add(35, to_u(*pa.unformatted_postal_address->universal));
        continue;
      }
      const Text* f = &(pa.*pds_member(t));
      if (f->universal) add(t, to_u(*f->universal));
    }
  }
  for (const addressing::OtherExtensionAttribute& o : a.other_extension_attributes) add(o.type, EncodedValue{o.value});
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
