// tests/unit/bodyparts/ftbp_params_test.cpp: RFC 2157 §2.3's FTBP
// parameters both ways: RFC 2231 file names (continuations, charsets, the
// limits), §2.3.1 GraphicStrings, the Content-Disposition dates <->
// GeneralizedTime, size <-> object-size, Content-Description,
// Content-ID <-> related-stored-file, other fields <-> the rfc-822-field
// extension, and the FTBP's BER carrying all of them; §3.1.1 encapsulation
// in the FTBP; §6.5 through the seam with callbacks standing in for the
// mapping engine; §7.1 and §7.2.
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/ftbp_params.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "p1/ipms/ipms.hpp"

namespace {

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;

std::string field(const MimeEntity& e, std::string_view name) {
  for (const auto& f : e.fields)
    if (f.name == name) return f.value;
  return {};
}

ToX400Options ftbp_options() {
  ToX400Options o;
  o.octet_stream = OctetStream::ftbp_unknown;
  return o;
}

MimeInput octets(std::vector<MimeField> more) {
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "application/octet-stream"}}, "data"};
  for (auto& f : more) in.fields.push_back(std::move(f));
  return in;
}

const ipms::FileTransferBodyPart& ftbp(const ToX400& x) { return *x.body.at(0).as<ipms::FileTransferBodyPart>(); }
std::string pathname(const ToX400& x) {
  return std::get<ipms::IncompletePathname>(*ftbp(x).parameters.file_attributes->pathname).pathname.at(0);
}

TEST(FtbpParams, rfc2231_continuations_with_a_charset_are_one_latin1_graphic_string_and_utf8_back) {
  auto x = to_x400(octets({{"Content-Disposition",
                            "attachment; filename*0*=iso-8859-1'fr'r%E9sum; filename*1*=%E9; filename*2=.txt"}}),
                   ftbp_options());
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->losses.empty());
  // §2.3.1: ESC 2/13 4/1 (ISO 8859-1 in G1), LS1R, the Latin-1 octets.
  EXPECT_EQ(pathname(*x), "\x1B\x2D\x41\x1B\x7Er\xE9sum\xE9.txt");
  EXPECT_FALSE(ftbp(*x).parameters.extensions.has_value());  // nothing else to carry
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->losses.empty());
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.txt; size=4");
}

TEST(FtbpParams, rfc2231_utf8_cyrillic_name_uses_iso_8859_5_and_plain_ascii_stays_plain) {
  auto x = to_x400(octets({{"Content-Disposition", "attachment; filename*=UTF-8''%D0%9F%D1%80.doc"}}), ftbp_options());
  ASSERT_TRUE(x);
  EXPECT_EQ(pathname(*x), "\x1B\x2D\x4C\x1B\x7E\xBF\xE0.doc");  // ISO-IR 144 (final 4/12)
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "attachment; filename*=utf-8''%D0%9F%D1%80.doc; size=4");
  EXPECT_EQ(params::write_parameter("filename", "a b.txt"), "filename=\"a b.txt\"");
}

TEST(FtbpParams, rfc2231_sections_with_a_gap_or_over_the_limits_are_losses) {
  auto gap = to_x400(octets({{"Content-Disposition", "attachment; filename*0=a; filename*2=c"}}), ftbp_options());
  ASSERT_TRUE(gap);
  ASSERT_FALSE(gap->losses.empty());
  EXPECT_NE(gap->losses.front().what.find("gap"), std::string::npos);
  EXPECT_EQ(pathname(*gap), "a");
  ContentType many = parse_content_type("x/attachment; filename*64=x");
  EXPECT_FALSE(params::parameter_utf8(many, "filename").problem.empty());
  ContentType leading_zero = parse_content_type("x/attachment; filename*0=a; filename*01=b");
  EXPECT_FALSE(params::parameter_utf8(leading_zero, "filename").problem.empty());
  ContentType big = parse_content_type("x/attachment; filename=" + std::string(params::max_value + 1, 'a'));
  auto v = params::parameter_utf8(big, "filename");
  EXPECT_FALSE(v.problem.empty());
  EXPECT_EQ(v.utf8.size(), params::max_value);
  ContentType broken = parse_content_type("x/attachment; filename*=utf-8''%E");
  EXPECT_FALSE(params::parameter_utf8(broken, "filename").problem.empty());
  // RFC 2047 in quotes (§2.3.1 (1), as other gateways write it) is read.
  ContentType q = parse_content_type("x/attachment; filename=\"=?iso-8859-1?q?caf=E9.txt?=\"");
  EXPECT_EQ(params::parameter_utf8(q, "filename").utf8, "caf\xC3\xA9.txt");
}

