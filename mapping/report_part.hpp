// mapping/report_part.hpp: finds the machine-readable part of an RFC 6522
// multipart/report (a DSN's message/delivery-status, an MDN's
// message/disposition-notification) for the report mappings. Trusts
// nothing: each reason it is not there is said in words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mixer::mapping {

// The body of the `part_type` part of `content`, a multipart/report whose
// report-type is `report_type` (RFC 6522 §3: its second part, found here by
// its type; 7bit or 8bit only), or nullopt with `why`.
std::optional<std::string_view> report_part(std::string_view content, std::string_view report_type,
                                            std::string_view part_type, std::string& why);

// The Message-ID of the message a multipart/report returns (its
// message/rfc822 or text/rfc822-headers part, 7bit or 8bit), or nullopt.
// For correlating a report with what the gateway sent (RFC 2156 §5.1.8.3).
std::optional<std::string> returned_message_id(std::string_view content);

}  // namespace mixer::mapping
