// The queue store: writing entries, the lock, operator records, and the
// start-up recovery of whatever a crash left behind.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "gateway/queue/format/crc32c.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/store.hpp"
#include "tests/unit/gateway/queue_fixture.hpp"

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
  std::string write_entry(const std::string& content) { return write_entry_in(store, content, 1795430400000000); }
  std::string write_entry_in(Store& into, const std::string& content, std::uint64_t time) {
    return test::write_entry_in(into, ids, "u@x400.example", content, time);
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path entry(const std::string& id) const { return dir / "msg" / id; }
  // Overwrites octets of an entry's file (a torn or damaged write).
  void poke(const std::string& id, std::uint64_t offset, std::string_view bytes) {
    std::fstream f(entry(id), std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  // Cuts `n` octets off the end of an entry's file.
  void cut(const std::string& id, std::uint64_t n) { fs::resize_file(entry(id), fs::file_size(entry(id)) - n); }
  // Where the header says the control part begins.
  std::uint64_t control_offset(const std::string& id) {
    return std::stoull(slurp(entry(id)).substr(14, 16), nullptr, 16);
  }
};
}  // namespace

TEST_F(StoreTest, entry_is_one_file_header_content_as_received_then_control_part) {
  const std::string content = "Subject: hi\r\n\r\nbody\r\n";
  auto id = write_entry(content);
  const std::string file = slurp(entry(id));
  ASSERT_EQ(file.size() > kEntryHeaderSize + content.size(), true);
  EXPECT_EQ(file.substr(0, 14), "mixer-entry 1 ");
  EXPECT_EQ(file.substr(kEntryHeaderSize, content.size()), content);
  EXPECT_EQ(control_offset(id), kEntryHeaderSize + content.size());
  EXPECT_EQ(file.substr(kEntryHeaderSize + content.size(), 14), "mixer-queue 1\n");
  EXPECT_EQ(*store.content(id), content);
  auto c = store.read(id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->size, content.size());
  EXPECT_EQ(c->crc32c, crc32c(0, content));
  EXPECT_EQ(store.list_ids(), std::vector<std::string>{id});
}

TEST_F(StoreTest, large_content_is_written_in_blocks) {
  std::string content(3 * 1024 * 1024 + 17, 'x');
  auto id = write_entry(content);
  EXPECT_EQ(control_offset(id), kEntryHeaderSize + content.size());
  EXPECT_EQ(*store.content(id), content);
  EXPECT_EQ(store.recover().entries.size(), 1u);
}

TEST_F(StoreTest, entry_being_received_is_not_readable_yet) {
  std::error_code ec;
  auto id = ids.next(1);
  auto d = store.begin(id, ec);
  d->append("half");
  std::string why;
  EXPECT_FALSE(store.read(id, &why));
  EXPECT_EQ(why, "being received (no control part yet)");
  EXPECT_FALSE(store.content(id));
  EXPECT_FALSE(store.read(ids.next(2), &why));
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
  auto no_header = write_entry("header lost\r\n");
  auto no_control = write_entry("control lost\r\n");
  auto torn = write_entry("control torn\r\n");
  auto deleting = write_entry("deletion interrupted\r\n");
  auto not_ours = write_entry("someone else's file\r\n");
  std::error_code ec;
  auto receiving = ids.next(1);
  auto draft = store.begin(receiving, ec);
  draft->append("half a message");
  draft.reset();  // (aborting unlinks it: write the half file again, as a crash leaves it)
  std::ofstream(entry(receiving), std::ios::binary) << std::string(kEntryHeaderSize, '\0') << "half a message";
  poke(corrupt, kEntryHeaderSize + 16, "D");
  poke(no_header, 14, "0000000000000000");  // the header's write did not reach the disk
  fs::resize_file(entry(no_control), control_offset(no_control));
  cut(torn, 4);
  std::ofstream(entry(deleting), std::ios::app) << "remove 9\n";
  poke(not_ours, 0, "MIXER");

  auto report = store.recover();
  ASSERT_EQ(report.entries.size(), 1u);
  EXPECT_EQ(report.entries[0].id, good);
  std::vector<std::string> quarantined = report.quarantined, q_expect{corrupt, not_ours};
  std::sort(quarantined.begin(), quarantined.end());
  std::sort(q_expect.begin(), q_expect.end());
  EXPECT_EQ(quarantined, q_expect);
  EXPECT_TRUE(fs::is_regular_file(dir / "quarantine" / corrupt));
  EXPECT_EQ(report.finished_removal, std::vector<std::string>{deleting});
  std::vector<std::string> removed = report.removed;
  std::sort(removed.begin(), removed.end());
  std::vector<std::string> expect{receiving, no_header, no_control, torn};
  std::sort(expect.begin(), expect.end());
  EXPECT_EQ(removed, expect);
  EXPECT_EQ(store.list_ids(), std::vector<std::string>{good});
}

// A last append torn by a crash is ignored (control_file.hpp) and cut off at start: the next
// append then starts its own line instead of continuing the fragment into one unreadable line.
TEST_F(StoreTest, torn_last_append_is_cut_off_at_start_so_the_next_append_reads) {
  auto id = write_entry("x\r\n");
  EXPECT_FALSE(store.append(id, Record{Record::Kind::hold, 5}));
  const auto whole = fs::file_size(entry(id));
  std::ofstream(entry(id), std::ios::app) << "release 6";  // power lost in the middle of the append
  auto report = store.recover();
  ASSERT_EQ(report.entries.size(), 1u);
  EXPECT_TRUE(report.entries[0].held);
  EXPECT_EQ(fs::file_size(entry(id)), whole);
  EXPECT_EQ(report.entries[0].file_size, whole);
  EXPECT_FALSE(store.append(id, Record{Record::Kind::release, 7}));
  auto c = store.read(id);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->held);
  auto again = store.recover();
  EXPECT_TRUE(again.quarantined.empty());
  ASSERT_EQ(again.entries.size(), 1u);
  EXPECT_FALSE(again.entries[0].held);
}

