// tests/bench/qmgr_rebuild_bench.cpp: how long the queue manager takes to
// rebuild its state at start-up (issue 14: 1M entries in under 10 s).
//
//   bench_qmgr_rebuild [--entries N] [--disk N] [--dir DIR] [--keep] [--cold] [--collect] [--reuse]
//                      [--snapshot | --snapshot-only] [--crash [--touch-log]]
//
// 1. In memory: N control files (1,000,000 by default; one or two
//    recipients each, on channels p1 and smtp, a third of them deferred
//    with a history) are encoded and decoded as the store does, then
//    handed to a Scheduler: the time of decode and of Scheduler::add, and
//    the resident memory.
// 2. From disk: `--disk N` entries (default 100,000; 0 to skip) are written
//    as real queue entries (base of 2 KiB, control file) under DIR, then the
//    daemon's rebuild (Store::recover streaming each entry into a QueueIndex
//    and a Scheduler; `--collect`: the earlier way, every entry collected
//    first) is timed twice: with the CRC check of every content file (a
//    crash left the queue: no clean-shutdown mark) and without it (the mark
//    of a clean shutdown is there), with the page cache warm, and with
//    `--cold` (root only; it empties the whole machine's page cache) also
//    after dropping the page cache; with the peak memory of each rebuild.
//    `--reuse`: the N entries left in DIR by an earlier `--keep` run are
//    rebuilt again (not written), and kept.
// 3. `--snapshot` (after 2; `--snapshot-only` instead of 2's timed runs): a
//    clean shutdown's snapshot (queue/snapshot.hpp: the scheduler's entries
//    with the index's sizes, as the daemon writes it) is written, timed, and
//    the start-up from it (Store::recover: one listing of msg/, the snapshot
//    read and checked whole, no entry file opened) is timed, warm and (with
//    `--cold`) after dropping the page cache. The snapshot is written as the
//    daemon's periodic one is (periodic_snapshot.cpp): the IDs of msg/'s
//    listing, then 4,096 entries per slice (each slice is what holds the queue manager's
//    strand: the longest is printed), the blocks written after each slice,
//    then fsync and rename. `--crash`: no clean marker is written after it (a
//    crash while a daemon ran), so the start checks every entry's file with
//    one fstatat (size, inode, ctime) before taking it from the snapshot;
//    with `--touch-log` the daemon's DIR/touched is kept too (started before
//    the snapshot, which opens its section there: queue/touch_log.hpp), so
//    the start stats none (nothing was written to an entry after it began).
// Not run by ctest.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "gateway/qmgr/scheduler.hpp"
#include "gateway/queue/format/control_file.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/index.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue/store.hpp"

using namespace mixer;
using Clock = std::chrono::steady_clock;

