// The queue manager's scheduler without sockets or files: a recording Sink,
// time passed in. Backoff and jitter, concurrency per next hop, expiry,
// delay warnings, the operator's ops, rebuild from control files, entry
// removal only when every recipient is done, P1 failover.
#include <gtest/gtest.h>

#include <algorithm>

#include "gateway/qmgr/scheduler.hpp"
#include "gateway/queue/format/snapshot_format.hpp"

using namespace mixer;
using namespace mixer::qmgr;
using queue::RecipientStatus;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

constexpr Micros S = 1'000'000;
constexpr Micros T0 = 1'800'000'000LL * S;

struct Recorder : Sink {
  struct Append {
    std::string id;
    queue::Record record;
    bool sync;
  };
  std::vector<Append> appends;
  std::vector<std::string> discarded;
  std::vector<Event> events;
  bool fail_appends = false;
  std::error_code append(const std::string& id, const queue::Record& r, bool sync) override {
    if (fail_appends) return std::make_error_code(std::errc::no_space_on_device);
    appends.push_back({id, r, sync});
    return {};
  }
  void discard(const std::string& id) override { discarded.push_back(id); }
  void event(const Event& e) override { events.push_back(e); }
  std::size_t count(Event::Kind k) const {
    return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [k](const Event& e) { return e.kind == k; }));
  }
};

queue::RecipientRecord p1_rcpt(std::size_t i, const std::string& peer, std::vector<std::string> fallback = {}) {
  queue::RecipientRecord r;
  r.index = i;
  r.address = "u" + std::to_string(i) + "@x400.example";
  r.channel = queue::Channel::p1;
  r.peer = peer;
  r.fallback = std::move(fallback);
  return r;
}

queue::RecipientRecord smtp_rcpt(std::size_t i, const std::string& domain, std::size_t form = 0) {
  queue::RecipientRecord r;
  r.index = i;
  r.address = "v" + std::to_string(i) + "@" + domain;
  r.channel = queue::Channel::smtp;
  r.domain = domain;
  r.form = form;
  return r;
}

// A P1 entry (content: an MTS-APDU) with the given recipients.
queue::ControlFile p1_entry(const std::string& id, std::vector<queue::RecipientRecord> rcpts, Micros arrival = T0) {
  queue::ControlFile c;
  c.id = id;
  c.arrival_us = arrival;
  c.origin = "submit";
  c.apdu = "message";
  c.mts_id = "[/PRMD=P/ADMD= /C=XX/;" + id + "]";
  c.recipients = std::move(rcpts);
  return c;
}

struct SchedulerTest : ::testing::Test {
  Recorder sink;
  std::map<std::string, std::size_t> hop_limit;
  Limits limits() {
    Limits l;
    l.per_hop = [this](Channel, const std::string& hop) {
      auto it = hop_limit.find(hop);
      return it == hop_limit.end() ? std::size_t(2) : it->second;
    };
    l.per_channel = {10, 10, 0};
    return l;
  }
  Scheduler s{sink, limits(), 42};
  void SetUp() override {
    RetryPolicy p;
    p.initial = minutes(1);
    p.max = hours(1);
    p.lifetime = hours(24);
    p.delay_warning = hours(4);
    p.jitter = 0.1;
    s.set_policy(Channel::p1, p);
    s.set_policy(Channel::smtp, p);
  }
  static JobResult all(const Job& j, Outcome o, const std::string& dsn = "", const std::string& text = "") {
    JobResult r;
    r.relay = j.hop + "[127.0.0.1]:102";
    for (auto i : j.rcpts) r.recipients.push_back({i, o, dsn, text});
    return r;
  }
  static JobResult unreachable(const Job& j, JobResult::Connection c = JobResult::Connection::unreachable) {
    JobResult r;
    r.connection = c;
    r.relay = j.hop;
    r.text = "cannot connect: Connection refused";
    return r;
  }
};

}  // namespace

