// tests/unit/addressing/helpers.hpp: shared fixtures for the addressing tests:
// parse-or-fail helpers and a MappingContext built from table text.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "addressing/mapping.hpp"
#include "addressing/std_or.hpp"
#include "addressing/tables.hpp"

namespace mixer::addressing {
// gtest prints O/R addresses as std-or text.
inline void PrintTo(const OrAddress& a, std::ostream* os) {
  auto r = format_std_or(a);
  *os << (r.ok() ? r.value() : "<" + r.error().text() + ">");
}
}  // namespace mixer::addressing

namespace mixer::addressing::test {

// Parses std-or / RFC 1685 text; fails the test on error.
inline OrAddress orx(std::string_view text) {
  auto r = parse_or_address(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().text());
  return r.ok() ? r.value() : OrAddress{};
}

inline std::string std_or(const OrAddress& a) {
  auto r = format_std_or(a);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().text());
  return r.ok() ? r.value() : "";
}

// The RFC writes domain-defined types in any case ("dd.rfc-822"); keywords
// match case-independently (§4.1.3), so compare with types upper-cased.
inline OrAddress upper_dda_types(OrAddress a) {
  for (auto& d : a.ddas)
    for (auto& c : d.type) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return a;
}

struct TableText {
  std::string name;  // file name shown in errors
  TableKind kind;
  std::string text;
  TableScope scope = TableScope::shared;
};

inline MappingTables::Ptr tables_from(const std::vector<TableText>& texts, const TableSetOptions& options = {}) {
  std::vector<MappingTable> tables;
  for (const auto& t : texts) {
    auto r = MappingTable::parse(t.text, t.name, t.kind, t.scope, options.limits);
    if (auto* e = std::get_if<std::vector<TableError>>(&r)) {
      ADD_FAILURE() << e->front().text();
      return MappingTables::empty();
    }
    tables.push_back(std::move(std::get<MappingTable>(r)));
  }
  auto set = MappingTables::build(std::move(tables), options);
  if (auto* e = std::get_if<std::vector<TableError>>(&set)) {
    ADD_FAILURE() << e->front().text();
    return MappingTables::empty();
  }
  return std::get<MappingTables::Ptr>(set);
}

// A gateway with the given O/R address and domain.
inline MappingContext context(std::string_view gateway_or, std::string_view domain, MappingTables::Ptr tables = nullptr) {
  MappingContext ctx;
  auto g = make_gateway_identity(gateway_or, domain, "mta.test", "", "", "");
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().text());
  if (g.ok()) ctx.gateway = g.value();
  ctx.tables = tables ? tables : MappingTables::empty();
  return ctx;
}

}  // namespace mixer::addressing::test
