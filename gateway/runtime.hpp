// gateway/runtime.hpp: the daemon's current configuration and what is
// derived from it (SMTP settings, TLS context, the loaded MCGAM tables and
// the gateway's identity), swapped as one immutable snapshot on SIGHUP.
// Sessions keep the snapshot they started with.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "addressing/mapping.hpp"
#include "conf/config.hpp"
#include "smtp/server/hooks.hpp"

namespace mixer::gateway {

struct Runtime {
  conf::Config config;
  std::shared_ptr<const smtp::server::Settings> smtp;
  addressing::MappingContext addressing;
  std::optional<addressing::OrAddress> x400_postmaster;  // gateway.x400_postmaster, parsed
};

struct RuntimeBuild {
  std::shared_ptr<const Runtime> runtime;  // set only when errors is empty
  std::vector<std::string> errors;         // "FILE:LINE: key 'a.b': ..." or a table's "FILE:LINE: ..."
};

// Builds a snapshot: loads the TLS certificate and key, the gateway's O/R
// address and every mapping table the config names.
RuntimeBuild make_runtime(conf::Config config);

// Only the addressing part (for `mixer map`, which needs no TLS).
RuntimeBuild make_addressing_runtime(conf::Config config);

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
