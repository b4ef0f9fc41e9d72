// addressing/std_or.cpp: RFC 2156 §4.1.3 std-or-address and RFC 1685 forms.
#include "addressing/std_or.hpp"

#include <algorithm>
#include <bitset>
#include <cstring>
#include <iterator>
#include <vector>

#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/personal_name.hpp"
#include "addressing/std_or_keys.hpp"

namespace mixer::addressing {

namespace {

const std::string k413 = "RFC 2156 §4.1.3";
const std::string k411 = "RFC 2156 §4.1.1";

struct RawPair {
  std::string key;
  std::string value;
  std::size_t pos = 0;  // offset of the pair in the input, for messages
};

enum class Mode { mixed, semicolon, slash };

// k without its leading and trailing spaces and tabs.
std::string_view trimmed(std::string_view k) {
  std::size_t b = 0, e = k.size();
  while (b < e && (k[b] == ' ' || k[b] == '\t')) ++b;
  while (e > b && (k[e - 1] == ' ' || k[e - 1] == '\t')) --e;
  return k.substr(b, e - b);
}

void trim_key(std::string& k) {
  const std::string_view t = trimmed(k);
  if (t.size() == k.size()) return;
  const std::size_t b = static_cast<std::size_t>(t.data() - k.data());
  k.erase(b + t.size());
  k.erase(0, b);
}

// The key as trim_key() leaves it starts with "dd" (any case).
bool trimmed_key_starts_dd(std::string_view k) {
  k = trimmed(k);
  return k.size() >= 2 && iequals(k.substr(0, 2), "dd");
}

// Splits the input into key=value pairs, resolving "$" escapes, doubled
// separators (RFC 1685) and "==" in DDA types.
Result<std::vector<RawPair>> tokenize(std::string_view s, Mode mode) {
  auto is_sep = [mode](char c) {
    return (c == '/' && mode != Mode::semicolon) || (c == ';' && mode != Mode::slash);
  };
  // Characters with no role here: taken in runs.
  auto plain = [&is_sep](char c) { return c != '$' && c != '=' && !is_sep(c); };
  const bool semicolon = mode == Mode::semicolon;
  std::vector<RawPair> out;
  out.reserve(8);
  RawPair cur;
  std::vector<bool> escaped;  // per value char: escaped (kept when trimming; RFC 1685 form only)
  bool in_key = true, has_eq = false, any = false;
  auto flush = [&]() -> std::optional<Error> {
    trim_key(cur.key);
    if (!any) return std::nullopt;
    if (!has_eq)
      return make_error(Errc::syntax, k413, "'" + cur.key + "' at offset " + std::to_string(cur.pos) + " has no '='");
    if (semicolon) {  // RFC 1685: spaces around labels and values are not part of them
      std::size_t b = 0, e = cur.value.size();
      while (b < e && cur.value[b] == ' ' && !escaped[b]) ++b;
      while (e > b && cur.value[e - 1] == ' ' && !escaped[e - 1]) --e;
      cur.value = cur.value.substr(b, e - b);
    }
    out.push_back(std::move(cur));
    return std::nullopt;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!any && !is_sep(c)) {
      any = true;
      cur.pos = i;
    }
    if (c == '$') {
      if (i + 1 >= s.size() || !is_ps_char(s[i + 1]))
        return make_error(Errc::syntax, k413, "'$' at offset " + std::to_string(i) + " must be followed by a ps-char");
      (in_key ? cur.key : cur.value) += s[++i];
      if (!in_key && semicolon) escaped.push_back(true);
      continue;
    }
    if (is_sep(c)) {
      if (!in_key && i + 1 < s.size() && s[i + 1] == c && i + 2 < s.size()) {  // RFC 1685 doubled delimiter
        cur.value += c;
        if (semicolon) escaped.push_back(true);
        ++i;
        continue;
      }
      if (auto e = flush()) return *e;
      cur = RawPair{};
      escaped.clear();
      in_key = true;
      has_eq = false;
      any = false;
      continue;
    }
    if (c == '=' && in_key) {
      if (i + 1 < s.size() && s[i + 1] == '=' && trimmed_key_starts_dd(cur.key)) {
        cur.key += '=';  // RFC 1685 F.3.2.3: "==" in a DDA type
        ++i;
        continue;
      }
      in_key = false;
      has_eq = true;
      continue;
    }
    if (c == '=' && mode != Mode::semicolon)
      return make_error(Errc::syntax, k413, "'=' inside a value at offset " + std::to_string(i) + " must be written '$='");
    // c and the plain characters after it.
    std::size_t j = i + 1;
    if (c != '=')
      while (j < s.size() && plain(s[j])) ++j;
    (in_key ? cur.key : cur.value).append(s.data() + i, j - i);
    if (!in_key && semicolon) escaped.insert(escaped.end(), j - i, false);
    i = j - 1;
  }
  if (auto e = flush()) return *e;
  if (out.empty()) return make_error(Errc::syntax, k413, "no attribute=value pair");
  return out;
}

bool ordered_suffix(std::string_view lk, std::string_view prefix, int max, int& n) {
  if (lk.size() != prefix.size() + 1 || lk.substr(0, prefix.size()) != prefix) return false;
  const char d = lk.back();
  if (d < '1' || d > '0' + max) return false;
  n = d - '0';
  return true;
}

struct Builder {
  explicit Builder(OrAddress& out) : a(out) {}
  OrAddress& a;  // the caller's, empty at the start
  std::bitset<64> seen;
  std::vector<std::pair<std::size_t, Text>> ous;  // plain OU values with their pair index
  Text ordered_ou[4];
  std::vector<DomainDefinedAttribute> dds;        // plain DDs in text order
  std::optional<DomainDefinedAttribute> ordered_dd[4];
  std::optional<std::string> upa_lines[6];
  std::optional<std::size_t> o_index;
  bool pn_key = false, pn_parts = false;
  bool rfc1685 = false;  // ";" alone separates: the RFC 1685 labelled format
};

Result<bool> set_once(Builder& b, std::size_t slot, std::string_view key) {
  if (b.seen.test(slot))
    return make_error(Errc::duplicate_attribute, k413, "attribute " + std::string(key) + " given more than once");
  b.seen.set(slot);
  return true;
}

// A DDA from "type" and "value" text; "*"-prefixed parts are teletex (§4.1.3).
Result<DomainDefinedAttribute> make_dda(std::string_view type, std::string_view value) {
  const bool tt = (!type.empty() && type[0] == '*') || (!value.empty() && value[0] == '*');
  DomainDefinedAttribute d;
  if (!tt) {
    if (type.empty()) return make_error(Errc::syntax, k413, "domain-defined attribute without a type");
    if (!is_printable_string(type) || !is_printable_string(value))
      return make_error(Errc::invalid_value, k413, "DD." + std::string(type) + " is not a PrintableString");
    d.type = type;
    d.value = value;
    return d;
  }
  if (!type.empty() && type[0] == '*') type.remove_prefix(1);
  if (!value.empty() && value[0] == '*') value.remove_prefix(1);
  auto t = teletex_from_text(type);
  if (!t) return t.error();
  auto v = teletex_from_text(value);
  if (!v) return v.error();
  if (t->empty()) return make_error(Errc::syntax, k413, "domain-defined attribute without a type");
  d.type = std::move(*t);
  d.value = std::move(*v);
  d.form = DdaForm::teletex;
  return d;
}

Result<bool> apply(Builder& b, const RawPair& p, std::size_t index) {
  const std::string lk = ascii_lowercase(p.key);
  if (lk.empty()) return make_error(Errc::syntax, k413, "empty attribute key at offset " + std::to_string(p.pos));
  // "RFC-822" is the optimised form of the domain-defined type RFC-822 (§4.1.3).
  if (lk == "rfc-822") {
    auto d = make_dda("RFC-822", p.value);
    if (!d) return d.error();
    b.dds.push_back(std::move(*d));
    return true;
  }
  int n = 0;
  if (lk.size() > 3 && lk[0] == 'd' && lk[1] == 'd') {  // "dd.", "dda.", "dd:", "dda:"
    for (const std::string_view pre : {"dd.", "dda.", "dd:", "dda:"}) {
      const std::size_t pl = pre.size();
      if (lk.size() > pl && lk.compare(0, pl, pre) == 0) {
        auto d = make_dda(std::string_view(p.key).substr(pl), p.value);
        if (!d) return d.error();
        b.dds.push_back(std::move(*d));
        return true;
      }
    }
  }
  if (lk.size() > 4 && lk[0] == 'd' && lk[1] == 'd' && lk[2] >= '1' && lk[2] <= '4' && (lk[3] == '.' || lk[3] == ':')) {
    const int k = lk[2] - '1';
    if (b.ordered_dd[k]) return make_error(Errc::duplicate_attribute, k411, "DD" + std::to_string(k + 1) + " given more than once");
    auto d = make_dda(std::string_view(p.key).substr(4), p.value);
    if (!d) return d.error();
    b.ordered_dd[k] = std::move(*d);
    return true;
  }
  if (ordered_suffix(lk, "ou", 4, n)) {
    if (b.ordered_ou[n - 1].present())
      return make_error(Errc::duplicate_attribute, k411, "OU" + std::to_string(n) + " given more than once");
    auto t = pt_to_text(p.value, "OU", true, false);
    if (!t) return t.error();
    b.ordered_ou[n - 1] = std::move(*t);
    return true;
  }
  if (ordered_suffix(lk, "pd-a", 6, n)) {
    if (b.upa_lines[n - 1]) return make_error(Errc::duplicate_attribute, k411, "PD-A" + std::to_string(n) + " given more than once");
    if (!is_printable_string(p.value))
      return make_error(Errc::invalid_value, k411, "PD-A" + std::to_string(n) + " is not a PrintableString");
    b.upa_lines[n - 1] = p.value;
    return true;
  }
  const keys::KeyDef* def = keys::find_key(lk);
  if (!def) return make_error(Errc::unknown_attribute, k411, "unknown attribute key '" + p.key + "'");
  const std::size_t slot = static_cast<std::size_t>(def - &keys::key("C"));
  using keys::Kind;
  switch (def->kind) {
    case Kind::ou: {
      auto t = pt_to_text(p.value, "OU", true, false);
      if (!t) return t.error();
      b.ous.emplace_back(index, std::move(*t));
      return true;
    }
    case Kind::dd:
      return make_error(Errc::syntax, k413, "domain-defined attribute needs a type: DD.type=value");
    case Kind::pn: {
      if (auto r = set_once(b, slot, def->name); !r) return r;
      b.pn_key = true;
      auto t = pt_to_text(p.value, "PN", true, false);
      if (!t) return t.error();
      PersonalName pn;
      if (t->printable) {
        auto x = parse_encoded_pn(*t->printable);
        if (!x) return make_error(Errc::invalid_value, "RFC 2156 §4.1.2", "PN value '" + *t->printable + "' is not encoded-pn");
        pn = *x;
      }
      if (t->teletex) {
        auto x = parse_encoded_pn_teletex(*t->teletex);
        if (!x) return make_error(Errc::invalid_value, "RFC 2156 §4.1.2", "PN teletex value is not encoded-pn");
        pn.surname.teletex = x->surname.teletex;
        pn.given_name.teletex = x->given_name.teletex;
        pn.initials.teletex = x->initials.teletex;
      }
      b.a.personal_name = pn;
      return true;
    }
    case Kind::surname:
    case Kind::given:
    case Kind::initials:
    case Kind::gq: {
      if (auto r = set_once(b, slot, def->name); !r) return r;
      b.pn_parts = true;
      auto t = pt_to_text(p.value, def->name, true, false);
      if (!t) return t.error();
      PersonalName& pn = b.a.personal_name;
      Text& dst = def->kind == Kind::surname ? pn.surname
                  : def->kind == Kind::given ? pn.given_name
                  : def->kind == Kind::initials ? pn.initials
                                                : pn.generation_qualifier;
      dst = std::move(*t);
      return true;
    }
    case Kind::upa: {
      if (auto r = set_once(b, slot, def->name); !r) return r;
      UnformattedPostalAddress u;
      std::string_view v = p.value;
      const std::size_t star = v.find('*');
      std::string_view printable = v.substr(0, star);
      if (star != std::string_view::npos) {
        auto t = teletex_from_text(v.substr(star + 1));
        if (!t) return t.error();
        u.teletex = std::move(*t);
      }
      if (!printable.empty() || star == std::string_view::npos) {
        std::size_t start = 0;
        while (true) {
          const std::size_t bar = printable.find('|', start);
          const std::string_view line = printable.substr(start, bar == std::string_view::npos ? bar : bar - start);
          if (!is_printable_string(line))
            return make_error(Errc::invalid_value, k411, "PD-ADDRESS line '" + std::string(line) + "' is not a PrintableString");
          u.lines.emplace_back(line);
          if (bar == std::string_view::npos) break;
          start = bar + 1;
        }
      }
      b.a.postal_mut().unformatted_postal_address = std::move(u);
      return true;
    }
    case Kind::terminal_type: {
      if (auto r = set_once(b, slot, def->name); !r) return r;
      const auto v = keys::parse_terminal_type(p.value);
      if (!v) return make_error(Errc::invalid_value, k411, "T-TY value '" + p.value + "' is not a labelled-integer");
      b.a.terminal_type = *v;
      return true;
    }
    case Kind::isdn: {
      const std::size_t net = static_cast<std::size_t>(&keys::key("NET-NUM") - &keys::key("C"));
      if (auto r = set_once(b, net, "NET-NUM"); !r) return r;
      std::string digits;
      for (char c : p.value) {
        if (c >= '0' && c <= '9') digits += c;
        else if (c != '+' && c != '-' && c != ' ')
          return make_error(Errc::invalid_value, k411, "ISDN value '" + p.value + "' is not an E.164 number");
      }
      b.a.postal_mut().e163_4_number = Text::of(digits);
      b.a.postal_mut().e163_4_number.numeric = true;
      return true;
    }
    case Kind::text:
      break;
  }
  if (auto r = set_once(b, slot, def->name); !r) return r;
  Text& dst = keys::text_of(b.a, *def);
  using keys::Enc;
  if (def->field == &OrAddress::organization) b.o_index = index;
  switch (def->enc) {
    case Enc::p:
    case Enc::pn: {
      std::string v = p.value;
      // RFC 1685 F.3.2.1: in the labelled format a user who "omits the value
      // for the ADMD attribute" means a single space (how RFC 2156 §4.3.4
      // example 1 writes "a= ;"). In std-or ("/") text "ADMD=" is the
      // zero-length ADMD (§4.2: null values are not omitted ones; Appendix
      // B: "/O=/"), which §4.3.5 step 1 turns into a space for lookup only.
      if (def->field == &OrAddress::admd && v.empty() && b.rfc1685) v = " ";
      if (!is_printable_string(v))
        return make_error(Errc::invalid_value, k411, std::string(def->name) + " value '" + v + "' is not a PrintableString");
      dst = Text::of(v);
      dst.numeric = def->enc == Enc::pn && is_all_digits(v);
      return true;
    }
    case Enc::n:
      if (!is_numeric_string(p.value))
        return make_error(Errc::invalid_value, k411, std::string(def->name) + " value '" + p.value + "' is not a NumericString");
      dst = Text::of(p.value);
      dst.numeric = true;
      return true;
    case Enc::x:
      dst = Text::of(p.value);
      return true;
    default: {
      auto t = pt_to_text(p.value, def->name, true, false);
      if (!t) return t.error();
      dst = std::move(*t);
      return true;
    }
  }
}

std::optional<Error> finish(Builder& b, const StdOrParseOptions& options, bool& inverted_ou_order) {
  OrAddress& a = b.a;
  if (b.pn_key && b.pn_parts)
    return make_error(Errc::duplicate_attribute, k413, "PN given together with S, G, I or GQ");
  // OUs: the ordered keywords OU1..OU4 exclude plain OU (§4.1.1).
  const bool ordered = std::any_of(std::begin(b.ordered_ou), std::end(b.ordered_ou), [](const Text& t) { return t.present(); });
  if (ordered && !b.ous.empty()) return make_error(Errc::conflict, k411, "OU1..OU4 and OU given together");
  if (ordered) {
    int last = 3;
    while (last >= 0 && !b.ordered_ou[last].present()) --last;
    for (int i = 0; i <= last; ++i) {
      if (!b.ordered_ou[i].present()) return make_error(Errc::syntax, k411, "OU" + std::to_string(i + 1) + " missing below OU" + std::to_string(last + 1));
      a.organizational_units.push_back(b.ordered_ou[i]);
    }
  } else if (!b.ous.empty()) {
    // §4.3.3: the most significant OU is on the right; §4.3.4.1: an O to the
    // left of an OU says the writer used the inverse order.
    const bool inverted = options.inverted_ou_heuristic && b.o_index && *b.o_index < b.ous.back().first;
    inverted_ou_order = inverted;
    for (auto& [i, t] : b.ous) a.organizational_units.push_back(std::move(t));
    if (!inverted) std::reverse(a.organizational_units.begin(), a.organizational_units.end());
  }
  const bool ordered_dd = std::any_of(std::begin(b.ordered_dd), std::end(b.ordered_dd), [](const auto& d) { return d.has_value(); });
  if (ordered_dd && !b.dds.empty()) return make_error(Errc::conflict, k411, "DD1..DD4 and DD given together");
  if (ordered_dd) {
    for (auto& d : b.ordered_dd)
      if (d) a.ddas.push_back(std::move(*d));
  } else {
    a.ddas.assign(std::make_move_iterator(b.dds.rbegin()), std::make_move_iterator(b.dds.rend()));  // §4.3.3 item 3: first DDA is the rightmost
  }
  const bool lines = std::any_of(std::begin(b.upa_lines), std::end(b.upa_lines), [](const auto& l) { return l.has_value(); });
  if (lines) {
    if (a.postal().unformatted_postal_address) return make_error(Errc::conflict, k411, "PD-A1..PD-A6 and PD-ADDRESS given together");
    UnformattedPostalAddress u;
    for (auto& l : b.upa_lines)
      if (l) u.lines.push_back(std::move(*l));
    a.postal_mut().unformatted_postal_address = std::move(u);
  }
  // §4.1.3: a country without ADMD means ADMD " " (RFC 1685 F.4 likewise).
  if (a.country.present() && !a.admd.present()) a.admd = Text::of(" ");
  // §4.1.1 folds the printable and teletex personal names onto one key.
  assign_personal_name_forms(a.personal_name);
  return std::nullopt;
}

}  // namespace

