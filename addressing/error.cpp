// addressing/error.cpp: Errc names and Error text.
#include "addressing/error.hpp"

namespace mixer::addressing {

const char* errc_name(Errc c) {
  switch (c) {
    case Errc::syntax: return "syntax";
    case Errc::unknown_attribute: return "unknown-attribute";
    case Errc::duplicate_attribute: return "duplicate-attribute";
    case Errc::invalid_value: return "invalid-value";
    case Errc::upper_bound: return "upper-bound";
    case Errc::not_x400_address: return "not-x400-address";
    case Errc::not_representable: return "not-representable";
    case Errc::too_long: return "too-long";
    case Errc::conflict: return "conflict";
    case Errc::limit: return "limit";
  }
  return "?";
}

std::string Error::text() const { return section.empty() ? message : message + " (" + section + ")"; }

}  // namespace mixer::addressing
