// p1/transport/tpkt.cpp: RFC 1006 §6 framing (see header).
#include "p1/transport/tpkt.hpp"

#include <stdexcept>
#include <string>

namespace mixer::p1::transport {

const char* to_string(Errc e) {
  switch (e) {
    case Errc::bad_version: return "bad TPKT version";
    case Errc::bad_length: return "bad TPKT length";
    case Errc::malformed_tpdu: return "malformed TPDU";
    case Errc::unsupported_tpdu: return "unsupported TPDU";
    case Errc::bad_parameter: return "bad TPDU parameter";
    case Errc::tsdu_too_large: return "TSDU too large";
  }
  return "?";
}

void TpktFramer::feed(ByteView bytes) {
  if (start_ > 0 && start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ > 65536 && start_ * 2 > buf_.size()) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

Result<std::optional<ByteView>> TpktFramer::next() {
  std::size_t avail = buf_.size() - start_;
  if (avail < tpkt_header_size) return std::optional<ByteView>{};
  const std::uint8_t* p = buf_.data() + start_;
  if (p[0] != 3)
    return make_error(Errc::bad_version, "TPKT version " + std::to_string(p[0]) + ", RFC 1006 §6 requires 3");
  std::size_t len = std::size_t{p[2]} << 8 | p[3];
  if (len < tpkt_min_size || len > limits_.max_tpkt)
    return make_error(Errc::bad_length, "TPKT length " + std::to_string(len) + " outside 7.." +
                                            std::to_string(limits_.max_tpkt) + " (RFC 1006 §6)");
  if (avail < len) return std::optional<ByteView>{};
  start_ += len;
  return std::optional<ByteView>(ByteView(p + tpkt_header_size, len - tpkt_header_size));
}

void put_tpkt_header(Bytes& out, std::size_t payload_size) {
  std::size_t len = payload_size + tpkt_header_size;
  if (len > tpkt_max_size) throw std::length_error("TPKT payload too large");
  out.push_back(3);
  out.push_back(0);
  out.push_back(static_cast<std::uint8_t>(len >> 8));
  out.push_back(static_cast<std::uint8_t>(len));
}

}  // namespace mixer::p1::transport
