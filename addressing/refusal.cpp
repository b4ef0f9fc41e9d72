// addressing/refusal.cpp: an addressing Error as the project's refusal, per
// role, with the status pairs of RFC 2156 §5.1.8.4.
#include "addressing/refusal.hpp"

namespace mixer::addressing {

namespace {

bool is_syntax_refusal(Errc code) {
  switch (code) {
    case Errc::syntax:
    case Errc::unknown_attribute:
    case Errc::duplicate_attribute:
    case Errc::invalid_value:
    case Errc::upper_bound:
    case Errc::too_long:
    case Errc::limit:
      return true;
    case Errc::not_x400_address:
    case Errc::not_representable:
    case Errc::conflict:
      return false;
  }
  return false;
}

}  // namespace

base::Refusal to_refusal(const Error& e, AddressRole role) {
  namespace reason = base::reason;
  namespace diagnostic = base::diagnostic;
  // §5.1.8.4: X.1.1 bad mailbox and X.1.3 bad mailbox syntax are 1/0
  // (unable-to-transfer, unrecognised-OR-name); X.1.7 bad sender's mailbox
  // address syntax is 1/11 (invalid-arguments).
  if (role == AddressRole::smtp_originator)
    // RFC 5321 §4.2.3: 553 "mailbox name not allowed", for MAIL FROM.
    return base::make_refusal(553, "5.1.7", reason::unable_to_transfer, diagnostic::invalid_arguments, e.section,
                              e.message);
  const char* status = is_syntax_refusal(e.code) ? "5.1.3" : "5.1.1";
  // A recipient is refused at RCPT (550 mailbox unavailable); a header
  // address refuses the whole message at the end of DATA (554).
  const int code = role == AddressRole::ipms ? 554 : 550;
  return base::make_refusal(code, status, reason::unable_to_transfer, diagnostic::unrecognised_or_name, e.section,
                            e.message);
}

}  // namespace mixer::addressing
