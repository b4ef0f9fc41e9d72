
TEST(IpnToMdn, rfc2156_5_3_5_without_ipn_originator_from_is_the_mts_originator) {
  Fixture f;
  for (const char* format : {"mdn", "text"}) {
    f.policy.to_rfc822.ipn_format = format;
    auto n = ipn(receipt(1));
    n.common.ipn_originator.reset();
    auto r = to_internet(message(ipms::InformationObject{n}), f.ctx);
    ASSERT_TRUE(r) << r.error().text();
    // RFC 5322 §3.6: a From: always; the IPN's MTS originator when the IPN names none.
    EXPECT_TRUE(has(r->content, "\r\nFrom: " + std::string(kKilleRfc822) + "\r\n")) << format << "\n" << r->content;
    // An MDN needs a Final-Recipient: without ipn-originator or ipm-intended-recipient, the text form.
    EXPECT_FALSE(has(r->content, "multipart/report")) << format;
  }
}
