// gateway/smtp_delivery.hpp: the queue manager's SMTP channel joined to the
// SMTP client (smtp/client Deliverer with its MX resolver): each job the
// channel starts becomes one delivery, and its outcome the job's result.
// The client is made from the configuration snapshot and made again after
// a reload that changed it (deliveries under way keep the old one). An
// 8-bit form goes to a server without 8BITMIME as its 7-bit form (RFC 6152
// §3, bodyparts/seven_bit), made on the connection that needs it.
// Trusts the channel's messages (made from checked queue entries).
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>

#include "gateway/qmgr/smtp_channel.hpp"
#include "gateway/runtime.hpp"

namespace mixer::gateway {

// The SmtpDeliverer for qmgr::Qmgr. Throws std::runtime_error when the
// client cannot be made (an unreadable CA file, c-ares failing): a
// start-up failure the daemon reports.
qmgr::SmtpDeliverer make_smtp_deliverer(boost::asio::io_context& io, RuntimeHolder& runtime);

}  // namespace mixer::gateway
