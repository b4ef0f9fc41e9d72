// The start-up snapshot (issue 14): its format (round trip, every corruption
// refused, limits), and the store's use of it at start (only after a clean
// shutdown naming its generation, only for entries whose file is still
// there, once, and never partly: a bad snapshot means the full scan).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/snapshot_format.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue/store.hpp"

using namespace mixer::queue;
namespace fs = std::filesystem;

namespace {

// Two control files are the same for a snapshot when their projections encode alike.
std::string text_of(const ControlFile& c) {
  return encode_control(snapshot_view(c)) + "held=" + std::to_string(c.held) + " warned=" + std::to_string(c.warned);
}

ControlFile sample(const std::string& id, int variant) {
  ControlFile c;
  c.id = id;
  c.arrival_us = 1'795'430'400'000'000 + variant;
  c.size = 2048 + static_cast<std::uint64_t>(variant);
  c.mts_id = variant % 2 ? "[/PRMD=P/ADMD= /C=XX/;" + id + "]" : "";
  c.apdu = variant % 2 ? "message" : "";
  c.held = variant % 3 == 0;
  c.warned = variant % 5 == 0 ? 1'795'440'000 : 0;
  if (variant % 2 == 0) {
    FormRecord f;
    f.index = 1;
    f.kind = FormRecord::Kind::p1;
    f.mts_id = "[/PRMD=P/ADMD= /C=XX/;form" + id + "]";
    c.forms.push_back(f);
  }
  RecipientRecord p1;
  p1.index = 0;
  p1.address = "u" + std::to_string(variant) + "@x400.example";
  p1.channel = Channel::p1;
  p1.peer = "mta-a.example";
  p1.fallback = {"mta-b.example", "mta-c.example"};
  p1.form = variant % 2 ? 0 : 1;
  p1.status = RecipientStatus::deferred;
  p1.attempts = 3;
  p1.next_attempt = 1'795'431'000;
  p1.dsn = "4.4.1";
  p1.diagnostic = "peer busy";
  c.recipients.push_back(p1);
  RecipientRecord smtp;
  smtp.index = 1;
  smtp.address = "v@example.org";
  smtp.channel = Channel::smtp;
  smtp.domain = "example.org";
  smtp.status = variant % 4 == 0 ? RecipientStatus::delivered : RecipientStatus::queued;
  smtp.delivery_report = variant % 4 == 0;
  c.recipients.push_back(smtp);
  RecipientRecord local;
  local.index = 2;
  local.address = "postmaster";
  local.channel = Channel::local;
  c.recipients.push_back(local);
  return c;
}

std::string encode(const std::vector<ControlFile>& entries, std::uint64_t generation, std::size_t block = 256) {
  SnapshotEncoder e(generation, {}, block);
  std::uint64_t inode = 100;
  std::string blocks;
  for (const auto& c : entries) {
    EXPECT_TRUE(e.add(c, inode++));
    blocks += e.take_blocks();
  }
  e.finish();
  blocks += e.take_blocks();
  return e.header() + blocks;
}

std::vector<ControlFile> samples(std::size_t n) {
  QueueIdGenerator ids{0};
  std::vector<ControlFile> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(sample(ids.next(1'795'430'400'000'000), static_cast<int>(i)));
  return out;
}

}  // namespace

TEST(SnapshotFormat, round_trip_keeps_every_field_start_up_reads) {
  const auto entries = samples(40);
  const std::string data = encode(entries, 0x1234);
  std::vector<ControlFile> back;
  std::vector<std::uint64_t> inodes;
  auto r = decode_snapshot(data, {}, [&](ControlFile&& c, std::uint64_t inode) {
    back.push_back(std::move(c));
    inodes.push_back(inode);
  });
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.generation, 0x1234u);
  ASSERT_EQ(back.size(), entries.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(text_of(back[i]), text_of(entries[i]));
    EXPECT_EQ(back[i].size, entries[i].size);
    EXPECT_EQ(inodes[i], 100 + i);
  }
  // An empty queue's snapshot is a header alone.
  auto empty = encode({}, 7);
  EXPECT_EQ(empty.size(), kSnapshotHeaderSize);
  EXPECT_TRUE(decode_snapshot(empty).ok);
}

TEST(SnapshotFormat, every_damaged_octet_every_cut_and_any_addition_is_refused) {
  const std::string data = encode(samples(6), 99, 200);
  ASSERT_TRUE(decode_snapshot(data).ok);
  for (std::size_t i = 0; i < data.size(); ++i)
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string bad = data;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      EXPECT_FALSE(decode_snapshot(bad).ok) << "octet " << i;
    }
  for (std::size_t n = 0; n < data.size(); ++n) EXPECT_FALSE(decode_snapshot(data.substr(0, n)).ok) << "cut at " << n;
  EXPECT_FALSE(decode_snapshot(data + std::string(1, '\0')).ok);
}

TEST(SnapshotFormat, limits_leave_entries_out_when_writing_and_refuse_files_when_reading) {
  auto entries = samples(3);
  SnapshotLimits small;
  small.max_string = 64;
  SnapshotEncoder e(1, small);
  EXPECT_TRUE(e.add(entries[0], 1));
  auto long_diag = entries[1];
  long_diag.recipients[0].diagnostic = std::string(65, 'x');
  EXPECT_FALSE(e.add(long_diag, 2));  // left out: read from its file at start
  EXPECT_FALSE(e.add(entries[0], 3)); // not above the last ID
  EXPECT_TRUE(e.add(entries[2], 4));
  EXPECT_EQ(e.entries(), 2u);
  // Reading: each limit refuses a file that is otherwise fine.
  const std::string data = encode(entries, 5);
  SnapshotLimits few;
  few.max_entries = 2;
  EXPECT_FALSE(decode_snapshot(data, few).ok);
  SnapshotLimits tiny_file;
  tiny_file.max_file_bytes = data.size() - 1;
  EXPECT_FALSE(decode_snapshot(data, tiny_file).ok);
  SnapshotLimits short_strings;
  short_strings.max_string = 8;
  EXPECT_FALSE(decode_snapshot(data, short_strings).ok);
  SnapshotLimits one_rcpt;
  one_rcpt.max_recipients = 1;
  EXPECT_FALSE(decode_snapshot(data, one_rcpt).ok);
  SnapshotLimits small_blocks;
  small_blocks.max_block_bytes = 16;
  EXPECT_FALSE(decode_snapshot(data, small_blocks).ok);
}

namespace {
struct SnapshotStoreTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-snapshot-test-" + std::to_string(::getpid()));
  Store store{dir};
  QueueIdGenerator ids{0};
  void SetUp() override {
    fs::remove_all(dir);
    store.prepare();
  }
  void TearDown() override { fs::remove_all(dir); }

