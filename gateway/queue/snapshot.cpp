// gateway/queue/snapshot.cpp: the start-up snapshot's files (see snapshot.hpp), and the
// clean marker that names it (Store::mark_clean, Store::forget_snapshot).
#include "gateway/queue/snapshot.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <ctime>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "gateway/queue/fd_io.hpp"
#include "gateway/queue/format/touch_log_format.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/queue/touch_log.hpp"

namespace mixer::queue {
namespace {

using fd_io::last_error;
using fd_io::sync_dir;

std::error_code write_all(int fd, const char* p, std::size_t n) { return fd_io::write_all(fd, {p, n}); }

// A generation no earlier shutdown is likely to have used (never 0: "none").
std::uint64_t new_generation() {
  std::random_device rd;
  std::uint64_t g = (std::uint64_t{rd()} << 32 | rd()) ^
                    static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  return g ? g : 1;
}

constexpr std::string_view kCleanMark = "mixer-clean-shutdown 1";


// What DIR/clean says: a clean shutdown, and the generation of its snapshot (0: none).
std::optional<std::uint64_t> parse_clean_mark(std::string_view text) {
  if (text.substr(0, kCleanMark.size()) != kCleanMark) return std::nullopt;
  text.remove_prefix(kCleanMark.size());
  if (text == "\n") return 0;
  constexpr std::string_view kSnapshot = " snapshot=";
  if (text.size() != kSnapshot.size() + 17 || text.substr(0, kSnapshot.size()) != kSnapshot || text.back() != '\n')
    return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text.substr(kSnapshot.size(), 16)) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<unsigned>(d);
  }
  return v;
}
}  // namespace

std::uint64_t realtime_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(t.tv_nsec);
}

std::vector<ListedEntry> list_directory(const std::filesystem::path& dir) {
  std::vector<ListedEntry> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (auto* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") out.push_back({std::string(name), static_cast<std::uint64_t>(e->d_ino)});
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](const ListedEntry& a, const ListedEntry& b) { return a.name < b.name; });
  return out;
}

// ---- writing ----------------------------------------------------------------

SnapshotWriter::SnapshotWriter(std::filesystem::path root, int fd, std::uint64_t generation, std::uint64_t as_of_ns,
                               SnapshotLimits limits)
    : root_(std::move(root)), fd_(fd), generation_(generation), as_of_ns_(as_of_ns), encoder_(generation, as_of_ns, limits) {}

SnapshotWriter::~SnapshotWriter() { abandon(); }

void SnapshotWriter::abandon() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink((root_ / "snapshot.new").c_str());
  }
  fd_ = -1;
}

std::unique_ptr<SnapshotWriter> SnapshotWriter::open(const std::filesystem::path& root, std::error_code& ec,
                                                     SnapshotLimits limits, TouchLog* touched) {
  const auto path = root / "snapshot.new";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    ec = last_error();
    return nullptr;
  }
  // As of now: every state copied after this, every file change after it is later.
  std::unique_ptr<SnapshotWriter> w(new SnapshotWriter(root, fd, new_generation(), realtime_ns(), limits));
  // The header's place; written last, once the size and count are known.
  const std::string zeros(kSnapshotHeaderSize, '\0');
  if ((ec = write_all(fd, zeros.data(), zeros.size()))) return nullptr;
  // Its section before the listing and the copy: every write to an entry from now on
  // is preceded by a durable ID in it (touch_log.hpp). Without it, the start stats.
  if (touched && !touched->open_section(w->generation_)) w->touched_ = touched;
  w->listing_ = list_directory(root / "msg");
  if (w->touched_) w->touched_->listed(w->listing_.empty() ? std::string() : w->listing_.back().name);
  return w;
}

bool SnapshotWriter::add(const ControlFile& entry) {
  while (cursor_ < listing_.size() && listing_[cursor_].name < entry.id) ++cursor_;
  if (cursor_ == listing_.size() || listing_[cursor_].name != entry.id) return false;  // no file: nothing to adopt
  return encoder_.add(entry, listing_[cursor_].inode);
}

std::error_code SnapshotWriter::write(std::string_view blocks) {
  if (!error_ && fd_ >= 0 && !blocks.empty()) error_ = write_all(fd_, blocks.data(), blocks.size());
  return error_;
}

