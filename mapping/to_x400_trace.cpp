// mapping/to_x400_trace.cpp: the trace of a message going to X.400 (RFC
// 2156 §5.1.6, §5.1.7): the first element from Date: (or the most recent
// Resent-Date:) unless X400-Received fields bring the X.400 trace back,
// then every Received: and X400-Received: from the bottom of the header to
// the top, then the gateway's own element marking the conversion.
#include <algorithm>

#include "addressing/message_id.hpp"
#include "mapping/to_x400.hpp"

namespace mixer::mapping::x400_out {

namespace {
constexpr const char* s5_1_6 = "RFC 2156 \xC2\xA7" "5.1.6";
constexpr std::size_t ub_mta_name = 32;
// An MTA name X.411 can carry: IA5String (SIZE (1..ub-mta-name-length)).
bool mta_name_ok(std::string_view n) {
  if (n.empty() || n.size() > ub_mta_name) return false;
  for (char c : n)
    if (static_cast<unsigned char>(c) > 127 || static_cast<unsigned char>(c) < 32) return false;
  return true;
}

bool domain_ok(const addressing::GlobalDomainIdentifier& d) {
  addressing::OrAddress a;
  a.country = d.country;
  a.admd = d.admd;
  a.prmd = d.prmd;
  return d.country.present() && addressing::validate_x411(a).ok();
}

// What an X400-Received field brings back must fit the X.411 trace it goes into.
bool within_x411_bounds(const TraceEntry& e) {
  if (e.mta && !mta_name_ok(*e.mta)) return false;
  if (!domain_ok(e.domain)) return false;
  if (e.attempted) {
    if (auto* md = std::get_if<addressing::GlobalDomainIdentifier>(&*e.attempted)) return domain_ok(*md);
    return mta_name_ok(std::get<std::string>(*e.attempted));
  }
  return true;
}

}  // namespace

imf::DateTime now_of(const Context& ctx) {
  const auto local = ctx.clock.now + std::chrono::minutes(ctx.clock.utc_offset_minutes);
  const auto days = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{local - days};
  imf::DateTime t;
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.hour = static_cast<int>(hms.hours().count());
  t.minute = static_cast<int>(hms.minutes().count());
  t.second = static_cast<int>(hms.seconds().count());
  t.offset = ctx.clock.utc_offset_minutes;
  return t;
}

std::vector<TraceEntry> build_trace(const Plan& plan, const p1::mts::OrAddress& originator,
                                    std::string_view originator_domain, const Context& ctx,
                                    const syntax::EncodedInfo& converted, std::vector<Loss>& losses) {
  std::vector<TraceEntry> out;
  out.reserve(2 * plan.trace.size() + 4);  // at most two entries per field, two first and two for the gateway
  const bool from_x400 = std::any_of(plan.trace.begin(), plan.trace.end(), [](const TraceField& t) { return t.x400; });
  const imf::DateTime now = now_of(ctx);
  const addressing::GlobalDomainIdentifier* last_domain = nullptr;
  auto last_external = [&]() -> const addressing::GlobalDomainIdentifier* {
    for (auto it = out.rbegin(); it != out.rend(); ++it)
      if (!it->mta) return &it->domain;
    return nullptr;
  };
  if (!from_x400) {
    // The first element from Date: (§5.1.6): the originator's global domain, relayed.
    TraceEntry first;
    first.domain = addressing::global_domain_of(originator);
    if (!first.domain.country.present()) first.domain = ctx.addressing->gateway.global_domain;
    first.arrival = plan.date.value_or(now);
    if (!plan.date) losses.push_back(Loss{"no readable Date: the first trace element has the conversion time", s5_1_6});
    out.push_back(std::move(first));
    if (ctx.policy->to_x400.internal_trace && !originator_domain.empty()) {
      TraceEntry internal = out.back();
      internal.mta = std::string(originator_domain.substr(0, ub_mta_name));
      out.push_back(std::move(internal));
    }
  }
  // Bottom to top: chronological order (§5.1.6), X400-Received and Received interleaved as written.
  for (auto it = plan.trace.rbegin(); it != plan.trace.rend(); ++it) {
    if (it->x400) {
      const TraceEntry& e = *it->entry;
      if (!within_x411_bounds(e)) {
        losses.push_back(Loss{"an X400-Received element outside X.411's bounds (MTA name, global domain) is left out",
                              "RFC 2156 \xC2\xA7" "5.1.7"});
        continue;
      }
      if (e.mta) {
        // An internal element shown instead of the external one it repeats (§5.3.7):
        // the external element comes back where the domain changes, and for a
        // conversion, which §5.1.6 gives an external element of its own.
        last_domain = last_external();
        if (!last_domain || !(*last_domain == e.domain) || e.converted) {
          TraceEntry x = e;
          x.mta.reset();
          if (x.attempted && std::holds_alternative<std::string>(*x.attempted)) x.attempted.reset();
          out.push_back(std::move(x));
        }
        if (ctx.policy->to_x400.internal_trace) out.push_back(e);
      } else {
        out.push_back(e);
      }
      continue;
    }
    if (!it->date) {
      losses.push_back(Loss{"a Received: field without a readable date is left out of the trace", s5_1_6});
      continue;
    }
    auto d = addressing::trace_domain_for(it->by.empty() ? ctx.addressing->gateway.domain : it->by, *ctx.addressing);
    last_domain = last_external();
    if (!last_domain || !(*last_domain == d.global_domain)) {
      TraceEntry e;
      e.domain = d.global_domain;
      e.arrival = *it->date;
      out.push_back(std::move(e));
    }
    if (ctx.policy->to_x400.internal_trace && !it->by.empty()) {
      TraceEntry e;
      e.domain = d.global_domain;
      e.mta = d.mta_name;
      e.arrival = *it->date;
      out.push_back(std::move(e));
    }
  }
  // The gateway's element: its domain, the time of conversion, the converted EITs (§5.1.6).
  TraceEntry gw;
  gw.domain = ctx.addressing->gateway.global_domain;
  gw.arrival = now;
  gw.converted = converted;
  out.push_back(std::move(gw));
  if (ctx.policy->to_x400.internal_trace) {
    TraceEntry internal = out.back();
    internal.mta = ctx.mta_name.substr(0, ub_mta_name);
    out.push_back(std::move(internal));
  }
  return out;
}

}  // namespace mixer::mapping::x400_out
