// smtp/proto/session.cpp: per-verb check and proceed (see session.hpp).
#include "smtp/proto/session.hpp"

#include "smtp/proto/syntax.hpp"

namespace mixer::smtp::proto {
namespace {

// Printable ASCII only: commands are US-ASCII (RFC 5321 §2.4).
bool printable_ascii(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 32 || u > 126) return false;
  }
  return true;
}

Reply ok(std::string text) { return Reply(250, "2.0.0", std::move(text)); }

}  // namespace

Step ServerSession::greeting() const {
  // RFC 2034 §3: the greeting carries no enhanced code.
  return Step{Reply(220, "", settings_.hostname + " ESMTP mixer"), Next::read_command};
}

Step ServerSession::refuse(Reply r, bool log) {
  ++errors_;
  if (errors_ >= settings_.max_errors)
    return Step{Reply(421, "4.7.0", settings_.hostname + " Error: too many errors"), Next::close, log};
  return Step{std::move(r), Next::read_command, log};
}

Step ServerSession::count(Counter c, Step s) {
  ++attempted_[c];
  if (s.reply.positive()) ++accepted_[c];
  return s;
}

Step ServerSession::on_bad_line(CommandLineReader::Kind kind) {
  if (kind == CommandLineReader::Kind::too_long)
    return refuse(Reply(500, "5.5.2", "Error: line too long"));
  return refuse(Reply(500, "5.5.2", "Error: bare <LF> received; lines must end with <CR><LF>"));
}

Step ServerSession::on_line(std::string_view line) {
  if (++commands_ > settings_.max_commands)
    return Step{Reply(421, "4.7.0", settings_.hostname + " Error: too many commands"), Next::close};
  if (!printable_ascii(line)) return refuse(Reply(500, "5.5.2", "Error: invalid characters in command"));
  return dispatch(parse_command(line));
}