  std::string write_entry(const std::string& address) {
    std::error_code ec;
    auto id = ids.next(1795430400000000);
    auto d = store.begin(id, ec);
    EXPECT_TRUE(d) << ec.message();
    d->append("Subject: hi\r\n\r\nbody\r\n");
    ControlFile c;
    c.origin = "smtp";
    c.sender = "a@b.example";
    RecipientRecord r;
    r.address = address;
    r.channel = Channel::p1;
    r.peer = "mta.example";
    c.recipients.push_back(r);
    DurableSet files;
    EXPECT_FALSE(d->finish(c, files));
    files.close_all();
    return id;
  }
  // A clean shutdown as the daemon makes it: the snapshot of every entry (as
  // their files say), then the clean marker naming it (or `mark`, to test a stale one).
  std::uint64_t shut_down(std::optional<std::uint64_t> mark = std::nullopt) {
    std::error_code ec;
    auto w = SnapshotWriter::open(dir, ec);
    EXPECT_TRUE(w) << ec.message();
    for (const auto& id : store.list_ids()) EXPECT_TRUE(w->add(*store.read(id)));
    const auto generation = w->finish(ec);
    EXPECT_NE(generation, 0u) << ec.message();
    EXPECT_FALSE(store.mark_clean(mark.value_or(generation)));
    return generation;
  }
  // Recovery, and the entries in the order they were handed on.
  RecoveryReport start(std::vector<ControlFile>& out) {
    out.clear();
    return store.recover([&](ControlFile&& c) { out.push_back(std::move(c)); });
  }
  fs::path entry(const std::string& id) const { return dir / "msg" / id; }
  // Replaces the text "from" by "to" (same length) in an entry's file, in place.
  void edit_in_place(const std::string& id, const std::string& from, const std::string& to) {
    std::fstream f(entry(id), std::ios::binary | std::ios::in | std::ios::out);
    std::string s((std::istreambuf_iterator<char>(f)), {});
    const auto at = s.find(from);
    ASSERT_NE(at, std::string::npos);
    f.seekp(static_cast<std::streamoff>(at));
    f.write(to.data(), static_cast<std::streamsize>(to.size()));
  }
};
}  // namespace

