// p1/mts/box.hpp: Box<T>, one T owned through a pointer with the value
// semantics of a T: the indirection the recursive X.420 types need (a message
// body part holds an IPM, a notification body part an IPN, an IPN its returned
// IPM) without a container that could hold none or several. Copying a Box
// copies its T; a Box always holds one (default-constructed when none is
// given). Moving leaves the source without its T: read, it shows an empty T
// (never a null dereference), written through, it makes a new one. T may be
// incomplete where Box<T> is declared as a member; it must be complete where
// a Box is constructed, copied or destroyed. Trusts nothing, checks nothing.
#pragma once

#include <memory>
#include <utility>

namespace mixer::p1::mts {

template <class T>
class Box {
 public:
  Box() : p_(std::make_unique<T>()) {}
  Box(T v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT: a T is a Box
  Box(const Box& o) : p_(std::make_unique<T>(*o)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = std::make_unique<T>(*o);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  T& operator*() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  const T& operator*() const { return p_ ? *p_ : empty(); }
  T* operator->() { return &**this; }
  const T* operator->() const { return &**this; }

 private:
  static const T& empty() {
    static const T e{};
    return e;
  }
  std::unique_ptr<T> p_;
};

}  // namespace mixer::p1::mts
