// tests/unit/p1/mta_bind_test.cpp: MTA-bind values of the four captures
// (P1-PRIMER §7.1; tshark's p1 decode names the same fields), byte-exact
// re-encoding, both password forms, X.410 mode, hostile values.
#include <gtest/gtest.h>

#include <algorithm>

#include "p1/mta/bind.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace {

using namespace mixer::p1::mta;
using mixer::p1::test::bytes_of;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

const mixer::p1::ber::Limits limits{};

Bytes slice(const std::string& file, const char* prefix) {
  Bytes f = vector_file(file), p = unhex(prefix);
  auto it = std::search(f.begin(), f.end(), p.begin(), p.end());
  if (it == f.end()) throw std::runtime_error("prefix not found");
  std::size_t len = static_cast<std::size_t>(it[1]) + 2;
  return Bytes(it, it + static_cast<std::ptrdiff_t>(len));
}

BindApdu ok(Result<BindApdu> r) {
  if (!r) throw std::runtime_error(r.error().what);
  return std::move(*r);
}

TEST(X411Bind, s12_1_isode_argument_and_result_ia5_passwords) {
  Bytes arg = slice("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex", "b024a122");
  auto a = ok(decode_bind(arg, limits, true));
  EXPECT_EQ(a.kind, BindApdu::Kind::argument);
  EXPECT_TRUE(a.value.authenticated);
  EXPECT_EQ(a.value.name, "percival.smhs.co.uk");
  EXPECT_EQ(a.value.credentials.kind, Credentials::Kind::simple);
  EXPECT_EQ(a.value.credentials.password, simple_password("excalibur"));
  EXPECT_FALSE(a.value.security_context);
  EXPECT_EQ(encode_bind_argument(a.value, true), arg);
  Bytes res = slice("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex", "b122a120");
  auto r = ok(decode_bind(res, limits, true));
  EXPECT_EQ(r.kind, BindApdu::Kind::result);
  EXPECT_EQ(r.value.name, "guinevere.smhs.co.uk");
  EXPECT_EQ(r.value.credentials.password, simple_password("merlin"));
  EXPECT_EQ(encode_bind_result(r.value, true), res);
  Bytes refused = slice("ping-refuse/06-I-cn-cp-aarq-rtorq-bind.hex", "b01ca11a");
  EXPECT_EQ(ok(decode_bind(refused, limits, true)).value.credentials.password, simple_password(" "));
}

TEST(X411Bind, s12_1_bind_error_authentication_error) {
  Bytes err = slice("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex", "b2030201");
  auto e = ok(decode_bind(err, limits, true));
  EXPECT_EQ(e.kind, BindApdu::Kind::error);
  EXPECT_EQ(e.error, static_cast<std::int64_t>(BindError::authentication_error));
  EXPECT_EQ(encode_bind_error(BindError::authentication_error, true), err);
  EXPECT_EQ(encode_bind_error(BindError::busy, true), unhex("b203020100"));
  EXPECT_STREQ(to_string(BindError::unacceptable_dialogue_mode), "unacceptable-dialogue-mode");
}

// PP refuses a 1988 normal-mode bind with the MTABindError as a bare INTEGER in the RTORJ
// user data (a1 03 02 01 02) instead of ROS's bind-error [18] (a1 05 b2 03 02 01 02).
TEST(X411Bind, s12_1_bind_error_as_pp_sends_it_bare) {
  auto e = ok(decode_bind(unhex("020102"), limits, true));
  EXPECT_EQ(e.kind, BindApdu::Kind::error);
  EXPECT_EQ(e.error, static_cast<std::int64_t>(BindError::authentication_error));
  EXPECT_FALSE(decode_bind(unhex("0201020500"), limits, true));  // nothing may follow it
  EXPECT_FALSE(decode_bind(unhex("0401020500"), limits, true));
}

TEST(X411Bind, pp_octet_string_password_and_x410_bare_value) {
  Bytes arg = slice("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex", "b012a110");
  auto a = ok(decode_bind(arg, limits, true));
  EXPECT_EQ(a.value.name, "ALPHA-MTA");
  EXPECT_EQ(a.value.credentials.password, simple_password(" ", true));
  EXPECT_EQ(encode_bind_argument(a.value, true), arg);
  Bytes bare = slice("pp-x410/08-I-cn-cp-x410-rtorq-bind.hex", "a1108009");
  auto v = decode_bind_value(bare, limits);
  ASSERT_TRUE(v) << v.error().what;
  EXPECT_EQ(v->name, "ALPHA-MTA");
  EXPECT_EQ(encode_bind_argument(*v, false), bare);
  Bytes res = slice("pp-x410/09-R-ac-cpa-x410-rtoac-bindres.hex", "a10f8008");
  auto rv = decode_bind_value(res, limits);
  ASSERT_TRUE(rv);
  EXPECT_EQ(rv->name, "BETA-MTA");
  EXPECT_EQ(encode_bind_result(*rv, false), res);
}

TEST(X411Bind, unauthenticated_and_hostile) {
  BindArgument u;
  u.authenticated = false;
  EXPECT_EQ(encode_bind_argument(u, true), unhex("b0020500"));
  EXPECT_FALSE(ok(decode_bind(unhex("b0020500"), limits, true)).value.authenticated);
  auto code = [](const char* h) {
    auto r = decode_bind(unhex(h), limits, true);
    return r ? Errc{} : r.code();
  };
  EXPECT_EQ(code("b306020101"), Errc::malformed);                 // [19]
  EXPECT_EQ(code("b007a1058003414243"), Errc::malformed);         // no credentials
  EXPECT_EQ(code("b00aa108800141a1030401ff"), Errc{});             // one-letter name, octet password
  EXPECT_EQ(code("b00ba1098002c141a1030401ff"), Errc::malformed); // name not IA5
  EXPECT_EQ(code("b009a1078000a1030401ff"), Errc::bad_value);     // empty name
  EXPECT_EQ(code("b00ba1098001 41a1040201ff"), Errc::malformed);  // credentials neither IA5 nor OCTET STRING
}

}  // namespace
