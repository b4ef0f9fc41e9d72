// bodyparts/internal.cpp: refusals, transfer-encoding choice, the chapter 3
// encapsulations and the encoded information types (see internal.hpp).
// Trusts nothing in the body parts: a BER that does not decode, or a value
// the encoder refuses, is an answer, not a crash.
#include "bodyparts/internal.hpp"

#include <algorithm>
#include <cctype>

#include "bodyparts/transfer_encoding.hpp"
#include "p1/ipms/ipms.hpp"

namespace mixer::bodyparts::detail {

std::string rule(std::string_view section) { return std::string("RFC 2157 \xC2\xA7") + std::string(section); }

base::Refusal impractical(std::string_view section, std::string what) {
  return base::make_refusal(554, "5.6.3", base::reason::conversion_not_performed,
                            base::diagnostic::conversion_impractical, rule(section), std::move(what));
}
base::Refusal over_limit(std::string what) {
  return base::make_refusal(552, "5.3.4", base::reason::conversion_not_performed, base::diagnostic::content_too_long,
                            "RFC 2157", std::move(what));
}
base::Refusal prohibited(std::string_view section, std::string what) {
  return base::make_refusal(554, "5.6.2", base::reason::unable_to_transfer,
                            base::diagnostic::implicit_conversion_prohibited, rule(section), std::move(what));
}

void set_text_body(MimeEntity& e, std::string text, bool eight_bit_ok) {
  // A last line without CRLF is kept so (a multipart's delimiter brings its own CRLF): the
  // octets stay the canonical ones.
  const TextScan s = scan_text(text);
  if (!s.nul && !s.bare_cr_lf && !s.eight_bit && s.max_line <= 998) {
    e.body = std::move(text);
    return;
  }
  if (eight_bit_ok && !s.nul && !s.bare_cr_lf && s.max_line <= 998) {
    e.fields.push_back({"Content-Transfer-Encoding", "8bit"});
    e.body = std::move(text);
    return;
  }
  std::size_t high = 0;
  for (char c : text) high += static_cast<unsigned char>(c) > 127;
  if (high * 4 > text.size()) {  // mostly 8-bit: base64 is the more compact
    set_binary_body(e, text);
    return;
  }
  e.fields.push_back({"Content-Transfer-Encoding", "quoted-printable"});
  e.body = quoted_printable(text);
}

bool is_7bit_lines(std::string_view text) {
  const TextScan s = scan_text(text);
  return !s.nul && !s.bare_cr_lf && !s.eight_bit && s.max_line <= 998;
}

void set_binary_body(MimeEntity& e, std::string_view octets) {
  e.fields.push_back({"Content-Transfer-Encoding", "base64"});
  e.body = base64_lines(octets);
}

int basic_tag(const ipms::BodyPart& p) {
  static constexpr int tags[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14};
  const std::size_t i = p.type.index();
  return i < std::size(tags) ? tags[i] : -1;
}

std::optional<MimeEntity> x400_bp(const ipms::BodyPart& part, std::string& why_not) {
  std::string bp_type;
  if (part.extended()) {
    auto oid = ipms::data_oid(part);
    if (!oid) {
      why_not = "no object identifier for its extended form";
      return std::nullopt;
    }
    bp_type = oid->to_string();
  } else {
    bp_type = std::to_string(basic_tag(part));
  }
  auto ber = ipms::encode(part);
  if (!ber) {
    why_not = "its BER encoding was refused (" + ber.error().what + ")";
    return std::nullopt;
  }
  MimeEntity e;
  e.fields.push_back({"Content-Type", "application/x400-bp; bp-type=" + bp_type});
  set_binary_body(e, std::string_view(reinterpret_cast<const char*>(ber->data()), ber->size()));
  return e;
}

std::optional<ipms::BodyPart> from_x400_bp(std::string_view ber, std::size_t max_size, std::string& why_not) {
  ipms::Limits limits;
  limits.ber.max_size = max_size;
  auto part = ipms::decode<ipms::BodyPart>(p1::ber::view(ber), limits);
  if (!part) {
    why_not = part.error().what;
    return std::nullopt;
  }
  return std::move(*part);
}

namespace {
bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
}
// A field value with octets over 127 as RFC 2047 Q encoded words in charset unknown-8bit
// (RFC 1428), so it fits the IA5String of RFC822FieldList; ASCII values as they are. Each
// word is at most 75 characters (RFC 2047 §2) and the space between two is not part of the
// text (§6.2), so a long value can be folded between them; the first one ends by column 76
// after the `column` the field's name takes (§2: lines of at most 76 with encoded words).
std::string ia5_value(std::string_view v, std::size_t column) {
  if (ascii(v)) return std::string(v);
  static const char* hex = "0123456789ABCDEF";
  static constexpr std::string_view open = "=?unknown-8bit?Q?";
  static constexpr std::size_t max_text = 75 - open.size() - 2;
  std::string out(open);
  std::size_t text = 0;
  const std::size_t frame = open.size() + 2;  // "=?unknown-8bit?Q?" and "?="
  std::size_t budget = column + frame + 3 <= 76 ? std::min(max_text, 76 - column - frame) : 3;
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    char one[3];
    std::size_t n = 0;
    if (c > 32 && c < 127 && c != '=' && c != '?' && c != '_') one[n++] = ch;
    else if (c == ' ') one[n++] = '_';
    else { one[0] = '='; one[1] = hex[c >> 4]; one[2] = hex[c & 15]; n = 3; }
    if (text + n > budget) {
      out.append("?= ").append(open);
      text = 0;
      budget = max_text;
    }
    out.append(one, n);
    text += n;
  }
  return out + "?=";
}
// RFC 2231 §4 for a parameter value with octets over 127: name*=unknown-8bit''%XX...
std::pair<std::string, std::string> ia5_parameter(const std::string& name, std::string_view written,
                                                  std::string_view value) {
  if (ascii(written)) return {name, std::string(written)};
  static const char* hex = "0123456789ABCDEF";
  std::string out = "unknown-8bit''";
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') out += ch;
    else out.append({'%', hex[c >> 4], hex[c & 15]});
  }
  return {name + "*", out};
}
}  // namespace

