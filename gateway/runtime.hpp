// gateway/runtime.hpp: the daemon's current configuration and what is
// derived from it (SMTP settings, TLS context), swapped as one immutable
// snapshot on SIGHUP. Sessions keep the snapshot they started with.
#pragma once

#include <memory>
#include <mutex>

#include "conf/config.hpp"
#include "smtp/server/hooks.hpp"

namespace mixer::gateway {

struct Runtime {
  conf::Config config;
  std::shared_ptr<const smtp::server::Settings> smtp;
};

// Builds a snapshot; throws std::runtime_error if, e.g., the TLS key does
// not match its certificate.
std::shared_ptr<const Runtime> make_runtime(conf::Config config);

class RuntimeHolder {
 public:
  explicit RuntimeHolder(std::shared_ptr<const Runtime> r) : current_(std::move(r)) {}
  std::shared_ptr<const Runtime> get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void set(std::shared_ptr<const Runtime> r) {
    std::lock_guard lock(mutex_);
    current_ = std::move(r);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Runtime> current_;
};

}  // namespace mixer::gateway
