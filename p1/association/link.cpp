// p1/association/link.cpp: the association engine (see header).
#include "p1/association/link.hpp"

#include <algorithm>
#include <atomic>
#include <ctime>

namespace mixer::p1::association {

namespace tp = transport;

const char* to_string(LinkEvent::Kind k) {
  switch (k) {
    case LinkEvent::Kind::bound: return "bound";
    case LinkEvent::Kind::bind_refused: return "bind-refused";
    case LinkEvent::Kind::apdu: return "apdu";
    case LinkEvent::Kind::transfer_confirmed: return "transfer-confirmed";
    case LinkEvent::Kind::transfer_failed: return "transfer-failed";
    case LinkEvent::Kind::released: return "released";
    case LinkEvent::Kind::aborted: return "aborted";
  }
  return "?";
}

namespace {

std::string key_of(const rtse::SessionConnectionIdentifier& id, const std::string& address) {
  return address + "|" + std::string(id.calling_reference.begin(), id.calling_reference.end()) + "|" + id.common_reference;
}

std::uint16_t next_reference() {
  static std::atomic<std::uint32_t> counter{0x2b17};
  std::uint16_t r = static_cast<std::uint16_t>(counter.fetch_add(0x9e37) & 0xffff);
  return r ? r : 1;
}

std::string printable(ByteView b) {
  std::string s;
  for (auto c : b) s += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return s;
}

const char* mode_name(rtse::Mode m) { return m == rtse::Mode::normal ? "normal mode" : "X.410-1984 mode"; }

}  // namespace

void RecoveryStore::put(const rtse::SessionConnectionIdentifier& id, const std::string& address, Entry e) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string key = key_of(id, address);
  if (auto old = entries_.find(key); old != entries_.end()) {
    octets_ -= old->second.entry.partial.data.size();
    entries_.erase(old);
  }
  const std::size_t size = e.partial.data.size();
  if (size > max_octets_) return;
  while (!entries_.empty() && (entries_.size() >= max_entries_ || octets_ + size > max_octets_)) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const auto& a, const auto& b) { return a.second.sequence < b.second.sequence; });
    octets_ -= oldest->second.entry.partial.data.size();
    entries_.erase(oldest);
  }
  octets_ += size;
  entries_.emplace(key, Held{std::move(e), ++sequence_});
}

std::optional<RecoveryStore::Entry> RecoveryStore::take(const rtse::SessionConnectionIdentifier& id,
                                                        const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key_of(id, address));
  if (it == entries_.end()) return std::nullopt;
  auto e = std::move(it->second.entry);
  octets_ -= e.partial.data.size();
  entries_.erase(it);
  return e;
}

std::size_t RecoveryStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

std::size_t RecoveryStore::octets() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return octets_;
}

Link::Link(const ResponderSettings& settings, std::string peer_address, bool busy, RecoveryStore* recovery)
    : initiator_(false),
      rs_(settings),
      peer_address_(std::move(peer_address)),
      busy_(busy),
      recovery_(recovery),
      phase_(Phase::awaiting_cr),
      framer_(settings.limits.transport),
      tsdus_(settings.limits.transport),
      own_ref_(next_reference()) {}

Link::Link(const InitiatorSettings& settings, PeerSettings peer, std::string common_reference,
           std::optional<Resumption> resume)
    : initiator_(true),
      is_(settings),
      peer_(std::move(peer)),
      peer_address_(peer_.host),
      common_reference_(std::move(common_reference)),
      resume_(std::move(resume)),
      phase_(Phase::awaiting_cc),
      framer_(settings.limits.transport),
      tsdus_(settings.limits.transport),
      own_ref_(next_reference()) {}

Bytes Link::take_output() { return std::move(output_); }

void Link::send_tpdu(const Bytes& tpdu) {
  Bytes t = tp::tpkt(tpdu);
  output_.insert(output_.end(), t.begin(), t.end());
}