ipms::BodyPart mime_body_part(const ContentType& ct, const std::vector<mime::Field>& fields, std::string data,
                              bool& encoded) {
  ipms::MimeBodyPart b;
  encoded = !ascii(ct.type) || !ct.complete;
  // A NUL is IA5, but no MIME header takes it back (from_mime_body_part mends it): a loss here.
  auto nul = [](std::string_view v) { return v.find('\0') != std::string_view::npos; };
  for (const auto& w : ct.written) encoded = encoded || !ascii(w) || nul(w);
  for (const auto& f : fields) encoded = encoded || !ascii(f.value) || nul(f.value);
  b.parameters.content_type = ct.type;
  for (std::size_t i = 0; i < ct.parameters.size(); ++i)  // quoting as written (§3.1.2)
    b.parameters.content_parameters.push_back(ia5_parameter(ct.parameters[i].first, ct.written[i],
                                                            ct.parameters[i].second));
  int types = 0, encodings = 0;
  for (const auto& f : fields) {
    const std::string n = lower(f.name);
    types += n == "content-type";
    encodings += n == "content-transfer-encoding";
    if (n == "mime-version" || n == "content-type" || n == "content-transfer-encoding") continue;
    b.parameters.other_header_fields.push_back(std::string(f.name) + ": " + ia5_value(f.value, f.name.size() + 2));
  }
  encoded = encoded || types > 1 || encodings > 1;  // a second Content-Type or -Transfer-Encoding is left out
  b.data = detail::bytes_of(data);
  ipms::BodyPart p;
  p.type = std::move(b);
  return p;
}

MimeEntity from_mime_body_part(const ipms::MimeBodyPart& b, bool eight_bit_ok, bool& altered) {
  MimeEntity e;
  altered = false;
  auto clean = [&](std::string& value) {
    for (auto& c : value)
      if (c == '\r' || c == '\n' || c == 0 || static_cast<unsigned char>(c) > 127) {
        c = ' ';
        altered = true;
      }
  };
  // Untrusted values: a type that is not type/subtype is octets; a parameter whose name is no
  // token is left out; no line break, NUL or 8-bit octet reaches the header.
  const ContentType parsed = parse_content_type(b.parameters.content_type);
  const bool type_ok = parsed.ok && parsed.type.size() == b.parameters.content_type.size();
  std::string type = type_ok ? parsed.type : std::string("application/octet-stream");
  altered = !type_ok;
  for (const auto& [n, v] : b.parameters.content_parameters) {
    if (n.empty() || parameter_value(n) != n) {
      altered = true;
      continue;
    }
    std::string value = v;
    clean(value);
    const bool quoted = value.size() >= 2 && value.front() == '"' && value.back() == '"';
    type += "; " + n + "=" + (quoted ? value : parameter_value(value));  // §3.1.2 (2)
  }
  e.fields.push_back({"Content-Type", type});
  for (const auto& f : b.parameters.other_header_fields) {
    const std::size_t colon = f.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    std::string name = f.substr(0, colon);
    const std::string n = lower(name);
    // §3.1.2 (1), (3): the transfer encoding is ours; a Content-Type left here is redundant.
    if (n == "content-type" || n == "content-transfer-encoding" || n == "mime-version") continue;
    bool name_ok = true;  // RFC 5322 §3.6.8: printable ASCII but the colon
    for (char c : name) name_ok = name_ok && c > 32 && c < 127;
    if (!name_ok) {
      altered = true;
      continue;
    }
    std::size_t v = colon + 1;
    while (v < f.size() && (f[v] == ' ' || f[v] == '\t')) ++v;
    std::string value = f.substr(v);
    clean(value);
    e.fields.push_back({std::move(name), std::move(value)});
  }
  const std::string_view data(reinterpret_cast<const char*>(b.data.data()), b.data.size());
  const std::string major = lower(type.substr(0, type.find('/')));
  if (major == "text" || major == "multipart" || major == "message") {
    // Composite types take no encoding but 7bit/8bit/binary (RFC 2045 §6.4): text rules serve
    // them when they are 7bit or 8bit; otherwise base64 is the one that keeps the octets.
    set_text_body(e, std::string(data), eight_bit_ok);
  } else {
    set_binary_body(e, data);
  }
  return e;
}

