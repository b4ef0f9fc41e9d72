// p1/result.hpp: the value-or-error type every p1 codec returns. An error
// is a value: a layer's error enum, a human sentence saying what was wrong,
// and the octet offset where it was found (in the layer's own input).
// Decoders never throw on bad input; only misuse of a Result (reading the
// value of an error) is a programming error and throws.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <optional>

namespace mixer::p1 {

template <class E>
struct Error {
  E code{};
  std::string what;         // one sentence, for logs and refusals
  std::size_t offset = 0;   // where in the layer's input, when it applies
};

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : value_(value) {}
  Result(T&& value) : value_(std::move(value)) {}  // one move of a large value, not two
  Result(Error<E> error) : error_(std::move(error)) {}

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  T& value() & { return check(), *value_; }
  const T& value() const& { return check(), *value_; }
  T&& value() && { return check(), std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error<E>& error() const {
    if (ok()) throw std::logic_error("p1::Result: error() of a value");
    return error_;
  }
  E code() const { return error().code; }

 private:
  void check() const {
    if (!ok()) throw std::logic_error("p1::Result: value() of an error: " + error_.what);
  }
  std::optional<T> value_;
  Error<E> error_;
};

// A Result carrying nothing but success.
struct Done {};
template <class E>
using Status = Result<Done, E>;

template <class E>
Error<E> make_error(E code, std::string what, std::size_t offset = 0) {
  return Error<E>{code, std::move(what), offset};
}

}  // namespace mixer::p1
