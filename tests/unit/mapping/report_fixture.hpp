// tests/unit/mapping/report_fixture.hpp: the mapping context the report tests
// (report_to_dsn_test, dsn_to_x400_test) share: the gateway of the RFC 2156
// examples (/C=XX/ADMD= /PRMD=MIXER/O=Gateway/, gateway.example) with no
// tables, so O/R addresses map by §4.3.5's std-or or RFC-822 DDA rules.
#pragma once

#include <chrono>

#include "addressing/std_or.hpp"
#include "mapping/engine.hpp"

namespace mixer::mapping::test_support {

struct ReportFixture {
  addressing::MappingContext actx;
  conf::MappingConfig policy;
  Context ctx;
  explicit ReportFixture(std::chrono::sys_days today) {
    auto g = addressing::make_gateway_identity("/C=XX/ADMD= /PRMD=MIXER/O=Gateway/", "gateway.example",
                                               "mixer.gateway.example", "XX", " ", "MIXER");
    actx.gateway = *g;
    actx.tables = addressing::MappingTables::empty();
    ctx.addressing = &actx;
    ctx.policy = &policy;
    ctx.mta_name = "mixer.gateway.example";
    ctx.host_name = "mixer.gateway.example";
    ctx.clock.now = today;
  }
};

// The X.400 originator of the dsn_to_x400 tests (RFC 2156 §5.3.8.4's Kille, as an RFC 822
// address at the gateway), and the DSN's SMTP envelope to it: MAIL FROM:<>, one RCPT.
inline constexpr const char* kDsnOriginator = "\"/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\"@gateway.example";
inline SmtpEnvelope to_originator() {
  SmtpEnvelope e;
  e.recipients.push_back({kDsnOriginator, {}, std::nullopt});
  return e;
}

}  // namespace mixer::mapping::test_support
