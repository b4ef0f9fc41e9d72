// p1/rtse/machine.cpp: the RTSE machine after establishment: transfer with
// checkpoints and window (X.228 §7.3), the receiving side with recovery
// (§7.6), turns (§7.4, §7.5), release (§7.7) and aborts (§7.8, §7.9).
#include "p1/rtse/machine.hpp"

#include <algorithm>

namespace mixer::p1::rtse {

namespace pres = presentation;
using ber::Writer;

const char* to_string(Event::Kind k) {
  switch (k) {
    case Event::Kind::open_indication: return "open-indication";
    case Event::Kind::open_accepted: return "open-accepted";
    case Event::Kind::open_refused: return "open-refused";
    case Event::Kind::transfer_indication: return "transfer-indication";
    case Event::Kind::transfer_confirmed: return "transfer-confirmed";
    case Event::Kind::transfer_interrupted: return "transfer-interrupted";
    case Event::Kind::transfer_discarded: return "transfer-discarded";
    case Event::Kind::transfer_rejected: return "transfer-rejected";
    case Event::Kind::turn_please: return "turn-please";
    case Event::Kind::turn_given: return "turn-given";
    case Event::Kind::close_indication: return "close-indication";
    case Event::Kind::closed: return "closed";
    case Event::Kind::aborted: return "aborted";
  }
  return "?";
}

Machine::Machine(Role role, Settings settings)
    : role_(role),
      settings_(std::move(settings)),
      session_(role == Role::initiator ? session::Role::initiator : session::Role::responder),
      mode_(settings_.mode) {}

std::vector<Bytes> Machine::take_output() {
  std::vector<Bytes> out(std::make_move_iterator(output_.begin()), std::make_move_iterator(output_.end()));
  output_.clear();
  return out;
}

Status<Errc> Machine::emit(session::Result<Bytes> tsdu, const char* what) {
  if (!tsdu) return fail(Errc::protocol_error, std::string(what) + ": " + tsdu.error().what);
  output_.push_back(std::move(*tsdu));
  return Done{};
}

SessionConnectionIdentifier Machine::connection_identifier() const {
  SessionConnectionIdentifier id;
  id.t61 = mode_ == Mode::x410_1984;
  if (role_ == Role::initiator) {
    id.calling_reference = settings_.calling_reference;
    id.common_reference = settings_.common_reference;
    return id;
  }
  // The peer's references as it sent them: BER values inside PI 10 / PI 11.
  auto inner = [&](const Bytes& ber_value, auto&& out) {
    (void)ber::decode(ber_value, settings_.limits, [&](ber::Reader& r) {
      auto h = r.peek();
      if (h) out(r, h->tag);
    });
  };
  inner(session_.peer_calling_reference(), [&](ber::Reader& r, ber::Tag t) {
    id.t61 = t == ber::univ::teletex_string;
    id.calling_reference = r.octets(t);
  });
  inner(session_.peer_common_reference(), [&](ber::Reader& r, ber::Tag t) { id.common_reference = r.time(t); });
  return id;
}

Bytes Machine::user_data_for(std::int64_t context, ByteView value) const {
  return pres::encode(pres::single_value(context, value));
}

std::optional<ByteView> Machine::single_pdv(ByteView user_data, std::int64_t expected_context, pres::UserData& keep,
                                            std::string& error) const {
  auto u = pres::decode_user_data(user_data, settings_.limits);
  if (!u) {
    error = u.error().what;
    return std::nullopt;
  }
  keep = std::move(*u);
  if (keep.pdvs.size() != 1) {
    error = "user data holds " + std::to_string(keep.pdvs.size()) + " presentation values, expected one";
    return std::nullopt;
  }
  if (keep.pdvs[0].context_id != expected_context) {
    error = "presentation context " + std::to_string(keep.pdvs[0].context_id) + " where " +
            std::to_string(expected_context) + " was expected";
    return std::nullopt;
  }
  return keep.pdvs[0].value();
}

Bytes Machine::rtab_user_data(const Rtab& ab, acse::Abrt abrt) const {
  pres::AbortPpdu aru;
  if (mode_ == Mode::x410_1984) {
    Bytes comps = encode_components(ab);
    aru.mode = pres::Mode::x410_1984;
    aru.x410_parameters = ByteView(comps);
    return pres::encode(aru);
  }
  Bytes ext = wrap_rtse_external(encode(Apdu{ab}));
  (void)ber::decode(ext, settings_.limits, [&](ber::Reader& r) { abrt.user_information.push_back(ber::read_external(r)); });
  Bytes abrt_b = acse::encode(abrt);
  aru.user_data = pres::single_value(acse_ctx_, abrt_b);
  return pres::encode(aru);
}

Error Machine::provider_abort(Errc code, std::string what, std::int64_t rtab_reason) {
  Bytes ud;
  if (state_ != State::idle && state_ != State::awaiting_open_confirm && state_ != State::awaiting_open_response) {
    Rtab ab;
    ab.abort_reason = rtab_reason;
    acse::Abrt abrt;
    abrt.source = acse::abort_source::service_provider;
    abrt.diagnostic = acse::abort_diagnostic::protocol_error;
    ud = rtab_user_data(ab, std::move(abrt));
  }
  output_.push_back(session_.abort(ud, session::tdisc::release | session::tdisc::protocol_error));
  state_ = State::closed;
  drop_outbound();
  return fail(code, std::move(what));
}

void Machine::abort(std::int64_t reason) {
  if (state_ == State::closed) return;
  Bytes ud;
  Rtab ab;
  ab.abort_reason = reason;
  if (state_ == State::idle || state_ == State::awaiting_open_confirm || state_ == State::awaiting_open_response) {
    // Before the association exists there is no context to carry an RTAB.
  } else {
    acse::Abrt abrt;
    abrt.source = acse::abort_source::service_user;
    ud = rtab_user_data(ab, std::move(abrt));
  }
  output_.push_back(session_.abort(ud));
  state_ = State::closed;
  drop_outbound();
}

Result<std::vector<Event>> Machine::receive(ByteView tsdu) {
  if (state_ == State::closed) return fail(Errc::protocol_error, "TSDU after the association ended");
  const State before = state_;
  auto in = session_.receive(tsdu);
  if (!in) {
    const auto& e = in.error();
    if (before == State::idle) {
      // X.225 §7.1: a CN the SPM cannot accept is refused by the SPM itself.
      session::Spdu rf(session::Kind::refuse);
      rf.transport_disconnect = session::tdisc::release;
      Bytes reason{session::refuse_reason::spm_not_specified};
      rf.reason_code = ByteView(reason);
      output_.push_back(session::encode_tsdu(rf));
      state_ = State::closed;
      return fail(Errc::refused, "session: " + e.what + " (at offset " + std::to_string(e.offset) + ")");
    }
    output_.push_back(session_.abort({}, session::tdisc::release | session::tdisc::protocol_error));
    state_ = State::closed;
    drop_outbound();
    return fail(Errc::protocol_error, "session: " + e.what + " (at offset " + std::to_string(e.offset) + ")");
  }
  if (!in->reply.empty()) output_.push_back(std::move(in->reply));
  std::vector<Event> events;
  for (const auto& s : in->spdus) {
    Result<std::vector<Event>> r = std::vector<Event>{};
    switch (s.kind) {
      case session::Kind::connect: r = on_connect(s); break;
      case session::Kind::accept: r = on_accept(s); break;
      case session::Kind::refuse: r = on_refuse(s); break;
      case session::Kind::abort: r = on_abort(s); break;
      default: r = on_spdu(s); break;
    }
    if (!r) return r;
    for (auto& e : *r) events.push_back(std::move(e));
  }
  return events;
}

Result<std::vector<Event>> Machine::on_abort(const session::Spdu& ab) {
  state_ = State::closed;
  drop_outbound();
  Event e{Event::Kind::aborted};
  e.what = "peer aborted";
  if (ab.transport_disconnect && (*ab.transport_disconnect & session::tdisc::protocol_error)) e.what += " (protocol error)";
  if (ab.user_data && !ab.user_data->empty()) {
    auto a = pres::decode_abort(*ab.user_data, settings_.limits);
    if (!a) {
      e.what += "; abort data unreadable: " + a.error().what;
    } else if (a->provider) {
      e.what = "presentation provider abort, reason " + std::to_string(a->abort_reason.value_or(0));
    } else if (a->mode == pres::Mode::x410_1984) {
      auto rt = decode_rtab_components(a->x410_parameters, settings_.limits);
      if (rt) e.abort_reason = rt->abort_reason;
    } else if (a->user_data && a->user_data->pdvs.size() == 1) {
      auto ac = acse::decode(a->user_data->pdvs[0].value(), settings_.limits);
      if (ac && std::holds_alternative<acse::Abrt>(*ac)) {
        const auto& abrt = std::get<acse::Abrt>(*ac);
        if (abrt.source == acse::abort_source::service_provider) e.what = "ACSE provider abort";
        if (abrt.user_information.size() == 1) {
          auto rt = decode(abrt.user_information[0].value, settings_.limits);
          if (rt && std::holds_alternative<Rtab>(*rt)) e.abort_reason = std::get<Rtab>(*rt).abort_reason;
        }
      }
    }
  }
  if (e.abort_reason) e.what += ", RTSE abort reason " + std::to_string(*e.abort_reason);
  return std::vector<Event>{std::move(e)};
}

Result<std::vector<Event>> Machine::on_data(ByteView user_data) {
  if (!inbound_.active || inbound_.complete) return provider_abort(Errc::protocol_error, "S-DATA outside a transfer");
  ByteView segment;
  pres::UserData keep;
  Rttr rttr;
  if (mode_ == Mode::x410_1984) {
    segment = user_data;
  } else {
    std::string err;
    auto v = single_pdv(user_data, rtse_ctx_, keep, err);
    if (!v) return provider_abort(Errc::malformed, "P-DATA: " + err, abort_reason::invalid_parameter);
    auto a = decode(*v, settings_.limits);
    if (!a || !std::holds_alternative<Rttr>(*a))
      return provider_abort(Errc::malformed, a ? "P-DATA does not hold an RTTR" : a.error().what, abort_reason::invalid_parameter);
    rttr = std::move(std::get<Rttr>(*a));
    segment = rttr.value();
  }
  if (inbound_.data.size() + segment.size() > settings_.max_apdu)
    return provider_abort(Errc::malformed, "APDU larger than " + std::to_string(settings_.max_apdu) + " octets",
                          abort_reason::permanent_problem);
  inbound_.data.insert(inbound_.data.end(), segment.begin(), segment.end());
  return std::vector<Event>{};
}

Result<std::vector<Event>> Machine::on_spdu(const session::Spdu& s) {
  using K = session::Kind;
  std::vector<Event> events;
  switch (s.kind) {
    case K::activity_start:
      if (outbound_.active) return provider_abort(Errc::protocol_error, "S-ACTIVITY-START while sending");
      inbound_ = Inbound{};
      inbound_.active = true;
      inbound_.activity_id.assign(s.activity_id->begin(), s.activity_id->end());
      interrupted_ = Inbound{};
      break;
    case K::data:
      return on_data(s.user_data ? *s.user_data : ByteView{});
    case K::minor_sync_point: {
      if (!inbound_.active) return provider_abort(Errc::protocol_error, "S-SYNC-MINOR outside a transfer");
      inbound_.checkpoints[*s.serial_number] = inbound_.data.size();
      if (auto st = emit(session_.minor_sync_ack(*s.serial_number), "MIA"); !st) return st.error();
      break;
    }
    case K::activity_end: {
      if (!inbound_.active) return provider_abort(Errc::protocol_error, "S-ACTIVITY-END outside a transfer");
      inbound_.complete = true;
      Event e{Event::Kind::transfer_indication};
      if (mode_ == Mode::x410_1984) {
        e.data = std::move(inbound_.data);
      } else {
        // The RTTR octets form an EXTERNAL naming the MTSE context (P1-PRIMER §6.2).
        ber::External ext;
        auto err = ber::decode(inbound_.data, settings_.limits, [&](ber::Reader& r) {
          ext = ber::read_external(r);
          r.end();
        });
        if (err) return provider_abort(Errc::malformed, "transferred APDU: " + err->what, abort_reason::invalid_parameter);
        if (ext.indirect_reference && *ext.indirect_reference != user_ctx_)
          return provider_abort(Errc::malformed, "transferred APDU in presentation context " +
                                                     std::to_string(*ext.indirect_reference), abort_reason::invalid_parameter);
        if (ext.encoding == ber::External::Encoding::single_asn1_type) e.data.assign(ext.value.begin(), ext.value.end());
        else e.data = ext.octets;
        inbound_.data.clear();
      }
      events.push_back(std::move(e));
      break;
    }
    case K::activity_interrupt:
      interrupted_ = std::move(inbound_);
      inbound_ = Inbound{};
      if (auto st = emit(session_.activity_interrupt_ack(), "AIA"); !st) return st.error();
      events.push_back(Event{Event::Kind::transfer_interrupted});
      break;
    case K::activity_discard:
      interrupted_ = Inbound{};
      inbound_ = Inbound{};
      if (auto st = emit(session_.activity_discard_ack(), "ADA"); !st) return st.error();
      events.push_back(Event{Event::Kind::transfer_discarded});
      break;
    case K::activity_resume: {
      Inbound& from = interrupted_.active ? interrupted_ : inbound_;
      ByteView old_id = *s.old_activity_id;
      std::uint32_t serial = *s.serial_number;
      bool same_id = from.active && std::equal(old_id.begin(), old_id.end(), from.activity_id.begin(), from.activity_id.end());
      auto cp = from.checkpoints.find(serial);
      if (!same_id || (serial != 0 && cp == from.checkpoints.end()))
        return provider_abort(Errc::protocol_error, "S-ACTIVITY-RESUME of an unknown activity or checkpoint",
                              abort_reason::unrecognized_activity);
      Inbound resumed = std::move(from);
      resumed.data.resize(serial == 0 ? 0 : cp->second);
      for (auto it = resumed.checkpoints.upper_bound(serial); it != resumed.checkpoints.end();) it = resumed.checkpoints.erase(it);
      resumed.activity_id.assign(s.activity_id->begin(), s.activity_id->end());
      resumed.complete = false;
      inbound_ = std::move(resumed);
      interrupted_ = Inbound{};
      break;
    }
    case K::minor_sync_ack:
      // X.225: a confirmation names a minor synchronization point we set; one we
      // never sent cannot be a place to resume from (recovery reads its offset).
      if (!outbound_.active || !outbound_.checkpoints.count(*s.serial_number))
        return provider_abort(Errc::protocol_error, "S-SYNC-MINOR confirmation of a checkpoint never sent (serial " +
                                                        std::to_string(*s.serial_number) + ")");
      if (outbound_.outstanding) --outbound_.outstanding;
      outbound_.acknowledged = std::max(outbound_.acknowledged, *s.serial_number);
      pump();
      break;
    case K::activity_end_ack:
      outbound_ = Outbound{};
      events.push_back(Event{Event::Kind::transfer_confirmed});
      break;
    case K::exception_data:
      // X.228 §7.3.4: the receiver cannot take the APDU; give it up.
      if (outbound_.active && !outbound_.ended && !outbound_.stopping) {
        if (auto st = discard_transfer(); !st) return st.error();
      } else if (outbound_.active && outbound_.ended) {
        return provider_abort(Errc::protocol_error, "exception report after S-ACTIVITY-END");
      }
      break;
    case K::activity_interrupt_ack:
      drop_outbound();
      events.push_back(Event{Event::Kind::transfer_interrupted});
      break;
    case K::activity_discard_ack: {
      outbound_ = Outbound{};
      Event e{Event::Kind::transfer_rejected};
      e.what = "the transfer was discarded (the receiving MTA reported an exception, or we gave it up)";
      events.push_back(std::move(e));
      break;
    }
    case K::please_tokens: {
      Event e{Event::Kind::turn_please};
      if (s.user_data && !s.user_data->empty()) {
        ByteView v = *s.user_data;
        pres::UserData keep;
        if (mode_ == Mode::normal) {
          std::string err;
          auto pv = single_pdv(*s.user_data, rtse_ctx_, keep, err);
          if (!pv) return provider_abort(Errc::malformed, "P-TOKEN-PLEASE: " + err, abort_reason::invalid_parameter);
          v = *pv;
        }
        auto a = decode(v, settings_.limits);
        if (a && std::holds_alternative<Rttp>(*a)) e.priority = std::get<Rttp>(*a).priority;
      }
      events.push_back(std::move(e));
      break;
    }
    case K::give_tokens_confirm:
      turn_ = true;
      events.push_back(Event{Event::Kind::turn_given});
      break;
    case K::give_tokens:
    case K::give_tokens_ack:
      break;
    case K::finish: {
      if (mode_ == Mode::normal) {
        pres::UserData keep;
        std::string err;
        auto v = s.user_data ? single_pdv(*s.user_data, acse_ctx_, keep, err) : std::nullopt;
        auto a = v ? acse::decode(*v, settings_.limits) : acse::Result<acse::Apdu>(make_error(acse::Errc::malformed, err.empty() ? "no RLRQ" : err));
        if (!a || !std::holds_alternative<acse::Rlrq>(*a))
          return provider_abort(Errc::malformed, "S-RELEASE without an RLRQ: " + (a ? std::string("another APDU") : a.error().what));
      }
      state_ = State::awaiting_close_response;
      events.push_back(Event{Event::Kind::close_indication});
      break;
    }
    case K::disconnect:
      state_ = State::closed;
      events.push_back(Event{Event::Kind::closed});
      break;
    default:
      return provider_abort(Errc::protocol_error, std::string("unexpected ") + session::to_string(s.kind));
  }
  return events;
}

Status<Errc> Machine::start_outbound(ByteView apdu) {
  if (state_ != State::open) return fail(Errc::protocol_error, "RT-TRANSFER outside an open association");
  if (!turn_) return fail(Errc::protocol_error, "RT-TRANSFER without the turn");
  if (outbound_.active || inbound_.active) return fail(Errc::protocol_error, "RT-TRANSFER while another is under way");
  outbound_ = Outbound{};
  outbound_.active = true;
  if (mode_ == Mode::x410_1984) {
    outbound_.encoding.assign(apdu.begin(), apdu.end());
  } else {
    ber::External e;
    e.indirect_reference = user_ctx_;
    e.value = apdu;
    Writer w;
    ber::write_external(w, e);
    outbound_.encoding = w.take();
  }
  // Activity identifiers: a BER INTEGER, 02 01 01 for the first (as PP sends).
  Writer id;
  id.integer(static_cast<std::int64_t>(++activity_counter_ % 0x7fffff));
  outbound_.activity_id = id.take();
  return Done{};
}

void Machine::drop_outbound() {
  if (outbound_.active && outbound_.acknowledged)
    last_progress_ = OutboundProgress{outbound_.activity_id, outbound_.acknowledged, outbound_.checkpoints[outbound_.acknowledged]};
  outbound_ = Outbound{};
}

Status<Errc> Machine::transfer(ByteView apdu) {
  if (auto st = start_outbound(apdu); !st) return st;
  if (auto st = emit(session_.activity_start(outbound_.activity_id), "AS"); !st) return st;
  pump();
  return Done{};
}

std::optional<Machine::OutboundProgress> Machine::outbound_progress() const {
  if (outbound_.active && outbound_.acknowledged)
    return OutboundProgress{outbound_.activity_id, outbound_.acknowledged, outbound_.checkpoints.at(outbound_.acknowledged)};
  return last_progress_;
}

Status<Errc> Machine::interrupt_transfer() {
  if (!outbound_.active || outbound_.ended || outbound_.stopping) return fail(Errc::protocol_error, "no transfer to interrupt");
  if (auto st = emit(session_.activity_interrupt(0), "AI"); !st) return st;
  outbound_.stopping = true;
  return Done{};
}

Status<Errc> Machine::discard_transfer() {
  if (!outbound_.active || outbound_.ended || outbound_.stopping) return fail(Errc::protocol_error, "no transfer to discard");
  if (auto st = emit(session_.activity_discard(0), "AD"); !st) return st;
  outbound_.stopping = true;
  outbound_.acknowledged = 0;
  return Done{};
}

Status<Errc> Machine::resume_transfer(ByteView apdu, const OutboundProgress& from, const SessionConnectionIdentifier& old) {
  if (auto st = start_outbound(apdu); !st) return st;
  if (from.offset > outbound_.encoding.size()) return fail(Errc::protocol_error, "resume point beyond the APDU");
  Bytes calling = [&] {
    Writer w;
    w.octets(old.calling_reference, old.t61 ? ber::univ::teletex_string : ber::univ::octet_string);
    return w.take();
  }();
  Bytes common = [&] {
    Writer w;
    w.string(old.common_reference, ber::univ::utc_time);
    return w.take();
  }();
  session::ConnectionIdentifier link{std::nullopt, ByteView(calling), ByteView(common), std::nullopt};
  if (auto st = emit(session_.activity_resume(outbound_.activity_id, from.activity_id, from.serial, link), "AR"); !st) return st;
  outbound_.sent = from.offset;
  outbound_.acknowledged = from.serial;
  outbound_.checkpoints[from.serial] = from.offset;
  pump();
  return Done{};
}

void Machine::pump() {
  while (outbound_.active && !outbound_.ended && !outbound_.stopping) {
    const std::size_t size = outbound_.encoding.size();
    if (outbound_.sent < size || outbound_.sent == 0) {
      if (checkpoint_ > 0 && outbound_.outstanding >= static_cast<std::uint64_t>(window_)) return;
      std::size_t chunk = checkpoint_ > 0 ? static_cast<std::size_t>(checkpoint_) * 1024 : size;
      std::size_t n = std::min(chunk, size - outbound_.sent);
      ByteView seg(outbound_.encoding.data() + outbound_.sent, n);
      Bytes ud;
      if (mode_ == Mode::x410_1984) {
        ud.assign(seg.begin(), seg.end());
      } else {
        Bytes rttr = rttr_header(n);
        rttr.insert(rttr.end(), seg.begin(), seg.end());
        ud = user_data_for(rtse_ctx_, rttr);
      }
      if (!emit(session_.data(ud), "DT")) return;
      outbound_.sent += n;
      if (n == 0) outbound_.sent = 1;  // an empty APDU is one empty segment
      if (outbound_.sent < size && checkpoint_ > 0) {
        std::uint32_t serial = session_.next_serial();
        if (!emit(session_.minor_sync(), "MIP")) return;
        outbound_.checkpoints[serial] = outbound_.sent;
        ++outbound_.outstanding;
      }
    } else {
      if (!emit(session_.activity_end(), "AE")) return;
      outbound_.ended = true;
    }
  }
}

Status<Errc> Machine::confirm_transfer() {
  if (!inbound_.active || !inbound_.complete) return fail(Errc::protocol_error, "no transfer awaits confirmation");
  if (auto st = emit(session_.activity_end_ack(), "AEA"); !st) return st;
  inbound_ = Inbound{};
  return Done{};
}

Status<Errc> Machine::turn_please(std::int64_t priority) {
  if (state_ != State::open || turn_) return fail(Errc::protocol_error, "RT-TURN-PLEASE out of state");
  Bytes rttp = encode(Apdu{Rttp{priority}});
  Bytes ud = mode_ == Mode::normal ? user_data_for(rtse_ctx_, rttp) : rttp;
  return emit(session_.please_tokens(session::token::data | session::token::minor_sync | session::token::major_activity, ud),
              "PT");
}

Status<Errc> Machine::turn_give() {
  if (state_ != State::open || !turn_ || outbound_.active) return fail(Errc::protocol_error, "RT-TURN-GIVE out of state");
  if (dialogue_ != dialogue::two_way_alternate) return fail(Errc::protocol_error, "RT-TURN-GIVE in monologue");
  if (auto st = emit(session_.give_control(), "GTC"); !st) return st;
  turn_ = false;
  return Done{};
}

Status<Errc> Machine::close() {
  if (state_ != State::open || !turn_ || outbound_.active || inbound_.active)
    return fail(Errc::protocol_error, "RT-CLOSE out of state");
  Bytes ud;
  if (mode_ == Mode::normal) ud = user_data_for(acse_ctx_, acse::encode(acse::Rlrq{acse::release_reason::normal, {}}));
  if (auto st = emit(session_.finish(ud), "FN"); !st) return st;
  state_ = State::releasing;
  return Done{};
}

Status<Errc> Machine::close_response() {
  if (state_ != State::awaiting_close_response) return fail(Errc::protocol_error, "RT-CLOSE response out of state");
  Bytes ud;
  if (mode_ == Mode::normal) ud = user_data_for(acse_ctx_, acse::encode(acse::Rlre{acse::release_reason::normal, {}}));
  if (auto st = emit(session_.disconnect(ud), "DN"); !st) return st;
  state_ = State::closed;
  return Done{};
}

std::optional<Machine::PartialTransfer> Machine::take_partial() {
  Inbound& from = inbound_.active && !inbound_.complete ? inbound_ : interrupted_;
  if (!from.active || from.checkpoints.empty()) return std::nullopt;
  PartialTransfer p;
  p.activity_id = from.activity_id;
  p.checkpoints = from.checkpoints;
  p.data = from.data;
  p.data.resize(p.checkpoints.rbegin()->second);
  return p;
}

void Machine::resume_from(PartialTransfer p) {
  interrupted_ = Inbound{};
  interrupted_.active = true;
  interrupted_.activity_id = std::move(p.activity_id);
  interrupted_.data = std::move(p.data);
  interrupted_.checkpoints = std::move(p.checkpoints);
}

}  // namespace mixer::p1::rtse
