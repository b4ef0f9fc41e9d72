// imf/error.cpp: the names and text of imf errors.
#include "imf/limits.hpp"

namespace mixer::imf {

const char* to_string(Errc e) {
  switch (e) {
    case Errc::header_too_large: return "header_too_large";
    case Errc::too_many_fields: return "too_many_fields";
    case Errc::field_too_long: return "field_too_long";
    case Errc::line_too_long: return "line_too_long";
    case Errc::value_too_long: return "value_too_long";
    case Errc::too_many_items: return "too_many_items";
    case Errc::comment_too_deep: return "comment_too_deep";
    case Errc::syntax: return "syntax";
    case Errc::invalid_value: return "invalid_value";
    case Errc::out_of_range: return "out_of_range";
    case Errc::not_representable: return "not_representable";
    case Errc::invalid_utf8: return "invalid_utf8";
  }
  return "unknown";
}

std::string Error::text() const {
  std::string out = message;
  if (!rule.empty()) out += " (" + rule + ")";
  if (line != 0) out += " at line " + std::to_string(line);
  else out += " at offset " + std::to_string(offset);
  return out;
}

}  // namespace mixer::imf
