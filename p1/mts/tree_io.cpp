// p1/mts/tree_io.cpp: TreeWriter, TreeReader and the tshark-like printer.
#include "p1/mts/tree_io.hpp"

#include "base/t61.hpp"
#include "p1/mts/strings.hpp"

namespace mixer::p1::mts {

namespace {

const char* name_for(Names names, std::int64_t v) {
  for (const Named& n : names)
    if (n.value == v) return n.name;
  return nullptr;
}

bool printable_ascii(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u < 0x20 && u != '\r' && u != '\n' && u != '\t')) return false;
  }
  return true;
}

}  // namespace

// ---- TreeWriter

bool TreeWriter::field(const char* name, const Tags&, bool present) {
  if (!present) return false;
  Node& c = top().children.emplace_back();
  c.name = name;
  stack_.push_back(&c);
  return true;
}

void TreeWriter::meta_flag(const char* name, bool& v) {
  if (!v) return;
  Node& c = top().children.emplace_back();
  c.name = name;
  c.kind = Node::Kind::boolean;
  c.flag = true;
}

void TreeWriter::integer(std::int64_t v, Tag, Names names) {
  top().kind = Node::Kind::number;
  top().number = v;
  if (const char* n = name_for(names, v)) top().note = n;
}

void TreeWriter::boolean(bool v, Tag) {
  top().kind = Node::Kind::boolean;
  top().flag = v;
}

void TreeWriter::null(Tag) { top().kind = Node::Kind::null; }

void TreeWriter::oid(const Oid& v, Tag) {
  top().kind = Node::Kind::string;
  top().text = v.to_string();
  top().note = "OBJECT IDENTIFIER";
}

void TreeWriter::octets(const Bytes& v, Tag) {
  top().kind = Node::Kind::hex;
  top().text = to_hex(v);
  top().note = std::to_string(v.size()) + " octets";
}

void TreeWriter::text(const std::string& v, Tag, StringKind k, const Bound&) {
  // T.61 shows as UTF-8 when that text converts back to the same octets; T.61
  // that would not, and other 8-bit strings that are not plain ASCII, travel as hex.
  bool eight_bit = k != StringKind::utf8 && k != StringKind::bmp && k != StringKind::universal;
  std::optional<std::string> t61;
  if (k == StringKind::teletex) t61 = base::t61_as_utf8_exactly(v);
  if (t61) {
    top().kind = Node::Kind::string;
    top().text = std::move(*t61);
  } else if (k == StringKind::teletex || (eight_bit && !printable_ascii(v))) {
    top().kind = Node::Kind::hex;
    top().text = to_hex(ber::view(v));
  } else {
    top().kind = Node::Kind::string;
    top().text = v;
  }
  top().note = name_of(k);
}

void TreeWriter::bits(const BitString& v, Tag, Names names, const Bound&) {
  top().kind = Node::Kind::string;
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += v.test(i) ? '1' : '0';
  top().text = s;
  std::string note;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v.test(i)) continue;
    const char* n = name_for(names, static_cast<std::int64_t>(i));
    if (!note.empty()) note += ", ";
    note += n ? n : "bit-" + std::to_string(i);
  }
  top().note = note.empty() ? "BIT STRING" : note;
}

void TreeWriter::time(const std::string& v, Tag t, ber::TimeKind) {
  top().kind = Node::Kind::string;
  top().text = v;
  top().note = t == univ::generalized_time ? "GeneralizedTime" : "UTCTime";
}

void TreeWriter::raw_into(Node& n, const Bytes& v) {
  n.kind = Node::Kind::hex;
  n.text = to_hex(v);
  n.note = "encoding";
}

void TreeWriter::raw(const Bytes& v) { raw_into(top(), v); }

void TreeWriter::additions(const std::vector<Bytes>& v) {
  if (v.empty()) return;
  Node& c = top().children.emplace_back();
  c.name = "extension-additions";
  c.kind = Node::Kind::array;
  for (const Bytes& b : v) raw_into(c.children.emplace_back(), b);
}

