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
    bound,              // the bind succeeded: peer = the other MTA's name
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
};

// Partial inbound transfers kept for RTSE recovery by a later association
// (X.228 §7.6), keyed by the connection identifier and the peer address.
class RecoveryStore {
 public:
  void put(const rtse::SessionConnectionIdentifier& id, const std::string& address, rtse::Machine::PartialTransfer p);
  std::optional<rtse::Machine::PartialTransfer> take(const rtse::SessionConnectionIdentifier& id, const std::string& address);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, rtse::Machine::PartialTransfer> entries_;
};

class Link {
 public:
  // A responder for a connection from `peer_address` (an IP address).
  // busy: refuse the bind with Bind-Error busy (too many associations).
  Link(const ResponderSettings& settings, std::string peer_address, bool busy, RecoveryStore* recovery = nullptr);
  // An initiator towards `peer`; common_reference is the UTCTime of now ("YYMMDDhhmmssZ").
  Link(const InitiatorSettings& settings, PeerSettings peer, std::string common_reference);

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

  bool initiator_;
  ResponderSettings rs_;
  InitiatorSettings is_;
  PeerSettings peer_;                // initiator: the peer; responder: the authenticated one
  std::string peer_address_;
  bool busy_ = false;
  RecoveryStore* recovery_ = nullptr;
  std::string common_reference_;

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

}  // namespace mixer::p1::association
