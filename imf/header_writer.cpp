// imf/header_writer.cpp: see the header.
#include "imf/header_writer.hpp"

#include <algorithm>

#include "imf/message.hpp"

namespace mixer::imf {

namespace {
const char* const k223 = "RFC 5322 §2.2.3";
const char* const k211 = "RFC 5322 §2.1.1";
}  // namespace

std::optional<Error> write_field(std::string& out, std::string_view name, std::string_view value,
                                 std::size_t width) {
  if (name.empty()) return make_error(Errc::not_representable, 0, "RFC 5322 §3.6.8", "empty field name");
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!is_ftext(static_cast<unsigned char>(name[i])))
      return make_error(Errc::not_representable, i, "RFC 5322 §3.6.8", "field name character outside ftext");
  {
    const std::size_t cr = value.find('\r'), lf = value.find('\n');
    if (cr != std::string_view::npos || lf != std::string_view::npos)
      return make_error(Errc::not_representable, std::min(cr, lf), "RFC 5322 §2.2", "CR or LF in a field value");
  }
  if (!value.empty() && is_wsp(value[0]))
    return make_error(Errc::not_representable, 0, k223, "field value starting with white space");

  // A field that fits on its line (most do) is written as it is: no chunk
  // of the loop below would fold or pass 998.
  if (name.size() + 2 + value.size() <= std::min(width, kMaxLine)) {
    out.reserve(out.size() + name.size() + value.size() + 4);
    out.append(name);
    out += ':';
    if (!value.empty()) {
      out += ' ';
      out.append(value);
    }
    out += "\r\n";
    return std::nullopt;
  }

  const std::size_t mark = out.size();
  out.reserve(out.size() + name.size() + value.size() + value.size() / 32 + 8);
  out.append(name);
  out += ':';
  Layout lay{width, name.size() + 1};
  std::size_t i = 0;
  if (!value.empty()) {
    std::size_t j = 0;
    while (j < value.size() && !is_wsp(value[j])) ++j;
    out += ' ';
    out.append(value.substr(0, j));
    lay.column += 1 + j;
    i = j;
  }
  if (lay.column > kMaxLine) {
    out.resize(mark);
    return make_error(Errc::not_representable, 0, k211, "the field name and first word take more than 998 octets");
  }
  // The value goes out as it is with CRLF inserted before the WSP of each
  // chunk that folds: the text between folds is appended in one piece.
  std::size_t pending = i;  // start of the text not yet appended
  while (i < value.size()) {
    std::size_t k = i;
    while (k < value.size() && is_wsp(value[k])) ++k;
    std::size_t l = k;
    while (l < value.size() && !is_wsp(value[l])) ++l;
    const std::size_t size = l - i;
    // Trailing WSP stays on the current line: a line of WSP only is obsolete (RFC 5322 §4.2).
    if (l == k) {
      lay.column += size;
    } else if (lay.place(size)) {
      out.append(value.substr(pending, i - pending));
      out += "\r\n";
      pending = i;
    }
    if (lay.column > kMaxLine) {
      out.resize(mark);
      return make_error(Errc::not_representable, i, k211,
                        "a run of " + std::to_string(size) + " octets without white space cannot be folded under 998");
    }
    i = l;
  }
  out.append(value.substr(pending));
  out += "\r\n";
  return std::nullopt;
}

}  // namespace mixer::imf