void Link::flush_rtse() {
  if (!rtse_) return;
  for (const auto& tsdu : rtse_->take_output()) tp::append_data_tpkts(output_, tsdu, max_tpdu_);
}

void Link::transport_disconnect(std::uint8_t reason) {
  tp::DisconnectRequest dr;
  dr.dst_ref = peer_ref_;
  dr.src_ref = own_ref_;
  dr.reason = reason;
  send_tpdu(tp::encode(dr));
  phase_ = Phase::closed;
  closed_ = true;
}

LinkEvent Link::ended(LinkEvent::Kind kind, FailureClass c, std::string what) {
  LinkEvent e(kind);
  e.peer = peer_name_;
  e.failure = Failure{c, what};
  e.what = std::move(what);
  closed_ = true;
  phase_ = Phase::closed;
  return e;
}

void Link::keep_partial() {
  if (initiator_ || !recovery_ || !rtse_) return;
  if (auto p = rtse_->take_partial())
    recovery_->put(rtse_->connection_identifier(), peer_address_, RecoveryStore::Entry{std::move(*p), peer_name_});
}

void Link::start() {
  if (!initiator_) return;
  cr_ = tp::ConnectionRequest{};
  cr_.src_ref = own_ref_;
  cr_.calling_tsap = peer_.local.tsap;
  cr_.called_tsap = peer_.remote.tsap;
  if (is_.tpdu_size_code) cr_.tpdu_size_code = is_.tpdu_size_code;
  send_tpdu(tp::encode(cr_));
}

std::vector<LinkEvent> Link::receive(ByteView bytes) {
  std::vector<LinkEvent> out;
  if (closed_) return out;
  framer_.feed(bytes);
  while (!closed_) {
    auto n = framer_.next();
    if (!n) {
      // A broken TPKT stream cannot be answered in step: just close (RFC 1006 §6).
      out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, "RFC 1006: " + n.error().what));
      keep_partial();
      break;
    }
    if (!*n) break;
    for (auto& e : on_tpdu(**n)) out.push_back(std::move(e));
  }
  return out;
}

