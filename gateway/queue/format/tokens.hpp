// gateway/queue/format/tokens.hpp: the token syntax of control files. A
// token is bare printable ASCII, or "quoted" with \" \\ \xHH escapes, so that
// any octet string survives and every line stays one line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::queue {

std::string quote_token(std::string_view value);

// Splits a line into tokens; key=value tokens keep "key=" before the value.
// nullopt on a bad escape or an unterminated quote.
std::optional<std::vector<std::string>> split_tokens(std::string_view line);

}  // namespace mixer::queue
