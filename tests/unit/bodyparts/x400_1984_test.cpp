// tests/unit/bodyparts/x400_1984_test.cpp: an X.400(1984) next hop (RFC 2156
// Appendix B, RFC 1496 HARPOON: "for X.400/88 body parts that are already
// defined in X.400/84, no downgrading should be done"): message/rfc822 is a
// ForwardedIPMessage [9] (RFC 2157 §6.5) when the forwarded IPM is P2 (1984)
// all through, else HARPOON with the reason; a nested multipart is a
// ForwardedIPMessage with §6.6's subject and no heading extension (the loss
// listed); BP14 content passing stays HARPOON (X.420 (1984) has no [14]).
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/multipart_heading.hpp"
#include "p1/ipms/ipms.hpp"

namespace {

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;

// The mapping engine's stand-in: a forwarded IPM of one IA5 text, with a heading extension when asked.
ForwardedToX400 engine(bool with_extension) {
  return [with_extension](std::string_view m, std::size_t, std::size_t, const std::vector<WantedX400Conversion>&) -> mixer::base::Expected<ForwardedX400> {
    ForwardedX400 f;
    ipms::Ipm ipm;
    ipm.heading.subject = "forwarded";
    if (with_extension) ipm.heading.extensions = multipart_heading("alternative", "x").extensions;
    ipm.body.push_back(ia5_text_part(std::string(m.substr(m.find("\r\n\r\n") + 4))));
    ipms::MessageBodyPart mb;
    mb.ipm = std::move(ipm);
    f.part.type = std::move(mb);
    f.parts = 1;
    return f;
  };
}

const MimeInput kMessage{{{"MIME-Version", "1.0"}, {"Content-Type", "message/rfc822"}},
                         "Subject: forwarded\r\n\r\nthe text\r\n"};

TEST(X400_1984, rfc2157_6_5_message_rfc822_to_x400_1984_is_a_forwarded_ip_message) {
  ToX400Options o;
  o.extended_allowed = false;
  o.forwarded_to_x400 = engine(false);
  auto x = to_x400(kMessage, o);
  ASSERT_TRUE(x);
  const auto* m = x->body.at(0).as<ipms::MessageBodyPart>();
  ASSERT_TRUE(m);  // P2 (1984) forwardedIPMessage [9]
  EXPECT_EQ(m->ipm->body.at(0).as<ipms::Ia5TextBodyPart>()->text, "the text\r\n");
  EXPECT_TRUE(x->losses.empty());
  EXPECT_FALSE(x->uses_1988);
  ipms::Ipm outer;
  outer.body = x->body;
  EXPECT_FALSE(ipms::p2_1984_violation(ipms::InformationObject{outer}));
}

TEST(X400_1984, rfc2157_6_5_forwarded_ipm_with_1988_elements_to_x400_1984_is_harpoon) {
  ToX400Options o;
  o.extended_allowed = false;
  o.forwarded_to_x400 = engine(true);
  auto x = to_x400(kMessage, o);
  ASSERT_TRUE(x);
  const auto* t = x->body.at(0).as<ipms::Ia5TextBodyPart>();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->text.rfind("MIME-Version:", 0), 0u);
  ASSERT_EQ(x->losses.size(), 1u);
  EXPECT_NE(x->losses[0].what.find("heading.extensions"), std::string::npos);
}

TEST(X400_1984, rfc2157_6_6_nested_multipart_to_x400_1984_has_no_heading_extension) {
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "multipart/mixed; boundary=a"}},
               "--a\r\nContent-Type: text/plain\r\n\r\none\r\n"
               "--a\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
               "--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b--\r\n--a--\r\n"};
  ToX400Options o;
  o.extended_allowed = false;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  const auto* m = x->body.at(1).as<ipms::MessageBodyPart>();
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->ipm->heading.extensions.empty());
  EXPECT_EQ(m->ipm->heading.subject, "Alternative Body Parts containing the same information");  // §6.6
  ipms::Ipm outer;
  outer.body = x->body;
  EXPECT_FALSE(ipms::p2_1984_violation(ipms::InformationObject{outer}));
  ASSERT_EQ(x->losses.size(), 1u);
  EXPECT_NE(x->losses[0].rule.find("6.6"), std::string::npos);
  // X.400(1988): the extension says it is a multipart (§6.6), nothing lost.
  o.extended_allowed = true;
  auto y = to_x400(in, o);
  ASSERT_TRUE(y);
  EXPECT_FALSE(y->body.at(1).as<ipms::MessageBodyPart>()->ipm->heading.extensions.empty());
  EXPECT_TRUE(y->losses.empty());
}

}  // namespace