std::uint64_t SnapshotWriter::finish(std::error_code& ec) {
  if (fd_ < 0) {
    ec = std::make_error_code(std::errc::bad_file_descriptor);
    return 0;
  }
  encoder_.finish();
  write(encoder_.take_blocks());
  const std::string header = encoder_.header();
  if (!error_ && ::pwrite(fd_, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()))
    error_ = errno ? last_error() : std::make_error_code(std::errc::io_error);
  if (!error_ && ::fsync(fd_) != 0) error_ = last_error();
  if (!error_ && ::rename((root_ / "snapshot.new").c_str(), (root_ / "snapshot").c_str()) != 0) error_ = last_error();
  if ((ec = error_)) return 0;  // the destructor removes snapshot.new
  ::close(fd_);
  fd_ = -1;
  // Its section is all the next start needs of DIR/touched (a failure keeps the file whole).
  if (touched_) (void)touched_->compact(generation_);
  // The rename is made durable by Store::mark_clean()'s syncfs, before the marker; a
  // periodic one need not be: after a crash, the one before or this one is there.
  return generation_;
}

// ---- reading ----------------------------------------------------------------

std::optional<std::string> read_snapshot_file(int fd, const SnapshotLimits& limits, std::string& why) {
  return fd_io::read_whole(fd, limits.max_file_bytes, why);
}

// ---- the clean marker ---------------------------------------------------------


std::error_code Store::mark_clean(std::uint64_t snapshot) {
  // The entries and the snapshot (its data and its rename) before the mark.
  if (msg_fd_ >= 0 && ::syncfs(msg_fd_) != 0) return last_error();
  const auto path = root_ / "clean";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return last_error();
  std::string mark(kCleanMark);
  if (snapshot) {
    char gen[17];
    std::snprintf(gen, sizeof gen, "%016llx", static_cast<unsigned long long>(snapshot));
    mark += std::string(" snapshot=") + gen;
  }
  mark += "\n";
  auto ec = write_all(fd, mark.data(), mark.size());
  if (!ec && ::fsync(fd) != 0) ec = last_error();
  ::close(fd);
  if (ec) return ec;
  return sync_dir(root_);
}

std::error_code Store::forget_snapshot() {
  if (::unlink((root_ / "snapshot").c_str()) != 0) return errno == ENOENT ? std::error_code() : last_error();
  return sync_dir(root_);
}

