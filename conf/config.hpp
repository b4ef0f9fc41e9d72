// conf/config.hpp: the gateway's configuration as plain immutable structs.
//
// Everything else takes these structs; only conf/ knows YAML. A Config is
// complete and validated once load_config() returns it: every path is
// absolute (relative ones are resolved against the config file's directory)
// and every file it names was readable at load time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::conf {

// A host:port to listen on ("127.0.0.1:2525", "[::1]:2525").
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const;
  bool operator==(const ListenAddress&) const = default;
};

// Identity of this gateway on both sides (RFC 2156 §4.2: the gateway's own
// O/R address and Internet domain, used for encapsulation and postmaster).
struct GatewayIdentity {
  std::string mta_name;      // our MTA name in P1 binds and trace
  std::string domain;        // the gateway's Internet domain
  std::string or_address;    // the gateway's O/R address, RFC 2156 std-or text
  std::string country;       // global domain identifier: C
  std::string admd;          //                            ADMD
  std::string prmd;          //                            PRMD (may be empty)
  // The Internet postmaster of the gateway (RFC 5321 §4.5.1, RFC 2156 §5.3.8.1:
  // the From: of the DSNs it writes); an addr-spec, default postmaster@<domain>.
  std::string postmaster;
  // The X.400 postmaster (an O/R address, RFC 2156 std-or text): an X.400 report
  // that cannot be delivered goes there, once, routed as reports are; empty: to
  // the Internet postmaster as its DSN.
  std::string x400_postmaster;
};

struct TlsConfig {
  std::filesystem::path certificate;  // PEM chain
  std::filesystem::path private_key;  // PEM key
};

// Outbound SMTP (conf/config_smtp_client.cpp): one entry of smtp.routes,
// chosen by the longest match of the recipients' domain ("example.org"
// exactly, ".example.org" its subdomains, "*" anything).
enum class SmtpRouteTls { opportunistic, required, none };
enum class SmtpRouteVerify { none, chain, name };

struct SmtpRoute {
  std::string domain;                   // lower case: "example.org", ".example.org" or "*"
  std::vector<ListenAddress> via;       // smart hosts in order (host may be a name); empty: MX
  SmtpRouteTls tls = SmtpRouteTls::opportunistic;
  SmtpRouteVerify verify = SmtpRouteVerify::none;  // only with tls: required (default there: name)
  std::optional<std::uint16_t> port;    // for MX targets; absent: smtp.mx_port
  int line = 0;
  bool operator==(const SmtpRoute&) const = default;
};

struct SmtpOutConfig {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(30)};
  // Cap on every RFC 5321 §4.5.3.2 reply timeout (5 min, 10 min, ...); absent: the RFC's values.
  std::optional<std::chrono::milliseconds> reply_timeout_max;
  std::chrono::milliseconds resolver_timeout{std::chrono::seconds(30)};  // one whole MX or host lookup
  std::size_t max_connections = 100;      // outbound connections in all
  std::size_t max_per_destination = 10;   // to one next hop (domain, or the smart host list)
  std::size_t max_mx_hosts = 10;          // MX records considered, best first
  std::size_t max_addresses_per_host = 4; // A/AAAA addresses tried per host
  std::uint64_t max_dns_answer_size = 16 * 1024;  // octets of one DNS answer
  std::filesystem::path ca_file;          // CAs for verify: chain|name; empty: the system store
  std::chrono::milliseconds reuse_time{std::chrono::seconds(5)};  // idle connection kept for the next message; 0: none
  std::chrono::milliseconds dead_host_time{std::chrono::seconds(60)};  // an unreachable host not tried again for this long; 0: always
  // X.400 probes for Internet recipients are answered after an SMTP VRFY at the
  // next hop (RFC 2156 Appendix A §1); false: from routing and address mapping alone (§5.3.9).
  bool verify_probes = false;
  bool operator==(const SmtpOutConfig&) const = default;
};

