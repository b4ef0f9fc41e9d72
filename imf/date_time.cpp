// imf/date_time.cpp: see the header.
#include "imf/date_time.hpp"

#include <array>
#include <cstdio>

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
  for (std::size_t k = 0; k < N; ++k) {
    if (iequals(w, names[k].substr(0, 3))) {
      full = false;
      return static_cast<int>(k);
    }
    if (w.size() > 3 && iequals(w, names[k])) {
      full = true;
      return static_cast<int>(k);
    }
  }
  return -1;
}

Error syntax(std::size_t at, const char* rule, std::string what) { return make_error(Errc::syntax, at, rule, std::move(what)); }
Error invalid(const char* rule, std::string what) { return make_error(Errc::invalid_value, 0, rule, std::move(what)); }

std::string two(int v) {
  char b[16];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

// The RFC 5322 reader: a cursor that skips CFWS and notes comments.
struct Cursor {
  std::string_view s;
  const Limits& limits;
  std::size_t i = 0;
  std::uint16_t notes = 0;

  std::optional<Error> cfws() {
    const std::size_t from = i;
    if (auto e = skip_cfws(s, i, limits)) return e;
    if (s.substr(from, i - from).find('(') != std::string_view::npos) notes |= comments;
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

std::string offset_text(const DateTime& t) {
  if (!t.offset_known) return "-0000";
  const int a = t.offset < 0 ? -t.offset : t.offset;
  return std::string(t.offset < 0 ? "-" : "+") + two(a / 60) + two(a % 60);
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
  std::string out(kDays[day_of_week(t.year, t.month, t.day)].substr(0, 3));
  out += ", " + std::to_string(t.day) + " " + std::string(kMonths[t.month - 1].substr(0, 3)) + " ";
  char y[16];
  std::snprintf(y, sizeof y, "%04d", t.year);
  out += y;
  out += " " + two(t.hour) + ":" + two(t.minute);
  if (t.second) out += ":" + two(*t.second);
  out += " " + offset_text(t);
  return out;
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
  std::string out = two(t.year % 100) + two(t.month) + two(t.day) + two(t.hour) + two(t.minute);
  if (t.second) out += two(*t.second);
  if (zone == ZoneForm::numeric) {
    out += offset_text(t);
  } else if (zone == ZoneForm::z) {
    if (!t.offset_known || t.offset != 0)
      return make_error(Errc::out_of_range, 0, k2156, "'Z' for a time not at a known +0000 (not normalised)");
    out += 'Z';
  } else {
    return make_error(Errc::out_of_range, 0, kX680, "UTCTime has a zone: 'Z' or ±hhmm");
  }
  return out;
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
  char y[16];
  std::snprintf(y, sizeof y, "%04d", t.year);
  std::string out = y + two(t.month) + two(t.day) + two(t.hour);
  if (a.precision != Precision::hour) out += two(t.minute);
  if (t.second) out += two(*t.second);
  if (!a.fraction.empty()) out += a.decimal + a.fraction;
  switch (a.zone) {
    case ZoneForm::numeric:
      out += offset_text(t);
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
      out += (t.offset < 0 ? "-" : "+") + two((t.offset < 0 ? -t.offset : t.offset) / 60);
      break;
    case ZoneForm::none:
      if (t.offset_known) return make_error(Errc::out_of_range, 0, kX680g, "a local time with a known offset");
      break;
  }
  return out;
}

}  // namespace mixer::imf
