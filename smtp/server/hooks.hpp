// smtp/server/hooks.hpp: what the SMTP server needs from the program that
// embeds it (the gateway): settings, the routing policy, a place to put
// accepted messages, and a log. The server knows nothing of queues.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include "smtp/proto/data_reader.hpp"
#include "smtp/proto/session.hpp"

namespace mixer::smtp::server {

enum class LogLevel { debug, info, warning, error };

struct Settings {
  proto::SessionSettings session;
  std::size_t max_line_length = 2048;
  std::chrono::milliseconds idle_timeout{300000};
  std::chrono::milliseconds session_timeout{1800000};
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: no STARTTLS
};

// Facts about the session the queue records with a message (trace).
struct SessionFacts {
  std::string peer;      // "[127.0.0.1]:40000"
  std::string helo;
  std::string protocol;  // RFC 3848
  std::string tls;       // "TLSv1.3 TLS_AES_256_GCM_SHA384" or empty
};

// One message being received; content arrives through ContentSink::append.
class MessageWriter : public proto::ContentSink {
 public:
  // Makes the message durable and returns its queue ID, or the reply that
  // refuses it. Resumes only after the message is safe on disk.
  virtual boost::asio::awaitable<std::variant<std::string, proto::Reply>> commit(
      const proto::Envelope& envelope, const SessionFacts& facts) = 0;
};

class Hooks {
 public:
  virtual ~Hooks() = default;
  // A snapshot taken when a connection starts (reloads apply to new ones).
  virtual std::shared_ptr<const Settings> settings() = 0;
  virtual std::unique_ptr<proto::SessionPolicy> policy(const std::string& peer) = 0;
  // Called after 354; a Reply means the message cannot be taken now.
  // `policy` is the one that accepted the envelope's recipients: what it
  // decided at RCPT belongs to the message (no second decision later).
  virtual std::variant<std::unique_ptr<MessageWriter>, proto::Reply> open_message(
      const proto::Envelope& envelope, proto::SessionPolicy& policy) = 0;
  virtual void log(LogLevel level, const std::string& line) = 0;
};

}  // namespace mixer::smtp::server
