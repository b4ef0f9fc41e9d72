// DIR/acked (queue/ack_log.hpp, format/ack_log_format.hpp): the format read
// back as written, torn and broken files; a start after the daemon's crash
// removing exactly the entries received over SMTP that its run made and
// never acknowledged, and keeping everything after a reboot, a clean
// shutdown, a restart of the file at its size limit or a failed write; and
// the committer listing a batch's entries before any of them is answered.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <sstream>

#include "gateway/queue/ack_log.hpp"
#include "gateway/queue/committer.hpp"
#include "gateway/queue/format/ack_log_format.hpp"
#include "queue_fixture.hpp"

using namespace mixer::queue;
using namespace mixer::queue::test;

namespace {

const std::string kBoot = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::int64_t> values(std::vector<std::string> ids) {
  std::vector<std::int64_t> v;
  for (const auto& id : ids) v.push_back(decode_queue_id(id));
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST(AckLogFormat, reads_back_what_the_writer_writes) {
  const std::string a = encode_queue_id(1000), b = encode_queue_id(1002), c = encode_queue_id(1001);
  const std::string text = ack_log_header(kBoot, encode_queue_id(999)) + ack_log_line({a, b}) + ack_log_line({c}) +
                           ack_log_line({a});
  auto got = decode_ack_log(text);
  ASSERT_TRUE(got.usable) << got.why;
  EXPECT_EQ(got.boot, kBoot);
  EXPECT_EQ(got.from, 999);
  EXPECT_EQ(got.ids, (std::vector<std::int64_t>{1000, 1001, 1002}));
  // The header alone: nothing acknowledged yet.
  auto empty = decode_ack_log(ack_log_header(kBoot, encode_queue_id(5)));
  ASSERT_TRUE(empty.usable);
  EXPECT_TRUE(empty.ids.empty());
}

TEST(AckLogFormat, a_torn_last_line_counts_its_whole_ids_only) {
  const std::string a = encode_queue_id(1000), b = encode_queue_id(1002);
  std::string text = ack_log_header(kBoot, encode_queue_id(1)) + ack_log_line({a, b});
  text.pop_back();                       // no newline: whole IDs count
  auto whole = decode_ack_log(text);
  ASSERT_TRUE(whole.usable) << whole.why;
  EXPECT_EQ(whole.ids, (std::vector<std::int64_t>{1000, 1002}));
  text.resize(text.size() - 4);          // the last ID cut: it does not
  auto cut = decode_ack_log(text);
  ASSERT_TRUE(cut.usable) << cut.why;
  EXPECT_EQ(cut.ids, (std::vector<std::int64_t>{1000}));
}

TEST(AckLogFormat, anything_else_unreadable_makes_it_unusable) {
  const std::string id = encode_queue_id(1000);
  const std::string header = ack_log_header(kBoot, encode_queue_id(1));
  for (const std::string& bad : {std::string(), std::string("mixer-acked 1 boot=x from=y\n"),
                                 "mixer-acked 2" + header.substr(13), header.substr(0, header.size() - 1),
                                 header + "\n", header + id + "  " + id + "\n", header + id + " nonsense\n" + id + "\n",
                                 header + "ABC\n"}) {
    auto got = decode_ack_log(bad);
    EXPECT_FALSE(got.usable) << bad;
    EXPECT_FALSE(got.why.empty()) << bad;
    EXPECT_TRUE(got.ids.empty()) << bad;
  }
  AckLogLimits limits;
  limits.max_ids = 2;
  EXPECT_FALSE(decode_ack_log(header + ack_log_line({id, id, id}), limits).usable);
  limits = {};
  limits.max_bytes = header.size();
  EXPECT_FALSE(decode_ack_log(header + ack_log_line({id}), limits).usable);
  EXPECT_FALSE(is_boot_id("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"));
  EXPECT_TRUE(current_boot_id().has_value()) << "no /proc/sys/kernel/random/boot_id here";
}

struct AckLogStoreTest : QueueDirTest {
  AckLogStoreTest() : QueueDirTest("acked") {}
  std::unique_ptr<AckLog> start(std::uint64_t max_bytes = std::uint64_t{8} << 20) {
    std::error_code ec;
    auto log = AckLog::start(dir, [this] { return ids.last() + 1; }, ec, max_bytes);
    EXPECT_TRUE(log) << ec.message();
    EXPECT_FALSE(log->disabled());
    return log;
  }
  // An entry as write_entry() makes it, from another origin.
  std::string write_from(const std::string& origin) {
    return write_entry_in(store, ids, "/S=o/O=x/PRMD=p/ADMD= /C=XX/", "Subject: hi\r\n\r\nbody\r\n",
                          1795430400000000, origin);
  }
  RecoveryReport crash_start() {
    Store again(dir);
    return again.recover();
  }
  static std::vector<std::int64_t> recovered(const RecoveryReport& r) {
    std::vector<std::string> ids;
    for (const auto& e : r.entries) ids.push_back(e.id);
    return values(ids);
  }
};

TEST_F(AckLogStoreTest, a_crash_start_removes_the_runs_smtp_entries_never_acknowledged_and_only_those) {
  const std::string before = write_entry("/S=a/O=x/PRMD=p/ADMD= /C=XX/");  // an earlier run's: below `from`
  auto log = start();
  const std::string acked1 = write_entry("/S=b/O=x/PRMD=p/ADMD= /C=XX/");
  const std::string acked2 = write_entry("/S=c/O=x/PRMD=p/ADMD= /C=XX/");
  const std::string unanswered = write_entry("/S=d/O=x/PRMD=p/ADMD= /C=XX/");
  const std::string from_p1 = write_from("p1");  // received over P1: the transfer journal's business
  ASSERT_FALSE(log->acknowledged({acked1}));
  ASSERT_FALSE(log->acknowledged({acked2}));
  auto r = crash_start();
  EXPECT_TRUE(r.ack_log) << r.acked;
  EXPECT_EQ(r.never_acknowledged, std::vector<std::string>{unanswered});
  EXPECT_EQ(recovered(r), values({before, acked1, acked2, from_p1})) << r.quarantined.size() << " quarantined, " << r.removed.size() << " removed";
  EXPECT_FALSE(fs::exists(dir / "msg" / unanswered));
  // Without the mechanism (no file) the same start keeps it: the test can fail.
  const std::string another = write_entry("/S=e/O=x/PRMD=p/ADMD= /C=XX/");
  fs::remove(dir / "acked");
  auto kept = crash_start();
  EXPECT_FALSE(kept.ack_log);
  EXPECT_TRUE(kept.never_acknowledged.empty());
  EXPECT_EQ(recovered(kept), values({before, acked1, acked2, from_p1, another}));
}

TEST_F(AckLogStoreTest, after_a_reboot_or_a_clean_shutdown_every_entry_is_kept) {
  auto log = start();
  const std::string acked = write_entry("/S=b/O=x/PRMD=p/ADMD= /C=XX/");
  const std::string unanswered = write_entry("/S=d/O=x/PRMD=p/ADMD= /C=XX/");
  ASSERT_FALSE(log->acknowledged({acked}));
  // Another kernel wrote it: its pages may not all have reached the disk.
  std::string text = slurp(dir / "acked");
  const auto at = text.find("boot=");
  ASSERT_NE(at, std::string::npos);
  std::string other = text;
  other.replace(at + 5, 36, kBoot);
  std::ofstream(dir / "acked", std::ios::binary | std::ios::trunc) << other;
  auto rebooted = crash_start();
  EXPECT_FALSE(rebooted.ack_log);
  EXPECT_EQ(rebooted.acked, "written before the system restarted");
  EXPECT_EQ(recovered(rebooted), values({acked, unanswered}));
  // A clean shutdown: nothing was left unanswered by a crash.
  std::ofstream(dir / "acked", std::ios::binary | std::ios::trunc) << text;
  ASSERT_FALSE(store.mark_clean());
  auto clean = crash_start();
  EXPECT_TRUE(clean.clean);
  EXPECT_FALSE(clean.ack_log);
  EXPECT_EQ(recovered(clean), values({acked, unanswered}));
}

TEST_F(AckLogStoreTest, begun_again_at_its_limit_it_loses_nothing_the_old_file_listed) {
  auto log = start(200);  // the header and a line or two
  std::vector<std::string> acked;
  std::string made_before_restart;
  for (int i = 0; i < 40; ++i) {
    const std::string id = write_entry("/S=u" + std::to_string(i) + "/O=x/PRMD=p/ADMD= /C=XX/");
    if (i % 5 == 0 && made_before_restart.empty()) {
      made_before_restart = id;  // acknowledged only after later restarts of the file
      continue;
    }
    ASSERT_FALSE(log->acknowledged({id}));
    acked.push_back(id);
  }
  ASSERT_GE(log->restarts(), 2u);
  ASSERT_FALSE(log->acknowledged({made_before_restart}));
  acked.push_back(made_before_restart);
  const std::string unanswered = write_entry("/S=z/O=x/PRMD=p/ADMD= /C=XX/");
  auto r = crash_start();
  EXPECT_TRUE(r.ack_log) << r.acked;
  EXPECT_EQ(r.never_acknowledged, std::vector<std::string>{unanswered});
  EXPECT_EQ(recovered(r), values(acked));
}

TEST_F(AckLogStoreTest, a_failed_write_removes_the_file_so_every_entry_is_kept) {
  auto log = start();
  const std::string acked = write_entry("/S=b/O=x/PRMD=p/ADMD= /C=XX/");
  const std::string unanswered = write_entry("/S=d/O=x/PRMD=p/ADMD= /C=XX/");
  // The next write exceeds the process's file size limit (EFBIG, SIGXFSZ ignored).
  const auto size = fs::file_size(dir / "acked");
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* old_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = size + 5;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const auto ec = log->acknowledged({acked});
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(ec) << "removing the file is enough: the commit stands";
  EXPECT_TRUE(log->disabled());
  EXPECT_FALSE(log->broken());
  EXPECT_FALSE(fs::exists(dir / "acked"));
  EXPECT_FALSE(log->acknowledged({unanswered}));
  auto r = crash_start();
  EXPECT_FALSE(r.ack_log);
  EXPECT_EQ(recovered(r), values({acked, unanswered}));
}

TEST_F(AckLogStoreTest, start_replaces_an_earlier_file_and_refuses_when_it_cannot_remove_it) {
  std::ofstream(dir / "acked") << ack_log_header(*current_boot_id(), encode_queue_id(1));
  {
    auto log = start();
    auto got = decode_ack_log(slurp(dir / "acked"));
    ASSERT_TRUE(got.usable) << got.why;
    EXPECT_EQ(got.from, ids.last() + 1);
  }
  fs::remove(dir / "acked");
  fs::create_directories(dir / "acked" / "x");  // cannot be unlinked
  std::error_code ec;
  auto log = AckLog::start(dir, [this] { return ids.last() + 1; }, ec);
  EXPECT_FALSE(log);
  EXPECT_TRUE(ec);
}

TEST_F(AckLogStoreTest, the_committer_lists_a_batchs_entries_before_answering_them_and_a_failure_is_theirs_alone) {
  Committer committer(mixer::conf::SyncMethod::syncfs, store.msg_dir_fd());
  std::vector<std::string> listed;
  bool fail = false;
  committer.set_after_sync([&](const std::vector<std::string>& ids) {
    listed.insert(listed.end(), ids.begin(), ids.end());
    return fail ? std::make_error_code(std::errc::io_error) : std::error_code{};
  });
  auto submit = [&](const std::string& acknowledge) {
    std::error_code ec;
    auto d = store.begin(ids.next(1'795'430'400'000'000), ec);
    DurableSet files;
    ControlFile c;
    EXPECT_FALSE(d->finish(c, files));
    auto p = std::make_shared<std::promise<std::pair<std::error_code, bool>>>();
    committer.submit(files, [p, id = d->id(), &listed](std::error_code e) {
      p->set_value({e, std::find(listed.begin(), listed.end(), id) != listed.end()});
    }, acknowledge.empty() ? std::string() : d->id());
    return p->get_future();
  };
  auto acked = submit("yes").get();
  EXPECT_FALSE(acked.first);
  EXPECT_TRUE(acked.second) << "answered before it was listed";
  auto not_asked = submit("").get();
  EXPECT_FALSE(not_asked.first);
  EXPECT_FALSE(not_asked.second);
  fail = true;
  auto failed = submit("yes").get();
  EXPECT_TRUE(failed.first);
  auto others = submit("").get();
  EXPECT_FALSE(others.first) << "an entry not listed does not share the listing's failure";
  committer.stop();
}
