// smtp/proto/lines.cpp: command line splitting (see lines.hpp).
#include "smtp/proto/lines.hpp"

#include <cstring>

namespace mixer::smtp::proto {

CommandLineReader::Event CommandLineReader::next(std::string_view input) {
  Event ev;
  const std::size_t window = input.size();
  const void* hit = std::memchr(input.data(), '\n', window);
  if (!hit) {
    if (skipping_ || input.size() > max_ + 1) {
      // Discard what we have of the over-long line; report it at its end.
      skipping_ = true;
      ev.consumed = input.size();
    }
    return ev;  // need_more
  }
  const std::size_t lf = static_cast<const char*>(hit) - input.data();
  ev.consumed = lf + 1;
  if (skipping_ || lf > max_ + 1) {
    skipping_ = false;
    ev.kind = Kind::too_long;
    return ev;
  }
  if (lf == 0 || input[lf - 1] != '\r') {
    ev.kind = Kind::bare_lf;
    return ev;
  }
  ev.kind = Kind::line;
  ev.line = input.substr(0, lf - 1);
  return ev;
}

}  // namespace mixer::smtp::proto
