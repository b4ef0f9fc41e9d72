// The queue manager with a real store and event loop but no sockets: the
// SMTP channel driven through a fake SmtpDeliverer (what the daemon's
// adapter to smtp/client's Deliverer will be), per-recipient results
// recorded, the entry removed once every recipient is delivered.
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include <filesystem>

#include "gateway/qmgr/qmgr.hpp"
#include "gateway/queue/format/queue_id.hpp"

using namespace mixer;
namespace fs = std::filesystem;

namespace {

struct QmgrTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-qmgr-test-" + std::to_string(::getpid()));
  std::unique_ptr<gateway::RuntimeHolder> runtime;
  std::unique_ptr<queue::Store> store;
  queue::QueueIndex index;
  boost::asio::io_context io;

  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto loaded = conf::parse_config(
        "gateway: { mta_name: gw.test, domain: gw.test }\n"
        "smtp: { listen: [ \"127.0.0.1:2525\" ] }\n"
        "queue: { directory: q, retry: { initial: 1m, max: 1h }, smtp: { max_connections: 4, max_per_destination: 2 } }\n",
        dir / "mixer.yaml", false);
    ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0].text());
    auto rt = std::make_shared<gateway::Runtime>();
    rt->config = *loaded.config;
    runtime = std::make_unique<gateway::RuntimeHolder>(rt);
    store = std::make_unique<queue::Store>(rt->config.queue.directory);
    store->prepare();
  }
  void TearDown() override { fs::remove_all(dir); }

  // An SMTP-received message with two recipients at two domains (form 0).
  queue::ControlFile write_entry() {
    queue::QueueIdGenerator ids(0);
    std::error_code ec;
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    auto d = store->begin(ids.next(now), ec);
    EXPECT_TRUE(d) << ec.message();
    d->append("Subject: hi\r\n\r\nbody\r\n");
    queue::ControlFile c;
    c.arrival_us = now;
    c.origin = "smtp";
    c.sender = "a@b.example";
    c.body = "7BIT";
    for (std::size_t i = 0; i < 2; ++i) {
      queue::RecipientRecord r;
      r.index = i;
      r.address = i ? "w@two.example" : "v@one.example";
      r.channel = queue::Channel::smtp;
      r.domain = i ? "two.example" : "one.example";
      r.notify = "FAILURE";
      c.recipients.push_back(r);
    }
    queue::DurableSet files;
    EXPECT_FALSE(d->finish(c, files));
    files.close_all();
    index.add(c);
    return c;
  }

  void run_for(std::chrono::milliseconds d) {
    io.restart();
    io.run_for(d);
  }
};

}  // namespace

TEST_F(QmgrTest, smtp_channel_hands_each_domain_to_the_deliverer_and_records_the_results) {
  std::vector<qmgr::SmtpMessage> seen;
  bool two_ok = false;
  qmgr::SmtpDeliverer deliverer = [&](qmgr::SmtpMessage m, std::function<void(qmgr::JobResult)> done) {
    seen.push_back(m);
    qmgr::JobResult r;
    r.relay = "mx." + m.domain + "[192.0.2.1]:25";
    for (const auto& rc : m.recipients) {
      const bool one = m.domain == "one.example" || two_ok;
      r.recipients.push_back({rc.rcpt, one ? qmgr::Outcome::delivered : qmgr::Outcome::deferred, one ? "2.0.0" : "4.2.0",
                              one ? "250 2.0.0 ok" : "451 4.2.0 try later"});
    }
    done(std::move(r));  // here synchronously; the channel brings it back onto its strand
  };
  qmgr::Qmgr q(io, *runtime, *store, index, deliverer);
  auto entry = write_entry();
  q.add(entry);
  q.start();
  run_for(std::chrono::milliseconds(300));
  ASSERT_EQ(seen.size(), 2u);
  std::sort(seen.begin(), seen.end(), [](auto& a, auto& b) { return a.domain < b.domain; });
  EXPECT_EQ(seen[0].domain, "one.example");
  EXPECT_EQ(seen[0].sender, "a@b.example");
  EXPECT_EQ(seen[0].body, "7BIT");
  ASSERT_EQ(seen[0].recipients.size(), 1u);
  EXPECT_EQ(seen[0].recipients[0].address, "v@one.example");
  EXPECT_EQ(seen[0].recipients[0].notify, "FAILURE");
  EXPECT_EQ(seen[0].content, "Subject: hi\r\n\r\nbody\r\n");
  // One delivered (synced record), one deferred (its backoff recorded); the entry stays.
  auto after = store->read(entry.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->recipients[0].status, queue::RecipientStatus::delivered);
  EXPECT_EQ(after->recipients[0].dsn, "2.0.0");
  EXPECT_EQ(after->recipients[1].status, queue::RecipientStatus::deferred);
  EXPECT_EQ(after->recipients[1].dsn, "4.2.0");
  EXPECT_EQ(after->recipients[1].diagnostic, "451 4.2.0 try later");
  EXPECT_GT(after->recipients[1].next_attempt, 0);
  // The operator's retry: now it is delivered too, and the entry's files go.
  two_ok = true;
  seen.clear();
  q.retry(entry.id);
  run_for(std::chrono::milliseconds(300));
  ASSERT_EQ(seen.size(), 1u);  // only the one still to do
  EXPECT_EQ(seen[0].domain, "two.example");
  EXPECT_FALSE(store->read(entry.id));  // every recipient delivered: removed
  EXPECT_FALSE(index.contains(entry.id));
}

