// tests/unit/p1/support/oracle.cpp: see oracle.hpp. Runs text2pcap and
// tshark as child processes in a scratch directory.
#include "tests/unit/p1/support/oracle.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mixer::p1::test {

namespace fs = std::filesystem;

std::size_t Decode::count(std::string_view needle) const {
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + needle.size())) ++n;
  return n;
}

std::string Decode::report() const {
  std::string r = tool_error;
  for (const auto& p : problems) r += "\n  " + p;
  return r;
}

namespace {

std::string run(const std::string& cmd, int& status) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) {
    status = -1;
    return out;
  }
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  status = ::pclose(p);
  return out;
}

void write_text2pcap(std::ostream& o, const std::vector<Segment>& conv) {
  // IPv4 cannot carry more than 65535 octets per packet: split long payloads
  // into several TCP segments (tshark reassembles TPKTs across them).
  constexpr std::size_t chunk = 16000;
  static const char* d = "0123456789abcdef";
  for (const auto& s : conv) {
    for (std::size_t at = 0; at < s.bytes.size() || (at == 0 && s.bytes.empty()); at += chunk) {
      std::size_t n = std::min(chunk, s.bytes.size() - at);
      o << (s.from_initiator ? "I\n" : "O\n");
      for (std::size_t i = 0; i < n; i += 16) {
        char off[16];
        std::snprintf(off, sizeof off, "%06zx", i);
        o << off;
        for (std::size_t j = i; j < std::min(n, i + 16); ++j) {
          auto b = s.bytes[at + j];
          o << ' ' << d[b >> 4] << d[b & 15];
        }
        o << '\n';
      }
      if (s.bytes.empty()) break;
    }
  }
}

}  // namespace

Decode tshark_decode(const std::vector<Segment>& conversation, std::uint16_t port,
                     const std::vector<std::string>& allowed) {
  Decode d;
  char tmpl[] = "/tmp/mixer-oracle-XXXXXX";
  if (!::mkdtemp(tmpl)) {
    d.tool_error = "mkdtemp failed";
    return d;
  }
  fs::path dir(tmpl);
  {
    std::ofstream t(dir / "conv.txt");
    write_text2pcap(t, conversation);
  }
  const std::string p = std::to_string(port);
  int st = 0;
  std::string log = run("text2pcap -q -D -4 10.0.0.1,10.0.0.2 -T " + std::to_string(port + 1000) + "," + p + " '" +
                            (dir / "conv.txt").string() + "' '" + (dir / "conv.pcap").string() + "' 2>&1",
                        st);
  if (st != 0) {
    d.tool_error = "text2pcap failed: " + log;
  } else {
    d.text = run("tshark -n -r '" + (dir / "conv.pcap").string() + "' -d tcp.port==" + p + ",tpkt -V 2>&1", st);
    if (st != 0) d.tool_error = "tshark failed (status " + std::to_string(st) + ")";
    std::istringstream in(d.text);
    for (std::string line; std::getline(in, line);) {
      bool bad = line.find("Malformed") != std::string::npos || line.find("Expert Info (Error") != std::string::npos ||
                 line.find("Expert Info (Warning") != std::string::npos ||
                 line.find("Internal error") != std::string::npos;
      if (!bad) continue;
      bool ok = false;
      for (const auto& a : allowed) ok = ok || line.find(a) != std::string::npos;
      if (!ok) d.problems.push_back(line);
    }
  }
  if (const char* keep = std::getenv("MIXER_ORACLE_KEEP")) {
    std::error_code ec;
    fs::create_directories(keep, ec);
    static int n = 0;
    std::string base = std::string(keep) + "/oracle-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
    fs::copy_file(dir / "conv.pcap", base + ".pcap", fs::copy_options::overwrite_existing, ec);
    std::ofstream(base + ".txt") << d.text;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return d;
}

}  // namespace mixer::p1::test
