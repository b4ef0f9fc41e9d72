// gateway/cli/convert.hpp: `mixer convert` (the mapping engine offline) and
// `mixer conformance` (conformance vectors through the same code).
//
//   mixer convert --to x400 [-c FILE] --mail-from ADDR --rcpt ADDR [--rcpt ADDR]... [--notify LIST]
//                 [--orcpt ADDR] [--ret full|hdrs] [--envid ID] [--peer-mode 1984|1988] [--json]
//                 [-o OUT] FILE.eml|-
//   mixer convert --to rfc822 [-c FILE] [--envelope OUT.json] [-o OUT] FILE.ber|FILE.json|-
//   mixer conformance [-c FILE] [--filter TEXT] [--output DIR] DIR...
//
// A --rcpt may carry its own RFC 3461 parameters after the address
// ("a@b NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x@y"); --notify and --orcpt are
// the defaults of the recipients that do not. --now (ISO 8601) fixes the
// clock and --local-id the unique identifier, so outputs are reproducible.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace mixer::cli {

struct ConvertOptions {
  std::string to;                       // "x400" or "rfc822"
  std::string input = "-";              // FILE or "-"
  std::filesystem::path output;         // empty: stdout
  std::filesystem::path envelope;       // --to rfc822: the SMTP envelope as JSON
  std::string mail_from;
  bool mail_from_given = false;
  std::vector<std::string> rcpts;
  std::string notify;                   // default NOTIFY for every --rcpt without one
  std::string orcpt;                    // default ORCPT likewise
  std::string ret;                      // full | hdrs
  std::string envid;
  int peer_mode = 1988;
  bool peer_bp14 = false;  // with peer_mode 1984: the peer takes BP14 (p1.peers bp14)
  bool json = false;                    // --to x400: JSON of mixer decode --json instead of BER
  std::string now;                      // ISO 8601 time of conversion; empty: the system clock
  std::string local_id;                 // unique id for the MTS identifier; empty: from the clock and content
  bool lenient = false;                 // --to rfc822: decode as `mixer decode --lenient` (bounds, time syntax)
};

// The convert options on `app` (the subcommand, or a vector's args parser).
void add_convert_options(CLI::App& app, ConvertOptions& o);

// What one conversion produced.
struct ConvertOutcome {
  int status = 0;                        // 0 converted, 1 refused or invalid input, 2 usage/config
  std::string output;                    // the RFC 5322 octets, the BER, or the JSON
  std::string ber;                       // --to x400: the MTS-APDU's BER, also when output is its JSON
  std::string envelope_json;             // --to rfc822
  std::string refusal;                   // first line of the reason when refused
  std::vector<std::string> recipient_refusals;  // "ADDRESS: reason" per refused recipient
  std::vector<std::string> notes;        // what the output is, when it is not the obvious (a DSN's report)
  // --to x400 of a DSN that also reports delayed, relayed or expanded recipients: the IPM
  // it becomes beside the report (RFC 2156 §5.1.8.3), BER or JSON as `output`; written to
  // OUTPUT.ipm.
  std::string beside;
  std::string error;                     // usage, config or input error
};

// Runs one conversion of `input` (the file's octets) with the config at `config`.
ConvertOutcome run_convert(const std::filesystem::path& config, const ConvertOptions& o, const std::string& input);

int convert_command(const std::filesystem::path& config, const ConvertOptions& o);
int conformance_command(const std::filesystem::path& config, const std::string& filter,
                        const std::vector<std::string>& dirs, const std::filesystem::path& output_dir);

}  // namespace mixer::cli
