// mapping/to_rfc822_heading.cpp: the IPM heading as RFC 5322 fields (RFC
// 2156 §5.3.4, addresses by §4.7.2, identifiers by §4.7.3, text by §3.5,
// the values in Appendix E's syntax), and the rfc-822-field extension
// restored (§5.1.2). Trusts nothing in the heading.
#include <algorithm>

#include "addressing/directory_name.hpp"
#include "addressing/message_id.hpp"
#include "addressing/or_descriptor.hpp"
#include "bodyparts/multipart_heading.hpp"
#include "imf/encoded_word.hpp"
#include "imf/tokens.hpp"
#include "mapping/extensions.hpp"
#include "mapping/forwarded.hpp"
#include "mapping/syntax.hpp"
#include "mapping/text.hpp"
#include "mapping/to_rfc822.hpp"
#include "mapping/trace.hpp"

namespace mixer::mapping::rfc822_out {

namespace mts = p1::mts;
namespace ipms = p1::ipms;

namespace {

constexpr const char* s5_3_4 = "RFC 2156 \xC2\xA7" "5.3.4";

std::string phrase_of(std::string_view utf8) {
  auto p = imf::encode_phrase(utf8, 0);
  return p ? std::move(p.value()) : std::string("\"\"");
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;  // ASCII: header names, keywords
  return out;
}

// Fields of which RFC 5322 §3.6 allows one: a restored one does not replace a mapped one.
bool single_mapped(std::string_view lname) {
  static const char* const names[] = {"date", "from", "sender", "reply-to", "to", "cc", "bcc", "message-id",
                                      "in-reply-to", "references"};
  for (auto* n : names)
    if (lname == n) return true;
  return false;
}

// MIME fields come from the body's conversion, never from the extension.
// Content-Language is a heading field (RFC 3282; RFC 2156 §5.1.3 carries it
// when the languages extension cannot hold it all), not the body's.
bool mime_field(std::string_view lname) {
  return lname == "mime-version" || (lname.starts_with("content-") && lname != "content-language");
}

void address_field(const char* name, const std::vector<ipms::RecipientSpecifier>& list, Build& b, bool keep_empty) {
  if (b.header.reserved(name)) return;
  std::vector<std::string> out;
  for (const auto& r : list)
    if (auto m = mailbox_of(r.recipient, b, r.reply_requested.value_or(false))) out.push_back(*m);
  if (out.empty()) {
    // §5.3.4: a field with no address is discarded, but Bcc: may be empty.
    if (keep_empty) b.header.restored(std::string(name) + ":");
    return;
  }
  std::string v;
  for (const auto& s : out) v += (v.empty() ? "" : ", ") + s;
  b.header.structured(name, v);
}

void descriptor_field(const char* name, const std::vector<ipms::OrDescriptor>& list, Build& b) {
  if (b.header.reserved(name)) return;
  std::string v;
  for (const auto& d : list)
    if (auto m = mailbox_of(d, b)) v += (v.empty() ? "" : ", ") + *m;
  if (!v.empty()) b.header.structured(name, v);
}

void date_field(const char* name, const std::optional<mts::Time>& t, Build& b) {
  if (!t || b.header.reserved(name)) return;
  if (auto d = date_of(*t, b, name)) b.header.structured(name, *d);
}

void ids_field(const char* name, const std::vector<ipms::IpmIdentifier>& ids, Build& b) {
  if (ids.empty() || b.header.reserved(name)) return;
  std::string v;
  for (const auto& id : ids)
    if (auto m = msg_id_of(id, b, true)) v += (v.empty() ? "" : " ") + *m;
  if (!v.empty()) b.header.structured(name, v);
}

}  // namespace

std::optional<std::string> mailbox_of(const ipms::OrDescriptor& d, Build& b, bool reply_requested) {
  // The free-form name in UTF-8 (§4.7.2 step 2a, §3.5). The descriptor is copied only
  // when what is written differs from it (an O/R address is 3 KB of strings to copy).
  std::optional<std::string> ffn_out = d.free_form_name;
  std::string trailing_comments;
  if (d.free_form_name) {
    auto t = internet_text_of_teletex(*d.free_form_name);
    if (!t.exact) b.lost("a free-form name holds octets T.61 does not define", "RFC 2156 \xC2\xA7" "3.3.4");
    // Comments §4.7.1 step 2 appended to the phrase go back after the address.
    std::string ffn = t.utf8;
    while (!ffn.empty() && ffn.back() == ')') {
      int depth = 0;
      std::size_t i = ffn.size();
      while (i > 0) {
        --i;
        if (ffn[i] == ')') ++depth;
        else if (ffn[i] == '(' && --depth == 0) break;
      }
      if (depth != 0 || i == 0 || ffn[i - 1] != ' ') break;
      trailing_comments = " " + ffn.substr(i) + trailing_comments;
      ffn.erase(i - 1);
    }
    bool ascii = true;
    for (char c : trailing_comments) ascii = ascii && static_cast<unsigned char>(c) < 128;
    if (!ascii) {
      ffn = t.utf8;
      trailing_comments.clear();
    }
    if (ffn.empty()) ffn_out.reset();
    else ffn_out = std::move(ffn);
  }
  addressing::RecipientFlags flags;
  flags.reply_requested = reply_requested;
  // §5.3.4: a recipient given only by free-form name, or only by directory name (an
  // O/R address with no attribute), is written as a group with that name and no member.
  const bool group = d.formal_name && d.formal_name->address.empty();
  std::optional<addressing::OrDescriptor> changed;
  if (group) {
    std::string phrase = ffn_out ? *ffn_out : std::string();
    if (d.formal_name->directory_name) {
      if (phrase.empty()) phrase = addressing::format_directory_name(*d.formal_name->directory_name);
      else trailing_comments = " " + addressing::directory_name_comment(*d.formal_name->directory_name) + trailing_comments;
    }
    auto& u = changed.emplace();
    u.telephone_number = d.telephone_number;
    if (!phrase.empty()) u.free_form_name = std::move(phrase);
  } else if (ffn_out != d.free_form_name) {
    auto& u = changed.emplace(d);
    u.free_form_name = std::move(ffn_out);
  }
  const addressing::OrDescriptor& u = changed ? *changed : d;
  auto m = addressing::or_descriptor_to_mailbox(u, *b.ctx.addressing, flags, &phrase_of);
  if (!m) {
    b.lost("an O/R descriptor does not map (" + m.error().text() + "): left out", "RFC 2156 \xC2\xA7" "4.7.2");
    return std::nullopt;
  }
  return *m + trailing_comments;
}

std::optional<std::string> msg_id_of(const ipms::IpmIdentifier& id, Build& b, bool reference) {
  const auto& actx = *b.ctx.addressing;
  // §4.7.3.6: an RFC 987 generated identifier (user-relative-identifier "RFC-822") when the
  // heuristic is on: RFC 987 mapped the msg-id's addr-spec as an address, so the user's O/R
  // address maps back through the address mapping (§4.3.5; the RFC-822 DDA case is addressing's).
  if (actx.heuristics.rfc987_message_ids && id.user && id.user_relative_identifier == "RFC-822") {
    if (auto r = addressing::map_x400_to_rfc822(id.user->address, addressing::AddressRole::ipms, actx);
        r && r->address.find('@') != std::string::npos) {
      const std::string text = "<" + r->address + ">";
      auto items = imf::parse_msg_id_list(text, imf::Limits{});
      if (items && items->size() == 1 && items->front().kind == imf::MsgIdItem::Kind::msg_id) return text;
    }
  }
  addressing::IpmIdentifier a;
  if (id.user) a.user = id.user->address;
  a.user_relative_identifier = id.user_relative_identifier;
  auto m = addressing::ipm_identifier_to_msg_id(
      a, reference ? addressing::MsgIdUse::reference : addressing::MsgIdUse::message_id, b.ctx.addressing->heuristics);
  if (!m) {
    b.lost("an IPM identifier does not map (" + m.error().text() + "): left out", "RFC 2156 \xC2\xA7" "4.7.3");
    return std::nullopt;
  }
  return m->text;
}

std::vector<std::string> restored_fields(const ipms::Heading& h, Build& b) {
  std::vector<std::string> out;
  for (const auto& e : h.extensions) {
    if (!ext::is(e, ipms::oid::rfc_822_field_list)) continue;
    const auto* fields = ext::strings(e);
    if (!fields) continue;
    for (const auto& f : *fields) {
      const std::string lname = lower(f.substr(0, f.find(':')));
      if (mime_field(lname)) {
        b.lost("an rfc-822-field " + lname + ": the body's own MIME fields are used", "RFC 2156 \xC2\xA7" "5.1.2");
        continue;
      }
      out.push_back(f);
      // A carried field takes precedence over the mapped one (header_out.hpp): a Message-ID,
      // address list or msg-id list is carried when its mapping was cut to an upper bound or
      // left an address out (§5.1.3), and the whole field is what comes back (§5.1.2). Date:
      // is the trace's (§5.3.6), written before the heading.
      if (lname != "date") b.header.reserve(lname);
    }
  }
  return out;
}

std::optional<std::vector<std::string>> appendix_b_fields(const ipms::Ipm& ipm, Build& b) {
  if (ipm.body.empty()) return std::nullopt;
  const auto* part = std::get_if<ipms::Ia5TextBodyPart>(&ipm.body.front().type);
  static constexpr std::string_view mark = "RFC-822-Headers:";
  if (!part || !std::string_view(part->text).starts_with(mark)) return std::nullopt;
  std::string_view rest = std::string_view(part->text).substr(mark.size());
  if (rest.starts_with("\r\n")) rest.remove_prefix(2);
  else if (rest.starts_with("\n")) rest.remove_prefix(1);
  else return std::nullopt;  // "RFC-822-Headers:" must be the whole first line
  std::vector<std::string> out;
  std::string field;
  auto flush = [&] {
    if (field.empty()) return;
    const std::string lname = lower(field.substr(0, field.find(':')));
    if (field.find(':') == std::string::npos || mime_field(lname)) {
      b.lost("a line of the RFC-822-Headers body part is not a header field: left out", "RFC 2156 Appendix B");
    } else {
      if (lname != "date") b.header.reserve(lname);
      out.push_back(std::move(field));
    }
    field.clear();
  };
  while (!rest.empty()) {
    std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the end of the headers
    if ((line.front() == ' ' || line.front() == '\t') && !field.empty()) {
      field += line;  // a folded line (RFC 5322 §2.2.3): unfolded
      continue;
    }
    flush();
    field = std::string(line);
  }
  flush();
  return out;
}

void write_restored(const std::vector<std::string>& fields, Build& b) {
  for (const auto& f : fields) {
    const std::string lname = lower(f.substr(0, f.find(':')));
    if (single_mapped(lname) && b.header.has(lname)) {
      b.lost("an rfc-822-field " + lname + ": the heading's own is kept", "RFC 2156 \xC2\xA7" "5.1.2");
      continue;
    }
    b.header.restored(f);
  }
}

void map_heading(const ipms::Heading& h, Build& b) {
  auto& out = b.header;
  if (!out.reserved("Message-ID"))
    if (auto id = msg_id_of(h.this_ipm, b, false)) out.structured("Message-ID", *id);
  // originator: Sender: when authorizing-users are present, else From: (§5.3.4).
  if (h.originator && !h.authorizing_users.empty()) {
    if (auto m = mailbox_of(*h.originator, b); m && !out.reserved("Sender")) out.structured("Sender", *m);
    descriptor_field("From", h.authorizing_users, b);
  } else if (h.originator) {
    if (auto m = mailbox_of(*h.originator, b); m && !out.reserved("From")) out.structured("From", *m);
  }
  descriptor_field("Reply-To", h.reply_recipients, b);
  address_field("To", h.primary_recipients, b, false);
  address_field("Cc", h.copy_recipients, b, false);
  // §5.3.4: Bcc: "the only RFC 822 field which allows zero recipients", written even when empty.
  if (h.blind_copy_recipients) address_field("Bcc", *h.blind_copy_recipients, b, true);
  if (h.replied_to_ipm && !out.reserved("In-Reply-To"))
    if (auto id = msg_id_of(*h.replied_to_ipm, b, true)) out.structured("In-Reply-To", *id);
  ids_field("References", h.related_ipms, b);
  ids_field("Supersedes", h.obsoleted_ipms, b);

  // Subject: the extended subject when given (X.420 1999, UTF-8), else the T.61 subject.
  std::optional<std::string> subject;
  for (const auto& e : h.extensions)
    if (ext::is(e, ipms::oid::hex(8))) subject = ext::universal_text(e);
  if (!subject && h.subject) {
    auto t = internet_text_of_teletex(*h.subject);
    if (!t.exact) b.lost("the subject holds octets T.61 does not define", "RFC 2156 \xC2\xA7" "3.3.4");
    subject = t.utf8;
  }
  if (subject && !out.reserved("Subject")) {
    // CRLF in a subject are not mapped but are folding points (§5.3.4).
    std::vector<std::string> lines{""};
    for (std::size_t i = 0; i < subject->size(); ++i) {
      const char c = (*subject)[i];
      if (c == '\r' && i + 1 < subject->size() && (*subject)[i + 1] == '\n') {
        lines.emplace_back();
        ++i;
      } else {
        lines.back() += c == '\r' || c == '\n' ? ' ' : c;
      }
    }
    out.unstructured_lines("Subject", lines);
  }
  date_field("Expires", h.expiry_time, b);
  date_field("Reply-By", h.reply_time, b);
  if (h.importance && !out.reserved("Importance")) {
    auto v = syntax::importance(*h.importance);
    if (!v.empty()) out.structured("Importance", v);
  }
  if (h.sensitivity && !out.reserved("Sensitivity")) {
    auto v = syntax::sensitivity(*h.sensitivity);
    if (!v.empty()) out.structured("Sensitivity", v);
  }
  if (h.auto_forwarded && !out.reserved("Autoforwarded")) out.structured("Autoforwarded", syntax::boolean(*h.auto_forwarded));

  // Heading extensions (§5.3.4): incomplete-copy, languages, auto-submitted,
  // the rfc-822-field list (restored by the caller); the rest discarded and listed.
  std::vector<std::string> discarded;
  for (const auto& e : h.extensions) {
    if (ext::is(e, ipms::oid::hex(0))) {
      if (!out.reserved("Incomplete-Copy")) out.restored("Incomplete-Copy:");
    } else if (ext::is(e, ipms::oid::hex(1))) {
      const auto* langs = ext::strings(e);
      if (langs && !langs->empty() && !out.reserved("Content-Language")) {
        std::string v;
        for (const auto& l : *langs) v += (v.empty() ? "" : ", ") + l;
        out.structured("Content-Language", v);
      }
    } else if (ext::is(e, ipms::oid::hex(2))) {
      if (auto n = ext::number(e); n && !out.reserved("Autosubmitted")) {
        auto v = syntax::autosubmitted(*n);
        if (!v.empty()) out.structured("Autosubmitted", v);
      }
    } else if (ext::is(e, ipms::oid::hex(8)) || ext::is(e, ipms::oid::rfc_822_field_list)) {
      // mapped above
    } else if (e.type == bodyparts::id_hex_multipart_message_v2() || e.type == bodyparts::id_hex_multipart_message()) {
      // RFC 2157 §6.6: the body's multipart subtype, mapped by the body conversion
    } else if (honoured_wanted_mime_conversions(e, b.ctx)) {
      // RFC 2157 §4.2: acted on by the body conversion (mapping/forwarded.cpp)
    } else {
      const std::string oid = syntax::object_identifier(e.type);
      if (std::find(discarded.begin(), discarded.end(), oid) == discarded.end()) discarded.push_back(oid);
    }
  }
  if (!discarded.empty()) {
    std::string v;
    for (const auto& d : discarded) v += (v.empty() ? "" : ", ") + d;
    out.structured("Discarded-X400-IPMS-Extensions", v);
  }
  (void)s5_3_4;
}

}  // namespace mixer::mapping::rfc822_out
