// addressing/dmn_or.cpp: RFC 2156 Appendix F §3 dmn-or-address.
#include "addressing/dmn_or.hpp"

#include <cstring>

#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {

const std::string kF3 = "RFC 2156 Appendix F §3";

bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// dmn-char: "{", "}", "*" and any ps-char except "." (which comes as "\.").
bool is_dmn_char(char c) { return c == '{' || c == '}' || c == '*' || is_ps_char(c); }

// The level of an MCGAM attribute: C, ADMD (A), PRMD (P), O, OU (any case); -1 for others.
int level_of(std::string_view attr) {
  switch (attr.size()) {
    case 1:
      switch (ascii_lower(attr[0])) {
        case 'c': return 0;
        case 'a': return 1;
        case 'p': return 2;
        case 'o': return 3;
        default: return -1;
      }
    case 2: return ascii_lower(attr[0]) == 'o' && ascii_lower(attr[1]) == 'u' ? 4 : -1;
    case 4: {
      const char a = ascii_lower(attr[0]), b = ascii_lower(attr[1]);
      if (ascii_lower(attr[2]) != 'm' || ascii_lower(attr[3]) != 'd') return -1;
      if (a == 'a' && b == 'd') return 1;  // ADMD
      if (a == 'p' && b == 'r') return 2;  // PRMD
      return -1;
    }
    default: return -1;
  }
}

// Lookup form of a value (§4.3.5 step 1 and Appendix F §4: case-independent).
void append_norm(std::string& out, std::string_view v, bool admd) {
  const std::size_t start = out.size();
  for (char c : v) {  // squeeze_spaces() without a temporary
    if (c == ' ' && (out.size() == start || out.back() == ' ')) continue;
    if (c == '.' || c == '\\') out += '\\';
    out += ascii_lower(c);
  }
  if (out.size() > start && out.back() == ' ') out.pop_back();
  if (out.size() == start && admd) out += ' ';
}

std::optional<std::string> lookup_value(const Text& t) {
  if (t.printable) return *t.printable;
  if (t.teletex && is_printable_string(*t.teletex)) return *t.teletex;
  if (t.universal && is_printable_string(t.universal->utf8)) return t.universal->utf8;
  if (t.teletex) return "*" + teletex_to_text(*t.teletex);  // matches no table key
  if (t.universal) return "*" + t.universal->utf8;
  return std::nullopt;
}

}  // namespace

const char* level_key(std::size_t level) {
  static const char* names[] = {"C", "ADMD", "PRMD", "O", "OU", "OU", "OU", "OU"};
  return level < kLevels ? names[level] : "?";
}

Result<std::vector<DmnPart>> parse_dmn_or(std::string_view s) {
  std::vector<DmnPart> parts;
  std::string cur;
  auto finish_part = [&](std::size_t at) -> std::optional<Error> {
    DmnPart p;
    const std::size_t dollar = cur.find('$');
    if (dollar == std::string::npos)
      return make_error(Errc::syntax, kF3, "part '" + cur + "' ending at offset " + std::to_string(at) + " has no '$'");
    std::string_view attr = std::string_view(cur).substr(0, dollar);
    std::string_view value = std::string_view(cur).substr(dollar + 1);
    if (!attr.empty() && attr[0] == '~') {
      p.dda = true;
      attr.remove_prefix(1);
      for (char c : attr)
        if (!is_dmn_char(c) && c != '.')
          return make_error(Errc::syntax, kF3, "bad character in domain-defined type '" + std::string(attr) + "'");
    } else {
      for (char c : attr)
        if (!is_key_char(c)) return make_error(Errc::syntax, kF3, "bad attribute name '" + std::string(attr) + "'");
    }
    if (attr.empty()) return make_error(Errc::syntax, kF3, "empty attribute name before '$'");
    if (value == "@") {
      p.omitted = true;
    } else {
      for (char c : value)
        if (!is_dmn_char(c) && c != '.')
          return make_error(Errc::syntax, kF3, std::string("character '") + c + "' not allowed in value of " + std::string(attr));
      p.value = std::string(value);
    }
    p.attribute = std::string(attr);
    parts.push_back(std::move(p));
    cur.clear();
    return std::nullopt;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\') {
      if (i + 1 >= s.size() || s[i + 1] != '.')
        return make_error(Errc::syntax, kF3, "'\\' at offset " + std::to_string(i) + " must be followed by '.'");
      cur += '.';
      ++i;
    } else if (c == '.') {
      if (auto e = finish_part(i)) return *e;
    } else if (c == '$' && cur.find('$') != std::string::npos) {
      return make_error(Errc::syntax, kF3, "second '$' in one part at offset " + std::to_string(i));
    } else {
      cur += c;
    }
  }
  if (auto e = finish_part(s.size())) return *e;
  return parts;
}

