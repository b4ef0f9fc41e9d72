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

  // A complete entry as SMTP intake writes one (minus the sync): one P1 recipient.
  std::string write_entry(const std::string& address) {
    std::error_code ec;
    auto id = ids.next(1795430400000000);
    auto d = store.begin(id, ec);
    EXPECT_TRUE(d) << ec.message();
    d->append("Subject: hi\r\n\r\nbody\r\n");
    ControlFile c;
    c.origin = "smtp";
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
