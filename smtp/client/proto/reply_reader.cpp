// smtp/client/proto/reply_reader.cpp: reply reassembly (see reply_reader.hpp).
#include "smtp/client/proto/reply_reader.hpp"

namespace mixer::smtp::client {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39.
bool valid_code(std::string_view s) {
  return s.size() >= 3 && s[0] >= '2' && s[0] <= '5' && s[1] >= '0' && s[1] <= '5' && digit(s[2]);
}

}  // namespace

std::string describe(ReplyError e, const Limits& limits) {
  switch (e) {
    case ReplyError::none: return "no error";
    case ReplyError::line_too_long:
      return "reply line longer than " + std::to_string(limits.max_line_length) + " octets";
    case ReplyError::too_many_lines:
      return "reply of more than " + std::to_string(limits.max_reply_lines) + " lines";
    case ReplyError::too_big: return "reply longer than " + std::to_string(limits.max_reply_size) + " octets";
    case ReplyError::bare_lf: return "reply line ended in LF without CR (RFC 5321 section 2.3.8)";
    case ReplyError::bad_code: return "reply without a valid three-digit code (RFC 5321 section 4.2)";
    case ReplyError::bad_separator: return "reply code not followed by space, hyphen or CRLF (RFC 5321 section 4.2)";
    case ReplyError::code_changed: return "multiline reply whose lines differ in code (RFC 5321 section 4.2)";
  }
  return "unknown reply error";
}

ReplyReader::Event ReplyReader::next(std::string_view input) {
  Event ev;
  if (failed_) {
    ev.kind = Kind::error;
    ev.error = ReplyError::bad_code;
    return ev;
  }
  auto fail = [&](ReplyError e) {
    failed_ = true;
    ev.kind = Kind::error;
    ev.error = e;
    return ev;
  };
  while (true) {
    auto line_ev = lines_.next(input.substr(ev.consumed));
    ev.consumed += line_ev.consumed;
    using LK = proto::CommandLineReader::Kind;
    switch (line_ev.kind) {
      case LK::need_more:
        // The splitter consumes input without an event only while it is
        // discarding a line over the limit: report that now, not at its LF.
        if (line_ev.consumed > 0) return fail(ReplyError::line_too_long);
        return ev;
      case LK::too_long: return fail(ReplyError::line_too_long);
      case LK::bare_lf: return fail(ReplyError::bare_lf);
      case LK::line: break;
    }
    std::string_view line = line_ev.line;
    if (!valid_code(line)) return fail(ReplyError::bad_code);
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return fail(ReplyError::bad_separator);
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (!partial_.lines.empty() && code != partial_.code) return fail(ReplyError::code_changed);
    if (partial_.lines.size() >= limits_.max_reply_lines) return fail(ReplyError::too_many_lines);
    partial_size_ += line.size() + 2;
    if (partial_size_ > limits_.max_reply_size) return fail(ReplyError::too_big);
    partial_.code = code;
    partial_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view());
    const bool last = line.size() == 3 || line[3] == ' ';
    if (last) {
      ev.kind = Kind::reply;
      ev.reply = std::move(partial_);
      partial_ = proto::Reply();
      partial_size_ = 0;
      return ev;
    }
  }
}

bool is_enhanced_status(std::string_view t) {
  if (t.size() < 5 || (t[0] != '2' && t[0] != '4' && t[0] != '5') || t[1] != '.') return false;
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    std::size_t n = 0;
    while (i < t.size() && digit(t[i]) && n < 4) ++i, ++n;
    if (n == 0 || n > 3) return false;
    if (part == 0) {
      if (i >= t.size() || t[i] != '.') return false;
      ++i;
    }
  }
  return i == t.size();
}

void split_enhanced_status(proto::Reply& reply) {
  if (reply.lines.empty() || reply.code / 100 == 3) return;
  const char cls = static_cast<char>('0' + reply.code / 100);
  auto code_of = [](std::string_view line) {
    auto sp = line.find(' ');
    return line.substr(0, sp);
  };
  std::string_view first = code_of(reply.lines.front());
  if (!is_enhanced_status(first) || first[0] != cls) return;
  reply.enhanced = std::string(first);
  for (auto& line : reply.lines) {
    if (code_of(line) != reply.enhanced) continue;
    line.erase(0, std::min(line.size(), reply.enhanced.size() + 1));
  }
}

}  // namespace mixer::smtp::client
