// smtp/client/proto/commands.cpp: command lines (see commands.hpp).
#include "smtp/client/proto/commands.hpp"

namespace mixer::smtp::client {
namespace {

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 32 || c == 127) return true;
  return false;
}

// ESMTP values (RFC 5321 §4.1.2 esmtp-value) have no space and no "=".
bool bad_value(std::string_view s) { return has_control(s) || s.find(' ') != std::string_view::npos; }

bool eight_bit(std::string_view s) {
  for (unsigned char c : s)
    if (c & 0x80) return true;
  return false;
}

}  // namespace

std::string path_text(const proto::Mailbox& m) { return "<" + m.text() + ">"; }

std::string mail_command(const proto::MailFrom& mail, std::uint64_t size, bool smtputf8, const Capabilities& caps) {
  std::string out = "MAIL FROM:" + path_text(mail.reverse_path);
  if (caps.size) out += " SIZE=" + std::to_string(size);
  if (caps.eight_bit_mime && mail.body == proto::Body::eight_bit_mime) out += " BODY=8BITMIME";
  if (caps.eight_bit_mime && mail.body == proto::Body::seven_bit) out += " BODY=7BIT";
  if (caps.smtputf8 && smtputf8) out += " SMTPUTF8";
  if (caps.dsn) {
    if (mail.ret == proto::Ret::full) out += " RET=FULL";
    if (mail.ret == proto::Ret::hdrs) out += " RET=HDRS";
    if (!mail.envid.empty()) out += " ENVID=" + mail.envid;
  }
  out += "\r\n";
  return out;
}

std::string rcpt_command(const proto::RcptTo& rcpt, const Capabilities& caps) {
  std::string out = "RCPT TO:" + path_text(rcpt.forward_path);
  if (caps.dsn) {
    if (rcpt.notify.present) out += " NOTIFY=" + rcpt.notify.text();
    if (!rcpt.orcpt.empty()) out += " ORCPT=" + rcpt.orcpt;
  }
  out += "\r\n";
  return out;
}

std::string check_envelope(const proto::Envelope& env) {
  auto path_bad = [](const proto::Mailbox& m) { return has_control(m.local) || has_control(m.domain); };
  if (path_bad(env.mail.reverse_path)) return "reverse-path holds a control character";
  if (bad_value(env.mail.envid)) return "ENVID holds a space or control character";
  for (const auto& r : env.rcpts) {
    if (r.forward_path.empty()) return "empty forward-path";
    if (path_bad(r.forward_path)) return "forward-path <" + r.forward_path.text() + "> holds a control character";
    if (bad_value(r.orcpt)) return "ORCPT of <" + r.forward_path.text() + "> holds a space or control character";
  }
  return {};
}

bool needs_smtputf8(const proto::Envelope& env) {
  auto box = [](const proto::Mailbox& m) { return eight_bit(m.local) || eight_bit(m.domain); };
  if (box(env.mail.reverse_path)) return true;
  for (const auto& r : env.rcpts)
    if (box(r.forward_path)) return true;
  return false;
}

}  // namespace mixer::smtp::client
