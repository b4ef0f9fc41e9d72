// gateway/qmgr/scheduler.hpp: the queue manager's scheduler, I/O-free
// (after Postfix's qmgr and PP's qmgr). It holds the state of every
// recipient still to be sent, rebuilt from the queue's control files at
// start-up, and decides what is sent when:
//
//   - a job is (entry, channel, next hop, form) with the recipients of that
//     entry that share them; at most `per_hop` jobs run per (channel, next
//     hop) and `per_channel` per channel (Limits);
//   - a transient failure defers each recipient with exponential backoff
//     and jitter (RetryPolicy, one per channel); a P1 job whose peer cannot
//     be reached is first tried on the next peer of the recipient's
//     fallback list;
//   - a recipient still waiting `lifetime` after arrival fails with dsn
//     5.4.7 (X.411 unable-to-transfer, maximum-time-expired);
//   - every `delay_warning` an entry still waiting gets one delay warning
//     (an Event; the daemon logs it);
//   - the operator's hold, release, retry, flush and delete;
//   - an entry's files are discarded when every recipient is delivered;
//     one with a failed recipient is kept for the operator (no reports yet).
//
// Every status change goes to the Sink (the control file, through
// Store::append; delivered and failed synced, deferrals not) before the
// in-memory state moves on. Time is passed in (unix microseconds); the
// jitter comes from a seedable generator. Not thread-safe: the queue
// manager calls it from one strand. Trusts the control files it is given
// (decoded and checked by the store) and the channels' results only as far
// as they name recipients of the job they answer.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "gateway/queue/format/control_file.hpp"

namespace mixer::qmgr {

using queue::Channel;
using Micros = std::int64_t;  // unix microseconds

constexpr std::size_t kChannels = 3;  // smtp, p1, local
inline std::size_t channel_slot(Channel c) { return static_cast<std::size_t>(c); }

struct RetryPolicy {
  std::chrono::microseconds initial{std::chrono::minutes(1)};
  std::chrono::microseconds max{std::chrono::hours(1)};
  std::chrono::microseconds lifetime{std::chrono::hours(24 * 5)};
  std::chrono::microseconds delay_warning{std::chrono::hours(4)};  // 0: none
  double jitter = 0.1;  // each backoff is shortened by up to this fraction, at random
};

// One unit of work handed to a channel.
struct Job {
  std::uint64_t number = 0;      // unique while the scheduler lives
  std::string id;                // queue ID
  Channel channel = Channel::local;
  std::string hop;               // the next hop of this attempt (a P1 peer, an SMTP domain)
  std::size_t hop_step = 0;      // 0: the recipients' own next hop; n: their n-th fallback
  std::size_t form = 0;          // the form file sent (0: the content as received)
  std::vector<std::size_t> rcpts;      // recipient indices in the control file
  std::vector<std::string> addresses;  // their addresses (empty for an opaque P1 APDU)
  std::string mts_id;            // for logs: the MTS identifier of what is sent, if any
  Micros arrival_us = 0;
  Micros queued_us = 0;          // when the job became due (delays=a/b/c/d's "a" ends here)
  Micros started_us = 0;         // when it was handed to the channel
};

enum class Outcome { delivered, deferred, failed };

struct RecipientResult {
  std::size_t rcpt = 0;
  Outcome outcome = Outcome::deferred;
  std::string dsn;   // RFC 3463 "2.0.0", "4.4.1", "5.1.1"
  std::string text;  // the peer's reply or our reason
  // Delivered to a next hop that could not take the DSN request (RFC 3461 §4.2,
  // "relayed"): the gateway owes the originator the delivery report itself.
  bool report_due = false;
};

struct JobResult {
  // Connection-level outcome: `ok` when the next hop took part (then the
  // recipients say what happened to each); `unreachable` when it could not
  // be reached or bound (failover, then deferral); `suspended` when it
  // refused us for a reason that will not go away by retrying
  // (authentication): its jobs wait until its configuration changes.
  enum class Connection { ok, unreachable, suspended } connection = Connection::ok;
  std::string relay;  // "mta-b[127.0.0.1]:10102" (log's relay=)
  std::string text;   // why, for unreachable/suspended
  std::vector<RecipientResult> recipients;  // recipients of the job missing here are deferred
  Micros connected_us = 0;  // when the connection was ready (delays "c"); 0: unknown
};

// What the scheduler reports (the daemon logs each as one line).
struct Event {
  enum class Kind { delivered, deferred, failed, expired, delayed, failover, suspended, kept, discarded, waiting };
  Kind kind = Kind::deferred;
  std::string id;
  Channel channel = Channel::local;
  std::string hop, relay, address, mts_id;
  std::size_t rcpt = 0;
  std::string dsn, text;
  Micros arrival_us = 0, now_us = 0, next_us = 0;
  Micros queued_us = 0, started_us = 0, connected_us = 0;
  bool first_warning = false;  // delayed: the entry's first delay warning
  Micros expires_us = 0;       // delayed: when the recipient's lifetime ends
};

// Where the scheduler's decisions go: the control file and the log.
class Sink {
 public:
  virtual ~Sink() = default;
  // Appends a status record; sync for delivered/failed. An error leaves
  // the scheduler's state unchanged for that recipient (it is retried).
  virtual std::error_code append(const std::string& id, const queue::Record& record, bool sync) = 0;
  // Every recipient of the entry is delivered: remove its files.
  virtual void discard(const std::string& id) = 0;
  virtual void event(const Event& e) = 0;
};

struct Limits {
  // Jobs in flight per (channel, next hop) and per channel; 0 = the channel
  // does not run (its recipients wait).
  std::function<std::size_t(Channel, const std::string& hop)> per_hop;
  std::array<std::size_t, kChannels> per_channel{100, 100, 0};
};

struct ChannelStats {
  std::size_t recipients = 0;  // waiting or in flight
  std::size_t deferred = 0;
  std::size_t jobs = 0;        // in flight
  std::size_t hops_suspended = 0;
};

class Scheduler {
 public:
  Scheduler(Sink& sink, Limits limits, std::uint64_t seed = std::random_device{}());