std::optional<ipms::BodyPart> harpoon(const std::vector<mime::Field>& fields, std::string_view canonical,
                                      bool is_text, std::string_view raw_body_if_7bit) {
  std::string t = "MIME-Version: 1.0\r\n";
  bool have_type = false;
  for (const auto& f : fields) {
    const std::string n = lower(f.name);
    if (n == "content-type") have_type = true;
    if (n.starts_with("content-") && n != "content-transfer-encoding")
      t += std::string(f.name) + ": " + f.value + "\r\n";
  }
  if (!have_type) t += "Content-Type: text/plain; charset=us-ascii\r\n";
  if (!raw_body_if_7bit.empty() || canonical.empty()) {
    const auto* cte = mime::find(fields, "Content-Transfer-Encoding");
    if (cte) t += "Content-Transfer-Encoding: " + cte->value + "\r\n";
    t += "\r\n";
    t += raw_body_if_7bit;
  } else {
    MimeEntity e;
    if (is_text) {
      e.fields.push_back({"Content-Transfer-Encoding", "quoted-printable"});
      e.body = quoted_printable(canonical);
    } else {
      set_binary_body(e, canonical);
    }
    t += "Content-Transfer-Encoding: " + e.fields.back().value + "\r\n\r\n" + e.body;
  }
  if (!is_7bit_lines(t)) return std::nullopt;
  return ia5_text_part(std::move(t));
}

void add_eits(const std::vector<ipms::BodyPart>& body, ToX400& out, std::size_t depth) {
  auto extended = [&](const p1::ber::Oid& o) {
    if (std::find(out.extended_eits.begin(), out.extended_eits.end(), o) == out.extended_eits.end())
      out.extended_eits.push_back(o);
  };
  for (const auto& p : body) {
    if (p.extended()) out.uses_1988 = true;
    if (const auto* g = p.as<ipms::GeneralTextBodyPart>()) {
      for (auto n : g->character_sets)  // §6.2: id-cs-eit-authority {1 0 10021 7 1 0} + the ISO-IR number
        extended(p1::ber::Oid{1, 0, 10021, 7, 1, 0, static_cast<std::uint32_t>(n)});
    } else if (const auto* m = p.as<ipms::MessageBodyPart>()) {
      if (depth < 64) add_eits(m->ipm->body, out, depth + 1);
    } else if (p.as<ipms::Ia5TextBodyPart>()) {
      out.built_in_eits.set(2);
    } else if (p.as<ipms::TeletexBodyPart>()) {
      out.built_in_eits.set(5);
    } else if (p.as<ipms::G3FacsimileBodyPart>()) {
      out.built_in_eits.set(3);
    } else if (p.as<ipms::Tlx1984BodyPart>()) {  // X.411 BuiltInEncodedInformationTypes
      out.built_in_eits.set(1);
    } else if (p.as<ipms::G4Class1BodyPart>()) {
      out.built_in_eits.set(4);
    } else if (p.as<ipms::VideotexBodyPart>()) {
      out.built_in_eits.set(6);
    } else if (p.as<ipms::Voice1984BodyPart>()) {
      out.built_in_eits.set(7);
    } else if (p.as<ipms::MixedModeBodyPart>()) {
      out.built_in_eits.set(9);
    } else if (p.extended()) {
      if (auto o = ipms::data_oid(p)) extended(*o);
    } else {
      out.built_in_eits.set(0);  // undefined: bilaterally-defined and the rest
    }
  }
}

}  // namespace mixer::bodyparts::detail
