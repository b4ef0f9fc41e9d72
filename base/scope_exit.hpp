// base/scope_exit.hpp: runs a function when the scope that holds it ends, by
// return or by exception: for state that must be undone (a count, a
// registration) whatever way a coroutine or function leaves. Not copyable.
#pragma once

#include <utility>

namespace mixer::base {

template <class F>
class ScopeExit {
 public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;
  ~ScopeExit() { f_(); }

 private:
  F f_;
};

}  // namespace mixer::base
