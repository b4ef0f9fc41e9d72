// tests/unit/p1/mts_cli_test.cpp: `mixer decode` / `mixer encode`
// (gateway/cli/codec.cpp) on the captures' MTS-APDUs and on the JSON test
// vectors of tests/vectors/p1/mts: the readable tree shows the values
// tshark shows, JSON -> BER -> JSON is stable, and bad input is refused
// with the field path and exit status 1.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/cli/codec.hpp"
#include "p1/ipms/ipms.hpp"
#include "p1/mts/mts.hpp"
#include "p1/mts/strings.hpp"
#include "tests/unit/p1/mts/ipms_values.hpp"
#include "tests/unit/p1/mts/support.hpp"
#include "tests/unit/p1/mts/values.hpp"

namespace {

namespace mts = mixer::p1::mts;
namespace ipms = mixer::p1::ipms;
using mixer::cli::decode_command;
using mixer::cli::DecodeOptions;
using mixer::cli::encode_command;
using mixer::cli::EncodeOptions;
using Bytes = std::vector<std::uint8_t>;

std::filesystem::path temp(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("mixer-cli-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::filesystem::path write(const std::string& name, const std::string& data) {
  auto p = temp(name);
  std::ofstream(p, std::ios::binary) << data;
  return p;
}

struct Outcome {
  int status;
  std::string out, err;
};

Outcome decode(const std::filesystem::path& f, const std::string& as = "auto", bool json = false) {
  DecodeOptions o;
  o.file = f;
  o.as = as;
  o.json = json;
  std::ostringstream out, err;
  int s = decode_command(o, out, err);
  return {s, out.str(), err.str()};
}

Outcome encode(const std::filesystem::path& f) {
  EncodeOptions o;
  o.file = f;
  std::ostringstream out, err;
  int s = encode_command(o, out, err);
  return {s, out.str(), err.str()};
}

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

TEST(MixerDecode, capture_message_as_tree_with_its_ipm) {
  Outcome r = decode(write("alpha.ber", text(mts::test::pp_message_alpha())));
  ASSERT_EQ(r.status, 0) << r.err;
  // The values of pp-p1-transfer-1988.tshark.txt.
  for (const char* line : {"local-identifier: alpha.test.357:23.10.26.10.40.15", "surname: root", "surname: bob",
                           "built-in: 22 (interpersonal-messaging-1988)", "content-identifier: P1 test 10",
                           "arrival-time: 261123104015Z", "standard-extension: 38 (internal-trace-information)",
                           "content (decoded)", "subject: P1 test 10", "data: Hello Bob 10"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
}

TEST(MixerDecode, hex_input_and_explicit_type) {
  auto m = mts::test::must_decode<mts::MtsApdu>(mts::test::pp_message_beta());
  Outcome r = decode(write("content.hex", mts::to_hex(std::get<mts::Message>(m).content) + "\n"), "ipm");
  EXPECT_EQ(r.status, 1);  // the content is an InformationObject ([0] IPM), not a bare IPM
  r = decode(write("content.hex", mts::to_hex(std::get<mts::Message>(m).content) + "\n"), "information-object");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("subject: P1 beta->alpha"), std::string::npos);
}

// Every security extension (X.509 values typed: certificates, CertificateAssertion, tokens).
mts::MtsApdu security_message() {
  mts::MtsApdu a = mts::test::full_message(1);
  std::get<mts::Message>(a).envelope.extensions = mts::test::security_extensions();
  return a;
}

// An originator-certificate whose toBeSigned has a long-form length where DER has a short one.
Bytes non_der_certificate_message() {
  Bytes der = mts::test::vector_file("mts/x509-ec-certificate.hex");
  Bytes ber = mts::test::unhex("308201bf3083000163");
  ber.insert(ber.end(), der.begin() + 8, der.end());
  return mts::test::message_with_extension_octets(mts::ext::originator_certificate, mts::test::certificates_of(ber));
}

TEST(MixerEncode, json_round_trip_of_every_type) {
  std::vector<std::pair<std::string, Bytes>> inputs = {
      {"mts-apdu", mts::test::pp_message_alpha()},
      {"mts-apdu", mts::encode(mts::test::full_message()).value()},
      {"mts-apdu", mts::encode(mts::test::full_report()).value()},
      {"mts-apdu", mts::encode(mts::test::full_probe()).value()},
      {"information-object", ipms::encode(ipms::test::full_ipm()).value()},
      {"information-object", ipms::encode(ipms::test::non_receipt_ipn()).value()},
      {"information-object", ipms::encode(ipms::test::ipm_with_body_part_signatures()).value()},
      {"mts-apdu", mts::encode(security_message()).value()},
      {"mts-apdu", non_der_certificate_message()},  // its toBeSigned's octets travel as received-encoding
  };
  for (auto& [type, ber] : inputs) {
    Outcome d = decode(write("in.ber", text(ber)), type, true);
    ASSERT_EQ(d.status, 0) << d.err;
    Outcome e = encode(write("in.json", d.out));
    ASSERT_EQ(e.status, 0) << e.err;
    // DER-like input (ours) comes back octet for octet; PP's indefinite lengths as the same values.
    if (type == "mts-apdu" && ber == mts::test::pp_message_alpha()) {
      auto a = mts::test::must_decode<mts::MtsApdu>(ber);
      EXPECT_EQ(e.out, text(mts::encode(a).value()));
    } else {
      EXPECT_EQ(e.out, text(ber)) << type;
    }
    Outcome again = decode(write("again.ber", e.out), type, true);
    EXPECT_EQ(again.out, d.out);
  }
}

TEST(MixerEncode, vectors_as_text) {
  // tests/vectors/p1/{mts,ipms}/*.json: reviewed text forms; each encodes, decodes
  // back to the same JSON, and the named fields have the values in the file.
  int n = 0;
  std::vector<std::filesystem::directory_entry> entries;
  for (const char* dir : {"tests/vectors/p1/mts", "tests/vectors/p1/ipms"})
    for (const auto& e : std::filesystem::directory_iterator(dir)) entries.push_back(e);
  for (const auto& entry : entries) {
    if (entry.path().extension() != ".json") continue;
    ++n;
    Outcome e = encode(entry.path());
    ASSERT_EQ(e.status, 0) << entry.path() << ": " << e.err;
    Outcome d = decode(write("v.ber", e.out), "auto", true);
    ASSERT_EQ(d.status, 0) << d.err;
    std::ifstream in(entry.path());
    std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(d.out, original) << entry.path();
  }
  EXPECT_GE(n, 5);
  // The PP vector is the capture's message: re-encoded it decodes to the capture's values.
  Outcome e = encode("tests/vectors/p1/mts/pp-1988-alpha.json");
  auto a = mts::test::must_decode<mts::MtsApdu>(mts::test::pp_message_alpha());
  EXPECT_EQ(e.out, text(mts::encode(a).value()));
}

TEST(MixerEncode, refusals_name_the_path) {
  Outcome r = encode(write("bad.json", R"({"type": "or-name", "value": {"built-in-standard-attributes": {"country-name": {"iso-3166-alpha2-code": "GBR"}}}})"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("ORName.built-in-standard-attributes.country-name.iso-3166-alpha2-code: PrintableString of 3 "
                       "characters, outside SIZE (2..2) (ub-country-name-alpha-length)"),
            std::string::npos)
      << r.err;
  r = encode(write("bad2.json", R"({"type": "or-name", "value": {"built-in-standard-attributes": {"surname": "x"}}})"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("value.built-in-standard-attributes: unknown or repeated component among: surname"), std::string::npos)
      << r.err;
  // A leaf where a SET's components belong is refused, not read as a SET with none of them.
  r = encode(write("bad4.json", R"({"type": "or-name", "value": {"built-in-standard-attributes": {"hex": "3000"}}})"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("value.built-in-standard-attributes: expected an object with the type's components"),
            std::string::npos)
      << r.err;
  // TeletexString given as text is written as T.61 (ü: diaeresis + u); a character T.61 lacks is refused.
  r = encode(write("t61.json", R"({"type": "information-object", "value": {"ipm": {"heading": {"this-IPM": )"
                                R"({"user-relative-identifier": "x"}, "subject": "M\u00fcller"}, "body": []}}})"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\x14\x07M\xc8uller"), std::string::npos);
  r = encode(write("euro.json", R"({"type": "information-object", "value": {"ipm": {"heading": {"this-IPM": )"
                                 R"({"user-relative-identifier": "x"}, "subject": "5 \u20ac"}, "body": []}}})"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("value.ipm.heading.subject: text with a character T.61 cannot write"), std::string::npos) << r.err;
  r = encode(write("bad3.json", "not json"));
  EXPECT_EQ(r.status, 1);
  // Nesting beyond what any value has (X.420's token types are recursive): refused before reading.
  std::string deep = R"({"type": "mts-apdu", "value": )";
  for (int i = 0; i < 100000; ++i) deep += "[";
  for (int i = 0; i < 100000; ++i) deep += "]";
  r = encode(write("deep.json", deep + "}"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(": nested deeper than 192 components"), std::string::npos) << r.err.substr(0, 200);
  Outcome d = decode(write("bad.ber", "\x30\x03\x02"));
  EXPECT_EQ(d.status, 1);
  EXPECT_NE(d.err.find("mixer decode: not any known type"), std::string::npos) << d.err;
  d = decode(write("x.ber", "x"), "nonsense");
  EXPECT_EQ(d.status, 2);
}

}  // namespace
