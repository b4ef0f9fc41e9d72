// gateway/qmgr/smtp_channel.cpp: the outbound SMTP channel (see smtp_channel.hpp).
#include "gateway/qmgr/smtp_channel.hpp"

#include <boost/asio/post.hpp>

namespace mixer::qmgr {

namespace asio = boost::asio;

SmtpChannel::SmtpChannel(Strand strand, queue::Store& store, SmtpDeliverer deliverer, SmtpLimits limits)
    : strand_(std::move(strand)), store_(store), deliverer_(std::move(deliverer)), limits_(limits) {}

void SmtpChannel::start(Job job, Completion done) {
  if (stopping_) return;
  auto defer_all = [&](const std::string& why) {
    JobResult r;
    for (auto idx : job.rcpts) r.recipients.push_back(RecipientResult{idx, Outcome::deferred, "4.3.0", why});
    asio::post(strand_, [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
  };
  if (!deliverer_) return defer_all("outbound SMTP delivery is not configured");
  std::string why;
  SmtpMessage m;
  // The control file and the form in one read of the entry.
  auto entry = store_.read(job.id, job.form, m.content, &why);
  if (!entry) return defer_all("cannot read " + queue::form_file_name(job.form) + " with its control file: " + why);
  m.id = job.id;
  m.domain = job.hop;
  m.mts_id = job.mts_id;
  // A probe's recipients are verified (RFC 2156 Appendix A §1): its content is the
  // probe's BER, never sent, and VRFY needs no envelope.
  m.verify_only = entry->apdu == "probe" && job.form == 0;
  if (m.verify_only) {
    m.content.clear();
  } else {
    if (job.form == 0) {
      m.sender = entry->sender;
      m.body = entry->body;
      m.ret = entry->ret;
      m.envid = entry->envid;
    } else if (job.form <= entry->forms.size()) {
      const auto& f = entry->forms[job.form - 1];
      m.sender = f.sender;
      m.body = f.body;
      m.ret = f.ret;
      m.envid = f.envid;
      m.message_id = f.message_id;
    }
  }
  for (auto idx : job.rcpts) {
    if (idx >= entry->recipients.size()) continue;
    const auto& r = entry->recipients[idx];
    m.recipients.push_back(SmtpMessage::Recipient{idx, r.address, r.notify, r.orcpt});
  }
  ++running_;
  // The deliverer may answer from any thread: back onto the strand.
  deliverer_(std::move(m), [this, done = std::move(done)](JobResult r) mutable {
    asio::post(strand_, [this, done = std::move(done), r = std::move(r)]() mutable {
      done(std::move(r));
      finished();
    });
  });
}

void SmtpChannel::finished() {
  if (running_) --running_;
  if (stopping_ && running_ == 0 && drained_) std::exchange(drained_, nullptr)();
}

void SmtpChannel::stop(std::function<void()> drained) {
  stopping_ = true;
  if (running_ == 0) return drained();
  drained_ = std::move(drained);
}

std::string SmtpChannel::stats() const {
  return std::string(" smtp_out=") + (deliverer_ ? std::to_string(running_) : std::string("not-configured"));
}

}  // namespace mixer::qmgr
