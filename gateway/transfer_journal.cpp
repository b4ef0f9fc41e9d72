// gateway/transfer_journal.cpp: the responder's journal of taken APDUs (see transfer_journal.hpp).
#include "gateway/transfer_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>

#include "gateway/journal_file.hpp"
#include "gateway/queue/format/transfer_journal_format.hpp"

namespace mixer::gateway {
namespace {

constexpr std::size_t kMaxFile = 256u << 20;  // a journal larger than this is read up to here

using journal_file::last_error;
using journal_file::write_all;

// FNV-1a 64 of the three, each followed by a NUL (stable across restarts: it is what the file keeps).
std::uint64_t relay_hash(std::string_view peer, std::string_view mts_id, std::string_view recipient) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (auto part : {peer, mts_id, recipient}) {
    for (unsigned char c : part) h = (h ^ c) * 0x100000001b3ull;
    h = (h ^ 0u) * 0x100000001b3ull;
  }
  return h;
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
  while (!sent_order_.empty()) {
    auto it = sent_.find(sent_order_.front());
    if (it != sent_.end() && it->second + window_.count() >= now && sent_.size() <= max_records_) break;
    if (it != sent_.end() && (it->second + window_.count() < now || sent_.size() > max_records_)) sent_.erase(it);
    sent_order_.pop_front();
  }
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
  {
    std::lock_guard lock(mutex_);
    (void)flush_locked();
  }
  if (fd_ >= 0) ::close(fd_);
}

void TransferJournal::buffer(const std::string& line) {
  unwritten_ += line;
  if (unwritten_.size() >= 64 * 1024) (void)flush_locked();  // bounded between flushes
}

std::error_code TransferJournal::open(std::int64_t now, const std::function<bool(const std::string&)>& in_queue) {
  std::lock_guard lock(mutex_);
  std::string text;
  if (auto ec = journal_file::read(file_, kMaxFile, text)) return ec;
  auto parsed = queue::parse_transfer_journal(text);
  unreadable_ = parsed.unreadable;
  for (auto& rec : parsed.records) {
    if (rec.kind == queue::JournalRecord::Kind::cancel) {
      if (auto id = by_id_.find(rec.queue_id); id != by_id_.end()) {
        taken_.erase(id->second);
        by_id_.erase(id);
      }
      continue;
    }
    if (rec.kind == queue::JournalRecord::Kind::durable) {
      if (auto id = by_id_.find(rec.queue_id); id != by_id_.end())
        if (auto it = taken_.find(id->second); it != taken_.end()) it->second.durable = true;
      continue;
    }
    if (rec.kind == queue::JournalRecord::Kind::sent) {
      sent_[rec.hash] = rec.time;
      sent_order_.push_back(rec.hash);
      continue;
    }
    std::string k = TransferKey{rec.mts_id, rec.size, rec.crc32c}.text();
    taken_[k] = Taken{rec.queue_id, rec.time, false};
    by_id_[rec.queue_id] = k;
    order_.push_back(std::move(k));
  }
  // A T without its D: durable if its entry was recovered, else never made durable (start-up removed it).
  for (auto it = taken_.begin(); it != taken_.end();) {
    if (!it->second.durable && in_queue && in_queue(it->second.queue_id)) it->second.durable = true;
    if (it->second.durable) {
      ++it;
      continue;
    }
    by_id_.erase(it->second.queue_id);
    it = taken_.erase(it);
  }
  forget_old(now);

  // Rewrite what is live (in time order), then append from there.
  std::string live;
  for (const auto& k : order_) {
    auto it = taken_.find(k);
    if (it == taken_.end() || by_id_[it->second.queue_id] != k) continue;
    auto sp1 = k.find(' '), sp2 = k.find(' ', sp1 + 1);
    queue::JournalRecord rec;
    rec.time = it->second.time;
    rec.queue_id = it->second.queue_id;
    rec.size = std::stoull(k.substr(0, sp1));
    rec.crc32c = static_cast<std::uint32_t>(std::stoul(k.substr(sp1 + 1, sp2 - sp1 - 1), nullptr, 16));
    rec.mts_id = k.substr(sp2 + 1);
    live += queue::encode_journal_record(rec);
    queue::JournalRecord durable;
    durable.kind = queue::JournalRecord::Kind::durable;
    durable.queue_id = rec.queue_id;
    live += queue::encode_journal_record(durable);
  }
  std::unordered_map<std::uint64_t, std::int64_t> written;  // each once, at its newest time
  for (auto k : sent_order_) {
    auto it = sent_.find(k);
    if (it == sent_.end() || !written.emplace(k, it->second).second) continue;
    queue::JournalRecord rec;
    rec.kind = queue::JournalRecord::Kind::sent;
    rec.time = it->second;
    rec.hash = k;
    live += queue::encode_journal_record(rec);
  }
  unwritten_.clear();  // the file holds every record in memory
  return journal_file::replace_and_open(file_, live, fd_);
}

std::error_code TransferJournal::flush() {
  std::lock_guard lock(mutex_);
  return flush_locked();
}

std::error_code TransferJournal::flush_locked() {
  if (unwritten_.empty()) return {};
  if (fd_ < 0) {
    unwritten_.clear();
    return std::make_error_code(std::errc::bad_file_descriptor);
  }
  auto ec = write_all(fd_, unwritten_);
  unwritten_.clear();
  return ec;
}

std::optional<std::string> TransferJournal::find(const TransferKey& key, std::int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = taken_.find(key.text());
  if (it == taken_.end() || !it->second.durable || it->second.time + window_.count() < now) return std::nullopt;
  return it->second.queue_id;
}

int TransferJournal::record(const TransferKey& key, const std::string& queue_id, std::int64_t now, std::error_code& ec,
                            bool want_fd) {
  std::lock_guard lock(mutex_);
  if (fd_ < 0) {
    ec = std::make_error_code(std::errc::bad_file_descriptor);
    return -1;
  }
  queue::JournalRecord rec;
  rec.time = now;
  rec.queue_id = queue_id;
  rec.size = key.size;
  rec.crc32c = key.crc32c;
  rec.mts_id = key.mts_id;
  unwritten_ += queue::encode_journal_record(rec);
  // Written now, with the records buffered before it, in one write: the entry's file
  // is already complete, and a process that dies before the committer's flush would
  // leave an entry that start-up recovers without its T (killed, the page cache
  // keeps both): the peer's retransmission would be queued twice.
  if ((ec = flush_locked())) return -1;
  std::string k = key.text();
  taken_[k] = Taken{queue_id, now, false};
  by_id_[queue_id] = k;
  order_.push_back(std::move(k));
  forget_old(now);
  if (!want_fd) return -1;
  int dup = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) ec = last_error();
  return dup;
}

