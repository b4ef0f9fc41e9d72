// addressing/or_descriptor.hpp: RFC 2156 §4.7.1 and §4.7.2, header addresses
// <-> IPMS.ORDescriptor.
//
//   822.mailbox "Marshall Rose <mrose@x> (Tel 1)" <-> formal-name (the
//   §4.3 mapping of the addr-spec) + free-form-name ("Marshall Rose (Tel 1)").
// Free-form names are plain UTF-8 here: the T.61 / RFC 1522 conversion of
// §3.5 belongs to the caller (mapping/, with bodyparts/ charsets).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "addressing/directory_name.hpp"
#include "addressing/mapping.hpp"

namespace mixer::addressing {

// X.411 ORName: an O/R address and an optional directory name.
struct OrName {
  OrAddress address;
  std::optional<DirectoryName> directory_name;
};

// X.420 ORDescriptor.
struct OrDescriptor {
  std::optional<OrName> formal_name;
  std::optional<std::string> free_form_name;
  std::optional<std::string> telephone_number;
};

// X.420 RecipientSpecifier flags that §4.7.2 steps 5-6 may show.
struct RecipientFlags {
  bool reply_requested = false;               // step 6: "(Reply requested)"
  bool receipt_notification = false;          // step 5 (not recommended; off unless asked)
  bool non_receipt_notification = false;
  bool ipm_return = false;
  bool show_notification_comments = false;    // §4.7.2 step 5 recommends leaving them out
};

// §4.7.1: one header address (mailbox or group) -> ORDescriptors. A group
// gives a descriptor with only the free-form name, then one per member.
Result<std::vector<OrDescriptor>> header_address_to_or_descriptors(std::string_view address, const MappingContext& ctx);

// §4.7.2: ORDescriptor -> 822.mailbox text (or "Free Form Name: ;" when
// there is no formal name), with the telephone, directory name and flag
// comments of steps 3-6.
// `phrase` writes the free-form name (UTF-8) as an 822.phrase; the default is
// format_phrase (atoms or a quoted-string); mapping/ passes RFC 2047's.
using PhraseFormatter = std::string (*)(std::string_view utf8);
Result<std::string> or_descriptor_to_mailbox(const OrDescriptor& d, const MappingContext& ctx,
                                             const RecipientFlags& flags = {}, PhraseFormatter phrase = nullptr);

}  // namespace mixer::addressing
