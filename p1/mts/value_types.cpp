// p1/mts/value_types.cpp: the special members of the large X.411 value types
// (Extension, whose value is a variant of 26 types), compiled once here
// instead of in every file that copies, moves or destroys an envelope.
// Nothing but defaults.
#include "p1/mts/types.hpp"

namespace mixer::p1::mts {

Extension::Extension() = default;
Extension::Extension(const Extension&) = default;
Extension::Extension(Extension&&) noexcept = default;
Extension& Extension::operator=(const Extension&) = default;
Extension& Extension::operator=(Extension&&) noexcept = default;
Extension::~Extension() = default;

Extension Extension::standard(std::int64_t type, ExtensionValue value) {
  Extension e;
  e.type = StandardExtension{type};
  e.value = std::move(value);
  return e;
}

}  // namespace mixer::p1::mts
