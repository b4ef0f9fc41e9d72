// addressing/directory_name.cpp: RFC 2156 §4.5 via RFC 1485 strings.
#include "addressing/directory_name.hpp"

namespace mixer::addressing {

namespace {

const char* keyword(const std::string& oid) {
  static const std::pair<const char*, const char*> k[] = {{"2.5.4.3", "CN"},  {"2.5.4.6", "C"},  {"2.5.4.7", "L"},
                                                          {"2.5.4.8", "ST"},  {"2.5.4.10", "O"}, {"2.5.4.11", "OU"},
                                                          {"2.5.4.9", "STREET"}};
  for (const auto& [o, name] : k)
    if (oid == o) return name;
  return nullptr;
}

std::string quote_value(const std::string& v) {
  bool quote = v.empty() || v.front() == ' ' || v.back() == ' ';
  for (char c : v)
    if (c == ',' || c == '+' || c == '=' || c == '"' || c == '<' || c == '>' || c == '#' || c == ';' || c == '\\' ||
        c == '\r' || c == '\n')
      quote = true;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string format_directory_name(const DirectoryName& name) {
  std::string out;
  for (auto it = name.rdns.rbegin(); it != name.rdns.rend(); ++it) {
    if (!out.empty()) out += ", ";
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& ava = (*it)[i];
      if (i) out += " + ";
      const char* k = keyword(ava.type);
      out += k ? std::string(k) : "OID." + ava.type;
      out += '=';
      out += quote_value(ava.value);
    }
  }
  return out;
}

std::string directory_name_comment(const DirectoryName& name) {
  std::string out = "(";
  for (char c : format_directory_name(name)) {
    if (c == '\r' || c == '\n') continue;
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

}  // namespace mixer::addressing
