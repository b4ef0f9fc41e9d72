// addressing/error.cpp: Error text and the refusal codes of each side.
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

// RFC 2156 §5.1.8.4: X.1.3 bad mailbox address syntax and X.1.1 bad mailbox
// both map to unable-to-transfer / unrecognised-OR-name; X.1.7 (bad sender's
// address syntax) to invalid-arguments.
const char* refusal_enhanced_status(const Error& e, bool originator) {
  if (originator) return "5.1.7";
  switch (e.code) {
    case Errc::syntax:
    case Errc::unknown_attribute:
    case Errc::duplicate_attribute:
    case Errc::invalid_value:
    case Errc::upper_bound:
    case Errc::too_long:
    case Errc::limit:
      return "5.1.3";
    default:
      return "5.1.1";
  }
}

int refusal_x411_reason(const Error&) { return 1; }  // unable-to-transfer

int refusal_x411_diagnostic(const Error&, bool originator) { return originator ? 11 : 0; }

}  // namespace mixer::addressing