  void set_policy(Channel c, const RetryPolicy& p) { policy_[channel_slot(c)] = p; }
  const RetryPolicy& policy(Channel c) const { return policy_[channel_slot(c)]; }
  void set_limits(Limits limits) { limits_ = std::move(limits); }

  // A durable entry (new from the submit stage, or found at start-up).
  // Recipients already delivered or failed are not scheduled; an entry
  // whose recipients are all delivered is discarded. `now` decides which
  // delay warnings count as given already (those before it).
  void add(const queue::ControlFile& entry, Micros now);
  // The same, taking the entry's strings instead of copying them (start-up).
  void add(queue::ControlFile&& entry, Micros now);
  // Room for this many entries (before a start-up's add()s).
  void reserve(std::size_t entries) { entries_.reserve(entries); }

  // The jobs to start now (marks their recipients in flight).
  std::vector<Job> take(Micros now);
  // A channel's answer for a job handed out by take().
  void complete(const Job& job, const JobResult& result, Micros now);
  // Expiry, delay warnings and due recipients by `now`, for at most
  // `budget` entries (take() runs it with kTickBudget).
  void tick(Micros now, std::size_t budget = SIZE_MAX);
  static constexpr std::size_t kTickBudget = 20000;
  // When take()/tick() has something to do next; 0 if nothing waits.
  Micros next_wakeup() const;

  // The operator (records already appended by the caller).
  bool hold(const std::string& id, bool held, Micros now);
  bool retry(const std::string& id, Micros now);  // deferred recipients now
  void flush(Micros now);                         // every deferred recipient now
  bool remove(const std::string& id);             // deleted: forget (jobs in flight are ignored)
  // A hop refused us permanently (JobResult::suspended) is tried again
  // after the configuration changed (SIGHUP).
  void resume_all(Micros now);

  // Every entry it holds, in ID order, as the control file fields a start-up
  // snapshot keeps (queue/format/snapshot_format.hpp; `size` left 0: the queue
  // index has it), for the end of a clean shutdown (no job in flight).
  void export_entries(const std::function<void(queue::ControlFile&)>& each) const;
  // The same while it runs, a few at a time (a periodic snapshot): the IDs of
  // the entries export_entries() would give (unsorted), then each one by ID
  // (false when it is gone meanwhile). An entry's file_size is the size of the
  // file holding exactly the state exported (the records it appended counted),
  // or 0 when that is not known: the operator changed it (hold, release,
  // retry, flush: the record was not appended by it), or an append failed.
  std::vector<std::string> exportable_ids() const;
  bool export_entry(const std::string& id, queue::ControlFile& out) const;

  bool contains(const std::string& id) const { return entries_.count(id) != 0; }
  std::size_t entries() const { return entries_.size(); }
  std::size_t jobs_in_flight() const { return in_flight_.size(); }
  ChannelStats stats(Channel c) const;
  bool suspended(Channel c, const std::string& hop) const;

  // Backoff before attempt `attempts + 1` after `attempts` failures, with
  // jitter (public for the tests): min(initial * 2^(attempts-1), max),
  // shortened by up to policy.jitter.
  std::chrono::microseconds backoff(Channel c, unsigned attempts);