std::error_code TransferJournal::committed(const std::string& queue_id) {
  std::lock_guard lock(mutex_);
  if (auto id = by_id_.find(queue_id); id != by_id_.end())
    if (auto it = taken_.find(id->second); it != taken_.end()) {
      it->second.durable = true;
      queue::JournalRecord rec;
      rec.kind = queue::JournalRecord::Kind::durable;
      rec.queue_id = queue_id;
      unwritten_ += queue::encode_journal_record(rec);
      // Written now, before the confirmation and before the entry can be delivered and
      // removed: after a crash a T alone, its entry gone, is taken for one never made
      // durable (and a retransmission is queued), so the D must not wait for a later flush.
      return flush_locked();
    }
  return {};
}

void TransferJournal::cancel(const std::string& queue_id) {
  std::lock_guard lock(mutex_);
  if (auto id = by_id_.find(queue_id); id != by_id_.end()) {
    taken_.erase(id->second);
    by_id_.erase(id);
  }
  queue::JournalRecord rec;
  rec.kind = queue::JournalRecord::Kind::cancel;
  rec.queue_id = queue_id;
  buffer(queue::encode_journal_record(rec));
}

void TransferJournal::sent(std::string_view peer, std::string_view mts_id, std::string_view recipient,
                           std::int64_t now) {
  const std::uint64_t k = relay_hash(peer, mts_id, recipient);
  std::lock_guard lock(mutex_);
  if (auto it = sent_.find(k); it != sent_.end() && it->second == now) return;  // already, this second
  queue::JournalRecord rec;
  rec.kind = queue::JournalRecord::Kind::sent;
  rec.time = now;
  rec.hash = k;
  buffer(queue::encode_journal_record(rec));
  sent_[k] = now;
  sent_order_.push_back(k);
  forget_old(now);
}

bool TransferJournal::sent_to(std::string_view peer, std::string_view mts_id, std::string_view recipient,
                              std::int64_t now) const {
  const std::uint64_t k = relay_hash(peer, mts_id, recipient);
  std::lock_guard lock(mutex_);
  auto it = sent_.find(k);
  return it != sent_.end() && it->second + window_.count() >= now;
}

std::size_t TransferJournal::size() const {
  std::lock_guard lock(mutex_);
  return taken_.size();
}

}  // namespace mixer::gateway
