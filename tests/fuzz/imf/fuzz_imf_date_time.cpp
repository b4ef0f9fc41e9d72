// tests/fuzz/imf/fuzz_imf_date_time.cpp: arbitrary octets as an RFC 5322
// date-time, a UTCTime and a GeneralizedTime (imf/date_time.hpp), and as
// the fields of a DateTime. Besides never crashing: a parsed date formats
// and re-parses to the same value; a parsed UTCTime or GeneralizedTime
// formats back to the very text; format refuses exactly what validate()
// refuses (and RFC 5322 years before 1900).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "imf/date_time.hpp"

using namespace mixer::imf;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_imf_date_time: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Limits limits;
  if (auto p = parse_date_time(text, limits)) {
    check(!validate(p->value), "parsed an invalid date");
    auto f = format_date_time(p->value);
    check(f.ok(), "a parsed date does not format");
    auto again = parse_date_time(*f, limits);
    check(again.ok() && again->value == p->value, "format(parse(x)) does not parse to the same value");
    if (p->value.year >= 1980 && p->value.year <= 2079) {
      auto u = format_utc_time(p->value);
      check(u.ok(), "a date in 1980-2079 has no UTCTime");
      auto back = parse_utc_time(*u, limits);
      check(back.ok() && back->value == p->value, "RFC 5322 -> UTCTime -> value changed");
    }
  }
  if (auto u = parse_utc_time(text, limits)) {
    auto f = format_utc_time(u->value, u->zone);
    check(f.ok() && *f == text, "UTCTime does not format back to its text");
  }
  if (auto g = parse_generalized_time(text, limits)) {
    auto f = format_generalized_time(*g);
    check(f.ok() && *f == text, "GeneralizedTime does not format back to its text");
  }
  if (size >= 12) {
    DateTime t;
    std::int16_t v[6];
    std::memcpy(v, data, sizeof v);
    t.year = v[0];
    t.month = v[1] % 16;
    t.day = v[2] % 40;
    t.hour = v[3] % 30;
    t.minute = data[8] % 70;
    if (data[9] % 2) t.second = data[9] % 70;
    t.offset = v[5] % 2000;
    t.offset_known = data[11] % 3 != 0;
    if (!t.offset_known) t.offset = 0;
    const bool valid = !validate(t);
    check(format_date_time(t).ok() == (valid && t.year >= 1900), "format_date_time and validate disagree");
    if (auto f = format_date_time(t)) {
      auto p = parse_date_time(*f, limits);
      check(p.ok() && p->value == t, "a formatted DateTime does not parse back");
    }
    Asn1Time a;
    a.value = t;
    a.precision = t.second ? Precision::second : Precision::minute;
    if (auto g = format_generalized_time(a)) {
      auto p = parse_generalized_time(*g, limits);
      check(p.ok() && p->value == t, "a formatted GeneralizedTime does not parse back");
    }
  }
  return 0;
}
