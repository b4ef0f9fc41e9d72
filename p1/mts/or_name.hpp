// p1/mts/or_name.hpp: X.411 ORName / ORAddress (MTSAbstractService §
// "O/R Names") and the X.501 Name of its directory-name part. The
// description follows the ASN.1 exactly over a wire form (OrAddressWire:
// built-in standard attributes, built-in DDAs, ExtensionAttributes 1..40);
// or_name.cpp folds it into the addressing/ model (OrAddress keeps each
// attribute's string forms) and back. An extension attribute's value is a
// std::variant of the ASN.1 types the attribute types take (the encoder
// refuses one not of its type's); types beyond 40 are kept as their value's
// encoding. The X.501 Name (x509_name, shared with
// certificates) shows string attribute values as text with their type; the
// fold keeps them as UTF-8 with that type ("#hex" for a non-string value).
#pragma once

#include "p1/mts/asn1.hpp"
#include "p1/mts/types.hpp"

namespace mixer::p1::mts {

struct UniversalOrBmp {  // UniversalOrBMPString{}
  int which = 1;         // 0 two-octets (BMPString), 1 four-octets (UniversalString)
  std::string utf8;
  std::optional<std::string> language;  // iso-639-language-code
};

struct PersonalNameWire {  // PersonalName (printable) and TeletexPersonalName
  std::string surname;
  std::optional<std::string> given_name, initials, generation_qualifier;
};

struct UniversalPersonalNameWire {
  UniversalOrBmp surname;
  std::optional<UniversalOrBmp> given_name, initials, generation_qualifier;
};

struct DdaWire {
  std::string type, value;
};
struct UniversalDdaWire {
  UniversalOrBmp type, value;
};

struct PdsParameter {
  std::optional<std::string> printable_string, teletex_string;
};

// The value of an extension attribute, one alternative per ASN.1 type the
// extension-attribute-type says (X.411 EXTENSION-ATTRIBUTE table, 1..40).

// PrintableString: common-name (1), pds-name (7)
struct PrintableAttribute {
  std::string text;
};
// TeletexString: teletex-common-name (2), teletex-organization-name (3)
struct TeletexAttribute {
  std::string t61;
};
// UnformattedPostalAddress ::= SET { printable-address SEQUENCE OF PrintableString OPTIONAL,
//   teletex-string TeletexString OPTIONAL } (16)
struct UnformattedPostalAddressWire {
  std::vector<std::string> printable_address;
  std::optional<std::string> teletex_string;
};
// e163-4-address SEQUENCE { number [0] NumericString, sub-address [1] NumericString OPTIONAL }
struct E1634Address {
  std::string number;
  std::optional<std::string> sub_address;
};
// psap-address [0] PresentationAddress: its encoding
struct PsapAddress {
  Bytes encoding;
};
// ExtendedNetworkAddress ::= CHOICE { e163-4-address SEQUENCE {...}, psap-address [0] PresentationAddress } (22)
using ExtendedNetworkAddress = std::variant<E1634Address, PsapAddress>;

using ExtensionAttributeValue = std::variant<
    PrintableAttribute,              // 1, 7
    TeletexAttribute,                // 2, 3
    PersonalNameWire,                // 4 TeletexPersonalName
    std::vector<std::string>,        // 5 TeletexOrganizationalUnitNames
    std::vector<DdaWire>,            // 6 TeletexDomainDefinedAttributes
    addressing::Text,                // 8 PhysicalDeliveryCountryName, 9 PostalCode (numeric | printable)
    PdsParameter,                    // 10..15, 17..21
    UnformattedPostalAddressWire,    // 16
    ExtendedNetworkAddress,          // 22
    std::int64_t,                    // 23 TerminalType
    UniversalOrBmp,                  // 24, 25, 29..40 (UniversalOrBMPString)
    UniversalPersonalNameWire,       // 26
    std::vector<UniversalOrBmp>,     // 27 UniversalOrganizationalUnitNames
    std::vector<UniversalDdaWire>,   // 28 UniversalDomainDefinedAttributes
    EncodedValue>;                   // types beyond 40: the value's encoding

// ExtensionAttribute ::= SEQUENCE { extension-attribute-type [0] INTEGER (0..ub-extension-attributes),
//   extension-attribute-value [1] EXTENSION-ATTRIBUTE.&Type }
struct ExtensionAttributeWire {
  std::int64_t type = 0;
  ExtensionAttributeValue value;
};
const char* extension_attribute_value_name(std::size_t index);

struct OrAddressWire {
  std::optional<addressing::Text> country_name, administration_domain_name;
  std::optional<std::string> network_address, terminal_identifier;
  std::optional<addressing::Text> private_domain_name;
  std::optional<std::string> organization_name, numeric_user_identifier;
  std::optional<PersonalNameWire> personal_name;
  std::vector<std::string> organizational_unit_names;
  std::vector<DdaWire> built_in_domain_defined_attributes;
  std::vector<ExtensionAttributeWire> extension_attributes;
};

// AttributeValueAssertionWire, RdnWire, NameWire (the X.501 Name as it came): types.hpp.

OrAddressWire to_wire(const OrAddress& a);
OrAddress from_wire(const OrAddressWire& w);
// The same written into `a` in its place (a decoder's fresh value: no O/R address of
// 29 attributes made, moved over and destroyed); `a` is cleared first if not empty.
void from_wire(const OrAddressWire& w, OrAddress& a);
NameWire to_wire(const addressing::DirectoryName& n);
addressing::DirectoryName from_wire(const NameWire& w);

// ---- descriptions

// A CHOICE { numeric NumericString, printable PrintableString } over a Text.
template <class Io>
void numeric_or_printable(Io& io, addressing::Text& t, const char* numeric_name, const char* printable_name,
                          const Bound& nb, const Bound& pb) {
  int which = t.numeric ? 0 : 1;
  if (!t.printable) t.printable.emplace();  // writers are only called with one present
  choice(io, which, [&](auto alt) {
    alt(0, numeric_name, {univ::numeric_string},
        [&] { io.text(*t.printable, univ::numeric_string, StringKind::numeric, nb); });
    alt(1, printable_name, {univ::printable_string},
        [&] { io.text(*t.printable, univ::printable_string, StringKind::printable, pb); });
  });
  if constexpr (Io::fills) t.numeric = which == 0;
}

template <class Io>
void asn1(Io& io, UniversalOrBmp& v, const Bound& b, Tag t = univ::set) {
  io.constructed(t, Form::set, [&] {
    req(io, "character-encoding", {univ::bmp_string, univ::universal_string}, [&] {
      choice(io, v.which, [&](auto alt) {
        alt(0, "two-octets", {univ::bmp_string}, [&] { io.text(v.utf8, univ::bmp_string, StringKind::bmp, b); });
        alt(1, "four-octets", {univ::universal_string},
            [&] { io.text(v.utf8, univ::universal_string, StringKind::universal, b); });
      });
    });
    opt(io, "iso-639-language-code", {univ::printable_string}, v.language,
        [&](std::string& s) { io.text(s, univ::printable_string, StringKind::printable, Bound{2, 5, nullptr}); });
  });
}

// PersonalName / TeletexPersonalName: SET { surname [0], given-name [1], initials [2], generation-qualifier [3] }
template <class Io>
void asn1(Io& io, PersonalNameWire& v, StringKind k) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "surname", {context(0)}, [&] { io.text(v.surname, context(0), k, Bound{1, 40, "ub-surname-length"}); });
    opt(io, "given-name", {context(1)}, v.given_name,
        [&](std::string& s) { io.text(s, context(1), k, Bound{1, 16, "ub-given-name-length"}); });
    opt(io, "initials", {context(2)}, v.initials,
        [&](std::string& s) { io.text(s, context(2), k, Bound{1, 5, "ub-initials-length"}); });
    opt(io, "generation-qualifier", {context(3)}, v.generation_qualifier,
        [&](std::string& s) { io.text(s, context(3), k, Bound{1, 3, "ub-generation-qualifier-length"}); });
  });
}

