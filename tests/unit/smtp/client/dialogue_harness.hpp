// tests/unit/smtp/client/dialogue_harness.hpp: runs a recorded SMTP dialogue,
// written as data, against the I/O-free ClientSession. Script lines:
//   "S: text"   a line the server sends (CRLF added); consecutive S lines
//               arrive in one read, as a pipelining server would send them
//   "S| bytes"  raw server bytes, no CRLF added
//   "C: text"   a line the client must have written since the last check
//               (consecutive C lines are compared as one block)
//   "E: kind"   the next event: ready, start_tls, message_done, failed, closed
//   "A: send N" start_message(messages[N]); "A: refused KIND" checks the
//               refusal of the last send; "A: quit"; "A: tls" (tls_started);
//   "A: eof"    the server closes the connection
// Every event and result is kept for the test's own assertions.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smtp/client/proto/session.hpp"

namespace mixer::smtp::client::test {

inline std::string kind_name(Event::Kind k) {
  switch (k) {
    case Event::Kind::ready: return "ready";
    case Event::Kind::start_tls: return "start_tls";
    case Event::Kind::message_done: return "message_done";
    case Event::Kind::failed: return "failed";
    case Event::Kind::closed: return "closed";
  }
  return "?";
}

inline std::string refusal_name(Refusal r) {
  switch (r) {
    case Refusal::none: return "none";
    case Refusal::not_ready: return "not_ready";
    case Refusal::no_recipients: return "no_recipients";
    case Refusal::bad_envelope: return "bad_envelope";
    case Refusal::needs_8bitmime: return "needs_8bitmime";
    case Refusal::needs_smtputf8: return "needs_smtputf8";
    case Refusal::too_big: return "too_big";
  }
  return "?";
}

inline proto::Mailbox box(std::string_view addr) {
  proto::Mailbox m;
  auto at = addr.rfind('@');
  if (at == std::string_view::npos) {
    m.local = std::string(addr);
  } else {
    m.local = std::string(addr.substr(0, at));
    m.domain = std::string(addr.substr(at + 1));
  }
  return m;
}

inline proto::RcptTo rcpt(std::string_view addr, std::string_view notify = "", std::string orcpt = "") {
  proto::RcptTo r;
  r.forward_path = box(addr);
  if (!notify.empty()) {
    r.notify.present = true;
    r.notify.never = notify.find("NEVER") != std::string_view::npos;
    r.notify.success = notify.find("SUCCESS") != std::string_view::npos;
    r.notify.failure = notify.find("FAILURE") != std::string_view::npos;
    r.notify.delay = notify.find("DELAY") != std::string_view::npos;
  }
  r.orcpt = std::move(orcpt);
  return r;
}

inline Message message(std::string_view from, std::vector<proto::RcptTo> rcpts, std::vector<std::string_view> content,
                       std::uint64_t tag = 0) {
  Message m;
  m.envelope.mail.reverse_path = box(from);
  m.envelope.rcpts = std::move(rcpts);
  m.content = std::move(content);
  m.tag = tag;
  return m;
}

struct Dialogue {
  ClientSettings settings = [] {
    ClientSettings s;
    s.helo_name = "gw.example";
    s.tls = TlsPolicy::none;
    return s;
  }();
  std::vector<Message> messages;
  std::vector<Event> events;
  std::vector<MessageResult> results;
  std::optional<ConnectionError> error;
  StartResult last_start;

  // Everything the client has to write, as one string, marked written.
  static std::string take(ClientSession& s) {
    std::string out;
    while (s.has_output()) {
      auto v = s.output();
      out += v;
      s.wrote(v.size());
    }
    return out;
  }

  void run(ClientSession& s, const std::vector<std::string>& script) {
    std::string server, client;
    auto flush_server = [&] {
      if (!server.empty()) s.on_input(server);
      server.clear();
    };
    auto check_client = [&](std::size_t line) {
      if (client.empty()) return;
      EXPECT_EQ(take(s), client) << "client output before script line " << line;
      client.clear();
    };
    for (std::size_t i = 0; i < script.size(); ++i) {
      const std::string& l = script[i];
      ASSERT_GE(l.size(), 3u) << l;
      const std::string tag = l.substr(0, 3), rest = l.substr(3);
      if (tag != "C: ") check_client(i);
      if (tag != "S: " && tag != "S| ") flush_server();
      if (tag == "S: ") server += rest + "\r\n";
      else if (tag == "S| ") server += rest;
      else if (tag == "C: ") client += rest + "\r\n";
      else if (tag == "E: ") {
        auto ev = s.next_event();
        ASSERT_TRUE(ev.has_value()) << "script line " << i << ": expected event " << rest << ", got none";
        EXPECT_EQ(kind_name(ev->kind), rest) << "script line " << i << " (" << ev->error.text << ")";
        if (ev->kind == Event::Kind::message_done) results.push_back(ev->result);
        if (ev->kind == Event::Kind::failed) error = ev->error;
        events.push_back(*ev);
      } else if (l == "A: quit") {
        EXPECT_TRUE(s.quit()) << "script line " << i;
      } else if (l == "A: tls") {
        s.tls_started();
      } else if (l == "A: eof") {
        s.on_closed();
      } else if (l.rfind("A: send ", 0) == 0) {
        last_start = s.start_message(messages.at(std::stoul(l.substr(8))));
      } else if (l.rfind("A: refused ", 0) == 0) {
        EXPECT_EQ(refusal_name(last_start.refusal), l.substr(11)) << "script line " << i;
      } else {
        FAIL() << "bad script line " << l;
      }
    }
    flush_server();
    check_client(script.size());
    EXPECT_EQ(take(s), "") << "unexpected output at the end of the script";
    auto extra = s.next_event();
    EXPECT_FALSE(extra.has_value()) << "unexpected event " << (extra ? kind_name(extra->kind) : "");
  }
};

}  // namespace mixer::smtp::client::test
