// addressing/tables.cpp: the set of MCGAM tables and the longest-match
// lookups of RFC 2156 Appendix F §4 with local/shared precedence.
#include <algorithm>
#include <array>
#include <climits>

#include "addressing/charset.hpp"
#include "addressing/detail.hpp"
#include "addressing/tables.hpp"

namespace mixer::addressing {

std::string TableHit::location() const { return table ? table->file() + ":" + std::to_string(line) : ""; }

namespace {

std::size_t kind_index(TableKind k) { return static_cast<std::size_t>(k); }

// The kinds whose keys must not meet (Appendix F §7 and §8).
std::optional<TableKind> exclusive_with(TableKind k) {
  if (k == TableKind::gateway_or) return TableKind::table1;
  if (k == TableKind::gateway_domain) return TableKind::table2;
  return std::nullopt;
}

}  // namespace

MappingTables::Ptr MappingTables::empty() {
  auto r = build({}, {});
  return std::get<Ptr>(r);
}

std::variant<MappingTables::Ptr, std::vector<TableError>> MappingTables::build(std::vector<MappingTable> tables,
                                                                               const TableSetOptions& options) {
  std::vector<TableError> errors;
  auto rank_of = [&](TableScope s) {
    const auto it = std::find(options.precedence.begin(), options.precedence.end(), s);
    return it == options.precedence.end() ? static_cast<int>(options.precedence.size()) : static_cast<int>(it - options.precedence.begin());
  };
  // Keys that must be unique: within one kind and scope across files, and
  // between gateway and MCGAM tables of one scope.
  for (std::size_t i = 0; i < tables.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const MappingTable& a = tables[j];
      const MappingTable& b = tables[i];
      if (a.scope() != b.scope()) continue;
      const bool same_kind = a.kind() == b.kind();
      const bool exclusive = exclusive_with(a.kind()) == b.kind() || exclusive_with(b.kind()) == a.kind();
      if (!same_kind && !exclusive) continue;
      for (const auto& e : b.entries()) {
        if (errors.size() >= options.limits.max_errors) break;
        const std::string_view key = b.key_of(e);
        const auto* other = a.find(key, MappingTable::hash_key(key));
        if (!other) continue;
        const std::string where = a.file() + ":" + std::to_string(other->line);
        std::string msg;
        if (!same_kind)
          msg = std::string("key also in the ") + table_kind_name(a.kind()) + " table at " + where +
                (b.kind() == TableKind::gateway_or || a.kind() == TableKind::gateway_or
                     ? " (RFC 2156 Appendix F §7: a domain cannot be in both)"
                     : " (RFC 2156 Appendix F §8: an O/R address cannot be in both)");
        else if (iequals(a.value_of(*other), b.value_of(e)))
          msg = "duplicate key (first at " + where + ")";
        else
          msg = "conflicting entry: '" + std::string(b.value_of(e)) + "' here, '" + std::string(a.value_of(*other)) + "' at " + where;
        errors.push_back({b.file(), e.line, std::move(msg)});
      }
    }
  }
  if (!errors.empty()) return errors;
  auto set = std::make_shared<MappingTables>();
  set->tables_ = std::move(tables);
  set->options_ = options;
  set->by_kind_.assign(4, {});
  for (std::size_t i = 0; i < set->tables_.size(); ++i)
    set->by_kind_[kind_index(set->tables_[i].kind())].emplace_back(i, rank_of(set->tables_[i].scope()));
  for (auto& v : set->by_kind_)
    std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
  return Ptr(std::move(set));
}

std::variant<MappingTables::Ptr, std::vector<TableError>> MappingTables::load(const std::vector<TableSource>& sources,
                                                                              const TableSetOptions& options) {
  std::vector<MappingTable> tables;
  std::vector<TableError> errors;
  for (const auto& s : sources) {
    auto r = load_table_file(s.file, s.kind, s.scope, options.limits);
    if (auto* e = std::get_if<std::vector<TableError>>(&r)) errors.insert(errors.end(), e->begin(), e->end());
    else tables.push_back(std::move(std::get<MappingTable>(r)));
  }
  if (!errors.empty()) return errors;
  return build(std::move(tables), options);
}

std::size_t MappingTables::entries(TableKind kind) const {
  std::size_t n = 0;
  for (const auto& [i, rank] : by_kind_[kind_index(kind)]) n += tables_[i].size();
  return n;
}

std::size_t MappingTables::max_depth(TableKind kind) const {
  std::size_t d = 0;
  for (const auto& [i, rank] : by_kind_[kind_index(kind)]) d = std::max(d, tables_[i].max_depth());
  return d;
}

