// gateway/queue/format/control_file.cpp: encode and decode control files.
#include "gateway/queue/format/control_file.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "gateway/queue/format/tokens.hpp"

namespace mixer::queue {
namespace {

constexpr std::string_view kMagic = "mixer-queue";

const char* kind_name(Record::Kind k) {
  switch (k) {
    case Record::Kind::hold: return "hold";
    case Record::Kind::release: return "release";
    case Record::Kind::retry: return "retry";
    case Record::Kind::remove: return "remove";
    case Record::Kind::status: return "status";
    case Record::Kind::warned: return "warned";
  }
  return "?";
}

template <typename T>
bool to_number(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

std::optional<RecipientStatus> parse_status(std::string_view s) {
  for (auto st : {RecipientStatus::queued, RecipientStatus::deferred, RecipientStatus::delivered,
                  RecipientStatus::failed})
    if (s == status_name(st)) return st;
  return std::nullopt;
}

// Eight hex digits.
bool parse_crc(std::string_view v, std::uint32_t& out) {
  unsigned long c = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), c, 16);
  if (ec != std::errc() || end != v.data() + v.size() || v.size() != 8) return false;
  out = static_cast<std::uint32_t>(c);
  return true;
}

std::string crc_text(std::uint32_t c) {
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x", c);
  return crc;
}

// "key=value" -> value when the key matches.
bool take(std::string_view tok, std::string_view key, std::string& out) {
  if (tok.size() <= key.size() || tok.compare(0, key.size(), key) != 0 || tok[key.size()] != '=')
    return false;
  out.assign(tok.substr(key.size() + 1));
  return true;
}

void line(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += ' ';
  out += quote_token(value);
  out += '\n';
}

struct Parser {
  const ControlLimits& limits;
  DecodeResult& result;
  int lineno = 0;

  bool fail(std::string why) {
    result.status = DecodeResult::Status::invalid;
    result.error = std::move(why);
    result.line = lineno;
    return false;
  }

  // rcpt N to=... channel=... [or=...] [peer=...|domain=...] [form=N] [src=N] [notify=...] [orcpt=...] [dr=1]
  bool recipient(const std::vector<std::string_view>& t, ControlFile& f) {
    RecipientRecord r;
    if (t.size() < 2 || !to_number(t[1], r.index) || r.index != f.recipients.size())
      return fail("recipient lines must be numbered 0, 1, 2, ...");
    std::string channel, v;
    for (std::size_t i = 2; i < t.size(); ++i) {
      if (take(t[i], "to", r.address) || take(t[i], "or", r.or_address) || take(t[i], "channel", channel) ||
          take(t[i], "notify", r.notify) || take(t[i], "orcpt", r.orcpt) || take(t[i], "peer", r.peer) ||
          take(t[i], "domain", r.domain))
        continue;
      if (take(t[i], "dr", v)) {
        if (v != "1") return fail("dr=" + v + ": only dr=1 is written");
        r.delivery_report = true;
        continue;
      }
      if (take(t[i], "form", v)) {
        if (!to_number(v, r.form) || r.form > f.forms.size()) return fail("recipient names form " + v + " which does not exist");
        continue;
      }
      if (take(t[i], "fallback", v)) {
        std::size_t from = 0;
        while (from <= v.size()) {
          auto comma = v.find(',', from);
          if (comma == std::string::npos) comma = v.size();
          if (comma == from) return fail("empty peer name in fallback=");
          r.fallback.push_back(v.substr(from, comma - from));
          from = comma + 1;
        }
        continue;
      }
      if (take(t[i], "src", v)) {
        if (!to_number(v, r.source) || r.source < 0) return fail("bad src=");
        continue;
      }
      return fail("unknown recipient attribute '" + std::string(t[i]) + "'");
    }
    auto c = parse_channel(channel);
    if (!c) return fail("unknown channel '" + channel + "'");
    r.channel = *c;
    if (r.channel == Channel::p1 && r.peer.empty()) return fail("p1 recipient without peer=");
    if (r.channel == Channel::smtp && r.domain.empty()) return fail("smtp recipient without domain=");
    if (r.address.empty() && r.channel != Channel::p1) return fail("recipient without to=");
    if (f.recipients.size() >= limits.max_recipients) return fail("too many recipients");
    f.recipients.push_back(std::move(r));
    return true;
  }

