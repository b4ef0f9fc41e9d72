// gateway/smtp_out.cpp: outbound SMTP settings and messages (see smtp_out.hpp).
#include "gateway/smtp_out.hpp"

namespace mixer::gateway {

namespace client = smtp::client;
namespace proto = smtp::proto;

client::DelivererSettings smtp_client_settings(const conf::Config& c) {
  client::DelivererSettings s;
  s.helo_name = c.smtp.helo_name;
  std::vector<client::Route> routes;
  for (const auto& r : c.smtp.routes) {
    client::Route route;
    route.domain = r.domain;
    for (const auto& v : r.via) route.smart_hosts.push_back({v.host, v.port});
    route.tls = r.tls == conf::SmtpRouteTls::required ? client::TlsPolicy::required
                : r.tls == conf::SmtpRouteTls::none   ? client::TlsPolicy::none
                                                      : client::TlsPolicy::opportunistic;
    route.verify = r.verify == conf::SmtpRouteVerify::name    ? client::Verify::name
                   : r.verify == conf::SmtpRouteVerify::chain ? client::Verify::chain
                                                              : client::Verify::none;
    route.port = r.port;
    routes.push_back(std::move(route));
  }
  s.routes = client::RouteTable(std::move(routes));
  s.mx_port = c.smtp.mx_port;
  s.connect_timeout = c.smtp.out.connect_timeout;
  s.reply_timeout_max = c.smtp.out.reply_timeout_max;
  s.max_connections = c.smtp.out.max_connections;
  s.max_per_destination = c.smtp.out.max_per_destination;
  s.ca_file = c.smtp.out.ca_file.string();
  s.reuse_time = c.smtp.out.reuse_time;
  s.dead_host_time = c.smtp.out.dead_host_time;
  return s;
}

client::ResolverSettings smtp_resolver_settings(const conf::Config& c) {
  client::ResolverSettings s;
  if (c.smtp.resolver) s.server = client::HostPort{c.smtp.resolver->host, c.smtp.resolver->port};
  s.timeout = c.smtp.out.resolver_timeout;
  s.limits.max_mx_hosts = c.smtp.out.max_mx_hosts;
  s.limits.max_addresses_per_host = c.smtp.out.max_addresses_per_host;
  s.limits.max_answer_size = c.smtp.out.max_dns_answer_size;
  s.self = c.smtp.helo_name;
  return s;
}

std::optional<proto::Mailbox> path_mailbox(const std::string& text) {
  if (text.empty()) return proto::Mailbox{};
  auto at = text.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) return std::nullopt;
  return proto::Mailbox{text.substr(0, at), text.substr(at + 1)};
}

namespace {

proto::Notify notify_of(const std::string& text) {
  proto::Notify n;
  if (text.empty()) return n;
  n.present = true;
  std::size_t from = 0;
  while (from <= text.size()) {
    auto comma = text.find(',', from);
    if (comma == std::string::npos) comma = text.size();
    const std::string word = text.substr(from, comma - from);
    n.never |= word == "NEVER";
    n.success |= word == "SUCCESS";
    n.failure |= word == "FAILURE";
    n.delay |= word == "DELAY";
    from = comma + 1;
  }
  return n;
}
}  // namespace

std::optional<client::OutboundMessage> outbound_message(const queue::ControlFile& entry,
                                                        const std::vector<std::size_t>& recipients,
                                                        std::string_view content, std::string& why) {
  if (recipients.empty()) return why = "no recipients", std::nullopt;
  const auto& first = entry.recipients.at(recipients.front());
  // Form 0 is the content as received with the entry's own envelope: an RFC 822 message
  // unless it came over P1 (an MTS-APDU).
  queue::FormRecord as_received;
  as_received.sender = entry.sender;
  as_received.body = entry.body;
  as_received.ret = entry.ret;
  as_received.envid = entry.envid;
  if (first.form == 0 ? !entry.apdu.empty()
                      : first.form > entry.forms.size() || entry.forms[first.form - 1].kind != queue::FormRecord::Kind::rfc822)
    return why = "recipient " + std::to_string(first.index) + " has no RFC 822 form", std::nullopt;
  const auto& form = first.form == 0 ? as_received : entry.forms[first.form - 1];
  std::vector<OutboundRecipient> rcpts;
  for (std::size_t i : recipients) {
    const auto& r = entry.recipients.at(i);
    if (r.channel != queue::Channel::smtp || r.form != first.form || r.domain != first.domain)
      return why = "recipient " + std::to_string(i) + " does not share the first one's channel, form and domain",
             std::nullopt;
    rcpts.push_back({r.address, r.notify, r.orcpt});
  }
  return outbound_message(first.domain, form, rcpts, content, why);
}

std::optional<client::OutboundMessage> outbound_message(const std::string& domain, const queue::FormRecord& form,
                                                        const std::vector<OutboundRecipient>& recipients,
                                                        std::string_view content, std::string& why) {
  client::OutboundMessage m;
  m.domain = domain;
  auto from = path_mailbox(form.sender);
  if (!from) return why = "the form's sender '" + form.sender + "' is not a mailbox", std::nullopt;
  m.envelope.mail.reverse_path = *from;
  m.envelope.mail.body = form.body == "8BITMIME" ? proto::Body::eight_bit_mime
                         : form.body == "7BIT"   ? proto::Body::seven_bit
                                                 : proto::Body::unspecified;
  m.envelope.mail.ret = form.ret == "FULL" ? proto::Ret::full : form.ret == "HDRS" ? proto::Ret::hdrs : proto::Ret::unspecified;
  m.envelope.mail.envid = form.envid;
  m.eight_bit = form.body == "8BITMIME";
  for (const auto& r : recipients) {
    auto to = path_mailbox(r.address);
    if (!to || to->empty()) return why = "recipient '" + r.address + "' is not a mailbox", std::nullopt;
    proto::RcptTo rcpt;
    rcpt.forward_path = *to;
    rcpt.notify = notify_of(r.notify);
    rcpt.orcpt = r.orcpt;
    m.envelope.rcpts.push_back(std::move(rcpt));
  }
  m.content.push_back(content);
  return m;
}

}  // namespace mixer::gateway