TEST_F(SchedulerTest, backoff_doubles_up_to_max_shortened_by_at_most_the_jitter) {
  for (unsigned attempts = 1; attempts <= 10; ++attempts) {
    const auto nominal = std::min<microseconds>(microseconds(minutes(1)) * (1LL << (attempts - 1)), hours(1));
    for (int i = 0; i < 200; ++i) {
      auto d = s.backoff(Channel::p1, attempts);
      EXPECT_LE(d, nominal) << attempts;
      EXPECT_GE(d.count(), nominal.count() * 9 / 10) << attempts;
    }
  }
  // Jitter spreads them: not all the same.
  std::set<std::int64_t> seen;
  for (int i = 0; i < 50; ++i) seen.insert(s.backoff(Channel::p1, 3).count());
  EXPECT_GT(seen.size(), 40u);
  // Without jitter, exactly the doubling.
  RetryPolicy p = s.policy(Channel::p1);
  p.jitter = 0;
  s.set_policy(Channel::p1, p);
  EXPECT_EQ(s.backoff(Channel::p1, 1), minutes(1));
  EXPECT_EQ(s.backoff(Channel::p1, 2), minutes(2));
  EXPECT_EQ(s.backoff(Channel::p1, 3), minutes(4));
  EXPECT_EQ(s.backoff(Channel::p1, 7), hours(1));
  EXPECT_EQ(s.backoff(Channel::p1, 30), hours(1));
}

TEST_F(SchedulerTest, deferral_is_recorded_unsynced_and_retried_after_the_backoff) {
  s.add(p1_entry("A", {p1_rcpt(0, "mta-b")}), T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-b");
  EXPECT_EQ(jobs[0].rcpts, std::vector<std::size_t>{0});
  EXPECT_TRUE(s.take(T0).empty());  // in flight
  s.complete(jobs[0], all(jobs[0], Outcome::deferred, "4.4.1", "busy"), T0 + S);
  ASSERT_EQ(sink.appends.size(), 1u);
  const auto& a = sink.appends[0];
  EXPECT_FALSE(a.sync);
  EXPECT_EQ(a.record.status, RecipientStatus::deferred);
  EXPECT_EQ(a.record.attempts, 1u);
  EXPECT_EQ(a.record.dsn, "4.4.1");
  EXPECT_GE(a.record.next_attempt, (T0 + S) / S + 54);
  EXPECT_LE(a.record.next_attempt, (T0 + S) / S + 60);
  EXPECT_TRUE(s.take(T0 + 50 * S).empty());
  EXPECT_GT(s.next_wakeup(), T0 + 50 * S);
  EXPECT_LE(s.next_wakeup(), T0 + 61 * S);
  jobs = s.take(T0 + 61 * S);
  ASSERT_EQ(jobs.size(), 1u);
  s.complete(jobs[0], all(jobs[0], Outcome::deferred, "4.4.1", "busy"), T0 + 62 * S);
  EXPECT_EQ(sink.appends.back().record.attempts, 2u);
  const auto second = sink.appends.back().record.next_attempt - (T0 + 62 * S) / S;
  EXPECT_GE(second, 108);  // two minutes less at most 10%
  EXPECT_LE(second, 120);
}

TEST_F(SchedulerTest, concurrency_is_limited_per_next_hop_and_per_channel) {
  hop_limit["mta-b"] = 2;
  hop_limit["mta-c"] = 1;
  for (int i = 0; i < 5; ++i) s.add(p1_entry("B" + std::to_string(i), {p1_rcpt(0, "mta-b")}), T0);
  for (int i = 0; i < 3; ++i) s.add(p1_entry("C" + std::to_string(i), {p1_rcpt(0, "mta-c")}), T0);
  auto jobs = s.take(T0);
  auto on = [&](const std::string& hop) {
    return std::count_if(jobs.begin(), jobs.end(), [&](const Job& j) { return j.hop == hop; });
  };
  EXPECT_EQ(on("mta-b"), 2);
  EXPECT_EQ(on("mta-c"), 1);
  EXPECT_TRUE(s.take(T0).empty());
  // One finishes: exactly one more for that hop, in arrival order.
  Job done = *std::find_if(jobs.begin(), jobs.end(), [](const Job& j) { return j.hop == "mta-b"; });
  s.complete(done, all(done, Outcome::delivered, "2.0.0", "ok"), T0);
  auto more = s.take(T0);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].hop, "mta-b");
  EXPECT_EQ(more[0].id, "B2");
  // The channel's total.
  Limits l = limits();
  l.per_channel = {10, 3, 0};
  s.set_limits(l);
  hop_limit["mta-c"] = 5;
  EXPECT_TRUE(s.take(T0).empty());  // 2 + 1 already running
  EXPECT_EQ(s.stats(Channel::p1).jobs, 3u);
}

TEST_F(SchedulerTest, recipients_sharing_channel_hop_and_form_go_as_one_job) {
  auto c = p1_entry("M", {p1_rcpt(0, "mta-b"), p1_rcpt(1, "mta-c"), p1_rcpt(2, "mta-b")});
  s.add(c, T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 2u);
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.hop < b.hop; });
  EXPECT_EQ(jobs[0].rcpts, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(jobs[1].rcpts, (std::vector<std::size_t>{1}));
}