Result<OrPrefix> parse_mcgam_or(std::string_view text) {
  auto parts = parse_dmn_or(text);
  if (!parts) return parts.error();
  OrPrefix p;
  std::size_t expected = 0;  // next level, going from C down
  for (auto it = parts->rbegin(); it != parts->rend(); ++it) {
    if (it->dda) return make_error(Errc::syntax, kF3, "a domain-defined attribute is not allowed in an MCGAM (only C, ADMD, PRMD, O, OU)");
    const int lv = level_of(it->attribute);
    if (lv < 0) return make_error(Errc::syntax, kF3, "attribute " + it->attribute + " is not allowed in an MCGAM (only C, ADMD, PRMD, O, OU)");
    std::size_t level = static_cast<std::size_t>(lv);
    if (lv == 4) level = std::max<std::size_t>(expected, 4);
    if (level == 3 && expected == 2) ++expected;  // PRMD level left out: treated as omitted
    if (level != expected) {
      if (expected == 0) return make_error(Errc::syntax, kF3, "the rightmost attribute must be C (most significant on the right)");
      if (level < expected) return make_error(Errc::syntax, kF3, "attribute " + it->attribute + " out of order (most significant on the right: C last)");
      return make_error(Errc::syntax, kF3, std::string(level_key(expected)) + " level missing before " + it->attribute + " (write " + level_key(expected) + "$@ for an omitted level)");
    }
    if (level >= kLevels) return make_error(Errc::upper_bound, kF3, "more than four OUs");
    if (!it->omitted) {
      if (it->value.find_first_of("{}*") != std::string::npos)
        return make_error(Errc::invalid_value, kF3, "teletex values are not supported in MCGAM tables");
      static const std::size_t bounds[] = {3, ub::domain_name, ub::domain_name, ub::organization_name, ub::organizational_unit_name};
      const std::size_t b = bounds[std::min<std::size_t>(level, 4)];
      if (it->value.size() > b)
        return make_error(Errc::upper_bound, "RFC 2156 §4.3.4 step 8", std::string(level_key(level)) + " value '" + it->value + "' longer than " + std::to_string(b));
      if (level == 0 && !((it->value.size() == 2 && is_printable_string(it->value)) ||
                          (it->value.size() == 3 && is_all_digits(it->value))))
        return make_error(Errc::invalid_value, kF3, "C value '" + it->value + "' is neither 2 characters nor 3 digits");
      p.values[level] = it->value;
    } else if (level == 0) {
      return make_error(Errc::syntax, kF3, "C cannot be omitted");
    }
    expected = level + 1;
  }
  if (expected == 0) return make_error(Errc::syntax, kF3, "empty O/R address");
  p.depth = expected;
  return p;
}

std::string prefix_key(const OrPrefix& p, std::size_t depth) {
  std::string out;
  out.reserve(depth * 12);
  for (std::size_t i = depth; i-- > 0;) {
    static const char* lk[] = {"c$", "admd$", "prmd$", "o$", "ou$", "ou$", "ou$", "ou$"};
    out += lk[i];
    if (p.values[i]) append_norm(out, *p.values[i], i == 1);
    else out += '@';
    if (i) out += '.';
  }
  return out;
}

