// p1/rtse/machine.hpp: the RTSE protocol machine (X.228 §7-9) with the
// presentation, ACSE and session machinery P1 needs beneath it, as one
// I/O-free object per association. TSDUs in, events and TSDUs out.
//
// Normal mode (X.228 over ACSE/presentation): RT-OPEN is A-ASSOCIATE with
// the RTORQ/RTOAC/RTORJ in ACSE user-information; RT-TRANSFER is an activity
// (AS, P-DATA carrying RTTR segments, MIP at each checkpoint, AE), confirmed
// by the AEA; RT-CLOSE is A-RELEASE (FN/DN); RT-U-ABORT is A-ABORT with an
// RTAB. X.410-1984 mode (P1-PRIMER §8): the RTSE components ride bare in the
// CP/CPA/CPR, the DT carries the APDU itself, FN/DN carry nothing.
//
// The responder follows the initiator's mode (from the CP mode-selector).
// A received APDU is confirmed (AEA) only when the user calls
// confirm_transfer(), i.e. after it is durable. Received checkpoints are
// acknowledged (MIA) at once; an interrupted inbound transfer is kept and
// resumed by an AR from the last acknowledged checkpoint, or discarded by AD.
// Malformed input is answered by the protocol's own refusal or abort (RF
// with CPR/AARE, AB with ARP/ABRT+RTAB), queued as output before receive()
// returns the error.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "p1/acse/apdu.hpp"
#include "p1/presentation/contexts.hpp"
#include "p1/rtse/apdu.hpp"
#include "p1/session/connection.hpp"

namespace mixer::p1::rtse {

enum class Mode { normal, x410_1984 };
enum class Role { initiator, responder };

struct Settings {
  ber::Limits limits{};
  std::size_t max_apdu = 16u << 20;  // octets of one transferred APDU

  // Initiator's proposal / responder's upper bound (X.228 §7.2.3):
  std::int64_t checkpoint_size = 63;       // units of 1024 octets; 0: no checkpointing
  std::int64_t window_size = 3;
  std::int64_t dialogue_mode = dialogue::monologue;
  Mode mode = Mode::normal;                // initiator only; a responder follows the CP

  // Session: RTSE's SessionConnectionIdentifier (calling reference, UTCTime).
  Bytes calling_reference;                 // octets; sent as BER OCTET STRING (normal) or T61String (X.410)
  std::string common_reference;            // "YYMMDDhhmmssZ"
  std::optional<Bytes> calling_ssel, called_ssel;
  std::optional<Bytes> calling_psel, called_psel;
  // ACSE
  Oid application_context{2, 6, 0, 1, 6};                  // id-ac-mts-transfer
  std::vector<Oid> accepted_application_contexts{{2, 6, 0, 1, 6}};
  acse::Endpoint own_title, peer_title;                    // AP title / AE qualifier, when configured
  // Presentation abstract syntaxes
  Oid rtse_syntax{2, 6, 0, 2, 12};                         // id-as-mta-rtse
  Oid user_syntax{2, 6, 0, 2, 7};                          // id-as-mtse
  std::int64_t x410_application_protocol = 12;             // mts-transfer-protocol
  bool explicit_default_window = false;  // send windowSize 3 in the RTOAC (PP does, Isode does not)
};

struct OpenParameters {  // what an RT-OPEN indication or confirm tells
  Mode mode = Mode::normal;
  std::int64_t dialogue_mode = dialogue::monologue;
  std::int64_t checkpoint_size = 0;   // negotiated (confirm) or proposed (indication)
  std::int64_t window_size = 3;
  bool recover = false;
  SessionConnectionIdentifier recovery;  // the connection a recover names
  std::optional<std::int64_t> application_protocol;  // X.410 mode
  acse::Endpoint calling, called;        // ACSE titles the peer sent
  std::optional<Bytes> calling_psel, called_psel, calling_ssel, called_ssel;
};

struct Event {
  enum class Kind {
    open_indication,     // responder: data = the bind argument's encoding; answer accept() or refuse()
    open_accepted,       // initiator: data = the bind result
    open_refused,        // initiator: data = the bind error (normal mode), refuse_reason (X.410), what
    transfer_indication, // data = one whole APDU (the MTS-APDU); answer confirm_transfer() once durable
    transfer_confirmed,  // sender: the peer confirmed the APDU (AEA)
    transfer_interrupted,// receiver: the sender interrupted (AI); a later AR may resume it.
                         // sender: the interruption it asked for is confirmed (AIA)
    transfer_discarded,  // receiver: the sender discarded it (AD)
    transfer_rejected,   // sender: the receiver reported an exception; the APDU was discarded, not delivered
    turn_please,         // priority
    turn_given,          // this side now has the turn
    close_indication,    // answer close_response()
    closed,              // initiator: release confirmed (DN)
    aborted,             // the peer aborted: abort_reason, what
  };
  explicit Event(Kind k) : kind(k) {}
  Kind kind;
  Bytes data;
  OpenParameters open;
  std::int64_t priority = 0;
  std::optional<std::int64_t> refuse_reason, abort_reason;
  std::string what;
};

class Machine {
 public:
  enum class State { idle, awaiting_open_confirm, awaiting_open_response, open, releasing, awaiting_close_response, closed };

