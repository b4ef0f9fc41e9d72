// The scheduler's part in the periodic start-up snapshot (issue 14): while it
// runs, each entry it exports with a known file size must be exactly what its
// file says at that size (the records it appended counted, nothing else), so
// that a start after a crash may take the entry from the snapshot when the
// file still has that size. Run against a real queue directory: random
// deliveries, deferrals, failures, expiries, delay warnings, the operator's
// hold/release/retry (recorded by the caller, as the CLI does), flush,
// failed appends and new entries in reused files; at random moments the
// export is compared with the files, and a snapshot written from it
// (periodic_snapshot.cpp's way, in slices) must start the same as the full scan.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "gateway/qmgr/scheduler.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/snapshot_format.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue/store.hpp"

using namespace mixer;
using namespace mixer::qmgr;
namespace fs = std::filesystem;

namespace {

constexpr Micros S = 1'000'000;

// The daemon's sink (Qmgr's): appends to and discards from the real store.
struct StoreSink : Sink {
  queue::Store& store;
  bool fail_next = false;
  explicit StoreSink(queue::Store& s) : store(s) {}
  std::error_code append(const std::string& id, const queue::Record& r, bool sync) override {
    if (fail_next) {  // a full disk: nothing written (a deferral's state moves on regardless)
      fail_next = false;
      return std::make_error_code(std::errc::no_space_on_device);
    }
    return store.append(id, r, sync);
  }
  void discard(const std::string& id) override { store.discard(id); }
  void event(const Event&) override {}
};

struct SchedulerSnapshotTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-sched-snapshot-" + std::to_string(::getpid()));
  queue::Store store{dir};
  StoreSink sink{store};
  queue::QueueIdGenerator ids{0};
  std::mt19937 rng{20261204};
  Micros now = 1'800'000'000LL * S;
  std::unique_ptr<Scheduler> s;
  std::map<std::string, std::uint64_t> content_size;

  void SetUp() override {
    fs::remove_all(dir);
    store.prepare();
    Limits l;
    l.per_hop = [](Channel, const std::string&) { return std::size_t(3); };
    l.per_channel = {10, 10, 0};
    s = std::make_unique<Scheduler>(sink, l, 7);
    RetryPolicy p;
    p.initial = std::chrono::minutes(1);
    p.max = std::chrono::minutes(20);
    p.lifetime = std::chrono::hours(6);
    p.delay_warning = std::chrono::minutes(45);
    p.jitter = 0.1;
    s->set_policy(Channel::p1, p);
    s->set_policy(Channel::smtp, p);
  }
  void TearDown() override { fs::remove_all(dir); }

  // A new entry as the submit stage makes it (the committer then hands it over).
  void add_entry() {
    std::error_code ec;
    const auto id = ids.next(now);
    auto d = store.begin(id, ec);
    ASSERT_TRUE(d) << ec.message();
    queue::ControlFile c;
    c.arrival_us = now;
    c.origin = rng() % 2 ? "smtp" : "submit";
    if (c.origin == "submit") {
      c.apdu = "message";
      c.mts_id = "[/PRMD=P/ADMD= /C=XX/;" + id + "]";
      d->append(std::string(300 + rng() % 200, 'a'));
    } else {
      d->append("Subject: s\r\n\r\n" + std::string(rng() % 500, 'b'));
    }
    const std::size_t n = 1 + rng() % 3;
    for (std::size_t i = 0; i < n; ++i) {
      queue::RecipientRecord r;
      r.index = i;
      r.address = "r" + std::to_string(rng() % 100) + "@d" + std::to_string(rng() % 4) + ".example";
      if (c.apdu.empty()) {
        r.channel = queue::Channel::smtp;
        r.domain = "d" + std::to_string(rng() % 4) + ".example";
      } else {
        r.channel = queue::Channel::p1;
        r.peer = "mta-" + std::to_string(rng() % 3);
        if (rng() % 2) r.fallback = {"mta-9"};
      }
      c.recipients.push_back(r);
    }
    queue::DurableSet files;
    ASSERT_FALSE(d->finish(c, files));
    files.close_all();
    ASSERT_GT(c.file_size, 0u);
    content_size[id] = c.size;
    s->add(c, now);
  }