struct SmtpConfig {
  std::vector<ListenAddress> listen;
  std::string hostname;  // greeting and EHLO name; defaults to gateway.domain
  std::uint64_t max_message_size = 10 * 1024 * 1024;
  std::size_t max_recipients = 1000;
  std::size_t max_line_length = 2048;
  std::size_t max_commands = 10000;
  std::size_t max_errors = 20;
  std::size_t max_connections = 200;
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds session_timeout{std::chrono::minutes(30)};
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(30)};
  std::optional<TlsConfig> tls;  // STARTTLS offered only when set
  // Outbound (smtp/client): routes, DNS server, MX port, EHLO name, limits.
  std::vector<SmtpRoute> routes;        // in file order; see SmtpRoute
  std::optional<ListenAddress> resolver;  // DNS server HOST:PORT; absent: /etc/resolv.conf
  std::uint16_t mx_port = 25;           // port of MX targets (a route's port overrides)
  std::string helo_name;                // EHLO name; defaults to smtp.hostname
  SmtpOutConfig out;
};

// RFC 1006 / X.224, X.225, X.226 selectors as octets; absent: not sent
// (initiator) or not checked (responder).
struct P1Selectors {
  std::optional<std::string> tsap, ssap, psap;
  bool operator==(const P1Selectors&) const = default;
};

// One MTA we exchange P1 with (X.411 §12.1 MTA-bind): who it is, how it
// authenticates to us and we to it, where it listens.
struct P1Peer {
  std::string name;                    // its MTA name in binds
  std::string password;                // what it presents to us (checked)
  std::string our_password;            // what we present to it
  bool password_octets = false;        // present ours as OCTET STRING (PP) instead of IA5String (Isode)
  std::vector<std::string> addresses;  // IP addresses it may call from; empty: any
  std::string host;                    // where it listens (for our outbound associations); empty: inbound only
  std::uint16_t port = 102;
  int mode = 1988;                     // 1988 (RTSE normal mode) or 1984 (X.410-1984 mode)
  // A 1984 peer whose UAs take bilaterally-defined [14] (RFC 2157 §3.1 "X.400(84) UA with
  // BP14 handling capability"): BP14 is sent to it as is, not HARPOON-encapsulated.
  bool bp14 = false;
  bool two_way_alternate = false;      // dialogue mode we ask for; default monologue
  std::size_t associations = 2;        // outbound associations in parallel, at most
  bool hold = false;                   // open no association to it: its messages wait (released by SIGHUP)
  P1Selectors selectors;               // its called TSAP/SSAP/PSAP
  P1Selectors calling_selectors;       // ours towards it
  int line = 0;                        // where it is defined (for messages)
};

// One p1.routes entry: X.400 recipients whose O/R address has these
// attribute values (C, ADMD, PRMD, O, then OU1.. in order; compared
// case-insensitively) go to the first of `peers` that takes the transfer.
// An empty `match` ("*") is the default route.
struct P1Route {
  std::vector<std::pair<std::string, std::string>> match;  // ("C","GB"), ("ADMD","BT"), ("OU","Sales") ...
  std::string text;                    // as written, for logs
  std::vector<std::string> peers;      // names in p1.peers, tried in order
  int line = 0;
};

struct P1Config {
  std::vector<ListenAddress> listen;
  std::size_t max_associations = 50;
  P1Selectors selectors;               // accepted called selectors; absent: any
  std::size_t checkpoint_size = 63;    // RTSE checkpoint size, units of 1024 octets; 0: none
  std::size_t window_size = 3;         // RTSE window size
  bool two_way_alternate = true;       // accept binds asking for two-way alternate
  std::uint64_t max_apdu_size = 16 << 20;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds bind_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds total_timeout{std::chrono::hours(1)};
  std::chrono::milliseconds durable_timeout{std::chrono::minutes(1)};
  // How long an outbound association with nothing more to send stays bound,
  // waiting for the next message to its peer, before it releases; 0: at once.
  std::chrono::milliseconds linger_timeout{std::chrono::seconds(2)};
  std::chrono::milliseconds retry_initial{std::chrono::minutes(1)};   // first deferral
  std::chrono::milliseconds retry_max{std::chrono::hours(1)};         // doubling up to this
  std::chrono::milliseconds lifetime{std::chrono::hours(24 * 5)};     // then failed
  // How long an APDU we took is remembered, so that a peer's retransmission
  // (our confirmation lost) is confirmed without queueing it twice; 0: off.
  std::chrono::milliseconds duplicate_window{std::chrono::hours(24 * 7)};
  std::vector<P1Peer> peers;
  std::vector<P1Route> routes;
  const P1Peer* peer(std::string_view name) const;
};

