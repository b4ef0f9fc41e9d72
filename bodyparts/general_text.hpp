// bodyparts/general_text.hpp: the GeneralText body part's ISO 2022 text
// (RFC 2157 §6.2): written from an ISO 8859 text with the designations and
// invocation RFC 2157 lists in front, or from UTF-8 (ISO-IR 196); read by
// an ISO 2022 state machine that removes every escape and shift sequence,
// each run of characters converted by ICU. Trusts nothing in the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bodyparts/charsets.hpp"
#include "p1/ipms/body_types.hpp"

namespace mixer::bodyparts {

// Whether ISO 8859 octets can stand in GeneralText as they are: no ESC, SO or SI (ISO 2022
// would read them as designations or shifts) and no C1 control.
bool general_text_safe(std::string_view octets);
// §6.2: character sets {6, IR} and ESC 2/8 4/2, ESC 2/13 F, ESC 2/1 4/1, ESC 7/14 before the octets.
p1::ipms::GeneralTextBodyPart general_text_8859(const charsets::IsoSet& set, std::string_view octets);
// UTF-8 text as GeneralText: character set {196}, ESC 2/5 4/7 before the octets.
p1::ipms::GeneralTextBodyPart general_text_utf8(std::string_view utf8);

// A GeneralText's text as MIME text: charset label and octets.
struct MimeText {
  std::string charset;  // "us-ascii", "iso-8859-N", "utf-8", or §6.2's "x-iso-nnn-nnn"
  std::string octets;
  bool decoded = true;  // false: the x-iso- label, the octets as they were
};
MimeText read_general_text(const p1::ipms::GeneralTextBodyPart& g);

// §6.2's label for sets the gateway does not convert: x-iso-nnn-nnn, numbers sorted.
std::string x_iso_label(std::vector<std::int64_t> sets);

}  // namespace mixer::bodyparts
