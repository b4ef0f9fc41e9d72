// gateway/own_dsn.cpp: see the header.
#include "gateway/own_dsn.hpp"

#include <algorithm>
#include <chrono>
#include <span>

#include "imf/date_time.hpp"
#include "smtp/client/proto/data_writer.hpp"
#include "smtp/proto/syntax.hpp"

namespace mixer::gateway {
namespace {

using mapping::DsnAction;

// RFC 5322 §3.3 date-time of unix seconds, in UTC.
std::string date_of(std::int64_t t) {
  const std::chrono::sys_seconds at{std::chrono::seconds(t)};
  const auto days = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{at - days};
  imf::DateTime d;
  d.year = static_cast<int>(ymd.year());
  d.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  d.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  d.hour = static_cast<int>(hms.hours().count());
  d.minute = static_cast<int>(hms.minutes().count());
  d.second = static_cast<int>(hms.seconds().count());
  auto s = imf::format_date_time(d);
  return s ? *s : "Thu, 1 Jan 1970 00:00:00 +0000";
}

// Printable US-ASCII for a report's text (a diagnostic may hold anything a peer said).
std::string ascii(std::string_view s, std::size_t max = 400) {
  std::string out;
  for (char c : s.substr(0, max)) {
    const auto u = static_cast<unsigned char>(c);
    out += u >= 32 && u < 127 ? c : u == '\t' ? ' ' : '?';
  }
  return out;
}

// The header section of a message (up to its first empty line), with CRLF line ends.
std::string_view header_section(std::string_view content) {
  const auto crlf = content.find("\r\n\r\n");
  if (crlf != std::string_view::npos) return content.substr(0, crlf + 2);
  return content;  // no body: all of it is header
}

// "type;xtext" of an RFC 3461 ORCPT as RFC 3464 §2.3.1 writes it (the address decoded).
std::optional<mapping::TypedValue> original_recipient(std::string_view orcpt) {
  const auto semi = orcpt.find(';');
  if (semi == std::string_view::npos || semi == 0) return std::nullopt;
  auto decoded = smtp::proto::decode_xtext(orcpt.substr(semi + 1));
  if (!decoded) return std::nullopt;
  return mapping::TypedValue{std::string(orcpt.substr(0, semi)), ascii(*decoded, 900)};
}

}  // namespace

bool wants_report(const queue::RecipientRecord& r, DsnAction action) {
  if (r.notify.empty()) return action == DsnAction::failed || action == DsnAction::delayed;
  std::string n = r.notify;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto has = [&](std::string_view word) {
    for (std::size_t at = 0; at <= n.size();) {
      std::size_t end = n.find(',', at);
      if (end == std::string::npos) end = n.size();
      if (std::string_view(n).substr(at, end - at) == word) return true;
      at = end + 1;
    }
    return false;
  };
  if (has("NEVER")) return false;
  switch (action) {
    case DsnAction::failed: return has("FAILURE");
    case DsnAction::delayed: return has("DELAY");
    case DsnAction::delivered:
    case DsnAction::relayed:
    case DsnAction::expanded: return has("SUCCESS");
  }
  return false;
}

std::optional<OwnDsn> own_dsn(const OwnDsnInput& in) {
  const auto& e = *in.entry;
  if (e.sender.empty()) return std::nullopt;  // a report about a report: never
  OwnDsn out;
  out.rcpt = e.sender;
  for (std::size_t i : in.recipients)
    if (i < e.recipients.size() && wants_report(e.recipients[i], in.action)) out.reported.push_back(i);
  if (out.reported.empty()) return std::nullopt;
  const bool failed = in.action == DsnAction::failed;
  const bool relayed = in.action == DsnAction::relayed;  // RFC 3461 §4.2: to a next hop without DSN
  const char first = failed ? '5' : relayed ? '2' : '4';

  // The message/delivery-status part (RFC 3464 §2).
  mapping::DeliveryStatusNotification dsn;
  if (!e.envid.empty())
    if (auto id = smtp::proto::decode_xtext(e.envid)) dsn.per_message.original_envelope_id = ascii(*id, 100);
  dsn.per_message.reporting_mta = {"dns", in.reporting_mta};
  dsn.per_message.arrival_date = date_of(e.arrival_us / 1000000);
  std::string listing;
  for (std::size_t i : out.reported) {
    const auto& r = e.recipients[i];
    mapping::PerRecipientDsnFields f;
    if (!r.orcpt.empty()) f.original_recipient = original_recipient(r.orcpt);
    f.final_recipient = {"rfc822", ascii(r.address, 900)};
    f.action = in.action;
    f.status = mapping::valid_status_code(r.dsn) && r.dsn[0] == first ? r.dsn : std::string(1, first) + ".0.0";
    if (r.channel == queue::Channel::p1 && !r.peer.empty()) f.remote_mta = mapping::TypedValue{"x400", ascii(r.peer, 200)};
    if (!r.diagnostic.empty())
      f.diagnostic_code = mapping::TypedValue{r.channel == queue::Channel::p1 ? "x400" : "smtp", ascii(r.diagnostic)};
    f.last_attempt_date = date_of(in.now);
    if (!failed && !relayed && in.will_retry_until) f.will_retry_until = date_of(in.will_retry_until);
    listing += "<" + ascii(r.address, 900) + ">: " + f.status + (r.diagnostic.empty() ? "" : " " + ascii(r.diagnostic)) + "\r\n";
    dsn.recipients.push_back(std::move(f));
  }

  // The returned content (RFC 3461 §4.3, RFC 6522 §3): all of it unless RET=HDRS or too
  // large; only a failure returns it whole (RFC 3461 §4.3: RET applies to "failed" DSNs;
  // a delay or relay notice carries the header, as Postfix's do).
  const bool headers_only = e.ret == "HDRS" || in.content.size() > in.max_returned || !failed;
  const std::string_view returned = headers_only ? header_section(in.content) : in.content;
  out.eight_bit = smtp::client::has_eight_bit(std::span<const std::string_view>(&returned, 1));

  std::string boundary = "=_mixer_dsn_" + e.id;
  while (in.content.find(boundary) != std::string_view::npos) boundary += "_";
  const std::string subject = failed    ? "Delivery Status Notification (Failure)"
                              : relayed ? "Delivery Status Notification (Relayed)"
                                        : "Delivery Status Notification (Delay)";
  std::string& m = out.octets;
  m += "From: Mail Delivery System <" + in.postmaster + ">\r\n";
  m += "To: <" + ascii(e.sender, 900) + ">\r\n";
  m += "Subject: " + subject + "\r\n";
  m += "Date: " + date_of(in.now) + "\r\n";
  const auto at = in.postmaster.rfind('@');
  m += "Message-ID: <" + e.id + "." + std::to_string(in.now) + (failed ? ".failed" : relayed ? ".relayed" : ".delayed") + "@" +
       (at == std::string::npos ? in.reporting_mta : in.postmaster.substr(at + 1)) + ">\r\n";
  m += "Auto-Submitted: auto-replied\r\n";  // RFC 3834 §5
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"" + boundary + "\"\r\n\r\n";
  m += "This is a MIME-encapsulated message.\r\n\r\n";
  // The human-readable part (RFC 6522 §3, its first part).
  m += "--" + boundary + "\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Description: Notification\r\n\r\n";
  m += "This is the mail gateway at " + ascii(in.reporting_mta, 200) + ".\r\n\r\n";
  if (failed) {
    m += "Your message could not be delivered to the recipients below. The reasons\r\n"
         "follow each address; the delivery status and your message";
    m += headers_only ? "'s header are attached.\r\n\r\n" : " are attached.\r\n\r\n";
  } else if (relayed) {
    m += "Your message was delivered to the recipients below to a mail server that\r\n"
         "does not return delivery notifications: you will not be told when it\r\n"
         "reaches them.\r\n\r\n";
  } else {
    m += "Your message has not been delivered yet to the recipients below. The\r\n"
         "gateway will keep trying";
    m += in.will_retry_until ? " until " + date_of(in.will_retry_until) : std::string();
    m += "; you do not need to send it again.\r\n\r\n";
  }
  m += listing;
  m += "\r\n--" + boundary + "\r\nContent-Type: message/delivery-status\r\nContent-Description: Delivery report\r\n\r\n";
  m += mapping::write_delivery_status(dsn);
  m += "\r\n--" + boundary + "\r\n";
  if (headers_only) {
    m += std::string("Content-Type: text/rfc822-headers\r\nContent-Description: ") +
         (relayed ? "Relayed" : failed ? "Undelivered" : "Delayed") + " message header\r\n";
  } else {
    m += "Content-Type: message/rfc822\r\nContent-Description: Undelivered message\r\n";
  }
  if (out.eight_bit) m += "Content-Transfer-Encoding: 8bit\r\n";
  m += "\r\n";
  m.append(returned);
  if (!returned.empty() && returned.substr(returned.size() - std::min<std::size_t>(2, returned.size())) != "\r\n") m += "\r\n";
  m += "\r\n--" + boundary + "--\r\n";
  return out;
}

}  // namespace mixer::gateway