void TreeWriter::raw_rest(const std::vector<Bytes>& v) {
  top().kind = Node::Kind::array;
  for (const Bytes& b : v) {
    Node& c = top().children.emplace_back();
    c.kind = Node::Kind::hex;
    c.text = to_hex(b);
    c.note = "encoding";
  }
}

// ---- TreeReader

std::string TreeReader::path() const {
  std::string s;
  for (const std::string& p : path_) {
    if (!s.empty() && !p.empty() && p[0] != '[') s += '.';
    s += p;
  }
  return s;
}

void TreeReader::fail(const std::string& what) {
  if (!error_) error_ = path() + ": " + what;
}

bool TreeReader::field(const char* name, const Tags&, bool) {
  if (!ok()) return false;
  const Node& n = top();
  // Components are looked up in an object only: a leaf here (e.g. {"hex": ..} for a
  // SET) would otherwise read as a value with every component absent.
  if (n.kind != Node::Kind::object) {
    fail("expected an object with the type's components");
    return false;
  }
  const Node* c = n.child(name);
  if (!c) return false;
  if (stack_.size() >= max_depth) {
    fail(std::string(name) + ": nested deeper than " + std::to_string(max_depth) + " components");
    return false;
  }
  ++stack_.back().consumed;
  stack_.push_back({c, 0});
  path_.push_back(name);
  return true;
}

void TreeReader::meta_flag(const char* name, bool& v) {
  if (!ok() || top().kind != Node::Kind::object) return;
  if (const Node* c = top().child(name)) {
    ++stack_.back().consumed;
    if (c->kind != Node::Kind::boolean) return fail(std::string(name) + ": expected true or false");
    v = c->flag;
  }
}

void TreeReader::check_consumed() {
  const Entry& e = stack_.back();
  if (e.node->kind == Node::Kind::object && e.consumed < e.node->children.size()) {
    std::string names;
    for (const Node& c : e.node->children) names += (names.empty() ? "" : ", ") + c.name;
    fail("unknown or repeated component among: " + names);
  }
}

void TreeReader::leave() {
  if (ok()) check_consumed();
  stack_.pop_back();
  path_.pop_back();
}

void TreeReader::missing(const char* name) {
  if (!ok()) return;
  path_.push_back(name);
  fail("mandatory component absent");
  path_.pop_back();
}

void TreeReader::no_alternative() { fail("none of the CHOICE's alternatives given"); }

void TreeReader::integer(std::int64_t& v, Tag, Names names) {
  if (!ok()) return;
  const Node& n = top();
  if (n.kind == Node::Kind::number) {
    v = n.number;
    return;
  }
  if (n.kind == Node::Kind::string)
    for (const Named& x : names)
      if (n.text == x.name) {
        v = x.value;
        return;
      }
  fail("expected a number");
}

void TreeReader::boolean(bool& v, Tag) {
  if (!ok()) return;
  if (top().kind != Node::Kind::boolean) return fail("expected true or false");
  v = top().flag;
}

void TreeReader::null(Tag) {
  if (ok() && top().kind != Node::Kind::null) fail("expected null");
}

void TreeReader::oid(Oid& v, Tag) {
  if (!ok()) return;
  auto o = top().kind == Node::Kind::string ? Oid::parse(top().text) : std::nullopt;
  if (!o) return fail("expected an OBJECT IDENTIFIER in dotted form");
  v = *o;
}

void TreeReader::octets(Bytes& v, Tag) {
  if (!ok()) return;
  auto b = top().kind == Node::Kind::hex ? from_hex(top().text) : std::nullopt;
  if (!b) return fail("expected hex octets");
  v = std::move(*b);
}

void TreeReader::text(std::string& v, Tag, StringKind k, const Bound&) {
  if (!ok()) return;
  const Node& n = top();
  if (n.kind == Node::Kind::string && k == StringKind::teletex) {
    auto t61 = base::utf8_to_t61(n.text);
    if (!t61) return fail("text with a character T.61 cannot write (give the TeletexString as hex)");
    v = std::move(*t61);
    return;
  }
  if (n.kind == Node::Kind::string) {
    v = n.text;
    return;
  }
  bool eight_bit = k != StringKind::utf8 && k != StringKind::bmp && k != StringKind::universal;
  if (n.kind == Node::Kind::hex && eight_bit) {
    if (auto b = from_hex(n.text)) {
      v.assign(b->begin(), b->end());
      return;
    }
  }
  fail(std::string("expected a ") + name_of(k));
}

