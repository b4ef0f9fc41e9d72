// gateway/daemon.cpp: start-up, signals, reload and drain (see daemon.hpp).
#include "gateway/daemon.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include "base/allocator.hpp"
#include "gateway/control.hpp"
#include "gateway/intake.hpp"
#include "gateway/log.hpp"
#include "gateway/own_reports.hpp"
#include "gateway/p1_config.hpp"
#include "gateway/p1_intake.hpp"
#include "gateway/periodic_snapshot.hpp"
#include "gateway/qmgr/qmgr.hpp"
#include "gateway/queue/ack_log.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue_ops.hpp"
#include "gateway/smtp_delivery.hpp"
#include "gateway/transfer_journal.hpp"
#include "gateway/correlation_journal.hpp"
#include "p1/association/responder.hpp"
#include "smtp/server/server.hpp"

#include <fstream>
#include <future>

namespace mixer::gateway {

namespace asio = boost::asio;

namespace {

// Keys whose change needs a restart; a reload keeps the old value and says so.
void warn_fixed_keys(const conf::Config& old, const conf::Config& now) {
  auto warn = [](const char* key) {
    log_warning("master", std::string("reload: '") + key + "' changed; it takes effect after a restart");
  };
  if (!(old.smtp.listen == now.smtp.listen)) warn("smtp.listen");
  if (!(old.p1.listen == now.p1.listen)) warn("p1.listen");
  if (old.queue.directory != now.queue.directory) warn("queue.directory");
  if (old.queue.sync != now.queue.sync) warn("queue.sync");
  if (old.queue.sync_workers != now.queue.sync_workers) warn("queue.sync_workers");
  if (old.control.socket != now.control.socket) warn("control.socket");
  if (old.threads != now.threads) warn("threads");
  if (old.queue.snapshot_interval != now.queue.snapshot_interval) warn("queue.snapshot_interval");
  if (old.p1.max_apdu_size != now.p1.max_apdu_size) warn("p1.max_apdu_size");
}

class Daemon {
 public:
  Daemon(std::filesystem::path file, std::shared_ptr<const Runtime> rt)
      : file_(std::move(file)), runtime_(rt), store_(rt->config.queue.directory) {}
  // The committer's thread (its before-sync work uses the journals) ends before they go.
  ~Daemon() {
    if (committer_) committer_->stop();
  }

