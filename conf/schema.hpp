// conf/schema.hpp: a small typed walker over a yaml-cpp tree that records
// precise errors (FILE:LINE: key 'a.b': ...) instead of throwing. The config
// schema in config.cpp is written with it so that it reads like the file.
//
// Trusts nothing in the tree: every accessor checks the node's kind.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "conf/config.hpp"

namespace mixer::conf {

class SchemaReader {
 public:
  using Visit = std::function<void(const YAML::Node&, const std::string& key)>;
  struct Field {
    const char* name;
    Visit visit;
    bool required = false;
  };

  SchemaReader(std::string file, std::filesystem::path base_dir, bool check_files,
               std::vector<ConfigError>& errors, std::map<std::string, int>* key_lines = nullptr)
      : file_(std::move(file)), base_dir_(std::move(base_dir)), check_files_(check_files),
        errors_(errors), key_lines_(key_lines) {}

  // A mapping with exactly these keys (unknown and duplicate keys are errors).
  void map(const YAML::Node& node, const std::string& key, const std::vector<Field>& fields);

  void string(const YAML::Node& node, const std::string& key, std::string& out);
  void boolean(const YAML::Node& node, const std::string& key, bool& out);
  void count(const YAML::Node& node, const std::string& key, std::size_t& out,
             std::size_t min, std::size_t max);
  void size(const YAML::Node& node, const std::string& key, std::uint64_t& out,
            std::uint64_t min);
  void duration(const YAML::Node& node, const std::string& key, std::chrono::milliseconds& out,
                std::chrono::milliseconds min);
  void listen_list(const YAML::Node& node, const std::string& key,
                   std::vector<ListenAddress>& out);
  void string_list(const YAML::Node& node, const std::string& key,
                   std::vector<std::string>& out);
  // A path, resolved against the config file's directory.
  void path(const YAML::Node& node, const std::string& key, std::filesystem::path& out);
  // A path to a file that must exist and be readable.
  void readable_file(const YAML::Node& node, const std::string& key,
                     std::filesystem::path& out);
  // A list of mappings, each read by `item(node, "key[i]")`.
  void list_of(const YAML::Node& node, const std::string& key,
               const std::function<void(const YAML::Node&, const std::string&)>& item);
  // One of the given words; returns its index through `out`.
  void choice(const YAML::Node& node, const std::string& key,
              const std::vector<const char*>& words, int& out);

  // Whether files named by the config are opened and checked now.
  bool checks_files() const { return check_files_; }

  void error(const YAML::Node& node, const std::string& key, std::string message);
  void error_at(int line, const std::string& key, std::string message);

 private:
  bool scalar(const YAML::Node& node, const std::string& key, std::string& out);

  std::string file_;
  std::filesystem::path base_dir_;
  bool check_files_;
  std::vector<ConfigError>& errors_;
  std::map<std::string, int>* key_lines_;
};

// The p1 section (conf/config_p1.cpp).
void read_p1(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c);
// The mapping section (conf/config_mapping.cpp).
void read_mapping(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c);
// The outbound SMTP keys of the smtp section (conf/config_smtp_client.cpp).
void read_smtp_routes(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c);
void read_smtp_resolver(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c);
void read_smtp_out(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c);
void read_smtp_mx_port(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c);
void read_smtp_helo_name(SchemaReader& r, const YAML::Node& n, const std::string& k, Config& c);

// Joins a parent key path and a child: "smtp" + "tls" -> "smtp.tls".
std::string child_key(const std::string& parent, const std::string& name);

}  // namespace mixer::conf
