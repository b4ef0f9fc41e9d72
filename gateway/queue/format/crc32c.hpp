// gateway/queue/format/crc32c.hpp: CRC-32C (Castagnoli, RFC 3720 §B.4), the
// check value of queue content files. Uses the SSE4.2 instruction where the
// CPU has it (about 20 GB/s), a table otherwise; both give the same value.
#pragma once

#include <cstdint>
#include <string_view>

namespace mixer::queue {

// Extends `crc` (0 to start) over `bytes`.
std::uint32_t crc32c(std::uint32_t crc, std::string_view bytes);

}  // namespace mixer::queue
