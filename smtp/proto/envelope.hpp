// smtp/proto/envelope.hpp: the SMTP envelope of one mail transaction as the
// server accepted it: reverse-path, forward-paths and their ESMTP parameters
// (RFC 1870 SIZE, RFC 6152 BODY, RFC 3461 DSN RET/ENVID/NOTIFY/ORCPT).
// Plain values; the parser in command.hpp fills them only with valid data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mixer::smtp::proto {

// A mailbox from an SMTP path (RFC 5321 §4.1.2). Empty for the null path <>.
struct Mailbox {
  std::string local;   // as written (a Quoted-string keeps its quotes)
  std::string domain;  // domain or address-literal, as written
  bool empty() const { return local.empty() && domain.empty(); }
  std::string text() const { return domain.empty() ? local : local + "@" + domain; }
};

enum class Body { unspecified, seven_bit, eight_bit_mime };
enum class Ret { unspecified, full, hdrs };

// RFC 3461 §4.1 NOTIFY: NEVER, or any of SUCCESS, FAILURE, DELAY.
struct Notify {
  bool present = false;
  bool never = false;
  bool success = false;
  bool failure = false;
  bool delay = false;
  std::string text() const;  // "SUCCESS,FAILURE" or "NEVER"; empty if absent
};

struct MailFrom {
  Mailbox reverse_path;
  std::optional<std::uint64_t> size;  // RFC 1870 declared size
  Body body = Body::unspecified;
  Ret ret = Ret::unspecified;
  std::string envid;  // RFC 3461 §4.4, still xtext-encoded as received
};

struct RcptTo {
  Mailbox forward_path;
  bool postmaster_only = false;  // RCPT TO:<Postmaster> without a domain (RFC 5321 §4.1.1.3)
  Notify notify;
  std::string orcpt;  // RFC 3461 §4.2 "addr-type;xtext", as received
};

struct Envelope {
  MailFrom mail;
  std::vector<RcptTo> rcpts;
};

}  // namespace mixer::smtp::proto
