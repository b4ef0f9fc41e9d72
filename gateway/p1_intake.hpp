// gateway/p1_intake.hpp: P1 in, queue out. Each MTS-APDU an association
// receives (and each one `mixer p1-submit` hands over) becomes a queue entry
// through the same Draft + group-commit Committer as SMTP mail; the
// transfer is confirmed to the sending MTA only once the entry is durable
// (X.411 §12.2.1: responsibility passes with the confirmation). Trusts the
// association for the APDU's framing and checks the APDU's outer tag itself.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/refusal.hpp"
#include "gateway/intake.hpp"
#include "p1/association/responder.hpp"
#include "gateway/submit.hpp"
#include "gateway/transfer_journal.hpp"
#include "p1/mts/types.hpp"

namespace mixer::gateway {

// X.419 MTS-APDU ::= CHOICE { message [0], probe [2], report [1] } (IMPLICIT
// TAGS): "message", "probe" or "report" for a well-formed BER value of one
// of them, else the refusal (X.411 unable-to-transfer / protocol-violation,
// 554 5.5.0 as RFC 2156 §5.3.8.2 pairs them) naming what is wrong and where.
base::Expected<std::string> mts_apdu_kind(p1::ber::ByteView apdu, const p1::ber::Limits& limits);

// The APDU's MTS identifier (message, report or probe identifier) as RFC
// 2156 §5.3 text, "[/PRMD=ALPHA/ADMD=TEST/C=GB/;local]", or the refusal
// when the APDU does not decode as X.411.
base::Expected<std::string> mts_identifier_text(p1::ber::ByteView apdu);
base::Expected<std::string> mts_identifier_text(const p1::mts::MtsApdu& apdu);

class P1Intake {
 public:
  // on_outbound: called (from the committer's thread) with each durable entry for a peer.
  // `journal` (may be null: no duplicate suppression) records what the responder took.
  P1Intake(RuntimeHolder& runtime, QueueParts queue, std::function<void(const queue::ControlFile&)> on_outbound,
           TransferJournal* journal = nullptr)
      : runtime_(runtime), queue_(queue), on_outbound_(std::move(on_outbound)), journal_(journal) {}

  // The responder's handler: keeps the APDU, then done(true); done(false) if it cannot.
  void on_apdu(p1::association::InboundApdu apdu, std::function<void(bool durable)> done);

  // `mixer p1-submit`: keeps `apdu` for transfer to `peer`, then done(ID);
  // done("", why) if it was refused or could not be kept.
  void submit(const std::string& peer, p1::ber::Bytes apdu,
              std::function<void(const std::string& id, const std::string& error)> done);

 private:
  using Done = std::function<void(const std::string& id, const std::string& error)>;
  void keep(queue::ControlFile control, p1::ber::ByteView content, Done done, Submission* submitted = nullptr,
            const TransferKey* key = nullptr);

  // The APDUs being kept now, by TransferKey::text(): the same APDU sent again while
  // its first copy is still being committed (the peer, restarted, did not wait for our
  // confirmation) waits for that commit and is then confirmed as its duplicate, instead
  // of being queued a second time (the journal answers only for committed ones).
  struct InFlight {
    std::mutex mutex;
    // Called with the first copy's queue ID once it is durable, or "" when it failed.
    std::unordered_map<std::string, std::vector<std::function<void(const std::string& id)>>> waiting;
  };

  RuntimeHolder& runtime_;
  QueueParts queue_;
  std::function<void(const queue::ControlFile&)> on_outbound_;
  TransferJournal* journal_;
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
};

}  // namespace mixer::gateway
