// p1/association/link.hpp: one P1 association as an I/O-free engine: TCP
// octets in, TCP octets and events out. Below it RFC 1006 framing and X.224
// class 0 (CR/CC/DT/DR/ER); above it the RTSE machine and the MTA-bind
// policy: the responder authenticates the calling MTA against the peer
// table (name, password, source address) and answers with a Bind-Result or
// the Bind-Error the captures show (busy, authentication-error,
// unacceptable-dialogue-mode, unacceptable-security-context); the initiator
// binds and checks the responder's name and password. Every failure is an
// event with a transient/permanent class the queue can act on, and the
// protocol's own refusal or abort is queued as output. Time is the caller's:
// deadlines arrive through timeout().
//
// Recovery (X.228 §7.6, X.225 activity resume) on both sides: a responder
// keeps the partial inbound transfer of a broken association in a
// RecoveryStore and resumes it when a later association recovers that
// connection; an initiator whose transfer broke after a confirmed checkpoint
// says so (interrupted()), and a later initiator Link given that Resumption
// opens with RTSE `recover` instead of a bind and resumes the activity from
// that checkpoint. A refused recovery is an event the caller answers by
// sending the APDU whole on a fresh association.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "p1/association/settings.hpp"
#include "p1/mta/bind.hpp"
#include "p1/rtse/machine.hpp"
#include "p1/transport/cotp.hpp"

namespace mixer::p1::association {

enum class FailureClass { none, transient, permanent };

struct Failure {
  FailureClass kind = FailureClass::none;
  std::string what;
  explicit operator bool() const { return kind != FailureClass::none; }
};

struct LinkEvent {
  enum class Kind {
    bound,              // the bind succeeded: peer = the other MTA's name (or a recovery was accepted)
    bind_refused,       // initiator: the peer refused (bind_error / failure); responder: we refused
    apdu,               // responder: an APDU arrived; make it durable, then confirm()
    transfer_confirmed, // initiator: the peer confirmed the last APDU
    transfer_failed,    // initiator: the last APDU was not confirmed (failure)
    released,           // the association was released normally
    aborted,            // it ended otherwise (failure says why)
  };
  explicit LinkEvent(Kind k) : kind(k) {}
  Kind kind;
  Bytes apdu;
  std::string peer;
  std::optional<mta::BindError> bind_error;
  Failure failure;
  std::string what;   // one log sentence
  bool recovery = false;  // bound / bind_refused: it was an RT-OPEN with `recover`
};

// Where an outbound transfer broke after the receiver confirmed a checkpoint,
// with what its association negotiated: enough for a later association to
// recover the connection and resume the activity (X.228 §7.6).
struct Interruption {
  rtse::SessionConnectionIdentifier connection;  // the broken connection, as the recover names it
  rtse::Machine::OutboundProgress progress;      // the receiver's last confirmed checkpoint
  std::size_t apdu_size = 0;                     // octets of the APDU (a resumption checks it)
  rtse::Mode mode = rtse::Mode::normal;
  std::int64_t dialogue_mode = rtse::dialogue::monologue;
  std::int64_t checkpoint_size = 0, window_size = 3;
  std::string peer_name;                         // the responder that was bound
};

// An initiator's recovery of an Interruption: the same APDU, octet for octet.
struct Resumption {
  Interruption from;
  Bytes apdu;
};

// Partial inbound transfers kept for RTSE recovery by a later association
// (X.228 §7.6), keyed by the connection identifier and the peer address.
// Bounded in entries and in octets held; the oldest go first (recovery is
// best effort: a sender refused cannotRecover sends the APDU whole).
class RecoveryStore {
 public:
  struct Entry {
    rtse::Machine::PartialTransfer partial;
    std::string peer;  // the MTA that was bound on the broken association
  };
  explicit RecoveryStore(std::size_t max_entries = 1024, std::size_t max_octets = 256u << 20)
      : max_entries_(max_entries), max_octets_(max_octets) {}
  void put(const rtse::SessionConnectionIdentifier& id, const std::string& address, Entry e);
  std::optional<Entry> take(const rtse::SessionConnectionIdentifier& id, const std::string& address);
  std::size_t size() const;
  std::size_t octets() const;

 private:
  struct Held {
    Entry entry;
    std::uint64_t sequence;  // order of arrival
  };
  mutable std::mutex mutex_;
  std::size_t max_entries_, max_octets_, octets_ = 0;
  std::uint64_t sequence_ = 0;
  std::map<std::string, Held> entries_;
};

class Link {
 public:
  // A responder for a connection from `peer_address` (an IP address).
  // busy: refuse the bind with Bind-Error busy (too many associations).
  Link(const ResponderSettings& settings, std::string peer_address, bool busy, RecoveryStore* recovery = nullptr);
  // An initiator towards `peer`; common_reference is the UTCTime of now ("YYMMDDhhmmssZ").
  // With `resume`: the association recovers that interrupted connection (RTORQ `recover`,
  // no bind) in the mode, dialogue mode, checkpoint and window size it negotiated, and on
  // acceptance resumes the transfer from the checkpoint (AR); ready() once it is confirmed.
  Link(const InitiatorSettings& settings, PeerSettings peer, std::string common_reference,
       std::optional<Resumption> resume = std::nullopt);

