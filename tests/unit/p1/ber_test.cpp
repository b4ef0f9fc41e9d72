// tests/unit/p1/ber_test.cpp: the BER layer (X.690) against the standard's
// own examples, the real bytes of the Isode and PP captures (values compared
// with the tshark decodes in ../shared/reference/captures), and hostile input.
#include <gtest/gtest.h>

#include <algorithm>

#include "p1/ber/external.hpp"
#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace {

using namespace mixer::p1::ber;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

std::size_t find(const Bytes& hay, const Bytes& needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
  if (it == hay.end()) throw std::runtime_error("pattern not found");
  return static_cast<std::size_t>(it - hay.begin());
}

ByteView from(const Bytes& b, std::size_t at) { return ByteView(b).subspan(at); }

// Reads every element, entering constructed ones; returns the number of primitives.
std::size_t walk(Reader& r) {
  std::size_t n = 0;
  while (!r.at_end()) {
    auto h = r.peek();
    if (!h) break;
    if (h->constructed) {
      Reader c = r.enter(h->tag);
      n += walk(c);
    } else {
      (void)r.primitive(h->tag);
      ++n;
    }
  }
  return n;
}

// --- X.690's own examples ---------------------------------------------------

TEST(X680, s47_utc_time_syntax) {
  for (const char* ok : {"2611231040Z", "261123104015Z", "261123104015+0100", "2611231040-0530", "000229000000Z"})
    EXPECT_EQ(time_syntax_error(ok, false), nullptr) << ok;
  const std::pair<const char*, const char*> bad[] = {
      {"261323104015Z", "month outside 01..12"}, {"261131104015Z", "day outside its month"},
      {"010229000000Z", "day outside its month"}, {"261123244015Z", "hour outside 00..23"},
      {"261123106015Z", "minutes outside 00..59"}, {"261123104060Z", "seconds outside 00..59"},
      {"261123104015", "no time zone (Z or an offset)"}, {"2611231040", "no time zone (Z or an offset)"},
      {"26112310Z", "no minutes"}, {"261123104015ZZ", "characters after Z"}, {"261123104015+01", "offset not +-hhmm"},
      {"2611a31040Z", "not digits where the date and hour are"}, {"261123104015+2500", "offset hours outside 00..23"}};
  for (const auto& [v, why] : bad) {
    const char* e = time_syntax_error(v, false);
    ASSERT_NE(e, nullptr) << v;
    EXPECT_STREQ(e, why) << v;
  }
}

TEST(X680, s46_generalized_time_syntax) {
  for (const char* ok : {"20261123104015Z", "20261123104015.123Z", "2026112310Z", "202611231040+01", "20000229000000Z",
                         "20261123104015,5-0130"})
    EXPECT_EQ(time_syntax_error(ok, true), nullptr) << ok;
  EXPECT_STREQ(time_syntax_error("19000229000000Z", true), "day outside its month");  // not a leap year
  EXPECT_STREQ(time_syntax_error("20261123104015", true), "no time zone (Z or an offset)");
  EXPECT_STREQ(time_syntax_error("20261123104015.Z", true), "a decimal sign without digits");
  EXPECT_STREQ(time_syntax_error("20261323104015Z", true), "month outside 01..12");
}

TEST(X690, s8_6_4_2_bit_string_primitive_and_constructed) {
  Bytes prim = unhex("0307040A3B5F291CD0");
  Bytes cons = unhex("23800303000A3B0305045F291CD00000");
  BitString a, b;
  ASSERT_FALSE(decode(prim, Limits{}, [&](Reader& r) { a = r.bit_string(); r.end(); }));
  ASSERT_FALSE(decode(cons, Limits{}, [&](Reader& r) { b = r.bit_string(); r.end(); }));
  EXPECT_EQ(a.bytes, unhex("0A3B5F291CD0"));
  EXPECT_EQ(a.unused_bits, 4);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 44u);
  Writer w;
  w.bit_string(a);
  EXPECT_EQ(w.bytes(), prim);
}

TEST(X690, s8_19_5_oid_2_100_3) {
  Bytes enc = unhex("0603813403");
  Oid o;
  ASSERT_FALSE(decode(enc, Limits{}, [&](Reader& r) { o = r.oid(); }));
  EXPECT_EQ(o, (Oid{2, 100, 3}));
  Writer w;
  w.oid(o);
  EXPECT_EQ(w.bytes(), enc);
}

