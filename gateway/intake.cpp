// gateway/intake.cpp: SMTP sessions -> queue entries (see intake.hpp).
#include "gateway/intake.hpp"

#include <sys/statvfs.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cctype>
#include <chrono>
#include <mutex>

#include "gateway/enqueue.hpp"
#include "gateway/log.hpp"
#include "gateway/routing.hpp"
#include "gateway/submit.hpp"

namespace mixer::gateway {

namespace asio = boost::asio;
using smtp::proto::Reply;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {
// The queue file system's free octets (statvfs(2)), asked of the kernel at most once a
// second while there is plenty: more than kFreeSlack beyond what the check needs, far
// more than a second of writes at any rate this gateway takes. Nearer the limit, every
// check asks (a statvfs per MAIL and per P1 transfer was one system call per message).
// nullopt when the kernel cannot say.
constexpr std::uint64_t kFreeSlack = 256ULL << 20;
constexpr auto kFreeTrusted = std::chrono::seconds(1);

std::optional<std::uint64_t> free_bytes(const std::string& directory, std::uint64_t needed) {
  struct Sample {
    std::mutex mutex;
    std::string directory;
    std::chrono::steady_clock::time_point at;
    std::uint64_t free = 0;
  };
  static Sample last;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(last.mutex);
    if (last.directory == directory && now - last.at < kFreeTrusted && last.free >= needed + kFreeSlack)
      return last.free;
  }
  struct statvfs fs {};
  if (::statvfs(directory.c_str(), &fs) != 0) return std::nullopt;
  const std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
  std::lock_guard lock(last.mutex);
  last.directory = directory;
  last.at = now;
  last.free = free;
  return free;
}
}  // namespace

std::optional<std::string> queue_full(const conf::QueueConfig& qc, const queue::QueueIndex& index,
                                      std::uint64_t size) {
  if (index.count() >= qc.max_messages) return "the queue is full";
  if (index.bytes() + size > qc.max_bytes) return "the queue is full";
  if (auto free = free_bytes(qc.directory, qc.min_free_bytes + size); free && *free < qc.min_free_bytes + size)
    return "the queue file system is full";
  return std::nullopt;
}

std::string forms_text(const queue::ControlFile& c) {
  std::string out;
  for (const auto& f : c.forms) {
    out += ", form" + std::to_string(f.index) + "=" + queue::form_kind_name(f.kind);
    if (f.mode) out += "/" + std::to_string(f.mode);
    if (!f.mts_id.empty()) out += " mts-id=" + f.mts_id;
  }
  if (!c.forms.empty() && !c.forms.front().message_id.empty()) out += ", message-id=" + c.forms.front().message_id;
  return out;
}

namespace {

Reply storage_full(const std::string& why) {
  return Reply(452, "4.3.1", "Insufficient system storage: " + why);
}

class IntakePolicy : public smtp::proto::SessionPolicy {
 public:
  IntakePolicy(std::shared_ptr<const Runtime> rt, QueueParts q) : rt_(std::move(rt)), q_(q) {}

  std::optional<Reply> check_sender(const smtp::proto::MailFrom& mail) override {
    routes_.clear();  // a new transaction
    if (auto why = queue_full(rt_->config.queue, q_.index, mail.size.value_or(0))) return storage_full(*why);
    return std::nullopt;
  }

  // Routes the recipient once, with this session's configuration snapshot; the route of
  // an accepted one is kept (in RCPT order) and written with the message.
  std::optional<Reply> check_recipient(const smtp::proto::MailFrom&, const smtp::proto::RcptTo& rcpt) override {
    auto routed = route_recipient(*rt_, rcpt);
    if (auto* r = std::get_if<Reply>(&routed)) return *r;
    routes_.push_back(std::get<Route>(std::move(routed)));
    return std::nullopt;
  }

  const std::vector<Route>& routes() const { return routes_; }
  const std::shared_ptr<const Runtime>& runtime() const { return rt_; }