// UniversalPersonalName: the same SET with UniversalOrBMPString values (implicitly tagged SETs).
template <class Io>
void asn1(Io& io, UniversalPersonalNameWire& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "surname", {context(0)}, [&] {
      asn1(io, v.surname, Bound{1, 64, "ub-universal-surname-length"}, context(0));
    });
    auto part = [&](const char* name, std::uint32_t n, std::optional<UniversalOrBmp>& p, const Bound& b) {
      opt(io, name, {context(n)}, p, [&](UniversalOrBmp& u) {
        asn1(io, u, b, context(n));  // [n] IMPLICIT: UniversalOrBMPString is a SET
      });
    };
    part("given-name", 1, v.given_name, Bound{1, 40, "ub-universal-given-name-length"});
    part("initials", 2, v.initials, Bound{1, 16, "ub-universal-initials-length"});
    part("generation-qualifier", 3, v.generation_qualifier, Bound{1, 16, "ub-universal-generation-qualifier-length"});
  });
}

template <class Io>
void asn1(Io& io, PdsParameter& v) {
  io.constructed(univ::set, Form::set, [&] {
    opt(io, "printable-string", {univ::printable_string}, v.printable_string, [&](std::string& s) {
      io.text(s, univ::printable_string, StringKind::printable, Bound{1, 30, "ub-pds-parameter-length"});
    });
    opt(io, "teletex-string", {univ::teletex_string}, v.teletex_string, [&](std::string& s) {
      io.text(s, univ::teletex_string, StringKind::teletex, Bound{1, 30, "ub-pds-parameter-length"});
    });
  });
}

