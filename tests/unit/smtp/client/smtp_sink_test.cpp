// The SMTP client (smtp/client/proto) against a real server: Postfix's
// smtp-sink on a loopback TCP port, two messages on one connection with
// PIPELINING, checked in smtp-sink's dump files (smtp-sink -d: the MAIL and
// RCPT arguments it received and the content after its own un-stuffing).
// The socket code is a small blocking driver here in the test, not in the
// library. A missing smtp-sink fails the test (scripts/setup --test
// installs Postfix's binaries).
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "smtp/client/proto/session.hpp"

using namespace mixer::smtp::client;
namespace proto = mixer::smtp::proto;

namespace {

std::string find_smtp_sink() {
  for (const char* p : {"/usr/sbin/smtp-sink", "/usr/bin/smtp-sink", "/usr/local/sbin/smtp-sink"})
    if (::access(p, X_OK) == 0) return p;
  return {};
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

int connect_to(int port) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
    ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

std::vector<std::string> dump_files(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::string(e->d_name).rfind("m.", 0) == 0) out.push_back(dir + "/" + e->d_name);
    ::closedir(d);
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// smtp-sink's dump: its own header lines, a three-line Received, the content
// with LF line ends, then one empty line.
std::string dumped_content(const std::string& dump) {
  auto r = dump.find("\nReceived: ");
  if (r == std::string::npos) return {};
  std::size_t pos = r + 1;
  for (int i = 0; i < 3; ++i) pos = dump.find('\n', pos) + 1;
  std::string c = dump.substr(pos);
  if (c.size() >= 1 && c.back() == '\n') c.pop_back();  // the empty line smtp-sink adds
  return c;
}

// One smtp-sink on a free loopback port, dumping into a scratch directory;
// stopped and cleaned up at the end of the test.
struct Sink {
  pid_t pid = -1;
  std::string dir;
  int port = 0;

  // Starts smtp-sink with `options` before its own; false when it cannot.
  bool start(const std::vector<std::string>& options) {
    const std::string exe = find_smtp_sink();
    if (exe.empty()) return false;
    char tmpl[] = "/tmp/mixer-smtp-sink-XXXXXX";
    if (!::mkdtemp(tmpl)) return false;
    dir = tmpl;
    ::chmod(tmpl, 0777);  // smtp-sink writes as the unprivileged user
    port = free_port();
    std::vector<std::string> args{"smtp-sink"};
    if (::geteuid() == 0) args.insert(args.end(), {"-u", "nobody"});  // required as root
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"-d", dir + "/m.", "-h", "sink.example", "127.0.0.1:" + std::to_string(port), "10"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
      ::execv(exe.c_str(), argv.data());
      ::_exit(127);
    }
    return true;
  }
  ~Sink() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
    if (!dir.empty()) std::system(("rm -rf '" + dir + "'").c_str());
  }
  // The dump files, waiting up to 5 s for `n` of them.
  std::vector<std::string> dumps(std::size_t n) const {
    std::vector<std::string> files;
    for (int i = 0; i < 100 && (files = dump_files(dir)).size() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::vector<std::string> texts;
    for (const auto& f : files) texts.push_back(slurp(f));
    return texts;
  }
};

// What one connection gave: every result, each write(2), the end.
struct Outcome {
  std::vector<MessageResult> results;
  std::vector<StartResult> refusals;
  std::vector<std::string> writes;
  std::optional<ConnectionError> error;
  bool closed = false;
  Capabilities caps;
};

// The blocking driver: sends `queue` over one connection to 127.0.0.1:port,
// one message per `ready`; a message refused for 8BITMIME is sent again as
// `seven_bit` when given. Then QUIT.
Outcome drive(int port, std::vector<const Message*> queue, const Message* seven_bit = nullptr) {
  Outcome run;
  int fd = connect_to(port);
  if (fd < 0) {
    ADD_FAILURE() << "cannot connect to smtp-sink on port " << port;
    return run;
  }
  ClientSettings settings;
  settings.helo_name = "gw.example";
  settings.tls = TlsPolicy::none;
  ClientSession session(settings);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((!session.finished() || session.has_events()) && std::chrono::steady_clock::now() < deadline) {
    while (auto ev = session.next_event()) {
      switch (ev->kind) {
        case Event::Kind::ready:
          if (!queue.empty()) {
            auto started = session.start_message(*queue.front());
            queue.erase(queue.begin());
            if (!started.ok()) {
              run.refusals.push_back(started);
              if (started.refusal == Refusal::needs_8bitmime && seven_bit) started = session.start_message(*seven_bit);
            }
            if (!started.ok()) session.quit();
          } else {
            session.quit();
          }
          break;
        case Event::Kind::message_done: run.results.push_back(ev->result); break;
        case Event::Kind::failed: run.error = ev->error; break;
        case Event::Kind::closed: run.closed = true; break;
        case Event::Kind::start_tls: ADD_FAILURE() << "STARTTLS not asked for"; break;
      }
    }
    // Write everything, one gathered piece list at a time.
    while (session.has_output()) {
      std::string_view pieces[16];
      std::size_t n = session.output_pieces(pieces);
      std::string batch;
      for (std::size_t i = 0; i < n; ++i) batch += pieces[i];
      ssize_t w = ::send(fd, batch.data(), batch.size(), MSG_NOSIGNAL);
      if (w <= 0) {
        ADD_FAILURE() << "send failed";
        ::close(fd);
        return run;
      }
      run.writes.push_back(batch.substr(0, w));
      session.wrote(static_cast<std::size_t>(w));
    }
    if (session.finished() || session.has_events()) continue;  // events from wrote(): the next round
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0) {
      ADD_FAILURE() << "smtp-sink did not answer";
      break;
    }
    char buf[4096];
    ssize_t got = ::recv(fd, buf, sizeof buf, 0);
    if (got <= 0) session.on_closed();
    else session.on_input(std::string_view(buf, got));
  }
  ::close(fd);
  run.caps = session.capabilities();
  return run;
}

