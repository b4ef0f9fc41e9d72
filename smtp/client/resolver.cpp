// smtp/client/resolver.cpp: the c-ares thread and the lookups' state (see
// resolver.hpp). Everything below `Impl::run` happens on the resolver
// thread, except `submit` and the destructor, which take the mutex.
#include "smtp/client/resolver.hpp"

#include <ares.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace mixer::smtp::client {

namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

constexpr int kClassIn = 1;   // RFC 1035 §3.2.4
constexpr int kTypeA = 1;     // RFC 1035 §3.2.2
constexpr int kTypeMx = 15;
constexpr int kTypeAaaa = 28; // RFC 3596

DnsStatus status_of(int ares_status) {
  switch (ares_status) {
    case ARES_SUCCESS: return DnsStatus::ok;
    case ARES_ENODATA: return DnsStatus::nodata;
    case ARES_ENOTFOUND: return DnsStatus::nxdomain;
    case ARES_ETIMEOUT:
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION: return DnsStatus::timeout;
    case ARES_EBADRESP:
    case ARES_EFORMERR:
    case ARES_EBADNAME: return DnsStatus::bad_answer;
    default: return DnsStatus::servfail;  // ESERVFAIL, EREFUSED, ECONNREFUSED, ENOMEM, ...
  }
}

// "192.0.2.1" or "2001:db8::1" as itself; "[192.0.2.1]" / "[IPv6:...]" too.
std::optional<std::string> ip_literal(std::string_view name) {
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
    if (name.size() > 5 && (name.substr(0, 5) == "IPv6:" || name.substr(0, 5) == "ipv6:")) name.remove_prefix(5);
  }
  std::string s(name);
  unsigned char buf[16];
  if (::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1) return s;
  return std::nullopt;
}

// An address needs no DNS: answered here, without a round trip through the
// resolver thread (a smart host given as an IP address is the common case).
std::optional<Resolution> literal_resolution(std::string_view name) {
  auto ip = ip_literal(name);
  if (!ip) return std::nullopt;
  Resolution r;
  r.hosts.push_back({*ip, 0, {*ip}});
  return r;
}

std::once_flag ares_once;

}  // namespace

struct Resolver::Impl {
  struct Lookup {
    std::string name;
    bool mx = false;
    Callback done;
    steady_clock::time_point deadline;
    int outstanding = 0;
    bool finished = false;
    MxPlan plan;
    std::vector<HostAnswer> answers;
  };
  struct Query {  // the argument of one c-ares callback
    Impl* impl;
    std::shared_ptr<Lookup> lookup;
    int host;  // -1: the MX query; else plan.hosts[host]
    int type;  // kTypeMx, kTypeA, kTypeAaaa
  };

  ResolverSettings settings;
  ares_channel channel = nullptr;
  std::thread thread;
  int wake[2] = {-1, -1};
  std::mutex mutex;                               // guards incoming and stopping
  std::deque<std::shared_ptr<Lookup>> incoming;
  bool stopping = false;
  std::list<std::shared_ptr<Lookup>> active;      // resolver thread only
  std::mt19937 random{std::random_device{}()};

  void run();
  void begin(const std::shared_ptr<Lookup>& l);
  void query(const std::shared_ptr<Lookup>& l, int host, int type);
  static void on_answer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  void answered(Query& q, int status, unsigned char* abuf, int alen);
  void after_mx(const std::shared_ptr<Lookup>& l);
  void finish(Lookup& l, Resolution r);
  void expire(steady_clock::time_point now);
};

