// smtp/proto/reply.cpp: reply wire form (RFC 5321 §4.2.1 multiline replies).
#include "smtp/proto/reply.hpp"

namespace mixer::smtp::proto {

std::string Reply::wire() const {
  std::string out;
  const std::string code_text = std::to_string(code);
  const std::size_t n = lines.empty() ? 1 : lines.size();
  for (std::size_t i = 0; i < n; ++i) {
    out += code_text;
    out += (i + 1 < n) ? '-' : ' ';
    if (!enhanced.empty()) {
      out += enhanced;
      out += ' ';
    }
    // Reply text is printable US-ASCII (RFC 5321 §4.2); anything else
    // that reached here is shown as '?', never sent raw.
    if (i < lines.size())
      for (char c : lines[i]) out += (c >= 32 && c < 127) ? c : '?';
    out += "\r\n";
  }
  return out;
}

std::string Reply::text() const {
  std::string out = std::to_string(code);
  if (!enhanced.empty()) out += " " + enhanced;
  if (!lines.empty()) out += " " + lines.front();
  return out;
}

}  // namespace mixer::smtp::proto
