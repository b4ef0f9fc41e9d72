// gateway/transfer_journal.cpp: the responder's journal of taken APDUs (see transfer_journal.hpp).
#include "gateway/transfer_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>

#include "gateway/queue/format/tokens.hpp"

namespace mixer::gateway {
namespace {

constexpr std::size_t kMaxFile = 256u << 20;  // a journal larger than this is read up to here
constexpr std::size_t kMaxLine = 1024;

std::error_code last_error() { return {errno, std::generic_category()}; }

std::error_code write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t w = ::write(fd, s.data(), s.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    s.remove_prefix(static_cast<std::size_t>(w));
  }
  return {};
}

template <typename T>
bool number(const std::string& s, T& out, int base = 10) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

std::string crc_text(std::uint32_t c) {
  char b[16];
  std::snprintf(b, sizeof b, "%08x", c);
  return b;
}

}  // namespace

std::string TransferKey::text() const { return std::to_string(size) + " " + crc_text(crc32c) + " " + mts_id; }

TransferJournal::TransferJournal(std::filesystem::path file, std::chrono::seconds window, std::size_t max_records)
    : file_(std::move(file)), window_(window), max_records_(max_records) {}

void TransferJournal::forget_old(std::int64_t now) {
  while (!order_.empty()) {
    auto it = taken_.find(order_.front());
    if (it != taken_.end() && it->second.time + window_.count() >= now && taken_.size() <= max_records_) break;
    if (it != taken_.end()) {
      by_id_.erase(it->second.queue_id);
      taken_.erase(it);
    }
    order_.pop_front();
  }
}

TransferJournal::~TransferJournal() {
  if (fd_ >= 0) ::close(fd_);
}

std::error_code TransferJournal::open(std::int64_t now) {
  std::lock_guard lock(mutex_);
  std::string text;
  if (int in = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC); in >= 0) {
    char buf[65536];
    while (text.size() < kMaxFile) {
      ssize_t r = ::read(in, buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      text.append(buf, static_cast<std::size_t>(r));
    }
    ::close(in);
  } else if (errno != ENOENT) {
    return last_error();
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string::npos) break;  // a torn last append: its entry was never confirmed
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    auto t = line.size() <= kMaxLine ? queue::split_tokens(line) : std::nullopt;
    TransferKey key;
    std::int64_t when = 0;
    if (t && t->size() == 6 && (*t)[0] == "T" && number((*t)[1], when) && number((*t)[3], key.size) &&
        (*t)[4].size() == 8 && number((*t)[4], key.crc32c, 16)) {
      key.mts_id = (*t)[5];
      std::string k = key.text();
      taken_[k] = Taken{(*t)[2], when};
      by_id_[(*t)[2]] = k;
      order_.push_back(std::move(k));
    } else if (t && t->size() == 2 && (*t)[0] == "C") {
      if (auto id = by_id_.find((*t)[1]); id != by_id_.end()) {
        taken_.erase(id->second);
        by_id_.erase(id);
      }
    } else {
      ++unreadable_;
    }
  }
  forget_old(now);

  // Rewrite what is live (in time order), then append from there.
  std::string live;
  for (const auto& k : order_) {
    auto it = taken_.find(k);
    if (it == taken_.end() || by_id_[it->second.queue_id] != k) continue;
    const auto& v = it->second;
    auto sp1 = k.find(' '), sp2 = k.find(' ', sp1 + 1);
    live += "T " + std::to_string(v.time) + " " + queue::quote_token(v.queue_id) + " " + k.substr(0, sp2) + " " +
            queue::quote_token(k.substr(sp2 + 1)) + "\n";
  }
  const auto tmp = file_.string() + ".new";
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (out < 0) return last_error();
  auto ec = write_all(out, live);
  if (!ec && ::fsync(out) != 0) ec = last_error();
  ::close(out);
  if (!ec && ::rename(tmp.c_str(), file_.c_str()) != 0) ec = last_error();
  if (ec) return ec;
  if (int dir = ::open(file_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  return fd_ < 0 ? last_error() : std::error_code{};
}

std::optional<std::string> TransferJournal::find(const TransferKey& key, std::int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = taken_.find(key.text());
  if (it == taken_.end() || !it->second.durable || it->second.time + window_.count() < now) return std::nullopt;
  return it->second.queue_id;
}

int TransferJournal::record(const TransferKey& key, const std::string& queue_id, std::int64_t now, std::error_code& ec) {
  std::lock_guard lock(mutex_);
  if (fd_ < 0) {
    ec = std::make_error_code(std::errc::bad_file_descriptor);
    return -1;
  }
  const std::string line = "T " + std::to_string(now) + " " + queue::quote_token(queue_id) + " " +
                           std::to_string(key.size) + " " + crc_text(key.crc32c) + " " + queue::quote_token(key.mts_id) + "\n";
  if ((ec = write_all(fd_, line))) return -1;
  std::string k = key.text();
  taken_[k] = Taken{queue_id, now, false};
  by_id_[queue_id] = k;
  order_.push_back(std::move(k));
  forget_old(now);
  int dup = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) ec = last_error();
  return dup;
}

void TransferJournal::committed(const std::string& queue_id) {
  std::lock_guard lock(mutex_);
  if (auto id = by_id_.find(queue_id); id != by_id_.end())
    if (auto it = taken_.find(id->second); it != taken_.end()) it->second.durable = true;
}

void TransferJournal::cancel(const std::string& queue_id) {
  std::lock_guard lock(mutex_);
  if (auto id = by_id_.find(queue_id); id != by_id_.end()) {
    taken_.erase(id->second);
    by_id_.erase(id);
  }
  if (fd_ >= 0) (void)write_all(fd_, "C " + queue::quote_token(queue_id) + "\n");
}

std::size_t TransferJournal::size() const {
  std::lock_guard lock(mutex_);
  return taken_.size();
}

}  // namespace mixer::gateway
