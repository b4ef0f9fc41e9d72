// p1/transport/cotp.hpp: X.224 (ISO 8073) class 0 TPDUs as RFC 1006 uses
// them: CR, CC, DR, DT and ER (X.224 §13.3, 13.4, 13.5, 13.7, 13.12), with
// TSAP selectors and TPDU size negotiation (RFC 1006 makes 65531 the default
// maximum, RFC 2126 §6.4). Also TSDU segmentation into DTs and reassembly.
// Trusts nothing in a received TPDU; unknown parameters of CR/CC/DR are
// skipped as X.224 allows, lengths never run past the TPDU.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "p1/transport/tpkt.hpp"

namespace mixer::p1::transport {

inline constexpr std::size_t rfc1006_default_max_tpdu = 65531;  // RFC 1006 §5

// X.224 §13.5.3 (f) disconnect reasons used here.
namespace dr_reason {
inline constexpr std::uint8_t not_specified = 0;
inline constexpr std::uint8_t congestion_at_tsap = 1;
inline constexpr std::uint8_t not_attached_to_tsap = 2;
inline constexpr std::uint8_t address_unknown = 3;
inline constexpr std::uint8_t normal = 128;
inline constexpr std::uint8_t congestion_at_connect = 128 + 1;
inline constexpr std::uint8_t negotiation_failed = 128 + 2;
inline constexpr std::uint8_t protocol_error = 128 + 5;
inline constexpr std::uint8_t invalid_length = 128 + 10;
}  // namespace dr_reason

// X.224 §13.12.3 (d) reject causes.
namespace er_cause {
inline constexpr std::uint8_t not_specified = 0;
inline constexpr std::uint8_t invalid_parameter_code = 1;
inline constexpr std::uint8_t invalid_tpdu_type = 2;
inline constexpr std::uint8_t invalid_parameter_value = 3;
}  // namespace er_cause

// CR (§13.3) and CC (§13.4) share their layout.
struct ConnectTpdu {
  std::uint16_t dst_ref = 0;
  std::uint16_t src_ref = 0;
  std::uint8_t class_option = 0;                  // class in bits 8-5; 0x00 for class 0
  std::optional<Bytes> calling_tsap;              // 0xC1
  std::optional<Bytes> called_tsap;               // 0xC2 (responding TSAP in a CC)
  std::optional<std::uint8_t> tpdu_size_code;     // 0xC0: 7 (128) .. 13 (8192)
  std::optional<std::uint32_t> preferred_max_tpdu;// 0xF0, in octets (sent in units of 128)
  std::uint8_t protocol_class() const { return class_option >> 4; }
};
struct ConnectionRequest : ConnectTpdu {};
struct ConnectionConfirm : ConnectTpdu {};

struct DisconnectRequest {  // §13.5
  std::uint16_t dst_ref = 0;
  std::uint16_t src_ref = 0;
  std::uint8_t reason = dr_reason::normal;
  Bytes additional_information;  // 0xE0
};

struct DataTpdu {  // §13.7, class 0 normal format
  bool eot = true;
  ByteView user_data;  // view of the decoded TPDU
};

struct ErrorTpdu {  // §13.12
  std::uint16_t dst_ref = 0;
  std::uint8_t cause = er_cause::not_specified;
  Bytes invalid_tpdu;  // 0xC1: the rejected TPDU's first octets (2 are sent)
};

using Tpdu = std::variant<ConnectionRequest, ConnectionConfirm, DisconnectRequest, DataTpdu, ErrorTpdu>;

// Decodes one TPDU (a TPKT's payload).
Result<Tpdu> decode_tpdu(ByteView tpdu);

// Encoders return the TPDU alone; wrap with tpkt() to send.
Bytes encode(const ConnectionRequest& cr);
Bytes encode(const ConnectionConfirm& cc);
Bytes encode(const DisconnectRequest& dr);
Bytes encode(const ErrorTpdu& er);
Bytes tpkt(ByteView tpdu);

// 2^code octets for codes 7..13; 0 for any other code.
std::size_t tpdu_size_of_code(std::uint8_t code);
// The largest code whose size is at most `max` (7 when max < 256).
std::uint8_t tpdu_size_code_for(std::size_t max);

// What a responder puts in its CC, and the resulting maximum TPDU size.
struct SizeChoice {
  std::optional<std::uint8_t> cc_code;
  std::size_t max_tpdu = rfc1006_default_max_tpdu;
};
SizeChoice negotiate_tpdu_size(const ConnectionRequest& cr, std::size_t our_max);
// The maximum TPDU size an initiator may use after the CC.
std::size_t agreed_tpdu_size(const ConnectionRequest& cr, const ConnectionConfirm& cc);

// Appends the TSDU as TPKT-framed DT TPDUs of at most max_tpdu octets each,
// EOT on the last one (X.224 §6.3 segmenting; an empty TSDU is one empty DT).
void append_data_tpkts(Bytes& out, ByteView tsdu, std::size_t max_tpdu);

// Reassembles DT user data into TSDUs (X.224 §6.3 reassembling).
class TsduAssembler {
 public:
  explicit TsduAssembler(const Limits& limits = {}) : limits_(limits) {}
  // Adds one DT; once EOT arrives returns the TSDU: a view of the DT's own
  // data when it was not segmented, else of the assembled buffer, valid until
  // the next add(). nullopt while more DTs are needed.
  Result<std::optional<ByteView>> add(const DataTpdu& dt);
  std::size_t pending() const { return buf_.size(); }

 private:
  Limits limits_;
  Bytes buf_;
  bool done_ = false;
};

}  // namespace mixer::p1::transport