TEST(X690, s8_3_integer_minimal_two_complement) {
  struct Case { std::int64_t v; const char* hex; } cases[] = {
      {0, "020100"}, {127, "02017f"}, {128, "02020080"}, {256, "02020100"}, {-128, "020180"},
      {-129, "0202ff7f"}, {63, "02013f"}, {INT64_MIN, "02088000000000000000"}};
  for (auto c : cases) {
    Writer w;
    w.integer(c.v);
    EXPECT_EQ(w.bytes(), unhex(c.hex)) << c.v;
    std::int64_t back = 0;
    ASSERT_FALSE(decode(w.bytes(), Limits{}, [&](Reader& r) { back = r.integer(); }));
    EXPECT_EQ(back, c.v);
  }
}

TEST(X690, s8_1_2_4_high_tag_numbers) {
  Writer w;
  w.integer(5, context(30));
  w.integer(6, context(31));
  w.integer(7, application(300));
  EXPECT_EQ(w.bytes(), unhex("9e0105 9f1f0106 5f822c0107"));
  ASSERT_FALSE(decode(w.bytes(), Limits{}, [&](Reader& r) {
    EXPECT_EQ(r.integer(context(30)), 5);
    EXPECT_EQ(r.integer(context(31)), 6);
    EXPECT_EQ(r.integer(application(300)), 7);
    r.end();
  }));
}

TEST(X690, s8_1_3_long_form_length_as_in_pp_rttr) {
  // pp-1988 frame 13: the RTTR OCTET STRING header is 04 82 02 99 (665 octets).
  Bytes body(665, 0x5a);
  Writer w;
  w.octets(body);
  EXPECT_EQ(Bytes(w.bytes().begin(), w.bytes().begin() + 4), unhex("04820299"));
  Writer c;
  c.sequence([&] { c.octets(body); });
  EXPECT_EQ(Bytes(c.bytes().begin(), c.bytes().begin() + 8), unhex("3082029d04820299"));
}

// X.690 8.1.3.5 and 10.1 (minimal definite lengths) when long contents make the writer
// reserve its enclosing lengths before writing them: the same octets as a plain
// bottom-up encoding, whether the reservation fits, is skipped (a long prefix) or is
// too small (a later, longer element).
Bytes tlv(std::uint8_t id, const Bytes& contents) {
  Bytes out{id};
  const std::size_t n = contents.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    int k = 0;
    for (std::size_t v = n; v; v >>= 8) ++k;
    out.push_back(static_cast<std::uint8_t>(0x80 | k));
    for (int i = k - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(n >> (i * 8)));
  }
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(X690, s10_1_minimal_lengths_around_long_contents) {
  struct Case {
    std::size_t prefix, first, second;
  };
  // reservation fits; skipped for a prefix longer than the contents; too small for the
  // second element (2 -> 3 length octets); three length octets from the start.
  for (const Case c : {Case{10, 1024, 300}, Case{3000, 1100, 5}, Case{10, 1024, 70000}, Case{100, 70000, 70000},
                       Case{0, 1023, 1}, Case{200, 65400, 200}}) {
    const Bytes prefix(c.prefix, 0x11), first(c.first, 0x22), second(c.second, 0x33), small(3, 0x44);
    Writer w;
    Bytes set_head;
    w.sequence([&] {
      w.octets(prefix);
      w.set([&] {
        w.octets(small, context(0));
        w.sequence([&] {
          w.octets(first);
          w.explicit_(context(1), [&] { w.octets(second); });
        });
        // contents_start(): where the SET's contents begin in the octets as they are now
        // (a SET's sort rewrites from there).
        const std::size_t at = w.contents_start();
        set_head.assign(w.bytes().begin() + static_cast<std::ptrdiff_t>(at),
                        w.bytes().begin() + static_cast<std::ptrdiff_t>(at + 5));
      });
      w.integer(5);
    });
    const Bytes inner = tlv(0x30, cat({tlv(0x04, first), tlv(0xa1, tlv(0x04, second))}));
    const Bytes set_contents = cat({tlv(0x80, small), inner});
    const Bytes expected = tlv(0x30, cat({tlv(0x04, prefix), tlv(0x31, set_contents), unhex("020105")}));
    ASSERT_EQ(w.bytes(), expected) << c.prefix << " " << c.first << " " << c.second;
    EXPECT_EQ(set_head, tlv(0x80, small)) << c.prefix << " " << c.first << " " << c.second;
  }
}

// --- real bytes -------------------------------------------------------------