Resolver::Resolver(ResolverSettings settings) : impl_(std::make_unique<Impl>()) {
  std::call_once(ares_once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  auto& s = impl_->settings;
  s = std::move(settings);
  ares_options opts{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
  // Each try gets a quarter of the lookup's time (at least 100 ms); two tries per server.
  opts.timeout = static_cast<int>(std::max<long long>(100, s.timeout.count() / 4));
  opts.tries = 2;
  opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_EDNS;
  mask |= ARES_OPT_EDNSPSZ;
  opts.ednspsz = static_cast<int>(std::min<std::size_t>(s.limits.max_answer_size, 4096));
  if (int rc = ares_init_options(&impl_->channel, &opts, mask); rc != ARES_SUCCESS)
    throw std::runtime_error(std::string("cannot start the DNS resolver (c-ares): ") + ares_strerror(rc));
  if (s.server) {
    const std::string csv = s.server->text();
    if (int rc = ares_set_servers_ports_csv(impl_->channel, csv.c_str()); rc != ARES_SUCCESS) {
      ares_destroy(impl_->channel);
      throw std::runtime_error("bad DNS server " + csv + ": " + ares_strerror(rc));
    }
  }
  if (::pipe2(impl_->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    ares_destroy(impl_->channel);
    throw std::runtime_error("cannot start the DNS resolver: pipe2 failed");
  }
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

Resolver::~Resolver() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  char c = 's';
  [[maybe_unused]] auto n = ::write(impl_->wake[1], &c, 1);
  impl_->thread.join();
  ::close(impl_->wake[0]);
  ::close(impl_->wake[1]);
}

const ResolverSettings& Resolver::settings() const { return impl_->settings; }

void Resolver::start(std::string name, bool mx, Callback done) {
  auto l = std::make_shared<Impl::Lookup>();
  l->name = std::move(name);
  l->mx = mx;
  l->done = std::move(done);
  l->deadline = steady_clock::now() + impl_->settings.timeout;
  bool stopping;
  {
    std::lock_guard lock(impl_->mutex);
    stopping = impl_->stopping;
    if (!stopping) impl_->incoming.push_back(l);
  }
  if (stopping) {
    Resolution r;
    r.error = ResolveError{proto::Reply(451, "4.4.3", "resolver shutting down"), false, "resolver shutting down"};
    l->done(std::move(r));
    return;
  }
  char c = 'q';
  [[maybe_unused]] auto n = ::write(impl_->wake[1], &c, 1);
}

// The resolver thread: new lookups in, c-ares sockets and timeouts served,
// deadlines enforced, until the Resolver is destroyed.
void Resolver::Impl::run() {
  while (true) {
    std::deque<std::shared_ptr<Lookup>> fresh;
    bool stop;
    {
      std::lock_guard lock(mutex);
      fresh.swap(incoming);
      stop = stopping;
    }
    if (stop) break;
    for (auto& l : fresh) {
      active.push_back(l);
      begin(l);
    }
    expire(steady_clock::now());

    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    const int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    std::vector<pollfd> fds;
    fds.push_back({wake[0], POLLIN, 0});
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short ev = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) ev |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) ev |= POLLOUT;
      if (ev) fds.push_back({socks[i], ev, 0});
    }
    // Wait until a socket is ready, c-ares's next retry, or the nearest deadline.
    timeval max_tv{1, 0}, tv{};
    timeval* t = ares_timeout(channel, &max_tv, &tv);
    long long wait_ms = static_cast<long long>(t->tv_sec) * 1000 + t->tv_usec / 1000;
    const auto now = steady_clock::now();
    for (const auto& l : active)
      if (!l->finished)
        wait_ms = std::min<long long>(
            wait_ms, std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(l->deadline - now).count() + 1));
    ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait_ms, 0)));
    if (fds[0].revents & POLLIN) {
      char buf[64];
      while (::read(wake[0], buf, sizeof buf) > 0) {
      }
    }
    bool any = false;
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      any = true;
      const bool r = fds[i].revents & (POLLIN | POLLERR | POLLHUP);
      const bool w = fds[i].revents & POLLOUT;
      ares_process_fd(channel, r ? fds[i].fd : ARES_SOCKET_BAD, w ? fds[i].fd : ARES_SOCKET_BAD);
    }
    if (!any) ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // c-ares's own timeouts
    std::erase_if(active, [](const std::shared_ptr<Lookup>& l) { return l->finished && l->outstanding == 0; });
  }
  // Shutting down: every callback runs with ARES_EDESTRUCTION; lookups not
  // finished get a transient error.
  ares_destroy(channel);
  std::deque<std::shared_ptr<Lookup>> left;
  {
    std::lock_guard lock(mutex);
    left.swap(incoming);
  }
  for (auto& l : left) active.push_back(l);
  for (auto& l : active) {
    if (l->finished) continue;
    Resolution r;
    r.error = ResolveError{proto::Reply(451, "4.4.3", "resolver shutting down"), false, "resolver shutting down"};
    finish(*l, std::move(r));
  }
  active.clear();
}