const char* extension_attribute_name(std::int64_t type);

// The alternative T of an extension attribute's value, which its type says it takes.
template <class T, class Io, class F>
void attribute_of_type(Io& io, ExtensionAttributeWire& e, F&& body) {
  alternative_of_type<T>(io, e.value, body, [&] {
    const char* name = extension_attribute_name(e.type);
    return "extension attribute " + std::to_string(e.type) + (name ? std::string(" (") + name + ")" : std::string()) +
           " takes " + extension_attribute_value_name(variant_index<T, ExtensionAttributeValue>) + ", not " +
           extension_attribute_value_name(e.value.index());
  });
}

template <class Io>
void asn1(Io& io, ExtensionAttributeWire& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "extension-attribute-type", {context(0)}, [&] {
      io.integer(v.type, context(0));
      io.range(v.type, 0, 256, "ub-extension-attributes");
    });
    req(io, "extension-attribute-value", {context(1)}, [&] {
      io.constructed(context(1), Form::sequence, [&] {
        const std::int64_t t = v.type;
        const Bound ou{1, 32, "ub-organizational-unit-name-length"};
        const Bound pds{1, 30, "ub-pds-parameter-length"};
        auto printable = [&](const Bound& b) {
          attribute_of_type<PrintableAttribute>(
              io, v, [&](PrintableAttribute& a) { io.text(a.text, univ::printable_string, StringKind::printable, b); });
        };
        auto teletex = [&](const Bound& b) {
          attribute_of_type<TeletexAttribute>(
              io, v, [&](TeletexAttribute& a) { io.text(a.t61, univ::teletex_string, StringKind::teletex, b); });
        };
        auto universal = [&](const Bound& b) {
          attribute_of_type<UniversalOrBmp>(io, v, [&](UniversalOrBmp& u) { asn1(io, u, b); });
        };
        switch (t) {
          case 1: return printable(Bound{1, 64, "ub-common-name-length"});
          case 2: return teletex(Bound{1, 64, "ub-common-name-length"});
          case 3: return teletex(Bound{1, 64, "ub-organization-name-length"});
          case 4:
            return attribute_of_type<PersonalNameWire>(io, v, [&](PersonalNameWire& p) { asn1(io, p, StringKind::teletex); });
          case 5:
            return attribute_of_type<std::vector<std::string>>(io, v, [&](std::vector<std::string>& ous) {
              list(io, univ::sequence, Form::sequence, ous, Bound{1, 4, "ub-organizational-units"},
                   [&](std::string& s) { io.text(s, univ::teletex_string, StringKind::teletex, ou); });
            });
          case 6:
            return attribute_of_type<std::vector<DdaWire>>(io, v, [&](std::vector<DdaWire>& ddas) {
              list(io, univ::sequence, Form::sequence, ddas, Bound{1, 4, "ub-domain-defined-attributes"}, [&](DdaWire& d) {
                io.constructed(univ::sequence, Form::sequence, [&] {
                  req(io, "type", {univ::teletex_string}, [&] {
                    io.text(d.type, univ::teletex_string, StringKind::teletex, Bound{1, 8, "ub-domain-defined-attribute-type-length"});
                  });
                  req(io, "value", {univ::teletex_string}, [&] {
                    io.text(d.value, univ::teletex_string, StringKind::teletex, Bound{1, 128, "ub-domain-defined-attribute-value-length"});
                  });
                });
              });
            });
          case 7: return printable(Bound{1, 16, "ub-pds-name-length"});
          case 8:
            return attribute_of_type<addressing::Text>(io, v, [&](addressing::Text& x) {
              numeric_or_printable(io, x, "x121-dcc-code", "iso-3166-alpha2-code", Bound{3, 3, "ub-country-name-numeric-length"},
                                   Bound{2, 2, "ub-country-name-alpha-length"});
            });
          case 9:
            return attribute_of_type<addressing::Text>(io, v, [&](addressing::Text& x) {
              numeric_or_printable(io, x, "numeric-code", "printable-code", Bound{1, 16, "ub-postal-code-length"},
                                   Bound{1, 16, "ub-postal-code-length"});
            });
          case 10: case 11: case 12: case 13: case 14: case 15: case 17: case 18: case 19: case 20: case 21:
            return attribute_of_type<PdsParameter>(io, v, [&](PdsParameter& p) { asn1(io, p); });
          case 16:
            return attribute_of_type<UnformattedPostalAddressWire>(io, v, [&](UnformattedPostalAddressWire& u) {
              io.constructed(univ::set, Form::set, [&] {
                opt_list(io, "printable-address", {univ::sequence}, u.printable_address, [&] {
                  list(io, univ::sequence, Form::sequence, u.printable_address, Bound{1, 6, "ub-pds-physical-address-lines"},
                       [&](std::string& s) { io.text(s, univ::printable_string, StringKind::printable, pds); });
                });
                opt(io, "teletex-string", {univ::teletex_string}, u.teletex_string, [&](std::string& s) {
                  io.text(s, univ::teletex_string, StringKind::teletex, Bound{1, 180, "ub-unformatted-address-length"});
                });
              });
            });
          case 22:
            return attribute_of_type<ExtendedNetworkAddress>(io, v, [&](ExtendedNetworkAddress& n) {
              choice(io, n, [&](auto alt) {
                alt(index<0>, "e163-4-address", {univ::sequence}, [&](E1634Address& e) {
                  io.constructed(univ::sequence, Form::sequence, [&] {
                    req(io, "number", {context(0)}, [&] {
                      io.text(e.number, context(0), StringKind::numeric, Bound{1, 15, "ub-e163-4-number-length"});
                    });
                    opt(io, "sub-address", {context(1)}, e.sub_address, [&](std::string& s) {
                      io.text(s, context(1), StringKind::numeric, Bound{1, 40, "ub-e163-4-sub-address-length"});
                    });
                  });
                });
                alt(index<1>, "psap-address", {context(0)}, [&](PsapAddress& p) { io.raw(p.encoding); });
              });
            });
          case 23:
            return attribute_of_type<std::int64_t>(io, v, [&](std::int64_t& n) {
              io.integer(n);
              io.range(n, 0, 256, "ub-integer-options");
            });
          case 24: return universal(Bound{1, 64, "ub-common-name-length"});
          case 25: return universal(Bound{1, 64, "ub-organization-name-length"});
          case 26:
            return attribute_of_type<UniversalPersonalNameWire>(io, v, [&](UniversalPersonalNameWire& p) { asn1(io, p); });
          case 27:
            return attribute_of_type<std::vector<UniversalOrBmp>>(io, v, [&](std::vector<UniversalOrBmp>& ous) {
              list(io, univ::sequence, Form::sequence, ous, Bound{1, 4, "ub-organizational-units"},
                   [&](UniversalOrBmp& u) { asn1(io, u, ou); });
            });
          case 28:
            return attribute_of_type<std::vector<UniversalDdaWire>>(io, v, [&](std::vector<UniversalDdaWire>& ddas) {
              list(io, univ::sequence, Form::sequence, ddas, Bound{1, 4, "ub-domain-defined-attributes"},
                   [&](UniversalDdaWire& d) {
                     io.constructed(univ::sequence, Form::sequence, [&] {
                       req(io, "type", {univ::set}, [&] { asn1(io, d.type, Bound{1, 8, "ub-domain-defined-attribute-type-length"}); });
                       req(io, "value", {univ::set}, [&] { asn1(io, d.value, Bound{1, 128, "ub-domain-defined-attribute-value-length"}); });
                     });
                   });
            });
          case 35: return universal(Bound{1, 180, "ub-unformatted-address-length"});
          default:
            if (t >= 29 && t <= 40) return universal(pds);
            return attribute_of_type<EncodedValue>(io, v, [&](EncodedValue& x) { io.raw(x.encoding); });
        }
      });
    });
  });
}

