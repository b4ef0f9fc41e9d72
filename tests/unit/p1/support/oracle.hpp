// tests/unit/p1/support/oracle.hpp: the tshark oracle. A conversation of
// TCP payloads (each one or more TPKTs) is written as a pcap with text2pcap
// (initiator 10.0.0.1, responder 10.0.0.2:PORT) and decoded by
// `tshark -V -d tcp.port==PORT,tpkt`. The result lists every "Malformed",
// expert Error and expert Warning line, so a test can fail on any of them
// and then compare the fields tshark shows with what it meant to send.
// Set MIXER_ORACLE_KEEP=DIR to keep the pcap and the decode for reading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/unit/p1/support/hex.hpp"

namespace mixer::p1::test {

struct Segment {
  bool from_initiator = true;
  Bytes bytes;
};

struct Decode {
  std::string text;                   // tshark -V output
  std::vector<std::string> problems;  // Malformed / expert Error / expert Warning lines
  std::string tool_error;             // set when text2pcap or tshark could not run

  bool clean() const { return tool_error.empty() && problems.empty(); }
  bool has(std::string_view needle) const { return text.find(needle) != std::string::npos; }
  std::size_t count(std::string_view needle) const;
  // Problems joined, for test failure messages.
  std::string report() const;
};

// Decodes the conversation. `allowed` lists substrings of problem lines that
// are expected and not counted (e.g. a warning tshark raises on a peer's bytes).
Decode tshark_decode(const std::vector<Segment>& conversation, std::uint16_t port = 102,
                     const std::vector<std::string>& allowed = {});

}  // namespace mixer::p1::test