  bool is_initiator() const { return initiator_; }
  // Initiator: queues the CR.
  void start();
  // Received TCP octets.
  std::vector<LinkEvent> receive(ByteView bytes);
  // TCP octets to send.
  Bytes take_output();
  bool has_output() const { return !output_.empty(); }

  // Responder: the APDU of the last `apdu` event is durable (sends the confirmation).
  void confirm();
  // Responder: it could not be made durable; the association is aborted so the sender retries.
  std::vector<LinkEvent> reject_transfer(const std::string& why);
  // Initiator.
  bool ready() const;  // bound, with the turn, no transfer under way
  Status<rtse::Errc> transfer(ByteView apdu);
  // The transfer under way broke (abort, lost connection, deadline) after the receiver
  // confirmed at least one checkpoint, on a session with activity management and minor
  // synchronization: where it stands, for a later association to recover. nullopt otherwise.
  std::optional<Interruption> interrupted() const;
  bool recovering() const { return resume_.has_value(); }
  void release();
  // A deadline passed (what: "bind", "idle", "total", ...): abort and close.
  std::vector<LinkEvent> timeout(const std::string& what);
  // The TCP connection ended (EOF or error) from the peer's side.
  std::vector<LinkEvent> disconnected(const std::string& what);

  bool bound() const { return bound_; }
  bool closed() const { return closed_; }     // close the TCP connection once output is sent
  const std::string& peer_name() const { return peer_name_; }
  const std::string& peer_address() const { return peer_address_; }
  rtse::Mode mode() const { return rtse_ ? rtse_->mode() : rtse::Mode::normal; }
  std::size_t apdus_in() const { return apdus_in_; }
  std::size_t apdus_out() const { return apdus_out_; }

 private:
  enum class Phase { awaiting_cr, awaiting_cc, connected, closed };
  std::vector<LinkEvent> on_tpdu(ByteView tpdu);
  std::vector<LinkEvent> on_tsdu(ByteView tsdu);
  std::vector<LinkEvent> on_rtse(std::vector<rtse::Event> events);
  void on_cr(const transport::ConnectionRequest& cr, std::vector<LinkEvent>& out);
  void on_open_indication(const rtse::Event& e, std::vector<LinkEvent>& out);
  void on_open_accepted(const rtse::Event& e, std::vector<LinkEvent>& out);
  void on_open_refused(const rtse::Event& e, std::vector<LinkEvent>& out);
  void flush_rtse();
  void send_tpdu(const Bytes& tpdu);
  void transport_disconnect(std::uint8_t reason);
  void refuse_recovery(std::vector<LinkEvent>& out);
  void refuse_bind(mta::BindError error, const std::string& why, std::vector<LinkEvent>& out);
  LinkEvent ended(LinkEvent::Kind kind, FailureClass c, std::string what);
  void keep_partial();
  void resume_transfer(std::vector<LinkEvent>& out);

  bool initiator_;
  ResponderSettings rs_;
  InitiatorSettings is_;
  PeerSettings peer_;                // initiator: the peer; responder: the authenticated one
  std::string peer_address_;
  bool busy_ = false;
  RecoveryStore* recovery_ = nullptr;
  std::string common_reference_;
  std::optional<Resumption> resume_;  // initiator: the connection this association recovers
  std::size_t transfer_size_ = 0;     // octets of the APDU under way

  Phase phase_;
  transport::TpktFramer framer_;
  transport::TsduAssembler tsdus_;
  std::size_t max_tpdu_ = transport::rfc1006_default_max_tpdu;
  std::uint16_t own_ref_ = 0, peer_ref_ = 0;
  transport::ConnectionRequest cr_;
  std::unique_ptr<rtse::Machine> rtse_;
  Bytes output_;
  bool bound_ = false, closed_ = false, released_ = false, transfer_pending_ = false;
  std::string peer_name_;
  std::size_t apdus_in_ = 0, apdus_out_ = 0;
};

const char* to_string(LinkEvent::Kind k);
// RTSE's CommonReference for a new connection: the UTCTime of now, one second
// later than the last one this process gave when that is not already past, so
// that no two of our connections share a SessionConnectionIdentifier (the
// calling reference is our MTA name) and a recover names exactly one.
std::string next_common_reference();

}  // namespace mixer::p1::association