// Isode's CP-type (x400-ping-success frame 6) uses indefinite lengths for the
// SET and normal-mode-parameters; tshark shows contexts 1, 3, 5.
TEST(X690, s8_1_3_6_isode_cp_type_indefinite_lengths) {
  Bytes f = vector_file("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex");
  std::size_t at = find(f, unhex("3180a003800101a280"));
  std::vector<std::int64_t> ids;
  std::vector<std::string> syntaxes;
  auto err = decode(from(f, at), Limits{}, [&](Reader& r) {
    Reader cp = r.set();
    Reader mode = cp.enter(context(0));
    EXPECT_EQ(mode.integer(context(0)), 1);  // normal-mode
    mode.end();
    Reader normal = cp.enter(context(2));
    Reader list = normal.enter(context(4));
    while (!list.at_end()) {
      Reader item = list.sequence();
      ids.push_back(item.integer());
      syntaxes.push_back(item.oid().to_string());
      Reader ts = item.sequence();
      EXPECT_EQ(ts.oid(), (Oid{2, 1, 1}));
      ts.end();
      item.end();
    }
    ByteView user = normal.any(application(1));
    EXPECT_EQ(user.size(), 0x52u);
    normal.end();
    cp.end();
    r.end();
  });
  ASSERT_FALSE(err) << err->what;
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 3, 5}));
  EXPECT_EQ(syntaxes, (std::vector<std::string>{"2.2.1.0.1", "2.6.0.2.12", "2.6.0.2.7"}));
}

// PP's RTTR (pp-1988 frame 13): OCTET STRING holding an indefinite EXTERNAL
// (indirect-reference 5) holding the MTS-APDU, whose content is a constructed
// OCTET STRING of one 192-octet segment (tshark: "content: a080...", 192 bytes).
TEST(X690, s8_7_3_pp_message_constructed_content) {
  Bytes f = vector_file("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex");
  std::size_t at = find(f, unhex("04820299"));
  External ext;
  ByteView rttr;
  auto err = decode(from(f, at), Limits{}, [&](Reader& r) {
    rttr = r.octets_view();
    r.skip_rest();  // the presentation EOCs follow
  });
  ASSERT_FALSE(err) << err->what;
  ASSERT_EQ(rttr.size(), 665u);
  Bytes content;
  std::string local_id;
  std::int64_t content_type = 0;
  err = decode(rttr, Limits{}, [&](Reader& r) {
    ext = read_external(r);
    r.end();
  });
  ASSERT_FALSE(err) << err->what;
  EXPECT_FALSE(ext.direct_reference);
  EXPECT_EQ(ext.indirect_reference, 5);
  err = decode(ext.value, Limits{}, [&](Reader& r) {
    Reader message = r.enter(context(0));
    Reader envelope = message.set();
    Reader mid = envelope.enter(application(4));
    mid.skip();  // global-domain-identifier
    local_id = mid.string(univ::ia5_string, Charset::ia5);
    mid.end();
    envelope.skip();  // originator-name
    envelope.skip();  // original-encoded-information-types
    content_type = envelope.integer(application(6));
    envelope.skip_rest();
    content = message.octets();
    message.end();
    r.end();
  });
  ASSERT_FALSE(err) << err->what;
  EXPECT_EQ(local_id, "alpha.test.357:23.10.26.10.40.15");
  EXPECT_EQ(content_type, 22);
  ASSERT_EQ(content.size(), 192u);
  EXPECT_EQ(Bytes(content.begin(), content.begin() + 4), unhex("a0803180"));
}

// Every BER value in every capture decodes (the session and TPKT framing is
// skipped by starting at the presentation data, located by its first octets).
TEST(X690, every_capture_pdu_walks) {
  struct Case { const char* file; const char* start; std::size_t primitives; } cases[] = {
      {"ping-success/06-I-cn-cp-aarq-rtorq-bind.hex", "3180a003", 18},
      {"ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex", "317da003", 16},
      {"ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex", "3052a51b", 13},
      {"pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex", "317ca003", 18},
      {"pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", "61803080", 2},
      {"pp-x410/08-I-cn-cp-x410-rtorq-bind.hex", "3127a003", 6},
      {"pp-x410/12-I-gt-dt-message+gt-ae.hex", "a0803180", 46},
  };
  for (auto& c : cases) {
    Bytes f = vector_file(c.file);
    std::size_t at = find(f, unhex(c.start));
    std::size_t n = 0;
    // Frames with a second TPKT after the value: walk the first element only.
    auto err = decode(from(f, at), Limits{}, [&](Reader& r) {
      ByteView one = r.any();
      r.skip_rest();
      auto inner = decode(one, Limits{}, [&](Reader& q) { n = walk(q); q.end(); });
      if (inner) r.fail(inner->code, inner->what);
    });
    EXPECT_FALSE(err) << c.file << ": " << (err ? err->what : "");
    EXPECT_EQ(n, c.primitives) << c.file;
  }
}