TEST_F(QmgrTest, without_a_deliverer_smtp_recipients_wait) {
  qmgr::Qmgr q(io, *runtime, *store, index);
  auto entry = write_entry();
  q.add(entry);
  q.start();
  run_for(std::chrono::milliseconds(300));
  auto after = store->read(entry.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->recipients[0].status, queue::RecipientStatus::queued);
  EXPECT_EQ(after->recipients[1].status, queue::RecipientStatus::queued);
  EXPECT_TRUE(after->records.empty());
}

// Start-up (issue 14): recovered entries are streamed into the scheduler one by one
// (adopt) before the event loop runs. One whose recipients are all delivered goes at
// once; one that is done with a failure waits for start() before the report hook is
// asked (the hook writes a report entry through the queue's writers, made after
// recovery); one still to send is sent once the loop runs.
TEST_F(QmgrTest, adopted_entries_are_scheduled_and_done_ones_are_reported_only_at_start) {
  std::vector<std::string> domains;
  qmgr::SmtpDeliverer deliverer = [&](qmgr::SmtpMessage m, std::function<void(qmgr::JobResult)> done) {
    domains.push_back(m.domain);
    qmgr::JobResult r;
    for (const auto& rc : m.recipients) r.recipients.push_back({rc.rcpt, qmgr::Outcome::delivered, "2.0.0", "250 ok"});
    done(std::move(r));
  };
  qmgr::Qmgr q(io, *runtime, *store, index, deliverer);
  std::vector<std::string> hooked;
  q.set_report_hook([&](const std::string& id, mapping::DsnAction, const std::vector<std::size_t>&, std::int64_t,
                        std::function<void(const std::string&)>) {
    hooked.push_back(id);
    return qmgr::Qmgr::Report::kept;
  });
  auto pending = write_entry();
  auto delivered = write_entry();
  auto failed = write_entry();
  for (std::size_t i = 0; i < 2; ++i) {
    delivered.recipients[i].status = queue::RecipientStatus::delivered;
    failed.recipients[i].status = i ? queue::RecipientStatus::failed : queue::RecipientStatus::delivered;
  }
  q.adopt(pending);
  q.adopt(delivered);
  q.adopt(failed);
  EXPECT_FALSE(store->read(delivered.id));  // discarded at once
  EXPECT_FALSE(index.contains(delivered.id));
  EXPECT_TRUE(hooked.empty());              // not before start()
  EXPECT_TRUE(domains.empty());             // nothing sent before the loop runs
  q.start();
  run_for(std::chrono::milliseconds(300));
  EXPECT_EQ(hooked, std::vector<std::string>{failed.id});
  std::sort(domains.begin(), domains.end());
  EXPECT_EQ(domains, (std::vector<std::string>{"one.example", "two.example"}));
  EXPECT_FALSE(store->read(pending.id));  // both recipients delivered: removed
  EXPECT_TRUE(store->read(failed.id));    // kept for the operator (the hook said so)
}