TEST_F(SchedulerTest, expiry_fails_with_5_4_7_and_maximum_time_expired) {
  s.add(p1_entry("E", {p1_rcpt(0, "mta-b")}), T0);
  auto jobs = s.take(T0);
  s.complete(jobs[0], all(jobs[0], Outcome::deferred, "4.4.1", "cannot connect"), T0 + S);
  // Not attempted again past the lifetime: failed, synced, kept (a failed recipient).
  s.take(T0 + 25 * 3600 * S);
  const auto& last = sink.appends.back();
  EXPECT_TRUE(last.sync);
  EXPECT_EQ(last.record.status, RecipientStatus::failed);
  EXPECT_EQ(last.record.dsn, "5.4.7");
  EXPECT_NE(last.record.diagnostic.find("delivery time expired"), std::string::npos) << last.record.diagnostic;
  EXPECT_NE(last.record.diagnostic.find("maximum-time-expired"), std::string::npos);
  EXPECT_NE(last.record.diagnostic.find("last error: cannot connect"), std::string::npos);
  EXPECT_EQ(sink.count(Event::Kind::expired), 1u);
  EXPECT_EQ(sink.count(Event::Kind::kept), 1u);
  EXPECT_TRUE(sink.discarded.empty());
  EXPECT_FALSE(s.contains("E"));
  // A deferral answered after the lifetime is an expiry too.
  s.add(p1_entry("F", {p1_rcpt(0, "mta-b")}, T0), T0);
  jobs = s.take(T0 + 23 * 3600 * S);
  ASSERT_EQ(jobs.size(), 1u);
  s.complete(jobs[0], all(jobs[0], Outcome::deferred, "4.4.1", "timeout"), T0 + 24 * 3600 * S + S);
  EXPECT_EQ(sink.appends.back().record.dsn, "5.4.7");
  EXPECT_EQ(sink.appends.back().record.status, RecipientStatus::failed);
}

TEST_F(SchedulerTest, delay_warning_once_per_interval) {
  hop_limit["mta-b"] = 0;  // nothing is sent: the entry waits
  s.add(p1_entry("W", {p1_rcpt(0, "mta-b"), p1_rcpt(1, "mta-b")}), T0);
  s.take(T0 + 3 * 3600 * S);
  EXPECT_EQ(sink.count(Event::Kind::delayed), 0u);
  EXPECT_LE(s.next_wakeup(), T0 + 4 * 3600 * S);
  s.take(T0 + 4 * 3600 * S + S);
  EXPECT_EQ(sink.count(Event::Kind::delayed), 2u);  // one per waiting recipient
  s.take(T0 + 5 * 3600 * S);
  s.take(T0 + 7 * 3600 * S);
  EXPECT_EQ(sink.count(Event::Kind::delayed), 2u);
  s.take(T0 + 8 * 3600 * S + S);
  EXPECT_EQ(sink.count(Event::Kind::delayed), 4u);
  // Skipping several intervals gives one warning, not one per interval missed.
  s.take(T0 + 20 * 3600 * S);
  EXPECT_EQ(sink.count(Event::Kind::delayed), 6u);
  // Each warning is recorded in the control file ("warned"), once per entry.
  std::vector<queue::Record> warned;
  for (const auto& a : sink.appends)
    if (a.record.kind == queue::Record::Kind::warned) warned.push_back(a.record);
  ASSERT_EQ(warned.size(), 3u);
  EXPECT_EQ(warned.back().time, (T0 + 20 * 3600 * S) / S);
  // Rebuilt from the control file with its records: what was given is not given again.
  auto file = p1_entry("W", {p1_rcpt(0, "mta-b")});
  for (const auto& r : warned) queue::apply_record(file, r);
  Recorder other;
  Scheduler again(other, limits(), 1);
  RetryPolicy p = s.policy(Channel::p1);
  p.lifetime = hours(48);
  again.set_policy(Channel::p1, p);
  again.add(file, T0 + 21 * 3600 * S);
  again.take(T0 + 21 * 3600 * S + S);
  EXPECT_EQ(other.count(Event::Kind::delayed), 0u);
  again.take(T0 + 24 * 3600 * S - S);
  EXPECT_EQ(other.count(Event::Kind::delayed), 0u);
  again.take(T0 + 24 * 3600 * S + S);  // the next interval after the last one given
  EXPECT_EQ(other.count(Event::Kind::delayed), 1u);
}

