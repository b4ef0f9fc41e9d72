// gateway/smtp_delivery.cpp: the SMTP channel's deliverer (see smtp_delivery.hpp).
#include "gateway/smtp_delivery.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>

#include <mutex>

#include "bodyparts/seven_bit.hpp"
#include "gateway/log.hpp"
#include "gateway/smtp_out.hpp"

namespace mixer::gateway {

namespace asio = boost::asio;
namespace client = smtp::client;

namespace {

// The client for one configuration snapshot.
struct Client {
  std::shared_ptr<const Runtime> runtime;
  std::shared_ptr<client::Resolver> resolver;
  std::shared_ptr<client::Deliverer> deliverer;
};

std::shared_ptr<Client> make_client(std::shared_ptr<const Runtime> rt) {
  auto c = std::make_shared<Client>();
  c->runtime = rt;
  c->resolver = std::make_shared<client::Resolver>(smtp_resolver_settings(rt->config));
  c->deliverer = std::make_shared<client::Deliverer>(
      smtp_client_settings(rt->config), c->resolver, [](client::LogLevel level, const std::string& line) {
        log_line(level == client::LogLevel::error     ? conf::LogLevel::error
                 : level == client::LogLevel::warning ? conf::LogLevel::warning
                 : level == client::LogLevel::info    ? conf::LogLevel::info
                                                      : conf::LogLevel::debug,
                 "smtp", line);
      });
  return c;
}

bool same_outbound(const conf::Config& a, const conf::Config& b) {
  return a.smtp.routes == b.smtp.routes && a.smtp.resolver == b.smtp.resolver && a.smtp.mx_port == b.smtp.mx_port &&
         a.smtp.helo_name == b.smtp.helo_name && a.smtp.out == b.smtp.out;
}

std::string reply_text(const smtp::proto::Reply& r) {
  std::string text = std::to_string(r.code) + (r.enhanced.empty() ? "" : " " + r.enhanced);
  for (std::size_t i = 0; i < r.lines.size(); ++i) text += (i ? " " : " ") + r.lines[i];
  return text;
}

// RFC 6152 §3: the 7-bit form of an 8-bit message for a server without 8BITMIME, under
// the body part limits of the mapping (mapping.body_parts, mapping.limits.max_nesting).
std::function<client::SevenBitForm()> seven_bit_maker(std::shared_ptr<const qmgr::SmtpMessage> message,
                                                      const conf::MappingConfig& mapping) {
  bodyparts::SevenBitLimits limits;
  const auto& bp = mapping.body_parts;
  limits.body = {bp.max_parts, static_cast<std::size_t>(bp.max_part_header_size), static_cast<std::size_t>(bp.max_part_size)};
  limits.max_nesting = mapping.limits.max_nesting;
  return [message, limits] {
    client::SevenBitForm form;
    auto converted = bodyparts::seven_bit_form(message->content, limits);
    if (converted) {
      log_info("smtp", message->id + ": the 7-bit form for a server without 8BITMIME: " +
                           std::to_string(message->content.size()) + " -> " + std::to_string(converted->size()) +
                           " octets");
      form.content = std::move(*converted);
    } else {
      const auto& r = converted.error();
      log_info("smtp", message->id + ": no 7-bit form for a server without 8BITMIME: " + r.text());
      form.refusal = smtp::proto::Reply(r.smtp_code, r.enhanced_status, r.smtp_text());
    }
    return form;
  };
}

// What a probe's recipient came to (RFC 2156 Appendix A §1, §5.3.9), for its status
// record and so the report's supplementary information.
std::string probe_text(const std::string& address, qmgr::Outcome outcome, const client::RecipientOutcome& o,
                       const std::string& relay) {
  const std::string said = "VRFY at " + relay + " answered " + reply_text(o.reply);
  if (outcome != qmgr::Outcome::delivered) return "probe: <" + address + ">: " + said;
  const bool verified = o.reply.code / 100 == 2;
  return "probe: would be delivered to <" + address + "> by SMTP (RFC 2156 section 5.3.9): " +
         (verified ? said : "not verified, " + said);
}

// The delivery's outcome as the scheduler's job result.
qmgr::JobResult job_result(const qmgr::SmtpMessage& m, const client::DeliveryResult& d) {
  qmgr::JobResult out;
  out.relay = d.relay;
  bool connected = d.relay != "none" && !d.relay.empty();
  bool any_permanent = false;
  for (std::size_t i = 0; i < m.recipients.size(); ++i) {
    qmgr::RecipientResult r;
    r.rcpt = m.recipients[i].rcpt;
    if (i < d.recipients.size()) {
      const auto& o = d.recipients[i];
      r.outcome = o.kind == client::RecipientOutcome::Kind::delivered ? qmgr::Outcome::delivered
                  : o.kind == client::RecipientOutcome::Kind::failed  ? qmgr::Outcome::failed
                                                                      : qmgr::Outcome::deferred;
      any_permanent |= r.outcome != qmgr::Outcome::deferred;
      r.dsn = o.reply.enhanced.empty()
                  ? (r.outcome == qmgr::Outcome::delivered ? "2.0.0" : r.outcome == qmgr::Outcome::failed ? "5.0.0" : "4.0.0")
                  : o.reply.enhanced;
      r.text = reply_text(o.reply);
      if (m.verify_only) r.text = probe_text(m.recipients[i].address, r.outcome, o, d.relay);
      r.report_due = o.relayed_dsn_due;  // RFC 3461 §4.2: NOTIFY=SUCCESS not passed on
      if (d.sent_seven_bit && r.outcome == qmgr::Outcome::delivered) r.text += " (sent as its 7-bit form, RFC 6152 section 3)";
    } else {
      r.outcome = qmgr::Outcome::deferred;
      r.dsn = "4.3.0";
      r.text = "no outcome from the SMTP client";
    }
    out.recipients.push_back(std::move(r));
  }
  // Nothing reached a server and nothing is final: the next hop is unreachable (defer, with the reason).
  if (!connected && !any_permanent) {
    out.connection = qmgr::JobResult::Connection::unreachable;
    out.text = d.detail;
  }
  return out;
}

}  // namespace

qmgr::SmtpDeliverer make_smtp_deliverer(asio::io_context& io, RuntimeHolder& runtime) {
  struct State {
    std::mutex mutex;
    std::shared_ptr<Client> client;
  };
  auto state = std::make_shared<State>();
  state->client = make_client(runtime.get());  // throws at start-up, as documented
  RuntimeHolder* holder = &runtime;
  return [&io, state, holder](qmgr::SmtpMessage m, std::function<void(qmgr::JobResult)> done) {
    std::shared_ptr<Client> c;
    {
      std::lock_guard lock(state->mutex);
      auto rt = holder->get();
      if (state->client->runtime != rt && !same_outbound(state->client->runtime->config, rt->config)) {
        try {
          state->client = make_client(rt);
        } catch (const std::exception& e) {
          log_error("smtp", std::string("outbound SMTP settings after the reload not usable, keeping the old: ") + e.what());
        }
      }
      c = state->client;
    }
    auto message = std::make_shared<qmgr::SmtpMessage>(std::move(m));
    // The client's message: the form's envelope and the content (viewed, kept alive by `message`).
    queue::FormRecord form;
    form.sender = message->sender;
    form.body = message->body;
    form.ret = message->ret;
    form.envid = message->envid;
    std::vector<OutboundRecipient> rcpts;
    for (const auto& r : message->recipients) rcpts.push_back({r.address, r.notify, r.orcpt});
    std::string why;
    auto outbound = outbound_message(message->domain, form, rcpts, message->content, why);
    if (!outbound) {
      qmgr::JobResult r;
      for (const auto& rcpt : message->recipients)
        r.recipients.push_back({rcpt.rcpt, qmgr::Outcome::failed, "5.3.0", "the queue entry cannot be sent: " + why});
      return done(std::move(r));
    }
    auto out = std::make_shared<client::OutboundMessage>(std::move(*outbound));
    out->verify_only = message->verify_only;
    if (out->eight_bit) out->seven_bit = seven_bit_maker(message, c->runtime->config.mapping);
    asio::co_spawn(
        asio::make_strand(io),
        [c, message, out]() -> asio::awaitable<client::DeliveryResult> { co_return co_await c->deliverer->deliver(*out); },
        [c, message, out, done](std::exception_ptr e, client::DeliveryResult result) {
          if (e) {
            qmgr::JobResult r;
            r.connection = qmgr::JobResult::Connection::unreachable;
            r.text = "internal error in the SMTP client";
            try {
              std::rethrow_exception(e);
            } catch (const std::exception& ex) {
              r.text += std::string(": ") + ex.what();
            } catch (...) {
            }
            return done(std::move(r));
          }
          done(job_result(*message, result));
        });
  };
}

}  // namespace mixer::gateway
