// gateway/log.hpp: one line per event, in the manner of Postfix
// ("mixer/smtpd[pid]: 0JA1B2C3D4E: from=<a@b>, size=10240, nrcpt=1"), to
// stderr; in journal format each line carries a <N> syslog priority prefix
// that journald (and systemd's stderr capture) understands.
// Thread-safe: a line is written with a single write(2).
#pragma once

#include <string_view>

#include "conf/config.hpp"

namespace mixer::gateway {

void configure_log(conf::LogLevel level, conf::LogFormat format);
bool log_enabled(conf::LogLevel level);
// `facility` names the part that speaks: smtpd, queue, p1, master, control.
void log_line(conf::LogLevel level, std::string_view facility, std::string_view text);

inline void log_info(std::string_view facility, std::string_view text) {
  log_line(conf::LogLevel::info, facility, text);
}
inline void log_warning(std::string_view facility, std::string_view text) {
  log_line(conf::LogLevel::warning, facility, text);
}
inline void log_error(std::string_view facility, std::string_view text) {
  log_line(conf::LogLevel::error, facility, text);
}

}  // namespace mixer::gateway
