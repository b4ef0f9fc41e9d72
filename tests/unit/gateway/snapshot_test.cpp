// The start-up snapshot (issue 14): its format (round trip, every corruption
// refused, limits), and the store's use of it at start: after a clean
// shutdown naming its generation on the inode alone, otherwise (a crash, a
// periodic or stale snapshot) only for entries whose file has the same inode
// and size and no later ctime; only for entries whose file is still there,
// once; a fault part-way uses the entries before it (each stands on its own
// block's CRC and its file's facts) and reads the rest from their files; a
// bad header or file size means the full scan. A differential
// test: random changes after a snapshot, then the start from it and the full
// scan must give the same state.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/snapshot_format.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue/store.hpp"
#include "tests/unit/gateway/queue_fixture.hpp"

using namespace mixer::queue;
using mixer::queue::test::operator_record;
using mixer::queue::test::status_record;
namespace fs = std::filesystem;

namespace {

// Two control files are the same for a snapshot when their projections read alike.
std::string text_of(const ControlFile& c) { return snapshot_state_text(c); }

ControlFile sample(const std::string& id, int variant) {
  ControlFile c;
  c.id = id;
  c.arrival_us = 1'795'430'400'000'000 + variant;
  c.size = 2048 + static_cast<std::uint64_t>(variant);
  c.file_size = 4000 + static_cast<std::uint64_t>(variant);
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
  SnapshotEncoder e(generation, 1'795'430'400'123'456'789, {}, block);
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
  EXPECT_EQ(r.as_of_ns, 1'795'430'400'123'456'789u);
  ASSERT_EQ(back.size(), entries.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(text_of(back[i]), text_of(entries[i]));
    EXPECT_EQ(back[i].size, entries[i].size);
    EXPECT_EQ(back[i].file_size, entries[i].file_size);
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
  SnapshotEncoder e(1, 0, small);
  auto unknown = entries[0];
  unknown.file_size = 0;
  EXPECT_FALSE(e.add(unknown, 1));  // its file's size not known: read from the file at start
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
struct SnapshotStoreTest : test::QueueDirTest {
  SnapshotStoreTest() : QueueDirTest("snapshot-test") {}
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

// A fault part-way (the second block's CRC): the first block's entries stand on their own and
// are used; the rest are read from their files, each entry handed on once, in ID order.
TEST_F(SnapshotStoreTest, a_fault_part_way_uses_the_entries_before_it_and_reads_the_rest_from_their_files) {
  std::vector<std::string> written;
  for (int i = 0; i < 20; ++i) written.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  const auto now_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  SnapshotEncoder e(7, now_ns + kSnapshotCtimeSlackNs + 10'000'000'000, {}, 512);  // as of after every write
  for (const auto& id : written) {
    auto c = store.read(id);
    ASSERT_TRUE(c);
    c->file_size = fs::file_size(entry(id));
    struct stat st {};
    ASSERT_EQ(::stat(entry(id).c_str(), &st), 0);
    ASSERT_TRUE(e.add(*c, st.st_ino));
  }
  e.finish();
  const std::string blocks = e.take_blocks();
  std::string file = e.header() + blocks;
  auto u32 = [&](std::size_t at) {  // little-endian
    return std::uint32_t(std::uint8_t(file[at + 3])) << 24 | std::uint32_t(std::uint8_t(file[at + 2])) << 16 |
           std::uint32_t(std::uint8_t(file[at + 1])) << 8 | std::uint32_t(std::uint8_t(file[at]));
  };
  const std::size_t second = kSnapshotHeaderSize + kSnapshotBlockHeaderSize + u32(kSnapshotHeaderSize);
  ASSERT_LT(second + kSnapshotBlockHeaderSize + 1, file.size());  // at least two blocks
  file[second + kSnapshotBlockHeaderSize + 1] ^= 0x10;
  std::ofstream(dir / "snapshot", std::ios::binary) << file;
  std::vector<ControlFile> got;
  auto report = start(got);
  EXPECT_FALSE(report.clean);
  EXPECT_TRUE(report.snapshot_checked);
  EXPECT_GT(report.from_snapshot, 0u);
  EXPECT_LT(report.from_snapshot, 20u);
  EXPECT_NE(report.snapshot.find("read from their files"), std::string::npos) << report.snapshot;
  EXPECT_NE(report.snapshot.find("CRC"), std::string::npos) << report.snapshot;
  EXPECT_EQ(report.recovered, 20u);
  std::vector<std::string> ids;
  for (const auto& c : got) ids.push_back(c.id);
  EXPECT_EQ(ids, written);
  for (const auto& c : got) EXPECT_EQ(text_of(c), text_of(*store.read(c.id)));
}

TEST_F(SnapshotStoreTest, stale_unnamed_or_crash_snapshots_are_checked_per_file_damaged_ones_mean_the_full_scan) {
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
  // Not the clean shutdown's own (the marker names another generation, or none, or
  // there is no marker: a crash): used, each file checked. These files changed within
  // the slack before the snapshot, so every one counts as changed and is read.
  auto expect_checked = [&](bool clean) {
    auto report = start(got);
    EXPECT_EQ(report.clean, clean);
    EXPECT_EQ(report.snapshot, "");
    EXPECT_TRUE(report.snapshot_checked);
    EXPECT_EQ(report.from_snapshot, 0u);
    EXPECT_EQ(report.snapshot_changed, 50u);
    EXPECT_EQ(got.size(), 50u);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].id, written[i]);
    EXPECT_FALSE(fs::exists(dir / "snapshot"));
  };
  const auto g = shut_down();
  fs::copy_file(dir / "snapshot", dir / "kept");
  fs::remove(dir / "clean");
  EXPECT_FALSE(store.mark_clean(g + 1));
  expect_checked(true);
  fs::copy_file(dir / "kept", dir / "snapshot");
  EXPECT_FALSE(store.mark_clean());
  expect_checked(true);
  fs::copy_file(dir / "kept", dir / "snapshot");
  expect_checked(false);
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
  // A version 1 snapshot (no file sizes): not used.
  std::string v1 = good;
  v1[8] = 1;
  std::ofstream(dir / "snapshot", std::ios::binary) << v1;
  expect_full_scan("version", false);
  // The intact file again: used (the generation matches).
  std::ofstream(dir / "snapshot", std::ios::binary) << good;
  EXPECT_FALSE(store.mark_clean(g));
  auto report = start(got);
  EXPECT_EQ(report.from_snapshot, 50u);
}

namespace {
// Files are compared with a snapshot by their ctime (kSnapshotCtimeSlackNs before its
// as-of): a test waits this long between writing files and a snapshot that must
// take them.
void wait_past_the_ctime_slack() {
  std::this_thread::sleep_for(std::chrono::nanoseconds(kSnapshotCtimeSlackNs) + std::chrono::milliseconds(100));
}
// A snapshot as the daemon writes one while it runs (no clean marker): every entry in
// msg/ as its file says, with that file's size.
void write_running_snapshot(Store& store, const fs::path& dir) {
  std::error_code ec;
  auto w = SnapshotWriter::open(dir, ec);
  ASSERT_TRUE(w) << ec.message();
  for (const auto& id : store.list_ids()) {
    if (auto c = store.read(id)) {
      EXPECT_TRUE(w->add(*c)) << id;
    }
  }
  EXPECT_NE(w->finish(ec), 0u) << ec.message();
}
// What the start hands on: ID -> the state a snapshot keeps.
std::map<std::string, std::string> states(const std::vector<ControlFile>& got) {
  std::map<std::string, std::string> out;
  for (const auto& c : got) out[c.id] = snapshot_state_text(c);
  return out;
}
}  // namespace

// After a crash (no clean marker) a snapshot written while the daemon ran is used
// entry by entry: an entry whose file grew (an appended record), was edited in place
// (same size, later ctime), was removed, spent and reused under another ID, or
// replaced is read from its file; the others come from the snapshot unread.
TEST_F(SnapshotStoreTest, crash_start_takes_only_entries_whose_file_is_unchanged_since_the_snapshot) {
  std::vector<std::string> written;
  for (int i = 0; i < 40; ++i) written.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  EXPECT_FALSE(store.append(written[0], status_record(0, RecipientStatus::deferred, 1, "busy")));
  wait_past_the_ctime_slack();
  write_running_snapshot(store, dir);
  ASSERT_FALSE(fs::exists(dir / "clean"));
  EXPECT_FALSE(store.append(written[1], status_record(0, RecipientStatus::deferred, 2, "still busy"), false));
  EXPECT_FALSE(store.append(written[2], operator_record(Record::Kind::hold)));  // the offline CLI's hold
  edit_in_place(written[3], "u3@x400", "u3@X400");                              // same size
  EXPECT_FALSE(store.remove(written[4]));
  EXPECT_FALSE(store.discard(written[5]));                                      // spent to free/...
  const auto reused = write_entry("reused@x400.example");                       // ...and taken again
  fs::copy_file(entry(written[6]), dir / "copy");                              // another inode, same size
  fs::rename(dir / "copy", entry(written[6]));
  std::vector<ControlFile> got;
  auto report = start(got);
  EXPECT_FALSE(report.clean);
  EXPECT_EQ(report.snapshot, "");
  EXPECT_TRUE(report.snapshot_checked);
  // 40 listed in the snapshot: 4 and 5 gone, 6 another inode, 1, 2 and 3 changed.
  EXPECT_EQ(report.snapshot_changed, 3u);
  EXPECT_EQ(report.from_snapshot, 34u);
  EXPECT_EQ(report.recovered, 39u);
  const auto from_start = states(got);
  EXPECT_EQ(from_start.count(written[4]), 0u);
  EXPECT_EQ(from_start.count(written[5]), 0u);
  EXPECT_EQ(from_start.count(reused), 1u);
  EXPECT_NE(from_start.at(written[1]).find("still busy"), std::string::npos);
  EXPECT_NE(from_start.at(written[2]).find("held=1"), std::string::npos);
  EXPECT_NE(from_start.at(written[3]).find("u3@X400"), std::string::npos);
  // The same as reading every file.
  report = start(got);
  EXPECT_EQ(report.from_snapshot, 0u);
  EXPECT_EQ(states(got), from_start);
}

// The differential check: rounds of random changes of every kind an entry file sees
// (status records appended, synced or not; the CLI's hold, release, retry; removals;
// spent files reused; new entries; an edit in place), some before the snapshot and
// some after it, as a crash at a random moment would leave them. The start from the
// snapshot must hand on exactly what the full scan does, and must take some entries
// from the snapshot and find some changed.
TEST_F(SnapshotStoreTest, differential_start_from_snapshot_equals_full_scan_after_random_changes) {
  std::mt19937 rng(20261204);
  std::vector<std::string> live;
  for (int i = 0; i < 120; ++i) live.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  std::size_t adopted = 0, changed = 0;
  auto random_changes = [&](int n) {
    for (int k = 0; k < n && !live.empty(); ++k) {
      const std::size_t at = rng() % live.size();
      const std::string id = live[at];
      switch (rng() % 9) {
        case 0: case 1: case 2:
          EXPECT_FALSE(store.append(id, status_record(0, RecipientStatus::deferred, rng() % 9, "try " + std::to_string(rng() % 100)), rng() % 2));
          break;
        case 3: EXPECT_FALSE(store.append(id, operator_record(rng() % 2 ? Record::Kind::hold : Record::Kind::release))); break;
        case 4: EXPECT_FALSE(store.append(id, operator_record(Record::Kind::retry))); break;
        case 5:
          EXPECT_FALSE(store.remove(id));
          live.erase(live.begin() + static_cast<long>(at));
          break;
        case 6:
          EXPECT_FALSE(store.discard(id));  // spent: the next new entry takes its file
          live.erase(live.begin() + static_cast<long>(at));
          live.push_back(write_entry("n" + std::to_string(rng() % 1000) + "@x400.example"));
          break;
        case 7: live.push_back(write_entry("m" + std::to_string(rng() % 1000) + "@x400.example")); break;
        case 8: {
          auto c = store.read(id);
          ASSERT_TRUE(c);
          const std::string from = c->recipients[0].address.substr(0, 3);
          std::string to = from;
          to[0] = to[0] == 'u' ? 'U' : to[0] == 'n' ? 'N' : 'M';
          edit_in_place(id, "to=" + from, "to=" + to);
          break;
        }
      }
    }
  };
  for (int round = 0; round < 3; ++round) {
    random_changes(60);
    wait_past_the_ctime_slack();
    random_changes(static_cast<int>(rng() % 5));  // within the slack before it: counted as changed
    write_running_snapshot(store, dir);
    random_changes(static_cast<int>(rng() % 40));  // the crash comes after these
    std::vector<ControlFile> got;
    auto report = start(got);
    ASSERT_EQ(report.snapshot, "") << "round " << round;
    EXPECT_TRUE(report.snapshot_checked);
    adopted += report.from_snapshot;
    changed += report.snapshot_changed;
    const auto from_snapshot = states(got);
    report = start(got);  // the snapshot is gone: every file read
    EXPECT_EQ(report.from_snapshot, 0u);
    EXPECT_EQ(states(got), from_snapshot) << "round " << round;
    EXPECT_EQ(from_snapshot.size(), live.size());
  }
  EXPECT_GT(adopted, 100u);
  EXPECT_GT(changed, 10u);
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

// The snapshot is decoded on a thread of its own and handed on in batches: a receiver
// that throws part-way stops both, the exception comes back, nothing on disk is lost,
// and the entries come in ID order, each once.
TEST_F(SnapshotStoreTest, start_from_snapshot_hands_on_in_order_and_passes_on_the_receivers_exception) {
  std::vector<std::string> written;
  for (int i = 0; i < 3000; ++i) written.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  shut_down();
  std::size_t n = 0;
  EXPECT_THROW(store.recover([&](ControlFile&&) {
                 if (++n == 1500) throw std::runtime_error("no room");
               }),
               std::runtime_error);
  EXPECT_EQ(n, 1500u);
  EXPECT_EQ(store.recover().entries.size(), 3000u);  // every file read (the snapshot was used once)
  shut_down();
  std::vector<ControlFile> got;
  auto report = start(got);
  EXPECT_EQ(report.from_snapshot, 3000u);
  ASSERT_EQ(got.size(), written.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].id, written[i]) << i;
}
