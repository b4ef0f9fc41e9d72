// tests/unit/imf/judge_messages_test.cpp: writes messages whose From, To,
// Subject and Comments fields were encoded here, in several scripts, with
// the decoded values a reader must see (expect.json), into
// $MIXER_IMF_JUDGE_DIR (a temporary folder without it). ctest's judge.imf
// then runs tests/judges/mime_judge.py over them: Python's email package
// must find no defect and read back exactly these values. This test checks
// the same messages with imf's own parser and decoder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "imf/date_time.hpp"
#include "imf/encoded_word.hpp"
#include "imf/header_writer.hpp"
#include "imf/message.hpp"

namespace mixer::imf {
namespace {

namespace fs = std::filesystem;

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", u);
      out += b;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

struct Sample {
  const char* file;
  const char* name;     // display name of From
  const char* subject;  // Subject and Comments
};

const Sample kSamples[] = {
    {"latin.eml", "J\xc3\xb6rg M\xc3\xbcller-L\xc3\xbc" "denscheidt",
     "Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen \xe2\x80\x93 \xc3\xa0 bient\xc3\xb4t, \xc5\x81\xc3\xb3" "d\xc5\xba"},
    {"greek.eml", "\xce\x9d\xce\xaf\xce\xba\xce\xbf\xcf\x82 \xce\x9a\xcf\x89\xce\xbd\xcf\x83\xcf\x84\xce\xb1\xce\xbd\xcf\x84\xce\xaf\xce\xbd\xce\xbf\xcf\x85",
     "\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1 \xce\xba\xcf\x8c\xcf\x83\xce\xbc\xce\xb5, \xcf\x84\xce\xbf "
     "\xce\xbc\xce\xae\xce\xbd\xcf\x85\xce\xbc\xce\xb1 \xce\xad\xcf\x86\xcf\x84\xce\xb1\xcf\x83\xce\xb5"},
    {"cyrillic.eml", "\xd0\x90\xd0\xbd\xd0\xbd\xd0\xb0 \xd0\x9a\xd0\xb0\xd1\x80\xd0\xb5\xd0\xbd\xd0\xb8\xd0\xbd\xd0\xb0",
     "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80! \xd0\xad\xd1\x82\xd0\xbe "
     "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb2\xd0\xb5\xd1\x80\xd0\xba\xd0\xb0 \xd0\xb7\xd0\xb0\xd0\xb3\xd0\xbe\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xba\xd0\xb0"},
    {"chinese.eml", "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",
     "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xb8\x96\xe7\x95\x8c\xef\xbc\x81\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80\xe5\xb0\x81"
     "\xe6\xb5\x8b\xe8\xaf\x95\xe9\x82\xae\xe4\xbb\xb6\xef\xbc\x8c\xe6\xa0\x87\xe9\xa2\x98\xe5\xbe\x88\xe9\x95\xbf\xe5\xbe\x88"
     "\xe9\x95\xbf\xe5\xbe\x88\xe9\x95\xbf\xe5\xbe\x88\xe9\x95\xbf\xe5\xbe\x88\xe9\x95\xbf\xe5\xbe\x88\xe9\x95\xbf\xe3\x80\x82"},
    {"japanese.eml", "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e",
     "\xe4\xbc\x9a\xe8\xad\xb0\xe3\x81\xae\xe3\x81\x8a\xe7\x9f\xa5\xe3\x82\x89\xe3\x81\x9b\xef\xbc\x88\xe9\x87\x8d\xe8\xa6\x81\xef\xbc\x89"},
    {"korean.eml", "\xea\xb9\x80\xec\xb2\xa0\xec\x88\x98", "\xec\x95\x88\xeb\x85\x95\xed\x95\x98\xec\x84\xb8\xec\x9a\x94 \xec\x84\xb8\xea\xb3\x84"},
    {"arabic.eml", "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb9\xd9\x84\xd9\x8a",
     "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7\xd9\x84\xd9\x85"},
    {"hebrew.eml", "\xd7\x93\xd7\x95\xd7\x93 \xd7\x9b\xd7\x94\xd7\x9f", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d"},
    {"devanagari.eml", "\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\x9c \xe0\xa4\xb6\xe0\xa4\xb0\xe0\xa5\x8d\xe0\xa4\xae\xe0\xa4\xbe",
     "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87 \xe0\xa4\xa6\xe0\xa5\x81\xe0\xa4\xa8\xe0\xa4\xbf\xe0\xa4\xaf\xe0\xa4\xbe"},
    {"thai.eml", "\xe0\xb8\xaa\xe0\xb8\xa1\xe0\xb8\x8a\xe0\xb8\xb2\xe0\xb8\xa2", "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5\xe0\xb8\x8a\xe0\xb8\xb2\xe0\xb8\xa7\xe0\xb9\x82\xe0\xb8\xa5\xe0\xb8\x81"},
    {"emoji.eml", "Party \xf0\x9f\x8e\x89 People", "Tonight \xf0\x9f\x8e\x89\xf0\x9f\x8e\x88\xf0\x9f\x8e\x82 at 8 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"},
    {"ascii-quoted.eml", "Joe Q. Public", "Plain ASCII subject that is long enough to need folding at least once, "
                                          "twice perhaps, when it goes past seventy-eight octets"},
    {"whitespace.eml", "  Two  Spaces ", " lead, \ttab  and trail "},
    {"mixed.eml", "O'Brien, \xc3\x89" "amonn", "Re: [list] caf\xc3\xa9 =?not-encoded?= \xe2\x82\xac" "100 (\xe6\x97\xa5\xe6\x9c\xac)"},
};

// A From/To field: the encoded phrase and the address, folded.
std::string address_field(std::string_view name, std::string_view display, std::string_view addr) {
  auto p = encode_phrase(display, name.size() + 2);
  EXPECT_TRUE(p.ok());
  std::string out;
  EXPECT_FALSE(write_field(out, name, *p + " <" + std::string(addr) + ">", 76));
  return out;
}

TEST(ImfJudgeMessages, encoded_fields_in_many_scripts_for_the_judge) {
  const char* env = std::getenv("MIXER_IMF_JUDGE_DIR");
  const fs::path dir = env && *env ? fs::path(env) : fs::temp_directory_path() / "mixer-imf-judge";
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".eml") fs::remove(e.path());

  DateTime when;
  when.year = 2026, when.month = 12, when.day = 3, when.hour = 2, when.minute = 42, when.second = 26;
  when.offset = 60;
  std::string expect = "{\n";
  int n = 0;
  for (const Sample& s : kSamples) {
    SCOPED_TRACE(s.file);
    std::string msg;
    msg += address_field("From", s.name, "sender@example.com");
    msg += address_field("To", s.name, "rcpt@example.net");
    ASSERT_FALSE(write_unstructured(msg, "Subject", s.subject));
    const std::string comments = std::string(s.subject) + " " + s.subject + " " + s.subject;
    ASSERT_FALSE(write_unstructured(msg, "Comments", comments));
    ASSERT_FALSE(write_field(msg, "Date", *format_date_time(when)));
    ASSERT_FALSE(write_field(msg, "Message-ID", "<" + std::to_string(++n) + ".imf@mixer.test>"));
    msg += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nTest message.\r\n";

    // imf reads its own output back.
    auto m = parse_message(msg, Limits{});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->flags, 0) << msg;
    auto subject = decode_unstructured(unfold(m->find("Subject")->value), Limits{});
    ASSERT_TRUE(subject.ok());
    EXPECT_EQ(subject->text, s.subject);
    for (std::size_t from = 0; from < m->header.size();) {
      const std::size_t eol = msg.find("\r\n", from);
      const std::string_view line(msg.data() + from, eol - from);
      EXPECT_LE(line.size(), line.find("=?") != std::string_view::npos ? 76u : 78u) << line;
      from = eol + 2;
    }

    std::ofstream(dir / s.file, std::ios::binary) << msg;
    expect += std::string(n > 1 ? ",\n" : "") + "  " + json_string(s.file) + ": {\n";
    expect += "    \"Subject\": " + json_string(s.subject) + ",\n";
    expect += "    \"Comments\": " + json_string(comments) + ",\n";
    expect += "    \"From\": {\"display_names\": [" + json_string(s.name) + "], \"addr_specs\": [\"sender@example.com\"]},\n";
    expect += "    \"To\": {\"display_names\": [" + json_string(s.name) + "], \"addr_specs\": [\"rcpt@example.net\"]},\n";
    expect += "    \"Date\": {\"datetime\": \"2026-12-03T02:42:26+01:00\"},\n";
    expect += "    \"Message-ID\": " + json_string("<" + std::to_string(n) + ".imf@mixer.test>") + "\n  }";
  }
  expect += "\n}\n";
  std::ofstream(dir / "expect.json", std::ios::binary) << expect;
  EXPECT_TRUE(fs::exists(dir / "expect.json"));
}

}  // namespace
}  // namespace mixer::imf
