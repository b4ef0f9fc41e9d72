// The queue store: writing entries, the lock, operator records, and the
// start-up recovery of whatever a crash left behind.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gateway/queue/format/crc32c.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/store.hpp"

using namespace mixer::queue;
namespace fs = std::filesystem;

namespace {
struct StoreTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-store-test-" + std::to_string(::getpid()));
  Store store{dir};
  QueueIdGenerator ids{0};
  void SetUp() override {
    fs::remove_all(dir);
    store.prepare();
  }
  void TearDown() override { fs::remove_all(dir); }

  // Writes a complete entry the way the daemon does (minus the sync).
  std::string write_entry(const std::string& content) {
    std::error_code ec;
    auto id = ids.next(1795430400000000);
    auto d = store.begin(id, ec);
    EXPECT_TRUE(d) << ec.message();
    for (std::size_t i = 0; i < content.size(); i += 7) d->append(std::string_view(content).substr(i, 7));
    ControlFile c;
    c.origin = "smtp";
    c.sender = "a@b.example";
    RecipientRecord r;
    r.address = "u@x400.example";
    r.channel = Channel::p1;
    r.peer = "mta.example";
    c.recipients.push_back(r);
    DurableSet files;
    EXPECT_FALSE(d->finish(c, files));
    files.close_all();
    return id;
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};
}  // namespace

TEST_F(StoreTest, entry_is_content_as_received_plus_control_file) {
  const std::string content = "Subject: hi\r\n\r\nbody\r\n";
  auto id = write_entry(content);
  EXPECT_EQ(slurp(dir / "msg" / id / "base"), content);
  auto c = store.read(id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->size, content.size());
  EXPECT_EQ(c->crc32c, crc32c(0, content));
  EXPECT_EQ(store.list_ids(), std::vector<std::string>{id});
}

TEST_F(StoreTest, large_content_is_written_in_blocks) {
  std::string content(3 * 1024 * 1024 + 17, 'x');
  auto id = write_entry(content);
  EXPECT_EQ(fs::file_size(dir / "msg" / id / "base"), content.size());
  EXPECT_EQ(store.recover().entries.size(), 1u);
}

TEST_F(StoreTest, entry_being_received_is_not_readable_yet) {
  std::error_code ec;
  auto id = ids.next(1);
  auto d = store.begin(id, ec);
  d->append("half");
  std::string why;
  EXPECT_FALSE(store.read(id, &why));
  EXPECT_EQ(why, "no such message in the queue");
}

TEST_F(StoreTest, one_daemon_per_queue) {
  EXPECT_TRUE(store.lock());
  Store other(dir);
  EXPECT_FALSE(other.lock());
  EXPECT_TRUE(other.locked_by_other());
}

TEST_F(StoreTest, aborted_draft_leaves_nothing) {
  std::error_code ec;
  auto d = store.begin(ids.next(1), ec);
  d->append("partial");
  d->abort();
  EXPECT_TRUE(fs::is_empty(dir / "msg"));
}

TEST_F(StoreTest, operator_records_are_appended_and_replayed) {
  auto id = write_entry("x\r\n");
  EXPECT_FALSE(store.append(id, Record{Record::Kind::hold, 5}));
  EXPECT_TRUE(store.read(id)->held);
  EXPECT_FALSE(store.append(id, Record{Record::Kind::release, 6}));
  EXPECT_FALSE(store.read(id)->held);
  EXPECT_FALSE(store.remove(id));
  EXPECT_FALSE(fs::exists(dir / "msg" / id));
  EXPECT_TRUE(store.append("../../etc", Record{}));  // not an ID: refused
}

TEST_F(StoreTest, recovery_sorts_out_what_a_crash_left) {
  auto good = write_entry("good\r\n");
  auto corrupt = write_entry("will be corrupted\r\n");
  auto no_control = write_entry("control lost\r\n");
  auto torn = write_entry("control torn\r\n");
  auto deleting = write_entry("deletion interrupted\r\n");
  std::error_code ec;
  auto receiving = ids.next(1);
  auto draft = store.begin(receiving, ec);
  draft->append("half a message");
  std::ofstream(dir / "msg" / corrupt / "base", std::ios::binary) << "will be corrupteD\r\n";
  fs::remove(dir / "msg" / no_control / "control");
  auto text = slurp(dir / "msg" / torn / "control");
  std::ofstream(dir / "msg" / torn / "control", std::ios::binary) << text.substr(0, text.size() - 4);
  std::ofstream(dir / "msg" / deleting / "control", std::ios::app) << "remove 9\n";

  auto report = store.recover();
  ASSERT_EQ(report.entries.size(), 1u);
  EXPECT_EQ(report.entries[0].id, good);
  EXPECT_EQ(report.quarantined, std::vector<std::string>{corrupt});
  EXPECT_TRUE(fs::exists(dir / "quarantine" / corrupt / "base"));
  EXPECT_EQ(report.finished_removal, std::vector<std::string>{deleting});
  std::vector<std::string> removed = report.removed;
  std::sort(removed.begin(), removed.end());
  std::vector<std::string> expect{receiving, no_control, torn};
  std::sort(expect.begin(), expect.end());
  EXPECT_EQ(removed, expect);
  EXPECT_EQ(store.list_ids(), std::vector<std::string>{good});
  draft.release();  // its directory is gone; do not abort twice
}