std::vector<LinkEvent> Link::on_tpdu(ByteView tpdu) {
  std::vector<LinkEvent> out;
  auto t = tp::decode_tpdu(tpdu);
  if (!t) {
    // X.224 §6.22: an invalid TPDU is answered with an ER, then the connection goes.
    tp::ErrorTpdu er;
    er.dst_ref = peer_ref_;
    er.cause = t.code() == tp::Errc::unsupported_tpdu ? tp::er_cause::invalid_tpdu_type : tp::er_cause::invalid_parameter_value;
    er.invalid_tpdu.assign(tpdu.begin(), tpdu.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(tpdu.size(), 2)));
    send_tpdu(tp::encode(er));
    keep_partial();
    out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient,
                        "X.224: " + t.error().what + " (at octet " + std::to_string(t.error().offset) + " of the TPDU)"));
    return out;
  }
  auto protocol_error = [&](const std::string& what) {
    tp::ErrorTpdu er;
    er.dst_ref = peer_ref_;
    er.cause = tp::er_cause::invalid_tpdu_type;
    er.invalid_tpdu.assign(tpdu.begin(), tpdu.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(tpdu.size(), 2)));
    send_tpdu(tp::encode(er));
    keep_partial();
    out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, "X.224: " + what));
  };
  if (auto* cr = std::get_if<tp::ConnectionRequest>(&*t)) {
    if (initiator_ || phase_ != Phase::awaiting_cr) protocol_error("CR on an established connection");
    else on_cr(*cr, out);
  } else if (auto* cc = std::get_if<tp::ConnectionConfirm>(&*t)) {
    if (!initiator_ || phase_ != Phase::awaiting_cc) return protocol_error("unexpected CC"), out;
    if (cc->dst_ref != own_ref_) return protocol_error("CC for another reference"), out;
    peer_ref_ = cc->src_ref;
    max_tpdu_ = tp::agreed_tpdu_size(cr_, *cc);
    phase_ = Phase::connected;
    rtse::Settings s;
    s.limits = is_.limits.ber;
    s.max_apdu = is_.limits.max_apdu;
    s.checkpoint_size = is_.checkpoint_size;
    s.window_size = is_.window_size;
    s.dialogue_mode = peer_.dialogue_mode;
    s.mode = peer_.mode;
    if (resume_) {
      // X.228 §7.6: the recovering association proposes what the broken one negotiated,
      // in its mode (X.410-1984 or normal): the peer's answers stand as they were.
      const Interruption& from = resume_->from;
      s.mode = from.mode;
      s.dialogue_mode = from.dialogue_mode;
      s.checkpoint_size = from.checkpoint_size;
      s.window_size = from.window_size;
    }
    s.calling_reference.assign(is_.mta_name.begin(), is_.mta_name.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(is_.mta_name.size(), 64)));
    s.common_reference = common_reference_;
    s.calling_ssel = peer_.local.ssap;
    s.called_ssel = peer_.remote.ssap;
    s.calling_psel = peer_.local.psap;
    s.called_psel = peer_.remote.psap;
    s.own_title = is_.own_title;
    rtse_ = std::make_unique<rtse::Machine>(rtse::Role::initiator, s);
    mta::BindArgument arg;
    arg.name = is_.mta_name;
    arg.credentials.password = mta::simple_password(peer_.our_password, peer_.password_octets);
    // Recovery replaces the bind: the RTORQ's connectionData is `recover`, naming the broken connection.
    auto st = resume_ ? rtse_->open({}, resume_->from.connection)
                      : rtse_->open(mta::encode_bind_argument(arg, peer_.mode == rtse::Mode::normal));
    flush_rtse();
    if (!st) out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::permanent, st.error().what));
  } else if (auto* dt = std::get_if<tp::DataTpdu>(&*t)) {
    if (phase_ != Phase::connected) return protocol_error("DT before the connection"), out;
    auto whole = tsdus_.add(*dt);
    if (!whole) {
      transport_disconnect(tp::dr_reason::protocol_error);
      keep_partial();
      out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, "X.224: " + whole.error().what));
      return out;
    }
    if (*whole) return on_tsdu(**whole);
  } else if (auto* dr = std::get_if<tp::DisconnectRequest>(&*t)) {
    keep_partial();
    bool quiet = released_;
    closed_ = true;
    phase_ = Phase::closed;
    if (initiator_ && !bound_ && !rtse_) {
      LinkEvent e(LinkEvent::Kind::bind_refused);
      e.failure = Failure{FailureClass::transient, "transport connection refused (DR reason " + std::to_string(dr->reason) + ")"};
      e.what = e.failure.what;
      out.push_back(std::move(e));
    } else if (!quiet) {
      out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient,
                          "peer disconnected the transport (DR reason " + std::to_string(dr->reason) + ")"));
    }
  } else if (auto* er = std::get_if<tp::ErrorTpdu>(&*t)) {
    keep_partial();
    out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient,
                        "peer rejected a TPDU (ER cause " + std::to_string(er->cause) + ")"));
  }
  return out;
}

