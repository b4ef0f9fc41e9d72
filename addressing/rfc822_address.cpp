// addressing/rfc822_address.cpp: RFC 822 route/addr-spec parsing and quoting.
#include "addressing/rfc822_address.hpp"

#include "addressing/detail.hpp"

namespace mixer::addressing {

namespace {

const std::string kSec = "RFC 822 §6.1";

bool is_dtext(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 33 && u <= 126 && c != '[' && c != ']' && c != '\\') || u > 127;
}

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
};

// The refusal, written only when the parse keeps what it reads (Build):
// a check alone (detail::is_rfc822_address) needs no text.
template <bool Build, class F>
Error refuse(F&& make) {
  if constexpr (Build) return make();
  else return Error{};
}

// dot-atom or domain-literal at the cursor, into *out when Build.
template <bool Build>
std::optional<Error> dot_atom_or_literal(Cursor& c, const char* what, std::string* out) {
  if (c.peek() == '[') {
    const std::size_t close = c.s.find(']', c.i);
    if (close == std::string_view::npos)
      return refuse<Build>([&] { return make_error(Errc::syntax, kSec, std::string(what) + ": '[' without ']'"); });
    for (std::size_t k = c.i + 1; k < close; ++k)
      if (!is_dtext(c.s[k]) && c.s[k] != ' ')
        return refuse<Build>(
            [&] { return make_error(Errc::syntax, kSec, std::string(what) + ": bad character in domain-literal"); });
    if constexpr (Build) out->assign(c.s.substr(c.i, close - c.i + 1));
    c.i = close + 1;
    return std::nullopt;
  }
  bool need_atom = true;
  const std::size_t start = c.i;
  while (!c.done()) {
    const char ch = c.peek();
    if (is_atext(ch)) {
      need_atom = false;
      ++c.i;
    } else if (ch == '.' && !need_atom) {
      need_atom = true;
      ++c.i;
    } else {
      break;
    }
  }
  if (c.i == start || need_atom)
    return refuse<Build>([&] { return make_error(Errc::syntax, kSec, std::string(what) + " is not a dot-atom"); });
  if constexpr (Build) out->assign(c.s.substr(start, c.i - start));
  return std::nullopt;
}