  Machine(Role role, Settings settings);

  Role role() const { return role_; }
  State state() const { return state_; }
  Mode mode() const { return mode_; }
  bool has_turn() const { return turn_; }
  bool transferring() const { return outbound_.active; }
  bool receiving() const { return inbound_.active; }
  std::int64_t checkpoint_size() const { return checkpoint_; }
  std::int64_t window_size() const { return window_; }
  std::int64_t dialogue_mode() const { return dialogue_; }
  const session::Connection& session() const { return session_; }

  // RT-OPEN request (initiator): bind_argument is the open value (wrapped
  // [16] in normal mode, bare in X.410 mode). recover: the connection of an
  // interrupted transfer to recover instead.
  Status<Errc> open(ByteView bind_argument, const std::optional<SessionConnectionIdentifier>& recover = std::nullopt);
  // RT-OPEN response (responder).
  Status<Errc> accept(ByteView bind_result);
  // Refusal: bind_error (normal mode: [18] value in RTORJ userDataRJ);
  // refuse_reason (X.410 mode RTORJ refuseReason).
  Status<Errc> refuse(ByteView bind_error, std::int64_t refuse_reason = refuse_reason::validation_failure);

  // RT-TRANSFER request: one APDU (the MTS-APDU encoding). One at a time.
  Status<Errc> transfer(ByteView apdu);
  // Confirms the last transfer_indication (sends the AEA).
  Status<Errc> confirm_transfer();

  // Sending side of recovery (X.228 §7.6): the last checkpoint the receiver
  // acknowledged, interruption of the transfer under way (AI), and its
  // resumption (AR) on this or a later association from that checkpoint.
  struct OutboundProgress {
    Bytes activity_id;
    std::uint32_t serial = 0;   // last acknowledged checkpoint (0: none)
    std::size_t offset = 0;     // octets of the RTTR contents before it
  };
  std::optional<OutboundProgress> outbound_progress() const;
  Status<Errc> interrupt_transfer();
  Status<Errc> discard_transfer();
  Status<Errc> resume_transfer(ByteView apdu, const OutboundProgress& from, const SessionConnectionIdentifier& old_connection);
  // RT-TURN-PLEASE / RT-TURN-GIVE (two-way alternate).
  Status<Errc> turn_please(std::int64_t priority = 0);
  Status<Errc> turn_give();
  // RT-CLOSE request (initiator, with the turn) and response.
  Status<Errc> close();
  Status<Errc> close_response();
  // RT-U-ABORT (or a provider abort with reason and no user data).
  void abort(std::int64_t reason = abort_reason::user_error);

  // One received TSDU. On a protocol error the refusal or abort is queued
  // as output and the error returned; the association is then over.
  Result<std::vector<Event>> receive(ByteView tsdu);

  // TSDUs to send, in order.
  std::vector<Bytes> take_output();
  bool has_output() const { return !output_.empty(); }

