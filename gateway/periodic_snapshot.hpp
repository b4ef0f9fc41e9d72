// gateway/periodic_snapshot.hpp: the start-up snapshot written while the
// daemon runs (issue 14; queue.snapshot_interval), so that a start after a
// crash takes each unchanged entry from it (one fstatat) instead of reading
// its file. Every interval: on a thread of its own, queue/snapshot.new is
// started and msg/ listed (queue::SnapshotWriter); the queue manager's state
// of each listed ID is copied and encoded on its strand a slice at a time (Qmgr::export_in_slices:
// other work runs between the slices, and acceptance does not use the strand);
// the thread writes the blocks as they come, then fsyncs and renames the file
// to queue/snapshot. Each opens its section of queue/touched first
// (queue/touch_log.hpp), so that a start after a crash need not stat the
// entries it holds. Each entry carries the size of the file holding exactly
// its state (the scheduler counts the records it appends), or is left out.
// Trusts the queue manager and the index; nothing else.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "gateway/qmgr/qmgr.hpp"
#include "gateway/queue/index.hpp"
#include "gateway/queue/touch_log.hpp"

namespace mixer::gateway {

class PeriodicSnapshot {
 public:
  // `interval` 0: never (start() does nothing). `touched`: the store's touch
  // log (each snapshot opens its section there), or null.
  PeriodicSnapshot(boost::asio::io_context& io, qmgr::Qmgr& qmgr, queue::QueueIndex& index,
                   std::filesystem::path root, std::chrono::milliseconds interval, queue::TouchLog* touched = nullptr);
  ~PeriodicSnapshot();  // stop()
  void start();         // the first one after one interval
  // No more; one under way is abandoned (its snapshot.new removed) and its thread
  // joined. Before a clean shutdown's own snapshot (both write snapshot.new).
  void stop();

  struct Job;  // one snapshot under way (periodic_snapshot.cpp)

 private:
  void arm();
  void begin();
  void work(const std::shared_ptr<Job>& job);

  boost::asio::io_context& io_;
  qmgr::Qmgr& qmgr_;
  queue::QueueIndex& index_;
  std::filesystem::path root_;
  std::chrono::milliseconds interval_;
  queue::TouchLog* touched_;
  boost::asio::steady_timer timer_;
  std::thread thread_;
  std::shared_ptr<Job> job_;
  std::atomic<bool> stopped_{false};
};

}  // namespace mixer::gateway
