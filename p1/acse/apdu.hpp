// p1/acse/apdu.hpp: X.227 ACSE APDUs (module ACSE-1, explicit tagging):
// AARQ, AARE, RLRQ, RLRE, ABRT, with AP titles and AE qualifiers kept as
// the encoding of their CHOICE (form 2, an OBJECT IDENTIFIER / INTEGER,
// has helpers), and user-information as EXTERNALs (RTSE APDUs for P1).
// Unknown extension components are skipped, as the "..." allows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "p1/ber/external.hpp"
#include "p1/result.hpp"

namespace mixer::p1::acse {

using ber::Bytes;
using ber::ByteView;
using ber::External;
using ber::Oid;

enum class Errc {
  malformed = 1,  // not the BER the ASN.1 calls for
  unknown_apdu,   // not one of AARQ, AARE, RLRQ, RLRE, ABRT
};
const char* to_string(Errc e);

using Error = p1::Error<Errc>;
template <class T>
using Result = p1::Result<T, Errc>;

// joint-iso-itu-t association-control(2) abstract-syntax(1) apdus(0) version1(1)
inline const Oid acse_abstract_syntax{2, 2, 1, 0, 1};

// AP-title / AE-qualifier: the encoding of the CHOICE value inside its tag.
struct Title {
  Bytes encoding;
  // AP-title-form2 / AE-title-form2 (an OBJECT IDENTIFIER).
  static Title from_oid(const Oid& o);
  // ASO-qualifier-form2 (an INTEGER).
  static Title from_integer(std::int64_t v);
  std::optional<Oid> oid() const;
  std::optional<std::int64_t> integer() const;
  bool operator==(const Title&) const = default;
};

struct Endpoint {  // the four identifiers of one side
  std::optional<Title> ap_title, ae_qualifier;
  std::optional<std::int64_t> ap_invocation, ae_invocation;
};

struct Aarq {
  std::optional<ber::BitString> protocol_version;  // absent: version1
  Oid context_name;
  Endpoint called, calling;
  std::optional<ber::BitString> acse_requirements;
  std::optional<Oid> mechanism_name;
  std::optional<Bytes> authentication_value;  // encoding of the Authentication-value CHOICE
  std::optional<std::string> implementation_information;
  std::vector<External> user_information;
};

namespace associate_result {
inline constexpr std::int64_t accepted = 0, rejected_permanent = 1, rejected_transient = 2;
}
// Associate-source-diagnostic: acse-service-user [1] or acse-service-provider [2].
enum class DiagnosticSource { service_user = 1, service_provider = 2 };
namespace user_diagnostic {
inline constexpr std::int64_t null = 0, no_reason_given = 1, context_name_not_supported = 2,
                              calling_ap_title_not_recognized = 3, calling_ae_qualifier_not_recognized = 5,
                              called_ap_title_not_recognized = 7, called_ae_qualifier_not_recognized = 9,
                              authentication_failure = 13, authentication_required = 14;
}

struct Aare {
  std::optional<ber::BitString> protocol_version;
  Oid context_name;
  std::int64_t result = associate_result::accepted;
  DiagnosticSource diagnostic_source = DiagnosticSource::service_user;
  std::int64_t diagnostic = user_diagnostic::null;
  Endpoint responding;
  std::optional<ber::BitString> acse_requirements;
  std::optional<Oid> mechanism_name;
  std::optional<Bytes> authentication_value;
  std::optional<std::string> implementation_information;
  std::vector<External> user_information;
};

namespace release_reason {
inline constexpr std::int64_t normal = 0, urgent = 1, not_finished = 1, user_defined = 30;
}

struct Rlrq {
  std::optional<std::int64_t> reason;
  std::vector<External> user_information;
};
struct Rlre {
  std::optional<std::int64_t> reason;
  std::vector<External> user_information;
};

namespace abort_source {
inline constexpr std::int64_t service_user = 0, service_provider = 1;
}
namespace abort_diagnostic {
inline constexpr std::int64_t no_reason_given = 1, protocol_error = 2, authentication_failure = 5;
}

struct Abrt {
  std::int64_t source = abort_source::service_user;
  std::optional<std::int64_t> diagnostic;
  std::vector<External> user_information;
};

using Apdu = std::variant<Aarq, Aare, Rlrq, Rlre, Abrt>;

// Decodes one ACSE APDU; EXTERNAL values are views of the input.
Result<Apdu> decode(ByteView b, const ber::Limits& limits);

Bytes encode(const Aarq& a);
Bytes encode(const Aare& a);
Bytes encode(const Rlrq& a);
Bytes encode(const Rlre& a);
Bytes encode(const Abrt& a);

}  // namespace mixer::p1::acse
