// mapping/header_out.hpp: the header of an Internet message being built,
// field by field, folded by imf's writer (lines of at most 78 octets where
// the words allow, never over 998). Remembers which fields it holds, so a
// field restored from the rfc-822-field extension (RFC 2156 §5.1.2) is not
// written a second time by a mapping, and records what it could not write.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mixer::mapping {

class HeaderOut {
 public:
  // A field whose value is ASCII and already in its syntax (structured).
  void structured(std::string_view name, std::string_view value);
  // An unstructured field from UTF-8 text: RFC 2047 encoded words where needed.
  void unstructured(std::string_view name, std::string_view utf8);
  // An unstructured field whose text had CRLF in it (RFC 2156 §5.3.4 Subject):
  // folded at those points when plain ASCII, else one field with a space for each.
  void unstructured_lines(std::string_view name, const std::vector<std::string>& lines);
  // A field restored as it was carried ("Name: value", unfolded).
  void restored(std::string_view field);
  // Whether a field of that name (case-insensitive) was written.
  bool has(std::string_view name) const;
  // Fields restored from the rfc-822-field extension take precedence over
  // mapped ones of the same name: mark the names first, then map.
  void reserve(std::string_view name);
  bool reserved(std::string_view name) const;

  const std::string& text() const { return text_; }
  std::string take() { return std::move(text_); }
  // What could not be written (a word longer than 998 octets, ...).
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void note(std::string_view name);
  std::string text_;
  // The names written, lower case: a message's own few in a flat list (no hash
  // node per name), more (thousands of restored fields) in the set.
  static constexpr std::size_t kFlatNames = 32;
  std::vector<std::string> flat_names_;
  std::unordered_set<std::string> names_, reserved_;
  std::vector<std::string> problems_;
};

}  // namespace mixer::mapping
