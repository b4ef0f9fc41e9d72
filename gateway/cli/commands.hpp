// gateway/cli/commands.hpp: the subcommands of the `mixer` binary. Each
// returns the process exit status: 0 success, 1 the operation failed,
// 2 bad usage or bad configuration.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mixer::cli {

struct P1PingArgs {
  std::string address;                 // HOST:PORT; empty: the configured peer's
  std::string mta;                     // ours; empty: gateway.mta_name
  std::optional<std::string> password; // ours
  std::string peer;                    // expected responder name (and configured peer)
  std::optional<std::string> peer_password;
  std::string mode = "1988";
  std::string tsap;                    // called TSAP selector (text or hex:..)
  bool octet_password = false;
  double timeout_seconds = 30;
};

int check_config(const std::filesystem::path& file);
int queue_list(const std::filesystem::path& file, bool json);
int queue_show(const std::filesystem::path& file, const std::string& id);
// ADDRESS empty or "-": batch, one address per line on stdin, TSV out.
int map_address(const std::filesystem::path& file, const std::string& address, const std::string& to,
                const std::string& role, bool explain);
int p1_ping(const std::filesystem::path& file, const P1PingArgs& args);
int p1_submit(const std::filesystem::path& file, const std::string& peer, const std::vector<std::string>& files);
int queue_flush(const std::filesystem::path& file);
int queue_change(const std::filesystem::path& file, const std::string& op, const std::string& id);
// Every entry a start would take from queue/snapshot, compared with its file (reads only).
int queue_verify_snapshot(const std::filesystem::path& file);

}  // namespace mixer::cli
