// bodyparts/ftbp.hpp: the file transfer body part (X.420 FTBP, EMA MAWG
// profile) for RFC 2157 §6.4 (application/octet-stream <-> the EMA unknown
// attachment) and §3.3 (application/x-ftbp.<oid> <-> an FTBP of another
// application reference), with the §2.3 parameters this slice maps:
// Content-Disposition filename (or Content-Type name, §6.4) <-> pathname,
// Content-Description <-> the first user-visible string, the size <->
// object-size. Trusts nothing in the body part.
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

// A MIME part's octets as an FTBP of `application` (§6.4, §3.3), the parameters mapped; what
// could not be mapped is appended to `lost` (one sentence each).
p1::ipms::BodyPart ftbp_of(const p1::ber::Oid& application, const ContentType& ct,
                           const std::vector<mime::Field>& fields, std::string data, std::vector<std::string>& lost);

// The MIME part an FTBP is (§6.4 octet-stream, §3.3 x-ftbp.<oid>), or nullopt when §3.3 says
// it cannot be (several data elements, contents not unstructured-binary, compression, no
// registered application reference, data not octet-aligned): x400-bp then.
std::optional<MimeEntity> mime_of_ftbp(const p1::ipms::FileTransferBodyPart& f, std::vector<std::string>& lost);

}  // namespace mixer::bodyparts
