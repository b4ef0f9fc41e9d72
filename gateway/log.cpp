// gateway/log.cpp: the event log (see log.hpp).
#include "gateway/log.hpp"

#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <string>

namespace mixer::gateway {
namespace {
std::atomic<int> g_level{static_cast<int>(conf::LogLevel::info)};
std::atomic<int> g_format{static_cast<int>(conf::LogFormat::text)};

const char* level_prefix(conf::LogLevel l) {
  switch (l) {
    case conf::LogLevel::debug: return "debug: ";
    case conf::LogLevel::warning: return "warning: ";
    case conf::LogLevel::error: return "error: ";
    case conf::LogLevel::info: break;
  }
  return "";
}

int syslog_priority(conf::LogLevel l) {
  switch (l) {
    case conf::LogLevel::debug: return 7;
    case conf::LogLevel::info: return 6;
    case conf::LogLevel::warning: return 4;
    case conf::LogLevel::error: return 3;
  }
  return 6;
}
}  // namespace

void configure_log(conf::LogLevel level, conf::LogFormat format) {
  g_level = static_cast<int>(level);
  g_format = static_cast<int>(format);
}

bool log_enabled(conf::LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

void log_line(conf::LogLevel level, std::string_view facility, std::string_view text) {
  if (!log_enabled(level)) return;
  std::string line;
  line.reserve(text.size() + 80);
  if (static_cast<conf::LogFormat>(g_format.load()) == conf::LogFormat::journal) {
    line += "<" + std::to_string(syslog_priority(level)) + ">";
  } else {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    tm utc{};
    ::gmtime_r(&tv.tv_sec, &utc);
    char stamp[96];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<long>(tv.tv_usec));
    line += stamp;
  }
  line += "mixer/";
  line += facility;
  line += "[" + std::to_string(::getpid()) + "]: ";
  line += level_prefix(level);
  for (char c : text) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  std::size_t off = 0;
  while (off < line.size()) {
    ssize_t w = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
    if (w <= 0) break;
    off += static_cast<std::size_t>(w);
  }
}

}  // namespace mixer::gateway
