// mapping/syntax.hpp: the values of RFC 2156's extended header fields, as
// Appendix E writes them, in both directions: labelled-integer (§3.3.6),
// object-identifier (§3.3.7), encoded-info (§5.3.3.1), global-id (§5.3.3.2),
// mts-content-type, and the keyword values (priority, importance,
// sensitivity, prohibition, boolean, autosubmitted, redirection-reason, the
// IPN words). Formatting writes the canonical form; parsing accepts what the
// BNF allows (case-insensitive keywords, the RFC 987 / RFC 1327 spellings
// named in comments) and gives nullopt for anything else. Pure functions;
// input text is untrusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "p1/ber/values.hpp"

namespace mixer::mapping::syntax {

using p1::ber::BitString;
using p1::ber::Oid;

// §3.3.6 labelled-integer: [ key-string ] "(" numericstring ")": "urgent (2)", "(7)".
std::string labelled_integer(std::int64_t value, std::string_view label = {});
std::optional<std::int64_t> parse_labelled_integer(std::string_view text);
// §3.3.6 labelled-integer-2: [ numericstring ] "(" key-string ")": "1 (unable-to-transfer)".
std::string labelled_integer_2(std::int64_t value, std::string_view label);

// §3.3.7 object-identifier: each arc as "(n)", with the key-string of the
// arcs we know: "mixer-core(3)" ... ; parse takes the numbers, ignores keys.
std::string object_identifier(const Oid& oid);
std::optional<Oid> parse_object_identifier(std::string_view text);

// RFC 2156 Appendix D: eit-mixer, the MIXER pseudo-EIT {mixer-core 5}.
const Oid& eit_mixer();

// §5.3.3.1 encoded-info = 1#encoded-type: the built-in bits by name, the
// extended types as object-identifiers; nullopt if nothing is set. Parsing
// also takes RFC 987's names ("ia5", "g3fax", "tif0", "ttx", ...).
struct EncodedInfo {
  BitString built_in;
  std::vector<Oid> extended;
  bool operator==(const EncodedInfo&) const = default;
};
std::string encoded_info(const EncodedInfo& e);
std::optional<EncodedInfo> parse_encoded_info(std::string_view text);

// mts-content-type = "P2" / labelled-integer / object-identifier.
std::string mts_content_type(std::int64_t built_in);
std::string mts_content_type(const Oid& extended);
struct ContentTypeText {
  std::optional<std::int64_t> built_in;
  std::optional<Oid> extended;
};
std::optional<ContentTypeText> parse_mts_content_type(std::string_view text);

// Keyword values. Each table is the RFC's spelling; parse is case-insensitive.
std::string_view priority(std::int64_t v);           // X.411 Priority: normal(0) non-urgent(1) urgent(2)
std::optional<std::int64_t> parse_priority(std::string_view text);
std::string_view importance(std::int64_t v);         // X.420 low(0) normal(1) high(2)
std::optional<std::int64_t> parse_importance(std::string_view text);
std::string_view sensitivity(std::int64_t v);        // personal(1) private(2) company-confidential(3)
std::optional<std::int64_t> parse_sensitivity(std::string_view text);
std::string_view boolean(bool v);                    // §3.3.1 "TRUE" / "FALSE"
std::optional<bool> parse_boolean(std::string_view text);
std::string_view prohibition(bool prohibited);       // "Prohibited" / "Allowed"
std::optional<bool> parse_prohibition(std::string_view text);  // true: prohibited
std::string_view autosubmitted(std::int64_t v);      // X.420 AutoSubmitted, and RFC 2156's auto-forwarded(3)
std::optional<std::int64_t> parse_autosubmitted(std::string_view text);
std::string_view redirection_reason(std::int64_t v);  // X.411 RedirectionReason 0..4
std::optional<std::int64_t> parse_redirection_reason(std::string_view text);
std::string_view discard_reason(std::int64_t v);     // X.420 DiscardReason: §5.3.5 discard-reason
std::string_view acknowledgment_mode(std::int64_t v);  // "Manually" / "Automatically"

// X.680 PrintableString characters (§3.3.3 ps-char).
bool is_printable(char c);
bool is_printable(std::string_view s);
// The text as PrintableString: characters outside it become '?' (each
// UTF-8 sequence one '?'); for X400-Content-Identifier and §5.1.5's
// content identifier.
std::string printable_of(std::string_view text);

// Trims RFC 5322 whitespace (SP, HTAB, CR, LF) at both ends.
std::string_view trim(std::string_view s);
// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

}  // namespace mixer::mapping::syntax
