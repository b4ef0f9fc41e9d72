// smtp/proto/session.hpp: the server side of one SMTP session as an I/O-free
// state machine (RFC 5321 §4.1.4 command order). Each verb is split into a
// check (may refuse with an exact reply) and a proceed (changes state), in
// the manner of OpenSMTPD. The caller owns the socket: it feeds lines, sends
// the replies it gets back, and does what `Step::next` says.
//
// Trusts nothing in the lines; trusts the SessionPolicy for routing answers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "smtp/proto/command.hpp"
#include "smtp/proto/data_reader.hpp"
#include "smtp/proto/envelope.hpp"
#include "smtp/proto/lines.hpp"
#include "smtp/proto/reply.hpp"

namespace mixer::smtp::proto {

struct SessionSettings {
  std::string hostname;  // our name in the greeting and EHLO reply
  Extensions ext;        // SIZE, 8BITMIME, DSN, SMTPUTF8 as offered
  std::size_t max_recipients = 1000;
  std::size_t max_commands = 10000;
  std::size_t max_errors = 20;
  bool starttls_available = false;  // a certificate is configured
};

// The gateway's answers about senders and recipients (routing, queue space).
class SessionPolicy {
 public:
  virtual ~SessionPolicy() = default;
  virtual std::optional<Reply> check_sender(const MailFrom& mail) = 0;
  virtual std::optional<Reply> check_recipient(const MailFrom& mail, const RcptTo& rcpt) = 0;
};

enum class Next {
  read_command,  // send the reply, read the next command
  read_data,     // send 354, then read message content with a DataReader
  start_tls,     // send 220, then run the TLS handshake, then tls_started()
  close,         // send the reply, then close the connection
};

struct Step {
  Reply reply;
  Next next = Next::read_command;
  bool refused = false;  // a MAIL/RCPT/DATA refusal worth a log line
};

class ServerSession {
 public:
  ServerSession(SessionSettings settings, SessionPolicy& policy)
      : settings_(std::move(settings)), policy_(policy) {}

  Step greeting() const;
  Step on_line(std::string_view line);
  Step on_bad_line(CommandLineReader::Kind kind);
  void tls_started();  // RFC 3207 §4.2: forget everything learnt before TLS

  // End of DATA: refused by the reader, accepted into the queue, or failed.
  Step data_refused(const DataReader& reader);
  Step data_accepted(std::string_view queue_id);
  Step data_failed(Reply reply);
  // The deadline or the daemon's shutdown ended the session.
  Step timed_out() const;
  Step shutting_down() const;

  const Envelope& envelope() const { return envelope_; }
  const std::string& helo() const { return helo_; }
  bool esmtp() const { return esmtp_; }
  bool tls_active() const { return tls_active_; }
  bool in_data() const { return in_data_; }
  // RFC 3848 protocol name: SMTP, ESMTP, ESMTPS.
  std::string protocol() const;
  // Postfix-style per-verb counts for the disconnect log line.
  std::string counters() const;

 private:
  enum Counter { c_helo, c_ehlo, c_starttls, c_mail, c_rcpt, c_data, c_rset, c_noop, c_quit,
                 c_vrfy, c_other, c_count };
  Step dispatch(const Command& cmd);
  Step count(Counter c, Step s);
  Step refuse(Reply r, bool log = false);

  std::optional<Reply> check_helo(const Command& cmd) const;
  Step proceed_helo(const Command& cmd, bool extended);
  std::optional<Reply> check_mail(const Command& cmd) const;
  Step proceed_mail(MailFrom mail);
  std::optional<Reply> check_rcpt(const Command& cmd) const;
  Step proceed_rcpt(RcptTo rcpt);
  std::optional<Reply> check_data(const Command& cmd) const;
  Step proceed_data();
  std::optional<Reply> check_starttls(const Command& cmd) const;
  void reset_transaction();

  SessionSettings settings_;
  SessionPolicy& policy_;
  std::string helo_;
  bool esmtp_ = false;
  bool tls_active_ = false;
  bool in_mail_ = false;
  bool in_data_ = false;
  Envelope envelope_;
  std::size_t commands_ = 0, errors_ = 0;
  std::array<std::uint32_t, c_count> attempted_{}, accepted_{};
};

}  // namespace mixer::smtp::proto
