// gateway/queue/format/queue_id.cpp: time-ordered queue IDs.
#include "gateway/queue/format/queue_id.hpp"

namespace mixer::queue {
namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32

int digit_value(char c) {
  for (int i = 0; i < 32; ++i)
    if (kAlphabet[i] == c) return i;
  return -1;
}
}  // namespace

std::string encode_queue_id(std::int64_t value) {
  std::string out(kQueueIdLength, '0');
  auto v = static_cast<std::uint64_t>(value);
  for (std::size_t i = kQueueIdLength; i-- > 0;) {
    out[i] = kAlphabet[v & 31];
    v >>= 5;
  }
  return out;
}

std::int64_t decode_queue_id(std::string_view id) {
  if (id.size() != kQueueIdLength) return -1;
  std::uint64_t v = 0;
  for (char c : id) {
    int d = digit_value(c);
    if (d < 0) return -1;
    v = (v << 5) | static_cast<unsigned>(d);
  }
  if (v >> 63) return -1;
  return static_cast<std::int64_t>(v);
}

bool is_queue_id(std::string_view text) { return decode_queue_id(text) >= 0; }

std::string QueueIdGenerator::next(std::int64_t now_us) {
  std::int64_t last = last_.load(std::memory_order_relaxed);
  std::int64_t mine;
  do {
    mine = now_us > last ? now_us : last + 1;
  } while (!last_.compare_exchange_weak(last, mine, std::memory_order_relaxed));
  return encode_queue_id(mine);
}

}  // namespace mixer::queue
