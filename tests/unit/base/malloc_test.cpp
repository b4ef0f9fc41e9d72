// tests/unit/base/malloc_test.cpp: a binary linked with mixer_malloc (as the
// mixer binary is) really runs on mimalloc (base/allocator.hpp): malloc and
// operator new hand out mimalloc's memory, and malloc_in_use() says so.
// Registered only when MIXER_MIMALLOC is on.
#include <gtest/gtest.h>
#include <mimalloc.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "base/allocator.hpp"

TEST(Malloc, malloc_and_new_come_from_mimalloc) {
  void* p = std::malloc(100);
  auto q = std::make_unique<std::string>(200, 'x');  // operator new, and the string's buffer
  EXPECT_TRUE(mi_is_in_heap_region(p)) << "malloc did not come from mimalloc";
  EXPECT_TRUE(mi_is_in_heap_region(q.get())) << "operator new did not come from mimalloc";
  EXPECT_TRUE(mi_is_in_heap_region(q->data()));
  std::free(p);
}

TEST(Malloc, malloc_in_use_names_mimalloc_and_its_version) {
  const std::string m = mixer::base::malloc_in_use();
  EXPECT_EQ(m.rfind("mimalloc ", 0), 0u) << m;
  const int v = mi_version();
  EXPECT_EQ(m, "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." + std::to_string(v % 10));
}
