// addressing/std_or_keys.hpp: the RFC 2156 §4.1.1 attribute key table, its
// alternative keywords and the RFC 1685 (F.401 Annex F) labels. Internal to
// addressing/ (std_or.cpp, dmn_or.cpp); no I/O, no state.
#pragma once

#include <optional>
#include <string_view>

#include "addressing/or_address.hpp"

namespace mixer::addressing::keys {

// The §4.1.1 "Enc" column.
enum class Enc {
  p,    // printablestring
  pn,   // printablestring, NumericString when digits only (C, ADMD, PRMD, PD-C, PD-CODE)
  n,    // numericstring
  pt,   // teletex-and-or-ps
  upa,  // upa-string
  i,    // labelled-integer
  x,    // presentation-address (RFC 1278), kept as text
};

// What a key stands for.
enum class Kind { text, ou, pn, surname, given, initials, gq, dd, upa, terminal_type, isdn };

struct KeyDef {
  const char* name;  // the key generated (§4.1.1 table)
  Enc enc;
  Kind kind;
  Text OrAddress::*field;  // for Kind::text: a member of OrAddress, or
  Text PostalAndNetworkAttributes::*postal_field = nullptr;  // one of its boxed extension attributes 7..22
};

// The Text a Kind::text key names in `a` (to write: the box of extension
// attributes 7..22 is made when the key is one of them).
Text& text_of(OrAddress& a, const KeyDef& k);
const Text& text_of(const OrAddress& a, const KeyDef& k);

// The key definition for a key or alternative keyword (case-insensitive), or nullptr.
const KeyDef* find_key(std::string_view key);

// The definition whose canonical name is `name` (e.g. "PD-OFFICE").
const KeyDef& key(std::string_view name);

// T-TY labels (§4.1.1: tlx 3, ttx 4, g3fax 5, g4fax 6, ia5 7, vtx 8).
const char* terminal_type_label(int value);
std::optional<int> parse_terminal_type(std::string_view text);

}  // namespace mixer::addressing::keys
