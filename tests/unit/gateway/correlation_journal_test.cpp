// The report correlation journal (RFC 2156 §5.3.8.3, §5.1.8.3): its line
// format and the journal's memory, file and window.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/correlation_journal.hpp"
#include "gateway/queue/format/correlation_format.hpp"

using namespace mixer;
namespace fs = std::filesystem;
using queue::SentRecord;

namespace {

SentRecord to_x400(std::string queue_id, std::string mts_id, std::int64_t time = 1000) {
  SentRecord r;
  r.direction = SentRecord::Direction::to_x400;
  r.time = time;
  r.queue_id = std::move(queue_id);
  r.mts_id = std::move(mts_id);
  r.message_id = "<m1@client.example>";
  r.envid = "env 1 \"quoted\"";
  r.recipients.push_back({1, "rfc822;Orig@client.example", "", ""});
  r.recipients.push_back({3, "x400;/S=Smith/O=Corp/PRMD=GW/ADMD= /C=XX/", "", ""});
  return r;
}

SentRecord to_internet(std::string queue_id, std::string mts_id, std::string message_id, std::int64_t time = 1000) {
  SentRecord r;
  r.direction = SentRecord::Direction::to_internet;
  r.time = time;
  r.queue_id = std::move(queue_id);
  r.mts_id = std::move(mts_id);
  r.message_id = std::move(message_id);
  r.envid = "X400-MTS-Identifier: " + r.mts_id;
  r.recipients.push_back({2, "", "a@example.org", "/S=a/O=Corp/PRMD=GW/ADMD= /C=XX/"});
  return r;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CorrelationJournalTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-correlation-test-" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
};

}  // namespace

TEST(CorrelationFormat, records_read_back_unchanged) {
  std::string text = queue::encode_correlation(to_x400("1K1Q6GV13DY", "[/PRMD=GW/ADMD= /C=XX/;1K1Q6GV13DY]")) +
                     queue::encode_correlation(to_internet("1K1Q6GV13DZ", "[/ADMD= /C=XX/;m 2]", ""));
  auto parsed = queue::parse_correlations(text);
  EXPECT_EQ(parsed.unreadable, 0u);
  EXPECT_FALSE(parsed.torn);
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0], to_x400("1K1Q6GV13DY", "[/PRMD=GW/ADMD= /C=XX/;1K1Q6GV13DY]"));
  EXPECT_EQ(parsed.records[1], to_internet("1K1Q6GV13DZ", "[/ADMD= /C=XX/;m 2]", ""));
}

TEST(CorrelationFormat, unreadable_lines_are_counted_and_a_torn_last_line_ignored) {
  const std::string good = queue::encode_correlation(to_x400("1K1Q6GV13DY", "[/ADMD= /C=XX/;a]"));
  std::string text = "X 1 not-a-queue-id m \"\" \"\" \"\"\n"   // bad queue ID
                     "X 12 1K1Q6GV13DY m \"\" \"\"\n"             // too few tokens
                     "Q 12 1K1Q6GV13DY m \"\" \"\" \"\"\n"        // unknown kind
                     "X 12 1K1Q6GV13DY m \"\" \"\" \"\" x o a r\n"  // recipient number not a number
                     "X 12 1K1Q6GV13DY m \"\" \"\" \"\" 1 o a\n"  // a recipient cut short
                     "X 12 1K1Q6GV13DY \"\" \"\" \"\" \"\"\n" +   // empty MTS identifier
                     good + good.substr(0, good.size() - 1);
  auto parsed = queue::parse_correlations(text);
  EXPECT_EQ(parsed.unreadable, 6u);
  EXPECT_TRUE(parsed.torn);
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].mts_id, "[/ADMD= /C=XX/;a]");
}

TEST(CorrelationFormat, limits_hold) {
  queue::CorrelationLimits limits;
  limits.max_recipients = 1;
  limits.max_records = 1;
  const std::string one = queue::encode_correlation(to_internet("1K1Q6GV13DY", "[/ADMD= /C=XX/;a]", "<a@b>"));
  auto parsed = queue::parse_correlations(one + one, limits);
  EXPECT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.unreadable, 1u);
  EXPECT_EQ(queue::parse_correlations(queue::encode_correlation(to_x400("1K1Q6GV13DY", "m")), limits).unreadable, 1u);
}