void Link::on_cr(const tp::ConnectionRequest& cr, std::vector<LinkEvent>& out) {
  peer_ref_ = cr.src_ref;
  if (cr.protocol_class() != 0) {
    transport_disconnect(tp::dr_reason::negotiation_failed);
    out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::permanent,
                        "CR asks for transport class " + std::to_string(cr.protocol_class()) + ", RFC 1006 runs class 0"));
    return;
  }
  std::vector<Bytes> tsaps = rs_.accepted_tsaps;
  if (rs_.local.tsap) tsaps.push_back(*rs_.local.tsap);
  if (!tsaps.empty() && (!cr.called_tsap || std::find(tsaps.begin(), tsaps.end(), *cr.called_tsap) == tsaps.end())) {
    transport_disconnect(tp::dr_reason::address_unknown);
    out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::permanent,
                        "CR for TSAP \"" + (cr.called_tsap ? printable(*cr.called_tsap) : std::string()) + "\", not ours"));
    return;
  }
  tp::ConnectionConfirm cc;
  cc.dst_ref = cr.src_ref;
  cc.src_ref = own_ref_;
  auto size = tp::negotiate_tpdu_size(cr, rs_.limits.max_tpdu);
  cc.tpdu_size_code = size.cc_code;
  max_tpdu_ = size.max_tpdu;
  send_tpdu(tp::encode(cc));
  phase_ = Phase::connected;
  rtse::Settings s;
  s.limits = rs_.limits.ber;
  s.max_apdu = rs_.limits.max_apdu;
  s.checkpoint_size = rs_.checkpoint_size;
  s.window_size = rs_.window_size;
  s.called_ssel = rs_.local.ssap;
  s.own_title = rs_.own_title;
  s.explicit_default_window = rs_.explicit_default_window;
  rtse_ = std::make_unique<rtse::Machine>(rtse::Role::responder, s);
}

std::vector<LinkEvent> Link::on_tsdu(ByteView tsdu) {
  auto r = rtse_->receive(tsdu);
  flush_rtse();
  if (!r) {
    keep_partial();
    const bool before_bind = !bound_;
    auto kind = before_bind && !initiator_ ? LinkEvent::Kind::bind_refused : LinkEvent::Kind::aborted;
    std::vector<LinkEvent> out;
    out.push_back(ended(kind, FailureClass::transient, r.error().what));
    return out;
  }
  return on_rtse(std::move(*r));
}

std::vector<LinkEvent> Link::on_rtse(std::vector<rtse::Event> events) {
  std::vector<LinkEvent> out;
  for (auto& e : events) {
    switch (e.kind) {
      case rtse::Event::Kind::open_indication: on_open_indication(e, out); break;
      case rtse::Event::Kind::open_accepted: on_open_accepted(e, out); break;
      case rtse::Event::Kind::open_refused: on_open_refused(e, out); break;
      case rtse::Event::Kind::transfer_indication: {
        LinkEvent a(LinkEvent::Kind::apdu);
        a.apdu = std::move(e.data);
        a.peer = peer_name_;
        transfer_pending_ = true;
        ++apdus_in_;
        out.push_back(std::move(a));
        break;
      }
      case rtse::Event::Kind::transfer_confirmed: {
        transfer_pending_ = false;
        ++apdus_out_;
        out.push_back(LinkEvent(LinkEvent::Kind::transfer_confirmed));
        break;
      }
      case rtse::Event::Kind::transfer_rejected: {
        transfer_pending_ = false;
        LinkEvent f(LinkEvent::Kind::transfer_failed);
        f.failure = Failure{FailureClass::transient, e.what};
        f.what = e.what;
        out.push_back(std::move(f));
        break;
      }
      case rtse::Event::Kind::close_indication: {
        (void)rtse_->close_response();
        flush_rtse();
        released_ = true;
        LinkEvent rel(LinkEvent::Kind::released);
        rel.peer = peer_name_;
        rel.what = "released by " + peer_name_;
        out.push_back(std::move(rel));
        break;
      }
      case rtse::Event::Kind::closed: {
        released_ = true;
        transport_disconnect(tp::dr_reason::normal);  // as PP does after the DN
        LinkEvent rel(LinkEvent::Kind::released);
        rel.peer = peer_name_;
        rel.what = "released";
        out.push_back(std::move(rel));
        break;
      }
      case rtse::Event::Kind::aborted:
        keep_partial();
        out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, e.what));
        break;
      default:
        break;  // turns, interruptions: nothing for the user here
    }
  }
  return out;
}

