// smtp/client/proto/session.hpp: the client side of one SMTP connection as an
// I/O-free state machine, the mirror of smtp/proto/session.hpp. The caller
// owns the socket (and TLS): it passes in what the server sent, writes out
// what output() holds, and acts on the events: start TLS, give the next
// message or quit, record each recipient's result, close.
//
// The dialogue (RFC 5321 §3.1-§3.3, §4.1.4): greeting; EHLO, or HELO when the
// server refuses EHLO with 5xx (§4.1.1.1, §3.2); STARTTLS when offered and
// wanted, then EHLO again with everything learnt before forgotten (RFC 3207
// §4.2); then any number of transactions on the same connection (MAIL, RCPT
// per recipient, DATA only when a recipient was accepted, else RSET), with
// PIPELINING when offered (RFC 2920 §3: MAIL, every RCPT and DATA in one
// batch, the replies matched in order) and lock-step otherwise; QUIT.
//
// Trusts nothing the server sends: every reply is checked against the
// limits and the command it answers, and anything out of place ends the
// connection with a precise error, never a crash or a hang. Trusts the
// caller's message (its envelope is checked only for what would break the
// command syntax) and that its content chunks stay valid until the
// message's `message_done` event.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtp/client/proto/capabilities.hpp"
#include "smtp/client/proto/data_writer.hpp"
#include "smtp/client/proto/reply_reader.hpp"
#include "smtp/proto/envelope.hpp"
#include "smtp/proto/reply.hpp"

namespace mixer::smtp::client {

enum class TlsPolicy {
  none,           // never send STARTTLS
  opportunistic,  // STARTTLS when offered; in clear when not offered or refused
  required,       // STARTTLS or nothing: fail the connection rather than send in clear
};

struct ClientSettings {
  std::string helo_name;  // our host name for EHLO/HELO
  TlsPolicy tls = TlsPolicy::opportunistic;
  bool use_pipelining = true;  // pipeline when the server offers it
  Limits limits;
};

// One message to send: the envelope as the gateway accepted or built it
// (smtp/proto/envelope.hpp; `mail.body` eight_bit_mime marks 8-bit content,
// which the caller knows from the conversion or from has_eight_bit();
// `mail.size`, when set, must be content_size() of this content, known from
// the queue, else it is computed here with one pass) and the content as it
// is to be read from the caller's storage, in any number of chunks, not
// dot-stuffed.
struct Message {
  proto::Envelope envelope;
  std::vector<std::string_view> content;
  bool smtputf8 = false;    // headers need RFC 6531 (also set by 8-bit addresses)
  std::uint64_t tag = 0;    // the caller's, returned in the results
  // No transaction: each recipient is asked about with VRFY (RFC 5321 §3.5.1,
  // §4.1.1.6), to answer an X.400 probe (RFC 2156 Appendix A §1); the content
  // and MAIL FROM are not used.
  bool verify_only = false;
};

// Why start_message did not start: the caller's to act on. For
// needs_8bitmime the caller sends the 7-bit form of the message instead.
enum class Refusal {
  none,
  not_ready,        // no `ready` event since the last message (or closed)
  no_recipients,
  bad_envelope,     // a value that cannot go on a command line
  needs_8bitmime,   // "8-bit message, 8BITMIME not offered" (RFC 6152 §3)
  needs_smtputf8,   // SMTPUTF8 not offered (RFC 6531)
  too_big,          // over the server's SIZE (RFC 1870)
};

struct StartResult {
  Refusal refusal = Refusal::none;
  proto::Reply reply;  // code, RFC 3463 status and text to record for the recipients
  bool ok() const { return refusal == Refusal::none; }
};

// The commands whose replies the client waits for (also for the caller's
// choice of timeout, RFC 5321 §4.5.3.2).
enum class Command { greeting, ehlo, helo, starttls, mail, rcpt, data, end_of_data, rset, quit, vrfy };
std::string_view command_name(Command c);
// RFC 5321 §4.5.3.2 minimum time to wait for the reply to `c`, in seconds
// (greeting, MAIL, RCPT 5 min; DATA 2 min; end of data 10 min; the others 5
// min). Writing each block of content has its own 3 min (§4.5.3.2.5).
int reply_timeout_seconds(Command c);
constexpr int kDataBlockTimeoutSeconds = 3 * 60;

// For a verify_only message (VRFY, RFC 5321 §3.5.3): delivered for 250, 251
// and 252 (it will accept the message), and for 500, 502 and 504 (the server
// cannot say: the address stands as routed); failed for another 5xx,
// deferred for a 4xx. `reply` says which.
enum class RecipientStatus {
  pending,    // no answer yet
  accepted,   // RCPT 2xx; waiting for the end of data
  delivered,  // the final reply was 2xx: the server took responsibility
  deferred,   // 4xx or a lost connection: try again later
  failed,     // 5xx: permanent for this recipient
};

struct RecipientResult {
  RecipientStatus status = RecipientStatus::pending;
  proto::Reply reply;          // the reply that decided it, enhanced status split off
  Command stage = Command::rcpt;  // the command that reply answered
  bool from_server = true;     // false: the reply was made up here (lost connection, bad reply)
  // RFC 3461 §5.2.2 (b): the server does not offer DSN, NOTIFY had SUCCESS
  // and the message was delivered: the gateway owes a "relayed" DSN.
  bool relayed_dsn_due = false;
};

struct MessageResult {
  std::uint64_t tag = 0;
  std::vector<RecipientResult> recipients;  // in envelope order
  bool dsn_passed_on = false;  // the server offered DSN and got our parameters
  bool eight_bit = false;      // sent with BODY=8BITMIME
  std::uint64_t size = 0;      // RFC 1870 size of the content
};

enum class Failure {
  none,
  greeting_refused,   // greeting not 220 (RFC 5321 §3.1: 554, or 4xx)
  helo_refused,       // EHLO 4xx, or HELO refused too
  tls_required,       // STARTTLS wanted and not offered or refused
  tls_injection,      // data after the 220 to STARTTLS, which would be taken as sent under TLS
                      // (the reply injection of CVE-2011-0411, client side)
  service_closing,    // a 421 (RFC 5321 §3.8)
  unexpected_reply,   // a code the command cannot have, or a reply nothing asked for
  malformed_reply,    // see `reply_error`
  reply_too_long,     // over a Limits value
  rset_refused,       // RSET not answered with 2xx: the connection is out of step
  server_closed,      // the server closed the connection before its reply
  timed_out,          // the caller's timer ran out
};

struct ConnectionError {
  Failure failure = Failure::none;
  std::optional<Command> during;  // the command whose reply was awaited
  proto::Reply reply;   // the server's reply where there is one; else one made up (code 4xx, RFC 3463 status)
  bool from_server = false;
  ReplyError reply_error = ReplyError::none;
  std::string text;     // one sentence for the log
};

struct Event {
  enum class Kind {
    ready,         // idle: give start_message() a message, or quit()
    start_tls,     // the 220 to STARTTLS came: handshake, then tls_started()
    message_done,  // `result` holds every recipient's outcome
    failed,        // `error`: write what output() holds, then close
    closed,        // QUIT answered (or the server closed after QUIT): close
  };
  Kind kind = Kind::ready;
  MessageResult result;
  ConnectionError error;
};

namespace detail {
struct Transaction {  // one message in progress (ClientSession's)
  Message message;
  MessageResult result;
  bool mail_accepted = false;
  bool pipelined = false;
  bool body_started = false;
  std::size_t next_rcpt = 0;      // next RCPT to send (lock-step)
  std::size_t next_rcpt_reply = 0;
  std::optional<DataWriter> writer;
  std::optional<proto::Reply> final_reply;  // the reply to "." that came before wrote() said the content was out
};
}  // namespace detail

class ClientSession {
 public:
  explicit ClientSession(ClientSettings settings);
  ClientSession(const ClientSession&) = delete;  // the output holds views of the session's own storage
  ClientSession& operator=(const ClientSession&) = delete;

