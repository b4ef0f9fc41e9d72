// gateway/qmgr/qmgr.hpp: the queue manager (DESIGN.md "The job, end to
// end": gateway/ qmgr; after Postfix's qmgr and PP's qmgr). Owns the
// Scheduler and the channel plug-ins (P1, SMTP; local is not implemented:
// its recipients wait) and runs them on one strand with one timer: jobs
// the scheduler hands out go to their channel, results come back to the
// scheduler, which appends each status change to the control file
// (Store::append) before it moves on, and removes an entry's files
// (Store::discard) once every recipient is delivered. Every outcome is one
// Postfix-style log line:
//   ID: to=<addr>, relay=mta-b[127.0.0.1]:10102, mts-id=[...], delay=0.12,
//       delays=0.01/0/0.05/0.06, dsn=2.0.0, status=sent (transfer confirmed by mta-b)
// The public calls may come from any thread. Trusts the entries it is
// given to be durable (the committer's completion, or Store::recover).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <memory>
#include <map>
#include <mutex>

#include "gateway/qmgr/channel.hpp"
#include "gateway/qmgr/delay_histogram.hpp"
#include "gateway/qmgr/scheduler.hpp"
#include "gateway/qmgr/local_channel.hpp"
#include "gateway/qmgr/smtp_channel.hpp"
#include "gateway/queue/index.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/runtime.hpp"
#include "mapping/delivery_status.hpp"

namespace mixer::qmgr {

// The retry policy of each channel from the configuration.
RetryPolicy channel_policy(const conf::Config& config, Channel c);

class Qmgr : private Sink {
 public:
  // `smtp`: the adapter to the SMTP client; empty: the SMTP channel does not
  // run (its recipients wait; logged once).
  Qmgr(boost::asio::io_context& io, gateway::RuntimeHolder& runtime, queue::Store& store, queue::QueueIndex& index,
       SmtpDeliverer smtp = {});
  ~Qmgr() override;

  // A new durable entry (the submit stage's committer completion, p1-submit)
  // (start-up uses adopt()). Recipients on channels it serves are scheduled.
  void add(const queue::ControlFile& entry);
  // Start-up, one recovered entry at a time as Store::recover streams them:
  // straight into the scheduler, on the calling thread, so only before the
  // event loop runs. Entries already done whose report is due wait for
  // start() (the report hook needs the queue's writers).
  void adopt(queue::ControlFile entry);  // its strings are taken, not copied
  void start();
  // Every entry the scheduler holds, in ID order, as a start-up snapshot keeps
  // it (Scheduler::export_entries); only once the event loop has stopped.
  void export_entries(const std::function<void(queue::ControlFile&)>& each) const {
    scheduler_->export_entries(each);
  }
  // The same while the event loop runs (a periodic snapshot): each of `ids`
  // (sorted; those it does not hold are skipped) as it is by then, `slice`
  // entries per turn of the strand (other work runs between them), to `each`
  // (file_size set: 0 when not known), `slice_done` after each turn, `done`
  // at the end. Nothing is called if the loop stops first.
  void export_in_slices(std::vector<std::string> ids, std::function<void(queue::ControlFile&)> each,
                        std::function<void()> slice_done, std::function<void()> done, std::size_t slice);

  // The operator's queue changes (already recorded in the control file).
  void hold(const std::string& id, bool held);
  void retry(const std::string& id);
  void flush();
  void remove(const std::string& id);
  // After SIGHUP: policies and limits from the new configuration, and
  // suspended next hops tried again.
  void reconfigured();
  // Starts no more jobs; channels finish those under way (their results
  // are recorded); then `drained` (on the strand).
  void stop(std::function<void()> drained);
  // " qmgr_entries=N p1_recipients=N p1_deferred=N p1_jobs=N ..." (the last
  // snapshot, refreshed at most once a second).
  std::string stats();

  // The gateway's own report about an entry (gateway/own_reports): failed,
  // when its recipients are all done and some failed (the entry is then
  // kept for the operator, removed at once when no report is due, or
  // removed once `done("")` says the report is durable); delayed, at an
  // entry's first delay warning, about the recipients warned (`rcpts`),
  // still tried until `until` (unix seconds).
  enum class Report { kept, not_due, queuing };
  using ReportHook = std::function<Report(const std::string& id, mapping::DsnAction action,
                                          const std::vector<std::size_t>& rcpts, std::int64_t until,
                                          std::function<void(const std::string& error)> done)>;
  // Before start(); without one, such entries are kept.
  void set_report_hook(ReportHook hook) { report_hook_ = std::move(hook); }

 private:
  void release_touch(const std::string& id);
  // Sink
  std::error_code append(const std::string& id, const queue::Record& record, bool sync) override;
  void discard(const std::string& id) override;
  void event(const Event& e) override;

  void pump();   // on the strand: hand out due jobs, rearm the timer
  // Every recipient done and some failed (or a report owed): the report hook decides.
  void report_or_keep(const std::string& id, const std::string& text);
  void apply_config();
  void refresh_stats();
  ChannelPlugin* channel(Channel c);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  gateway::RuntimeHolder& runtime_;
  queue::Store& store_;
  queue::QueueIndex& index_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<ChannelPlugin> p1_;
  std::unique_ptr<SmtpChannel> smtp_;
  std::unique_ptr<LocalChannel> local_;
  bool stopping_ = false;
  bool started_ = false;
  std::mutex stats_mutex_;
  std::string stats_;
  std::int64_t stats_at_ = 0;
  DelayHistogram delays_;  // of delivered recipients (strand)
  std::size_t waiting_logged_ = 0;
  ReportHook report_hook_;
  std::map<std::string, std::pair<std::vector<std::size_t>, std::int64_t>> first_warnings_;  // id -> rcpts, until
  std::vector<std::pair<std::string, std::string>> done_before_start_;  // id, text: report_or_keep at start()
};

}  // namespace mixer::qmgr
