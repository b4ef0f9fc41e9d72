// tests/unit/bodyparts/user_control_test.cpp: RFC 2157 §4.1, the
// Wanted-X400-Conversion field: read by its syntax (the RFC's examples, the
// errors, the limits) and honoured by to_x400 when user control is on: a
// part's own field (§4.1 (1)), a multipart's "from" rule for the parts of
// that type inside it, nested ones too, a part's own field first (§4.1 (2));
// every x400-encoding (bp14, bp15 tunnel and OID, ftbp tunnel and OID, ia5);
// the prohibitions overridden (§4); a 1984 next hop's syntax kept.
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/ftbp.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "bodyparts/user_control.hpp"
#include "p1/ber/reader.hpp"
#include "p1/ipms/ipms.hpp"

namespace {

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;
using mixer::p1::ber::Oid;
using In = WantedX400Conversion::In;

std::optional<WantedX400Conversion> parse(std::string_view v) {
  std::string why;
  auto w = parse_wanted_x400_conversion(v, why);
  if (!w) {
    EXPECT_FALSE(why.empty()) << v;
  }
  return w;
}

TEST(Rfc2157_4_1, rfc2157_4_1_reads_the_rfc_examples) {
  auto a = parse("from application/msword\r\n to 1.2.840.113556.4.2 (Microsoft defined ms-word)\r\n in ftbp");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->from, "application/msword");
  ASSERT_TRUE(a->to);
  EXPECT_EQ(a->to->to_string(), "1.2.840.113556.4.2");
  EXPECT_EQ(a->in, In::ftbp);
  auto b = parse("from Application/MSWord to tunnel in BP14");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->from, "application/msword");
  EXPECT_FALSE(b->to);
  EXPECT_EQ(b->in, In::bp14);
  auto c = parse("in bp14");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->from.empty());
  EXPECT_FALSE(c->to);  // "If x400-object-id is omitted, tunnel is assumed."
  auto d = parse("(comment (nested \\) quoted)) to tunnel(x)in(y)ia5 (end)");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->in, In::ia5);
}

TEST(Rfc2157_4_1, rfc2157_4_1_refuses_what_is_not_its_syntax) {
  for (std::string_view bad :
       {"", "bp14", "in", "in bp16", "in bp14 extra", "from in bp14", "from text in bp14", "to in bp15",
        "to 1.2.3 in bp14",  // BP14 and IA5 have no object identifier
        "to 1.2.3 in ia5", "to 99 in ftbp", "to tunnel from text/plain in bp15", "(unclosed in bp14", "in bp14 )",
        "in\x01 bp14", "in bp14 \xC3\xA9"})
    EXPECT_FALSE(parse(bad)) << bad;
  // The limits: comment nesting and the value's size.
  EXPECT_TRUE(parse("((((((((x)))))))) in bp14"));
  EXPECT_FALSE(parse("(((((((((x))))))))) in bp14"));
  EXPECT_FALSE(parse(std::string(max_wanted_x400_conversion_size, ' ') + "in bp14"));
  std::string arcs = "1.2";
  for (int i = 0; i < 40; ++i) arcs += ".1";
  EXPECT_FALSE(parse("to " + arcs + " in bp15"));
}

const std::string kPng("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16);

MimeInput png(std::string b64, std::string wanted) {
  MimeInput m{{{"MIME-Version", "1.0"}, {"Content-Type", "image/png"}, {"Content-Transfer-Encoding", "base64"}}, {}};
  if (!wanted.empty()) m.fields.push_back({"Wanted-X400-Conversion", std::move(wanted)});
  return m;
}

std::string bp14(const ipms::BodyPart& p) {
  const auto* b = p.as<ipms::BilaterallyDefinedBodyPart>();
  return b ? std::string(b->octets.begin(), b->octets.end()) : std::string("not BP14");
}

TEST(Rfc2157_4_1, rfc2157_4_1_own_field_bp14_only_with_user_control) {
  const std::string b64 = base64_lines(kPng);
  MimeInput in = png(b64, "in bp14");
  in.body = b64;
  ToX400Options o;
  auto off = to_x400(in, o);  // user control off: the gateway's own choice (§3.1.2)
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->body.at(0).as<ipms::MimeBodyPart>());
  o.user_control = true;
  auto on = to_x400(in, o);
  ASSERT_TRUE(on);
  ASSERT_EQ(on->body.size(), 1u);
  EXPECT_EQ(bp14(on->body[0]), kPng);
  EXPECT_TRUE(on->losses.empty());
  ASSERT_EQ(on->requested_losses.size(), 1u);  // the type and fields, which the sender chose to lose
  EXPECT_NE(on->requested_losses[0].rule.find("4.1"), std::string::npos);
}

