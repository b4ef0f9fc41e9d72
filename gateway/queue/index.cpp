// gateway/queue/index.cpp: the in-memory queue index (see index.hpp).
#include "gateway/queue/index.hpp"

namespace mixer::queue {

void QueueIndex::add(const ControlFile& e) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(e.id);
  if (!inserted) bytes_ -= it->second.size;
  it->second = EntrySummary{e.size, e.arrival_us, e.recipients.size(), e.held};
  bytes_ += e.size;
}

void QueueIndex::erase(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  bytes_ -= it->second.size;
  entries_.erase(it);
}

bool QueueIndex::set_held(const std::string& id, bool held) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  it->second.held = held;
  return true;
}

bool QueueIndex::contains(const std::string& id) const {
  std::lock_guard lock(mutex_);
  return entries_.count(id) != 0;
}

std::optional<EntrySummary> QueueIndex::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::size_t QueueIndex::count() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::uint64_t QueueIndex::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace mixer::queue