template <class Io>
void asn1(Io& io, OrAddressWire& v) {
  // BuiltInStandardAttributes (COMPONENTS OF, so no SEQUENCE of its own inside ORName).
  // X.411 gives each value SIZE (1..ub); the printable built-in values (and the DDA values)
  // may be empty here: X.400(1984) peers send zero-length attributes and rely on them
  // (RFC 2156 Appendix B, "any null attribute shall be encoded ... /O=/"), and the
  // addressing model carries them (addressing/or_address.cpp, kNull84). The country name
  // too: 3 digits, 2 characters, or (a null attribute) none.
  req(io, "built-in-standard-attributes", {univ::sequence}, [&] {
    io.constructed(univ::sequence, Form::sequence, [&] {
      opt(io, "country-name", {application(1)}, v.country_name, [&](addressing::Text& t) {
        io.constructed(application(1), Form::sequence, [&] {
          numeric_or_printable(io, t, "x121-dcc-code", "iso-3166-alpha2-code",
                               Bound{3, 3, "ub-country-name-numeric-length", false, true},
                               Bound{2, 2, "ub-country-name-alpha-length", false, true});
        });
      });
      opt(io, "administration-domain-name", {application(2)}, v.administration_domain_name, [&](addressing::Text& t) {
        io.constructed(application(2), Form::sequence, [&] {
          numeric_or_printable(io, t, "numeric", "printable", Bound{0, 16, "ub-domain-name-length"},
                               Bound{0, 16, "ub-domain-name-length"});
        });
      });
      opt(io, "network-address", {context(0)}, v.network_address, [&](std::string& s) {
        io.text(s, context(0), StringKind::numeric, Bound{0, 16, "ub-x121-address-length"});
      });
      opt(io, "terminal-identifier", {context(1)}, v.terminal_identifier, [&](std::string& s) {
        io.text(s, context(1), StringKind::printable, Bound{0, 24, "ub-terminal-id-length"});
      });
      opt(io, "private-domain-name", {context(2)}, v.private_domain_name, [&](addressing::Text& t) {
        io.constructed(context(2), Form::sequence, [&] {
          numeric_or_printable(io, t, "numeric", "printable", Bound{0, 16, "ub-domain-name-length"},
                               Bound{0, 16, "ub-domain-name-length"});
        });
      });
      opt(io, "organization-name", {context(3)}, v.organization_name, [&](std::string& s) {
        io.text(s, context(3), StringKind::printable, Bound{0, 64, "ub-organization-name-length"});
      });
      opt(io, "numeric-user-identifier", {context(4)}, v.numeric_user_identifier, [&](std::string& s) {
        io.text(s, context(4), StringKind::numeric, Bound{0, 32, "ub-numeric-user-id-length"});
      });
      opt(io, "personal-name", {context(5)}, v.personal_name, [&](PersonalNameWire& p) {
        // [5] IMPLICIT SET: retag the SET.
        io.constructed(context(5), Form::set, [&] {
          req(io, "surname", {context(0)}, [&] {
            io.text(p.surname, context(0), StringKind::printable, Bound{0, 40, "ub-surname-length"});
          });
          opt(io, "given-name", {context(1)}, p.given_name,
              [&](std::string& s) { io.text(s, context(1), StringKind::printable, Bound{0, 16, "ub-given-name-length"}); });
          opt(io, "initials", {context(2)}, p.initials,
              [&](std::string& s) { io.text(s, context(2), StringKind::printable, Bound{0, 5, "ub-initials-length"}); });
          opt(io, "generation-qualifier", {context(3)}, p.generation_qualifier, [&](std::string& s) {
            io.text(s, context(3), StringKind::printable, Bound{0, 3, "ub-generation-qualifier-length"});
          });
        });
      });
      opt_list(io, "organizational-unit-names", {context(6)}, v.organizational_unit_names, [&] {
        list(io, context(6), Form::sequence, v.organizational_unit_names, Bound{1, 4, "ub-organizational-units"},
             [&](std::string& s) {
               io.text(s, univ::printable_string, StringKind::printable, Bound{0, 32, "ub-organizational-unit-name-length"});
             });
      });
    });
  });
  opt_list(io, "built-in-domain-defined-attributes", {univ::sequence}, v.built_in_domain_defined_attributes, [&] {
    list(io, univ::sequence, Form::sequence, v.built_in_domain_defined_attributes, Bound{1, 4, "ub-domain-defined-attributes"},
         [&](DdaWire& d) {
           io.constructed(univ::sequence, Form::sequence, [&] {
             req(io, "type", {univ::printable_string}, [&] {
               io.text(d.type, univ::printable_string, StringKind::printable, Bound{1, 8, "ub-domain-defined-attribute-type-length"});
             });
             req(io, "value", {univ::printable_string}, [&] {
               io.text(d.value, univ::printable_string, StringKind::printable,
                       Bound{0, 128, "ub-domain-defined-attribute-value-length"});
             });
           });
         });
  });
  opt_list(io, "extension-attributes", {univ::set}, v.extension_attributes, [&] {
    // SET OF: the fold keeps no order, so they are written in DER order (X.690 §11.6).
    list(io, univ::set, Form::set_of_der, v.extension_attributes, Bound{1, 256, "ub-extension-attributes"},
         [&](ExtensionAttributeWire& e) { asn1(io, e); });
  });
}

