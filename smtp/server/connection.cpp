// smtp/server/connection.cpp: the session loop and its watchdog.
#include "smtp/server/connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstring>

namespace mixer::smtp::server {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;
using std::chrono::steady_clock;

namespace {
constexpr auto kGrace = std::chrono::seconds(5);  // to send the 421 after a deadline

// A command line made safe for a log line.
std::string printable(std::string_view s, std::size_t max = 120) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c >= 32 && c < 127) ? c : '?';
  if (s.size() > max) out += "...";
  return out;
}
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, Hooks& hooks, std::shared_ptr<const Settings> settings,
                       std::string peer)
    : transport_(std::move(socket)),
      hooks_(hooks),
      settings_(std::move(settings)),
      policy_(hooks.policy(peer)),
      session_(settings_->session, *policy_),
      lines_(settings_->max_line_length),
      peer_(std::move(peer)),
      in_(std::max<std::size_t>(65536, 2 * settings_->max_line_length + 2)),
      timer_(transport_.socket().get_executor()) {
  const auto now = steady_clock::now();
  session_end_ = now + settings_->session_timeout;
  deadline_ = std::min(now + settings_->idle_timeout, session_end_);
}

asio::awaitable<void> Connection::run() {
  hooks_.log(LogLevel::info, "connect from " + peer_);
  auto self = shared_from_this();
  asio::co_spawn(timer_.get_executor(), [self] { return self->watchdog(); }, asio::detached);
  co_await serve();
  closed_ = true;
  timer_.cancel();
  transport_.close();
  switch (ended_) {
    case Ended::timeout:
      hooks_.log(LogLevel::warning, "timeout after " + last_command_ + " from " + peer_);
      break;
    case Ended::error:
    case Ended::peer_closed:
      if (!last_command_.empty() && last_command_ != "QUIT")
        hooks_.log(LogLevel::info, "lost connection after " + last_command_ + " from " + peer_);
      break;
    default:
      break;
  }
  hooks_.log(LogLevel::info, "disconnect from " + peer_ + " " + session_.counters());
}

asio::awaitable<void> Connection::watchdog() {
  bool fired = false;
  while (!closed_) {
    timer_.expires_at(deadline_);
    co_await timer_.async_wait(as_tuple(use_awaitable));
    if (closed_) break;
    if (steady_clock::now() < deadline_) continue;  // extended meanwhile
    if (!fired) {
      fired = true;
      ended_ = Ended::timeout;
      transport_.cancel();
      deadline_ = steady_clock::now() + kGrace;
    } else {
      transport_.close();  // the client did not even take our 421
      break;
    }
  }
}

void Connection::request_shutdown() {
  shutdown_requested_ = true;
  if (waiting_for_command_) {
    if (ended_ == Ended::no) ended_ = Ended::shutdown;
    transport_.cancel();
  }
}

void Connection::force_close() {
  if (ended_ == Ended::no) ended_ = Ended::shutdown;
  transport_.close();
}

