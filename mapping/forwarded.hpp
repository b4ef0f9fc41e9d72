// mapping/forwarded.hpp: RFC 2157 §6.5, message/rfc822 <-> ForwardedIPMessage:
// the callbacks the engine gives bodyparts/ (which does not depend on
// mapping/) so that a forwarded message's heading goes through the RFC 2156
// mapping recursively (§5.1.3 one way, §5.3.4 the other), its body through
// bodyparts again with the same options, one level deeper: the nesting limit
// (mapping.limits.max_nesting) and the parts limit hold across the recursion.
#pragma once

#include <string>
#include <vector>

#include "bodyparts/bodyparts.hpp"
#include "imf/message.hpp"
#include "mapping/engine.hpp"

namespace mixer::mapping {

// MIME -> X.400: a message/rfc822 part as a MessageBodyPart. `base` are the body's options
// (copied: the callback outlives the caller's frame only through bodyparts' call).
bodyparts::ForwardedToX400 forwarded_to_x400(const Context& ctx, const bodyparts::ToX400Options& base);
// X.400 -> MIME: a MessageBodyPart that is a message as RFC 5322 octets (7bit).
bodyparts::ForwardedToMime forwarded_to_mime(const Context& ctx, const bodyparts::ToMimeOptions& base);

// RFC 2157 §4.1: the values of a heading's Wanted-X400-Conversion fields, for
// bodyparts::ToX400Options::wanted_x400_conversion (none when user control is off). The
// fields themselves are carried in the rfc-822-field extension as every unmapped field.
std::vector<std::string> wanted_x400_conversion(const imf::Message& m, bool user_control);

// RFC 2157 §4.2: the wanted-MIME-conversions of a heading, for
// bodyparts::ToMimeOptions::wanted_mime_conversions: the extensions whose OID
// mapping.body_parts.wanted_mime_conversions_oid names (RFC 2157 assigns none), when user
// control is on; one that does not decode is a loss and is ignored.
std::vector<bodyparts::WantedMimeConversion> wanted_mime_conversions(const p1::ipms::Heading& h, const Context& ctx,
                                                                     std::vector<Loss>& losses);

// RFC 2157 §4.2: whether the gateway acts on this heading extension (user control on, the
// configured OID, a value that decodes): then it is not listed as discarded (§5.3.4).
bool honoured_wanted_mime_conversions(const p1::ipms::IpmsExtension& e, const Context& ctx);

}  // namespace mixer::mapping
