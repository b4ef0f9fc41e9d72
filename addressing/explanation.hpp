// addressing/explanation.hpp: how the mappings record their steps (internal
// to addressing/). A step is a static sentence, or static text around words
// of the input, or a table entry with the numbers of the match; the
// sentences of mapping.hpp's Explanation are written from these records
// only when read (ExplanationSteps, ExplanationSource).
#pragma once

#include <string_view>

#include "addressing/mapping.hpp"

namespace mixer::addressing::detail {

struct ExplanationRecorder {
  enum Kind : std::uint8_t {
    text,               // text
    wrapped,            // text words text2
    wrapped_value,      // text value text2
    mcgam_x400,         // "MCGAM 'value' matches n1 label(s)[; subdomains give <words from level n2>]"
    mcgam_822,          // "MCGAM n1 level(s) -> 'value'"
    subdomains,         // "subdomains from <words from level n2>"
    preferred_gateway,  // "preferred gateway for 'words': value"
  };
  using Note = ExplanationSteps::Note;

  // A step; `words` are copied, `hit` (when given) names the entry and is the step's source.
  static void add(Explanation& e, Kind kind, const char* section, const char* text, std::string_view words = {},
                  const char* text2 = nullptr, const MappingContext* ctx = nullptr, const TableHit* hit = nullptr,
                  std::size_t n1 = 0, std::size_t n2 = 0);
  static void add_text(Explanation& e, const char* section, const char* text) { add(e, Kind::text, section, text); }
  // The deciding table line of the mapping.
  static void source(Explanation& e, const MappingContext& ctx, const TableHit& hit);

  // Hierarchy allocations (step 8 and step 4) are recorded as their labels
  // in level order, joined by "."; this appends one.
  static void append_label(std::string& words, std::string_view label) {
    if (!words.empty()) words += '.';
    words += label;
  }
};

}  // namespace mixer::addressing::detail
