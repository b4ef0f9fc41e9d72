// tests/fuzz/mapping/fuzz_delivery_status.cpp: arbitrary octets as the body
// of a message/delivery-status part (mapping/delivery_status). A refusal
// names a line within the body; a DSN read has a Reporting-MTA and at least
// one recipient, each with a Final-Recipient, an action and an RFC 3463
// status; written back it is lines of at most 998 octets with CRLF only, and
// reads back as the same recipients with the same actions and statuses.
// §5.1.8.4's table gives every status a reason X.411 defines (0..8).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "mapping/delivery_status.hpp"

using namespace mixer::mapping;

namespace {
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}
std::size_t lines_in(std::string_view s) {
  std::size_t n = 1;
  for (char c : s) n += c == '\n';
  return n;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  DeliveryStatusLimits limits;
  limits.max_recipients = 50;
  limits.max_field_size = 1024;
  DeliveryStatusError error;
  auto dsn = parse_delivery_status(body, limits, error);
  if (!dsn) {
    check(!error.message.empty(), "a refusal says why");
    check(error.line <= lines_in(body), "a refusal's line is in the body");
    return 0;
  }
  check(error.message.empty(), "no error on success");
  check(!dsn->recipients.empty() && dsn->recipients.size() <= 50, "1..max recipients");
  check(!dsn->per_message.reporting_mta.type.empty(), "a Reporting-MTA type");
  for (const auto& r : dsn->recipients) {
    check(valid_status_code(r.status), "every status an RFC 3463 code");
    check(!r.final_recipient.type.empty(), "a Final-Recipient type");
    const auto n = non_delivery_of_status(r.status);
    check(n.reason >= 0 && n.reason <= 8, "an X.411 reason");
  }
  const std::string text = write_delivery_status(*dsn);
  std::size_t line = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      check(i + 1 < text.size() && text[i + 1] == '\n', "CR only in CRLF");
      line = 0;
      ++i;
      continue;
    }
    check(text[i] != '\n', "LF only in CRLF");
    check(++line <= 998, "lines of at most 998 octets");
  }
  DeliveryStatusLimits roomy;
  roomy.max_size = limits.max_size * 2;
  auto again = parse_delivery_status(text, roomy, error);
  check(again.has_value(), "what was written reads back");
  check(again->recipients.size() == dsn->recipients.size(), "the same recipients");
  for (std::size_t i = 0; i < dsn->recipients.size(); ++i) {
    check(again->recipients[i].status == dsn->recipients[i].status, "the same status");
    check(again->recipients[i].action == dsn->recipients[i].action, "the same action");
    if (dsn->recipients[i].final_recipient.value.size() < 800)
      check(again->recipients[i].final_recipient.value == dsn->recipients[i].final_recipient.value,
            "the same final recipient");
  }
  return 0;
}