 private:
  std::shared_ptr<const Runtime> rt_;
  QueueParts q_;
  std::vector<Route> routes_;  // of the accepted recipients, in order
};

// Runs enqueue() and completes on the caller's executor (the session's
// strand) with the entry as queued and the error, if any: the bridge from
// the committer thread to a coroutine.
template <typename Token>
auto async_enqueue(QueueParts q, std::unique_ptr<queue::Draft> draft, queue::ControlFile control, Submission* submitted,
                   asio::any_io_executor executor, Token&& token) {
  return asio::async_initiate<Token, void(queue::ControlFile, std::string)>(
      [q, &draft, &control, submitted, executor](auto handler) mutable {
        auto ex = asio::get_associated_executor(handler, executor);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        enqueue(q, std::move(draft), std::move(control), submitted, {},
                [h, ex](const queue::ControlFile& entry, const std::string& error) {
                  asio::post(ex, [h, entry, error]() mutable { (*h)(std::move(entry), error); });
                });
      },
      token);
}

class QueueMessageWriter : public smtp::server::MessageWriter {
 public:
  QueueMessageWriter(std::unique_ptr<queue::Draft> draft, std::shared_ptr<const Runtime> rt, QueueParts q,
                     asio::any_io_executor ex, std::vector<Route> routes,
                     const std::function<void(const queue::ControlFile&)>* on_queued)
      : draft_(std::move(draft)), rt_(std::move(rt)), q_(q), ex_(std::move(ex)), routes_(std::move(routes)),
        on_queued_(on_queued) {
    for (const auto& r : routes_) convert_ |= r.channel == Channel::p1;
  }

  void append(std::string_view bytes) override {
    draft_->append(bytes);
    if (convert_) content_.append(bytes);  // the mapping engine reads the whole message at the end
    count_received(bytes);
  }

  asio::awaitable<std::variant<std::string, Reply>> commit(const smtp::proto::Envelope& env,
                                                           const smtp::server::SessionFacts& facts) override {
    queue::ControlFile control = describe(env, facts);
    const std::string id = draft_->id();
    // RFC 5321 §6.3: too many Received: fields means the message is looping.
    if (received_ > rt_->config.routing.max_received) {
      log_info("smtpd", id + ": reject: " + std::to_string(received_) + " Received: header fields (more than " +
                            std::to_string(rt_->config.routing.max_received) + "); from=<" + control.sender + ">");
      co_return Reply(554, "5.4.6", "Too many hops: " + std::to_string(received_) +
                                        " Received: header fields, mail loop suspected");
    }
    std::optional<Submission> submitted;
    if (convert_) {
      // The submit stage: convert once per distinct output, keep the forms beside the content.
      SmtpSubmit in;
      in.mail_from = control.sender;
      in.ret = control.ret;
      in.envid = control.envid;
      in.recipients = control.recipients;
      for (const auto& r : routes_) {
        in.peer_modes.push_back(r.peer_mode);
        in.peer_bp14.push_back(r.peer_bp14);
      }
      mapping::Clock clock;
      clock.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
      auto converted = submit_smtp(*rt_, in, content_, id, clock, q_.correlations);
      content_.clear();
      content_.shrink_to_fit();
      if (!converted) {
        const auto& r = converted.error();
        log_info("smtpd", id + ": reject: conversion to X.400 refused: " + r.text() + "; from=<" + control.sender +
                              "> proto=" + facts.protocol + " helo=<" + facts.helo + ">");
        co_return Reply(r.smtp_code, r.enhanced_status, r.smtp_text());
      }
      submitted = std::move(*converted);
    }
    std::vector<std::string> notes;
    if (submitted) notes = submitted->notes;
    auto [entry, error] = co_await async_enqueue(q_, std::move(draft_), std::move(control),
                                                 submitted ? &*submitted : nullptr, ex_,
                                                 asio::as_tuple(asio::use_awaitable));
    if (!error.empty()) {
      log_error("queue", id + ": message not accepted: " + error);
      co_return Reply(451, "4.3.0", "Error: queue file write error, try again later");
    }
    control = std::move(entry);
    for (const auto& n : notes) log_info("submit", id + ": " + n);
    log_info("queue", id + ": client=" + facts.peer + ", helo=<" + facts.helo + ">, proto=" + facts.protocol +
                          ", from=<" + control.sender + ">, size=" + std::to_string(control.size) +
                          ", nrcpt=" + std::to_string(control.recipients.size()) + forms_text(control) +
                          " (queue active)");
    if (on_queued_ && *on_queued_) (*on_queued_)(control);
    co_return id;
  }