OrPrefix prefix_of(const OrAddress& a) {
  OrPrefix p;
  p.values[0] = lookup_value(a.country);
  p.values[1] = lookup_value(a.admd);
  p.values[2] = lookup_value(a.prmd);
  p.values[3] = lookup_value(a.organization);
  for (std::size_t i = 0; i < a.organizational_units.size() && i < 4; ++i)
    p.values[4 + i] = lookup_value(a.organizational_units[i]);
  for (std::size_t i = kLevels; i-- > 0;)
    if (p.values[i]) {
      p.depth = i + 1;
      break;
    }
  return p;
}

OrAddress prefix_address(const OrPrefix& p) {
  OrAddress a;
  auto set = [](Text& t, const std::optional<std::string>& v, bool numeric_choice) {
    if (!v) return;
    t = Text::of(*v);
    t.numeric = numeric_choice && is_all_digits(*v);
  };
  set(a.country, p.values[0], true);
  set(a.admd, p.values[1], true);
  set(a.prmd, p.values[2], true);
  set(a.organization, p.values[3], false);
  for (std::size_t i = 4; i < p.depth; ++i) {
    if (!p.values[i]) break;
    a.organizational_units.push_back(Text::of(*p.values[i]));
  }
  return a;
}

Result<OrAddress> dmn_to_or_address(std::string_view text) {
  auto parts = parse_dmn_or(text);
  if (!parts) return parts.error();
  std::string std_or = "/";
  auto esc = [](std::string_view v) {
    std::string o;
    for (char c : v) {
      if (c == '/' || c == '=') o += '$';
      o += c;
    }
    return o;
  };
  for (const auto& p : *parts) {
    if (p.omitted) continue;
    std_or += p.dda ? "DD." + esc(p.attribute) : p.attribute;
    std_or += "=" + esc(p.value) + "/";
  }
  StdOrParseOptions o;
  o.semicolons = false;
  auto a = parse_or_address(std_or, o);
  if (!a) return make_error(a.error().code, kF3, a.error().message);
  return a;
}

