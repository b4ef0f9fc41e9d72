// imf/date_time.cpp: see the header.
#include "imf/date_time.hpp"

#include <array>
#include <cstring>

#include "imf/message.hpp"
#include "imf/tokens.hpp"

namespace mixer::imf {

namespace {

const char* const k33 = "RFC 5322 §3.3";
const char* const k43 = "RFC 5322 §4.3";
const char* const kX680 = "X.680 §47";      // UTCTime
const char* const kX680g = "X.680 §46";     // GeneralizedTime
const char* const k2156 = "RFC 2156 §3.3.5";

constexpr std::array<std::string_view, 7> kDays = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths = {"January", "February", "March",     "April",
                                                      "May",     "June",     "July",      "August",
                                                      "September", "October", "November", "December"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in(int y, int m) {
  static constexpr int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

// A name given as its three-letter form or in full (any case): its index, or -1.
template <std::size_t N>
int name_index(const std::array<std::string_view, N>& names, std::string_view w, bool& full) {
  if (w.size() < 3) return -1;
  // The first three letters, folded to lower case, pick the name (the
  // three-letter forms are distinct); the whole word must then match.
  auto fold = [](char c) { return static_cast<unsigned char>(c) | 0x20u; };
  const unsigned key = fold(w[0]) << 16 | fold(w[1]) << 8 | fold(w[2]);
  for (std::size_t k = 0; k < N; ++k) {
    const std::string_view n = names[k];
    if ((fold(n[0]) << 16 | fold(n[1]) << 8 | fold(n[2])) != key) continue;
    if (w.size() == 3) {
      full = false;
      return static_cast<int>(k);
    }
    if (iequals(w, n)) {
      full = true;
      return static_cast<int>(k);
    }
    return -1;
  }
  return -1;
}

Error syntax(std::size_t at, const char* rule, std::string what) { return make_error(Errc::syntax, at, rule, std::move(what)); }
Error invalid(const char* rule, std::string what) { return make_error(Errc::invalid_value, 0, rule, std::move(what)); }

// Fixed-width decimal fields written straight into a buffer (the values are
// validated first: 0..99 for two digits, 0..9999 for four).
char* put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}
char* put4(char* p, int v) {
  p = put2(p, v / 100);
  return put2(p, v % 100);
}

// The RFC 5322 reader: a cursor that skips CFWS and notes comments.
struct Cursor {
  std::string_view s;
  const Limits& limits;
  std::size_t i = 0;
  std::uint16_t notes = 0;

  std::optional<Error> cfws() {
    while (i < s.size() && is_lwsp(s[i])) ++i;  // the common case: white space only
    if (i < s.size() && s[i] == '(') {
      if (auto e = skip_cfws(s, i, limits)) return e;
      notes |= comments;
    }
    return std::nullopt;
  }
  bool at(char c) const { return i < s.size() && s[i] == c; }
  std::string_view letters() {
    const std::size_t b = i;
    while (i < s.size() && is_alpha(s[i])) ++i;
    return s.substr(b, i - b);
  }
  std::string_view digits() {
    const std::size_t b = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return s.substr(b, i - b);
  }
};

int number(std::string_view d) {
  int v = 0;
  for (char c : d) v = v * 10 + (c - '0');
  return v;
}

struct Zone {
  std::string_view name;
  int hours;
};
constexpr std::array<Zone, 11> kZones = {{{"UT", 0}, {"GMT", 0}, {"UTC", 0}, {"EST", -5}, {"EDT", -4}, {"CST", -6},
                                          {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}}};

// Digits of fixed width at s[i] (ASN.1 times).
bool fixed(std::string_view s, std::size_t& i, std::size_t n, int& v) {
  if (i + n > s.size()) return false;
  for (std::size_t k = i; k < i + n; ++k)
    if (!is_digit(s[k])) return false;
  v = number(s.substr(i, n));
  i += n;
  return true;
}

// "Z" / "±hhmm" / "±hh" (when hours_ok) / nothing (when none_ok) at s[i], to the end.
std::optional<Error> asn1_zone(std::string_view s, std::size_t i, Asn1Time& t, bool hours_ok, bool none_ok,
                               const char* rule) {
  DateTime& v = t.value;
  if (i == s.size()) {
    if (!none_ok) return syntax(i, rule, "time zone missing");
    t.zone = ZoneForm::none;
    v.offset = 0;
    v.offset_known = false;
    return std::nullopt;
  }
  if (s[i] == 'Z') {
    if (i + 1 != s.size()) return syntax(i + 1, rule, "text after the time zone");
    t.zone = ZoneForm::z;
    v.offset = 0;
    v.offset_known = true;
    return std::nullopt;
  }
  if (s[i] != '+' && s[i] != '-') return syntax(i, rule, "expected 'Z', '+' or '-'");
  const int sign = s[i] == '-' ? -1 : 1;
  std::size_t k = i + 1;
  int hh = 0, mm = 0;
  if (!fixed(s, k, 2, hh)) return syntax(k, rule, "time zone hours not two digits");
  if (k == s.size() && hours_ok) {
    t.zone = ZoneForm::hours;
  } else {
    if (!fixed(s, k, 2, mm)) return syntax(k, rule, "time zone minutes not two digits");
    if (k != s.size()) return syntax(k, rule, "text after the time zone");
    t.zone = ZoneForm::numeric;
  }
  if (hh > 23 || mm > 59) return invalid(rule, "time zone offset " + std::string(s.substr(i)) + " out of range");
  v.offset = sign * (hh * 60 + mm);
  v.offset_known = !(sign < 0 && hh == 0 && mm == 0);
  if (!v.offset_known) v.offset = 0;
  return std::nullopt;
}

// "+hhmm", "-hhmm" or "-0000" (unknown): five characters.
char* put_offset(char* p, const DateTime& t) {
  if (!t.offset_known) {
    std::memcpy(p, "-0000", 5);
    return p + 5;
  }
  const int a = t.offset < 0 ? -t.offset : t.offset;
  *p++ = t.offset < 0 ? '-' : '+';
  p = put2(p, a / 60);
  return put2(p, a % 60);
}

}  // namespace

int day_of_week(int y, int m, int d) {
  static constexpr int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (m < 3) y -= 1;
  return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

std::optional<Error> validate(const DateTime& t) {
  if (t.year < 0 || t.year > 9999) return invalid(k33, "year " + std::to_string(t.year) + " out of range");
  if (t.month < 1 || t.month > 12) return invalid(k33, "month " + std::to_string(t.month) + " does not exist");
  if (t.day < 1 || t.day > days_in(t.year, t.month))
    return invalid(k33, "day " + std::to_string(t.day) + " does not exist in " + std::string(kMonths[t.month - 1]) +
                            " " + std::to_string(t.year));
  if (t.hour < 0 || t.hour > 23) return invalid(k33, "hour " + std::to_string(t.hour) + " out of range");
  if (t.minute < 0 || t.minute > 59) return invalid(k33, "minute " + std::to_string(t.minute) + " out of range");
  if (t.offset < -(23 * 60 + 59) || t.offset > 23 * 60 + 59) return invalid(k33, "zone offset out of range");
  if (t.second) {
    const int s = *t.second;
    if (s < 0 || s > 60) return invalid(k33, "second " + std::to_string(s) + " out of range");
    if (s == 60) {
      const int utc = ((t.hour * 60 + t.minute - (t.offset_known ? t.offset : 0)) % 1440 + 1440) % 1440;
      const bool last = t.minute == 59 && (!t.offset_known || utc == 23 * 60 + 59);
      if (!last) return invalid(k33, "second 60 outside the last minute of a UTC day");
    }
  }
  return std::nullopt;
}

Result<ParsedDateTime> parse_date_time(std::string_view s, const Limits& limits) {
  if (s.size() > limits.max_value_size)
    return make_error(Errc::value_too_long, 0, "", "value longer than " + std::to_string(limits.max_value_size) + " octets");
  Cursor c{s, limits};
  ParsedDateTime out;
  DateTime& v = out.value;
  bool full = false;
  if (auto e = c.cfws()) return *e;
  int dow = -1;
  if (c.i < s.size() && is_alpha(s[c.i])) {
    const std::size_t at = c.i;
    dow = name_index(kDays, c.letters(), full);
    if (dow < 0) return syntax(at, k33, "unknown day name");
    if (full) out.notes |= obs_form;
    if (auto e = c.cfws()) return *e;
    if (c.at(',')) ++c.i;
    else out.notes |= obs_form;
  } else {
    out.notes |= no_day_of_week;
  }
  if (auto e = c.cfws()) return *e;
  std::string_view d = c.digits();
  if (d.empty() || d.size() > 2) return syntax(c.i, k33, "day of month not one or two digits");
  v.day = number(d);
  if (auto e = c.cfws()) return *e;
  const std::size_t mat = c.i;
  const int month = name_index(kMonths, c.letters(), full);
  if (month < 0) return syntax(mat, k33, "unknown month name");
  if (full) out.notes |= obs_form;
  v.month = month + 1;
  if (auto e = c.cfws()) return *e;
  d = c.digits();
  if (d.size() < 2) return syntax(c.i, k33, "year not two or more digits");
  if (d.size() > 4) return invalid(k33, "year " + std::string(d) + " beyond 9999");
  v.year = number(d);
  if (d.size() == 2) {
    v.year += v.year < 50 ? 2000 : 1900;
    out.notes |= obs_year;
  } else if (d.size() == 3) {
    v.year += 1900;
    out.notes |= obs_year;
  } else if (v.year < 1900) {
    return invalid(k33, "year " + std::to_string(v.year) + " before 1900");
  }
  if (auto e = c.cfws()) return *e;
  d = c.digits();
  if (d.empty() || d.size() > 2) return syntax(c.i, k33, "hour not two digits");
  if (d.size() == 1) out.notes |= obs_form;
  v.hour = number(d);
  if (auto e = c.cfws()) return *e;
  if (!c.at(':')) return syntax(c.i, k33, "expected ':' after the hour");
  ++c.i;
  if (auto e = c.cfws()) return *e;
  d = c.digits();
  if (d.size() != 2) return syntax(c.i, k33, "minute not two digits");
  v.minute = number(d);
  if (auto e = c.cfws()) return *e;
  if (c.at(':')) {
    ++c.i;
    if (auto e = c.cfws()) return *e;
    d = c.digits();
    if (d.size() != 2) return syntax(c.i, k33, "second not two digits");
    v.second = number(d);
    if (auto e = c.cfws()) return *e;
  }
  if (c.at('+') || c.at('-')) {
    const int sign = s[c.i] == '-' ? -1 : 1;
    ++c.i;
    d = c.digits();
    if (d.size() != 4) return syntax(c.i, k33, "zone not four digits");
    const int hh = number(d.substr(0, 2)), mm = number(d.substr(2));
    if (mm > 59) return invalid(k33, "zone minutes " + std::string(d.substr(2)) + " beyond 59");
    if (hh > 23) return invalid(k33, "zone hours " + std::string(d.substr(0, 2)) + " beyond 23");
    v.offset = sign * (hh * 60 + mm);
    v.offset_known = !(sign < 0 && hh == 0 && mm == 0);
    if (auto e = c.cfws()) return *e;
    if (c.i < s.size() && is_alpha(s[c.i])) {  // "+0000 GMT"
      const std::string_view extra = c.letters();
      if (extra.size() > 5) return syntax(c.i, k33, "text after the zone");
      out.notes |= obs_form;
    }
  } else if (c.i < s.size() && is_alpha(s[c.i])) {
    const std::string_view z = c.letters();
    v.offset = 0;
    v.offset_known = false;
    bool named = false;
    for (const Zone& n : kZones)
      if (iequals(z, n.name)) {
        v.offset = n.hours * 60;
        v.offset_known = named = true;
      }
    if (named) out.notes |= named_zone;
    else if (z.size() == 1) out.notes |= military_zone;
    else if (z.size() <= 5) out.notes |= unknown_zone;
    else return syntax(c.i - z.size(), k43, "unknown zone name longer than five letters");
  } else {
    v.offset = 0;
    v.offset_known = false;
    out.notes |= no_zone;
  }
  if (!v.offset_known) v.offset = 0;
  if (auto e = c.cfws()) return *e;
  if (c.i != s.size()) return syntax(c.i, k33, "text after the date-time");
  if (auto e = validate(v)) return *e;
  if (dow >= 0 && dow != day_of_week(v.year, v.month, v.day)) out.notes |= wrong_day_of_week;
  out.notes |= c.notes;
  return out;
}

Result<std::string> format_date_time(const DateTime& t) {
  if (auto e = validate(t)) return *e;
  if (t.year < 1900) return make_error(Errc::out_of_range, 0, k33, "year " + std::to_string(t.year) + " before 1900");
  // "Thu, 3 Dec 2026 02:42:26 +0000": at most 31 characters.
  char b[32];
  char* p = b;
  std::memcpy(p, kDays[day_of_week(t.year, t.month, t.day)].data(), 3);
  p += 3;
  *p++ = ',';
  *p++ = ' ';
  if (t.day >= 10) *p++ = static_cast<char>('0' + t.day / 10);
  *p++ = static_cast<char>('0' + t.day % 10);
  *p++ = ' ';
  std::memcpy(p, kMonths[t.month - 1].data(), 3);
  p += 3;
  *p++ = ' ';
  p = put4(p, t.year);
  *p++ = ' ';
  p = put2(p, t.hour);
  *p++ = ':';
  p = put2(p, t.minute);
  if (t.second) {
    *p++ = ':';
    p = put2(p, *t.second);
  }
  *p++ = ' ';
  p = put_offset(p, t);
  return std::string(b, static_cast<std::size_t>(p - b));
}

Result<Asn1Time> parse_utc_time(std::string_view s, const Limits& limits) {
  if (s.size() > limits.max_value_size || s.size() > 17) return syntax(0, kX680, "UTCTime longer than 17 characters");
  Asn1Time t;
  DateTime& v = t.value;
  std::size_t i = 0;
  int yy = 0;
  if (!fixed(s, i, 2, yy) || !fixed(s, i, 2, v.month) || !fixed(s, i, 2, v.day) || !fixed(s, i, 2, v.hour) ||
      !fixed(s, i, 2, v.minute))
    return syntax(i, kX680, "UTCTime does not start with YYMMDDhhmm");
  v.year = yy >= 80 ? 1900 + yy : 2000 + yy;
  t.precision = Precision::minute;
  if (i < s.size() && is_digit(s[i])) {
    int ss = 0;
    if (!fixed(s, i, 2, ss)) return syntax(i, kX680, "seconds not two digits");
    v.second = ss;
    t.precision = Precision::second;
  }
  if (auto e = asn1_zone(s, i, t, false, false, kX680)) return *e;
  if (auto e = validate(v)) return *e;
  return t;
}

Result<Asn1Time> parse_generalized_time(std::string_view s, const Limits& limits) {
  if (s.size() > limits.max_value_size || s.size() > 64)
    return syntax(0, kX680g, "GeneralizedTime longer than 64 characters");
  Asn1Time t;
  DateTime& v = t.value;
  std::size_t i = 0;
  if (!fixed(s, i, 4, v.year) || !fixed(s, i, 2, v.month) || !fixed(s, i, 2, v.day) || !fixed(s, i, 2, v.hour))
    return syntax(i, kX680g, "GeneralizedTime does not start with YYYYMMDDhh");
  t.precision = Precision::hour;
  if (i < s.size() && is_digit(s[i])) {
    if (!fixed(s, i, 2, v.minute)) return syntax(i, kX680g, "minutes not two digits");
    t.precision = Precision::minute;
    if (i < s.size() && is_digit(s[i])) {
      int ss = 0;
      if (!fixed(s, i, 2, ss)) return syntax(i, kX680g, "seconds not two digits");
      v.second = ss;
      t.precision = Precision::second;
    }
  }
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    t.decimal = s[i];
    const std::size_t b = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == b) return syntax(i, kX680g, "decimal sign without digits");
    t.fraction = std::string(s.substr(b, i - b));
  }
  if (auto e = asn1_zone(s, i, t, true, true, kX680g)) return *e;
  if (auto e = validate(v)) return *e;
  return t;
}

Result<std::string> format_utc_time(const DateTime& t, ZoneForm zone) {
  if (auto e = validate(t)) return *e;
  if (t.year < 1980 || t.year > 2079)
    return make_error(Errc::out_of_range, 0, k2156, "year " + std::to_string(t.year) + " outside UTCTime's 1980-2079");
  // "YYMMDDhhmm[ss](Z|±hhmm)": at most 17 characters.
  char b[20];
  char* p = put2(b, t.year % 100);
  p = put2(p, t.month);
  p = put2(p, t.day);
  p = put2(p, t.hour);
  p = put2(p, t.minute);
  if (t.second) p = put2(p, *t.second);
  if (zone == ZoneForm::numeric) {
    p = put_offset(p, t);
  } else if (zone == ZoneForm::z) {
    if (!t.offset_known || t.offset != 0)
      return make_error(Errc::out_of_range, 0, k2156, "'Z' for a time not at a known +0000 (not normalised)");
    *p++ = 'Z';
  } else {
    return make_error(Errc::out_of_range, 0, kX680, "UTCTime has a zone: 'Z' or ±hhmm");
  }
  return std::string(b, static_cast<std::size_t>(p - b));
}

Result<std::string> format_generalized_time(const Asn1Time& a) {
  const DateTime& t = a.value;
  if (auto e = validate(t)) return *e;
  if ((a.precision == Precision::second) != t.second.has_value())
    return make_error(Errc::invalid_value, 0, kX680g, "precision and seconds disagree");
  if (a.precision == Precision::hour && t.minute != 0)
    return make_error(Errc::invalid_value, 0, kX680g, "an hour precision with minutes");
  for (char c : a.fraction)
    if (!is_digit(c)) return make_error(Errc::invalid_value, 0, kX680g, "fraction not digits");
  if (!a.fraction.empty() && a.decimal != '.' && a.decimal != ',')
    return make_error(Errc::invalid_value, 0, kX680g, "decimal sign neither '.' nor ','");
  char b[16];
  char* p = put4(b, t.year);
  p = put2(p, t.month);
  p = put2(p, t.day);
  p = put2(p, t.hour);
  if (a.precision != Precision::hour) p = put2(p, t.minute);
  if (t.second) p = put2(p, *t.second);
  std::string out(b, static_cast<std::size_t>(p - b));
  if (!a.fraction.empty()) {
    out += a.decimal;
    out += a.fraction;
  }
  switch (a.zone) {
    case ZoneForm::numeric:
      p = put_offset(b, t);
      out.append(b, static_cast<std::size_t>(p - b));
      break;
    case ZoneForm::z:
      if (!t.offset_known || t.offset != 0)
        return make_error(Errc::out_of_range, 0, kX680g, "'Z' for a time not at a known +0000 (not normalised)");
      out += 'Z';
      break;
    case ZoneForm::hours:
      if (!t.offset_known) {
        out += "-00";
        break;
      }
      if (t.offset % 60 != 0)
        return make_error(Errc::out_of_range, 0, kX680g, "a ±hh zone for an offset with minutes");
      b[0] = t.offset < 0 ? '-' : '+';
      put2(b + 1, (t.offset < 0 ? -t.offset : t.offset) / 60);
      out.append(b, 3);
      break;
    case ZoneForm::none:
      if (t.offset_known) return make_error(Errc::out_of_range, 0, kX680g, "a local time with a known offset");
      break;
  }
  return out;
}

}  // namespace mixer::imf
