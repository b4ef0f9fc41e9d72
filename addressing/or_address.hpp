// addressing/or_address.hpp: the X.400 O/R address as a plain value type.
//
// Mirrors X.411 ORAddress (BuiltInStandardAttributes, BuiltInDomainDefined-
// Attributes and the ExtensionAttributes 1..40) without any BER: each
// attribute keeps the ASN.1 string forms it was carried in (PrintableString or
// NumericString, TeletexString, Universal/BMP string), so the p1/ codecs can
// decode into it and encode from it without loss. RFC 2156 §4.1.1 folds the
// printable and teletex variants of one attribute onto one text key (P/T);
// Text is that fold. The model trusts nothing: validate_x402() checks the
// X.411 upper bounds and character sets, classify_form() the X.402 forms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "addressing/error.hpp"
#include "base/boxed.hpp"

namespace mixer::addressing {

// X.411 UniversalOrBMPString (extension attributes 24..40), held as UTF-8.
struct UniversalString {
  std::string utf8;
  std::string language;  // ISO 639 code, empty when absent
  bool bmp = false;      // carried as BMPString rather than UniversalString
  bool operator==(const UniversalString&) const = default;
};

// One attribute value in the string forms X.411 allows for it.
struct Text {
  std::optional<std::string> printable;  // PrintableString (NumericString if numeric)
  std::optional<std::string> teletex;    // TeletexString octets, as received
  base::Boxed<UniversalString> universal;  // on the heap: rare, and an OrAddress holds 33 Texts
  bool numeric = false;  // the printable slot is a NumericString (C, ADMD, PRMD, PD-C, PD-CODE choices)

  [[gnu::always_inline]] bool present() const { return printable || teletex || universal; }
  bool operator==(const Text&) const = default;
  static Text of(std::string printable_value) {
    Text t;
    t.printable = std::move(printable_value);
    return t;
  }

  // What the defaulted members do, with one test for an absent value: an
  // OrAddress is 29 Texts, most of them absent, and it is copied and moved
  // whole (the strings are touched only when there is one).
  Text() = default;
  [[gnu::always_inline]] Text(const Text& o) : numeric(o.numeric) {
    if (o.present()) copy_strings(o);
  }
  [[gnu::always_inline]] Text(Text&& o) noexcept : numeric(o.numeric) {
    if (o.present()) move_strings(o);
  }
  [[gnu::always_inline]] Text& operator=(const Text& o) {
    if (present() || o.present()) assign_strings(o);
    numeric = o.numeric;
    return *this;
  }
  [[gnu::always_inline]] Text& operator=(Text&& o) noexcept {
    if (present() || o.present()) move_assign_strings(o);
    numeric = o.numeric;
    return *this;
  }
  ~Text() = default;

 private:
  void copy_strings(const Text& o);
  void move_strings(Text& o) noexcept;
  void assign_strings(const Text& o);
  void move_assign_strings(Text& o) noexcept;
};

// X.411 PersonalName / TeletexPersonalName / UniversalPersonalName, folded.
struct PersonalName {
  Text surname, given_name, initials, generation_qualifier;
  bool present() const {
    return surname.present() || given_name.present() || initials.present() || generation_qualifier.present();
  }
  bool operator==(const PersonalName&) const = default;
};

// The ASN.1 string type of a domain-defined attribute (type and value share it).
enum class DdaForm : std::uint8_t { printable, teletex, universal, bmp };

// X.411 BuiltInDomainDefinedAttribute / Teletex... / Universal... (in SEQUENCE order).
struct DomainDefinedAttribute {
  std::string type;
  std::string value;
  DdaForm form = DdaForm::printable;
  // Universal DDA (extension attribute 28): the iso-639-language-code of the type and
  // of the value (UniversalOrBMPString), empty when absent.
  std::string type_language = {};
  std::string value_language = {};
  bool operator==(const DomainDefinedAttribute&) const = default;
};

// An X.411 extension attribute the model has no key for (a type beyond 40, or
// one not defined): its type and its value's encoding, relayed unchanged.
struct OtherExtensionAttribute {
  int type = 0;
  std::vector<std::uint8_t> value;  // the extension-attribute-value's contents (one element)
  bool operator==(const OtherExtensionAttribute&) const = default;
};

// X.411 UnformattedPostalAddress (16) and its universal form (35).
struct UnformattedPostalAddress {
  std::vector<std::string> lines;      // printable-address, 1..6 lines
  std::optional<std::string> teletex;  // teletex-string
  std::optional<UniversalString> universal;
  bool operator==(const UnformattedPostalAddress&) const = default;
};

// X.411 extension attributes 7..22: the physical delivery (postal)
// attributes and the extended network address. They occur only in postal and
// terminal O/R addresses, so an OrAddress keeps them in one box
// (OrAddress::postal_network): a mnemonic address, the usual case, then has
// one null pointer instead of 17 Texts to construct, move, check and destroy.
struct PostalAndNetworkAttributes {
  Text pds_name;                          // PD-SERVICE (7)
  Text pd_country;                        // PD-C (8)
  Text postal_code;                       // PD-CODE (9)
  Text pd_office_name;                    // PD-OFFICE (10, 29)
  Text pd_office_number;                  // PD-OFFICE-NUM (11, 30)
  Text extension_or_address_components;   // PD-EXT-ADDRESS (12, 31)
  Text pd_personal_name;                  // PD-PN (13, 32)
  Text pd_organization_name;              // PD-O (14, 33)
  Text extension_pd_address_components;   // PD-EXT-DELIVERY (15, 34)
  std::optional<UnformattedPostalAddress> unformatted_postal_address;  // PD-ADDRESS (16, 35)
  Text street_address;                    // PD-STREET (17, 36)
  Text post_office_box_address;           // PD-BOX (18, 37)
  Text poste_restante_address;            // PD-RESTANTE (19, 38)
  Text unique_postal_name;                // PD-UNIQUE (20, 39)
  Text local_postal_attributes;           // PD-LOCAL (21, 40)
  Text e163_4_number;                     // NET-NUM (22, e163-4-address.number)
  Text e163_4_sub_address;                // NET-SUB (22, e163-4-address.sub-address)
  Text psap_address;                      // NET-PSAP (22, psap-address as RFC 1278 text)

