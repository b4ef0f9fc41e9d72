// imf/date_time.hpp: dates and times of both sides.
//
//  - RFC 5322 date-time (§3.3), with the obsolete forms real mail has (§4.3):
//    two- and three-digit years, named zones (UT, GMT, EST ... PDT; UTC read
//    as +0000), military and unknown alphabetic zones (read as -0000, as
//    §4.3 says they SHOULD be), CFWS and comments anywhere between tokens,
//    missing seconds, a missing or wrong day of week (the date wins; noted),
//    full day and month names, a one-digit hour, a missing comma after the
//    day name, a zone name after the numeric zone, and no zone at all (read
//    as -0000). ParsedDateTime::notes says which were seen.
//  - X.680 UTCTime "YYMMDDhhmm[ss](Z|±hhmm)" and GeneralizedTime
//    "YYYYMMDDhh[mm[ss]][(.|,)f+][Z|±hh[mm]]", with RFC 2156 §3.3.5's rules:
//    two-digit years in 1980-2079, the offset kept as given (never
//    normalised to another zone), UTCTime written with a numeric offset.
//
// "-0000" means "offset unknown" everywhere (RFC 5322 §3.3): DateTime keeps
// that apart from "+0000", and it is written back as "-0000" on both sides.
// Invalid values (month 13, 25:00, Feb 30, zone minutes 60) are refused with
// the reason; nothing is normalised. Second 60 (a leap second) is accepted
// when it is the last second of a UTC day (hh:59:60 at the offset given, or
// any hh:59:60 when the offset is unknown) and kept as 60. Pure functions;
// input is untrusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "imf/limits.hpp"

namespace mixer::imf {

struct DateTime {
  int year = 1980;             // the full year (0-9999)
  int month = 1;               // 1-12
  int day = 1;                 // 1-31, as the month allows
  int hour = 0;                // 0-23
  int minute = 0;              // 0-59
  std::optional<int> second;   // 0-60; absent when the source had none
  int offset = 0;              // minutes east of UTC, as given (-1439 .. 1439)
  bool offset_known = true;    // false: "-0000", an unknown zone, a local time
  bool operator==(const DateTime&) const = default;
};

// Refuses a DateTime that is not a real date and time (with the reason).
std::optional<Error> validate(const DateTime& t);
// 0 = Sunday ... 6 = Saturday, proleptic Gregorian.
int day_of_week(int year, int month, int day);

enum DateNote : std::uint16_t {
  obs_year = 1u << 0,           // a two- or three-digit year (§4.3)
  named_zone = 1u << 1,         // UT, GMT, UTC, EST ... PDT
  military_zone = 1u << 2,      // a one-letter zone: read as -0000
  unknown_zone = 1u << 3,       // another alphabetic zone: read as -0000
  no_zone = 1u << 4,            // no zone: read as -0000
  no_day_of_week = 1u << 5,     // no day name
  wrong_day_of_week = 1u << 6,  // a day name that is not the date's (accepted: the date wins)
  comments = 1u << 7,           // comments between the tokens
  obs_form = 1u << 8,           // a full day or month name, a one-digit hour, no comma after the day, a zone name after the offset
};

struct ParsedDateTime {
  DateTime value;
  std::uint16_t notes = 0;
};

// A Date:-style field value (unfolded or folded).
Result<ParsedDateTime> parse_date_time(std::string_view text, const Limits& limits);
// "Thu, 3 Dec 2026 02:42:26 +0000": the day of week computed, seconds only
// when present, "-0000" for an unknown offset. Years before 1900 are refused (§3.3).
Result<std::string> format_date_time(const DateTime& t);

enum class ZoneForm : std::uint8_t {
  numeric,  // ±hhmm
  z,        // "Z"
  hours,    // ±hh (GeneralizedTime only)
  none,     // local time, no zone (GeneralizedTime only): the offset is unknown
};
enum class Precision : std::uint8_t { hour, minute, second };

// A UTCTime or GeneralizedTime with what its text form needs to be written back the same.
struct Asn1Time {
  DateTime value;
  ZoneForm zone = ZoneForm::numeric;
  Precision precision = Precision::second;  // second iff value.second
  std::string fraction;                     // GeneralizedTime: the digits after the decimal sign, of the last unit
  char decimal = '.';                       // '.' or ','
  bool operator==(const Asn1Time&) const = default;
};

Result<Asn1Time> parse_utc_time(std::string_view text, const Limits& limits);
Result<Asn1Time> parse_generalized_time(std::string_view text, const Limits& limits);
// UTCTime of t: years 1980-2079 only (RFC 2156 §3.3.5), seconds only when
// present; zone numeric (the RFC 2156 form) or z (only for a known +0000).
Result<std::string> format_utc_time(const DateTime& t, ZoneForm zone = ZoneForm::numeric);
Result<std::string> format_generalized_time(const Asn1Time& t);

}  // namespace mixer::imf
