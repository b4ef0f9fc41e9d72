// gateway/cli/queue.cpp: `mixer queue list|show|hold|release|retry|delete`.
// Reading is always safe (control files are only appended to); changes go
// through the daemon's control socket when a daemon owns the queue, and
// are made directly (under the queue lock) when none does.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "conf/config.hpp"
#include "gateway/cli/codec.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/control.hpp"
#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/snapshot.hpp"
#include "gateway/queue/store.hpp"
#include "gateway/queue_ops.hpp"

namespace mixer::cli {
namespace {

std::optional<conf::Config> load(const std::filesystem::path& file) {
  auto loaded = conf::load_config(file);
  for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.text().c_str());
  return loaded.config;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;  // UTF-8 passes through; other octets were never accepted
        }
    }
  }
  return out + "\"";
}

std::string time_text(std::int64_t us, bool iso) {
  std::time_t t = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  char buf[40];
  if (iso) {
    ::gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  } else {
    ::localtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S", &tm);
  }
  return buf;
}

std::string recipient_json(const queue::RecipientRecord& r) {
  std::string fallback = "[";
  for (std::size_t i = 0; i < r.fallback.size(); ++i) fallback += (i ? "," : "") + json_string(r.fallback[i]);
  fallback += "]";
  return "{\"address\":" + json_string(r.address) + ",\"or_address\":" + json_string(r.or_address) +
         ",\"channel\":" + json_string(queue::channel_name(r.channel)) + ",\"peer\":" + json_string(r.peer) +
         ",\"fallback\":" + fallback + ",\"domain\":" + json_string(r.domain) +
         ",\"next_hop\":" + json_string(queue::next_hop(r)) + ",\"form\":" + std::to_string(r.form) +
         ",\"status\":" + json_string(queue::status_name(r.status)) + ",\"attempts\":" + std::to_string(r.attempts) +
         ",\"next_attempt\":" + std::to_string(r.next_attempt) +
         ",\"next_attempt_time\":" + json_string(r.next_attempt ? time_text(r.next_attempt * 1000000, true) : "") +
         ",\"notify\":" + json_string(r.notify) +
         ",\"orcpt\":" + json_string(r.orcpt) + ",\"dsn\":" + json_string(r.dsn) +
         ",\"diagnostic\":" + json_string(r.diagnostic) + "}";
}

std::string entry_json(const queue::ControlFile& c) {
  std::string out = "{\"id\":" + json_string(c.id) + ",\"arrival\":" + json_string(time_text(c.arrival_us, true)) +
                    ",\"size\":" + std::to_string(c.size) + ",\"sender\":" + json_string(c.sender) +
                    ",\"held\":" + (c.held ? "true" : "false") + ",\"origin\":" + json_string(c.origin) +
                    ",\"client\":" + json_string(c.client) + ",\"body\":" + json_string(c.body) +
                    ",\"ret\":" + json_string(c.ret) + ",\"envid\":" + json_string(c.envid) +
                    ",\"apdu\":" + json_string(c.apdu) + ",\"peer\":" + json_string(c.peer) +
                    ",\"mts_id\":" + json_string(c.mts_id) + ",\"recipients\":[";
  for (std::size_t i = 0; i < c.recipients.size(); ++i)
    out += (i ? "," : "") + recipient_json(c.recipients[i]);
  return out + "]}";
}

// The sender column: the reverse-path, or what a P1 entry is and whence.
std::string origin_text(const queue::ControlFile& c) {
  if (!c.apdu.empty())
    return "(P1 " + c.apdu + (c.peer.empty() ? std::string(", ") + c.origin : " from MTA " + c.peer) + ")";
  return c.sender.empty() ? "MAILER-DAEMON" : c.sender;
}

std::string recipient_text(const queue::RecipientRecord& r) {
  if (r.address.empty() && r.channel == queue::Channel::p1) return "MTA " + r.peer;
  return r.address;
}

// "p1 via mta-b (then mta-c), form 1, deferred, 3 attempts, next Thu Dec  3 12:00:00"
std::string recipient_route(const queue::RecipientRecord& r) {
  std::string out = queue::channel_name(r.channel);
  if (r.channel != queue::Channel::local) out += " via " + queue::next_hop(r);
  if (!r.fallback.empty()) {
    out += " (then";
    for (std::size_t i = 0; i < r.fallback.size(); ++i) out += (i ? ", " : " ") + r.fallback[i];
    out += ")";
  }
  out += ", form " + std::to_string(r.form) + ", " + queue::status_name(r.status);
  if (r.attempts) out += ", " + std::to_string(r.attempts) + (r.attempts == 1 ? " attempt" : " attempts");
  if (r.status == queue::RecipientStatus::deferred)
    out += r.next_attempt ? ", next " + time_text(r.next_attempt * 1000000, false) : ", next now";
  return out;
}

