// mapping/disposition_notification.cpp: see the header.
#include "mapping/disposition_notification.hpp"

#include <algorithm>
#include <array>

#include "imf/header_writer.hpp"
#include "mapping/syntax.hpp"

namespace mixer::mapping {
namespace {

using syntax::iequals;
using syntax::trim;

// The fields RFC 8098 §3.1 allows at most once, in the order the writer puts them.
constexpr std::array<std::string_view, 6> kOnce = {"Reporting-UA", "MDN-Gateway", "Original-Recipient",
                                                  "Final-Recipient", "Original-Message-ID", "Disposition"};
// A run of octets without white space longer than this cannot be written back on one line
// with any field name (RFC 5322 §2.1.1's 998).
constexpr std::size_t kMaxWord = 900;

std::optional<TypedValue> typed(std::string_view v) { return typed_value_of(v); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  return out;
}

// RFC 5322 §3.2.2: the value with its comments (nested, with quoted-pairs) left out; nullopt
// when a comment is not closed or a ")" has no "(".
std::optional<std::string> without_comments(std::string_view v) {
  std::string out;
  int depth = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (depth > 0 && c == '\\') {
      ++i;
      continue;
    }
    if (c == '(') {
      ++depth;
      out += depth == 1 ? " " : "";
    } else if (c == ')') {
      if (depth == 0) return std::nullopt;
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  if (depth != 0) return std::nullopt;
  return out;
}

bool is_atom(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127 ||
        std::string_view("()<>[]:;@\\,.\"/").find(c) != std::string_view::npos)
      return false;
  return true;
}

// RFC 8098 §3.2.6: disposition-mode ";" disposition-type [ "/" modifier *( "," modifier ) ].
std::optional<Disposition> disposition_of(std::string_view value, std::size_t max_modifiers, std::string& why) {
  auto text = without_comments(value);
  if (!text) return why = "a comment that is not closed", std::nullopt;
  std::string_view v = *text;
  const auto semi = v.find(';');
  if (semi == std::string_view::npos) return why = "no \";\" after the disposition mode", std::nullopt;
  std::string_view mode = v.substr(0, semi), rest = v.substr(semi + 1);
  const auto slash = mode.find('/');
  if (slash == std::string_view::npos) return why = "a disposition mode without \"/\"", std::nullopt;
  Disposition d;
  const auto action = trim(mode.substr(0, slash)), sending = trim(mode.substr(slash + 1));
  if (iequals(action, "manual-action")) d.action = ActionMode::manual;
  else if (iequals(action, "automatic-action")) d.action = ActionMode::automatic;
  else return why = "action-mode is neither manual-action nor automatic-action", std::nullopt;
  if (iequals(sending, "MDN-sent-manually")) d.sending = SendingMode::manually;
  else if (iequals(sending, "MDN-sent-automatically")) d.sending = SendingMode::automatically;
  else return why = "sending-mode is neither MDN-sent-manually nor MDN-sent-automatically", std::nullopt;
  const auto mslash = rest.find('/');
  const auto type = trim(rest.substr(0, mslash));
  bool known = false;
  for (auto t : {DispositionType::displayed, DispositionType::deleted, DispositionType::dispatched,
                 DispositionType::processed})
    if (iequals(type, disposition_type_name(t))) d.type = t, known = true;
  if (!known) return why = "disposition-type \"" + std::string(type.substr(0, 40)) + "\" is none of RFC 8098 \xC2\xA7" "3.2.6.2's", std::nullopt;
  if (mslash != std::string_view::npos) {
    std::string_view mods = rest.substr(mslash + 1);
    while (true) {
      const auto comma = mods.find(',');
      const auto m = trim(mods.substr(0, comma));
      if (!is_atom(m)) return why = "a disposition modifier that is not an atom", std::nullopt;
      if (d.modifiers.size() >= max_modifiers) return why = "over " + std::to_string(max_modifiers) + " disposition modifiers", std::nullopt;
      d.modifiers.push_back(lower(m));
      if (comma == std::string_view::npos) break;
      mods.remove_prefix(comma + 1);
    }
  }
  return d;
}

}  // namespace

const char* disposition_type_name(DispositionType t) {
  switch (t) {
    case DispositionType::displayed: return "displayed";
    case DispositionType::deleted: return "deleted";
    case DispositionType::dispatched: return "dispatched";
    case DispositionType::processed: return "processed";
  }
  return "displayed";
}

const std::string* DispositionNotification::field(std::string_view name) const {
  for (const auto& f : fields)
    if (iequals(f.name, name)) return &f.value;
  return nullptr;
}

std::string disposition_text(const Disposition& d) {
  std::string out = d.action == ActionMode::manual ? "manual-action/" : "automatic-action/";
  out += d.sending == SendingMode::manually ? "MDN-sent-manually; " : "MDN-sent-automatically; ";
  out += disposition_type_name(d.type);
  // ", " between modifiers (CFWS is allowed there), so that the field folds and no run
  // of octets without white space is longer than the longest modifier (kMaxWord).
  for (std::size_t i = 0; i < d.modifiers.size(); ++i)
    out += (i ? ", " : d.modifiers[i].size() > 800 ? "/ " : "/") + d.modifiers[i];
  return out;
}

std::optional<DispositionNotification> parse_disposition_notification(std::string_view body,
                                                                      const DispositionNotificationLimits& limits,
                                                                      DispositionNotificationError& error) {
  auto fail = [&](std::size_t line, std::string message) -> std::optional<DispositionNotification> {
    error = {line, std::move(message)};
    return std::nullopt;
  };
  if (body.size() > limits.max_size) return fail(0, "over " + std::to_string(limits.max_size) + " octets");
  DispositionNotification mdn;
  std::vector<std::size_t> lines;  // where each field starts
  std::size_t line_no = 0;
  bool ended = false;  // a blank line was seen: what follows must be blank too
  for (std::size_t at = 0; at < body.size();) {
    std::size_t end = body.find('\n', at);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > imf::kMaxLine) return fail(line_no, "a line over 998 octets (RFC 5322 \xC2\xA7" "2.1.1)");
    if (line.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos)
      return fail(line_no, "a CR or NUL inside a line");
    if (trim(line).empty()) {
      ended = ended || !mdn.fields.empty();
      continue;
    }
    if (ended) return fail(line_no, "a second group of fields (RFC 8098 \xC2\xA7" "3.1 has one)");
    if (line.front() == ' ' || line.front() == '\t') {
      if (mdn.fields.empty()) return fail(line_no, "a continuation line with no field before it");
      auto& v = mdn.fields.back().value;
      v += line;  // RFC 5322 §2.2.3: unfolding removes the CRLF only
      if (v.size() > limits.max_field_size)
        return fail(line_no, "a field over " + std::to_string(limits.max_field_size) + " octets");
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(line_no, "a line that is not a field");
    const std::string_view name = trim(line.substr(0, colon));
    if (name.empty()) return fail(line_no, "an empty field name");
    // With a word of kMaxWord, "name: word" must still fit in 998 octets when written back.
    if (name.size() > imf::kMaxLine - 2 - kMaxWord) return fail(line_no, "a field name over 96 octets");
    for (char c : name)
      if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127)
        return fail(line_no, "a field name with a character RFC 5322 \xC2\xA7" "3.6.8 does not allow");
    if (mdn.fields.size() >= limits.max_fields)
      return fail(line_no, "over " + std::to_string(limits.max_fields) + " fields");
    mdn.fields.push_back({std::string(name), std::string(line.substr(colon + 1))});
    lines.push_back(line_no);
  }
  bool final_recipient = false, disposition = false;
  for (std::size_t i = 0; i < mdn.fields.size(); ++i) {
    auto& f = mdn.fields[i];
    f.value = std::string(trim(f.value));
    const std::size_t where = lines[i];
    std::size_t word = 0;
    for (char c : f.value) {
      word = (c == ' ' || c == '\t') ? 0 : word + 1;
      if (word > kMaxWord) return fail(where, "a word over " + std::to_string(kMaxWord) + " octets in " + f.name);
    }
    for (std::size_t j = 0; j < i; ++j)
      if (iequals(mdn.fields[j].name, f.name))
        for (auto once : kOnce)
          if (iequals(once, f.name)) return fail(where, std::string(once) + " given twice (RFC 8098 \xC2\xA7" "3.1 allows one)");
    if (iequals(f.name, "Reporting-UA")) {
      mdn.reporting_ua = f.value;
    } else if (iequals(f.name, "MDN-Gateway")) {
      auto t = typed(f.value);
      if (!t) return fail(where, "MDN-Gateway is not \"mta-name-type; mta-name\"");
      mdn.mdn_gateway = std::move(*t);
    } else if (iequals(f.name, "Original-Recipient")) {
      auto t = typed(f.value);
      if (!t) return fail(where, "Original-Recipient is not \"address-type; address\"");
      mdn.original_recipient = std::move(*t);
    } else if (iequals(f.name, "Final-Recipient")) {
      auto t = typed(f.value);
      if (!t) return fail(where, "Final-Recipient is not \"address-type; address\"");
      mdn.final_recipient = std::move(*t);
      final_recipient = true;
    } else if (iequals(f.name, "Original-Message-ID")) {
      mdn.original_message_id = f.value;
    } else if (iequals(f.name, "Disposition")) {
      std::string why;
      auto d = disposition_of(f.value, limits.max_modifiers, why);
      if (!d) return fail(where, "Disposition: " + why);
      mdn.disposition = std::move(*d);
      disposition = true;
    }
  }
  if (!final_recipient) return fail(line_no, "no Final-Recipient field (RFC 8098 \xC2\xA7" "3.2.4 requires it)");
  if (!disposition) return fail(line_no, "no Disposition field (RFC 8098 \xC2\xA7" "3.2.6 requires it)");
  error = {};
  return mdn;
}

std::string write_disposition_notification(const DispositionNotification& mdn) {
  std::string out;
  auto put = [&](std::string_view name, std::string_view value) {
    // The reader refuses words the writer could not fold; a caller's own value that still
    // does not fit is cut rather than written over the line limit.
    if (imf::write_field(out, name, value)) imf::write_field(out, name, value.substr(0, kMaxWord));
  };
  auto put_typed = [&](std::string_view name, const std::optional<TypedValue>& t) {
    if (t) put(name, t->type + "; " + t->value);
  };
  if (mdn.reporting_ua) put("Reporting-UA", *mdn.reporting_ua);
  put_typed("MDN-Gateway", mdn.mdn_gateway);
  put_typed("Original-Recipient", mdn.original_recipient);
  put_typed("Final-Recipient", mdn.final_recipient);
  if (mdn.original_message_id) put("Original-Message-ID", *mdn.original_message_id);
  put("Disposition", disposition_text(mdn.disposition));
  for (const auto& f : mdn.fields)
    if (std::none_of(kOnce.begin(), kOnce.end(), [&](std::string_view n) { return iequals(n, f.name); }))
      put(f.name, f.value);
  return out;
}

}  // namespace mixer::mapping
