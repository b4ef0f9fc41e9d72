// p1/rtse/establish.cpp: RT-OPEN (X.228 §7.2) in both modes: the CN/AC/RF
// SPDUs with their CP/CPA/CPR, AARQ/AARE and RTORQ/RTOAC/RTORJ, shaped as
// Isode and PP send them (P1-PRIMER §3-6), and the refusals a responder
// sends for what it cannot read.
#include <algorithm>

#include "p1/rtse/machine.hpp"

namespace mixer::p1::rtse {

namespace pres = presentation;
using ber::Writer;

namespace {

const Oid acse_syntax = acse::acse_abstract_syntax;

// CallingSSuserReference / CommonReference as RTSE puts them in PI 10/11.
Bytes ber_reference(const Bytes& v, bool t61) {
  Writer w;
  w.octets(v, t61 ? ber::univ::teletex_string : ber::univ::octet_string);
  return w.take();
}
Bytes ber_utctime(const std::string& t) {
  Writer w;
  w.string(t, ber::univ::utc_time);
  return w.take();
}

}  // namespace

Error Machine::fail(Errc code, std::string what) const { return make_error(code, std::move(what)); }

Bytes Machine::wrap_rtse_external(ByteView rtse_apdu) const {
  // ACSE user-information: direct-reference BER and indirect-reference the
  // RTSE context, as Isode and PP both send it (P1-PRIMER §5).
  ber::External e;
  e.direct_reference = pres::ber_transfer_syntax;
  e.indirect_reference = rtse_ctx_;
  e.value = rtse_apdu;
  Writer w;
  ber::write_external(w, e);
  return w.take();
}

Status<Errc> Machine::open(ByteView bind_argument, const std::optional<SessionConnectionIdentifier>& recover) {
  if (role_ != Role::initiator || state_ != State::idle) return fail(Errc::protocol_error, "RT-OPEN request out of state");
  mode_ = settings_.mode;
  Rtorq rq;
  if (settings_.checkpoint_size > 0) rq.checkpoint_size = settings_.checkpoint_size;
  if (settings_.window_size != 3) rq.window_size = settings_.window_size;
  rq.dialogue_mode = settings_.dialogue_mode;  // sent although DEFAULT, as both captures do
  if (recover) {
    rq.data.recover = true;
    rq.data.recovery = *recover;
  } else {
    rq.data.open = bind_argument;
  }
  pres::ConnectPpdu cp;
  Bytes rq_b, aarq_b;
  if (mode_ == Mode::x410_1984) {
    rq.application_protocol = settings_.x410_application_protocol;
    cp.mode = pres::Mode::x410_1984;
    rq_b = encode_components(rq);
    cp.x410_parameters = ByteView(rq_b);
  } else {
    proposed_contexts_ = {{acse_ctx_, acse_syntax, {pres::ber_transfer_syntax}},
                          {rtse_ctx_, settings_.rtse_syntax, {pres::ber_transfer_syntax}},
                          {user_ctx_, settings_.user_syntax, {pres::ber_transfer_syntax}}};
    rq_b = encode(Apdu{rq});
    Bytes ext = wrap_rtse_external(rq_b);
    acse::Aarq aarq;
    aarq.context_name = settings_.application_context;
    aarq.called = settings_.peer_title;
    aarq.calling = settings_.own_title;
    auto e = ber::decode(ext, settings_.limits, [&](ber::Reader& r) { aarq.user_information.push_back(ber::read_external(r)); });
    if (e) return fail(Errc::malformed, "internal: " + e->what);
    aarq_b = acse::encode(aarq);
    cp.calling_selector = settings_.calling_psel;
    cp.called_selector = settings_.called_psel;
    cp.contexts = proposed_contexts_;
    cp.user_data = pres::single_value(acse_ctx_, aarq_b);
  }
  Bytes cp_b = pres::encode(cp);
  session::ConnectParameters sp;
  sp.calling_reference = ber_reference(settings_.calling_reference, mode_ == Mode::x410_1984);
  sp.common_reference = ber_utctime(settings_.common_reference);
  sp.calling_ssap = settings_.calling_ssel;
  sp.called_ssap = settings_.called_ssel;
  output_.push_back(session_.connect(sp, cp_b));
  state_ = State::awaiting_open_confirm;
  return Done{};
}

Result<std::vector<Event>> Machine::on_connect(const session::Spdu& cn) {
  state_ = State::awaiting_open_response;
  if (!cn.user_data || cn.user_data->empty()) return refuse_connect(pres::cpr_reason::not_specified, "CN without a CP-type");
  auto cp = pres::decode_cp(*cn.user_data, settings_.limits);
  if (!cp) return refuse_connect(pres::cpr_reason::user_data_not_readable, cp.error().what);
  OpenParameters& op = open_params_;
  op = OpenParameters{};
  op.calling_ssel = cn.calling_ssap ? std::optional<Bytes>(Bytes(cn.calling_ssap->begin(), cn.calling_ssap->end())) : std::nullopt;
  op.called_ssel = cn.called_ssap ? std::optional<Bytes>(Bytes(cn.called_ssap->begin(), cn.called_ssap->end())) : std::nullopt;
  Rtorq rq;
  if (cp->mode == pres::Mode::x410_1984) {
    mode_ = Mode::x410_1984;
    auto r = decode_rtorq_components(cp->x410_parameters, settings_.limits);
    if (!r) return refuse_association(0, acse::DiagnosticSource::service_provider, 1, r.error().what);
    rq = std::move(*r);
  } else {
    mode_ = Mode::normal;
    op.calling_psel = cp->calling_selector;
    op.called_psel = cp->called_selector;
    proposed_contexts_ = cp->contexts;
    results_ = pres::negotiate(cp->contexts, {acse_syntax, settings_.rtse_syntax, settings_.user_syntax}, contexts_);
    auto a = contexts_.id_of(acse_syntax), r = contexts_.id_of(settings_.rtse_syntax), u = contexts_.id_of(settings_.user_syntax);
    if (!a || !r || !u)
      return refuse_connect(pres::cpr_reason::local_limit_exceeded,
                            "CP-type lacks a usable ACSE, MTA-RTSE or MTSE presentation context");
    acse_ctx_ = *a;
    rtse_ctx_ = *r;
    user_ctx_ = *u;
    if (!cp->user_data) return refuse_connect(pres::cpr_reason::not_specified, "CP-type without user data (no AARQ)");
    const auto& pdvs = cp->user_data->pdvs;
    if (pdvs.size() != 1 || pdvs[0].context_id != acse_ctx_)
      return refuse_connect(pres::cpr_reason::user_data_not_readable, "CP-type user data is not one ACSE value");
    auto apdu = acse::decode(pdvs[0].value(), settings_.limits);
    if (!apdu || !std::holds_alternative<acse::Aarq>(*apdu))
      return refuse_association(acse::associate_result::rejected_permanent, acse::DiagnosticSource::service_provider, 1,
                                apdu ? "CP-type user data is not an AARQ" : apdu.error().what);
    const auto& aarq = std::get<acse::Aarq>(*apdu);
    open_context_name_ = aarq.context_name;
    op.calling = aarq.calling;
    op.called = aarq.called;
    const auto& ok_names = settings_.accepted_application_contexts;
    if (std::find(ok_names.begin(), ok_names.end(), aarq.context_name) == ok_names.end())
      return refuse_association(acse::associate_result::rejected_permanent, acse::DiagnosticSource::service_user,
                                acse::user_diagnostic::context_name_not_supported,
                                "application context " + aarq.context_name.to_string() + " not supported");
    if (aarq.user_information.size() != 1 ||
        (aarq.user_information[0].indirect_reference && *aarq.user_information[0].indirect_reference != rtse_ctx_) ||
        aarq.user_information[0].encoding != ber::External::Encoding::single_asn1_type)
      return refuse_association(acse::associate_result::rejected_permanent, acse::DiagnosticSource::service_user,
                                acse::user_diagnostic::no_reason_given, "AARQ user-information is not one RTORQ");
    auto rapdu = decode(aarq.user_information[0].value, settings_.limits);
    if (!rapdu || !std::holds_alternative<Rtorq>(*rapdu))
      return refuse_association(acse::associate_result::rejected_permanent, acse::DiagnosticSource::service_user,
                                acse::user_diagnostic::no_reason_given,
                                rapdu ? "AARQ user-information is not an RTORQ" : rapdu.error().what);
    rq = std::get<Rtorq>(*rapdu);
  }
  op.mode = mode_;
  op.dialogue_mode = rq.mode();
  op.checkpoint_size = rq.checkpoint();
  op.window_size = rq.window();
  op.recover = rq.data.recover;
  op.recovery = rq.data.recovery;
  op.application_protocol = rq.application_protocol;
  if (op.checkpoint_size < 0 || op.window_size < 1 || (op.dialogue_mode != dialogue::monologue && op.dialogue_mode != dialogue::two_way_alternate))
    return refuse_association(acse::associate_result::rejected_permanent, acse::DiagnosticSource::service_user,
                              acse::user_diagnostic::no_reason_given, "RTORQ checkpoint, window or dialogue mode out of range");
  Event e{Event::Kind::open_indication};
  e.open = op;
  e.data.assign(rq.data.open.begin(), rq.data.open.end());
  return std::vector<Event>{std::move(e)};
}

Status<Errc> Machine::accept(ByteView bind_result) {
  if (role_ != Role::responder || state_ != State::awaiting_open_response) return fail(Errc::protocol_error, "RT-OPEN response out of state");
  const OpenParameters& op = open_params_;
  checkpoint_ = std::min(op.checkpoint_size, settings_.checkpoint_size);
  window_ = std::max<std::int64_t>(1, std::min(op.window_size, settings_.window_size));
  dialogue_ = op.dialogue_mode;
  Rtoac ac;
  if (checkpoint_ > 0) ac.checkpoint_size = checkpoint_;
  if (window_ != 3 || settings_.explicit_default_window) ac.window_size = window_;
  if (op.recover) {
    ac.data.recover = true;
    ac.data.recovery = op.recovery;
  } else {
    ac.data.open = bind_result;
  }
  pres::AcceptPpdu cpa;
  Bytes ac_b, aare_b;
  std::optional<ByteView> ssap;
  static const Bytes empty;
  if (mode_ == Mode::x410_1984) {
    cpa.mode = pres::Mode::x410_1984;
    ac_b = encode_components(ac);
    cpa.x410_parameters = ByteView(ac_b);
  } else {
    ac_b = encode(Apdu{ac});
    Bytes ext = wrap_rtse_external(ac_b);
    acse::Aare aare;
    aare.context_name = open_context_name_;
    aare.result = acse::associate_result::accepted;
    aare.responding = settings_.own_title;
    auto e = ber::decode(ext, settings_.limits, [&](ber::Reader& r) { aare.user_information.push_back(ber::read_external(r)); });
    if (e) return fail(Errc::malformed, "internal: " + e->what);
    aare_b = acse::encode(aare);
    cpa.responding_selector = op.called_psel;
    cpa.results = results_;
    cpa.user_data = pres::single_value(acse_ctx_, aare_b);
    // Isode and PP answer with an (empty) Called SSAP in normal mode (P1-PRIMER §3.3).
    ssap = settings_.called_ssel ? ByteView(*settings_.called_ssel) : ByteView(empty);
  }
  Bytes cpa_b = pres::encode(cpa);
  auto t = session_.accept(cpa_b, ssap);
  if (!t) return fail(Errc::protocol_error, t.error().what);
  output_.push_back(std::move(*t));
  state_ = State::open;
  turn_ = false;  // the initiator holds the turn (and every token) at first
  return Done{};
}

Status<Errc> Machine::refuse(ByteView bind_error, std::int64_t reason) {
  if (role_ != Role::responder || state_ != State::awaiting_open_response) return fail(Errc::protocol_error, "RT-OPEN refusal out of state");
  Rtorj rj;
  pres::RefusePpdu cpr;
  Bytes rj_b, aare_b;
  if (mode_ == Mode::x410_1984) {
    rj.refuse_reason = reason;
    cpr.mode = pres::Mode::x410_1984;
    rj_b = encode_components(rj);
    cpr.x410_parameters = ByteView(rj_b);
  } else {
    if (!bind_error.empty()) rj.user_data = bind_error;
    rj_b = encode(Apdu{rj});
    Bytes ext = wrap_rtse_external(rj_b);
    acse::Aare aare;
    aare.context_name = open_context_name_;
    // Normal mode has no refuseReason (X.228: "only in X.410-1984 mode"): a busy responder
    // and a connection it cannot recover are transient rejections, the rest permanent.
    const bool transient = reason == refuse_reason::rts_busy || reason == refuse_reason::cannot_recover;
    aare.result = transient ? acse::associate_result::rejected_transient : acse::associate_result::rejected_permanent;
    aare.diagnostic = acse::user_diagnostic::no_reason_given;
    auto e = ber::decode(ext, settings_.limits, [&](ber::Reader& r) { aare.user_information.push_back(ber::read_external(r)); });
    if (e) return fail(Errc::malformed, "internal: " + e->what);
    aare_b = acse::encode(aare);
    cpr.results = results_;
    cpr.user_data = pres::single_value(acse_ctx_, aare_b);
  }
  Bytes cpr_b = pres::encode(cpr);
  auto t = session_.refuse(session::refuse_reason::user_data, cpr_b);
  if (!t) return fail(Errc::protocol_error, t.error().what);
  output_.push_back(std::move(*t));
  state_ = State::closed;
  return Done{};
}

Error Machine::refuse_connect(std::int64_t provider_reason, std::string what) {
  pres::RefusePpdu cpr;
  cpr.results = results_;
  cpr.provider_reason = provider_reason;
  Bytes cpr_b = pres::encode(cpr);
  auto t = session_.refuse(session::refuse_reason::user_data, cpr_b);
  if (t) output_.push_back(std::move(*t));
  state_ = State::closed;
  return fail(Errc::refused, "presentation: " + what);
}

Error Machine::refuse_association(std::int64_t result, acse::DiagnosticSource source, std::int64_t diagnostic,
                                  std::string what) {
  if (mode_ == Mode::x410_1984) {
    Rtorj rj;
    rj.refuse_reason = refuse_reason::validation_failure;
    Bytes rj_b = encode_components(rj);
    pres::RefusePpdu cpr;
    cpr.mode = pres::Mode::x410_1984;
    cpr.x410_parameters = ByteView(rj_b);
    Bytes cpr_b = pres::encode(cpr);
    auto t = session_.refuse(session::refuse_reason::user_data, cpr_b);
    if (t) output_.push_back(std::move(*t));
    state_ = State::closed;
    return fail(Errc::refused, "RTSE: " + what);
  }
  acse::Aare aare;
  aare.context_name = open_context_name_.arcs.empty() ? settings_.application_context : open_context_name_;
  aare.result = result ? result : acse::associate_result::rejected_permanent;
  aare.diagnostic_source = source;
  aare.diagnostic = diagnostic;
  Bytes aare_b = acse::encode(aare);
  pres::RefusePpdu cpr;
  cpr.results = results_;
  cpr.user_data = pres::single_value(acse_ctx_, aare_b);
  Bytes cpr_b = pres::encode(cpr);
  auto t = session_.refuse(session::refuse_reason::user_data, cpr_b);
  if (t) output_.push_back(std::move(*t));
  state_ = State::closed;
  return fail(Errc::refused, "ACSE: " + what);
}

Result<std::vector<Event>> Machine::on_accept(const session::Spdu& ac) {
  auto abort_with = [&](std::string what) -> Result<std::vector<Event>> {
    return provider_abort(Errc::protocol_error, std::move(what));
  };
  if (!ac.user_data) return abort_with("AC without a CPA-PPDU");
  auto cpa = pres::decode_cpa(*ac.user_data, settings_.limits);
  if (!cpa) return abort_with(cpa.error().what);
  if ((cpa->mode == pres::Mode::x410_1984) != (mode_ == Mode::x410_1984)) return abort_with("CPA-PPDU in the other mode");
  Rtoac rc;
  if (mode_ == Mode::x410_1984) {
    auto r = decode_rtoac_components(cpa->x410_parameters, settings_.limits);
    if (!r) return abort_with(r.error().what);
    rc = std::move(*r);
  } else {
    if (!pres::accepted_contexts(proposed_contexts_, cpa->results, contexts_))
      return abort_with("CPA-PPDU result list does not match the proposal");
    if (!contexts_.abstract_syntax_of(acse_ctx_) || !contexts_.abstract_syntax_of(rtse_ctx_) || !contexts_.abstract_syntax_of(user_ctx_))
      return abort_with("the responder rejected a presentation context P1 needs");
    if (!cpa->user_data || cpa->user_data->pdvs.size() != 1 || cpa->user_data->pdvs[0].context_id != acse_ctx_)
      return abort_with("CPA-PPDU user data is not one ACSE value");
    auto apdu = acse::decode(cpa->user_data->pdvs[0].value(), settings_.limits);
    if (!apdu || !std::holds_alternative<acse::Aare>(*apdu)) return abort_with(apdu ? "CPA user data is not an AARE" : apdu.error().what);
    const auto& aare = std::get<acse::Aare>(*apdu);
    if (aare.result != acse::associate_result::accepted) return abort_with("AARE rejects in an AC");
    if (aare.user_information.size() != 1) return abort_with("AARE user-information is not one RTOAC");
    auto r = decode(aare.user_information[0].value, settings_.limits);
    if (!r || !std::holds_alternative<Rtoac>(*r)) return abort_with(r ? "AARE user-information is not an RTOAC" : r.error().what);
    rc = std::get<Rtoac>(*r);
  }
  checkpoint_ = std::min(rc.checkpoint(), std::max<std::int64_t>(settings_.checkpoint_size, 0));
  window_ = std::max<std::int64_t>(1, rc.window());
  dialogue_ = settings_.dialogue_mode;
  turn_ = true;
  state_ = State::open;
  Event e{Event::Kind::open_accepted};
  e.open.mode = mode_;
  e.open.dialogue_mode = dialogue_;
  e.open.checkpoint_size = checkpoint_;
  e.open.window_size = window_;
  e.open.recover = rc.data.recover;
  e.open.recovery = rc.data.recovery;
  e.data.assign(rc.data.open.begin(), rc.data.open.end());
  return std::vector<Event>{std::move(e)};
}

Result<std::vector<Event>> Machine::on_refuse(const session::Spdu& rf) {
  state_ = State::closed;
  Event e{Event::Kind::open_refused};
  if (!rf.reason_code || rf.reason_code->empty() || (*rf.reason_code)[0] != session::refuse_reason::user_data) {
    e.what = "session refused the connection, reason " + std::to_string(rf.reason_code && !rf.reason_code->empty() ? (*rf.reason_code)[0] : 0);
    return std::vector<Event>{std::move(e)};
  }
  auto cpr = pres::decode_cpr(rf.reason_code->subspan(1), settings_.limits);
  if (!cpr) {
    e.what = "refused; " + cpr.error().what;
    return std::vector<Event>{std::move(e)};
  }
  if (cpr->mode == pres::Mode::x410_1984) {
    auto rj = decode_rtorj_components(cpr->x410_parameters, settings_.limits);
    if (rj) e.refuse_reason = rj->refuse_reason;
    e.what = "RTSE refused (X.410 mode), reason " + std::to_string(e.refuse_reason.value_or(-1));
    return std::vector<Event>{std::move(e)};
  }
  if (cpr->provider_reason) e.what = "presentation provider refused, reason " + std::to_string(*cpr->provider_reason);
  if (cpr->user_data && cpr->user_data->pdvs.size() == 1) {
    auto apdu = acse::decode(cpr->user_data->pdvs[0].value(), settings_.limits);
    if (apdu && std::holds_alternative<acse::Aare>(*apdu)) {
      const auto& aare = std::get<acse::Aare>(*apdu);
      e.what = "association rejected, result " + std::to_string(aare.result) + ", diagnostic " +
               std::to_string(aare.diagnostic);
      if (aare.user_information.size() == 1) {
        auto r = decode(aare.user_information[0].value, settings_.limits);
        if (r && std::holds_alternative<Rtorj>(*r)) {
          const auto& rj = std::get<Rtorj>(*r);
          e.refuse_reason = rj.refuse_reason;
          if (rj.user_data) e.data.assign(rj.user_data->begin(), rj.user_data->end());
        }
      }
    }
  }
  if (e.what.empty()) e.what = "refused";
  return std::vector<Event>{std::move(e)};
}

}  // namespace mixer::p1::rtse
