// mapping/report_part.cpp: see the header.
#include "mapping/report_part.hpp"

#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"

namespace mixer::mapping {

namespace mime = bodyparts::mime;

std::optional<std::string_view> report_part(std::string_view content, std::string_view report_type,
                                            std::string_view part_type, std::string& why) {
  mime::Limits limits;
  auto top = mime::parse_entity(content, limits);
  if (!top) return why = "its header is over the limits", std::nullopt;
  const auto* ct = mime::find(top->fields, "Content-Type");
  // RFC 2045 §5.2: without a Content-Type, text/plain.
  const auto type = bodyparts::parse_content_type(ct ? std::string_view(ct->value) : "text/plain");
  if (type.type != "multipart/report") return why = "a " + type.type + ", not a multipart/report", std::nullopt;
  if (bodyparts::lower(type.parameter("report-type")) != report_type)
    return why = "report-type is not " + std::string(report_type), std::nullopt;
  const std::string boundary = type.parameter("boundary");
  if (boundary.empty()) return why = "a multipart/report without a boundary", std::nullopt;
  auto parts = mime::split_multipart(top->body, boundary, limits);
  for (auto octets : parts.parts) {
    auto part = mime::parse_entity(octets, limits);
    if (!part) continue;
    const auto* pct = mime::find(part->fields, "Content-Type");
    if (pct && bodyparts::parse_content_type(pct->value).type == part_type) {
      const auto* cte = mime::find(part->fields, "Content-Transfer-Encoding");
      if (cte && bodyparts::lower(cte->value) != "7bit" && bodyparts::lower(cte->value) != "8bit")
        return why = "its " + std::string(part_type) + " part is " + cte->value + " encoded (RFC 6522 \xC2\xA7" "3 wants 7bit)",
               std::nullopt;
      return part->body;
    }
  }
  return why = "no " + std::string(part_type) + " part", std::nullopt;
}

std::optional<std::string> returned_message_id(std::string_view content) {
  mime::Limits limits;
  auto top = mime::parse_entity(content, limits);
  if (!top) return std::nullopt;
  const auto* ct = mime::find(top->fields, "Content-Type");
  if (!ct) return std::nullopt;
  const auto type = bodyparts::parse_content_type(ct->value);
  const std::string boundary = type.parameter("boundary");
  if (type.type != "multipart/report" || boundary.empty()) return std::nullopt;
  for (auto octets : mime::split_multipart(top->body, boundary, limits).parts) {
    auto part = mime::parse_entity(octets, limits);
    if (!part) continue;
    const auto* pct = mime::find(part->fields, "Content-Type");
    const std::string t = pct ? bodyparts::parse_content_type(pct->value).type : "";
    if (t != "message/rfc822" && t != "text/rfc822-headers") continue;
    const auto* cte = mime::find(part->fields, "Content-Transfer-Encoding");
    if (cte && bodyparts::lower(cte->value) != "7bit" && bodyparts::lower(cte->value) != "8bit") return std::nullopt;
    auto inner = mime::parse_entity(part->body, limits);
    if (!inner) return std::nullopt;
    const auto* id = mime::find(inner->fields, "Message-ID");
    if (!id) return std::nullopt;
    std::string v = id->value;
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) v.pop_back();
    if (v.empty()) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

}  // namespace mixer::mapping