// ARG is a queue ID, an MTS identifier (RFC 2156 §5.3 text, as `queue list`
// shows it: of a P1 entry, or of a converted form) or a Message-ID
// ("<...>", of a converted form); nullopt (and a message) if none or
// several entries match.
std::optional<std::string> resolve_id(const queue::Store& store, const std::string& arg, std::string& why) {
  if (queue::is_queue_id(arg)) return arg;
  std::vector<std::string> found;
  for (const auto& id : store.list_ids()) {
    auto c = store.read(id);
    if (!c) continue;
    bool match = !c->mts_id.empty() && c->mts_id == arg;
    for (const auto& f : c->forms) match = match || f.mts_id == arg || (!f.message_id.empty() && f.message_id == arg);
    if (match) found.push_back(id);
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    why = "'" + arg + "' is neither a queue ID nor the MTS identifier or Message-ID of a queued message";
  } else {
    why = std::to_string(found.size()) + " entries have the identifier " + arg + ":";
    for (const auto& id : found) why += " " + id;
  }
  return std::nullopt;
}

}  // namespace

int queue_list(const std::filesystem::path& file, bool json) {
  auto config = load(file);
  if (!config) return 2;
  queue::Store store(config->queue.directory);
  std::vector<queue::ControlFile> entries;
  for (const auto& id : store.list_ids())
    if (auto c = store.read(id)) entries.push_back(std::move(*c));  // skips entries removed meanwhile
  if (json) {
    std::string out = "[";
    for (std::size_t i = 0; i < entries.size(); ++i) out += (i ? ",\n" : "\n") + entry_json(entries[i]);
    std::printf("%s\n]\n", out.c_str());
    return 0;
  }
  if (entries.empty()) {
    std::printf("Mail queue is empty\n");
    return 0;
  }
  std::printf("-Queue ID-   --Size-- ----Arrival Time---- -Sender/Recipient-------\n");
  std::uint64_t total = 0;
  for (const auto& c : entries) {
    total += c.size;
    std::printf("%s%c %8llu %-20s %s\n", c.id.c_str(), c.held ? '!' : ' ',
                static_cast<unsigned long long>(c.size), time_text(c.arrival_us, false).c_str(),
                origin_text(c).c_str());
    for (const auto& r : c.recipients) {
      std::printf("%43s%s (%s)\n", "", recipient_text(r).c_str(), recipient_route(r).c_str());
      if (!r.diagnostic.empty())
        std::printf("%43s(%s%s%s)\n", "", r.dsn.c_str(), r.dsn.empty() ? "" : " ", r.diagnostic.c_str());
    }
    std::printf("\n");
  }
  std::printf("-- %llu Kbytes in %zu Request%s.\n", static_cast<unsigned long long>((total + 1023) / 1024),
              entries.size(), entries.size() == 1 ? "" : "s");
  return 0;
}

