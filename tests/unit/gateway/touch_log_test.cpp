// DIR/touched (issue 14): its format (only the IDs after the snapshot's own
// "open" line count; later snapshots' "open" lines are skipped; a torn last
// line is ignored; anything else unreadable after it, or past the limits,
// makes it unusable), the writer (an ID once per section, nothing before the
// first section, `sticky` IDs repeated in every section until released,
// compaction to the last section), and the start after a crash with it: the
// untouched entries of the snapshot taken with no fstatat, the touched ones
// read from their files, and in every case the state the full scan gives.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/touch_log_format.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/queue/touch_log.hpp"
#include "tests/unit/gateway/queue_fixture.hpp"

using namespace mixer::queue;
using mixer::queue::test::operator_record;
using mixer::queue::test::status_record;
namespace fs = std::filesystem;

namespace {
std::string id_of(std::int64_t n) { return encode_queue_id(1795430400000000 + n); }
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
}  // namespace

TEST(TouchLogFormat, only_the_ids_after_the_snapshots_open_line_count) {
  const std::string a = id_of(1), b = id_of(2), c = id_of(3), d = id_of(4);
  const std::string text = touch_log_header() + a + "\n" + touch_log_open_line(0xa1) + b + "\n" + c + "\n" +
                           touch_log_open_line(0xb2) + d + "\n" + b + "\n" + id_of(5).substr(0, 4);  // torn
  auto since_a1 = decode_touch_log(text, 0xa1);
  ASSERT_TRUE(since_a1.usable) << since_a1.why;
  // A later snapshot's "open" line skipped, its IDs counted; repeats once; the torn line ignored.
  EXPECT_EQ(since_a1.ids, (std::vector<std::string>{b, c, d}));
  auto since_b2 = decode_touch_log(text, 0xb2);
  ASSERT_TRUE(since_b2.usable);
  EXPECT_EQ(since_b2.ids, (std::vector<std::string>{b, d}));
  // Another snapshot's generation: not usable (the start stats every file).
  EXPECT_FALSE(decode_touch_log(text, 0xc3).usable);
  EXPECT_FALSE(decode_touch_log(touch_log_header(), 0xa1).usable);
}

TEST(TouchLogFormat, anything_unreadable_after_the_open_line_or_past_the_limits_makes_it_unusable) {
  const std::string open = touch_log_open_line(7);
  EXPECT_FALSE(decode_touch_log("", 7).usable);
  EXPECT_FALSE(decode_touch_log("mixer-touched 2\n" + open, 7).usable);
  EXPECT_FALSE(decode_touch_log(touch_log_header() + open + "not an id\n", 7).usable);
  EXPECT_FALSE(decode_touch_log(touch_log_header() + open + id_of(1) + "x\n", 7).usable);
  EXPECT_FALSE(decode_touch_log(touch_log_header() + open + "open 7\n", 7).usable);
  // Before it, anything: another run's or snapshot's lines are not read.
  auto before = decode_touch_log(touch_log_header() + "garbage\n" + open + id_of(1) + "\n", 7);
  EXPECT_TRUE(before.usable) << before.why;
  // The open line must start a line.
  EXPECT_FALSE(decode_touch_log(touch_log_header() + "x" + open, 7).usable);
  const std::string three = touch_log_header() + open + id_of(1) + "\n" + id_of(2) + "\n" + id_of(3) + "\n";
  TouchLogLimits two;
  two.max_ids = 2;
  EXPECT_FALSE(decode_touch_log(three, 7, two).usable);
  TouchLogLimits small;
  small.max_bytes = three.size() - 1;
  EXPECT_FALSE(decode_touch_log(three, 7, small).usable);
  EXPECT_EQ(decode_touch_log(three, 7).ids.size(), 3u);
}

namespace {
struct TouchLogTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-touch-log-test-" + std::to_string(::getpid()));
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  TouchedSince since(std::uint64_t g) { return decode_touch_log(read_file(dir / "touched"), g); }
};
}  // namespace