// The submit stage's converted forms: files beside "base", each checked at start-up.
TEST_F(StoreTest, converted_forms_are_kept_and_checked_at_recovery) {
  std::error_code ec;
  auto id = ids.next(1795430400000001);
  auto d = store.begin(id, ec);
  ASSERT_TRUE(d) << ec.message();
  d->append("Subject: hi\r\n\r\nbody\r\n");
  FormRecord form;
  form.kind = FormRecord::Kind::p1;
  form.mode = 1988;
  EXPECT_EQ(d->add_form(form, std::string("\xa0\x03\x02\x01\x00", 5), ec), 1u);
  form.kind = FormRecord::Kind::rfc822;
  form.mode = 0;
  EXPECT_EQ(d->add_form(form, "To: x\r\n\r\nbody\r\n", ec), 2u);
  ControlFile c;
  c.origin = "smtp";
  RecipientRecord r;
  r.address = "u@x400.example";
  r.channel = Channel::p1;
  r.peer = "mta.example";
  r.form = 1;
  c.recipients.push_back(r);
  DurableSet files;
  ASSERT_FALSE(d->finish(c, files));
  EXPECT_EQ(files.form_fds.size(), 2u);
  files.close_all();
  auto read = store.read(id);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->forms.size(), 2u);
  EXPECT_EQ(read->forms[0].size, 5u);
  EXPECT_EQ(*store.form(id, 1), std::string("\xa0\x03\x02\x01\x00", 5));
  EXPECT_EQ(*store.form(id, 2), "To: x\r\n\r\nbody\r\n");
  EXPECT_EQ(*store.form(id, 0), "Subject: hi\r\n\r\nbody\r\n");
  EXPECT_EQ(store.recover().entries.size(), 1u);
  // A damaged form sends the entry to quarantine rather than sending it wrong.
  std::ofstream(dir / "msg" / id / "form2", std::ios::app) << "x";
  auto report = store.recover();
  EXPECT_TRUE(report.entries.empty());
  EXPECT_EQ(report.quarantined, std::vector<std::string>{id});
}

TEST_F(StoreTest, clean_shutdown_mark_skips_the_content_crc_once) {
  auto a = write_entry("first message\r\n");
  auto b = write_entry("second message\r\n");
  auto c = write_entry("third message\r\n");
  ASSERT_FALSE(store.mark_clean());
  EXPECT_TRUE(fs::exists(dir / "clean"));
  // Same size, another octet: only a CRC finds it. A shorter file: the size does.
  std::ofstream(dir / "msg" / b / "base", std::ios::binary) << "second messagE\r\n";
  std::ofstream(dir / "msg" / c / "base", std::ios::binary) << "third\r\n";
  auto clean = store.recover();
  EXPECT_TRUE(clean.clean);
  EXPECT_FALSE(fs::exists(dir / "clean"));  // counts once: removed before anything else
  EXPECT_EQ(clean.entries.size(), 2u);
  EXPECT_EQ(clean.quarantined, std::vector<std::string>{c});
  // Without the mark (a crash after this start), every content file's CRC again.
  auto crashed = store.recover();
  EXPECT_FALSE(crashed.clean);
  ASSERT_EQ(crashed.entries.size(), 1u);
  EXPECT_EQ(crashed.entries[0].id, a);
  EXPECT_EQ(crashed.quarantined, std::vector<std::string>{b});
  // A mark that is not ours is not trusted.
  std::ofstream(dir / "clean") << "something else\n";
  EXPECT_FALSE(store.recover().clean);
}

TEST_F(StoreTest, recovery_with_many_entries_keeps_order_and_checks_each) {
  std::vector<std::string> written;
  for (int i = 0; i < 1500; ++i) written.push_back(write_entry("message " + std::to_string(i) + "\r\n"));
  std::ofstream(dir / "msg" / written[700] / "base", std::ios::binary) << "massage 700\r\n";
  fs::remove(dir / "msg" / written[1200] / "control");
  auto report = store.recover();
  EXPECT_EQ(report.entries.size(), 1498u);
  EXPECT_EQ(report.quarantined, std::vector<std::string>{written[700]});
  EXPECT_EQ(report.removed, std::vector<std::string>{written[1200]});
  for (std::size_t i = 1; i < report.entries.size(); ++i) EXPECT_LT(report.entries[i - 1].id, report.entries[i].id);
}
