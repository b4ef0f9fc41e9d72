// tests/fuzz/mapping/fuzz_dsn_to_x400.cpp: arbitrary octets as a DSN to an
// X.400 originator (RFC 2156 §5.1.8: mapping::dsn_to_x400, with the §5.1.8.2
// extensions and a correlation that answers for one Message-ID). The result
// is refused with codes of one class (fuzz_mapping_check.hpp), or is a
// Report with at least one recipient that encodes, decodes strictly and maps
// back to a DSN (report_to_internet, §5.1.8.5) or is refused properly, and/or
// an IPM that passes the message checks.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "mapping/engine.hpp"
#include "p1/mts/mts.hpp"
#include "tests/fuzz/mapping/fuzz_mapping_check.hpp"

using namespace mixer::mapping;
namespace mts = mixer::p1::mts;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Context& ctx = fuzz::context();
  const unsigned choice = size ? data[0] : 0;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  SmtpEnvelope env;
  env.mail_from = "";
  env.recipients.push_back(SmtpRecipient{"S.Kille@cs.ucl.ac.uk", {}, std::nullopt});
  ToX400Options o;
  o.peer_mode = choice & 1 ? 1984 : 1988;
  o.local_identifier = "fuzz-dsn";
  DsnCorrelator correlate;
  if (choice & 2)
    correlate = [](const std::optional<std::string>&, const std::optional<std::string>& id) -> std::optional<DsnSubject> {
      if (!id || *id != "<x@y>") return std::nullopt;
      DsnSubject s;
      s.subject_identifier.local_identifier = "subject-1";
      return s;
    };
  auto r = dsn_to_x400(env, content, ctx, o, correlate);
  if (!r) {
    fuzz::check_refusal(r.error());
    return 0;
  }
  if (r->ipm) fuzz::check_x400(*r->ipm, env);
  if (!r->report) return 0;
  fuzz::check(!r->report->content.per_recipient_fields.empty(), "a report has recipients");
  auto ber = mts::encode_mts_apdu(mts::MtsApdu(*r->report));
  fuzz::check(bool(ber), "the report encodes");
  auto again = mts::decode_mts_apdu(mixer::p1::ber::ByteView(ber->data(), ber->size()));
  if (!again) std::fprintf(stderr, "strict decode: %s\n", again.error().what.c_str());
  fuzz::check(bool(again) && std::holds_alternative<mts::Report>(*again), "the report decodes strictly");
  auto back = report_to_internet(std::get<mts::Report>(*again), ctx);
  if (!back) fuzz::check_refusal(back.error());
  return 0;
}
