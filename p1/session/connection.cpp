// p1/session/connection.cpp: the session protocol machine (see header).
#include "p1/session/connection.hpp"

namespace mixer::p1::session {

namespace {

// Functional units this implementation can run (X.225 §6.2).
constexpr std::uint16_t supported_fu = fu::half_duplex | fu::duplex | fu::minor_sync | fu::major_sync |
                                       fu::activity_management | fu::capability_data | fu::exceptions;
// X.225 §8.3.1.16: the requirements assumed when PI 20 is absent.
constexpr std::uint16_t default_fu = fu::half_duplex | fu::minor_sync | fu::activity_management |
                                     fu::capability_data | fu::exceptions;

std::uint8_t highest_version(std::uint8_t bits) { return (bits & 0x02) ? 2 : (bits & 0x01) ? 1 : 0; }

}  // namespace

const char* to_string(Connection::State s) {
  switch (s) {
    case Connection::State::idle: return "idle";
    case Connection::State::await_accept: return "awaiting AC";
    case Connection::State::await_user_accept: return "awaiting the user's answer to CN";
    case Connection::State::connected: return "connected";
    case Connection::State::await_disconnect: return "awaiting DN";
    case Connection::State::await_user_release: return "awaiting the user's answer to FN";
    case Connection::State::closed: return "closed";
  }
  return "?";
}

Error Connection::protocol(std::string what) const {
  return make_error(Errc::protocol_error, std::move(what) + " (session " + to_string(state_) + ")");
}

std::uint8_t Connection::available_tokens() const {
  std::uint8_t t = 0;
  if (has(fu::half_duplex)) t |= token::data;
  if (has(fu::minor_sync)) t |= token::minor_sync;
  if (has(fu::major_sync) || has(fu::activity_management)) t |= token::major_activity;
  if (has(fu::negotiated_release)) t |= token::release;
  return t;
}

// Token Setting Item (X.225 §8.3.1.14): two bits per token, 00 initiator, 01 responder.
std::uint8_t Connection::initial_tokens(std::uint8_t setting, bool initiator) const {
  std::uint8_t mine = 0;
  const std::uint8_t each[4] = {token::data, token::minor_sync, token::major_activity, token::release};
  for (int i = 0; i < 4; ++i) {
    if (!(available_tokens() & each[i])) continue;
    unsigned side = (setting >> (2 * i)) & 3;
    bool at_initiator = side == 0 || side == 2;  // 10: the called user's choice; we leave it to the initiator
    if (at_initiator == initiator) mine |= each[i];
  }
  return mine;
}

Bytes Connection::connect(const ConnectParameters& p, ByteView user_data) {
  own_calling_ref_ = p.calling_reference;
  own_common_ref_ = p.common_reference;
  proposed_fu_ = p.requirements;
  proposed_versions_ = p.versions;
  token_setting_ = p.token_setting;
  Spdu cn{Kind::connect};
  cn.connection_id = ConnectionIdentifier{std::nullopt, ByteView(own_calling_ref_), ByteView(own_common_ref_), std::nullopt};
  cn.protocol_options = 0;
  cn.tsdu_maximum_size = p.tsdu_maximum_size;
  cn.version_number = p.versions;
  cn.token_setting = p.token_setting;
  cn.session_requirements = p.requirements;
  if (p.calling_ssap) cn.calling_ssap = ByteView(*p.calling_ssap);
  if (p.called_ssap) cn.called_ssap = ByteView(*p.called_ssap);
  cn.user_data = user_data;
  state_ = State::await_accept;
  return encode_tsdu(cn);
}

Result<Bytes> Connection::accept(ByteView user_data, std::optional<ByteView> responding_ssap) {
  if (role_ != Role::responder || state_ != State::await_user_accept) return protocol("accept without a CN");
  fu_ = proposed_fu_ & supported_fu;
  if ((fu_ & fu::half_duplex) && (fu_ & fu::duplex)) fu_ &= static_cast<std::uint16_t>(~fu::duplex);
  version_ = highest_version(proposed_versions_);
  // Tokens left to the called SS-user's choice (10) stay with the initiator (00).
  for (int i = 0; i < 4; ++i)
    if (((token_setting_ >> (2 * i)) & 3) == 2) token_setting_ = static_cast<std::uint8_t>(token_setting_ & ~(3u << (2 * i)));
  Spdu ac{Kind::accept};
  ac.connection_id = ConnectionIdentifier{ByteView(peer_calling_ref_), std::nullopt, ByteView(peer_common_ref_), std::nullopt};
  ac.protocol_options = 0;
  ac.version_number = static_cast<std::uint8_t>(version_ == 2 ? 0x02 : 0x01);
  ac.token_setting = token_setting_;
  ac.session_requirements = fu_;
  if (responding_ssap) ac.called_ssap = *responding_ssap;
  ac.user_data = user_data;
  tokens_ = initial_tokens(token_setting_, false);
  state_ = State::connected;
  return encode_tsdu(ac);
}

Result<Bytes> Connection::refuse(std::uint8_t reason, ByteView user_data) {
  if (role_ != Role::responder || state_ != State::await_user_accept) return protocol("refuse without a CN");
  Bytes rc{reason};
  if (reason == refuse_reason::user_data) rc.insert(rc.end(), user_data.begin(), user_data.end());
  Spdu rf{Kind::refuse};
  rf.connection_id = ConnectionIdentifier{ByteView(peer_calling_ref_), std::nullopt, ByteView(peer_common_ref_), std::nullopt};
  rf.transport_disconnect = tdisc::release;
  rf.session_requirements = static_cast<std::uint16_t>(proposed_fu_ & supported_fu);
  rf.reason_code = ByteView(rc);
  state_ = State::closed;
  return encode_tsdu(rf);
}

Result<Bytes> Connection::category2(Spdu s, std::uint8_t needed) {
  if (state_ != State::connected) return protocol(std::string(to_string(s.kind)) + " outside data transfer");
  if ((tokens_ & needed) != needed) return protocol(std::string(to_string(s.kind)) + " without the tokens it needs");
  Spdu lead{tokens_ ? Kind::give_tokens : Kind::please_tokens};
  return encode_tsdu(lead, s);
}

Result<Bytes> Connection::data(ByteView user_data) {
  if (has(fu::activity_management) && !in_activity_) return protocol("DT outside an activity");
  Spdu dt{Kind::data};
  dt.user_data = user_data;
  return category2(dt, has(fu::half_duplex) ? token::data : 0);
}

Result<Bytes> Connection::activity_start(ByteView id, ByteView user_data) {
  if (!has(fu::activity_management)) return protocol("AS without activity management");
  if (in_activity_) return protocol("AS inside an activity");
  Spdu as{Kind::activity_start};
  as.activity_id = id;
  if (!user_data.empty()) as.user_data = user_data;
  auto r = category2(as, token::major_activity);
  if (r) {
    in_activity_ = true;
    activity_id_.assign(id.begin(), id.end());
    v_m_ = v_a_ = 1;
  }
  return r;
}

Result<Bytes> Connection::activity_resume(ByteView new_id, ByteView old_id, std::uint32_t serial,
                                          const ConnectionIdentifier& old_connection, ByteView user_data) {
  if (!has(fu::activity_management)) return protocol("AR without activity management");
  if (in_activity_) return protocol("AR inside an activity");
  Spdu ar{Kind::activity_resume};
  ar.connection_id = old_connection;
  ar.old_activity_id = old_id;
  ar.serial_number = serial;
  ar.activity_id = new_id;
  if (!user_data.empty()) ar.user_data = user_data;
  auto r = category2(ar, token::major_activity);
  if (r) {
    in_activity_ = true;
    activity_id_.assign(new_id.begin(), new_id.end());
    v_m_ = v_a_ = serial + 1;
  }
  return r;
}

Result<Bytes> Connection::minor_sync(ByteView user_data) {
  if (!has(fu::minor_sync)) return protocol("MIP without the minor synchronize unit");
  if (has(fu::activity_management) && !in_activity_) return protocol("MIP outside an activity");
  Spdu mip{Kind::minor_sync_point};
  mip.serial_number = v_m_;
  if (!user_data.empty()) mip.user_data = user_data;
  auto r = category2(mip, token::minor_sync | (has(fu::half_duplex) ? token::data : 0));
  if (r) ++v_m_;
  return r;
}

Result<Bytes> Connection::minor_sync_ack(std::uint32_t serial, ByteView user_data) {
  if (serial == 0 || serial > last_rx_serial_) return protocol("MIA for a sync point not received");
  Spdu mia{Kind::minor_sync_ack};
  mia.serial_number = serial;
  if (!user_data.empty()) mia.user_data = user_data;
  return category2(mia, 0);
}

Result<Bytes> Connection::major_sync(ByteView user_data) {
  if (!has(fu::major_sync)) return protocol("MAP without the major synchronize unit");
  if (pending_major_) return protocol("MAP while a major sync is unconfirmed");
  Spdu map{Kind::major_sync_point};
  if (has(fu::activity_management)) map.sync_type = 1;  // not the end of an activity
  map.serial_number = v_m_;
  if (!user_data.empty()) map.user_data = user_data;
  auto r = category2(map, token::major_activity | token::minor_sync | (has(fu::half_duplex) ? token::data : 0));
  if (r) {
    pending_major_ = v_m_++;
    pending_end_ = false;
  }
  return r;
}

Result<Bytes> Connection::major_sync_ack(ByteView user_data) {
  if (!pending_major_ || pending_end_) return protocol("MAA without a MAP received");
  Spdu maa{Kind::major_sync_ack};
  maa.serial_number = pending_major_;
  if (!user_data.empty()) maa.user_data = user_data;
  auto r = category2(maa, 0);
  if (r) {
    v_a_ = pending_major_ + 1;
    pending_major_ = 0;
  }
  return r;
}

Result<Bytes> Connection::activity_end(ByteView user_data) {
  if (!in_activity_) return protocol("AE outside an activity");
  if (pending_major_) return protocol("AE while a major sync is unconfirmed");
  Spdu ae{Kind::activity_end};
  ae.serial_number = v_m_;
  if (!user_data.empty()) ae.user_data = user_data;
  auto r = category2(ae, token::major_activity | (has(fu::minor_sync) ? token::minor_sync : 0) |
                             (has(fu::half_duplex) ? token::data : 0));
  if (r) {
    pending_major_ = v_m_++;
    pending_end_ = true;
  }
  return r;
}

Result<Bytes> Connection::activity_end_ack(ByteView user_data) {
  if (!pending_major_ || !pending_end_) return protocol("AEA without an AE received");
  Spdu aea{Kind::activity_end_ack};
  aea.serial_number = pending_major_;
  if (!user_data.empty()) aea.user_data = user_data;
  auto r = category2(aea, 0);
  if (r) {
    pending_major_ = 0;
    pending_end_ = false;
    in_activity_ = false;
  }
  return r;
}

Result<Bytes> Connection::activity_interrupt(std::uint8_t reason) {
  if (!in_activity_) return protocol("AI outside an activity");
  Bytes rc{reason};
  Spdu ai{Kind::activity_interrupt};
  ai.reason_code = ByteView(rc);
  auto r = category2(ai, token::major_activity);
  if (r) awaiting_interrupt_ack_ = true;
  return r;
}

Result<Bytes> Connection::activity_interrupt_ack() {
  if (in_activity_ || !awaiting_interrupt_ack_) return protocol("AIA without an AI received");
  auto r = category2(Spdu{Kind::activity_interrupt_ack}, 0);
  if (r) awaiting_interrupt_ack_ = false;
  return r;
}

Result<Bytes> Connection::activity_discard(std::uint8_t reason) {
  if (!in_activity_) return protocol("AD outside an activity");
  Bytes rc{reason};
  Spdu ad{Kind::activity_discard};
  ad.reason_code = ByteView(rc);
  auto r = category2(ad, token::major_activity);
  if (r) awaiting_discard_ack_ = true;
  return r;
}

Result<Bytes> Connection::activity_discard_ack() {
  if (in_activity_ || !awaiting_discard_ack_) return protocol("ADA without an AD received");
  auto r = category2(Spdu{Kind::activity_discard_ack}, 0);
  if (r) awaiting_discard_ack_ = false;
  return r;
}

Result<Bytes> Connection::exception_data(std::uint8_t reason, ByteView user_data) {
  if (!has(fu::exceptions)) return protocol("ED without the exceptions unit");
  if (has(fu::half_duplex) && owns(token::data)) return protocol("ED by the holder of the data token");
  Bytes rc{reason};
  Spdu ed{Kind::exception_data};
  ed.reason_code = ByteView(rc);
  if (!user_data.empty()) ed.user_data = user_data;
  return category2(ed, 0);
}

Result<Bytes> Connection::please_tokens(std::uint8_t tokens, ByteView user_data) {
  if (state_ != State::connected) return protocol("PT outside data transfer");
  Spdu pt{Kind::please_tokens};
  pt.token_item = tokens;
  if (!user_data.empty()) pt.user_data = user_data;
  return encode_tsdu(pt);
}

Result<Bytes> Connection::give_tokens(std::uint8_t tokens) {
  if (state_ != State::connected) return protocol("GT outside data transfer");
  if ((tokens_ & tokens) != tokens) return protocol("GT of tokens not held");
  Spdu gt{Kind::give_tokens};
  gt.token_item = tokens;
  tokens_ &= static_cast<std::uint8_t>(~tokens);
  return encode_tsdu(gt);
}

Result<Bytes> Connection::give_control() {
  if (state_ != State::connected) return protocol("GTC outside data transfer");
  if (in_activity_) return protocol("GTC inside an activity");
  if (tokens_ != available_tokens()) return protocol("GTC without all tokens");
  tokens_ = 0;
  return encode_tsdu(Spdu{Kind::give_tokens_confirm});
}

Result<Bytes> Connection::capability_data(ByteView user_data) {
  if (!has(fu::capability_data)) return protocol("CD without the capability data unit");
  if (in_activity_) return protocol("CD inside an activity");
  Spdu cd{Kind::capability_data};
  cd.user_data = user_data;
  return category2(cd, token::major_activity);
}

Result<Bytes> Connection::capability_data_ack(ByteView user_data) {
  Spdu cda{Kind::capability_data_ack};
  if (!user_data.empty()) cda.user_data = user_data;
  return category2(cda, 0);
}

Result<Bytes> Connection::finish(ByteView user_data) {
  if (state_ != State::connected) return protocol("FN outside data transfer");
  if (in_activity_) return protocol("FN inside an activity");
  std::uint8_t needed = available_tokens();
  if ((tokens_ & needed) != needed) return protocol("FN without all tokens");
  Spdu fn{Kind::finish};
  fn.transport_disconnect = tdisc::release;
  if (!user_data.empty()) fn.user_data = user_data;
  state_ = State::await_disconnect;
  return encode_tsdu(fn);
}

Result<Bytes> Connection::disconnect(ByteView user_data) {
  if (state_ != State::await_user_release) return protocol("DN without a FN received");
  Spdu dn{Kind::disconnect};
  if (!user_data.empty()) dn.user_data = user_data;
  state_ = State::closed;
  return encode_tsdu(dn);
}

Bytes Connection::abort(ByteView user_data, std::uint8_t transport_disconnect) {
  Spdu ab{Kind::abort};
  ab.transport_disconnect = transport_disconnect;
  if (!user_data.empty()) ab.user_data = user_data;
  state_ = State::closed;
  return encode_tsdu(ab);
}

std::optional<Error> Connection::check_incoming(const Spdu& s, bool had_category0) {
  auto bad = [&](const std::string& what) { return std::optional<Error>(protocol(what)); };
  const std::uint8_t peer = static_cast<std::uint8_t>(available_tokens() & ~tokens_);
  const bool half = has(fu::half_duplex);
  const bool activities = has(fu::activity_management);
  switch (s.kind) {
    case Kind::data:
      if (half && !(peer & token::data)) return bad("DT from the side without the data token");
      if (activities && !in_activity_) return bad("DT outside an activity");
      return std::nullopt;
    case Kind::activity_start:
    case Kind::activity_resume:
      if (!activities) return bad("activity SPDU without activity management");
      if (in_activity_) return bad("AS/AR inside an activity");
      if (!(peer & token::major_activity)) return bad("AS/AR from the side without the activity token");
      return std::nullopt;
    case Kind::minor_sync_point:
      if (!has(fu::minor_sync)) return bad("MIP without the minor synchronize unit");
      if (activities && !in_activity_) return bad("MIP outside an activity");
      if (!(peer & token::minor_sync)) return bad("MIP from the side without the minor sync token");
      if (*s.serial_number != v_m_) return bad("MIP serial " + std::to_string(*s.serial_number) + ", expected " + std::to_string(v_m_));
      return std::nullopt;
    case Kind::minor_sync_ack:
      if (*s.serial_number >= v_m_ || *s.serial_number < v_a_) return bad("MIA for serial " + std::to_string(*s.serial_number) + " not outstanding");
      return std::nullopt;
    case Kind::major_sync_point:
    case Kind::activity_end:
      if (s.kind == Kind::activity_end && !in_activity_) return bad("AE outside an activity");
      if (!(peer & token::major_activity)) return bad("MAP/AE from the side without the major/activity token");
      if (*s.serial_number != v_m_) return bad("MAP/AE serial " + std::to_string(*s.serial_number) + ", expected " + std::to_string(v_m_));
      return std::nullopt;
    case Kind::major_sync_ack:
    case Kind::activity_end_ack:
      if (!pending_major_ || *s.serial_number != pending_major_) return bad("MAA/AEA for a sync point not sent");
      return std::nullopt;
    case Kind::activity_interrupt:
    case Kind::activity_discard:
      if (!in_activity_) return bad("AI/AD outside an activity");
      if (!(peer & token::major_activity)) return bad("AI/AD from the side without the activity token");
      return std::nullopt;
    case Kind::activity_interrupt_ack:
      if (!awaiting_interrupt_ack_) return bad("AIA without an AI sent");
      return std::nullopt;
    case Kind::activity_discard_ack:
      if (!awaiting_discard_ack_) return bad("ADA without an AD sent");
      return std::nullopt;
    case Kind::exception_data:
      if (!has(fu::exceptions)) return bad("ED without the exceptions unit");
      if (half && !owns(token::data)) return bad("ED while the sender holds the data token");
      return std::nullopt;
    case Kind::exception_report:
      return std::nullopt;
    case Kind::give_tokens:
      if (s.token_item && (*s.token_item & ~peer & 0x55)) return bad("GT of tokens the peer does not hold");
      return std::nullopt;
    case Kind::please_tokens:
      return std::nullopt;
    case Kind::give_tokens_confirm:
      if (in_activity_) return bad("GTC inside an activity");
      return std::nullopt;
    case Kind::capability_data:
      if (!has(fu::capability_data) || in_activity_) return bad("CD not allowed now");
      return std::nullopt;
    case Kind::capability_data_ack:
    case Kind::give_tokens_ack:
      return std::nullopt;
    case Kind::finish:
      if (in_activity_) return bad("FN inside an activity");
      if ((peer & available_tokens()) != available_tokens()) return bad("FN from the side without all tokens");
      return std::nullopt;
    case Kind::abort:
    case Kind::abort_accept:
      return std::nullopt;
    default:
      (void)had_category0;
      return bad(std::string(to_string(s.kind)) + " is not supported on this connection");
  }
}

void Connection::apply_incoming(const Spdu& s) {
  switch (s.kind) {
    case Kind::activity_start:
      in_activity_ = true;
      activity_id_.assign(s.activity_id->begin(), s.activity_id->end());
      v_m_ = v_a_ = 1;
      break;
    case Kind::activity_resume:
      in_activity_ = true;
      activity_id_.assign(s.activity_id->begin(), s.activity_id->end());
      v_m_ = v_a_ = *s.serial_number + 1;
      break;
    case Kind::minor_sync_point:
      last_rx_serial_ = v_m_++;
      break;
    case Kind::minor_sync_ack:
      v_a_ = *s.serial_number + 1;
      break;
    case Kind::major_sync_point:
    case Kind::activity_end:
      last_rx_serial_ = v_m_;
      pending_major_ = v_m_++;
      pending_end_ = s.kind == Kind::activity_end;
      break;
    case Kind::major_sync_ack:
      v_a_ = pending_major_ + 1;
      pending_major_ = 0;
      break;
    case Kind::activity_end_ack:
      v_a_ = pending_major_ + 1;
      pending_major_ = 0;
      pending_end_ = false;
      in_activity_ = false;
      break;
    case Kind::activity_interrupt:
    case Kind::activity_discard:
      in_activity_ = false;
      pending_major_ = 0;
      awaiting_interrupt_ack_ = s.kind == Kind::activity_interrupt;
      awaiting_discard_ack_ = s.kind == Kind::activity_discard;
      break;
    case Kind::activity_interrupt_ack:
      awaiting_interrupt_ack_ = false;
      in_activity_ = false;
      pending_major_ = 0;
      break;
    case Kind::activity_discard_ack:
      awaiting_discard_ack_ = false;
      in_activity_ = false;
      pending_major_ = 0;
      break;
    case Kind::give_tokens:
      if (s.token_item) tokens_ |= static_cast<std::uint8_t>(*s.token_item & available_tokens());
      break;
    case Kind::give_tokens_confirm:
      tokens_ = available_tokens();
      break;
    default:
      break;
  }
}

Result<Connection::Incoming> Connection::receive(ByteView tsdu) {
  DecodeOptions opt;
  opt.activity_management = state_ == State::connected ? has(fu::activity_management) : true;
  auto decoded = decode_tsdu(tsdu, opt);
  if (!decoded) return decoded.error();
  Incoming in;
  std::vector<Spdu>& list = *decoded;
  const Kind first = list.front().kind;

  switch (state_) {
    case State::idle: {
      if (role_ != Role::responder || first != Kind::connect) return protocol(std::string(to_string(first)) + " before CN");
      const Spdu& cn = list.front();
      if (cn.connection_id) {
        if (auto r = cn.connection_id->calling_ss_user_reference) peer_calling_ref_.assign(r->begin(), r->end());
        if (auto r = cn.connection_id->common_reference) peer_common_ref_.assign(r->begin(), r->end());
      }
      proposed_fu_ = cn.session_requirements.value_or(default_fu);
      proposed_versions_ = cn.version_number.value_or(0x01);
      token_setting_ = cn.token_setting.value_or(0);
      if (!(proposed_versions_ & 0x03)) return make_error(Errc::bad_parameter, "CN proposes no protocol version we know");
      state_ = State::await_user_accept;
      in.spdus = std::move(list);
      return in;
    }
    case State::await_accept: {
      const Spdu& s = list.front();
      if (s.kind == Kind::accept) {
        fu_ = s.session_requirements.value_or(default_fu);
        if (fu_ & ~proposed_fu_) return protocol("AC selects functional units not proposed");
        if ((fu_ & fu::half_duplex) && (fu_ & fu::duplex)) return protocol("AC selects both half-duplex and duplex");
        std::uint8_t v = s.version_number.value_or(0x01) & proposed_versions_;
        if (!v) return protocol("AC selects a version not proposed");
        version_ = highest_version(v);
        if (s.token_setting) token_setting_ = *s.token_setting;
        tokens_ = initial_tokens(token_setting_, true);
        state_ = State::connected;
      } else if (s.kind == Kind::refuse || s.kind == Kind::abort) {
        state_ = State::closed;
      } else {
        return protocol(std::string(to_string(s.kind)) + " in answer to CN");
      }
      in.spdus = std::move(list);
      return in;
    }
    case State::connected:
    case State::await_disconnect:
    case State::await_user_release:
      break;
    case State::await_user_accept:
    case State::closed:
      return protocol(std::string(to_string(first)) + " received");
  }

  if (first == Kind::abort) {
    state_ = State::closed;
    in.spdus = std::move(list);
    return in;
  }
  if (state_ == State::await_disconnect) {
    if (first != Kind::disconnect && first != Kind::not_finished) {
      // Data may still arrive before the peer sees our FN (X.225 §7.8.2).
      if (first == Kind::finish) return protocol("FN collision");
    } else {
      state_ = first == Kind::disconnect ? State::closed : State::connected;
      in.spdus = std::move(list);
      return in;
    }
  }
  if (state_ == State::await_user_release) return protocol(std::string(to_string(first)) + " after FN");
  if (first == Kind::disconnect || first == Kind::not_finished || first == Kind::accept || first == Kind::refuse ||
      first == Kind::connect)
    return protocol(std::string(to_string(first)) + " during data transfer");

  for (std::size_t i = 0; i < list.size(); ++i) {
    const Spdu& s = list[i];
    if (auto e = check_incoming(s, i > 0)) return *e;
    apply_incoming(s);
    if (s.kind == Kind::finish) state_ = State::await_user_release;
    if (s.kind == Kind::give_tokens_confirm) in.reply = encode_tsdu(Spdu{Kind::give_tokens_ack});
  }
  // Keep the category 0 SPDU only when it says something (tokens or user data).
  if (list.size() == 2 && !list[0].token_item && !list[0].user_data) list.erase(list.begin());
  in.spdus = std::move(list);
  return in;
}

}  // namespace mixer::p1::session
