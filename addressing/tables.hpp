// addressing/tables.hpp: the MCGAM and preferred-gateway tables of RFC 2156
// §4.2 and Appendix F, loaded from text files into an immutable structure.
//
// Four kinds (Appendix F §1):
//   table1          domain -> O/R address MCGAM            "AC.UK#PRMD$UK\.AC.ADMD$GOLD 400.C$GB#"
//   table2          O/R address -> domain MCGAM            "PRMD$UK\.AC.ADMD$GOLD 400.C$GB#AC.UK#"
//   gateway-or      domain -> O/R of preferred gateway     (F §7, table1 format, any attributes)
//   gateway-domain  O/R -> domain of preferred gateway     (F §8, table2 format)
// Lookups are case-independent longest matches on the domain labels or on
// the C, ADMD, PRMD, O, OU1..OU4 hierarchy (Appendix F §4). Each table is
// `local` or `shared`; the configured precedence decides which scope wins,
// and by default a winning entry overrides the whole related MCGAM set of
// the losing scope below it (§4.2: an MCGAM and its exceptions are one).
//
// Memory layout: one table is the file text, an arena of canonical keys,
// a flat array of 20-byte entries and an open-addressing hash of 64-bit
// slots (hash tag | entry index). No node or std::string per entry.
// Only load_table_file() does I/O (it reads the file).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "addressing/dmn_or.hpp"
#include "addressing/error.hpp"

namespace mixer::addressing {

enum class TableKind : std::uint8_t { table1, table2, gateway_or, gateway_domain };

namespace detail {
struct TableAccess;
}
enum class TableScope : std::uint8_t { local, shared };

const char* table_kind_name(TableKind k);   // "table1", "table2", "gateway-or", "gateway-domain"
const char* table_scope_name(TableScope s);  // "local", "shared"
std::optional<TableKind> parse_table_kind(std::string_view s);
std::optional<TableScope> parse_table_scope(std::string_view s);

// Explicit limits of the loader.
struct TableLimits {
  std::size_t max_file_bytes = std::size_t{1} << 30;
  std::size_t max_line_length = 4096;
  std::size_t max_entries = 16'000'000;
  std::size_t max_errors = 50;  // loading stops reporting after this many
};

// One loader error: FILE:LINE: message.
struct TableError {
  std::string file;
  std::size_t line = 0;  // 1-based; 0 for the whole file
  std::string message;
  std::string text() const;
};

// One loaded table file. Immutable after parse().
class MappingTable {
 public:
  struct Entry {
    std::uint32_t key_offset, key_length;      // into keys_
    std::uint32_t value_offset, value_length;  // into text_ (the right side as written)
    std::uint32_t line;
  };

  // Parses table text as if read from `file`. On errors returns them all
  // (up to limits.max_errors), each with its line.
  static std::variant<MappingTable, std::vector<TableError>> parse(std::string text, std::string file, TableKind kind,
                                                                   TableScope scope, const TableLimits& limits = {});

  const std::string& file() const { return file_; }
  TableKind kind() const { return kind_; }
  TableScope scope() const { return scope_; }
  std::size_t size() const { return entries_.size(); }
  std::size_t max_depth() const { return max_depth_; }  // labels or hierarchy levels of the longest key
  std::size_t memory_bytes() const;

  // The entry whose canonical key is `key` (hash = hash_key(key)), or nullptr.
  const Entry* find(std::string_view key, std::uint64_t hash) const;
  std::string_view key_of(const Entry& e) const { return {keys_.data() + e.key_offset, e.key_length}; }
  std::string_view value_of(const Entry& e) const { return {text_.data() + e.value_offset, e.value_length}; }
  const std::vector<Entry>& entries() const { return entries_; }

  static std::uint64_t hash_key(std::string_view key);

 private:
  bool insert(std::uint32_t index, std::uint64_t hash, std::uint32_t& existing);

  std::string file_;
  TableKind kind_ = TableKind::table1;
  TableScope scope_ = TableScope::shared;
  std::string text_;
  std::string keys_;
  std::vector<Entry> entries_;
  std::vector<std::uint64_t> slots_;
  std::uint64_t mask_ = 0;
  std::size_t max_depth_ = 0;
};

// Reads a table file (size-limited) and parses it.
std::variant<MappingTable, std::vector<TableError>> load_table_file(const std::string& path, TableKind kind,
                                                                    TableScope scope, const TableLimits& limits = {});

// Where the config names a table.
struct TableSource {
  std::string file;
  TableKind kind = TableKind::table1;
  TableScope scope = TableScope::shared;
};

enum class OverrideMode : std::uint8_t {
  related_set,  // a higher-precedence entry hides lower-precedence entries at and below it
  entry,        // a higher-precedence entry hides only the entry with the same key
};

struct TableSetOptions {
  std::vector<TableScope> precedence{TableScope::local, TableScope::shared};  // first wins
  OverrideMode override_mode = OverrideMode::related_set;
  TableLimits limits;
};

// A match: which table and line, the right side as written, and how deep
// the matched key is (labels of the domain, or hierarchy levels). Points
// into the MappingTables it came from: valid while that set is held.
struct TableHit {
  const MappingTable* table = nullptr;
  std::uint32_t line = 0;
  std::string_view value;
  std::size_t depth = 0;
  std::string location() const;  // "FILE:LINE"
};

// All loaded tables, immutable and shared (SIGHUP swaps the pointer).
// Lookups are const and lock-free: any number of threads may share one set.
class MappingTables {
 public:
  using Ptr = std::shared_ptr<const MappingTables>;

  // Checks the rules between tables (Appendix F §7: a domain not both in
  // gateway-or and table1; §8: an O/R address not both in gateway-domain and
  // table2; no key twice within one kind and scope) and builds the set.
  static std::variant<Ptr, std::vector<TableError>> build(std::vector<MappingTable> tables,
                                                          const TableSetOptions& options = {});
  // Reads and parses every source, then build(). All errors are returned.
  static std::variant<Ptr, std::vector<TableError>> load(const std::vector<TableSource>& sources,
                                                         const TableSetOptions& options = {});
  // No tables at all (every lookup misses).
  static Ptr empty();

  // Longest match of a domain in table1 or gateway-or.
  std::optional<TableHit> match_domain(TableKind kind, std::string_view domain) const;
  // Longest match of an O/R hierarchy in table2 or gateway-domain, omitted
  // levels included (§4.3.5 step 3).
  std::optional<TableHit> match_or(TableKind kind, const OrPrefix& prefix) const;

  const std::vector<MappingTable>& tables() const { return tables_; }
  std::size_t entries(TableKind kind) const;
  const TableSetOptions& options() const { return options_; }

 private:
  friend struct detail::TableAccess;
  // candidates[d-1] is the key of depth d (shortest first).
  std::optional<TableHit> best(TableKind kind, const std::string_view* candidates, std::size_t count) const;
  std::optional<TableHit> match_or_key(TableKind kind, std::string_view full_key,
                                       const std::array<std::uint32_t, kLevels>& starts) const;
  std::size_t max_depth(TableKind kind) const;

  std::vector<MappingTable> tables_;
  std::vector<std::vector<std::pair<std::size_t, int>>> by_kind_;  // per kind: (table index, rank)
  TableSetOptions options_;
};

}  // namespace mixer::addressing
