// gateway/control.cpp: the control socket, server and client.
#include "gateway/control.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cerrno>
#include <cstring>

#include "gateway/log.hpp"

namespace mixer::gateway {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;
using local = asio::local::stream_protocol;

constexpr std::size_t kMaxRequest = 512;

ControlServer::ControlServer(asio::io_context& io, std::filesystem::path path, Handler handler)
    : io_(io), path_(std::move(path)), handler_(std::move(handler)), acceptor_(asio::make_strand(io)) {
  std::error_code fec;
  std::filesystem::create_directories(path_.parent_path(), fec);
  ::chmod(path_.parent_path().c_str(), 0700);
  ::unlink(path_.c_str());  // stale from a daemon that died; we hold the queue lock
  boost::system::error_code ec;
  acceptor_.open(local(), ec);
  if (!ec) acceptor_.bind(local::endpoint(path_.string()), ec);
  if (!ec) acceptor_.listen(16, ec);
  if (ec) throw std::system_error(ec, "cannot listen on control socket " + path_.string());
  ::chmod(path_.c_str(), 0600);
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

ControlServer::~ControlServer() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  ::unlink(path_.c_str());
}

void ControlServer::close() {
  ::unlink(path_.c_str());
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
}

asio::awaitable<void> ControlServer::accept_loop() {
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(as_tuple(use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;
    }
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> ControlServer::serve(local::socket socket) {
  std::string request;
  // A client that sends nothing is dropped after 10 seconds.
  asio::steady_timer deadline(io_, std::chrono::seconds(10));
  deadline.async_wait([&socket](boost::system::error_code ec) {
    if (!ec) {
      boost::system::error_code ignored;
      socket.cancel(ignored);
    }
  });
  auto [ec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(request, kMaxRequest), '\n',
                                                 as_tuple(use_awaitable));
  deadline.cancel();
  if (ec) co_return;
  request.resize(n - 1);
  std::string answer = handler_(request) + "\n";
  co_await asio::async_write(socket, asio::buffer(answer), as_tuple(use_awaitable));
}

std::optional<std::string> control_request(const std::filesystem::path& path, const std::string& request) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string line = request + "\n";
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    ::close(fd);
    return std::nullopt;
  }
  std::string answer;
  char buf[512];
  while (true) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r <= 0) break;
    answer.append(buf, static_cast<std::size_t>(r));
  }
  ::close(fd);
  if (answer.empty()) return std::nullopt;
  if (answer.back() == '\n') answer.pop_back();
  return answer;
}

}  // namespace mixer::gateway