TEST_F(CorrelationJournalTest, rfc2156_5_3_8_3_found_by_mts_identifier_and_after_a_restart) {
  const auto file = dir / "correlations";
  {
    gateway::CorrelationJournal j(file, std::chrono::hours(24));
    ASSERT_FALSE(j.open(1000));
    ASSERT_FALSE(j.record(to_x400("1K1Q6GV13DY", "[/ADMD= /C=XX/;a]"), 1000));
    ASSERT_FALSE(j.record(to_internet("1K1Q6GV13DZ", "[/ADMD= /C=XX/;b]", "<b@gw.example>"), 1001));
    auto found = j.sent_to_x400("[/ADMD= /C=XX/;a]");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->recipients.at(0).orcpt, "rfc822;Orig@client.example");
    EXPECT_FALSE(j.sent_to_x400("[/ADMD= /C=XX/;b]"));  // that one went the other way
    EXPECT_FALSE(j.sent_to_internet("", "<a@b>"));
  }
  gateway::CorrelationJournal again(file, std::chrono::hours(24));
  ASSERT_FALSE(again.open(2000));
  EXPECT_EQ(again.size(), 2u);
  EXPECT_TRUE(again.sent_to_x400("[/ADMD= /C=XX/;a]"));
  // §5.1.8.3: by the ENVID the gateway sent, or by the Message-ID the DSN returns.
  auto by_envid = again.sent_to_internet("X400-MTS-Identifier: [/ADMD= /C=XX/;b]", "");
  ASSERT_TRUE(by_envid);
  EXPECT_EQ(by_envid->queue_id, "1K1Q6GV13DZ");
  auto by_id = again.sent_to_internet("unknown", "<b@gw.example>");
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->recipients.at(0).address, "a@example.org");
}

TEST_F(CorrelationJournalTest, records_older_than_the_window_or_beyond_the_limit_are_forgotten) {
  const auto file = dir / "correlations";
  {
    gateway::CorrelationJournal j(file, std::chrono::seconds(100), 2);
    ASSERT_FALSE(j.open(1000));
    ASSERT_FALSE(j.record(to_x400("1K1Q6GV13DW", "[/ADMD= /C=XX/;w]", 1000), 1000));
    ASSERT_FALSE(j.record(to_x400("1K1Q6GV13DX", "[/ADMD= /C=XX/;x]", 1050), 1050));
    ASSERT_FALSE(j.record(to_x400("1K1Q6GV13DY", "[/ADMD= /C=XX/;y]", 1060), 1060));
    EXPECT_EQ(j.size(), 2u);  // the oldest forgotten: only two are kept
    EXPECT_FALSE(j.sent_to_x400("[/ADMD= /C=XX/;w]"));
    EXPECT_TRUE(j.sent_to_x400("[/ADMD= /C=XX/;x]"));
  }
  // At start-up, 1155 is more than 100 s after x (1050): forgotten and not rewritten.
  gateway::CorrelationJournal again(file, std::chrono::seconds(100), 2);
  ASSERT_FALSE(again.open(1155));
  EXPECT_EQ(again.size(), 1u);
  EXPECT_FALSE(again.sent_to_x400("[/ADMD= /C=XX/;x]"));
  EXPECT_TRUE(again.sent_to_x400("[/ADMD= /C=XX/;y]"));
  EXPECT_EQ(queue::parse_correlations(slurp(file)).records.size(), 1u);
}

TEST_F(CorrelationJournalTest, a_damaged_file_costs_only_its_damaged_lines) {
  const auto file = dir / "correlations";
  {
    std::ofstream out(file, std::ios::binary);
    out << "garbage\n" << queue::encode_correlation(to_x400("1K1Q6GV13DY", "[/ADMD= /C=XX/;a]")) << "X 1 2";
  }
  gateway::CorrelationJournal j(file, std::chrono::hours(24));
  ASSERT_FALSE(j.open(1000));
  EXPECT_EQ(j.unreadable_lines(), 1u);
  EXPECT_TRUE(j.sent_to_x400("[/ADMD= /C=XX/;a]"));
  // Values over the format's limits are left empty rather than refused.
  auto big = to_x400("1K1Q6GV13DZ", "[/ADMD= /C=XX/;b]");
  big.envid.assign(5000, 'e');
  ASSERT_FALSE(j.record(big, 1000));
  auto found = j.sent_to_x400("[/ADMD= /C=XX/;b]");
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->envid.empty());
  // Written by the committer's flush before its sync (one write per batch), not at once.
  EXPECT_EQ(queue::parse_correlations(slurp(file)).records.size(), 1u);
  ASSERT_FALSE(j.flush());
  EXPECT_EQ(queue::parse_correlations(slurp(file)).records.size(), 2u);
  gateway::CorrelationJournal again(file, std::chrono::hours(24));
  ASSERT_FALSE(again.open(1000));
  EXPECT_EQ(again.unreadable_lines(), 0u);
  EXPECT_EQ(again.size(), 2u);
}