void Resolver::Impl::expire(steady_clock::time_point now) {
  for (auto& l : active) {
    if (l->finished || now < l->deadline) continue;
    const std::string text = "DNS lookup of " + l->name + " timed out after " +
                             std::to_string(settings.timeout.count()) + " ms";
    Resolution r;
    r.error = ResolveError{proto::Reply(451, "4.4.3", text), false, text};
    finish(*l, std::move(r));  // the queries still out are ignored when they end
  }
}

void Resolver::Impl::finish(Lookup& l, Resolution r) {
  if (l.finished) return;
  l.finished = true;
  auto done = std::move(l.done);
  done(std::move(r));
}

void Resolver::Impl::begin(const std::shared_ptr<Lookup>& l) {
  if (auto r = literal_resolution(l->name)) return finish(*l, std::move(*r));  // no DNS: the address itself
  if (!l->name.empty() && l->name.back() == '.') l->name.pop_back();
  if (!is_dns_name(l->name)) {
    const std::string text = "'" + l->name + "' is not a domain name";
    Resolution r;
    r.error = ResolveError{proto::Reply(550, "5.1.2", text), true, text};
    return finish(*l, std::move(r));
  }
  if (l->mx) return query(l, -1, kTypeMx);
  l->plan.hosts.push_back({l->name, 0});
  l->answers.resize(1);
  ++l->outstanding;  // held while the queries go out (c-ares may answer one at once)
  query(l, 0, kTypeA);
  query(l, 0, kTypeAaaa);
  if (--l->outstanding == 0) finish(*l, assemble(l->name, l->plan, l->answers, settings.limits));
}

void Resolver::Impl::query(const std::shared_ptr<Lookup>& l, int host, int type) {
  ++l->outstanding;
  const std::string& name = host < 0 ? l->name : l->plan.hosts[static_cast<std::size_t>(host)].host;
  ares_query(channel, name.c_str(), kClassIn, type, &Impl::on_answer, new Query{this, l, host, type});
}

void Resolver::Impl::on_answer(void* arg, int status, int, unsigned char* abuf, int alen) {
  std::unique_ptr<Query> q(static_cast<Query*>(arg));
  --q->lookup->outstanding;
  if (status == ARES_EDESTRUCTION || q->lookup->finished) return;
  q->impl->answered(*q, status, abuf, alen);
}