// A warning that fell due while the daemon was down is given at start-up, as the
// entry's first (its DSN "delayed" is still owed), not skipped.
TEST_F(SchedulerTest, delay_warning_due_while_down_is_given_at_start_up) {
  hop_limit["mta-b"] = 0;
  s.add(p1_entry("D", {p1_rcpt(0, "mta-b")}), T0 + 6 * 3600 * S);
  s.take(T0 + 6 * 3600 * S + S);
  ASSERT_EQ(sink.count(Event::Kind::delayed), 1u);
  const auto& ev = *std::find_if(sink.events.begin(), sink.events.end(),
                                 [](const Event& e) { return e.kind == Event::Kind::delayed; });
  EXPECT_TRUE(ev.first_warning);
}

TEST_F(SchedulerTest, hold_release_retry_flush_and_delete) {
  s.add(p1_entry("H1", {p1_rcpt(0, "mta-b")}), T0);
  s.add(p1_entry("H2", {p1_rcpt(0, "mta-b")}), T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 2u);
  for (auto& j : jobs) s.complete(j, all(j, Outcome::deferred, "4.4.1", "down"), T0);
  EXPECT_TRUE(s.take(T0 + S).empty());
  // retry: that one now, the other keeps waiting.
  EXPECT_TRUE(s.retry("H1", T0 + S));
  jobs = s.take(T0 + S);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].id, "H1");
  s.complete(jobs[0], all(jobs[0], Outcome::deferred, "4.4.1", "down"), T0 + S);
  // hold: not even a flush sends it; release + flush does.
  EXPECT_TRUE(s.hold("H2", true, T0 + 2 * S));
  s.flush(T0 + 2 * S);
  jobs = s.take(T0 + 2 * S);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].id, "H1");
  s.complete(jobs[0], all(jobs[0], Outcome::deferred, "4.4.1", "down"), T0 + 2 * S);
  EXPECT_TRUE(s.take(T0 + 3 * S).empty());
  EXPECT_TRUE(s.hold("H2", false, T0 + 3 * S));
  EXPECT_TRUE(s.take(T0 + 3 * S).empty());  // released, but still waiting for its backoff
  s.flush(T0 + 3 * S);  // both deferred: both now
  jobs = s.take(T0 + 3 * S);
  ASSERT_EQ(jobs.size(), 2u);
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.id < b.id; });
  EXPECT_EQ(jobs[1].id, "H2");
  s.complete(jobs[0], all(jobs[0], Outcome::deferred, "4.4.1", "down"), T0 + 3 * S);
  // delete while in flight: forgotten, its answer ignored, nothing recorded.
  const auto appends = sink.appends.size();
  EXPECT_TRUE(s.remove("H2"));
  s.complete(jobs[1], all(jobs[1], Outcome::delivered, "2.0.0", "ok"), T0 + 4 * S);
  EXPECT_EQ(sink.appends.size(), appends);
  EXPECT_TRUE(sink.discarded.empty());
  EXPECT_FALSE(s.contains("H2"));
  EXPECT_FALSE(s.retry("H2", T0));
  // A job held while it waited for a slot is not handed out.
  hop_limit["mta-b"] = 0;
  s.add(p1_entry("H3", {p1_rcpt(0, "mta-b")}), T0);
  s.take(T0 + 5 * S);
  s.hold("H3", true, T0 + 5 * S);
  hop_limit["mta-b"] = 2;
  s.set_limits(limits());
  EXPECT_TRUE(s.take(T0 + 6 * S).empty());
}

