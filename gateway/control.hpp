// gateway/control.hpp: the daemon's control socket (a unix stream socket,
// mode 0600 in a 0700 directory), one request line and one answer line per
// connection:
//   "hold ID" | "release ID" | "retry ID" | "delete ID" | "flush" | "stats"
//   | "p1-submit PEER FILE"
//   -> "ok TEXT" | "error TEXT"
// The CLI uses it so that queue changes made while the daemon runs go
// through the daemon, which owns the queue.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace mixer::gateway {

class ControlServer {
 public:
  using Handler = std::function<std::string(const std::string& request)>;
  ControlServer(boost::asio::io_context& io, std::filesystem::path path, Handler handler);
  ~ControlServer();
  // Stops accepting (from any thread).
  void close();

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::local::stream_protocol::socket socket);

  boost::asio::io_context& io_;
  std::filesystem::path path_;
  Handler handler_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
};

// Sends one request; nullopt if no daemon listens at `path`.
std::optional<std::string> control_request(const std::filesystem::path& path, const std::string& request);

}  // namespace mixer::gateway
