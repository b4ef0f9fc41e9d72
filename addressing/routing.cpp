// addressing/routing.cpp: the X.400-or-not decision for an SMTP recipient.
#include "addressing/routing.hpp"

#include "addressing/charset.hpp"
#include "addressing/refusal.hpp"

namespace mixer::addressing {

namespace {

bool on_private_list(std::string_view domain, const std::vector<std::string>& list, std::string& which) {
  for (const auto& e : list) {
    if (!e.empty() && e.front() == '.') {
      if (domain.size() > e.size() && iequals(domain.substr(domain.size() - e.size()), e)) {
        which = e;
        return true;
      }
    } else if (iequals(domain, e)) {
      which = e;
      return true;
    }
  }
  return false;
}

}  // namespace

RecipientRoute route_smtp_recipient(std::string_view text, const MappingContext& ctx,
                                    const std::vector<std::string>& private_x400_domains) {
  RecipientRoute r;
  auto a = parse_rfc822_address(text);
  if (!a) {
    r.refusal = to_refusal(make_error(a.error().code, a.error().section, "not an RFC 822 address: " + a.error().message),
                           AddressRole::smtp_recipient);
    return r;
  }
  const std::string& domain = a->route.empty() ? a->domain : a->route.front();
  bool own = false;
  for (const auto& d : ctx.gateway.local_domains) own = own || iequals(d, domain);
  std::string which;
  if (const auto hit = ctx.tables->match_domain(TableKind::table1, domain)) {
    r.why = "table1 MCGAM " + hit->location();
  } else if (own) {
    r.why = "gateway domain";
  } else if (on_private_list(domain, private_x400_domains, which)) {
    r.why = "private list entry " + which;
  } else {
    return r;  // not for X.400: the caller decides (local delivery, relay denied)
  }
  r.x400 = true;
  auto m = map_rfc822_to_x400(*a, AddressRole::smtp_recipient, ctx);
  if (!m) {
    r.refusal = to_refusal(m.error(), AddressRole::smtp_recipient);
    return r;
  }
  // At the gateway's own domain only an X.400 address in the local-part (or
  // an MCGAM) is meaningful: encapsulating it would send it back to us.
  if (own && r.why == "gateway domain" && m->encapsulated) {
    r.refusal = to_refusal(make_error(Errc::not_x400_address, "RFC 2156 §4.3.1",
                                      "'" + a->local_part + "' is not an X.400 address (std-or-address) at the gateway's domain"),
                           AddressRole::smtp_recipient);
    return r;
  }
  r.mapping = std::move(*m);
  return r;
}

}  // namespace mixer::addressing
