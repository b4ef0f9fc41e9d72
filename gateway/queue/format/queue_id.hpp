// gateway/queue/format/queue_id.hpp: queue IDs. An ID is the arrival time in
// microseconds, 11 characters of Crockford base32, so IDs sort by arrival
// and never repeat within one queue (one daemon owns a queue; see Store).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace mixer::queue {

constexpr std::size_t kQueueIdLength = 11;

// True for exactly the strings next_queue_id() produces (safe as a file name).
bool is_queue_id(std::string_view text);

class QueueIdGenerator {
 public:
  // Never returns an ID at or below `floor_us` (the newest ID found on disk).
  explicit QueueIdGenerator(std::int64_t floor_us = 0) : last_(floor_us) {}
  std::string next(std::int64_t now_us);
  // The greatest value handed out so far (or the floor): every later ID is above it.
  std::int64_t last() const { return last_.load(); }

 private:
  std::atomic<std::int64_t> last_;
};

std::string encode_queue_id(std::int64_t value);
std::int64_t decode_queue_id(std::string_view id);  // -1 if not an ID

}  // namespace mixer::queue
