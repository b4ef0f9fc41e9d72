// p1/session/connection.hpp: one session connection's protocol machine
// (X.225 §7, the subset RTSE needs): kernel, half-duplex and duplex, minor
// and major synchronization, activity management, exceptions, capability
// data; tokens and serial numbers. I/O-free: requests return the TSDU to
// send, received TSDUs return the validated SPDUs as indications, or a
// protocol error (the caller then aborts with abort()).
//
// Functional units are the intersection of both sides' requirements
// (X.225 §6.2); the token-setting rule is the initiator's unless it left
// the choice to the responder. Serial numbers start at 1 in each activity
// (pp-1988: AS then AE "1").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "p1/session/spdu.hpp"

namespace mixer::p1::session {

enum class Role { initiator, responder };

struct ConnectParameters {
  Bytes calling_reference;          // PI 10 (RTSE: BER OCTET STRING or T61String)
  Bytes common_reference;           // PI 11 (RTSE: BER UTCTime)
  std::optional<Bytes> calling_ssap, called_ssap;
  std::uint16_t requirements = fu::rtse;
  std::uint8_t token_setting = 0x00;        // all tokens on the initiator's side
  std::uint8_t versions = 0x02;             // version 2
  std::optional<std::uint32_t> tsdu_maximum_size;
};

class Connection {
 public:
  enum class State { idle, await_accept, await_user_accept, connected, await_disconnect, await_user_release, closed };

  explicit Connection(Role role) : role_(role) {}

  Role role() const { return role_; }
  State state() const { return state_; }
  std::uint16_t requirements() const { return fu_; }
  bool has(std::uint16_t unit) const { return (fu_ & unit) != 0; }
  std::uint8_t version() const { return version_; }
  // Tokens this side holds (token:: bits); only those of selected units exist.
  std::uint8_t tokens() const { return tokens_; }
  bool owns(std::uint8_t t) const { return (tokens_ & t) == t; }
  bool in_activity() const { return in_activity_; }
  const Bytes& activity_id() const { return activity_id_; }
  std::uint32_t next_serial() const { return v_m_; }          // V(M)
  std::uint32_t lowest_unconfirmed() const { return v_a_; }   // V(A)
  // The peer's CN, kept for accept()/refuse() and for RTSE recovery references.
  const Bytes& peer_calling_reference() const { return peer_calling_ref_; }
  const Bytes& peer_common_reference() const { return peer_common_ref_; }

  // --- connection establishment (X.225 §7.1) ---
  Bytes connect(const ConnectParameters& p, ByteView user_data);   // initiator: CN
  // Responder, after a CN indication: AC with the negotiated values.
  Result<Bytes> accept(ByteView user_data, std::optional<ByteView> responding_ssap = std::nullopt);
  // Responder: RF. reason is a refuse_reason; with refuse_reason::user_data the user data follows.
  Result<Bytes> refuse(std::uint8_t reason, ByteView user_data);

  // --- data transfer and synchronization ---
  Result<Bytes> data(ByteView user_data);                                   // S-DATA: GT/PT + DT
  Result<Bytes> activity_start(ByteView id, ByteView user_data = {});       // S-ACTIVITY-START
  Result<Bytes> activity_resume(ByteView new_id, ByteView old_id, std::uint32_t serial,
                                const ConnectionIdentifier& old_connection, ByteView user_data = {});
  Result<Bytes> minor_sync(ByteView user_data = {});                        // MIP, serial V(M)
  Result<Bytes> minor_sync_ack(std::uint32_t serial, ByteView user_data = {});
  Result<Bytes> major_sync(ByteView user_data = {});                        // MAP
  Result<Bytes> major_sync_ack(ByteView user_data = {});
  Result<Bytes> activity_end(ByteView user_data = {});                      // AE, serial V(M)
  Result<Bytes> activity_end_ack(ByteView user_data = {});                  // AEA
  Result<Bytes> activity_interrupt(std::uint8_t reason);                    // AI
  Result<Bytes> activity_interrupt_ack();                                   // AIA
  Result<Bytes> activity_discard(std::uint8_t reason);                      // AD
  Result<Bytes> activity_discard_ack();                                     // ADA
  Result<Bytes> exception_data(std::uint8_t reason, ByteView user_data = {});  // S-U-EXCEPTION-REPORT (ED)
  Result<Bytes> please_tokens(std::uint8_t tokens, ByteView user_data = {});   // PT
  Result<Bytes> give_tokens(std::uint8_t tokens);                           // GT
  Result<Bytes> give_control();                                             // GTC (all tokens)
  Result<Bytes> capability_data(ByteView user_data);                        // CD
  Result<Bytes> capability_data_ack(ByteView user_data = {});               // CDA

  // --- release and abort (X.225 §7.8-7.10) ---
  Result<Bytes> finish(ByteView user_data);       // FN (transport connection released after)
  Result<Bytes> disconnect(ByteView user_data);   // DN, after a FN indication
  Bytes abort(ByteView user_data, std::uint8_t transport_disconnect = tdisc::release | tdisc::user_abort);

  // One received TSDU: the SPDUs it holds, checked against the state (an
  // empty GT/PT in front of a category 2 SPDU is dropped), and what the
  // protocol machine itself answers (a GTA to a GTC, an AA to an AB that
  // keeps the transport). Views point into tsdu.
  struct Incoming {
    std::vector<Spdu> spdus;
    Bytes reply;
  };
  Result<Incoming> receive(ByteView tsdu);

  // The serial number the last received MIP/MAP/AE carried.
  std::uint32_t last_received_serial() const { return last_rx_serial_; }

 private:
  Error protocol(std::string what) const;
  Result<Bytes> category2(Spdu s, std::uint8_t needed_tokens);
  std::optional<Error> check_incoming(const Spdu& s, bool had_category0);
  void apply_incoming(const Spdu& s);
  std::uint8_t available_tokens() const;
  std::uint8_t initial_tokens(std::uint8_t setting, bool initiator) const;

  Role role_;
  State state_ = State::idle;
  std::uint16_t fu_ = 0;
  std::uint16_t proposed_fu_ = 0;
  std::uint8_t version_ = 2;
  std::uint8_t proposed_versions_ = 0x02;
  std::uint8_t token_setting_ = 0;
  std::uint8_t tokens_ = 0;
  bool in_activity_ = false;
  Bytes activity_id_;
  std::uint32_t v_m_ = 1, v_a_ = 1;
  std::uint32_t last_rx_serial_ = 0;
  std::uint32_t pending_major_ = 0;   // serial of an unconfirmed MAP/AE we sent or received (0: none)
  bool pending_end_ = false;          // the pending major is an activity end
  bool awaiting_interrupt_ack_ = false, awaiting_discard_ack_ = false;
  Bytes peer_calling_ref_, peer_common_ref_, own_calling_ref_, own_common_ref_;
};

const char* to_string(Connection::State s);

}  // namespace mixer::p1::session
