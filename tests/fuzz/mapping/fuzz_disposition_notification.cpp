// tests/fuzz/mapping/fuzz_disposition_notification.cpp: arbitrary octets as
// the body of a message/disposition-notification part (mapping/
// disposition_notification, RFC 8098). A refusal says why and names a line
// within the body; an MDN read has a Final-Recipient with a type and a
// Disposition of RFC 8098 §3.2.6; written back it is lines of at most 998
// octets (78 where there is white space to fold at) with CRLF only, reads
// back with the same typed fields and disposition, and writing that gives
// the same octets again (parse -> write -> parse -> write is stable).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "mapping/disposition_notification.hpp"

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
bool same(const std::optional<TypedValue>& a, const std::optional<TypedValue>& b) {
  return a.has_value() == b.has_value() && (!a || (a->type == b->type && a->value == b->value));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  DispositionNotificationLimits limits;
  limits.max_fields = 40;
  limits.max_field_size = 2048;
  DispositionNotificationError error;
  auto mdn = parse_disposition_notification(body, limits, error);
  if (!mdn) {
    check(!error.message.empty(), "a refusal says why");
    check(error.line <= lines_in(body), "a refusal's line is in the body");
    return 0;
  }
  check(error.message.empty(), "no error on success");
  check(!mdn->final_recipient.type.empty(), "a Final-Recipient type");
  check(mdn->fields.size() <= 40, "at most max_fields fields");
  check(mdn->disposition.modifiers.size() <= limits.max_modifiers, "at most max_modifiers modifiers");
  const std::string text = write_disposition_notification(*mdn);
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
  DispositionNotificationLimits roomy;
  roomy.max_size = limits.max_size * 2;
  auto again = parse_disposition_notification(text, roomy, error);
  check(again.has_value(), "what was written reads back");
  check(again->final_recipient.type == mdn->final_recipient.type, "the same Final-Recipient type");
  check(again->final_recipient.value == mdn->final_recipient.value, "the same Final-Recipient");
  check(same(again->original_recipient, mdn->original_recipient), "the same Original-Recipient");
  check(same(again->mdn_gateway, mdn->mdn_gateway), "the same MDN-Gateway");
  check(again->reporting_ua == mdn->reporting_ua, "the same Reporting-UA");
  check(again->original_message_id == mdn->original_message_id, "the same Original-Message-ID");
  check(disposition_text(again->disposition) == disposition_text(mdn->disposition), "the same Disposition");
  check(again->fields.size() == mdn->fields.size(), "the same number of fields");
  for (const auto& f : mdn->fields) {
    const std::string* v = again->field(f.name);
    check(v != nullptr, "every field kept");
  }
  check(write_disposition_notification(*again) == text, "writing is stable");
  return 0;
}
