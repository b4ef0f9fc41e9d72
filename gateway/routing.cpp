// gateway/routing.cpp: recipient routing (see routing.hpp).
#include "gateway/routing.hpp"

#include <cctype>

#include "smtp/proto/syntax.hpp"

namespace mixer::gateway {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

const char* channel_name(Channel c) { return c == Channel::x400 ? "x400" : "local"; }

bool is_x400_domain(const conf::Config& config, std::string_view domain) {
  const std::string d = lower(domain);
  for (const auto& entry : config.routing.x400_domains) {
    if (!entry.empty() && entry.front() == '.') {
      if (d.size() > entry.size() && d.compare(d.size() - entry.size(), entry.size(), entry) == 0) return true;
    } else if (d == entry) {
      return true;
    }
  }
  return false;
}

std::variant<Channel, smtp::proto::Reply> route_recipient(const conf::Config& config,
                                                          const smtp::proto::RcptTo& rcpt) {
  using smtp::proto::iequals;
  using smtp::proto::Reply;
  const auto& box = rcpt.forward_path;
  const std::string shown = "<" + box.text() + ">";
  // RFC 5321 §4.5.1: <Postmaster> and postmaster@our-domain are always accepted.
  if (rcpt.postmaster_only) return Channel::local;
  if (iequals(box.domain, config.gateway.domain) || iequals(box.domain, config.smtp.hostname)) {
    if (iequals(box.local, "postmaster")) return Channel::local;
    return Reply(550, "5.1.1", shown + ": Recipient address rejected: no such user at the gateway");
  }
  if (!box.domain.empty() && box.domain.front() != '[' && is_x400_domain(config, box.domain))
    return Channel::x400;
  return Reply(550, "5.7.1", shown + ": Relay access denied");
}

}  // namespace mixer::gateway