TEST_F(SchedulerTest, rebuild_from_control_files_with_mixed_statuses) {
  auto c = p1_entry("R", {p1_rcpt(0, "mta-b"), p1_rcpt(1, "mta-c"), p1_rcpt(2, "mta-d"), p1_rcpt(3, "mta-e")});
  // Replay as the store does: 0 delivered, 1 deferred until later, 2 failed, 3 queued.
  auto rec = [](std::size_t i, RecipientStatus st, std::int64_t next) {
    queue::Record r;
    r.kind = queue::Record::Kind::status;
    r.rcpt = i;
    r.status = st;
    r.attempts = 2;
    r.next_attempt = next;
    r.dsn = st == RecipientStatus::failed ? "5.4.0" : "4.4.1";
    return r;
  };
  std::string text = queue::encode_control(c);
  text += queue::encode_record(rec(0, RecipientStatus::delivered, 0));
  text += queue::encode_record(rec(1, RecipientStatus::deferred, T0 / S + 600));
  text += queue::encode_record(rec(2, RecipientStatus::failed, 0));
  auto decoded = queue::decode_control(text);
  ASSERT_EQ(decoded.status, queue::DecodeResult::Status::complete) << decoded.error;
  s.add(decoded.file, T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-e");
  EXPECT_EQ(s.stats(Channel::p1).recipients, 2u);
  EXPECT_EQ(s.stats(Channel::p1).deferred, 1u);
  EXPECT_GE(s.next_wakeup(), T0 + 600 * S);
  jobs = s.take(T0 + 601 * S);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-c");
  // An entry whose recipients are all delivered (a crash before its removal) is discarded at once.
  auto d = p1_entry("D", {p1_rcpt(0, "mta-b")});
  d.recipients[0].status = RecipientStatus::delivered;
  s.add(d, T0);
  EXPECT_EQ(sink.discarded, std::vector<std::string>{"D"});
  // Recipients whose form their channel cannot send wait (logged), they are not sent.
  queue::ControlFile smtp_in;  // RFC 5322 content, a P1 recipient with form 0: not an APDU
  smtp_in.id = "X";
  smtp_in.arrival_us = T0;
  smtp_in.recipients = {p1_rcpt(0, "mta-b")};
  s.add(smtp_in, T0);
  EXPECT_EQ(sink.count(Event::Kind::waiting), 1u);
  for (auto& j : s.take(T0 + 700 * S)) EXPECT_NE(j.id, "X");
  EXPECT_TRUE(s.contains("X"));
}

TEST_F(SchedulerTest, entry_removed_only_when_every_recipient_is_done) {
  // One p1 and one smtp recipient; smtp does not run (no deliverer).
  Limits l = limits();
  l.per_channel = {0, 10, 0};
  s.set_limits(l);
  auto c = p1_entry("S", {p1_rcpt(0, "mta-b"), smtp_rcpt(1, "example.org", 1)});
  queue::FormRecord f;
  f.index = 1;
  f.kind = queue::FormRecord::Kind::rfc822;
  c.forms.push_back(f);
  s.add(c, T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].channel, Channel::p1);
  s.complete(jobs[0], all(jobs[0], Outcome::delivered, "2.0.0", "transfer confirmed by mta-b"), T0 + S);
  // The delivery is recorded (synced), the entry kept: its smtp recipient waits.
  ASSERT_EQ(sink.appends.size(), 1u);
  EXPECT_TRUE(sink.appends[0].sync);
  EXPECT_EQ(sink.appends[0].record.status, RecipientStatus::delivered);
  EXPECT_TRUE(sink.discarded.empty());
  EXPECT_TRUE(s.contains("S"));
  EXPECT_TRUE(s.take(T0 + 3600 * S).empty());
  EXPECT_EQ(s.stats(Channel::smtp).recipients, 1u);
  // The SMTP channel comes (reload): it is sent, delivered, and the entry removed.
  l.per_channel = {10, 10, 0};
  s.set_limits(l);
  s.resume_all(T0 + 3600 * S);
  jobs = s.take(T0 + 3600 * S);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].channel, Channel::smtp);
  EXPECT_EQ(jobs[0].hop, "example.org");
  EXPECT_EQ(jobs[0].form, 1u);
  s.complete(jobs[0], all(jobs[0], Outcome::delivered, "2.0.0", "250 ok"), T0 + 3601 * S);
  EXPECT_EQ(sink.appends.size(), 1u);  // the last delivery is not recorded: the entry goes
  EXPECT_EQ(sink.discarded, std::vector<std::string>{"S"});
  EXPECT_FALSE(s.contains("S"));
  // A failed recipient: the entry is handed to the report hook (kept), not discarded.
  s.add(p1_entry("K", {p1_rcpt(0, "mta-b"), p1_rcpt(1, "mta-c")}), T0);
  jobs = s.take(T0 + 3602 * S);
  ASSERT_EQ(jobs.size(), 2u);
  s.complete(jobs[0], all(jobs[0], Outcome::failed, "5.4.0", "refused"), T0 + 3603 * S);
  s.complete(jobs[1], all(jobs[1], Outcome::delivered, "2.0.0", "ok"), T0 + 3603 * S);
  EXPECT_EQ(sink.discarded.size(), 1u);
  EXPECT_EQ(sink.count(Event::Kind::kept), 1u);
  EXPECT_FALSE(s.contains("K"));
}

