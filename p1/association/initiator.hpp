// p1/association/initiator.hpp: the P1 initiator: connects to a peer MTA,
// binds with our name and password, checks the responder's, transfers the
// APDUs the queue hands it one at a time (each confirmed by the peer before
// the next), releases with ACSE release, and reports every failure as
// transient or permanent. Also p1-ping: bind, report the answer, release.
// A transfer that breaks after the receiver confirmed a checkpoint is handed
// back as an Interruption; an association started with a Resumption recovers
// that connection and resumes the transfer (X.228 §7.6) before taking more.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "p1/association/link.hpp"
#include "p1/association/responder.hpp"

namespace mixer::p1::association {

struct OutboundApdu {
  std::string id;   // the queue's identifier, echoed back
  Bytes apdu;       // an MTS-APDU encoding
};

// What the initiator transfers; the daemon's queue implements it.
class OutboundQueue {
 public:
  virtual ~OutboundQueue() = default;
  // The next APDU for this peer, or nullopt to release the association.
  virtual std::optional<OutboundApdu> next() = 0;
  // The peer confirmed it (it now has responsibility for the APDU).
  virtual void confirmed(const std::string& id) = 0;
  // It was not confirmed; a transient failure may be retried later.
  virtual void failed(const std::string& id, const Failure& failure) = 0;
  // It was not confirmed, but the receiver holds it up to a confirmed checkpoint: a new
  // association may recover this one and resume it (X.228 §7.6). Default: failed().
  virtual void interrupted(const std::string& id, const Failure& failure, const Interruption&) { failed(id, failure); }
  // The association recovered the interrupted connection and resumes the transfer of `id`.
  virtual void resumed(const std::string& /*id*/, const Interruption&) {}
  // next() had nothing: how long the association may stay bound waiting for more
  // before it releases (zero: release now), asked each time next() has nothing.
  // While it waits, `wake` (to be called on the association's executor) has it ask
  // next() again; the queue forgets `wake` at the next call of next() or of
  // done_waiting(), which the association calls before it releases or ends.
  // Reusing a bound association saves the peer and us a connect, a bind and a
  // release per burst of messages (as an SMTP client's connection cache does).
  virtual std::chrono::milliseconds wait_for_more(std::function<void()> /*wake*/) { return {}; }
  virtual void done_waiting() {}
};

// An association that recovers an interrupted transfer of the queue's `id`.
struct Recovery {
  std::string id;
  Resumption resumption;
};

struct AssociationReport {
  bool bound = false;
  bool released = false;
  std::string peer;                       // the responder's name, when bound
  std::optional<mta::BindError> bind_error;
  Failure failure;                        // why it ended early, if it did
  std::size_t transferred = 0;
  std::string answer;                     // one line: what the peer answered
  bool recovered = false;                 // a recovery was accepted and the transfer resumed
  bool recovery_refused = false;          // the peer refused the recovery (send the APDU whole)
};

// Runs one association to `peer` (resolving peer.host) until the queue is
// empty (and stays so for the queue's wait_for_more()) or a failure ends it. With `recover`, the association recovers that
// interrupted connection instead of binding, resumes that APDU first (answered
// through the queue's confirmed/failed with its id), then takes the queue's next.
boost::asio::awaitable<AssociationReport> run_initiator(InitiatorSettings settings, PeerSettings peer,
                                                        OutboundQueue& queue, LogFn log = {},
                                                        std::optional<Recovery> recover = std::nullopt);

struct PingOptions {
  std::string host;
  std::uint16_t port = 102;
  std::string mta;              // our MTA name (--mta)
  std::string password;         // ours (--password)
  std::string peer;             // expected responder name (--peer); empty: not checked
  std::string peer_password;    // expected responder password (--peer-password); empty: not checked
  bool password_octets = false;
  Selectors local, remote;
  rtse::Mode mode = rtse::Mode::normal;
  std::chrono::milliseconds timeout{30'000};
};

struct PingResult {
  bool ok = false;              // bound and released: exit status 0
  std::string answer;           // what to print, one or more lines
};

// `mixer p1-ping HOST:PORT`: binds, reports what the peer answered (the
// Bind-Result's name, or the exact Bind-Error), releases. Runs its own
// io_context; blocks until done.
PingResult p1_ping(const PingOptions& options);

}  // namespace mixer::p1::association
