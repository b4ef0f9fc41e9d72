// bodyparts/g3fax.cpp: g3-facsimile <-> image/g3fax (RFC 2157 §5.3, §5.4;
// the conversion of RFC 1494 §6.2 and §7.5). Pages are bit strings: each
// goes out without its trailing EOLs, padded to an octet and followed by six
// EOLs (00 10 01 00 10 01 00 10 01); coming in, the body is split at that
// sequence and each page's padding and trailing EOLs are removed. Trusts
// nothing: parameter values it does not know are losses, a page that would
// not split apart again is refused to the caller (which encapsulates).
#include "bodyparts/g3fax.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "bodyparts/internal.hpp"
#include "bodyparts/transfer_encoding.hpp"

namespace mixer::bodyparts {

namespace ipms = p1::ipms;
using p1::ber::BitString;

namespace {
// pages= both ways: what the reader takes is what the writer writes (a round trip is stable).
constexpr std::int64_t kMaxPages = 1'000'000'000;


// RFC 1494 §6.2.2: six EOLs (000000000001 each), starting on an octet boundary.
constexpr std::array<std::uint8_t, 9> kSixEols{0x00, 0x10, 0x01, 0x00, 0x10, 0x01, 0x00, 0x10, 0x01};
constexpr std::size_t kMaxDcsOctets = 32;  // T.30's DCS is a few octets; X.411 names bits up to 65

// RFC 1494 §6.2.1: the named parameters and their G3FacsimileNonBasicParameters bits (X.411).
struct NamedValue {
  const char* parameter;
  const char* value;  // as RFC 1494 writes it
  int bit;            // -1: the default, no bit
};
constexpr NamedValue kNamed[] = {
    {"page-length", "A4", -1},           {"page-length", "B4", 21},        {"page-length", "Unlimited", 20},
    {"page-width", "A4", -1},            {"page-width", "A3", 22},         {"page-width", "B4", 23},
    {"encoding", "1-dimensional", -1},   {"encoding", "2-dimensional", 8}, {"encoding", "Uncompressed", 30},
    {"resolution", "Coarse", -1},        {"resolution", "Fine", 9},
};

bool bit_of(const BitString& b, std::size_t i) { return b.test(i); }

// The number of bits of `bytes` less `unused`, bounded to what the octets hold.
std::size_t bit_length(const p1::ber::Bytes& bytes, std::size_t unused) {
  const std::size_t n = bytes.size() * 8;
  return unused > n ? 0 : n - unused;
}

bool bit_at(const p1::ber::Bytes& bytes, std::size_t i) { return (bytes[i / 8] & (0x80u >> (i % 8))) != 0; }

// §7.5 (1): the length of a page once its trailing EOL markers are removed, with the zero
// bits (fewer than an octet's: padding) after the last of them.
std::size_t without_trailing_eols(const p1::ber::Bytes& bytes, std::size_t n) {
  for (;;) {
    std::size_t m = n;
    for (int zeros = 0; m > 0 && zeros < 7 && !bit_at(bytes, m - 1); ++zeros) --m;
    if (m < 12 || !bit_at(bytes, m - 1)) return n;
    for (std::size_t i = m - 12; i < m - 1; ++i)
      if (bit_at(bytes, i)) return n;
    n = m - 12;
  }
}

// The first `n` bits of `bytes` as octets, the rest of the last octet zero (the padding).
std::string padded(const p1::ber::Bytes& bytes, std::size_t n) {
  std::string out(reinterpret_cast<const char*>(bytes.data()), (n + 7) / 8);
  if (n % 8) out.back() = static_cast<char>(static_cast<std::uint8_t>(out.back()) & (0xFFu << (8 - n % 8)));
  return out;
}

// §7.5 back (1): a page's octets, its padding (the trailing zero bits of the last octet, at
// most seven) and then its trailing EOLs removed.
BitString page_of(std::string_view octets) {
  BitString b;
  b.bytes = detail::bytes_of(octets);
  if (b.bytes.empty()) return b;
  std::size_t n = b.bytes.size() * 8;
  for (int i = 0; i < 7 && !bit_at(b.bytes, n - 1); ++i) --n;
  n = without_trailing_eols(b.bytes, n);
  b.bytes.resize((n + 7) / 8);
  b.unused_bits = static_cast<std::uint8_t>(b.bytes.size() * 8 - n);
  if (n % 8) b.bytes.back() &= static_cast<std::uint8_t>(0xFFu << (8 - n % 8));
  return b;
}

// §7.5 back (1): the body split at each six-EOL sequence (a last page without one counts).
std::vector<std::string_view> split_pages(std::string_view body) {
  const std::string_view eols(reinterpret_cast<const char*>(kSixEols.data()), kSixEols.size());
  std::vector<std::string_view> pages;
  std::size_t at = 0;
  while (at < body.size()) {
    const std::size_t end = body.find(eols, at);
    if (end == std::string_view::npos) {
      pages.push_back(body.substr(at));
      break;
    }
    pages.push_back(body.substr(at, end - at));
    at = end + eols.size();
  }
  return pages;
}

// A named-bit string in X.690 §11.2.2's form: no trailing zero bits.
void canonical(BitString& b) {
  std::size_t n = bit_length(b.bytes, b.unused_bits);
  while (n && !bit_at(b.bytes, n - 1)) --n;
  b.bytes.resize((n + 7) / 8);
  b.unused_bits = static_cast<std::uint8_t>(b.bytes.size() * 8 - n);
}

bool same_value(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

}  // namespace

std::optional<MimeEntity> g3fax_mime(const ipms::G3FacsimileBodyPart& g3, std::vector<std::string>& lost) {
  std::string type = "image/g3fax";
  if (g3.non_basic_parameters) {
    const BitString& nb = *g3.non_basic_parameters;
    bool dcs = false;  // §6.2.1: a bit no parameter names, or two values of one parameter
    for (std::size_t i = 0; i < nb.size(); ++i) {
      if (!bit_of(nb, i)) continue;
      dcs = dcs || std::none_of(std::begin(kNamed), std::end(kNamed),
                                [&](const NamedValue& v) { return v.bit == static_cast<int>(i); });
    }
    for (const char* parameter : {"page-length", "page-width", "encoding", "resolution"}) {
      const NamedValue* chosen = nullptr;
      int set = 0;
      for (const auto& v : kNamed)
        if (std::string_view(v.parameter) == parameter && v.bit >= 0 && bit_of(nb, static_cast<std::size_t>(v.bit))) {
          chosen = &v;
          ++set;
        }
      if (set == 1) type += std::string("; ") + parameter + "=" + chosen->value;
      dcs = dcs || set > 1;
    }
    if (dcs) {  // the string without trailing zero bits, as it comes back
      BitString c = nb;
      canonical(c);
      std::string b64 = base64_lines(std::string_view(reinterpret_cast<const char*>(c.bytes.data()), c.bytes.size()));
      std::erase(b64, '\r');
      std::erase(b64, '\n');
      type += "; DCS=" + parameter_value(b64);
    }
  }
  if (g3.number_of_pages && *g3.number_of_pages >= 0 && *g3.number_of_pages <= kMaxPages)
    type += "; pages=" + std::to_string(*g3.number_of_pages);
  else if (g3.number_of_pages)
    lost.push_back("a g3-facsimile's number-of-pages outside 0.." + std::to_string(kMaxPages));
  std::string body;
  std::vector<std::string> pages;
  bool short_page = false;  // a page whose bit length the padding hides
  for (const auto& p : g3.pages) {
    const std::size_t n = without_trailing_eols(p.bytes, bit_length(p.bytes, p.unused_bits));
    pages.push_back(padded(p.bytes, n));
    body += pages.back();
    body.append(reinterpret_cast<const char*>(kSixEols.data()), kSixEols.size());
    short_page = short_page || page_of(pages.back()).size() != n;
  }
  // §6.2.2 says the sequence "cannot occur inside the image"; when a page holds it anyway, the
  // pages would not come back apart: not this mapping.
  const auto back = split_pages(body);
  if (back.size() != pages.size() || !std::equal(back.begin(), back.end(), pages.begin())) return std::nullopt;
  if (short_page) lost.push_back("the trailing zero bits of a g3-facsimile page (RFC 1494 §7.5 pads pages to octets)");
  MimeEntity e;
  e.fields.push_back({"Content-Type", std::move(type)});
  detail::set_binary_body(e, body);  // §6.2.2: base64
  return e;
}

ipms::G3FacsimileBodyPart g3fax_body_part(const ContentType& ct, std::string_view octets,
                                          std::vector<std::string>& lost) {
  ipms::G3FacsimileBodyPart g3;
  BitString nb;
  bool any = false;
  for (const auto& [name, value] : ct.parameters) {
    if (name == "pages") {
      std::int64_t n = -1;
      const auto r = std::from_chars(value.data(), value.data() + value.size(), n);
      if (r.ec == std::errc() && r.ptr == value.data() + value.size() && n >= 0 && n <= kMaxPages)
        g3.number_of_pages = n;
      else
        lost.push_back("image/g3fax pages=" + value.substr(0, 32) + " is not a number of pages");
      continue;
    }
    if (name == "dcs") {
      const Decoded d = decode_base64(value);
      if (!d.clean || d.octets.empty() || d.octets.size() > kMaxDcsOctets) {
        lost.push_back("image/g3fax DCS=" + value.substr(0, 32) + " is not a device control string");
        continue;
      }
      for (std::size_t i = 0; i < d.octets.size() * 8; ++i)
        if (static_cast<std::uint8_t>(d.octets[i / 8]) & (0x80u >> (i % 8))) nb.set(i), any = true;
      continue;
    }
    bool known_name = false, known_value = false;
    for (const auto& v : kNamed) {
      if (name != v.parameter) continue;
      known_name = true;
      if (!same_value(value, v.value)) continue;
      known_value = true;
      if (v.bit >= 0) nb.set(static_cast<std::size_t>(v.bit)), any = true;
    }
    if (!known_name || !known_value)
      lost.push_back("the image/g3fax parameter " + name.substr(0, 32) + "=" + value.substr(0, 32) +
                     (known_name ? " (a value RFC 1494 does not define)" : " (g3-facsimile has no place for it)"));
  }
  if (any) {
    canonical(nb);
    g3.non_basic_parameters = std::move(nb);
  }
  for (std::string_view page : split_pages(octets)) g3.pages.push_back(page_of(page));
  return g3;
}

namespace {
void add_g3_non_basic(const std::vector<p1::ipms::BodyPart>& body, std::optional<p1::ber::BitString>& out,
                      std::size_t depth) {
  for (const auto& p : body) {
    if (const auto* g3 = p.as<p1::ipms::G3FacsimileBodyPart>(); g3 && g3->non_basic_parameters) {
      const auto& nb = *g3->non_basic_parameters;
      if (!out) out.emplace();
      for (std::size_t b = 0; b < nb.size(); ++b)
        if (nb.test(b)) out->set(b);
    } else if (const auto* m = p.as<p1::ipms::MessageBodyPart>(); m && depth < 64) {
      add_g3_non_basic(m->ipm->body, out, depth + 1);
    }
  }
}
}  // namespace

std::optional<p1::ber::BitString> g3_non_basic_parameters(const std::vector<p1::ipms::BodyPart>& body) {
  std::optional<p1::ber::BitString> out;
  add_g3_non_basic(body, out, 0);
  return out;
}

}  // namespace mixer::bodyparts
