// mapping/delivery_status.cpp: see the header.
#include "mapping/delivery_status.hpp"

#include <algorithm>
#include <cctype>

#include "imf/header_writer.hpp"
#include "mapping/syntax.hpp"

namespace mixer::mapping {
namespace {

using syntax::trim;
bool iequal(std::string_view a, std::string_view b) { return syntax::iequals(a, b); }

std::optional<TypedValue> typed(std::string_view v) { return typed_value_of(v); }

// The status code at the start of a Status value, a comment may follow (RFC 3464 §2.3.4).
std::string status_of(std::string_view v) {
  v = trim(v);
  std::size_t end = 0;
  while (end < v.size() && (std::isdigit(static_cast<unsigned char>(v[end])) || v[end] == '.')) ++end;
  return std::string(v.substr(0, end));
}

std::optional<DsnAction> action_of(std::string_view v) {
  v = trim(v);
  // "failed (comment)" is seen in the wild: the first word decides.
  v = v.substr(0, std::min(v.find_first_of(" \t("), v.size()));
  for (DsnAction a : {DsnAction::failed, DsnAction::delayed, DsnAction::delivered, DsnAction::relayed,
                      DsnAction::expanded})
    if (iequal(v, action_name(a))) return a;
  return std::nullopt;
}

// One group of fields (lines up to a blank line), unfolded.
struct Group {
  std::vector<DsnField> fields;
  std::size_t first_line = 0;
};

}  // namespace

const char* action_name(DsnAction a) {
  switch (a) {
    case DsnAction::failed: return "failed";
    case DsnAction::delayed: return "delayed";
    case DsnAction::delivered: return "delivered";
    case DsnAction::relayed: return "relayed";
    case DsnAction::expanded: return "expanded";
  }
  return "failed";
}

bool valid_status_code(std::string_view s) {
  // class "." subject "." detail; class 2, 4 or 5; subject and detail 1*3 digits (RFC 3463 §2).
  if (s.size() < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return false;
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    std::size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (digits < 1 || digits > 3) return false;
    if (part == 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

std::optional<DeliveryStatusNotification> parse_delivery_status(std::string_view body,
                                                                const DeliveryStatusLimits& limits,
                                                                DeliveryStatusError& error) {
  auto fail = [&](std::size_t line, std::string message) -> std::optional<DeliveryStatusNotification> {
    error = {line, std::move(message)};
    return std::nullopt;
  };
  if (body.size() > limits.max_size)
    return fail(0, "over " + std::to_string(limits.max_size) + " octets");
  // Lines (CRLF or a bare LF) into groups separated by blank lines; continuation lines unfolded.
  std::vector<Group> groups;
  Group current;
  std::size_t line_no = 0;
  bool open = false;
  for (std::size_t at = 0; at < body.size();) {
    std::size_t end = body.find('\n', at);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos)
      return fail(line_no, "a CR or NUL inside a line");
    if (trim(line).empty()) {
      if (open) groups.push_back(std::move(current));
      current = {};
      open = false;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (!open || current.fields.empty()) return fail(line_no, "a continuation line with no field before it");
      auto& v = current.fields.back().value;
      v += line;  // RFC 5322 §2.2.3: unfolding removes the CRLF only
      if (v.size() > limits.max_field_size) return fail(line_no, "a field over " + std::to_string(limits.max_field_size) + " octets");
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(line_no, "a line that is not a field");
    const std::string_view name = trim(line.substr(0, colon));
    for (char c : name)
      if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127)
        return fail(line_no, "a field name with a character RFC 5322 §3.6.8 does not allow");
    if (!open) {
      current.first_line = line_no;
      open = true;
      if (groups.size() > limits.max_recipients) return fail(line_no, "over " + std::to_string(limits.max_recipients) + " recipients");
    }
    if (current.fields.size() >= limits.max_fields) return fail(line_no, "over " + std::to_string(limits.max_fields) + " fields in a group");
    current.fields.push_back({std::string(name), std::string(line.substr(colon + 1))});
    if (current.fields.back().value.size() > limits.max_field_size) return fail(line_no, "a field over " + std::to_string(limits.max_field_size) + " octets");
  }
  if (open) groups.push_back(std::move(current));
  for (auto& g : groups)
    for (auto& f : g.fields) f.value = std::string(trim(f.value));
  if (groups.size() < 2) return fail(line_no, "no per-recipient fields (RFC 3464 §2.1: at least one recipient)");

  DeliveryStatusNotification dsn;
  {  // §2.2
    auto& pm = dsn.per_message;
    bool reporting = false;
    for (const auto& f : groups[0].fields) {
      if (iequal(f.name, "Original-Envelope-Id")) {
        pm.original_envelope_id = f.value;
      } else if (iequal(f.name, "Reporting-MTA")) {
        auto t = typed(f.value);
        if (!t) return fail(groups[0].first_line, "Reporting-MTA is not \"mta-name-type; mta-name\"");
        pm.reporting_mta = std::move(*t);
        reporting = true;
      } else if (iequal(f.name, "DSN-Gateway")) {
        pm.dsn_gateway = typed(f.value);
      } else if (iequal(f.name, "Received-From-MTA")) {
        pm.received_from_mta = typed(f.value);
      } else if (iequal(f.name, "Arrival-Date")) {
        pm.arrival_date = f.value;
      }
    }
    if (!reporting) return fail(groups[0].first_line, "no Reporting-MTA field (RFC 3464 §2.2.2 requires it)");
    pm.fields = std::move(groups[0].fields);
  }
  for (std::size_t g = 1; g < groups.size(); ++g) {  // §2.3
    PerRecipientDsnFields r;
    bool final_recipient = false, action = false, status = false;
    const std::size_t where = groups[g].first_line;
    for (const auto& f : groups[g].fields) {
      if (iequal(f.name, "Original-Recipient")) {
        r.original_recipient = typed(f.value);
      } else if (iequal(f.name, "Final-Recipient")) {
        auto t = typed(f.value);
        if (!t) return fail(where, "Final-Recipient is not \"address-type; address\"");
        r.final_recipient = std::move(*t);
        final_recipient = true;
      } else if (iequal(f.name, "Action")) {
        auto a = action_of(f.value);
        if (!a) return fail(where, "Action \"" + f.value.substr(0, 40) + "\" is none of RFC 3464 §2.3.3's");
        r.action = *a;
        action = true;
      } else if (iequal(f.name, "Status")) {
        r.status = status_of(f.value);
        if (!valid_status_code(r.status)) return fail(where, "Status \"" + f.value.substr(0, 40) + "\" is not an RFC 3463 code");
        status = true;
      } else if (iequal(f.name, "Remote-MTA")) {
        r.remote_mta = typed(f.value);
      } else if (iequal(f.name, "Diagnostic-Code")) {
        r.diagnostic_code = typed(f.value);
      } else if (iequal(f.name, "Last-Attempt-Date")) {
        r.last_attempt_date = f.value;
      } else if (iequal(f.name, "Final-Log-ID")) {
        r.final_log_id = f.value;
      } else if (iequal(f.name, "Will-Retry-Until")) {
        r.will_retry_until = f.value;
      }
    }
    if (!final_recipient) return fail(where, "a recipient without Final-Recipient (RFC 3464 §2.3.2 requires it)");
    if (!action) return fail(where, "a recipient without Action (RFC 3464 §2.3.3 requires it)");
    if (!status) return fail(where, "a recipient without Status (RFC 3464 §2.3.4 requires it)");
    r.fields = std::move(groups[g].fields);
    dsn.recipients.push_back(std::move(r));
  }
  error = {};
  return dsn;
}

std::string write_delivery_status(const DeliveryStatusNotification& dsn) {
  std::string out;
  auto put = [&](std::string_view name, std::string_view value) {
    if (imf::write_field(out, name, value)) {
      // A value the writer cannot fold (a word over 998): cut, never a line over the limit.
      imf::write_field(out, name, value.substr(0, 900));
    }
  };
  auto put_typed = [&](std::string_view name, const std::optional<TypedValue>& t) {
    if (t) put(name, t->type + "; " + t->value);
  };
  // The typed fields, then the others (extension fields) in their order.
  auto rest = [&](const std::vector<DsnField>& fields, std::initializer_list<std::string_view> typed_names) {
    for (const auto& f : fields)
      if (std::none_of(typed_names.begin(), typed_names.end(), [&](std::string_view n) { return iequal(n, f.name); }))
        put(f.name, f.value);
  };
  const auto& pm = dsn.per_message;
  if (pm.original_envelope_id) put("Original-Envelope-Id", *pm.original_envelope_id);
  put_typed("Reporting-MTA", pm.reporting_mta);
  put_typed("DSN-Gateway", pm.dsn_gateway);
  put_typed("Received-From-MTA", pm.received_from_mta);
  if (pm.arrival_date) put("Arrival-Date", *pm.arrival_date);
  rest(pm.fields, {"Original-Envelope-Id", "Reporting-MTA", "DSN-Gateway", "Received-From-MTA", "Arrival-Date"});
  for (const auto& r : dsn.recipients) {
    out += "\r\n";
    put_typed("Original-Recipient", r.original_recipient);
    put_typed("Final-Recipient", r.final_recipient);
    put("Action", action_name(r.action));
    put("Status", r.status);
    put_typed("Remote-MTA", r.remote_mta);
    put_typed("Diagnostic-Code", r.diagnostic_code);
    if (r.last_attempt_date) put("Last-Attempt-Date", *r.last_attempt_date);
    if (r.final_log_id) put("Final-Log-ID", *r.final_log_id);
    if (r.will_retry_until) put("Will-Retry-Until", *r.will_retry_until);
    rest(r.fields, {"Original-Recipient", "Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code",
                    "Last-Attempt-Date", "Final-Log-ID", "Will-Retry-Until"});
  }
  return out;
}

X411NonDelivery non_delivery_of_status(std::string_view status) {
  // RFC 2156 §5.1.8.4, keyed by "subject.detail"; the class does not change the mapping.
  struct Row {
    std::string_view code;
    int reason;
    int diagnostic;  // -1: none
    bool positive = false;
  };
  static constexpr Row kTable[] = {
      {"0.0", 1, -1},  {"1.0", 1, -1},  {"1.1", 1, 0},   {"1.2", 1, 0},   {"1.3", 1, 0},   {"1.4", 1, 1},
      {"1.5", 1, -1, true},             {"1.6", 1, 43},  {"1.7", 1, 11},  {"1.8", 1, 11},  {"2.0", 1, -1},
      {"2.1", 1, 4},   {"2.2", 1, 4},   {"2.3", 1, 7},   {"2.4", 1, 30},  {"3.0", 0, -1},  {"3.1", 1, 2},
      {"3.2", 1, 2},   {"3.3", 1, 18},  {"3.4", 1, 7},   {"3.5", 1, -1},  {"4.0", 0, -1},  {"4.1", 0, -1},
      {"4.2", 0, -1},  {"4.3", 6, -1},  {"4.4", 0, -1},  {"4.5", 1, 2},   {"4.6", 1, 3},   {"4.7", 1, 5},
      {"5.0", 1, -1},  {"5.1", 1, 14},  {"5.2", 1, 14},  {"5.3", 1, 16},  {"5.4", 1, 14},  {"5.5", 1, 18},
      {"6.0", 2, -1},  {"6.1", 1, 6},   {"6.2", 1, 9},   {"6.3", 2, 8},   {"6.4", 2, -1, true},
      {"6.5", 2, 47},  {"7.0", 1, 46},  {"7.1", 1, 29},  {"7.2", 1, 28},  {"7.3", 1, 46},  {"7.4", 1, 46},
      {"7.5", 1, 46},  {"7.6", 1, 46},  {"7.7", 1, 46},
  };
  auto lookup = [](std::string_view key) -> const Row* {
    for (const auto& r : kTable)
      if (r.code == key) return &r;
    return nullptr;
  };
  auto result = [](const Row& r) {
    X411NonDelivery n;
    n.reason = r.reason;
    if (r.diagnostic >= 0) n.diagnostic = r.diagnostic;
    n.positive = r.positive;
    return n;
  };
  if (!valid_status_code(status)) return result(*lookup("0.0"));
  const std::string_view key = status.substr(2);  // "subject.detail"
  const Row* row = lookup(key);
  if (row && !row->positive) return result(*row);
  // Not in the table (or a positive-only code on a failure): the "X.n.0" row of its subject.
  const std::string_view subject = key.substr(0, key.find('.'));
  const std::string general = std::string(subject) + ".0";
  if (const Row* g = lookup(general)) {
    auto n = result(*g);
    n.positive = row && row->positive;
    return n;
  }
  return result(*lookup("0.0"));
}

std::optional<TypedValue> typed_value_of(std::string_view v) {
  const auto semi = v.find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  TypedValue t{std::string(syntax::trim(v.substr(0, semi))), std::string(syntax::trim(v.substr(semi + 1)))};
  if (t.type.empty()) return std::nullopt;
  return t;
}

}  // namespace mixer::mapping
