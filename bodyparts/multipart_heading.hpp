// bodyparts/multipart_heading.hpp: RFC 2157 §6.6's nested IPM heading for a
// multipart: this-IPM, the subject by subtype, and the multipart-message
// heading extension (id-hex-multipart-message-v2, MultipartType ::=
// SEQUENCE { subtype IA5String, isAMessage BOOLEAN DEFAULT TRUE }) written
// and read as BER here (the IPMS codec keeps unknown extensions as their
// encoding). Trusts nothing in an encoding it reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "p1/ipms/types.hpp"

namespace mixer::bodyparts {

const p1::ber::Oid& id_hex_multipart_message_v2();  // 1.3.6.1.7.1.1.3
const p1::ber::Oid& id_hex_multipart_message();     // 1.3.6.1.7.1.1.2 (RFC 1495, obsolete)

struct MultipartType {
  std::string subtype;
  bool is_a_message = true;
};

// The heading of the IPM a multipart of `subtype` becomes (§6.6), its identifier `id`.
p1::ipms::Heading multipart_heading(std::string_view subtype, std::string id);

// The MultipartType a heading carries (v2 preferred over the RFC 1495 one), or nullopt.
std::optional<MultipartType> multipart_type(const p1::ipms::Heading& h);

}  // namespace mixer::bodyparts
