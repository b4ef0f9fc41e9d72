// addressing/rfc822_mailbox.hpp: RFC 822 / RFC 5322 header addresses as RFC
// 2156 §4.7 needs them: mailbox (addr-spec or phrase route-addr), group, and
// the comments around them, kept in order. Encoded-words are left as text
// (RFC 2156 §3.5 allows treating them as ASCII; decoding is the caller's).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "addressing/error.hpp"
#include "addressing/rfc822_address.hpp"

namespace mixer::addressing {

struct Rfc822Mailbox {
  Rfc822Address address;
  std::string phrase;                  // display name, unquoted; empty for a bare addr-spec
  bool angle = false;                  // written as phrase <route-addr> / <addr-spec>
  std::vector<std::string> comments;   // "(...)" texts in order, parentheses kept
};

struct Rfc822HeaderAddress {
  bool group = false;
  std::string group_phrase;              // for a group
  std::vector<Rfc822Mailbox> mailboxes;  // one for a mailbox; members for a group
  std::vector<std::string> comments;     // comments outside the mailboxes of a group
};

// Parses an address-list (the value of To:, Cc:, From: ...). Limits: at most
// `max_length` octets and `max_addresses` addresses.
Result<std::vector<Rfc822HeaderAddress>> parse_address_list(std::string_view text, std::size_t max_length = 65536,
                                                            std::size_t max_addresses = 4096);

// A phrase as atoms when it is one, else a quoted-string.
std::string format_phrase(std::string_view phrase);

}  // namespace mixer::addressing