TEST_F(TouchLogTest, an_id_once_per_section_and_sticky_ones_until_released) {
  std::error_code ec;
  auto log = TouchLog::start(dir, ec);
  ASSERT_TRUE(log) << ec.message();
  EXPECT_EQ(read_file(dir / "touched"), touch_log_header());
  // No snapshot of this run yet: nothing to write.
  EXPECT_FALSE(log->touch(id_of(1)));
  EXPECT_FALSE(log->touch(id_of(2), true));  // the operator's: kept for the sections to come
  EXPECT_EQ(log->lines(), 0u);
  EXPECT_EQ(read_file(dir / "touched"), touch_log_header());
  EXPECT_FALSE(log->open_section(0x11));
  EXPECT_EQ(since(0x11).ids, (std::vector<std::string>{id_of(2)}));
  EXPECT_FALSE(log->touch(id_of(3)));
  EXPECT_FALSE(log->touch(id_of(3)));
  EXPECT_FALSE(log->touch(id_of(1)));
  EXPECT_EQ(since(0x11).ids, (std::vector<std::string>{id_of(1), id_of(2), id_of(3)}));
  EXPECT_EQ(log->lines(), 3u);
  // The next section: the sticky one again, the others only when touched again.
  EXPECT_FALSE(log->open_section(0x22));
  EXPECT_EQ(since(0x22).ids, (std::vector<std::string>{id_of(2)}));
  log->release(id_of(2));
  EXPECT_FALSE(log->touch(id_of(3)));
  EXPECT_FALSE(log->open_section(0x33));
  EXPECT_TRUE(since(0x33).ids.empty());
  EXPECT_TRUE(since(0x33).usable);
  // The first section still reads whole (the later ones' IDs count for it too).
  EXPECT_EQ(since(0x11).ids, (std::vector<std::string>{id_of(1), id_of(2), id_of(3)}));
}

// An entry above every listing of the run is in no snapshot of it: no line, no sync;
// while a snapshot lists msg/ every ID counts; the mark is never lowered.
TEST_F(TouchLogTest, ids_above_every_listing_of_the_run_need_no_line) {
  std::error_code ec;
  auto log = TouchLog::start(dir, ec);
  ASSERT_TRUE(log);
  EXPECT_FALSE(log->open_section(0x11));
  EXPECT_FALSE(log->touch(id_of(7)));  // listing under way
  log->listed(id_of(5));
  EXPECT_FALSE(log->touch(id_of(8)));  // newer than anything listed
  EXPECT_FALSE(log->touch(id_of(3)));
  EXPECT_EQ(since(0x11).ids, (std::vector<std::string>{id_of(3), id_of(7)}));
  EXPECT_FALSE(log->open_section(0x22));
  EXPECT_FALSE(log->touch(id_of(9)));
  log->listed(id_of(2));  // entries 3..5 may be gone now, but snapshot 0x11 still holds them
  EXPECT_FALSE(log->touch(id_of(4)));
  EXPECT_FALSE(log->touch(id_of(10)));
  EXPECT_EQ(since(0x22).ids, (std::vector<std::string>{id_of(4), id_of(9)}));
  EXPECT_EQ(log->lines(), 4u);
}

// The queue manager's batch before its attempts: one write for the IDs that need a line.
TEST_F(TouchLogTest, a_batch_writes_each_id_that_needs_a_line_once) {
  std::error_code ec;
  auto log = TouchLog::start(dir, ec);
  ASSERT_TRUE(log);
  EXPECT_FALSE(log->touch_all({id_of(1), id_of(2)}));  // no section yet
  EXPECT_EQ(log->lines(), 0u);
  EXPECT_FALSE(log->open_section(0x11));
  log->listed(id_of(5));
  EXPECT_FALSE(log->touch(id_of(1)));
  EXPECT_FALSE(log->touch_all({id_of(1), id_of(2), id_of(2), id_of(9), id_of(3)}));
  EXPECT_EQ(since(0x11).ids, (std::vector<std::string>{id_of(1), id_of(2), id_of(3)}));
  EXPECT_EQ(log->lines(), 3u);
  EXPECT_EQ(read_file(dir / "touched"),
            touch_log_header() + touch_log_open_line(0x11) + id_of(1) + "\n" + id_of(2) + "\n" + id_of(3) + "\n");
}

TEST_F(TouchLogTest, compaction_keeps_the_section_of_the_snapshot_in_place_only) {
  std::error_code ec;
  auto log = TouchLog::start(dir, ec);
  ASSERT_TRUE(log);
  EXPECT_FALSE(log->open_section(0x11));
  EXPECT_FALSE(log->touch(id_of(1)));
  EXPECT_FALSE(log->open_section(0x22));
  EXPECT_FALSE(log->touch(id_of(2)));
  EXPECT_FALSE(log->compact(0x11));  // not the current section: nothing done
  EXPECT_TRUE(since(0x11).usable);
  EXPECT_FALSE(log->compact(0x22));
  EXPECT_EQ(read_file(dir / "touched"), touch_log_header() + touch_log_open_line(0x22) + id_of(2) + "\n");
  EXPECT_FALSE(fs::exists(dir / "touched.new"));
  // Later IDs go to the new file.
  EXPECT_FALSE(log->touch(id_of(3)));
  EXPECT_EQ(since(0x22).ids, (std::vector<std::string>{id_of(2), id_of(3)}));
  EXPECT_FALSE(since(0x11).usable);
}