Step ServerSession::dispatch(const Command& cmd) {
  switch (cmd.verb) {
    case Verb::helo:
    case Verb::ehlo: {
      const bool ext = cmd.verb == Verb::ehlo;
      if (auto r = check_helo(cmd)) return count(ext ? c_ehlo : c_helo, refuse(*r));
      return count(ext ? c_ehlo : c_helo, proceed_helo(cmd, ext));
    }
    case Verb::starttls:
      if (auto r = check_starttls(cmd)) return count(c_starttls, refuse(*r));
      return count(c_starttls, Step{Reply(220, "2.0.0", "Ready to start TLS"), Next::start_tls});
    case Verb::mail: {
      if (auto r = check_mail(cmd)) return count(c_mail, refuse(*r, true));
      auto parsed = parse_mail_args(cmd.args, settings_.ext);
      if (auto* r = std::get_if<Reply>(&parsed)) return count(c_mail, refuse(*r, true));
      return count(c_mail, proceed_mail(std::get<MailFrom>(std::move(parsed))));
    }
    case Verb::rcpt: {
      if (auto r = check_rcpt(cmd)) {
        // Too many recipients is the client's normal signal to send the
        // rest in another transaction (RFC 5321 §4.5.3.1.10), not an error.
        if (r->code == 452) return count(c_rcpt, Step{*r, Next::read_command, true});
        return count(c_rcpt, refuse(*r, true));
      }
      auto parsed = parse_rcpt_args(cmd.args, settings_.ext);
      if (auto* r = std::get_if<Reply>(&parsed)) return count(c_rcpt, refuse(*r, true));
      return count(c_rcpt, proceed_rcpt(std::get<RcptTo>(std::move(parsed))));
    }
    case Verb::data:
      if (auto r = check_data(cmd)) return count(c_data, refuse(*r, true));
      return proceed_data();  // counted when the content is accepted or refused
    case Verb::rset:
      if (!cmd.args.empty()) return count(c_rset, refuse(Reply(501, "5.5.4", "Syntax: RSET")));
      reset_transaction();
      return count(c_rset, Step{ok("Ok")});
    case Verb::noop:
      return count(c_noop, Step{ok("Ok")});
    case Verb::quit:
      return count(c_quit, Step{Reply(221, "2.0.0", "Bye"), Next::close});
    case Verb::vrfy:
      if (cmd.args.empty()) return count(c_vrfy, refuse(Reply(501, "5.5.4", "Syntax: VRFY address")));
      // RFC 5321 §3.5.3: 252 when we will not verify but will accept.
      return count(c_vrfy, Step{Reply(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery")});
    case Verb::help:
      return count(c_other, Step{Reply(214, "2.0.0", "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY" +
                                                        std::string(settings_.starttls_available ? " STARTTLS" : ""))});
    case Verb::expn:
    case Verb::bdat:
    case Verb::auth:
    case Verb::etrn:
      return count(c_other, refuse(Reply(502, "5.5.1", "Error: command not implemented")));
    case Verb::unknown:
      break;
  }
  return count(c_other, refuse(Reply(500, "5.5.2", "Error: command not recognized")));
}

std::optional<Reply> ServerSession::check_helo(const Command& cmd) const {
  std::string_view arg = cmd.args;
  while (!arg.empty() && arg.back() == ' ') arg.remove_suffix(1);
  if (arg.empty() || arg.find(' ') != std::string_view::npos)
    return Reply(501, "5.5.4", std::string("Syntax: ") + (cmd.verb == Verb::ehlo ? "EHLO" : "HELO") + " hostname");
  if (arg.size() > 255) return Reply(501, "5.5.4", "Error: hostname too long");
  return std::nullopt;
}

Step ServerSession::proceed_helo(const Command& cmd, bool extended) {
  std::string_view arg = cmd.args;
  while (!arg.empty() && arg.back() == ' ') arg.remove_suffix(1);
  helo_ = std::string(arg);
  esmtp_ = extended;
  reset_transaction();  // RFC 5321 §4.1.4: HELO/EHLO mid-transaction acts as RSET
  // RFC 2034 §3: no enhanced code in the HELO/EHLO reply.
  Reply r(250, "", settings_.hostname);
  if (extended) {
    r.lines.push_back("PIPELINING");
    if (settings_.ext.max_message_size) r.lines.push_back("SIZE " + std::to_string(settings_.ext.max_message_size));
    r.lines.push_back("ENHANCEDSTATUSCODES");
    if (settings_.ext.eight_bit_mime) r.lines.push_back("8BITMIME");
    if (settings_.ext.dsn) r.lines.push_back("DSN");
    if (settings_.starttls_available && !tls_active_) r.lines.push_back("STARTTLS");
    if (settings_.ext.smtputf8) r.lines.push_back("SMTPUTF8");
  }
  return Step{std::move(r)};
}

std::optional<Reply> ServerSession::check_starttls(const Command& cmd) const {
  if (!settings_.starttls_available) return Reply(502, "5.5.1", "Error: command not implemented");
  if (tls_active_) return Reply(503, "5.5.1", "Error: TLS already active");
  if (!cmd.args.empty()) return Reply(501, "5.5.4", "Syntax: STARTTLS");
  return std::nullopt;
}

void ServerSession::tls_started() {
  tls_active_ = true;
  helo_.clear();
  esmtp_ = false;
  reset_transaction();
}

std::optional<Reply> ServerSession::check_mail(const Command& cmd) const {
  if (helo_.empty()) return Reply(503, "5.5.1", "Error: send HELO/EHLO first");
  if (in_mail_) return Reply(503, "5.5.1", "Error: nested MAIL command");
  return std::nullopt;
}

Step ServerSession::proceed_mail(MailFrom mail) {
  const bool has_params = mail.size || mail.body != Body::unspecified || mail.ret != Ret::unspecified ||
                          !mail.envid.empty();
  if (has_params && !esmtp_)  // parameters need EHLO (RFC 5321 §4.1.1.11)
    return refuse(Reply(555, "5.5.4", "MAIL parameters need EHLO"), true);
  if (auto r = policy_.check_sender(mail)) return refuse(*r, true);
  std::string shown = "<" + mail.reverse_path.text() + ">";
  envelope_.mail = std::move(mail);
  in_mail_ = true;
  return Step{Reply(250, "2.1.0", "Sender " + shown + " OK")};
}

std::optional<Reply> ServerSession::check_rcpt(const Command& cmd) const {
  if (!in_mail_) return Reply(503, "5.5.1", "Error: need MAIL command");
  if (envelope_.rcpts.size() >= settings_.max_recipients)
    return Reply(452, "4.5.3", "Error: too many recipients");  // RFC 5321 §4.5.3.1.10
  return std::nullopt;
}

Step ServerSession::proceed_rcpt(RcptTo rcpt) {
  if ((rcpt.notify.present || !rcpt.orcpt.empty()) && !esmtp_)
    return refuse(Reply(555, "5.5.4", "RCPT parameters need EHLO"), true);
  if (auto r = policy_.check_recipient(envelope_.mail, rcpt)) return refuse(*r, true);
  std::string shown = "<" + rcpt.forward_path.text() + ">";
  envelope_.rcpts.push_back(std::move(rcpt));
  return Step{Reply(250, "2.1.5", "Recipient " + shown + " OK")};
}

std::optional<Reply> ServerSession::check_data(const Command& cmd) const {
  if (!cmd.args.empty()) return Reply(501, "5.5.4", "Syntax: DATA");
  if (!in_mail_) return Reply(503, "5.5.1", "Error: need MAIL command");
  if (envelope_.rcpts.empty()) return Reply(554, "5.5.1", "Error: no valid recipients");
  return std::nullopt;
}

Step ServerSession::proceed_data() {
  in_data_ = true;
  // 354 is an intermediate reply: RFC 3463 has no class 3 code.
  return Step{Reply(354, "", "End data with <CR><LF>.<CR><LF>"), Next::read_data};
}

Step ServerSession::data_refused(const DataReader& reader) {
  reset_transaction();
  const std::string line = std::to_string(reader.defect_line());
  switch (reader.defect()) {
    case DataReader::Defect::too_big:
      return count(c_data, refuse(Reply(552, "5.3.4", "Message size exceeds fixed maximum message size"), true));
    case DataReader::Defect::bare_lf:
      return count(c_data, refuse(Reply(554, "5.5.2", "Message refused: bare <LF> in content at line " + line +
                                                          "; lines must end with <CR><LF> (RFC 5321 2.3.8)"), true));
    case DataReader::Defect::bare_cr:
      return count(c_data, refuse(Reply(554, "5.5.2", "Message refused: bare <CR> in content at line " + line +
                                                          "; lines must end with <CR><LF> (RFC 5321 2.3.8)"), true));
    case DataReader::Defect::none:
      break;
  }
  return count(c_data, refuse(Reply(451, "4.3.0", "Error: internal error"), true));
}

Step ServerSession::data_accepted(std::string_view queue_id) {
  reset_transaction();
  return count(c_data, Step{Reply(250, "2.0.0", "Ok: queued as " + std::string(queue_id))});
}

Step ServerSession::data_failed(Reply reply) {
  reset_transaction();
  return count(c_data, Step{std::move(reply), Next::read_command, true});
}

Step ServerSession::timed_out() const {
  return Step{Reply(421, "4.4.2", settings_.hostname + " Error: timeout exceeded"), Next::close};
}

Step ServerSession::shutting_down() const {
  return Step{Reply(421, "4.3.2", settings_.hostname + " Service shutting down, try again later"), Next::close};
}

void ServerSession::reset_transaction() {
  envelope_ = Envelope{};
  in_mail_ = false;
  in_data_ = false;
}

std::string ServerSession::protocol() const {
  if (!esmtp_) return tls_active_ ? "SMTPS" : "SMTP";
  return tls_active_ ? "ESMTPS" : "ESMTP";
}

std::string ServerSession::counters() const {
  static constexpr const char* names[c_count] = {"helo", "ehlo", "starttls", "mail", "rcpt", "data",
                                                 "rset", "noop", "quit", "vrfy", "unknown"};
  std::string out;
  std::uint32_t total_a = 0, total_ok = 0;
  for (int i = 0; i < c_count; ++i) {
    total_a += attempted_[i];
    total_ok += accepted_[i];
    if (!attempted_[i]) continue;
    if (!out.empty()) out += ' ';
    out += names[i];
    out += '=';
    out += std::to_string(accepted_[i]);
    if (accepted_[i] != attempted_[i]) out += "/" + std::to_string(attempted_[i]);
  }
  out += std::string(out.empty() ? "" : " ") + "commands=" + std::to_string(total_ok);
  if (total_ok != total_a) out += "/" + std::to_string(total_a);
  return out;
}

}  // namespace mixer::smtp::proto