  bool operator==(const PostalAndNetworkAttributes&) const = default;
};

// The box of PostalAndNetworkAttributes: absent, or present with its values;
// an empty box (every attribute absent) compares equal to none.
class PostalAndNetworkBox : public base::Boxed<PostalAndNetworkAttributes> {
 public:
  using Boxed::Boxed;
  using Boxed::operator=;
  // The attributes, or an empty set of them when there is no box.
  const PostalAndNetworkAttributes& get() const { return has_value() ? **this : kNone; }
  // The attributes, boxed first if there were none.
  PostalAndNetworkAttributes& make() { return has_value() ? **this : emplace(); }
  friend bool operator==(const PostalAndNetworkBox& a, const PostalAndNetworkBox& b) { return a.get() == b.get(); }

 private:
  static const PostalAndNetworkAttributes kNone;
};

// X.411 ORAddress. Absent attributes are empty optionals / !present() Texts.
// Sequences are in ASN.1 order: organizational_units[0] is OU1, the most
// significant (RFC 2156 §4.3.3 item 2); ddas[0] is the first DDA.
struct OrAddress {
  // Built-in standard attributes.
  Text country;                  // C      (P; numeric x121-dcc-code or iso-3166 alpha-2)
  Text admd;                     // ADMD   (P; may be " " or zero-length, RFC 2156 §4.2)
  Text network_address;          // X121   (N)
  Text terminal_identifier;      // T-ID   (P)
  Text prmd;                     // PRMD   (P)
  Text organization;             // O      (P/T; teletex is extension 3, universal 25)
  Text numeric_user_identifier;  // UA-ID  (N)
  PersonalName personal_name;    // PN, S, G, I, GQ (P/T; ext 4, 26)
  std::vector<Text> organizational_units;  // OU (P/T; ext 5, 27)
  std::vector<DomainDefinedAttribute> ddas;  // DD (P/T; ext 6, 28)
  // Extension attributes.
  Text common_name;                       // CN (ext 1, 2, 24)
  PostalAndNetworkBox postal_network;     // ext 7..22: postal() / postal_mut()
  std::optional<int> terminal_type;       // T-TY (23)
  std::vector<OtherExtensionAttribute> other_extension_attributes;  // types beyond 40 (no RFC 2156 key)

  bool operator==(const OrAddress&) const = default;
  bool empty() const;
  // Extension attributes 7..22 to read (an empty set when there are none) and to write.
  const PostalAndNetworkAttributes& postal() const { return postal_network.get(); }
  PostalAndNetworkAttributes& postal_mut() { return postal_network.make(); }
};

// X.402 §18.5 forms of O/R address.
enum class OrAddressForm { mnemonic, numeric, postal, terminal, invalid };

const char* form_name(OrAddressForm f);

// The X.402 form the attributes make up (attributes outside every form, or a
// form's mandatory attributes missing, give invalid).
OrAddressForm classify_form(const OrAddress& a);

// True if every present attribute may appear in a mnemonic O/R address
// (C, ADMD, PRMD, O, OU, PN, CN, DDA): RFC 2156 §4.3.4 step 7, §4.3.5 step 5.
bool only_mnemonic_attributes(const OrAddress& a);

// Checks X.411 upper bounds and the character set of every present value
// (PrintableString, NumericString); the error names the attribute key.
// Zero-length X.400(1984) attributes pass (RFC 2156 Appendix B null
// attributes; see kNull84 in or_address.cpp for which and why).
Result<bool> validate_x411(const OrAddress& a);
// validate_x411() for an X.400(1988) next hop: Appendix B's null attributes (zero-length C,
// PRMD, O, OU, ...) are "not legal in 1988, except for ADMD", so they fail as X.411's sizes say.
Result<bool> validate_x411_for_1988(const OrAddress& a);

// validate_x411() plus a valid X.402 form: what RFC 2156 §4.3.4 step 9 asks.
Result<bool> validate_x402(const OrAddress& a);

// X.411 GlobalDomainIdentifier (C, ADMD, optional PRMD).
struct GlobalDomainIdentifier {
  Text country;
  Text admd;
  Text prmd;  // !present() when absent
  bool operator==(const GlobalDomainIdentifier&) const = default;
};

// The C, ADMD and PRMD of an address.
GlobalDomainIdentifier global_domain_of(const OrAddress& a);

// X.411 upper bounds (MTSUpperBounds) used by the checks.
namespace ub {
inline constexpr std::size_t country_name_alpha = 2, country_name_numeric = 3, domain_name = 16,
                             x121_address = 16, terminal_id = 24, organization_name = 64,
                             numeric_user_id = 32, surname = 40, given_name = 16, initials = 5,
                             generation_qualifier = 3, organizational_unit_name = 32,
                             organizational_units = 4, domain_defined_attributes = 4,
                             dda_type = 8, dda_value = 128, common_name = 64, pds_name = 16,
                             postal_code = 16, pds_parameter = 30, pds_physical_address_lines = 6,
                             unformatted_address = 180, e163_4_number = 15,
                             e163_4_sub_address = 40, local_id = 32, mta_name = 32,
                             ipm_user_relative_identifier = 64, integer_options = 256;
}  // namespace ub

}  // namespace mixer::addressing
