// tests/unit/mapping/forwarded_envelope_test.cpp: RFC 2157 §6.5's
// delivery-envelope through the whole mapping engine, both ways and round
// trip (MIME -> X.400 -> MIME restores the fields, X.400 -> MIME -> X.400
// restores the delivery-envelope), §4.1's "from" rule reaching into a nested
// message/rfc822, and §4.2's extension not listed as discarded when honoured.
// The gateways are the body part vectors' configurations.
#include <gtest/gtest.h>

#include "tests/unit/mapping/roundtrip_support.hpp"

namespace {

using namespace mixer::mapping;
using namespace mixer::mapping::test;


const Gateway& gateway() {
  static const Gateway g = load_gateway("tests/vectors/bodyparts/mixer.yaml", "1998-01-01T00:00:00Z");
  return g;
}


// The header of the first message/rfc822 part of `content`.
std::string nested_header(const std::string& content) {
  const std::string mark = "Content-Type: message/rfc822\r\n\r\n";
  const auto at = content.find(mark);
  if (at == std::string::npos) return {};
  const auto start = at + mark.size();
  return content.substr(start, content.find("\r\n\r\n", start) - start + 2);
}

// The unfolded values of the fields `name` of a header.
std::vector<std::string> values(const std::string& header, const std::string& name) {
  return parse(header + "\r\n").named(name);
}

const Json& body_part(const Json& apdu, std::size_t i) { return apdu.at("content").at("value").at("ipm").at("body").at(i); }

const char* const mts_fields[] = {"X400-Received", "Date", "X400-Originator", "X400-Recipients",
                                  "Original-Encoded-Information-Types", "X400-Content-Type",
                                  "X400-Content-Identifier", "Priority", "Conversion", "Conversion-With-Loss",
                                  "Delivery-Date"};

TEST(Rfc2157_6_5, rfc2157_6_5_x400_fields_of_a_forwarded_message_make_its_delivery_envelope) {
  ASSERT_TRUE(gateway().error.empty()) << gateway().error;
  const std::string in = read_crlf("tests/vectors/bodyparts/to_x400/rfc2157-6.5-delivery-envelope-to-x400/input.eml");
  auto x = internet_to_x400(gateway(), vector_envelope(), in, "q1");
  ASSERT_TRUE(x.ok) << x.refusal;
  const Json& params = body_part(x.json, 1).at("basic").at("message").at("parameters");
  ASSERT_TRUE(params.contains("delivery-envelope")) << params.dump(1);
  const Json& d = params.at("delivery-envelope");
  EXPECT_EQ(params.at("delivery-time"), "971229091000+0000");
  EXPECT_EQ(d.at("message-submission-time"), "971229090000+0000");
  EXPECT_EQ(d.at("priority"), 2);  // urgent
  EXPECT_EQ(d.at("content-identifier"), "minutes");
  EXPECT_EQ(d.at("other-recipient-names").size(), 1u);
  EXPECT_TRUE(d.contains("delivery-flags"));
  EXPECT_TRUE(d.contains("extensions"));
  // The fields went into the envelope, not also into the rfc-822-field extension.
  const std::string heading = body_part(x.json, 1).at("basic").at("message").at("data").at("heading").dump();
  for (const char* f : {"X400-Originator", "X400-Recipients", "Priority", "Delivery-Date", "X400-Received", "Date:"})
    EXPECT_EQ(heading.find(f), std::string::npos) << f << " carried: " << heading;
  for (const auto& l : x.losses) EXPECT_EQ(l.find("6.5"), std::string::npos) << l;
}

TEST(Rfc2157_6_5, rfc2157_6_5_round_trips_restore_the_fields_and_the_delivery_envelope) {
  const std::string in = read_crlf("tests/vectors/bodyparts/to_x400/rfc2157-6.5-delivery-envelope-to-x400/input.eml");
  auto x1 = internet_to_x400(gateway(), vector_envelope(), in, "q1");
  ASSERT_TRUE(x1.ok) << x1.refusal;
  // MIME -> X.400 -> MIME: the nested message's MTS fields as they were.
  auto m2 = x400_to_internet(gateway(), x1.ber);
  ASSERT_TRUE(m2.ok) << m2.refusal;
  const std::string before = nested_header(in), after = nested_header(m2.content);
  ASSERT_FALSE(after.empty()) << m2.content;
  for (const char* name : mts_fields) {
    EXPECT_FALSE(values(before, name).empty()) << name;
    EXPECT_EQ(values(after, name), values(before, name)) << name << "\n" << after;
  }
  for (const auto& l : m2.losses) EXPECT_EQ(l.find("delivery-envelope"), std::string::npos) << l;
  // X.400 -> MIME -> X.400: the delivery-envelope and delivery-time as they were.
  auto x3 = internet_to_x400(gateway(), vector_envelope(), m2.content, "q1");
  ASSERT_TRUE(x3.ok) << x3.refusal;
  EXPECT_EQ(body_part(x3.json, 1).at("basic").at("message").at("parameters"),
            body_part(x1.json, 1).at("basic").at("message").at("parameters"));
}

TEST(Rfc2157_6_5, rfc2157_6_5_without_x400_originator_the_fields_are_carried_and_delivery_date_is_delivery_time) {
  const std::string in =
      "From: jane@example.org\r\nTo: S.Kille@cs.ucl.ac.uk\r\nSubject: Fwd\r\nDate: Wed, 31 Dec 1997 23:59:00 +0000\r\n"
      "MIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
      "From: bob@example.com\r\nTo: jane@example.org\r\nSubject: Inner\r\nDate: Mon, 29 Dec 1997 09:00:00 +0000\r\n"
      "X400-Recipients: jane@example.org\r\nDelivery-Date: Mon, 29 Dec 1997 09:10:00 +0000\r\n\r\nText.\r\n";
  auto x = internet_to_x400(gateway(), vector_envelope(), in, "q1");
  ASSERT_TRUE(x.ok) << x.refusal;
  const Json& params = body_part(x.json, 0).at("basic").at("message").at("parameters");
  EXPECT_FALSE(params.contains("delivery-envelope"));
  EXPECT_EQ(params.at("delivery-time"), "971229091000+0000");
  const std::string heading = body_part(x.json, 0).at("basic").at("message").at("data").at("heading").dump();
  EXPECT_NE(heading.find("X400-Recipients: jane@example.org"), std::string::npos) << heading;
  EXPECT_EQ(heading.find("Delivery-Date"), std::string::npos) << heading;
  auto m = x400_to_internet(gateway(), x.ber);
  ASSERT_TRUE(m.ok) << m.refusal;
  const std::string h = nested_header(m.content);
  EXPECT_EQ(values(h, "X400-Recipients"), std::vector<std::string>{"jane@example.org"}) << h;
  EXPECT_EQ(values(h, "Delivery-Date"), std::vector<std::string>{"Mon, 29 Dec 1997 09:10:00 +0000"}) << h;
  EXPECT_TRUE(values(h, "X400-Originator").empty()) << h;
}

}  // namespace
