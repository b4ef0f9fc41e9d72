// gateway/qmgr/local_channel.hpp: the local channel, a queue manager plug-in:
// mail for the gateway itself (its postmaster, RFC 5321 §4.5.1; the reports
// that could not be delivered, issue 15) is delivered into a Maildir
// (queue.postmaster_maildir): written under tmp/, fsync'd, renamed into
// new/, the folder fsync'd, then reported delivered. One job at a time, on
// its own thread (a file write must not hold the queue manager's strand).
// A job whose form is not an RFC 5322 message (an X.400 APDU) fails.
// Trusts the store for the entry.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "gateway/qmgr/channel.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/runtime.hpp"

namespace mixer::qmgr {

class LocalChannel : public ChannelPlugin {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  LocalChannel(Strand strand, gateway::RuntimeHolder& runtime, queue::Store& store);

  Channel kind() const override { return Channel::local; }
  void start(Job job, Completion done) override;
  std::size_t max_per_hop(const std::string&) const override { return 1; }
  std::size_t max_jobs() const override { return 1; }
  void stop(std::function<void()> drained) override;
  std::string stats() const override;

 private:
  void finished();
  Strand strand_;
  gateway::RuntimeHolder& runtime_;
  queue::Store& store_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::function<void()> drained_;
};

// Delivers `message` (CRLF lines) into the Maildir `dir` (its tmp/, new/ and
// cur/ made when missing) as the file name `unique`, with a Return-Path
// and Delivered-To field first and LF line ends; returns "" or the error.
std::string deliver_to_maildir(const std::filesystem::path& dir, const std::string& unique, const std::string& return_path,
                               const std::string& delivered_to, std::string_view message);

}  // namespace mixer::qmgr
