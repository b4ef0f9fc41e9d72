// base/refusal.cpp: see the header.
#include "base/refusal.hpp"

namespace mixer::base {

std::string Refusal::text() const { return rule.empty() ? message : message + " (" + rule + ")"; }

std::string Refusal::smtp_text() const {
  std::string in = text(), out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xA7) {
      out += "section ";
      ++i;
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += '?';
    }
  }
  return out;
}

Refusal make_refusal(int smtp_code, std::string enhanced_status, int x411_reason, std::optional<int> x411_diagnostic,
                     std::string rule, std::string message) {
  return Refusal{smtp_code, std::move(enhanced_status), x411_reason, x411_diagnostic, std::move(rule),
                 std::move(message)};
}

}  // namespace mixer::base
