// tests/unit/addressing/message_id_test.cpp: RFC 2156 §4.7.3 IPM identifiers,
// §4.6.3 MTS identifiers, §5.3 mts-msg-id, §5.1.6 trace domains and §4.5
// directory names. Expected strings are the RFC's examples.
#include <gtest/gtest.h>

#include "addressing/directory_name.hpp"
#include "addressing/message_id.hpp"
#include "addressing/or_descriptor.hpp"
#include "helpers.hpp"

using namespace mixer::addressing;
using namespace mixer::addressing::test;

// §4.7.3.2: <"147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/"@MHS>
TEST(Rfc2156, s4_7_3_2_ipm_identifier_example) {
  IpmIdentifier id{orx("/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/"), "147"};
  // The RFC's quoted form reads back to the identifier...
  auto parsed = msg_id_to_ipm_identifier("<\"147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/\"@MHS>");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value(), id);
  // ...and is generated without quotes, which 822.quoted-string only needs
  // "if necessary" (RFC 5322 id-left is dot-atom-text).
  auto out = ipm_identifier_to_msg_id(id);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value().text, "<147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/@MHS>");
  EXPECT_EQ(msg_id_to_ipm_identifier(out.value().text).value(), id);
  // A space (ADMD " ") needs the quoted-string.
  IpmIdentifier sp{orx("/S=x/ADMD= /C=GB/"), "1"};
  EXPECT_EQ(ipm_identifier_to_msg_id(sp).value().text, "<\"1*/S=x/ADMD= /C=GB/\"@MHS>");
  EXPECT_EQ(msg_id_to_ipm_identifier("<\"1*/S=x/ADMD= /C=GB/\"@MHS>").value(), sp);
}

// §5.3.4.2 example message: Message-ID: <PC1000-910530172027-57D8*@MHS>
TEST(Rfc2156, s4_7_3_4_user_absent_x400_identifier) {
  IpmIdentifier id{std::nullopt, "PC1000-910530172027-57D8"};
  EXPECT_EQ(ipm_identifier_to_msg_id(id).value().text, "<PC1000-910530172027-57D8*@MHS>");
  EXPECT_EQ(msg_id_to_ipm_identifier("<PC1000-910530172027-57D8*@MHS>").value(), id);
}

// §4.7.3.1 / §4.7.3.3 / §4.7.3.4: RFC 822 generated IDs round-trip exactly.
TEST(Rfc2156, s4_7_3_1_rfc822_generated_identifier) {
  auto id = msg_id_to_ipm_identifier("<1796.665941626@UK.AC.UCL.CS>");
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(id.value().user);
  EXPECT_EQ(id.value().user_relative_identifier, "1796.665941626(a)UK.AC.UCL.CS");
  EXPECT_EQ(ipm_identifier_to_msg_id(id.value()).value().text, "<1796.665941626@UK.AC.UCL.CS>");
  for (const char* m : {"<\"a b\"@x.example>", "<a_b!c%d@x.example>", "<x@[10.0.0.1]>", "<abc*@example.org>"}) {
    auto i = msg_id_to_ipm_identifier(m);
    ASSERT_TRUE(i.ok()) << m;
    EXPECT_EQ(ipm_identifier_to_msg_id(i.value()).value().text, m);
  }
  EXPECT_FALSE(msg_id_to_ipm_identifier("<caf\xC3\xA9@x>").ok());
}

// §4.7.3.5: phrase form for In-Reply-To/References.
TEST(Rfc2156, s4_7_3_5_phrase_form) {
  auto id = phrase_to_ipm_identifier("Your message of 3 May");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id.value().user_relative_identifier, "Your message of 3 May");
  auto ref = ipm_identifier_to_msg_id(id.value(), MsgIdUse::reference);
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(ref.value().phrase);
  EXPECT_EQ(ref.value().text, "Your message of 3 May");
  // As a Message-ID it gets the MHS domain.
  EXPECT_EQ(ipm_identifier_to_msg_id(id.value(), MsgIdUse::message_id).value().text, "<\"Your message of 3 May*\"@MHS>");
  // An identifier that parses as msg-id is never a phrase.
  EXPECT_FALSE(ipm_identifier_to_msg_id(IpmIdentifier{std::nullopt, "a(a)b.c"}, MsgIdUse::reference).value().phrase);
}

// §4.7.3.6: RFC 987 generated IDs, recognised only when switched on.
TEST(Rfc2156, s4_7_3_6_rfc987_compatibility) {
  Heuristics on;
  on.rfc987_message_ids = true;
  const char* m = "<147*/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/@gw.siemens.de>";
  EXPECT_FALSE(msg_id_to_ipm_identifier(m).value().user);  // default: an RFC 822 ID
  auto id = msg_id_to_ipm_identifier(m, on);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id.value(), (IpmIdentifier{orx("/S=Dietrich/O=Siemens/ADMD=DBP/C=DE/"), "147"}));
  IpmIdentifier r987{orx("/RFC-822=1234(a)host.example/ADMD=x/C=GB/"), "RFC-822"};
  EXPECT_EQ(ipm_identifier_to_msg_id(r987, MsgIdUse::message_id, on).value().text, "<1234@host.example>");
  EXPECT_EQ(ipm_identifier_to_msg_id(r987).value().text, "<\"RFC-822*/RFC-822=1234(a)host.example/ADMD=x/C=GB/\"@MHS>");
}

