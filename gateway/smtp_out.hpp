// gateway/smtp_out.hpp: the gateway's side of outbound SMTP: the client's
// settings made from the configuration (smtp/ does not depend on conf/),
// and the OutboundMessage for some recipients of a queue entry, made from
// the entry's RFC 822 form and its SMTP envelope (gateway/queue/format).
// Pure; trusts the control file as decoded (its checks) and the config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conf/config.hpp"
#include "gateway/queue/format/control_file.hpp"
#include "smtp/client/delivery.hpp"
#include "smtp/client/resolver.hpp"

namespace mixer::gateway {

smtp::client::DelivererSettings smtp_client_settings(const conf::Config& c);
// "local@domain" as an SMTP path's parts ("" is the null path <>); nullopt when it has no '@' between two parts.
std::optional<smtp::proto::Mailbox> path_mailbox(const std::string& text);
smtp::client::ResolverSettings smtp_resolver_settings(const conf::Config& c);

// The message to send to `recipients` (indices into entry.recipients, all on
// channel smtp with one domain and one form), whose content is `content`
// (the form's octets, kept alive by the caller). nullopt with `why` when the
// entry does not describe a sendable message.
// The same from an RFC 822 form's envelope and the recipients' RCPT values.
struct OutboundRecipient {
  std::string address, notify, orcpt;  // as in the control file: NOTIFY list, ORCPT "type;xtext"
};
std::optional<smtp::client::OutboundMessage> outbound_message(const std::string& domain, const queue::FormRecord& form,
                                                              const std::vector<OutboundRecipient>& recipients,
                                                              std::string_view content, std::string& why);

std::optional<smtp::client::OutboundMessage> outbound_message(const queue::ControlFile& entry,
                                                              const std::vector<std::size_t>& recipients,
                                                              std::string_view content, std::string& why);

}  // namespace mixer::gateway
