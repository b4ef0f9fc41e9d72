// p1/ber/tag.hpp: ASN.1 tags (X.680 §8) and the universal tag numbers the
// X.400 modules use. A Tag is class + number; whether an encoding is
// primitive or constructed is a property of the encoding (X.690 §8.1.2.5),
// checked by the reader according to the type, not part of the tag.
#pragma once

#include <cstdint>
#include <string>

namespace mixer::p1::ber {

enum class TagClass : std::uint8_t { universal = 0, application = 1, context = 2, private_use = 3 };

struct Tag {
  TagClass cls = TagClass::universal;
  std::uint32_t number = 0;
  constexpr bool operator==(const Tag&) const = default;
};

constexpr Tag universal(std::uint32_t n) { return {TagClass::universal, n}; }
constexpr Tag application(std::uint32_t n) { return {TagClass::application, n}; }
constexpr Tag context(std::uint32_t n) { return {TagClass::context, n}; }
constexpr Tag private_tag(std::uint32_t n) { return {TagClass::private_use, n}; }

// "[APPLICATION 3]", "[2]", "UNIVERSAL 16 (SEQUENCE)".
std::string to_string(Tag t);

// Universal tags (X.680 §8.4, Table 1).
namespace univ {
inline constexpr Tag end_of_contents = universal(0);
inline constexpr Tag boolean = universal(1);
inline constexpr Tag integer = universal(2);
inline constexpr Tag bit_string = universal(3);
inline constexpr Tag octet_string = universal(4);
inline constexpr Tag null = universal(5);
inline constexpr Tag object_identifier = universal(6);
inline constexpr Tag object_descriptor = universal(7);
inline constexpr Tag external = universal(8);
inline constexpr Tag real = universal(9);
inline constexpr Tag enumerated = universal(10);
inline constexpr Tag utf8_string = universal(12);
inline constexpr Tag relative_oid = universal(13);
inline constexpr Tag sequence = universal(16);
inline constexpr Tag set = universal(17);
inline constexpr Tag numeric_string = universal(18);
inline constexpr Tag printable_string = universal(19);
inline constexpr Tag teletex_string = universal(20);  // T61String
inline constexpr Tag videotex_string = universal(21);
inline constexpr Tag ia5_string = universal(22);
inline constexpr Tag utc_time = universal(23);
inline constexpr Tag generalized_time = universal(24);
inline constexpr Tag graphic_string = universal(25);
inline constexpr Tag visible_string = universal(26);
inline constexpr Tag general_string = universal(27);
inline constexpr Tag universal_string = universal(28);
inline constexpr Tag bmp_string = universal(30);
}  // namespace univ

}  // namespace mixer::p1::ber
