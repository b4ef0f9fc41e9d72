// imf/charset.cpp: see the header.
#include "imf/charset.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

#include <array>
#include <vector>

#include "base/utf8.hpp"
#include "imf/message.hpp"

namespace mixer::imf {

namespace {

enum class Builtin { none, utf8, ascii, latin1 };

Builtin builtin(std::string_view cs) {
  if (iequals(cs, "utf-8") || iequals(cs, "utf8")) return Builtin::utf8;
  if (iequals(cs, "us-ascii") || iequals(cs, "ascii")) return Builtin::ascii;
  if (iequals(cs, "iso-8859-1") || iequals(cs, "latin1") || iequals(cs, "iso_8859-1")) return Builtin::latin1;
  return Builtin::none;
}

// A charset name as ICU may see it: RFC 2978 names use these characters
// only; ICU would read "," as the start of converter options.
bool plausible_name(std::string_view cs) {
  if (cs.empty() || cs.size() > 64) return false;
  for (char c : cs) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':' || c == '+';
    if (!ok) return false;
  }
  return true;
}

// A few open converters per thread, most recently used first; closed at thread exit.
class ConverterCache {
 public:
  ~ConverterCache() {
    for (auto& e : entries_)
      if (e.cnv) ucnv_close(e.cnv);
  }
  // An open converter for `name` (reset, stopping on illegal input), or nullptr if unknown.
  UConverter* get(std::string_view name) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].cnv && iequals(entries_[i].name, name)) {
        if (i != 0) std::swap(entries_[0], entries_[i]);
        ucnv_resetToUnicode(entries_[0].cnv);
        return entries_[0].cnv;
      }
    }
    std::array<char, 72> z{};
    name.copy(z.data(), name.size());
    UErrorCode err = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open(z.data(), &err);
    if (U_FAILURE(err) || !cnv) return nullptr;
    err = U_ZERO_ERROR;
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
    if (U_FAILURE(err)) {
      ucnv_close(cnv);
      return nullptr;
    }
    Entry& last = entries_.back();
    if (last.cnv) ucnv_close(last.cnv);
    last = Entry{std::string(name), cnv};
    for (std::size_t i = entries_.size() - 1; i > 0; --i) std::swap(entries_[i], entries_[i - 1]);
    return cnv;
  }

 private:
  struct Entry {
    std::string name;
    UConverter* cnv = nullptr;
  };
  std::array<Entry, 8> entries_{};
};

thread_local ConverterCache cache;
thread_local std::vector<UChar> utf16;

Conversion icu_to_utf8(UConverter* cnv, std::string_view octets, std::string& out) {
  utf16.resize(octets.size() * 2 + 16);
  const char* src = octets.data();
  const char* const src_end = src + octets.size();
  UChar* dst = utf16.data();
  while (true) {
    UErrorCode err = U_ZERO_ERROR;
    UChar* const limit = utf16.data() + utf16.size();
    ucnv_toUnicode(cnv, &dst, limit, &src, src_end, nullptr, true, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
      const std::size_t used = static_cast<std::size_t>(dst - utf16.data());
      utf16.resize(utf16.size() * 2);
      dst = utf16.data() + used;
      continue;
    }
    if (U_FAILURE(err)) return Conversion::undecodable;
    break;
  }
  const auto units = static_cast<int32_t>(dst - utf16.data());
  if (units == 0) return Conversion::ok;
  UErrorCode err = U_ZERO_ERROR;
  int32_t need = 0;
  u_strToUTF8(nullptr, 0, &need, utf16.data(), units, &err);
  if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return Conversion::undecodable;
  const std::size_t mark = out.size();
  out.resize(mark + static_cast<std::size_t>(need));
  err = U_ZERO_ERROR;
  u_strToUTF8(out.data() + mark, need, &need, utf16.data(), units, &err);
  if (U_FAILURE(err)) {  // an unpaired surrogate from a UTF-16/32 source
    out.resize(mark);
    return Conversion::undecodable;
  }
  return Conversion::ok;
}

}  // namespace

Conversion to_utf8(std::string_view charset, std::string_view octets, std::string& out) {
  switch (builtin(charset)) {
    case Builtin::utf8:
      if (!base::valid_utf8(octets)) return Conversion::undecodable;
      out.append(octets);
      return Conversion::ok;
    case Builtin::ascii:
      for (char c : octets)
        if (static_cast<unsigned char>(c) > 127) return Conversion::undecodable;
      out.append(octets);
      return Conversion::ok;
    case Builtin::latin1:
      for (char c : octets) base::put_utf8(out, static_cast<unsigned char>(c));
      return Conversion::ok;
    case Builtin::none:
      break;
  }
  if (!plausible_name(charset)) return Conversion::unknown_charset;
  UConverter* cnv = cache.get(charset);
  if (!cnv) return Conversion::unknown_charset;
  return icu_to_utf8(cnv, octets, out);
}

bool known_charset(std::string_view charset) {
  if (builtin(charset) != Builtin::none) return true;
  return plausible_name(charset) && cache.get(charset) != nullptr;
}

}  // namespace mixer::imf