Result<Text> pt_to_text(std::string_view v, const char* key, bool allow_teletex, bool numeric_choice) {
  Text t;
  const std::size_t star = v.find('*');
  if (star != std::string_view::npos) {
    if (!allow_teletex) return make_error(Errc::invalid_value, k411, std::string(key) + " has no teletex form");
    auto tt = teletex_from_text(v.substr(star + 1));
    if (!tt) return make_error(Errc::invalid_value, "RFC 2156 §3.3.4", std::string(key) + ": " + tt.error().message);
    t.teletex = std::move(*tt);
    v = v.substr(0, star);
    if (v.empty()) return t;
  }
  if (!is_printable_string(v)) {
    std::string bad;
    for (char c : v)
      if (!is_ps_char(c)) {
        bad = c;
        break;
      }
    return make_error(Errc::invalid_value, "RFC 2156 §3.3.3",
                      std::string(key) + " value '" + std::string(v) + "' has '" + bad + "', which is not a PrintableString character");
  }
  t.printable = std::string(v);
  t.numeric = numeric_choice && is_all_digits(v);
  return t;
}

namespace detail {

std::optional<Error> parse_std_or_into(std::string_view s, const StdOrParseOptions& options, OrAddress& out,
                                       bool& inverted_ou_order) {
  if (s.size() > options.max_length)
    return make_error(Errc::limit, k413, "address longer than " + std::to_string(options.max_length) + " octets");
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  if (options.label_prefix && s.size() >= 6 && iequals(s.substr(0, 6), "X.400:")) {
    s.remove_prefix(6);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  }
  if (s.empty()) return make_error(Errc::syntax, k413, "empty O/R address");
  Mode mode = Mode::slash;
  if (options.semicolons) {
    if (s.front() == '/') mode = Mode::mixed;                              // §4.1.3: "/", ";" or a mixture
    else if (s.find(';') != std::string_view::npos) mode = Mode::semicolon;  // RFC 1685: one delimiter
  }
  auto pairs = tokenize(s, mode);
  if (!pairs) return pairs.error();
  Builder b{out};
  b.rfc1685 = mode == Mode::semicolon;
  for (std::size_t i = 0; i < pairs->size(); ++i)
    if (auto r = apply(b, (*pairs)[i], i); !r) return r.error();
  return finish(b, options, inverted_ou_order);
}

}  // namespace detail

Result<ParsedOrAddress> parse_std_or(std::string_view s, const StdOrParseOptions& options) {
  Result<ParsedOrAddress> r{std::in_place};
  if (auto e = detail::parse_std_or_into(s, options, r->address, r->inverted_ou_order)) r = std::move(*e);
  return r;
}

Result<OrAddress> parse_or_address(std::string_view text, const StdOrParseOptions& options) {
  Result<OrAddress> r{std::in_place};
  bool inverted = false;
  if (auto e = detail::parse_std_or_into(text, options, *r, inverted)) r = std::move(*e);
  return r;
}

}  // namespace mixer::addressing
