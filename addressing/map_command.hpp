// addressing/map_command.hpp: the body of `mixer map` (single address and
// batch TSV), so that the CLI only parses flags and loads the context.
// Writes to the std::ostream it is given; reads a batch from a std::istream.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "addressing/mapping.hpp"
#include "base/refusal.hpp"

namespace mixer::addressing {

enum class MapDirection : std::uint8_t {
  automatic,  // an RFC 822 addr-spec goes to X.400, anything else is read as an O/R address
  to_x400,
  to_rfc822,
};

struct MapCommandOptions {
  MapDirection direction = MapDirection::automatic;
  bool explain = false;
  AddressRole role = AddressRole::smtp_recipient;
  std::size_t max_line_length = 4096;  // batch lines longer than this are refused
};

// The outcome of mapping one input line.
struct MapOutcome {
  std::string input;
  MapDirection direction = MapDirection::automatic;  // the direction used
  std::string result;                                // std-or text or RFC 822 address; empty on refusal
  Explanation explanation;
  std::optional<base::Refusal> refusal;  // to_refusal() for options.role
};

MapOutcome map_one(std::string_view input, const MapCommandOptions& options, const MappingContext& ctx);

// `mixer map ADDRESS`: prints the result (with --explain the rule, the table
// line and every step); a refusal prints "refused: TEXT [STATUS, X.411
// REASON/DIAGNOSTIC]" with the RFC 3463 status and the X.411 codes of its
// base::Refusal. Returns 0 when mapped, 1 when refused.
int run_map(std::string_view address, const MapCommandOptions& options, const MappingContext& ctx, std::ostream& out);

// Batch: one address per line ("#" lines and blank lines skipped); writes a
// TSV header then one row per address:
//   input  to  status  result  rule  source-or-reason  [steps]
// Returns 0 when every address mapped, 1 otherwise.
int run_map_batch(std::istream& in, const MapCommandOptions& options, const MappingContext& ctx, std::ostream& out);

}  // namespace mixer::addressing
