// addressing/personal_name.cpp: RFC 2156 §4.1.2 encoded-pn.
#include "addressing/personal_name.hpp"

#include <vector>

#include "addressing/charset.hpp"

namespace mixer::addressing {

namespace {

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// The grammar, with `component_ok` deciding which octets a component may
// hold: [given "."] *(initial ".") surname, read left to right.
template <class Ok>
std::optional<PersonalName> parse_pn(std::string_view text, Ok component_ok, bool teletex) {
  if (text.empty() || !component_ok(text)) return std::nullopt;
  std::size_t pos = 0;  // start of the next component
  std::string_view given;
  const std::size_t first_dot = text.find('.');
  if (first_dot != std::string_view::npos && first_dot >= 2) {  // two or more components, the first of 2+ octets
    given = text.substr(0, first_dot);
    pos = first_dot + 1;
  }
  std::string initials;
  while (true) {  // one-letter components followed by another component
    const std::size_t dot = text.find('.', pos);
    if (dot == std::string_view::npos || dot - pos != 1 || !is_alpha(text[pos])) break;
    initials += text[pos];
    pos = dot + 1;
  }
  // The surname is the rest, dots included (surname = printablestring).
  const std::string_view surname = text.substr(pos);
  if (surname.empty()) return std::nullopt;
  PersonalName pn;
  auto set = [&](Text& t, std::string_view v) {
    if (v.empty()) return;
    (teletex ? t.teletex : t.printable).emplace(v);
  };
  set(pn.surname, surname);
  set(pn.given_name, given);
  set(pn.initials, initials);
  return pn;
}

bool printable_only(const Text& t) { return !t.teletex && !t.universal; }

}  // namespace

std::optional<PersonalName> parse_encoded_pn(std::string_view text) {
  return parse_pn(text, [](std::string_view s) { return is_printable_string(s); }, false);
}

std::optional<PersonalName> parse_encoded_pn_teletex(std::string_view octets) {
  return parse_pn(octets, [](std::string_view) { return true; }, true);
}

std::string format_encoded_pn(const PersonalName& pn) {
  std::string out;
  if (pn.given_name.printable) out += *pn.given_name.printable + ".";
  if (pn.initials.printable)
    for (char c : *pn.initials.printable) (out += c) += '.';
  if (pn.surname.printable) out += *pn.surname.printable;
  return out;
}

void assign_personal_name_forms(PersonalName& pn) {
  Text* const others[] = {&pn.given_name, &pn.initials, &pn.generation_qualifier};
  bool printable = false, teletex = false, both = pn.surname.printable && pn.surname.teletex;
  for (const Text* t : others) {
    printable = printable || t->printable;
    teletex = teletex || t->teletex;
    both = both || (t->printable && t->teletex);
  }
  auto to_teletex = [](Text& t) {
    if (!t.printable || t.printable->empty() || t.teletex || t.universal) return;  // no empty TeletexString (X.411)
    t.teletex = std::move(*t.printable);
    t.printable.reset();
    t.numeric = false;
  };
  if (printable && !pn.surname.printable && pn.surname.teletex) {
    // No printable PersonalName without its surname: every printable-only
    // component came from the TeletexPersonalName (the case of a given name
    // in PrintableString characters beside a T.61 surname, "G=Hans/S=*M{252}ller").
    for (Text* t : others) to_teletex(*t);
  } else if (teletex && !pn.surname.teletex && pn.surname.printable && !pn.surname.universal) {
    if (!both) {
      // Each component in one form only: the TeletexPersonalName alone.
      to_teletex(pn.surname);
      for (Text* t : others) to_teletex(*t);
    } else if (!pn.surname.printable->empty()) {
      // A printable PersonalName is there too: its surname was the teletex one as well.
      pn.surname.teletex = pn.surname.printable;
    }
  }
}

bool encoded_pn_reversible(const PersonalName& pn) {
  if (!pn.surname.printable || pn.generation_qualifier.present()) return false;  // restriction 1
  if (!printable_only(pn.surname) || !printable_only(pn.given_name) || !printable_only(pn.initials)) return false;
  const std::string& s = *pn.surname.printable;
  if (s.empty() || s.substr(0, 2).find('.') != std::string::npos) return false;  // restriction 4
  const bool alone = !pn.given_name.present() && !pn.initials.present();
  if (alone && s.find('.') != std::string::npos) return false;  // restriction 5
  if (pn.initials.printable) {  // restriction 2
    if (pn.initials.printable->empty()) return false;
    for (char c : *pn.initials.printable)
      if (!is_alpha(c)) return false;
  }
  if (pn.given_name.printable) {  // restriction 3
    const std::string& g = *pn.given_name.printable;
    if (g.size() < 2 || g.find('.') != std::string::npos) return false;
  }
  // The form must read back unchanged. Written out it is [G "."] *(I ".") S;
  // with the restrictions above, parse_encoded_pn() takes G (2+ characters,
  // no ".") as the given name, each initial (one letter, then ".") as one,
  // and the surname (whose first token has 2+ characters, or which is one
  // token) whole: it gives back these printable components with no other
  // form. So the name reads back unchanged exactly when the text is a
  // PrintableString with no "=" and no leading, trailing or double spaces
  // (initials are letters and "." joins the parts: only G and S can hold
  // spaces), and no component carries the NumericString flag.
  const std::string_view g = pn.given_name.printable ? std::string_view(*pn.given_name.printable) : std::string_view();
  const std::string_view i = pn.initials.printable ? std::string_view(*pn.initials.printable) : std::string_view();
  for (std::string_view part : {g, i, std::string_view(s)})
    if (!is_printable_string(part) || part.find('=') != std::string_view::npos) return false;
  const char first = !g.empty() ? g.front() : !i.empty() ? i.front() : s.front();
  if (first == ' ' || s.back() == ' ' || g.find("  ") != std::string_view::npos || s.find("  ") != std::string::npos)
    return false;
  return !pn.surname.numeric && !pn.given_name.numeric && !pn.initials.numeric && !pn.generation_qualifier.numeric;
}

}  // namespace mixer::addressing