// A directory in msg/ (the layout before one file per entry) is not read as an entry:
// it goes to quarantine, whole, for the operator.
TEST_F(StoreTest, recovery_quarantines_what_is_not_an_entry_file) {
  auto good = write_entry("good\r\n");
  auto id = ids.next(7);
  fs::create_directory(entry(id));
  std::ofstream(entry(id) / "base") << "old layout\r\n";
  auto report = store.recover();
  EXPECT_EQ(report.entries.size(), 1u);
  EXPECT_EQ(report.quarantined, std::vector<std::string>{id});
  EXPECT_TRUE(fs::exists(dir / "quarantine" / id / "base"));
}

// The submit stage's converted forms: after the content in the entry's file, each checked at start-up.
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
  EXPECT_GE(files.entry_fd, 0);
  files.close_all();
  EXPECT_EQ(control_offset(id), kEntryHeaderSize + 21 + 5 + 15);
  auto read = store.read(id);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->forms.size(), 2u);
  EXPECT_EQ(read->forms[0].size, 5u);
  EXPECT_EQ(*store.form(id, 1), std::string("\xa0\x03\x02\x01\x00", 5));
  EXPECT_EQ(*store.form(id, 2), "To: x\r\n\r\nbody\r\n");
  EXPECT_EQ(*store.form(id, 0), "Subject: hi\r\n\r\nbody\r\n");
  EXPECT_EQ(store.recover().entries.size(), 1u);
  // A damaged form sends the entry to quarantine rather than sending it wrong.
  poke(id, kEntryHeaderSize + 21 + 5 + 3, "X");  // "To: X"
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
  // Another octet: only a CRC finds it. A shorter file has lost its control part, which
  // after a clean shutdown is damage (to quarantine), not a crash's unfinished entry.
  poke(b, kEntryHeaderSize + 13, "E");
  cut(c, 20);
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
  poke(written[700], kEntryHeaderSize + 1, "a");  // "massage 700"
  cut(written[1200], 5);  // "end\n" torn
  auto report = store.recover();
  EXPECT_EQ(report.entries.size(), 1498u);
  EXPECT_EQ(report.quarantined, std::vector<std::string>{written[700]});
  EXPECT_EQ(report.removed, std::vector<std::string>{written[1200]});
  for (std::size_t i = 1; i < report.entries.size(); ++i) EXPECT_LT(report.entries[i - 1].id, report.entries[i].id);
}

// Start-up hands each entry on as it is checked (issue 14: the queue is not held
// in memory whole before the scheduler takes it), in the order of the IDs.
TEST_F(StoreTest, streamed_recovery_hands_on_every_entry_in_id_order_and_keeps_none) {
  std::vector<std::string> written;
  for (int i = 0; i < 1500; ++i) written.push_back(write_entry("message " + std::to_string(i) + "\r\n"));
  poke(written[900], kEntryHeaderSize + 1, "a");
  std::vector<std::string> seen;
  auto report = store.recover([&](ControlFile&& e) { seen.push_back(e.id); }, {}, 128);
  EXPECT_TRUE(report.entries.empty());
  EXPECT_EQ(report.recovered, 1499u);
  EXPECT_EQ(report.quarantined, std::vector<std::string>{written[900]});
  auto expected = written;
  expected.erase(expected.begin() + 900);
  EXPECT_EQ(seen, expected);
}