struct RoutingConfig {
  // Domains whose mail goes to the X.400 side (until the MCGAM tables of the
  // addressing issue decide): "x400.example" exactly, ".x400.example" for
  // its subdomains.
  std::vector<std::string> x400_domains;
  // RFC 5321 §6.3: a message with more Received: fields than this is looping (554 5.4.6).
  std::size_t max_received = 100;
};

// One mapping table file (RFC 2156 Appendix F syntax). `kind` is one of
// table1, table2, gateway-or, gateway-domain; `scope` local or shared.
struct TableFile {
  std::filesystem::path file;
  std::string kind;
  std::string scope;
};

// RFC 2156 chapter 4 address mapping: the MCGAM tables and the switches of
// the §4.3.4 heuristics (the addressing library's MappingContext).
struct AddressingConfig {
  std::vector<TableFile> tables;
  std::vector<std::string> precedence{"local", "shared"};  // first wins
  std::string override_mode = "related-set";               // or "entry"
  std::string source_routes = "keep";                      // keep, strip, strip-local
  bool inverted_ou_order = false;                          // §4.3.4.1
  bool semicolon_local_part = true;                        // §4.1.3
  bool rfc987_message_ids = false;                         // §4.7.3.6
};

// RFC 2156 message mapping (mapping/): the limits on what is converted and
// the choices the RFC leaves to a gateway, per direction. The P1 peer's mode
// (p1.peers[].mode) decides the Appendix B downgrade.
struct MappingLimits {
  std::uint64_t max_header_size = 1 << 20;    // an Internet message's header section
  std::size_t max_header_fields = 10000;
  std::uint64_t max_field_length = 256 << 10;  // one unfolded header field
  std::size_t max_nesting = 16;               // forwarded messages and multiparts inside each other
  std::size_t max_recipients = 10000;         // ub-recipients is 32767
};

struct ToX400Policy {
  // MTS identifier of a message from the Internet: "generated" (the gateway's
  // global domain and a unique local identifier) or "message-id" (RFC 2156
  // §5.1.6 / §4.6.3: from Message-ID when no Resent- field is present).
  std::string mts_identifier = "generated";
  // §5.1.3: a Bcc: with no address becomes an empty blind-copy-recipients
  // ("empty") or one recipient with free-form name "BCC" ("free-form").
  std::string empty_bcc = "empty";
  bool appendix_c = true;               // honour the Appendix C header fields
  bool restore_mts_identifier = false;  // X400-MTS-Identifier -> MTS identifier (§5.1.7 says not to)
  bool internal_trace = true;           // §5.1.6: internal trace from Date: and Received:
  std::size_t max_conversions = 5;      // §5.1.5: more MIXER conversions in this direction is a loop
};

struct ToRfc822Policy {
  bool refuse_dl_expansion_prohibited = false;        // §5.3.7 "may reject"
  bool refuse_recipient_reassignment_prohibited = false;  // §5.3.7 "may reject"
  bool auto_submitted = true;        // RFC 3834 Auto-Submitted beside Autosubmitted
  bool appendix_c_fields = true;     // write Appendix C fields for per-message indicators that differ from §5.1.5's defaults
  std::size_t max_conversions = 5;   // §5.1.5, counted in the X.400 trace
  // An IP notification to an Internet recipient: "mdn" (RFC 8098
  // multipart/report; report-type=disposition-notification, the §5.3.5 text
  // as its human-readable part) or "text" (RFC 2156 §5.3.5's text form alone).
  std::string ipn_format = "mdn";
};