  // form N kind=rfc822|p1 size=N crc32c=X [mode=N] [sender=..] [body=..] [ret=..] [envid=..] [mts-id=..] [msgid=..]
  bool form(const std::vector<std::string_view>& t, ControlFile& f) {
    FormRecord r;
    if (t.size() < 2 || !to_number(t[1], r.index) || r.index != f.forms.size() + 1)
      return fail("form lines must be numbered 1, 2, 3, ...");
    if (!f.recipients.empty()) return fail("form lines come before the recipients");
    bool kind = false, size = false, crc = false;
    std::string v;
    for (std::size_t i = 2; i < t.size(); ++i) {
      if (take(t[i], "kind", v)) {
        if (v == "rfc822") r.kind = FormRecord::Kind::rfc822;
        else if (v == "p1") r.kind = FormRecord::Kind::p1;
        else return fail("unknown form kind '" + v + "'");
        kind = true;
      } else if (take(t[i], "size", v)) {
        if (!to_number(v, r.size)) return fail("bad form size");
        size = true;
      } else if (take(t[i], "crc32c", v)) {
        if (!parse_crc(v, r.crc32c)) return fail("bad form crc32c");
        crc = true;
      } else if (take(t[i], "mode", v)) {
        if (!to_number(v, r.mode) || (r.mode != 1984 && r.mode != 1988)) return fail("bad form mode");
      } else if (take(t[i], "sender", r.sender) || take(t[i], "body", r.body) || take(t[i], "ret", r.ret) ||
                 take(t[i], "envid", r.envid) || take(t[i], "mts-id", r.mts_id) || take(t[i], "msgid", r.message_id)) {
      } else {
        return fail("unknown form attribute '" + std::string(t[i]) + "'");
      }
    }
    if (!kind || !size || !crc) return fail("form without kind=, size= or crc32c=");
    if (f.forms.size() >= limits.max_forms) return fail("too many forms");
    f.forms.push_back(std::move(r));
    return true;
  }

  bool header(const std::vector<std::string_view>& t, ControlFile& f) {
    const std::string_view k = t[0];
    if (k == "rcpt") return recipient(t, f);
    if (k == "form") return form(t, f);
    if (t.size() != 2) return fail("'" + std::string(k) + "' takes exactly one value");
    const std::string_view v = t[1];
    if (k == "id") f.id = v;
    else if (k == "arrival") { if (!to_number(v, f.arrival_us)) return fail("bad arrival"); }
    else if (k == "origin") f.origin = v;
    else if (k == "client") f.client = v;
    else if (k == "helo") f.helo = v;
    else if (k == "protocol") f.protocol = v;
    else if (k == "tls") f.tls = v;
    else if (k == "size") { if (!to_number(v, f.size)) return fail("bad size"); }
    else if (k == "crc32c") { if (!parse_crc(v, f.crc32c)) return fail("bad crc32c"); }
    else if (k == "body") f.body = v;
    else if (k == "ret") f.ret = v;
    else if (k == "envid") f.envid = v;
    else if (k == "sender") f.sender = v;
    else if (k == "apdu") {
      if (v != "message" && v != "report" && v != "probe") return fail("unknown apdu kind '" + std::string(v) + "'");
      f.apdu = v;
    }
    else if (k == "peer") f.peer = v;
    else if (k == "mts-id") f.mts_id = v;
    else return fail("unknown key '" + std::string(k) + "'");
    return true;
  }

  std::optional<Record> record(const std::vector<std::string_view>& t) {
    Record r;
    const std::string_view k = t[0];
    if (k == "status") {
      r.kind = Record::Kind::status;
      std::string v;
      if (t.size() < 3 || !to_number(t[1], r.rcpt)) return fail("bad status record"), std::nullopt;
      auto st = parse_status(t[2]);
      if (!st) return fail("unknown recipient status '" + std::string(t[2]) + "'"), std::nullopt;
      r.status = *st;
      for (std::size_t i = 3; i < t.size(); ++i) {
        if (take(t[i], "time", v)) { if (!to_number(v, r.time)) return fail("bad time"), std::nullopt; }
        else if (take(t[i], "attempts", v)) { if (!to_number(v, r.attempts)) return fail("bad attempts"), std::nullopt; }
        else if (take(t[i], "next", v)) { if (!to_number(v, r.next_attempt)) return fail("bad next"), std::nullopt; }
        else if (take(t[i], "dsn", r.dsn) || take(t[i], "diag", r.diagnostic)) {}
        else if (t[i] == "dr=1") r.delivery_report = true;
        else return fail("unknown status attribute '" + std::string(t[i]) + "'"), std::nullopt;
      }
      return r;
    }
    for (auto kind : {Record::Kind::hold, Record::Kind::release, Record::Kind::retry, Record::Kind::remove,
                      Record::Kind::warned})
      if (k == kind_name(kind)) {
        r.kind = kind;
        if (t.size() != 2 || !to_number(t[1], r.time)) return fail("bad " + std::string(k) + " record"), std::nullopt;
        return r;
      }
    return fail("unknown record '" + std::string(k) + "'"), std::nullopt;
  }
};

}  // namespace

