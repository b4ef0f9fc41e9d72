// addressing/error.hpp: errors of the addressing library as values.
//
// Every parser and mapping function of addressing/ returns Result<T>: the
// value, or an Error carrying an Errc, the RFC section whose rule refused the
// input and a sentence for a human. Nothing here throws on bad input.
// Callers outside the library report an Error as a base::Refusal, made by
// to_refusal() (refusal.hpp) for the role the address plays.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace mixer::addressing {

enum class Errc {
  syntax,             // the text does not follow the grammar (std-or, addr-spec, dmn-or, ...)
  unknown_attribute,  // an O/R attribute key that RFC 2156 §4.1.1 / RFC 1685 do not define
  duplicate_attribute,
  invalid_value,      // a value outside its attribute's character set (P, N, T, ...)
  upper_bound,        // an X.411 upper bound (ub-*) exceeded
  not_x400_address,   // no valid X.402 form (mnemonic, numeric, postal, terminal)
  not_representable,  // the value has no RFC 2156 text form (e.g. universal string outside ASCII)
  too_long,           // RFC 2156 §4.3.2: RFC 822 address longer than 512 encoded characters
  conflict,           // contradictory attributes (two different RFC-822 DDAs, ...)
  limit,              // a Limits value of the caller exceeded
};

const char* errc_name(Errc c);

struct Error {
  Errc code = Errc::syntax;
  std::string section;  // "RFC 2156 §4.3.4" ... ; empty when generic
  std::string message;  // one sentence, no trailing period
  std::string text() const;  // "message (RFC 2156 §x)"
};

inline Error make_error(Errc code, std::string section, std::string message) {
  return Error{code, std::move(section), std::move(message)};
}

// A value or an Error (std::expected is C++23; this is the subset we need).
// The value is moved in once, or built in place with std::in_place; built
// in place without arguments it is default-initialised, not value-initialised
// (an OrAddress is some kilobytes: zero-filling it first costs as much as
// building it).
template <class T>
class Result {
 public:
  Result(const T& value) : v_(std::in_place_index<0>, std::in_place, value) {}
  Result(T&& value) : v_(std::in_place_index<0>, std::in_place, std::move(value)) {}
  template <class... Args>
  explicit Result(std::in_place_t, Args&&... args) : v_(std::in_place_index<0>, std::in_place, std::forward<Args>(args)...) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_).value; }
  const T& value() const& { return std::get<0>(v_).value; }
  T&& value() && { return std::move(std::get<0>(v_).value); }
  const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &std::get<0>(v_).value; }
  const T* operator->() const { return &std::get<0>(v_).value; }
  T& operator*() & { return std::get<0>(v_).value; }
  const T& operator*() const& { return std::get<0>(v_).value; }

 private:
  struct Holder {
    Holder(std::in_place_t) {}  // user-provided: value default-initialised
    template <class... Args>
    Holder(std::in_place_t, Args&&... args) : value(std::forward<Args>(args)...) {}
    T value;
  };
  std::variant<Holder, Error> v_;
};

}  // namespace mixer::addressing
