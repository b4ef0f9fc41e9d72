// addressing/message_id.hpp: message identifiers and trace domains.
//
//   RFC 2156 §4.7.3  IPMS.IPMIdentifier <-> 822.msg-id, symmetrical and
//                    algorithmic: "<147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/@MHS>"
//                    for X.400-generated IDs, the PrintableString encoding of
//                    the msg-id for RFC 822-generated ones; the phrase form
//                    (§4.7.3.5) and RFC 987 recognition (§4.7.3.6, off by default).
//   RFC 2156 §4.6.3  822.msg-id -> MTS.MTSIdentifier; §5.3 mts-msg-id text
//                    "[/PRMD=HMG/ADMD=GOLD 400/C=GB/;PC1000-910530172027-57D8]".
//   RFC 2156 §5.1.6  Received: "by" domain -> global domain identifier and
//                    MTA name of X.400 trace.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "addressing/error.hpp"
#include "addressing/mapping.hpp"
#include "addressing/or_address.hpp"

namespace mixer::addressing {

// X.420 IPMIdentifier: user (ORName, its O/R address here) and the
// user-relative-identifier (PrintableString, ub 64: §4.7.3.1 leaves
// truncation to the caller's §5.1.3 policy; the full value is returned).
struct IpmIdentifier {
  std::optional<OrAddress> user;
  std::string user_relative_identifier;
  bool operator==(const IpmIdentifier&) const = default;
};

// §4.7.3.3: 822.msg-id (with or without "<" ">") -> IPMIdentifier.
Result<IpmIdentifier> msg_id_to_ipm_identifier(std::string_view msg_id, const Heuristics& heuristics = {});

// §4.7.3.5: an In-Reply-To/References phrase -> IPMIdentifier.
Result<IpmIdentifier> phrase_to_ipm_identifier(std::string_view phrase);

enum class MsgIdUse : std::uint8_t {
  message_id,  // Message-ID: always a msg-id
  reference,   // In-Reply-To:, References: a phrase where §4.7.3.5 says so
};

struct Rfc822MessageId {
  std::string text;     // "<...>" or the phrase
  bool phrase = false;  // §4.7.3.5 phrase form
};

// §4.7.3.4 (and §4.7.3.5, §4.7.3.6): IPMIdentifier -> 822.msg-id.
Result<Rfc822MessageId> ipm_identifier_to_msg_id(const IpmIdentifier& id, MsgIdUse use = MsgIdUse::message_id,
                                                 const Heuristics& heuristics = {});

// X.411 MTSIdentifier.
struct MtsIdentifier {
  GlobalDomainIdentifier global_domain;
  std::string local_identifier;  // IA5String, ub 32
  bool operator==(const MtsIdentifier&) const = default;
};

// §4.6.3: 822.msg-id -> MTSIdentifier (global domain from the standard
// address mapping of the msg-id, local-identifier = the msg-id with its
// braces, truncated to 32).
Result<MtsIdentifier> msg_id_to_mts_identifier(std::string_view msg_id, const MappingContext& ctx);

// §5.3 mts-msg-id = "[" global-id ";" *text "]".
Result<std::string> format_mts_msg_id(const MtsIdentifier& id);
Result<MtsIdentifier> parse_mts_msg_id(std::string_view text);

// §5.1.6 Received: the global domain identifier for the "by" domain (from a
// table1 MCGAM when one matches, else the gateway's own) and the MTA name
// (the domain truncated to 32).
struct TraceDomain {
  GlobalDomainIdentifier global_domain;
  std::string mta_name;
  Explanation explanation;
};
TraceDomain trace_domain_for(std::string_view by_domain, const MappingContext& ctx);

}  // namespace mixer::addressing
