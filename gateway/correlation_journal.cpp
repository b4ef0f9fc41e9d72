// gateway/correlation_journal.cpp: the report correlation journal (see correlation_journal.hpp).
#include "gateway/correlation_journal.hpp"

#include <unistd.h>

#include <algorithm>

#include "gateway/journal_file.hpp"

namespace mixer::gateway {
namespace {

constexpr std::size_t kMaxFile = 512u << 20;  // a journal larger than this is read up to here
constexpr std::uint64_t kMinRewrite = 64u << 20;

using journal_file::write_all;

// Values the format would refuse are left empty; recipients beyond its limit left out.
void fit(queue::SentRecord& r) {
  const queue::CorrelationLimits limits;
  auto cut = [&](std::string& s) {
    if (s.size() > limits.max_value) s.clear();
  };
  cut(r.message_id);
  cut(r.envid);
  if (r.recipients.size() > limits.max_recipients) r.recipients.resize(limits.max_recipients);
  for (auto& rc : r.recipients) {
    cut(rc.orcpt);
    cut(rc.address);
    cut(rc.or_address);
  }
}

}  // namespace

CorrelationJournal::CorrelationJournal(std::filesystem::path file, std::chrono::seconds window, std::size_t max_records)
    : file_(std::move(file)), window_(window), max_records_(max_records) {}

CorrelationJournal::~CorrelationJournal() {
  {
    std::lock_guard lock(mutex_);
    (void)flush_locked();
  }
  if (fd_ >= 0) ::close(fd_);
}

std::error_code CorrelationJournal::flush() {
  std::lock_guard lock(mutex_);
  return flush_locked();
}

std::error_code CorrelationJournal::flush_locked() {
  if (unwritten_.empty()) return {};
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  auto ec = write_all(fd_, unwritten_);
  appended_ += unwritten_.size();
  unwritten_.clear();
  if (ec) return ec;
  if (appended_ > kMinRewrite && appended_ > 2 * live_bytes_) return rewrite();
  return {};
}

void CorrelationJournal::add(queue::SentRecord r, std::size_t bytes) {
  const std::uint64_t seq = first_ + records_.size();
  if (r.direction == queue::SentRecord::Direction::to_x400) {
    x400_by_mts_id_[r.mts_id] = seq;
  } else {
    if (!r.envid.empty()) internet_by_envid_[r.envid] = seq;
    if (!r.message_id.empty()) internet_by_message_id_[r.message_id] = seq;
  }
  live_bytes_ += bytes;
  bytes_.push_back(static_cast<std::uint32_t>(bytes));
  records_.push_back(std::move(r));
}

void CorrelationJournal::forget_old(std::int64_t now) {
  auto erase = [](std::unordered_map<std::string, std::uint64_t>& m, const std::string& key, std::uint64_t seq) {
    if (auto it = m.find(key); it != m.end() && it->second == seq) m.erase(it);
  };
  while (!records_.empty() && (records_.front().time + window_.count() < now || records_.size() > max_records_)) {
    const auto& r = records_.front();
    erase(x400_by_mts_id_, r.mts_id, first_);
    erase(internet_by_envid_, r.envid, first_);
    erase(internet_by_message_id_, r.message_id, first_);
    live_bytes_ -= std::min<std::uint64_t>(live_bytes_, bytes_.front());
    bytes_.pop_front();
    records_.pop_front();
    ++first_;
  }
}

std::error_code CorrelationJournal::rewrite() {
  std::string live;
  live.reserve(live_bytes_);
  for (const auto& r : records_) live += queue::encode_correlation(r);
  auto ec = journal_file::replace_and_open(file_, live, fd_);
  if (ec) return ec;
  unwritten_.clear();  // the file holds every record in memory
  appended_ = 0;
  live_bytes_ = live.size();
  return {};
}

std::error_code CorrelationJournal::open(std::int64_t now) {
  std::lock_guard lock(mutex_);
  std::string text;
  if (auto ec = journal_file::read(file_, kMaxFile, text)) return ec;
  auto parsed = queue::parse_correlations(text);
  unreadable_ = parsed.unreadable;
  for (auto& r : parsed.records) {
    const std::size_t bytes = queue::encode_correlation(r).size();
    add(std::move(r), bytes);
  }
  forget_old(now);
  return rewrite();
}

std::error_code CorrelationJournal::record(queue::SentRecord r, std::int64_t now) {
  if (r.time == 0) r.time = now;
  fit(r);
  const std::string line = queue::encode_correlation(r);
  std::lock_guard lock(mutex_);
  add(std::move(r), line.size());
  forget_old(now);
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  unwritten_ += line;
  if (unwritten_.size() >= 64 * 1024) return flush_locked();  // bounded between flushes
  return {};
}

std::optional<queue::SentRecord> CorrelationJournal::at(const std::unordered_map<std::string, std::uint64_t>& index,
                                                        const std::string& key) const {
  if (key.empty()) return std::nullopt;
  auto it = index.find(key);
  if (it == index.end() || it->second < first_ || it->second - first_ >= records_.size()) return std::nullopt;
  return records_[it->second - first_];
}

std::optional<queue::SentRecord> CorrelationJournal::sent_to_x400(const std::string& mts_id) const {
  std::lock_guard lock(mutex_);
  return at(x400_by_mts_id_, mts_id);
}

std::optional<queue::SentRecord> CorrelationJournal::sent_to_internet(const std::string& envid,
                                                                      const std::string& message_id) const {
  std::lock_guard lock(mutex_);
  if (auto r = at(internet_by_envid_, envid)) return r;
  return at(internet_by_message_id_, message_id);
}

std::size_t CorrelationJournal::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace mixer::gateway
