// addressing/std_or_keys.cpp: RFC 2156 §4.1.1 key table and alternatives.
#include "addressing/std_or_keys.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>

#include "addressing/charset.hpp"

namespace mixer::addressing::keys {

namespace {

const KeyDef kKeys[] = {
    // 84/88 attributes
    {"C", Enc::pn, Kind::text, &OrAddress::country},
    {"ADMD", Enc::pn, Kind::text, &OrAddress::admd},
    {"PRMD", Enc::pn, Kind::text, &OrAddress::prmd},
    {"X121", Enc::n, Kind::text, &OrAddress::network_address},
    {"T-ID", Enc::p, Kind::text, &OrAddress::terminal_identifier},
    {"O", Enc::pt, Kind::text, &OrAddress::organization},
    {"OU", Enc::pt, Kind::ou, nullptr},
    {"UA-ID", Enc::n, Kind::text, &OrAddress::numeric_user_identifier},
    {"PN", Enc::pt, Kind::pn, nullptr},
    {"S", Enc::pt, Kind::surname, nullptr},
    {"G", Enc::pt, Kind::given, nullptr},
    {"I", Enc::pt, Kind::initials, nullptr},
    {"GQ", Enc::pt, Kind::gq, nullptr},
    {"DD", Enc::pt, Kind::dd, nullptr},
    // 88 attributes
    {"CN", Enc::pt, Kind::text, &OrAddress::common_name},
    {"PD-SERVICE", Enc::p, Kind::text, nullptr, &PostalAndNetworkAttributes::pds_name},
    {"PD-C", Enc::pn, Kind::text, nullptr, &PostalAndNetworkAttributes::pd_country},
    {"PD-CODE", Enc::pn, Kind::text, nullptr, &PostalAndNetworkAttributes::postal_code},
    {"PD-OFFICE", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::pd_office_name},
    {"PD-OFFICE-NUM", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::pd_office_number},
    {"PD-EXT-ADDRESS", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::extension_or_address_components},
    {"PD-PN", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::pd_personal_name},
    {"PD-O", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::pd_organization_name},
    {"PD-EXT-DELIVERY", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::extension_pd_address_components},
    {"PD-ADDRESS", Enc::upa, Kind::upa, nullptr},
    {"PD-STREET", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::street_address},
    {"PD-BOX", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::post_office_box_address},
    {"PD-RESTANTE", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::poste_restante_address},
    {"PD-UNIQUE", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::unique_postal_name},
    {"PD-LOCAL", Enc::pt, Kind::text, nullptr, &PostalAndNetworkAttributes::local_postal_attributes},
    {"NET-NUM", Enc::n, Kind::text, nullptr, &PostalAndNetworkAttributes::e163_4_number},
    {"NET-SUB", Enc::n, Kind::text, nullptr, &PostalAndNetworkAttributes::e163_4_sub_address},
    {"NET-PSAP", Enc::x, Kind::text, nullptr, &PostalAndNetworkAttributes::psap_address},
    {"T-TY", Enc::i, Kind::terminal_type, nullptr},
    // RFC 1685 / F.401: ISDN may be read as an E.163/E.164 number (§4.1.1).
    {"ISDN", Enc::n, Kind::isdn, nullptr, &PostalAndNetworkAttributes::e163_4_number},
};

// §4.1.1 keyword alternative table (recognised on input, never generated).
struct Alias {
  const char* alias;
  const char* name;
};
const Alias kAliases[] = {
    {"A", "ADMD"},          {"P", "PRMD"},           {"Q", "GQ"},
    {"X.121", "X121"},      {"N-ID", "UA-ID"},       {"PD-OFFICE NUMBER", "PD-OFFICE-NUM"},
    {"PD-OFN", "PD-OFFICE-NUM"}, {"PD-EA", "PD-EXT-ADDRESS"}, {"PD-ED", "PD-EXT-DELIVERY"},
    {"PD-OF", "PD-OFFICE"}, {"PD-S", "PD-STREET"},   {"PD-U", "PD-UNIQUE"},
    {"PD-L", "PD-LOCAL"},   {"PD-R", "PD-RESTANTE"}, {"PD-B", "PD-BOX"},
    {"PD-PC", "PD-CODE"},   {"PD-SN", "PD-SERVICE"}, {"DDA", "DD"},
    {"E.164", "NET-NUM"},   {"PSAP", "NET-PSAP"},    {"PD-A", "PD-ADDRESS"},
};

struct TerminalLabel {
  const char* label;
  int value;
};
const TerminalLabel kTerminal[] = {{"tlx", 3}, {"ttx", 4}, {"g3fax", 5}, {"g4fax", 6}, {"ia5", 7}, {"vtx", 8},
                                   // X.411 TerminalType names, accepted on input
                                   {"telex", 3}, {"teletex", 4}, {"g3-facsimile", 5}, {"g4-facsimile", 6},
                                   {"ia5-terminal", 7}, {"videotex", 8}};

// Every key and alternative keyword in lower case with its definition,
// sorted, for a binary search (what the two linear searches over kKeys and
// kAliases find; the names of the two lists do not meet).
struct Lookup {
  std::array<std::pair<std::string_view, const KeyDef*>, std::size(kKeys) + std::size(kAliases)> entries{};
  std::array<std::array<char, 20>, std::size(kKeys) + std::size(kAliases)> lower{};
};

const Lookup& lookup() {
  static const Lookup table = [] {
    Lookup t;
    std::size_t n = 0;
    auto add = [&](std::string_view name, const KeyDef* def) {
      auto& buf = t.lower[n];
      for (std::size_t i = 0; i < name.size(); ++i) buf[i] = ascii_lower(name[i]);
      t.entries[n++] = {std::string_view(buf.data(), name.size()), def};
    };
    for (const auto& d : kKeys) add(d.name, &d);
    for (const auto& a : kAliases) {
      const KeyDef* def = nullptr;
      for (const auto& d : kKeys)
        if (std::string_view(a.name) == d.name) def = &d;
      add(a.alias, def);
    }
    std::sort(t.entries.begin(), t.entries.end());
    return t;
  }();
  return table;
}

}  // namespace

const KeyDef* find_key(std::string_view k) {
  char buf[20];
  if (k.size() > sizeof buf) return nullptr;  // longer than every key
  for (std::size_t i = 0; i < k.size(); ++i) buf[i] = ascii_lower(k[i]);
  const std::string_view lk(buf, k.size());
  const auto& e = lookup().entries;
  const auto it = std::lower_bound(e.begin(), e.end(), lk, [](const auto& x, std::string_view v) { return x.first < v; });
  return it != e.end() && it->first == lk ? it->second : nullptr;
}

const KeyDef& key(std::string_view name) {
  for (const auto& d : kKeys)
    if (name == d.name) return d;
  return kKeys[0];  // unreachable for the names used in this library
}

Text& text_of(OrAddress& a, const KeyDef& k) { return k.field ? a.*(k.field) : a.postal_mut().*(k.postal_field); }

const Text& text_of(const OrAddress& a, const KeyDef& k) { return k.field ? a.*(k.field) : a.postal().*(k.postal_field); }

const char* terminal_type_label(int value) {
  for (int i = 0; i < 6; ++i)
    if (kTerminal[i].value == value) return kTerminal[i].label;
  return "";
}

// labelled-integer: [ key-string ] "(" numericstring ")", or a bare label or number.
std::optional<int> parse_terminal_type(std::string_view t) {
  auto number = [](std::string_view s) -> std::optional<int> {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (!is_all_digits(s) || s.size() > 5) return std::nullopt;
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
  };
  const std::size_t open = t.find('(');
  if (open != std::string_view::npos) {
    if (t.empty() || t.back() != ')') return std::nullopt;
    const auto v = number(t.substr(open + 1, t.size() - open - 2));
    const std::string_view label = t.substr(0, open);
    for (char c : label)
      if (!(is_domain_label(std::string_view(&c, 1)) || c == '-')) return std::nullopt;
    return v;
  }
  if (auto v = number(t)) return v;
  for (const auto& l : kTerminal)
    if (iequals(t, l.label)) return l.value;
  return std::nullopt;
}

}  // namespace mixer::addressing::keys