TEST(FtbpParams, rfc2231_long_names_are_written_in_sections) {
  std::string utf8;
  for (int i = 0; i < 30; ++i) utf8 += "\xC3\xA9";
  const std::string w = params::write_parameter("filename", utf8);
  EXPECT_TRUE(w.starts_with("filename*0*=utf-8''%C3%A9"));
  EXPECT_NE(w.find("; filename*1*=%C3"), std::string::npos);
  ContentType back = parse_content_type("x/attachment; " + w);
  EXPECT_EQ(params::parameter_utf8(back, "filename").utf8, utf8);
}

TEST(FtbpParams, rfc2157_2_3_1_a_name_no_8859_part_writes_keeps_its_field_in_the_extension) {
  const std::string cd = "attachment; filename*=utf-8''%E6%97%A5%E6%9C%AC.txt";  // 日本.txt
  auto x = to_x400(octets({{"Content-Disposition", cd}}), ftbp_options());
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->losses.empty());
  EXPECT_EQ(pathname(*x), "??.txt");  // §2.3.1 (2) in the pathname
  const auto& ext = *ftbp(*x).parameters.extensions;
  EXPECT_EQ(ext.at(0).value_as<ipms::Rfc822FieldList>()->fields.at(0), "Content-Disposition: " + cd);
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Disposition"), cd);  // the carried field replaces the generated one
}

TEST(FtbpParams, rfc2157_2_3_2_dates_are_generalized_time_both_ways) {
  auto x = to_x400(octets({{"Content-Disposition",
                            "attachment; filename=a.txt; creation-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"; "
                            "modification-date=\"Thu, 13 Feb 1997 10:00:00 +0000\"; read-date=\"13 Feb 1997 11:00 -0000\""}}),
                   ftbp_options());
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->losses.empty());
  const auto& a = *ftbp(*x).parameters.file_attributes;
  EXPECT_EQ(std::get<std::string>(*a.date_and_time[0]), "19970212162951-0500");
  EXPECT_EQ(std::get<std::string>(*a.date_and_time[1]), "19970213100000Z");
  EXPECT_EQ(std::get<std::string>(*a.date_and_time[2]), "199702131100Z");  // -0000: UTC, zone unknown
  EXPECT_FALSE(a.date_and_time[3].has_value());
  EXPECT_FALSE(ftbp(*x).parameters.extensions.has_value());
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Disposition"),
            "attachment; filename=a.txt; creation-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"; "
            "modification-date=\"Thu, 13 Feb 1997 10:00:00 +0000\"; read-date=\"Thu, 13 Feb 1997 11:00 +0000\"; size=4");
  // A date that does not parse keeps the whole field in the extension.
  auto bad = to_x400(octets({{"Content-Disposition", "attachment; creation-date=\"yesterday\""}}), ftbp_options());
  ASSERT_TRUE(bad);
  EXPECT_FALSE(ftbp(*bad).parameters.file_attributes->date_and_time[0].has_value());
  auto mb = to_mime(bad->body, {});
  ASSERT_TRUE(mb);
  EXPECT_EQ(field(mb->entity, "Content-Disposition"), "attachment; creation-date=\"yesterday\"");
}

TEST(FtbpParams, rfc2157_2_3_2_size_no_value_available_is_not_generated) {
  auto x = to_x400(octets({}), ftbp_options());
  ASSERT_TRUE(x);
  auto body = x->body;
  auto& f = *body.at(0).as<ipms::FileTransferBodyPart>();
  f.parameters.file_attributes->object_size = ipms::FtamObjectSize{ipms::NoValueAvailable{}};
  auto m = to_mime(body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "attachment");
}

