// The P1 responder's transfer journal (issue 14, exactly once over P1): an
// APDU taken and made durable is known again after a restart, within the
// window; a cancelled or torn record is not.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gateway/transfer_journal.hpp"

using namespace mixer::gateway;
namespace fs = std::filesystem;

namespace {
struct JournalTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-journal-test-" + std::to_string(::getpid()));
  fs::path file = dir / "transfers";
  const TransferKey key{"[/PRMD=TEST/ADMD= /C=XX/;abc def]", 859, 0x3f0bd96a};
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  static void closefd(int fd) {
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
};
}  // namespace

TEST_F(JournalTest, known_only_once_durable_and_after_a_restart) {
  {
    TransferJournal j(file, std::chrono::seconds(3600));
    ASSERT_FALSE(j.open(1000));
    EXPECT_FALSE(j.find(key, 1000));
    std::error_code ec;
    closefd(j.record(key, "1K1Q6GV7QW2", 1000, ec));
    EXPECT_FALSE(j.find(key, 1001)) << "not durable yet: a second copy is queued rather than confirmed";
    j.committed("1K1Q6GV7QW2");
    EXPECT_EQ(j.find(key, 1001), "1K1Q6GV7QW2");
    // Another copy of the message (other size or CRC: other recipients) is not a duplicate.
    EXPECT_FALSE(j.find(TransferKey{key.mts_id, key.size + 1, key.crc32c}, 1001));
    EXPECT_FALSE(j.find(TransferKey{key.mts_id, key.size, key.crc32c ^ 1}, 1001));
  }
  TransferJournal again(file, std::chrono::seconds(3600));
  ASSERT_FALSE(again.open(2000));
  EXPECT_EQ(again.find(key, 2000), "1K1Q6GV7QW2");
  EXPECT_FALSE(again.find(key, 1000 + 3601)) << "outside the window";
  TransferJournal later(file, std::chrono::seconds(3600));
  ASSERT_FALSE(later.open(1000 + 3601));
  EXPECT_EQ(later.size(), 0u) << "expired records are dropped when the file is rewritten";
}

TEST_F(JournalTest, cancelled_and_torn_records_are_forgotten) {
  {
    TransferJournal j(file, std::chrono::seconds(3600));
    ASSERT_FALSE(j.open(1000));
    std::error_code ec;
    closefd(j.record(key, "1K1Q6GV7QW2", 1000, ec));
    j.cancel("1K1Q6GV7QW2");  // its sync failed: never acknowledged
    EXPECT_FALSE(j.find(key, 1000));
  }
  std::ofstream(file, std::ios::app) << "garbage line\nT 1000 1K1Q6GV7QW3 859 3f0bd96a";  // the last one torn
  TransferJournal again(file, std::chrono::seconds(3600));
  ASSERT_FALSE(again.open(1001));
  EXPECT_FALSE(again.find(key, 1001));
  EXPECT_EQ(again.unreadable_lines(), 1u);
  EXPECT_EQ(again.size(), 0u);
}

TEST_F(JournalTest, at_most_max_records_oldest_forgotten_first) {
  TransferJournal j(file, std::chrono::seconds(3600), 2);
  ASSERT_FALSE(j.open(1000));
  std::error_code ec;
  for (int i = 0; i < 3; ++i) {
    closefd(j.record(TransferKey{"[id;" + std::to_string(i) + "]", 1, 1}, "Q" + std::to_string(i), 1000 + i, ec));
    j.committed("Q" + std::to_string(i));
  }
  EXPECT_EQ(j.size(), 2u);
  EXPECT_FALSE(j.find(TransferKey{"[id;0]", 1, 1}, 1003));
  EXPECT_EQ(j.find(TransferKey{"[id;2]", 1, 1}, 1003), "Q2");
}

// The soak test's loss (issue 14): a crash after the T record but before the
// entry's commit leaves an entry start-up removes; its T alone must not make
// the peer's retransmission a "duplicate".
TEST_F(JournalTest, taken_but_never_durable_is_forgotten_at_restart) {
  {
    TransferJournal j(file, std::chrono::seconds(3600));
    ASSERT_FALSE(j.open(1000));
    std::error_code ec;
    closefd(j.record(key, "1K1Q6GV7QW2", 1000, ec));
    // killed here: no committed(), no cancel()
  }
  TransferJournal again(file, std::chrono::seconds(3600));
  ASSERT_FALSE(again.open(1001));
  EXPECT_FALSE(again.find(key, 1001));
  EXPECT_EQ(again.size(), 0u);
}

