// gateway/intake.hpp: SMTP in, queue out. Implements the SMTP server's
// hooks: routing answers at MAIL/RCPT, and a MessageWriter that streams
// DATA into a queue Draft and answers only after the group commit made the
// entry durable (DESIGN.md: "Reception answers only after the message is
// durable").
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <functional>

#include "gateway/correlation_journal.hpp"
#include "gateway/queue/committer.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/index.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/runtime.hpp"
#include "smtp/server/hooks.hpp"

namespace mixer::gateway {

class TransferJournal;

struct QueueParts {
  queue::Store& store;
  queue::QueueIndex& index;
  queue::Committer& committer;
  queue::QueueIdGenerator& ids;
  CorrelationJournal* correlations = nullptr;  // what was sent across, for reports about it; may be null
  TransferJournal* relays = nullptr;           // recipients relayed over P1, for loops; may be null
};

class SmtpIntake : public smtp::server::Hooks {
 public:
  // on_queued: called with each durable entry (on the session's strand), for the queue manager.
  SmtpIntake(RuntimeHolder& runtime, QueueParts queue, boost::asio::any_io_executor executor,
             std::function<void(const queue::ControlFile&)> on_queued = {})
      : runtime_(runtime), queue_(queue), executor_(std::move(executor)), on_queued_(std::move(on_queued)) {}

  std::shared_ptr<const smtp::server::Settings> settings() override;
  std::unique_ptr<smtp::proto::SessionPolicy> policy(const std::string& peer) override;
  std::variant<std::unique_ptr<smtp::server::MessageWriter>, smtp::proto::Reply> open_message(
      const smtp::proto::Envelope& envelope, smtp::proto::SessionPolicy& policy) override;
  void log(smtp::server::LogLevel level, const std::string& line) override;

 private:
  RuntimeHolder& runtime_;
  QueueParts queue_;
  boost::asio::any_io_executor executor_;
  std::function<void(const queue::ControlFile&)> on_queued_;
};

// ", form1=p1/1988 mts-id=[...], message-id=<...>" for a queue log line.
std::string forms_text(const queue::ControlFile& c);

// Microseconds since the epoch.
std::int64_t now_us();

// Why the queue cannot take `size` more octets now (count, size or free
// space limit), or nullopt when it can.
std::optional<std::string> queue_full(const conf::QueueConfig& config, const queue::QueueIndex& index,
                                      std::uint64_t size);

}  // namespace mixer::gateway