TEST(FtbpParams, rfc2157_2_3_2_description_and_content_id_and_other_fields_both_ways) {
  auto x = to_x400(octets({{"Content-Description", "=?utf-8?q?Caf=C3=A9_menu?="},
                           {"Content-ID", "<part1.x@example.org>"},
                           {"Content-Language", "fr"}}),
                   ftbp_options());
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->losses.empty());
  const auto& p = ftbp(*x).parameters;
  EXPECT_EQ(p.environment->user_visible_string.at(0), "\x1B\x2D\x41\x1B\x7E" "Caf\xE9 menu");
  const auto& r = p.related_stored_file->at(0);
  EXPECT_EQ(std::get<std::string>(*r.relationship), "Internet MIME Body Part");
  const auto& cr = std::get<ipms::CrossReference>(r.file_identifier);
  EXPECT_TRUE(cr.application_cross_reference.empty());
  EXPECT_EQ(cr.message_reference->user_relative_identifier, "part1.x(a)example.org");
  EXPECT_EQ(p.extensions->at(0).value_as<ipms::Rfc822FieldList>()->fields,
            (std::vector<std::string>{"Content-Language: fr"}));
  // Through BER and back.
  auto enc = ipms::encode(x->body.at(0));
  ASSERT_TRUE(enc);
  auto dec = ipms::decode<ipms::BodyPart>(*enc);
  ASSERT_TRUE(dec);
  auto m = to_mime({*dec}, {});
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->losses.empty());
  EXPECT_EQ(field(m->entity, "Content-ID"), "<part1.x@example.org>");
  EXPECT_EQ(field(m->entity, "Content-Language"), "fr");
  EXPECT_NE(field(m->entity, "Content-Description").find("=?"), std::string::npos);  // RFC 2047 (§2.3.1 (1))
  // Another relationship is not a Content-ID (§2.3.2: only "Internet MIME Body Part").
  auto body = std::vector<ipms::BodyPart>{*dec};
  std::get<std::string>(*body[0].as<ipms::FileTransferBodyPart>()->parameters.related_stored_file->at(0).relationship) =
      "other";
  auto o = to_mime(body, {});
  ASSERT_TRUE(o);
  EXPECT_EQ(field(o->entity, "Content-ID"), "");
  EXPECT_FALSE(o->losses.empty());
}

TEST(FtbpParams, rfc2157_2_3_1_graphic_strings_in_sets_not_read_keep_their_ascii) {
  EXPECT_FALSE(params::graphic_to_utf8("\x1B\x24\x42\x30\x21").has_value());  // JIS X 0208
  EXPECT_EQ(params::graphic_ascii("ab\x1B\x2D\x41\xE9" "c"), "ab?c");
  EXPECT_EQ(params::graphic_ascii("\x1B\x24\x42\x46\x7C\x4B\x5C\x1B\x28\x42.txt"), "??.txt");  // 日本 in JIS X 0208
  EXPECT_EQ(params::graphic_to_utf8("\x1B\x2D\x41\x1B\x7E\xE9").value_or(""), "\xC3\xA9");
  EXPECT_FALSE(params::utf8_to_graphic("a\x01").has_value());
  EXPECT_EQ(params::generalized_time_of("not a date"), std::nullopt);
  EXPECT_EQ(params::date_time_of("19970212162951.5Z").value_or(""), "Wed, 12 Feb 1997 16:29:51 +0000");
}

}  // namespace

