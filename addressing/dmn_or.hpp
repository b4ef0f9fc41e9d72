// addressing/dmn_or.hpp: the dmn-or-address syntax of RFC 2156 Appendix F §3
// ("PRMD$UK\.AC.ADMD$GOLD 400.C$GB"), an O/R address written as a domain so
// that table lookups are domain -> domain, and the MCGAM hierarchy
// C, ADMD, PRMD, O, OU1..OU4 (§4.2) that table keys and MCGAM values use.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "addressing/error.hpp"
#include "addressing/or_address.hpp"

namespace mixer::addressing {

// One "attribute$value" of a dmn-or-address.
struct DmnPart {
  std::string attribute;  // standard-type, or the DDA type when dda
  bool dda = false;       // "~type$value"
  std::string value;      // "\." resolved
  bool omitted = false;   // value "@": the level is omitted (Appendix F §3)
};

// Parses dmn-or-address; parts come in text order (least significant first).
Result<std::vector<DmnPart>> parse_dmn_or(std::string_view text);

// The MCGAM hierarchy levels (§4.2), most significant first.
enum class Level : std::uint8_t { c, admd, prmd, o, ou1, ou2, ou3, ou4 };
inline constexpr std::size_t kLevels = 8;
const char* level_key(std::size_t level);  // "C", "ADMD", "PRMD", "O", "OU"

// A point of the O/R hierarchy: values from C down to depth-1; a nullopt
// value is an omitted level ("@").
struct OrPrefix {
  std::array<std::optional<std::string>, kLevels> values;
  std::size_t depth = 0;
  bool operator==(const OrPrefix&) const = default;
};

// Parses a dmn-or-address restricted to Appendix F §3 a-b: only C, ADMD,
// PRMD, O and up to four OUs, most significant on the right, no level
// skipped (a missing PRMD level counts as omitted, as in the Appendix F §5
// example XEROX.COM#O$Xerox.ADMD$ATT.C$US#), C present.
Result<OrPrefix> parse_mcgam_or(std::string_view text);

// Canonical lookup key of the first `depth` levels of a prefix: lower case,
// spaces squeezed (§4.3.5 step 1), ADMD "" as " ", dots escaped, most
// significant on the right ("prmd$uk\.ac.admd$gold 400.c$gb").
std::string prefix_key(const OrPrefix& p, std::size_t depth);

// The hierarchy values of an address (C, ADMD, PRMD, O, OU1..OU4) as used
// for lookup, with depth = deepest present level + 1.
OrPrefix prefix_of(const OrAddress& a);

// The attributes of a prefix as an OrAddress (omitted levels left absent).
OrAddress prefix_address(const OrPrefix& p);

// Converts a general dmn-or-address (Appendix F §7 gateway values: any
// attribute, "~TYPE" DDAs) to an O/R address; "@" parts are left out.
Result<OrAddress> dmn_to_or_address(std::string_view text);

// dmn-or-address text of a prefix (as tables write it, most significant right).
std::string format_dmn_prefix(const OrPrefix& p);

}  // namespace mixer::addressing