asio::awaitable<bool> Connection::fill() {
  if (ended_ != Ended::no) co_return false;
  if (begin_ == end_) {
    begin_ = end_ = 0;
  } else if (end_ == in_.size()) {
    std::memmove(in_.data(), in_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const auto now = steady_clock::now();
  deadline_ = std::min(now + settings_->idle_timeout, session_end_);
  auto [ec, n] = co_await transport_.read_some(asio::buffer(in_.data() + end_, in_.size() - end_));
  if (ec) {
    if (ended_ == Ended::no) ended_ = ec == asio::error::eof ? Ended::peer_closed : Ended::error;
    co_return false;
  }
  end_ += n;
  co_return true;
}

asio::awaitable<bool> Connection::flush() {
  if (out_.empty()) co_return true;
  auto ec = co_await transport_.write(asio::buffer(out_));
  out_.clear();
  if (ec && ended_ == Ended::no) ended_ = Ended::error;
  co_return !ec;
}

void Connection::note_refusal(const proto::Step& step, std::string_view command) {
  if (!step.refused) return;
  const auto& env = session_.envelope();
  hooks_.log(LogLevel::info, "NOQUEUE: reject: " + printable(command) + " from " + peer_ + ": " +
                                 step.reply.text() + "; from=<" + env.mail.reverse_path.text() +
                                 "> proto=" + session_.protocol() + " helo=<" + printable(session_.helo()) + ">");
}

asio::awaitable<bool> Connection::start_tls() {
  // RFC 3207 §4.2 / CVE-2011-0411: nothing sent before the handshake may
  // be taken as a command after it.
  if (end_ > begin_) {
    hooks_.log(LogLevel::warning, "discarding " + std::to_string(end_ - begin_) +
                                      " octets pipelined after STARTTLS from " + peer_);
    begin_ = end_ = 0;
  }
  auto ec = co_await transport_.start_tls(*settings_->tls);
  if (ec) {
    hooks_.log(LogLevel::warning, "TLS handshake failed from " + peer_ + ": " + ec.message());
    if (ended_ == Ended::no) ended_ = Ended::error;
    co_return false;
  }
  session_.tls_started();
  hooks_.log(LogLevel::info, "TLS connection established from " + peer_ + ": " + transport_.tls_description());
  co_return true;
}

asio::awaitable<bool> Connection::receive_data() {
  auto opened = hooks_.open_message(session_.envelope(), *policy_);
  if (auto* refusal = std::get_if<proto::Reply>(&opened)) {
    auto step = session_.data_failed(*refusal);
    note_refusal(step, "DATA");
    out_ += step.reply.wire();
    co_return true;
  }
  auto writer = std::move(std::get<std::unique_ptr<MessageWriter>>(opened));
  out_ += proto::Reply(354, "", "End data with <CR><LF>.<CR><LF>").wire();
  if (!co_await flush()) co_return false;
  proto::DataReader reader(settings_->session.ext.max_message_size);
  while (true) {
    consume(reader.feed(unread(), *writer));
    if (reader.done()) break;
    if (!co_await fill()) co_return false;  // writer's destructor discards the draft
  }
  proto::Step step;
  if (reader.defect() != proto::DataReader::Defect::none) {
    step = session_.data_refused(reader);
  } else {
    SessionFacts facts{peer_, session_.helo(), session_.protocol(), transport_.tls_description()};
    auto result = co_await writer->commit(session_.envelope(), facts);
    if (auto* id = std::get_if<std::string>(&result)) step = session_.data_accepted(*id);
    else step = session_.data_failed(std::get<proto::Reply>(result));
  }
  note_refusal(step, "DATA");
  out_ += step.reply.wire();
  if (step.next == proto::Next::close) {
    co_await flush();
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> Connection::serve() {
  out_ += session_.greeting().reply.wire();
  if (!co_await flush()) co_return;
  while (true) {
    if (shutdown_requested_) {
      if (ended_ == Ended::no) ended_ = Ended::shutdown;
      break;
    }
    auto ev = lines_.next(unread());
    if (ev.kind == proto::CommandLineReader::Kind::need_more) {
      consume(ev.consumed);
      if (!co_await flush()) co_return;
      waiting_for_command_ = true;
      bool more = co_await fill();
      waiting_for_command_ = false;
      if (!more) break;
      continue;
    }
    proto::Step step;
    std::string command;
    if (ev.kind == proto::CommandLineReader::Kind::line) {
      command = printable(ev.line, 40);
      auto sp = command.find(' ');
      last_command_ = sp == std::string::npos ? command : command.substr(0, sp);
      for (auto& c : last_command_) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      step = session_.on_line(ev.line);
    } else {
      step = session_.on_bad_line(ev.kind);
    }
    consume(ev.consumed);
    note_refusal(step, command);
    if (step.next == proto::Next::read_data) {
      // The 354 is sent by receive_data once the queue has a place for it.
      if (!co_await flush() || !co_await receive_data()) break;
      continue;
    }
    out_ += step.reply.wire();
    if (step.next == proto::Next::close) {
      co_await flush();
      co_return;
    }
    if (step.next == proto::Next::start_tls) {
      if (!co_await flush() || !co_await start_tls()) co_return;
    }
  }
  // The session ended without QUIT: tell the client why where we can.
  if (ended_ == Ended::timeout) out_ += session_.timed_out().reply.wire();
  else if (ended_ == Ended::shutdown) out_ += session_.shutting_down().reply.wire();
  else co_return;
  co_await flush();  // bounded by the watchdog's grace period
}

}  // namespace mixer::smtp::server
