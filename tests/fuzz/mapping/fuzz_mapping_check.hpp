// tests/fuzz/mapping/fuzz_mapping_check.hpp: what the two mapping fuzz
// targets share: a gateway Context built without I/O (the RFC 2156 example
// MCGAMs as text, the default limits of conf::MappingConfig), and the
// invariants of each direction's result. A conversion either refuses, with
// an SMTP code 4xx/5xx, an RFC 3463 status of that class and an X.411
// reason the codec can name, or produces output that parses again:
//   to_x400:     the MTS-APDU BER-encodes, decodes strictly (upper bounds),
//                re-encodes to the same octets, its IPM content decodes
//                strictly, it has a recipient, and every recipient index
//                names an SMTP recipient;
//   to_internet: imf::parse_message reads it with every line a field, no
//                line over 998 octets, no bare CR or LF, every field name
//                ftext, From: and Date: present (RFC 5322 §3.6), a
//                non-empty envelope originator and recipients.
// The p1 value types are used here only.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "addressing/mapping.hpp"
#include "imf/message.hpp"
#include "mapping/disposition_notification.hpp"
#include "mapping/engine.hpp"
#include "p1/ipms/ipms.hpp"
#include "p1/mts/common.hpp"
#include "p1/mts/mts.hpp"

namespace mixer::mapping::fuzz {

inline void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant failed: %s\n", what);
  __builtin_trap();
}

inline const Context& context() {
  static const addressing::MappingContext actx = [] {
    using namespace addressing;
    MappingContext c;
    auto t1 = MappingTable::parse(
        "AC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#\nWidget.COM#O$Widget.ADMD$BTT.C$TC#\nGMD.DE#O$@.PRMD$GMD.ADMD$DBP.C$DE#\n",
        "table1", TableKind::table1, TableScope::shared);
    auto t2 = MappingTable::parse(
        "PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#AC.UK#\nO$Widget.ADMD$BTT.C$TC#Widget.COM#\nO$@.PRMD$GMD.ADMD$DBP.C$DE#GMD.DE#\n",
        "table2", TableKind::table2, TableScope::shared);
    std::vector<MappingTable> v;
    v.push_back(std::move(std::get<MappingTable>(t1)));
    v.push_back(std::move(std::get<MappingTable>(t2)));
    c.tables = std::get<MappingTables::Ptr>(MappingTables::build(std::move(v)));
    c.gateway = make_gateway_identity("/C=XX/ADMD= /PRMD=MIXER/O=Gateway/", "gateway.example", "mixer.gateway.example",
                                      "XX", " ", "MIXER")
                    .value();
    return c;
  }();
  static const conf::MappingConfig policy = [] {
    conf::MappingConfig p;
    p.to_x400.restore_mts_identifier = true;  // reads X400-MTS-Identifier too
    p.to_x400.appendix_c = true;              // and the Appendix C fields
    return p;
  }();
  static const Context ctx = [] {
    Context c;
    c.addressing = &actx;
    c.policy = &policy;
    c.mta_name = "mixer.gateway.example";
    c.host_name = "mixer.gateway.example";
    c.clock.now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 3} + std::chrono::hours{10};
    return c;
  }();
  return ctx;
}

inline void check_refusal(const base::Refusal& r) {
  check(r.smtp_code >= 400 && r.smtp_code < 600, "a refusal's SMTP code is 4xx or 5xx");
  const auto& s = r.enhanced_status;
  check(s.size() >= 5 && s[0] == static_cast<char>('0' + r.smtp_code / 100) && s[1] == '.',
        "a refusal's RFC 3463 status has the SMTP code's class");
  std::size_t dots = 0;
  for (char c : s) {
    check((c >= '0' && c <= '9') || c == '.', "an RFC 3463 status is digits and dots");
    dots += c == '.';
  }
  check(dots == 2 && s.back() != '.' && s.find("..") == std::string::npos, "an RFC 3463 status is class.subject.detail");
  bool named = false;
  for (const auto& n : p1::mts::names::non_delivery_reason) named = named || n.value == r.x411_reason;
  check(named, "a refusal's X.411 reason is a NonDeliveryReasonCode");
  if (r.x411_diagnostic) {
    bool known = false;
    for (const auto& n : p1::mts::names::non_delivery_diagnostic) known = known || n.value == *r.x411_diagnostic;
    check(known, "a refusal's X.411 diagnostic is a NonDeliveryDiagnosticCode");
  }
  check(!r.text().empty(), "a refusal says why");
}

