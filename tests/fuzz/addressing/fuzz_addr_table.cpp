// tests/fuzz/addressing/fuzz_addr_table.cpp: arbitrary bytes as each kind of
// Appendix F table file; loaded tables are built into a set and looked up
// with domains and O/R prefixes taken from the input. Lookups must find
// every key the loader accepted.
#include <cstddef>
#include <cstdint>
#include <string>

#include "addressing/dmn_or.hpp"
#include "addressing/std_or.hpp"
#include "addressing/tables.hpp"

using namespace mixer::addressing;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  TableLimits limits;
  limits.max_file_bytes = 1 << 20;
  limits.max_line_length = 512;
  limits.max_entries = 10000;
  limits.max_errors = 5;
  (void)parse_dmn_or(text);
  (void)parse_mcgam_or(text);
  for (TableKind kind : {TableKind::table1, TableKind::table2, TableKind::gateway_or, TableKind::gateway_domain}) {
    auto r = MappingTable::parse(text, "fuzz", kind, TableScope::shared, limits);
    auto* t = std::get_if<MappingTable>(&r);
    if (!t) {
      if (std::get<std::vector<TableError>>(r).empty()) __builtin_trap();
      continue;
    }
    for (const auto& e : t->entries()) {
      const std::string_view key = t->key_of(e);
      if (t->find(key, MappingTable::hash_key(key)) != &e) __builtin_trap();
    }
    std::vector<MappingTable> v;
    v.push_back(std::move(*t));
    auto set = MappingTables::build(std::move(v));
    if (auto* p = std::get_if<MappingTables::Ptr>(&set)) {
      const auto& tables = **p;
      for (const auto& line_text : {text.substr(0, text.find('#')), text.substr(text.find('#') + 1)}) {
        (void)tables.match_domain(kind, line_text);
        if (auto prefix = parse_mcgam_or(line_text)) {
          auto hit = tables.match_or(kind, *prefix);
          (void)hit;
        }
      }
    }
  }
  return 0;
}