TEST_F(SchedulerTest, rfc2156_appendix_a_3_2_entry_owing_a_delivery_report_is_recorded_and_handed_on) {
  // Every recipient delivered, one owing the X.400 originator a delivery report: the
  // deliveries are recorded (the report is made from them) and the entry is handed to
  // the report hook (kept), not discarded.
  auto owing = p1_rcpt(1, "mta-c");
  owing.delivery_report = true;
  s.add(p1_entry("D", {p1_rcpt(0, "mta-b"), owing}), T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 2u);
  s.complete(jobs[0], all(jobs[0], Outcome::delivered, "2.0.0", "ok"), T0 + S);
  s.complete(jobs[1], all(jobs[1], Outcome::delivered, "2.0.0", "ok"), T0 + S);
  ASSERT_EQ(sink.appends.size(), 2u);
  EXPECT_EQ(sink.appends[1].record.status, RecipientStatus::delivered);
  EXPECT_TRUE(sink.discarded.empty());
  EXPECT_EQ(sink.count(Event::Kind::kept), 1u);
  EXPECT_FALSE(s.contains("D"));
}

// RFC 3461 §4.2: delivered to an SMTP next hop that could not take NOTIFY=SUCCESS
// ("relayed"): the recipient now owes its originator a delivery report (dr=1 in its
// status record), so the entry goes to the report hook instead of being discarded.
TEST_F(SchedulerTest, rfc3461_4_2_delivered_without_the_dsn_request_owes_a_report) {
  auto entry = p1_entry("R", {smtp_rcpt(0, "sink.test", 1)});
  queue::FormRecord form;
  form.index = 1;
  form.kind = queue::FormRecord::Kind::rfc822;
  entry.forms.push_back(form);
  s.add(entry, T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  auto result = all(jobs[0], Outcome::delivered, "2.0.0", "250 ok");
  result.recipients[0].report_due = true;
  s.complete(jobs[0], result, T0 + S);
  ASSERT_EQ(sink.appends.size(), 1u);
  EXPECT_TRUE(sink.appends[0].record.delivery_report);
  EXPECT_TRUE(sink.discarded.empty());
  EXPECT_EQ(sink.count(Event::Kind::kept), 1u);
  auto file = entry;
  queue::apply_record(file, sink.appends[0].record);
  EXPECT_TRUE(file.recipients[0].delivery_report);
  EXPECT_EQ(file.recipients[0].status, RecipientStatus::delivered);
}

TEST_F(SchedulerTest, unreachable_peer_fails_over_in_order_then_defers) {
  s.add(p1_entry("F", {p1_rcpt(0, "mta-b", {"mta-c", "mta-d"})}), T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-b");
  EXPECT_EQ(jobs[0].hop_step, 0u);
  s.complete(jobs[0], unreachable(jobs[0]), T0);
  EXPECT_TRUE(sink.appends.empty());  // no deferral yet: the next peer first
  jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-c");
  s.complete(jobs[0], unreachable(jobs[0]), T0);
  jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-d");
  s.complete(jobs[0], unreachable(jobs[0]), T0);
  EXPECT_EQ(sink.count(Event::Kind::failover), 2u);
  ASSERT_EQ(sink.appends.size(), 1u);  // all three down: one deferral
  EXPECT_EQ(sink.appends[0].record.status, RecipientStatus::deferred);
  EXPECT_EQ(sink.appends[0].record.dsn, "4.4.1");
  EXPECT_TRUE(s.take(T0 + S).empty());
  // The next attempt starts again with the first peer; the second takes it.
  jobs = s.take(T0 + 61 * S);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-b");
  s.complete(jobs[0], unreachable(jobs[0]), T0 + 61 * S);
  jobs = s.take(T0 + 61 * S);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].hop, "mta-c");
  s.complete(jobs[0], all(jobs[0], Outcome::delivered, "2.0.0", "transfer confirmed by mta-c"), T0 + 62 * S);
  EXPECT_EQ(sink.discarded, std::vector<std::string>{"F"});
}