void Link::refuse_bind(mta::BindError error, const std::string& why, std::vector<LinkEvent>& out) {
  const bool normal = rtse_->mode() == rtse::Mode::normal;
  std::int64_t reason = rtse::refuse_reason::validation_failure;
  if (error == mta::BindError::busy) reason = rtse::refuse_reason::rts_busy;
  if (error == mta::BindError::unacceptable_dialogue_mode) reason = rtse::refuse_reason::unacceptable_dialogue_mode;
  (void)rtse_->refuse(normal ? mta::encode_bind_error(error, true) : Bytes{}, reason);
  flush_rtse();
  LinkEvent e(LinkEvent::Kind::bind_refused);
  e.bind_error = error;
  e.peer = peer_name_;
  e.failure = Failure{FailureClass::permanent, why};
  e.what = std::string("bind refused: ") + mta::to_string(error) + " (" + why + ")";
  closed_ = true;
  out.push_back(std::move(e));
}

// X.228: an RTORQ asking to recover a connection this responder does not hold is refused
// cannotRecover (X.410 mode; a transient AARE rejection in normal mode), not as a bind error,
// so the initiator opens a fresh association instead of giving up.
void Link::refuse_recovery(std::vector<LinkEvent>& out) {
  (void)rtse_->refuse({}, rtse::refuse_reason::cannot_recover);
  flush_rtse();
  LinkEvent e(LinkEvent::Kind::bind_refused);
  e.peer = peer_name_;
  e.failure = Failure{FailureClass::transient, "recovery of an unknown connection"};
  e.what = "bind refused: cannotRecover (recovery of an unknown connection)";
  closed_ = true;
  out.push_back(std::move(e));
}

void Link::on_open_indication(const rtse::Event& e, std::vector<LinkEvent>& out) {
  const bool normal = e.open.mode == rtse::Mode::normal;
  if (e.open.recover) {
    auto p = recovery_ ? recovery_->take(e.open.recovery, peer_address_) : std::nullopt;
    if (!p) return refuse_recovery(out);
    rtse_->resume_from(std::move(p->partial));
    (void)rtse_->accept({});
    flush_rtse();
    bound_ = true;
    // The MTA authenticated on the broken association (the recover names it, from its address).
    peer_name_ = !p->peer.empty() ? p->peer : "(recovering " + printable(e.open.recovery.calling_reference) + ")";
    auto known = std::find_if(rs_.peers.begin(), rs_.peers.end(), [&](const PeerSettings& q) { return q.name == p->peer; });
    if (known != rs_.peers.end()) peer_ = *known;
    LinkEvent b(LinkEvent::Kind::bound);
    b.peer = peer_name_;
    b.recovery = true;
    b.what = "recovery of an interrupted transfer from " + peer_name_ + " accepted";
    out.push_back(std::move(b));
    return;
  }
  auto bind = mta::decode_bind(e.data, rs_.limits.ber, normal);
  if (!bind || bind->kind != mta::BindApdu::Kind::argument)
    return refuse_bind(mta::BindError::authentication_error,
                       "unreadable bind argument: " + (bind ? std::string("not an argument") : bind.error().what), out);
  const auto& arg = bind->value;
  peer_name_ = arg.authenticated ? arg.name : std::string("(unauthenticated)");
  if (busy_) return refuse_bind(mta::BindError::busy, "too many associations", out);
  if (!arg.authenticated) return refuse_bind(mta::BindError::authentication_error, "unauthenticated bind", out);
  auto peer = std::find_if(rs_.peers.begin(), rs_.peers.end(), [&](const PeerSettings& p) { return p.name == arg.name; });
  if (peer == rs_.peers.end()) return refuse_bind(mta::BindError::authentication_error, "unknown MTA " + arg.name, out);
  if (!peer->addresses.empty() &&
      std::find(peer->addresses.begin(), peer->addresses.end(), peer_address_) == peer->addresses.end())
    return refuse_bind(mta::BindError::authentication_error, "MTA " + arg.name + " may not call from " + peer_address_, out);
  if (arg.credentials.kind != mta::Credentials::Kind::simple)
    return refuse_bind(mta::BindError::authentication_error, "only simple credentials are accepted", out);
  const auto& pw = arg.credentials.password.value;
  if (std::string(pw.begin(), pw.end()) != peer->password)
    return refuse_bind(mta::BindError::authentication_error, "wrong password for " + arg.name, out);
  if (arg.security_context) return refuse_bind(mta::BindError::unacceptable_security_context, "security contexts are not supported", out);
  if (e.open.dialogue_mode == rtse::dialogue::two_way_alternate && !rs_.allow_two_way_alternate)
    return refuse_bind(mta::BindError::unacceptable_dialogue_mode, "two-way alternate is not allowed", out);
  if (!normal && e.open.application_protocol && *e.open.application_protocol != mta::mts_transfer_protocol &&
      *e.open.application_protocol != mta::mts_transfer_protocol_1984 && *e.open.application_protocol != 3072)
    return refuse_bind(mta::BindError::authentication_error,
                       "X.410 application protocol " + std::to_string(*e.open.application_protocol), out);
  peer_ = *peer;
  mta::BindResult result;
  result.name = rs_.mta_name;
  // Answer in the password form the caller used (Isode IA5String, PP OCTET STRING).
  result.credentials.password = mta::simple_password(peer->our_password, arg.credentials.password.octet_string);
  auto st = rtse_->accept(mta::encode_bind_result(result, normal));
  flush_rtse();
  if (!st) {
    out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, st.error().what));
    return;
  }
  bound_ = true;
  LinkEvent b(LinkEvent::Kind::bound);
  b.peer = peer_name_;
  b.what = "bind from " + peer_name_ + " accepted (" + mode_name(e.open.mode) + ", " +
           (e.open.dialogue_mode == rtse::dialogue::monologue ? "monologue" : "two-way alternate") + ", checkpoint " +
           std::to_string(rtse_->checkpoint_size()) + "K, window " + std::to_string(rtse_->window_size()) + ")";
  out.push_back(std::move(b));
}

