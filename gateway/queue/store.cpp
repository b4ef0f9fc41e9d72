// gateway/queue/store.cpp: the queue's files (see store.hpp).
#include "gateway/queue/store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

#include "gateway/queue/format/crc32c.hpp"
#include "gateway/queue/format/queue_id.hpp"

namespace mixer::queue {
namespace {

constexpr std::size_t kWriteBlock = 128 * 1024;
constexpr std::size_t kRecoveryThreads = 16;  // entries checked in parallel at start-up

std::error_code last_error() { return {errno, std::generic_category()}; }

std::error_code write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return {};
}

// Paths relative to `dir_fd` (AT_FDCWD: absolute or relative to the cwd).
std::optional<std::string> read_file(const std::filesystem::path& p, std::size_t max, int dir_fd = AT_FDCWD) {
  int fd = ::openat(dir_fd, p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    out.append(buf, static_cast<std::size_t>(r));
    if (out.size() > max) break;
  }
  ::close(fd);
  return out;
}

// Size and CRC-32C of a file; nullopt if unreadable.
std::optional<std::pair<std::uint64_t, std::uint32_t>> size_and_crc(const std::filesystem::path& p,
                                                                     int dir_fd = AT_FDCWD) {
  int fd = ::openat(dir_fd, p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::uint64_t size = 0;
  std::uint32_t crc = 0;
  thread_local std::vector<char> buf(1 << 20);  // not one 1 MiB allocation per entry at start-up
  while (true) {
    ssize_t r = ::read(fd, buf.data(), buf.size());
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (r == 0) break;
    crc = crc32c(crc, std::string_view(buf.data(), static_cast<std::size_t>(r)));
    size += static_cast<std::uint64_t>(r);
  }
  ::close(fd);
  return std::pair{size, crc};
}

std::vector<std::string> subdirs(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (auto* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") out.push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void make_dir(const std::filesystem::path& p) {
  if (::mkdir(p.c_str(), 0750) != 0 && errno != EEXIST)
    throw std::system_error(errno, std::generic_category(), "cannot create " + p.string());
}

}  // namespace

void DurableSet::close_all() {
  for (int* fd : {&entry_dir_fd, &base_fd, &control_fd})
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
  for (int fd : form_fds) ::close(fd);
  form_fds.clear();
}

std::error_code remove_entry_dir(const std::filesystem::path& dir) {
  for (const auto& name : subdirs(dir))
    if (::unlink((dir / name).c_str()) != 0 && errno != ENOENT) return last_error();
  if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) return last_error();
  return {};
}

// ---- Draft ------------------------------------------------------------------

Draft::Draft(std::filesystem::path root, std::string id, int dir_fd, int base_fd)
    : root_(std::move(root)), id_(std::move(id)), dir_fd_(dir_fd), base_fd_(base_fd) {}

Draft::~Draft() {
  if (!done_) abort();
}

void Draft::append(std::string_view bytes) {
  crc_ = crc32c(crc_, bytes);
  size_ += bytes.size();
  if (buffer_.empty() && bytes.size() >= kWriteBlock) {
    if (!error_) error_ = write_all(base_fd_, bytes.data(), bytes.size());
    return;
  }
  buffer_.append(bytes);
  if (buffer_.size() >= kWriteBlock) {
    if (auto ec = flush(); ec && !error_) error_ = ec;
  }
}

std::error_code Draft::flush() {
  if (buffer_.empty()) return {};
  auto ec = write_all(base_fd_, buffer_.data(), buffer_.size());
  buffer_.clear();
  return ec;
}

std::size_t Draft::add_form(FormRecord form, std::string_view bytes, std::error_code& ec) {
  form.index = forms_.size() + 1;
  form.size = bytes.size();
  form.crc32c = crc32c(0, bytes);
  int fd = ::openat(dir_fd_, form_file_name(form.index).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) {
    ec = last_error();
    return 0;
  }
  if ((ec = write_all(fd, bytes.data(), bytes.size()))) {
    ::close(fd);
    return 0;
  }
  form_fds_.push_back(fd);
  forms_.push_back(std::move(form));
  return forms_.size();
}

std::error_code Draft::finish(ControlFile& control, DurableSet& out) {
  if (auto ec = flush(); ec && !error_) error_ = ec;
  if (error_) return error_;
  control.id = id_;
  control.forms = forms_;
  control.size = size_;
  control.crc32c = crc_;
  std::string text = encode_control(control);
  for (const auto& r : control.records) text += encode_record(r);  // states decided at submit (failed recipients)
  int cfd = ::openat(dir_fd_, "control", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (cfd < 0) return last_error();
  if (auto ec = write_all(cfd, text.data(), text.size())) {
    ::close(cfd);
    return ec;
  }
  out.entry_dir_fd = dir_fd_;
  out.base_fd = base_fd_;
  out.control_fd = cfd;
  out.form_fds = std::move(form_fds_);
  form_fds_.clear();
  dir_fd_ = base_fd_ = -1;
  done_ = true;
  return {};
}

void Draft::abort() {
  for (int fd : form_fds_) ::close(fd);
  form_fds_.clear();
  if (base_fd_ >= 0) ::close(base_fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
  base_fd_ = dir_fd_ = -1;
  remove_entry_dir(root_ / "msg" / id_);
  done_ = true;
}

// ---- Store ------------------------------------------------------------------

Store::Store(std::filesystem::path root) : root_(std::move(root)) {}

Store::~Store() {
  if (msg_fd_ >= 0) ::close(msg_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Store::prepare() {
  std::error_code ec;
  std::filesystem::create_directories(root_, ec);
  if (ec) throw std::system_error(ec, "cannot create queue directory " + root_.string());
  for (const char* sub : {"msg", "quarantine"}) make_dir(root_ / sub);
  if (msg_fd_ < 0) {
    msg_fd_ = ::open((root_ / "msg").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (msg_fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + root_.string() + "/msg");
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
  const auto dir = root_ / "msg" / id;
  if (::mkdir(dir.c_str(), 0750) != 0) {
    ec = last_error();
    return nullptr;
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int bfd = dfd < 0 ? -1 : ::openat(dfd, "base", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (bfd < 0) {
    ec = last_error();
    if (dfd >= 0) ::close(dfd);
    remove_entry_dir(dir);
    return nullptr;
  }
  return std::unique_ptr<Draft>(new Draft(root_, id, dfd, bfd));
}

std::error_code Store::mark_clean() {
  if (msg_fd_ >= 0 && ::syncfs(msg_fd_) != 0) return last_error();
  const auto path = root_ / "clean";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return last_error();
  static constexpr std::string_view kMark = "mixer-clean-shutdown 1\n";
  auto ec = write_all(fd, kMark.data(), kMark.size());
  if (!ec && ::fsync(fd) != 0) ec = last_error();
  ::close(fd);
  if (ec) return ec;
  int dfd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return last_error();
  if (::fsync(dfd) != 0) ec = last_error();
  ::close(dfd);
  return ec;
}

RecoveryReport Store::recover(const ControlLimits& limits) {
  if (msg_fd_ < 0) prepare();  // the entries are opened relative to msg/
  RecoveryReport report;
  {
    // A clean shutdown's mark counts once: removed durably before anything else.
    const auto mark = root_ / "clean";
    auto text = read_file(mark, 64);
    if (text && *text == "mixer-clean-shutdown 1\n") report.clean = true;
    if (text) {
      ::unlink(mark.c_str());
      int dfd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd >= 0) {
        if (::fsync(dfd) != 0) report.clean = false;
        ::close(dfd);
      } else {
        report.clean = false;
      }
    }
  }
  // Content check: after a crash, size and CRC-32C (a torn write); after a
  // clean shutdown, the size (a file someone truncated).
  // Paths relative to msg/ ("ID/base"): fewer components to look up per file.
  auto intact_file = [&](const std::string& p, std::uint64_t size, std::uint32_t crc) {
    if (report.clean) {
      struct stat st {};
      return ::fstatat(msg_fd_, p.c_str(), &st, 0) == 0 && static_cast<std::uint64_t>(st.st_size) == size;
    }
    auto f = size_and_crc(p, msg_fd_);
    return f && f->first == size && f->second == crc;
  };
  // Each entry is checked on its own: by several threads, so that the
  // reads of many entries are in flight together (a cold cache costs a
  // few disk reads per entry); the report keeps the directory's order.
  enum class Outcome { entry, removed, quarantined, finished_removal };
  struct Slot {
    Outcome outcome = Outcome::entry;
    ControlFile file;
  };
  const std::vector<std::string> ids = subdirs(root_ / "msg");
  std::vector<Slot> slots(ids.size());
  auto check = [&](std::size_t i) {
    const std::string& id = ids[i];
    Slot& slot = slots[i];
    const auto dir = root_ / "msg" / id;
    auto quarantine = [&] {
      ::rename(dir.c_str(), (root_ / "quarantine" / id).c_str());
      slot.outcome = Outcome::quarantined;
    };
    auto remove = [&](Outcome o) {
      remove_entry_dir(dir);
      slot.outcome = o;
    };
    if (!is_queue_id(id)) return quarantine();
    auto text = read_file(id + "/control", limits.max_bytes, msg_fd_);
    if (!text) return remove(Outcome::removed);  // the crash came before the control file was written
    auto decoded = decode_control(*text, limits);
    if (decoded.status == DecodeResult::Status::incomplete) return remove(Outcome::removed);
    if (decoded.status == DecodeResult::Status::invalid || decoded.file.id != id) return quarantine();
    if (decoded.file.removed) return remove(Outcome::finished_removal);
    bool intact = intact_file(id + "/base", decoded.file.size, decoded.file.crc32c);
    for (const auto& form : decoded.file.forms) {
      if (!intact) break;
      intact = intact_file(id + "/" + form_file_name(form.index), form.size, form.crc32c);
    }
    if (!intact) return quarantine();
    slot.file = std::move(decoded.file);
  };
  const std::size_t workers = std::min<std::size_t>(kRecoveryThreads, (ids.size() + 255) / 256);
  if (workers <= 1) {
    for (std::size_t i = 0; i < ids.size(); ++i) check(i);
  } else {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w)
      pool.emplace_back([&] {
        for (std::size_t i; (i = next.fetch_add(64)) < ids.size();)
          for (std::size_t j = i; j < std::min(i + 64, ids.size()); ++j) check(j);
      });
    for (auto& t : pool) t.join();
  }
  report.entries.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    switch (slots[i].outcome) {
      case Outcome::entry: report.entries.push_back(std::move(slots[i].file)); break;
      case Outcome::removed: report.removed.push_back(ids[i]); break;
      case Outcome::quarantined: report.quarantined.push_back(ids[i]); break;
      case Outcome::finished_removal: report.finished_removal.push_back(ids[i]); break;
    }
  }
  if (!report.removed.empty() || !report.quarantined.empty() || !report.finished_removal.empty())
    ::fsync(msg_fd_);
  return report;
}

std::vector<std::string> Store::list_ids() const {
  auto ids = subdirs(root_ / "msg");
  std::erase_if(ids, [](const std::string& id) { return !is_queue_id(id); });
  return ids;
}

std::optional<ControlFile> Store::read(const std::string& id, std::string* error) const {
  if (!is_queue_id(id)) {
    if (error) *error = "not a queue ID";
    return std::nullopt;
  }
  auto text = read_file(entry_dir(id) / "control", ControlLimits{}.max_bytes);
  if (!text) {
    if (error) *error = "no such message in the queue";
    return std::nullopt;
  }
  auto decoded = decode_control(*text);
  if (decoded.status != DecodeResult::Status::complete) {
    if (error) *error = "control file line " + std::to_string(decoded.line) + ": " + decoded.error;
    return std::nullopt;
  }
  return std::move(decoded.file);
}

std::error_code Store::append(const std::string& id, const Record& record, bool sync) {
  if (!is_queue_id(id)) return std::make_error_code(std::errc::invalid_argument);
  int fd = ::open((entry_dir(id) / "control").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return last_error();
  const std::string line = encode_record(record);
  auto ec = write_all(fd, line.data(), line.size());
  if (!ec && sync && ::fsync(fd) != 0) ec = last_error();
  ::close(fd);
  return ec;
}

std::error_code Store::remove(const std::string& id) {
  Record r;
  r.kind = Record::Kind::remove;
  r.time = static_cast<std::int64_t>(::time(nullptr));
  if (auto ec = append(id, r)) return ec;
  if (auto ec = remove_entry_dir(entry_dir(id))) return ec;
  int dfd = ::open((root_ / "msg").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

std::error_code Store::discard(const std::string& id) {
  if (!is_queue_id(id)) return std::make_error_code(std::errc::invalid_argument);
  const auto dir = entry_dir(id);
  // The control file first: without it the entry is incomplete (never sent again).
  for (const char* name : {"control", "base"})
    if (::unlink((dir / name).c_str()) != 0 && errno != ENOENT) return last_error();
  return remove_entry_dir(dir);
}

std::optional<std::string> Store::form(const std::string& id, std::size_t index) const {
  if (!is_queue_id(id)) return std::nullopt;
  return read_file(entry_dir(id) / form_file_name(index), std::size_t(1) << 30);
}

std::optional<std::string> Store::content(const std::string& id) const {
  if (!is_queue_id(id)) return std::nullopt;
  return read_file(entry_dir(id) / "base", std::size_t(1) << 30);
}

}  // namespace mixer::queue
