// addressing/directory_name.hpp: RFC 2156 §4.5, the directory name of an
// O/R name shown to RFC 822 users as a comment in the RFC 1485 string form
// ("(CN=Steve Kille, O=ISODE Consortium, C=GB)"). One way only: §4.5 needs no
// reverse mapping. The X.500 Name is a plain value the p1/ codec fills.
#pragma once

#include <string>
#include <vector>

namespace mixer::addressing {

struct AttributeValueAssertion {
  std::string type;   // dotted OID ("2.5.4.3")
  std::string value;  // the string value, UTF-8 (or "#" + hex of a value that is no string)
  // The universal string type the value came as, by its ASN.1 tag number (19
  // PrintableString, 20 TeletexString, 12 UTF8String, 30 BMPString, 28
  // UniversalString, 22 IA5String, 18 NumericString), so it is written back
  // as that type; 0: PrintableString when the value fits, else UTF8String.
  int string_type = 0;
};
using RelativeDistinguishedName = std::vector<AttributeValueAssertion>;

// X.501 RDNSequence, most significant (C) first as in the ASN.1.
struct DirectoryName {
  std::vector<RelativeDistinguishedName> rdns;
};

// RFC 1485 string: most significant RDN last, ", " between RDNs, " + "
// between the values of one RDN, keywords CN C L ST O OU STREET, other types
// as "OID.n.n.n", values quoted when they hold , + = " < > # ; or edge spaces.
std::string format_directory_name(const DirectoryName& name);

// The §4.5 trailing RFC 822 comment: "(" string ")" with "(", ")" and "\"
// escaped as quoted-pairs and line breaks removed.
std::string directory_name_comment(const DirectoryName& name);

}  // namespace mixer::addressing
