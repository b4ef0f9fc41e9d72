// addressing/detail.hpp: the fast paths the mappings share (internal to
// addressing/): checks that answer yes or no without writing a refusal,
// O/R addresses built and changed in place, MCGAM values read as views.
// Each computes exactly what the public function it stands for computes.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "addressing/dmn_or.hpp"
#include "addressing/error.hpp"
#include "addressing/or_address.hpp"
#include "addressing/rfc822_address.hpp"
#include "addressing/std_or.hpp"
#include "addressing/tables.hpp"

namespace mixer::addressing {
struct MappingContext;
}

namespace mixer::addressing::detail {

// t == Text{}.
inline bool is_default(const Text& t) { return !t.printable && !t.teletex && !t.universal && !t.numeric; }

// validate_x411(a).ok() / validate_x402(a).ok(), without writing the refusal.
bool x411_ok(const OrAddress& a);
bool x402_ok(const OrAddress& a);

// a = OrAddress{} (vectors keep their capacity).
void clear(OrAddress& a);

// without_levels(a, levels).empty(): nothing is left of the address once the
// hierarchy levels [0, levels) (C, ADMD, PRMD, O, then OUs from OU1) are taken away.
bool empty_without_levels(const OrAddress& a, std::size_t levels);
// without_levels(a, levels) holds nothing but its personal name (which may be absent).
bool only_personal_name(const OrAddress& a, std::size_t levels);

// A table1 MCGAM's right side (Appendix F §5 dmn-or-address, validated when
// the table was loaded) as views into the table text: raw[level] is the value
// with its "\." escapes, present[level] false for an omitted level ("@").
struct McgamLevels {
  std::array<std::string_view, kLevels> raw{};
  std::array<bool, kLevels> present{};
  std::size_t depth = 0;
};
// What parse_mcgam_or(text) reads, without copying; false if it is not valid.
bool read_mcgam(std::string_view text, McgamLevels& out);
// The Text prefix_address() makes of a level value ("\." resolved; numeric
// when numeric_choice and all digits), written over t.
void set_level_text(Text& t, std::string_view raw, bool numeric_choice);

// ps_encode(ascii) appended to out; false (out part-written) for an octet above 127.
bool ps_encode_append(std::string& out, std::string_view ascii);

// format_local_part(local) leaves the local-part as it is (a dot-atom).
bool is_dot_atom_local(std::string_view local);

// rfc822_ddas(ps_encoded) appended to out, the text moved in when one
// attribute holds it.
std::optional<Error> append_rfc822_ddas(std::string&& ps_encoded, std::vector<DomainDefinedAttribute>& out);

// parse_rfc822_address() into an empty address.
std::optional<Error> parse_rfc822_address_into(std::string_view text, Rfc822Address& out, std::size_t max_length = 4096);

// parse_rfc822_address(text, max_length).ok(), without keeping what it reads;
// routed: the address has a route ("@a,@b:").
bool is_rfc822_address(std::string_view text, bool& routed, std::size_t max_length = 4096);

// prefix_key(prefix_of(a), kLevels), with where each level's part starts.
struct OrLookupKey {
  std::string text;
  std::array<std::uint32_t, kLevels> starts{};  // OU4's part first, C's last
};
// The key of `a`; false (and no key) when prefix_of(a) has no C, as
// match_or() then finds nothing.
bool or_lookup_key(const OrAddress& a, OrLookupKey& key);

struct TableAccess {
  // match_or(kind, prefix_of(a)) given or_lookup_key(a).
  static std::optional<TableHit> match_or(const MappingTables& t, TableKind kind, const OrLookupKey& key);
};

// §5.1.6 trace_domain_for(by): whether postmaster@by maps through a table1
// MCGAM at stage I (found: gdi gets the C, ADMD, PRMD of the mapping, hit its
// entry), does not meet one (none), or needs the whole mapping to tell (unsure).
enum class TraceMcgam { found, none, unsure };
TraceMcgam trace_mcgam(std::string_view by, const MappingContext& ctx, GlobalDomainIdentifier& gdi, TableHit& hit);

// parse_std_or() into an empty O/R address.
std::optional<Error> parse_std_or_into(std::string_view text, const StdOrParseOptions& options, OrAddress& out,
                                       bool& inverted_ou_order);

// format_std_or(without_levels(a, levels)), without the copy.
Result<std::string> format_std_or_without_levels(const OrAddress& a, std::size_t levels);

}  // namespace mixer::addressing::detail
