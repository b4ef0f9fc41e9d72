// tests/unit/mapping/roundtrip_support.hpp: what unit.mapping_roundtrip
// needs around the engine: a Context from a mixer.yaml (the same addressing
// runtime `mixer convert` builds), the engine's X.400 output as BER and its
// JSON (mixer decode --json), and the RFC 5322 values the properties compare.
// The p1 value types are touched in roundtrip_support.cpp only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mapping/engine.hpp"

namespace mixer::mapping::test {

using Json = nlohmann::ordered_json;

// A gateway: its runtime (config, MCGAM tables, identity) and a Context on it.
struct Gateway {
  std::shared_ptr<const void> keep;  // the runtime the Context points into
  Context ctx;
  std::string error;                 // set when the config did not load
};
Gateway load_gateway(const std::string& yaml, const std::string& now_utc = "2026-12-03T10:00:05Z");

// One conversion each way, through the engine's API, as octets.
struct X400Out {
  bool ok = false;
  std::string refusal;                  // when not ok
  std::vector<std::uint8_t> ber;        // the MTS-APDU (Message)
  Json json;                            // its mixer decode --json form, the IPM content decoded
  std::vector<std::string> refused;     // recipients refused
  std::vector<std::string> losses;
};
X400Out internet_to_x400(const Gateway& g, const SmtpEnvelope& env, const std::string& content,
                         const std::string& local_id, const ToX400Options& options = {});

struct InternetOut {
  bool ok = false;
  std::string refusal;
  std::string content;
  SmtpEnvelope envelope;
  std::vector<std::string> refused;
  std::vector<std::string> losses;
};
InternetOut x400_to_internet(const Gateway& g, const std::vector<std::uint8_t>& ber);

// The JSON of an MTS-APDU's BER (false: error set), and back.
bool json_of(const std::vector<std::uint8_t>& ber, Json& out, std::string& error);
bool ber_of(const Json& json, std::vector<std::uint8_t>& out, std::string& error);

// ---- RFC 5322 values

struct Header {
  std::string name;   // as written
  std::string value;  // unfolded
};
struct Parsed {
  bool ok = false;
  std::vector<Header> fields;
  std::string body;
  std::vector<std::string> named(const std::string& name) const;  // unfolded values, case-insensitive name
};
Parsed parse(const std::string& content);

// addr-specs of address-list values ("local@domain", the domain lower-cased:
// RFC 5321 §2.4), groups flattened to their members; nullopt when one does not parse.
std::optional<std::vector<std::string>> addr_specs(const std::vector<std::string>& values);
// The group names of address-list values.
std::vector<std::string> group_names(const std::vector<std::string>& values);
// msg-ids of msg-id lists ("<a@b>"), phrases left out.
std::vector<std::string> msg_ids(const std::vector<std::string>& values);
// A date-time as the instant it names (seconds since the epoch, UTC).
std::optional<std::int64_t> instant(const std::string& value);
// The text of an unstructured value, encoded words decoded (UTF-8).
std::optional<std::string> decoded_text(const std::string& value);

// A vector file's octets with LF line ends made CRLF, as `mixer convert` reads them.
std::string read_crlf(const std::string& path);
// The SMTP envelope of the body part vectors' messages: jane@example.org to S.Kille@cs.ucl.ac.uk.
SmtpEnvelope vector_envelope();

}  // namespace mixer::mapping::test