TEST_F(SchedulerTest, suspended_peer_is_skipped_and_its_messages_wait_until_resumed) {
  s.add(p1_entry("A", {p1_rcpt(0, "mta-b", {"mta-c"})}), T0);
  s.add(p1_entry("B", {p1_rcpt(0, "mta-b")}), T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 2u);
  for (auto& j : jobs) s.complete(j, unreachable(j, JobResult::Connection::suspended), T0);
  EXPECT_TRUE(s.suspended(Channel::p1, "mta-b"));
  EXPECT_EQ(sink.count(Event::Kind::suspended), 1u);
  // A goes to its fallback; B has none: deferred with the reason, and waits.
  jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].id, "A");
  EXPECT_EQ(jobs[0].hop, "mta-c");
  s.complete(jobs[0], all(jobs[0], Outcome::delivered, "2.0.0", "ok"), T0);
  auto b = std::find_if(sink.appends.begin(), sink.appends.end(), [](const auto& a) { return a.id == "B"; });
  ASSERT_NE(b, sink.appends.end());
  EXPECT_NE(b->record.diagnostic.find("peer suspended"), std::string::npos);
  EXPECT_TRUE(s.take(T0 + 3600 * S).empty());  // past its backoff, still waiting
  EXPECT_EQ(s.stats(Channel::p1).hops_suspended, 1u);
  s.resume_all(T0 + 3600 * S);  // the configuration changed
  jobs = s.take(T0 + 3600 * S);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].id, "B");
}

TEST_F(SchedulerTest, a_failure_that_cannot_be_recorded_does_not_move_the_state) {
  s.add(p1_entry("N", {p1_rcpt(0, "mta-b"), p1_rcpt(1, "mta-c")}), T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 2u);
  sink.fail_appends = true;
  s.complete(jobs[0], all(jobs[0], Outcome::failed, "5.1.1", "unknown"), T0);
  s.complete(jobs[1], all(jobs[1], Outcome::delivered, "2.0.0", "ok"), T0);
  EXPECT_TRUE(s.contains("N"));
  EXPECT_EQ(s.stats(Channel::p1).recipients, 2u);  // both still to do
  sink.fail_appends = false;
  jobs = s.take(T0 + 3600 * S);
  EXPECT_EQ(jobs.size(), 2u);
}

TEST_F(SchedulerTest, a_large_due_queue_is_taken_in_bounded_shares) {
  const std::size_t n = Scheduler::kTickBudget + 5000;
  s.reserve(n);
  for (std::size_t i = 0; i < n; ++i) s.add(p1_entry("L" + std::to_string(i), {p1_rcpt(0, "mta-b")}), T0);
  EXPECT_EQ(s.take(T0).size(), 2u);
  EXPECT_LE(s.next_wakeup(), T0);  // the rest is due now: the queue manager comes back at once
  s.take(T0);
  EXPECT_GT(s.next_wakeup(), T0);  // every entry looked at, waiting for a slot on mta-b
  EXPECT_EQ(s.stats(Channel::p1).recipients, n);
}

// RFC 2156 Appendix A §1 (smtp.out.verify_probes): a probe's Internet recipients go to
// the SMTP channel with form 0, the probe itself, which that channel VRFYs rather than
// sends; a message's form 0 (an MTS-APDU) stays unsendable over SMTP.
TEST_F(SchedulerTest, rfc2156_appendix_a_1_probe_recipients_go_to_the_smtp_channel) {
  auto probe = p1_entry("P", {smtp_rcpt(0, "sink.test")});
  probe.apdu = "probe";
  s.add(probe, T0);
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].channel, Channel::smtp);
  EXPECT_EQ(jobs[0].form, 0u);
  s.add(p1_entry("M", {smtp_rcpt(0, "sink.test")}), T0);
  EXPECT_TRUE(s.take(T0).empty());
  EXPECT_EQ(sink.count(Event::Kind::waiting), 1u);
}

// Start-up hands the scheduler each recovered entry to keep (issue 14: its strings
// are taken, not copied): the recipients it schedules are the same as from a copy,
// with their addresses, last errors and attempts.
TEST_F(SchedulerTest, an_entry_moved_in_is_scheduled_like_one_copied_in) {
  auto make = [](const std::string& id) {
    auto c = p1_entry(id, {p1_rcpt(0, "mta-a"), p1_rcpt(1, "mta-b")});
    c.recipients[1].status = RecipientStatus::deferred;
    c.recipients[1].attempts = 2;
    c.recipients[1].diagnostic = "cannot connect: Connection refused (a long diagnostic, not inline)";
    c.recipients[1].next_attempt = T0 / S - 1;
    return c;
  };
  const auto copied = make("0AAAAAAAAA1");
  s.add(copied, T0);
  s.add(make("0AAAAAAAAA2"), T0);  // an rvalue: moved in
  auto jobs = s.take(T0);
  ASSERT_EQ(jobs.size(), 4u);
  std::map<std::string, std::vector<std::string>> by_id;
  for (const auto& j : jobs) by_id[j.id].push_back(j.hop + " " + j.addresses.at(0));
  for (auto& [id, v] : by_id) std::sort(v.begin(), v.end());
  EXPECT_EQ(by_id["0AAAAAAAAA1"], (std::vector<std::string>{"mta-a u0@x400.example", "mta-b u1@x400.example"}));
  EXPECT_EQ(by_id["0AAAAAAAAA2"], by_id["0AAAAAAAAA1"]);
  // The deferred one's history came along: a failure now is its third attempt.
  for (const auto& j : jobs)
    if (j.id == "0AAAAAAAAA2" && j.hop == "mta-b") s.complete(j, all(j, Outcome::deferred, "4.4.1", "busy"), T0);
  ASSERT_FALSE(sink.appends.empty());
  EXPECT_EQ(sink.appends.back().record.attempts, 3u);
}

