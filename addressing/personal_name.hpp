// addressing/personal_name.hpp: RFC 2156 §4.1.2 encoded-pn, the "human"
// form of a personal name ("Marshall.M.T.Rose").
//
//   encoded-pn = [ given "." ] *( initial "." ) surname
//
// Only printable-string components take part; callers decide whether a name
// qualifies with encoded_pn_reversible() before generating the form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "addressing/or_address.hpp"

namespace mixer::addressing {

// Parses text as encoded-pn; the components come back as PrintableStrings.
// nullopt when the text is not encoded-pn (empty surname, non ps-char, ...).
std::optional<PersonalName> parse_encoded_pn(std::string_view text);

// Same grammar over TeletexString octets (for a P/T "PN=...*..." value):
// any octet but "." may appear in a component.
std::optional<PersonalName> parse_encoded_pn_teletex(std::string_view octets);

// True when §4.1.2's restrictions hold (no generation qualifier; initials
// only letters; given name >= 2 characters without "."; no "." in the first
// two characters of the surname, nor anywhere when it stands alone), every
// component is a printable string only, and the form reads back unchanged
// (no "=" so it cannot be taken for a std-or, no leading, trailing or double
// spaces that §4.3.4 step 2 would send to stage II).
bool encoded_pn_reversible(const PersonalName& pn);

// The encoded-pn text of a name for which encoded_pn_reversible() holds.
std::string format_encoded_pn(const PersonalName& pn);

// Which X.411 SET a component read from text belongs to. §4.1.1 writes a
// teletex component holding only printable characters as printable, but
// PersonalName and TeletexPersonalName each need their own surname: when
// the text leaves one of the two without it, the printable-only components
// are read as teletex (a surname with its two forms equal, written once,
// gets its teletex form back). A name no reading makes valid is left as it
// is, for validate_x411() to refuse.
void assign_personal_name_forms(PersonalName& pn);

}  // namespace mixer::addressing