void Resolver::Impl::answered(Query& q, int status, unsigned char* abuf, int alen) {
  auto& l = *q.lookup;
  DnsStatus st = status_of(status);
  if (st == DnsStatus::ok && (alen < 0 || static_cast<std::size_t>(alen) > settings.limits.max_answer_size))
    st = DnsStatus::bad_answer;
  if (q.type == kTypeMx) {
    std::vector<MxRecord> records;
    if (st == DnsStatus::ok) {
      ares_mx_reply* mx = nullptr;
      int rc = ares_parse_mx_reply(abuf, alen, &mx);
      if (rc == ARES_SUCCESS) {
        std::size_t n = 0;
        for (auto* m = mx; m; m = m->next)
          if (++n <= 1000) records.push_back({m->host ? m->host : "", m->priority});
        ares_free_data(mx);
      } else {
        st = rc == ARES_ENODATA ? DnsStatus::nodata : DnsStatus::bad_answer;
      }
    }
    l.plan = plan_mx(l.name, st, std::move(records), settings.limits, settings.self, random);
    return after_mx(q.lookup);
  }
  auto& a = l.answers[static_cast<std::size_t>(q.host)];
  const std::size_t cap = std::min<std::size_t>(settings.limits.max_addresses_per_host, 64);
  if (q.type == kTypeA) {
    if (st == DnsStatus::ok) {
      ares_addrttl addrs[64];
      int n = static_cast<int>(cap);
      int rc = ares_parse_a_reply(abuf, alen, nullptr, addrs, &n);
      if (rc == ARES_SUCCESS) {
        for (int i = 0; i < n; ++i) {
          char text[INET_ADDRSTRLEN];
          if (::inet_ntop(AF_INET, &addrs[i].ipaddr, text, sizeof text)) a.v4.push_back(text);
        }
        if (a.v4.empty()) st = DnsStatus::nodata;
      } else {
        st = rc == ARES_ENODATA ? DnsStatus::nodata : DnsStatus::bad_answer;
      }
    }
    a.a = st;
  } else {
    if (st == DnsStatus::ok) {
      ares_addr6ttl addrs[64];
      int n = static_cast<int>(cap);
      int rc = ares_parse_aaaa_reply(abuf, alen, nullptr, addrs, &n);
      if (rc == ARES_SUCCESS) {
        for (int i = 0; i < n; ++i) {
          char text[INET6_ADDRSTRLEN];
          if (::inet_ntop(AF_INET6, &addrs[i].ip6addr, text, sizeof text)) a.v6.push_back(text);
        }
        if (a.v6.empty()) st = DnsStatus::nodata;
      } else {
        st = rc == ARES_ENODATA ? DnsStatus::nodata : DnsStatus::bad_answer;
      }
    }
    a.aaaa = st;
  }
  if (l.outstanding == 0) finish(l, assemble(l.name, l.plan, l.answers, settings.limits));
}

// The MX answer is in: look up every host's addresses (or give up now).
void Resolver::Impl::after_mx(const std::shared_ptr<Lookup>& l) {
  if (l->plan.error) return finish(*l, assemble(l->name, l->plan, {}, settings.limits));
  l->answers.assign(l->plan.hosts.size(), HostAnswer{});
  ++l->outstanding;  // held while the queries go out (c-ares may answer one at once)
  for (std::size_t i = 0; i < l->plan.hosts.size(); ++i) {
    query(l, static_cast<int>(i), kTypeA);
    query(l, static_cast<int>(i), kTypeAaaa);
  }
  if (--l->outstanding == 0) finish(*l, assemble(l->name, l->plan, l->answers, settings.limits));
}

// Hands a lookup to the resolver thread and resumes the coroutine on its
// own executor with the result. Only trivially copyable members: g++ 12
// copies an initiation object into async_result's coroutine frame bitwise
// (a std::string member kept a pointer into the old frame: a bad free).
struct Resolver::Initiation {
  Resolver* self;
  const std::string* name;  // the awaiting coroutine's, copied by start()
  bool mx;
  template <typename Handler>
  void operator()(Handler handler) const {
    auto ex = asio::get_associated_executor(handler);
    auto work = asio::prefer(ex, asio::execution::outstanding_work.tracked);
    auto h = std::make_shared<Handler>(std::move(handler));
    // The handler (the awaiting coroutine) must be invoked and destroyed on
    // its own executor, never on the resolver thread: the callback hands its
    // only reference over to the posted function.
    self->start(*name, mx, [h, work](Resolution r) mutable {
      auto mine = std::move(h);
      asio::post(work, [mine = std::move(mine), r = std::move(r)]() mutable {
        auto handler = std::move(*mine);
        mine.reset();
        std::move(handler)(std::move(r));
      });
    });
  }
};

asio::awaitable<Resolution> Resolver::resolve_mx(std::string domain) {
  if (auto r = literal_resolution(domain)) co_return std::move(*r);
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Resolution)>(
      Initiation{this, &domain, true}, asio::use_awaitable);
}

asio::awaitable<Resolution> Resolver::resolve_host(std::string host) {
  if (auto r = literal_resolution(host)) co_return std::move(*r);
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Resolution)>(
      Initiation{this, &host, false}, asio::use_awaitable);
}

}  // namespace mixer::smtp::client
