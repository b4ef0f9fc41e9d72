// gateway/daemon.hpp: `mixer serve`. Owns the queue (lock, recovery,
// group commit), the listeners and the control socket; SIGTERM/SIGINT drain
// and exit 0, SIGHUP reloads the configuration (a bad one is refused and
// the old one kept).
#pragma once

#include <filesystem>

namespace mixer::gateway {

// Runs until drained; returns the process exit status.
int run_daemon(const std::filesystem::path& config_file);

}  // namespace mixer::gateway
