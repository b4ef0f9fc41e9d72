// Group commit: every submitted entry is reported durable exactly once,
// with both sync methods, from many threads at once.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "gateway/queue/committer.hpp"
#include "gateway/queue/format/queue_id.hpp"

using namespace mixer::queue;
namespace fs = std::filesystem;

namespace {
// A one-recipient entry begun and finished in `store`: the files the committer makes durable.
DurableSet finished_entry(Store& store, QueueIdGenerator& ids) {
  std::error_code ec;
  auto d = store.begin(ids.next(1), ec);
  DurableSet files;
  EXPECT_TRUE(d) << ec.message();
  if (!d) return files;
  ControlFile c;
  RecipientRecord r;
  r.address = "u@x.example";
  c.recipients.push_back(r);
  EXPECT_FALSE(d->finish(c, files));
  return files;
}

void run_many(mixer::conf::SyncMethod method) {
  fs::path dir = fs::temp_directory_path() / ("mixer-commit-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Store store(dir);
  store.prepare();
  QueueIdGenerator ids(0);
  Committer committer(method, store.msg_dir_fd());
  constexpr int kThreads = 8, kPerThread = 25;
  std::atomic<int> done{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        std::error_code ec;
        auto d = store.begin(ids.next(1), ec);
        ASSERT_TRUE(d);
        d->append("Subject: x\r\n\r\nbody\r\n");
        ControlFile c;
        RecipientRecord r;
        r.address = "u@x.example";
        r.channel = Channel::p1;
    r.peer = "mta.example";
        c.recipients.push_back(r);
        DurableSet files;
        ASSERT_FALSE(d->finish(c, files));
        std::promise<std::error_code> p;
        committer.submit(files, [&p](std::error_code e) { p.set_value(e); });
        if (p.get_future().get()) ++failed;
        ++done;
      }
    });
  for (auto& t : threads) t.join();
  committer.stop();
  auto s = committer.stats();
  EXPECT_EQ(done.load(), kThreads * kPerThread);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(s.entries, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_GE(s.batches, 1u);
  EXPECT_LE(s.batches, s.entries);
  EXPECT_GE(s.max_batch, 1u);
  if (method == mixer::conf::SyncMethod::syncfs) {
    EXPECT_EQ(s.sync_calls, s.batches);
  }
  EXPECT_EQ(store.recover().entries.size(), static_cast<std::size_t>(kThreads * kPerThread));
  fs::remove_all(dir);
}
}  // namespace

TEST(GroupCommit, syncfs_batches) { run_many(mixer::conf::SyncMethod::syncfs); }
TEST(GroupCommit, fsync_batches) { run_many(mixer::conf::SyncMethod::fsync); }

TEST(GroupCommit, stop_commits_what_is_pending) {
  fs::path dir = fs::temp_directory_path() / ("mixer-commit-stop-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Store store(dir);
  store.prepare();
  std::atomic<int> done{0};
  {
    Committer committer(mixer::conf::SyncMethod::syncfs, store.msg_dir_fd());
    QueueIdGenerator ids(0);
    for (int i = 0; i < 20; ++i) {
      committer.submit(finished_entry(store, ids), [&](std::error_code) { ++done; });
    }
  }  // destructor stops after committing everything
  EXPECT_EQ(done.load(), 20);
  fs::remove_all(dir);
}

// The idle work (files made ahead) runs on the committer thread only once no entry
// has come for a while, step by step until it says it is done, and again after a
// batch; never while entries keep coming, and entries are still committed.
TEST(GroupCommit, idle_work_runs_between_batches_until_done) {
  fs::path dir = fs::temp_directory_path() / ("mixer-commit-idle-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Store store(dir);
  store.prepare();
  std::atomic<int> steps{0}, done{0};
  std::atomic<int> budget{5};  // the idle work has 5 steps to do, then none until a batch
  {
    Committer committer(mixer::conf::SyncMethod::syncfs, store.msg_dir_fd(), 8, [&] {
      ++steps;
      return --budget > 0;
    });
    for (int i = 0; i < 200 && steps.load() < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(steps.load(), 5);  // stopped when it said so (no busy loop)
    budget = 3;
    QueueIdGenerator ids(0);
    auto commit_one = [&] {
      std::promise<std::error_code> p;
      committer.submit(finished_entry(store, ids), [&](std::error_code e) {
        ++done;
        p.set_value(e);
      });
      EXPECT_FALSE(p.get_future().get());
    };
    // Entries every 20 ms for 0.6 s: a load, so no idle work meanwhile.
    for (int i = 0; i < 30; ++i) {
      commit_one();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(steps.load(), 5);
    for (int i = 0; i < 400 && steps.load() < 8; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(steps.load(), 8);  // resumed once the entries stopped
  }
  EXPECT_EQ(done.load(), 30);
  fs::remove_all(dir);
}

// The before-sync work (the journals writing the lines their records added) runs on the
// committer thread before each batch's sync, so every entry's done() comes after it; and
// once more when no entry has come for a while (records made after the last batch).
TEST(GroupCommit, before_sync_runs_before_each_batch_and_when_idle) {
  fs::path dir = fs::temp_directory_path() / ("mixer-commit-before-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Store store(dir);
  store.prepare();
  std::atomic<int> flushes{0};
  {
    Committer committer(mixer::conf::SyncMethod::syncfs, store.msg_dir_fd());
    committer.set_before_sync([&] { ++flushes; });
    QueueIdGenerator ids(0);
    for (int i = 0; i < 3; ++i) {
      DurableSet files = finished_entry(store, ids);
      const int before = flushes.load();
      std::promise<int> p;
      committer.submit(files, [&](std::error_code) { p.set_value(flushes.load()); });
      EXPECT_GT(p.get_future().get(), before) << "done() before the before-sync work of its batch";
    }
    const int after_batches = flushes.load();
    for (int i = 0; i < 200 && flushes.load() == after_batches; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_GT(flushes.load(), after_batches) << "nothing when idle: the last batch's D records would wait";
  }
  fs::remove_all(dir);
}