const char* channel_name(Channel c) {
  switch (c) {
    case Channel::smtp: return "smtp";
    case Channel::p1: return "p1";
    case Channel::local: return "local";
  }
  return "?";
}

std::optional<Channel> parse_channel(std::string_view s) {
  for (auto c : {Channel::smtp, Channel::p1, Channel::local})
    if (s == channel_name(c)) return c;
  return std::nullopt;
}

const char* form_kind_name(FormRecord::Kind k) { return k == FormRecord::Kind::p1 ? "p1" : "rfc822"; }

std::string form_file_name(std::size_t index) { return index == 0 ? "base" : "form" + std::to_string(index); }

const std::string& next_hop(const RecipientRecord& r) {
  static const std::string local = "local";
  switch (r.channel) {
    case Channel::p1: return r.peer;
    case Channel::smtp: return r.domain;
    case Channel::local: return local;
  }
  return local;
}

const char* status_name(RecipientStatus s) {
  switch (s) {
    case RecipientStatus::queued: return "queued";
    case RecipientStatus::deferred: return "deferred";
    case RecipientStatus::delivered: return "delivered";
    case RecipientStatus::failed: return "failed";
  }
  return "?";
}

std::string encode_control(const ControlFile& f) {
  std::string out;
  out.reserve(512 + f.recipients.size() * 96);
  out += kMagic;
  out += ' ';
  out += std::to_string(kControlVersion);
  out += '\n';
  line(out, "id", f.id);
  line(out, "arrival", std::to_string(f.arrival_us));
  line(out, "origin", f.origin);
  line(out, "client", f.client);
  line(out, "helo", f.helo);
  line(out, "protocol", f.protocol);
  if (!f.tls.empty()) line(out, "tls", f.tls);
  line(out, "size", std::to_string(f.size));
  line(out, "crc32c", crc_text(f.crc32c));
  if (!f.body.empty()) line(out, "body", f.body);
  if (!f.ret.empty()) line(out, "ret", f.ret);
  if (!f.envid.empty()) line(out, "envid", f.envid);
  line(out, "sender", f.sender);
  if (!f.apdu.empty()) line(out, "apdu", f.apdu);
  if (!f.peer.empty()) line(out, "peer", f.peer);
  if (!f.mts_id.empty()) line(out, "mts-id", f.mts_id);
  for (const auto& m : f.forms) {
    out += "form " + std::to_string(m.index) + " kind=" + form_kind_name(m.kind);
    if (m.mode) out += " mode=" + std::to_string(m.mode);
    out += " size=" + std::to_string(m.size) + " crc32c=" + crc_text(m.crc32c);
    if (m.kind == FormRecord::Kind::rfc822) out += " sender=" + quote_token(m.sender);
    if (!m.body.empty()) out += " body=" + quote_token(m.body);
    if (!m.ret.empty()) out += " ret=" + quote_token(m.ret);
    if (!m.envid.empty()) out += " envid=" + quote_token(m.envid);
    if (!m.mts_id.empty()) out += " mts-id=" + quote_token(m.mts_id);
    if (!m.message_id.empty()) out += " msgid=" + quote_token(m.message_id);
    out += '\n';
  }
  for (const auto& r : f.recipients) {
    out += "rcpt " + std::to_string(r.index);
    if (!r.address.empty() || r.channel != Channel::p1) out += " to=" + quote_token(r.address);
    if (!r.or_address.empty()) out += " or=" + quote_token(r.or_address);
    out += " channel=";
    out += channel_name(r.channel);
    if (!r.peer.empty()) out += " peer=" + quote_token(r.peer);
    if (!r.fallback.empty()) {
      std::string list;
      for (const auto& p : r.fallback) list += (list.empty() ? "" : ",") + p;
      out += " fallback=" + quote_token(list);
    }
    if (!r.domain.empty()) out += " domain=" + quote_token(r.domain);
    if (r.form) out += " form=" + std::to_string(r.form);
    if (r.source >= 0) out += " src=" + std::to_string(r.source);
    if (!r.notify.empty()) out += " notify=" + quote_token(r.notify);
    if (!r.orcpt.empty()) out += " orcpt=" + quote_token(r.orcpt);
    if (r.delivery_report) out += " dr=1";
    out += '\n';
  }
  out += "end\n";
  return out;
}

