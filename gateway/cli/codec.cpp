// gateway/cli/codec.cpp: the bodies of `mixer decode` / `mixer encode`
// over the p1/mts and p1/ipms codecs; JSON with nlohmann-json. Trusts
// nothing it reads: BER is decoded under the codecs' Limits, JSON is read
// into a tree, into a value, encoded, and the encoding decoded again.
#include "gateway/cli/codec.hpp"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "p1/ipms/ipms.hpp"
#include "p1/mts/mts.hpp"
#include "p1/mts/strings.hpp"
#include "p1/mts/tree_io.hpp"

namespace mixer::cli {

namespace {

namespace mts = p1::mts;
namespace ipms = p1::ipms;
using Json = nlohmann::ordered_json;
using mts::Bytes;
using mts::Node;

bool read_all(const std::filesystem::path& file, std::string& data, std::ostream& err) {
  if (file == "-") {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "mixer: cannot read " << file.string() << "\n";
    return false;
  }
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// BER, or hex text of it when the file holds nothing but hex digits and white space.
Bytes input_octets(const std::string& data) {
  std::string digits;
  for (char c : data) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return Bytes(data.begin(), data.end());
    digits += c;
  }
  if (digits.empty() || digits.size() % 2) return Bytes(data.begin(), data.end());
  return *mts::from_hex(digits);
}

Json to_json(const Node& n) {
  switch (n.kind) {
    case Node::Kind::object: {
      Json o = Json::object();
      for (const Node& c : n.children) o[c.name] = to_json(c);
      return o;
    }
    case Node::Kind::array: {
      Json a = Json::array();
      for (const Node& c : n.children) a.push_back(to_json(c));
      return a;
    }
    case Node::Kind::number: return n.number;
    case Node::Kind::boolean: return n.flag;
    case Node::Kind::null: return nullptr;
    case Node::Kind::string: return n.text;
    case Node::Kind::hex: return Json{{"hex", n.text}};
  }
  return nullptr;
}

// JSON -> Node, refusing nesting the TreeReader would refuse anyway (before recursing into it).
bool from_json(const Json& j, Node& n, const std::string& path, std::string& error, std::size_t depth = 0) {
  if (depth > mixer::p1::mts::TreeReader::max_depth && (j.is_object() || j.is_array())) {
    error = path + ": nested deeper than " + std::to_string(mixer::p1::mts::TreeReader::max_depth) + " components";
    return false;
  }
  if (j.is_object()) {
    if (j.size() == 1 && j.contains("hex") && j["hex"].is_string()) {
      n.kind = Node::Kind::hex;
      n.text = j["hex"].get<std::string>();
      return true;
    }
    n.kind = Node::Kind::object;
    for (auto it = j.begin(); it != j.end(); ++it) {
      Node& c = n.children.emplace_back();
      c.name = it.key();
      if (!from_json(it.value(), c, path + "." + it.key(), error, depth + 1)) return false;
    }
    return true;
  }
  if (j.is_array()) {
    n.kind = Node::Kind::array;
    for (std::size_t i = 0; i < j.size(); ++i)
      if (!from_json(j[i], n.children.emplace_back(), path + "[" + std::to_string(i) + "]", error, depth + 1)) return false;
    return true;
  }
  if (j.is_number_integer()) {
    n.kind = Node::Kind::number;
    n.number = j.get<std::int64_t>();
    return true;
  }
  if (j.is_boolean()) {
    n.kind = Node::Kind::boolean;
    n.flag = j.get<bool>();
    return true;
  }
  if (j.is_null()) {
    n.kind = Node::Kind::null;
    return true;
  }
  if (j.is_string()) {
    n.kind = Node::Kind::string;
    n.text = j.get<std::string>();
    return true;
  }
  error = path + ": a number that is not an integer";
  return false;
}

// One decodable type: its names, and the codec entry points as plain functions.
struct Type {
  const char* name;
  // Decodes `in`; on success fills `tree` (and `content`, for an IPM message) and returns "".
  std::string (*decode)(const Bytes& in, const mts::Limits& limits, bool with_content, Node& tree,
                        std::optional<Node>& content);
  // Encodes a tree (and an optional content tree); returns "" or the error.
  std::string (*encode)(const Node& tree, const Node* content, Bytes& out);
};

template <class T, bool Ipms>
std::string decode_as(const Bytes& in, const mts::Limits& limits, Node& tree) {
  if constexpr (Ipms) {
    auto r = ipms::decode<T>(in, limits);
    if (!r) return r.error().what;
    tree = ipms::to_tree(*r);
  } else {
    auto r = mts::decode<T>(in, limits);
    if (!r) return r.error().what;
    tree = mts::to_tree(*r);
  }
  return "";
}

template <class T, bool Ipms>
std::string encode_as(const Node& tree, Bytes& out) {
  T v{};
  std::optional<std::string> e;
  if constexpr (Ipms) e = ipms::from_tree(tree, v);
  else e = mts::from_tree(tree, v);
  if (e) return *e;
  auto ber = [&] {
    if constexpr (Ipms) return ipms::encode(v);
    else return mts::encode(v);
  }();
  if (!ber) return ber.error().what;
  out = std::move(ber).value();
  return "";
}

std::string decode_apdu(const Bytes& in, const mts::Limits& limits, bool with_content, Node& tree,
                        std::optional<Node>& content) {
  auto r = mts::decode<mts::MtsApdu>(in, limits);
  if (!r) return r.error().what;
  tree = mts::to_tree(*r);
  const auto* message = std::get_if<mts::Message>(&*r);
  if (with_content && message && message->envelope.content_type.is_ipm()) {
    // A valid envelope with content that is not a valid IPM is still shown, with the content's error.
    auto c = ipms::decode<ipms::InformationObject>(message->content, limits);
    if (c) {
      content = ipms::to_tree(*c);
    } else {
      content.emplace();
      content->name = "content-error";
      content->kind = Node::Kind::string;
      content->text = c.error().what;
    }
  }
  return "";
}

std::string encode_apdu(const Node& tree, const Node* content, Bytes& out) {
  mts::MtsApdu v;
  if (auto e = mts::from_tree(tree, v)) return *e;
  if (content) {
    ipms::InformationObject c;
    if (auto e = ipms::from_tree(*content, c)) return "content: " + *e;
    auto* message = std::get_if<mts::Message>(&v);
    if (!message) return "content given for an MTS-APDU that is not a message";
    // Keep the content octets as they are unless the decoded content was edited.
    auto current = ipms::decode<ipms::InformationObject>(message->content);
    Node same;
    if (current) {
      same = ipms::to_tree(*current);
      same.name = content->name;
    }
    if (!current || !(same == *content)) {
      auto ber = ipms::encode(c);
      if (!ber) return "content: " + ber.error().what;
      message->content = std::move(ber).value();
    }
  }
  auto ber = mts::encode(v);
  if (!ber) return ber.error().what;
  out = std::move(ber).value();
  return "";
}

template <class T, bool Ipms>
Type simple(const char* name) {
  return Type{name,
              [](const Bytes& in, const mts::Limits& l, bool, Node& tree, std::optional<Node>&) {
                return decode_as<T, Ipms>(in, l, tree);
              },
              [](const Node& tree, const Node*, Bytes& out) { return encode_as<T, Ipms>(tree, out); }};
}

const std::vector<Type>& types() {
  static const std::vector<Type> all = {
      Type{"mts-apdu", decode_apdu, encode_apdu},
      simple<ipms::InformationObject, true>("information-object"),
      simple<ipms::Ipm, true>("ipm"),
      simple<ipms::Ipn, true>("ipn"),
      simple<mts::ReportTransferContent, false>("report-content"),
      simple<mts::MessageTransferEnvelope, false>("envelope"),
      simple<mts::ProbeTransferEnvelope, false>("probe"),
      simple<mts::OrName, false>("or-name"),
  };
  return all;
}

const Type* find_type(const std::string& name) {
  for (const Type& t : types())
    if (name == t.name) return &t;
  return nullptr;
}

// {"type": ..., "value": TREE} with the decoded content or its error, as decode --json writes it.
Json json_of(const Type& type, const Node& tree, const std::optional<Node>& content) {
  Json j{{"type", type.name}, {"value", to_json(tree)}};
  if (content && content->kind == Node::Kind::string) j["content-error"] = content->text;
  else if (content) j["content"] = Json{{"type", "information-object"}, {"value", to_json(*content)}};
  return j;
}

// The JSON of decode --json back to BER (checked by decoding it again); "" or the error.
std::string ber_of_json(const std::string& data, const std::string& source, Bytes& ber, bool lenient = false) {
  Json j = Json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string() || !j.contains("value"))
    return source + ": not a JSON object with \"type\" and \"value\"";
  const Type* t = find_type(j["type"].get<std::string>());
  if (!t) return "unknown type '" + j["type"].get<std::string>() + "'";
  std::string error;
  Node tree;
  tree.name = "value";
  if (!from_json(j["value"], tree, "value", error)) return error;
  std::optional<Node> content;
  if (j.contains("content")) {
    const Json& c = j["content"];
    if (!c.is_object() || !c.contains("value")) return "\"content\" needs a \"value\"";
    content.emplace();
    content->name = "content";
    if (!from_json(c["value"], *content, "content", error)) return error;
  }
  error = t->encode(tree, content ? &*content : nullptr, ber);
  if (error.empty()) {
    // What we write must decode, under the same Limits as a peer's input (lenient ones on request).
    Node check;
    std::optional<Node> check_content;
    mts::Limits limits;
    limits.upper_bounds = !lenient;
    error = t->decode(ber, limits, content.has_value(), check, check_content);
  }
  return error;
}

}  // namespace

