// gateway/queue/committer.cpp: the group-commit thread (see committer.hpp).
#include "gateway/queue/committer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace mixer::queue {

Committer::Committer(conf::SyncMethod method, int msg_dir_fd)
    : method_(method), msg_dir_fd_(msg_dir_fd), thread_([this] { run(); }) {}

Committer::~Committer() { stop(); }

void Committer::submit(DurableSet files, Done done) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(Job{files, std::move(done)});
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
}

CommitStats Committer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::error_code Committer::sync_batch(std::vector<Job>& batch) {
  std::uint64_t calls = 0;
  auto check = [&calls](int rc) -> std::error_code {
    ++calls;
    return rc == 0 ? std::error_code{} : std::error_code(errno, std::generic_category());
  };
  std::error_code ec;
  if (method_ == conf::SyncMethod::syncfs) {
    // One call flushes every file and directory entry of the queue's
    // filesystem: the whole batch at once.
    ec = check(::syncfs(msg_dir_fd_));
  } else {
    // Start writeback of every file first so the fsyncs below mostly find
    // their data on its way and share journal commits.
    for (auto& j : batch) {
      ::sync_file_range(j.files.base_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
      ::sync_file_range(j.files.control_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    }
    for (auto& j : batch) {
      for (int fd : {j.files.base_fd, j.files.control_fd})
        if (auto e = check(::fdatasync(fd)); e && !ec) ec = e;
      if (auto e = check(::fsync(j.files.entry_dir_fd)); e && !ec) ec = e;
    }
    if (auto e = check(::fsync(msg_dir_fd_)); e && !ec) ec = e;
  }
  std::lock_guard lock(mutex_);
  stats_.batches += 1;
  stats_.entries += batch.size();
  stats_.sync_calls += calls;
  if (batch.size() > stats_.max_batch) stats_.max_batch = batch.size();
  return ec;
}

void Committer::run() {
  std::vector<Job> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty() && stopping_) return;
      batch.swap(pending_);
    }
    auto ec = sync_batch(batch);
    for (auto& j : batch) {
      j.files.close_all();
      j.done(ec);
    }
    batch.clear();
  }
}

}  // namespace mixer::queue