 private:
  struct Rcpt {
    std::uint32_t index = 0;
    Channel channel = Channel::local;
    std::uint32_t hop = 0;        // interned: its own next hop
    std::uint32_t fallback = 0;   // interned list of further hops (0: none)
    std::uint32_t form = 0;
    std::uint8_t step = 0;        // current failover step of this attempt
    queue::RecipientStatus status = queue::RecipientStatus::queued;
    bool in_flight = false;       // handed to a channel
    bool reserved = false;        // in its hop's queue, waiting for a slot
    bool sendable = true;         // false: its form cannot go on its channel (waits, logged once)
    unsigned attempts = 0;
    Micros next_us = 0;
    std::string address, dsn, diagnostic;
  };
  struct Entry {
    std::string id, mts_id;
    std::uint64_t seq = 0;        // the order it was added in (ties of wakeups_)
    Micros arrival_us = 0;
    Micros wake_us = 0;           // its key in wakeups_ (0: not in it)
    Micros warned_until = 0;      // delay warnings up to this time were given
    bool held = false;
    bool report_on_delivery = false;  // a recipient owes a delivery report (RecipientRecord::delivery_report)
    std::uint8_t apdu = 0;        // the content: 0 RFC 5322, 1 message, 2 report, 3 probe MTS-APDU
    std::uint64_t p1_forms = 0;   // bit i: form i + 1 is an MTS-APDU (for export_entries)
    std::uint64_t file_size = 0;  // of msg/ID holding exactly this state (0: not known; export_entry)
    std::vector<Rcpt> rcpts;
    std::vector<std::string> form_mts_ids;  // per form (0 = content)
  };
  struct HopKey {
    Channel channel;
    std::uint32_t hop;
    bool operator<(const HopKey& o) const { return channel != o.channel ? channel < o.channel : hop < o.hop; }
  };
  struct Pending {   // a job waiting for a slot on its hop
    std::string id;
    std::vector<std::uint32_t> rcpts;
    std::uint32_t form = 0;
    std::uint8_t step = 0;
    Micros queued_us = 0;
  };
  struct Hop {
    std::vector<Pending> ready;    // FIFO (consumed from `head`)
    std::size_t head = 0;
    std::size_t running = 0;
    bool suspended = false;
    std::string reason;
  };

  // add(): `take`: the entry's strings may be moved from.
  void add_entry(queue::ControlFile& c, bool take, Micros now);
  std::uint32_t intern(const std::string& s);
  std::uint32_t intern_list(const std::vector<std::string>& list);
  // The hop a recipient's attempt goes to at `step` (nullopt: past its last).
  std::optional<std::uint32_t> hop_at(const Rcpt& r, std::size_t step) const;
  void schedule(Entry& e, Micros now);   // recompute the wake-up key
  void process(Entry& e, Micros now);    // expiry, warnings, due recipients to hop queues
  void defer(Entry& e, Rcpt& r, const std::string& relay, const std::string& hop, const std::string& dsn,
             const std::string& text, Micros now);
  void fail(Entry& e, Rcpt& r, const std::string& relay, const std::string& hop, const std::string& dsn,
            const std::string& text, Event::Kind kind, Micros now);
  bool finish_if_done(Entry& e, Micros now);  // true if erased
  // Appends through the sink; the entry's file_size follows (0 once an append failed).
  std::error_code append(Entry& e, const queue::Record& rec, bool sync);
  void export_one(const Entry& e, queue::ControlFile& c) const;
  Event event(Event::Kind k, const Entry& e, const Rcpt& r, Micros now) const;
  bool pending(const Rcpt& r) const {
    return r.status == queue::RecipientStatus::queued || r.status == queue::RecipientStatus::deferred;
  }

  Sink& sink_;
  Limits limits_;
  std::array<RetryPolicy, kChannels> policy_{};
  std::mt19937_64 rng_;
  std::unordered_map<std::string, Entry> entries_;
  // When each entry is next due, soonest first (ties: the order added). The
  // entries' nodes never move (unordered_map), so a wake-up points at its entry.
  struct Wakeup {
    Micros at = 0;
    std::uint64_t seq = 0;
    Entry* entry = nullptr;
    bool operator<(const Wakeup& o) const { return at != o.at ? at < o.at : seq < o.seq; }
  };
  std::set<Wakeup> wakeups_;
  std::uint64_t next_seq_ = 1;
  std::map<HopKey, Hop> hops_;
  std::set<HopKey> ready_hops_;  // hops with something in `ready`
  std::array<std::size_t, kChannels> running_{};
  struct InFlight { std::string id; HopKey hop; };
  std::unordered_map<std::uint64_t, InFlight> in_flight_;
  std::uint64_t next_job_ = 1;
  std::vector<std::string> names_{""};       // interned hop names (0: none)
  std::unordered_map<std::string, std::uint32_t> name_ids_;
  std::vector<std::vector<std::uint32_t>> lists_{{}};  // interned fallback lists (0: none)
  std::map<std::vector<std::uint32_t>, std::uint32_t> list_ids_;
  std::uint32_t last_list_ = 0;
};

const char* outcome_name(Outcome o);

}  // namespace mixer::qmgr
