// tests/unit/addressing/refusal_test.cpp: an addressing Error as the
// project's base::Refusal for each role, with the status pairs of RFC 2156
// §5.1.8.4 (X.1.1 and X.1.3 -> 1/0, X.1.7 -> 1/11) and RFC 3463's codes.
#include <gtest/gtest.h>

#include "addressing/refusal.hpp"

using namespace mixer::addressing;
namespace base = mixer::base;

namespace {

const Errc kSyntax[] = {Errc::syntax,      Errc::unknown_attribute, Errc::duplicate_attribute, Errc::invalid_value,
                        Errc::upper_bound, Errc::too_long,          Errc::limit};
const Errc kUnmappable[] = {Errc::not_x400_address, Errc::not_representable, Errc::conflict};

}  // namespace

// §5.1.8.4: "X.1.1 Bad mailbox address 1/0", "X.1.3 Bad mailbox address
// syntax 1/0", "X.1.7 Bad sender's mailbox address syntax 1/11".
TEST(Rfc2156, s5_1_8_4_address_refusal_per_role) {
  struct Want {
    AddressRole role;
    int smtp;
    const char* syntax;
    const char* unmappable;
    int diagnostic;
  };
  const Want rows[] = {
      {AddressRole::smtp_recipient, 550, "5.1.3", "5.1.1", base::diagnostic::unrecognised_or_name},
      {AddressRole::ipms, 554, "5.1.3", "5.1.1", base::diagnostic::unrecognised_or_name},
      {AddressRole::smtp_originator, 553, "5.1.7", "5.1.7", base::diagnostic::invalid_arguments},
  };
  for (const auto& w : rows) {
    for (bool syntax : {true, false}) {
      for (Errc c : syntax ? std::vector<Errc>(std::begin(kSyntax), std::end(kSyntax))
                           : std::vector<Errc>(std::begin(kUnmappable), std::end(kUnmappable))) {
        SCOPED_TRACE(std::string(errc_name(c)) + " as role " + std::to_string(static_cast<int>(w.role)));
        const base::Refusal r = to_refusal(make_error(c, "RFC 2156 §4.3.4", "no good"), w.role);
        EXPECT_EQ(r.smtp_code, w.smtp);
        EXPECT_EQ(r.enhanced_status, syntax ? w.syntax : w.unmappable);
        EXPECT_EQ(r.x411_reason, base::reason::unable_to_transfer);
        EXPECT_EQ(r.x411_diagnostic, w.diagnostic);
        EXPECT_FALSE(r.transient());
      }
    }
  }
}

// The rule and the sentence travel unchanged; the SMTP text is US-ASCII.
TEST(Rfc2156, s5_1_8_4_refusal_keeps_rule_and_sentence) {
  const auto r = to_refusal(make_error(Errc::not_representable, "RFC 2156 §3.4", "'caf\xC3\xA9' is not ASCII"),
                            AddressRole::smtp_recipient);
  EXPECT_EQ(r.rule, "RFC 2156 §3.4");
  EXPECT_EQ(r.message, "'caf\xC3\xA9' is not ASCII");
  EXPECT_EQ(r.text(), "'caf\xC3\xA9' is not ASCII (RFC 2156 §3.4)");
  EXPECT_EQ(r.smtp_text(), "'caf?" "?' is not ASCII (RFC 2156 section 3.4)");  // split: no trigraph
  const auto generic = to_refusal(make_error(Errc::limit, "", "line too long"), AddressRole::ipms);
  EXPECT_EQ(generic.text(), "line too long");
}
