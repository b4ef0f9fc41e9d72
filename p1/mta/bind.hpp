// p1/mta/bind.hpp: MTA-bind (X.411 §12.1, MTAAbstractService, IMPLICIT TAGS):
//   MTABindArgument ::= CHOICE { unauthenticated NULL,
//     authenticated [1] SET { initiator-name [0] MTAName,
//                             initiator-credentials [1] Credentials,
//                             security-context [2] SecurityContext OPTIONAL } }
//   MTABindResult   ::= CHOICE { unauthenticated NULL, authenticated [1] SET {
//                             responder-name [0], responder-credentials [1] } }
//   mta-bind-error  ::= INTEGER { busy(0), authentication-error(2),
//                             unacceptable-dialogue-mode(3), unacceptable-security-context(4),
//                             inadequate-association-confidentiality(5) }
// In normal mode the RTSE open data is the ROS Bind{} CHOICE, so each value
// is wrapped in an explicit [16] (argument), [17] (result) or [18] (error);
// in X.410 mode the value is bare (P1-PRIMER §7.1, §8). Simple credentials
// only: the password is IA5String (Isode) or OCTET STRING (PP); strong and
// protected credentials and the security context are kept as encodings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"
#include "p1/result.hpp"

namespace mixer::p1::mta {

using ber::Bytes;
using ber::ByteView;
using ber::Oid;

// X.419 (MHSProtocolObjectIdentifiers) and MTSTransferProtocol.
inline const Oid id_ac_mts_transfer{2, 6, 0, 1, 6};
inline const Oid id_as_mta_rtse{2, 6, 0, 2, 12};
inline const Oid id_as_mtse{2, 6, 0, 2, 7};
inline constexpr std::int64_t mts_transfer_protocol = 12;       // X.410-mode RTORQ applicationProtocol
inline constexpr std::int64_t mts_transfer_protocol_1984 = 1;

enum class Errc {
  malformed = 1,   // not the BER the ASN.1 calls for
  bad_value,       // a name or password outside its bounds
};
const char* to_string(Errc e);

using Error = p1::Error<Errc>;
template <class T>
using Result = p1::Result<T, Errc>;

// Lenient bounds: X.411 says 1..32 (ub-mta-name-length) and 0..62
// (ub-password-length); real MTAs are allowed some slack.
inline constexpr std::size_t max_mta_name = 128;
inline constexpr std::size_t max_password = 255;

struct Password {
  bool octet_string = false;  // octet-string alternative (PP) rather than ia5-string (Isode)
  Bytes value;
  bool operator==(const Password&) const = default;
};

struct Credentials {
  enum class Kind { simple, strong, protected_password };
  Kind kind = Kind::simple;
  Password password;  // simple
  Bytes encoding;     // strong / protected: the whole alternative, for logs and refusal
};

struct BindArgument {  // MTABindArgument; also the MTABindResult shape
  bool authenticated = true;
  std::string name;                      // initiator-name / responder-name (IA5)
  Credentials credentials;
  std::optional<Bytes> security_context; // [2] encoding (argument only)
};
using BindResult = BindArgument;

enum class BindError : std::int64_t {
  busy = 0,
  authentication_error = 2,
  unacceptable_dialogue_mode = 3,
  unacceptable_security_context = 4,
  inadequate_association_confidentiality = 5,
};
const char* to_string(BindError e);

// What an RTSE open value holds (normal mode: tagged [16]/[17]/[18]).
struct BindApdu {
  enum class Kind { argument, result, error };
  Kind kind = Kind::argument;
  BindArgument value;                 // argument or result
  std::int64_t error = 0;             // error
};

// wrapped: the normal-mode ROS Bind{} tag around the value.
Result<BindApdu> decode_bind(ByteView b, const ber::Limits& limits, bool wrapped);
// X.410 mode: the bare value is an argument or a result by where it travels.
Result<BindArgument> decode_bind_value(ByteView b, const ber::Limits& limits);
Bytes encode_bind_argument(const BindArgument& a, bool wrapped);
Bytes encode_bind_result(const BindResult& r, bool wrapped);
Bytes encode_bind_error(BindError e, bool wrapped);

Password simple_password(std::string_view text, bool octet_string = false);

}  // namespace mixer::p1::mta
