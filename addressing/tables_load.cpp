// addressing/tables_load.cpp: parsing one Appendix F table file.
#include <cstdio>
#include <functional>

#include "addressing/charset.hpp"
#include "addressing/tables.hpp"

namespace mixer::addressing {

namespace {

const char* kF5 = "RFC 2156 Appendix F §5";

std::string explain_domain(std::string_view d) {
  if (d.empty()) return "it is empty";
  if (d.back() == '.') return "it ends with '.'";
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = d.find('.', start);
    const std::string_view label = d.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!is_domain_label(label)) {
      if (label.empty()) return "it has an empty label";
      for (char c : label)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
          return "label '" + std::string(label) + "' has '" + std::string(1, c) + "'";
      return "label '" + std::string(label) + "' starts or ends with '-'";
    }
    if (dot == std::string_view::npos) return "";
    start = dot + 1;
  }
}

std::size_t count_labels(std::string_view d) {
  std::size_t n = 1;
  for (char c : d) n += c == '.';
  return n;
}

}  // namespace

const char* table_kind_name(TableKind k) {
  switch (k) {
    case TableKind::table1: return "table1";
    case TableKind::table2: return "table2";
    case TableKind::gateway_or: return "gateway-or";
    case TableKind::gateway_domain: return "gateway-domain";
  }
  return "?";
}

const char* table_scope_name(TableScope s) { return s == TableScope::local ? "local" : "shared"; }

std::optional<TableKind> parse_table_kind(std::string_view s) {
  for (TableKind k : {TableKind::table1, TableKind::table2, TableKind::gateway_or, TableKind::gateway_domain})
    if (s == table_kind_name(k)) return k;
  return std::nullopt;
}

std::optional<TableScope> parse_table_scope(std::string_view s) {
  if (s == "local") return TableScope::local;
  if (s == "shared") return TableScope::shared;
  return std::nullopt;
}

std::string TableError::text() const {
  return line ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
}

std::uint64_t MappingTable::hash_key(std::string_view key) { return std::hash<std::string_view>{}(key); }

std::size_t MappingTable::memory_bytes() const {
  return text_.capacity() + keys_.capacity() + entries_.capacity() * sizeof(Entry) + slots_.capacity() * 8;
}

const MappingTable::Entry* MappingTable::find(std::string_view key, std::uint64_t hash) const {
  if (slots_.empty()) return nullptr;
  const std::uint64_t tag = hash >> 32;
  for (std::uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
    const std::uint64_t s = slots_[i];
    if (!s) return nullptr;
    if ((s >> 32) == tag) {
      const Entry& e = entries_[(s & 0xffffffffu) - 1];
      if (key_of(e) == key) return &e;
    }
  }
}

// Inserts entries_[index]; false (and `existing`) when the key is present.
bool MappingTable::insert(std::uint32_t index, std::uint64_t hash, std::uint32_t& existing) {
  const std::uint64_t tag = hash >> 32;
  const std::string_view key = key_of(entries_[index]);
  for (std::uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
    const std::uint64_t s = slots_[i];
    if (!s) {
      slots_[i] = (tag << 32) | (index + 1);
      return true;
    }
    if ((s >> 32) == tag && key_of(entries_[(s & 0xffffffffu) - 1]) == key) {
      existing = static_cast<std::uint32_t>((s & 0xffffffffu) - 1);
      return false;
    }
  }
}

