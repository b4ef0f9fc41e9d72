// tests/unit/gateway/queue_fixture.hpp: a queue directory of its own per test
// (removed before and after), entries written as the daemon writes them, and
// the records the queue manager and the operator append; shared by the
// snapshot and touch-log tests.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/store.hpp"

namespace mixer::queue::test {

namespace fs = std::filesystem;

// A complete entry as SMTP intake writes one (minus the sync): `content` appended in
// pieces of 7 octets, one P1 recipient `address`; its ID (from `ids` at `time`).
// `origin`: the control file's (another listener's entry).
inline std::string write_entry_in(Store& into, QueueIdGenerator& ids, const std::string& address,
                                  const std::string& content, std::uint64_t time = 1795430400000000,
                                  const std::string& origin = "smtp") {
  std::error_code ec;
  auto id = ids.next(static_cast<std::int64_t>(time));
  auto d = into.begin(id, ec);
  EXPECT_TRUE(d) << ec.message();
  if (!d) return id;
  for (std::size_t i = 0; i < content.size(); i += 7) d->append(std::string_view(content).substr(i, 7));
  ControlFile c;
  c.origin = origin;
  c.sender = "a@b.example";
  RecipientRecord r;
  r.address = address;
  r.channel = Channel::p1;
  r.peer = "mta.example";
  c.recipients.push_back(r);
  DurableSet files;
  EXPECT_FALSE(d->finish(c, files));
  files.close_all();
  return id;
}

struct QueueDirTest : ::testing::Test {
  explicit QueueDirTest(const std::string& name)
      : dir(fs::temp_directory_path() / ("mixer-" + name + "-" + std::to_string(::getpid()))), store(dir) {}
  fs::path dir;
  Store store;
  QueueIdGenerator ids{0};
  void SetUp() override {
    fs::remove_all(dir);
    store.prepare();
  }
  void TearDown() override { fs::remove_all(dir); }

  // One entry for `address` with a short message.
  std::string write_entry(const std::string& address) {
    return write_entry_in(store, ids, address, "Subject: hi\r\n\r\nbody\r\n");
  }
};

// A status record as the queue manager appends it.
inline Record status_record(std::size_t rcpt, RecipientStatus status, unsigned attempts, const std::string& diag) {
  Record r;
  r.kind = Record::Kind::status;
  r.time = 1'795'430'500;
  r.rcpt = rcpt;
  r.status = status;
  r.attempts = attempts;
  r.next_attempt = 1'795'431'000 + attempts;
  r.dsn = "4.4.1";
  r.diagnostic = diag;
  return r;
}
// The operator's hold, release or retry.
inline Record operator_record(Record::Kind kind) {
  Record r;
  r.kind = kind;
  r.time = 1'795'430'600;
  return r;
}

}  // namespace mixer::queue::test