TEST(Rfc2157_4_1, rfc2157_4_overrides_conversion_prohibited) {
  const std::string b64 = base64_lines(kPng);
  MimeInput in = png(b64, "in bp14");
  in.body = b64;
  ToX400Options o;
  o.user_control = true;
  o.conversion_prohibited = true;
  o.conversion_with_loss_prohibited = true;
  o.bp14_content_passing = false;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  EXPECT_EQ(bp14(x->body.at(0)), kPng);
  // The same message's text/plain in latin-1 without the field still refuses.
  MimeInput t{{{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=windows-1252"}}, "caf\xE9\r\n"};
  EXPECT_FALSE(to_x400(t, o));
  t.fields.push_back({"Wanted-X400-Conversion", "in bp15"});
  auto bp15 = to_x400(t, o);
  ASSERT_TRUE(bp15);
  EXPECT_TRUE(bp15->body.at(0).as<ipms::MimeBodyPart>());
}

TEST(Rfc2157_4_1, rfc2157_4_1_heading_value_from_the_caller) {
  const std::string b64 = base64_lines(kPng);
  MimeInput in = png(b64, "");
  in.body = b64;
  ToX400Options o;
  o.user_control = true;
  o.wanted_x400_conversion = {"to tunnel in ia5"};  // the message heading's field (§4.1 (1))
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  const auto* t = x->body.at(0).as<ipms::Ia5TextBodyPart>();
  ASSERT_TRUE(t);  // HARPOON (§3.1.3)
  EXPECT_EQ(t->text.rfind("MIME-Version:", 0), 0u);
  EXPECT_NE(t->text.find("image/png"), std::string::npos);
}

const char kMixed[] =
    "--b\r\n"
    "Content-Type: application/msword\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n"
    "ZG9jIG9uZQ==\r\n"
    "--b\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "plain text\r\n"
    "--b\r\n"
    "Content-Type: multipart/alternative; boundary=c\r\n\r\n"
    "--c\r\n"
    "Content-Type: application/msword\r\n\r\n"
    "doc two\r\n"
    "--c\r\n"
    "Content-Type: application/msword\r\n"
    "Wanted-X400-Conversion: in bp14\r\n\r\n"
    "doc three\r\n"
    "--c--\r\n"
    "--b--\r\n";

const ipms::FileTransferBodyPart* ftbp(const ipms::BodyPart& p) { return p.as<ipms::FileTransferBodyPart>(); }

TEST(Rfc2157_4_1, rfc2157_4_1_multipart_from_rule_reaches_nested_parts_own_field_first) {
  MimeInput in{{{"MIME-Version", "1.0"},
                {"Content-Type", "multipart/mixed; boundary=b"},
                {"Wanted-X400-Conversion", "from application/msword to 1.2.840.113556.4.2 in ftbp"}},
               kMixed};
  ToX400Options o;
  o.user_control = true;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 3u);
  const auto* f = ftbp(x->body[0]);
  ASSERT_TRUE(f);
  const auto* app = std::get_if<Oid>(&*f->parameters.environment->application_reference);
  ASSERT_TRUE(app);
  EXPECT_EQ(app->to_string(), "1.2.840.113556.4.2");
  EXPECT_TRUE(x->body[1].as<ipms::Ia5TextBodyPart>());  // another type: the gateway's choice
  const auto* nested = x->body[2].as<ipms::MessageBodyPart>();
  ASSERT_TRUE(nested);
  ASSERT_EQ(nested->ipm->body.size(), 2u);
  EXPECT_TRUE(ftbp(nested->ipm->body[0]));  // the rule holds in nested multiparts
  EXPECT_EQ(bp14(nested->ipm->body[1]), "doc three");  // its own heading takes precedence
  // Off: both application/msword parts in the MIME body part.
  o.user_control = false;
  auto off = to_x400(in, o);
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->body.at(0).as<ipms::MimeBodyPart>());
}

TEST(Rfc2157_4_1, rfc2157_4_1_multipart_field_without_from_is_ignored_and_said) {
  MimeInput in{{{"MIME-Version", "1.0"},
                {"Content-Type", "multipart/mixed; boundary=b"},
                {"Wanted-X400-Conversion", "in bp14"}},
               kMixed};
  ToX400Options o;
  o.user_control = true;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->body.at(0).as<ipms::MimeBodyPart>());
  bool said = false;
  for (const auto& l : x->losses) said = said || l.what.find("without \"from\"") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(Rfc2157_4_1, rfc2157_4_1_bp15_of_an_object_identifier) {
  MimeInput in{{{"MIME-Version", "1.0"},
                {"Content-Type", "application/msword"},
                {"Wanted-X400-Conversion", "to 1.3.6.1.4.1.99999.1 in bp15"}},
               "doc"};
  ToX400Options o;
  o.user_control = true;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  const auto* e = x->body.at(0).as<ipms::OtherExtendedBodyPart>();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->data_type.to_string(), "1.3.6.1.4.1.99999.1");
  EXPECT_EQ(std::string(e->data.begin(), e->data.end()), std::string("\x04\x03" "doc"));  // OCTET STRING
  ASSERT_EQ(x->extended_eits.size(), 1u);
  EXPECT_EQ(x->extended_eits[0].to_string(), "1.3.6.1.4.1.99999.1");
  auto ber = ipms::encode(x->body[0]);
  ASSERT_TRUE(ber);
  auto back = ipms::decode<ipms::BodyPart>(*ber);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->as<ipms::OtherExtendedBodyPart>());
  // The OID of a type the gateway maps itself (id-et-ia5-text): not honoured, the loss says so.
  in.fields.back().value = "to 2.6.1.4.0 in bp15";
  auto known = to_x400(in, o);
  ASSERT_TRUE(known);
  EXPECT_TRUE(known->body.at(0).as<ipms::MimeBodyPart>());
  ASSERT_FALSE(known->losses.empty());
  EXPECT_NE(known->losses[0].what.find("not honoured"), std::string::npos);
}

