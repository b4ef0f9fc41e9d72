// conf/schema.cpp: typed accessors with file:line errors (see schema.hpp).
#include "conf/schema.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <set>

#include "conf/units.hpp"

namespace mixer::conf {

std::string child_key(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

namespace {
int line_of(const YAML::Node& node) {
  auto mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

const char* kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    default: return "a scalar";
  }
}
}  // namespace

void SchemaReader::error(const YAML::Node& node, const std::string& key, std::string message) {
  error_at(line_of(node), key, std::move(message));
}

void SchemaReader::error_at(int line, const std::string& key, std::string message) {
  errors_.push_back(ConfigError{file_, line, key, std::move(message)});
}

void SchemaReader::map(const YAML::Node& node, const std::string& key,
                       const std::vector<Field>& fields) {
  if (node.IsNull()) {
    for (const auto& f : fields)
      if (f.required) error(node, child_key(key, f.name), "required key is missing");
    return;
  }
  if (!node.IsMap()) {
    error(node, key, std::string("expected a mapping, got ") + kind_name(node));
    return;
  }
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string name;
    if (!it->first.IsScalar()) {
      error(it->first, key, "keys must be plain words");
      continue;
    }
    name = it->first.Scalar();
    const std::string full = child_key(key, name);
    if (!seen.insert(name).second) {
      error(it->first, full, "duplicate key");
      continue;
    }
    const Field* match = nullptr;
    for (const auto& f : fields)
      if (name == f.name) match = &f;
    if (!match) {
      std::string known;
      for (const auto& f : fields) known += std::string(known.empty() ? "" : ", ") + f.name;
      error(it->first, full, "unknown key (known here: " + known + ")");
      continue;
    }
    if (key_lines_) (*key_lines_)[full] = line_of(it->first);
    match->visit(it->second, full);
  }
  for (const auto& f : fields)
    if (f.required && !seen.count(f.name))
      error(node, child_key(key, f.name), "required key is missing");
}

bool SchemaReader::scalar(const YAML::Node& node, const std::string& key, std::string& out) {
  if (!node.IsScalar()) {
    error(node, key, std::string("expected a single value, got ") + kind_name(node));
    return false;
  }
  out = node.Scalar();
  return true;
}

void SchemaReader::string(const YAML::Node& node, const std::string& key, std::string& out) {
  std::string s;
  if (scalar(node, key, s)) out = std::move(s);
}

void SchemaReader::boolean(const YAML::Node& node, const std::string& key, bool& out) {
  std::string s;
  if (!scalar(node, key, s)) return;
  if (s == "true" || s == "yes" || s == "on") out = true;
  else if (s == "false" || s == "no" || s == "off") out = false;
  else error(node, key, "expected true or false, got '" + s + "'");
}

void SchemaReader::count(const YAML::Node& node, const std::string& key, std::size_t& out,
                         std::size_t min, std::size_t max) {
  std::string s;
  if (!scalar(node, key, s)) return;
  std::size_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    error(node, key, "expected a whole number, got '" + s + "'");
    return;
  }
  if (v < min || v > max) {
    error(node, key, s + " is out of range " + std::to_string(min) + "-" + std::to_string(max));
    return;
  }
  out = v;
}

void SchemaReader::size(const YAML::Node& node, const std::string& key, std::uint64_t& out,
                        std::uint64_t min) {
  std::string s;
  if (!scalar(node, key, s)) return;
  auto v = parse_size(s);
  if (!v) {
    error(node, key, "expected a size such as 10M, 512K or 1048576, got '" + s + "'");
    return;
  }
  if (*v < min) {
    error(node, key, s + " is below the minimum of " + std::to_string(min) + " bytes");
    return;
  }
  out = *v;
}

void SchemaReader::duration(const YAML::Node& node, const std::string& key,
                            std::chrono::milliseconds& out, std::chrono::milliseconds min) {
  std::string s;
  if (!scalar(node, key, s)) return;
  auto v = parse_duration(s);
  if (!v) {
    error(node, key, "expected a duration such as 500ms, 30s, 5m or 1h, got '" + s + "'");
    return;
  }
  if (*v < min) {
    error(node, key, s + " is below the minimum of " + std::to_string(min.count()) + "ms");
    return;
  }
  out = *v;
}

void SchemaReader::listen_list(const YAML::Node& node, const std::string& key,
                               std::vector<ListenAddress>& out) {
  std::vector<std::string> texts;
  std::vector<YAML::Node> nodes;
  if (node.IsScalar()) {
    nodes.push_back(node);
  } else if (node.IsSequence()) {
    for (const auto& n : node) nodes.push_back(n);
  } else if (!node.IsNull()) {
    error(node, key, std::string("expected HOST:PORT or a list of them, got ") + kind_name(node));
    return;
  }
  out.clear();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string k = node.IsSequence() ? key + "[" + std::to_string(i) + "]" : key;
    std::string s;
    if (!scalar(nodes[i], k, s)) continue;
    std::string why;
    if (auto a = parse_listen_address(s, why)) out.push_back(*a);
    else error(nodes[i], k, why);
  }
}

void SchemaReader::string_list(const YAML::Node& node, const std::string& key,
                               std::vector<std::string>& out) {
  out.clear();
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    error(node, key, std::string("expected a list, got ") + kind_name(node));
    return;
  }
  std::size_t i = 0;
  for (const auto& n : node) {
    std::string s;
    if (scalar(n, key + "[" + std::to_string(i) + "]", s)) out.push_back(s);
    ++i;
  }
}

void SchemaReader::list_of(const YAML::Node& node, const std::string& key,
                           const std::function<void(const YAML::Node&, const std::string&)>& item) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    error(node, key, std::string("expected a list, got ") + kind_name(node));
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string k = key + "[" + std::to_string(i) + "]";
    if (key_lines_) (*key_lines_)[k] = line_of(node[i]);
    item(node[i], k);
  }
}

void SchemaReader::path(const YAML::Node& node, const std::string& key,
                        std::filesystem::path& out) {
  std::string s;
  if (!scalar(node, key, s)) return;
  if (s.empty()) {
    error(node, key, "empty path");
    return;
  }
  std::filesystem::path p(s);
  out = p.is_absolute() ? p : (base_dir_ / p).lexically_normal();
}

void SchemaReader::readable_file(const YAML::Node& node, const std::string& key,
                                 std::filesystem::path& out) {
  std::filesystem::path p;
  const auto before = errors_.size();
  path(node, key, p);
  if (errors_.size() != before) return;
  if (check_files_ && ::access(p.c_str(), R_OK) != 0) {
    error(node, key, "cannot read file '" + p.string() + "': " + std::strerror(errno));
    return;
  }
  out = p;
}

void SchemaReader::choice(const YAML::Node& node, const std::string& key,
                          const std::vector<const char*>& words, int& out) {
  std::string s;
  if (!scalar(node, key, s)) return;
  std::string all;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (s == words[i]) {
      out = static_cast<int>(i);
      return;
    }
    all += std::string(all.empty() ? "" : ", ") + words[i];
  }
  error(node, key, "expected one of " + all + ", got '" + s + "'");
}

}  // namespace mixer::conf