bool apdu_to_json(const std::vector<std::uint8_t>& ber, std::string& json, std::string& error) {
  Node tree;
  std::optional<Node> content;
  error = decode_apdu(ber, mts::Limits{}, true, tree, content);
  if (!error.empty()) return false;
  json = json_of(types().front(), tree, content).dump(2) + "\n";
  return true;
}

bool apdu_from_json(const std::string& json, std::vector<std::uint8_t>& ber, std::string& error, bool lenient) {
  error = ber_of_json(json, "JSON", ber, lenient);
  return error.empty();
}

int decode_command(const DecodeOptions& o, std::ostream& out, std::ostream& err) {
  if (o.as != "auto" && !find_type(o.as)) {
    err << "mixer decode: unknown type '" << o.as << "' (auto";
    for (const Type& t : types()) err << ", " << t.name;
    err << ")\n";
    return 2;
  }
  std::string data;
  if (o.data) data = *o.data;
  else if (!read_all(o.file, data, err)) return 2;
  Bytes in = input_octets(data);
  mts::Limits limits;
  limits.upper_bounds = !o.lenient;
  std::vector<std::string> warnings;  // what --lenient accepted that a strict decode refuses
  limits.warnings = &warnings;
  const Type* chosen = nullptr;
  Node tree;
  std::optional<Node> content;
  std::string first_error;
  for (const Type& t : types()) {
    if (o.as != "auto" && o.as != t.name) continue;
    content.reset();
    warnings.clear();
    std::string e = t.decode(in, limits, o.decode_content, tree, content);
    if (e.empty()) {
      chosen = &t;
      break;
    }
    if (first_error.empty()) first_error = std::string(t.name) + ": " + e;
  }
  if (!chosen) {
    err << "mixer decode: " << (o.as == "auto" ? "not any known type; as " : "") << first_error << "\n";
    return 1;
  }
  for (const auto& w : warnings) err << "mixer decode: warning: " << w << "\n";
  if (o.json) {
    out << json_of(*chosen, tree, content).dump(2) << "\n";
  } else {
    out << mts::print_tree(tree);
    if (content && content->kind == Node::Kind::string) {
      out << "  content (not a valid IPM): " << content->text << "\n";
    } else if (content) {
      Node c = *content;
      c.name = "content (decoded)";
      out << mts::print_tree(c, 1);
    }
  }
  return 0;
}

int encode_command(const EncodeOptions& o, std::ostream& out, std::ostream& err) {
  std::string data;
  if (!read_all(o.file, data, err)) return 2;
  Bytes ber;
  std::string error = ber_of_json(data, o.file.string(), ber);
  if (!error.empty()) {
    err << "mixer encode: " << error << "\n";
    return 1;
  }
  std::string text = o.hex ? mts::to_hex(ber) + "\n" : std::string(ber.begin(), ber.end());
  if (o.output.empty()) {
    out << text;
  } else {
    std::ofstream f(o.output, std::ios::binary);
    f << text;
    if (!f) {
      err << "mixer encode: cannot write " << o.output.string() << "\n";
      return 2;
    }
  }
  return 0;
}

}  // namespace mixer::cli
