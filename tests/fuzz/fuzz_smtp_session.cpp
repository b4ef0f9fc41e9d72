// tests/fuzz/fuzz_smtp_session.cpp: arbitrary client bytes through the
// command line reader, the session state machine and the DATA reader,
// exactly as smtp/server/connection.cpp drives them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtp/proto/data_reader.hpp"
#include "smtp/proto/lines.hpp"
#include "smtp/proto/session.hpp"

namespace {
using namespace mixer::smtp::proto;

class AcceptSome : public SessionPolicy {
 public:
  std::optional<Reply> check_sender(const MailFrom& m) override {
    if (m.reverse_path.domain == "refused.example") return Reply(550, "5.7.1", "no");
    return std::nullopt;
  }
  std::optional<Reply> check_recipient(const MailFrom&, const RcptTo& r) override {
    if (r.forward_path.domain.size() % 2) return Reply(550, "5.7.1", "Relay access denied");
    return std::nullopt;
  }
};

class CountingSink : public ContentSink {
 public:
  void append(std::string_view b) override { total += b.size(); }
  std::size_t total = 0;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  AcceptSome policy;
  SessionSettings settings;
  settings.hostname = "mixer.example";
  settings.ext.max_message_size = 4096;
  settings.max_recipients = 8;
  settings.max_commands = 200;
  settings.max_errors = 50;
  settings.starttls_available = size > 0 && data[0] & 1;
  ServerSession session(settings, policy);
  CommandLineReader lines(512);
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)session.greeting();
  while (!in.empty()) {
    auto ev = lines.next(in);
    in.remove_prefix(ev.consumed);
    if (ev.kind == CommandLineReader::Kind::need_more) break;
    Step step = ev.kind == CommandLineReader::Kind::line ? session.on_line(ev.line) : session.on_bad_line(ev.kind);
    if (step.reply.wire().empty()) __builtin_trap();
    if (step.next == Next::close) break;
    if (step.next == Next::start_tls) session.tls_started();
    if (step.next == Next::read_data) {
      DataReader reader(settings.ext.max_message_size);
      CountingSink sink;
      in.remove_prefix(reader.feed(in, sink));
      if (!reader.done()) break;
      if (sink.total != reader.size()) __builtin_trap();
      if (reader.defect() != DataReader::Defect::none) session.data_refused(reader);
      else session.data_accepted("00000000000");
    }
  }
  (void)session.counters();
  return 0;
}
