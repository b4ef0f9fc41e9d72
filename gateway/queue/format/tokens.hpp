// gateway/queue/format/tokens.hpp: the token syntax of control files. A
// token is bare printable ASCII, or "quoted" with \" \\ \xHH escapes, so that
// any octet string survives and every line stays one line.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::queue {

std::string quote_token(std::string_view value);

// Splits a line into tokens; key=value tokens keep "key=" before the value.
// nullopt on a bad escape or an unterminated quote.
std::optional<std::vector<std::string>> split_tokens(std::string_view line);
// The same without an allocation per token (the control file decoder's hot path):
// `out` gets views of `line` for bare tokens and of `scratch` for quoted ones (both
// must outlive them); false where split_tokens gives nullopt.
bool split_token_views(std::string_view line, std::vector<std::string_view>& out, std::string& scratch);

// Calls `line` with each newline-terminated line of `text` (without its newline), in
// order; true when the text ends in a line without its newline (a torn last append,
// not passed on).
bool for_each_line(std::string_view text, const std::function<void(std::string_view)>& line);

}  // namespace mixer::queue
