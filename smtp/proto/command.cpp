// smtp/proto/command.cpp: command verbs and MAIL/RCPT parameters.
#include "smtp/proto/command.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "smtp/proto/syntax.hpp"

namespace mixer::smtp::proto {
namespace {

struct VerbName {
  std::string_view name;
  Verb verb;
};
constexpr VerbName kVerbs[] = {
    {"HELO", Verb::helo}, {"EHLO", Verb::ehlo}, {"MAIL", Verb::mail}, {"RCPT", Verb::rcpt},
    {"DATA", Verb::data}, {"RSET", Verb::rset}, {"NOOP", Verb::noop}, {"QUIT", Verb::quit},
    {"VRFY", Verb::vrfy}, {"EXPN", Verb::expn}, {"HELP", Verb::help},
    {"STARTTLS", Verb::starttls}, {"BDAT", Verb::bdat}, {"AUTH", Verb::auth},
    {"ETRN", Verb::etrn},
};

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
bool is_keyword(std::string_view k) {
  if (k.empty() || !std::isalnum(static_cast<unsigned char>(k.front()))) return false;
  for (char c : k)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

// esmtp-value = 1*(%d33-60 / %d62-126)
bool is_esmtp_value(std::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || u == '=') return false;
  }
  return true;
}

struct Param {
  std::string_view keyword, value;
  bool has_value = false;
};

Reply syntax(std::string_view what) { return Reply(501, "5.5.4", std::string(what)); }

// Splits the parameter list after the path into keyword[=value] items.
// Returns a refusal on syntax errors, duplicates are checked by the callers.
std::variant<std::vector<Param>, Reply> split_params(std::string_view rest) {
  std::vector<Param> out;
  std::size_t i = 0;
  while (i < rest.size()) {
    if (rest[i] == ' ') {
      ++i;
      continue;
    }
    auto end = rest.find(' ', i);
    auto item = rest.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    i = end == std::string_view::npos ? rest.size() : end;
    Param p;
    auto eq = item.find('=');
    p.keyword = item.substr(0, eq);
    if (eq != std::string_view::npos) {
      p.value = item.substr(eq + 1);
      p.has_value = true;
      if (!is_esmtp_value(p.value))
        return syntax("Bad value of parameter " + std::string(p.keyword));
    }
    if (!is_keyword(p.keyword)) return syntax("Bad parameter syntax: " + std::string(item));
    for (const auto& q : out)
      if (iequals(q.keyword, p.keyword)) return syntax("Duplicate parameter " + std::string(p.keyword));
    if (out.size() >= 16) return syntax("Too many parameters");
    out.push_back(p);
  }
  return out;
}

Reply unsupported(std::string_view keyword) {
  // RFC 5321 §4.1.1.11 / §4.2.3: 555 for unrecognized MAIL/RCPT parameters.
  return Reply(555, "5.5.4", "Unsupported parameter " + std::string(keyword));
}

// Strips the "FROM:" / "TO:" prefix (case-insensitive, spaces after the
// colon tolerated as many clients send them).
std::optional<std::string_view> after_prefix(std::string_view args, std::string_view prefix) {
  if (args.size() < prefix.size() || !iequals(args.substr(0, prefix.size()), prefix)) return std::nullopt;
  args.remove_prefix(prefix.size());
  while (!args.empty() && args.front() == ' ') args.remove_prefix(1);
  return args;
}

std::optional<Reply> path_refusal(PathError e, bool sender, std::string_view text) {
  switch (e) {
    case PathError::none: return std::nullopt;
    case PathError::non_ascii:
      return Reply(553, "5.6.7", "Non-ASCII address without SMTPUTF8 is not accepted");
    case PathError::too_long:
      return Reply(501, sender ? "5.1.7" : "5.1.3",
                   std::string(sender ? "Sender" : "Recipient") + " address too long (RFC 5321 4.5.3.1)");
    case PathError::syntax:
      break;
  }
  return Reply(501, sender ? "5.1.7" : "5.1.3",
               std::string("Bad ") + (sender ? "sender" : "recipient") + " address syntax");
}

}  // namespace

Command parse_command(std::string_view line) {
  Command c;
  auto sp = line.find(' ');
  c.name = line.substr(0, sp);
  c.args = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  for (const auto& v : kVerbs)
    if (iequals(v.name, c.name)) c.verb = v.verb;
  return c;
}

