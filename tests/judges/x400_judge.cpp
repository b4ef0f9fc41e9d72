// tests/judges/x400_judge.cpp: an independent judge of the MTS-APDUs the
// mapping engine writes (mixer conformance --output, unit.mapping_roundtrip).
//
//   x400_judge FILE.ber|DIR...
//
// A DIR stands for every *.ber under it. The MTS-APDUs are carried, up to
// 128 in one association (a problem has the halves judged apart), over a whole P1
// association between two of our RTSE machines and decoded by
// tshark's p1 and p22 dissectors (the helper of the p1 oracle tests): the
// file fails on any Malformed, expert Error or expert Warning item, and
// when tshark does not show the values our own strict decode reads (the
// local identifier; for an IPM content type, the p22 dissector's
// Information Object), so a dissector that stopped early cannot pass it.
// (The strict decode of the IPM content is `mixer decode`'s, run beside.) Only the warnings tshark
// gives for the object identifiers it has no dissector for are allowed,
// and only for the RFC 2156 / 2157 ones it cannot know (Appendix D:
// id-rfc-822-field-list and the other mixer OIDs under 1.3.6.1.7.1, also
// as an EXTERNAL's direct-reference such as id-mime-bp-data). Allowed here,
// a batch with only those stays one tshark run.
// Prints "FILE: problem" lines and "N passed, N failed"; exits 0 only when
// every file passed and there was at least one (2: usage).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "p1/mts/mts.hpp"
#include "tests/unit/p1/mts/transfer.hpp"

namespace fs = std::filesystem;
namespace mts = mixer::p1::mts;

namespace {

// tshark's "Dissector for OID not implemented" warnings, each allowed only
// when the element it stands in names an RFC 2156 OID (Appendix D, under
// 1.3.6.1.7.1): the nearest "type:" or "(iso.3.6..." line above it. Every
// other problem line is kept.
std::vector<std::string> unexplained(const mixer::p1::test::Decode& d) {
  std::vector<std::string> out;
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < d.text.size()) {
    std::size_t end = d.text.find('\n', at);
    if (end == std::string::npos) end = d.text.size();
    lines.push_back(d.text.substr(at, end - at));
    at = end + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const bool bad = line.find("Malformed") != std::string::npos ||
                     line.find("Expert Info (Error") != std::string::npos ||
                     line.find("Expert Info (Warning") != std::string::npos ||
                     line.find("Internal error") != std::string::npos;
    if (!bad) continue;
    bool ok = false;
    if (line.find("Dissector for OID not implemented") != std::string::npos) {
      for (std::size_t back = 1; back <= 4 && back <= i; ++back) {
        const std::string& above = lines[i - back];
        if (above.find("Dissector for OID") != std::string::npos) continue;
        // An EXTERNAL's "encoding:" line stands between its direct-reference and the warning.
        if (above.find("encoding: single-ASN1-type") != std::string::npos) continue;
        ok = above.find("1.3.6.1.7.1.") != std::string::npos;
        break;
      }
    }
    if (!ok) out.push_back(line.substr(line.find_first_not_of(' ')));
  }
  return out;
}

// The APDUs of one association: each one's strict decode, then tshark over
// all of them at once; a problem sends each half back to be judged apart,
// down to one APDU, so it is named by its file.
std::vector<std::vector<std::string>> judge(const std::vector<std::vector<std::uint8_t>>& bers) {
  std::vector<std::vector<std::string>> problems(bers.size());
  std::vector<std::string> expect;  // lines tshark must show
  std::size_t ipms = 0;
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::size_t i = 0; i < bers.size(); ++i) {
    auto apdu = mts::decode<mts::MtsApdu>(bers[i]);
    if (!apdu) {
      problems[i].push_back("our strict decode fails: " + apdu.error().what);
      continue;
    }
    if (const auto* message = std::get_if<mts::Message>(&*apdu)) {
      expect.push_back("local-identifier: " + message->envelope.message_identifier.local_identifier);
      ipms += message->envelope.content_type.is_ipm();
    }
    sent.push_back(bers[i]);
  }
  if (sent.empty()) return problems;
  auto d = mixer::p1::mts::test::transfer(sent);
  std::vector<std::string> found;
  if (!d.tool_error.empty()) found.push_back("tshark could not run: " + d.tool_error);
  for (const auto& line : unexplained(d)) found.push_back("tshark: " + line);
  for (const auto& e : expect)
    if (!d.has(e)) found.push_back("tshark does not show '" + e + "'");
  if (d.count("X.420 Information Object") < ipms) found.push_back("tshark's p22 dissector did not read the content");
  if (found.empty()) return problems;
  if (bers.size() == 1) {
    problems[0] = found;
    return problems;
  }
  // Halves judged apart until the problem is named by its file (a few tshark runs for one bad file in 128).
  const std::size_t half = bers.size() / 2;
  for (const auto& [from, to] : {std::pair{std::size_t{0}, half}, std::pair{half, bers.size()}}) {
    std::vector<std::vector<std::uint8_t>> part;
    std::vector<std::size_t> index;
    for (std::size_t i = from; i < to; ++i)
      if (problems[i].empty()) {
        part.push_back(bers[i]);
        index.push_back(i);
      }
    if (part.empty()) continue;
    auto found_in_part = judge(part);
    for (std::size_t k = 0; k < index.size(); ++k) problems[index[k]] = std::move(found_in_part[k]);
  }
  // Neither half alone shows it (APDUs that fail only together): every one of them fails.
  if (std::all_of(problems.begin(), problems.end(), [](const auto& p) { return p.empty(); }))
    for (auto& p : problems)
      for (const auto& f : found) p.push_back("with the others of its association: " + f);
  return problems;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: x400_judge FILE.ber|DIR...\n");
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    fs::path p = argv[i];
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".ber") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "x400_judge: %s: no such file or directory\n", p.c_str());
      return 2;
    }
  }
  std::size_t passed = 0, failed = 0;
  constexpr std::size_t batch = 128;  // APDUs per association (one tshark run)
  for (std::size_t at = 0; at < files.size(); at += batch) {
    std::vector<std::vector<std::uint8_t>> bers;
    for (std::size_t i = at; i < std::min(files.size(), at + batch); ++i) {
      std::ifstream in(files[i], std::ios::binary);
      bers.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    auto problems = judge(bers);
    for (std::size_t i = 0; i < bers.size(); ++i) {
      for (const auto& p : problems[i]) std::printf("%s: %s\n", files[at + i].c_str(), p.c_str());
      (problems[i].empty() ? passed : failed)++;
    }
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