// Entries due at the same moment are handed out in the order they were added (at
// start-up: the order of their IDs, the order of arrival).
TEST_F(SchedulerTest, entries_due_together_go_out_in_the_order_added) {
  hop_limit["mta-a"] = 1;
  s.set_limits(limits());
  for (const char* id : {"0AAAAAAAAA3", "0AAAAAAAAA1", "0AAAAAAAAA2"}) s.add(p1_entry(id, {p1_rcpt(0, "mta-a")}), T0);
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    auto jobs = s.take(T0 + i);
    ASSERT_EQ(jobs.size(), 1u);
    order.push_back(jobs[0].id);
    s.complete(jobs[0], all(jobs[0], Outcome::delivered, "2.0.0"), T0 + i);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"0AAAAAAAAA3", "0AAAAAAAAA1", "0AAAAAAAAA2"}));
}

// Issue 14: what a clean shutdown's snapshot takes from the scheduler is what the
// control files say once their appended records are replayed (the start-up would
// otherwise differ from a full scan's).
TEST_F(SchedulerTest, exported_entries_match_their_control_files_with_the_records_replayed) {
  std::vector<queue::ControlFile> originals;
  originals.push_back(p1_entry("A", {p1_rcpt(0, "mta-b", {"mta-c", "mta-d"}), p1_rcpt(1, "mta-b")}));
  auto b = p1_entry("B", {smtp_rcpt(0, "example.org", 1), p1_rcpt(1, "mta-e")}, T0 + S);
  b.apdu.clear();
  b.mts_id.clear();
  b.recipients[1].form = 2;
  queue::FormRecord rfc822, p1;
  rfc822.index = 1;
  rfc822.mts_id = "<b@example>";
  p1.index = 2;
  p1.kind = queue::FormRecord::Kind::p1;
  p1.mts_id = "[/PRMD=P/ADMD= /C=XX/;B]";
  b.forms = {rfc822, p1};
  b.held = true;
  originals.push_back(b);
  originals.push_back(p1_entry("C", {smtp_rcpt(0, "example.net"), p1_rcpt(1, "mta-f")}));
  originals.back().apdu = "probe";
  for (const auto& c : originals) s.add(c, T0);
  for (const auto& job : s.take(T0 + 2 * S))
    s.complete(job, all(job, job.channel == Channel::smtp ? Outcome::delivered : Outcome::deferred, "", "busy"),
               T0 + 3 * S + 123);
  ASSERT_FALSE(sink.appends.empty());
  for (const auto& a : sink.appends)
    for (auto& c : originals)
      if (c.id == a.id) queue::apply_record(c, a.record);
  std::vector<queue::ControlFile> exported;
  s.export_entries([&](queue::ControlFile& c) { exported.push_back(c); });
  ASSERT_EQ(exported.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(exported[i].id, originals[i].id);
    // Every field a snapshot keeps, the recipients' states included (encode_control alone
    // leaves those out).
    EXPECT_EQ(queue::snapshot_state_text(exported[i]), queue::snapshot_state_text(originals[i]));
    EXPECT_EQ(exported[i].held, originals[i].held);
    EXPECT_EQ(exported[i].warned, originals[i].warned);
  }
  EXPECT_EQ(exported[0].recipients[0].status, RecipientStatus::deferred);
  // Added again (the next start), the same export: nothing is lost in the round.
  Recorder sink2;
  Scheduler again{sink2, limits(), 7};
  for (auto c : exported) again.add(std::move(c), T0 + 4 * S);
  std::vector<std::string> first, second;
  for (auto& c : exported) first.push_back(queue::encode_control(c));
  again.export_entries([&](queue::ControlFile& c) { second.push_back(queue::encode_control(c)); });
  EXPECT_EQ(first, second);
}