std::variant<MappingTable, std::vector<TableError>> MappingTable::parse(std::string text, std::string file,
                                                                        TableKind kind, TableScope scope,
                                                                        const TableLimits& limits) {
  std::vector<TableError> errors;
  auto fail = [&](std::size_t line, std::string msg) {
    if (errors.size() < limits.max_errors) errors.push_back({file, line, std::move(msg)});
  };
  if (text.size() > limits.max_file_bytes || text.size() > 0xffffffffu) {
    errors.push_back({file, 0, "larger than the limit of " + std::to_string(limits.max_file_bytes) + " bytes"});
    return errors;
  }
  MappingTable t;
  t.file_ = file;
  t.kind_ = kind;
  t.scope_ = scope;
  t.text_ = std::move(text);
  const std::string_view all = t.text_;
  // Size the hash for the number of lines (an upper bound on entries).
  std::size_t lines = 1;
  for (char c : all) lines += c == '\n';
  std::size_t cap = 16;
  while (cap < lines * 2) cap <<= 1;
  t.slots_.assign(cap, 0);
  t.mask_ = cap - 1;
  t.entries_.reserve(lines);
  t.keys_.reserve(all.size() / 2);
  const bool domain_left = kind == TableKind::table1 || kind == TableKind::gateway_or;
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos <= all.size();) {
    std::size_t end = all.find('\n', pos);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(pos, end - pos);
    const std::size_t line_start = pos;
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') {
      if (end == all.size()) break;
      continue;
    }
    if (errors.size() >= limits.max_errors) break;
    if (line.size() > limits.max_line_length) {
      fail(line_no, "line longer than " + std::to_string(limits.max_line_length) + " characters");
      continue;
    }
    const std::size_t h1 = line.find('#');
    const std::size_t h2 = h1 == std::string_view::npos ? h1 : line.find('#', h1 + 1);
    if (h2 == std::string_view::npos) {
      fail(line_no, domain_left ? "expected 'domain#dmn-or-address#' (Appendix F §5)"
                                : "expected 'dmn-or-address#domain#' (Appendix F §6)");
      continue;
    }
    if (line.find_first_not_of(" \t", h2 + 1) != std::string_view::npos) {
      fail(line_no, "text after the closing '#'");
      continue;
    }
    const std::string_view left = line.substr(0, h1), right = line.substr(h1 + 1, h2 - h1 - 1);
    Entry e{};
    e.line = static_cast<std::uint32_t>(line_no);
    e.value_offset = static_cast<std::uint32_t>(line_start + h1 + 1);
    e.value_length = static_cast<std::uint32_t>(right.size());
    e.key_offset = static_cast<std::uint32_t>(t.keys_.size());
    std::size_t depth = 0;
    if (domain_left) {
      if (const std::string why = explain_domain(left); !why.empty()) {
        fail(line_no, "left side '" + std::string(left) + "' is not domain-syntax (RFC 2156 §4.2): " + why);
        continue;
      }
      if (kind == TableKind::table1) {
        auto p = parse_mcgam_or(right);
        if (!p) {
          fail(line_no, "right side '" + std::string(right) + "': " + p.error().message + " (" + kF5 + ")");
          continue;
        }
      } else {
        auto a = dmn_to_or_address(right);
        if (a) {
          if (auto v = validate_x402(*a); !v) a = v.error();
        }
        if (!a) {
          fail(line_no, "right side '" + std::string(right) + "' is not a gateway O/R address: " + a.error().text() + " (Appendix F §7)");
          continue;
        }
      }
      for (char c : left) t.keys_ += ascii_lower(c);
      depth = count_labels(left);
    } else {
      auto p = parse_mcgam_or(left);
      if (!p) {
        fail(line_no, "left side '" + std::string(left) + "': " + p.error().message);
        continue;
      }
      if (const std::string why = explain_domain(right); !why.empty()) {
        fail(line_no, "right side '" + std::string(right) + "' is not domain-syntax (RFC 2156 §4.2): " + why);
        continue;
      }
      if (count_labels(right) < 2) {
        fail(line_no, "right side '" + std::string(right) + "' has one label and would not route to a gateway (RFC 2156 §4.3.5 step 3)");
        continue;
      }
      t.keys_ += prefix_key(*p, p->depth);
      depth = p->depth;
    }
    e.key_length = static_cast<std::uint32_t>(t.keys_.size() - e.key_offset);
    if (t.entries_.size() >= limits.max_entries) {
      fail(line_no, "more than " + std::to_string(limits.max_entries) + " entries");
      break;
    }
    const auto index = static_cast<std::uint32_t>(t.entries_.size());
    t.entries_.push_back(e);
    std::uint32_t existing = 0;
    if (!t.insert(index, hash_key(t.key_of(e)), existing)) {
      const Entry& first = t.entries_[existing];
      const std::string where = t.file_ + ":" + std::to_string(first.line);
      if (iequals(t.value_of(first), right))
        fail(line_no, "duplicate key '" + std::string(left) + "' (first at " + where + ")");
      else
        fail(line_no, "conflicting entry for '" + std::string(left) + "': '" + std::string(right) + "' here, '" +
                          std::string(t.value_of(first)) + "' at " + where);
      t.entries_.pop_back();
      t.keys_.resize(e.key_offset);
      continue;
    }
    if (depth > t.max_depth_) t.max_depth_ = depth;
    if (end == all.size()) break;
  }
  if (!errors.empty()) return errors;
  t.keys_.shrink_to_fit();
  return t;
}

std::variant<MappingTable, std::vector<TableError>> load_table_file(const std::string& path, TableKind kind,
                                                                    TableScope scope, const TableLimits& limits) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::vector<TableError>{{path, 0, "cannot open the table file"}};
  std::string text;
  if (std::fseek(f, 0, SEEK_END) == 0) {  // reserve the exact size when the file is seekable
    const long n = std::ftell(f);
    if (n > 0 && static_cast<unsigned long>(n) <= limits.max_file_bytes) text.reserve(static_cast<std::size_t>(n));
    std::rewind(f);
  }
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (text.size() + n > limits.max_file_bytes) {
      std::fclose(f);
      return std::vector<TableError>{{path, 0, "larger than the limit of " + std::to_string(limits.max_file_bytes) + " bytes"}};
    }
    text.append(buf, n);
  }
  const bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) return std::vector<TableError>{{path, 0, "read error"}};
  return MappingTable::parse(std::move(text), path, kind, scope, limits);
}

}  // namespace mixer::addressing
