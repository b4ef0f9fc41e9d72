// gateway/enqueue.cpp: the one path into the queue (see enqueue.hpp).
#include "gateway/enqueue.hpp"

#include <unistd.h>

#include "gateway/log.hpp"
#include "gateway/transfer_journal.hpp"

namespace mixer::gateway {

void enqueue(QueueParts q, std::unique_ptr<queue::Draft> draft, queue::ControlFile control, Submission* submitted,
             BeforeCommit before_commit, EnqueueDone done) {
  const std::string id = draft->id();
  auto refuse = [&](const std::string& why) {
    draft->abort();
    control.id = id;
    done(control, why);
  };
  if (submitted && q.relays) {
    // Each recipient relayed over P1, with every peer of its route, before its transfer can
    // start: the peer sending it back is then seen as a loop (gateway/transfer_journal.hpp).
    const std::int64_t now = now_us() / 1000000;
    for (const auto& r : submitted->recipients) {
      if (r.channel != queue::Channel::p1 || r.or_address.empty() || r.peer.empty() || r.form == 0 ||
          r.form > submitted->forms.size())
        continue;
      const std::string& mts_id = submitted->forms[r.form - 1].record.mts_id;
      if (mts_id.empty()) continue;
      q.relays->sent(r.peer, mts_id, r.or_address, now);
      for (const auto& f : r.fallback) q.relays->sent(f, mts_id, r.or_address, now);
    }
  }
  if (submitted) {
    // The submit stage's forms beside the content, and its states for the recipients.
    for (auto& form : submitted->forms) {
      std::error_code ec;
      draft->add_form(std::move(form.record), form.octets, ec);
      if (ec) return refuse("cannot write a converted form: " + ec.message());
    }
    control.recipients = std::move(submitted->recipients);
    for (auto& rec : submitted->failures) {
      queue::apply_record(control, rec);
      control.records.push_back(std::move(rec));
    }
  }
  // The transfer journal's record goes first: written before the control part makes the entry
  // complete, so a crash can never leave a complete entry (recovered, its APDU taken) without it,
  // whose retransmission the restarted responder would then queue a second time.
  int journal_fd = -1;
  if (before_commit) journal_fd = before_commit(control, !q.committer.syncs_file_system());
  queue::DurableSet files;
  if (auto ec = draft->finish(control, files)) {
    if (journal_fd >= 0) ::close(journal_fd);
    return refuse("cannot write queue entry: " + ec.message());
  }
  if (journal_fd >= 0) files.other_fds.push_back(journal_fd);
  // What was converted across, for reports that come back about it (RFC 2156 §5.3.8.3,
  // §5.1.8.3): appended now, so that a syncfs commit makes it durable with the entry.
  if (submitted && q.correlations)
    for (auto& sent : submitted->sent) {
      sent.queue_id = id;
      if (auto ec = q.correlations->record(std::move(sent), now_us() / 1000000))
        log_warning("queue", id + ": not recorded in the correlation journal (" + ec.message() +
                                 "): a report about it will not be matched to it");
    }
  auto* store = &q.store;
  auto* index = &q.index;
  // Received over SMTP: listed in DIR/acked once durable, before its 250 (queue/ack_log.hpp),
  // so that a start after a crash before that removes it (its client sends it again).
  std::string acknowledge = control.origin == "smtp" ? id : std::string();
  q.committer.submit(files, [store, index, control = std::move(control), done = std::move(done)](std::error_code ec) {
    if (ec) {
      // Not durable: take it back out, so that it is neither acknowledged nor delivered.
      store->drop(control.id);
      return done(control, "sync failed: " + ec.message());
    }
    index->add(control);
    done(control, "");
  }, std::move(acknowledge));
}

}  // namespace mixer::gateway
