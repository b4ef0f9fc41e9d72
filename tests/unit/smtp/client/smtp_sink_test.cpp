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

struct Sink {
  pid_t pid = -1;
  std::string dir;
  int port = 0;
  ~Sink() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
    if (!dir.empty()) std::system(("rm -rf '" + dir + "'").c_str());
  }
};

}  // namespace

TEST(SmtpSink, two_pipelined_messages_on_one_connection_reach_a_real_server) {
  const std::string exe = find_smtp_sink();
  ASSERT_FALSE(exe.empty()) << "smtp-sink not found: install Postfix's binaries (scripts/setup --test)";

  Sink sink;
  char tmpl[] = "/tmp/mixer-smtp-sink-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  sink.dir = tmpl;
  ::chmod(tmpl, 0777);  // smtp-sink writes as the unprivileged user
  sink.port = free_port();
  const std::string listen = "127.0.0.1:" + std::to_string(sink.port);
  const std::string dump = sink.dir + "/m.";
  sink.pid = ::fork();
  ASSERT_GE(sink.pid, 0);
  if (sink.pid == 0) {
    if (::geteuid() == 0)
      ::execl(exe.c_str(), "smtp-sink", "-u", "nobody", "-d", dump.c_str(), "-h", "sink.example", listen.c_str(), "10",
              (char*)nullptr);
    else
      ::execl(exe.c_str(), "smtp-sink", "-d", dump.c_str(), "-h", "sink.example", listen.c_str(), "10",
              (char*)nullptr);
    ::_exit(127);
  }
  int fd = connect_to(sink.port);
  ASSERT_GE(fd, 0) << "cannot connect to smtp-sink on " << listen;

  // Message 1: 8-bit, two recipients with DSN parameters, content in chunks
  // cut inside a CRLF and before a leading dot.
  const std::string c1a = "From: a@x.example\r\nSubject: \xC3\xA9t\xC3\xA9\r", c1b = "\n\r\n.leading dot\r\n",
                    c1c = "..two dots\r\n.\r\nlast line";
  Message m1;
  m1.envelope.mail.reverse_path = {"a", "x.example"};
  m1.envelope.mail.body = proto::Body::eight_bit_mime;
  m1.envelope.mail.ret = proto::Ret::hdrs;
  m1.envelope.mail.envid = "env+2B1";
  proto::RcptTo r1, r2;
  r1.forward_path = {"u", "y.example"};
  r1.notify.present = r1.notify.success = r1.notify.failure = true;
  r1.orcpt = "rfc822;u@y.example";
  r2.forward_path = {"v", "y.example"};
  m1.envelope.rcpts = {r1, r2};
  m1.content = {c1a, c1b, c1c};
  m1.tag = 1;
  // Message 2: plain, one recipient, the null reverse-path, bare LFs.
  const std::string c2 = "Subject: two\n\nline one\n.\nend\n";
  Message m2;
  proto::RcptTo r3;
  r3.forward_path = {"w", "z.example"};
  m2.envelope.rcpts = {r3};
  m2.content = {c2};
  m2.tag = 2;
  std::vector<const Message*> queue{&m1, &m2};

  ClientSettings settings;
  settings.helo_name = "gw.example";
  settings.tls = TlsPolicy::none;
  ClientSession session(settings);
  std::vector<MessageResult> results;
  std::vector<std::string> writes;  // each write(2) of the driver
  std::optional<ConnectionError> error;
  bool closed = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((!session.finished() || session.has_events()) && std::chrono::steady_clock::now() < deadline) {
    while (auto ev = session.next_event()) {
      switch (ev->kind) {
        case Event::Kind::ready:
          if (!queue.empty()) {
            auto started = session.start_message(*queue.front());
            ASSERT_TRUE(started.ok()) << started.reply.text();
            queue.erase(queue.begin());
          } else {
            session.quit();
          }
          break;
        case Event::Kind::message_done: results.push_back(ev->result); break;
        case Event::Kind::failed: error = ev->error; break;
        case Event::Kind::closed: closed = true; break;
        case Event::Kind::start_tls: FAIL() << "STARTTLS not asked for"; break;
      }
    }
    // Write everything, one gathered piece list at a time.
    while (session.has_output()) {
      std::string_view pieces[16];
      std::size_t n = session.output_pieces(pieces);
      std::string batch;
      for (std::size_t i = 0; i < n; ++i) batch += pieces[i];
      ssize_t w = ::send(fd, batch.data(), batch.size(), MSG_NOSIGNAL);
      ASSERT_GT(w, 0) << "send failed";
      writes.push_back(batch.substr(0, w));
      session.wrote(static_cast<std::size_t>(w));
    }
    if (session.finished() || session.has_events()) continue;  // events from wrote(): the next round
    pollfd p{fd, POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, 10000), 0) << "smtp-sink did not answer";
    char buf[4096];
    ssize_t got = ::recv(fd, buf, sizeof buf, 0);
    if (got <= 0) session.on_closed();
    else session.on_input(std::string_view(buf, got));
  }
  ::close(fd);
  ASSERT_FALSE(error) << error->text;
  EXPECT_TRUE(closed);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(session.capabilities().pipelining);
  EXPECT_TRUE(session.capabilities().dsn);
  for (const auto& r : results)
    for (const auto& rr : r.recipients) {
      EXPECT_EQ(rr.status, RecipientStatus::delivered) << rr.reply.text();
      EXPECT_EQ(rr.reply.enhanced, "2.0.0");
    }
  // RFC 2920: the first transaction's MAIL, RCPTs and DATA went in one write.
  bool grouped = false;
  for (const auto& w : writes)
    grouped |= w == "MAIL FROM:<a@x.example> BODY=8BITMIME RET=HDRS ENVID=env+2B1\r\n"
                    "RCPT TO:<u@y.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@y.example\r\n"
                    "RCPT TO:<v@y.example>\r\nDATA\r\n";
  EXPECT_TRUE(grouped) << "no single write held the first pipelined group";

  // Both dumps, by their MAIL arguments.
  std::vector<std::string> files;
  for (int i = 0; i < 100 && (files = dump_files(sink.dir)).size() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(files.size(), 2u);
  std::string d1, d2;
  for (const auto& f : files) {
    std::string text = slurp(f);
    if (text.find("X-Mail-Args: <a@x.example>") != std::string::npos) d1 = text;
    if (text.find("X-Mail-Args: <>") != std::string::npos) d2 = text;
  }
  ASSERT_FALSE(d1.empty());
  ASSERT_FALSE(d2.empty());
  EXPECT_NE(d1.find("X-Mail-Args: <a@x.example> BODY=8BITMIME RET=HDRS ENVID=env+2B1\n"), std::string::npos) << d1;
  EXPECT_NE(d1.find("X-Rcpt-Args: <u@y.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@y.example\n"),
            std::string::npos);
  EXPECT_NE(d1.find("X-Rcpt-Args: <v@y.example>\n"), std::string::npos);
  EXPECT_NE(d1.find("X-Helo-Args: gw.example\n"), std::string::npos);
  EXPECT_EQ(dumped_content(d1),
            "From: a@x.example\nSubject: \xC3\xA9t\xC3\xA9\n\n.leading dot\n..two dots\n.\nlast line\n");
  EXPECT_NE(d2.find("X-Rcpt-Args: <w@z.example>\n"), std::string::npos);
  EXPECT_EQ(dumped_content(d2), "Subject: two\n\nline one\n.\nend\n");
}