void TreeReader::bits(BitString& v, Tag, Names, const Bound&) {
  if (!ok()) return;
  if (top().kind != Node::Kind::string) return fail("expected a string of 0 and 1");
  BitString b;
  const std::string& s = top().text;
  b.bytes.assign((s.size() + 7) / 8, 0);
  b.unused_bits = static_cast<std::uint8_t>(b.bytes.size() * 8 - s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '1') b.bytes[i / 8] |= static_cast<std::uint8_t>(0x80u >> (i % 8));
    else if (s[i] != '0') return fail("expected a string of 0 and 1");
  }
  v = std::move(b);
}

void TreeReader::time(std::string& v, Tag, ber::TimeKind) {
  if (!ok()) return;
  if (top().kind != Node::Kind::string) return fail("expected a time string");
  v = top().text;
}

void TreeReader::raw_of(const Node& n, Bytes& v) {
  auto b = n.kind == Node::Kind::hex ? from_hex(n.text) : std::nullopt;
  if (!b || b->empty()) return fail("expected a hex encoding");
  v = std::move(*b);
}

void TreeReader::raw(Bytes& v) {
  if (ok()) raw_of(top(), v);
}

void TreeReader::additions(std::vector<Bytes>& v) {
  if (!ok() || top().kind != Node::Kind::object) return;
  const Node* c = top().child("extension-additions");
  if (!c) return;
  ++stack_.back().consumed;
  if (c->kind != Node::Kind::array || c->children.empty()) return fail("extension-additions: expected an array of hex encodings");
  for (const Node& e : c->children) {
    Bytes b;
    raw_of(e, b);
    if (!ok()) return;
    v.push_back(std::move(b));
  }
}

void TreeReader::detect_string_value(int& which) { which = ok() && top().kind == Node::Kind::hex ? -1 : 0; }

void TreeReader::raw_rest(std::vector<Bytes>& v) {
  if (!ok()) return;
  if (top().kind != Node::Kind::array) return fail("expected an array of hex encodings");
  for (const Node& c : top().children) {
    auto b = c.kind == Node::Kind::hex ? from_hex(c.text) : std::nullopt;
    if (!b || b->empty()) return fail("expected an array of hex encodings");
    v.push_back(std::move(*b));
  }
}

// ---- printing

std::string print_tree(const Node& n, int indent) {
  std::string s(static_cast<std::size_t>(indent) * 2, ' ');
  s += n.name.empty() ? "-" : n.name;
  auto note = [&] {
    if (!n.note.empty()) s += " (" + n.note + ")";
  };
  switch (n.kind) {
    case Node::Kind::object:
    case Node::Kind::array:
      if (n.kind == Node::Kind::array) s += " [" + std::to_string(n.children.size()) + "]";
      s += "\n";
      for (const Node& c : n.children) s += print_tree(c, indent + 1);
      return s;
    case Node::Kind::number: s += ": " + std::to_string(n.number); note(); break;
    case Node::Kind::boolean: s += n.flag ? ": TRUE" : ": FALSE"; break;
    case Node::Kind::null: s += ": NULL"; break;
    case Node::Kind::string: {
      std::string t = n.text;
      for (char& c : t)
        if (c == '\r' || c == '\n') c = ' ';
      if (t.size() > 200) t = t.substr(0, 200) + "...";
      s += ": " + t;
      note();
      break;
    }
    case Node::Kind::hex: {
      std::string t = n.text.size() > 64 ? n.text.substr(0, 64) + "..." : n.text;
      s += ": " + t;
      note();
      break;
    }
  }
  s += "\n";
  return s;
}

}  // namespace mixer::p1::mts
