// smtp/proto/data_reader.cpp: end-of-data, dot-unstuffing, bare CR/LF.
#include "smtp/proto/data_reader.hpp"

#include <cstring>

namespace mixer::smtp::proto {

void DataReader::flag(Defect d) {
  if (defect_ == Defect::none) {
    defect_ = d;
    defect_line_ = line_;
  }
}

void DataReader::emit(std::string_view bytes, ContentSink& sink) {
  if (bytes.empty() || defect_ != Defect::none) return;
  if (size_ + bytes.size() > max_size_) {
    flag(Defect::too_big);
    return;
  }
  size_ += bytes.size();
  sink.append(bytes);
}

std::size_t DataReader::feed(std::string_view in, ContentSink& sink) {
  static constexpr std::string_view kCrLf = "\r\n", kCr = "\r";
  std::size_t i = 0;
  const std::size_t n = in.size();
  while (i < n && state_ != State::done) {
    switch (state_) {
      case State::line_start:
        if (in[i] == '.') {
          state_ = State::dot;  // dropped: either stuffing or the end line
          ++i;
          continue;
        }
        state_ = State::middle;
        [[fallthrough]];
      case State::middle: {
        // Fast path: the rest of the line up to LF, checked for stray CRs.
        const char* base = in.data() + i;
        const void* lf = std::memchr(base, '\n', n - i);
        std::size_t len = lf ? static_cast<const char*>(lf) - base : n - i;
        std::size_t body = len;
        bool ends_cr = len > 0 && base[len - 1] == '\r';
        if (ends_cr) --body;  // CR right before LF (or at chunk end) is not bare
        if (std::memchr(base, '\r', body)) flag(Defect::bare_cr);
        if (!lf) {
          emit(std::string_view(base, body), sink);
          i = n;
          state_ = ends_cr ? State::cr : State::middle;
          continue;
        }
        if (!ends_cr) {
          flag(Defect::bare_lf);
          emit(std::string_view(base, len + 1), sink);
        } else {
          emit(std::string_view(base, len + 1), sink);
        }
        i += len + 1;
        ++line_;
        state_ = State::line_start;
        continue;
      }
      case State::cr:  // a CR ended the previous chunk
        if (in[i] == '\n') {
          emit(kCrLf, sink);
          ++i;
          ++line_;
          state_ = State::line_start;
        } else {
          flag(Defect::bare_cr);
          emit(kCr, sink);
          state_ = State::middle;
        }
        continue;
      case State::dot:
        if (in[i] == '\r') {
          state_ = State::dot_cr;
          ++i;
        } else {
          state_ = State::middle;  // dot-stuffed line: the dot stays removed
        }
        continue;
      case State::dot_cr:
        if (in[i] == '\n') {
          ++i;
          state_ = State::done;  // CRLF "." CRLF
        } else {
          flag(Defect::bare_cr);
          emit(kCr, sink);
          state_ = State::middle;
        }
        continue;
      case State::done:
        break;
    }
  }
  received_ += i;
  return i;
}

}  // namespace mixer::smtp::proto
