// tests/unit/p1/mts/values.hpp: MTS values that use every field the X.411
// codec knows (the round-trip and oracle corpus): O/R names with every
// attribute form, a message envelope with every per-message field and
// standard extension, a probe, a delivery and a non-delivery report.
#pragma once

#include "p1/mts/types.hpp"

namespace mixer::p1::mts::test {

addressing::Text P(const char* s);
addressing::Text N(const char* s);
// C=GB ADMD=TEST PRMD=ALPHA O=Alpha S=name: a mnemonic address like PP's.
OrName simple_name(const char* surname, const char* prmd = "ALPHA");
// Every built-in attribute, teletex and universal forms, DDAs of three kinds,
// postal attributes, extended network address, terminal type, directory name.
OrName every_attribute_name();
GlobalDomainIdentifier gdi(const char* prmd = "ALPHA");
TraceInformation trace(int n);
Extensions every_message_extension();
Extensions every_recipient_extension();
MtsApdu full_message(std::size_t recipients = 3, Bytes content = {});
MtsApdu full_probe();
MtsApdu full_report();

}  // namespace mixer::p1::mts::test
