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
// An IPM forwarding a receipt and a non-receipt notification (id-et-notification,
// with MessageParameters) and a delivery/non-delivery report (id-et-report).
InformationObject forwarded_notifications_and_report();
// An IPM whose heading carries body-part-signatures (id-hex-body-part-signatures): two
// signatures, the second with a directory-entry and the OpenSSL certificate.
InformationObject ipm_with_body_part_signatures();
// An IPM of about `size` octets: the full heading and one IA5 body part.
InformationObject ipm_of_size(std::size_t size);

}  // namespace mixer::p1::ipms::test
