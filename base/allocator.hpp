// base/allocator.hpp: the malloc of a process that converts messages of up
// to some MiB over and over (the daemon, mixer convert, the benchmarks).
// The mixer binary is linked with mimalloc (CMake's mixer_malloc, option
// MIXER_MIMALLOC, on by default): a conversion makes ~300 small allocations
// and glibc's malloc/free cost ~15 % of a 10 KiB conversion, mimalloc's about
// a third of that. With glibc's malloc (the option off), the settings below
// matter: by default glibc gives a freed megabyte-sized buffer back to the
// kernel (munmap, or a heap trim) and the next message faults it in again
// page by page: ~830 page faults and 4x the CPU for a 1 MiB attachment
// converted to MIME. Trusts nothing; changes only this process.
#pragma once

#include <string>

namespace mixer::base {

// Buffers below 32 MiB come from the heap and the heap is trimmed only past
// 256 MiB free at its top: the memory of the largest messages in flight is
// kept for the next ones instead of being returned and faulted in again.
void keep_message_buffers();

// The malloc this process runs with: "mimalloc X.Y.Z" when mimalloc was
// linked in and took over malloc/free (found at run time), else "glibc".
std::string malloc_in_use();

}  // namespace mixer::base
