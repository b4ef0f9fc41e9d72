// smtp/client/proto/reply_reader.hpp: reassembles the server's replies
// (RFC 5321 §4.2: "Reply-code [ SP textstring ] CRLF", multiline replies as
// "Reply-code - text" lines ending with one "Reply-code SP text" line, every
// line with the same code) from the byte stream, under explicit limits.
// Also splits the RFC 3463 enhanced status code off the text (RFC 2034).
//
// Trusts nothing in the bytes: each malformed or oversized reply is an error
// value that names what was wrong; the reader never grows without bound.
// Incremental and I/O-free, like smtp/proto/lines.hpp, whose line splitter
// it uses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "smtp/proto/lines.hpp"
#include "smtp/proto/reply.hpp"

namespace mixer::smtp::client {

// What one reply may be. RFC 5321 §4.5.3.1.5 puts a reply line at 512
// octets with its CRLF; real servers exceed it, so the default is larger.
struct Limits {
  std::size_t max_line_length = 2048;     // octets of one line, CRLF not counted
  std::size_t max_reply_lines = 256;      // lines of one multiline reply
  std::size_t max_reply_size = 64 * 1024; // octets of all lines of one reply
};

enum class ReplyError {
  none,
  line_too_long,    // a line over Limits::max_line_length
  too_many_lines,   // a reply over Limits::max_reply_lines
  too_big,          // a reply over Limits::max_reply_size
  bare_lf,          // a line ended in LF without CR (RFC 5321 §2.3.8)
  bad_code,         // not three digits 2-5, 0-5, 0-9 (RFC 5321 §4.2)
  bad_separator,    // the code not followed by SP, "-" or CRLF
  code_changed,     // a multiline reply whose lines differ in code (§4.2)
};

// One sentence for logs: "reply line longer than 2048 octets".
std::string describe(ReplyError e, const Limits& limits);

class ReplyReader {
 public:
  enum class Kind { need_more, reply, error };
  struct Event {
    Kind kind = Kind::need_more;
    proto::Reply reply;                    // for Kind::reply: code and lines, enhanced empty
    ReplyError error = ReplyError::none;   // for Kind::error
    std::size_t consumed = 0;              // octets of the input this event used
  };

  explicit ReplyReader(Limits limits) : limits_(limits), lines_(limits.max_line_length) {}

  // Looks at the unread input; the caller drops `consumed` octets and calls
  // again while the kind is `reply`. After an error the reader is unusable.
  Event next(std::string_view input);

  // True while part of a multiline reply has been read.
  bool in_reply() const { return !partial_.lines.empty(); }

 private:
  Limits limits_;
  proto::CommandLineReader lines_;
  proto::Reply partial_;
  std::size_t partial_size_ = 0;
  bool failed_ = false;
};

// RFC 2034 §4 / RFC 3463 §2: when the server offered ENHANCEDSTATUSCODES,
// each line of a 2xx/4xx/5xx reply starts "class.subject.detail SP". Moves
// it from the lines into `reply.enhanced` when its class is the reply
// code's first digit; a line without it is left as it is.
void split_enhanced_status(proto::Reply& reply);

// Whether `text` is an RFC 3463 status code ("4.7.1"): class 2, 4 or 5,
// subject and detail of 1 to 3 digits.
bool is_enhanced_status(std::string_view text);

}  // namespace mixer::smtp::client
