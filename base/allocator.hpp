// base/allocator.hpp: glibc malloc settings for a process that converts
// messages of up to some MiB over and over (the daemon, mixer convert, the
// mapping benchmark). By default glibc gives a freed megabyte-sized buffer
// back to the kernel (munmap, or a heap trim) and the next message faults it
// in again page by page: ~830 page faults and 4x the CPU for a 1 MiB
// attachment converted to MIME. Trusts nothing; changes only this process.
#pragma once

namespace mixer::base {

// Buffers below 32 MiB come from the heap and the heap is trimmed only past
// 256 MiB free at its top: the memory of the largest messages in flight is
// kept for the next ones instead of being returned and faulted in again.
void keep_message_buffers();

}  // namespace mixer::base