void Link::on_open_accepted(const rtse::Event& e, std::vector<LinkEvent>& out) {
  if (resume_) {
    if (!e.open.recover) {
      // X.228 §7.6: the RTOAC of a recovery carries `recover` back; an `open` here is not an answer to ours.
      rtse_->abort(rtse::abort_reason::protocol_error);
      flush_rtse();
      LinkEvent r(LinkEvent::Kind::bind_refused);
      r.recovery = true;
      r.failure = Failure{FailureClass::transient, "the peer answered our recover with an open"};
      r.what = "recovery by " + peer_.name + " refused: " + r.failure.what;
      closed_ = true;
      out.push_back(std::move(r));
      return;
    }
    bound_ = true;
    peer_name_ = resume_->from.peer_name.empty() ? peer_.name : resume_->from.peer_name;
    return resume_transfer(out);
  }
  const bool normal = rtse_->mode() == rtse::Mode::normal;
  auto bind = mta::decode_bind(e.data, is_.limits.ber, normal);
  auto fail = [&](const std::string& why) {
    rtse_->abort(rtse::abort_reason::user_error);
    flush_rtse();
    LinkEvent r(LinkEvent::Kind::bind_refused);
    r.failure = Failure{FailureClass::permanent, why};
    r.what = "bind to " + peer_.name + " failed: " + why;
    closed_ = true;
    out.push_back(std::move(r));
  };
  if (!bind) return fail("unreadable bind result: " + bind.error().what);
  if (normal && bind->kind != mta::BindApdu::Kind::result) return fail("the open data is not a bind result");
  const auto& res = bind->value;
  peer_name_ = res.authenticated ? res.name : std::string("(unauthenticated)");
  if (!peer_.name.empty() && (!res.authenticated || res.name != peer_.name))
    return fail("responder says it is \"" + peer_name_ + "\", expected \"" + peer_.name + "\"");
  if (!peer_.password.empty()) {
    const auto& pw = res.credentials.password.value;
    if (res.credentials.kind != mta::Credentials::Kind::simple || std::string(pw.begin(), pw.end()) != peer_.password)
      return fail("responder " + peer_name_ + " presented the wrong password");
  }
  bound_ = true;
  LinkEvent b(LinkEvent::Kind::bound);
  b.peer = peer_name_;
  b.what = "bound to " + peer_name_ + " (" + mode_name(rtse_->mode()) + ", checkpoint " +
           std::to_string(rtse_->checkpoint_size()) + "K, window " + std::to_string(rtse_->window_size()) + ")";
  out.push_back(std::move(b));
}