  // One step of a running queue manager.
  void step() {
    now += static_cast<Micros>(rng() % 120) * S;
    for (const auto& job : s->take(now)) {
      JobResult r;
      if (rng() % 6 == 0) {
        r.connection = JobResult::Connection::unreachable;
        r.text = "cannot connect";
      } else {
        for (auto i : job.rcpts) {
          const auto roll = rng() % 10;
          const Outcome o = roll < 2 ? Outcome::delivered : roll < 9 ? Outcome::deferred : Outcome::failed;
          if (rng() % 8 == 0) continue;  // no result: deferred by the scheduler
          r.recipients.push_back({i, o, o == Outcome::delivered ? "2.0.0" : "4.4.1", "reply " + std::to_string(rng() % 50),
                                  o == Outcome::delivered && rng() % 5 == 0});
        }
      }
      if (rng() % 40 == 0) sink.fail_next = true;
      s->complete(job, r, now + S);
    }
    const auto roll = rng() % 20;
    auto some = [&]() -> std::string {
      auto list = s->exportable_ids();
      return list.empty() ? std::string() : list[rng() % list.size()];
    };
    if (roll < 6) {
      add_entry();
    } else if (roll < 8) {
      // The operator: the record first (the CLI or the control socket), then the scheduler.
      const auto id = some();
      if (id.empty()) return;
      queue::ControlFile c;
      if (!s->export_entry(id, c)) return;
      queue::Record rec;
      rec.time = now / S;
      rec.kind = roll == 6 ? (c.held ? queue::Record::Kind::release : queue::Record::Kind::hold) : queue::Record::Kind::retry;
      ASSERT_FALSE(store.append(id, rec));
      if (rec.kind == queue::Record::Kind::retry) s->retry(id, now);
      else s->hold(id, rec.kind == queue::Record::Kind::hold, now);
    } else if (roll == 8 && rng() % 8 == 0) {
      s->flush(now);  // every deferred entry's size unknown from here on: rare, as in life
    }
  }

  // Every entry exported with a known file size: that size on disk, and that state in the file.
  std::size_t check_export() {
    std::size_t known = 0;
    s->export_entries([&](queue::ControlFile& c) {
      if (!c.file_size) return;
      ++known;
      struct stat st {};
      ASSERT_EQ(::stat(store.entry_path(c.id).c_str(), &st), 0) << c.id;
      EXPECT_EQ(static_cast<std::uint64_t>(st.st_size), c.file_size) << c.id;
      auto file = store.read(c.id);
      ASSERT_TRUE(file) << c.id;
      c.size = file->size;
      EXPECT_EQ(queue::snapshot_state_text(c), queue::snapshot_state_text(*file)) << c.id;
    });
    return known;
  }

  // The periodic snapshot's way: IDs, sorted, then each entry as it is (here all at once).
  void write_snapshot() {
    std::error_code ec;
    auto w = queue::SnapshotWriter::open(dir, ec);
    ASSERT_TRUE(w) << ec.message();
    auto list = s->exportable_ids();
    std::sort(list.begin(), list.end());
    queue::ControlFile c;
    for (const auto& id : list)
      if (s->export_entry(id, c) && c.file_size) {
        c.size = content_size.at(id);
        EXPECT_TRUE(w->add(c)) << id;
        w->write(w->take_blocks());
      }
    EXPECT_NE(w->finish(ec), 0u) << ec.message();
  }

  std::map<std::string, std::string> start() {
    std::map<std::string, std::string> out;
    store.recover([&](queue::ControlFile&& c) { out[c.id] = queue::snapshot_state_text(c); });
    return out;
  }
};

}  // namespace

TEST_F(SchedulerSnapshotTest, exported_file_sizes_hold_exactly_the_exported_state_and_a_crash_start_equals_the_full_scan) {
  for (int i = 0; i < 60; ++i) add_entry();
  std::size_t known = 0, checks = 0, adopted = 0;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 150; ++i) {
      step();
      if (rng() % 10 == 0) {
        known += check_export();
        ++checks;
      }
    }
    known += check_export();
    // Files changed within the ctime slack count as changed: wait past it, so that
    // the snapshot can take the entries the steps after it leave alone.
    std::this_thread::sleep_for(std::chrono::nanoseconds(queue::kSnapshotCtimeSlackNs) + std::chrono::milliseconds(100));
    write_snapshot();
    for (int i = 0, n = static_cast<int>(rng() % 10); i < n; ++i) step();  // then the crash
    queue::RecoveryReport report;
    std::map<std::string, std::string> from_snapshot;
    report = store.recover([&](queue::ControlFile&& c) { from_snapshot[c.id] = queue::snapshot_state_text(c); });
    EXPECT_EQ(report.snapshot, "");
    EXPECT_TRUE(report.snapshot_checked);
    adopted += report.from_snapshot;
    EXPECT_EQ(from_snapshot, start()) << "round " << round;
  }
  EXPECT_GT(checks, 10u);
  EXPECT_GT(known, 200u);
  EXPECT_GT(adopted, 5u);
}