  int run() {
    const auto& config = runtime_.get()->config;
    try {
      store_.prepare();
    } catch (const std::exception& e) {
      log_error("master", e.what());
      return 1;
    }
    if (!store_.lock()) {
      log_error("master", "queue " + config.queue.directory.string() + " is in use by another mixer daemon");
      return 1;
    }
    // The queue manager first: recovery streams each entry found straight into it.
    try {
      qmgr_.emplace(io_, runtime_, store_, index_, make_smtp_deliverer(io_, runtime_));
    } catch (const std::exception& e) {
      log_error("master", std::string("outbound SMTP cannot start: ") + e.what());
      return 1;
    }
    std::vector<std::int64_t> present;  // for the journal: which taken APDUs' entries survived (sorted)
    queue::RecoveryReport recovery;
    store_.keep_used_snapshot(true);
    std::int64_t newest = recover(present, recovery);
    ids_.emplace(newest);
    // From the start on, every write to an entry is preceded by its ID in DIR/touched
    // (queue/touch_log.hpp), so that a start after a crash stats none of the others:
    // the snapshot this start used goes on (its section continued, naming every entry
    // not taken from it) until this run's first periodic snapshot replaces it; so a
    // crash before that starts from it too, not from a full scan.
    if (config.queue.snapshot_interval.count() > 0)
      if (auto ec = store_.start_touch_log())
        log_warning("queue", "cannot start " + (config.queue.directory / "touched").string() + ": " + ec.message() +
                                 " (a start after a crash will check every entry's file)");
    if (recovery.snapshot_left) {
      std::error_code ec = std::make_error_code(std::errc::operation_not_supported);
      if (recovery.snapshot_generation && store_.touch_log())
        ec = store_.touch_log()->continue_section(recovery.snapshot_generation, recovery.snapshot_rest,
                                                  recovery.listing_greatest);
      if (ec) {
        // Not continued: a start after a crash must not find it (nor its old section).
        if (auto forget = store_.forget_snapshot()) {
          log_error("master", "cannot remove " + (config.queue.directory / "snapshot").string() + ": " +
                                  forget.message());
          return 1;
        }
      } else {
        log_info("queue", "start-up snapshot kept until the first periodic one (" +
                              std::to_string(recovery.snapshot_rest.size()) +
                              " entries not taken from it named in queue/touched)");
      }
    }
    recovery = {};
    // DIR/acked for this run (queue/ack_log.hpp): the last run's was read by recover().
    {
      std::error_code ec;
      ack_log_ = queue::AckLog::start(config.queue.directory, [this] { return ids_->last() + 1; }, ec);
      if (!ack_log_ || ack_log_->broken()) {
        // Another run's file left in place would make this run's entries look unanswered.
        log_error("master", "cannot remove " + (config.queue.directory / "acked").string() +
                                (ec ? ": " + ec.message() : std::string(" after failing to write it")));
        return 1;
      }
      if (ack_log_->disabled())
        log_warning("queue", "cannot write " + (config.queue.directory / "acked").string() +
                                 " (a start after a crash will keep every entry received over SMTP, also those "
                                 "whose 250 was never sent: their clients may send them again)");
    }
    // The committer thread makes files for new entries ahead, at idle times (store.hpp).
    committer_.emplace(config.queue.sync, store_.msg_dir_fd(), static_cast<unsigned>(config.queue.sync_workers),
                       [this] { return store_.premake(16); });
    committer_->set_after_sync([this](const std::vector<std::string>& ids) { return ack_log_->acknowledged(ids); });
    // Reports come back within a message's lifetime (X.411 maximum-time-expired at the
    // latest); twice that, for the slow ones.
    correlations_.emplace(config.queue.directory / "correlations",
                          2 * std::chrono::duration_cast<std::chrono::seconds>(std::max(config.queue.lifetime, config.p1.lifetime)));
    if (auto ec = correlations_->open(now_us() / 1000000)) {
      log_error("master", "cannot open the report correlation journal " +
                              (config.queue.directory / "correlations").string() + ": " + ec.message());
      committer_->stop();
      return 1;
    }
    if (correlations_->unreadable_lines())
      log_warning("master", "report correlation journal: " + std::to_string(correlations_->unreadable_lines()) +
                                " unreadable lines skipped");
    if (config.p1.duplicate_window.count() > 0) {
      journal_.emplace(config.queue.directory / "transfers",
                       std::chrono::duration_cast<std::chrono::seconds>(config.p1.duplicate_window));
      if (auto ec = journal_->open(now_us() / 1000000, [&present](const std::string& id) {
            return std::binary_search(present.begin(), present.end(), queue::decode_queue_id(id));
          })) {
        log_error("master", "cannot open the P1 transfer journal " + (config.queue.directory / "transfers").string() +
                                ": " + ec.message());
        committer_->stop();
        return 1;
      }
      if (journal_->unreadable_lines())
        log_warning("master", "P1 transfer journal: " + std::to_string(journal_->unreadable_lines()) +
                                  " unreadable lines skipped");
    }
    // The journals' lines of a batch are written once, just before its sync (syncfs
    // makes them durable with the entries), and when the committer is idle.
    committer_->set_before_sync([this] {
      if (auto ec = correlations_->flush())
        log_warning("queue", "report correlation journal not written: " + ec.message() +
                                 " (reports about those messages will not be matched to them)");
      if (journal_)
        if (auto ec = journal_->flush()) log_warning("p1", "P1 transfer journal not written: " + ec.message());
    });
    const QueueParts parts{store_, index_, *committer_, *ids_, &*correlations_, journal_ ? &*journal_ : nullptr};
    qmgr_->set_report_hook([this, parts](const std::string& id, mapping::DsnAction action,
                                         const std::vector<std::size_t>& rcpts, std::int64_t until,
                                         std::function<void(const std::string&)> done) {
      const auto r = queue_own_report(*runtime_.get(), parts, id, action, rcpts, until,
                                      [this](const queue::ControlFile& report) { qmgr_->add(report); }, std::move(done));
      return r == OwnReport::kept ? qmgr::Qmgr::Report::kept
             : r == OwnReport::not_due ? qmgr::Qmgr::Report::not_due : qmgr::Qmgr::Report::queuing;
    });
    intake_.emplace(runtime_, parts, io_.get_executor(), [this](const queue::ControlFile& e) { qmgr_->add(e); });
    smtp_.emplace(io_, *intake_);
    smtp_->set_max_connections(config.smtp.max_connections);
    // The queue manager has every entry found; each new durable one follows (the
    // committer's completion hands it over).
    p1_intake_.emplace(runtime_, parts, [this](const queue::ControlFile& e) { qmgr_->add(e); },
                       journal_ ? &*journal_ : nullptr);
    p1_.emplace(io_, responder_settings(config),
                [this](p1::association::InboundApdu a, std::function<void(bool)> done) {
                  p1_intake_->on_apdu(std::move(a), std::move(done));
                },
                [](const std::string& line) { log_info("p1", line); });
    try {
      for (const auto& a : config.smtp.listen) smtp_->listen(a.host, a.port);
      for (const auto& a : config.p1.listen) p1_->listen(a.host, a.port);
      control_.emplace(io_, config.control.socket, [this](const std::string& r) { return control(r); });
    } catch (const std::exception& e) {
      log_error("master", e.what());
      committer_->stop();
      return 1;
    }
    asio::signal_set signals(asio::make_strand(io_), SIGTERM, SIGINT, SIGHUP);
    std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        reload();
        signals.async_wait(on_signal);
        return;
      }
      log_info("master", std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", draining");
      if (control_) control_->close();
      // SMTP sessions, inbound and outbound P1 associations each finish
      // what they hold; the last one (or the drain deadline) stops the loop.
      const auto deadline = runtime_.get()->config.smtp.drain_timeout;
      auto parts = std::make_shared<std::atomic<int>>(3);
      auto finish = [this, &signals] {
        asio::post(signals.get_executor(), [this, &signals] {
          signals.cancel();
          io_.stop();
        });
      };
      auto one_done = [this, parts, finish] {
        if (--*parts == 0) {
          drained_ = true;  // everything finished before the deadline: the queue is clean
          finish();
        }
      };
      smtp_->drain(deadline, one_done);
      qmgr_->stop(one_done);  // jobs in flight finish and are recorded
      p1_->drain(one_done);  // the last inbound association ends it
      drain_timer_.emplace(signals.get_executor());
      drain_timer_->expires_after(deadline);
      drain_timer_->async_wait([this, finish](boost::system::error_code ec) {
        if (ec) return;
        log_warning("master", "drain deadline passed: " + std::to_string(p1_->associations()) +
                                  " inbound P1 associations still open;" + qmgr_->stats());
        finish();
      });
    };
    signals.async_wait(on_signal);
    qmgr_->start();
    periodic_.emplace(io_, *qmgr_, index_, store_.root(), config.queue.snapshot_interval, store_.touch_log());
    periodic_->start();
    const unsigned threads = config.threads ? static_cast<unsigned>(config.threads)
                                            : std::max(1u, std::thread::hardware_concurrency());
    log_info("master", "daemon started: " + std::to_string(index_.count()) + " messages in queue " +
                           config.queue.directory.string() + ", " + std::to_string(threads) +
                           " event-loop threads, malloc: " + base::malloc_in_use());
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : pool) t.join();
    periodic_->stop();  // one under way is abandoned: the shutdown writes its own
    committer_->stop();
    // Nothing writes to the queue any more: the next start need not read every content
    // file, nor (with the snapshot) open any entry the snapshot holds.
    if (drained_)
      if (auto ec = store_.mark_clean(write_snapshot()))
        log_warning("queue", "cannot mark the queue clean: " + ec.message());
    auto s = committer_->stats();
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f", s.sync_calls ? double(s.entries) / double(s.sync_calls) : 0.0);
    log_info("master", "stopped: " + std::to_string(s.entries) + " messages committed in " +
                           std::to_string(s.batches) + " batches, " + std::to_string(s.sync_calls) +
                           " sync calls (" + ratio + " acks per sync), largest batch " + std::to_string(s.max_batch));
    return 0;
  }

 private:
  // Start-up scan, each entry found streamed into the index and the queue
  // manager (none is kept meanwhile: issue 14); returns the newest queue ID's
  // value, and the IDs' values found (sorted) in `present`.
  std::int64_t recover(std::vector<std::int64_t>& present, queue::RecoveryReport& report) {
    const auto started = std::chrono::steady_clock::now();
    std::int64_t newest = 0;
    report = store_.recover([&](queue::ControlFile&& e) {
      const std::int64_t value = queue::decode_queue_id(e.id);
      newest = std::max(newest, value);
      present.push_back(value);
      index_.add(e);
      qmgr_->adopt(std::move(e));  // may discard it at once (every recipient delivered), from the index too
    });
    std::sort(present.begin(), present.end());
    log_info("queue", "recovered " + std::to_string(report.recovered) + " entries in " +
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::steady_clock::now() - started).count()) +
                          " ms (" + (report.clean ? "clean shutdown: content sizes checked"
                                                  : "content sizes and CRCs checked") +
                          "; " + std::to_string(report.from_snapshot) + " from the start-up snapshot" +
                          (report.snapshot_checked ? " (files checked: " + std::to_string(report.snapshot_changed) +
                                                         " changed since it)"
                           : report.snapshot_touch_log ? " (touched since it: " + std::to_string(report.snapshot_changed) +
                                                             ", read from their files)"
                                                       : std::string()) +
                          ")");
    if (!report.snapshot.empty())
      log_warning("queue", std::string("start-up snapshot ") + (report.from_snapshot ? "partly used: " : "not used: ") +
                               report.snapshot);
    for (const auto& id : report.removed)
      log_warning("queue", id + ": removed incomplete entry (interrupted before it was acknowledged)");
    for (const auto& id : report.never_acknowledged)
      log_warning("queue", id + ": removed: received over SMTP, but the crash came before its 250 "
                                "(queue/acked; the client sends it again)");
    if (!report.acked.empty()) log_info("queue", "queue/acked not used: " + report.acked + " (every entry kept)");
    for (const auto& id : report.quarantined)
      log_error("queue", id + ": moved to quarantine: control file or content failed its check");
    for (const auto& id : report.finished_removal) log_info("queue", id + ": removed (interrupted deletion)");
    return newest;
  }

  // At the end of a clean shutdown: the queue manager's state as DIR/snapshot
  // (queue/snapshot.hpp); its generation, or 0 when none could be written.
  std::uint64_t write_snapshot() {
    const auto started = std::chrono::steady_clock::now();
    std::error_code ec;
    auto writer = queue::SnapshotWriter::open(store_.root(), ec);
    std::size_t left_out = 0;
    std::size_t added = 0;
    if (writer)
      qmgr_->export_entries([&](queue::ControlFile& c) {
        // The index has the size; an entry it disagrees with is read from its file at start.
        auto s = index_.find(c.id);
        if (s && s->recipients == c.recipients.size() && s->held == c.held) {
          c.size = s->size;
          if (writer->add(c)) {
            if (++added % 4096 == 0) writer->write(writer->take_blocks());
            return;
          }
        }
        ++left_out;
      });
    const std::uint64_t generation = writer ? writer->finish(ec) : 0;
    if (!generation) {
      log_warning("queue", "cannot write the start-up snapshot: " + ec.message() + " (the next start reads every entry)");
      return 0;
    }
    log_info("queue", "start-up snapshot of " + std::to_string(writer->entries()) + " entries written in " +
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::steady_clock::now() - started).count()) +
                          " ms (" + std::to_string(left_out) + " left to be read from their files)");
    return generation;
  }

  void reload() {
    auto loaded = conf::load_config(file_);
    if (!loaded.config) {
      for (const auto& e : loaded.errors) log_error("master", "reload refused: " + e.text());
      log_error("master", "reload refused: keeping the running configuration");
      return;
    }
    auto built = make_runtime(std::move(*loaded.config));
    if (!built.runtime) {
      for (const auto& e : built.errors) log_error("master", "reload refused: " + e);
      log_error("master", "reload refused: keeping the running configuration");
      return;
    }
    auto old = runtime_.get();
    warn_fixed_keys(old->config, built.runtime->config);
    configure_log(built.runtime->config.log.level, built.runtime->config.log.format);
    smtp_->set_max_connections(built.runtime->config.smtp.max_connections);
    p1_->update(responder_settings(built.runtime->config));
    runtime_.set(std::move(built.runtime));
    qmgr_->reconfigured();  // new policies and limits; suspended peers tried again
    log_info("master", "reloaded configuration from " + file_.string());
  }

  std::string control(const std::string& request) {
    auto sp = request.find(' ');
    std::string verb = request.substr(0, sp);
    if (verb == "stats") {
      auto s = committer_->stats();
      return "ok messages=" + std::to_string(index_.count()) + " bytes=" + std::to_string(index_.bytes()) +
             " connections=" + std::to_string(smtp_->connections()) + " committed=" + std::to_string(s.entries) +
             " batches=" + std::to_string(s.batches) + " sync_calls=" + std::to_string(s.sync_calls) +
             " max_batch=" + std::to_string(s.max_batch) + " free_files=" + std::to_string(store_.free_files()) +
             " p1_associations_in=" +
             std::to_string(p1_->associations()) + qmgr_->stats();
    }
    if (verb == "p1-submit" && sp != std::string::npos) return p1_submit(request.substr(sp + 1));
    if (verb == "flush") {
      qmgr_->flush();
      return "ok deferred messages scheduled for immediate delivery";
    }
    auto op = parse_queue_op(verb);
    if (!op || sp == std::string::npos) return "error unknown request";
    const std::string id = request.substr(sp + 1);
    auto result = apply_queue_op(store_, &index_, *op, id);
    if (result.ok) {
      if (*op == QueueOp::hold || *op == QueueOp::release) qmgr_->hold(id, *op == QueueOp::hold);
      if (*op == QueueOp::retry) qmgr_->retry(id);
      if (*op == QueueOp::remove) qmgr_->remove(id);
    }
    return (result.ok ? "ok " : "error ") + result.message;
  }

  // "p1-submit PEER FILE": queue the MTS-APDU in FILE for transfer to PEER;
  // answers once it is durable.
  std::string p1_submit(const std::string& args) {
    auto sp = args.find(' ');
    if (sp == std::string::npos) return "error usage: p1-submit PEER FILE";
    const std::string peer = args.substr(0, sp), path = args.substr(sp + 1);
    const auto max = runtime_.get()->config.p1.max_apdu_size;
    std::ifstream in(path, std::ios::binary);
    if (!in) return "error cannot read " + path;
    std::vector<std::uint8_t> apdu;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      apdu.insert(apdu.end(), buf, buf + in.gcount());
      if (apdu.size() > max) return "error " + path + " is larger than p1.max_apdu_size";
    }
    std::promise<std::string> answer;
    auto result = answer.get_future();
    p1_intake_->submit(peer, std::move(apdu), [&answer, path](const std::string& id, const std::string& error) {
      answer.set_value(id.empty() ? "error " + path + ": " + error : "ok " + id);
    });
    return result.get();  // the committer thread answers; the control strand waits for one sync
  }

  std::filesystem::path file_;
  RuntimeHolder runtime_;
  asio::io_context io_;
  queue::Store store_;
  queue::QueueIndex index_;
  std::optional<queue::QueueIdGenerator> ids_;
  std::unique_ptr<queue::AckLog> ack_log_;  // before committer_: outlives its thread
  std::optional<queue::Committer> committer_;
  std::optional<SmtpIntake> intake_;
  std::optional<smtp::server::SmtpServer> smtp_;
  std::optional<ControlServer> control_;
  std::optional<qmgr::Qmgr> qmgr_;
  std::optional<TransferJournal> journal_;
  std::optional<CorrelationJournal> correlations_;
  std::optional<P1Intake> p1_intake_;
  std::optional<p1::association::Responder> p1_;
  std::optional<asio::steady_timer> drain_timer_;
  std::optional<PeriodicSnapshot> periodic_;  // after qmgr_: gone before it
  std::atomic<bool> drained_{false};
};

}  // namespace

int run_daemon(const std::filesystem::path& config_file) {
  auto loaded = conf::load_config(config_file);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.text().c_str());
    std::fprintf(stderr, "mixer: not started: %zu configuration error(s)\n", loaded.errors.size());
    return 2;
  }
  configure_log(loaded.config->log.level, loaded.config->log.format);
  auto built = make_runtime(std::move(*loaded.config));
  if (!built.runtime) {
    for (const auto& e : built.errors) std::fprintf(stderr, "%s\n", e.c_str());
    std::fprintf(stderr, "mixer: not started: %zu configuration error(s)\n", built.errors.size());
    return 2;
  }
  Daemon d(std::filesystem::absolute(config_file), built.runtime);
  return d.run();
}

}  // namespace mixer::gateway
