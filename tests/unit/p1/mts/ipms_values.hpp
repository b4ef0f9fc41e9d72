// tests/unit/p1/mts/ipms_values.hpp: X.420 values that use every field the
// IPMS codec knows: a heading with every component and heading extension,
// every body part kind in its basic and extended (BP15) forms, a forwarded
// message with its delivery envelope, and IPNs of the three kinds.
#pragma once

#include "p1/ipms/types.hpp"

namespace mixer::p1::ipms::test {

OrDescriptor descriptor(const char* surname, bool full = false);
Heading full_heading();
std::vector<BodyPart> every_body_part();
InformationObject full_ipm();
InformationObject receipt_ipn();
InformationObject non_receipt_ipn();
InformationObject other_ipn();
// An IPM of about `size` octets: the full heading and one IA5 body part.
InformationObject ipm_of_size(std::size_t size);

}  // namespace mixer::p1::ipms::test
