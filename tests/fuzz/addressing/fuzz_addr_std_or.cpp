// tests/fuzz/addressing/fuzz_addr_std_or.cpp: arbitrary text through the
// std-or parser and formatter, the RFC 822 address parser, both RFC 2156
// ch.4 mappings, header address lists (§4.7.1/§4.7.2) and the message-ID
// mappings. Besides never crashing, the
// canonical forms must be fixed points: format(parse(format(parse(x)))) ==
// format(parse(x)), and likewise for message IDs; a valid O/R address
// mapped whole into a std-or local-part maps back to the same std-or.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "addressing/mapping.hpp"
#include "addressing/message_id.hpp"
#include "addressing/or_descriptor.hpp"
#include "addressing/rfc822_mailbox.hpp"
#include "addressing/std_or.hpp"

using namespace mixer::addressing;

namespace {

const MappingContext& context() {
  static const MappingContext ctx = [] {
    MappingContext c;
    auto t1 = MappingTable::parse("Widget.COM#O$Widget.ADMD$BTT.C$TC#\nAC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#\n", "t1",
                                  TableKind::table1, TableScope::shared);
    auto t2 = MappingTable::parse("O$Widget.ADMD$BTT.C$TC#Widget.COM#\nPRMD$UK\\.AC.ADMD$GOLD 400.C$GB#AC.UK#\n", "t2",
                                  TableKind::table2, TableScope::shared);
    std::vector<MappingTable> v;
    v.push_back(std::move(std::get<MappingTable>(t1)));
    v.push_back(std::move(std::get<MappingTable>(t2)));
    c.tables = std::get<MappingTables::Ptr>(MappingTables::build(std::move(v)));
    c.gateway = make_gateway_identity("/O=GW/PRMD=P/ADMD= /C=XX/", "gw.example", "gw.example", "", "", "").value();
    return c;
  }();
  return ctx;
}

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant failed: %s\n", what);
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const MappingContext& ctx = context();
  StdOrParseOptions o;
  o.inverted_ou_heuristic = size % 2;
  o.label_prefix = true;
  if (auto a = parse_std_or(text, o)) {
    if (auto s1 = format_std_or(a->address)) {
      auto again = parse_or_address(*s1);
      check(again.ok(), "formatted std-or parses");
      auto s2 = format_std_or(*again);
      check(s2.ok() && *s2 == *s1, "std-or canonical form is a fixed point");
    }
    if (auto m = map_x400_to_rfc822(a->address, AddressRole::ipms, ctx)) {
      check(parse_rfc822_address(m->address).ok(), "mapped RFC 822 address parses");
      auto back = map_rfc822_to_x400(m->address, AddressRole::smtp_recipient, ctx);
      // RFC 2156 §4.3.5 step 5 / §4.3.4 stage I step 6: a valid address
      // written whole as std-or at the gateway comes back unchanged (null
      // values and teletex names included), in its canonical text.
      if (m->explanation.rule == "§4.3.5 mapping B (std-or at the local gateway)" && validate_x402(a->address)) {
        check(back.ok() && !back->encapsulated, "std-or local-part maps back by stage I");
        auto s1 = format_std_or(a->address), s2 = format_std_or(back->address);
        check(s1.ok() && s2.ok() && *s1 == *s2, "std-or local-part maps back to the same address");
      }
    }
    (void)recursive_x400(a->address, ctx);
  }
  if (auto r = parse_rfc822_address(text)) {
    const std::string canon = format_rfc822_address(*r);
    auto again = parse_rfc822_address(canon);
    check(again.ok() && *again == *r, "RFC 822 canonical form parses back");
    for (auto role : {AddressRole::smtp_originator, AddressRole::ipms})
      if (auto x = map_rfc822_to_x400(*r, role, ctx)) {
        check(validate_x411(x->address).ok(), "mapped O/R address within X.411 bounds");
        auto s = format_std_or(x->address);
        check(s.ok(), "mapped O/R address has a std-or form");
        (void)map_x400_to_rfc822(x->address, AddressRole::ipms, ctx);
      }
  }
  if (auto id = msg_id_to_ipm_identifier(text)) {
    if (auto t1 = ipm_identifier_to_msg_id(*id)) {
      auto id2 = msg_id_to_ipm_identifier(t1->text);
      check(id2.ok(), "generated msg-id maps back");
      auto t2 = ipm_identifier_to_msg_id(*id2);
      check(t2.ok() && t2->text == t1->text, "msg-id canonical form is a fixed point");
    }
  }
  if (auto list = parse_address_list(text); list && list->size() == 1) {
    if (auto ds = header_address_to_or_descriptors(text, ctx))
      for (const auto& d : *ds) (void)or_descriptor_to_mailbox(d, ctx);
  }
  (void)parse_mts_msg_id(text);
  (void)msg_id_to_mts_identifier(text, ctx);
  return 0;
}
