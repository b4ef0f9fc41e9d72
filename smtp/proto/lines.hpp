// smtp/proto/lines.hpp: splitting the client's byte stream into command
// lines (RFC 5321 §2.3.8: lines end in CRLF), with a length limit.
// Incremental and I/O-free: feed what arrived, take whole lines out.
#pragma once

#include <cstddef>
#include <string_view>

namespace mixer::smtp::proto {

class CommandLineReader {
 public:
  enum class Kind {
    need_more,  // no complete line yet; everything given was consumed or kept
    line,       // `line` holds one command without its CRLF
    too_long,   // a line over the limit was discarded up to its LF
    bare_lf,    // a line ended in LF without CR; discarded
  };
  struct Event {
    Kind kind = Kind::need_more;
    std::string_view line;
    std::size_t consumed = 0;  // octets of the input this event used
  };

  explicit CommandLineReader(std::size_t max_line_length) : max_(max_line_length) {}

  // Looks at the unread input and returns the next event. The caller drops
  // `consumed` octets from its buffer; `line` points into `input`.
  Event next(std::string_view input);

 private:
  std::size_t max_;
  bool skipping_ = false;  // inside an over-long line, discarding to its LF
};

}  // namespace mixer::smtp::proto