namespace {

struct NullSink : qmgr::Sink {
  std::error_code append(const std::string&, const queue::Record&, bool) override { return {}; }
  void discard(const std::string&) override {}
  void event(const qmgr::Event&) override {}
};

double seconds(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

// User and system time of the whole process (every thread) so far.
double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU time of the calling thread so far.
double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// A /proc/self/status line's value in MiB ("VmRSS:", "VmHWM:": the peak since clear_refs).
long rss_mib(const char* key = "VmRSS:") {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(key);
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(n)) / 1024;
  return 0;
}

queue::ControlFile make_entry(queue::QueueIdGenerator& ids, std::size_t i, std::int64_t now_us) {
  queue::ControlFile c;
  c.id = ids.next(now_us - 3600'000'000LL + static_cast<std::int64_t>(i));
  c.arrival_us = now_us - 3600'000'000LL + static_cast<std::int64_t>(i);
  c.origin = "smtp";
  c.client = "[127.0.0.1]:40000";
  c.helo = "client.example";
  c.protocol = "ESMTP";
  c.size = 2048;
  c.sender = "sender" + std::to_string(i % 1000) + "@example.org";
  queue::FormRecord f;
  f.index = 1;
  f.kind = queue::FormRecord::Kind::p1;
  f.mode = 1988;
  f.size = 2400;
  f.mts_id = "[/PRMD=EXAMPLE/ADMD= /C=XX/;" + c.id + "]";
  c.forms.push_back(f);
  queue::RecipientRecord r;
  r.index = 0;
  r.address = "user" + std::to_string(i % 5000) + "@x400.example";
  r.or_address = "/G=user/S=" + std::to_string(i % 5000) + "/PRMD=EXAMPLE/ADMD= /C=XX/";
  r.channel = queue::Channel::p1;
  r.peer = "mta-" + std::to_string(i % 8) + ".example";
  r.fallback = {"mta-backup.example"};
  r.form = 1;
  c.recipients.push_back(r);
  if (i % 2) {
    queue::RecipientRecord s;
    s.index = 1;
    s.address = "other" + std::to_string(i % 7000) + "@d" + std::to_string(i % 500) + ".example.com";
    s.channel = queue::Channel::smtp;
    s.domain = "d" + std::to_string(i % 500) + ".example.com";
    c.recipients.push_back(s);
  }
  return c;
}

std::string encode_with_history(const queue::ControlFile& c, std::size_t i) {
  std::string text = queue::encode_control(c);
  if (i % 3 == 0) {
    queue::Record r;
    r.kind = queue::Record::Kind::status;
    r.time = c.arrival_us / 1000000 + 60;
    r.rcpt = 0;
    r.status = queue::RecipientStatus::deferred;
    r.attempts = 1;
    r.next_attempt = r.time + 60;
    r.dsn = "4.4.1";
    r.diagnostic = "cannot connect: Connection refused";
    text += queue::encode_record(r);
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t entries = 1'000'000, disk = 100'000;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "mixer-bench-qmgr";
  bool keep = false, cold = false, collect = false, reuse = false, snapshot = false, scan = true, crash = false,
       touch_log = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--entries") && i + 1 < argc) entries = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--disk") && i + 1 < argc) disk = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!std::strcmp(argv[i], "--keep")) keep = true;
    else if (!std::strcmp(argv[i], "--cold")) cold = true;
    else if (!std::strcmp(argv[i], "--collect")) collect = true;
    else if (!std::strcmp(argv[i], "--reuse")) reuse = keep = true;
    else if (!std::strcmp(argv[i], "--snapshot")) snapshot = true;
    else if (!std::strcmp(argv[i], "--snapshot-only")) snapshot = true, scan = false;
    else if (!std::strcmp(argv[i], "--crash")) crash = true;
    else if (!std::strcmp(argv[i], "--touch-log")) touch_log = true;
    else {
      std::fprintf(stderr, "usage: bench_qmgr_rebuild [--entries N] [--disk N] [--dir DIR] [--keep] [--cold] [--collect] [--reuse] "
                           "[--snapshot | --snapshot-only] [--crash [--touch-log]]\n");
      return 2;
    }
  }
  const std::int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();

  // 1. In memory.
  {
    queue::QueueIdGenerator ids(0);
    std::vector<std::string> texts;
    texts.reserve(entries);
    for (std::size_t i = 0; i < entries; ++i) texts.push_back(encode_with_history(make_entry(ids, i, now_us), i));
    const long rss0 = rss_mib();
    auto t0 = Clock::now();
    std::vector<queue::ControlFile> files;
    files.reserve(entries);
    for (const auto& t : texts) {
      auto d = queue::decode_control(t);
      if (d.status != queue::DecodeResult::Status::complete) {
        std::fprintf(stderr, "decode failed: %s\n", d.error.c_str());
        return 1;
      }
      files.push_back(std::move(d.file));
    }
    const double decode_s = seconds(t0);
    NullSink sink;
    qmgr::Limits limits;
    limits.per_hop = [](qmgr::Channel, const std::string&) { return std::size_t(2); };
    qmgr::Scheduler s(sink, limits, 1);
    const long rss1 = rss_mib();
    t0 = Clock::now();
    s.reserve(files.size());
    for (const auto& f : files) s.add(f, now_us);
    const double add_s = seconds(t0);
    const long rss2 = rss_mib();
    t0 = Clock::now();
    auto jobs = s.take(now_us);
    const double take_s = seconds(t0);
    std::printf("in memory: %zu entries: decode %.2f s (%.2f us/entry), Scheduler::add %.2f s (%.2f us/entry), "
                "total %.2f s; scheduler memory %ld MiB (%ld B/entry; RSS before decode %ld MiB); first take() %.3f s, "
                "%zu jobs\n",
                entries, decode_s, decode_s * 1e6 / double(entries), add_s, add_s * 1e6 / double(entries),
                decode_s + add_s, rss2 - rss1, entries ? (rss2 - rss1) * 1048576 / long(entries) : 0, rss0, take_s,
                jobs.size());
  }

  // 2. From disk.
  if (disk) {
    if (!reuse) std::filesystem::remove_all(dir);
    queue::Store store(dir);
    store.prepare();
    queue::QueueIdGenerator ids(0);
    const std::string content(2048, 'x');
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < (reuse ? 0 : disk); ++i) {
      auto c = make_entry(ids, i, now_us);
      c.forms.clear();
      for (auto& r : c.recipients) r.form = 0;
      std::error_code ec;
      auto d = store.begin(c.id, ec);
      if (!d) {
        std::fprintf(stderr, "cannot write: %s\n", ec.message().c_str());
        return 1;
      }
      d->append(content);
      queue::DurableSet files;
      if ((ec = d->finish(c, files))) {
        std::fprintf(stderr, "cannot write: %s\n", ec.message().c_str());
        return 1;
      }
      files.close_all();
    }
    ::sync();
    if (!reuse) std::printf("from disk: %zu entries written in %.1f s\n", disk, seconds(t0));
    if (cold && ::geteuid() != 0) {
      std::fprintf(stderr, "--cold needs root (it writes /proc/sys/vm/drop_caches)\n");
      cold = false;
    }
    store.recover([](queue::ControlFile&&) {});  // warms the cache
    // What the daemon does at start: Store::recover streaming each entry into the
    // queue index and the scheduler (none held meanwhile); with --collect, the
    // earlier way (every control file collected first, then handed over).
    for (int run = 0; run < (!scan ? 0 : cold ? 4 : 2); ++run) {
      const bool clean = run % 2 == 1, root = run >= 2;
      if (clean) store.mark_clean();
      if (root) std::ofstream("/proc/sys/vm/drop_caches") << "3\n";
      NullSink sink;
      qmgr::Limits limits;
      limits.per_hop = [](qmgr::Channel, const std::string&) { return std::size_t(2); };
      auto index = std::make_unique<queue::QueueIndex>();
      auto sched = std::make_unique<qmgr::Scheduler>(sink, limits, 1);
      // Not reserved: the daemon does not know the count before the scan either.
      std::ofstream("/proc/self/clear_refs") << "5\n";  // peak RSS from here
      const long rss0 = rss_mib("VmRSS:");
      const double cpu0 = cpu_seconds();
      Clock::duration receiver{};  // in the receiver (index and scheduler), on the calling thread
      const double thread0 = thread_cpu_seconds();
      t0 = Clock::now();
      queue::RecoveryReport report;
      if (collect) {
        report = store.recover();
        for (const auto& e : report.entries) index->add(e);
        for (const auto& e : report.entries) sched->add(e, now_us);
        report.recovered = report.entries.size();
        report.entries = {};
      } else {
        report = store.recover([&](queue::ControlFile&& e) {
          const auto r0 = Clock::now();
          index->add(e);
          sched->add(std::move(e), now_us);
          receiver += Clock::now() - r0;
        });
      }
      const double s = seconds(t0), cpu = cpu_seconds() - cpu0, serial = thread_cpu_seconds() - thread0;
      ::malloc_trim(0);  // what was freed goes back: "kept" is what the index and the scheduler hold
      const long peak = rss_mib("VmHWM:") - rss0, kept = rss_mib("VmRSS:") - rss0;
      std::printf("from disk: rebuild (Store::recover%s into the index and Scheduler::add) %s, %s cache: %zu entries in "
                  "%.2f s (%.1f us/entry; 1M entries: ~%.1f s), CPU %.1f us/entry (receiver %.1f, its thread's CPU %.1f; quiet 2 cores: ~%.1f s); peak memory %ld MiB (%ld B/entry), kept %ld "
                  "B/entry\n",
                  collect ? ", collected first," : " streamed", clean ? "after a clean shutdown (no content CRC)"
                                                             : "after a crash (content CRC of every entry)",
                  root ? "cold" : "warm", report.recovered, s, s * 1e6 / double(disk), s * 1e6 / double(disk), cpu * 1e6 / double(disk),
                  std::chrono::duration<double>(receiver).count() * 1e6 / double(disk), serial * 1e6 / double(disk),
                  std::max(serial, cpu / 2) * 1e6 / double(disk), peak,
                  peak * 1048576 / long(disk), kept * 1048576 / long(disk));
      if (report.recovered != disk) {
        std::fprintf(stderr, "recovered %zu of %zu\n", report.recovered, disk);
        return 1;
      }
      sched.reset();
      index.reset();
      ::malloc_trim(0);  // the next run starts from the memory a new daemon has
    }
    // 3. Start-up from a clean shutdown's snapshot.
    if (snapshot) {
      NullSink sink;
      qmgr::Limits limits;
      limits.per_hop = [](qmgr::Channel, const std::string&) { return std::size_t(2); };
      auto index = std::make_unique<queue::QueueIndex>();
      auto sched = std::make_unique<qmgr::Scheduler>(sink, limits, 1);
      store.recover([&](queue::ControlFile&& e) {  // the state a daemon holds before its shutdown
        index->add(e);
        sched->add(std::move(e), now_us);
      });
      for (int run = 0; run < (cold ? 2 : 1); ++run) {
        const bool root = run == 1;
        t0 = Clock::now();
        const double write_cpu0 = cpu_seconds();
        std::error_code ec;
        if (touch_log && (ec = store.start_touch_log())) {
          std::fprintf(stderr, "cannot start the touch log: %s\n", ec.message().c_str());
          return 1;
        }
        auto writer = queue::SnapshotWriter::open(dir, ec, {}, touch_log ? store.touch_log() : nullptr);
        if (!writer) {
          std::fprintf(stderr, "cannot write the snapshot: %s\n", ec.message().c_str());
          return 1;
        }
        const double open_s = seconds(t0);
        std::size_t left_out = 0;
        // The periodic snapshot's way: the IDs as msg/ was listed (sorted), then slices.
        auto t1 = Clock::now();
        std::vector<std::string> ids;
        ids.reserve(writer->listing().size());
        for (const auto& e : writer->listing()) ids.push_back(e.name);
        const double ids_s = seconds(t1);
        double slices_s = 0, longest_s = 0, io_s = 0;
        std::size_t slices = 0;
        queue::ControlFile c;
        for (std::size_t from = 0; from < ids.size(); from += 4096) {
          t1 = Clock::now();
          for (std::size_t i = from; i < std::min(ids.size(), from + 4096); ++i) {
            if (!sched->export_entry(ids[i], c)) continue;
            auto summary = index->find(c.id);
            if (summary) c.size = summary->size;
            if (!summary || !writer->add(c)) ++left_out;
          }
          std::string blocks = writer->take_blocks();
          const double d = seconds(t1);
          slices_s += d;
          longest_s = std::max(longest_s, d);
          ++slices;
          t1 = Clock::now();
          writer->write(blocks);  // the daemon's writer thread
          io_s += seconds(t1);
        }
        t1 = Clock::now();
        const std::uint64_t generation = writer->finish(ec);
        const double finish_s = seconds(t1);
        const double write_s = seconds(t0), write_cpu = cpu_seconds() - write_cpu0;
        std::printf("from disk: periodic snapshot of %zu entries: %.2f s wall, %.2f s CPU: open and list msg/ %.2f s, "
                    "IDs from the listing %.3f s, %zu slices on the strand %.2f s (longest %.1f ms), "
                    "writes %.2f s, finish (fsync, rename) %.2f s\n",
                    static_cast<std::size_t>(writer->entries()), write_s, write_cpu, open_s, ids_s, slices, slices_s,
                    longest_s * 1e3, io_s, finish_s);
        if (!generation) {
          std::fprintf(stderr, "cannot write the snapshot: %s\n", ec.message().c_str());
          return 1;
        }
        t0 = Clock::now();
        if (!crash) store.mark_clean(generation);
        const double mark_s = seconds(t0);
        if (crash) std::this_thread::sleep_for(std::chrono::nanoseconds(queue::kSnapshotCtimeSlackNs));
        const auto file_size = std::filesystem::file_size(dir / "snapshot");
        if (root) std::ofstream("/proc/sys/vm/drop_caches") << "3\n";
        sched.reset();
        index.reset();
        ::malloc_trim(0);
        index = std::make_unique<queue::QueueIndex>();
        sched = std::make_unique<qmgr::Scheduler>(sink, limits, 1);
        std::ofstream("/proc/self/clear_refs") << "5\n";
        const long rss0 = rss_mib("VmRSS:");
        const double cpu0 = cpu_seconds();
        t0 = Clock::now();
        auto report = store.recover([&](queue::ControlFile&& e) {
          index->add(e);
          sched->add(std::move(e), now_us);
        });
        const double s = seconds(t0), cpu = cpu_seconds() - cpu0;
        const long peak = rss_mib("VmHWM:") - rss0;
        std::printf("from disk: snapshot of %zu entries (%zu left out) written in %.2f s (%.1f MB; mark_clean's syncfs "
                    "%.2f s); start-up from it, %s cache: %zu entries (%zu from the snapshot) in %.2f s "
                    "(%.2f us/entry), CPU %.1f us/entry (%.2f s); peak memory %ld MiB (%ld B/entry)%s%s%s\n",
                    disk - left_out, left_out, write_s, double(file_size) / 1e6, mark_s, root ? "cold" : "warm",
                    report.recovered, report.from_snapshot, s, s * 1e6 / double(disk), cpu * 1e6 / double(disk), cpu, peak,
                    peak * 1048576 / long(disk),
                    report.snapshot_checked     ? "; after a crash: every file checked (fstatat)"
                    : report.snapshot_touch_log ? "; after a crash: DIR/touched read, no file checked"
                                                : "; clean shutdown: inodes only",
                    report.snapshot.empty() ? "" : "; not used: ", report.snapshot.c_str());
        if (report.recovered != disk || report.from_snapshot != disk) {
          std::fprintf(stderr, "recovered %zu of %zu, %zu from the snapshot\n", report.recovered, disk,
                       report.from_snapshot);
          return 1;
        }
      }
    }
    if (!keep) std::filesystem::remove_all(dir);
  }
  return 0;
}
