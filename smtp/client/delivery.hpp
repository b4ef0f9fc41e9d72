// smtp/client/delivery.hpp: outbound SMTP delivery, the API the queue
// manager calls: one call per message and destination domain, per-recipient
// outcomes back. Around the I/O-free ClientSession (proto/session.hpp) it
// does the route lookup (routes.hpp), the next-hop resolution (resolver.hpp:
// smart hosts or the MX list), the connections with their deadlines and
// STARTTLS (transport.hpp), and the RFC 5321 §5.1 fallback from one host or
// address to the next: a refused or timed-out connection, a greeting or
// EHLO refused, a 421, a lost connection before the content was sent, a
// refused MAIL FROM with 4xx, or STARTTLS missing or failing where TLS is
// required all move on to the next address. A 4xx to RCPT defers that
// recipient, a 5xx fails it; a connection lost after the content was sent
// defers every recipient still open (it may have been delivered: RFC 1047).
// An 8-bit message to a server without 8BITMIME goes as the 7-bit form the
// caller makes (OutboundMessage::seven_bit, RFC 6152 §3) on the same connection.
//
// Never throws for network or peer errors (they are outcomes). Trusts the
// caller's message (content views stay valid until the call completes) and
// settings; trusts nothing any server or DNS answer says. Call from a
// coroutine on a strand (or a one-thread io_context), like the server's
// connections; any number of calls may run at once, bounded by the
// connection limits (a call waits for a free slot). A connection that
// delivered is kept idle for `reuse_time` and used again for the next
// message to the same host (one connection per strand: see connection.cpp).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtp/client/proto/session.hpp"
#include "smtp/client/resolver.hpp"
#include "smtp/client/routes.hpp"
#include "smtp/proto/envelope.hpp"
#include "smtp/proto/reply.hpp"

namespace mixer::smtp::client {

// The 7-bit form of a message (RFC 6152 §3), or why there is none: the reply to fail its
// recipients with (a permanent one: the message will not change).
struct SevenBitForm {
  std::optional<std::string> content;
  proto::Reply refusal;
};

// One message to one destination domain.
struct OutboundMessage {
  std::string domain;                       // the recipients' domain: the next-hop key
  proto::Envelope envelope;                 // MAIL FROM and the RCPTs with NOTIFY/ORCPT/RET/ENVID
  std::vector<std::string_view> content;    // RFC 5322 octets; the caller keeps them alive until completion
  bool eight_bit = false;                   // the content has 8-bit octets: BODY=8BITMIME
  // Probe (RFC 2156 Appendix A §1): VRFY each recipient instead of sending a
  // message (Message::verify_only; RecipientStatus says what each reply means).
  bool verify_only = false;
  // RFC 6152 §3, RFC 1652's "convert to 7bit": called at most once per delivery, when a
  // server does not offer 8BITMIME for an eight_bit message; its form is then sent with
  // BODY=7BIT on the same connection. The MIME conversion is the caller's (smtp/ knows no
  // MIME). Empty: such a server fails the recipients (554 5.6.3, `needs_seven_bit`).
  std::function<SevenBitForm()> seven_bit;
};

struct RecipientOutcome {
  enum class Kind { delivered, deferred, failed };
  Kind kind = Kind::deferred;
  proto::Reply reply;             // the reply that decided it (the server's, or made up: `from_server` false)
  bool from_server = false;
  bool relayed_dsn_due = false;   // RFC 3461 §5.2.2: delivered to a server without DSN, NOTIFY=SUCCESS asked
};

struct DeliveryResult {
  std::vector<RecipientOutcome> recipients;  // in envelope order
  std::string relay;   // the host that decided: "mx.example[127.0.0.1]:2525"; "none" when no connection was made
  std::string detail;  // one sentence for the log line (why deferred or failed, or the server's last reply)
  std::string tls;     // "TLSv1.3 with cipher ..." when the deciding connection used TLS
  bool needs_seven_bit = false;  // the server lacks 8BITMIME and there was no `seven_bit`: send the 7-bit form again
  bool sent_seven_bit = false;   // the deciding server took the 7-bit form (RFC 6152 §3)
};

enum class LogLevel { debug, info, warning, error };

struct DelivererSettings {
  std::string helo_name;                    // our EHLO name (smtp.helo_name)
  RouteTable routes;                        // smtp.routes; no match: "*" via MX
  std::uint16_t mx_port = 25;               // port of MX targets (smtp.mx_port)
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(30)};
  // Cap on every RFC 5321 §4.5.3.2 timeout (ClientSession::reply_timeout_seconds); absent: the RFC's.
  std::optional<std::chrono::milliseconds> reply_timeout_max;
  std::size_t max_connections = 100;        // in all
  std::size_t max_per_destination = 10;     // per destination_key()
  std::string ca_file;                      // CAs for Verify::chain|name; empty: the system store
  Limits reply_limits;                      // ClientSession's reply limits
  bool use_pipelining = true;
  // An idle connection is kept this long for the next message to the same
  // host (RSET-free: the next MAIL on the same session); 0: QUIT at once.
  std::chrono::milliseconds reuse_time{std::chrono::seconds(5)};
  // A host (address and port) whose connection was refused or timed out is not
  // tried again for this long: later messages go straight to the next host, or
  // are deferred at once when every host is down (Postfix's dead-host memory);
  // 0: every message tries every host.
  std::chrono::milliseconds dead_host_time{std::chrono::seconds(60)};
};

