// gateway/qmgr/local_channel.cpp: the local channel (see local_channel.hpp).
#include "gateway/qmgr/local_channel.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <chrono>
#include <thread>

#include "gateway/queue/fd_io.hpp"

namespace mixer::qmgr {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::error_code(errno, std::generic_category()).message(); }

// "time.M<micros>P<pid>Q<n>.host" (the Maildir convention for unique names).
std::string unique_name(const std::string& host) {
  static std::atomic<unsigned long> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return std::to_string(us / 1000000) + ".M" + std::to_string(us % 1000000) + "P" + std::to_string(::getpid()) + "Q" +
         std::to_string(++counter) + "." + (host.empty() ? "mixer" : host);
}

}  // namespace

std::string deliver_to_maildir(const fs::path& dir, const std::string& unique, const std::string& return_path,
                               const std::string& delivered_to, std::string_view message) {
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    fs::create_directories(dir / sub, ec);
    if (ec) return "cannot make " + (dir / sub).string() + ": " + ec.message();
  }
  std::string text = "Return-Path: <" + return_path + ">\n";
  if (!delivered_to.empty()) text += "Delivered-To: " + delivered_to + "\n";
  text.reserve(text.size() + message.size());
  for (std::size_t i = 0; i < message.size(); ++i) {  // CRLF -> LF, as Maildir readers expect
    if (message[i] == '\r' && i + 1 < message.size() && message[i + 1] == '\n') continue;
    text.push_back(message[i]);
  }
  const fs::path tmp = dir / "tmp" / unique, fresh = dir / "new" / unique;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno_text("cannot create " + tmp.string());
  std::error_code wrote = queue::fd_io::write_all(fd, text);
  if (!wrote && ::fsync(fd) != 0) wrote = queue::fd_io::last_error();
  ::close(fd);
  if (wrote) {
    ::unlink(tmp.c_str());
    return "cannot write " + tmp.string() + ": " + wrote.message();
  }
  if (::rename(tmp.c_str(), fresh.c_str()) != 0) {
    const std::string e = errno_text("cannot move it to " + fresh.string());
    ::unlink(tmp.c_str());
    return e;
  }
  if (auto synced = queue::fd_io::sync_dir(dir / "new")) return "cannot sync " + (dir / "new").string() + ": " + synced.message();
  return {};
}

LocalChannel::LocalChannel(Strand strand, gateway::RuntimeHolder& runtime, queue::Store& store)
    : strand_(std::move(strand)), runtime_(runtime), store_(store) {}

void LocalChannel::start(Job job, Completion done) {
  if (stopping_) return;
  auto answer = [&](Outcome o, const std::string& dsn, const std::string& text) {
    JobResult r;
    r.relay = "local";
    for (auto idx : job.rcpts) r.recipients.push_back(RecipientResult{idx, o, dsn, text});
    asio::post(strand_, [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
  };
  std::string why;
  auto entry = store_.read(job.id, &why);
  if (!entry) return answer(Outcome::deferred, "4.3.0", "cannot read the control file: " + why);
  const bool apdu = job.form == 0 ? !entry->apdu.empty()
                                  : job.form > entry->forms.size() || entry->forms[job.form - 1].kind != queue::FormRecord::Kind::rfc822;
  if (apdu) return answer(Outcome::failed, "5.6.0", "an X.400 APDU, not an RFC 5322 message: not for a Maildir");
  auto content = store_.form(job.id, job.form);
  if (!content) return answer(Outcome::deferred, "4.3.0", "cannot read " + queue::form_file_name(job.form));
  const std::string sender = job.form == 0 ? entry->sender : entry->forms[job.form - 1].sender;
  std::string to;
  for (auto idx : job.rcpts)
    if (idx < entry->recipients.size()) to += (to.empty() ? "" : ", ") + entry->recipients[idx].address;
  const auto rt = runtime_.get();
  const fs::path dir = rt->config.queue.postmaster_maildir;
  const std::string name = unique_name(rt->config.smtp.hostname);
  ++running_;
  std::thread([this, dir, name, sender, to, content = std::move(*content), rcpts = job.rcpts,
               done = std::move(done)]() mutable {
    const std::string error = deliver_to_maildir(dir, name, sender, to, content);
    JobResult r;
    r.relay = "local";
    for (auto idx : rcpts)
      r.recipients.push_back(error.empty() ? RecipientResult{idx, Outcome::delivered, "2.0.0", "delivered to maildir " + (dir / "new" / name).string()}
                                           : RecipientResult{idx, Outcome::deferred, "4.3.0", error});
    asio::post(strand_, [this, done = std::move(done), r = std::move(r)]() mutable {
      done(std::move(r));
      finished();
    });
  }).detach();
}

void LocalChannel::finished() {
  if (running_) --running_;
  if (stopping_ && running_ == 0 && drained_) std::exchange(drained_, nullptr)();
}

void LocalChannel::stop(std::function<void()> drained) {
  stopping_ = true;
  if (running_ == 0) return drained();
  drained_ = std::move(drained);
}

std::string LocalChannel::stats() const { return " local_out=" + std::to_string(running_); }

}  // namespace mixer::qmgr
