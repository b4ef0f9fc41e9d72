// conf/config_mapping.cpp: the schema of the mapping section (RFC 2156
// message mapping: limits and the per-direction choices the RFC leaves to a
// gateway; RFC 2157 body parts). Reads like the file; every key is checked with its line.
#include "conf/schema.hpp"

namespace mixer::conf {

void read_mapping(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c) {
  auto& m = c.mapping;
  auto word = [&](const std::vector<const char*>& words, const YAML::Node& v, const std::string& kk,
                  std::string& out) {
    int i = -1;
    r.choice(v, kk, words, i);
    if (i >= 0) out = words[static_cast<std::size_t>(i)];
  };
  r.map(n, k,
        {{"limits",
          [&](auto& v, auto& kk) {
            auto& l = m.limits;
            r.map(v, kk,
                  {{"max_header_size", [&](auto& vv, auto& kkk) { r.size(vv, kkk, l.max_header_size, 1024); }},
                   {"max_header_fields",
                    [&](auto& vv, auto& kkk) { r.count(vv, kkk, l.max_header_fields, 16, 1000000); }},
                   {"max_field_length", [&](auto& vv, auto& kkk) { r.size(vv, kkk, l.max_field_length, 998); }},
                   {"max_nesting", [&](auto& vv, auto& kkk) { r.count(vv, kkk, l.max_nesting, 1, 64); }},
                   {"max_recipients",
                    [&](auto& vv, auto& kkk) { r.count(vv, kkk, l.max_recipients, 1, 32767); }}});
          }},
         {"to_x400",
          [&](auto& v, auto& kk) {
            auto& p = m.to_x400;
            r.map(v, kk,
                  {{"mts_identifier",
                    [&](auto& vv, auto& kkk) { word({"generated", "message-id"}, vv, kkk, p.mts_identifier); }},
                   {"empty_bcc", [&](auto& vv, auto& kkk) { word({"empty", "free-form"}, vv, kkk, p.empty_bcc); }},
                   {"appendix_c", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.appendix_c); }},
                   {"restore_mts_identifier",
                    [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.restore_mts_identifier); }},
                   {"internal_trace", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.internal_trace); }},
                   {"max_conversions",
                    [&](auto& vv, auto& kkk) { r.count(vv, kkk, p.max_conversions, 1, 100); }}});
          }},
         {"body_parts",
          [&](auto& v, auto& kk) {  // RFC 2157 (bodyparts/)
            auto& p = m.body_parts;
            r.map(v, kk,
                  {{"octet_stream",
                    [&](auto& vv, auto& kkk) { word({"bilaterally-defined", "ftbp"}, vv, kkk, p.octet_stream); }},
                   {"unknown_mime", [&](auto& vv, auto& kkk) { word({"bp15", "ftbp"}, vv, kkk, p.unknown_mime); }},
                   {"bp14_content_passing", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.bp14_content_passing); }},
                   {"utf8_general_text", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.utf8_general_text); }},
                   {"user_control", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.user_control); }},
                   {"wanted_mime_conversions_oid",
                    [&](auto& vv, auto& kkk) {  // RFC 2157 §4.2: dotted, two arcs at least, first arc 0..2
                      r.string(vv, kkk, p.wanted_mime_conversions_oid);
                      const std::string& o = p.wanted_mime_conversions_oid;
                      bool ok = o.empty() || (o.size() <= 200 && o[0] >= '0' && o[0] <= '2' && o.find('.') != std::string::npos &&
                                              o.front() != '.' && o.back() != '.' && o.find("..") == std::string::npos &&
                                              o.find_first_not_of("0123456789.") == std::string::npos);
                      if (!ok) r.error(vv, kkk, "not an object identifier (dotted numbers, e.g. 1.3.6.1.4.1.99999.1)");
                    }},
                   {"max_parts", [&](auto& vv, auto& kkk) { r.count(vv, kkk, p.max_parts, 1, 100000); }},
                   {"max_part_header_size",
                    [&](auto& vv, auto& kkk) { r.size(vv, kkk, p.max_part_header_size, 1024); }},
                   {"max_part_size", [&](auto& vv, auto& kkk) { r.size(vv, kkk, p.max_part_size, 1024); }}});
          }},
         {"to_rfc822", [&](auto& v, auto& kk) {
            auto& p = m.to_rfc822;
            r.map(v, kk,
                  {{"refuse_dl_expansion_prohibited",
                    [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.refuse_dl_expansion_prohibited); }},
                   {"refuse_recipient_reassignment_prohibited",
                    [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.refuse_recipient_reassignment_prohibited); }},
                   {"auto_submitted", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.auto_submitted); }},
                   {"appendix_c_fields", [&](auto& vv, auto& kkk) { r.boolean(vv, kkk, p.appendix_c_fields); }},
                   {"ipn_format", [&](auto& vv, auto& kkk) { word({"mdn", "text"}, vv, kkk, p.ipn_format); }},
                   {"max_conversions",
                    [&](auto& vv, auto& kkk) { r.count(vv, kkk, p.max_conversions, 1, 100); }}});
          }}});
}

}  // namespace mixer::conf
