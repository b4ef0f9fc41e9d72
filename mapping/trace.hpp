// mapping/trace.hpp: X.400 trace as RFC 2156 writes it, both ways.
//
//   §5.3.7 x400-trace (X400-Received:) <-> one element of trace or internal
//   trace: "by" md-and-mta ";" ["deferred until" date-time ";"]
//   ["converted" "(" encoded-info ")" ";"] ["attempted" md-or-mta ";"]
//   action-list ";" arrival-time.
//   §5.3.7 the merge of trace-information and internal-trace-information
//   into one ordered list (an internal element that repeats an external one
//   but for its MTA is shown alone).
//   §5.1.6 the trace built from Date:/Resent-Date: and Received: fields.
//
// TraceEntry is the neutral form between the two sides (dates as
// imf::DateTime, the global domain as the addressing model). Pure functions;
// field values are untrusted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "addressing/or_address.hpp"
#include "imf/date_time.hpp"
#include "imf/limits.hpp"
#include "mapping/syntax.hpp"
#include "p1/mts/types.hpp"

namespace mixer::mapping {

struct TraceEntry {
  addressing::GlobalDomainIdentifier domain;
  std::optional<std::string> mta;              // set: an element of internal trace (its MTA name)
  std::optional<imf::DateTime> deferred_until;
  std::optional<syntax::EncodedInfo> converted;
  // attempted: an MD (global domain) or an MTA (name)
  std::optional<std::variant<addressing::GlobalDomainIdentifier, std::string>> attempted;
  std::int64_t routing_action = 0;  // relayed(0), rerouted(1)
  bool redirected = false;          // other-actions redirected(0)
  bool expanded = false;            // other-actions dl-operation(1)
  imf::DateTime arrival;
  bool operator==(const TraceEntry&) const = default;
};

// §5.3.7 x400-trace text of an entry; nullopt when a part has no text form
// (a global domain std-or cannot write, a date outside RFC 5322's years).
std::optional<std::string> format_x400_trace(const TraceEntry& e);
// Parses an X400-Received: value (unfolded or folded); nullopt when it does not follow the BNF.
std::optional<TraceEntry> parse_x400_trace(std::string_view value, const imf::Limits& limits);

// UTCTime / GeneralizedTime text (as X.411 carries it) -> DateTime, and back
// as UTCTime with a numeric offset (§3.3.5); nullopt when invalid / outside 1980-2079.
std::optional<imf::DateTime> time_of(const p1::mts::Time& t);
std::optional<p1::mts::Time> utc_time_of(const imf::DateTime& t);

// The trace of a transfer envelope as entries, most recent LAST (the
// X.411 order), external and internal merged as §5.3.7 says: an internal
// element is shown instead of the external one it repeats but for the MTA,
// the internal elements before it with it; the others keep their order.
// Entries whose times cannot be read are skipped and counted in `unreadable`.
std::vector<TraceEntry> merge_trace(const p1::mts::TraceInformation& trace,
                                    const p1::mts::InternalTraceInformation* internal, std::size_t& unreadable);

// An entry as X.411 values (for the Internet -> X.400 direction): the
// element of trace-information (always) and, when `mta` is set, of
// internal-trace-information.
std::optional<p1::mts::TraceInformationElement> trace_element_of(const TraceEntry& e);
std::optional<p1::mts::InternalTraceInformationElement> internal_trace_element_of(const TraceEntry& e);

// How many MIXER conversions an entry list records: elements whose
// converted EITs include eit-mixer (RFC 2156 Appendix D, §5.1.5's loop count).
std::size_t mixer_conversions(const std::vector<TraceEntry>& entries);

}  // namespace mixer::mapping