class Deliverer {
 public:
  using Log = std::function<void(LogLevel, const std::string&)>;

  // Throws std::runtime_error at start-up when the TLS context cannot be
  // made (an unreadable CA file, say).
  Deliverer(DelivererSettings settings, std::shared_ptr<Resolver> resolver, Log log = {});
  ~Deliverer();

  // Delivers one message to the next hop of `message.domain`. Completes
  // with every recipient's outcome; never throws for network errors.
  // `message` (and the content it views) must stay valid until then. The
  // log callback may be called from any thread running the io_context.
  boost::asio::awaitable<DeliveryResult> deliver(const OutboundMessage& message);

  // Connections in use now (for tests and metrics; idle ones not counted).
  std::size_t connections() const;
  // Connections kept idle for reuse now.
  std::size_t idle_connections() const;
  // QUITs and closes every idle connection now (drain, shutdown).
  void close_idle();

 private:
  struct Target {
    std::string name;     // MX or smart host name (or the address itself)
    std::string address;  // IP address text
    std::uint16_t port = 25;
    std::string text() const;  // "name[address]:port"
  };
  struct Attempt {  // what one connection to one target gave
    bool connected = false;
    bool reused = false;                   // on a connection kept from an earlier message
    bool reusable = false;                 // the session is idle and may take the next message
    bool seven_bit = false;                // the message went as its 7-bit form
    std::optional<MessageResult> result;   // the message's outcome, once it was started
    std::optional<StartResult> refused;    // start_message refused it
    std::optional<ConnectionError> error;  // the connection failed
    bool unreachable = false;              // the connection was refused or timed out
    bool tls_failed = false;               // the handshake failed (opportunistic: try again in clear)
    std::string detail;                    // why it could not connect or handshake
    std::string tls;
  };

  struct Conn;     // one connection: its strand, transport and session
  struct Pool;     // idle connections by target and TLS policy
  struct SevenBit {  // one delivery's 7-bit form, made when a server first needs it (RFC 6152 §3)
    const OutboundMessage* outbound = nullptr;
    std::optional<SevenBitForm> form;
    Message message;  // the form with the recipients of the attempt under way
    // The 7-bit form of `eight_bit` (the same envelope, BODY=7BIT); null when the caller has
    // no downgrade or it refused (`form->refusal`).
    const Message* message_for(const Message& eight_bit);
  };

  boost::asio::awaitable<std::vector<Target>> targets(const Route& route, const std::string& domain,
                                                      std::optional<ResolveError>& error);
  boost::asio::awaitable<Attempt> attempt(const Target& target, const std::string& destination, const Route& route,
                                          const Message& message, SevenBit& seven_bit, bool in_clear);
  // The pool's key: a target with the TLS policy of the route (or in clear after a failed handshake).
  static std::string pool_key(const Target& target, const Route& route, bool in_clear);
  // The target of a connection kept idle from a delivery to `destination` under `route`'s policy
  // (Postfix's connection cache by next-hop destination: no DNS lookup for it).
  std::optional<Target> idle_target(const std::string& destination, const Route& route) const;
  boost::asio::awaitable<Attempt> converse(Conn& conn, const Target& target, const Route& route,
                                           const Message& message, SevenBit& seven_bit, bool in_clear, bool reused);
  static std::shared_ptr<Pool> new_pool();
  std::shared_ptr<Conn> take_idle(const std::string& key);
  void keep_idle(std::shared_ptr<Conn> conn);
  static bool went_stale(const Attempt& a);
  static boost::asio::awaitable<void> quit_and_close(std::shared_ptr<Conn> conn);
  static boost::asio::awaitable<void> sweep(std::shared_ptr<Pool> pool, std::shared_ptr<Conn> conn,
                                            std::uint64_t generation, std::chrono::milliseconds after);
  // Why `target` is not tried now (it was unreachable less than dead_host_time ago), or nullopt.
  std::optional<std::string> dead(const Target& target) const;
  // Remembers `target` as unreachable (`why`), or forgets it once it answered.
  void note_reachable(const Target& target, bool reachable, const std::string& why);
  boost::asio::awaitable<void> acquire(const std::string& destination);
  void release(const std::string& destination);
  std::chrono::milliseconds reply_timeout(Command c) const;
  void log(LogLevel level, const std::string& line) const;

  DelivererSettings settings_;
  std::shared_ptr<Resolver> resolver_;
  Log log_;
  std::shared_ptr<boost::asio::ssl::context> tls_none_, tls_verify_;
  mutable std::mutex mutex_;  // guards the counters
  std::size_t open_ = 0;
  std::map<std::string, std::size_t> per_destination_;
  std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters_;  // calls waiting for a slot
  struct DeadHost {
    std::chrono::steady_clock::time_point since;
    std::string why;
  };
  std::map<std::string, DeadHost> dead_;  // by "address:port"; at most kMaxDeadHosts
  std::shared_ptr<Pool> pool_;
};

// "delivered", "deferred", "failed".
std::string_view kind_name(RecipientOutcome::Kind kind);

}  // namespace mixer::smtp::client
