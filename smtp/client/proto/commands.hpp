// smtp/client/proto/commands.hpp: the command lines the client sends (RFC
// 5321 §4.1.1), with the MAIL and RCPT parameters of the extensions the
// server offered: SIZE (RFC 1870 §6), BODY (RFC 6152 §2), SMTPUTF8 (RFC
// 6531), RET and ENVID (RFC 3461 §4.3, §4.4), NOTIFY and ORCPT (RFC
// 3461 §4.1, §4.2). A parameter the server did not offer is never sent.
//
// Trusts its input to have passed check_envelope (no CR, LF or NUL, so no
// command can be smuggled into another), which the session makes sure of.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "smtp/client/proto/capabilities.hpp"
#include "smtp/proto/envelope.hpp"

namespace mixer::smtp::client {

// "<local@domain>", "<>" for the null path.
std::string path_text(const proto::Mailbox& m);

// "MAIL FROM:<a@b> SIZE=123 BODY=8BITMIME RET=HDRS ENVID=x\r\n"
std::string mail_command(const proto::MailFrom& mail, std::uint64_t size, bool smtputf8, const Capabilities& caps);

// "RCPT TO:<u@d> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@d\r\n"
std::string rcpt_command(const proto::RcptTo& rcpt, const Capabilities& caps);

// Empty when every value of the envelope can go on a command line; else
// what cannot (a CR, LF, NUL or space where none may be).
std::string check_envelope(const proto::Envelope& env);

// Whether an address of the envelope has an octet above 127 (RFC 6531).
bool needs_smtputf8(const proto::Envelope& env);

}  // namespace mixer::smtp::client
