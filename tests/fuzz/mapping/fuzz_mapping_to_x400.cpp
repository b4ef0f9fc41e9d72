// tests/fuzz/mapping/fuzz_mapping_to_x400.cpp: arbitrary octets as the RFC
// 5322 content of an SMTP transaction through mapping::to_x400 (RFC 2156
// §5.1), with the limits of conf::MappingConfig. The result is refused
// with codes of one class, or is an MTS-APDU that encodes and decodes
// strictly (fuzz_mapping_check.hpp); that MTS-APDU then goes back through
// to_internet, whose result must hold the Internet invariants. The first
// octet's low bits choose the envelope: a 1984 next hop (Appendix B), one
// that takes BP14 (RFC 2157 §3.1), the null reverse path, DSN parameters.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/mapping/fuzz_mapping_check.hpp"

using namespace mixer::mapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Context& ctx = fuzz::context();
  const unsigned choice = size ? data[0] : 0;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  SmtpEnvelope env;
  env.mail_from = choice & 1 ? "" : "jane@example.org";
  env.recipients.push_back(SmtpRecipient{"S.Kille@cs.ucl.ac.uk", {}, std::nullopt});
  env.recipients.push_back(SmtpRecipient{"fred@Widget.COM", choice & 2 ? std::vector<std::string>{"SUCCESS", "FAILURE"}
                                                                       : std::vector<std::string>{},
                                         choice & 4 ? std::optional<std::string>("rfc822;other@example.org")
                                                    : std::nullopt});
  env.recipients.push_back(SmtpRecipient{"user@example.net", {"NEVER"}, std::nullopt});
  if (choice & 8) env.envid = "QQ314159";
  if (choice & 16) env.ret = "FULL";
  ToX400Options o;
  o.peer_mode = choice & 32 ? 1984 : 1988;
  o.bp14_1984 = (choice & 96) == 96;  // a 1984 peer with BP14 handling capability (RFC 2157 §3.1)
  o.local_identifier = "fuzz-local-id";
  auto r = to_x400(env, content, ctx, o);
  if (!r) {
    fuzz::check_refusal(r.error());
    return 0;
  }
  auto ber = fuzz::check_x400(*r, env);
  // And back: what the gateway made must convert to the Internet or be refused properly.
  auto back = to_internet(r->message, ctx);
  if (!back) fuzz::check_refusal(back.error());
  else fuzz::check_internet(*back);
  return 0;
}
