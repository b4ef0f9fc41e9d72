// mapping/trace.cpp: X.400 trace <-> X400-Received (see the header).
#include "mapping/trace.hpp"

#include "addressing/std_or.hpp"
#include "imf/message.hpp"
#include "imf/tokens.hpp"

namespace mixer::mapping {

namespace mts = p1::mts;

namespace {

bool is_atom(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!imf::is_atext(c) || static_cast<unsigned char>(c) > 127) return false;
  return true;
}

// 822.word: an atom, else a quoted-string (§5.3.7 "mta = word").
std::string word(std::string_view s) {
  if (is_atom(s)) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::optional<std::string> date_text(const imf::DateTime& t) {
  auto s = imf::format_date_time(t);
  if (!s) return std::nullopt;
  return std::move(s.value());
}

syntax::EncodedInfo encoded_info_of(const mts::EncodedInformationTypes& e) {
  return syntax::EncodedInfo{e.built_in, e.extended};
}

mts::EncodedInformationTypes eit_of(const syntax::EncodedInfo& e) {
  mts::EncodedInformationTypes out;
  out.built_in = e.built_in;
  out.extended = e.extended;
  return out;
}

// Reads "word" (atom or quoted-string) at the start of s; the rest after it.
std::optional<std::string> read_word(std::string_view& s) {
  s = syntax::trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '"') {
    auto end = imf::quoted_string_end(s, 0);
    if (!end) return std::nullopt;
    std::string w = imf::unquote(s.substr(0, *end));
    s.remove_prefix(*end);
    return w;
  }
  std::size_t i = 0;
  while (i < s.size() && imf::is_atext(s[i])) ++i;
  if (i == 0) return std::nullopt;
  std::string w(s.substr(0, i));
  s.remove_prefix(i);
  return w;
}

bool starts_with_word(std::string_view s, std::string_view w) {
  s = syntax::trim(s);
  return s.size() >= w.size() && syntax::iequals(s.substr(0, w.size()), w) &&
         (s.size() == w.size() || imf::is_lwsp(s[w.size()]));
}

std::string_view after_word(std::string_view s, std::string_view w) { return syntax::trim(syntax::trim(s).substr(w.size())); }

}  // namespace

std::optional<std::string> format_x400_trace(const TraceEntry& e) {
  auto gid = addressing::format_global_id(e.domain);
  if (!gid) return std::nullopt;
  std::string out;  // appended in place: no temporary per part
  out.reserve(160);
  out += "by ";
  if (e.mta) out.append("mta ").append(word(*e.mta)).append(" in ");
  out.append(*gid).append(" ;");
  if (e.deferred_until) {
    auto d = date_text(*e.deferred_until);
    if (!d) return std::nullopt;
    out.append(" deferred until ").append(*d).append(" ;");
  }
  if (e.converted) out.append(" converted (").append(syntax::encoded_info(*e.converted)).append(") ;");
  if (e.attempted) {
    if (auto* md = std::get_if<addressing::GlobalDomainIdentifier>(&*e.attempted)) {
      auto a = addressing::format_global_id(*md);
      if (!a) return std::nullopt;
      out.append(" attempted MD ").append(*a).append(" ;");
    } else {
      out.append(" attempted MTA ").append(word(std::get<std::string>(*e.attempted))).append(" ;");
    }
  }
  out += e.routing_action == 1 ? " Rerouted" : " Relayed";
  if (e.expanded) out += ", Expanded";
  if (e.redirected) out += ", Redirected";
  auto arrival = date_text(e.arrival);
  if (!arrival) return std::nullopt;
  out.append(" ; ").append(*arrival);
  return out;
}

