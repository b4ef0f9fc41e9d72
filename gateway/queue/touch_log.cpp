// gateway/queue/touch_log.cpp: DIR/touched while the daemon runs (see touch_log.hpp).
#include "gateway/queue/touch_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "gateway/queue/fd_io.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/touch_log_format.hpp"

namespace mixer::queue {
namespace {

using fd_io::last_error;
using fd_io::sync_dir;

// PATH made afresh with `text`, synced; its descriptor (appending), or -1 with ec.
int write_new(const std::filesystem::path& path, const std::string& text, std::error_code& ec) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    ec = last_error();
    return -1;
  }
  if (!(ec = fd_io::write_all(fd, text)) && ::fdatasync(fd) != 0) ec = last_error();
  if (ec) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TouchLog::TouchLog(std::filesystem::path root, int fd) : root_(std::move(root)), fd_(fd) {}

TouchLog::~TouchLog() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<TouchLog> TouchLog::start(const std::filesystem::path& root, std::error_code& ec) {
  int fd = write_new(root / "touched", touch_log_header(), ec);
  if (fd < 0) return nullptr;
  if ((ec = sync_dir(root))) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<TouchLog>(new TouchLog(root, fd));
}

std::error_code TouchLog::append_locked(const std::string& text) {
  std::error_code ec = fd_io::write_all(fd_, text);
  if (!ec && ::fdatasync(fd_) != 0) ec = last_error();
  return ec ? give_up_locked(ec) : ec;
}

// A line that may be torn or not durable: the file goes (the start then checks every
// file); when even that fails, every later touch fails with the reason.
std::error_code TouchLog::give_up_locked(std::error_code why) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if ((::unlink((root_ / "touched").c_str()) == 0 || errno == ENOENT) && !sync_dir(root_)) {
    disabled_ = true;
    return {};
  }
  broken_ = why;
  return why;
}

// Whether a write to ID needs its line now: a section is open, ID may be in a snapshot
// of the run (not above every listing, or one is under way), and it has no line yet.
bool TouchLog::needs_line_locked(const std::string& id) const {
  return generation_ != 0 && (listing_ || id <= high_water_) && !section_.count(id);
}

std::error_code TouchLog::touch(const std::string& id, bool sticky) {
  std::lock_guard lock(mutex_);
  if (broken_) return broken_;
  if (disabled_) return {};
  if (sticky) sticky_.insert(id);
  if (!needs_line_locked(id)) return {};
  if (auto ec = append_locked(touch_log_id_line(id))) return ec;
  if (!disabled_) {
    section_.insert(id);
    ++lines_;
  }
  return {};
}

std::error_code TouchLog::touch_all(const std::vector<std::string>& ids) {
  std::lock_guard lock(mutex_);
  if (broken_) return broken_;
  if (disabled_) return {};
  // Noted in the section as they are written into the text (a repeated ID once): if the
  // write fails, the file is gone (nothing is read of it) or every later touch fails.
  std::string text;
  for (const auto& id : ids)
    if (needs_line_locked(id)) {
      text += touch_log_id_line(id);
      section_.insert(id);
      ++lines_;
    }
  return text.empty() ? std::error_code() : append_locked(text);
}

void TouchLog::release(const std::string& id) {
  std::lock_guard lock(mutex_);
  sticky_.erase(id);
}

std::error_code TouchLog::open_section(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (broken_) return broken_;
  if (disabled_) return std::make_error_code(std::errc::io_error);
  std::string text = touch_log_open_line(generation);
  for (const auto& id : sticky_) text += touch_log_id_line(id);
  if (auto ec = append_locked(text)) return ec;
  if (disabled_) return std::make_error_code(std::errc::io_error);
  generation_ = generation;
  listing_ = true;
  section_ = sticky_;
  lines_ += sticky_.size();
  return {};
}

std::error_code TouchLog::continue_section(std::uint64_t generation, const std::vector<std::string>& carried,
                                          const std::string& greatest) {
  std::lock_guard lock(mutex_);
  if (broken_) return broken_;
  if (disabled_) return std::make_error_code(std::errc::io_error);
  if (generation_ != 0 || generation == 0) return std::make_error_code(std::errc::invalid_argument);
  // Other names (not entries: quarantined at start) never go into a snapshot.
  std::unordered_set<std::string> section;
  for (const auto& name : carried)
    if (is_queue_id(name)) section.insert(name);
  std::string text = touch_log_open_line(generation);
  text.reserve(text.size() + section.size() * (carried.empty() ? 0 : carried.front().size() + 1));
  for (const auto& id : section) text += touch_log_id_line(id);
  if (auto ec = append_locked(text)) return ec;
  if (disabled_) return std::make_error_code(std::errc::io_error);
  generation_ = generation;
  listing_ = false;
  section_ = std::move(section);
  high_water_ = std::max(high_water_, greatest);
  lines_ += section_.size();
  return {};
}

void TouchLog::listed(const std::string& greatest) {
  std::lock_guard lock(mutex_);
  // Never lowered: an entry of an earlier snapshot of the run may lie above this listing's.
  high_water_ = std::max(high_water_, greatest);
  listing_ = false;
}

std::error_code TouchLog::compact(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (broken_ || disabled_ || generation != generation_) return {};
  std::string text = touch_log_header() + touch_log_open_line(generation);
  for (const auto& id : section_) text += touch_log_id_line(id);
  std::error_code ec;
  int fd = write_new(root_ / "touched.new", text, ec);
  if (fd < 0) {
    ::unlink((root_ / "touched.new").c_str());
    return ec;  // the old file still holds the section: kept
  }
  // Renamed and the directory synced before any later ID goes to the new file.
  if (::rename((root_ / "touched.new").c_str(), (root_ / "touched").c_str()) != 0) {
    ec = last_error();
    ::close(fd);
    ::unlink((root_ / "touched.new").c_str());
    return ec;
  }
  ::close(fd_);
  fd_ = fd;
  if ((ec = sync_dir(root_))) return give_up_locked(ec);
  return {};
}

std::uint64_t TouchLog::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

bool TouchLog::disabled() const {
  std::lock_guard lock(mutex_);
  return disabled_;
}

}  // namespace mixer::queue
