// gateway/queue/store.cpp: the queue's files (see store.hpp).
#include "gateway/queue/store.hpp"

#include <dirent.h>
#include <stdio.h>  // renameat2
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <thread>

#include "gateway/queue/ack_log.hpp"
#include "gateway/queue/fd_io.hpp"
#include "gateway/queue/format/crc32c.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue/touch_log.hpp"

namespace mixer::queue {
namespace {

constexpr std::size_t kWriteBlock = 128 * 1024;
constexpr std::size_t kRecoveryThreads = 16;  // entries checked in parallel at start-up
constexpr std::size_t kFreeFilesMax = 4096;    // spent files kept for reuse
constexpr std::uint64_t kFreeFileMaxSize = 1 << 20;  // larger ones are deleted

using fd_io::last_error;

std::error_code write_all(int fd, const char* p, std::size_t n) { return fd_io::write_all(fd, {p, n}); }

// A folder's names, sorted (snapshot.hpp's list_directory, without the inodes).
std::vector<std::string> dir_names(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (auto& e : list_directory(dir)) out.push_back(std::move(e.name));
  return out;
}

void make_dir(const std::filesystem::path& p) {
  if (::mkdir(p.c_str(), 0750) != 0 && errno != EEXIST)
    throw std::system_error(errno, std::generic_category(), "cannot create " + p.string());
}

constexpr std::string_view kHeaderTag = "mixer-entry 1 ";

// The header pointing at the control part (offset 0: not finished).
std::string make_header(std::uint64_t offset) {
  static const char* hex = "0123456789abcdef";
  std::string h(kHeaderTag);
  for (int shift = 60; shift >= 0; shift -= 4) h += hex[(offset >> shift) & 15];
  h += " \n";
  return h;  // kEntryHeaderSize octets
}

// What an entry file's header says.
struct Header {
  enum class State { unfinished, finished, invalid } state = State::invalid;
  std::uint64_t control_offset = 0;
};
Header parse_header(std::string_view h) {
  Header out;
  if (h.size() < kEntryHeaderSize || std::all_of(h.begin(), h.end(), [](char c) { return c == 0; })) {
    out.state = Header::State::unfinished;  // never written through (a crash before any sync)
    return out;
  }
  if (h.substr(0, kHeaderTag.size()) != kHeaderTag || h.substr(30, 2) != " \n") return out;
  std::uint64_t v = 0;
  for (char c : h.substr(kHeaderTag.size(), 16)) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return out;
    v = v << 4 | static_cast<unsigned>(d);
  }
  out.control_offset = v;
  out.state = v == 0 ? Header::State::unfinished : Header::State::finished;
  return out;
}

std::error_code pread_all(int fd, char* p, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    ssize_t r = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return last_error();
    if (r == 0) return std::make_error_code(std::errc::io_error);  // shorter than its header says
    p += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return {};
}

// One entry file, open for reading: its size and header.
// The first octets of the file are read at once (one system call for all of a
// small entry: its header, content, forms and control part), into a buffer the
// caller may reuse from one entry to the next (recovery: one per thread, so
// that a million entries cost no allocation and no page zeroing each).
constexpr std::size_t kHeadSize = 64 * 1024;

struct OpenEntry {
  int fd = -1;
  std::uint64_t file_size = 0;
  Header header;
  std::string_view head;  // the first min(file_size, kHeadSize) octets
  OpenEntry() = default;
  OpenEntry(const OpenEntry&) = delete;
  OpenEntry& operator=(const OpenEntry&) = delete;
  ~OpenEntry() {
    if (fd >= 0) ::close(fd);
  }
  // Opens `name` (relative to `dir_fd`) and reads its head into `buffer`; false
  // when it cannot be opened or read as a regular file (a directory fails its
  // read). A read shorter than the buffer ends at the end of the file (a regular
  // file's read is short only there), so only a file at least as large as the
  // buffer costs an fstat for its size: three system calls for a small entry.
  bool open(int dir_fd, const char* name, std::string& buffer) {
    fd = ::openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO does not block us
    if (fd < 0) return false;
    if (buffer.size() < kHeadSize) buffer.resize(kHeadSize);
    ssize_t n;
    do n = ::pread(fd, buffer.data(), kHeadSize, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) return false;
    file_size = static_cast<std::uint64_t>(n);
    if (static_cast<std::size_t>(n) == kHeadSize) {
      struct stat st {};
      if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
      file_size = static_cast<std::uint64_t>(st.st_size);
      if (file_size < kHeadSize) return false;  // cut short while we read it
    }
    head = std::string_view(buffer.data(), static_cast<std::size_t>(n));
    header = parse_header(head.substr(0, std::min(head.size(), kEntryHeaderSize)));
    return true;
  }
  // `size` octets at `offset` when they are in the head.
  std::optional<std::string_view> in_head(std::uint64_t offset, std::uint64_t size) const {
    if (offset + size > head.size()) return std::nullopt;
    return head.substr(offset, size);
  }
  // The control part's text (at most max + 1 octets: the decoder reports the excess),
  // a view of the head when it lies there, else read into `out`.
  std::optional<std::string_view> control_text(std::size_t max, std::string& out) const {
    if (header.state != Header::State::finished || header.control_offset > file_size) return std::nullopt;
    const std::uint64_t size = std::min<std::uint64_t>(file_size - header.control_offset, max + 1);
    if (auto v = in_head(header.control_offset, size)) return v;
    auto octets_read = octets(header.control_offset, size);
    if (!octets_read) return std::nullopt;
    out = std::move(*octets_read);
    return std::string_view(out);
  }
  // `size` octets at `offset`.
  std::optional<std::string> octets(std::uint64_t offset, std::uint64_t size) const {
    if (offset + size > file_size) return std::nullopt;
    if (auto v = in_head(offset, size)) return std::string(*v);
    std::string out(size, '\0');
    if (pread_all(fd, out.data(), out.size(), offset)) return std::nullopt;
    return out;
  }
};

// Truncates entry `name` to `size` octets, durably (a torn last append removed at start).
bool cut_torn_append(int dir_fd, const char* name, std::uint64_t size) {
  const int fd = ::openat(dir_fd, name, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::ftruncate(fd, static_cast<off_t>(size)) == 0 && ::fdatasync(fd) == 0;
  ::close(fd);
  return ok;
}

// Where form `index` lies in the file of an entry described by `c`: offset and size.
std::optional<std::pair<std::uint64_t, std::uint64_t>> form_extent(const ControlFile& c, std::size_t index) {
  std::uint64_t offset = kEntryHeaderSize;
  if (index == 0) return std::pair{offset, c.size};
  offset += c.size;
  for (const auto& f : c.forms) {
    if (f.index == index) return std::pair{offset, f.size};
    offset += f.size;
  }
  return std::nullopt;
}

// The offset where the control part of an entry described by `c` begins.
std::uint64_t control_offset_of(const ControlFile& c) {
  std::uint64_t offset = kEntryHeaderSize + c.size;
  for (const auto& f : c.forms) offset += f.size;
  return offset;
}

}  // namespace

void DurableSet::close_all() {
  if (entry_fd >= 0) ::close(entry_fd);
  entry_fd = -1;
  for (int fd : other_fds) ::close(fd);
  other_fds.clear();
}

// ---- Draft ------------------------------------------------------------------

Draft::Draft(std::filesystem::path root, std::string id, int fd, bool reused, std::uint64_t reused_size)
    : root_(std::move(root)), id_(std::move(id)), fd_(fd), reused_(reused), reused_size_(reused_size) {
  buffer_ = make_header(0);
}

Draft::~Draft() {
  if (!done_) abort();
}

void Draft::append(std::string_view bytes) {
  crc_ = crc32c(crc_, bytes);
  size_ += bytes.size();
  if (buffer_.empty() && bytes.size() >= kWriteBlock) {
    if (!error_) error_ = write_all(fd_, bytes.data(), bytes.size());
    written_ += bytes.size();
    return;
  }
  buffer_.append(bytes);
  if (buffer_.size() >= kWriteBlock) {
    if (auto ec = flush(); ec && !error_) error_ = ec;
  }
}

std::error_code Draft::flush() {
  if (buffer_.empty()) return {};
  auto ec = write_all(fd_, buffer_.data(), buffer_.size());
  written_ += buffer_.size();
  buffer_.clear();
  return ec;
}

std::size_t Draft::add_form(FormRecord form, std::string_view bytes, std::error_code& ec) {
  form.index = forms_.size() + 1;
  form.size = bytes.size();
  form.crc32c = crc32c(0, bytes);
  if (error_) {
    ec = error_;
    return 0;
  }
  if (buffer_.size() + bytes.size() <= kWriteBlock) {
    // A small entry stays in the buffer: finish() writes it whole, in one call.
    buffer_.append(bytes);
  } else {
    if (auto e = flush(); e && !error_) error_ = e;
    if (error_) {
      ec = error_;
      return 0;
    }
    if ((ec = write_all(fd_, bytes.data(), bytes.size()))) {
      error_ = ec;
      return 0;
    }
    written_ += bytes.size();
  }
  forms_.push_back(std::move(form));
  return forms_.size();
}

std::error_code Draft::finish(ControlFile& control, DurableSet& out) {
  if (error_) return error_;
  control.id = id_;
  control.forms = forms_;
  control.size = size_;
  control.crc32c = crc_;
  const std::uint64_t offset = written_ + buffer_.size();
  std::string text = encode_control(control);
  for (const auto& r : control.records) text += encode_record(r);  // states decided at submit (failed recipients)
  if (written_ == 0 && buffer_.size() + text.size() <= 2 * kWriteBlock) {
    // Nothing of it on disk yet (a small entry): header, content, forms and control
    // part in one write, then the header pointing at the control part, as below (a
    // reader in another process sees the entry finished only once it is whole).
    // Nothing orders these writes on disk before the Committer's sync: a crash
    // before it may leave any of their blocks, and recovery removes or quarantines
    // the entry, which was never acknowledged. Two calls instead of four save system
    // calls and the kernel's zeroing of partly written blocks. A spent file longer
    // than the new entry is cut to its size first (its blocks within it are
    // overwritten in place), so no old octets ever follow the control part; one
    // no longer is only overwritten and extended (no ftruncate: a system call saved).
    buffer_ += text;
    if (reused_ && reused_size_ > buffer_.size() && ::ftruncate(fd_, static_cast<off_t>(buffer_.size())) != 0)
      return last_error();
    if (auto ec = write_all(fd_, buffer_.data(), buffer_.size())) return ec;
    written_ = buffer_.size();
    buffer_.clear();
  } else {
    if (auto ec = flush()) return error_ = ec;
    if (auto ec = write_all(fd_, text.data(), text.size())) return ec;
    // A spent file's old octets after ours go (before the header makes them part of the entry).
    if (reused_ && reused_size_ > offset + text.size() && ::ftruncate(fd_, static_cast<off_t>(offset + text.size())) != 0)
      return last_error();
  }
  // The header last: until it points at the control part, the entry is unfinished.
  const std::string header = make_header(offset);
  if (::pwrite(fd_, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()))
    return errno ? last_error() : std::make_error_code(std::errc::io_error);
  control.file_size = offset + text.size();  // the file holding exactly this state
  out.entry_fd = fd_;
  fd_ = -1;
  done_ = true;
  return {};
}

void Draft::abort() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink((root_ / "msg" / id_).c_str());
  done_ = true;
}

