// addressing/std_or_format.cpp: generating RFC 2156 §4.1.3 std-or-address in
// the §4.3.3 component order, and the §5.3.3.2 global-id.
#include <algorithm>
#include <vector>

#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/std_or.hpp"
#include "addressing/std_or_keys.hpp"

namespace mixer::addressing {

namespace {

const std::string k413 = "RFC 2156 §4.1.3";

// std-printablestring: "/" and "=" as std-pairs; a space after a space as
// "$ " so that no two spaces are adjacent in the generated text.
std::string escape_std(std::string_view v) {
  std::string out;
  out.reserve(v.size() + 4);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '/' || c == '=' || (c == ' ' && i > 0 && v[i - 1] == ' ')) out += '$';
    out += c;
  }
  return out;
}

Error not_representable(const std::string& key, const std::string& why) {
  return make_error(Errc::not_representable, "RFC 2156 §4.1.1", key + " " + why);
}

// escape_std(v) appended to out: runs that need no "$" go in whole.
void append_escaped(std::string& out, std::string_view v) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '/' || c == '=' || (c == ' ' && i > 0 && v[i - 1] == ' ')) {
      out.append(v.data() + run, i - run);
      out += '$';
      run = i;
    }
  }
  out.append(v.data() + run, v.size() - run);
}

struct Writer {
  std::string out;
  std::optional<Error> err;

  void pair(std::string_view key, std::string_view raw_value) {
    out.append(key);
    out += '=';
    append_escaped(out, raw_value);
    out += '/';
  }
  // Most attributes are absent: the test stays inline, the writing does not.
  void text(std::string_view key, const Text& t) {
    if (t.present() && !err) write(key, t);
  }
  [[gnu::noinline]] void write(std::string_view key, const Text& t) {
    // A printable value alone (the usual case) is written as it is, when it
    // is what text_to_pt() would give.
    if (t.printable && !t.teletex && !t.universal &&
        (t.numeric ? is_numeric_string(*t.printable) : is_printable_string(*t.printable))) {
      pair(key, *t.printable);
      return;
    }
    auto v = text_to_pt(t, key.data());  // the keys are literals
    if (!v) {
      err = v.error();
      return;
    }
    pair(key, *v);
  }
};

}  // namespace

Result<std::string> text_to_pt(const Text& t, const char* key) {
  std::optional<std::string> p = t.printable, tt = t.teletex;
  if (t.universal) {
    const std::string& u = t.universal->utf8;
    if (!p && !tt) {
      if (!is_printable_string(u)) return not_representable(key, "is a universal string outside PrintableString");
      p = u;
    } else if (!(p && *p == u) && !(tt && *tt == u)) {
      return not_representable(key, "carries a universal form that differs from its printable and teletex forms");
    }
  }
  if (p && !(t.numeric ? is_numeric_string(*p) : is_printable_string(*p)))
    return not_representable(key, "value '" + *p + "' holds characters outside PrintableString");
  // §4.1.1: a teletex value with only printable characters is written as
  // printable; so is a pair whose two forms are the same.
  if (tt && (!p || *p == *tt) && is_printable_string(*tt)) {
    p = *tt;
    tt.reset();
  } else if (tt && p && *p == *tt) {
    tt.reset();
  }
  std::string v = p ? *p : "";
  if (tt) v += "*" + teletex_to_text(*tt);
  return v;
}

