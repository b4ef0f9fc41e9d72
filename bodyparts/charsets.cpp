// bodyparts/charsets.cpp: ICU converters (ucnv) opened per call with the
// STOP callbacks both ways, so nothing is ever substituted; the ISO 8859
// registry rows. Trusts nothing.
#include "bodyparts/charsets.hpp"

#include "imf/charset.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <array>
#include <memory>
#include <vector>

namespace mixer::bodyparts::charsets {

namespace {

// ISO-IR numbers and the final octets of their 96-set designations (ISO International
// Register of Coded Character Sets; RFC 2157 §6.2 for parts 1-9).
// In the order a text is tried against them: the Latin parts first (so a Latin text with the
// euro sign is 8859-15, not the 2003 8859-7 that also has it), then the other scripts.
constexpr std::array<IsoSet, 15> sets{{
    {"ISO-8859-1", 100, 'A'},  {"ISO-8859-15", 203, 'b'}, {"ISO-8859-2", 101, 'B'}, {"ISO-8859-3", 109, 'C'},
    {"ISO-8859-4", 110, 'D'},  {"ISO-8859-9", 148, 'M'},  {"ISO-8859-10", 157, 'V'}, {"ISO-8859-13", 179, 'Y'},
    {"ISO-8859-14", 199, '_'}, {"ISO-8859-16", 226, 'f'}, {"ISO-8859-5", 144, 'L'}, {"ISO-8859-6", 127, 'G'},
    {"ISO-8859-7", 126, 'F'},  {"ISO-8859-8", 138, 'H'},  {"ISO-8859-11", 166, 'T'},
}};

struct Closer {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, Closer>;

// A converter for a label that stops on anything it cannot convert, or null.
Converter open(std::string_view label) {
  if (label.empty() || label.size() > 64) return nullptr;
  for (char c : label) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':' || c == '+';
    if (!ok) return nullptr;
  }
  const std::string z(label);
  UErrorCode err = U_ZERO_ERROR;
  Converter c(ucnv_open(z.c_str(), &err));
  if (U_FAILURE(err) || !c) return nullptr;
  ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  ucnv_setFromUCallBack(c.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  if (U_FAILURE(err)) return nullptr;
  return c;
}

// ICU's name of the converter a label opens ("" when none).
std::string canonical(std::string_view label) {
  Converter c = open(label);
  if (!c) return {};
  UErrorCode err = U_ZERO_ERROR;
  const char* n = ucnv_getName(c.get(), &err);
  return U_FAILURE(err) || !n ? std::string() : std::string(n);
}

// One conversion through ICU's pivot (UTF-16), stopping at the first failure.
std::optional<std::string> convert(UConverter* to, UConverter* from, std::string_view in) {
  std::string out;
  out.resize(in.size() * 4 + 16);
  char* target = out.data();
  const char* source = in.data();
  std::vector<UChar> pivot(1024);
  UChar* ps = pivot.data();
  UChar* pt = pivot.data();
  UErrorCode err = U_ZERO_ERROR;
  ucnv_convertEx(to, from, &target, out.data() + out.size(), &source, in.data() + in.size(), pivot.data(), &ps, &pt,
                 pivot.data() + pivot.size(), true, true, &err);
  if (U_FAILURE(err)) return std::nullopt;
  out.resize(static_cast<std::size_t>(target - out.data()));
  return out;
}

}  // namespace

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) > 127) return false;
  return true;
}

// The MIME side's converter (imf/charset: strict, with its per-thread cache and ASCII,
// Latin-1 and UTF-8 done directly): one conversion to UTF-8 for the whole gateway.
bool known(std::string_view charset) { return imf::known_charset(charset); }

Utf8 to_utf8(std::string_view octets, std::string_view charset) {
  Utf8 out;
  switch (imf::to_utf8(charset, octets, out.text)) {
    case imf::Conversion::ok: break;
    case imf::Conversion::unknown_charset: out.status = Status::unknown_charset; break;
    case imf::Conversion::undecodable: out.status = Status::invalid_octets; break;
  }
  return out;
}

std::optional<std::string> from_utf8(std::string_view utf8, std::string_view charset) {
  Converter to = open(charset);
  if (!to) return std::nullopt;
  Converter from = open("UTF-8");
  return convert(to.get(), from.get(), utf8);
}

std::span<const IsoSet> iso8859_sets() { return sets; }

const IsoSet* iso8859_by_label(std::string_view charset) {
  // ICU's converter names, computed once (thread-safe static initialisation).
  static const std::array<std::string, sets.size()> names = [] {
    std::array<std::string, sets.size()> n;
    for (std::size_t i = 0; i < sets.size(); ++i) n[i] = canonical(sets[i].mime);
    return n;
  }();
  const std::string c = canonical(charset);
  if (c.empty()) return nullptr;
  for (std::size_t i = 0; i < sets.size(); ++i)
    if (names[i] == c) return &sets[i];
  return nullptr;
}

const IsoSet* iso8859_by_ir(std::int64_t ir) {
  for (const auto& s : sets)
    if (s.ir == ir) return &s;
  return nullptr;
}

const IsoSet* iso8859_by_final(char f) {
  for (const auto& s : sets)
    if (s.final == f) return &s;
  return nullptr;
}

}  // namespace mixer::bodyparts::charsets
