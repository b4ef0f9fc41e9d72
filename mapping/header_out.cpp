// mapping/header_out.cpp: see the header.
#include "mapping/header_out.hpp"

#include <cctype>

#include "imf/encoded_word.hpp"
#include "imf/header_writer.hpp"
#include "imf/message.hpp"

namespace mixer::mapping {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;  // ASCII: header names, keywords
  return out;
}
}  // namespace

namespace {
// `name` equals `lowered` (already lower case) but for ASCII case: no lowered copy made.
bool equals_lowered(std::string_view lowered, std::string_view name) {
  if (lowered.size() != name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (lowered[i] != ((c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c)) return false;
  }
  return true;
}
}  // namespace

void HeaderOut::note(std::string_view name) {
  if (names_.empty()) {
    for (const auto& n : flat_names_)
      if (equals_lowered(n, name)) return;
    if (flat_names_.size() < kFlatNames) {
      if (flat_names_.empty()) flat_names_.reserve(kFlatNames);
      flat_names_.push_back(lower(name));
      return;
    }
    for (auto& n : flat_names_) names_.insert(std::move(n));
    flat_names_.clear();
  }
  names_.insert(lower(name));
}

bool HeaderOut::has(std::string_view name) const {
  if (!names_.empty()) return names_.count(lower(name)) > 0;
  for (const auto& n : flat_names_)
    if (equals_lowered(n, name)) return true;
  return false;
}

void HeaderOut::reserve(std::string_view name) { reserved_.insert(lower(name)); }

bool HeaderOut::reserved(std::string_view name) const {
  return !reserved_.empty() && reserved_.count(lower(name)) > 0;  // most messages restore no field
}

void HeaderOut::structured(std::string_view name, std::string_view value) {
  std::size_t start = 0;
  while (start < value.size() && (value[start] == ' ' || value[start] == '\t')) ++start;
  // RFC 2047 §2: a line holding encoded words (an encoded phrase in an address
  // list) is at most 76 octets; others fold at RFC 5322's 78.
  const std::string_view v = value.substr(start);
  if (auto e = imf::write_field(text_, name, v, v.find("=?") != std::string_view::npos ? 76 : imf::kFoldWidth)) {
    problems_.push_back(std::string(name) + ": " + e->text());
    return;
  }
  note(name);
}

void HeaderOut::unstructured(std::string_view name, std::string_view utf8) {
  if (auto e = imf::write_unstructured(text_, name, utf8)) {
    problems_.push_back(std::string(name) + ": " + e->text());
    return;
  }
  note(name);
}

void HeaderOut::unstructured_lines(std::string_view name, const std::vector<std::string>& lines) {
  bool plain = lines.size() > 1;
  for (const auto& l : lines)
    for (char c : l) plain = plain && c >= ' ' && c < 127;
  for (const auto& l : lines) plain = plain && l.find("=?") == std::string::npos && !l.empty() && l[0] != ' ';
  if (!plain) {
    std::string joined;
    for (const auto& l : lines) joined += (joined.empty() ? "" : " ") + l;
    unstructured(name, joined);
    return;
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string one;
    if (auto e = imf::write_field(one, i == 0 ? name : std::string_view("X"), lines[i])) {
      problems_.push_back(std::string(name) + ": " + e->text());
      return;
    }
    out += i == 0 ? one : one.substr(2);  // "X: line" less "X:" is a continuation line
  }
  text_ += out;
  note(name);
}

void HeaderOut::restored(std::string_view field) {
  const std::size_t colon = field.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    problems_.push_back("rfc-822-field without a field name: " + std::string(field.substr(0, 64)));
    return;
  }
  std::string_view name = field.substr(0, colon);
  for (char c : name)
    if (!imf::is_ftext(static_cast<unsigned char>(c))) {
      // RFC 5322 §3.6.8: a name of printable ASCII but ":"; this one cannot be written.
      problems_.push_back("rfc-822-field whose name is not a field name: left out");
      return;
    }
  std::string_view value = field.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  if (value.empty()) {
    // RFC 5322 allows an empty field body; the writer wants a value: "Name:" alone.
    text_ += std::string(name) + ":\r\n";
    note(name);
    return;
  }
  structured(name, value);
}

}  // namespace mixer::mapping
