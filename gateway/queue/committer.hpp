// gateway/queue/committer.hpp: group commit. Entries whose files are
// written wait here; one thread makes a whole batch durable with one
// syncfs(2), or with one round of fsyncs issued in parallel by a pool of
// sync workers (so that the kernel can share journal commits and cache
// flushes between them, as it does for many fsyncing processes), and then
// reports each entry done. While a sync runs, new entries gather for the
// next batch, so under load many messages share one sync. Nothing is
// acknowledged before its done() call. When no entry has come for a while,
// the thread does the store's idle work (files made ahead for new entries).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "conf/config.hpp"
#include "gateway/queue/store.hpp"

namespace mixer::queue {

struct CommitStats {
  std::uint64_t batches = 0;     // sync rounds
  std::uint64_t entries = 0;     // entries made durable
  std::uint64_t sync_calls = 0;  // syncfs/fsync/fdatasync system calls
  std::uint64_t max_batch = 0;
};

class Committer {
 public:
  using Done = std::function<void(std::error_code)>;

  // Work for idle times, run on the committer thread once no entry has come
  // for a while (200 ms), a small step per call; true while there is more to do.
  using Idle = std::function<bool()>;

  Committer(conf::SyncMethod method, int msg_dir_fd, unsigned sync_workers = 8, Idle idle = {});
  ~Committer();  // stop()

  // Work before each sync, and when idle (on the committer thread): the
  // journals write the lines their records added since (one write per batch
  // instead of one per message), so that the sync makes them durable with the
  // batch's entries. Set once, before the first submit().
  void set_before_sync(std::function<void()> f);
  // Work after each successful sync, before any done() of the batch runs (on the
  // committer thread): the IDs submitted with `acknowledge` (DIR/acked, ack_log.hpp).
  // A failure is the outcome of exactly those entries. Set once, before the first submit().
  using AfterSync = std::function<std::error_code(const std::vector<std::string>& acknowledged)>;
  void set_after_sync(AfterSync f);
  // Queues an entry; `done` runs on the committer thread once it is durable
  // (or the sync failed). The DurableSet's descriptors are closed after.
  // `acknowledge`: the entry's ID, to be given to the AfterSync work (or empty).
  void submit(DurableSet files, Done done, std::string acknowledge = {});
  // Commits everything pending, then stops the thread.
  void stop();
  CommitStats stats() const;
  // True when one sync covers every file of the queue's file system (syncfs):
  // a DurableSet's other descriptors are then not needed.
  bool syncs_file_system() const { return method_ == conf::SyncMethod::syncfs; }

 private:
  struct Job {
    DurableSet files;
    Done done;
    std::string acknowledge;
  };
  void run();
  void work();
  std::error_code sync_batch(std::vector<Job>& batch);
  // Runs every call of `calls` on the sync workers (and this thread);
  // returns the first failure.
  std::error_code run_parallel(std::vector<std::pair<int, bool>>& calls);

  conf::SyncMethod method_;
  int msg_dir_fd_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Job> pending_;
  bool stopping_ = false;
  Idle idle_;
  std::function<void()> before_sync_;  // under mutex_
  AfterSync after_sync_;               // under mutex_
  bool idle_work_ = false;  // idle_ has more to do (set again after each batch)
  CommitStats stats_;
  // The sync workers' shared task list: (fd, data-only) pairs.
  std::mutex task_mutex_;
  std::condition_variable task_ready_, task_done_;
  std::vector<std::pair<int, bool>>* tasks_ = nullptr;
  std::size_t next_task_ = 0, tasks_left_ = 0;
  int first_errno_ = 0;
  std::uint64_t round_ = 0;
  bool workers_stop_ = false;
  std::vector<std::thread> workers_;
  std::thread thread_;
};

}  // namespace mixer::queue
