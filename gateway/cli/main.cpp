// gateway/cli/main.cpp: the `mixer` command line (DESIGN.md "The command
// line"): one binary, one subcommand per job, --help on each.
#include <CLI/CLI.hpp>

#include "base/allocator.hpp"
#include "gateway/cli/codec.hpp"
#include "gateway/cli/convert.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/daemon.hpp"

int main(int argc, char** argv) {
  mixer::base::keep_message_buffers();
  CLI::App app{"mixer: X.400 <-> SMTP/MIME gateway (RFC 2156 MIXER)", "mixer"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "mixer 0.1.0 (malloc: " + mixer::base::malloc_in_use() + ")");
  std::string config = "conf/mixer.yaml";
  auto add_config = [&config](CLI::App* sub) {
    sub->add_option("-c,--config", config, "configuration file")->capture_default_str();
  };

  auto* serve = app.add_subcommand("serve", "run the gateway daemon in the foreground");
  add_config(serve);

  auto* check = app.add_subcommand("check-config", "validate the configuration and every file it names");
  add_config(check);

  auto* map = app.add_subcommand("map", "map an address through RFC 2156 chapter 4 and the loaded tables "
                                       "(no ADDRESS or '-': one per line from stdin, TSV out)");
  add_config(map);
  std::string map_address, map_to = "auto", map_role = "recipient";
  bool explain = false;
  map->add_option("ADDRESS", map_address, "an RFC 822 address or an O/R address (std-or, RFC 1685 forms)");
  map->add_option("--to", map_to, "direction")->check(CLI::IsMember({"auto", "x400", "rfc822"}))->capture_default_str();
  map->add_option("--role", map_role, "what the address is: an SMTP recipient or originator, or a header address")
      ->check(CLI::IsMember({"recipient", "originator", "ipms"}))
      ->capture_default_str();
  map->add_flag("--explain", explain, "name the rule and table line used, and every step");

  auto* q = app.add_subcommand("queue", "inspect and change the queue (like mailq/postsuper)");
  q->require_subcommand(1);
  add_config(q);
  bool json = false;
  std::string id;
  auto* list = q->add_subcommand("list", "list queued messages");
  list->add_flag("--json", json, "machine-readable output");
  add_config(list);
  auto* show = q->add_subcommand("show", "show one message's envelope, status history and content");
  show->add_option("ID", id, "queue ID, or the MTS identifier of a P1 entry ([/PRMD=../ADMD=../C=../;local], RFC 2156 §5.3)")->required();
  add_config(show);
  std::string op_name;
  for (const char* op : {"hold", "release", "retry", "delete"}) {
    const std::string help = std::string(op) == "hold"      ? "put a message on hold (no delivery attempts)"
                             : std::string(op) == "release" ? "release a held message"
                             : std::string(op) == "retry"   ? "retry deferred recipients now"
                                                            : "remove a message from the queue";
    auto* sub = q->add_subcommand(op, help);
    sub->add_option("ID", id, "queue ID, or the MTS identifier of a P1 entry ([/PRMD=../ADMD=../C=../;local], RFC 2156 §5.3)")->required();
    add_config(sub);
    sub->callback([&op_name, op] { op_name = op; });
  }

  auto* ping = app.add_subcommand("p1-ping", "bind to an MTA over P1 (RFC 1006), print its answer, release; "
                                             "exit 0 only if it bound");
  add_config(ping);
  mixer::cli::P1PingArgs pa;
  ping->add_option("ADDRESS", pa.address, "HOST:PORT of the MTA (default: the --peer's host in p1.peers)");
  ping->add_option("--mta", pa.mta, "our MTA name (default: gateway.mta_name)");
  ping->add_option("--password", pa.password, "our password (default: the --peer's our_password)");
  ping->add_option("--peer", pa.peer, "the responder's MTA name to expect (and a peer of p1.peers to take settings from)");
  ping->add_option("--peer-password", pa.peer_password, "the responder's password to expect");
  ping->add_option("--mode", pa.mode, "1988 (RTSE normal mode) or 1984 (X.410-1984 mode)")
      ->check(CLI::IsMember({"1988", "1984"}))
      ->capture_default_str();
  ping->add_option("--tsap", pa.tsap, "called TSAP selector (text, or hex:OCTETS)");
  ping->add_flag("--octet-password", pa.octet_password, "send our password as an OCTET STRING (as PP does)");
  ping->add_option("--timeout", pa.timeout_seconds, "seconds for each step")->capture_default_str();

  auto* submit = app.add_subcommand("p1-submit", "hand MTS-APDU files to the running daemon for transfer to a peer MTA");
  add_config(submit);
  std::string submit_peer;
  std::vector<std::string> submit_files;
  submit->add_option("--peer", submit_peer, "the peer MTA (a name in p1.peers)")->required();
  submit->add_option("FILE", submit_files, "BER-encoded MTS-APDUs (X.419: message, report or probe)")->required();

  auto* verify = q->add_subcommand("verify-snapshot",
                                   "compare every entry a start would take from the start-up snapshot with its file "
                                   "(reads only; exit 1 if any differs)");
  add_config(verify);
  auto* flush = q->add_subcommand("flush", "attempt delivery of every deferred message now (like postqueue -f)");
  add_config(flush);

  auto* decode = app.add_subcommand("decode", "decode X.400 BER (an MTS-APDU, IPM, IPN, ...) into a readable tree "
                                               "or JSON");
  mixer::cli::DecodeOptions dec;
  bool no_content = false;
  decode->add_option("FILE", dec.file, "BER octets or their hex text; - for stdin")->required();
  decode->add_option("--as", dec.as, "what the octets are")
      ->check(CLI::IsMember({"auto", "mts-apdu", "information-object", "ipm", "ipn", "report-content", "envelope",
                             "probe", "or-name"}))
      ->capture_default_str();
  decode->add_flag("--json", dec.json, "JSON instead of the tree (what mixer encode reads)");
  decode->add_flag("--lenient", dec.lenient, "do not enforce the X.411/X.420 upper bounds");
  decode->add_flag("--no-content", no_content, "leave an IPM message's content as octets");

  auto* encode = app.add_subcommand("encode", "encode the JSON of mixer decode --json back into BER");
  mixer::cli::EncodeOptions enc;
  encode->add_option("FILE", enc.file, "the JSON; - for stdin")->required();
  encode->add_option("-o,--output", enc.output, "where to write the octets (default: stdout)");
  encode->add_flag("--hex", enc.hex, "write hex text rather than octets");

  auto* convert = app.add_subcommand("convert", "run the RFC 2156 mapping engine on one message: RFC 5322 to the "
                                               "MTS-APDU mixer would transfer, or an MTS-APDU to RFC 5322 and its "
                                               "SMTP envelope");
  add_config(convert);
  mixer::cli::ConvertOptions conv;
  mixer::cli::add_convert_options(*convert, conv);

  auto* conformance = app.add_subcommand("conformance", "run mapping conformance vectors (one directory each: input, "
                                                       "args, expected output); ends with 'N passed, M failed'");
  add_config(conformance);
  std::string conformance_filter;
  std::vector<std::string> conformance_dirs;
  std::string conformance_output;
  conformance->add_option("--filter", conformance_filter, "only vectors whose name contains TEXT");
  conformance->add_option("--output", conformance_output, "write each vector's output under this directory (for judges)");
  conformance->add_option("DIR", conformance_dirs, "vector directories, or directories of them")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (serve->parsed()) return mixer::gateway::run_daemon(config);
  if (check->parsed()) return mixer::cli::check_config(config);
  if (map->parsed()) return mixer::cli::map_address(config, map_address, map_to, map_role, explain);
  if (decode->parsed()) {
    dec.decode_content = !no_content;
    return mixer::cli::decode_command(dec);
  }
  if (encode->parsed()) return mixer::cli::encode_command(enc);
  if (convert->parsed()) return mixer::cli::convert_command(config, conv);
  if (conformance->parsed())
    return mixer::cli::conformance_command(config, conformance_filter, conformance_dirs, conformance_output);
  if (ping->parsed()) return mixer::cli::p1_ping(config, pa);
  if (submit->parsed()) return mixer::cli::p1_submit(config, submit_peer, submit_files);
  if (list->parsed()) return mixer::cli::queue_list(config, json);
  if (show->parsed()) return mixer::cli::queue_show(config, id);
  if (flush->parsed()) return mixer::cli::queue_flush(config);
  if (verify->parsed()) return mixer::cli::queue_verify_snapshot(config);
  if (!op_name.empty()) return mixer::cli::queue_change(config, op_name, id);
  return 2;
}