// candidates[d-1] is the key of depth d (shortest first).
std::optional<TableHit> MappingTables::best(TableKind kind, const std::string_view* candidates, std::size_t count) const {
  const auto& list = by_kind_[kind_index(kind)];
  if (list.empty()) return std::nullopt;
  // The best-precedence table holding the key of depth d, or nullptr.
  auto probe = [&](std::size_t d, int& rank_out) -> std::pair<const MappingTable*, const MappingTable::Entry*> {
    const std::string_view key = candidates[d - 1];
    std::uint64_t hash = 0;
    bool hashed = false;
    for (const auto& [i, rank] : list) {
      const MappingTable& t = tables_[i];
      if (d > t.max_depth()) continue;
      if (!hashed) {
        hash = MappingTable::hash_key(key);
        hashed = true;
      }
      if (const auto* e = t.find(key, hash)) {
        rank_out = rank;
        return {&t, e};
      }
    }
    return {nullptr, nullptr};
  };
  // One precedence rank, or per-entry overrides: the deepest hit wins, so
  // probe from the longest key and stop at the first hit.
  if (options_.override_mode == OverrideMode::entry || list.front().second == list.back().second) {
    for (std::size_t d = count; d >= 1; --d) {
      int rank = 0;
      if (auto [t, e] = probe(d, rank); e) return TableHit{t, e->line, t->value_of(*e), d};
    }
    return std::nullopt;
  }
  // Related sets (§4.2): a hit is hidden by a better-precedence hit at the
  // same or a shallower depth; walk from the shortest key.
  std::optional<TableHit> result;
  int min_rank = INT_MAX;
  for (std::size_t d = 1; d <= count; ++d) {
    int rank = INT_MAX;
    auto [t, e] = probe(d, rank);
    if (!e) continue;
    if (rank <= min_rank) result = TableHit{t, e->line, t->value_of(*e), d};
    min_rank = std::min(min_rank, rank);
  }
  return result;
}

std::optional<TableHit> MappingTables::match_domain(TableKind kind, std::string_view domain) const {
  if (domain.empty() || domain.size() > 1024) return std::nullopt;
  if (by_kind_[kind_index(kind)].empty()) return std::nullopt;
  char lower[1024];
  std::size_t n = domain.size();
  for (std::size_t i = 0; i < n; ++i) lower[i] = ascii_lower(domain[i]);
  if (lower[n - 1] == '.') --n;
  const std::string_view all(lower, n);
  // Keys deeper than every table's deepest key cannot match: only those
  // candidates are made (shortest, the TLD, first).
  const std::size_t depth = std::max<std::size_t>(max_depth(kind), 1);
  std::string_view small[16];
  std::vector<std::string_view> big;
  std::string_view* candidates = small;
  if (depth > std::size(small)) {
    big.resize(depth);
    candidates = big.data();
  }
  std::size_t count = 0;
  for (std::size_t i = all.size(); i-- > 0 && count < depth;)
    if (all[i] == '.') candidates[count++] = all.substr(i + 1);
  if (count < depth) candidates[count++] = all;
  return best(kind, candidates, count);
}

namespace {
// Where each level's part of a full O/R key begins, left to right (OU4 first).
void part_starts(std::string_view full, std::array<std::uint32_t, kLevels>& starts) {
  std::size_t n = 0;
  starts[n++] = 0;
  for (std::size_t i = 0; i < full.size() && n < kLevels; ++i) {
    if (full[i] == '\\') ++i;  // escaped "." or "\\"
    else if (full[i] == '.') starts[n++] = static_cast<std::uint32_t>(i + 1);
  }
}
}  // namespace

std::optional<TableHit> MappingTables::match_or_key(TableKind kind, std::string_view full,
                                                    const std::array<std::uint32_t, kLevels>& starts) const {
  // The key of all eight levels; shorter keys are its suffixes.
  std::string_view candidates[kLevels];  // shortest (C only) first
  for (std::size_t k = 0; k < kLevels; ++k) candidates[k] = full.substr(starts[kLevels - 1 - k]);
  return best(kind, candidates, kLevels);
}

std::optional<TableHit> MappingTables::match_or(TableKind kind, const OrPrefix& prefix) const {
  if (!prefix.values[0]) return std::nullopt;
  const std::string key = prefix_key(prefix, kLevels);
  std::array<std::uint32_t, kLevels> starts{};
  part_starts(key, starts);
  return match_or_key(kind, key, starts);
}

namespace detail {

std::optional<TableHit> TableAccess::match_or(const MappingTables& t, TableKind kind, const OrLookupKey& key) {
  return t.match_or_key(kind, key.text, key.starts);
}

}  // namespace detail

}  // namespace mixer::addressing
