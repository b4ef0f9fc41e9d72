// gateway/queue/ack_log.cpp: DIR/acked while the daemon runs (see ack_log.hpp).
#include "gateway/queue/ack_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "gateway/queue/fd_io.hpp"
#include "gateway/queue/format/queue_id.hpp"

namespace mixer::queue {

std::optional<std::string> current_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string line;
  if (!std::getline(in, line) || !is_boot_id(line)) return std::nullopt;
  return line;
}

std::optional<AckedSince> read_ack_log(const std::filesystem::path& root, std::string& note) {
  int fd = ::open((root / "acked").c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  const AckLogLimits limits;
  auto text = fd_io::read_whole(fd, limits.max_bytes, note);
  ::close(fd);
  if (!text) return std::nullopt;
  auto acked = decode_ack_log(*text, limits);
  if (!acked.usable) {
    note = acked.why;
    return std::nullopt;
  }
  if (acked.boot != current_boot_id().value_or("")) {
    note = "written before the system restarted";
    return std::nullopt;
  }
  return acked;
}

AckLog::AckLog(std::filesystem::path root, NextId next_id, std::string boot, std::uint64_t max_bytes)
    : root_(std::move(root)), next_id_(std::move(next_id)), boot_(std::move(boot)), max_bytes_(max_bytes) {}

AckLog::~AckLog() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<AckLog> AckLog::start(const std::filesystem::path& root, NextId next_id, std::error_code& ec,
                                      std::uint64_t max_bytes) {
  ec.clear();
  if (::unlink((root / "acked").c_str()) != 0 && errno != ENOENT) {
    ec = fd_io::last_error();
    return nullptr;
  }
  auto boot = current_boot_id();
  std::unique_ptr<AckLog> log(new AckLog(root, std::move(next_id), boot.value_or(""), max_bytes));
  if (boot) (void)log->begin();  // a failure leaves it disabled, with no file
  return log;
}

std::error_code AckLog::begin() {
  const auto fresh = root_ / "acked.new";
  int fd = ::open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return give_up();
  const std::string header = ack_log_header(boot_, encode_queue_id(next_id_()));
  if (fd_io::write_all(fd, header) || ::rename(fresh.c_str(), (root_ / "acked").c_str()) != 0) {
    ::close(fd);
    ::unlink(fresh.c_str());
    return give_up();
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  size_ = header.size();
  return {};
}

std::error_code AckLog::give_up() {
  const std::error_code why = fd_io::last_error();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (::unlink((root_ / "acked").c_str()) != 0 && errno != ENOENT) {
    broken_ = true;
    return why ? why : fd_io::last_error();
  }
  broken_ = false;
  return {};
}

std::error_code AckLog::acknowledged(const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  if (fd_ < 0) return broken_ ? give_up() : std::error_code{};
  if (size_ >= max_bytes_) {
    ++restarts_;
    if (auto ec = begin()) return ec;
    if (fd_ < 0) return {};  // disabled: nothing can be missed
  }
  const std::string line = ack_log_line(ids);
  if (fd_io::write_all(fd_, line)) {
    // Part of the line may be there; without the file every entry is kept.
    return give_up();
  }
  size_ += line.size();
  return {};
}

}  // namespace mixer::queue
