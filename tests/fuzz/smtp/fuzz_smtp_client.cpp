// tests/fuzz/smtp/fuzz_smtp_client.cpp: arbitrary server bytes, cut into
// arbitrary reads, through the SMTP client (smtp/client/proto/session.hpp)
// driven as its caller would: two messages, STARTTLS when asked, QUIT.
// Invariants, checked on what the client writes and against the input:
//  - no content line before a 354 reply was read (the content carries a
//    marker line; the wire may hold no more markers than 354s were sent);
//  - no more RCPT commands than recipients given, no more DATA than messages;
//  - the content always dot-stuffed (no bare "." line inside it);
//  - every started message gets exactly one message_done, with no
//    recipient left pending or accepted;
//  - after the server's end of stream the session is finished (no hang),
//    and the output stays bounded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "smtp/client/proto/session.hpp"

namespace {
using namespace mixer::smtp::client;
namespace proto = mixer::smtp::proto;

constexpr std::string_view kMarker = "MARKBODYLINE";

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// Lines of the input fed so far that are a (final or not) 354 reply line.
std::size_t count_354(std::string_view fed) {
  std::size_t n = 0;
  std::size_t start = 0;
  while (start + 3 <= fed.size()) {
    if (fed.compare(start, 3, "354") == 0) ++n;
    auto lf = fed.find('\n', start);
    if (lf == std::string_view::npos) break;
    start = lf + 1;
  }
  return n;
}

proto::RcptTo rcpt(std::string local, bool notify) {
  proto::RcptTo r;
  r.forward_path = {std::move(local), "y.example"};
  if (notify) {
    r.notify.present = r.notify.success = true;
    r.orcpt = "rfc822;" + r.forward_path.text();
  }
  return r;
}

#define CHECK(c) \
  do {           \
    if (!(c)) __builtin_trap(); \
  } while (0)
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0], cut_seed = data[1];
  std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);

  ClientSettings settings;
  settings.helo_name = "gw.example";
  settings.tls = static_cast<TlsPolicy>(flags % 3);
  settings.use_pipelining = flags & 4;
  if (flags & 8) {
    settings.limits.max_line_length = 40;
    settings.limits.max_reply_lines = 4;
    settings.limits.max_reply_size = 100;
  }

  static const std::string content_a = "Subject: a\r\n\r\n.dot\r\n" + std::string(kMarker) + "\r\n.\r\nend";
  static const std::string content_b = "\xC3\xA9\n" + std::string(kMarker) + "\n..\n";
  Message m1;
  m1.envelope.mail.reverse_path = {"a", "x.example"};
  m1.envelope.rcpts = {rcpt("u", true), rcpt("v", false), rcpt("w", true)};
  m1.content = {std::string_view(content_a).substr(0, 13), std::string_view(content_a).substr(13)};
  m1.verify_only = flags & 16;  // a probe (RFC 2156 Appendix A §1): VRFY each recipient, no transaction
  Message m2;
  m2.envelope.mail.body = proto::Body::eight_bit_mime;
  m2.envelope.mail.envid = "e1";
  m2.envelope.rcpts = {rcpt("x", true), rcpt("y", false)};
  m2.content = {content_b};
  Message m2_7bit = m2;
  m2_7bit.envelope.mail.body = proto::Body::unspecified;
  static const std::string content_b7 = "=C3=A9\n" + std::string(kMarker) + "\n..\n";
  m2_7bit.content = {content_b7};

  ClientSession s(settings);
  const Message* queue[] = {&m1, &m2};
  std::size_t next = 0, started = 0, done = 0, rcpts_given = 0;
  std::string wire;
  std::size_t fed = 0;
  uint32_t lcg = cut_seed;
  bool eof = false;
  for (std::size_t rounds = 0;; ++rounds) {
    CHECK(rounds < 4 * size + 64);
    while (auto ev = s.next_event()) {
      switch (ev->kind) {
        case Event::Kind::ready:
          if (next < 2) {
            const Message* m = queue[next++];
            auto r = s.start_message(*m);
            if (r.refusal == Refusal::needs_8bitmime) {
              m = &m2_7bit;
              r = s.start_message(*m);
            }
            CHECK(r.refusal == Refusal::none || r.refusal == Refusal::too_big);
            if (r.ok()) {
              ++started;
              rcpts_given += m->envelope.rcpts.size();
            }
            if (!r.ok() && !s.quit()) __builtin_trap();
          } else {
            CHECK(s.quit());
          }
          break;
        case Event::Kind::start_tls: s.tls_started(); break;
        case Event::Kind::message_done:
          ++done;
          CHECK(done <= started);
          for (const auto& rr : ev->result.recipients)
            CHECK(rr.status != RecipientStatus::pending && rr.status != RecipientStatus::accepted);
          break;
        case Event::Kind::failed:
        case Event::Kind::closed: CHECK(s.finished()); break;
      }
    }
    while (s.has_output()) {
      auto v = s.output();
      CHECK(!v.empty());
      // Write in odd sizes, as a socket would.
      std::size_t n = v.size() > 7 && (lcg & 1) ? v.size() / 2 : v.size();
      wire.append(v.substr(0, n));
      s.wrote(n);
      CHECK(wire.size() < (1u << 20));
    }
    CHECK(count(wire, kMarker) <= count_354(in.substr(0, fed)));
    CHECK(count(wire, "RCPT TO:") <= rcpts_given);
    CHECK(count(wire, "VRFY <") <= (m1.verify_only ? m1.envelope.rcpts.size() : 0));
    CHECK(count(wire, "\r\nDATA\r\n") + (wire.rfind("DATA\r\n", 0) == 0) <= started);
    CHECK(wire.find(std::string(kMarker) + "\r\n.\r\n") == std::string::npos);
    if (s.finished() && !s.has_events()) break;
    if (s.has_events()) continue;
    if (fed < in.size()) {
      lcg = lcg * 1103515245u + 12345u;
      std::size_t n = 1 + (lcg >> 16) % 64;
      n = std::min(n, in.size() - fed);
      s.on_input(in.substr(fed, n));
      fed += n;
    } else if (!eof) {
      eof = true;
      s.on_closed();
    } else {
      CHECK(s.finished());  // after the end of stream, nothing may wait
      break;
    }
  }
  CHECK(s.finished());
  CHECK(done == started);
  return 0;
}
