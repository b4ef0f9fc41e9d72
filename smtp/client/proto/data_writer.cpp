// smtp/client/proto/data_writer.cpp: dot-stuffing and line ends (see
// data_writer.hpp).
#include "smtp/client/proto/data_writer.hpp"

#include <cstring>

namespace mixer::smtp::client {
namespace {

constexpr std::string_view kDot = ".", kCR = "\r", kLF = "\n", kCRLF = "\r\n", kEnd = ".\r\n";

// Index of the first CR or LF in d[i, n), or n.
std::size_t find_line_end(const char* d, std::size_t i, std::size_t n) {
  const void* lf = std::memchr(d + i, '\n', n - i);
  const std::size_t stop = lf ? static_cast<const char*>(lf) - d : n;
  const void* cr = std::memchr(d + i, '\r', stop - i);
  return cr ? static_cast<const char*>(cr) - d : stop;
}

}  // namespace

bool DataWriter::produce(std::vector<std::string_view>& out, std::size_t max_pieces) {
  if (stage_ == Stage::done) return false;
  const std::size_t start = out.size();
  auto added = [&] { return out.size() - start; };
  auto emit = [&](std::string_view s) {
    if (!s.empty()) out.push_back(s);
  };
  if (max_pieces == 0) max_pieces = 1;
  while (added() < max_pieces && chunk_ < chunks_.size()) {
    const std::string_view c = chunks_[chunk_];
    const char* d = c.data();
    const std::size_t n = c.size();
    std::size_t i = pos_, s = pos_;
    while (i < n && added() < max_pieces) {
      const char ch = d[i];
      if (cr_) {
        cr_ = false;
        if (ch == '\n') {  // CRLF, possibly split between two chunks
          line_start_ = true;
          ++i;
          continue;
        }
        emit(c.substr(s, i - s));  // a bare CR: end its line with an LF
        emit(kLF);
        ++inserted_;
        s = i;
        line_start_ = true;
        continue;  // look at `ch` again as the start of a line
      }
      if (line_start_) {
        line_start_ = false;
        if (ch == '.') {  // RFC 5321 §4.5.2: double a leading period
          emit(c.substr(s, i - s));
          emit(kDot);
          ++stuffed_;
          s = i;
        }
      }
      if (ch == '\r') {
        cr_ = true;
        ++i;
      } else if (ch == '\n') {  // a bare LF: put a CR before it
        emit(c.substr(s, i - s));
        emit(kCR);
        ++inserted_;
        s = i;
        line_start_ = true;
        ++i;
      } else {
        i = find_line_end(d, i + 1, n);
      }
    }
    emit(c.substr(s, i - s));
    if (i >= n) {
      ++chunk_;
      pos_ = 0;
    } else {
      pos_ = i;
    }
  }
  if (chunk_ < chunks_.size()) return true;
  if (cr_) {
    emit(kLF);
    ++inserted_;
    cr_ = false;
    line_start_ = true;
  }
  if (!line_start_) {  // content not ending in a line end: end its last line
    emit(kCRLF);
    inserted_ += 2;
  }
  emit(kEnd);
  stage_ = Stage::done;
  return false;
}

std::uint64_t content_size(std::span<const std::string_view> chunks) {
  std::uint64_t total = 0;
  for (auto c : chunks) total += c.size();
  DataWriter w(chunks);
  std::vector<std::string_view> scratch;
  while (w.produce(scratch, 256)) scratch.clear();
  return total + w.inserted_line_end_octets();
}

bool has_eight_bit(std::span<const std::string_view> chunks) {
  for (auto c : chunks)
    for (unsigned char u : c)
      if (u & 0x80) return true;
  return false;
}

}  // namespace mixer::smtp::client