TEST_F(SnapshotStoreTest, clean_start_takes_entries_from_the_snapshot_without_opening_their_files_once) {
  std::vector<std::string> written;
  for (int i = 0; i < 300; ++i) written.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  shut_down();
  ASSERT_TRUE(fs::exists(dir / "snapshot"));
  // Changed behind the snapshot's back (the CLI calls forget_snapshot(); this test does
  // not): the snapshot's address comes back, proof that the file was not read.
  edit_in_place(written[5], "u5@x400", "u5@X400");
  std::vector<ControlFile> got;
  auto report = start(got);
  EXPECT_TRUE(report.clean);
  EXPECT_EQ(report.snapshot, "");
  EXPECT_EQ(report.from_snapshot, 300u);
  EXPECT_EQ(report.recovered, 300u);
  ASSERT_EQ(got.size(), 300u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, written[i]);
    if (i != 5) EXPECT_EQ(text_of(got[i]), text_of(*store.read(written[i]))) << i;
    EXPECT_EQ(got[i].size, store.read(written[i])->size);
  }
  EXPECT_EQ(got[5].recipients[0].address, "u5@x400.example");
  // Used once: removed with the marker, so the next start (a crash after this one) reads every file.
  EXPECT_FALSE(fs::exists(dir / "snapshot"));
  EXPECT_FALSE(fs::exists(dir / "clean"));
  report = start(got);
  EXPECT_FALSE(report.clean);
  EXPECT_EQ(report.from_snapshot, 0u);
  ASSERT_EQ(got.size(), 300u);
  EXPECT_EQ(got[5].recipients[0].address, "u5@X400.example");
}

TEST_F(SnapshotStoreTest, entries_added_removed_or_replaced_after_the_snapshot_are_read_or_dropped) {
  std::vector<std::string> written;
  for (int i = 0; i < 10; ++i) written.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  shut_down();
  const auto added = write_entry("late@x400.example");          // after the snapshot
  fs::remove(entry(written[3]));                               // gone: dropped, not invented
  fs::copy_file(entry(written[7]), dir / "copy");              // replaced (another inode), then edited
  fs::rename(dir / "copy", entry(written[7]));
  edit_in_place(written[7], "u7@x400", "u7@X400");
  std::vector<ControlFile> got;
  auto report = start(got);
  EXPECT_EQ(report.snapshot, "");
  EXPECT_EQ(report.from_snapshot, 8u);
  ASSERT_EQ(got.size(), 10u);
  std::vector<std::string> seen;
  for (const auto& c : got) seen.push_back(c.id);
  std::vector<std::string> want = written;
  want.erase(want.begin() + 3);
  want.push_back(added);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, want);
  // From the snapshot first, then from the files (written[7] and the late one).
  EXPECT_EQ(got[8].id, written[7]);
  EXPECT_EQ(got[8].recipients[0].address, "u7@X400.example");
  EXPECT_EQ(got[9].id, added);
}

