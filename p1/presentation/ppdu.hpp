// p1/presentation/ppdu.hpp: X.226 (ISO 8823) PPDUs, normal mode, with the
// X.410-1984 mode shapes of CP/CPA/CPR/ARU kept as the raw RTSE components
// they carry (ISO8823-PRESENTATION module, asn1/itu-t/osi):
//   CP-type   -> session CN user data        CPA-PPDU -> AC user data
//   CPR-PPDU  -> RF Reason Code (after 02)   ARU/ARP  -> AB user data
//   User-data (fully-encoded) -> DT, FN, DN and the other S-primitives' data
// Decoders take BER limits and return views of the input.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"
#include "p1/result.hpp"

namespace mixer::p1::presentation {

using ber::Bytes;
using ber::ByteView;
using ber::Oid;

enum class Errc {
  malformed = 1,    // not the BER the ASN.1 calls for (details in the sentence)
  bad_mode,         // mode-selector missing or not x410-1984/normal
  unsupported,      // valid but not supported here (simply-encoded data, several PDVs where one is needed)
  unknown_context,  // a presentation context identifier not in the defined context set
};
const char* to_string(Errc e);

using Error = p1::Error<Errc>;
template <class T>
using Result = p1::Result<T, Errc>;

// joint-iso-itu-t asn1(1) basic-encoding(1)
inline const Oid ber_transfer_syntax{2, 1, 1};

enum class Mode { x410_1984 = 0, normal = 1 };

struct ContextDefinition {  // Context-list item
  std::int64_t id = 0;
  Oid abstract_syntax;
  std::vector<Oid> transfer_syntaxes;
};

namespace result {
inline constexpr std::int64_t acceptance = 0, user_rejection = 1, provider_rejection = 2;
}
namespace provider_reason {  // Result-list item provider-reason
inline constexpr std::int64_t not_specified = 0, abstract_syntax_not_supported = 1,
                              transfer_syntaxes_not_supported = 2, local_limit_on_dcs = 3;
}

struct ContextResult {  // Result-list item
  std::int64_t result = result::acceptance;
  std::optional<Oid> transfer_syntax;
  std::optional<std::int64_t> provider_reason;
};

// PDV-list; the value is the encoding of one value of the context's abstract syntax.
struct Pdv {
  enum class Encoding { single_asn1_type, octet_aligned, arbitrary };
  std::optional<Oid> transfer_syntax;
  std::int64_t context_id = 0;
  Encoding encoding = Encoding::single_asn1_type;
  ByteView view;  // single-ASN1-type: the value's TLV; octet-aligned primitive: its octets
  Bytes owned;    // octet-aligned constructed, or arbitrary: a copy
  ByteView value() const { return owned.empty() ? view : ByteView(owned); }
};

// User-data: fully-encoded-data only (simply-encoded is refused: P1 never uses it).
struct UserData {
  std::vector<Pdv> pdvs;
};

struct ConnectPpdu {  // CP-type
  Mode mode = Mode::normal;
  ByteView x410_parameters;                   // x410 mode: contents of [1], the RTORQ components
  std::optional<ber::BitString> protocol_version;
  std::optional<Bytes> calling_selector, called_selector;
  std::vector<ContextDefinition> contexts;
  std::optional<std::pair<Oid, Oid>> default_context;  // abstract, transfer syntax
  std::optional<ber::BitString> presentation_requirements;
  std::optional<ber::BitString> user_session_requirements;
  std::optional<UserData> user_data;
};

struct AcceptPpdu {  // CPA-PPDU
  Mode mode = Mode::normal;
  ByteView x410_parameters;                   // x410 mode: contents of [1], the RTOAC components
  std::optional<ber::BitString> protocol_version;
  std::optional<Bytes> responding_selector;
  std::vector<ContextResult> results;
  std::optional<ber::BitString> presentation_requirements;
  std::optional<ber::BitString> user_session_requirements;
  std::optional<UserData> user_data;
};

namespace cpr_reason {  // Provider-reason of a CPR-PPDU
inline constexpr std::int64_t not_specified = 0, temporary_congestion = 1, local_limit_exceeded = 2,
                              called_address_unknown = 3, version_not_supported = 4,
                              default_context_not_supported = 5, user_data_not_readable = 6, no_psap = 7;
}

struct RefusePpdu {  // CPR-PPDU
  Mode mode = Mode::normal;
  ByteView x410_parameters;                   // x410 mode: the RTORJ components
  std::optional<ber::BitString> protocol_version;
  std::optional<Bytes> responding_selector;
  std::vector<ContextResult> results;
  std::optional<std::int64_t> default_context_result;
  std::optional<std::int64_t> provider_reason;
  std::optional<UserData> user_data;
};

namespace abort_reason {  // ARP-PPDU Abort-reason
inline constexpr std::int64_t not_specified = 0, unrecognized_ppdu = 1, unexpected_ppdu = 2,
                              unexpected_session_primitive = 3, unrecognized_parameter = 4,
                              unexpected_parameter = 5, invalid_parameter_value = 6;
}

struct AbortPpdu {  // Abort-type: ARU-PPDU or ARP-PPDU
  bool provider = false;                      // ARP
  Mode mode = Mode::normal;                   // ARU only
  ByteView x410_parameters;                   // ARU x410 mode: the RTAB components
  std::vector<std::pair<std::int64_t, Oid>> context_identifiers;  // ARU normal
  std::optional<UserData> user_data;          // ARU normal
  std::optional<std::int64_t> abort_reason;   // ARP
  std::optional<std::int64_t> event_identifier;  // ARP
};

Result<ConnectPpdu> decode_cp(ByteView b, const ber::Limits& limits);
Result<AcceptPpdu> decode_cpa(ByteView b, const ber::Limits& limits);
Result<RefusePpdu> decode_cpr(ByteView b, const ber::Limits& limits);
Result<AbortPpdu> decode_abort(ByteView b, const ber::Limits& limits);
Result<UserData> decode_user_data(ByteView b, const ber::Limits& limits);

Bytes encode(const ConnectPpdu& p);
Bytes encode(const AcceptPpdu& p);
Bytes encode(const RefusePpdu& p);
Bytes encode(const AbortPpdu& p);
Bytes encode(const UserData& u);
// Writes User-data ([APPLICATION 1] fully-encoded-data) into a larger encoding.
void write_user_data(ber::Writer& w, const UserData& u);
// One PDV, single-ASN1-type, the commonest user data.
UserData single_value(std::int64_t context_id, ByteView value);

}  // namespace mixer::p1::presentation
