// mapping/dsn_status.hpp: X.411 non-delivery reason and diagnostic codes as
// a DSN sees them (RFC 2156 §5.3.8.2): the RFC 3463 status code of the
// table, the dr-diagnostic text of §5.3.8.1 ("Reason 1 (unable-to-transfer);
// Diagnostic 0 (unrecognised-OR-name)") and the English words of the
// human-readable part. Pure functions; codes are untrusted integers (any
// value gives an answer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mixer::mapping::dsn {

// §5.3.8.2: the status for a non-delivery with this reason and diagnostic.
// A diagnostic the table lists decides; otherwise the reason's "C/Any" row;
// codes the table does not know (1992+ reasons and diagnostics) give the
// class their reason gives, 5.0.0 for an unknown reason.
std::string status_of(std::int64_t reason, std::optional<std::int64_t> diagnostic);

// §5.3.8.1 dr-diagnostic: "Reason" labelled-integer-2 [";" "Diagnostic" labelled-integer-2].
std::string dr_diagnostic(std::int64_t reason, std::optional<std::int64_t> diagnostic);

// The §5.3.8.2 "X400 meaning" of a reason or diagnostic for the
// human-readable part ("Unable to transfer", "Unrecognized OR name"), or the
// X.411 name in words for the codes the table leaves out.
std::string reason_words(std::int64_t reason);
std::string diagnostic_words(std::int64_t diagnostic);

}  // namespace mixer::mapping::dsn
