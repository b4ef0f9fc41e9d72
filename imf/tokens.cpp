// imf/tokens.cpp: see the header.
#include "imf/tokens.hpp"

namespace mixer::imf {

namespace {

const char* const k322 = "RFC 5322 §3.2.2";
const char* const k324 = "RFC 5322 §3.2.4";
const char* const k364 = "RFC 5322 §3.6.4";

std::optional<Error> check_size(std::string_view s, const Limits& limits) {
  if (s.size() > limits.max_value_size)
    return make_error(Errc::value_too_long, 0, "", "value longer than " + std::to_string(limits.max_value_size) + " octets");
  return std::nullopt;
}

Error too_many(std::size_t offset, const Limits& limits) {
  return make_error(Errc::too_many_items, offset, "", "more than " + std::to_string(limits.max_items) + " items");
}

// s[i] == '[': the offset past the closing "]" (quoted-pairs allowed, §4.4 obs-dtext).
Result<std::size_t> literal_end(std::string_view s, std::size_t i) {
  for (std::size_t j = i + 1; j < s.size(); ++j) {
    if (s[j] == '\\') ++j;
    else if (s[j] == ']') return j + 1;
  }
  return make_error(Errc::syntax, i, "RFC 5322 §3.4.1", "'[' without ']'");
}

// dot-atom-text (§3.2.3): atext runs joined by single dots.
bool dot_atom_text(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i - 1] == '.') return false;
    } else if (!is_atext(s[i])) {
      return false;
    }
  }
  return true;
}

// no-fold-literal (§3.6.4): "[" *dtext "]".
bool no_fold_literal(std::string_view s) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c <= 32 || c == '[' || c == ']' || c == '\\' || c == 127) return false;
  }
  return true;
}

}  // namespace

Result<std::size_t> comment_end(std::string_view s, std::size_t i, const Limits& limits) {
  const std::size_t start = i;
  std::size_t depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '(') {
      if (++depth > limits.max_comment_depth)
        return make_error(Errc::comment_too_deep, i, "",
                          "comments nested deeper than " + std::to_string(limits.max_comment_depth));
    } else if (c == ')') {
      if (--depth == 0) return i + 1;
    }
    ++i;
  }
  return make_error(Errc::syntax, start, k322, "unterminated comment");
}

Result<std::size_t> quoted_string_end(std::string_view s, std::size_t i) {
  for (std::size_t j = i + 1; j < s.size(); ++j) {
    if (s[j] == '\\') ++j;
    else if (s[j] == '"') return j + 1;
  }
  return make_error(Errc::syntax, i, k324, "unterminated quoted-string");
}

std::optional<Error> skip_cfws(std::string_view s, std::size_t& i, const Limits& limits) {
  while (i < s.size()) {
    if (is_lwsp(s[i])) {
      ++i;
    } else if (s[i] == '(') {
      auto e = comment_end(s, i, limits);
      if (!e) return e.error();
      i = *e;
    } else {
      break;
    }
  }
  return std::nullopt;
}

std::string unquote(std::string_view q) {
  if (q.size() >= 2 && q.front() == '"' && q.back() == '"') q = q.substr(1, q.size() - 2);
  std::string out;
  out.reserve(q.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (q[i] == '\\' && i + 1 < q.size()) {
      out += q[++i];
    } else if (q[i] == '\r' && i + 2 < q.size() && q[i + 1] == '\n' && (q[i + 2] == ' ' || q[i + 2] == '\t')) {
      ++i;  // the fold's CRLF is invisible; its WSP stays
    } else {
      out += q[i];
    }
  }
  return out;
}

Result<Token> Lexer::next() {
  if (auto e = skip_cfws(s_, i_, limits_)) return *e;
  Token t;
  t.offset = i_;
  if (i_ >= s_.size()) return t;
  const char c = s_[i_];
  std::size_t end = i_ + 1;
  if (c == '"') {
    auto e = quoted_string_end(s_, i_);
    if (!e) return e.error();
    end = *e;
    t.kind = Token::Kind::quoted_string;
  } else if (c == '[') {
    auto e = literal_end(s_, i_);
    if (!e) return e.error();
    end = *e;
    t.kind = Token::Kind::domain_literal;
  } else if (is_atext(c) || (dots_ && c == '.')) {
    end = i_;
    while (end < s_.size() && (is_atext(s_[end]) || (dots_ && s_[end] == '.'))) ++end;
    t.kind = Token::Kind::atom;
  } else {
    t.kind = Token::Kind::special;
  }
  t.text = s_.substr(i_, end - i_);
  i_ = end;
  return t;
}

