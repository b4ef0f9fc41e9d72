// gateway/own_reports.cpp: see the header.
#include "gateway/own_reports.hpp"

#include <algorithm>
#include <chrono>

#include "gateway/enqueue.hpp"
#include "gateway/own_dsn.hpp"

namespace mixer::gateway {

OwnReport queue_own_report(const Runtime& rt, QueueParts queue, const std::string& id, mapping::DsnAction action,
                           const std::vector<std::size_t>& delayed, std::int64_t will_retry_until,
                           std::function<void(const queue::ControlFile& report)> added,
                           std::function<void(const std::string& error)> done) {
  auto original = queue.store.read(id);
  if (!original || !original->apdu.empty() || original->sender.empty()) return OwnReport::kept;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  OwnDsnInput in;
  in.entry = &*original;
  in.action = action;
  if (action == mapping::DsnAction::failed) {
    for (const auto& r : original->recipients)
      if (r.status == queue::RecipientStatus::failed) in.recipients.push_back(r.index);
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
  std::error_code ec;
  auto draft = queue.store.begin(queue.ids.next(now_us), ec);
  if (!draft) {
    done("cannot start the report's queue entry: " + ec.message());
    return OwnReport::queuing;
  }
  draft->append(dsn->octets);
  enqueue(queue, std::move(draft), std::move(control), nullptr, {},
          [added = std::move(added), done = std::move(done)](const queue::ControlFile& entry, const std::string& error) {
            if (error.empty()) added(entry);
            done(error);
          });
  return OwnReport::queuing;
}

}  // namespace mixer::gateway
