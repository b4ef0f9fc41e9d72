// addressing/std_or.hpp: the RFC 2156 §4.1 text form of an O/R address.
//
// Output: std-or-address (§4.1.3), "/G=Marshall/S=Rose/O=Widget/ADMD=BTT/C=TC/",
// keys from the §4.1.1 key table, components in the §4.3.3 order (least
// significant left; OUs and DDAs with the most significant on the right).
// Input: std-or-address-input (§4.1.3: "/" or ";" separators, the §4.1.1
// alternative and ordered keywords) and the RFC 1685 / F.401 Annex F labelled
// forms people type ("G=john; S=smith; O=a bank ltd; P=abl; A=snomail; C=aq",
// case-insensitive labels, spaces after separators, "DDA:type=value",
// doubled separators and "==" inside values and DDA types). Values are
// decoded by the key's encoding: P, N, P/T (teletex-and-or-ps, §3.3.4),
// UPA, I (labelled-integer) and X (RFC 1278 text, kept verbatim).
#pragma once

#include <string>
#include <string_view>

#include "addressing/error.hpp"
#include "addressing/or_address.hpp"

namespace mixer::addressing {

struct StdOrParseOptions {
  // RFC 2156 §4.3.4.1: when an O attribute stands to the left of plain OU
  // attributes, read the OUs as written most significant first (RFC 1685
  // order) instead of the §4.3.3 order.
  bool inverted_ou_heuristic = false;
  // Accept ";" as separator (§4.1.3 input syntax, RFC 1685).
  bool semicolons = true;
  // Accept an "X.400:" label before the address (F.401 Annex F.3.2.1).
  bool label_prefix = false;
  // Upper limit on input length, in octets (an explicit Limits value).
  std::size_t max_length = 4096;
};

struct ParsedOrAddress {
  OrAddress address;
  bool inverted_ou_order = false;  // §4.3.4.1 was applied
};

// Parses std-or-address-input / RFC 1685 text. Character sets are checked
// (P, N, T syntax); upper bounds are not (§4.3.4 step 4): see validate_x411().
Result<ParsedOrAddress> parse_std_or(std::string_view text, const StdOrParseOptions& options = {});

// parse_std_or(...).address, for callers that do not care about the flag.
Result<OrAddress> parse_or_address(std::string_view text, const StdOrParseOptions& options = {});

// Formats std-or-address. "/" and "=" in values become "$/" and "$="; a
// space following a space becomes "$ " (so §4.3.4 step 2 never sees two
// adjacent spaces); teletex octets outside ps-char become "{ddd}". Refuses
// attributes with no RFC 2156 text form (universal strings outside ps-char,
// printable slots holding non-PrintableString characters, an empty address)
// and text longer than the parser's default max_length (4096), so that
// whatever is formatted can be parsed.
Result<std::string> format_std_or(const OrAddress& address);

// std-or text for the attributes of a global domain identifier (§5.3.3.2 global-id).
Result<std::string> format_global_id(const GlobalDomainIdentifier& gdi);
// Parses global-id: a std-or with only C, ADMD and PRMD.
Result<GlobalDomainIdentifier> parse_global_id(std::string_view text);

// One P/T value in std-or value syntax (without "$" escaping): "yen*{165}".
Result<std::string> text_to_pt(const Text& t, const char* key);
// Reverse of text_to_pt for a P/T key; `numeric_choice` marks C/ADMD/PRMD-like keys.
Result<Text> pt_to_text(std::string_view value, const char* key, bool allow_teletex, bool numeric_choice);

}  // namespace mixer::addressing
