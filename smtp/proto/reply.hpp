// smtp/proto/reply.hpp: an SMTP reply (RFC 5321 §4.2) with its RFC 3463
// enhanced status code (RFC 2034), and its wire form.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mixer::smtp::proto {

struct Reply {
  int code = 0;           // 3 digits
  std::string enhanced;   // "2.1.5"; empty only where RFC 2034 exempts it
  std::vector<std::string> lines;

  Reply() = default;
  Reply(int c, std::string e, std::string text) : code(c), enhanced(std::move(e)), lines{std::move(text)} {}

  bool positive() const { return code >= 200 && code < 400; }
  bool transient() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500; }
  // "250-2.1.0 ...\r\n250 ...\r\n"
  std::string wire() const;
  // The first line without CRLF, for logs.
  std::string text() const;
};

}  // namespace mixer::smtp::proto
