// gateway/own_reports.cpp: see the header.
#include "gateway/own_reports.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <initializer_list>
#include <span>

#include "gateway/enqueue.hpp"
#include "gateway/log.hpp"
#include "gateway/own_dsn.hpp"
#include "gateway/own_x400_report.hpp"
#include "gateway/p1_intake.hpp"
#include "gateway/submit.hpp"
#include "mapping/engine.hpp"
#include "smtp/client/proto/data_writer.hpp"
#include "p1/mts/mts.hpp"

namespace mixer::gateway {

namespace {

using Added = std::function<void(const queue::ControlFile& report)>;
using Done = std::function<void(const std::string& error)>;

// The entry's content as the MTS-APDU it was received as (judged when it was taken:
// upper bounds not checked again), or nullopt.
std::optional<p1::mts::MtsApdu> received_apdu(QueueParts queue, const std::string& id) {
  auto content = queue.store.content(id);
  if (!content) return std::nullopt;
  p1::mts::Limits limits;
  limits.upper_bounds = false;
  auto apdu = p1::mts::decode_mts_apdu(
      p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(content->data()), content->size()), limits);
  if (!apdu) return std::nullopt;
  return std::move(*apdu);
}

// The report's entry under `id`: `octets` as its content (the parts in order), the
// submit stage's forms and states when `routed` is given, then the one path into the queue.
OwnReport queue_entry(QueueParts queue, const std::string& id, queue::ControlFile control,
                      std::initializer_list<std::string_view> octets, Submission* routed, Added added, Done done) {
  std::error_code ec;
  auto draft = queue.store.begin(id, ec);
  if (!draft) {
    done("cannot start the report's queue entry: " + ec.message());
    return OwnReport::queuing;
  }
  for (auto part : octets) draft->append(part);
  enqueue(queue, std::move(draft), std::move(control), routed, {},
          [added = std::move(added), done = std::move(done)](const queue::ControlFile& entry, const std::string& error) {
            if (error.empty()) added(entry);
            done(error);
          });
  return OwnReport::queuing;
}

// An X.400 originator's report (gateway/own_x400_report): routed by the
// submit stage as any received report is (a P1 route to the originator, or a
// DSN when the originator is on the Internet), then queued.
OwnReport queue_own_x400_report(const Runtime& rt, QueueParts queue, const queue::ControlFile& original,
                        std::function<void(const queue::ControlFile& report)> added,
                        std::function<void(const std::string& error)> done) {
  auto apdu = received_apdu(queue, original.id);
  if (!apdu || std::holds_alternative<p1::mts::Report>(*apdu)) return OwnReport::kept;
  const auto now = std::chrono::system_clock::now();
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::string id = queue.ids.next(now_us);
  const auto& config = rt.config;
  OwnX400ReportInput in;
  in.entry = &original;
  if (const auto* m = std::get_if<p1::mts::Message>(&*apdu)) in.subject = m;
  else in.subject = &std::get<p1::mts::Probe>(*apdu);
  in.domain.country = addressing::Text::of(config.gateway.country);
  in.domain.admd = addressing::Text::of(config.gateway.admd);
  if (!config.gateway.prmd.empty()) in.domain.prmd = addressing::Text::of(config.gateway.prmd);
  in.report_local_id = id;
  in.now = now_us / 1000000;
  auto report = own_x400_report(in);
  if (!report) {
    // Failed recipients that are not the received APDU's (mixer p1-submit's): the operator's.
    for (const auto& r : original.recipients)
      if (r.status == queue::RecipientStatus::failed) return OwnReport::kept;
    return OwnReport::not_due;
  }
  std::size_t delivered = 0, failed = 0;
  for (const auto& f : report->content.per_recipient_fields)
    ++(std::holds_alternative<p1::mts::DeliveryReport>(f.last_trace_information.report_type) ? delivered : failed);

  mapping::Clock clock;
  clock.now = std::chrono::time_point_cast<std::chrono::seconds>(now);
  Submission routed = submit_p1(rt, *report, clock);
  const p1::mts::MtsApdu as_apdu(std::move(*report));
  auto encoded = p1::mts::encode_mts_apdu(as_apdu);
  if (!encoded) {
    log_warning("qmgr", original.id + ": its non-delivery report does not encode: " + encoded.error().what);
    return OwnReport::kept;
  }
  queue::ControlFile control;
  control.arrival_us = now_us;
  control.origin = "report";
  control.client = "[local]";
  control.protocol = "local";
  control.apdu = "report";
  if (auto text = mts_identifier_text(as_apdu)) control.mts_id = std::move(*text);
  for (const auto& n : routed.notes) log_info("submit", id + ": " + n);
  log_info("qmgr", original.id + ": report " + id + " to the X.400 originator: " + std::to_string(delivered) +
                       " delivered, " + std::to_string(failed) + " not delivered");
  return queue_entry(queue, id, std::move(control),
                     {std::string_view(reinterpret_cast<const char*>(encoded->data()), encoded->size())}, &routed,
                     std::move(added), std::move(done));
}

// A header field value on one line: CR, LF and other controls as spaces, at most `max` octets.
std::string one_line(std::string_view v, std::size_t max) {
  std::string out;
  for (char c : v.substr(0, max)) out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  return out;
}

// The RFC 5322 form of a failed report: its DSN (received, or the gateway's own
// conversion of an X.400 report, RFC 2156 §5.3.8), else a short text saying what it was.
std::optional<std::string> report_as_message(const Runtime& rt, QueueParts queue, const queue::ControlFile& failed) {
  if (failed.apdu.empty()) return queue.store.content(failed.id);  // a DSN or MDN as received
  for (std::size_t f = 0; f < failed.forms.size(); ++f)
    if (failed.forms[f].kind == queue::FormRecord::Kind::rfc822) return queue.store.form(failed.id, f + 1);
  auto content = queue.store.content(failed.id);
  if (!content) return std::nullopt;  // unreadable: kept for the operator
  p1::mts::Limits limits;
  limits.upper_bounds = false;
  auto apdu = p1::mts::decode_mts_apdu(
      p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(content->data()), content->size()), limits);
  if (apdu && std::holds_alternative<p1::mts::Report>(*apdu))
    if (auto dsn = mapping::report_to_internet(std::get<p1::mts::Report>(*apdu), mapping_context(rt, std::chrono::system_clock::now())))
      return std::move(dsn->content);
  return "From: " + rt.config.gateway.postmaster + "\r\nTo: " + rt.config.gateway.postmaster +
         "\r\nSubject: undeliverable X.400 report " + one_line(failed.mts_id, 200) +
         "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
         "An X.400 report that does not convert to a DSN could not be delivered.\r\n"
         "Its queue entry was " + failed.id + "; mixer decode shows such an APDU.\r\n";
}