std::string find_dump(const std::vector<std::string>& dumps, std::string_view mail_args) {
  for (const auto& d : dumps)
    if (d.find("X-Mail-Args: " + std::string(mail_args) + "\n") != std::string::npos) return d;
  return {};
}

proto::RcptTo rcpt(std::string local, std::string domain, bool success_notify = false) {
  proto::RcptTo r;
  r.forward_path = {std::move(local), std::move(domain)};
  if (success_notify) {
    r.notify.present = r.notify.success = r.notify.failure = true;
    r.orcpt = "rfc822;" + r.forward_path.text();
  }
  return r;
}

// Message 1: 8-bit, two recipients (the first with DSN parameters), content
// in chunks cut inside a CRLF and before a leading dot.
const std::string c1a = "From: a@x.example\r\nSubject: \xC3\xA9t\xC3\xA9\r", c1b = "\n\r\n.leading dot\r\n",
                  c1c = "..two dots\r\n.\r\nlast line";
Message message_1() {
  Message m;
  m.envelope.mail.reverse_path = {"a", "x.example"};
  m.envelope.mail.body = proto::Body::eight_bit_mime;
  m.envelope.mail.ret = proto::Ret::hdrs;
  m.envelope.mail.envid = "env+2B1";
  m.envelope.rcpts = {rcpt("u", "y.example", true), rcpt("v", "y.example")};
  m.content = {c1a, c1b, c1c};
  m.tag = 1;
  return m;
}
// Its 7-bit form, as the mapping would give it.
const std::string c1_7bit = "From: a@x.example\r\nSubject: =?utf-8?q?=C3=A9t=C3=A9?=\r\n\r\n.leading dot\r\n";
Message message_1_7bit() {
  Message m = message_1();
  m.envelope.mail.body = proto::Body::seven_bit;
  m.content = {c1_7bit};
  return m;
}
// Message 2: the null reverse-path, one recipient, bare LFs.
const std::string c2 = "Subject: two\n\nline one\n.\nend\n";
Message message_2() {
  Message m;
  m.envelope.rcpts = {rcpt("w", "z.example")};
  m.content = {c2};
  m.tag = 2;
  return m;
}

}  // namespace

TEST(SmtpSink, rfc2920_two_pipelined_messages_on_one_connection_reach_a_real_server) {
  Sink sink;
  ASSERT_TRUE(sink.start({})) << "smtp-sink not found or not started: install Postfix's binaries (scripts/setup --test)";
  const Message m1 = message_1(), m2 = message_2();
  Outcome run = drive(sink.port, {&m1, &m2});
  ASSERT_FALSE(run.error) << run.error->text;
  EXPECT_TRUE(run.closed);
  ASSERT_EQ(run.results.size(), 2u);
  EXPECT_TRUE(run.caps.pipelining);
  EXPECT_TRUE(run.caps.dsn);
  for (const auto& r : run.results)
    for (const auto& rr : r.recipients) {
      EXPECT_EQ(rr.status, RecipientStatus::delivered) << rr.reply.text();
      EXPECT_EQ(rr.reply.enhanced, "2.0.0");
      EXPECT_FALSE(rr.relayed_dsn_due);
    }
  // RFC 2920 §3.1: the first transaction's MAIL, RCPTs and DATA in one write.
  bool grouped = false;
  for (const auto& w : run.writes)
    grouped |= w == "MAIL FROM:<a@x.example> BODY=8BITMIME RET=HDRS ENVID=env+2B1\r\n"
                    "RCPT TO:<u@y.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@y.example\r\n"
                    "RCPT TO:<v@y.example>\r\nDATA\r\n";
  EXPECT_TRUE(grouped) << "no single write held the first pipelined group";

  auto dumps = sink.dumps(2);
  ASSERT_EQ(dumps.size(), 2u);
  std::string d1 = find_dump(dumps, "<a@x.example> BODY=8BITMIME RET=HDRS ENVID=env+2B1");
  std::string d2 = find_dump(dumps, "<>");
  ASSERT_FALSE(d1.empty()) << dumps[0];
  ASSERT_FALSE(d2.empty()) << dumps[1];
  EXPECT_NE(d1.find("X-Rcpt-Args: <u@y.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@y.example\n"),
            std::string::npos);
  EXPECT_NE(d1.find("X-Rcpt-Args: <v@y.example>\n"), std::string::npos);
  EXPECT_NE(d1.find("X-Helo-Args: gw.example\n"), std::string::npos);
  EXPECT_NE(d1.find("X-Client-Proto: ESMTP\n"), std::string::npos);
  EXPECT_EQ(dumped_content(d1),
            "From: a@x.example\nSubject: \xC3\xA9t\xC3\xA9\n\n.leading dot\n..two dots\n.\nlast line\n");
  EXPECT_NE(d2.find("X-Rcpt-Args: <w@z.example>\n"), std::string::npos);
  EXPECT_EQ(dumped_content(d2), "Subject: two\n\nline one\n.\nend\n");
}