TEST(X690, writer_reproduces_isode_rtorq) {
  // x400-ping-success frame 6: RTORQ [16] { checkpointSize 63, dialogueMode 0, open [3][0] bind-arg }.
  Bytes f = vector_file("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex");
  std::size_t at = find(f, unhex("b03080013f"));
  Bytes expected(f.begin() + static_cast<std::ptrdiff_t>(at), f.begin() + static_cast<std::ptrdiff_t>(at + 0x32));
  Bytes bind_arg(expected.begin() + 12, expected.end());
  Writer w;
  w.constructed(context(16), [&] {
    w.integer(63, context(0));
    w.integer(0, context(2));
    w.explicit_(context(3), [&] { w.explicit_(context(0), [&] { w.raw(bind_arg); }); });
  });
  EXPECT_EQ(w.bytes(), expected);
}

TEST(X690, external_round_trip_direct_and_indirect) {
  // ACSE user-information of every capture: 28 LL 06 02 51 01 02 01 03 a0 LL <RTSE APDU>.
  Bytes f = vector_file("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex");
  std::size_t at = find(f, unhex("2812060251"));
  External e;
  auto err = decode(from(f, at), Limits{}, [&](Reader& r) { e = read_external(r); r.end(); });
  ASSERT_FALSE(err) << err->what;
  EXPECT_EQ(e.direct_reference, (Oid{2, 1, 1}));
  EXPECT_EQ(e.indirect_reference, 3);
  EXPECT_EQ(Bytes(e.value.begin(), e.value.end()), unhex("b207a105b203020102"));
  Writer w;
  write_external(w, e);
  EXPECT_EQ(w.bytes(), Bytes(f.begin() + static_cast<std::ptrdiff_t>(at), f.end()));
}

// --- hostile input ------------------------------------------------------------

Errc error_of(const Bytes& b, Limits lim = {}) {
  auto err = decode(b, lim, [&](Reader& r) { walk(r); r.end(); });
  return err ? err->code : Errc{};
}

TEST(X690, hostile_deep_nesting_is_refused) {
  Bytes b;
  for (int i = 0; i < 10000; ++i) b.insert(b.end(), {0x30, 0x80});
  for (int i = 0; i < 10000; ++i) b.insert(b.end(), {0x00, 0x00});
  EXPECT_EQ(error_of(b), Errc::too_deep);
  Bytes d;  // definite form, built inside out
  d = {0x05, 0x00};
  for (int i = 0; i < 100; ++i) {
    Writer w;
    w.sequence([&] { w.raw(d); });
    d = w.take();
  }
  EXPECT_EQ(error_of(d), Errc::too_deep);
  Limits deep;
  deep.max_depth = 200;
  EXPECT_EQ(error_of(d, deep), Errc{});
}

TEST(X690, hostile_element_count_is_bounded) {
  Bytes b;
  for (int i = 0; i < 1000; ++i) b.insert(b.end(), {0x05, 0x00});
  Limits lim;
  lim.max_elements = 100;
  EXPECT_EQ(error_of(b, lim), Errc::too_many_elements);
  EXPECT_EQ(error_of(b), Errc{});
}

TEST(X690, hostile_lengths) {
  EXPECT_EQ(error_of(unhex("0405aabb")), Errc::truncated);                  // length past the end
  EXPECT_EQ(error_of(unhex("04ff00")), Errc::bad_header);                   // reserved 0xFF
  EXPECT_EQ(error_of(unhex("04890000000000000000")), Errc::bad_header);     // 9 length octets
  EXPECT_EQ(error_of(unhex("0488ffffffffffffffff00")), Errc::truncated);    // 2^64-1
  EXPECT_EQ(error_of(unhex("048000")), Errc::bad_header);                   // indefinite primitive
  EXPECT_EQ(error_of(unhex("30800500")), Errc::truncated);                  // no EOC
  EXPECT_EQ(error_of(unhex("308005000001")), Errc::bad_header);             // EOC with length
  EXPECT_EQ(error_of(unhex("0000")), Errc::bad_header);                     // EOC at top
  EXPECT_EQ(error_of(unhex("3003308000")), Errc::truncated);                // EOC cut by container
  EXPECT_EQ(error_of(unhex("1f")), Errc::truncated);
  EXPECT_EQ(error_of(unhex("1f8001")), Errc::bad_header);                   // padded tag number
  EXPECT_EQ(error_of(unhex("1f9f8f8f8f0100")), Errc::bad_header);           // tag number > 32 bits
  Limits small;
  small.max_size = 3;
  EXPECT_EQ(error_of(unhex("04020102"), small), Errc::too_large);
}