namespace {

ToX400Options encapsulating() {
  ToX400Options o;
  o.unknown_mime = UnknownMime::ftbp;
  return o;
}

TEST(FtbpEncapsulation, rfc2157_3_1_1_a_type_with_no_equivalence_is_the_mime_ftbp_and_comes_back) {
  const std::string png("\x89PNG\r\n\x1A\n\x00\x01", 10);
  MimeInput in{{{"MIME-Version", "1.0"},
                {"Content-Type", "image/png; name=\"a b.png\""},
                {"Content-Transfer-Encoding", "base64"},
                {"Content-Disposition", "inline; filename=\"a b.png\""},
                {"Content-ID", "<img1@example.org>"},
                {"X-Extra", "kept"}},
               ""};
  const std::string b64 = base64_lines(png);
  in.body = b64;
  auto x = to_x400(in, encapsulating());
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->losses.empty());
  const auto& f = *x->body.at(0).as<ipms::FileTransferBodyPart>();
  EXPECT_EQ(std::get<mixer::p1::ber::Oid>(*f.parameters.environment->application_reference).to_string(),
            "1.3.6.1.7.1.2.1.5");  // id-mime-ftbp-data
  EXPECT_EQ(f.parameters.extensions->at(0).value_as<ipms::Rfc822FieldList>()->fields,
            (std::vector<std::string>{"Content-Type: image/png; name=\"a b.png\"",
                                      "Content-Disposition: inline; filename=\"a b.png\"", "X-Extra: kept"}));
  const auto& data = std::get<ipms::OctetAligned>(f.data.at(0).encoding).octets;
  EXPECT_EQ(std::string(data.begin(), data.end()), png);  // the canonical octets (§3.1.1)
  auto enc = ipms::encode(x->body.at(0));
  ASSERT_TRUE(enc);
  auto dec = ipms::decode<ipms::BodyPart>(*enc);
  ASSERT_TRUE(dec);
  auto m = to_mime({*dec}, {});
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->losses.empty());
  EXPECT_EQ(field(m->entity, "Content-Type"), "image/png; name=\"a b.png\"");
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "inline; filename=\"a b.png\"");
  EXPECT_EQ(field(m->entity, "Content-ID"), "<img1@example.org>");
  EXPECT_EQ(field(m->entity, "X-Extra"), "kept");
  EXPECT_EQ(field(m->entity, "Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, png);
}

TEST(FtbpEncapsulation, rfc2157_3_1_1_text_gets_a_transfer_encoding_anew_and_no_disposition_for_its_size) {
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "text/html; charset=utf-8"},
                {"Content-Transfer-Encoding", "base64"}},
               "PHA+Y2Fmw6k8L3A+DQo="};  // <p>café</p>CRLF
  auto x = to_x400(in, encapsulating());
  ASSERT_TRUE(x);
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(field(m->entity, "Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "");
  EXPECT_EQ(decode_quoted_printable(m->entity.octets()).octets, "<p>caf\xC3\xA9</p>\r\n");
}

TEST(FtbpEncapsulation, rfc2157_3_1_1_not_for_multiparts_unknown_encodings_1984_or_the_default_option) {
  auto bp15 = to_x400(MimeInput{{{"MIME-Version", "1.0"}, {"Content-Type", "image/png"}}, "x"}, {});
  ASSERT_TRUE(bp15);
  EXPECT_TRUE(bp15->body.at(0).as<ipms::MimeBodyPart>());
  auto unknown_cte = to_x400(MimeInput{{{"MIME-Version", "1.0"}, {"Content-Type", "image/png"},
                                        {"Content-Transfer-Encoding", "x-uuencode"}}, "x"},
                             encapsulating());
  ASSERT_TRUE(unknown_cte);
  EXPECT_TRUE(unknown_cte->body.at(0).as<ipms::MimeBodyPart>());
  auto signed_ = to_x400(MimeInput{{{"MIME-Version", "1.0"},
                                    {"Content-Type", "multipart/signed; boundary=b; protocol=\"application/pkcs7-signature\""}},
                                   "--b\r\n\r\nx\r\n--b\r\nContent-Type: application/pkcs7-signature\r\n\r\ny\r\n--b--\r\n"},
                         encapsulating());
  ASSERT_TRUE(signed_);
  EXPECT_FALSE(signed_->body.at(0).as<ipms::FileTransferBodyPart>());
  auto o = encapsulating();
  o.extended_allowed = false;  // 1984: HARPOON
  auto h = to_x400(MimeInput{{{"MIME-Version", "1.0"}, {"Content-Type", "text/html"}}, "<p>x</p>\r\n"}, o);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->body.at(0).as<ipms::Ia5TextBodyPart>());
}

TEST(FtbpEncapsulation, rfc2157_3_1_1_without_a_content_type_is_octet_stream_with_a_loss) {
  auto x = to_x400(MimeInput{{{"MIME-Version", "1.0"}, {"Content-Type", "image/png"}}, "x"}, encapsulating());
  ASSERT_TRUE(x);
  auto body = x->body;
  body[0].as<ipms::FileTransferBodyPart>()->parameters.extensions.reset();
  auto m = to_mime(body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/octet-stream");
  EXPECT_FALSE(m->losses.empty());
}

}  // namespace