  // What the server sent. Events and output may follow.
  void on_input(std::string_view bytes);
  // The server closed the connection (end of stream or reset).
  void on_closed();
  // The caller's timer for the awaited reply ran out.
  void on_timeout();
  // The TLS handshake after Event::start_tls succeeded: EHLO again.
  void tls_started();

  // Starts a transaction; only after Event::ready. The message's content
  // chunks must stay valid until its `message_done` event.
  StartResult start_message(const Message& message);
  // Ends the session with QUIT; only after Event::ready.
  bool quit();

  // The next event, if any.
  std::optional<Event> next_event();
  bool has_events() const { return !events_.empty(); }

  // Bytes to write, in order: the first piece, or empty.
  std::string_view output() const;
  // Up to out.size() pieces for a gathered write; returns how many.
  std::size_t output_pieces(std::span<std::string_view> out) const;
  // The caller wrote n octets from the front of the output.
  void wrote(std::size_t n);
  bool has_output() const { return !out_.empty(); }

  // The command whose reply is awaited, if any.
  std::optional<Command> awaiting() const;
  const Capabilities& capabilities() const { return caps_; }
  bool tls_active() const { return tls_active_; }
  bool finished() const { return phase_ == Phase::closed || phase_ == Phase::failed; }

 private:
  enum class Phase { greeting, hello, starttls, tls_handshake, idle, transaction, quitting, closed, failed };
  struct Piece {
    std::string owned;
    std::string_view view;
    bool content = false;  // a view of the message content (or a literal of the writer)
    bool sealed = false;   // handed out by an earlier call: never changed again
  };

  void process();
  void on_reply(proto::Reply reply);
  void on_greeting(const proto::Reply& r);
  void on_hello(Command c, const proto::Reply& r);
  void on_starttls(const proto::Reply& r);
  void on_mail(const proto::Reply& r);
  void on_rcpt(const proto::Reply& r);
  void on_data(const proto::Reply& r);
  void on_end_of_data(const proto::Reply& r);
  void on_rset(const proto::Reply& r);
  void on_vrfy(const proto::Reply& r);
  void apply_final_reply(const proto::Reply& r);
  void after_hello();
  void unexpected(Command c, const proto::Reply& r);
  void send(Command c, std::string line);
  void seal();
  void send_next_lockstep();
  void finish_transaction();
  void become_idle();
  void connection_ended(Failure why, std::string text, const char* awaiting);
  void fail(Failure f, std::string text, std::optional<proto::Reply> server_reply = std::nullopt,
            ReplyError re = ReplyError::none);
  void refill_body();
  std::size_t accepted_count() const;

  ClientSettings settings_;
  ReplyReader reader_;
  Phase phase_ = Phase::greeting;
  Capabilities caps_;
  bool tls_active_ = false;
  std::string in_;
  std::deque<Command> pending_;
  std::deque<Piece> out_;
  std::vector<std::string_view> body_scratch_;
  std::deque<Event> events_;
  std::optional<detail::Transaction> tx_;
};

}  // namespace mixer::smtp::client