namespace {
struct TouchLogStoreTest : test::QueueDirTest {
  TouchLogStoreTest() : QueueDirTest("touch-store-test") {}
  void SetUp() override {
    QueueDirTest::SetUp();
    ASSERT_FALSE(store.start_touch_log());
  }

  // A snapshot as the daemon writes one while it runs: its section opened first,
  // then every entry as `state` gives it (default: as its file says), no clean marker.
  std::uint64_t write_running_snapshot(const std::map<std::string, ControlFile>& stale = {}) {
    std::error_code ec;
    auto w = SnapshotWriter::open(dir, ec, {}, store.touch_log());
    EXPECT_TRUE(w) << ec.message();
    if (!w) return 0;
    for (const auto& id : store.list_ids()) {
      auto it = stale.find(id);
      if (it != stale.end()) {
        EXPECT_TRUE(w->add(it->second));
      } else if (auto c = store.read(id)) {
        EXPECT_TRUE(w->add(*c)) << id;
      }
    }
    const auto generation = w->finish(ec);
    EXPECT_NE(generation, 0u) << ec.message();
    return generation;
  }
  // A start after a crash, then the daemon's touch log for the run after it.
  RecoveryReport start(std::map<std::string, std::string>& out) {
    out.clear();
    auto report = store.recover([&](ControlFile&& c) { out[c.id] = snapshot_state_text(c); });
    EXPECT_FALSE(store.start_touch_log());
    return report;
  }
};
}  // namespace

// No ctime slack to wait for, no fstatat: the entries written to after the snapshot
// began are read from their files, the removed, spent and replaced ones are known by
// the listing, and every other one is taken from the snapshot.
TEST_F(TouchLogStoreTest, crash_start_reads_only_the_touched_entries_and_stats_none) {
  std::vector<std::string> written;
  for (int i = 0; i < 30; ++i) written.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  EXPECT_FALSE(store.append(written[0], status_record(0, RecipientStatus::deferred, 1, "busy")));  // before: in the snapshot's state
  write_running_snapshot();
  EXPECT_FALSE(store.append(written[1], status_record(0, RecipientStatus::deferred, 2, "still busy"), false));
  EXPECT_FALSE(store.append(written[1], status_record(0, RecipientStatus::deferred, 3, "busier")));
  EXPECT_FALSE(store.append(written[2], operator_record(Record::Kind::hold), true, Touch::until_released));
  EXPECT_FALSE(store.remove(written[3]));
  EXPECT_FALSE(store.discard(written[4]));
  const auto reused = write_entry("reused@x400.example");
  fs::copy_file(dir / "msg" / written[5], dir / "copy");  // another inode
  fs::rename(dir / "copy", dir / "msg" / written[5]);
  std::map<std::string, std::string> got;
  auto report = start(got);
  EXPECT_EQ(report.snapshot, "");
  EXPECT_FALSE(report.snapshot_checked);
  EXPECT_TRUE(report.snapshot_touch_log);
  EXPECT_EQ(report.snapshot_changed, 2u);  // 1 and 2 (3 is gone)
  EXPECT_EQ(report.from_snapshot, 30u - 2 - 3);
  EXPECT_EQ(got.count(written[3]), 0u);
  EXPECT_EQ(got.count(written[4]), 0u);
  EXPECT_EQ(got.count(reused), 1u);
  EXPECT_NE(got.at(written[0]).find("busy"), std::string::npos);
  EXPECT_NE(got.at(written[1]).find("busier"), std::string::npos);
  EXPECT_NE(got.at(written[2]).find("held=1"), std::string::npos);
  std::map<std::string, std::string> full;
  report = start(full);  // the snapshot is gone: every file read
  EXPECT_EQ(report.from_snapshot, 0u);
  EXPECT_EQ(full, got);
}