// The threads that check entries stay within the window ahead of the receiver: while
// the receiver holds the first entry, an entry far beyond the window is not read yet
// (a damaged one is still in msg/, not yet quarantined), one within it may be.
TEST_F(StoreTest, streamed_recovery_reads_no_further_ahead_than_its_window) {
  std::vector<std::string> written;
  for (int i = 0; i < 1200; ++i) written.push_back(write_entry("m" + std::to_string(i) + "\r\n"));
  poke(written[1100], kEntryHeaderSize, "X");
  bool far_unread = false;
  std::size_t n = 0;
  auto report = store.recover(
      [&](ControlFile&&) {
        if (n++ == 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the threads run ahead meanwhile
          far_unread = fs::exists(entry(written[1100]));
        }
      },
      {}, 256);
  EXPECT_TRUE(far_unread);
  EXPECT_EQ(report.quarantined, std::vector<std::string>{written[1100]});
  EXPECT_EQ(report.recovered, 1199u);
}

// A receiver that throws (out of memory, say) stops the scan without losing anything
// on disk: the exception comes back, the threads are joined, and a later scan finds all.
TEST_F(StoreTest, streamed_recovery_passes_on_the_receivers_exception) {
  for (int i = 0; i < 2000; ++i) write_entry("m" + std::to_string(i) + "\r\n");
  std::size_t n = 0;
  EXPECT_THROW(store.recover(
                   [&](ControlFile&&) {
                     if (++n == 700) throw std::runtime_error("no room");
                   },
                   {}, 128),
               std::runtime_error);
  EXPECT_EQ(store.recover().entries.size(), 2000u);
}

