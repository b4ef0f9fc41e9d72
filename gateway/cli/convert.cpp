// gateway/cli/convert.cpp: `mixer convert`: reads a message, builds the
// mapping Context from the config (the same addressing runtime the daemon
// uses), runs the engine once and writes what it produced. Trusts nothing
// it reads: input goes through the codecs' limits and the engine's.
#include "gateway/cli/convert.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gateway/cli/codec.hpp"
#include "gateway/runtime.hpp"
#include "mapping/engine.hpp"
#include "p1/mts/common.hpp"
#include "p1/mts/mts.hpp"
#include "p1/mts/strings.hpp"

namespace mixer::cli {

namespace {

namespace mts = p1::mts;
using Json = nlohmann::ordered_json;

bool syntax_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool read_input(const std::string& file, std::string& data) {
  if (file == "-") {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// An RFC 5322 file as SMTP carries it: LF-only line ends become CRLF (a file
// that has any CR is taken as it is).
std::string as_crlf(const std::string& data) {
  if (data.find('\r') != std::string::npos) return data;
  std::string out;
  out.reserve(data.size() + data.size() / 32);
  for (char c : data) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

int digits(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// "2026-12-03T02:42:26Z" or "...+01:00" (ISO 8601 / RFC 3339).
std::optional<mapping::Clock> parse_now(std::string_view s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2),
            mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  int offset = 0;
  std::string_view z = s.substr(19);
  if (z == "Z") {
    offset = 0;
  } else if (z.size() == 6 && (z[0] == '+' || z[0] == '-') && z[3] == ':') {
    const int oh = digits(z, 1, 2), om = digits(z, 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset = (z[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  mapping::Clock c;
  const auto local = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                     std::chrono::seconds{se};
  c.now = std::chrono::time_point_cast<std::chrono::seconds>(local - std::chrono::minutes{offset});
  c.utc_offset_minutes = offset;
  return c;
}

std::string name_of(mts::Names names, std::int64_t v) {
  for (const auto& n : names)
    if (n.value == v) return n.name;
  return "unknown";
}

// "554 5.6.1; X.411 conversion-not-performed (2), conversion-with-loss-prohibited (19): text"
std::string refusal_line(const base::Refusal& r) {
  std::string line = std::to_string(r.smtp_code) + " " + r.enhanced_status + "; X.411 " +
                     name_of(mts::names::non_delivery_reason, r.x411_reason) + " (" + std::to_string(r.x411_reason) + ")";
  if (r.x411_diagnostic)
    line += ", " + name_of(mts::names::non_delivery_diagnostic, *r.x411_diagnostic) + " (" +
            std::to_string(*r.x411_diagnostic) + ")";
  return line + ": " + r.text();
}

// "ADDR", or "ADDR NOTIFY=... ORCPT=..." (RFC 3461 parameters, values as text).
std::optional<mapping::SmtpRecipient> parse_rcpt(const std::string& arg, const ConvertOptions& o, std::string& error) {
  mapping::SmtpRecipient r;
  // The address ends at the first space outside a quoted local part (RFC 5321 §4.1.2).
  std::size_t end = 0;
  for (bool quoted = false; end < arg.size() && (quoted || arg[end] != ' '); ++end) {
    if (arg[end] == '\\' && quoted && end + 1 < arg.size()) ++end;
    else if (arg[end] == '"') quoted = !quoted;
  }
  r.address = arg.substr(0, end);
  std::istringstream words(arg.substr(end));
  std::string word;
  std::string notify = o.notify, orcpt = o.orcpt;
  while (words >> word) {
    const auto eq = word.find('=');
    const std::string key = word.substr(0, eq);
    if (eq == std::string::npos) {
      error = "--rcpt '" + arg + "': '" + word + "' is not NOTIFY=... or ORCPT=...";
      return std::nullopt;
    }
    if (syntax_iequals(key, "NOTIFY")) notify = word.substr(eq + 1);
    else if (syntax_iequals(key, "ORCPT")) orcpt = word.substr(eq + 1);
    else {
      error = "--rcpt '" + arg + "': unknown parameter " + key;
      return std::nullopt;
    }
  }
  if (r.address.empty()) {
    error = "--rcpt: an empty address";
    return std::nullopt;
  }
  if (!notify.empty()) {
    std::string item;
    std::istringstream list(notify);
    while (std::getline(list, item, ',')) {
      for (auto& ch : item) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (item != "NEVER" && item != "SUCCESS" && item != "FAILURE" && item != "DELAY") {
        error = "NOTIFY '" + notify + "': RFC 3461 §4.1 allows NEVER or SUCCESS, FAILURE, DELAY";
        return std::nullopt;
      }
      r.notify.push_back(item);
    }
    if (r.notify.size() > 1 && std::find(r.notify.begin(), r.notify.end(), "NEVER") != r.notify.end()) {
      error = "NOTIFY '" + notify + "': NEVER cannot be combined (RFC 3461 §4.1)";
      return std::nullopt;
    }
  }
  if (!orcpt.empty()) {
    if (orcpt.find(';') == std::string::npos) orcpt = "rfc822;" + orcpt;
    r.orcpt = orcpt;
  }
  return r;
}

struct Loaded {
  std::shared_ptr<const gateway::Runtime> runtime;
  std::string error;
};

Loaded load(const std::filesystem::path& file) {
  Loaded l;
  auto loaded = conf::load_config(file);
  for (const auto& e : loaded.errors) l.error += (l.error.empty() ? "" : "\n") + e.text();
  if (!loaded.config) return l;
  auto built = gateway::make_addressing_runtime(std::move(*loaded.config));
  for (const auto& e : built.errors) l.error += (l.error.empty() ? "" : "\n") + e;
  l.runtime = built.runtime;
  return l;
}

}  // namespace

void add_convert_options(CLI::App& app, ConvertOptions& o) {
  app.add_option("--to", o.to, "the side to convert to")->check(CLI::IsMember({"x400", "rfc822"}))->required();
  app.add_option("FILE", o.input, "--to x400: an RFC 5322 message; --to rfc822: an MTS-APDU (BER, hex or the JSON "
                                  "of mixer decode --json); - for stdin")
      ->capture_default_str();
  app.add_option("-o,--output", o.output, "where to write the result (default: stdout)");
  app.add_option("--envelope", o.envelope, "--to rfc822: write the SMTP envelope here as JSON");
  app.add_option("--mail-from", o.mail_from, "--to x400: the SMTP reverse path ('' for <>)")
      ->each([&o](const std::string&) { o.mail_from_given = true; });
  app.add_option("--rcpt", o.rcpts, "--to x400: an SMTP recipient, optionally with NOTIFY=... ORCPT=...; repeat for more")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  app.add_option("--notify", o.notify, "--to x400: RFC 3461 NOTIFY for recipients that give none");
  app.add_option("--orcpt", o.orcpt, "--to x400: RFC 3461 ORCPT (addr-type;address) for recipients that give none");
  app.add_option("--ret", o.ret, "--to x400: RFC 3461 RET")->check(CLI::IsMember({"full", "hdrs", "FULL", "HDRS"}));
  app.add_option("--envid", o.envid, "--to x400: RFC 3461 ENVID");
  app.add_option("--peer-mode", o.peer_mode, "--to x400: the next X.400 hop's mode (1984: RFC 2156 Appendix B)")
      ->check(CLI::IsMember({1984, 1988}))
      ->capture_default_str();
  app.add_flag("--peer-bp14", o.peer_bp14,
               "--to x400 with --peer-mode 1984: the next hop takes bilaterally-defined [14] (p1.peers bp14, RFC 2157 3.1)");
  app.add_flag("--lenient", o.lenient, "--to rfc822: accept what mixer decode --lenient accepts (upper bounds, time syntax)");
  app.add_flag("--json", o.json, "--to x400: write the JSON of mixer decode --json instead of BER");
  app.add_option("--now", o.now, "the time of conversion, ISO 8601 (2026-12-03T10:00:00+01:00); default: now");
  app.add_option("--local-id", o.local_id, "the unique local identifier (the daemon uses the queue ID)");
}

ConvertOutcome run_convert(const std::filesystem::path& config, const ConvertOptions& o, const std::string& input) {
  ConvertOutcome out;
  Loaded l = load(config);
  if (!l.runtime) {
    out.status = 2;
    out.error = l.error;
    return out;
  }
  const auto& rt = *l.runtime;
  mapping::Context ctx;
  ctx.addressing = &rt.addressing;
  ctx.policy = &rt.config.mapping;
  ctx.mta_name = rt.config.gateway.mta_name;
  ctx.host_name = rt.config.smtp.hostname;
  ctx.postmaster = rt.config.gateway.postmaster;
  if (!o.now.empty()) {
    auto c = parse_now(o.now);
    if (!c) {
      out.status = 2;
      out.error = "--now '" + o.now + "': not an ISO 8601 time (2026-12-03T10:00:00Z or ...+01:00)";
      return out;
    }
    ctx.clock = *c;
  } else {
    ctx.clock.now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  if (o.to == "x400") {
    if (!o.mail_from_given) {
      out.status = 2;
      out.error = "--to x400 needs --mail-from ('' for the null reverse path)";
      return out;
    }
    if (o.rcpts.empty()) {
      out.status = 2;
      out.error = "--to x400 needs at least one --rcpt";
      return out;
    }
    mapping::SmtpEnvelope env;
    env.mail_from = o.mail_from;
    for (const auto& a : o.rcpts) {
      auto r = parse_rcpt(a, o, out.error);
      if (!r) {
        out.status = 2;
        return out;
      }
      env.recipients.push_back(std::move(*r));
    }
    if (!o.ret.empty()) {
      env.ret = o.ret;
      for (auto& ch : *env.ret) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    if (!o.envid.empty()) env.envid = o.envid;
    const std::string content = as_crlf(input);
    mapping::ToX400Options xo;
    xo.peer_mode = o.peer_mode;
    xo.bp14_1984 = o.peer_bp14 && o.peer_mode == 1984;
    xo.local_identifier = o.local_id;  // empty: the engine derives one from the content and the clock
    // A DSN (the null reverse path, one recipient): its X.400 report (RFC 2156 §5.1.8.3).
    std::optional<mts::MtsApdu> report;
    std::optional<mts::MtsApdu> ipm;
    if (env.mail_from.empty() && env.recipients.size() == 1)
      if (auto d = mapping::dsn_to_x400(env, content, ctx, xo); d && d->report) {
        report = mts::MtsApdu{std::move(*d->report)};
        out.notes.push_back("a DSN: written as the X.400 report of its failed and delivered recipients (RFC 2156 \xC2\xA7" "5.1.8.3)");
        if (d->ipm) {
          ipm = mts::MtsApdu{std::move(d->ipm->message)};
          out.notes.push_back("its delayed, relayed or expanded recipients go as an IPM beside the report (\xC2\xA7" "5.1.8.3), written to " +
                              (o.output.empty() ? std::string("OUTPUT") : o.output.string()) + ".ipm");
        }
      }
    auto r = report ? base::Expected<mapping::X400Message>(mapping::X400Message{}) : mapping::to_x400(env, content, ctx, xo);
    if (!r) {
      out.status = 1;
      out.refusal = refusal_line(r.error());
      return out;
    }
    for (const auto& rr : r->refused) out.recipient_refusals.push_back(rr.address + ": " + refusal_line(rr.refusal));
    const mts::MtsApdu apdu = report ? std::move(*report) : mts::MtsApdu{r->message};  // Message or Report
    auto encoded = mts::encode(apdu);
    if (!encoded) {
      out.status = 1;
      out.error = "the MTS-APDU we made does not encode: " + encoded.error().what;  // a bug: never hidden
      return out;
    }
    const auto ber = std::move(encoded).value();
    out.ber.assign(ber.begin(), ber.end());
    if (o.json) {
      std::string error;
      if (!apdu_to_json(ber, out.output, error)) {
        out.status = 1;
        out.error = "the MTS-APDU we made does not decode: " + error;  // a bug: never hidden
        return out;
      }
    } else {
      out.output.assign(ber.begin(), ber.end());
    }
    if (ipm) {
      auto beside = mts::encode(*ipm);
      if (!beside) {
        out.status = 1;
        out.error = "the IPM beside the report does not encode: " + beside.error().what;  // a bug: never hidden
        return out;
      }
      std::string error;
      if (!o.json) out.beside.assign(beside->begin(), beside->end());
      else if (!apdu_to_json(*beside, out.beside, error)) {
        out.status = 1;
        out.error = "the IPM beside the report does not decode: " + error;
        return out;
      }
    }
    return out;
  }
  // --to rfc822
  std::vector<std::uint8_t> ber;
  std::size_t first = input.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && input[first] == '{') {
    std::string error;
    if (!apdu_from_json(input, ber, error, o.lenient)) {
      out.status = 1;
      out.error = "not the JSON of an MTS-APDU: " + error;
      return out;
    }
  } else {
    ber.assign(input.begin(), input.end());
    bool hex = !input.empty();
    for (char c : input) hex = hex && (std::isxdigit(static_cast<unsigned char>(c)) || std::isspace(static_cast<unsigned char>(c)));
    if (hex) {
      std::string digits;
      for (char c : input)
        if (!std::isspace(static_cast<unsigned char>(c))) digits += c;
      if (auto b = mts::from_hex(digits)) ber = *b;
    }
  }
  mts::Limits limits;
  limits.upper_bounds = !o.lenient;
  auto apdu = mts::decode<mts::MtsApdu>(ber, limits);
  if (!apdu) {
    out.status = 1;
    out.error = "not an MTS-APDU: " + apdu.error().what;
    return out;
  }
  if (std::holds_alternative<mts::Probe>(*apdu)) {
    out.status = 1;
    // RFC 2156 §5.3.9: nothing of a probe crosses to the Internet; the gateway answers it
    // with a report when it arrives (mixer serve, or mixer submit for a queued one).
    out.error = "the MTS-APDU is a probe: it has no Internet form (RFC 2156 §5.3.9: the gateway answers it with a "
                "delivery or non-delivery report when it arrives over P1)";
    return out;
  }
  mapping::SmtpEnvelope envelope;
  if (const auto* report = std::get_if<mts::Report>(&*apdu)) {
    // RFC 2156 §5.3.8: the DSN to the report destination, from <>.
    auto r = mapping::report_to_internet(*report, ctx);
    if (!r) {
      out.status = 1;
      out.refusal = refusal_line(r.error());
      return out;
    }
    out.output = r->content;
    envelope = r->envelope;
  } else {
    auto r = mapping::to_internet(std::get<mts::Message>(*apdu), ctx);
    if (!r) {
      out.status = 1;
      out.refusal = refusal_line(r.error());
      return out;
    }
    for (const auto& rr : r->refused) out.recipient_refusals.push_back(rr.address + ": " + refusal_line(rr.refusal));
    out.output = r->content;
    envelope = r->envelope;
  }
  const mapping::SmtpEnvelope* r = &envelope;
  Json env = Json::object();
  env["mail_from"] = r->mail_from;
  Json rcpts = Json::array();
  for (const auto& rc : r->recipients) {
    Json j = Json::object();
    j["address"] = rc.address;
    if (!rc.notify.empty()) j["notify"] = rc.notify;
    if (rc.orcpt) j["orcpt"] = *rc.orcpt;
    rcpts.push_back(j);
  }
  env["recipients"] = rcpts;
  if (r->ret) env["ret"] = *r->ret;
  if (r->envid) env["envid"] = *r->envid;
  out.envelope_json = env.dump(2) + "\n";
  return out;
}

int convert_command(const std::filesystem::path& config, const ConvertOptions& o) {
  std::string input;
  if (!read_input(o.input, input)) {
    std::fprintf(stderr, "mixer convert: cannot read %s\n", o.input.c_str());
    return 2;
  }
  ConvertOutcome r = run_convert(config, o, input);
  for (const auto& rr : r.recipient_refusals) std::fprintf(stderr, "mixer convert: recipient refused: %s\n", rr.c_str());
  for (const auto& n : r.notes) std::fprintf(stderr, "mixer convert: note: %s\n", n.c_str());
  if (!r.error.empty()) std::fprintf(stderr, "mixer convert: %s\n", r.error.c_str());
  if (!r.refusal.empty()) std::fprintf(stderr, "mixer convert: refused: %s\n", r.refusal.c_str());
  if (r.status != 0) return r.status;
  auto write = [](const std::filesystem::path& p, const std::string& text) {
    if (p.empty()) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      return std::fflush(stdout) == 0;
    }
    std::ofstream f(p, std::ios::binary);
    f << text;
    return static_cast<bool>(f);
  };
  if (!write(o.output, r.output)) {
    std::fprintf(stderr, "mixer convert: cannot write %s\n", o.output.c_str());
    return 2;
  }
  if (!r.beside.empty()) {
    // A second output needs a name: OUTPUT.ipm beside -o (§5.1.8.3's IPM).
    const std::filesystem::path beside = o.output.string() + ".ipm";
    if (o.output.empty()) {
      std::fprintf(stderr, "mixer convert: note: the IPM beside the report is not written: it needs -o\n");
    } else if (!write(beside, r.beside)) {
      std::fprintf(stderr, "mixer convert: cannot write %s\n", beside.c_str());
      return 2;
    }
  }
  if (!o.envelope.empty() && !write(o.envelope, r.envelope_json)) {
    std::fprintf(stderr, "mixer convert: cannot write %s\n", o.envelope.c_str());
    return 2;
  }
  return 0;
}

}  // namespace mixer::cli
