// p1/rtse/apdu.hpp: X.228 RTSE APDUs (module Reliable-Transfer-APDU):
//   RTSE-apdus ::= CHOICE { rtorq [16], rtoac [17], rtorj [18], rttp INTEGER,
//                           rttr OCTET STRING, rtab [22] }
// In normal mode they travel tagged (ACSE user-information, P-DATA); in
// X.410-1984 mode the RTORQ/RTOAC/RTORJ/RTAB components are the bare
// contents of the presentation CP/CPA/CPR/ARU SETs (P1-PRIMER §8), so each
// SET also has a components-only codec. DEFAULT values keep whether they
// were sent (Isode sends dialogueMode 0, PP sends windowSize 3).
// Open and recover user data are views of the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"
#include "p1/result.hpp"

namespace mixer::p1::rtse {

using ber::Bytes;
using ber::ByteView;
using ber::Oid;

enum class Errc {
  malformed = 1,   // not the BER the ASN.1 calls for
  unknown_apdu,    // not one of the RTSE-apdus alternatives
  protocol_error,  // a valid APDU the RTSE state does not allow
  refused,         // the peer refused the association (RTORJ / AARE rejected)
  aborted,         // the association was aborted
};
const char* to_string(Errc e);

using Error = p1::Error<Errc>;
template <class T>
using Result = p1::Result<T, Errc>;

namespace dialogue {
inline constexpr std::int64_t monologue = 0, two_way_alternate = 1;
}
namespace refuse_reason {
inline constexpr std::int64_t rts_busy = 0, cannot_recover = 1, validation_failure = 2, unacceptable_dialogue_mode = 3;
}
namespace abort_reason {
inline constexpr std::int64_t local_system_problem = 0, invalid_parameter = 1, unrecognized_activity = 2,
                              temporary_problem = 3, protocol_error = 4, permanent_problem = 5, user_error = 6,
                              transfer_completed = 7;
}

// SessionConnectionIdentifier: the references a recover names.
struct SessionConnectionIdentifier {
  bool t61 = false;                 // CallingSSuserReference: t61String (X.410 mode) or octetString
  Bytes calling_reference;
  std::string common_reference;     // UTCTime
  std::optional<Bytes> additional_reference;  // [0] IMPLICIT T61String
  bool operator==(const SessionConnectionIdentifier&) const = default;
};

// ConnectionData ::= CHOICE { open [0] OPEN.&Type, recover [1] IMPLICIT SessionConnectionIdentifier }
struct ConnectionData {
  bool recover = false;
  ByteView open;                     // the open value's whole encoding (the P1 bind APDU)
  SessionConnectionIdentifier recovery;
};

struct Rtorq {
  std::optional<std::int64_t> checkpoint_size;  // [0] DEFAULT 0, in units of 1024 octets
  std::optional<std::int64_t> window_size;      // [1] DEFAULT 3
  std::optional<std::int64_t> dialogue_mode;    // [2] DEFAULT monologue
  ConnectionData data;                          // [3]
  std::optional<std::int64_t> application_protocol;  // [4], X.410 mode only
  std::int64_t checkpoint() const { return checkpoint_size.value_or(0); }
  std::int64_t window() const { return window_size.value_or(3); }
  std::int64_t mode() const { return dialogue_mode.value_or(dialogue::monologue); }
};

struct Rtoac {
  std::optional<std::int64_t> checkpoint_size;  // [0] DEFAULT 0
  std::optional<std::int64_t> window_size;      // [1] DEFAULT 3
  ConnectionData data;                          // [2]
  std::int64_t checkpoint() const { return checkpoint_size.value_or(0); }
  std::int64_t window() const { return window_size.value_or(3); }
};

struct Rtorj {
  std::optional<std::int64_t> refuse_reason;  // [0], X.410 mode only
  std::optional<ByteView> user_data;          // [1] OPEN.&Type, normal mode only (the bind error)
};

struct Rttp {
  std::int64_t priority = 0;
};

struct Rttr {
  ByteView octets;  // a primitive OCTET STRING's contents, or of `owned`
  Bytes owned;      // a constructed one, reassembled
  ByteView value() const { return owned.empty() ? octets : ByteView(owned); }
};

struct Rtab {
  std::optional<std::int64_t> abort_reason;
  std::optional<ber::BitString> reflected_parameter;
  std::optional<ByteView> user_data;  // [2] OPEN.&Type
};

using Apdu = std::variant<Rtorq, Rtoac, Rtorj, Rttp, Rttr, Rtab>;

// One tagged RTSE APDU (normal mode).
Result<Apdu> decode(ByteView b, const ber::Limits& limits);
Bytes encode(const Apdu& a);

// X.410 mode: the components alone (contents of the presentation SETs).
Result<Rtorq> decode_rtorq_components(ByteView b, const ber::Limits& limits);
Result<Rtoac> decode_rtoac_components(ByteView b, const ber::Limits& limits);
Result<Rtorj> decode_rtorj_components(ByteView b, const ber::Limits& limits);
Result<Rtab> decode_rtab_components(ByteView b, const ber::Limits& limits);
Bytes encode_components(const Rtorq& a);
Bytes encode_components(const Rtoac& a);
Bytes encode_components(const Rtorj& a);
Bytes encode_components(const Rtab& a);

// The RTTR APDU header alone, for a segment of `size` octets that follows it.
Bytes rttr_header(std::size_t size);

}  // namespace mixer::p1::rtse