TEST_F(SnapshotStoreTest, stale_or_unnamed_or_damaged_snapshots_mean_the_full_scan) {
  std::vector<std::string> written;
  for (int i = 0; i < 50; ++i) written.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  std::vector<ControlFile> got;
  auto expect_full_scan = [&](const std::string& why_contains, bool clean) {
    auto report = start(got);
    EXPECT_EQ(report.clean, clean);
    EXPECT_EQ(report.from_snapshot, 0u);
    EXPECT_NE(report.snapshot.find(why_contains), std::string::npos) << report.snapshot;
    EXPECT_EQ(got.size(), 50u);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].id, written[i]);
    EXPECT_FALSE(fs::exists(dir / "snapshot"));
  };
  // Another shutdown's snapshot (the marker names another generation).
  const auto g = shut_down();
  fs::copy_file(dir / "snapshot", dir / "kept");
  fs::remove(dir / "clean");
  EXPECT_FALSE(store.mark_clean(g + 1));
  expect_full_scan("generation", true);
  // A marker naming none (written by a shutdown that could not write one).
  fs::copy_file(dir / "kept", dir / "snapshot");
  EXPECT_FALSE(store.mark_clean());
  expect_full_scan("names no snapshot", true);
  // No clean shutdown (a crash): the snapshot is not read, and removed.
  fs::copy_file(dir / "kept", dir / "snapshot");
  expect_full_scan("no clean shutdown", false);
  // Damage: an octet in the header, a block header, an entry; cut; extended.
  const std::string good = [&] {
    std::ifstream in(dir / "kept", std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }();
  for (std::size_t at : {std::size_t{20}, kSnapshotHeaderSize + 1, kSnapshotHeaderSize + 40, good.size() - 3}) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    std::ofstream(dir / "snapshot", std::ios::binary) << bad;
    EXPECT_FALSE(store.mark_clean(g));
    expect_full_scan("", true);
  }
  std::ofstream(dir / "snapshot", std::ios::binary) << good.substr(0, good.size() - 10);
  EXPECT_FALSE(store.mark_clean(g));
  expect_full_scan("size", true);
  std::ofstream(dir / "snapshot", std::ios::binary) << good << "x";
  EXPECT_FALSE(store.mark_clean(g));
  expect_full_scan("size", true);
  // The marker names a snapshot that is not there.
  EXPECT_FALSE(store.mark_clean(g));
  expect_full_scan("there is none", true);
  // The intact file again: used (the generation matches).
  std::ofstream(dir / "snapshot", std::ios::binary) << good;
  EXPECT_FALSE(store.mark_clean(g));
  auto report = start(got);
  EXPECT_EQ(report.from_snapshot, 50u);
}

TEST_F(SnapshotStoreTest, forget_snapshot_before_an_offline_change) {
  for (int i = 0; i < 5; ++i) write_entry("u" + std::to_string(i) + "@x400.example");
  shut_down();
  EXPECT_FALSE(store.forget_snapshot());
  EXPECT_FALSE(fs::exists(dir / "snapshot"));
  EXPECT_FALSE(store.forget_snapshot());  // none: nothing to do
  std::vector<ControlFile> got;
  auto report = start(got);
  EXPECT_TRUE(report.clean);
  EXPECT_EQ(report.from_snapshot, 0u);
  EXPECT_EQ(got.size(), 5u);
}

// The fuzz target's seeds (tests/fuzz/corpus/fuzz_queue_snapshot, written by an
// independent encoder) are accepted snapshots, so its invariants run from the start.
TEST(SnapshotFormat, fuzz_seeds_are_snapshots_the_decoder_accepts) {
  for (const char* name : {"seed1", "seed2", "seed3"}) {
    std::ifstream in(fs::path("tests/fuzz/corpus/fuzz_queue_snapshot") / name, std::ios::binary);
    ASSERT_TRUE(in) << name;
    const std::string data((std::istreambuf_iterator<char>(in)), {});
    std::size_t n = 0;
    auto r = decode_snapshot(data, {}, [&](ControlFile&&, std::uint64_t) { ++n; });
    EXPECT_TRUE(r.ok) << name << ": " << r.error;
    EXPECT_EQ(n, r.entries);
  }
}
