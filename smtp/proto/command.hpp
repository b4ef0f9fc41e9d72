// smtp/proto/command.hpp: SMTP command lines (RFC 5321 §4.1.1) and the
// MAIL/RCPT parameters of the extensions we offer (RFC 1870 SIZE, RFC 6152
// 8BITMIME, RFC 3461 DSN). Input is one line without its CRLF, untrusted.
// A parse either yields a complete value or the exact reply to refuse it.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "smtp/proto/envelope.hpp"
#include "smtp/proto/reply.hpp"

namespace mixer::smtp::proto {

enum class Verb {
  helo, ehlo, mail, rcpt, data, rset, noop, quit, vrfy, expn, help, starttls,
  bdat, auth, etrn, unknown,
};

struct Command {
  Verb verb = Verb::unknown;
  std::string_view name;  // the verb as sent
  std::string_view args;  // everything after the verb and one space
};

Command parse_command(std::string_view line);

// What the server offers, which decides which parameters are accepted.
struct Extensions {
  std::uint64_t max_message_size = 0;  // SIZE; 0 = no limit advertised
  bool eight_bit_mime = true;
  bool dsn = true;
  bool smtputf8 = false;
};

// RFC 3461 §4.4, §4.2 length limits.
constexpr std::size_t kMaxEnvidLength = 100;
constexpr std::size_t kMaxOrcptLength = 500;

// "FROM:<path> [params]" -> MailFrom, or the refusal.
std::variant<MailFrom, Reply> parse_mail_args(std::string_view args, const Extensions& ext);

// "TO:<path> [params]" -> RcptTo, or the refusal.
std::variant<RcptTo, Reply> parse_rcpt_args(std::string_view args, const Extensions& ext);

}  // namespace mixer::smtp::proto