// The operator's hold is appended off the queue manager's strand, which takes it into
// its state later: a snapshot begun in between copies the old state. The ID, touched
// `until_released`, is in that snapshot's section, so the start reads the file.
TEST_F(TouchLogStoreTest, an_operators_change_the_snapshot_copied_too_early_is_read_from_its_file) {
  const auto id = write_entry("u@x400.example");
  const auto other = write_entry("v@x400.example");
  write_running_snapshot();  // this run's first section
  const ControlFile before = *store.read(id);
  EXPECT_FALSE(store.append(id, operator_record(Record::Kind::hold), true, Touch::until_released));
  write_running_snapshot({{id, before}});  // the strand had not taken the hold in yet
  std::map<std::string, std::string> got;
  auto report = start(got);
  EXPECT_TRUE(report.snapshot_touch_log);
  EXPECT_EQ(report.snapshot_changed, 1u);
  EXPECT_NE(got.at(id).find("held=1"), std::string::npos);
  EXPECT_EQ(got.count(other), 1u);
  // Once released, a later section no longer names it.
  write_running_snapshot();
  EXPECT_FALSE(store.append(id, operator_record(Record::Kind::release), true, Touch::until_released));
  store.touch_log()->release(id);
  write_running_snapshot();
  report = start(got);
  EXPECT_TRUE(report.snapshot_touch_log);
  EXPECT_EQ(report.snapshot_changed, 0u);
  EXPECT_EQ(report.from_snapshot, 2u);
  EXPECT_NE(got.at(id).find("held=0"), std::string::npos);
}

// Without this run's section for the snapshot (a snapshot written with no touch log,
// or a touch log made afresh after it), the start stats every file as before.
TEST_F(TouchLogStoreTest, a_snapshot_the_touch_log_has_no_section_for_is_checked_file_by_file) {
  for (int i = 0; i < 5; ++i) write_entry("u" + std::to_string(i) + "@x400.example");
  write_running_snapshot();
  ASSERT_FALSE(store.start_touch_log());  // a new run's file: no section for that snapshot
  std::map<std::string, std::string> got;
  auto report = start(got);
  EXPECT_FALSE(report.snapshot_touch_log);
  EXPECT_TRUE(report.snapshot_checked);
  EXPECT_EQ(got.size(), 5u);
}

// The differential check: rounds of random changes through the store (status records,
// synced or not; the operator's hold, release, retry, off the strand; removals; spent
// files reused; new entries), some before the snapshot and some after it, as a crash
// at a random moment leaves them. The start from the snapshot and DIR/touched must hand
// on exactly what the full scan does, take most entries from the snapshot, and stat none.
TEST_F(TouchLogStoreTest, differential_start_with_the_touch_log_equals_full_scan_after_random_changes) {
  std::mt19937 rng(20261205);
  std::vector<std::string> live;
  for (int i = 0; i < 150; ++i) live.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  std::size_t adopted = 0, changed = 0;
  auto random_changes = [&](int n) {
    for (int k = 0; k < n && !live.empty(); ++k) {
      const std::size_t at = rng() % live.size();
      const std::string id = live[at];
      switch (rng() % 8) {
        case 0: case 1: case 2:
          EXPECT_FALSE(store.append(id, status_record(0, RecipientStatus::deferred, rng() % 9, "try " + std::to_string(rng() % 100)), rng() % 2));
          break;
        case 3:
          EXPECT_FALSE(store.append(id, operator_record(rng() % 2 ? Record::Kind::hold : Record::Kind::release), true,
                                    Touch::until_released));
          store.touch_log()->release(id);  // the strand took it in (before the next snapshot copies it)
          break;
        case 4: EXPECT_FALSE(store.append(id, operator_record(Record::Kind::retry), true, Touch::until_released)); break;
        case 5:
          EXPECT_FALSE(store.remove(id));
          live.erase(live.begin() + static_cast<long>(at));
          break;
        case 6:
          EXPECT_FALSE(store.discard(id));
          live.erase(live.begin() + static_cast<long>(at));
          live.push_back(write_entry("n" + std::to_string(rng() % 1000) + "@x400.example"));
          break;
        case 7: live.push_back(write_entry("m" + std::to_string(rng() % 1000) + "@x400.example")); break;
      }
    }
  };
  for (int round = 0; round < 4; ++round) {
    for (int s = 0; s < 1 + round % 2; ++s) {  // one or two snapshots in the run, changes between
      random_changes(40);
      write_running_snapshot();
    }
    random_changes(static_cast<int>(rng() % 40));  // the crash comes after these
    std::map<std::string, std::string> got;
    auto report = start(got);
    ASSERT_EQ(report.snapshot, "") << "round " << round;
    EXPECT_TRUE(report.snapshot_touch_log);
    EXPECT_FALSE(report.snapshot_checked);
    adopted += report.from_snapshot;
    changed += report.snapshot_changed;
    std::map<std::string, std::string> full;
    report = start(full);
    EXPECT_EQ(report.from_snapshot, 0u);
    EXPECT_EQ(full, got) << "round " << round;
    EXPECT_EQ(got.size(), live.size());
  }
  EXPECT_GT(adopted, 300u);
  EXPECT_GT(changed, 10u);
}

