// gateway/routing.cpp: recipient routing (see routing.hpp).
#include "gateway/routing.hpp"

#include "addressing/refusal.hpp"
#include "addressing/routing.hpp"
#include "addressing/std_or.hpp"
#include "gateway/p1_routes.hpp"
#include "smtp/proto/syntax.hpp"

namespace mixer::gateway {

namespace {
// An address the mapping refuses: the Refusal's code and RFC 3463 status,
// its text in US-ASCII (RFC 5321 §4.2).
smtp::proto::Reply refused(const std::string& shown, const base::Refusal& r) {
  return smtp::proto::Reply(r.smtp_code, r.enhanced_status, shown + ": cannot be mapped to X.400: " + r.smtp_text());
}
}  // namespace

std::variant<Route, smtp::proto::Reply> route_recipient(const Runtime& rt, const smtp::proto::RcptTo& rcpt) {
  using smtp::proto::iequals;
  using smtp::proto::Reply;
  const auto& config = rt.config;
  const auto& box = rcpt.forward_path;
  const std::string shown = "<" + box.text() + ">";
  const bool ours = iequals(box.domain, config.gateway.domain) || iequals(box.domain, config.smtp.hostname);
  // RFC 5321 §4.5.1: <Postmaster> and postmaster@our-domain are always accepted.
  if (rcpt.postmaster_only || (ours && iequals(box.local, "postmaster")))
    return Route{Channel::local, {}, {}, 0, "postmaster"};
  if (!box.domain.empty() && box.domain.front() == '[')
    return Reply(550, "5.7.1", shown + ": Relay access denied");
  auto route = addressing::route_smtp_recipient(box.text(), rt.addressing, config.routing.x400_domains);
  if (route.x400) {
    if (route.refusal) return refused(shown, *route.refusal);
    auto text = addressing::format_std_or(route.mapping->address);
    if (!text) return refused(shown, addressing::to_refusal(text.error(), addressing::AddressRole::smtp_recipient));
    const conf::P1Route* p1 = find_p1_route(config.p1, route.mapping->address);
    if (!p1)
      return Reply(550, "5.4.4", shown + ": Unable to route: no p1.routes entry for " + text.value());
    const conf::P1Peer* first = config.p1.peer(p1->peers.front());
    const int mode = first ? first->mode : 1988;
    if (mode == 1988)
      if (auto v = addressing::validate_x411_for_1988(route.mapping->address); !v)
        return Reply(550, "5.1.3",
                     shown + ": Bad recipient address syntax: not legal in X.400(1988) (RFC 2156 Appendix B: " +
                         v.error().message + "), and p1 route " + p1->text + " goes to a 1988 peer");
    return Route{Channel::p1, std::move(text.value()), p1->peers, mode,
                 route.why + ", p1 route " + p1->text, first && first->bp14};
  }
  if (ours) return Reply(550, "5.1.1", shown + ": Recipient address rejected: no such user at the gateway");
  return Reply(550, "5.7.1", shown + ": Relay access denied");
}

}  // namespace mixer::gateway