namespace {

// §6.5 through the seam, with callbacks standing in for the mapping engine.
TEST(Forwarded, rfc2157_6_5_message_rfc822_goes_through_the_callback_one_level_deeper) {
  std::size_t seen_depth = 99, seen_left = 0;
  std::string seen;
  ToX400Options o;
  o.limits.max_parts = 10;
  o.forwarded_to_x400 = [&](std::string_view m, std::size_t depth, std::size_t left, const std::vector<WantedX400Conversion>&)
      -> mixer::base::Expected<ForwardedX400> {
    seen = std::string(m);
    seen_depth = depth;
    seen_left = left;
    ForwardedX400 f;
    ipms::MessageBodyPart mb;
    mb.ipm = ipms::Ipm{};
    f.part.type = std::move(mb);
    f.parts = 3;
    return f;
  };
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "multipart/mixed; boundary=b"}},
               "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: x\r\n\r\nbody\r\n--b--\r\n"};
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->body.at(0).as<ipms::MessageBodyPart>());
  EXPECT_EQ(seen, "Subject: x\r\n\r\nbody");
  EXPECT_EQ(seen_depth, 2u);  // the multipart is level 1, its message level 2
  EXPECT_EQ(seen_left, 8u);   // two parts used: the multipart and the message/rfc822 part
  EXPECT_EQ(x->parts, 5u);
  // A refusal for a limit holds; any other is the MIME body part with a loss.
  o.forwarded_to_x400 = [](std::string_view, std::size_t, std::size_t, const std::vector<WantedX400Conversion>&) -> mixer::base::Expected<ForwardedX400> {
    return mixer::base::make_refusal(552, "5.3.4", 2, 7, "RFC 2157", "too deep");
  };
  auto r = to_x400(in, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().enhanced_status, "5.3.4");
  o.forwarded_to_x400 = [](std::string_view, std::size_t, std::size_t, const std::vector<WantedX400Conversion>&) -> mixer::base::Expected<ForwardedX400> {
    return mixer::base::make_refusal(554, "5.6.0", 1, 12, "RFC 2157", "does not parse");
  };
  auto bp15 = to_x400(in, o);
  ASSERT_TRUE(bp15);
  EXPECT_TRUE(bp15->body.at(0).as<ipms::MimeBodyPart>());
  EXPECT_FALSE(bp15->losses.empty());
  // The nesting limit is checked before the callback is called.
  o.max_nesting = 2;
  o.forwarded_to_x400 = [](std::string_view, std::size_t, std::size_t, const std::vector<WantedX400Conversion>&) -> mixer::base::Expected<ForwardedX400> {
    ADD_FAILURE() << "called past the nesting limit";
    return ForwardedX400{};
  };
  auto deep = to_x400(in, o);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().enhanced_status, "5.3.4");
}

TEST(Forwarded, rfc2157_6_5_forwarded_ipm_to_message_rfc822_and_x400_bp_without_a_callback) {
  ipms::MessageBodyPart mb;
  mb.ipm = ipms::Ipm{};
  ipms::BodyPart p;
  p.type = mb;
  auto plain = to_mime({p}, {});
  ASSERT_TRUE(plain);
  EXPECT_TRUE(field(plain->entity, "Content-Type").starts_with("application/x400-bp"));
  ToMimeOptions o;
  o.forwarded_to_mime = [](const ipms::MessageBodyPart&, std::size_t depth, std::size_t)
      -> mixer::base::Expected<ForwardedMime> {
    return ForwardedMime{"Subject: depth " + std::to_string(depth) + "\r\n\r\nx\r\n", {}, 1, {}};
  };
  auto m = to_mime({p}, o);
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "message/rfc822");
  EXPECT_EQ(m->entity.octets(), "Subject: depth 1\r\n\r\nx\r\n");
  // 8-bit octets cannot be message/rfc822 in 7bit: x400-bp with a loss.
  o.forwarded_to_mime = [](const ipms::MessageBodyPart&, std::size_t, std::size_t)
      -> mixer::base::Expected<ForwardedMime> { return ForwardedMime{"Subject: \xE9\r\n\r\n", {}, 1, {}}; };
  auto eight = to_mime({p}, o);
  ASSERT_TRUE(eight);
  EXPECT_TRUE(field(eight->entity, "Content-Type").starts_with("application/x400-bp"));
  EXPECT_FALSE(eight->losses.empty());
}

}  // namespace

namespace {

TEST(Section7, rfc2157_7_1_external_body_is_harpoon_generated_by_gateway_and_comes_back) {
  MimeInput in{{{"MIME-Version", "1.0"},
                {"Content-Type", "message/external-body; access-type=URL; URL=\"http://example.org/a\""}},
               "Content-Type: text/plain\r\n\r\n"};
  auto x = to_x400(in, {});
  ASSERT_TRUE(x);
  const auto* t = x->body.at(0).as<ipms::Ia5TextBodyPart>();
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->text.starts_with("MIME-Version: 1.0 (generated by gateway)\r\nContent-Type: message/external-body;"));
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "message/external-body; access-type=URL; URL=\"http://example.org/a\"");
  EXPECT_EQ(m->entity.octets(), "Content-Type: text/plain\r\n\r\n");
}

TEST(Section7, rfc2157_7_2_message_partial_is_encapsulated_never_ftbp) {
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "message/partial; id=\"a@b\"; number=1; total=2"}},
               "Subject: x\r\n\r\nhalf\r\n"};
  ToX400Options o;
  o.unknown_mime = UnknownMime::ftbp;
  auto x = to_x400(in, o);
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->body.at(0).as<ipms::MimeBodyPart>());
}

}  // namespace
