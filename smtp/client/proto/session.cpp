// smtp/client/proto/session.cpp: the client's state machine (see session.hpp).
#include "smtp/client/proto/session.hpp"

#include <algorithm>

#include "smtp/client/proto/commands.hpp"

namespace mixer::smtp::client {
namespace {

constexpr std::size_t kBodyPiecesLow = 16;   // refill the output below this many content pieces
constexpr std::size_t kBodyPiecesBatch = 64; // pieces produced per refill

int klass(const proto::Reply& r) { return r.code / 100; }

// A reply made up here for recipients when the server gave none usable.
proto::Reply made_up(Failure f, const std::string& text) {
  std::string status = "4.4.2";  // RFC 3463: bad connection
  switch (f) {
    case Failure::unexpected_reply:
    case Failure::malformed_reply:
    case Failure::reply_too_long:
    case Failure::rset_refused: status = "4.5.0"; break;  // other protocol status
    case Failure::tls_required: status = "4.7.4"; break;  // security features not supported
    case Failure::tls_injection: status = "4.7.0"; break;
    default: break;
  }
  return proto::Reply(451, status, text);
}

}  // namespace

std::string_view command_name(Command c) {
  switch (c) {
    case Command::greeting: return "greeting";
    case Command::ehlo: return "EHLO";
    case Command::helo: return "HELO";
    case Command::starttls: return "STARTTLS";
    case Command::mail: return "MAIL FROM";
    case Command::rcpt: return "RCPT TO";
    case Command::data: return "DATA";
    case Command::end_of_data: return "end of data";
    case Command::rset: return "RSET";
    case Command::quit: return "QUIT";
    case Command::vrfy: return "VRFY";
  }
  return "?";
}

int reply_timeout_seconds(Command c) {
  switch (c) {
    case Command::data: return 2 * 60;
    case Command::end_of_data: return 10 * 60;
    default: return 5 * 60;
  }
}

ClientSession::ClientSession(ClientSettings settings)
    : settings_(std::move(settings)), reader_(settings_.limits) {
  pending_.push_back(Command::greeting);
}

// ---- input ------------------------------------------------------------------

void ClientSession::on_input(std::string_view bytes) {
  seal();
  if (finished() || bytes.empty()) return;
  if (phase_ == Phase::tls_handshake) {
    fail(Failure::tls_injection, "server sent data after its 220 reply to STARTTLS, before the TLS handshake");
    return;
  }
  in_.append(bytes);
  process();
}

// Takes whole replies out of the input buffer and acts on each in turn.
void ClientSession::process() {
  std::size_t used = 0;
  while (!finished()) {
    auto ev = reader_.next(std::string_view(in_).substr(used));
    used += ev.consumed;
    if (ev.kind == ReplyReader::Kind::need_more) break;
    if (ev.kind == ReplyReader::Kind::error) {
      const bool size = ev.error == ReplyError::line_too_long || ev.error == ReplyError::too_many_lines ||
                        ev.error == ReplyError::too_big;
      fail(size ? Failure::reply_too_long : Failure::malformed_reply, describe(ev.error, settings_.limits),
           std::nullopt, ev.error);
      break;
    }
    on_reply(std::move(ev.reply));
    if (phase_ == Phase::tls_handshake && used < in_.size()) {
      if (!events_.empty() && events_.back().kind == Event::Kind::start_tls) events_.pop_back();  // no handshake
      fail(Failure::tls_injection, "server sent data after its 220 reply to STARTTLS, before the TLS handshake");
      break;
    }
  }
  if (finished()) in_.clear();
  else in_.erase(0, used);
}

void ClientSession::on_reply(proto::Reply r) {
  if (pending_.empty()) {
    if (r.code == 421) fail(Failure::service_closing, "server closing the connection: " + r.text(), r);
    else fail(Failure::unexpected_reply, "reply nobody asked for: " + r.text(), r);
    return;
  }
  const Command c = pending_.front();
  pending_.pop_front();
  // RFC 3463 codes are read whether or not the server advertised RFC 2034's
  // ENHANCEDSTATUSCODES (many that do not still send them, and Postfix's client
  // reads them too); only one of the reply's own class counts (split_enhanced_status).
  if (c != Command::ehlo && c != Command::helo) split_enhanced_status(r);
  if (c == Command::quit) {  // whatever the answer: done
    phase_ = Phase::closed;
    events_.push_back(Event{Event::Kind::closed, {}, {}});
    return;
  }
  if (r.code == 421) {  // RFC 5321 §3.8: the server is closing, whatever was asked
    pending_.push_front(c);
    fail(Failure::service_closing, "server closing the connection in reply to " + std::string(command_name(c)) +
                                       ": " + r.text(), r);
    return;
  }
  switch (c) {
    case Command::greeting: on_greeting(r); break;
    case Command::ehlo:
    case Command::helo: on_hello(c, r); break;
    case Command::starttls: on_starttls(r); break;
    case Command::mail: on_mail(r); break;
    case Command::rcpt: on_rcpt(r); break;
    case Command::data: on_data(r); break;
    case Command::end_of_data: on_end_of_data(r); break;
    case Command::rset: on_rset(r); break;
    case Command::vrfy: on_vrfy(r); break;
    case Command::quit: break;
  }
}

// An unexpected code for command `c`: the connection is out of step.
void ClientSession::unexpected(Command c, const proto::Reply& r) {
  pending_.push_front(c);
  fail(Failure::unexpected_reply, "unexpected reply to " + std::string(command_name(c)) + ": " + r.text(), r);
}

void ClientSession::on_greeting(const proto::Reply& r) {
  if (r.code == 220) {  // RFC 5321 §3.1
    phase_ = Phase::hello;
    send(Command::ehlo, "EHLO " + settings_.helo_name + "\r\n");
    return;
  }
  if (klass(r) == 4 || klass(r) == 5) {
    pending_.push_front(Command::greeting);
    fail(Failure::greeting_refused, "server refused the session in its greeting: " + r.text(), r);
    return;
  }
  return unexpected(Command::greeting, r);
}

void ClientSession::on_hello(Command c, const proto::Reply& r) {
  if (klass(r) == 2) {
    if (c == Command::ehlo) caps_ = parse_ehlo_reply(r);
    else caps_ = Capabilities{};
    after_hello();
    return;
  }
  if (c == Command::ehlo && klass(r) == 5) {  // RFC 5321 §3.2, §4.1.1.1: an SMTP-only server
    send(Command::helo, "HELO " + settings_.helo_name + "\r\n");
    return;
  }
  if (klass(r) == 4 || klass(r) == 5) {
    pending_.push_front(c);
    fail(Failure::helo_refused, std::string(command_name(c)) + " refused: " + r.text(), r);
    return;
  }
  return unexpected(c, r);
}

// After EHLO/HELO: STARTTLS if offered and wanted, else ready.
void ClientSession::after_hello() {
  if (!tls_active_ && settings_.tls != TlsPolicy::none && caps_.starttls) {
    phase_ = Phase::starttls;
    send(Command::starttls, "STARTTLS\r\n");
    return;
  }
  if (!tls_active_ && settings_.tls == TlsPolicy::required) {
    fail(Failure::tls_required, "TLS is required, but the server did not offer STARTTLS");
    return;
  }
  become_idle();
}

void ClientSession::on_starttls(const proto::Reply& r) {
  if (r.code == 220) {  // RFC 3207 §4: handshake now
    phase_ = Phase::tls_handshake;
    events_.push_back(Event{Event::Kind::start_tls, {}, {}});
    return;
  }
  if (klass(r) == 4 || klass(r) == 5) {
    if (settings_.tls == TlsPolicy::required) {
      pending_.push_front(Command::starttls);
      fail(Failure::tls_required, "TLS is required, but the server refused STARTTLS: " + r.text(), r);
    } else {
      become_idle();  // opportunistic: go on in clear, with what EHLO said
    }
    return;
  }
  return unexpected(Command::starttls, r);
}

void ClientSession::tls_started() {
  seal();
  if (phase_ != Phase::tls_handshake) return;
  tls_active_ = true;
  caps_ = Capabilities{};  // RFC 3207 §4.2: discard what was learnt in clear
  phase_ = Phase::hello;
  send(Command::ehlo, "EHLO " + settings_.helo_name + "\r\n");
}

void ClientSession::become_idle() {
  phase_ = Phase::idle;
  tx_.reset();
  events_.push_back(Event{Event::Kind::ready, {}, {}});
}

// ---- transactions -----------------------------------------------------------

StartResult ClientSession::start_message(const Message& m) {
  seal();
  StartResult res;
  auto refuse = [&](Refusal why, int code, std::string status, std::string text) {
    res.refusal = why;
    res.reply = proto::Reply(code, std::move(status), std::move(text));
    return res;
  };
  if (phase_ != Phase::idle) return refuse(Refusal::not_ready, 451, "4.3.0", "SMTP session not ready for a message");
  const auto& env = m.envelope;
  if (env.rcpts.empty()) return refuse(Refusal::no_recipients, 554, "5.5.1", "message without recipients");
  if (auto why = check_envelope(env); !why.empty()) return refuse(Refusal::bad_envelope, 554, "5.5.4", why);
  const bool utf8 = m.smtputf8 || needs_smtputf8(env);
  if (utf8 && !caps_.smtputf8)
    return refuse(Refusal::needs_smtputf8, 550, "5.6.7", "SMTPUTF8 is required, but was not offered by the server");
  if (m.verify_only) {  // RFC 5321 §4.1.1.6: one VRFY at a time (RFC 2920 §3.1: it ends a group)
    tx_.emplace();
    tx_->message = m;
    tx_->result.tag = m.tag;
    tx_->result.recipients.resize(env.rcpts.size());
    phase_ = Phase::transaction;
    tx_->next_rcpt = 1;
    send(Command::vrfy, "VRFY " + path_text(env.rcpts[0].forward_path) + "\r\n");
    return res;
  }
  const bool eight_bit = env.mail.body == proto::Body::eight_bit_mime;
  if (eight_bit && !caps_.eight_bit_mime)
    return refuse(Refusal::needs_8bitmime, 554, "5.6.3", "8-bit message, 8BITMIME not offered");
  const std::uint64_t size = env.mail.size ? *env.mail.size : content_size(m.content);
  if (caps_.size && caps_.max_size && size > caps_.max_size)
    return refuse(Refusal::too_big, 552, "5.3.4",
                  "message size " + std::to_string(size) + " exceeds the server's fixed maximum of " +
                      std::to_string(caps_.max_size) + " (RFC 1870)");

  tx_.emplace();
  tx_->message = m;
  tx_->result.tag = m.tag;
  tx_->result.recipients.resize(env.rcpts.size());
  tx_->result.dsn_passed_on = caps_.dsn;
  tx_->result.eight_bit = eight_bit;
  tx_->result.size = size;
  tx_->pipelined = caps_.pipelining && settings_.use_pipelining;
  phase_ = Phase::transaction;
  send(Command::mail, mail_command(env.mail, size, utf8, caps_));
  if (tx_->pipelined) {  // RFC 2920 §3.1: MAIL, RCPTs and DATA in one group
    for (const auto& r : env.rcpts) send(Command::rcpt, rcpt_command(r, caps_));
    tx_->next_rcpt = env.rcpts.size();
    send(Command::data, "DATA\r\n");
  }
  return res;
}

// Lock-step: the next RCPT, or DATA when a recipient was accepted, else RSET.
void ClientSession::send_next_lockstep() {
  const auto& rcpts = tx_->message.envelope.rcpts;
  if (tx_->next_rcpt < rcpts.size()) {
    send(Command::rcpt, rcpt_command(rcpts[tx_->next_rcpt++], caps_));
  } else if (accepted_count() > 0) {
    send(Command::data, "DATA\r\n");
  } else {
    send(Command::rset, "RSET\r\n");
  }
}

std::size_t ClientSession::accepted_count() const {
  if (!tx_) return 0;
  return std::count_if(tx_->result.recipients.begin(), tx_->result.recipients.end(),
                       [](const RecipientResult& r) { return r.status == RecipientStatus::accepted; });
}

// Sets a recipient's result from a server reply for command `stage`.
static void decide(RecipientResult& rr, const proto::Reply& r, Command stage) {
  rr.reply = r;
  rr.stage = stage;
  rr.from_server = true;
  rr.status = r.code / 100 == 2   ? (stage == Command::end_of_data ? RecipientStatus::delivered : RecipientStatus::accepted)
              : r.code / 100 == 4 ? RecipientStatus::deferred
                                  : RecipientStatus::failed;
}

void ClientSession::on_mail(const proto::Reply& r) {
  if (klass(r) == 2) {
    tx_->mail_accepted = true;
    if (!tx_->pipelined) send_next_lockstep();
    return;
  }
  if (klass(r) != 4 && klass(r) != 5) return unexpected(Command::mail, r);
  for (auto& rr : tx_->result.recipients) decide(rr, r, Command::mail);  // the sender refused: all of them
  if (!tx_->pipelined) finish_transaction();  // no transaction open: no RSET needed
}

void ClientSession::on_rcpt(const proto::Reply& r) {
  const std::size_t i = tx_->next_rcpt_reply++;
  if (i >= tx_->result.recipients.size()) return unexpected(Command::rcpt, r);
  if (klass(r) != 2 && klass(r) != 4 && klass(r) != 5) return unexpected(Command::rcpt, r);
  if (tx_->mail_accepted) decide(tx_->result.recipients[i], r, Command::rcpt);
  else if (klass(r) == 2) return unexpected(Command::rcpt, r);  // a recipient without a sender
  if (!tx_->pipelined) send_next_lockstep();
}

void ClientSession::on_data(const proto::Reply& r) {
  if (r.code == 354) {
    if (accepted_count() == 0) {
      // Pipelined and no recipient accepted, yet the server wants the
      // content (RFC 2920 §3.1 makes the client check every reply): send
      // none, only the end of data; its reply concerns nobody.
      send(Command::end_of_data, ".\r\n");
      return;
    }
    tx_->body_started = true;
    tx_->writer.emplace(std::span<const std::string_view>(tx_->message.content));
    pending_.push_back(Command::end_of_data);
    refill_body();
    return;
  }
  if (klass(r) != 4 && klass(r) != 5) return unexpected(Command::data, r);
  for (auto& rr : tx_->result.recipients)
    if (rr.status == RecipientStatus::accepted) decide(rr, r, Command::data);
  if (tx_->mail_accepted) send(Command::rset, "RSET\r\n");  // the server still holds MAIL and RCPTs
  else finish_transaction();
}

void ClientSession::on_end_of_data(const proto::Reply& r) {
  if (tx_->writer && !tx_->writer->done()) {
    // A reply before the final "." was even handed out: the server gave up
    // on the message; the rest of the content cannot be sent in step.
    if (klass(r) == 4 || klass(r) == 5)
      for (auto& rr : tx_->result.recipients)
        if (rr.status == RecipientStatus::accepted) decide(rr, r, Command::end_of_data);
    pending_.push_front(Command::end_of_data);
    fail(Failure::unexpected_reply, "server replied before the end of the message data: " + r.text(), r);
    return;
  }
  if (klass(r) != 2 && klass(r) != 4 && klass(r) != 5) return unexpected(Command::end_of_data, r);
  const bool content_out = std::none_of(out_.begin(), out_.end(), [](const Piece& p) { return p.content; });
  if (!content_out) {  // keep the content's views valid until wrote() says they were sent
    tx_->final_reply = r;
    return;
  }
  apply_final_reply(r);
}

// RFC 5321 §4.1.1.4, §4.2.5: the reply to "." is for every accepted recipient.
void ClientSession::apply_final_reply(const proto::Reply& r) {
  for (auto& rr : tx_->result.recipients)
    if (rr.status == RecipientStatus::accepted) decide(rr, r, Command::end_of_data);
  finish_transaction();
}

void ClientSession::on_rset(const proto::Reply& r) {
  if (klass(r) == 2) {
    finish_transaction();
    return;
  }
  pending_.push_front(Command::rset);
  fail(Failure::rset_refused, "RSET refused: " + r.text(), r);
}

// RFC 5321 §3.5.3: 250/251 verified, 252 "cannot VRFY user, but will accept
// message"; 500/502/504 the command is not there: the server says nothing of the
// address, which stands as routed (delivered, the reply saying why).
void ClientSession::on_vrfy(const proto::Reply& r) {
  const std::size_t i = tx_->next_rcpt_reply++;
  if (i >= tx_->result.recipients.size()) return unexpected(Command::vrfy, r);
  if (klass(r) != 2 && klass(r) != 4 && klass(r) != 5) return unexpected(Command::vrfy, r);
  auto& rr = tx_->result.recipients[i];
  rr.reply = r;
  rr.stage = Command::vrfy;
  rr.from_server = true;
  const bool no_vrfy = r.code == 500 || r.code == 502 || r.code == 504;
  rr.status = klass(r) == 2 || no_vrfy ? RecipientStatus::delivered
              : klass(r) == 4          ? RecipientStatus::deferred
                                       : RecipientStatus::failed;
  const auto& rcpts = tx_->message.envelope.rcpts;
  if (tx_->next_rcpt < rcpts.size()) {
    send(Command::vrfy, "VRFY " + path_text(rcpts[tx_->next_rcpt++].forward_path) + "\r\n");
    return;
  }
  finish_transaction();  // VRFY opens no transaction: nothing to reset
}

void ClientSession::finish_transaction() {
  auto& result = tx_->result;
  const auto& rcpts = tx_->message.envelope.rcpts;
  for (std::size_t i = 0; i < result.recipients.size(); ++i) {
    auto& rr = result.recipients[i];
    // RFC 3461 §5.2.2 (b): relayed to a server without DSN, SUCCESS asked.
    rr.relayed_dsn_due = !tx_->message.verify_only && !caps_.dsn && rr.status == RecipientStatus::delivered && rcpts[i].notify.present &&
                         rcpts[i].notify.success;
  }
  Event ev;
  ev.kind = Event::Kind::message_done;
  ev.result = std::move(result);
  events_.push_back(std::move(ev));
  become_idle();
}

bool ClientSession::quit() {
  seal();
  if (phase_ != Phase::idle) return false;
  phase_ = Phase::quitting;
  send(Command::quit, "QUIT\r\n");
  return true;
}

// ---- the end of the connection ----------------------------------------------

// The connection ends (closed or timed out): the normal end after QUIT, else a failure
// naming the reply that was awaited.
void ClientSession::connection_ended(Failure why, std::string text, const char* awaiting) {
  seal();
  if (finished()) return;
  if (phase_ == Phase::quitting) {
    phase_ = Phase::closed;
    events_.push_back(Event{Event::Kind::closed, {}, {}});
    return;
  }
  if (!pending_.empty()) text += awaiting + std::string(command_name(pending_.front()));
  fail(why, text);
}

void ClientSession::on_closed() {
  connection_ended(Failure::server_closed, "connection closed by the server", " while waiting for the reply to ");
}

void ClientSession::on_timeout() { connection_ended(Failure::timed_out, "timed out", " waiting for the reply to "); }

// Ends the connection: the message in progress gets its results (what is
// still open is deferred), then the `failed` event. When the dialogue is
// still in step, QUIT is queued for politeness.
void ClientSession::fail(Failure f, std::string text, std::optional<proto::Reply> server_reply, ReplyError re) {
  ConnectionError err;
  err.failure = f;
  if (!pending_.empty()) err.during = pending_.front();
  err.reply_error = re;
  if (tx_ && tx_->body_started && err.during == Command::end_of_data && !server_reply)
    text += " after the message data was sent: it may have been delivered (RFC 1047)";
  err.text = text;
  if (server_reply) {
    err.reply = *server_reply;
    err.from_server = true;
  } else {
    err.reply = made_up(f, text);
  }
  if (tx_) {
    const bool server_transient = server_reply && klass(*server_reply) == 4;
    for (auto& rr : tx_->result.recipients) {
      if (rr.status != RecipientStatus::pending && rr.status != RecipientStatus::accepted) continue;
      rr.status = RecipientStatus::deferred;
      rr.stage = err.during.value_or(Command::quit);
      rr.reply = server_transient ? *server_reply : made_up(f, text);
      rr.from_server = server_transient;
    }
    Event done;
    done.kind = Event::Kind::message_done;
    done.result = std::move(tx_->result);
    events_.push_back(std::move(done));
    tx_.reset();
  }
  const bool in_step = f == Failure::greeting_refused || f == Failure::helo_refused || f == Failure::tls_required;
  out_.clear();
  if (in_step) {
    Piece& p = out_.emplace_back();
    p.view = "QUIT\r\n";
  }
  pending_.clear();
  phase_ = Phase::failed;
  // A `ready` not yet taken is no longer true: drop it.
  std::erase_if(events_, [](const Event& e) { return e.kind == Event::Kind::ready; });
  Event ev;
  ev.kind = Event::Kind::failed;
  ev.error = std::move(err);
  events_.push_back(std::move(ev));
}

std::optional<Event> ClientSession::next_event() {
  if (events_.empty()) return std::nullopt;
  Event ev = std::move(events_.front());
  events_.pop_front();
  return ev;
}

std::optional<Command> ClientSession::awaiting() const {
  if (pending_.empty() || finished()) return std::nullopt;
  return pending_.front();
}

// ---- output -----------------------------------------------------------------

void ClientSession::send(Command c, std::string line) {
  pending_.push_back(c);
  // Commands of one pipelined group go out in one piece (one write).
  if (!out_.empty() && !out_.back().sealed && !out_.back().content && !out_.back().owned.empty()) {
    Piece& p = out_.back();
    p.owned += line;
    p.view = p.owned;
    return;
  }
  Piece& p = out_.emplace_back();
  p.owned = std::move(line);
  p.view = p.owned;
}

// Output from an earlier call may be in the caller's hands (a write in
// flight): later commands go into a new piece.
void ClientSession::seal() {
  if (!out_.empty()) out_.back().sealed = true;
}

void ClientSession::refill_body() {
  if (!tx_ || !tx_->writer || tx_->writer->done()) return;
  std::size_t queued = std::count_if(out_.begin(), out_.end(), [](const Piece& p) { return p.content; });
  if (queued >= kBodyPiecesLow) return;
  body_scratch_.clear();
  tx_->writer->produce(body_scratch_, kBodyPiecesBatch);
  for (auto v : body_scratch_) {
    Piece& p = out_.emplace_back();
    p.view = v;
    p.content = true;
  }
}

std::string_view ClientSession::output() const { return out_.empty() ? std::string_view() : out_.front().view; }

std::size_t ClientSession::output_pieces(std::span<std::string_view> out) const {
  std::size_t n = 0;
  for (auto it = out_.begin(); it != out_.end() && n < out.size(); ++it) out[n++] = it->view;
  return n;
}

void ClientSession::wrote(std::size_t n) {
  seal();
  while (n > 0 && !out_.empty()) {
    Piece& p = out_.front();
    if (n < p.view.size()) {
      p.view.remove_prefix(n);
      break;
    }
    n -= p.view.size();
    out_.pop_front();
  }
  refill_body();
  if (tx_ && tx_->final_reply && std::none_of(out_.begin(), out_.end(), [](const Piece& p) { return p.content; })) {
    proto::Reply r = std::move(*tx_->final_reply);
    tx_->final_reply.reset();
    apply_final_reply(r);
  }
}

}  // namespace mixer::smtp::client
