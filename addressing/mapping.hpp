// addressing/mapping.hpp: RFC 2156 §4.3 address mapping in both directions.
//
//   map_rfc822_to_x400()  §4.3.4 stages I and II (MCGAM via table1, std-or or
//                         encoded-pn local parts, RFC-822 DDA encapsulation at
//                         an MCGAM, preferred-gateway or the local gateway).
//   map_x400_to_rfc822()  §4.3.5 mappings A (RFC-822 DDA) and B (table2,
//                         gateway-domain, else std-or at the gateway's domain).
// Pure functions of their arguments: a MappingContext holds the gateway's
// identity, the heuristics switches and the loaded tables. Every result
// carries an Explanation (rule sections and table FILE:LINE used); an
// address that cannot be mapped comes back as an Error, never altered.
#pragma once

#include <string>
#include <vector>

#include "addressing/error.hpp"
#include "addressing/or_address.hpp"
#include "addressing/rfc822_address.hpp"
#include "addressing/tables.hpp"

namespace mixer::addressing {

// The gateway's identity on both sides (from the config's gateway section).
struct GatewayIdentity {
  OrAddress or_address;                  // the gateway's own O/R address (§4.3.4 stage II default)
  std::string domain;                    // the gateway's Internet domain (§4.3.5 default domain)
  std::string mta_name;                  // MTA name in trace
  GlobalDomainIdentifier global_domain;  // C, ADMD, PRMD of trace and MTS identifiers
  std::vector<std::string> local_domains;  // names of this gateway, for SourceRoutes::strip_local
};

// Builds a GatewayIdentity from config text; refuses an O/R address that is
// not a valid X.400 address or a domain that is not domain-syntax.
Result<GatewayIdentity> make_gateway_identity(std::string_view or_address_std_or, std::string_view domain,
                                              std::string_view mta_name, std::string_view country,
                                              std::string_view admd, std::string_view prmd);

// §4.3.4 stage I step 1: what to do with RFC 822 source routes.
enum class SourceRoutes : std::uint8_t {
  keep,         // map the whole route-addr (stage II), as the RFC prefers
  strip,        // reduce to the final addr-spec (RFC 1123 practice)
  strip_local,  // remove only leading route domains naming this gateway
};

struct Heuristics {
  SourceRoutes source_routes = SourceRoutes::keep;
  bool inverted_ou_order = false;       // §4.3.4.1 (off: the §4.3.3 order only)
  bool semicolon_local_part = true;     // §4.1.3 input syntax ";" accepted in local parts
  bool rfc987_message_ids = false;      // §4.7.3.6 (not recommended by the RFC)
};

struct MappingContext {
  GatewayIdentity gateway;
  Heuristics heuristics;
  MappingTables::Ptr tables;  // never null: use MappingTables::empty()
};

// Which address is being mapped; chooses the §4.3.4 stage II default.
enum class AddressRole : std::uint8_t {
  smtp_originator,  // SMTP return address: the local gateway's O/R address
  smtp_recipient,   // X.400-routed RFC 822 island: as for IPMS addresses
  ipms,             // header addresses: preferred-gateway table, then local gateway
};

// One step of a mapping, for `mixer map --explain` and logs.
struct ExplanationStep {
  std::string section;  // "RFC 2156 §4.3.4 stage I step 8"
  std::string text;     // what happened
  std::string source;   // table FILE:LINE, when a table entry was used
};

struct Explanation {
  std::vector<ExplanationStep> steps;
  std::string rule;    // the deciding rule, e.g. "§4.3.4 stage II (RFC-822 DDA at preferred gateway)"
  std::string source;  // the deciding table FILE:LINE, or empty
  void add(std::string section, std::string text, std::string source = {});
};

struct X400Mapping {
  OrAddress address;
  Explanation explanation;
  bool encapsulated = false;  // §4.3.4 stage II: the RFC 822 address rides in RFC-822 attributes
};

struct Rfc822Mapping {
  std::string address;  // addr-spec (route-addr for source routes kept by Mapping A)
  Explanation explanation;
};

// RFC 822 -> X.400 (§4.3.4). Input is an 822-address ("<@a:b@c>", "b@c").
Result<X400Mapping> map_rfc822_to_x400(std::string_view rfc822_address, AddressRole role, const MappingContext& ctx);
Result<X400Mapping> map_rfc822_to_x400(const Rfc822Address& address, AddressRole role, const MappingContext& ctx);

// X.400 -> RFC 822 (§4.3.5).
Result<Rfc822Mapping> map_x400_to_rfc822(const OrAddress& address, AddressRole role, const MappingContext& ctx);

// §4.4.1: when an X.400 address maps (Mapping A) to an RFC 822 address that
// this gateway maps straight back to X.400 through an MCGAM, the X.400
// address to use instead of converting the message; nullopt otherwise.
std::optional<X400Mapping> recursive_x400(const OrAddress& address, const MappingContext& ctx);

// §4.3.2: the RFC-822 domain-defined attributes for a PrintableString-encoded
// address: "RFC-822", then RFC822C1..C3 for each further 128 characters.
Result<std::vector<DomainDefinedAttribute>> rfc822_ddas(std::string_view ps_encoded);

// §4.3.5 / §4.3.2: the RFC 822 address carried in RFC-822 DDAs (printable or
// teletex, RFC822C1..C3 appended), nullopt when there is none; an Error when
// the DDAs contradict each other.
Result<std::optional<std::string>> rfc822_from_ddas(const OrAddress& address);

}  // namespace mixer::addressing