// RFC 2157 body parts (bodyparts/): the choices §8 and §3.1 leave to a gateway, and the limits.
struct BodyPartsPolicy {
  std::string octet_stream = "bilaterally-defined";  // §6.3, or "ftbp" (§6.4: the EMA unknown attachment)
  std::string unknown_mime = "bp15";                 // a type with no equivalence: §3.1.2, or "ftbp" (§3.1.1)
  bool bp14_content_passing = false;                 // §3.1.4 instead of unknown_mime (X.400(1988) peers)
  bool utf8_general_text = false;                    // the X.400 peers take GeneralText in UTF-8 (ISO-IR 196)
  bool user_control = false;                         // RFC 2157 §4: honour Wanted-X400-Conversion (§4.1)
  std::string wanted_mime_conversions_oid;           // §4.2's heading extension (RFC 2157 assigns no OID)
  std::size_t max_parts = 1000;                      // body parts / MIME parts of one message
  std::uint64_t max_part_header_size = 64 << 10;     // one MIME part's header block
  std::uint64_t max_part_size = 64ULL << 20;         // one part's content
};

struct MappingConfig {
  MappingLimits limits;
  ToX400Policy to_x400;
  ToRfc822Policy to_rfc822;
  BodyPartsPolicy body_parts;
};

enum class SyncMethod { syncfs, fsync };

struct QueueConfig {
  std::filesystem::path directory;
  std::size_t max_messages = 100000;
  std::uint64_t max_bytes = 10ULL * 1024 * 1024 * 1024;
  std::uint64_t min_free_bytes = 100ULL * 1024 * 1024;
  SyncMethod sync = SyncMethod::syncfs;
  std::size_t sync_workers = 8;  // parallel fsyncs per batch (sync: fsync)
  // The local channel: mail for the gateway's own postmaster is delivered to
  // this Maildir (default: postmaster/ beside the queue directory).
  std::filesystem::path postmaster_maildir;
  // The queue manager (gateway/qmgr/): retry policy of the SMTP and local
  // channels (P1 uses p1.retry), lifetime of every recipient (P1: unless
  // p1.retry.lifetime is set), delay warnings, outbound SMTP concurrency.
  std::chrono::milliseconds lifetime{std::chrono::hours(24 * 5)};
  std::chrono::milliseconds delay_warning{std::chrono::hours(4)};  // 0: none
  std::chrono::milliseconds retry_initial{std::chrono::minutes(5)};
  std::chrono::milliseconds retry_max{std::chrono::hours(1)};
  std::size_t smtp_max_connections = 20;      // queue.smtp.max_connections
  std::size_t smtp_max_per_destination = 5;   // queue.smtp.max_per_destination
  // How often the daemon writes the start-up snapshot while it runs (queue/snapshot.hpp),
  // so that a start after a crash need not read every entry's file; 0: only at a clean
  // shutdown.
  std::chrono::milliseconds snapshot_interval{std::chrono::seconds(60)};
};

struct ControlConfig {
  std::filesystem::path socket;
};

enum class LogLevel { debug, info, warning, error };
enum class LogFormat { text, journal };

struct LogConfig {
  LogLevel level = LogLevel::info;
  LogFormat format = LogFormat::text;
};

struct Config {
  std::filesystem::path file;  // where it was loaded from (absolute)
  std::size_t threads = 0;     // event-loop threads; 0 = one per CPU
  GatewayIdentity gateway;
  SmtpConfig smtp;
  P1Config p1;
  RoutingConfig routing;
  AddressingConfig addressing;
  MappingConfig mapping;
  QueueConfig queue;
  ControlConfig control;
  LogConfig log;

  // The line of every key that was set ("smtp.listen[0]" -> 7), so that
  // checks made after loading (tables, the gateway's O/R address) can name
  // the line too. 0 if the key was not in the file.
  std::map<std::string, int> key_lines;
  int line_of(const std::string& key) const;
};

// One configuration error: FILE:LINE: key 'a.b': message.
struct ConfigError {
  std::string file;
  int line = 0;     // 1-based; 0 when the error is about the whole file
  std::string key;  // dotted path; empty when not about a key
  std::string message;
  std::string text() const;
};

struct LoadResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // in file order
};

// Loads and validates a config file and every file it names.
LoadResult load_config(const std::filesystem::path& file);

// Parses config text as if it came from `file` (no file access for the
// config itself; named files are still checked). For tests and fuzzing.
LoadResult parse_config(std::string_view text, const std::filesystem::path& file,
                        bool check_files = true);

}  // namespace mixer::conf