// The BER of to_x400's message, after checking it.
inline std::vector<std::uint8_t> check_x400(const X400Message& m, const SmtpEnvelope& env) {
  namespace mts = p1::mts;
  check(!m.message.envelope.per_recipient_fields.empty(), "an X.400 message has a recipient");
  check(m.recipient_index.size() == m.message.envelope.per_recipient_fields.size(), "one index per recipient");
  for (auto i : m.recipient_index) check(i < env.recipients.size(), "a recipient index names an SMTP recipient");
  for (const auto& r : m.refused) {
    check(r.index < env.recipients.size(), "a refused recipient index names an SMTP recipient");
    check_refusal(r.refusal);
  }
  const mts::MtsApdu apdu{m.message};
  auto encoded = mts::encode(apdu);
  if (!encoded) std::fprintf(stderr, "%s\n", encoded.error().what.c_str());
  check(static_cast<bool>(encoded), "the MTS-APDU encodes");
  auto ber = std::move(encoded).value();
  auto back = mts::decode<mts::MtsApdu>(ber);
  if (!back) std::fprintf(stderr, "%s\n", back.error().what.c_str());
  check(static_cast<bool>(back), "the MTS-APDU decodes strictly");
  auto again = mts::encode(*back);
  check(again && *again == ber, "the MTS-APDU re-encodes to the same octets");
  check(m.message.envelope.content_type.is_ipm(), "the content is an IPM");
  auto ipm = p1::ipms::decode<p1::ipms::InformationObject>(m.message.content);
  if (!ipm) std::fprintf(stderr, "%s\n", ipm.error().what.c_str());
  check(static_cast<bool>(ipm), "the IPM content decodes strictly");
  return ber;
}

inline void check_internet(const InternetMessage& m) {
  // Only an RFC 8098 MDN (an IPN, mapping.to_rfc822.ipn_format mdn) goes with MAIL FROM:<>
  // (RFC 3798 §3); its report part reads back with the gateway's own MDN reader. (A message
  // that merely looks like an MDN, one that did not read on its way into X.400, keeps its
  // originator.)
  if (m.envelope.mail_from.empty()) {
    const auto header_end = m.content.find("\r\n\r\n");
    const auto type = m.content.find("\r\nContent-Type: multipart/report; report-type=disposition-notification;");
    check(header_end != std::string::npos && type != std::string::npos && type < header_end,
          "the SMTP originator is empty only for an MDN");
    const auto mdn_part = m.content.find("\r\nContent-Type: message/disposition-notification\r\n\r\n", header_end);
    check(mdn_part != std::string::npos, "the MDN has its report part");
    const auto start = mdn_part + 52;
    const auto end = m.content.find("\r\n--mixer-mdn-", start);
    check(end != std::string::npos, "the MDN's report part ends at its boundary");
    DispositionNotificationError e;
    auto d = parse_disposition_notification(std::string_view(m.content).substr(start, end - start), {}, e);
    if (!d) std::fprintf(stderr, "%zu: %s\n", e.line, e.message.c_str());
    check(d.has_value(), "the MDN's message/disposition-notification part reads back (RFC 8098)");
    check(d->mdn_gateway.has_value(), "the MDN names its gateway (RFC 3798 \xC2\xA7" "8.1)");
  }
  check(!m.envelope.recipients.empty(), "there is an SMTP recipient");
  for (const auto& r : m.envelope.recipients) check(!r.address.empty(), "an SMTP recipient is not empty");
  check(m.recipient_index.size() == m.envelope.recipients.size(), "one index per SMTP recipient");
  for (const auto& r : m.refused) check_refusal(r.refusal);
  // Lines: CRLF only, at most 998 octets without it.
  std::size_t line = 0;
  for (std::size_t i = 0; i < m.content.size(); ++i) {
    const char c = m.content[i];
    if (c == '\r') {
      check(i + 1 < m.content.size() && m.content[i + 1] == '\n', "no bare CR");
      check(line <= 998, "no line over 998 octets");
      line = 0;
      ++i;
    } else {
      check(c != '\n', "no bare LF");
      ++line;
    }
  }
  check(line <= 998, "no line over 998 octets");
  imf::Limits limits;
  limits.max_fields = 1000000;
  limits.max_header_size = 64u << 20;
  auto parsed = imf::parse_message(m.content, limits);
  check(static_cast<bool>(parsed), "the message parses");
  check(parsed->separator, "the header ends with an empty line");
  bool from = false, date = false;
  for (const auto& f : parsed->fields) {
    check(f.is_field(), "every header line is a field");
    check(!f.name.empty(), "a field has a name");
    for (unsigned char c : f.name) check(imf::is_ftext(c), "a field name is ftext");
    check(!f.has(imf::bare_cr_lf) && !f.has(imf::wsp_before_colon), "a field is in current syntax");
    from = from || imf::iequals(f.name, "From");
    date = date || imf::iequals(f.name, "Date");
  }
  check(from && date, "From: and Date: are present (RFC 5322 §3.6)");
}

}  // namespace mixer::mapping::fuzz