void Link::on_open_refused(const rtse::Event& e, std::vector<LinkEvent>& out) {
  LinkEvent r(LinkEvent::Kind::bind_refused);
  r.failure.kind = FailureClass::transient;
  r.recovery = resume_.has_value();
  if (!e.data.empty()) {
    auto b = mta::decode_bind(e.data, is_.limits.ber, true);
    if (b && b->kind == mta::BindApdu::Kind::error) {
      r.bind_error = static_cast<mta::BindError>(b->error);
      r.failure.kind = *r.bind_error == mta::BindError::busy ? FailureClass::transient : FailureClass::permanent;
      r.failure.what = std::string("Bind-Error ") + mta::to_string(*r.bind_error);
    }
  } else if (e.refuse_reason) {
    // X.410 mode: RTORJ refuseReason (X.228). rtsBusy and cannotRecover are transient (a
    // fresh association may succeed); validationFailure and the dialogue mode are not.
    const std::int64_t why = *e.refuse_reason;
    if (why == rtse::refuse_reason::rts_busy) r.bind_error = mta::BindError::busy;
    else if (why == rtse::refuse_reason::unacceptable_dialogue_mode) r.bind_error = mta::BindError::unacceptable_dialogue_mode;
    else if (why != rtse::refuse_reason::cannot_recover) r.bind_error = mta::BindError::authentication_error;
    const bool transient = why == rtse::refuse_reason::rts_busy || why == rtse::refuse_reason::cannot_recover;
    r.failure.kind = transient ? FailureClass::transient : FailureClass::permanent;
    static constexpr const char* names[] = {"rtsBusy", "cannotRecover", "validationFailure", "unacceptableDialogueMode"};
    r.failure.what = "RTORJ refuseReason " + std::string(why >= 0 && why < 4 ? names[why] : "unknown") + " (" +
                     std::to_string(why) + ")";
  }
  if (r.failure.what.empty()) r.failure.what = e.what;
  r.what = "bind to " + peer_.name + " refused: " + r.failure.what;
  if (resume_) {
    // Whatever the refusal says (cannotRecover, busy, or a peer without recovery answering
    // with a bind error), it refuses the recovery, not us: the APDU goes whole on a fresh bind.
    if (!e.refuse_reason && !r.bind_error && e.data.empty())
      r.failure.what += " (normal mode has no refuseReason: taken as cannotRecover)";
    r.bind_error.reset();
    r.failure.kind = FailureClass::transient;
    r.what = "recovery refused by " + peer_.name + ": " + r.failure.what;
  }
  closed_ = true;
  out.push_back(std::move(r));
}

void Link::confirm() {
  if (!rtse_ || !transfer_pending_) return;
  if (rtse_->confirm_transfer()) transfer_pending_ = false;
  flush_rtse();
}

std::vector<LinkEvent> Link::reject_transfer(const std::string& why) {
  std::vector<LinkEvent> out;
  if (!rtse_ || closed_) return out;
  rtse_->abort(rtse::abort_reason::temporary_problem);
  flush_rtse();
  out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, "APDU not accepted: " + why));
  return out;
}

bool Link::ready() const {
  return bound_ && !closed_ && rtse_ && rtse_->state() == rtse::Machine::State::open && rtse_->has_turn() &&
         !rtse_->transferring();
}

