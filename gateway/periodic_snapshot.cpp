// gateway/periodic_snapshot.cpp: the start-up snapshot written while the daemon
// runs (see periodic_snapshot.hpp).
#include "gateway/periodic_snapshot.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "gateway/log.hpp"
#include "gateway/queue/snapshot.hpp"

namespace mixer::gateway {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::size_t kSlice = 4096;  // entries copied per turn of the queue manager's strand
}

struct PeriodicSnapshot::Job {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::string> blocks;  // encoded on the strand, written by the thread
  bool done = false, cancelled = false;
  std::unique_ptr<queue::SnapshotWriter> writer;
  // On the strand only (read by the thread after `done`):
  std::size_t left_out = 0, slices = 0;
  Clock::duration strand{}, longest{};
  Clock::time_point slice_start{};
  bool in_slice = false;
};

PeriodicSnapshot::PeriodicSnapshot(asio::io_context& io, qmgr::Qmgr& qmgr, queue::QueueIndex& index,
                                   std::filesystem::path root, std::chrono::milliseconds interval,
                                   queue::TouchLog* touched)
    : io_(io), qmgr_(qmgr), index_(index), root_(std::move(root)), interval_(interval), touched_(touched), timer_(io) {}

PeriodicSnapshot::~PeriodicSnapshot() { stop(); }

void PeriodicSnapshot::start() {
  if (interval_.count() > 0) arm();
}

void PeriodicSnapshot::arm() {
  if (stopped_) return;
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec && !stopped_) begin();
  });
}

void PeriodicSnapshot::begin() {
  // The previous one has finished (the timer is armed again only at its end).
  if (thread_.joinable()) thread_.join();
  job_ = std::make_shared<Job>();
  thread_ = std::thread([this, job = job_] { work(job); });
}

void PeriodicSnapshot::stop() {
  stopped_ = true;
  timer_.cancel();
  if (job_) {
    std::lock_guard lock(job_->mutex);
    job_->cancelled = true;
    job_->cv.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void PeriodicSnapshot::work(const std::shared_ptr<Job>& job) {
  const auto started = Clock::now();
  auto again = [this] { asio::post(io_, [this] { arm(); }); };
  std::error_code ec;
  // The listing of msg/ (for the inodes) and the file, off the event loop.
  job->writer = queue::SnapshotWriter::open(root_, ec, {}, touched_);
  if (!job->writer) {
    log_warning("queue", "cannot start the periodic start-up snapshot: " + ec.message());
    return again();
  }
  // The IDs: msg/'s names as listed (sorted; not collected on the strand). An entry
  // made since is not in this snapshot: read from its file at start.
  std::vector<std::string> ids;
  ids.reserve(job->writer->listing().size());
  for (const auto& e : job->writer->listing()) ids.push_back(e.name);
  queue::QueueIndex& index = index_;
  qmgr_.export_in_slices(
      std::move(ids),
      [job, &index](queue::ControlFile& c) {
        if (!job->in_slice) {
          job->in_slice = true;
          job->slice_start = Clock::now();
        }
        // The index has the content's size; an entry it disagrees with is read from its file at start.
        auto s = index.find(c.id);
        if (s && s->recipients == c.recipients.size() && s->held == c.held) {
          c.size = s->size;
          if (job->writer->add(c)) return;
        }
        ++job->left_out;
      },
      [job] {
        std::string blocks = job->writer->take_blocks();
        if (job->in_slice) {
          const auto d = Clock::now() - job->slice_start;
          job->strand += d;
          job->longest = std::max(job->longest, d);
          job->in_slice = false;
        }
        ++job->slices;
        if (blocks.empty()) return;
        std::lock_guard lock(job->mutex);
        job->blocks.push_back(std::move(blocks));
        job->cv.notify_all();
      },
      [job] {
        std::lock_guard lock(job->mutex);
        job->done = true;
        job->cv.notify_all();
      },
      kSlice);
  while (true) {
    std::deque<std::string> ready;
    bool done;
    {
      std::unique_lock lock(job->mutex);
      job->cv.wait(lock, [&] { return !job->blocks.empty() || job->done || job->cancelled; });
      if (job->cancelled) return job->writer->abandon();
      ready.swap(job->blocks);
      done = job->done;
    }
    for (const auto& b : ready) job->writer->write(b);
    if (done) break;
  }
  const std::uint64_t generation = job->writer->finish(ec);
  auto ms = [](Clock::duration d) { return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
  if (!generation)
    log_warning("queue", "cannot write the periodic start-up snapshot: " + ec.message());
  else
    log_info("queue", "start-up snapshot of " + std::to_string(job->writer->entries()) + " entries written in " +
                          ms(Clock::now() - started) + " ms (" + std::to_string(job->left_out) +
                          " left to be read from their files; the queue manager's strand " + ms(job->strand) +
                          " ms in " + std::to_string(job->slices) + " slices, the longest " + ms(job->longest) +
                          " ms)");
  again();
}

}  // namespace mixer::gateway
