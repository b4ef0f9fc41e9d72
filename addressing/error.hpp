// addressing/error.hpp: errors of the addressing library as values.
//
// Every parser and mapping function of addressing/ returns Result<T>: the
// value, or an Error carrying an Errc, the RFC section whose rule refused the
// input and a sentence for a human. Nothing here throws on bad input.
// refusal_* give what the SMTP side (RFC 3463 enhanced status) and the X.400
// side (X.411 non-delivery reason and diagnostic) report for a refusal, as
// RFC 2156 §5.1.8.4 pairs them.
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

// RFC 3463 status for a refused address: 5.1.3 bad syntax, 5.1.1 for the
// rest; `originator` selects 5.1.7 (bad sender's address syntax).
const char* refusal_enhanced_status(const Error& e, bool originator = false);
// X.411 NonDeliveryReasonCode: unable-to-transfer (1) for every address refusal.
int refusal_x411_reason(const Error& e);
// X.411 NonDeliveryDiagnosticCode: unrecognised-OR-name (0), or
// invalid-arguments (11) for an originator (RFC 2156 §5.1.8.4 X.1.7).
int refusal_x411_diagnostic(const Error& e, bool originator = false);

inline Error make_error(Errc code, std::string section, std::string message) {
  return Error{code, std::move(section), std::move(message)};
}

// A value or an Error (std::expected is C++23; this is the subset we need).
template <class T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace mixer::addressing