// X.228 §7.6 / X.225 §7.11 (S-ACTIVITY-RESUME): the recovered association carries on the
// interrupted activity from the receiver's last confirmed checkpoint.
void Link::resume_transfer(std::vector<LinkEvent>& out) {
  const Interruption& from = resume_->from;
  Status<rtse::Errc> st = make_error(rtse::Errc::protocol_error, "the APDU to resume is not the one interrupted");
  if (resume_->apdu.size() == from.apdu_size) st = rtse_->resume_transfer(resume_->apdu, from.progress, from.connection);
  flush_rtse();
  if (!st) {
    rtse_->abort(rtse::abort_reason::local_system_problem);
    flush_rtse();
    LinkEvent r(LinkEvent::Kind::bind_refused);
    r.recovery = true;
    r.failure = Failure{FailureClass::transient, "cannot resume: " + st.error().what};
    r.what = "recovery by " + peer_.name + " failed: " + r.failure.what;
    closed_ = true;
    out.push_back(std::move(r));
    return;
  }
  transfer_pending_ = true;
  transfer_size_ = resume_->apdu.size();
  LinkEvent b(LinkEvent::Kind::bound);
  b.peer = peer_name_;
  b.recovery = true;
  b.what = "recovered the connection to " + peer_name_ + "; transfer resumed from checkpoint " +
           std::to_string(from.progress.serial) + " (" + std::to_string(from.progress.offset) + " octets already with the peer, " +
           mode_name(rtse_->mode()) + ")";
  out.push_back(std::move(b));
}

std::optional<Interruption> Link::interrupted() const {
  if (!initiator_ || !rtse_ || !bound_ || !transfer_pending_) return std::nullopt;
  const auto& session = rtse_->session();
  if (!session.has(p1::session::fu::activity_management) || !session.has(p1::session::fu::minor_sync)) return std::nullopt;
  auto progress = rtse_->outbound_progress();
  if (!progress || progress->serial == 0) return std::nullopt;
  Interruption i;
  i.connection = rtse_->connection_identifier();
  i.progress = *progress;
  i.apdu_size = transfer_size_;
  i.mode = rtse_->mode();
  i.dialogue_mode = rtse_->dialogue_mode();
  i.checkpoint_size = rtse_->checkpoint_size();
  i.window_size = rtse_->window_size();
  i.peer_name = peer_name_;
  return i;
}

Status<rtse::Errc> Link::transfer(ByteView apdu) {
  if (!ready()) return make_error(rtse::Errc::protocol_error, "association not ready to transfer");
  auto st = rtse_->transfer(apdu);
  flush_rtse();
  if (st) transfer_pending_ = true;
  transfer_size_ = apdu.size();
  return st;
}

void Link::release() {
  if (!rtse_ || closed_) return;
  if (rtse_->close()) flush_rtse();
}

std::vector<LinkEvent> Link::timeout(const std::string& what) {
  std::vector<LinkEvent> out;
  if (closed_) return out;
  keep_partial();
  if (rtse_ && rtse_->state() != rtse::Machine::State::closed) {
    rtse_->abort(rtse::abort_reason::temporary_problem);
    flush_rtse();
  } else if (phase_ == Phase::connected) {
    transport_disconnect(tp::dr_reason::not_specified);
  }
  out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, what + " deadline passed"));
  return out;
}

std::vector<LinkEvent> Link::disconnected(const std::string& what) {
  std::vector<LinkEvent> out;
  if (closed_) return out;
  keep_partial();
  if (released_) {
    closed_ = true;
    return out;
  }
  out.push_back(ended(LinkEvent::Kind::aborted, FailureClass::transient, "connection lost: " + what));
  return out;
}

std::string next_common_reference() {
  static std::mutex mutex;
  static std::time_t last = 0;
  std::lock_guard lock(mutex);
  last = std::max(std::time(nullptr), last + 1);
  std::tm tm{};
  gmtime_r(&last, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%y%m%d%H%M%SZ", &tm);
  return buf;
}

}  // namespace mixer::p1::association