// §4.6.3 and §5.3: [/PRMD=uk.ac/ADMD=gold 400/C=gb/;<1796.665941626@UK.AC.UCL.CS>]
TEST(Rfc2156, s4_6_3_mts_identifier_from_msg_id) {
  auto ctx = context("/O=UCL/PRMD=uk.ac/ADMD=gold 400/C=gb/", "cs.ucl.ac.uk");
  auto id = msg_id_to_mts_identifier("<1796.665941626@UK.AC.UCL.CS>", ctx);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id.value().local_identifier, "<1796.665941626@UK.AC.UCL.CS>");
  EXPECT_EQ(format_mts_msg_id(id.value()).value(), "[/PRMD=uk.ac/ADMD=gold 400/C=gb/;<1796.665941626@UK.AC.UCL.CS>]");
  // Longer than ub-local-id-length (32): truncated.
  auto longer = msg_id_to_mts_identifier("<20240101123456.abcdefghijkl@mail.example.org>", ctx);
  EXPECT_EQ(longer.value().local_identifier, "<20240101123456.abcdefghijkl@mai");
  // An MCGAM for the msg-id's domain gives the global domain identifier.
  ctx.tables = tables_from({{"t1", TableKind::table1, "widget.com#O$Widget.ADMD$BTT.C$TC#\n"}});
  EXPECT_EQ(format_mts_msg_id(msg_id_to_mts_identifier("<1@mail.widget.com>", ctx).value()).value(),
            "[/ADMD=BTT/C=TC/;<1@mail.widget.com>]");
  // A msg-id whose address maps to an empty C (Appendix B's null attribute, carried in O/R
  // addresses) gives no X.411 CountryName (SIZE 2 or 3): the gateway's global domain instead.
  auto null_c = msg_id_to_mts_identifier("<\"/C=/ADMD=BTT/O=X/S=y/\"@cs.ucl.ac.uk>", ctx);
  ASSERT_TRUE(null_c.ok());
  EXPECT_EQ(format_mts_msg_id(null_c.value()).value().substr(0, 31), "[/PRMD=uk.ac/ADMD=gold 400/C=gb");
}

// §5.3 mts-msg-id of the §5.3.4.2 example message.
TEST(Rfc2156, s5_3_mts_msg_id_parse) {
  auto id = parse_mts_msg_id("[/PRMD=HMG/ADMD=GOLD 400/C=GB/;PC1000-910530172027-57D8]");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id.value().global_domain.prmd.printable, "HMG");
  EXPECT_EQ(id.value().local_identifier, "PC1000-910530172027-57D8");
  EXPECT_EQ(format_mts_msg_id(id.value()).value(), "[/PRMD=HMG/ADMD=GOLD 400/C=GB/;PC1000-910530172027-57D8]");
  EXPECT_FALSE(parse_mts_msg_id("/PRMD=HMG/ADMD=GOLD 400/C=GB/;x").ok());
  EXPECT_FALSE(parse_mts_msg_id("[/S=x/ADMD=a/C=GB/;x]").ok());
}