 private:
  queue::ControlFile describe(const smtp::proto::Envelope& env, const smtp::server::SessionFacts& facts) {
    using smtp::proto::Body;
    using smtp::proto::Ret;
    queue::ControlFile c;
    c.arrival_us = now_us();
    c.origin = "smtp";
    c.client = facts.peer;
    c.helo = facts.helo;
    c.protocol = facts.protocol;
    c.tls = facts.tls;
    c.body = env.mail.body == Body::seven_bit ? "7BIT" : env.mail.body == Body::eight_bit_mime ? "8BITMIME" : "";
    c.ret = env.mail.ret == Ret::full ? "FULL" : env.mail.ret == Ret::hdrs ? "HDRS" : "";
    c.envid = env.mail.envid;
    c.sender = env.mail.reverse_path.text();
    for (const auto& r : env.rcpts) {
      queue::RecipientRecord rec;
      rec.index = c.recipients.size();
      rec.address = r.forward_path.text();
      // The route decided when the recipient was accepted (one decision, one snapshot).
      const Route& route = routes_.at(rec.index);
      rec.channel = route.channel;
      if (!route.peers.empty()) {
        rec.peer = route.peers.front();
        rec.fallback.assign(route.peers.begin() + 1, route.peers.end());
      }
      rec.or_address = route.or_address;
      rec.notify = r.notify.text();
      rec.orcpt = r.orcpt;
      c.recipients.push_back(std::move(rec));
    }
    return c;
  }

  std::unique_ptr<queue::Draft> draft_;
  std::shared_ptr<const Runtime> rt_;
  QueueParts q_;
  asio::any_io_executor ex_;
  std::vector<Route> routes_;  // one per envelope recipient, from the policy that accepted it
  const std::function<void(const queue::ControlFile&)>* on_queued_;  // the intake's (outlives sessions)
  bool convert_ = false;       // some recipient is for X.400: the submit stage converts
  std::string content_;        // the message, for the conversion

  // Counts "Received:" at the start of header lines, across chunk boundaries,
  // until the empty line that ends the header section.
  void count_received(std::string_view bytes) {
    for (char c : bytes) {
      if (body_) return;
      if (c == '\n') {
        if (line_length_ <= 1) body_ = true;  // "\r\n" alone: the end of the header section
        line_length_ = 0;
        continue;
      }
      if (line_length_ < 9) {
        static constexpr char kName[] = "received:";
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (line_length_ == 0) matching_ = true;
        matching_ = matching_ && lower == kName[line_length_];
        if (line_length_ == 8 && matching_) ++received_;
      }
      ++line_length_;
    }
  }
  std::size_t received_ = 0, line_length_ = 0;
  bool body_ = false, matching_ = false;
};

}  // namespace

std::shared_ptr<const smtp::server::Settings> SmtpIntake::settings() { return runtime_.get()->smtp; }

std::unique_ptr<smtp::proto::SessionPolicy> SmtpIntake::policy(const std::string&) {
  return std::make_unique<IntakePolicy>(runtime_.get(), queue_);
}

std::variant<std::unique_ptr<smtp::server::MessageWriter>, Reply> SmtpIntake::open_message(
    const smtp::proto::Envelope& env, smtp::proto::SessionPolicy& policy) {
  // Our own policy accepted the recipients (policy() below makes every one).
  auto& intake = static_cast<IntakePolicy&>(policy);
  if (intake.routes().size() != env.rcpts.size()) {
    log_error("smtpd", "internal: " + std::to_string(env.rcpts.size()) + " recipients but " +
                           std::to_string(intake.routes().size()) + " routes");
    return Reply(451, "4.3.0", "Error: local error in processing, try again later");
  }
  std::error_code ec;
  const std::string id = queue_.ids.next(now_us());
  auto draft = queue_.store.begin(id, ec);
  if (!draft) {
    log_error("queue", "cannot create queue entry " + id + ": " + ec.message());
    return Reply(451, "4.3.0", "Error: queue file write error, try again later");
  }
  return std::make_unique<QueueMessageWriter>(std::move(draft), intake.runtime(), queue_, executor_, intake.routes(),
                                              &on_queued_);
}

void SmtpIntake::log(smtp::server::LogLevel level, const std::string& line) {
  log_line(static_cast<conf::LogLevel>(level), "smtpd", line);
}

}  // namespace mixer::gateway