TEST(Rfc2157_4_1, rfc2157_4_1_ftbp_tunnel_is_the_ftbp_encapsulating_mime) {
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "application/msword"}, {"Wanted-X400-Conversion", "in ftbp"}},
               "doc"};
  ToX400Options o;
  o.user_control = true;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  const auto* f = ftbp(x->body.at(0));
  ASSERT_TRUE(f);
  EXPECT_EQ(std::get<Oid>(*f->parameters.environment->application_reference), mime_ftbp_data());
}

TEST(Rfc2157_4_1, rfc2157_4_1_x400_1984_next_hop_syntax_kept) {
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "application/msword"}, {"Wanted-X400-Conversion", "in ftbp"}},
               "doc"};
  ToX400Options o;
  o.user_control = true;
  o.extended_allowed = false;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->body.at(0).as<ipms::Ia5TextBodyPart>());  // HARPOON, the gateway's choice for 1984
  ASSERT_FALSE(x->losses.empty());
  EXPECT_NE(x->losses[0].what.find("1984"), std::string::npos);
  EXPECT_FALSE(x->uses_1988);
}

}  // namespace

namespace {

// RFC 2157 §4.2 ------------------------------------------------------------------------------

WantedMimeConversion standard(std::int64_t tag, std::string type, std::optional<std::string> enc = {},
                              std::optional<std::string> params = {}) {
  return WantedMimeConversion{WantedMimeConversion::Standard{tag}, std::move(type), std::move(enc), std::move(params)};
}

std::string field_of(const MimeEntity& e, std::string_view name) {
  for (const auto& f : e.fields)
    if (f.name == name) return f.value;
  return {};
}

TEST(Rfc2157_4_2, rfc2157_4_2_wanted_mime_conversions_ber_both_ways_and_limits) {
  std::vector<WantedMimeConversion> v{
      standard(14, "application/msword", "base64", "name=report.doc"),
      {WantedMimeConversion::Extended{Oid{1, 3, 6, 1, 4, 1, 99999, 1}}, "application/pdf", std::nullopt, std::nullopt},
      {WantedMimeConversion::Ftbp{Oid{1, 2, 840, 113556, 4, 2}}, "application/x400-bp", std::nullopt, std::nullopt}};
  const auto ber = encode_wanted_mime_conversions(v);
  std::string why;
  auto back = decode_wanted_mime_conversions(ber, why);
  ASSERT_TRUE(back) << why;
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ(std::get<WantedMimeConversion::Standard>((*back)[0].x400_type).tag, 14);
  EXPECT_EQ((*back)[0].type, "application/msword");
  EXPECT_EQ((*back)[0].encoding, "base64");
  EXPECT_EQ((*back)[0].parameters, "name=report.doc");
  EXPECT_EQ(std::get<WantedMimeConversion::Extended>((*back)[1].x400_type).data, (Oid{1, 3, 6, 1, 4, 1, 99999, 1}));
  EXPECT_FALSE((*back)[1].encoding);
  EXPECT_EQ(std::get<WantedMimeConversion::Ftbp>((*back)[2].x400_type).application_reference,
            (Oid{1, 2, 840, 113556, 4, 2}));
  EXPECT_EQ(encode_wanted_mime_conversions(*back), ber);
  // Truncated, another tag, trailing octets, a non-IA5 string, more than 64 entries: errors.
  auto cut = ber;
  cut.pop_back();
  EXPECT_FALSE(decode_wanted_mime_conversions(cut, why));
  auto tagged = ber;
  tagged[4] = 0x83;  // X400Type [3]
  EXPECT_FALSE(decode_wanted_mime_conversions(tagged, why));
  auto trailing = ber;
  trailing.push_back(0);
  EXPECT_FALSE(decode_wanted_mime_conversions(trailing, why));
  EXPECT_FALSE(decode_wanted_mime_conversions(encode_wanted_mime_conversions({standard(14, "text/\xE9")}), why));
  std::vector<WantedMimeConversion> many(max_wanted_mime_conversions + 1, standard(14, "a/b"));
  EXPECT_FALSE(decode_wanted_mime_conversions(encode_wanted_mime_conversions(many), why));
  many.pop_back();
  EXPECT_TRUE(decode_wanted_mime_conversions(encode_wanted_mime_conversions(many), why));
}

ipms::BodyPart bilateral(std::string octets) {
  ipms::BodyPart p;
  p.type = ipms::BilaterallyDefinedBodyPart{mixer::p1::mts::Bytes(octets.begin(), octets.end())};
  return p;
}

TEST(Rfc2157_4_2, rfc2157_4_2_bp14_as_the_type_asked_for) {
  const std::string doc("\xD0\xCF\x11\xE0 word", 9);
  ToMimeOptions o;
  auto plain = to_mime({bilateral(doc)}, o);  // without: §6.3
  ASSERT_TRUE(plain);
  EXPECT_EQ(field_of(plain->entity, "Content-Type"), "application/octet-stream");
  o.wanted_mime_conversions = {standard(14, "Application/MSWord", "base64", "name=\"report 1.doc\"")};
  auto m = to_mime({bilateral(doc)}, o);
  ASSERT_TRUE(m);
  EXPECT_EQ(field_of(m->entity, "Content-Type"), "application/msword; name=\"report 1.doc\"");
  EXPECT_EQ(field_of(m->entity, "Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, doc);
  EXPECT_TRUE(m->losses.empty());  // nothing outside a BP14's octets
  EXPECT_TRUE(m->requested_losses.empty());
}

// Found by fuzz_bodyparts_user_control: an IA5String may hold NUL and other controls, which a header
// must not (RFC 5322 §3.2.4): left out of the quoted-string and said.
TEST(Rfc2157_4_2, rfc2157_4_2_controls_in_the_parameters_asked_for_are_not_written) {
  ToMimeOptions o;
  o.wanted_mime_conversions = {standard(14, "application/msword", "base64", std::string("name=\"\0do\x01" "c\x7f\"", 13))};
  auto m = to_mime({bilateral("x")}, o);
  ASSERT_TRUE(m);
  EXPECT_EQ(field_of(m->entity, "Content-Type"), "application/msword; name=\"doc\"");
  ASSERT_EQ(m->requested_losses.size(), 1u);
  EXPECT_NE(m->requested_losses[0].what.find("control"), std::string::npos);
  EXPECT_EQ(parse_content_type(std::string("a/b; n=\"x\0y\"", 13)).written.at(0), "\"xy\"");
}

TEST(Rfc2157_4_2, rfc2157_4_2_x400_bp_is_the_defined_mapping_asked_for) {
  ToMimeOptions o;
  o.wanted_mime_conversions = {standard(0, "application/x400-bp")};
  auto m = to_mime({ia5_text_part("hello\r\n")}, o);
  ASSERT_TRUE(m);
  EXPECT_EQ(field_of(m->entity, "Content-Type"), "application/x400-bp; bp-type=0");
}

TEST(Rfc2157_4_2, rfc2157_4_2_no_relevant_mapping_is_the_gateways_own) {
  ipms::G3FacsimileBodyPart g;
  g.number_of_pages = 1;
  g.pages.push_back(mixer::p1::ber::BitString{{0x00, 0x01}, 0});
  ipms::BodyPart p;
  p.type = g;
  ToMimeOptions o;
  o.wanted_mime_conversions = {standard(3, "image/tiff")};  // (3): no OCTET STRING in g3-facsimile
  auto m = to_mime({p}, o);
  ASSERT_TRUE(m);
  EXPECT_EQ(field_of(m->entity, "Content-Type").rfind("image/g3fax", 0), 0u);
  o.wanted_mime_conversions = {standard(14, "not a type")};  // not a type/subtype: ignored, said
  auto bad = to_mime({bilateral("x")}, o);
  ASSERT_TRUE(bad);
  EXPECT_EQ(field_of(bad->entity, "Content-Type"), "application/octet-stream");
  ASSERT_EQ(bad->requested_losses.size(), 1u);
}

// §4.1 there and §4.2 back: a BP15 of the sender's OID comes back as the X.400 user's type.
TEST(Rfc2157_4_2, rfc2157_4_2_extended_body_part_octets_back_to_mime) {
  MimeInput in{{{"MIME-Version", "1.0"},
                {"Content-Type", "application/msword"},
                {"Wanted-X400-Conversion", "to 1.3.6.1.4.1.99999.1 in bp15"}},
               "doc\r\n"};
  ToX400Options xo;
  xo.user_control = true;
  auto x = to_x400(in, xo);
  ASSERT_TRUE(x);
  ToMimeOptions o;
  auto without = to_mime(x->body, o);
  ASSERT_TRUE(without);
  EXPECT_EQ(field_of(without->entity, "Content-Type").rfind("application/x400-bp", 0), 0u);
  o.wanted_mime_conversions = {
      {WantedMimeConversion::Extended{Oid{1, 3, 6, 1, 4, 1, 99999, 1}}, "application/msword", "7bit", std::nullopt}};
  auto m = to_mime(x->body, o);
  ASSERT_TRUE(m);
  EXPECT_EQ(field_of(m->entity, "Content-Type"), "application/msword");
  EXPECT_EQ(m->entity.octets(), "doc\r\n");
}

TEST(Rfc2157_4_2, rfc2157_4_2_ftbp_parameters_survive) {
  MimeInput in{{{"MIME-Version", "1.0"},
                {"Content-Type", "application/octet-stream"},
                {"Content-Disposition", "attachment; filename=report.doc"},
                {"Content-Transfer-Encoding", "base64"}},
               "AAEC\r\n"};
  ToX400Options xo;
  xo.octet_stream = OctetStream::ftbp_unknown;
  auto x = to_x400(in, xo);
  ASSERT_TRUE(x);
  ASSERT_TRUE(x->body.at(0).as<ipms::FileTransferBodyPart>());
  ToMimeOptions o;
  o.wanted_mime_conversions = {{WantedMimeConversion::Ftbp{ema_unknown_attachment()}, "application/msword", {}, {}}};
  auto m = to_mime(x->body, o);
  ASSERT_TRUE(m);
  EXPECT_EQ(field_of(m->entity, "Content-Type"), "application/msword");
  EXPECT_NE(field_of(m->entity, "Content-Disposition").find("report.doc"), std::string::npos);
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, std::string("\x00\x01\x02", 3));
}

}  // namespace