namespace detail {

bool read_mcgam(std::string_view text, McgamLevels& out) {
  out.present.fill(false);  // raw[] is read only where present[]
  std::size_t expected = 0;  // as parse_mcgam_or: from C down, a missing PRMD level omitted
  // One part "attribute$value", taken right to left (most significant first).
  auto part = [&](std::string_view p) {
    std::size_t dollar = 0;
    while (dollar < p.size() && p[dollar] != '$') ++dollar;
    if (dollar == p.size()) return false;
    const int lv = level_of(p.substr(0, dollar));
    if (lv < 0) return false;
    std::size_t level = static_cast<std::size_t>(lv);
    if (lv == 4) level = std::max<std::size_t>(expected, 4);
    if (level == 3 && expected == 2) ++expected;
    if (level != expected || level >= kLevels) return false;
    const std::string_view value = p.substr(dollar + 1);
    if (value.size() != 1 || value[0] != '@') {
      out.raw[level] = value;
      out.present[level] = true;
    } else if (level == 0) {
      return false;
    }
    expected = level + 1;
    return true;
  };
  // Parts end at dots not escaped ("\\." is the only escape: parse_dmn_or).
  std::size_t end = text.size();
  for (std::size_t i = text.size(); i-- > 0;) {
    if (text[i] != '.' || (i > 0 && text[i - 1] == '\\')) continue;
    if (!part(text.substr(i + 1, end - i - 1))) return false;
    end = i;
  }
  if (!part(text.substr(0, end))) return false;
  out.depth = expected;
  return expected > 0;
}

bool or_lookup_key(const OrAddress& a, OrLookupKey& lookup) {
  // lookup_value() as a view where it is one of the Text's strings.
  std::string scratch;
  auto view = [&scratch](const Text& t) -> std::optional<std::string_view> {
    if (t.printable) return std::string_view(*t.printable);
    if (t.teletex && is_printable_string(*t.teletex)) return std::string_view(*t.teletex);
    if (t.universal && is_printable_string(t.universal->utf8)) return std::string_view(t.universal->utf8);
    if (!t.teletex && !t.universal) return std::nullopt;
    scratch = *lookup_value(t);
    return std::string_view(scratch);
  };
  const Text* levels[kLevels] = {&a.country, &a.admd, &a.prmd, &a.organization, nullptr, nullptr, nullptr, nullptr};
  for (std::size_t i = 0; i < a.organizational_units.size() && i < 4; ++i) levels[4 + i] = &a.organizational_units[i];
  if (!a.country.present()) return false;
  std::string& key = lookup.text;
  static const std::string_view lk[] = {"c$", "admd$", "prmd$", "o$", "ou$", "ou$", "ou$", "ou$"};
  // The values as views when they are the Text's own strings (the usual
  // case): written into a buffer sized for every octet escaped.
  std::string_view values[kLevels];
  bool present[kLevels] = {};
  bool views = true;
  std::size_t bound = 0;
  for (std::size_t i = 0; i < kLevels && views; ++i) {
    if (!levels[i]) continue;
    const Text& t = *levels[i];
    if (t.printable) values[i] = *t.printable;
    else if (t.teletex && is_printable_string(*t.teletex)) values[i] = *t.teletex;
    else if (t.universal && is_printable_string(t.universal->utf8)) values[i] = t.universal->utf8;
    else if (t.teletex || t.universal) views = false;  // "*" + text: below
    else continue;
    present[i] = true;
    bound += 2 * values[i].size() + 1;
  }
  if (views) {
    key.resize(bound + kLevels * 8);  // "admd$" "@" "." at most per level
    char* const base = key.data();
    char* p = base;
    for (std::size_t i = kLevels; i-- > 0;) {
      lookup.starts[kLevels - 1 - i] = static_cast<std::uint32_t>(p - base);
      std::memcpy(p, lk[i].data(), lk[i].size());
      p += lk[i].size();
      if (present[i]) {  // append_norm()
        char* const start = p;
        for (char c : values[i]) {
          if (c == ' ' && (p == start || p[-1] == ' ')) continue;
          if (c == '.' || c == '\\') *p++ = '\\';
          *p++ = ascii_lower(c);
        }
        if (p > start && p[-1] == ' ') --p;
        if (p == start && i == 1) *p++ = ' ';
      } else {
        *p++ = '@';
      }
      if (i) *p++ = '.';
    }
    key.resize(static_cast<std::size_t>(p - base));
    return true;
  }
  key.clear();
  for (std::size_t i = kLevels; i-- > 0;) {
    lookup.starts[kLevels - 1 - i] = static_cast<std::uint32_t>(key.size());
    key += lk[i];
    const auto v = levels[i] ? view(*levels[i]) : std::nullopt;
    if (v) append_norm(key, *v, i == 1);
    else key += '@';
    if (i) key += '.';
  }
  return true;
}

void set_level_text(Text& t, std::string_view raw, bool numeric_choice) {
  std::string& v = t.printable.emplace();
  if (raw.find('\\') == std::string_view::npos) {
    v.assign(raw);
  } else {
    v.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
      v += raw[i];
    }
  }
  t.teletex.reset();
  t.universal.reset();
  t.numeric = numeric_choice && is_all_digits(v);
}

}  // namespace detail

std::string format_dmn_prefix(const OrPrefix& p) {
  std::string out;
  for (std::size_t i = p.depth; i-- > 0;) {
    out += level_key(i);
    out += '$';
    if (!p.values[i]) out += '@';
    else
      for (char c : *p.values[i]) {
        if (c == '.') out += '\\';
        out += c;
      }
    if (i) out += '.';
  }
  return out;
}

}  // namespace mixer::addressing
