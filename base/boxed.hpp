// base/boxed.hpp: an optional value kept on the heap: the std::optional
// interface (has_value, *, ->, emplace, reset, ==) for a member that is
// large and usually absent, so that the struct holding it stays small
// (an absent value costs one null pointer, not the value's size, in every
// construction, move and zeroing of its holder). Copies copy the value.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace mixer::base {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}
  Boxed(const T& v) : p_(std::make_unique<T>(v)) {}
  Boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&& o) noexcept = default;
  ~Boxed() = default;

  Boxed& operator=(const Boxed& o) {
    if (this != &o) assign(o.p_.get());
    return *this;
  }
  Boxed& operator=(Boxed&& o) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  Boxed& operator=(const T& v) {
    assign(&v);
    return *this;
  }
  Boxed& operator=(T&& v) {
    if (p_) *p_ = std::move(v);
    else p_ = std::make_unique<T>(std::move(v));
    return *this;
  }
  Boxed& operator=(const std::optional<T>& v) {
    assign(v ? &*v : nullptr);
    return *this;
  }
  Boxed& operator=(std::optional<T>&& v) {
    if (v) *this = std::move(*v);
    else p_.reset();
    return *this;
  }

  template <class... A>
  T& emplace(A&&... a) {
    p_ = std::make_unique<T>(std::forward<A>(a)...);
    return *p_;
  }
  void reset() { p_.reset(); }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() { return *p_; }
  const T& value() const { return *p_; }

  friend bool operator==(const Boxed& a, const Boxed& b) {
    return a.p_ == b.p_ || (a.p_ && b.p_ && *a.p_ == *b.p_) || (!a.p_ && !b.p_);
  }

 private:
  void assign(const T* v) {
    if (!v) p_.reset();
    else if (p_) *p_ = *v;
    else p_ = std::make_unique<T>(*v);
  }
  std::unique_ptr<T> p_;
};

}  // namespace mixer::base
