// gateway/cli/commands.hpp: the subcommands of the `mixer` binary. Each
// returns the process exit status: 0 success, 1 the operation failed,
// 2 bad usage or bad configuration.
#pragma once

#include <filesystem>
#include <string>

namespace mixer::cli {

int check_config(const std::filesystem::path& file);
int queue_list(const std::filesystem::path& file, bool json);
int queue_show(const std::filesystem::path& file, const std::string& id);
// ADDRESS empty or "-": batch, one address per line on stdin, TSV out.
int map_address(const std::filesystem::path& file, const std::string& address, const std::string& to,
                const std::string& role, bool explain);
int queue_change(const std::filesystem::path& file, const std::string& op, const std::string& id);

}  // namespace mixer::cli