// A delivered entry's file is kept in free/ and becomes the next entry (the same inode,
// overwritten in place and cut to its new size), so that a busy queue does not create
// and delete an inode per message.
TEST_F(StoreTest, spent_entry_files_are_reused_in_place_for_new_entries) {
  auto big = write_entry(std::string(5000, 'b') + "\r\n");
  struct stat before {};
  ASSERT_EQ(::stat(entry(big).c_str(), &before), 0);
  EXPECT_FALSE(store.discard(big));
  EXPECT_FALSE(fs::exists(entry(big)));
  EXPECT_TRUE(fs::exists(dir / "free" / big));
  auto small = write_entry("small\r\n");
  struct stat after {};
  ASSERT_EQ(::stat(entry(small).c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // the same file
  EXPECT_TRUE(fs::is_empty(dir / "free"));
  EXPECT_EQ(*store.content(small), "small\r\n");
  EXPECT_LT(after.st_size, before.st_size);  // cut to the new entry's size
  EXPECT_EQ(slurp(entry(small)).find("bbbb"), std::string::npos);  // nothing of the old entry is left
  auto report = store.recover();
  ASSERT_EQ(report.entries.size(), 1u);
  EXPECT_EQ(report.entries[0].id, small);
  // A new store (a restart) finds the spent files again.
  EXPECT_FALSE(store.discard(small));
  Store again(dir);
  again.prepare();
  std::error_code ec;
  auto id = ids.next(9);
  auto d = again.begin(id, ec);
  ASSERT_TRUE(d) << ec.message();
  struct stat third {};
  ASSERT_EQ(::stat(entry(id).c_str(), &third), 0);
  EXPECT_EQ(third.st_ino, before.st_ino);
  // Killed while receiving into a reused file: its header is already unfinished.
  EXPECT_EQ(slurp(entry(id)).substr(14, 16), "0000000000000000");
  d.release();
  auto crashed = again.recover();
  EXPECT_EQ(crashed.removed, std::vector<std::string>{id});
}

// A spent file is cut only when it is longer than the new entry (its size is kept from
// when it was spent: an ftruncate per message saved); one no longer is overwritten and
// extended. After a restart the sizes are not known, and a longer one is still cut.
TEST_F(StoreTest, a_spent_file_is_cut_only_when_longer_than_the_new_entry) {
  auto small = write_entry("small\r\n");
  EXPECT_FALSE(store.discard(small));
  auto larger = write_entry(std::string(3000, 'l') + "\r\n");  // reuses the small one: extended
  EXPECT_EQ(*store.content(larger), std::string(3000, 'l') + "\r\n");
  EXPECT_EQ(slurp(entry(larger)).substr(slurp(entry(larger)).size() - 4), "end\n");
  EXPECT_FALSE(store.discard(larger));
  {
    Store again(dir);  // a restart: free/'s sizes are not known
    again.prepare();
    const auto id = write_entry_in(again, "tiny\r\n", 11);
    const std::string file = slurp(entry(id));
    EXPECT_EQ(file.find("lll"), std::string::npos);  // cut: nothing of the spent file follows
    EXPECT_EQ(*again.content(id), "tiny\r\n");
  }
  auto report = store.recover();
  ASSERT_EQ(report.entries.size(), 1u);  // the last one: the two before were spent
  EXPECT_TRUE(report.quarantined.empty());
}

TEST_F(StoreTest, a_reused_file_never_replaces_an_entry_of_the_same_name) {
  auto a = write_entry("first\r\n");
  auto b = write_entry("second\r\n");
  EXPECT_FALSE(store.discard(a));
  std::error_code ec;
  EXPECT_FALSE(store.begin(b, ec));
  EXPECT_EQ(ec, std::make_error_code(std::errc::file_exists));
  EXPECT_EQ(*store.content(b), "second\r\n");
  EXPECT_TRUE(fs::exists(dir / "free" / a));  // still there for the next one
}

// A small entry (content, forms and control part within the write buffer) is written in
// one call with its header already final; a form too large for the buffer goes by the
// block path. Both read back the same, and both pass recovery's checks, also in a
// reused file longer than the new entry.
TEST_F(StoreTest, small_entries_in_one_write_and_large_forms_in_blocks_read_back_alike) {
  auto old = write_entry(std::string(300000, 'o') + "\r\n");  // a long spent file to reuse
  ASSERT_FALSE(store.discard(old));
  const std::string big_form(200000, 'F');
  std::vector<std::string> ids_written;
  for (int big : {0, 1}) {
    std::error_code ec;
    auto id = ids.next(1795430400000100 + big);
    auto d = store.begin(id, ec);
    ASSERT_TRUE(d) << ec.message();
    d->append("Subject: hi\r\n\r\nbody\r\n");
    FormRecord form;
    form.kind = FormRecord::Kind::p1;
    form.mode = 1988;
    const std::string bytes = big ? big_form : std::string("\xa0\x03\x02\x01\x00", 5);
    EXPECT_EQ(d->add_form(form, bytes, ec), 1u);
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
    files.close_all();
    EXPECT_EQ(control_offset(id), kEntryHeaderSize + 21 + bytes.size());
    EXPECT_EQ(*store.form(id, 1), bytes);
    EXPECT_EQ(*store.content(id), "Subject: hi\r\n\r\nbody\r\n");
    const std::string file = slurp(entry(id));
    EXPECT_EQ(file.find("ooo"), std::string::npos);  // nothing of the spent file follows
    EXPECT_EQ(file.substr(file.size() - 4), "end\n");
    ids_written.push_back(id);
  }
  auto report = store.recover();
  ASSERT_EQ(report.entries.size(), 2u);
  EXPECT_EQ(report.entries[0].id, ids_written[0]);
  EXPECT_EQ(report.entries[1].id, ids_written[1]);
  EXPECT_TRUE(report.quarantined.empty());
}

// Files made ahead (free/new-N, empty) become entries like spent ones, are bounded, are
// never taken for entries by recovery, and a crash while one is being filled leaves an
// unfinished entry that recovery removes (never acknowledged).
TEST_F(StoreTest, files_made_ahead_become_entries_and_are_never_mistaken_for_them) {
  EXPECT_TRUE(store.premake(10));  // 10 made, more to make
  EXPECT_EQ(store.free_files(), 10u);
  std::size_t rounds = 0;
  while (store.premake(100)) ++rounds;
  EXPECT_EQ(store.free_files(), kPremadeTarget);  // bounded
  EXPECT_FALSE(store.premake(100));
  EXPECT_EQ(store.free_files(), kPremadeTarget);
  EXPECT_LE(rounds, kPremadeTarget / 100 + 1);
  // Recovery sees none of them (free/ is not msg/).
  auto empty = store.recover();
  EXPECT_TRUE(empty.entries.empty());
  EXPECT_TRUE(empty.removed.empty());
  EXPECT_TRUE(empty.quarantined.empty());
  EXPECT_TRUE(fs::is_empty(dir / "msg"));
  // A new entry takes a made file (no file is created in msg/).
  auto id = write_entry("made ahead\r\n");
  EXPECT_EQ(store.free_files(), kPremadeTarget - 1);
  EXPECT_EQ(*store.content(id), "made ahead\r\n");
  // Killed while receiving into a made file: unfinished, removed at recovery.
  std::error_code ec;
  auto half = ids.next(1795430400000200);
  auto d = store.begin(half, ec);
  ASSERT_TRUE(d) << ec.message();
  d->append("half a message");
  d.release();
  auto crashed = store.recover();
  ASSERT_EQ(crashed.entries.size(), 1u);
  EXPECT_EQ(crashed.entries[0].id, id);
  EXPECT_EQ(crashed.removed, std::vector<std::string>{half});
  // A restart finds the made files again (and makes new names beside them).
  Store again(dir);
  again.prepare();
  EXPECT_EQ(again.free_files(), kPremadeTarget - 2);
  EXPECT_TRUE(again.premake(1));
  EXPECT_FALSE(again.premake(5));
  EXPECT_EQ(again.free_files(), kPremadeTarget);
}
