// tests/unit/p1/mts/transfer.hpp: the oracle path of the X.411 / X.420
// codec tests: MTS-APDUs carried over a whole P1 association (bind, one
// confirmed RT-TRANSFER each, release) between two of our RTSE machines,
// decoded by tshark (p1, p22 and the OSI layers).
#pragma once

#include <string>
#include <vector>

#include "tests/unit/p1/support/oracle.hpp"

namespace mixer::p1::mts::test {

mixer::p1::test::Decode transfer(const std::vector<std::vector<std::uint8_t>>& apdus,
                                 const std::vector<std::string>& allowed = {});

}  // namespace mixer::p1::mts::test
