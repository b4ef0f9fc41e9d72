// gateway/queue/committer.cpp: the group-commit thread (see committer.hpp).
#include "gateway/queue/committer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace mixer::queue {

namespace {
// How long the committer waits without an entry before doing idle work.
constexpr std::chrono::milliseconds kIdleAfter{200};
}  // namespace

Committer::Committer(conf::SyncMethod method, int msg_dir_fd, unsigned sync_workers, Idle idle)
    : method_(method), msg_dir_fd_(msg_dir_fd), idle_(std::move(idle)), idle_work_(static_cast<bool>(idle_)) {
  if (method_ == conf::SyncMethod::fsync)
    for (unsigned i = 1; i < sync_workers; ++i) workers_.emplace_back([this] { work(); });
  thread_ = std::thread([this] { run(); });
}

Committer::~Committer() { stop(); }

void Committer::set_before_sync(std::function<void()> f) {
  std::lock_guard lock(mutex_);
  before_sync_ = std::move(f);
}

void Committer::set_after_sync(AfterSync f) {
  std::lock_guard lock(mutex_);
  after_sync_ = std::move(f);
}

void Committer::submit(DurableSet files, Done done, std::string acknowledge) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(Job{files, std::move(done), std::move(acknowledge)});
  }
  wake_.notify_one();
}

void Committer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(task_mutex_);
    workers_stop_ = true;
  }
  task_ready_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
}

void Committer::work() {
  std::uint64_t seen = 0;
  std::unique_lock lock(task_mutex_);
  while (true) {
    task_ready_.wait(lock, [&] { return workers_stop_ || (tasks_ && round_ != seen); });
    if (workers_stop_) return;
    seen = round_;
    while (tasks_ && next_task_ < tasks_->size()) {
      auto [fd, data_only] = (*tasks_)[next_task_++];
      lock.unlock();
      int rc = data_only ? ::fdatasync(fd) : ::fsync(fd);
      int err = rc == 0 ? 0 : errno;
      lock.lock();
      if (err && !first_errno_) first_errno_ = err;
      if (--tasks_left_ == 0) task_done_.notify_all();
    }
  }
}

std::error_code Committer::run_parallel(std::vector<std::pair<int, bool>>& calls) {
  std::unique_lock lock(task_mutex_);
  tasks_ = &calls;
  next_task_ = 0;
  tasks_left_ = calls.size();
  first_errno_ = 0;
  ++round_;
  lock.unlock();
  task_ready_.notify_all();
  lock.lock();
  // This thread works too, then waits for the calls others took.
  while (next_task_ < calls.size()) {
    auto [fd, data_only] = calls[next_task_++];
    lock.unlock();
    int rc = data_only ? ::fdatasync(fd) : ::fsync(fd);
    int err = rc == 0 ? 0 : errno;
    lock.lock();
    if (err && !first_errno_) first_errno_ = err;
    --tasks_left_;
  }
  task_done_.wait(lock, [&] { return tasks_left_ == 0; });
  tasks_ = nullptr;
  return first_errno_ ? std::error_code(first_errno_, std::generic_category()) : std::error_code{};
}

CommitStats Committer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::error_code Committer::sync_batch(std::vector<Job>& batch) {
  std::uint64_t sync_calls = 0;
  std::error_code ec;
  if (method_ == conf::SyncMethod::syncfs) {
    // One call flushes every file and directory entry of the queue's
    // filesystem: the whole batch at once.
    ++sync_calls;
    if (::syncfs(msg_dir_fd_) != 0) ec = std::error_code(errno, std::generic_category());
  } else {
    // Start writeback of every file first, then sync every file in
    // parallel, then the directory holding the new entries.
    std::vector<std::pair<int, bool>> calls;
    calls.reserve(batch.size() * 2);
    for (auto& j : batch) {
      ::sync_file_range(j.files.entry_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
      calls.emplace_back(j.files.entry_fd, true);
      for (int fd : j.files.other_fds) calls.emplace_back(fd, true);
    }
    ec = run_parallel(calls);
    sync_calls += calls.size() + 1;
    if (::fsync(msg_dir_fd_) != 0 && !ec) ec = std::error_code(errno, std::generic_category());
  }
  std::lock_guard lock(mutex_);
  stats_.batches += 1;
  stats_.entries += batch.size();
  stats_.sync_calls += sync_calls;
  if (batch.size() > stats_.max_batch) stats_.max_batch = batch.size();
  return ec;
}

void Committer::run() {
  std::vector<Job> batch;
  bool quiet = false;  // no entry has come for kIdleAfter
  std::function<void()> before_sync;
  AfterSync after_sync;
  std::vector<std::string> acknowledged;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      auto ready = [this] { return stopping_ || !pending_.empty(); };
      if (idle_work_) {
        // Idle means no entry for kIdleAfter (then until the next one comes): under
        // load the idle work waits (it would delay the next batch, and make files
        // that spent ones can replace).
        if (quiet ? !ready() : !wake_.wait_for(lock, kIdleAfter, ready)) {
          const bool first = !quiet;
          quiet = true;
          before_sync = before_sync_;
          lock.unlock();
          if (first && before_sync) before_sync();  // what records made since the last batch (D, S lines)
          const bool more = idle_();  // one small step, then look for entries again
          lock.lock();
          idle_work_ = more;
          continue;
        }
      } else if (!ready()) {
        if (!wake_.wait_for(lock, kIdleAfter, ready)) {
          before_sync = before_sync_;
          lock.unlock();
          if (before_sync) before_sync();  // idle: what records made since the last batch
          lock.lock();
          wake_.wait(lock, ready);
        }
      }
      if (pending_.empty() && stopping_) {
        before_sync = before_sync_;
        lock.unlock();
        if (before_sync) before_sync();
        return;
      }
      before_sync = before_sync_;
      after_sync = after_sync_;
      batch.swap(pending_);
      quiet = false;
      if (idle_) idle_work_ = true;  // the batch's entries may have taken made files
    }
    if (before_sync) before_sync();
    const auto ec = sync_batch(batch);
    // Listed before any of them is acknowledged or handed on (ack_log.hpp).
    std::error_code listing;
    if (!ec && after_sync) {
      acknowledged.clear();
      for (const auto& j : batch)
        if (!j.acknowledge.empty()) acknowledged.push_back(j.acknowledge);
      if (!acknowledged.empty()) listing = after_sync(acknowledged);
    }
    for (auto& j : batch) {
      j.files.close_all();
      j.done(ec ? ec : j.acknowledge.empty() ? std::error_code{} : listing);
    }
    batch.clear();
  }
}

}  // namespace mixer::queue
