// gateway/queue/index.hpp: the daemon's in-memory view of the queue (PP's
// qmgr keeps the whole queue in memory, rebuilt by a scan at start). Holds
// a summary per entry and the totals the limits are checked against.
// Thread-safe: the event loop and the committer thread both update it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "gateway/queue/format/control_file.hpp"

namespace mixer::queue {

struct EntrySummary {
  std::uint64_t size = 0;
  std::int64_t arrival_us = 0;
  std::size_t recipients = 0;
  bool held = false;
};

class QueueIndex {
 public:
  void add(const ControlFile& entry);
  void erase(const std::string& id);
  bool set_held(const std::string& id, bool held);
  bool contains(const std::string& id) const;
  std::optional<EntrySummary> find(const std::string& id) const;

  std::size_t count() const;
  std::uint64_t bytes() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, EntrySummary> entries_;  // no order needed: hashed (start-up adds 1M)
  std::uint64_t bytes_ = 0;
};

}  // namespace mixer::queue
