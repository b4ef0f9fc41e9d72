// gateway/p1_intake.cpp: MTS-APDUs -> queue entries (see p1_intake.hpp).
#include "gateway/p1_intake.hpp"

#include "addressing/message_id.hpp"
#include "gateway/enqueue.hpp"
#include "gateway/log.hpp"
#include "gateway/queue/format/crc32c.hpp"
#include "gateway/queue/format/transfer_journal_format.hpp"
#include "gateway/submit.hpp"
#include "p1/ber/reader.hpp"
#include "p1/mts/mts.hpp"

namespace mixer::gateway {

namespace pa = p1::association;
namespace ber = p1::ber;

namespace {
base::Refusal protocol_violation(std::string why) {
  return base::make_refusal(554, "5.5.0", base::reason::unable_to_transfer, base::diagnostic::protocol_violation,
                            "X.419", std::move(why));
}
}  // namespace

base::Expected<std::string> mts_apdu_kind(ber::ByteView apdu, const ber::Limits& limits) {
  std::optional<std::string> kind;
  auto error = ber::decode(apdu, limits, [&](ber::Reader& r) {
    auto h = r.peek();
    if (!h) return;
    static const char* const names[] = {"message", "report", "probe"};  // [0], [1], [2]
    if (h->tag.cls != ber::TagClass::context || h->tag.number > 2 || !h->constructed) {
      r.fail(ber::Errc::unexpected_tag, "not an MTS-APDU: " + ber::to_string(h->tag) +
                                            " is none of message [0], report [1], probe [2]");
      return;
    }
    r.skip();  // the outer length is checked against the input (nested ones where indefinite)
    r.end();
    if (r.ok()) kind = names[h->tag.number];
  });
  if (error) return protocol_violation(error->what + " (at octet " + std::to_string(error->offset) + ")");
  if (!kind) return protocol_violation("an empty MTS-APDU");
  return *kind;
}

base::Expected<std::string> mts_identifier_text(ber::ByteView apdu) {
  p1::mts::Limits limits;
  limits.upper_bounds = false;  // what a peer sent: identify it, judge it later
  auto decoded = p1::mts::decode_mts_apdu(apdu, limits);
  if (!decoded) return protocol_violation(decoded.error().what);
  return mts_identifier_text(*decoded);
}

base::Expected<std::string> mts_identifier_text(const p1::mts::MtsApdu& apdu) {
  struct Identifier {
    const p1::mts::MtsIdentifier& operator()(const p1::mts::Message& m) const { return m.envelope.message_identifier; }
    const p1::mts::MtsIdentifier& operator()(const p1::mts::Report& r) const { return r.envelope.report_identifier; }
    const p1::mts::MtsIdentifier& operator()(const p1::mts::Probe& p) const { return p.probe_identifier; }
  };
  const p1::mts::MtsIdentifier& id = std::visit(Identifier{}, apdu);
  auto text = addressing::format_mts_msg_id(addressing::MtsIdentifier{id.global_domain_identifier, id.local_identifier});
  if (!text) return protocol_violation(text.error().message);
  return std::move(*text);
}

void P1Intake::keep(queue::ControlFile control, ber::ByteView content, Done done, Submission* submitted,
                    const TransferKey* key) {
  auto rt = runtime_.get();
  if (auto full = queue_full(rt->config.queue, queue_.index, content.size())) return done("", *full);
  std::error_code ec;
  const std::string id = queue_.ids.next(now_us());
  auto draft = queue_.store.begin(id, ec);
  if (!draft) return done("", "cannot create queue entry " + id + ": " + ec.message());
  draft->append(std::string_view(reinterpret_cast<const char*>(content.data()), content.size()));
  control.id = id;
  control.arrival_us = now_us();
  if (submitted)
    for (const auto& n : submitted->notes) log_info("submit", id + ": " + n);
  TransferJournal* journal = key && journal_ ? journal_ : nullptr;
  BeforeCommit record;
  if (journal) {
    // Known once durable (the D record after the commit): a retransmission is then confirmed, not queued.
    record = [journal, key = *key](const queue::ControlFile& entry, bool want_fd) {
      std::error_code jec;
      int fd = journal->record(key, entry.id, now_us() / 1000000, jec, want_fd);
      if (jec)
        log_warning("p1", entry.id + ": not recorded in the transfer journal (" + jec.message() +
                              "): a retransmission of it would be queued again");
      return fd;
    };
  }
  auto outbound = on_outbound_;
  enqueue(queue_, std::move(draft), std::move(control), submitted, std::move(record),
          [done = std::move(done), outbound, journal](const queue::ControlFile& entry, const std::string& error) {
            if (!error.empty()) {
              if (journal) journal->cancel(entry.id);
              return done("", entry.id + ": " + error);
            }
            if (journal)
              if (auto ec = journal->committed(entry.id))
                log_warning("p1", entry.id + ": its P1 transfer journal record not marked durable (" + ec.message() +
                                      "): after a crash once it is delivered, a retransmission would be queued again");
            if (!entry.recipients.empty() && outbound) outbound(entry);
            done(entry.id, "");
          });
}

void P1Intake::on_apdu(pa::InboundApdu in, std::function<void(bool)> done) {
  auto rt = runtime_.get();
  ber::Limits limits;
  limits.max_size = rt->config.p1.max_apdu_size;
  auto kind = mts_apdu_kind(in.apdu, limits);
  const std::string who = "p1 assoc=" + std::to_string(in.association) + " peer=" + in.peer + "[" + in.address + "]";
  if (!kind) {
    log_warning("p1", who + ": transfer refused: " + kind.error().text());
    return done(false);
  }
  queue::ControlFile c;
  c.origin = "p1";
  c.client = "[" + in.address + "]";
  c.protocol = "P1";
  c.peer = in.peer;
  c.apdu = *kind;
  // Decoded once: for the identifier and for the submit stage.
  p1::mts::Limits decode_limits;
  decode_limits.upper_bounds = false;  // what a peer sent: identify it, judge it later
  auto decoded = p1::mts::decode_mts_apdu(in.apdu, decode_limits);
  std::optional<Submission> submitted;
  if (!decoded) {
    log_warning("p1", who + ": " + *kind + " kept as received, but it does not decode as X.411: " +
                          protocol_violation(decoded.error().what).text());
  } else {
    if (auto id = mts_identifier_text(*decoded)) c.mts_id = std::move(*id);
    mapping::Clock clock;
    clock.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    // The recipients we relayed to the peer now sending them back loop (submit judges).
    const std::int64_t now = now_us() / 1000000;
    std::optional<Returned> returned;
    if (journal_ && !c.mts_id.empty())
      returned = Returned{in.peer, [this, &in, &c, now](const std::string& recipient) {
                            return journal_->sent_to(in.peer, c.mts_id, recipient, now);
                          }};
    const Returned* back = returned ? &*returned : nullptr;
    submitted = std::visit(
        [&](const auto& apdu) {
          if constexpr (std::is_same_v<std::decay_t<decltype(apdu)>, p1::mts::Report>)
            return submit_p1(*rt, apdu, clock, queue_.correlations, back);  // correlated (§5.3.8.3)
          else
            return submit_p1(*rt, apdu, clock, back);
        },
        *decoded);

  }
  const std::size_t size = in.apdu.size();
  const std::string mts = c.mts_id.empty() ? "" : ", mts-id=" + c.mts_id;
  // Exactly once: the same APDU taken before (our confirmation was lost) is confirmed again, not queued.
  std::optional<TransferKey> key;
  if (journal_ && !c.mts_id.empty() && c.mts_id.size() <= queue::JournalLimits{}.max_mts_id) {
    key = TransferKey{c.mts_id, size, queue::crc32c(0, std::string_view(reinterpret_cast<const char*>(in.apdu.data()), size))};
    auto duplicate = [who, kind = *kind, mts, size](const std::string& first) {
      log_info("p1", who + ": " + kind + mts + ", size=" + std::to_string(size) + ": duplicate of " + first +
                         ", confirmed without queueing it again");
    };
    // Under the lock that settles a copy in flight (after the journal has its commit): one
    // of the two answers.
    std::unique_lock lock(in_flight_->mutex);
    if (auto first = journal_->find(*key, now_us() / 1000000)) {
      lock.unlock();
      duplicate(*first);
      return done(true);
    }
    auto [it, first_copy] = in_flight_->waiting.try_emplace(key->text());
    if (!first_copy) {
      // Its first copy is being committed: confirmed with it, or refused if that fails
      // (the peer sends it again later; nothing is lost).
      it->second.push_back([done, duplicate, who](const std::string& first) {
        if (first.empty()) {
          log_warning("p1", who + ": its first copy could not be kept: this one is refused too");
          return done(false);
        }
        duplicate(first);
        done(true);
      });
      return;
    }
  }
  // Answers the copies that came while this one was being kept, with its outcome.
  auto settle = [in_flight = in_flight_, k = key ? key->text() : std::string()](const std::string& id) {
    if (k.empty()) return;
    std::vector<std::function<void(const std::string&)>> waiting;
    {
      std::lock_guard lock(in_flight->mutex);
      auto it = in_flight->waiting.find(k);
      if (it == in_flight->waiting.end()) return;
      waiting = std::move(it->second);
      in_flight->waiting.erase(it);
    }
    for (auto& w : waiting) w(id);
  };
  keep(std::move(c), in.apdu, [done, who, kind = *kind, size, mts, settle](const std::string& id, const std::string& error) {
    if (id.empty()) {
      log_error("p1", who + ": " + kind + " of " + std::to_string(size) + " octets not kept: " + error);
      settle("");
      return done(false);
    }
    log_info("queue", id + ": " + who + ", apdu=" + kind + mts + ", size=" + std::to_string(size) + " (queue active)");
    settle(id);
    done(true);
  }, submitted ? &*submitted : nullptr, key ? &*key : nullptr);
}

void P1Intake::submit(const std::string& peer, ber::Bytes apdu, Done done) {
  auto rt = runtime_.get();
  const auto* p = rt->config.p1.peer(peer);
  if (!p) return done("", "no peer MTA '" + peer + "' in the p1.peers table");
  if (p->host.empty()) return done("", "peer MTA '" + peer + "' has no host: it is inbound only");
  ber::Limits limits;
  limits.max_size = rt->config.p1.max_apdu_size;
  auto kind = mts_apdu_kind(apdu, limits);
  if (!kind) return done("", kind.error().text());
  queue::ControlFile c;
  c.origin = "submit";
  c.client = "[local]";
  c.protocol = "P1";
  c.apdu = *kind;
  if (auto id = mts_identifier_text(apdu)) c.mts_id = std::move(*id);
  queue::RecipientRecord r;
  r.channel = queue::Channel::p1;
  r.peer = peer;
  c.recipients.push_back(r);
  const std::size_t size = apdu.size();
  const std::string mts = c.mts_id.empty() ? "" : ", mts-id=" + c.mts_id;
  keep(std::move(c), apdu, [done, peer, kind = *kind, size, mts](const std::string& id, const std::string& error) {
    if (!id.empty())
      log_info("queue", id + ": submitted for peer " + peer + ", apdu=" + kind + mts + ", size=" + std::to_string(size) +
                            " (queue active)");
    done(id, error);
  });
}

}  // namespace mixer::gateway
