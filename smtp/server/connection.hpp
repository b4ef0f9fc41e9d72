// smtp/server/connection.hpp: one SMTP connection: a coroutine that feeds
// the I/O-free ServerSession from the socket, and a watchdog that enforces
// the idle and total deadlines (in the manner of Asio's timeout_watchdog
// example). Everything of one connection runs on its strand (the socket's
// executor); request_shutdown and force_close must be posted there.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "smtp/proto/lines.hpp"
#include "smtp/proto/session.hpp"
#include "smtp/server/hooks.hpp"
#include "smtp/server/transport.hpp"

namespace mixer::smtp::server {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, Hooks& hooks, std::shared_ptr<const Settings> settings,
             std::string peer);

  boost::asio::awaitable<void> run();
  // The connection's strand: everything of it runs there.
  boost::asio::any_io_executor executor() { return timer_.get_executor(); }
  // Drain: an idle session gets 421 now, a busy one after its transaction.
  void request_shutdown();
  void force_close();

 private:
  enum class Ended { no, peer_closed, timeout, shutdown, error };

  boost::asio::awaitable<void> serve();
  boost::asio::awaitable<void> watchdog();
  boost::asio::awaitable<bool> fill();  // reads more input; false if the session must end
  boost::asio::awaitable<bool> flush();
  boost::asio::awaitable<bool> receive_data();
  boost::asio::awaitable<bool> start_tls();
  void note_refusal(const proto::Step& step, std::string_view command);
  std::string_view unread() const { return {in_.data() + begin_, end_ - begin_}; }
  void consume(std::size_t n) { begin_ += n; }

  Transport transport_;
  Hooks& hooks_;
  std::shared_ptr<const Settings> settings_;
  std::unique_ptr<proto::SessionPolicy> policy_;
  proto::ServerSession session_;
  proto::CommandLineReader lines_;
  std::string peer_;
  std::vector<char> in_;
  std::size_t begin_ = 0, end_ = 0;
  std::string out_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_, session_end_;
  Ended ended_ = Ended::no;
  bool closed_ = false;
  bool waiting_for_command_ = false;
  bool shutdown_requested_ = false;
  std::string last_command_;  // for "lost connection after X" log lines
};

}  // namespace mixer::smtp::server
