// gateway/own_reports.hpp: queues the gateway's own report about a queue
// entry whose recipients are all done and some failed (issue 15, "the
// gateway's own reports"), through the one path into the queue
// (gateway/enqueue): for an Internet originator, one DSN (gateway/own_dsn),
// MAIL FROM:<> to the originator over the SMTP channel, NOTIFY=NEVER; for a
// message or probe that came over P1, one X.411 report
// (gateway/own_x400_report) routed by the submit stage like a received
// report. The caller removes the original entry once the report is
// durable. A report that failed (an X.400 report, or a message with an
// empty reverse-path) is never reported on: it goes once to the gateway's
// postmaster (gateway.postmaster: the local channel's Maildir, or SMTP),
// and a postmaster's copy that fails is kept for the operator. Reads the
// entry from the store; trusts it.
#pragma once

#include <functional>
#include <string>

#include "gateway/intake.hpp"
#include "gateway/runtime.hpp"
#include "mapping/delivery_status.hpp"

namespace mixer::gateway {

enum class OwnReport {
  kept,     // no report of ours applies: the entry stays for the operator
  not_due,  // none is wanted (NOTIFY without FAILURE): the entry can go
  queuing,  // a report is being made durable; `done` follows
};

// `done(error)` (error empty: the report is durable and `added` was given
// it) runs on the committer's thread.
// `action` failed: about every failed recipient; delayed: about `delayed`
// (indexes), still waiting until `will_retry_until` (unix seconds).
OwnReport queue_own_report(const Runtime& rt, QueueParts queue, const std::string& id, mapping::DsnAction action,
                           const std::vector<std::size_t>& delayed, std::int64_t will_retry_until,
                           std::function<void(const queue::ControlFile& report)> added,
                           std::function<void(const std::string& error)> done);

}  // namespace mixer::gateway
