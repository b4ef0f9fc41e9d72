// bodyparts/multipart_heading.cpp: see the header. The BER is short: the
// subtype is cut to 64 octets, so every length fits the short form; the
// reader takes the short and the one-octet long form.
#include "bodyparts/multipart_heading.hpp"

#include "bodyparts/content_type.hpp"

namespace mixer::bodyparts {

namespace ipms = p1::ipms;

const p1::ber::Oid& id_hex_multipart_message_v2() {
  static const p1::ber::Oid o{1, 3, 6, 1, 7, 1, 1, 3};
  return o;
}
const p1::ber::Oid& id_hex_multipart_message() {
  static const p1::ber::Oid o{1, 3, 6, 1, 7, 1, 1, 2};
  return o;
}

ipms::Heading multipart_heading(std::string_view subtype, std::string id) {
  ipms::Heading h;
  h.this_ipm.user_relative_identifier = std::move(id);
  std::string sub;
  for (char c : subtype.substr(0, 64))
    if (c > 32 && c < 127) sub += c;
  if (sub == "mixed") h.subject = "Multipart Message";
  else if (sub == "alternative") h.subject = "Alternative Body Parts containing the same information";
  else if (sub == "digest") h.subject = "Message Digest";
  else if (sub == "parallel") h.subject = "Body Parts interpreted in parallel";
  else h.subject = "Multipart Message (" + sub + ")";
  // MultipartType { subtype, isAMessage FALSE }: a multipart, not a message (§6.6).
  p1::mts::Bytes v{0x30, static_cast<std::uint8_t>(sub.size() + 5), 0x16, static_cast<std::uint8_t>(sub.size())};
  v.insert(v.end(), sub.begin(), sub.end());
  v.insert(v.end(), {0x01, 0x01, 0x00});
  h.extensions.push_back(ipms::IpmsExtension{id_hex_multipart_message_v2(), p1::mts::EncodedValue{std::move(v)}});
  return h;
}

namespace {
// One TLV at `at`: its tag, contents and where the next starts; nullopt past the end.
struct Tlv {
  std::uint8_t tag;
  std::size_t start, length;
};
std::optional<Tlv> tlv(const p1::mts::Bytes& b, std::size_t at, std::size_t end) {
  if (at + 2 > end) return std::nullopt;
  Tlv t{b[at], at + 2, b[at + 1]};
  if (t.length == 0x81) {
    if (at + 3 > end) return std::nullopt;
    t.length = b[at + 2];
    t.start = at + 3;
  } else if (t.length > 0x7F) {
    return std::nullopt;
  }
  if (t.start + t.length > end) return std::nullopt;
  return t;
}

std::optional<MultipartType> read(const p1::mts::Bytes& b) {
  auto seq = tlv(b, 0, b.size());
  if (!seq || seq->tag != 0x30) return std::nullopt;
  const std::size_t end = seq->start + seq->length;
  auto sub = tlv(b, seq->start, end);
  if (!sub || sub->tag != 0x16) return std::nullopt;
  MultipartType m;
  m.subtype.assign(b.begin() + static_cast<std::ptrdiff_t>(sub->start),
                   b.begin() + static_cast<std::ptrdiff_t>(sub->start + sub->length));
  if (auto flag = tlv(b, sub->start + sub->length, end); flag && flag->tag == 0x01 && flag->length == 1)
    m.is_a_message = b[flag->start] != 0;
  return m;
}
}  // namespace

std::optional<MultipartType> multipart_type(const ipms::Heading& h) {
  for (const auto* oid : {&id_hex_multipart_message_v2(), &id_hex_multipart_message()})
    if (const auto* e = ipms::find_extension(h.extensions, *oid))
      if (const auto* v = e->value_as<p1::mts::EncodedValue>())
        if (auto m = read(v->encoding)) return m;
  return std::nullopt;
}

}  // namespace mixer::bodyparts
