// tests/unit/bodyparts/content_passing_test.cpp: RFC 2157 §3.1.4, BP14
// content passing as the configuration's choice (X.400(1988) next hops):
// headers stripped, the transfer encoding undone, the octets in
// BilaterallyDefined, the loss listed; not under a prohibition, not for
// composite types; and no reverse translation (§6.3 on the way back).
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "p1/ipms/ipms.hpp"

namespace {

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;

MimeInput png(std::string_view base64) {
  return MimeInput{{{"MIME-Version", "1.0"},
                    {"Content-Type", "image/png; name=dot.png"},
                    {"Content-Transfer-Encoding", "base64"},
                    {"Content-Description", "a dot"}},
                   base64};
}

const std::string kPng("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16);

std::string octets(const ipms::BodyPart& p) {
  const auto* b = p.as<ipms::BilaterallyDefinedBodyPart>();
  return b ? std::string(b->octets.begin(), b->octets.end()) : std::string("not BP14");
}

TEST(Rfc2157_3_1_4, rfc2157_3_1_4_bp14_content_passing_keeps_the_octets_only) {
  const std::string b64 = base64_lines(kPng);
  ToX400Options o;
  o.bp14_content_passing = true;
  auto x = to_x400(png(b64), o);
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 1u);
  EXPECT_EQ(octets(x->body[0]), kPng);  // the transfer encoding undone
  EXPECT_FALSE(x->body[0].extended());  // BP14 is basic: an X.400(1984) UA takes it
  EXPECT_TRUE(x->built_in_eits.test(0));
  ASSERT_EQ(x->losses.size(), 1u);  // "a lossy transformation"
  EXPECT_NE(x->losses[0].what.find("image/png"), std::string::npos);
  EXPECT_NE(x->losses[0].rule.find("3.1.4"), std::string::npos);
  // No reverse translation: application/octet-stream by §6.3.
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->entity.fields.at(1).value, "application/octet-stream");
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, kPng);
}

TEST(Rfc2157_3_1_4, rfc2157_3_1_4_bp14_off_by_default_and_not_to_an_x400_1984_next_hop) {
  const std::string b64 = base64_lines(kPng);
  auto bp15 = to_x400(png(b64), {});  // default: the MIME body part (§3.1.2)
  ASSERT_TRUE(bp15);
  EXPECT_TRUE(bp15->body.at(0).as<ipms::MimeBodyPart>());
  EXPECT_TRUE(bp15->losses.empty());
  ToX400Options o;
  o.bp14_content_passing = true;
  o.extended_allowed = false;  // P2 (1984) has no [14]: HARPOON as before
  auto harpoon = to_x400(png(b64), o);
  ASSERT_TRUE(harpoon);
  ASSERT_TRUE(harpoon->body.at(0).as<ipms::Ia5TextBodyPart>());
  EXPECT_TRUE(harpoon->body.at(0).as<ipms::Ia5TextBodyPart>()->text.starts_with("MIME-Version: 1.0\r\n"));
}

TEST(Rfc2157_3_1_4, rfc2157_3_1_4_no_bp14_under_a_prohibition_nor_for_composites_or_unknown_encodings) {
  const std::string b64 = base64_lines(kPng);
  ToX400Options o;
  o.bp14_content_passing = true;
  o.conversion_with_loss_prohibited = true;  // the lossless encapsulation instead
  auto cwlp = to_x400(png(b64), o);
  ASSERT_TRUE(cwlp);
  EXPECT_TRUE(cwlp->body.at(0).as<ipms::MimeBodyPart>());
  EXPECT_TRUE(cwlp->losses.empty());
  o.conversion_with_loss_prohibited = false;
  o.conversion_prohibited = true;
  auto cp = to_x400(png(b64), o);
  ASSERT_TRUE(cp);
  EXPECT_TRUE(cp->body.at(0).as<ipms::MimeBodyPart>());
  o.conversion_prohibited = false;
  // A transfer encoding the gateway cannot undo: no octets to pass.
  MimeInput unknown{{{"MIME-Version", "1.0"}, {"Content-Type", "image/png"}, {"Content-Transfer-Encoding", "x-uue"}},
                    "begin 644 dot.png\r\n"};
  auto u = to_x400(unknown, o);
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->body.at(0).as<ipms::MimeBodyPart>());
  // A multipart without its boundary is carried whole, not passed as octets.
  MimeInput broken{{{"MIME-Version", "1.0"}, {"Content-Type", "multipart/mixed; boundary=nowhere"}}, "no parts\r\n"};
  auto b = to_x400(broken, o);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->body.at(0).as<ipms::MimeBodyPart>());
  // text/plain that maps (§6.1) is no candidate: BP14 is for types with no equivalence.
  MimeInput text{{{"MIME-Version", "1.0"}, {"Content-Type", "text/plain"}}, "plain\r\n"};
  auto t = to_x400(text, o);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->body.at(0).as<ipms::Ia5TextBodyPart>());
}

}  // namespace