// A start that used a snapshot leaves it in place and continues its section of
// DIR/touched (as the daemon does): a crash before the run's first periodic snapshot
// starts from it again instead of reading every file. Rounds of random changes, one
// crash before the start and one after it; the second start must hand on what the
// full scan does (the entries the first start read from their files are named in the
// continued section: without them it would take their stale snapshot state), and take
// most entries from the snapshot. The same after a clean shutdown's snapshot.
TEST_F(TouchLogStoreTest, a_crash_before_the_runs_first_snapshot_starts_from_the_one_the_last_start_kept) {
  std::mt19937 rng(20261206);
  std::vector<std::string> live;
  for (int i = 0; i < 120; ++i) live.push_back(write_entry("u" + std::to_string(i) + "@x400.example"));
  auto random_changes = [&](int n) {
    for (int k = 0; k < n && !live.empty(); ++k) {
      const std::size_t at = rng() % live.size();
      const std::string id = live[at];
      switch (rng() % 6) {
        case 0: case 1:
          EXPECT_FALSE(store.append(id, status_record(0, RecipientStatus::deferred, rng() % 9, "try " + std::to_string(rng() % 100)), rng() % 2));
          break;
        case 2:
          EXPECT_FALSE(store.append(id, operator_record(rng() % 2 ? Record::Kind::hold : Record::Kind::release), true,
                                    Touch::until_released));
          store.touch_log()->release(id);
          break;
        case 3:
          EXPECT_FALSE(store.remove(id));
          live.erase(live.begin() + static_cast<long>(at));
          break;
        case 4:
          EXPECT_FALSE(store.discard(id));
          live.erase(live.begin() + static_cast<long>(at));
          break;
        case 5: live.push_back(write_entry("m" + std::to_string(rng() % 1000) + "@x400.example")); break;
      }
    }
  };
  // The daemon's start: the snapshot kept and continued, or forgotten.
  auto daemon_start = [&](std::map<std::string, std::string>& out) {
    out.clear();
    store.keep_used_snapshot(true);
    auto r = store.recover([&](ControlFile&& c) { out[c.id] = snapshot_state_text(c); });
    store.keep_used_snapshot(false);
    EXPECT_FALSE(store.start_touch_log());
    if (r.snapshot_left) {
      if (r.snapshot_generation)
        EXPECT_FALSE(store.touch_log()->continue_section(r.snapshot_generation, r.snapshot_rest, r.listing_greatest));
      else
        EXPECT_FALSE(store.forget_snapshot());
    }
    return r;
  };
  std::size_t adopted_again = 0;
  for (int round = 0; round < 4; ++round) {
    if (round % 2 == 0) {
      random_changes(30);
      write_running_snapshot();
      random_changes(30);  // then a crash
    } else {
      const auto g = write_running_snapshot();  // as a clean shutdown writes it, with its marker
      ASSERT_FALSE(store.mark_clean(g));
    }
    std::map<std::string, std::string> first, second, full;
    auto r1 = daemon_start(first);
    ASSERT_EQ(r1.snapshot, "") << "round " << round;
    ASSERT_TRUE(r1.snapshot_left);
    ASSERT_NE(r1.snapshot_generation, 0u);
    EXPECT_TRUE(fs::exists(dir / "snapshot"));
    random_changes(30);  // this run: no periodic snapshot yet, then a crash
    auto r2 = daemon_start(second);
    ASSERT_EQ(r2.snapshot, "") << "round " << round;
    EXPECT_TRUE(r2.snapshot_touch_log) << "round " << round;
    EXPECT_FALSE(r2.snapshot_checked);
    EXPECT_EQ(r2.snapshot_generation, r1.snapshot_generation);
    adopted_again += r2.from_snapshot;
    ASSERT_FALSE(store.forget_snapshot());
    auto r3 = start(full);
    EXPECT_EQ(r3.from_snapshot, 0u);
    EXPECT_EQ(full, second) << "round " << round;
    EXPECT_EQ(second.size(), live.size());
  }
  EXPECT_GT(adopted_again, 200u);
}
