// p1/session/spdu.hpp: X.225 (ISO 8327-1) SPDUs and their TSDU framing.
// An SPDU is SI, LI (1 octet, or FF and 2 octets), then PGI/PI units; DT,
// TD and EX carry a user information field after the parameters.
// Basic concatenation (X.225 §6.3.7): a TSDU holds one category 1 SPDU alone,
// or a category 0 SPDU (GT/PT) alone or followed by one category 2 SPDU.
// The same SI names two SPDUs in several cases; this codec tells them apart
// as X.225 does: GT/DT (SI 1) and AB/AI (25), AA/AIA (26) by position in
// the TSDU, MAP/AE (41) by the Sync Type Item (present only in a MAP when
// activity management is in use; P1-PRIMER §3.4), MAA/AEA (42) by the
// functional units (the session machine knows which one it awaits).
// Trusts nothing: each parameter is checked against the SPDU's table and
// its length; values are views of the input TSDU.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "p1/ber/values.hpp"
#include "p1/result.hpp"

namespace mixer::p1::session {

using ber::Bytes;
using ber::ByteView;

enum class Errc {
  malformed = 1,       // lengths inconsistent with the TSDU
  unknown_spdu,        // an SI X.225 does not define (or not in that position)
  bad_parameter,       // a PI not allowed in that SPDU, or a value of bad length or content
  missing_parameter,   // a mandatory parameter is absent
  bad_concatenation,   // SPDUs combined against X.225 §6.3.7
  protocol_error,      // a valid SPDU the session state does not allow
};
const char* to_string(Errc e);

using Error = p1::Error<Errc>;
template <class T>
using Result = p1::Result<T, Errc>;

enum class Kind {
  connect, accept, refuse, finish, disconnect, not_finished, abort, abort_accept,  // category 1
  give_tokens_confirm, give_tokens_ack, prepare, typed_data,                        // category 1
  give_tokens, please_tokens,                                                       // category 0
  data, minor_sync_point, minor_sync_ack, major_sync_point, major_sync_ack,         // category 2
  activity_end, activity_end_ack, resynchronize, resynchronize_ack,
  activity_start, activity_resume, activity_interrupt, activity_interrupt_ack,
  activity_discard, activity_discard_ack, capability_data, capability_data_ack,
  exception_report, exception_data,
  expedited,                                                                        // expedited flow
};
const char* to_string(Kind k);
std::uint8_t si_of(Kind k);

// Session user requirements, PI 20 (X.225 §8.3.1.16).
namespace fu {
inline constexpr std::uint16_t half_duplex = 0x0001;
inline constexpr std::uint16_t duplex = 0x0002;
inline constexpr std::uint16_t expedited = 0x0004;
inline constexpr std::uint16_t minor_sync = 0x0008;
inline constexpr std::uint16_t major_sync = 0x0010;
inline constexpr std::uint16_t resynchronize = 0x0020;
inline constexpr std::uint16_t activity_management = 0x0040;
inline constexpr std::uint16_t negotiated_release = 0x0080;
inline constexpr std::uint16_t capability_data = 0x0100;
inline constexpr std::uint16_t exceptions = 0x0200;
inline constexpr std::uint16_t typed_data = 0x0400;
// The RTSE set both captures negotiate: 0x0249.
inline constexpr std::uint16_t rtse = half_duplex | minor_sync | activity_management | exceptions;
}  // namespace fu

// Token Item, PI 16 (X.225 §8.3.3.2); also the bit of each token.
namespace token {
inline constexpr std::uint8_t data = 0x01;
inline constexpr std::uint8_t minor_sync = 0x04;
inline constexpr std::uint8_t major_activity = 0x10;
inline constexpr std::uint8_t release = 0x40;
}  // namespace token

// Transport Disconnect, PI 17 (X.225 §8.3.4.2 / §8.3.9.2).
namespace tdisc {
inline constexpr std::uint8_t release = 0x01;          // transport connection released (else kept)
inline constexpr std::uint8_t user_abort = 0x02;
inline constexpr std::uint8_t protocol_error = 0x04;
inline constexpr std::uint8_t no_reason = 0x08;
inline constexpr std::uint8_t implementation_restriction = 0x10;
}  // namespace tdisc

// Refuse Reason Code, first octet of PI 50 in an RF (X.225 §8.3.5.2).
namespace refuse_reason {
inline constexpr std::uint8_t not_specified = 0;
inline constexpr std::uint8_t congestion = 1;
inline constexpr std::uint8_t user_data = 2;  // followed by SS-user data
inline constexpr std::uint8_t ssap_unknown = 128 + 1;
inline constexpr std::uint8_t user_not_attached = 128 + 2;
inline constexpr std::uint8_t spm_congestion = 128 + 3;
inline constexpr std::uint8_t versions_not_supported = 128 + 4;
inline constexpr std::uint8_t spm_not_specified = 128 + 5;
inline constexpr std::uint8_t spm_restriction = 128 + 6;
}  // namespace refuse_reason

// PGI 1 Connection Identifier (CN, AC, RF) and the references of PGI 33
// Linking Information (AR). Values are opaque octets (RTSE puts BER there).
struct ConnectionIdentifier {
  std::optional<ByteView> called_ss_user_reference;   // PI 9
  std::optional<ByteView> calling_ss_user_reference;  // PI 10
  std::optional<ByteView> common_reference;           // PI 11
  std::optional<ByteView> additional_reference;       // PI 12
};

struct Spdu {
  Spdu() = default;
  explicit Spdu(Kind k) : kind(k) {}