std::string encode_record(const Record& r) {
  std::string out = kind_name(r.kind);
  if (r.kind != Record::Kind::status) return out + " " + std::to_string(r.time) + "\n";
  out += " " + std::to_string(r.rcpt) + " " + status_name(r.status) + " time=" + std::to_string(r.time) +
         " attempts=" + std::to_string(r.attempts) + " next=" + std::to_string(r.next_attempt);
  if (!r.dsn.empty()) out += " dsn=" + quote_token(r.dsn);
  if (!r.diagnostic.empty()) out += " diag=" + quote_token(r.diagnostic);
  if (r.delivery_report) out += " dr=1";
  return out + "\n";
}

void apply_record(ControlFile& f, const Record& r) {
  switch (r.kind) {
    case Record::Kind::hold: f.held = true; break;
    case Record::Kind::release: f.held = false; break;
    case Record::Kind::remove: f.removed = true; break;
    case Record::Kind::warned: f.warned = std::max(f.warned, r.time); break;
    case Record::Kind::retry:
      for (auto& rc : f.recipients)
        if (rc.status == RecipientStatus::deferred) rc.next_attempt = 0;
      break;
    case Record::Kind::status:
      if (r.rcpt < f.recipients.size()) {
        auto& rc = f.recipients[r.rcpt];
        rc.status = r.status;
        rc.attempts = r.attempts;
        rc.next_attempt = r.next_attempt;
        rc.dsn = r.dsn;
        rc.diagnostic = r.diagnostic;
        rc.delivery_report = rc.delivery_report || r.delivery_report;
      }
      break;
  }
}

DecodeResult decode_control(std::string_view text, const ControlLimits& limits) {
  DecodeResult result;
  Parser p{limits, result};
  if (text.size() > limits.max_bytes) {
    p.fail("control file larger than the limit");
    return result;
  }
  ControlFile f;
  bool in_header = true, first = true;
  std::size_t pos = 0;
  // Reused from line to line (and from file to file on one thread): no allocation per token.
  thread_local std::vector<std::string_view> tokens;
  thread_local std::string scratch;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    ++p.lineno;
    if (nl == std::string_view::npos) {
      // A torn last line: in the header the entry is incomplete; after
      // "end" it is an append cut short by a crash and is ignored.
      if (in_header) {
        result.status = DecodeResult::Status::incomplete;
        result.error = "control file ends in the middle of a line";
        result.line = p.lineno;
        return result;
      }
      break;
    }
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!split_token_views(raw, tokens, scratch) || tokens.empty()) {
      p.fail("unreadable line");
      return result;
    }
    const auto& t = tokens;
    if (first) {
      first = false;
      int version = 0;
      if (t.size() != 2 || t[0] != kMagic || !to_number(t[1], version)) {
        p.fail("not a mixer queue control file");
        return result;
      }
      if (version != kControlVersion) {
        p.fail("control file version " + std::string(t[1]) + " is not supported (this is version " +
               std::to_string(kControlVersion) + ")");
        return result;
      }
      continue;
    }
    if (in_header) {
      if (t[0] == "end" && t.size() == 1) {
        in_header = false;
        continue;
      }
      if (!p.header(t, f)) return result;
      continue;
    }
    auto r = p.record(t);
    if (!r) return result;
    if (f.records.size() >= limits.max_records) {
      p.fail("too many appended records");
      return result;
    }
    if (r->kind == Record::Kind::status && r->rcpt >= f.recipients.size()) {
      p.fail("status record for recipient " + std::to_string(r->rcpt) + " which does not exist");
      return result;
    }
    apply_record(f, *r);
    f.records.push_back(std::move(*r));
  }
  if (first || in_header) {
    result.status = DecodeResult::Status::incomplete;
    result.error = first ? "empty control file" : "control file has no 'end' line";
    result.line = p.lineno;
    return result;
  }
  if (f.id.empty() || (f.recipients.empty() && f.apdu.empty())) {
    p.fail("control file without id or recipients");
    return result;
  }
  result.status = DecodeResult::Status::complete;
  result.file = std::move(f);
  return result;
}

}  // namespace mixer::queue
