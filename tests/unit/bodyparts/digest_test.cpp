// tests/unit/bodyparts/digest_test.cpp: RFC 2157 §2.2's multipart/digest (a
// body of several parts that all are messages) and §6.6's way back (the
// outermost multipart/digest's message/rfc822 parts become the body's
// ForwardedIPMessages, the heading's multipart-message-v2 saying "digest"),
// with callbacks standing in for the mapping engine (§6.5).
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/multipart_heading.hpp"
#include "p1/ipms/ipms.hpp"

namespace {

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;

std::string field(const MimeEntity& e, std::string_view name) {
  for (const auto& f : e.fields)
    if (f.name == name) return f.value;
  return {};
}

ipms::BodyPart text(std::string t) { return ia5_text_part(std::move(t)); }

// A forwarded IPM whose subject is `subject` and whose body is one IA5 text.
ipms::BodyPart message(std::string subject) {
  ipms::Ipm ipm;
  ipm.heading.subject = std::move(subject);
  ipm.body.push_back(text("Text of " + *ipm.heading.subject + ".\r\n"));
  ipms::MessageBodyPart mb;
  mb.ipm = std::move(ipm);
  ipms::BodyPart p;
  p.type = std::move(mb);
  return p;
}

// The mapping engine's stand-in: Subject from the heading, the body's first IA5 text.
ToMimeOptions with_engine() {
  ToMimeOptions o;
  o.forwarded_to_mime = [](const ipms::MessageBodyPart& m, std::size_t, std::size_t)
      -> mixer::base::Expected<ForwardedMime> {
    return ForwardedMime{"Subject: " + m.ipm->heading.subject.value_or("") + "\r\n\r\n" +
                             m.ipm->body.at(0).as<ipms::Ia5TextBodyPart>()->text,
                         {}, 1, {}};
  };
  return o;
}

// The way back's stand-in: the Subject line and the body into a forwarded IPM.
ToX400Options with_engine_back() {
  ToX400Options o;
  o.forwarded_to_x400 = [](std::string_view m, std::size_t, std::size_t, const std::vector<WantedX400Conversion>&) -> mixer::base::Expected<ForwardedX400> {
    const std::size_t end = m.find("\r\n\r\n");
    ipms::Ipm ipm;
    ipm.heading.subject = std::string(m.substr(9, end - 9));
    ipm.body.push_back(text(std::string(m.substr(end + 4))));
    ipms::MessageBodyPart mb;
    mb.ipm = std::move(ipm);
    ForwardedX400 f;
    f.part.type = std::move(mb);
    f.parts = 1;
    return f;
  };
  return o;
}

TEST(Rfc2157_2_2, rfc2157_2_2_a_body_of_messages_only_is_multipart_digest_and_comes_back) {
  const std::vector<ipms::BodyPart> body{message("One"), message("Two")};
  auto m = to_mime(body, with_engine());
  ASSERT_TRUE(m);
  const std::string type = field(m->entity, "Content-Type");
  EXPECT_TRUE(type.starts_with("multipart/digest; boundary=")) << type;
  const std::string octets(m->entity.octets());
  EXPECT_NE(octets.find("Content-Type: message/rfc822\r\n\r\nSubject: One\r\n\r\nText of One.\r\n"), std::string::npos);
  EXPECT_NE(octets.find("Content-Type: message/rfc822\r\n\r\nSubject: Two\r\n\r\nText of Two.\r\n"), std::string::npos);
  EXPECT_TRUE(m->losses.empty());
  // §6.6 back: the outermost digest's parts are the body's, its subtype in the heading.
  MimeInput in;
  for (const auto& f : m->entity.fields) in.fields.push_back(f);
  in.body = m->entity.octets();
  auto x = to_x400(in, with_engine_back());
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 2u);
  EXPECT_EQ(x->body[0].as<ipms::MessageBodyPart>()->ipm->heading.subject, "One");
  EXPECT_EQ(x->body[1].as<ipms::MessageBodyPart>()->ipm->heading.subject, "Two");
  ipms::Heading h;
  h.extensions = x->heading_extensions;
  auto t = multipart_type(h);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->subtype, "digest");
  // ... and that heading gives multipart/digest again.
  ToMimeOptions o = with_engine();
  o.multipart_subtype = t->subtype;
  auto again = to_mime(x->body, o);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->entity.octets(), m->entity.octets());
}

TEST(Rfc2157_2_2, rfc2157_2_2_digest_only_when_every_part_is_a_message_and_the_heading_says_nothing) {
  // A text among the messages: multipart/mixed.
  auto mixed = to_mime({message("One"), text("Cover.\r\n")}, with_engine());
  ASSERT_TRUE(mixed);
  EXPECT_TRUE(field(mixed->entity, "Content-Type").starts_with("multipart/mixed;"));
  // A ForwardedIPMessage made from a multipart (§6.6, isAMessage FALSE) is no message.
  ipms::Ipm alt;
  alt.heading = multipart_heading("alternative", "mixer-multipart-1");
  alt.body = {text("a\r\n"), text("b\r\n")};
  ipms::MessageBodyPart mb;
  mb.ipm = std::move(alt);
  ipms::BodyPart multipart;
  multipart.type = std::move(mb);
  auto with_multipart = to_mime({message("One"), multipart}, with_engine());
  ASSERT_TRUE(with_multipart);
  EXPECT_TRUE(field(with_multipart->entity, "Content-Type").starts_with("multipart/mixed;"));
  // The heading's multipart-message extension names the subtype: it wins.
  ToMimeOptions o = with_engine();
  o.multipart_subtype = "mixed";
  auto named = to_mime({message("One"), message("Two")}, o);
  ASSERT_TRUE(named);
  EXPECT_TRUE(field(named->entity, "Content-Type").starts_with("multipart/mixed;"));
  // One message alone is message/rfc822, no multipart (§2.2 (3)).
  auto one = to_mime({message("One")}, with_engine());
  ASSERT_TRUE(one);
  EXPECT_EQ(field(one->entity, "Content-Type"), "message/rfc822");
  // Without the engine the messages are still messages (carried in x400-bp, §3.2): a digest
  // whose parts say their type.
  auto bare = to_mime({message("One"), message("Two")}, {});
  ASSERT_TRUE(bare);
  EXPECT_TRUE(field(bare->entity, "Content-Type").starts_with("multipart/digest;"));
  EXPECT_NE(std::string(bare->entity.octets()).find("Content-Type: application/x400-bp"), std::string::npos);
}

}  // namespace