inline constexpr Bound one_or_more{1, SIZE_MAX, nullptr};  // SIZE (1..MAX)

// An attribute value (ATTRIBUTE.&Type, held as its encoding): a universal
// character string is shown as {printableString: "GB"} and read back as that
// type (string_value_kind: only when that gives the same octets); anything
// else stays its encoding.
template <class Io>
void attribute_value(Io& io, Bytes& v) {
  int which = -1;
  std::string text;
  if constexpr (!Io::fills) which = string_value_kind(v, text);
  io.detect_string_value(which);
  if (which < 0) return io.raw(v);
  choice(io, which, [&](auto alt) {
    for (int i = 0; i < string_alternative_count; ++i) {
      const StringAlternative& a = string_alternatives[i];
      alt(i, a.name, {a.tag}, [&] { io.text(text, a.tag, a.kind); });
    }
  });
  if constexpr (Io::fills) {
    if (io.ok()) v = string_value_encoding(which, text);
  }
}

// Name ::= CHOICE { rdnSequence RDNSequence } (X.501; one alternative, written bare):
// SEQUENCE OF RelativeDistinguishedName (SET SIZE (1..MAX) OF AttributeTypeAndValue).
template <class Io>
void relative_distinguished_name(Io& io, RdnWire& rdn, Tag t = univ::set) {
  list(io, t, Form::set, rdn, one_or_more, [&](AttributeValueAssertionWire& a) {
    io.constructed(univ::sequence, Form::sequence, [&] {
      req(io, "type", {univ::object_identifier}, [&] { io.oid(a.type); });
      req(io, "value", Tags::anything(), [&] { attribute_value(io, a.value); });
    });
  });
}

