// gateway/cli/codec.hpp: `mixer decode` and `mixer encode` (DESIGN.md "The
// command line"): X.400 BER <-> a readable tree (like tshark -V, but our
// types) or JSON, so test vectors can be written and reviewed as text.
//
//   mixer decode FILE [--as auto|mts-apdu|ipm|ipn|information-object|report-content|envelope|or-name] [--json]
//   mixer encode FILE.json [-o OUT] [--hex]
//
// FILE may hold BER or its hex text (whitespace ignored); "-" is stdin. The
// JSON is {"type": TYPE, "value": TREE} with, for an MTS message whose
// content type is an IPM (2 or 22), "content": {"type":
// "information-object", "value": TREE} decoded from the content octets
// (or "content-error" when they are not a valid IPM); `encode` rebuilds the
// octets from it when it was edited and keeps them otherwise. In a TREE, CHOICE is an object
// with the chosen alternative, octets are {"hex": "..."}, BIT STRINGs are
// strings of 0 and 1. decode -> encode gives the same octets for DER-like
// input and the same values otherwise. Exit status: 0 done, 1 the input is
// not a valid value (the error names the field path), 2 usage.
#pragma once

#include <filesystem>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

namespace mixer::cli {

struct DecodeOptions {
  std::filesystem::path file;  // "-": stdin
  std::optional<std::string> data;  // the octets themselves, instead of a file
  std::string as = "auto";
  bool json = false;
  bool decode_content = true;  // also decode an IPM message's content
  bool lenient = false;        // do not enforce the X.411 / X.420 upper bounds
};

struct EncodeOptions {
  std::filesystem::path file;    // the JSON; "-": stdin
  std::filesystem::path output;  // empty: stdout
  bool hex = false;              // write hex text rather than BER octets
};

// An MTS-APDU's BER as the JSON `mixer decode --json` writes (an IPM
// content decoded too); false with the error (a field path) otherwise.
bool apdu_to_json(const std::vector<std::uint8_t>& ber, std::string& json, std::string& error);
// That JSON (or any `decode --json` output of type mts-apdu) back to BER.
bool apdu_from_json(const std::string& json, std::vector<std::uint8_t>& ber, std::string& error, bool lenient = false);

int decode_command(const DecodeOptions& options, std::ostream& out = std::cout, std::ostream& err = std::cerr);
int encode_command(const EncodeOptions& options, std::ostream& out = std::cout, std::ostream& err = std::cerr);

}  // namespace mixer::cli