// Killed after the commit but before the D: the entry is in the recovered
// queue, so the peer's retransmission (it never had our confirmation) is a
// duplicate to suppress.
TEST_F(JournalTest, taken_without_d_but_recovered_counts) {
  {
    TransferJournal j(file, std::chrono::seconds(3600));
    ASSERT_FALSE(j.open(1000));
    std::error_code ec;
    closefd(j.record(key, "1K1Q6GV7QW2", 1000, ec));
  }
  TransferJournal again(file, std::chrono::seconds(3600));
  ASSERT_FALSE(again.open(1001, [](const std::string& id) { return id == "1K1Q6GV7QW2"; }));
  EXPECT_EQ(again.find(key, 1001), "1K1Q6GV7QW2");
  TransferJournal later(file, std::chrono::seconds(3600));  // the rewrite wrote its D
  ASSERT_FALSE(later.open(1002));
  EXPECT_EQ(later.find(key, 1002), "1K1Q6GV7QW2");
}

// X.411 §12.2.1.1.1.4: a recipient we relayed to a peer that the peer sends back loops; the
// record is per peer and recipient, kept across a restart within the window, forgotten after.
TEST_F(JournalTest, x411_12_2_1_1_1_4_relayed_recipients_are_remembered_per_peer_within_the_window) {
  const std::string r1 = "/S=bob/O=Beta/PRMD=BETA/ADMD=TEST/C=GB/", r2 = "/S=eve/O=Beta/PRMD=BETA/ADMD=TEST/C=GB/";
  {
    TransferJournal j(file, std::chrono::seconds(3600));
    ASSERT_FALSE(j.open(1000));
    EXPECT_FALSE(j.sent_to("mta c", key.mts_id, r1, 1000));
    j.sent("mta c", key.mts_id, r1, 1000);
    j.sent("mta c", key.mts_id, r1, 1000);  // a second form of the same second: one line
    EXPECT_TRUE(j.sent_to("mta c", key.mts_id, r1, 1001));
    EXPECT_FALSE(j.sent_to("mta-b", key.mts_id, r1, 1001)) << "another peer sending it is no loop by this rule";
    EXPECT_FALSE(j.sent_to("mta c", key.mts_id, r2, 1001)) << "another recipient of the message (a split copy)";
    EXPECT_FALSE(j.sent_to("mta c", key.mts_id + "x", r1, 1001));
    EXPECT_FALSE(j.sent_to("mta c", key.mts_id, r1, 1000 + 3601)) << "outside the window";
  }
  TransferJournal again(file, std::chrono::seconds(3600));
  ASSERT_FALSE(again.open(2000));
  EXPECT_EQ(again.unreadable_lines(), 0u);
  EXPECT_TRUE(again.sent_to("mta c", key.mts_id, r1, 2000));
  EXPECT_FALSE(again.sent_to("mta c", key.mts_id, r2, 2000));
  TransferJournal later(file, std::chrono::seconds(3600));
  ASSERT_FALSE(later.open(1000 + 3601));
  TransferJournal last(file, std::chrono::seconds(3600));
  ASSERT_FALSE(last.open(1000));
  EXPECT_FALSE(last.sent_to("mta c", key.mts_id, r1, 1000)) << "dropped when the file was rewritten after the window";
}

// With a syncfs group commit the journal needs no descriptor of its own: the record is
// written all the same (the commit's syncfs makes it durable with the entry), and no
// descriptor is made (a dup and a close per P1 transfer saved).
TEST_F(JournalTest, recorded_without_a_descriptor_for_a_syncfs_commit) {
  {
    TransferJournal j(file, std::chrono::seconds(3600));
    ASSERT_FALSE(j.open(1000));
    std::error_code ec;
    EXPECT_EQ(j.record(key, "1K1Q6GV7QW2", 1000, ec, false), -1);
    EXPECT_FALSE(ec) << ec.message();
    j.committed("1K1Q6GV7QW2");
    EXPECT_EQ(j.find(key, 1001), "1K1Q6GV7QW2");
  }
  TransferJournal again(file, std::chrono::seconds(3600));
  ASSERT_FALSE(again.open(2000));
  EXPECT_EQ(again.find(key, 2000), "1K1Q6GV7QW2");
}

// Killed after the commit, after its entry was delivered and removed (a fast next hop):
// the D must already be in the file (a crash of the process keeps what was written), or
// the start takes the T alone for one never made durable and queues the peer's
// retransmission again (a soak run saw it: B killed 26 ms after the commit).
TEST_F(JournalTest, committed_is_written_at_once_so_a_delivered_and_removed_entry_still_counts) {
  const fs::path crashed = dir / "transfers-at-the-kill";
  {
    TransferJournal j(file, std::chrono::seconds(3600));
    ASSERT_FALSE(j.open(1000));
    std::error_code ec;
    closefd(j.record(key, "1K1Q6GV7QW2", 1000, ec));
    ASSERT_FALSE(j.committed("1K1Q6GV7QW2"));
    fs::copy_file(file, crashed);  // the file as a kill -9 leaves it (no flush at exit)
  }
  TransferJournal again(crashed, std::chrono::seconds(3600));
  ASSERT_FALSE(again.open(1001, [](const std::string&) { return false; }));  // its entry is gone
  EXPECT_EQ(again.find(key, 1001), "1K1Q6GV7QW2");
}