TEST(SmtpSink, lock_step_without_8bitmime_or_dsn_sends_the_7bit_form_and_owes_relayed_dsns) {
  Sink sink;
  ASSERT_TRUE(sink.start({"-p", "-8", "-N"})) << "smtp-sink not found or not started";
  const Message m1 = message_1(), m1_7 = message_1_7bit(), m2 = message_2();
  Outcome run = drive(sink.port, {&m1, &m2}, &m1_7);
  ASSERT_FALSE(run.error) << run.error->text;
  EXPECT_TRUE(run.closed);
  ASSERT_EQ(run.refusals.size(), 1u);
  EXPECT_EQ(run.refusals[0].refusal, Refusal::needs_8bitmime);
  EXPECT_EQ(run.refusals[0].reply.text(), "554 5.6.3 8-bit message, 8BITMIME not offered");
  ASSERT_EQ(run.results.size(), 2u);
  EXPECT_FALSE(run.caps.pipelining || run.caps.eight_bit_mime || run.caps.dsn);
  EXPECT_FALSE(run.results[0].dsn_passed_on);
  EXPECT_TRUE(run.results[0].recipients[0].relayed_dsn_due);   // NOTIFY=SUCCESS not passed on
  EXPECT_FALSE(run.results[0].recipients[1].relayed_dsn_due);  // no NOTIFY
  for (const auto& r : run.results)
    for (const auto& rr : r.recipients) EXPECT_EQ(rr.status, RecipientStatus::delivered) << rr.reply.text();
  // Lock-step: no write holds more than one command.
  for (const auto& w : run.writes) {
    if (w.rfind("MAIL", 0) == 0 || w.rfind("RCPT", 0) == 0) {
      EXPECT_EQ(w.find("\r\n"), w.size() - 2) << "a lock-step write with several commands: " << w;
    }
  }
  auto dumps = sink.dumps(2);
  ASSERT_EQ(dumps.size(), 2u);
  std::string d1 = find_dump(dumps, "<a@x.example>");
  ASSERT_FALSE(d1.empty());
  EXPECT_NE(d1.find("X-Rcpt-Args: <u@y.example>\n"), std::string::npos);  // no NOTIFY/ORCPT
  EXPECT_EQ(dumped_content(d1), "From: a@x.example\nSubject: =?utf-8?q?=C3=A9t=C3=A9?=\n\n.leading dot\n");
}

TEST(SmtpSink, rfc5321_s3_2_helo_when_the_server_does_not_speak_esmtp) {
  Sink sink;
  ASSERT_TRUE(sink.start({"-e"})) << "smtp-sink not found or not started";
  const Message m2 = message_2();
  Outcome run = drive(sink.port, {&m2});
  ASSERT_FALSE(run.error) << run.error->text;
  EXPECT_FALSE(run.caps.esmtp);
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_EQ(run.results[0].recipients[0].status, RecipientStatus::delivered);
  bool helo = false;
  for (const auto& w : run.writes) helo |= w == "HELO gw.example\r\n";
  EXPECT_TRUE(helo);
  auto dumps = sink.dumps(1);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_NE(dumps[0].find("X-Client-Proto: SMTP\n"), std::string::npos) << dumps[0];
}

TEST(SmtpSink, every_recipient_refused_4xx_means_rset_and_the_connection_is_reused) {
  Sink sink;
  ASSERT_TRUE(sink.start({"-r", "RCPT"})) << "smtp-sink not found or not started";
  const Message m1 = message_1(), m2 = message_2();
  Outcome run = drive(sink.port, {&m1, &m2});
  ASSERT_FALSE(run.error) << run.error->text;
  EXPECT_TRUE(run.closed);
  ASSERT_EQ(run.results.size(), 2u);
  for (const auto& r : run.results)
    for (const auto& rr : r.recipients) {
      EXPECT_EQ(rr.status, RecipientStatus::deferred);
      EXPECT_EQ(rr.stage, Command::rcpt);
      EXPECT_EQ(rr.reply.code, 450);
      EXPECT_EQ(rr.reply.enhanced, "4.3.0");
    }
  std::size_t rsets = 0;
  for (const auto& w : run.writes) rsets += w == "RSET\r\n";
  EXPECT_EQ(rsets, 2u);
  EXPECT_TRUE(sink.dumps(0).empty());
}
