// tests/fuzz/mapping/fuzz_report_to_dsn.cpp: arbitrary octets as a BER
// MTS-APDU; a Report that decodes strictly goes through
// mapping::report_to_internet (RFC 2156 §5.3.8). The result is refused with
// codes of one class (fuzz_mapping_check.hpp), or is a DSN that
//   - is ASCII only, CRLF line ends (no bare CR or LF), lines <= 998 octets;
//   - is sent from <> to one recipient;
//   - has a header imf reads as fields, with From, To, Date, Subject and
//     Content-Type multipart/report; report-type=delivery-status whose
//     boundary delimits a text/plain part then a message/delivery-status
//     part (and at most one more), closed by the final delimiter;
//   - has, in the delivery-status part, exactly one block with
//     Final-Recipient per reported recipient, each with an Action and a
//     Status [245].d{1,3}.d{1,3}.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/mapping/fuzz_mapping_check.hpp"

using namespace mixer::mapping;
namespace mts = mixer::p1::mts;

namespace {

using fuzz::check;

std::vector<std::string_view> lines_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < s.size()) {
    auto end = s.find("\r\n", at);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(s.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

bool status_syntax(std::string_view s) {
  // [245] "." 1*3digit "." 1*3digit
  if (s.size() < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return false;
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    std::size_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++n;
    if (n < 1 || n > 3) return false;
    if (part == 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

void check_dsn(const InternetReport& r, std::size_t recipients) {
  const std::string& c = r.content;
  check(r.envelope.mail_from.empty(), "a DSN is sent from <>");
  check(r.envelope.recipients.size() == 1 && !r.envelope.recipients[0].address.empty(), "one report destination");
  check(r.delivered + r.failed == recipients, "every recipient counted once");
  for (std::size_t i = 0; i < c.size(); ++i) {
    const auto u = static_cast<unsigned char>(c[i]);
    check(u < 0x80, "ASCII only");
    if (c[i] == '\r') check(i + 1 < c.size() && c[i + 1] == '\n', "no bare CR");
    if (c[i] == '\n') check(i > 0 && c[i - 1] == '\r', "no bare LF");
  }
  check(c.ends_with("\r\n"), "ends with CRLF");
  auto lines = lines_of(c);
  for (auto l : lines) check(l.size() <= 998, "lines of at most 998 octets");

  mixer::imf::Limits limits;
  limits.max_fields = 1000000;
  limits.max_header_size = 64u << 20;
  auto parsed = mixer::imf::parse_message(c, limits);
  check(static_cast<bool>(parsed), "the DSN parses as RFC 5322");
  // The header: unfolded fields up to the first empty line.
  std::string boundary;
  std::size_t i = 0;
  bool from = false, to = false, date = false, subject = false, report = false;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    std::string field(lines[i]);
    while (i + 1 < lines.size() && !lines[i + 1].empty() && (lines[i + 1][0] == ' ' || lines[i + 1][0] == '\t'))
      field += lines[++i];
    check(field.find(':') != std::string::npos && field[0] != ' ', "a header line is a field");
    // Field names compare without case (RFC 5322 §1.2.2): a DSN restored by RFC 2156
    // §5.1.8.5 keeps the original DSN's header fields as the report carried them.
    const auto name_is = [&field](std::string_view name) {
      return field.size() >= name.size() &&
             std::equal(name.begin(), name.end(), field.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
             });
    };
    // (A restored DSN's fields may be empty as the report carried them: "To:" alone.)
    from |= name_is("From:");
    to |= name_is("To:");
    date |= name_is("Date:");
    subject |= name_is("Subject: Delivery-Report (");
    if (field.starts_with("Content-Type: multipart/report;")) {
      report = field.find("report-type=delivery-status") != std::string::npos;
      auto b = field.find("boundary=\"");
      check(b != std::string::npos, "the multipart/report has a quoted boundary");
      auto e = field.find('"', b + 10);
      check(e != std::string::npos, "the boundary's quotes close");
      boundary = field.substr(b + 10, e - b - 10);
    }
  }
  if (!(from && to && date && subject && report))
    std::fprintf(stderr, "header of the DSN:\n%.*s\n", static_cast<int>(std::min<std::size_t>(c.size(), 4000)), c.data());
  check(from && to && date && subject && report, "From, To, Date, Subject and multipart/report are there");
  check(!boundary.empty(), "a boundary");
  // The parts.
  std::vector<std::vector<std::string_view>> parts;
  bool closed = false;
  for (++i; i < lines.size(); ++i) {
    if (lines[i] == "--" + boundary) {
      check(!closed, "nothing after the close delimiter");
      parts.emplace_back();
    } else if (lines[i] == "--" + boundary + "--") {
      closed = true;
    } else if (!parts.empty() && !closed) {
      parts.back().push_back(lines[i]);
    }
  }
  check(closed, "the multipart closes");
  check(parts.size() == 2 || parts.size() == 3, "two or three parts");
  check(!parts[0].empty() && parts[0][0].starts_with("Content-Type: text/plain"), "first part text/plain");
  check(!parts[1].empty() && parts[1][0] == "Content-Type: message/delivery-status", "second part delivery-status");
  // The delivery-status blocks: after the part header, blocks separated by empty lines.
  std::size_t blocks = 0, k = 1;
  while (k < parts[1].size() && !parts[1][k].empty()) ++k;  // part header
  bool per_message = true;
  while (k < parts[1].size()) {
    while (k < parts[1].size() && parts[1][k].empty()) ++k;
    if (k >= parts[1].size()) break;
    bool final_recipient = false, action = false, status = false;
    for (; k < parts[1].size() && !parts[1][k].empty(); ++k) {
      auto l = parts[1][k];
      final_recipient |= l.starts_with("Final-Recipient: ");
      action |= l == "Action: delivered" || l == "Action: failed";
      if (l.starts_with("Status: ")) status = status_syntax(l.substr(8));
    }
    if (per_message) {
      check(!final_recipient && !action, "the per-message block holds no recipient fields");
      per_message = false;
      continue;
    }
    check(final_recipient && action && status, "each recipient block: Final-Recipient, Action, Status");
    ++blocks;
  }
  check(blocks == recipients, "one status block per reported recipient");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Context& ctx = fuzz::context();
  auto apdu = mts::decode<mts::MtsApdu>(mts::ByteView(data, size));
  const auto* report = apdu ? std::get_if<mts::Report>(&*apdu) : nullptr;
  if (!report) return 0;
  auto r = report_to_internet(*report, ctx);
  if (!r) {
    fuzz::check_refusal(r.error());
    return 0;
  }
  check_dsn(*r, report->content.per_recipient_fields.size());
  return 0;
}
