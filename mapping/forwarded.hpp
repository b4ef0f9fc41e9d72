// mapping/forwarded.hpp: RFC 2157 §6.5, message/rfc822 <-> ForwardedIPMessage:
// the callbacks the engine gives bodyparts/ (which does not depend on
// mapping/) so that a forwarded message's heading goes through the RFC 2156
// mapping recursively (§5.1.3 one way, §5.3.4 the other), its body through
// bodyparts again with the same options, one level deeper: the nesting limit
// (mapping.limits.max_nesting) and the parts limit hold across the recursion.
#pragma once

#include "bodyparts/bodyparts.hpp"
#include "mapping/engine.hpp"

namespace mixer::mapping {

// MIME -> X.400: a message/rfc822 part as a MessageBodyPart. `base` are the body's options
// (copied: the callback outlives the caller's frame only through bodyparts' call).
bodyparts::ForwardedToX400 forwarded_to_x400(const Context& ctx, const bodyparts::ToX400Options& base);
// X.400 -> MIME: a MessageBodyPart that is a message as RFC 5322 octets (7bit).
bodyparts::ForwardedToMime forwarded_to_mime(const Context& ctx, const bodyparts::ToMimeOptions& base);

}  // namespace mixer::mapping
