// gateway/qmgr/smtp_channel.hpp: the outbound SMTP channel, a queue manager
// plug-in. A job is one message (the recipients' rfc822 form, or the
// content as received) for one destination domain; the channel reads its
// envelope (the form's reverse-path, BODY, RET and ENVID, each recipient's
// NOTIFY and ORCPT) and content from the queue and hands them to an
// SmtpDeliverer (a probe's recipients, entry "apdu probe", are verified instead): the daemon's adapter to the SMTP client (smtp/client/'s
// Deliverer: MX lookup, TLS, one call per message per domain, a result per
// recipient). Without one, the channel does not run and its recipients
// wait in the queue. Trusts the store for the entry and the deliverer for
// its per-recipient results.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "gateway/qmgr/channel.hpp"
#include "gateway/queue/store.hpp"

namespace mixer::qmgr {

// One message to one destination domain.
struct SmtpMessage {
  std::string id;       // queue ID (for logs)
  std::string domain;   // the next hop: the destination domain
  std::string sender;   // reverse-path; empty: <>
  std::string body;     // "7BIT", "8BITMIME" or empty
  std::string ret, envid;
  struct Recipient {
    std::size_t rcpt = 0;  // its index in the control file (echoed in the results)
    std::string address, notify, orcpt;
  };
  std::vector<Recipient> recipients;
  std::string content;  // the RFC 5322 message, dot-unstuffed, CRLF lines
  std::string message_id, mts_id;
  // An X.400 probe (RFC 2156 §5.3.9, Appendix A §1: smtp.out.verify_probes): each
  // recipient is asked about with VRFY, nothing is sent; no sender, no content.
  bool verify_only = false;
};

// The daemon's adapter to the SMTP client: sends `m`, then calls `done` once
// (from any thread) with a result per recipient (delivered / deferred /
// failed with the SMTP reply's RFC 3463 code and text), or a connection-level
// outcome (no MX, every MX refusing: unreachable) and the relay it used
// ("mx.example[192.0.2.1]:25").
using SmtpDeliverer = std::function<void(SmtpMessage m, std::function<void(JobResult)> done)>;

struct SmtpLimits {
  std::size_t max_connections = 20;      // jobs in flight in all
  std::size_t max_per_destination = 5;   // jobs in flight per destination domain
};

class SmtpChannel : public ChannelPlugin {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  SmtpChannel(Strand strand, queue::Store& store, SmtpDeliverer deliverer, SmtpLimits limits);

  Channel kind() const override { return Channel::smtp; }
  void start(Job job, Completion done) override;
  std::size_t max_per_hop(const std::string&) const override { return deliverer_ ? limits_.max_per_destination : 0; }
  std::size_t max_jobs() const override { return deliverer_ ? limits_.max_connections : 0; }
  void stop(std::function<void()> drained) override;
  std::string stats() const override;
  void set_limits(SmtpLimits l) { limits_ = l; }

 private:
  void finished();

  Strand strand_;
  queue::Store& store_;
  SmtpDeliverer deliverer_;
  SmtpLimits limits_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::function<void()> drained_;
};

}  // namespace mixer::qmgr
