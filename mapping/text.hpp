// mapping/text.hpp: the human-readable strings that cross the gateway
// (subjects, free-form names, comments): RFC 2156 §3.3.4 and §3.5.
//
// X.400 -> Internet: TeletexString octets become UTF-8 (base/t61); RFC 2047
// encoded words found in them (what a gateway on the way in left when T.61
// could not hold the text) are decoded too, so the text means what it meant.
// Internet -> X.400: a header value is decoded (RFC 2047, RFC 6532) and
// written in T.61 when T.61 holds it; otherwise the value keeps its ASCII
// encoded-word form (§3.5: "a gateway may ... treat the elements as ASCII"),
// which loses nothing; raw octets in an unknown charset become RFC 1428
// "unknown-8bit" encoded words. Upper bounds are applied here (§5.1.3):
// on a character boundary, never inside an encoded word or a comment.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mixer::mapping {

struct InternetText {
  std::string utf8;
  bool exact = true;  // false: octets T.61 does not define were shown as U+FFFD
};

// TeletexString octets -> UTF-8, encoded words in it decoded.
InternetText internet_text_of_teletex(std::string_view t61);

struct TeletexText {
  std::string t61;         // the TeletexString octets
  bool truncated = false;  // the upper bound cut it
  bool ascii_form = false; // T.61 could not hold the text: the encoded-word ASCII form was kept
};

// A header value (unstructured text or a phrase, with its encoded words)
// -> TeletexString octets of at most `ub` octets.
TeletexText teletex_of_header_text(std::string_view value, bool phrase, std::size_t ub);

// Words holding octets over 127 that are not UTF-8 -> "=?unknown-8bit?Q?...?="
// (RFC 1428); the rest unchanged. For carrying such text in IA5 fields.
std::string ascii_of_8bit(std::string_view text);

// Cuts ASCII / T.61 text to at most `ub` octets: not inside a T.61
// diacritic pair, an encoded word or a "(...)" comment; trailing white space dropped.
std::string cut_to(std::string_view text, std::size_t ub);

}  // namespace mixer::mapping
