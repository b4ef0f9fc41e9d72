// smtp/client/proto/data_writer.hpp: the message content as it goes out after
// a 354 reply (RFC 5321 §4.1.1.4, §4.5.2): CRLF line ends, dot-stuffing, and
// the final "." line. The content stays where the caller holds it: the writer
// hands out views of the caller's chunks, broken where an octet has to be
// inserted (a "." before a line that starts with ".", a CR before a bare LF,
// an LF after a bare CR, a CRLF before the end line when the content does not
// end with one), so nothing is copied and chunk boundaries may fall anywhere.
//
// Trusts the chunks to stay valid and unchanged while the writer runs; makes
// no assumption about their octets (no bare CR or LF ever reaches the wire,
// so the "SMTP smuggling" end-of-data confusions cannot start here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace mixer::smtp::client {

class DataWriter {
 public:
  explicit DataWriter(std::span<const std::string_view> chunks) : chunks_(chunks) {}

  // Appends the next pieces of the wire form to `out` (about `max_pieces`,
  // never fewer than one while any remain); false once the final ".\r\n"
  // has been handed out.
  bool produce(std::vector<std::string_view>& out, std::size_t max_pieces);

  bool done() const { return stage_ == Stage::done; }
  std::uint64_t stuffed_dots() const { return stuffed_; }
  std::uint64_t inserted_line_end_octets() const { return inserted_; }

 private:
  enum class Stage { body, done };
  std::span<const std::string_view> chunks_;
  std::size_t chunk_ = 0, pos_ = 0;
  bool line_start_ = true;  // the next octet starts a line
  bool cr_ = false;         // the last octet handed out was a CR
  Stage stage_ = Stage::body;
  std::uint64_t stuffed_ = 0, inserted_ = 0;
};

// RFC 1870 message size: the octets sent after 354 with CRLF line ends,
// without the dot-stuffing and the final "." line.
std::uint64_t content_size(std::span<const std::string_view> chunks);

// Whether any octet of the content is above 127 (needs BODY=8BITMIME).
bool has_eight_bit(std::span<const std::string_view> chunks);

}  // namespace mixer::smtp::client
