// mapping/dsn_status.cpp: RFC 2156 §5.3.8.2, the table from X.400 reason
// and diagnostic codes to RFC 3463 status codes, and the words of §5.3.8.1's
// human-readable part. Trusts nothing: every integer gives an answer.
#include "mapping/dsn_status.hpp"

#include "mapping/syntax.hpp"
#include "p1/mts/common.hpp"

namespace mixer::mapping::dsn {

namespace {

struct Row {
  std::int64_t code;
  const char* status;
  const char* words;  // §5.3.8.2 "X400 meaning"
};

// "C/Any" rows: by reason.
constexpr Row by_reason[] = {
    {0, "4.4.0", "Transfer failure (may be temporary)"},
    {1, "5.0.0", "Unable to transfer"},
    {2, "5.6.3", "Conversion not performed"},
    {3, "5.6.0", "Physical rendition not performed"},
    {4, "5.1.0", "Physical delivery not performed"},
    {5, "5.7.1", "Restricted delivery"},
    {6, "5.4.3", "Directory operation unsuccessful"},
    {7, "5.3.3", "Deferred delivery not performed"},
};

// "C/D" rows: by diagnostic (the reason column says which reason comes with it).
constexpr Row by_diagnostic[] = {
    {0, "5.1.1", "Unrecognized OR name"},
    {1, "5.1.4", "Ambiguous OR name"},
    {2, "4.3.1", "MTS congestion"},
    {3, "5.4.6", "Loop detected"},
    {4, "4.2.1", "Recipient unavailable"},
    {5, "4.4.7", "Delivery time expired"},
    {6, "5.6.1", "Encoded information types unsupported"},
    {7, "5.2.3", "Content too long"},
    {8, "5.6.3", "Conversion impractical"},
    {9, "5.6.3", "Conversion prohibited"},
    {10, "5.6.3", "Implicit conversion not subscribed"},
    {11, "5.5.2", "Invalid arguments"},
    {12, "5.5.2", "Content syntax error"},
    {13, "5.5.2", "Size constraint violation"},
    {14, "5.5.0", "Protocol violation"},
    {15, "5.6.1", "Content type not supported"},
    {16, "5.5.3", "Too many recipients"},
    {17, "5.4.4", "No bilateral agreement"},
    {18, "5.3.3", "Unsupported critical function"},
    {19, "5.6.2", "Conversion with loss prohibited"},
    {20, "5.6.0", "Line too long"},
    {21, "5.6.0", "Page split"},
    {22, "5.6.2", "Pictorial symbol loss"},
    {23, "5.6.2", "Punctuation symbol loss"},
    {24, "5.6.2", "Alphabetic character loss"},
    {25, "5.6.2", "Multiple information loss"},
    {26, "5.4.0", "Recipient reassignment prohibited"},
    {27, "5.4.6", "Redirection loop detected"},
    {28, "5.7.2", "DL expansion prohibited"},
    {29, "5.7.1", "No DL submit permission"},
    {30, "4.2.4", "DL expansion failure"},
    {31, "5.6.0", "Physical rendition attributes not supported"},
    // 4/32-45 "Various physical mail stuff" 5.1.0, but 1/43 "New address unknown" 5.1.6.
    {43, "5.1.6", "New address unknown"},
    {46, "5.7.0", "Secure messaging error"},
    {47, "5.3.3", "Unable to downgrade"},
    {48, "5.3.4", "Unable to complete transfer"},
    {49, "4.4.7", "Transfer attempts limit reached"},
};

const Row* find(const Row* begin, const Row* end, std::int64_t code) {
  for (const Row* r = begin; r != end; ++r)
    if (r->code == code) return r;
  return nullptr;
}

const Row* diagnostic_row(std::int64_t d) { return find(std::begin(by_diagnostic), std::end(by_diagnostic), d); }
const Row* reason_row(std::int64_t r) { return find(std::begin(by_reason), std::end(by_reason), r); }

bool physical_mail(std::int64_t d) { return d >= 32 && d <= 45 && d != 43; }

// The X.411 name ("unrecognised-OR-name"), or empty for a code X.411 does not name.
std::string x411_name(p1::mts::Names names, std::int64_t v) {
  for (const auto& n : names)
    if (n.value == v) return n.name;
  return {};
}

// "undeliverable-mail-recipient-unknown" -> "Undeliverable mail recipient unknown".
std::string words_of(std::string name) {
  for (auto& c : name)
    if (c == '-') c = ' ';
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

}  // namespace

std::string status_of(std::int64_t reason, std::optional<std::int64_t> diagnostic) {
  if (diagnostic) {
    if (const Row* r = diagnostic_row(*diagnostic)) return r->status;
    if (physical_mail(*diagnostic)) return "5.1.0";  // 4/32-45
  }
  if (const Row* r = reason_row(reason)) return r->status;
  // X.411 (1992) transfer-failure-for-security-reason (8): RFC 3463 "Other or undefined security status".
  if (reason == 8) return "5.7.0";
  return "5.0.0";
}

std::string dr_diagnostic(std::int64_t reason, std::optional<std::int64_t> diagnostic) {
  // §3.3.6 labelled-integer-2 needs a key-string: "unknown" for a code X.411 does not name.
  auto label = [](p1::mts::Names names, std::int64_t v) {
    std::string n = x411_name(names, v);
    return syntax::labelled_integer_2(v, n.empty() ? "unknown" : n);
  };
  std::string out = "Reason " + label(p1::mts::names::non_delivery_reason, reason);
  if (diagnostic) out += "; Diagnostic " + label(p1::mts::names::non_delivery_diagnostic, *diagnostic);
  return out;
}

std::string reason_words(std::int64_t reason) {
  if (const Row* r = reason_row(reason)) return r->words;
  std::string name = x411_name(p1::mts::names::non_delivery_reason, reason);
  return name.empty() ? "Reason code " + std::to_string(reason) : words_of(name);
}

std::string diagnostic_words(std::int64_t diagnostic) {
  if (const Row* r = diagnostic_row(diagnostic)) return r->words;
  std::string name = x411_name(p1::mts::names::non_delivery_diagnostic, diagnostic);
  return name.empty() ? "Diagnostic code " + std::to_string(diagnostic) : words_of(name);
}

}  // namespace mixer::mapping::dsn