Result<std::vector<MsgIdItem>> parse_msg_id_list(std::string_view s, const Limits& limits) {
  if (auto e = check_size(s, limits)) return *e;
  std::vector<MsgIdItem> items;
  std::size_t i = 0, phrase_start = std::string_view::npos, phrase_end = 0;
  auto close_phrase = [&]() -> bool {
    if (phrase_start == std::string_view::npos) return true;
    if (items.size() >= limits.max_items) return false;
    MsgIdItem p;
    p.kind = MsgIdItem::Kind::phrase;
    p.raw = s.substr(phrase_start, phrase_end - phrase_start);
    items.push_back(std::move(p));
    phrase_start = std::string_view::npos;
    return true;
  };
  while (true) {
    if (auto e = skip_cfws(s, i, limits)) return *e;
    if (i >= s.size()) break;
    if (s[i] != '<') {  // a word of an obsolete phrase (stray specials included)
      std::size_t end = i + 1;
      if (s[i] == '"') {
        auto e = quoted_string_end(s, i);
        if (!e) return e.error();
        end = *e;
      } else if (is_atext(s[i]) || s[i] == '.') {
        while (end < s.size() && (is_atext(s[end]) || s[end] == '.')) ++end;
      }
      if (phrase_start == std::string_view::npos) phrase_start = i;
      phrase_end = end;
      i = end;
      continue;
    }
    if (!close_phrase()) return too_many(i, limits);
    MsgIdItem m;
    m.id = "<";
    bool obs = false, stray = false;
    std::size_t at = std::string::npos, j = i + 1;
    while (j < s.size() && s[j] != '>') {
      const char c = s[j];
      if (is_lwsp(c) || c == '(') {
        if (auto e = skip_cfws(s, j, limits)) return *e;
        obs = true;
      } else if (c == '"' || c == '[') {
        auto e = c == '"' ? quoted_string_end(s, j) : literal_end(s, j);
        if (!e) return e.error();
        if (c == '"') obs = true;
        m.id.append(s.substr(j, *e - j));
        j = *e;
      } else {  // c and the characters after it up to the next one above
        const std::size_t from = j;
        while (j < s.size()) {
          const char d = s[j];
          if (d == '>' || is_lwsp(d) || d == '(' || d == '"' || d == '[') break;
          if (d == '@') at = m.id.size() + (j - from);
          else if (!is_atext(d) && d != '.') stray = true;
          ++j;
        }
        m.id.append(s.substr(from, j - from));
      }
    }
    if (j >= s.size()) return make_error(Errc::syntax, i, k364, "'<' without '>'");
    m.id += '>';
    m.raw = s.substr(i, j + 1 - i);
    i = j + 1;
    const bool sides = at != std::string::npos && at > 1 && at + 2 < m.id.size();
    if (sides && !obs && !stray) {
      const std::string_view id(m.id);
      const std::string_view left = id.substr(1, at - 1), right = id.substr(at + 1, id.size() - at - 2);
      m.kind = dot_atom_text(left) && (dot_atom_text(right) || no_fold_literal(right)) ? MsgIdItem::Kind::msg_id
                                                                                        : MsgIdItem::Kind::obs_msg_id;
    } else if (sides && !stray) {
      m.kind = MsgIdItem::Kind::obs_msg_id;
    } else {
      m.kind = MsgIdItem::Kind::invalid;
    }
    if (items.size() >= limits.max_items) return too_many(m.raw.data() - s.data(), limits);
    items.push_back(std::move(m));
  }
  if (!close_phrase()) return too_many(s.size(), limits);
  return items;
}

Result<std::vector<std::string_view>> split_list(std::string_view s, char sep, const Limits& limits) {
  if (auto e = check_size(s, limits)) return *e;
  std::vector<std::string_view> items;
  std::size_t i = 0, start = 0;
  auto push = [&](std::size_t end) -> bool {
    std::size_t b = start;
    while (b < end && is_lwsp(s[b])) ++b;
    while (end > b && is_lwsp(s[end - 1])) --end;
    if (b == end) return true;
    if (items.size() >= limits.max_items) return false;
    items.push_back(s.substr(b, end - b));
    return true;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == sep) {
      if (!push(i)) return too_many(i, limits);
      start = ++i;
      continue;
    }
    Result<std::size_t> end = i + 1;
    if (c == '"') end = quoted_string_end(s, i);
    else if (c == '(') end = comment_end(s, i, limits);
    else if (c == '[') end = literal_end(s, i);
    else if (c == '<') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != '>') {
        if (s[j] == '"') {
          auto q = quoted_string_end(s, j);
          if (!q) return q.error();
          j = *q;
        } else {
          ++j;
        }
      }
      if (j >= s.size()) return make_error(Errc::syntax, i, "RFC 5322 §3.4", "'<' without '>'");
      end = j + 1;
    }
    if (!end) return end.error();
    i = *end;
  }
  if (!push(s.size())) return too_many(s.size(), limits);
  return items;
}

Result<std::vector<PhraseItem>> parse_phrase_list(std::string_view s, const Limits& limits) {
  auto parts = split_list(s, ',', limits);
  if (!parts) return parts.error();
  std::vector<PhraseItem> out;
  out.reserve(parts->size());
  for (std::string_view p : *parts) {
    Lexer lx(p, limits, true);
    PhraseItem item{p, true};
    bool any = false;
    while (true) {
      auto t = lx.next();
      if (!t) return t.error();
      if (t->kind == Token::Kind::end) break;
      any = true;
      if (t->kind != Token::Kind::atom && t->kind != Token::Kind::quoted_string) item.phrase = false;
    }
    if (any) out.push_back(item);  // an item of comments only is an obsolete null element
  }
  return out;
}

}  // namespace mixer::imf
