// tests/fuzz/bodyparts/fuzz_bodyparts_check.hpp: the invariants both body
// part fuzz targets check (abort on a violation): a refusal has one class
// of codes (5xx, 5.x.x, a conversion or transfer reason); a MIME result has
// ASCII field names and values without line breaks, and a body of CRLF
// lines of at most 998 octets with no NUL and (no 8BITMIME) no 8-bit
// octet; X.400 body parts encode and decode strictly, and IA5 text is IA5.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "bodyparts/bodyparts.hpp"
#include "p1/ipms/ipms.hpp"

namespace mixer::bodyparts::fuzz {

inline void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

inline void check_refusal(const base::Refusal& r) {
  check(r.smtp_code >= 500 && r.smtp_code < 600, "refusal: a 5xx code");
  check(r.enhanced_status.size() >= 5 && r.enhanced_status[0] == '5', "refusal: a 5.x.x status");
  check(r.x411_reason == base::reason::conversion_not_performed || r.x411_reason == base::reason::unable_to_transfer,
        "refusal: conversion-not-performed or unable-to-transfer");
  check(!r.message.empty(), "refusal: a message");
}

inline void check_mime(const MimeEntity& e, bool eight_bit) {
  for (const auto& f : e.fields) {
    check(!f.name.empty(), "MIME field: a name");
    for (char c : f.name) check(c > 32 && c < 127 && c != ':', "MIME field: name in printable ASCII");
    for (char c : f.value) {
      check(c != '\r' && c != '\n' && c != 0, "MIME field: no line break or NUL in a value");
      check(static_cast<unsigned char>(c) < 128, "MIME field: ASCII value");
    }
  }
  const std::string_view b = e.octets();
  std::size_t line = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const char c = b[i];
    check(c != 0, "MIME body: no NUL");
    check(eight_bit || static_cast<unsigned char>(c) < 128, "MIME body: no 8-bit octet without 8BITMIME");
    if (c == '\r') {
      check(i + 1 < b.size() && b[i + 1] == '\n', "MIME body: CR only in CRLF");
      line = 0;
      ++i;
      continue;
    }
    check(c != '\n', "MIME body: LF only in CRLF");
    check(++line <= 998, "MIME body: lines of at most 998 octets");
  }
}

// Each body part's BER decodes strictly to a body part with the same BER.
inline void check_x400(const ToX400& x, const ToX400Options& o) {
  check(o.extended_allowed || !x.uses_1988, "X.400: no extended body part for a 1984 next hop");
  for (const auto& p : x.body) {
    auto ber = p1::ipms::encode(p);
    check(ber.ok(), "X.400: every body part encodes");
    auto back = p1::ipms::decode<p1::ipms::BodyPart>(p1::ber::ByteView(ber->data(), ber->size()));
    check(back.ok(), "X.400: every body part decodes strictly");
    auto again = p1::ipms::encode(*back);
    check(again.ok() && *again == *ber, "X.400: decode then encode gives the same BER");
    if (const auto* t = p.as<p1::ipms::Ia5TextBodyPart>())
      for (char c : t->text) check(static_cast<unsigned char>(c) < 128, "X.400: IA5 text is IA5");
  }
}

// A MIME entity as the input to_x400 takes (its fields and octets).
inline MimeInput input_of(const MimeEntity& e) {
  MimeInput in;
  for (const auto& f : e.fields) in.fields.push_back(f);
  in.body = e.octets();
  return in;
}

}  // namespace mixer::bodyparts::fuzz
