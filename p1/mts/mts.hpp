// p1/mts/mts.hpp: the entry points of the X.411 codecs: BER decode under
// Limits (errors name the field path), BER encode (definite lengths, DER
// SET order; a value it cannot write is refused with its field path), and
// the readable tree both ways (mixer decode / encode).
// Top-level types: MtsApdu (X.419 MTS-APDU: Message, Probe, Report), and
// for callers that hold them separately MessageTransferEnvelope,
// ProbeTransferEnvelope, ReportTransferContent and ORName.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "p1/mts/ber_io.hpp"
#include "p1/mts/types.hpp"

namespace mixer::p1::mts {

// The top-level types: MtsApdu, MessageTransferEnvelope, ProbeTransferEnvelope,
// ReportTransferContent, OrName.
template <class T>
concept TopLevel = std::is_same_v<T, MtsApdu> || std::is_same_v<T, MessageTransferEnvelope> ||
                   std::is_same_v<T, ProbeTransferEnvelope> || std::is_same_v<T, ReportTransferContent> ||
                   std::is_same_v<T, OrName>;

template <TopLevel T>
Result<T> decode(ByteView in, const Limits& limits = {});
// BER of v, or the refusal of a value the description cannot write (an
// extension value not of its type's ASN.1 type, an alternative a CHOICE does
// not have), naming the field: "MTS-APDU.message.envelope.extensions[0].value: ...".
template <TopLevel T>
Result<Bytes> encode(const T& v);
template <TopLevel T>
Node to_tree(const T& v);
// Fills v from a tree; the error sentence names the path.
template <TopLevel T>
std::optional<std::string> from_tree(const Node& n, T& v);

inline Result<MtsApdu> decode_mts_apdu(ByteView in, const Limits& limits = {}) { return decode<MtsApdu>(in, limits); }
inline Result<Bytes> encode_mts_apdu(const MtsApdu& v) { return encode(v); }

const char* extension_name(std::int64_t standard);

}  // namespace mixer::p1::mts