// [route] addr-spec; with Build, into *a. `routed`: a route was read.
template <bool Build>
std::optional<Error> parse(std::string_view text, std::size_t max_length, Rfc822Address* a, bool& routed) {
  if (text.size() > max_length)
    return refuse<Build>(
        [&] { return make_error(Errc::limit, kSec, "address longer than " + std::to_string(max_length) + " octets"); });
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>') text = text.substr(1, text.size() - 2);
  Cursor c{text};
  // route = 1#("@" domain) ":"
  if (c.peek() == '@') {
    routed = true;
    while (true) {
      if (c.peek() != '@')
        return refuse<Build>([&] { return make_error(Errc::syntax, kSec, "route domain must start with '@'"); });
      ++c.i;
      std::string* d = nullptr;
      if constexpr (Build) d = &a->route.emplace_back();
      if (auto e = dot_atom_or_literal<Build>(c, "route domain", d)) return e;
      if (c.peek() == ',') {
        ++c.i;
        continue;
      }
      if (c.peek() != ':') return refuse<Build>([&] { return make_error(Errc::syntax, kSec, "route must end with ':'"); });
      ++c.i;
      break;
    }
  }
  // local-part = word *("." word)
  bool need_word = true;
  while (!c.done() && c.peek() != '@') {
    const char ch = c.peek();
    if (ch == '"') {
      if (!need_word)
        return refuse<Build>([&] { return make_error(Errc::syntax, kSec, "quoted-string must follow '.' in local-part"); });
      ++c.i;
      bool closed = false;
      while (!c.done()) {
        const char q = c.s[c.i++];
        if (q == '"') {
          closed = true;
          break;
        }
        if (q == '\\') {
          if (c.done()) break;
          if constexpr (Build) a->local_part += c.s[c.i];
          ++c.i;
        } else if (q == '\r' || q == '\n') {
          return refuse<Build>([&] { return make_error(Errc::syntax, kSec, "line break in quoted-string"); });
        } else {
          // q and the ordinary characters after it.
          const std::size_t from = c.i - 1;
          while (!c.done() && c.s[c.i] != '"' && c.s[c.i] != '\\' && c.s[c.i] != '\r' && c.s[c.i] != '\n') ++c.i;
          if constexpr (Build) a->local_part.append(c.s.substr(from, c.i - from));
        }
      }
      if (!closed)
        return refuse<Build>([&] { return make_error(Errc::syntax, kSec, "unterminated quoted-string in local-part"); });
      need_word = false;
    } else if (ch == '.' && !need_word) {
      if constexpr (Build) a->local_part += '.';
      need_word = true;
      ++c.i;
    } else if (is_atext(ch)) {
      const std::size_t start = c.i;
      while (!c.done() && is_atext(c.peek())) ++c.i;
      if constexpr (Build) a->local_part.append(c.s.substr(start, c.i - start));
      need_word = false;
    } else {
      return refuse<Build>([&] {
        return make_error(Errc::syntax, kSec, std::string("character '") + ch + "' not allowed in local-part");
      });
    }
  }
  if (need_word) return refuse<Build>([&] { return make_error(Errc::syntax, kSec, "local-part is empty or ends with '.'"); });
  if (c.peek() != '@')
    return refuse<Build>([&] {
      return make_error(Errc::syntax, kSec, "no '@' and domain: RFC 2156 §4.3.2 needs a fully qualified domain");
    });
  ++c.i;
  std::string* d = nullptr;
  if constexpr (Build) d = &a->domain;
  if (auto e = dot_atom_or_literal<Build>(c, "domain", d)) return e;
  if (!c.done()) return refuse<Build>([&] { return make_error(Errc::syntax, kSec, "unexpected text after the domain"); });
  return std::nullopt;
}

}  // namespace

Result<Rfc822Address> parse_rfc822_address(std::string_view text, std::size_t max_length) {
  Result<Rfc822Address> r{std::in_place};
  bool routed = false;
  if (auto e = parse<true>(text, max_length, &*r, routed)) r = std::move(*e);
  return r;
}

namespace detail {

std::optional<Error> parse_rfc822_address_into(std::string_view text, Rfc822Address& out, std::size_t max_length) {
  bool routed = false;
  return parse<true>(text, max_length, &out, routed);
}

bool is_rfc822_address(std::string_view text, bool& routed, std::size_t max_length) {
  routed = false;
  return !parse<false>(text, max_length, nullptr, routed);
}

}  // namespace detail

namespace detail {

bool is_dot_atom_local(std::string_view local) {
  bool dot_atom = !local.empty() && local.front() != '.' && local.back() != '.';
  for (std::size_t i = 0; dot_atom && i < local.size(); ++i) {
    const char c = local[i];
    if (c == '.') dot_atom = local[i - 1] != '.';
    else dot_atom = is_atext(c);
  }
  return dot_atom;
}

}  // namespace detail

std::string format_local_part(std::string_view local) {
  if (detail::is_dot_atom_local(local)) return std::string(local);
  std::string out = "\"";
  for (char c : local) {
    if (c == '"' || c == '\\' || c == '\r' || c == '\n') out += '\\';  // quoted-pair (RFC 822 §3.4.1)
    out += c;
  }
  out += '"';
  return out;
}

std::string format_addr_spec(std::string_view local, std::string_view domain) {
  if (detail::is_dot_atom_local(local)) {
    std::string out;
    out.reserve(local.size() + 1 + domain.size());
    out.append(local) += '@';
    out.append(domain);
    return out;
  }
  return format_local_part(local) + "@" + std::string(domain);
}

std::string format_rfc822_address(const Rfc822Address& a) {
  std::string out;
  for (std::size_t i = 0; i < a.route.size(); ++i) out += (i ? ",@" : "@") + a.route[i];
  if (!a.route.empty()) out += ':';
  return out + format_addr_spec(a.local_part, a.domain);
}

}  // namespace mixer::addressing
