// smtp/proto/data_reader.hpp: the DATA phase (RFC 5321 §4.1.1.4, §4.5.2):
// finds the end-of-data line "." CRLF, removes dot-stuffing, and refuses
// content with bare CR or bare LF (RFC 5321 §2.3.8; the "SMTP smuggling"
// attacks rely on servers that take <LF>.<LF> or <CR>.<CR> as an end).
// Only CRLF "." CRLF ends the data; a defect makes the whole message
// refused after that real end, so the reader stays in step with the client.
//
// Incremental and I/O-free: content goes to a sink in as few spans as the
// input allows (no copy here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mixer::smtp::proto {

class ContentSink {
 public:
  virtual ~ContentSink() = default;
  virtual void append(std::string_view bytes) = 0;
};

class DataReader {
 public:
  enum class Defect { none, too_big, bare_lf, bare_cr };

  explicit DataReader(std::uint64_t max_size) : max_size_(max_size) {}

  // Consumes input up to and including the end-of-data line; returns how
  // many octets it used (less than input.size() only when done()).
  std::size_t feed(std::string_view input, ContentSink& sink);

  bool done() const { return state_ == State::done; }
  Defect defect() const { return defect_; }
  std::uint64_t size() const { return size_; }          // content octets kept
  std::uint64_t received() const { return received_; }  // octets read, end line included
  std::uint64_t defect_line() const { return defect_line_; }  // 1-based

 private:
  enum class State { line_start, middle, cr, dot, dot_cr, done };
  void emit(std::string_view bytes, ContentSink& sink);
  void flag(Defect d);

  std::uint64_t max_size_;
  State state_ = State::line_start;
  Defect defect_ = Defect::none;
  std::uint64_t size_ = 0, received_ = 0, line_ = 1, defect_line_ = 0;
};

}  // namespace mixer::smtp::proto
