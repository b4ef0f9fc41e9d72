// addressing/refusal.hpp: what a refused address means to each side of the
// gateway. The library refuses with an Error (Errc, RFC section, sentence);
// to_refusal() turns it into the project's one refusal type, base::Refusal,
// for the role the address plays, with the codes RFC 2156 §5.1.8.4 pairs:
//
//   role            syntax (5.1.3 class)   unknown or unmappable   X.411 reason/diagnostic
//   SMTP recipient  550 5.1.3              550 5.1.1               1 unable-to-transfer / 0 unrecognised-OR-name
//   header address  554 5.1.3              554 5.1.1               1 / 0
//   SMTP originator 553 5.1.7              553 5.1.7               1 / 11 invalid-arguments
//
// Trusts the Error's code to say which class a refusal is in; no I/O.
#pragma once

#include "addressing/error.hpp"
#include "addressing/mapping.hpp"
#include "base/refusal.hpp"

namespace mixer::addressing {

// The refusal of an address in `role` for `e`: the rule is e.section, the
// sentence e.message. Errc syntax, unknown_attribute, duplicate_attribute,
// invalid_value, upper_bound, too_long and limit are bad syntax (5.1.3);
// not_x400_address, not_representable and conflict unmappable (5.1.1).
base::Refusal to_refusal(const Error& e, AddressRole role);

}  // namespace mixer::addressing