  Kind kind = Kind::data;

  std::optional<ConnectionIdentifier> connection_id;  // PGI 1 or, for AR, PGI 33
  // PGI 5 Connect/Accept Item
  std::optional<std::uint8_t> protocol_options;       // PI 19
  std::optional<std::uint32_t> tsdu_maximum_size;     // PI 21: initiator's (high 16) and responder's (low 16)
  std::optional<std::uint8_t> version_number;         // PI 22: bit 1 version 1, bit 2 version 2
  std::optional<std::uint32_t> initial_serial_number; // PI 23
  std::optional<std::uint8_t> token_setting;          // PI 26 (also RS/RA)

  std::optional<std::uint8_t> sync_type;              // PI 15 (MIP, MAP)
  std::optional<std::uint8_t> token_item;             // PI 16
  std::optional<std::uint8_t> transport_disconnect;   // PI 17
  std::optional<std::uint16_t> session_requirements;  // PI 20
  std::optional<std::uint8_t> prepare_type;           // PI 24
  std::optional<std::uint8_t> enclosure;              // PI 25
  std::optional<std::uint8_t> resync_type;            // PI 27
  std::optional<ByteView> activity_id;                // PI 41 (AR: the new one)
  std::optional<ByteView> old_activity_id;            // PI 41 inside PGI 33 (AR)
  std::optional<std::uint32_t> serial_number;         // PI 42 (AR: inside PGI 33)
  std::optional<ByteView> reflect_parameter;          // PI 49
  std::optional<ByteView> reason_code;                // PI 50 (RF: reason octet then user data)
  std::optional<ByteView> calling_ssap;               // PI 51
  std::optional<ByteView> called_ssap;                // PI 52 (responding SSAP in AC)
  std::optional<ByteView> user_data;                  // PGI 193/194, PI 46, or the user information field
};

// Options the decoder needs from the session state.
struct DecodeOptions {
  bool activity_management = true;  // SI 41 without PI 15 is an AE, SI 42 an AEA
};

// Decodes one TSDU into its one or two SPDUs.
Result<std::vector<Spdu>> decode_tsdu(ByteView tsdu, const DecodeOptions& options = {});

// Appends one SPDU; for DT, TD and EX the user data follows the parameters.
void encode(const Spdu& s, Bytes& out);
// A TSDU of one category 1 SPDU, or a category 0 and a category 2 SPDU.
Bytes encode_tsdu(const Spdu& s);
Bytes encode_tsdu(const Spdu& category0, const Spdu& category2);

// Serial numbers travel as 1..6 ASCII decimal digits (X.225 §8.3.1.10).
inline constexpr std::uint32_t max_serial_number = 999999;

}  // namespace mixer::p1::session
