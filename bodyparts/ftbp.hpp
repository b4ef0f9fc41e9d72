// bodyparts/ftbp.hpp: the file transfer body part (X.420 FTBP, EMA MAWG
// profile) for RFC 2157 §6.4 (application/octet-stream <-> the EMA unknown
// attachment), §3.3 (application/x-ftbp.<oid> <-> an FTBP of another
// application reference) and §3.1.1 (any MIME content <-> the FTBP of
// id-mime-ftbp-data, its Content-Type in the extensions), with the §2.3
// parameters both ways: Content-Disposition filename (or Content-Type name,
// §6.4; RFC 2231 continuations and charsets) <-> pathname (§2.3.1
// GraphicString), creation-date / modification-date / read-date <-> the
// date-and-time attributes (GeneralizedTime), size <-> object-size,
// Content-Description <-> the first user-visible string, Content-ID <-> the
// related-stored-file's message-reference, and every other field <-> the
// rfc-822-field extension. Trusts nothing in the body part.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"

namespace mixer::bodyparts {

const p1::ber::Oid& ema_unknown_attachment();  // 2.16.840.1.113694.2.2.1.1 (§6.4)
const p1::ber::Oid& mime_ftbp_data();          // id-mime-ftbp-data 1.3.6.1.7.1.2.1.5 (§3.1.1)

// A MIME part's octets as an FTBP of `application` (§6.4, §3.3, §3.1.1), the parameters
// mapped; what could not be mapped is appended to `lost` (one sentence each).
p1::ipms::BodyPart ftbp_of(const p1::ber::Oid& application, const ContentType& ct,
                           const std::vector<mime::Field>& fields, std::string data, std::vector<std::string>& lost);

// The MIME part an FTBP is (§6.4 octet-stream, §3.3 x-ftbp.<oid>, §3.1.1 its own type), or
// nullopt when §3.3 says it cannot be (several data elements, contents not
// unstructured-binary, compression, no registered application reference, data not
// octet-aligned): x400-bp then.
std::optional<MimeEntity> mime_of_ftbp(const p1::ipms::FileTransferBodyPart& f, bool eight_bit,
                                       std::vector<std::string>& lost);

}  // namespace mixer::bodyparts