namespace {
// ROOT/touched's octets, when it is there and within TouchLogLimits.
std::optional<std::string> read_touched(const std::filesystem::path& root) {
  int fd = ::open((root / "touched").c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  SnapshotLimits limits;
  limits.max_file_bytes = TouchLogLimits{}.max_bytes;
  std::string ignored;  // no usable list: the start stats every entry
  auto text = read_snapshot_file(fd, limits, ignored);
  ::close(fd);
  return text;
}
}  // namespace

CleanStart take_clean_start(const std::filesystem::path& root, const SnapshotLimits& limits, bool keep_snapshot) {
  CleanStart out;
  const auto mark = root / "clean";
  std::optional<std::string> text;
  if (int fd = ::open(mark.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK); fd >= 0) {
    char buf[128];
    ssize_t n;
    do n = ::read(fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    text = std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    ::close(fd);
  }
  const auto parsed = text ? parse_clean_mark(*text) : std::nullopt;
  out.clean = parsed.has_value();
  out.generation = parsed.value_or(0);
  // The snapshot is read while its name still exists, then removed with the mark.
  const auto snapshot_path = root / "snapshot";
  int sfd = ::open(snapshot_path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (sfd >= 0) {
    out.snapshot = read_snapshot_file(sfd, limits, out.why);
    ::close(sfd);
  } else if (out.generation) {
    out.why = "the clean marker names a snapshot, but there is none";
  }
  out.touched = read_touched(root);
  bool removed = true;
  if (text) removed &= ::unlink(mark.c_str()) == 0;
  const bool remove_snapshot = sfd >= 0 && !keep_snapshot;
  out.snapshot_left = sfd >= 0 && keep_snapshot;
  if (remove_snapshot) removed &= ::unlink(snapshot_path.c_str()) == 0;
  if ((text || remove_snapshot) && (!removed || sync_dir(root))) {
    out.clean = false;  // the mark may come back after a crash: trust nothing now
    out.snapshot.reset();
    out.why = "cannot remove the clean marker or the snapshot durably";
  }
  return out;
}

// ---- start-up -----------------------------------------------------------------

namespace {

// What one fstatat says of a name in msg/ (found: a regular file).
struct FileFacts {
  bool found = false;
  std::uint64_t inode = 0, size = 0, ctime_ns = 0;
};

// The facts of every name in a listing, found by a few threads in chunks, in the
// listing's order, while the caller goes on (the snapshot's decoding, then handing
// its entries on): the caller waits only for a chunk not yet done. Most of a cold
// start's time is the inode blocks these read.
class ListingStats {
 public:
  static constexpr std::size_t kChunk = 1024;
  static constexpr std::size_t kThreads = 8;
  ListingStats(int dir_fd, const std::vector<ListedEntry>& listing)
      : dir_fd_(dir_fd), listing_(listing), facts_(listing.size()),
        done_(new std::atomic<bool>[(listing.size() + kChunk - 1) / kChunk]) {
    const std::size_t chunks = (listing.size() + kChunk - 1) / kChunk;
    for (std::size_t c = 0; c < chunks; ++c) done_[c].store(false);
    const std::size_t threads = std::min(kThreads, chunks);
    for (std::size_t t = 0; t < threads; ++t) pool_.emplace_back([this, chunks] { work(chunks); });
  }
  ~ListingStats() {
    stop_.store(true);
    for (auto& t : pool_) t.join();
  }
  // The facts of listing[i], once found.
  const FileFacts& at(std::size_t i) {
    const std::size_t c = i / kChunk;
    if (!done_[c].load(std::memory_order_acquire)) {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return done_[c].load(std::memory_order_acquire); });
    }
    return facts_[i];
  }

 private:
  void work(std::size_t chunks) {
    for (std::size_t c; !stop_.load() && (c = next_.fetch_add(1)) < chunks;) {
      for (std::size_t i = c * kChunk; i < std::min(listing_.size(), (c + 1) * kChunk); ++i) {
        struct stat st {};
        auto& f = facts_[i];
        if (::fstatat(dir_fd_, listing_[i].name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
        f.found = true;
        f.inode = static_cast<std::uint64_t>(st.st_ino);
        f.size = static_cast<std::uint64_t>(st.st_size);
        f.ctime_ns = static_cast<std::uint64_t>(st.st_ctim.tv_sec) * 1'000'000'000u +
                     static_cast<std::uint64_t>(st.st_ctim.tv_nsec);
      }
      std::lock_guard lock(mutex_);
      done_[c].store(true, std::memory_order_release);
      cv_.notify_all();
    }
  }
  int dir_fd_;
  const std::vector<ListedEntry>& listing_;
  std::vector<FileFacts> facts_;
  std::unique_ptr<std::atomic<bool>[]> done_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::thread> pool_;
};

// Batches of decoded entries from the decoding thread to the receiving one, in order,
// at most kBatches waiting (the memory of a start stays bounded).
class HandOver {
 public:
  static constexpr std::size_t kBatch = 1024, kBatches = 4;
  // Queues `batch` (emptied) unless empty or stopped; waits while kBatches wait.
  void put(std::vector<ControlFile>& batch) {
    if (batch.empty()) return;
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return ready_.size() < kBatches || stop_; });
    if (!stop_) ready_.push_back(std::move(batch));
    batch.clear();
    cv_.notify_all();
  }
  void finish() {
    std::lock_guard lock(mutex_);
    done_ = true;
    cv_.notify_all();
  }
  // The next batch; false when the decoder has finished and none is left.
  bool take(std::vector<ControlFile>& batch) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) return false;
    batch = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    return true;
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stop_ = true;
    stopped_.store(true);
    ready_.clear();
    cv_.notify_all();
  }
  bool stopped() const { return stopped_.load(std::memory_order_relaxed); }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::vector<ControlFile>> ready_;
  bool done_ = false, stop_ = false;
  std::atomic<bool> stopped_{false};
};

// Whether a file is still the one a snapshot entry describes: a regular file, the same
// inode and size, and no change (ctime) after the snapshot's as-of. Every write to an
// entry file after it was finished is an append (a record: the size grows) or a rename
// (removal, spent to free/, reuse under another name); ctime catches what keeps the
// size, such as an edit in place or a reused file renamed back under its old name.
bool unchanged_since(const FileFacts& f, std::uint64_t inode, std::uint64_t size, std::uint64_t as_of_ns) {
  return f.found && f.inode == inode && f.size == size && f.ctime_ns + kSnapshotCtimeSlackNs < as_of_ns;
}

}  // namespace