TEST(X690, hostile_values) {
  auto int_err = [](const char* h) {
    auto e = decode(unhex(h), Limits{}, [&](Reader& r) { (void)r.integer(); r.end(); });
    return e ? e->code : Errc{};
  };
  EXPECT_EQ(int_err("0200"), Errc::bad_value);
  EXPECT_EQ(int_err("0209010000000000000000"), Errc::out_of_range);
  EXPECT_EQ(int_err("020900ffffffffffffffff"), Errc::out_of_range);
  EXPECT_EQ(int_err("0203000001"), Errc{});  // redundant zero tolerated
  EXPECT_EQ(int_err("2203020101"), Errc::wrong_form);
  auto oid_err = [](const char* h) {
    auto e = decode(unhex(h), Limits{}, [&](Reader& r) { (void)r.oid(); r.end(); });
    return e ? e->code : Errc{};
  };
  EXPECT_EQ(oid_err("0600"), Errc::bad_value);
  EXPECT_EQ(oid_err("06028001"), Errc::bad_value);
  EXPECT_EQ(oid_err("060181"), Errc::bad_value);
  EXPECT_EQ(oid_err("0606ffffffffff7f"), Errc::bad_value);
  auto bits_err = [](const char* h) {
    auto e = decode(unhex(h), Limits{}, [&](Reader& r) { (void)r.bit_string(); r.end(); });
    return e ? e->code : Errc{};
  };
  EXPECT_EQ(bits_err("0300"), Errc::bad_value);
  EXPECT_EQ(bits_err("030108"), Errc::bad_value);
  EXPECT_EQ(bits_err("030208ff"), Errc::bad_value);
  EXPECT_EQ(bits_err("2308030204f0030200ff"), Errc::bad_value);  // unused bits mid-string
  auto str_err = [](const char* h, Charset cs) {
    auto e = decode(unhex(h), Limits{}, [&](Reader& r) { (void)r.string(univ::printable_string, cs); r.end(); });
    return e ? e->code : Errc{};
  };
  EXPECT_EQ(str_err("1303474240", Charset::printable), Errc::bad_value);  // '@'
  EXPECT_EQ(str_err("13024742", Charset::printable), Errc{});
  EXPECT_EQ(str_err("33080402474204024742", Charset::printable), Errc{});  // constructed, OCTET STRING segments
  EXPECT_EQ(str_err("33081302474213024742", Charset::printable), Errc::unexpected_tag);  // X.690 8.23.5
}

TEST(X690, unexpected_tag_names_both_tags_and_offset) {
  Bytes b = unhex("3003020101");
  auto err = decode(b, Limits{}, [&](Reader& r) {
    Reader s = r.sequence();
    (void)s.integer(context(0));
  });
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, Errc::unexpected_tag);
  EXPECT_EQ(err->offset, 2u);
  EXPECT_NE(err->what.find("expected [0], found UNIVERSAL 2 (INTEGER)"), std::string::npos) << err->what;
}

TEST(X690, x680_27_set_components_any_order_no_duplicates) {
  // RTORQ from pp-x410 frame 8 has its components in order 0, 2, 3, 4; reorder them.
  Bytes set = unhex("310e 8401 0c 8001 3f 8201 00 a303 a00105");
  std::int64_t cp = -1, dm = -1, proto = -1;
  auto err = decode(set, Limits{}, [&](Reader& r) {
    Reader s = r.set();
    for_each_component(s, false, [&](Tag t) {
      if (t == context(0)) cp = s.integer(t);
      else if (t == context(2)) dm = s.integer(t);
      else if (t == context(4)) proto = s.integer(t);
      else if (t == context(3)) s.skip();
      else return false;
      return true;
    });
  });
  ASSERT_FALSE(err) << err->what;
  EXPECT_EQ(cp, 63);
  EXPECT_EQ(dm, 0);
  EXPECT_EQ(proto, 12);
  Bytes dup = unhex("3106 8001 3f 8001 01");
  err = decode(dup, Limits{}, [&](Reader& r) {
    Reader s = r.set();
    for_each_component(s, false, [&](Tag t) { (void)s.integer(t); return true; });
  });
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, Errc::duplicate);
}

}  // namespace
