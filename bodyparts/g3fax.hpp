// bodyparts/g3fax.hpp: the g3-facsimile <-> image/g3fax row of RFC 2157's
// §5.3 and §5.4 tables. RFC 2157 cites [IMAGES] (RFC 2158) for it; the
// content type and the conversion are RFC 1494's (§6.2, §7.5), which RFC 2157
// replaced and which is the text on this machine: the G3FacsimileNonBasicParameters as
// page-length, page-width, encoding, resolution and DCS parameters, the
// number of pages as pages=, and each page's bit string ended by six
// byte-aligned EOLs. Trusts nothing in either side's values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/content_type.hpp"

namespace mixer::bodyparts {

// X.400 -> MIME (RFC 1494 §7.5): an image/g3fax part (fields and base64 body), or nullopt when
// the pages could not be split apart again (a page holding the six-EOL sequence itself): the
// caller encapsulates (§3.2). What is lost is appended to `lost`.
std::optional<MimeEntity> g3fax_mime(const p1::ipms::G3FacsimileBodyPart& g3, std::vector<std::string>& lost);

// MIME -> X.400 (RFC 1494 §7.5): the g3-facsimile body part of an image/g3fax part's
// parameters and decoded octets; parameters it cannot read are appended to `lost`.
p1::ipms::G3FacsimileBodyPart g3fax_body_part(const ContentType& ct, std::string_view octets,
                                              std::vector<std::string>& lost);

// X.411 EncodedInformationTypes g3-facsimile [1] G3FacsimileNonBasicParameters for the envelope:
// the union of the non-basic parameters of the body's g3-facsimile parts (forwarded IPMs' too,
// within 64 levels); nullopt when none has any.
std::optional<p1::ber::BitString> g3_non_basic_parameters(const std::vector<p1::ipms::BodyPart>& body);

}  // namespace mixer::bodyparts