int queue_show(const std::filesystem::path& file, const std::string& arg) {
  auto config = load(file);
  if (!config) return 2;
  queue::Store store(config->queue.directory);
  std::string why;
  auto resolved = resolve_id(store, arg, why);
  if (!resolved) {
    std::fprintf(stderr, "mixer: %s\n", why.c_str());
    return 1;
  }
  const std::string id = *resolved;
  auto c = store.read(id, &why);
  if (!c) {
    std::fprintf(stderr, "mixer: %s: %s\n", id.c_str(), why.c_str());
    return 1;
  }
  std::printf("*** ENVELOPE RECORDS %s ***\n", c->id.c_str());
  std::printf("arrival_time: %s\n", time_text(c->arrival_us, true).c_str());
  std::printf("message_size: %llu\n", static_cast<unsigned long long>(c->size));
  std::printf("origin: %s client=%s helo=%s protocol=%s%s%s\n", c->origin.c_str(), c->client.c_str(),
              c->helo.c_str(), c->protocol.c_str(), c->tls.empty() ? "" : " tls=", c->tls.c_str());
  std::printf("sender: %s\n", c->sender.c_str());
  if (!c->apdu.empty()) std::printf("mts_apdu: %s\n", c->apdu.c_str());
  if (!c->peer.empty()) std::printf("peer_mta: %s\n", c->peer.c_str());
  if (!c->mts_id.empty()) std::printf("mts_identifier: %s\n", c->mts_id.c_str());
  if (!c->body.empty()) std::printf("body: %s\n", c->body.c_str());
  if (!c->ret.empty()) std::printf("dsn_ret: %s\n", c->ret.c_str());
  if (!c->envid.empty()) std::printf("dsn_envid: %s\n", c->envid.c_str());
  std::printf("held: %s\n", c->held ? "yes" : "no");
  for (const auto& r : c->recipients) {
    std::printf("recipient: %s channel=%s next_hop=%s", recipient_text(r).c_str(), queue::channel_name(r.channel),
                queue::next_hop(r).c_str());
    if (!r.fallback.empty()) {
      std::string list;
      for (const auto& f : r.fallback) list += (list.empty() ? "" : ",") + f;
      std::printf(" fallback=%s", list.c_str());
    }
    std::printf(" form=%zu status=%s attempts=%u", r.form, queue::status_name(r.status), r.attempts);
    if (r.next_attempt) std::printf(" next_attempt=%s", time_text(r.next_attempt * 1000000, true).c_str());
    if (!r.or_address.empty()) std::printf(" or=%s", r.or_address.c_str());
    if (!r.notify.empty()) std::printf(" notify=%s", r.notify.c_str());
    if (!r.orcpt.empty()) std::printf(" orcpt=%s", r.orcpt.c_str());
    if (!r.dsn.empty()) std::printf(" dsn=%s", r.dsn.c_str());
    if (!r.diagnostic.empty()) std::printf(" diag=(%s)", r.diagnostic.c_str());
    std::printf("\n");
  }
  for (const auto& r : c->records) std::printf("history: %s", queue::encode_record(r).c_str());
  std::printf("*** MESSAGE CONTENTS %s ***\n", c->id.c_str());
  std::fflush(stdout);
  const std::string content = store.content(id).value_or(std::string());
  if (c->apdu.empty()) {
    std::cout << content;
  } else {
    // The APDU as `mixer decode` shows it (leniently: it is what a peer sent),
    // then its octets: offset, 16 octets in hex, their printable characters.
    DecodeOptions decode;
    decode.data = content;
    decode.lenient = true;
    std::ostringstream why;
    if (decode_command(decode, std::cout, why) != 0) std::printf("(not decodable: %s)\n", why.str().c_str());
    std::cout.flush();
    std::printf("*** MESSAGE OCTETS %s ***\n", c->id.c_str());
    for (std::size_t offset = 0; offset < content.size(); offset += 16) {
      const std::size_t n = std::min<std::size_t>(16, content.size() - offset);
      const char* buf = content.data() + offset;
      std::printf("%08zx ", offset);
      for (std::size_t i = 0; i < 16; ++i)
        i < n ? std::printf(" %02x", static_cast<unsigned char>(buf[i])) : std::printf("   ");
      std::printf("  ");
      for (std::size_t i = 0; i < n; ++i) std::putchar(buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.');
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  std::cout << "*** END OF MESSAGE ***\n";
  return 0;
}

int queue_change(const std::filesystem::path& file, const std::string& op_name, const std::string& arg) {
  auto config = load(file);
  if (!config) return 2;
  auto op = gateway::parse_queue_op(op_name);
  if (!op) return 2;
  std::string why;
  auto resolved = resolve_id(queue::Store(config->queue.directory), arg, why);
  if (!resolved) {
    std::fprintf(stderr, "mixer: %s\n", why.c_str());
    return 2;
  }
  const std::string id = *resolved;
  if (auto answer = gateway::control_request(config->control.socket, op_name + " " + id)) {
    const bool ok = answer->rfind("ok ", 0) == 0;
    std::fprintf(ok ? stdout : stderr, "%s\n", answer->substr(answer->find(' ') + 1).c_str());
    return ok ? 0 : 1;
  }
  // No daemon answered: work on the files, holding the lock so that a
  // daemon cannot start underneath us.
  queue::Store store(config->queue.directory);
  if (!std::filesystem::exists(config->queue.directory / "msg")) {
    std::fprintf(stderr, "mixer: %s: no such message in the queue\n", id.c_str());
    return 1;
  }
  if (!store.lock()) {
    std::fprintf(stderr, "mixer: a daemon owns the queue but its control socket %s does not answer\n",
                 config->control.socket.c_str());
    return 1;
  }
  // The change is in the entry's file only: a snapshot of the last clean shutdown
  // would no longer describe it.
  if (auto ec = store.forget_snapshot()) {
    std::fprintf(stderr, "mixer: cannot remove the start-up snapshot: %s\n", ec.message().c_str());
    return 1;
  }
  auto result = gateway::apply_queue_op(store, nullptr, *op, id);
  std::fprintf(result.ok ? stdout : stderr, "%s\n", result.message.c_str());
  return result.ok ? 0 : 1;
}

int queue_flush(const std::filesystem::path& file) {
  auto config = load(file);
  if (!config) return 2;
  auto answer = gateway::control_request(config->control.socket, "flush");
  if (!answer) {
    std::fprintf(stderr, "mixer: no daemon answers on %s: nothing to flush\n", config->control.socket.c_str());
    return 1;
  }
  const bool ok = answer->rfind("ok ", 0) == 0;
  std::fprintf(ok ? stdout : stderr, "%s\n", answer->substr(answer->find(' ') + 1).c_str());
  return ok ? 0 : 1;
}

int queue_verify_snapshot(const std::filesystem::path& file) {
  auto config = load(file);
  if (!config) return 2;
  std::string why;
  std::size_t adopted = 0;
  bool touch_log = false;
  auto differ = queue::snapshot_mismatches(config->queue.directory, why, &adopted, &touch_log);
  if (!differ) {
    std::fprintf(stderr, "mixer: the start-up snapshot would not be used: %s\n", why.c_str());
    return 2;
  }
  for (const auto& d : *differ) std::printf("%s\n", d.c_str());
  std::printf("verify-snapshot: %zu entries would be taken from the snapshot (%s), %zu differ "
              "from their files\n",
              adopted, touch_log ? "those not in queue/touched, no file checked" : "files checked", differ->size());
  return differ->empty() ? 0 : 1;
}

}  // namespace mixer::cli
