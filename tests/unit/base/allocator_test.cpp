// tests/unit/base/allocator_test.cpp: keep_message_buffers() really changes
// glibc's malloc (base/allocator.hpp): a message-sized buffer comes from the
// heap, not from its own mmap, and freeing it does not trim the heap.
#include <gtest/gtest.h>

#include <cstdlib>
#include <malloc.h>

#include "base/allocator.hpp"

TEST(Allocator, a_two_mib_buffer_comes_from_the_heap_and_stays) {
  mixer::base::keep_message_buffers();
  const auto before = mallinfo2();
  void* p = std::malloc(2 * 1024 * 1024);
  ASSERT_NE(p, nullptr);
  const auto during = mallinfo2();
  EXPECT_EQ(during.hblks, before.hblks) << "a 2 MiB buffer was given its own mmap";
  std::free(p);
  const auto after = mallinfo2();
  EXPECT_GE(after.arena, during.arena) << "the heap was trimmed after the free";
}