template <class Io>
void x509_name(Io& io, NameWire& v) {
  list(io, univ::sequence, Form::sequence, v, unbounded, [&](RdnWire& rdn) { relative_distinguished_name(io, rdn); });
}

// A Name under an explicit tag (Name is a CHOICE, so tagging it is explicit).
template <class Io>
void x509_name(Io& io, NameWire& v, Tag t) {
  io.constructed(t, Form::sequence, [&] { x509_name(io, v); });
}

struct OrNameWire {
  OrAddressWire address;
  std::optional<NameWire> directory_name;
};

template <class Io>
void asn1(Io& io, OrNameWire& v, Tag t = application(0)) {
  io.constructed(t, Form::sequence, [&] {
    asn1(io, v.address);
    opt(io, "directory-name", {context(0)}, v.directory_name,
        [&](NameWire& n) { x509_name(io, n, context(0)); });
  });
}

// ORName ([APPLICATION 0] unless retagged) over the addressing model.
template <class Io>
void asn1(Io& io, OrName& v, Tag t = application(0)) {
  OrNameWire w;
  if constexpr (!Io::fills) {
    w.address = to_wire(v.address);
    if (v.directory_name) w.directory_name = to_wire(*v.directory_name);
  }
  asn1(io, w, t);
  if constexpr (Io::fills) {
    if (io.ok()) {
      from_wire(w.address, v.address);
      if (w.directory_name) v.directory_name = from_wire(*w.directory_name);
    }
  }
}

// ORAddress (a bare SEQUENCE: originator-return-address).
template <class Io>
void asn1(Io& io, OrAddress& v) {
  OrAddressWire w;
  if constexpr (!Io::fills) w = to_wire(v);
  io.constructed(univ::sequence, Form::sequence, [&] { asn1(io, w); });
  if constexpr (Io::fills) {
    if (io.ok()) from_wire(w, v);
  }
}

}  // namespace mixer::p1::mts
