// p1/transport/tpkt.hpp: RFC 1006 §6 packet framing over TCP: `03 00 LL LL`,
// version 3, a 16-bit length that counts the 4 header octets (7..65535).
// A receiver frames by that length, never by TCP segments: several TPKTs
// may share a segment and one TPKT may span several (P1-PRIMER §2.1).
// I/O-free: the caller feeds received octets and takes whole packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "p1/ber/values.hpp"
#include "p1/result.hpp"

namespace mixer::p1::transport {

using ber::Bytes;
using ber::ByteView;

inline constexpr std::size_t tpkt_header_size = 4;
inline constexpr std::size_t tpkt_max_size = 65535;     // RFC 1006 §6 "max=65535"
inline constexpr std::size_t tpkt_min_size = 7;         // RFC 1006 §6 "min=7"

enum class Errc {
  bad_version = 1,     // TPKT version octet not 3
  bad_length,          // TPKT length below 7 or above the configured maximum
  malformed_tpdu,      // X.224 header inconsistent (LI, fixed part, parameter lengths)
  unsupported_tpdu,    // a TPDU type class 0 over RFC 1006 does not use
  bad_parameter,       // a parameter value X.224 does not allow
  tsdu_too_large,      // reassembled TSDU beyond Limits::max_tsdu
};

const char* to_string(Errc e);

using Error = p1::Error<Errc>;
template <class T>
using Result = p1::Result<T, Errc>;

struct Limits {
  std::size_t max_tpkt = tpkt_max_size;  // octets per TPKT, header included
  std::size_t max_tsdu = 16u << 20;      // octets of one reassembled TSDU
};

// Splits a byte stream into TPKTs. Returned views stay valid until the next feed().
class TpktFramer {
 public:
  explicit TpktFramer(const Limits& limits = {}) : limits_(limits) {}
  // Appends received octets.
  void feed(ByteView bytes);
  // The next whole TPKT's payload (its TPDU), nullopt while more octets are
  // needed, or an error for a header that can never be valid.
  Result<std::optional<ByteView>> next();
  // Octets received but not yet returned (a partial TPKT).
  std::size_t buffered() const { return buf_.size() - start_; }

 private:
  Limits limits_;
  Bytes buf_;
  std::size_t start_ = 0;
};

// Appends a TPKT header for a payload of `payload_size` octets.
void put_tpkt_header(Bytes& out, std::size_t payload_size);

}  // namespace mixer::p1::transport
