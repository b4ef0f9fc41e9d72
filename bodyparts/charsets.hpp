// bodyparts/charsets.hpp: text in MIME charsets and ISO registered sets,
// converted through ICU only (no charset tables of our own): octets in a
// charset to UTF-8 and back, strictly (an octet sequence invalid in the
// charset, or a character the charset cannot write, is a failure, never a
// substitute); and the ISO 8859 parts with their ISO-IR registration
// numbers and ISO 2022 final octets (RFC 2157 §6.2's table, extended to
// 8859-10..16). Trusts nothing in the octets or the labels.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mixer::bodyparts::charsets {

enum class Status { ok, unknown_charset, invalid_octets };
struct Utf8 {
  Status status = Status::ok;
  std::string text;
};
// Octets labelled `charset` (a MIME name or alias ICU knows) as UTF-8.
Utf8 to_utf8(std::string_view octets, std::string_view charset);
// UTF-8 text in `charset`; nullopt when a character has no form there (or the UTF-8 is invalid).
std::optional<std::string> from_utf8(std::string_view utf8, std::string_view charset);
// Whether ICU knows the label.
bool known(std::string_view charset);

// An ISO 8859 part: its MIME name, ISO-IR number and the final octet F of ESC 2/13 F (G1).
struct IsoSet {
  const char* mime;
  std::int64_t ir;
  char final;
};
std::span<const IsoSet> iso8859_sets();  // Latin parts first
// The part a MIME label names (by ICU's canonical converter), or null.
const IsoSet* iso8859_by_label(std::string_view charset);
const IsoSet* iso8859_by_ir(std::int64_t ir);
const IsoSet* iso8859_by_final(char f);

constexpr std::int64_t ir_ascii = 6;    // ISO 646 IRV (ASCII), G0: ESC 2/8 4/2
constexpr std::int64_t ir_utf8 = 196;   // UTF-8 (ISO 2022 ESC 2/5 4/7)

// US-ASCII: every octet under 128.
bool is_ascii(std::string_view s);

}  // namespace mixer::bodyparts::charsets
