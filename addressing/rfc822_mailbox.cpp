// addressing/rfc822_mailbox.cpp: RFC 5322 §3.4 address-list with comments.
#include "addressing/rfc822_mailbox.hpp"

#include "addressing/detail.hpp"

namespace mixer::addressing {

namespace {

const std::string k34 = "RFC 5322 §3.4";

struct Lexer {
  std::string_view s;
  std::size_t i = 0;
  std::vector<std::string>* comments = nullptr;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }

  // Skips folding white space and comments (recorded with their parentheses).
  Result<bool> cfws() {
    while (!done()) {
      const char c = s[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '(') {
        const std::size_t start = i;
        int depth = 0;
        do {
          if (done()) return make_error(Errc::syntax, k34, "unterminated comment");
          if (s[i] == '\\') ++i;
          else if (s[i] == '(') ++depth;
          else if (s[i] == ')') --depth;
          ++i;
        } while (depth > 0);
        if (comments) comments->emplace_back(s.substr(start, i - start));
      } else {
        break;
      }
    }
    return true;
  }

  // One word: atom (dots allowed, for obs-phrase) or quoted-string, unquoted.
  Result<std::string> word() {
    std::string out;
    if (peek() == '"') {
      ++i;
      while (true) {
        if (done()) return make_error(Errc::syntax, k34, "unterminated quoted-string");
        const char c = s[i++];
        if (c == '"') break;
        if (c == '\\' && !done()) {
          out += s[i++];
        } else if (c != '\r' && c != '\n') {  // c and the ordinary characters after it
          const std::size_t from = i - 1;
          while (!done() && s[i] != '"' && s[i] != '\\' && s[i] != '\r' && s[i] != '\n') ++i;
          out.append(s.data() + from, i - from);
        }
      }
      return out;
    }
    const std::size_t from = i;
    while (!done() && (is_atext(peek()) || peek() == '.')) ++i;
    if (i == from) return make_error(Errc::syntax, k34, std::string("unexpected '") + peek() + "'");
    out.assign(s.data() + from, i - from);
    return out;
  }
};

// Reads a mailbox at the lexer position: phrase <addr> or addr-spec, into m (empty).
std::optional<Error> mailbox(Lexer& lx, Rfc822Mailbox& m) {
  lx.comments = &m.comments;
  if (auto r = lx.cfws(); !r) return r.error();
  const std::size_t start = lx.i;
  // Try "phrase <route-addr>" first: words up to "<".
  std::string phrase;
  while (!lx.done() && lx.peek() != '<' && lx.peek() != ',' && lx.peek() != ';' && lx.peek() != '@' && lx.peek() != ':') {
    auto w = lx.word();
    if (!w) break;
    if (!phrase.empty()) phrase += ' ';
    phrase += *w;
    if (auto r = lx.cfws(); !r) return r.error();
  }
  if (lx.peek() == '<') {
    const std::size_t close = lx.s.find('>', lx.i);
    if (close == std::string_view::npos) return make_error(Errc::syntax, k34, "'<' without '>'");
    if (auto e = detail::parse_rfc822_address_into(lx.s.substr(lx.i + 1, close - lx.i - 1), m.address)) return e;
    m.phrase = std::move(phrase);
    m.angle = true;
    lx.i = close + 1;
    if (auto r = lx.cfws(); !r) return r.error();
    return std::nullopt;
  }
  // A bare addr-spec: comments inside it are collected and removed.
  lx.i = start;
  m.comments.clear();
  std::string spec;
  while (!lx.done() && lx.peek() != ',' && lx.peek() != ';') {
    const char c = lx.peek();
    if (c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (auto r = lx.cfws(); !r) return r.error();
    } else if (c == '"') {
      const std::size_t q = lx.i;
      if (auto w = lx.word(); !w) return w.error();
      spec += lx.s.substr(q, lx.i - q);
    } else {  // c and the characters after it up to the next one above
      const std::size_t from = lx.i++;
      while (!lx.done()) {
        const char d = lx.peek();
        if (d == ',' || d == ';' || d == '(' || d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '"') break;
        ++lx.i;
      }
      spec.append(lx.s.substr(from, lx.i - from));
    }
  }
  return detail::parse_rfc822_address_into(spec, m.address);
}

}  // namespace

Result<std::vector<Rfc822HeaderAddress>> parse_address_list(std::string_view text, std::size_t max_length,
                                                            std::size_t max_addresses) {
  if (text.size() > max_length) return make_error(Errc::limit, k34, "address list longer than the limit");
  Result<std::vector<Rfc822HeaderAddress>> result{std::in_place};  // filled in place
  std::vector<Rfc822HeaderAddress>& out = *result;
  Lexer lx{text};
  while (true) {
    std::vector<std::string> lead;
    lx.comments = &lead;
    if (auto r = lx.cfws(); !r) return r.error();
    if (lx.done()) break;
    if (lx.peek() == ',') {  // empty list element (obs-addr-list)
      ++lx.i;
      continue;
    }
    if (out.size() >= max_addresses) return make_error(Errc::limit, k34, "too many addresses");
    // A group is "phrase :" ... ";".
    const std::size_t start = lx.i;
    std::string phrase;
    // Comments read while looking for a group's ':' are the group's; a mailbox re-reads them.
    std::vector<std::string> phrase_comments;
    lx.comments = &phrase_comments;
    while (!lx.done() && lx.peek() != ':' && lx.peek() != '<' && lx.peek() != ',' && lx.peek() != '@') {
      auto w = lx.word();
      if (!w) break;
      if (!phrase.empty()) phrase += ' ';
      phrase += *w;
      if (auto r = lx.cfws(); !r) return r.error();
    }
    Rfc822HeaderAddress& h = out.emplace_back();
    if (lx.peek() == ':' && !phrase.empty()) {
      ++lx.i;
      h.group = true;
      h.group_phrase = std::move(phrase);
      h.comments = std::move(lead);
      h.comments.insert(h.comments.end(), phrase_comments.begin(), phrase_comments.end());
      while (true) {
        lx.comments = &h.comments;
        if (auto r = lx.cfws(); !r) return r.error();
        if (lx.peek() == ';') {
          ++lx.i;
          break;
        }
        if (lx.peek() == ',') {
          ++lx.i;
          continue;
        }
        if (lx.done()) return make_error(Errc::syntax, k34, "group '" + h.group_phrase + "' without ';'");
        if (auto e = mailbox(lx, h.mailboxes.emplace_back())) return *e;
      }
    } else {
      lx.i = start;
      Rfc822Mailbox& m = h.mailboxes.emplace_back();
      if (auto e = mailbox(lx, m)) return *e;
      m.comments.insert(m.comments.begin(), lead.begin(), lead.end());
    }
    lx.comments = nullptr;
    if (auto r = lx.cfws(); !r) return r.error();
    if (lx.done()) break;
    if (lx.peek() != ',') return make_error(Errc::syntax, k34, std::string("expected ',' before '") + lx.peek() + "'");
    ++lx.i;
  }
  return result;
}

std::string format_phrase(std::string_view p) {
  bool atoms = !p.empty() && p.front() != ' ' && p.back() != ' ';
  for (std::size_t i = 0; atoms && i < p.size(); ++i)
    atoms = is_atext(p[i]) || (p[i] == ' ' && p[i - 1] != ' ');
  if (atoms) return std::string(p);
  std::string out = "\"";
  for (char c : p) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace mixer::addressing