// ---- Store ------------------------------------------------------------------

Store::Store(std::filesystem::path root) : root_(std::move(root)) {}

Store::~Store() {
  if (free_fd_ >= 0) ::close(free_fd_);
  if (msg_fd_ >= 0) ::close(msg_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Store::prepare() {
  std::error_code ec;
  std::filesystem::create_directories(root_, ec);
  if (ec) throw std::system_error(ec, "cannot create queue directory " + root_.string());
  for (const char* sub : {"msg", "quarantine", "free"}) make_dir(root_ / sub);
  if (msg_fd_ < 0) {
    msg_fd_ = ::open((root_ / "msg").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (msg_fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + root_.string() + "/msg");
  }
  if (free_fd_ < 0) {
    free_fd_ = ::open((root_ / "free").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (free_fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + root_.string() + "/free");
    auto names = dir_names(root_ / "free");
    // Beyond the cap (another configuration's leftovers): deleted.
    for (std::size_t i = kFreeFilesMax; i < names.size(); ++i) ::unlinkat(free_fd_, names[i].c_str(), 0);
    if (names.size() > kFreeFilesMax) names.resize(kFreeFilesMax);
    std::lock_guard lock(free_->mutex);
    free_->names.clear();
    for (auto& n : names) free_->names.push_back(FreeFile{std::move(n), UINT64_MAX});  // sizes not known: cut at finish()
  }
}

int Store::reuse_free_file(const std::string& id, std::uint64_t& size, std::error_code& ec) {
  if (free_fd_ < 0) return -1;
  while (true) {
    std::string name;
    {
      std::lock_guard lock(free_->mutex);
      if (free_->names.empty()) return -1;
      name = std::move(free_->names.back().name);
      size = free_->names.back().size;
      free_->names.pop_back();
    }
    int fd = ::openat(free_fd_, name.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) continue;  // gone (an operator cleaned free/): the next one
    // Unfinished before it is an entry: a crash from here on leaves an entry recovery removes.
    const std::string zero = make_header(0);
    if (::pwrite(fd, zero.data(), zero.size(), 0) == static_cast<ssize_t>(zero.size())) {
      // Never over an entry of that name (as O_EXCL when creating).
      if (::renameat2(free_fd_, name.c_str(), msg_fd_, id.c_str(), RENAME_NOREPLACE) == 0) return fd;
      if (errno == EEXIST) {
        ec = last_error();
        ::close(fd);
        std::lock_guard lock(free_->mutex);
        free_->names.push_back(FreeFile{std::move(name), size});
        return -1;
      }
    }
    ::close(fd);
    ::unlinkat(free_fd_, name.c_str(), 0);
  }
}

bool Store::lock() {
  if (lock_fd_ < 0) lock_fd_ = ::open((root_ / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (lock_fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open queue lock");
  return ::flock(lock_fd_, LOCK_EX | LOCK_NB) == 0;
}

bool Store::locked_by_other() const {
  int fd = ::open((root_ / "lock").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

std::unique_ptr<Draft> Store::begin(const std::string& id, std::error_code& ec) {
  if (!is_queue_id(id)) {
    ec = std::make_error_code(std::errc::invalid_argument);
    return nullptr;
  }
  std::uint64_t spent_size = UINT64_MAX;
  if (int fd = reuse_free_file(id, spent_size, ec); fd >= 0 || ec)
    return fd >= 0 ? std::unique_ptr<Draft>(new Draft(root_, id, fd, true, spent_size)) : nullptr;
  int fd = ::open(entry_path(id).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) {
    ec = last_error();
    return nullptr;
  }
  return std::unique_ptr<Draft>(new Draft(root_, id, fd, false, 0));
}

RecoveryReport Store::recover(const ControlLimits& limits) {
  RecoveryReport report;
  std::vector<ControlFile> entries;
  report = recover([&entries](ControlFile&& e) { entries.push_back(std::move(e)); }, limits);
  report.entries = std::move(entries);
  return report;
}

RecoveryReport Store::recover(const RecoveredEntry& each, const ControlLimits& limits, std::size_t window) {
  if (msg_fd_ < 0) prepare();  // the entries are opened relative to msg/
  RecoveryReport report;
  // A clean shutdown's mark counts once: removed durably first (the snapshot too, unless
  // the caller continues it: keep_used_snapshot()).
  CleanStart start = take_clean_start(root_, {}, keep_snapshot_);
  report.snapshot_left = start.snapshot_left;
  report.clean = start.clean;
  report.snapshot = std::move(start.why);
  std::optional<std::string>& snapshot = start.snapshot;
  const std::uint64_t generation = start.generation;
  // After a crash of the daemon alone, DIR/acked says which entries received over SMTP
  // were acknowledged (ack_log.hpp): a later one, complete but never answered, is removed.
  std::optional<AckedSince> acked;
  if (!report.clean) report.ack_log = (acked = read_ack_log(root_, report.acked)).has_value();
  const std::vector<ListedEntry> listing = list_directory(root_ / "msg");
  std::vector<std::string> ids;  // the entries to read from their files
  bool used = false;
  if (snapshot) {
    SnapshotUse use;
    auto rest = adopt_snapshot(*snapshot, report.clean ? generation : 0, listing, msg_fd_,
                               start.touched ? &*start.touched : nullptr, each, use, report.snapshot);
    report.recovered = report.from_snapshot = use.adopted;
    report.snapshot_checked = use.checked;
    report.snapshot_touch_log = use.touch_log;
    report.snapshot_changed = use.changed;
    if ((used = rest.has_value())) ids = std::move(*rest);
    snapshot.reset();
    if (used && report.snapshot.empty() && report.snapshot_left) report.snapshot_generation = use.generation;
  }
  if (!listing.empty()) report.listing_greatest = listing.back().name;
  if (!used) {
    ids.reserve(listing.size());
    for (const auto& e : listing) ids.push_back(e.name);
  }
  // Each entry is checked on its own: by several threads, so that the
  // reads of many entries are in flight together (a cold cache costs a
  // few disk reads per entry), while this thread hands the checked ones on
  // in the directory's order. The threads work through chunks of kChunk
  // entries in a ring of `window` slots: a thread waits before a
  // chunk whose slots still hold entries not yet handed on.
  enum class Outcome { entry, removed, quarantined, finished_removal, never_acknowledged };
  struct Slot {
    Outcome outcome = Outcome::entry;
    ControlFile file;
  };
  constexpr std::size_t kChunk = 64;
  const std::size_t kRingChunks = std::max<std::size_t>(1, window / kChunk);
  const std::size_t kRing = kRingChunks * kChunk;
  const bool clean = report.clean;
  auto check = [&](const std::string& id, Slot& slot) {
    thread_local std::string head, control;  // reused: no allocation per entry
    slot.outcome = Outcome::entry;
    auto quarantine = [&] {
      ::renameat(msg_fd_, id.c_str(), msg_fd_, ("../quarantine/" + id).c_str());
      slot.outcome = Outcome::quarantined;
    };
    auto remove = [&](Outcome o) {
      ::unlinkat(msg_fd_, id.c_str(), 0);
      slot.outcome = o;
    };
    if (!is_queue_id(id)) return quarantine();
    OpenEntry e;
    if (!e.open(msg_fd_, id.c_str(), head)) return quarantine();  // a directory, say (not an entry of this format)
    if (e.header.state == Header::State::invalid) return quarantine();
    // Never finished, so never acknowledged: a crash while it was being received.
    if (e.header.state == Header::State::unfinished) return remove(Outcome::removed);
    // Finished, but its control part did not reach the disk: a crash before the sync
    // (never acknowledged) — or, after a clean shutdown, a file someone truncated.
    auto text = e.control_text(limits.max_bytes, control);
    auto decoded = text ? decode_control(*text, limits) : DecodeResult{};
    if (!text || decoded.status == DecodeResult::Status::incomplete)
      return clean ? quarantine() : remove(Outcome::removed);
    if (decoded.status == DecodeResult::Status::invalid || decoded.file.id != id) return quarantine();
    if (decoded.file.removed) return remove(Outcome::finished_removal);
    if (acked && decoded.file.origin == "smtp") {
      const std::int64_t value = decode_queue_id(id);
      if (value >= acked->from && !std::binary_search(acked->ids.begin(), acked->ids.end(), value))
        return remove(Outcome::never_acknowledged);
    }
    if (control_offset_of(decoded.file) != e.header.control_offset) return quarantine();
    // A last append torn by the crash (no newline, ignored by the decoder) is cut off, so
    // that the next append starts a line of its own instead of continuing the fragment.
    if (text->back() != '\n') {
      const std::uint64_t whole = e.header.control_offset + text->rfind('\n') + 1;
      if (!cut_torn_append(msg_fd_, id.c_str(), whole)) return quarantine();
      e.file_size = whole;
    }
    // Content check: after a crash, each form's CRC-32C (a torn write); after a clean
    // shutdown the layout above is enough (a truncated file has lost its control part).
    if (!clean) {
      thread_local std::vector<char> buf(1 << 20);  // not one 1 MiB allocation per entry
      auto crc_of = [&](std::uint64_t offset, std::uint64_t size) -> std::optional<std::uint32_t> {
        if (auto v = e.in_head(offset, size)) return crc32c(0, *v);
        std::uint32_t crc = 0;
        while (size > 0) {
          const std::size_t n = std::min<std::uint64_t>(size, buf.size());
          if (pread_all(e.fd, buf.data(), n, offset)) return std::nullopt;
          crc = crc32c(crc, std::string_view(buf.data(), n));
          offset += n;
          size -= n;
        }
        return crc;
      };
      auto base = crc_of(kEntryHeaderSize, decoded.file.size);
      if (!base || *base != decoded.file.crc32c) return quarantine();
      for (const auto& form : decoded.file.forms) {
        auto x = form_extent(decoded.file, form.index);
        auto crc = x ? crc_of(x->first, x->second) : std::nullopt;
        if (!crc || *crc != form.crc32c) return quarantine();
      }
    }
    decoded.file.file_size = e.file_size;
    slot.file = std::move(decoded.file);
  };
  // What a checked slot becomes: an entry handed on, or an ID in the report.
  auto hand_on = [&](const std::string& id, Slot& slot) {
    switch (slot.outcome) {
      case Outcome::entry:
        ++report.recovered;
        // What the receiver leaves of it is freed by the thread that next fills the
        // slot (off this thread, the one serial part of the start-up).
        each(std::move(slot.file));
        break;
      case Outcome::removed: report.removed.push_back(id); break;
      case Outcome::quarantined: report.quarantined.push_back(id); break;
      case Outcome::finished_removal: report.finished_removal.push_back(id); break;
      case Outcome::never_acknowledged: report.never_acknowledged.push_back(id); break;
    }
  };
  const std::size_t chunks = (ids.size() + kChunk - 1) / kChunk;
  const std::size_t workers = std::min<std::size_t>(kRecoveryThreads, (ids.size() + 255) / 256);
  if (workers <= 1) {
    Slot slot;
    for (const auto& id : ids) {
      check(id, slot);
      hand_on(id, slot);
    }
  } else {
    std::vector<Slot> ring(kRing);
    // Each side is woken only when it waits for what the other just did (a
    // notify per chunk for everyone costs more than the checks on 2 cores).
    std::mutex mutex;
    std::condition_variable room, filled;
    std::vector<char> ready(kRingChunks, 0);  // per ring chunk: checked, not yet handed on
    std::size_t handed = 0;                   // chunks handed on so far
    std::size_t workers_waiting = 0;
    std::size_t receiver_waits_for = SIZE_MAX;  // the chunk the receiver waits for, if it does
    std::atomic<std::size_t> next{0};
    bool gave_up = false;  // under `mutex`
    auto work = [&] {
      for (std::size_t c; (c = next.fetch_add(1)) < chunks;) {
        {
          std::unique_lock lock(mutex);
          if (c >= handed + kRingChunks) {
            ++workers_waiting;
            room.wait(lock, [&] { return c < handed + kRingChunks; });
            --workers_waiting;
          }
          if (gave_up) return;  // the receiver gave up
        }
        const std::size_t end = std::min(ids.size(), (c + 1) * kChunk);
        for (std::size_t i = c * kChunk; i < end; ++i) check(ids[i], ring[i % kRing]);
        std::lock_guard lock(mutex);
        ready[c % kRingChunks] = 1;
        if (receiver_waits_for == c) filled.notify_one();
      }
    };
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w) pool.emplace_back(work);
    try {
      for (std::size_t c = 0; c < chunks; ++c) {
        {
          std::unique_lock lock(mutex);
          if (!ready[c % kRingChunks]) {
            if (workers_waiting) room.notify_all();  // the room made since the last notify
            receiver_waits_for = c;
            filled.wait(lock, [&] { return ready[c % kRingChunks] != 0; });
            receiver_waits_for = SIZE_MAX;
          }
        }
        const std::size_t end = std::min(ids.size(), (c + 1) * kChunk);
        for (std::size_t i = c * kChunk; i < end; ++i) hand_on(ids[i], ring[i % kRing]);
        std::lock_guard lock(mutex);
        ready[c % kRingChunks] = 0;
        handed = c + 1;
        if (workers_waiting && handed % 8 == 0) room.notify_all();  // room for a few chunks at once
      }
    } catch (...) {
      // The receiver gave up (out of memory, say): the threads stop at their next chunk.
      {
        std::lock_guard lock(mutex);
        gave_up = true;
        handed = chunks;
        room.notify_all();
      }
      for (auto& t : pool) t.join();
      throw;
    }
    for (auto& t : pool) t.join();
  }
  if (!report.removed.empty() || !report.quarantined.empty() || !report.finished_removal.empty() ||
      !report.never_acknowledged.empty())
    ::fsync(msg_fd_);
  if (report.snapshot_generation) report.snapshot_rest = std::move(ids);  // read, no longer needed here
  return report;
}

std::vector<std::string> Store::list_ids() const {
  auto ids = dir_names(root_ / "msg");
  std::erase_if(ids, [](const std::string& id) { return !is_queue_id(id); });
  return ids;
}

std::optional<ControlFile> Store::read(const std::string& id, std::string* error) const {
  if (!is_queue_id(id)) {
    if (error) *error = "not a queue ID";
    return std::nullopt;
  }
  OpenEntry e;
  thread_local std::string head;
  std::string control;
  if (!e.open(AT_FDCWD, entry_path(id).c_str(), head)) {
    if (error) *error = "no such message in the queue";
    return std::nullopt;
  }
  auto text = e.control_text(ControlLimits{}.max_bytes, control);
  if (!text) {
    if (error) *error = "being received (no control part yet)";
    return std::nullopt;
  }
  auto decoded = decode_control(*text);
  if (decoded.status != DecodeResult::Status::complete) {
    if (error) *error = "control part line " + std::to_string(decoded.line) + ": " + decoded.error;
    return std::nullopt;
  }
  if (decoded.file.id != id) {  // the file was spent and reused while we read it
    if (error) *error = "no such message in the queue";
    return std::nullopt;
  }
  decoded.file.file_size = e.file_size;
  return std::move(decoded.file);
}

std::optional<ControlFile> Store::read(const std::string& id, std::size_t index, std::string& octets,
                                       std::string* error) const {
  auto fail = [&](const char* why) -> std::optional<ControlFile> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (!is_queue_id(id)) return fail("not a queue ID");
  OpenEntry e;
  thread_local std::string head;
  std::string control;
  if (!e.open(AT_FDCWD, entry_path(id).c_str(), head)) return fail("no such message in the queue");
  auto text = e.control_text(ControlLimits{}.max_bytes, control);
  if (!text) return fail("being received (no control part yet)");
  auto decoded = decode_control(*text);
  if (decoded.status != DecodeResult::Status::complete) {
    if (error) *error = "control part line " + std::to_string(decoded.line) + ": " + decoded.error;
    return std::nullopt;
  }
  if (decoded.file.id != id) return fail("no such message in the queue");  // spent and reused meanwhile
  auto x = form_extent(decoded.file, index);
  if (!x || x->first + x->second > e.header.control_offset) return fail("no such form");
  auto read = e.octets(x->first, x->second);
  if (!read) return fail("its form cannot be read");
  octets = std::move(*read);
  return std::move(decoded.file);
}

std::error_code Store::append(const std::string& id, const Record& record, bool sync, Touch touch) {
  if (!is_queue_id(id)) return std::make_error_code(std::errc::invalid_argument);
  if (touch_log_)
    if (auto ec = touch_log_->touch(id, touch == Touch::until_released)) return ec;
  int fd = ::open(entry_path(id).c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return last_error();
  const std::string line = encode_record(record);
  auto ec = write_all(fd, line.data(), line.size());
  if (!ec && sync && ::fdatasync(fd) != 0) ec = last_error();
  ::close(fd);
  return ec;
}

std::error_code Store::remove(const std::string& id) {
  Record r;
  r.kind = Record::Kind::remove;
  r.time = static_cast<std::int64_t>(::time(nullptr));
  if (auto ec = append(id, r, true, Touch::until_released)) return ec;
  if (::unlink(entry_path(id).c_str()) != 0 && errno != ENOENT) return last_error();
  if (msg_fd_ >= 0) ::fsync(msg_fd_);
  return {};
}

std::error_code Store::start_touch_log() {
  std::error_code ec;
  touch_log_ = TouchLog::start(root_, ec);
  return ec;
}

std::error_code Store::discard(const std::string& id) {
  if (!is_queue_id(id)) return std::make_error_code(std::errc::invalid_argument);
  struct stat st {};
  if (free_fd_ >= 0 && ::fstatat(msg_fd_, id.c_str(), &st, 0) == 0 &&
      static_cast<std::uint64_t>(st.st_size) <= kFreeFileMaxSize) {
    std::lock_guard lock(free_->mutex);
    if (free_->names.size() < kFreeFilesMax && ::renameat(msg_fd_, id.c_str(), free_fd_, id.c_str()) == 0) {
      free_->names.push_back(FreeFile{id, static_cast<std::uint64_t>(st.st_size)});
      return {};
    }
  }
  if (::unlink(entry_path(id).c_str()) != 0 && errno != ENOENT) return last_error();
  return {};
}

bool Store::premake(std::size_t at_most) {
  if (free_fd_ < 0) return false;
  for (std::size_t made = 0; made < at_most; ++made) {
    {
      std::lock_guard lock(free_->mutex);
      if (free_->names.size() >= kPremadeTarget) return false;
    }
    // Empty: its header reads as unfinished (store.hpp), and it is in free/, which
    // recovery never reads as entries. A name left by an earlier run is skipped.
    std::string name = "new-" + std::to_string(premade_++);
    int fd = ::openat(free_fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return false;  // a full disk, say: new entries create their files as before
    }
    ::close(fd);
    std::lock_guard lock(free_->mutex);
    // Taken last (names are taken from the back): a spent file is overwritten in
    // place, in blocks it already has, where an empty one needs new blocks.
    free_->names.insert(free_->names.begin(), FreeFile{std::move(name), 0});
  }
  std::lock_guard lock(free_->mutex);
  return free_->names.size() < kPremadeTarget;
}

std::size_t Store::free_files() const {
  std::lock_guard lock(free_->mutex);
  return free_->names.size();
}

void Store::drop(const std::string& id) {
  if (is_queue_id(id)) ::unlink(entry_path(id).c_str());
}

std::optional<std::string> Store::form(const std::string& id, std::size_t index) const {
  if (!is_queue_id(id)) return std::nullopt;
  OpenEntry e;
  thread_local std::string head;
  std::string control;
  if (!e.open(AT_FDCWD, entry_path(id).c_str(), head)) return std::nullopt;
  auto text = e.control_text(ControlLimits{}.max_bytes, control);
  if (!text) return std::nullopt;
  auto decoded = decode_control(*text);
  if (decoded.status != DecodeResult::Status::complete || decoded.file.id != id) return std::nullopt;
  auto x = form_extent(decoded.file, index);
  if (!x || x->first + x->second > e.header.control_offset) return std::nullopt;
  return e.octets(x->first, x->second);
}

std::optional<std::string> Store::content(const std::string& id) const { return form(id, 0); }

}  // namespace mixer::queue