std::variant<MailFrom, Reply> parse_mail_args(std::string_view args, const Extensions& ext) {
  auto rest = after_prefix(args, "FROM:");
  if (!rest) return syntax("Syntax: MAIL FROM:<address> [parameters]");
  auto path = parse_path(*rest, /*allow_null=*/true, /*allow_bare_local=*/false);
  if (auto r = path_refusal(path.error, true, *rest)) return *r;
  MailFrom m;
  m.reverse_path = path.mailbox;
  if (path.consumed < rest->size() && (*rest)[path.consumed] != ' ')
    return syntax("Syntax: MAIL FROM:<address> [parameters]");
  auto params = split_params(rest->substr(path.consumed));
  if (auto* r = std::get_if<Reply>(&params)) return *r;
  for (const auto& p : std::get<std::vector<Param>>(params)) {
    if (iequals(p.keyword, "SIZE")) {  // RFC 1870 §6
      std::uint64_t n = 0;
      auto [end, ec] = std::from_chars(p.value.data(), p.value.data() + p.value.size(), n);
      if (!p.has_value || ec != std::errc() || end != p.value.data() + p.value.size() ||
          p.value.size() > 20)
        return syntax("Bad SIZE value");
      if (ext.max_message_size && n > ext.max_message_size)
        return Reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
      m.size = n;
    } else if (iequals(p.keyword, "BODY") && ext.eight_bit_mime) {  // RFC 6152 §2
      if (iequals(p.value, "7BIT")) m.body = Body::seven_bit;
      else if (iequals(p.value, "8BITMIME")) m.body = Body::eight_bit_mime;
      else return syntax("Bad BODY value (7BIT or 8BITMIME)");
    } else if (iequals(p.keyword, "RET") && ext.dsn) {  // RFC 3461 §4.3
      if (iequals(p.value, "FULL")) m.ret = Ret::full;
      else if (iequals(p.value, "HDRS")) m.ret = Ret::hdrs;
      else return syntax("Bad RET value (FULL or HDRS)");
    } else if (iequals(p.keyword, "ENVID") && ext.dsn) {  // RFC 3461 §4.4
      if (!p.has_value || !is_xtext(p.value)) return syntax("ENVID is not xtext (RFC 3461 4.4)");
      if (p.value.size() > kMaxEnvidLength) return syntax("ENVID longer than 100 characters (RFC 3461 4.4)");
      m.envid = std::string(p.value);
    } else {
      return unsupported(p.keyword);
    }
  }
  return m;
}

std::variant<RcptTo, Reply> parse_rcpt_args(std::string_view args, const Extensions& ext) {
  auto rest = after_prefix(args, "TO:");
  if (!rest) return syntax("Syntax: RCPT TO:<address> [parameters]");
  auto path = parse_path(*rest, /*allow_null=*/false, /*allow_bare_local=*/true);
  if (auto r = path_refusal(path.error, false, *rest)) return *r;
  RcptTo t;
  t.forward_path = path.mailbox;
  if (t.forward_path.domain.empty()) {
    // RFC 5321 §4.1.1.3: only <Postmaster> may come without a domain.
    if (!iequals(t.forward_path.local, "postmaster"))
      return Reply(501, "5.1.3", "Bad recipient address syntax (domain required)");
    t.postmaster_only = true;
  }
  if (path.consumed < rest->size() && (*rest)[path.consumed] != ' ')
    return syntax("Syntax: RCPT TO:<address> [parameters]");
  auto params = split_params(rest->substr(path.consumed));
  if (auto* r = std::get_if<Reply>(&params)) return *r;
  for (const auto& p : std::get<std::vector<Param>>(params)) {
    if (iequals(p.keyword, "NOTIFY") && ext.dsn) {  // RFC 3461 §4.1
      if (!p.has_value) return syntax("NOTIFY needs a value");
      Notify& n = t.notify;
      n.present = true;
      std::size_t start = 0;
      while (start <= p.value.size()) {
        auto comma = p.value.find(',', start);
        auto word = p.value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        bool* flag = iequals(word, "NEVER")     ? &n.never
                     : iequals(word, "SUCCESS") ? &n.success
                     : iequals(word, "FAILURE") ? &n.failure
                     : iequals(word, "DELAY")   ? &n.delay
                                                : nullptr;
        if (!flag) return syntax("Bad NOTIFY value (NEVER or SUCCESS,FAILURE,DELAY)");
        if (*flag) return syntax("Repeated NOTIFY keyword");
        *flag = true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      if (n.never && (n.success || n.failure || n.delay))
        return syntax("NOTIFY=NEVER cannot be combined with other values (RFC 3461 4.1)");
    } else if (iequals(p.keyword, "ORCPT") && ext.dsn) {  // RFC 3461 §4.2
      auto semi = p.value.find(';');
      if (!p.has_value || semi == std::string_view::npos || semi == 0)
        return syntax("ORCPT must be addr-type;xtext (RFC 3461 4.2)");
      for (char c : p.value.substr(0, semi))
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
          return syntax("Bad ORCPT address type");
      if (!is_xtext(p.value.substr(semi + 1)) || semi + 1 == p.value.size())
        return syntax("ORCPT address is not xtext (RFC 3461 4.2)");
      if (p.value.size() > kMaxOrcptLength) return syntax("ORCPT longer than 500 characters (RFC 3461 4.2)");
      t.orcpt = std::string(p.value);
    } else {
      return unsupported(p.keyword);
    }
  }
  return t;
}

std::string Notify::text() const {
  if (!present) return {};
  if (never) return "NEVER";
  std::string out;
  if (success) out += "SUCCESS";
  if (failure) out += std::string(out.empty() ? "" : ",") + "FAILURE";
  if (delay) out += std::string(out.empty() ? "" : ",") + "DELAY";
  return out;
}

}  // namespace mixer::smtp::proto