std::optional<TraceEntry> parse_x400_trace(std::string_view value, const imf::Limits& limits) {
  const std::string unfolded = imf::unfold(value);
  auto parts = imf::split_list(unfolded, ';', limits);
  if (!parts || parts->size() < 3) return std::nullopt;
  const auto& p = *parts;
  TraceEntry e;
  // by [mta word in] global-id
  if (!starts_with_word(p[0], "by")) return std::nullopt;
  std::string_view by = after_word(p[0], "by");
  if (starts_with_word(by, "mta")) {
    std::string_view rest = after_word(by, "mta");
    auto mta = read_word(rest);
    if (!mta || !starts_with_word(rest, "in")) return std::nullopt;
    e.mta = *mta;
    by = after_word(rest, "in");
  }
  auto gid = addressing::parse_global_id(syntax::trim(by));
  if (!gid) return std::nullopt;
  e.domain = *gid;
  // the arrival time last, the action list before it
  auto arrival = imf::parse_date_time(p.back(), limits);
  if (!arrival) return std::nullopt;
  e.arrival = arrival->value;
  auto actions = imf::split_list(p[p.size() - 2], ',', limits);
  if (!actions || actions->empty()) return std::nullopt;
  bool routing = false;
  for (auto a : *actions) {
    if (syntax::iequals(a, "Relayed") || syntax::iequals(a, "Rerouted")) {
      if (routing) return std::nullopt;  // one routing action per element
      routing = true;
      e.routing_action = syntax::iequals(a, "Rerouted") ? 1 : 0;
    } else if (syntax::iequals(a, "Expanded")) {
      e.expanded = true;
    } else if (syntax::iequals(a, "Redirected")) {
      e.redirected = true;
    } else {
      return std::nullopt;
    }
  }
  if (!routing) return std::nullopt;
  for (std::size_t i = 1; i + 2 < p.size(); ++i) {
    std::string_view item = p[i];
    if (starts_with_word(item, "deferred")) {
      std::string_view rest = after_word(item, "deferred");
      if (!starts_with_word(rest, "until") || e.deferred_until) return std::nullopt;
      auto d = imf::parse_date_time(after_word(rest, "until"), limits);
      if (!d) return std::nullopt;
      e.deferred_until = d->value;
    } else if (starts_with_word(item, "converted") || syntax::trim(item).starts_with("converted(")) {
      std::string_view rest = syntax::trim(syntax::trim(item).substr(9));
      if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')' || e.converted) return std::nullopt;
      auto c = syntax::parse_encoded_info(rest.substr(1, rest.size() - 2));
      if (!c) return std::nullopt;
      e.converted = *c;
    } else if (starts_with_word(item, "attempted")) {
      std::string_view rest = after_word(item, "attempted");
      if (e.attempted) return std::nullopt;
      if (starts_with_word(rest, "MD")) {
        auto a = addressing::parse_global_id(after_word(rest, "MD"));
        if (!a) return std::nullopt;
        e.attempted = *a;
      } else if (starts_with_word(rest, "MTA")) {
        std::string_view w = after_word(rest, "MTA");
        auto m = read_word(w);
        if (!m || !syntax::trim(w).empty()) return std::nullopt;
        e.attempted = *m;
      } else {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  return e;
}

std::optional<imf::DateTime> time_of(const mts::Time& t) {
  imf::Limits limits;
  if (auto u = imf::parse_utc_time(t, limits)) return u->value;
  if (auto g = imf::parse_generalized_time(t, limits)) return g->value;
  return std::nullopt;
}

std::optional<mts::Time> utc_time_of(const imf::DateTime& t) {
  auto s = imf::format_utc_time(t, imf::ZoneForm::numeric);
  if (!s) return std::nullopt;
  return std::move(s.value());
}

namespace {

template <class Supplied>
bool fill_actions(TraceEntry& e, const Supplied& s) {
  auto arrival = time_of(s.arrival_time);
  if (!arrival) return false;
  e.arrival = *arrival;
  e.routing_action = s.routing_action;
  const auto& a = s.additional_actions;
  if (a.deferred_time) {
    auto d = time_of(*a.deferred_time);
    if (!d) return false;
    e.deferred_until = *d;
  }
  if (a.converted_encoded_information_types) e.converted = encoded_info_of(*a.converted_encoded_information_types);
  if (a.other_actions) {
    e.redirected = a.other_actions->test(0);
    e.expanded = a.other_actions->test(1);
  }
  return true;
}

std::optional<TraceEntry> entry_of(const mts::TraceInformationElement& t) {
  TraceEntry e;
  e.domain = t.global_domain_identifier;
  if (!fill_actions(e, t.domain_supplied_information)) return std::nullopt;
  if (t.domain_supplied_information.attempted_domain) e.attempted = *t.domain_supplied_information.attempted_domain;
  return e;
}

std::optional<TraceEntry> entry_of(const mts::InternalTraceInformationElement& t) {
  TraceEntry e;
  e.domain = t.global_domain_identifier;
  e.mta = t.mta_name;
  const auto& m = t.mta_supplied_information;
  if (!fill_actions(e, m)) return std::nullopt;
  if (m.attempted) {
    if (const auto* mta = std::get_if<mts::MtaName>(&*m.attempted)) e.attempted = mta->name;
    else e.attempted = std::get<addressing::GlobalDomainIdentifier>(*m.attempted);
  }
  return e;
}

// Equal but for the internal element's MTA (§5.3.7): the internal element's
// MTA name and an MTA it attempted are left out; an attempted domain counts
// only when the internal element names one. Compared in place (no copies).
bool same_but_mta(const TraceEntry& external, const TraceEntry& internal) {
  if (external.mta) return false;
  const bool internal_attempted_domain =
      internal.attempted && std::holds_alternative<addressing::GlobalDomainIdentifier>(*internal.attempted);
  if (internal_attempted_domain && (!external.attempted || *external.attempted != *internal.attempted)) return false;
  return external.domain == internal.domain && external.deferred_until == internal.deferred_until &&
         external.converted == internal.converted && external.routing_action == internal.routing_action &&
         external.redirected == internal.redirected && external.expanded == internal.expanded &&
         external.arrival == internal.arrival;
}

template <class Supplied>
bool set_actions(Supplied& s, const TraceEntry& e) {
  auto arrival = utc_time_of(e.arrival);
  if (!arrival) return false;
  s.arrival_time = *arrival;
  s.routing_action = e.routing_action;
  if (e.deferred_until) {
    auto d = utc_time_of(*e.deferred_until);
    if (!d) return false;
    s.additional_actions.deferred_time = *d;
  }
  if (e.converted) s.additional_actions.converted_encoded_information_types = eit_of(*e.converted);
  if (e.redirected || e.expanded) {
    p1::ber::BitString bits;
    if (e.redirected) bits.set(0);
    if (e.expanded) bits.set(1);
    s.additional_actions.other_actions = bits;
  }
  return true;
}

}  // namespace

std::vector<TraceEntry> merge_trace(const mts::TraceInformation& trace, const mts::InternalTraceInformation* internal,
                                    std::size_t& unreadable) {
  std::vector<TraceEntry> external_entries, internal_entries;
  external_entries.reserve(trace.size());
  if (internal) internal_entries.reserve(internal->size());
  for (const auto& t : trace) {
    if (auto e = entry_of(t)) external_entries.push_back(std::move(*e));
    else ++unreadable;
  }
  if (internal)
    for (const auto& t : *internal) {
      if (auto e = entry_of(t)) internal_entries.push_back(std::move(*e));
      else ++unreadable;
    }
  // Each external element that an internal one repeats but for the MTA is
  // shown by that internal element, with the internal elements before it;
  // the others stay where they are; internal elements left over come last.
  // Each entry goes to `out` once: moved, not copied.
  std::vector<TraceEntry> out;
  out.reserve(external_entries.size() + internal_entries.size());
  std::size_t pos = 0;
  for (auto& x : external_entries) {
    std::size_t k = pos;
    while (k < internal_entries.size() && !same_but_mta(x, internal_entries[k])) ++k;
    if (k == internal_entries.size()) {
      out.push_back(std::move(x));
      continue;
    }
    for (; pos <= k; ++pos) out.push_back(std::move(internal_entries[pos]));
  }
  for (; pos < internal_entries.size(); ++pos) out.push_back(std::move(internal_entries[pos]));
  return out;
}

std::optional<mts::TraceInformationElement> trace_element_of(const TraceEntry& e) {
  mts::TraceInformationElement t;
  t.global_domain_identifier = e.domain;
  if (!set_actions(t.domain_supplied_information, e)) return std::nullopt;
  if (e.attempted)
    if (auto* md = std::get_if<addressing::GlobalDomainIdentifier>(&*e.attempted))
      t.domain_supplied_information.attempted_domain = *md;
  return t;
}

std::optional<mts::InternalTraceInformationElement> internal_trace_element_of(const TraceEntry& e) {
  if (!e.mta) return std::nullopt;
  mts::InternalTraceInformationElement t;
  t.global_domain_identifier = e.domain;
  t.mta_name = *e.mta;
  if (!set_actions(t.mta_supplied_information, e)) return std::nullopt;
  if (e.attempted) {
    auto& m = t.mta_supplied_information;
    if (auto* md = std::get_if<addressing::GlobalDomainIdentifier>(&*e.attempted))
      m.attempted = *md;
    else
      m.attempted = mts::MtaName{std::get<std::string>(*e.attempted)};
  }
  return t;
}

std::size_t mixer_conversions(const std::vector<TraceEntry>& entries) {
  std::size_t n = 0;
  for (const auto& e : entries)
    if (e.converted)
      for (const auto& oid : e.converted->extended)
        if (oid == syntax::eit_mixer()) {
          ++n;
          break;
        }
  return n;
}

}  // namespace mixer::mapping