// An X.400 report that could not be delivered, to the X.400 postmaster
// (gateway.x400_postmaster): the same report with that report-destination-name, routed
// by the submit stage as any report is (a P1 route, or a DSN when it maps to the
// Internet); origin "postmaster", so that it is not sent on again if it fails too.
std::optional<OwnReport> queue_to_x400_postmaster(const Runtime& rt, QueueParts queue, const queue::ControlFile& failed,
                                                  std::function<void(const queue::ControlFile& report)>& added,
                                                  std::function<void(const std::string& error)>& done) {
  if (!rt.x400_postmaster || failed.apdu != "report") return std::nullopt;
  auto apdu = received_apdu(queue, failed.id);
  if (!apdu || !std::holds_alternative<p1::mts::Report>(*apdu)) return std::nullopt;
  auto& report = std::get<p1::mts::Report>(*apdu);
  report.envelope.report_destination_name = p1::mts::OrName{};
  report.envelope.report_destination_name.address = *rt.x400_postmaster;
  auto encoded = p1::mts::encode_mts_apdu(*apdu);
  if (!encoded) return std::nullopt;
  mapping::Clock clock;
  clock.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  Submission routed = submit_p1(rt, report, clock);
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string id = queue.ids.next(now_us);
  queue::ControlFile control;
  control.arrival_us = now_us;
  control.origin = "postmaster";
  control.client = "[local]";
  control.protocol = "P1";
  control.apdu = "report";
  control.mts_id = failed.mts_id;
  for (const auto& n : routed.notes) log_info("submit", id + ": " + n);
  log_info("qmgr", failed.id + ": undeliverable X.400 report, sent to the X.400 postmaster " + rt.config.gateway.x400_postmaster +
                       " as " + id);
  return queue_entry(queue, id, std::move(control),
                     {std::string_view(reinterpret_cast<const char*>(encoded->data()), encoded->size())}, &routed,
                     std::move(added), std::move(done));
}

