// Exactly once over P1, receiving side (issue 14): the same MTS-APDU sent
// again while its first copy is still being committed (the sending MTA
// restarted and did not wait for our confirmation) is confirmed as the
// duplicate of that copy once it is durable, not queued a second time; the
// transfer journal alone answers only for committed copies.
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

#include "gateway/enqueue.hpp"
#include "gateway/p1_intake.hpp"
#include "gateway/queue/committer.hpp"
#include "gateway/queue/index.hpp"
#include "gateway/transfer_journal.hpp"
#include "submit_fixture.hpp"

using namespace mixer;
using namespace mixer::test_submit;

TEST_F(SubmitTest, x411_12_a_copy_sent_again_while_the_first_is_committed_is_confirmed_not_queued_twice) {
  auto rt = runtime(config({"x400.example"}));
  auto message = transferred(*rt, "a@x400.example");
  auto encoded = mts::encode_mts_apdu(mts::MtsApdu{message});
  ASSERT_TRUE(encoded);
  const p1::ber::Bytes bytes = *encoded;
  queue::Store store(dir / "queue");
  store.prepare();
  queue::QueueIndex index;
  queue::QueueIdGenerator ids(0);
  gateway::TransferJournal journal(dir / "transfers", std::chrono::hours(24));
  ASSERT_FALSE(journal.open(1'796'299'200));
  queue::Committer committer(conf::SyncMethod::syncfs, store.msg_dir_fd());
  // The first batch's sync waits until the second copy has been handed over.
  std::mutex m;
  std::condition_variable cv;
  bool second_handed_over = false;
  std::atomic<int> batches{0};
  committer.set_before_sync([&] {
    if (batches++ != 0) return;
    std::unique_lock lock(m);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return second_handed_over; });
  });
  gateway::RuntimeHolder holder(rt);
  gateway::P1Intake intake(holder, gateway::QueueParts{store, index, committer, ids, nullptr, &journal}, {}, &journal);
  auto hand_over = [&](std::uint64_t association) {
    auto answer = std::make_shared<std::promise<bool>>();
    p1::association::InboundApdu in;
    in.apdu = bytes;
    in.peer = "new-mta";
    in.address = "127.0.0.1";
    in.association = association;
    intake.on_apdu(std::move(in), [answer](bool durable) { answer->set_value(durable); });
    return answer->get_future();
  };
  auto first = hand_over(1);
  auto second = hand_over(2);  // the first is not committed yet: its sync waits for this
  {
    std::lock_guard lock(m);
    second_handed_over = true;
  }
  cv.notify_all();
  ASSERT_EQ(first.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  ASSERT_EQ(second.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(first.get());
  EXPECT_TRUE(second.get()) << "the second copy is confirmed (as a duplicate)";
  committer.stop();
  EXPECT_EQ(store.list_ids().size(), 1u) << "queued twice";
  // A third copy later: the journal answers.
  auto third = hand_over(3);
  ASSERT_EQ(third.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(third.get());
  EXPECT_EQ(store.list_ids().size(), 1u);
}

// The transfer journal's T is written before the entry is complete: a crash can then never
// leave a complete entry (recovered at start, its APDU taken) without its T, whose
// retransmission the restarted responder would queue a second time (integration.p1's
// kill -9 test saw one duplicate from that window).
TEST_F(SubmitTest, x411_12_the_journal_record_is_written_before_the_entry_is_complete) {
  queue::Store store(dir / "queue");
  store.prepare();
  queue::QueueIndex index;
  queue::QueueIdGenerator ids(0);
  queue::Committer committer(conf::SyncMethod::syncfs, store.msg_dir_fd());
  std::error_code ec;
  auto draft = store.begin(ids.next(1'796'299'200'000'000), ec);
  ASSERT_TRUE(draft) << ec.message();
  const std::string id = draft->id();
  draft->append("APDU octets");
  queue::ControlFile control;
  control.id = id;
  control.origin = "p1";
  control.recipients.push_back(p1_recipient("a@x400.example", "/S=a/O=x/PRMD=p/ADMD= /C=XX/", "new-mta"));
  bool complete_when_recorded = true;
  std::promise<std::string> finished;
  gateway::enqueue(gateway::QueueParts{store, index, committer, ids}, std::move(draft), control, nullptr,
                   [&](const queue::ControlFile& entry, bool) {
                     complete_when_recorded = store.read(entry.id).has_value();
                     return -1;
                   },
                   [&](const queue::ControlFile&, const std::string& error) { finished.set_value(error); });
  auto f = finished.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_EQ(f.get(), "");
  EXPECT_FALSE(complete_when_recorded) << "the entry was complete (recoverable) before its journal record";
  std::string why;
  EXPECT_TRUE(store.read(id, &why).has_value()) << why;
  committer.stop();
}