std::optional<std::vector<std::string>> adopt_snapshot(std::string_view data, std::uint64_t clean_generation,
                                                       const std::vector<ListedEntry>& listing, int msg_dir_fd,
                                                       const std::string* touched,
                                                       const std::function<void(ControlFile&&)>& each,
                                                       SnapshotUse& use, std::string& why,
                                                       const SnapshotLimits& limits) {
  use = SnapshotUse{};
  auto header = decode_snapshot_header(data, limits);
  if (!header.ok) {
    why = header.error;
    return std::nullopt;
  }
  // Written by the clean shutdown just before the marker: nothing changed the queue
  // after it, the inode is enough. Any other (written while a daemon ran, or by an
  // earlier run): each file is checked.
  use.checked = clean_generation == 0 || header.generation != clean_generation;
  use.generation = header.generation;
  // Written while a daemon ran: DIR/touched, when it has this snapshot's section, names
  // every entry that may have changed since it began; the others need no fstatat.
  TouchedSince since;
  if (use.checked && touched) {
    since = decode_touch_log(*touched, header.generation);
    if (since.usable) {
      use.checked = false;
      use.touch_log = true;
    } else {
      use.touch_log_why = since.why;
    }
  }
  if (use.checked && msg_dir_fd < 0) {
    why = "its entries cannot be checked (no msg/ directory)";
    return std::nullopt;
  }
  // The files' facts from now on, beside the decoding (stopped and joined on return).
  std::optional<ListingStats> stats;
  if (use.checked) stats.emplace(msg_dir_fd, listing);
  // One pass: each entry matched with the listing (both ascending) and used only where
  // msg/ID is the same file (inode) and, when checked, unchanged since; each waits only
  // for its own file's facts. An entry stands on its own (its block's CRC, its file's
  // facts), so a fault part-way leaves those handed on valid: the rest are read from
  // their files, as is every entry of the listing the snapshot did not cover.
  std::vector<bool> covered(listing.size(), false);
  std::size_t j = 0, k = 0;  // into listing, since.ids (all ascending)
  // Decoded and matched on a thread of its own, handed on here in order, a batch at a
  // time: the receiver's work per entry (the index, the scheduler) runs beside the
  // decoding instead of after it. An exception from `each` stops both and is passed on.
  HandOver hand;
  SnapshotDecode decoded;
  std::thread decoder([&] {
    std::vector<ControlFile> batch;
    batch.reserve(HandOver::kBatch);
    decoded = decode_snapshot(data, limits, [&](ControlFile&& c, std::uint64_t inode) {
      if (hand.stopped()) return;
      while (j < listing.size() && listing[j].name < c.id) ++j;
      if (j == listing.size() || listing[j].name != c.id || listing[j].inode != inode) return;
      if (stats && !unchanged_since(stats->at(j), inode, c.file_size, header.as_of_ns)) {
        ++use.changed;
        return;
      }
      if (use.touch_log) {
        while (k < since.ids.size() && since.ids[k] < c.id) ++k;
        if (k < since.ids.size() && since.ids[k] == c.id) {
          ++use.changed;
          return;
        }
      }
      covered[j] = true;
      ++use.adopted;
      batch.push_back(std::move(c));
      if (batch.size() == HandOver::kBatch) hand.put(batch);
    });
    hand.put(batch);
    hand.finish();
  });
  try {
    for (std::vector<ControlFile> batch; hand.take(batch);)
      for (auto& c : batch) each(std::move(c));
  } catch (...) {
    hand.stop();
    decoder.join();
    throw;
  }
  decoder.join();
  if (!decoded.ok)
    why = (use.adopted ? "the entries after its first " + std::to_string(use.adopted) + " read from their files: " : "") +
          decoded.error;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < listing.size(); ++i)
    if (!covered[i]) rest.push_back(listing[i].name);
  return rest;
}

std::optional<std::vector<std::string>> snapshot_mismatches(const std::filesystem::path& root, std::string& why,
                                                            std::size_t* adopted, bool* touch_log) {
  int fd = ::open((root / "snapshot").c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    why = "no snapshot";
    return std::nullopt;
  }
  auto data = read_snapshot_file(fd, {}, why);
  ::close(fd);
  if (!data) return std::nullopt;
  const std::optional<std::string> touched = read_touched(root);
  int dir = ::open((root / "msg").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const auto listing = list_directory(root / "msg");
  std::vector<ControlFile> taken;
  SnapshotUse use;
  auto rest = adopt_snapshot(*data, 0, listing, dir, touched ? &*touched : nullptr,
                             [&](ControlFile&& c) { taken.push_back(std::move(c)); }, use, why);
  if (dir >= 0) ::close(dir);
  if (!rest) return std::nullopt;
  if (adopted) *adopted = use.adopted;
  if (touch_log) *touch_log = use.touch_log;
  Store store(root);  // reads only (no prepare(), no lock)
  std::vector<std::string> out;
  for (const auto& c : taken) {
    std::string error;
    auto file = store.read(c.id, &error);
    if (!file) {
      out.push_back(c.id + ": its file cannot be read (" + error + ")");
      continue;
    }
    const std::string mine = snapshot_state_text(c), theirs = snapshot_state_text(*file);
    if (mine != theirs) out.push_back(c.id + ": the snapshot says\n" + mine + "its file says\n" + theirs);
  }
  return out;
}

}  // namespace mixer::queue
