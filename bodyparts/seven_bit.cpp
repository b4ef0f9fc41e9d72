// bodyparts/seven_bit.cpp: the 8-bit to 7-bit downgrade (see seven_bit.hpp).
// Two passes: the walk plans the output as pieces (views into the input,
// or a leaf to encode), then the output is sized and written once. The
// walk uses mime_adapter's parser (one level per call, views, limits);
// its recursion is bounded by max_nesting. Trusts nothing in the message.
#include "bodyparts/seven_bit.hpp"

#include <deque>
#include <vector>

#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "bodyparts/transfer_encoding.hpp"

namespace mixer::bodyparts {

namespace {

constexpr std::size_t kMaxLine = 998;  // RFC 5322 §2.1.1, RFC 5321 §4.5.3.1.6

const std::string kRule = "RFC 6152 \xC2\xA7" "3";

base::Refusal cannot_downgrade(std::string what) {
  return base::make_refusal(554, "5.6.3", base::reason::conversion_not_performed,
                            base::diagnostic::conversion_impractical, kRule, std::move(what));
}
base::Refusal too_big(std::string what) {
  return base::make_refusal(552, "5.3.4", base::reason::conversion_not_performed, base::diagnostic::content_too_long,
                            kRule, std::move(what));
}

struct Refused {  // thrown inside the walk, caught at its top
  base::Refusal refusal;
};

// Octets 7-bit and lines (split at LF, a CR before it not counted) of at most 998.
bool clean(std::string_view s) {
  const TextScan scan = scan_text(s);
  if (scan.eight_bit) return false;
  if (scan.max_line <= kMaxLine) return true;  // CRLF lines: the strictest split
  std::size_t start = 0;  // bare LFs may split a long CRLF "line": look again, at LF
  while (start <= s.size()) {
    std::size_t lf = s.find('\n', start);
    if (lf == std::string_view::npos) lf = s.size();
    std::size_t len = lf - start;
    if (len > 0 && lf < s.size() && s[lf - 1] == '\r') --len;
    if (len > kMaxLine) return false;
    start = lf + 1;
  }
  return true;
}

// The Content-Transfer-Encoding token, lower case ("" when absent).
std::string transfer_encoding(const mime::Entity& e) {
  const mime::Field* f = mime::find(e.fields, "Content-Transfer-Encoding");
  if (!f) return {};
  std::string_view v = f->value;
  std::size_t i = 0;
  while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  std::size_t j = i;
  while (j < v.size() && v[j] != ' ' && v[j] != '\t' && v[j] != '(' && v[j] != ';') ++j;
  return lower(v.substr(i, j - i));
}

bool identity(const std::string& cte) { return cte.empty() || cte == "7bit" || cte == "8bit" || cte == "binary"; }

bool iequal(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

// The field name of a raw header line (before the colon, white space trimmed).
std::string_view field_name(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view n = line.substr(0, colon);
  while (!n.empty() && (n.back() == ' ' || n.back() == '\t')) n.remove_suffix(1);
  return n;
}

class Downgrade {
 public:
  explicit Downgrade(const SevenBitLimits& limits) : limits_(limits) {
    mime_.max_header_size = limits.body.max_header_size;
    mime_.max_parts = limits.body.max_parts;
  }

  // Plans `octets`, an entity (`message`: a message's top level, where MIME-Version
  // decides), into pieces; true when anything in it changes.
  bool entity(std::string_view octets, std::size_t depth, bool message, std::string_view default_type);

  std::string write() const;

 private:
  struct Piece {
    enum class Kind { verbatim, quoted_printable, base64 } kind;
    std::string_view text;
  };
  void verbatim(std::string_view s) {
    if (s.empty()) return;
    // Adjacent views of the input join into one piece.
    if (!pieces_.empty() && pieces_.back().kind == Piece::Kind::verbatim &&
        pieces_.back().text.data() + pieces_.back().text.size() == s.data()) {
      pieces_.back().text = std::string_view(pieces_.back().text.data(), pieces_.back().text.size() + s.size());
      return;
    }
    pieces_.push_back({Piece::Kind::verbatim, s});
  }
  std::string_view keep(std::string s) { return owned_.emplace_back(std::move(s)); }
  // The header block (the entity's octets before its body) with every Content-Transfer-Encoding
  // field left out and `added` after the rest, then the empty line.
  void header(std::string_view block, const std::vector<std::string_view>& added, bool drop_cte = true);
  // The header block as it is when it ends with its empty line, else with one added (what
  // follows it is no longer the same octets, which could read as fields).
  void block_as_is(std::string_view block);
  void check_header(std::string_view block) const;
  bool multipart(const mime::Entity& e, std::string_view block, const ContentType& ct, const std::string& cte,
                 std::size_t depth);
  void leaf(const mime::Entity& e, std::string_view block, const ContentType& ct, const std::string& cte,
            bool message, bool is_mime, bool has_version);

  const SevenBitLimits& limits_;
  mime::Limits mime_;
  std::size_t parts_ = 0;
  std::vector<Piece> pieces_;
  std::vector<std::string> boundaries_;  // of the multiparts the walk is in
  std::deque<std::string> owned_;  // generated text and decoded bodies the pieces view
};

void Downgrade::check_header(std::string_view block) const {
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t lf = block.find('\n', start);
    if (lf == std::string_view::npos) lf = block.size();
    std::string_view line = block.substr(start, lf - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    for (char c : line)
      if (static_cast<unsigned char>(c) > 127) {
        const std::string_view name = field_name(line);
        throw Refused{cannot_downgrade(
            "the header field " + (name.empty() ? std::string("(a continuation line)") : std::string(name)) +
            " has 8-bit octets, which only SMTPUTF8 (RFC 6531, RFC 6532) could carry; the next hop offers "
            "neither SMTPUTF8 nor 8BITMIME")};
      }
    if (line.size() > kMaxLine)
      throw Refused{cannot_downgrade("a header line of " + std::to_string(line.size()) +
                                     " octets is over RFC 5322 \xC2\xA7" "2.1.1's 998")};
    start = lf + 1;
  }
}

void Downgrade::block_as_is(std::string_view block) {
  std::string_view rest = block;
  if (rest.ends_with('\n')) rest.remove_suffix(1);
  if (rest.ends_with('\r')) rest.remove_suffix(1);
  const bool separated = block.ends_with('\n') && (rest.empty() || rest.ends_with('\n'));
  if (separated) verbatim(block);
  else header(block, {}, false);
}

void Downgrade::header(std::string_view block, const std::vector<std::string_view>& added, bool drop_cte) {
  std::size_t start = 0;
  bool skipping = false;  // inside a Content-Transfer-Encoding field (its continuation lines too)
  while (start < block.size()) {
    std::size_t lf = block.find('\n', start);
    const std::size_t next = lf == std::string_view::npos ? block.size() : lf + 1;
    std::string_view line = block.substr(start, next - start);
    std::string_view text = line;  // without its line break, as mime_adapter reads it
    if (text.ends_with('\n')) text.remove_suffix(1);
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.empty()) break;  // the empty line: written below
    if (text.front() == ' ' || text.front() == '\t') {
      if (!skipping) verbatim(line);
    } else {
      skipping = drop_cte && iequal(field_name(text), "Content-Transfer-Encoding");
      if (!skipping) verbatim(line);
    }
    start = next;
  }
  // A last line without its line break (a header block cut short) gets one first.
  if (!pieces_.empty() && pieces_.back().kind == Piece::Kind::verbatim && !pieces_.back().text.ends_with('\n') &&
      start > 0)
    pieces_.push_back({Piece::Kind::verbatim, "\r\n"});
  for (auto a : added) pieces_.push_back({Piece::Kind::verbatim, a});
  pieces_.push_back({Piece::Kind::verbatim, "\r\n"});
}

bool Downgrade::entity(std::string_view octets, std::size_t depth, bool message, std::string_view default_type) {
  auto parsed = mime::parse_entity(octets, mime_);
  if (!parsed)
    throw Refused{too_big("a header block is over the limits (" + std::to_string(mime_.max_header_size) +
                          " octets, " + std::to_string(mime_.max_fields) + " fields)")};
  const mime::Entity& e = *parsed;
  const std::string_view block = octets.substr(0, static_cast<std::size_t>(e.body.data() - octets.data()));
  check_header(block);
  if (clean(e.body)) {  // nothing to do here or below
    verbatim(octets);
    return false;
  }
  const mime::Field* type_field = mime::find(e.fields, "Content-Type");
  const bool has_version = mime::find(e.fields, "MIME-Version") != nullptr;
  // A message with neither MIME-Version nor Content-Type is no MIME message (RFC 2045 §4); one
  // with a Content-Type but no MIME-Version is read as MIME, as receivers do.
  const bool is_mime = !message || has_version || type_field;
  ContentType ct = parse_content_type(type_field ? std::string_view(type_field->value) : default_type);
  if (!ct.ok) ct = parse_content_type("text/plain");  // RFC 2045 §5.2: an invalid value is the default
  const std::string cte = transfer_encoding(e);
  const std::string major = ct.major();
  if (is_mime && major == "multipart" && identity(cte)) return multipart(e, block, ct, cte, depth);
  if (is_mime && ct.type == "message/rfc822" && identity(cte)) {
    if (depth + 1 > limits_.max_nesting)
      throw Refused{cannot_downgrade("message/rfc822 nested deeper than " + std::to_string(limits_.max_nesting))};
    // RFC 2046 §5.2.1: message/rfc822 may only be 7bit, 8bit or binary; once its message is
    // 7-bit, it is 7bit.
    const bool relabel = cte == "8bit" || cte == "binary";
    if (relabel) header(block, {"Content-Transfer-Encoding: 7bit\r\n"});
    else block_as_is(block);
    entity(e.body, depth + 1, true, "text/plain");
    return true;
  }
  if (is_mime && (ct.type == "message/partial" || ct.type == "message/external-body"))
    throw Refused{cannot_downgrade(ct.type + " has 8-bit octets or long lines, and RFC 2046 \xC2\xA7" "5.2 allows it "
                                   "no encoding but 7bit")};
  leaf(e, block, ct, cte, message, is_mime, has_version);
  return true;
}

bool Downgrade::multipart(const mime::Entity& e, std::string_view block, const ContentType& ct,
                          const std::string& cte, std::size_t depth) {
  if (depth + 1 > limits_.max_nesting)
    throw Refused{cannot_downgrade("multiparts nested deeper than " + std::to_string(limits_.max_nesting))};
  const std::string boundary = ct.parameter("boundary");
  const mime::Multipart m = mime::split_multipart(e.body, boundary, mime_);
  if (!m.opened)  // RFC 2045 §6.4: no encoding may be applied to a multipart; its parts cannot be found
    throw Refused{cannot_downgrade(ct.type + " with 8-bit octets or long lines" +
                                   (boundary.empty() ? std::string(" has no boundary") : " has no delimiter line"))};
  if (m.too_many) throw Refused{too_big("a multipart of more than " + std::to_string(mime_.max_parts) + " parts")};
  // Its own 8bit/binary label: 7bit once every part is (RFC 2045 §6.4).
  if (cte == "8bit" || cte == "binary") header(block, {"Content-Transfer-Encoding: 7bit\r\n"});
  else block_as_is(block);
  const std::string delimiter = "\r\n--" + boundary;
  const std::string_view default_type = ct.type == "multipart/digest" ? "message/rfc822" : "text/plain";  // §5.1.5
  const std::string_view body = e.body;
  boundaries_.push_back(boundary);
  std::size_t at = 0;  // the end of what is written of the body
  for (std::size_t i = 0; i < m.parts.size(); ++i) {
    const std::string_view part = m.parts[i];
    const std::size_t part_at = static_cast<std::size_t>(part.data() - body.data());
    // The preamble and the first delimiter, or the delimiter between two parts: RFC 2046
    // §5.1.1 has the preamble ignored, so one that is not 7-bit lines is left out.
    const std::string_view gap = body.substr(at, part_at - at);
    if (clean(gap)) verbatim(gap);
    else pieces_.push_back({Piece::Kind::verbatim, keep((i == 0 ? delimiter.substr(2) : delimiter) + "\r\n")});
    if (++parts_ > limits_.body.max_parts)
      throw Refused{too_big("more than " + std::to_string(limits_.body.max_parts) + " MIME parts")};
    entity(part, depth + 1, false, default_type);
    at = part_at + part.size();
  }
  boundaries_.pop_back();
  // The close delimiter and the epilogue (also to be ignored), or nothing (an unclosed multipart).
  const std::string_view rest = body.substr(at);
  if (clean(rest)) verbatim(rest);
  else pieces_.push_back({Piece::Kind::verbatim, keep(delimiter + "--\r\n")});
  return true;
}

void Downgrade::leaf(const mime::Entity& e, std::string_view block, const ContentType& ct, const std::string& cte,
                     bool message, bool is_mime, bool has_version) {
  if (e.body.size() > limits_.body.max_part_size)
    throw Refused{too_big("a body part of " + std::to_string(e.body.size()) + " octets is over the limit of " +
                          std::to_string(limits_.body.max_part_size))};
  // The canonical octets: the body as it is under an identity encoding, else decoded.
  std::string_view data = e.body;
  if (cte == "quoted-printable") data = keep(decode_quoted_printable(e.body).octets);
  else if (cte == "base64") data = keep(decode_base64(e.body).octets);
  else if (!identity(cte))
    throw Refused{cannot_downgrade("a body part in the unknown transfer encoding '" + cte +
                                   "' has 8-bit octets or long lines (RFC 2045 \xC2\xA7" "6.4: it cannot be decoded)")};
  std::size_t high = 0, nul = 0;
  for (char c : data) {
    high += static_cast<unsigned char>(c) > 127;
    nul += c == 0;
  }
  // RFC 2045 §6.7 for text that is mostly ASCII; base64 (§6.8) for the rest.
  const std::string major = ct.major();
  const bool text = !is_mime || major == "text" || major == "message";
  bool qp = text && nul == 0 && high * 4 <= data.size();
  // A soft line break could start a line with an enclosing multipart's delimiter (RFC 2046
  // §5.1.1: it must not occur in a part); base64 has no '-'.
  for (const auto& b : boundaries_)
    if (qp && data.find("--" + b) != std::string_view::npos) qp = false;
  std::vector<std::string_view> added;
  if (message && !has_version) added.push_back("MIME-Version: 1.0\r\n");  // RFC 2045 §4
  if (!is_mime)  // RFC 1428 §3's charset for 8-bit text of no declared charset
    added.push_back(high ? "Content-Type: text/plain; charset=unknown-8bit\r\n" : "Content-Type: text/plain; charset=us-ascii\r\n");
  added.push_back(qp ? "Content-Transfer-Encoding: quoted-printable\r\n" : "Content-Transfer-Encoding: base64\r\n");
  header(block, added);
  pieces_.push_back({qp ? Piece::Kind::quoted_printable : Piece::Kind::base64, data});
}

std::string Downgrade::write() const {
  std::size_t size = 0;
  for (const auto& p : pieces_)
    size += p.kind == Piece::Kind::verbatim        ? p.text.size()
            : p.kind == Piece::Kind::base64        ? base64_lines_size(p.text.size())
                                                   : quoted_printable_size(p.text);
  std::string out;
  out.reserve(size);
  for (const auto& p : pieces_) {
    if (p.kind == Piece::Kind::verbatim) out += p.text;
    else if (p.kind == Piece::Kind::base64) append_base64_lines(out, p.text);
    else append_quoted_printable(out, p.text);
  }
  return out;
}

}  // namespace

base::Expected<std::string> seven_bit_form(std::string_view message, const SevenBitLimits& limits) {
  try {
    Downgrade d(limits);
    if (!d.entity(message, 0, true, "text/plain")) return std::string(message);
    return d.write();
  } catch (const Refused& r) {
    return r.refusal;
  }
}

}  // namespace mixer::bodyparts
