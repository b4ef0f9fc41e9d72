// gateway/correlation_journal.hpp: the gateway's record of the messages it
// converted across, so that a report that comes back about one is matched
// to what was sent (RFC 2156 §5.3.8.3: an X.400 report's subject identifier
// is the MTS identifier the gateway gave an Internet message; §5.1.8.3: a
// DSN about an X.400 message names the ENVID the gateway sent, or returns
// its Message-ID). From a record a DSN gets each recipient's RFC 3461 ORCPT
// (RFC 3464 §2.3.1: Original-Recipient) and the originator's ENVID; an
// X.400 report gets the subject MTS identifier, each recipient's
// originally-specified-recipient-number and O/R address.
//
// On disk: QUEUE/correlations, one line per message
// (gateway/queue/format/correlation_format.hpp), appended once the entry is
// durable and synced by the next group commit (syncfs) or the next
// compaction: a record lost to a crash costs only the correlation (the
// report is still made, from the report alone). Records older than the
// window, or beyond max_records (oldest first), are forgotten; the file is
// rewritten from memory at start-up and whenever it has grown to twice the
// live records. Thread-safe. Trusts nothing in the file.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>

#include "gateway/queue/format/correlation_format.hpp"

namespace mixer::gateway {

// What the submit stage looks reports up in (implemented by the journal; by
// a plain map in tests).
class CorrelationLookup {
 public:
  virtual ~CorrelationLookup() = default;
  // Internet -> X.400 messages by their MTS identifier (RFC 2156 §5.3 text).
  virtual std::optional<queue::SentRecord> sent_to_x400(const std::string& mts_id) const = 0;
  // X.400 -> Internet messages by the ENVID the gateway sent, or by Message-ID ("<...>").
  virtual std::optional<queue::SentRecord> sent_to_internet(const std::string& envid,
                                                            const std::string& message_id) const = 0;
};

class CorrelationJournal : public CorrelationLookup {
 public:
  CorrelationJournal(std::filesystem::path file, std::chrono::seconds window, std::size_t max_records = 250'000);
  ~CorrelationJournal() override;
  CorrelationJournal(const CorrelationJournal&) = delete;
  CorrelationJournal& operator=(const CorrelationJournal&) = delete;

  // Loads the file, drops what is expired or unreadable, rewrites it.
  std::error_code open(std::int64_t now_seconds);
  // Appends a record (values over the format's limits are cut to empty,
  // recipients beyond its max_recipients left out): known at once, written to
  // the file by the next flush() (the committer's, before its sync: a write per
  // batch of entries instead of one per message).
  std::error_code record(queue::SentRecord r, std::int64_t now_seconds);
  // Writes the records not written yet (one write); the first failure.
  std::error_code flush();

  std::optional<queue::SentRecord> sent_to_x400(const std::string& mts_id) const override;
  std::optional<queue::SentRecord> sent_to_internet(const std::string& envid,
                                                    const std::string& message_id) const override;

  std::size_t size() const;
  std::size_t unreadable_lines() const { return unreadable_; }

 private:
  void add(queue::SentRecord r, std::size_t bytes);  // into memory, `bytes` its line's length (lock held)
  void forget_old(std::int64_t now);      // expired, and beyond max_records_ (lock held)
  std::error_code rewrite();              // the file from memory (lock held)
  std::error_code flush_locked();
  std::optional<queue::SentRecord> at(const std::unordered_map<std::string, std::uint64_t>& index,
                                      const std::string& key) const;  // lock held

  std::filesystem::path file_;
  std::chrono::seconds window_;
  std::size_t max_records_;
  mutable std::mutex mutex_;
  int fd_ = -1;
  std::string unwritten_;  // lines recorded, not yet written (flush())
  std::deque<queue::SentRecord> records_;  // oldest first; records_[i] has sequence first_ + i
  std::deque<std::uint32_t> bytes_;          // records_[i]'s line length
  std::uint64_t first_ = 0;
  std::unordered_map<std::string, std::uint64_t> x400_by_mts_id_, internet_by_envid_, internet_by_message_id_;
  std::uint64_t appended_ = 0, live_bytes_ = 0;  // octets appended since the last rewrite; of live records
  std::size_t unreadable_ = 0;
};

}  // namespace mixer::gateway