// §5.1.6: Received: ... by vs6.Cs.Ucl.AC.UK -> MTA name and global domain.
TEST(Rfc2156, s5_1_6_trace_domain_from_received_by) {
  auto ctx = context("/O=Gateway/PRMD=MIXER/ADMD= /C=XX/", "gw.example",
                     tables_from({{"t1", TableKind::table1, "AC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#\n"}}));
  auto t = trace_domain_for("vs6.Cs.Ucl.AC.UK", ctx);
  EXPECT_EQ(t.mta_name, "vs6.Cs.Ucl.AC.UK");
  EXPECT_EQ(format_global_id(t.global_domain).value(), "/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
  auto other = trace_domain_for("mx.example.org", ctx);
  EXPECT_EQ(format_global_id(other.global_domain).value(), "/PRMD=MIXER/ADMD= /C=XX/");
  EXPECT_EQ(trace_domain_for(std::string(40, 'a') + ".example", ctx).mta_name.size(), 32u);
}

// §4.5: directory names as RFC 1485 strings in a trailing comment.
TEST(Rfc2156, s4_5_directory_name_comment) {
  DirectoryName dn;
  dn.rdns = {{{"2.5.4.6", "GB"}}, {{"2.5.4.10", "ISODE Consortium"}}, {{"2.5.4.3", "Steve Kille"}}};
  EXPECT_EQ(format_directory_name(dn), "CN=Steve Kille, O=ISODE Consortium, C=GB");
  EXPECT_EQ(directory_name_comment(dn), "(CN=Steve Kille, O=ISODE Consortium, C=GB)");
  dn.rdns = {{{"2.5.4.6", "GB"}}, {{"2.5.4.11", "Sales, (North)"}, {"2.5.4.42", "x"}}};
  EXPECT_EQ(format_directory_name(dn), "OU=\"Sales, (North)\" + OID.2.5.4.42=x, C=GB");
  EXPECT_EQ(directory_name_comment(dn), "(OU=\"Sales, \\(North\\)\" + OID.2.5.4.42=x, C=GB)");
}

// §4.7.2 with the §5.3.4.2 example: "From: Stephen.Harrison@gosip-uk.hmg.gold-400.gb (Tel +44 71 217 3487)".
TEST(Rfc2156, s4_7_2_or_descriptor_to_mailbox) {
  const auto ctx = context("/O=Gateway/PRMD=MIXER/ADMD= /C=XX/", "gw.example",
                           tables_from({{"t2", TableKind::table2, "ADMD$GOLD 400.C$GB#gold-400.gb#\n"}}));
  OrDescriptor d;
  d.formal_name = OrName{orx("/G=Stephen/S=Harrison/O=gosip-uk/PRMD=hmg/ADMD=GOLD 400/C=GB/"), std::nullopt};
  d.telephone_number = "+44 71 217 3487";
  EXPECT_EQ(or_descriptor_to_mailbox(d, ctx).value(), "Stephen.Harrison@gosip-uk.hmg.gold-400.gb (Tel +44 71 217 3487)");
  // 2a: free-form-name as phrase; 4: directory name; 6: reply requested.
  d.free_form_name = "Stephen Harrison";
  d.telephone_number = "+44-181-333-7777";
  d.formal_name->directory_name = DirectoryName{{{{"2.5.4.6", "GB"}}, {{"2.5.4.3", "Stephen Harrison"}}}};
  RecipientFlags f;
  f.reply_requested = true;
  f.receipt_notification = true;  // not shown unless asked (step 5 recommendation)
  EXPECT_EQ(or_descriptor_to_mailbox(d, ctx, f).value(),
            "Stephen Harrison <Stephen.Harrison@gosip-uk.hmg.gold-400.gb> (Tel +44-181-333-7777) "
            "(CN=Stephen Harrison, C=GB) (Reply requested)");
  // 2b: a route-addr from mapping A gets a phrase from the local-part.
  OrDescriptor r;
  r.formal_name = OrName{orx("/RFC-822=(a)relay.co.uk:userb(a)host2/ADMD=x/C=GB/"), std::nullopt};
  EXPECT_EQ(or_descriptor_to_mailbox(r, ctx).value(), "userb <@relay.co.uk:userb@host2>");
  // No formal name: the free-form name as an empty group.
  OrDescriptor g;
  g.free_form_name = "Free Form Name";
  EXPECT_EQ(or_descriptor_to_mailbox(g, ctx).value(), "Free Form Name: ;");
}

// §4.7.1: phrase and comments make the free-form name; groups give a
// descriptor of their own; source routes are removed.
TEST(Rfc2156, s4_7_1_mailbox_to_or_descriptors) {
  const auto ctx = context("/O=Gateway/PRMD=MIXER/ADMD= /C=XX/", "gw.example",
                           tables_from({{"t1", TableKind::table1, "Widget.COM#O$Widget.ADMD$BTT.C$TC#\n"}}));
  auto d = header_address_to_or_descriptors("Marshall Rose <Marshall.Rose@Widget.COM> (Chief)", ctx);
  ASSERT_TRUE(d.ok()) << d.error().text();
  ASSERT_EQ(d.value().size(), 1u);
  EXPECT_EQ(std_or(d.value()[0].formal_name->address), "/G=Marshall/S=Rose/O=Widget/ADMD=BTT/C=TC/");
  EXPECT_EQ(d.value()[0].free_form_name, "Marshall Rose (Chief)");
  auto bare = header_address_to_or_descriptors("j.smith@Widget.COM (Jo Smith)", ctx);
  EXPECT_EQ(bare.value()[0].free_form_name, "(Jo Smith)");
  auto plain = header_address_to_or_descriptors("j.smith@Widget.COM", ctx);
  EXPECT_FALSE(plain.value()[0].free_form_name);
  auto route = header_address_to_or_descriptors("\"Joe\" <@relay.example:joe@Widget.COM>", ctx);
  EXPECT_EQ(std_or(route.value()[0].formal_name->address), "/S=joe/O=Widget/ADMD=BTT/C=TC/");
  auto group = header_address_to_or_descriptors("Sales team: a@Widget.COM, \"B\" <b_b@example.org>;", ctx);
  ASSERT_TRUE(group.ok()) << group.error().text();
  ASSERT_EQ(group.value().size(), 3u);
  EXPECT_FALSE(group.value()[0].formal_name);
  EXPECT_EQ(group.value()[0].free_form_name, "Sales team");
  EXPECT_EQ(std_or(group.value()[2].formal_name->address), "/RFC-822=b(u)b(a)example.org/O=Gateway/PRMD=MIXER/ADMD= /C=XX/");
  EXPECT_FALSE(header_address_to_or_descriptors("a@b, c@d", ctx).ok());
  EXPECT_FALSE(header_address_to_or_descriptors("Broken <a@b", ctx).ok());
}