// RFC 3461 §6.2 / issue 15: a report that cannot be delivered is never reported on; it
// goes, once, to the gateway's postmaster (the local channel's Maildir, or by SMTP when
// gateway.postmaster is elsewhere), with what went wrong in X-Mixer-Undelivered fields.
OwnReport queue_to_postmaster(const Runtime& rt, QueueParts queue, const queue::ControlFile& failed,
                              std::function<void(const queue::ControlFile& report)> added,
                              std::function<void(const std::string& error)> done) {
  if (auto sent = queue_to_x400_postmaster(rt, queue, failed, added, done)) return *sent;
  auto message = report_as_message(rt, queue, failed);
  if (!message) return OwnReport::kept;
  std::string fields;
  for (const auto& r : failed.recipients)
    if (r.status == queue::RecipientStatus::failed)
      fields += "X-Mixer-Undelivered: " + one_line(r.address.empty() ? r.or_address : r.address, 300) + "; " +
                one_line(r.dsn, 20) + "; " + one_line(r.diagnostic, 400) + "\r\n";
  const auto& config = rt.config;
  const std::string& postmaster = config.gateway.postmaster;
  const auto at = postmaster.rfind('@');
  std::string domain = at == std::string::npos ? config.gateway.domain : postmaster.substr(at + 1);
  std::transform(domain.begin(), domain.end(), domain.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto lower = [](std::string v) {
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return v;
  };
  const bool ours = domain == lower(config.gateway.domain) || domain == lower(config.smtp.hostname);
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  queue::ControlFile control;
  control.arrival_us = now_us;
  control.origin = "postmaster";
  control.client = "[local]";
  control.protocol = "local";
  control.body = smtp::client::has_eight_bit(std::span<const std::string_view>(std::array<std::string_view, 1>{*message}))
                     ? "8BITMIME" : "7BIT";
  queue::RecipientRecord r;
  r.address = postmaster;
  r.channel = ours ? queue::Channel::local : queue::Channel::smtp;
  r.domain = ours ? "" : domain;
  r.notify = "NEVER";
  control.recipients.push_back(std::move(r));
  log_info("qmgr", failed.id + ": undeliverable report, sent to the postmaster <" + postmaster + ">");
  return queue_entry(queue, queue.ids.next(now_us), std::move(control), {fields, *message}, nullptr, std::move(added),
                     std::move(done));
}

}  // namespace

OwnReport queue_own_report(const Runtime& rt, QueueParts queue, const std::string& id, mapping::DsnAction action,
                           const std::vector<std::size_t>& delayed, std::int64_t will_retry_until,
                           std::function<void(const queue::ControlFile& report)> added,
                           std::function<void(const std::string& error)> done) {
  auto original = queue.store.read(id);
  if (!original) return OwnReport::kept;
  if ((original->apdu == "message" || original->apdu == "probe") && action == mapping::DsnAction::failed)
    return queue_own_x400_report(rt, queue, *original, std::move(added), std::move(done));
  // A report that failed: never a report about a report, but once to the postmaster
  // (not what was already the postmaster's copy).
  const bool is_report = original->apdu == "report" || (original->apdu.empty() && original->sender.empty());
  if (is_report && action == mapping::DsnAction::failed && original->origin != "postmaster")
    return queue_to_postmaster(rt, queue, *original, std::move(added), std::move(done));
  // X.400 delays (no X.411 report says "delayed"), the postmaster's copies: nothing to send.
  if (!original->apdu.empty() || original->sender.empty()) return OwnReport::kept;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  OwnDsnInput in;
  in.entry = &*original;
  in.action = action;
  if (action == mapping::DsnAction::failed) {
    for (const auto& r : original->recipients)
      if (r.status == queue::RecipientStatus::failed) in.recipients.push_back(r.index);
    // None failed: those relayed to a next hop without DSN get their "relayed" (RFC 3461 §4.2).
    if (in.recipients.empty()) {
      in.action = mapping::DsnAction::relayed;
      for (const auto& r : original->recipients)
        if (r.status == queue::RecipientStatus::delivered && r.delivery_report) in.recipients.push_back(r.index);
      if (in.recipients.empty()) return OwnReport::not_due;
    }
  } else {
    in.recipients = delayed;
    in.will_retry_until = will_retry_until;
  }
  if (in.recipients.empty()) return OwnReport::kept;
  const auto content = queue.store.content(id);
  if (!content) return OwnReport::kept;
  in.content = *content;
  const auto& config = rt.config;
  in.reporting_mta = config.smtp.hostname.empty() ? config.gateway.domain : config.smtp.hostname;
  in.postmaster = config.gateway.postmaster.empty() ? "postmaster@" + config.gateway.domain : config.gateway.postmaster;
  in.now = now_us / 1000000;
  auto dsn = own_dsn(in);
  if (!dsn) return OwnReport::not_due;

  // The report's entry: MAIL FROM:<>, one recipient over SMTP, never a report about it.
  queue::ControlFile control;
  control.arrival_us = now_us;
  control.origin = "report";
  control.protocol = "local";
  control.body = dsn->eight_bit ? "8BITMIME" : "7BIT";
  queue::RecipientRecord r;
  r.address = dsn->rcpt;
  r.channel = queue::Channel::smtp;
  const auto at = dsn->rcpt.rfind('@');
  r.domain = at == std::string::npos ? config.gateway.domain : dsn->rcpt.substr(at + 1);
  std::transform(r.domain.begin(), r.domain.end(), r.domain.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  r.notify = "NEVER";
  control.recipients.push_back(std::move(r));
  return queue_entry(queue, queue.ids.next(now_us), std::move(control), {dsn->octets}, nullptr, std::move(added),
                     std::move(done));
}

}  // namespace mixer::gateway