  // The references of this connection, for a later recover.
  SessionConnectionIdentifier connection_identifier() const;

  // Receiving side of recovery across associations: what an inbound
  // transfer had reached at its last acknowledged checkpoint, taken when the
  // association breaks, and given to the responder of the recovering one.
  struct PartialTransfer {
    Bytes activity_id;
    Bytes data;                                        // octets up to the last checkpoint
    std::map<std::uint32_t, std::size_t> checkpoints;  // serial -> octets before it
  };
  std::optional<PartialTransfer> take_partial();
  void resume_from(PartialTransfer p);

 private:
  struct Outbound {
    bool active = false;
    Bytes encoding;                  // the RTTR contents in order: EXTERNAL (normal) or the APDU (X.410)
    std::size_t sent = 0;            // octets handed to the session
    std::uint32_t outstanding = 0;   // MIPs not yet acknowledged
    bool ended = false;              // AE sent
    bool stopping = false;           // AI/AD sent, awaiting AIA/ADA
    Bytes activity_id;
    std::map<std::uint32_t, std::size_t> checkpoints;  // serial -> octets before it
    std::uint32_t acknowledged = 0;
  };
  struct Inbound {
    bool active = false;
    bool complete = false;           // AE received, awaiting confirm_transfer()
    Bytes data;
    Bytes activity_id;
    std::map<std::uint32_t, std::size_t> checkpoints;  // serial -> octets received before it
  };

  Error fail(Errc code, std::string what) const;
  Status<Errc> emit(session::Result<Bytes> tsdu, const char* what);
  Status<Errc> start_outbound(ByteView apdu);
  void drop_outbound();
  void pump();  // sends what the window allows of the outbound transfer
  Result<std::vector<Event>> on_connect(const session::Spdu& cn);
  Result<std::vector<Event>> on_accept(const session::Spdu& ac);
  Result<std::vector<Event>> on_refuse(const session::Spdu& rf);
  Result<std::vector<Event>> on_abort(const session::Spdu& ab);
  Result<std::vector<Event>> on_data(ByteView user_data);
  Result<std::vector<Event>> on_spdu(const session::Spdu& s);
  // Responder refusals before the association exists (RF with a CPR).
  Error refuse_connect(std::int64_t provider_reason, std::string what);
  Error refuse_association(std::int64_t result, acse::DiagnosticSource source, std::int64_t diagnostic, std::string what);
  // Aborts after establishment: session AB with an ARP (presentation) or ABRT+RTAB.
  Error provider_abort(Errc code, std::string what, std::int64_t rtab_reason = abort_reason::protocol_error);
  std::optional<ByteView> single_pdv(ByteView user_data, std::int64_t expected_context, presentation::UserData& keep,
                                     std::string& error) const;
  Bytes user_data_for(std::int64_t context, ByteView value) const;
  Bytes wrap_rtse_external(ByteView rtse_apdu) const;
  // The abort's user data carrying an RTAB: bare in the ARU in X.410-1984
  // mode, inside `abrt` (source and diagnostic set) in normal mode.
  Bytes rtab_user_data(const Rtab& ab, acse::Abrt abrt) const;

  Role role_;
  Settings settings_;
  session::Connection session_;
  State state_ = State::idle;
  Mode mode_;
  bool turn_ = false;
  std::int64_t checkpoint_ = 0, window_ = 3, dialogue_ = dialogue::monologue;
  presentation::ContextSet contexts_;
  std::vector<presentation::ContextDefinition> proposed_contexts_;
  std::int64_t acse_ctx_ = 1, rtse_ctx_ = 3, user_ctx_ = 5;
  std::uint64_t activity_counter_ = 0;
  Outbound outbound_;
  Inbound inbound_, interrupted_;
  std::optional<OutboundProgress> last_progress_;  // of the last interrupted or aborted outbound transfer
  std::deque<Bytes> output_;
  OpenParameters open_params_;
  std::vector<presentation::ContextResult> results_;  // responder: the CPA/CPR result list
  Oid open_context_name_;                             // responder: the AARQ's application context
};

const char* to_string(Event::Kind k);

}  // namespace mixer::p1::rtse
