// smtp/client/proto/capabilities.cpp: EHLO keywords (see capabilities.hpp).
#include "smtp/client/proto/capabilities.hpp"

#include <charconv>
#include <string_view>

#include "smtp/proto/syntax.hpp"

namespace mixer::smtp::client {

using proto::iequals;

Capabilities parse_ehlo_reply(const proto::Reply& reply) {
  Capabilities caps;
  caps.esmtp = true;
  if (reply.lines.empty()) return caps;
  std::string_view first = reply.lines.front();
  caps.server_name = std::string(first.substr(0, first.find(' ')));
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    std::string_view line = reply.lines[i];
    auto sp = line.find(' ');
    std::string_view keyword = line.substr(0, sp);
    std::string_view params = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    if (iequals(keyword, "PIPELINING")) caps.pipelining = true;
    else if (iequals(keyword, "8BITMIME")) caps.eight_bit_mime = true;
    else if (iequals(keyword, "DSN")) caps.dsn = true;
    else if (iequals(keyword, "STARTTLS")) caps.starttls = true;
    else if (iequals(keyword, "ENHANCEDSTATUSCODES")) caps.enhanced_status_codes = true;
    else if (iequals(keyword, "SMTPUTF8")) caps.smtputf8 = true;
    else if (iequals(keyword, "SIZE")) {  // RFC 1870: "SIZE" [SP number], 0 = no limit
      caps.size = true;
      std::uint64_t n = 0;
      auto [end, ec] = std::from_chars(params.data(), params.data() + params.size(), n);
      caps.max_size = (ec == std::errc() && end == params.data() + params.size()) ? n : 0;
    }
  }
  return caps;
}

std::string Capabilities::text() const {
  if (!esmtp) return "(HELO)";
  std::string out;
  auto add = [&](std::string_view k) {
    if (!out.empty()) out += ' ';
    out += k;
  };
  if (pipelining) add("PIPELINING");
  if (size) add(max_size ? "SIZE=" + std::to_string(max_size) : std::string("SIZE"));
  if (eight_bit_mime) add("8BITMIME");
  if (dsn) add("DSN");
  if (starttls) add("STARTTLS");
  if (enhanced_status_codes) add("ENHANCEDSTATUSCODES");
  if (smtputf8) add("SMTPUTF8");
  return out;
}

}  // namespace mixer::smtp::client