namespace {

// format_std_or() of the address without its hierarchy levels [0, levels)
// (C, ADMD, PRMD, O, then OUs from OU1), as without_levels() in
// mapping_to_rfc822.cpp takes them away.
Result<std::string> format_std_or_from(const OrAddress& a, std::size_t levels) {
  Writer w;
  w.out.reserve(64);
  w.out = "/";
  // §4.3.3: DDAs first (most significant, the first in the SEQUENCE, on the right).
  for (auto it = a.ddas.rbegin(); it != a.ddas.rend(); ++it) {
    const DomainDefinedAttribute& d = *it;
    bool printable = d.form == DdaForm::printable ||
                     (is_printable_string(d.type) && is_printable_string(d.value));
    if (d.form == DdaForm::printable && !printable) return not_representable("DD." + d.type, "is not a PrintableString");
    if (!printable && (d.form == DdaForm::universal || d.form == DdaForm::bmp))
      return not_representable("DD." + d.type, "is a universal string outside PrintableString");
    if (printable) {
      if (d.type == "RFC-822") w.pair("RFC-822", d.value);
      else w.pair("DD." + escape_std(d.type), d.value);
    } else {
      w.pair("DD.*" + escape_std(teletex_to_text(d.type)), "*" + teletex_to_text(d.value));
    }
  }
  w.text("NET-PSAP", a.postal().psap_address);
  w.text("NET-SUB", a.postal().e163_4_sub_address);
  w.text("NET-NUM", a.postal().e163_4_number);
  w.text("X121", a.network_address);
  w.text("T-ID", a.terminal_identifier);
  if (a.terminal_type) w.pair("T-TY", std::string(keys::terminal_type_label(*a.terminal_type)) + "(" + std::to_string(*a.terminal_type) + ")");
  w.text("UA-ID", a.numeric_user_identifier);
  w.text("PD-PN", a.postal().pd_personal_name);
  w.text("PD-O", a.postal().pd_organization_name);
  if (a.postal().unformatted_postal_address && !w.err) {
    const auto& u = *a.postal().unformatted_postal_address;
    std::string v;
    for (std::size_t i = 0; i < u.lines.size(); ++i) {
      if (!is_printable_string(u.lines[i])) return not_representable("PD-ADDRESS", "line holds characters outside PrintableString");
      if (i) v += '|';
      v += u.lines[i];
    }
    if (u.teletex) v += "*" + teletex_to_text(*u.teletex);
    if (u.universal) {
      if (!u.lines.empty() || u.teletex || !is_printable_string(u.universal->utf8))
        return not_representable("PD-ADDRESS", "carries a universal form outside PrintableString");
      v = u.universal->utf8;
    }
    w.pair("PD-ADDRESS", v);
  }
  w.text("PD-STREET", a.postal().street_address);
  w.text("PD-BOX", a.postal().post_office_box_address);
  w.text("PD-RESTANTE", a.postal().poste_restante_address);
  w.text("PD-UNIQUE", a.postal().unique_postal_name);
  w.text("PD-LOCAL", a.postal().local_postal_attributes);
  w.text("PD-EXT-ADDRESS", a.postal().extension_or_address_components);
  w.text("PD-EXT-DELIVERY", a.postal().extension_pd_address_components);
  w.text("PD-OFFICE-NUM", a.postal().pd_office_number);
  w.text("PD-OFFICE", a.postal().pd_office_name);
  w.text("PD-CODE", a.postal().postal_code);
  w.text("PD-C", a.postal().pd_country);
  w.text("PD-SERVICE", a.postal().pds_name);
  w.text("G", a.personal_name.given_name);
  w.text("I", a.personal_name.initials);
  w.text("S", a.personal_name.surname);
  w.text("GQ", a.personal_name.generation_qualifier);
  w.text("CN", a.common_name);
  // §4.3.3: OUs with the most significant (OU1) on the right, O to their right.
  const std::size_t ous_gone = std::min(levels > 4 ? levels - 4 : 0, a.organizational_units.size());
  for (auto it = a.organizational_units.rbegin(); it != a.organizational_units.rend() - static_cast<long>(ous_gone); ++it)
    w.text("OU", *it);
  if (levels <= 3) w.text("O", a.organization);
  if (levels <= 2) w.text("PRMD", a.prmd);
  if (levels <= 1) w.text("ADMD", a.admd);
  if (levels == 0) w.text("C", a.country);
  if (w.err) return *w.err;
  if (w.out == "/") return make_error(Errc::not_representable, k413, "an empty O/R address has no std-or form");
  if (w.out.size() > StdOrParseOptions{}.max_length)
    return make_error(Errc::limit, k413, "the std-or form would be longer than " + std::to_string(StdOrParseOptions{}.max_length) + " octets");
  return std::move(w.out);
}

}  // namespace

Result<std::string> format_std_or(const OrAddress& a) { return format_std_or_from(a, 0); }

namespace detail {

Result<std::string> format_std_or_without_levels(const OrAddress& a, std::size_t levels) {
  return format_std_or_from(a, levels);
}

}  // namespace detail

Result<std::string> format_global_id(const GlobalDomainIdentifier& g) {
  // format_std_or() of an address holding C, ADMD and PRMD only.
  Writer w;
  w.out = "/";
  w.text("PRMD", g.prmd);
  w.text("ADMD", g.admd);
  w.text("C", g.country);
  if (w.err) return *w.err;
  if (w.out == "/") return make_error(Errc::not_representable, k413, "an empty O/R address has no std-or form");
  if (w.out.size() > StdOrParseOptions{}.max_length)
    return make_error(Errc::limit, k413, "the std-or form would be longer than " + std::to_string(StdOrParseOptions{}.max_length) + " octets");
  return std::move(w.out);
}

Result<GlobalDomainIdentifier> parse_global_id(std::string_view text) {
  auto a = parse_or_address(text);
  if (!a) return a.error();
  GlobalDomainIdentifier g = global_domain_of(*a);
  OrAddress rest = *a;
  rest.country = rest.admd = rest.prmd = Text{};
  if (!rest.empty() || !g.country.present())
    return make_error(Errc::syntax, "RFC 2156 §5.3.3.2", "global-id holds attributes other than C, ADMD and PRMD");
  return g;
}

}  // namespace mixer::addressing
