// tests/unit/mapping/roundtrip_test.cpp: RFC 2156 round trips through two
// gateways back to back (roundtrip/gateway-a.yaml and gateway-b.yaml: two
// identities, the example MCGAMs of tests/vectors/addressing both ways).
//
// Internet -> X.400 (A) -> Internet (B) preserves (RFC 2156 §5.1.3, §5.3.4,
// §5.1.2, §4.7, §3.3):
//   - the addr-specs of From, Sender, Reply-To, To, Cc, Bcc (§4.7.1/§4.7.2;
//     domains compared case-insensitively, RFC 5321 §2.4), and of the SMTP
//     envelope (§4.6.1/§4.6.2);
//   - the decoded text of Subject (§3.3.4; the whole field is carried in the
//     rfc-822-field extension when it is over ub-subject-field);
//   - Message-ID, In-Reply-To, References, Supersedes (§4.7.3, §5.3.4);
//   - Date, Expires, Reply-By as instants (§3.3.5, §5.1.6, §5.3.4);
//   - Content-Language, Importance, Sensitivity, Autoforwarded,
//     Incomplete-Copy, their values ignoring case
//     (the languages extension or the whole field carried; Appendix E);
//   - every field RFC 2156 does not map, unfolded, in order (Keywords,
//     Comments, X-*, others: the rfc-822-field extension, §5.1.2, §5.1.3);
//   - the body octets (text/plain us-ascii, RFC 2157 IA5Text).
// Not preserved, and checked to be what the RFC says instead:
//   - From with several mailboxes and no Sender: the first becomes the
//     originator and the others authorizing-users (§5.1.3), which come back
//     as Sender: the first and From: the others (§5.3.4);
//   - In-Reply-To with several msg-ids: no replied-to-IPM, the ids go to
//     related-IPMs before References' (§5.1.3), so they come back first in
//     References and In-Reply-To is gone;
//   - group syntax: a group's name is a free-form name alone (§4.7.1),
//     which has no RFC 822 form (§4.7.2): the members' addr-specs are kept,
//     the group's name is not;
//   - display names and comments are compared nowhere: they are
//     free-form-names in T.61, cut to ub-free-form-name (§4.7.1, §3.3.4);
//   - with Resent-Date: the topmost Resent-Date stands for Date (§5.1.6),
//     and the original Date: is mapped nowhere (§5.1.3 "Date: Ignore"), so
//     Date: comes back with the Resent-Date's instant;
//   - the null reverse path: the originator is the gateway (§4.6.1), which
//     comes back as its own address, not <> (no generated message has one);
//   - Autoforwarded: TRUE comes back with an RFC 3834 Auto-Submitted:
//     auto-forwarded beside it (the gateway's choice, not RFC 2156's);
//   - header fields of §5.1.7 ("shall not be mapped": X400-*, Delivery-Date)
//     and the trace fields (Received, §5.1.6) are regenerated, not kept.
//
// X.400 -> Internet (A) -> X.400 (B, restore_mts_identifier: true) preserves
// the IPM heading (every component the mapping carries), the MTS identifier
// (§5.1.7's X400-MTS-Identifier read back, by B's choice), the originator
// and the recipients' O/R addresses. Not preserved:
//   - an RFC 822 address that no MCGAM maps is encapsulated in the O/R
//     address of the gateway that maps it (§4.3.4 stage II, RFC-822
//     domain-defined attribute): B's O/R address where A's was; the
//     attribute's value is compared, and the gateway part must be B's;
//   - the Auto-Submitted field A adds beside Autosubmitted (RFC 3834, not
//     RFC 2156) comes back as an rfc-822-field when none was carried;
//   - subjects and free-form names are compared as the text they render:
//     characters outside T.61 travel as RFC 2047 encoded words, written
//     again in the way back's own form (§3.3.4: rendering, "rather than to
//     maximise reversibility");
//   - an IA5 text without a final line end gets one (RFC 5322 §2.1), in
//     both directions;
//   - the directory names of the MTS originator and recipients (§4.6.2.1:
//     "discarded"; shown only in comments that §5.1.7 does not map back);
//   - heading extensions are compared as a set of (type, value): their order
//     is the mapping's, not the sender's (§5.1.3 says nothing of order).
//
// Every output (the X.400 in the middle as BER, the messages at each end)
// is written under $MIXER_ROUNDTRIP_OUT for judge.mapping_roundtrip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "tests/unit/mapping/message_generator.hpp"
#include "tests/unit/mapping/roundtrip_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace mixer::mapping;
using namespace mixer::mapping::test;

const Gateway& gateway_a() {
  static const Gateway g = load_gateway("tests/unit/mapping/roundtrip/gateway-a.yaml");
  return g;
}
const Gateway& gateway_b() {
  static const Gateway g = load_gateway("tests/unit/mapping/roundtrip/gateway-b.yaml", "2026-12-03T10:02:00Z");
  return g;
}

// The outputs of this run only: the folder is emptied first.
struct FreshOutputs : testing::Environment {
  void SetUp() override {
    if (const char* dir = std::getenv("MIXER_ROUNDTRIP_OUT")) fs::remove_all(dir);
  }
};
[[maybe_unused]] testing::Environment* const fresh_outputs = testing::AddGlobalTestEnvironment(new FreshOutputs);

void keep(const std::string& name, const std::string& data) {
  const char* dir = std::getenv("MIXER_ROUNDTRIP_OUT");
  if (!dir) return;
  fs::path p = fs::path(dir) / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
}
void keep(const std::string& name, const std::vector<std::uint8_t>& data) {
  keep(name, std::string(data.begin(), data.end()));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& s : v) out += (out.size() > 1 ? " | " : "") + s;
  return out + "]";
}

// Fields RFC 2156 maps to something of its own, or regenerates (§5.1.3, §5.1.5-7, RFC 2157).
bool mapped_field(const std::string& lname) {
  static const std::set<std::string> names = {
      "date", "received", "return-path", "message-id", "from", "sender", "reply-to", "to", "cc", "bcc",
      "in-reply-to", "references", "subject", "expires", "reply-by", "mime-version", "x400-received",
      "x400-originator", "x400-recipients", "x400-mts-identifier", "x400-content-type", "x400-content-identifier",
      "x400-content-correlator", "delivery-date", "original-encoded-information-types", "importance",
      "sensitivity", "autoforwarded", "priority", "autosubmitted", "content-language", "supersedes", "incomplete-copy"};
  return names.count(lname) || lname.starts_with("content-");
}

// The differences between an Internet message and what came back through two gateways.
std::vector<std::string> internet_differences(const std::string& original, const SmtpEnvelope& oenv,
                                              const std::string& back, const SmtpEnvelope& benv) {
  std::vector<std::string> d;
  const Parsed o = parse(original), b = parse(back);
  if (!o.ok) return {"the original does not parse"};
  if (!b.ok) return {"the result does not parse"};
  auto specs = [&](const Parsed& p, const char* name) {
    auto s = addr_specs(p.named(name));
    return s ? *s : std::vector<std::string>{"(does not parse)"};
  };
  // Addresses (§4.7.1, §4.7.2), and the From/Sender merge (§5.1.3, §5.3.4).
  auto of = specs(o, "From"), os = specs(o, "Sender");
  std::vector<std::string> want_from = of, want_sender = os;
  if (os.empty() && of.size() > 1) {
    want_sender = {of.front()};
    want_from.assign(of.begin() + 1, of.end());
  }
  if (specs(b, "From") != want_from) d.push_back("From: want " + join(want_from) + ", got " + join(specs(b, "From")));
  if (specs(b, "Sender") != want_sender)
    d.push_back("Sender: want " + join(want_sender) + ", got " + join(specs(b, "Sender")));
  for (const char* name : {"Reply-To", "To", "Cc", "Bcc"})
    if (specs(o, name) != specs(b, name))
      d.push_back(std::string(name) + ": want " + join(specs(o, name)) + ", got " + join(specs(b, name)));
  // Subject: the decoded text.
  auto os_ = o.named("Subject"), bs = b.named("Subject");
  if (os_.size() != bs.size()) {
    d.push_back("Subject: want " + join(os_) + ", got " + join(bs));
  } else if (!os_.empty()) {
    auto ot = decoded_text(os_.front()), bt = decoded_text(bs.front());
    if (!ot || !bt || *ot != *bt)
      d.push_back("Subject: want '" + ot.value_or("?") + "', got '" + bt.value_or("?") + "' (" + bs.front() + ")");
  }
  // Identifiers (§4.7.3), In-Reply-To with several ids to References (§5.1.3).
  auto oirt = msg_ids(o.named("In-Reply-To")), orefs = msg_ids(o.named("References"));
  std::vector<std::string> want_irt = oirt, want_refs = orefs;
  if (oirt.size() > 1) {
    want_irt.clear();
    want_refs = oirt;
    want_refs.insert(want_refs.end(), orefs.begin(), orefs.end());
  }
  if (msg_ids(o.named("Message-ID")) != msg_ids(b.named("Message-ID")) && !o.named("Message-ID").empty())
    d.push_back("Message-ID: want " + join(o.named("Message-ID")) + ", got " + join(b.named("Message-ID")));
  if (msg_ids(b.named("In-Reply-To")) != want_irt)
    d.push_back("In-Reply-To: want " + join(want_irt) + ", got " + join(b.named("In-Reply-To")));
  if (msg_ids(b.named("Supersedes")) != msg_ids(o.named("Supersedes")))
    d.push_back("Supersedes: want " + join(o.named("Supersedes")) + ", got " + join(b.named("Supersedes")));
  if (msg_ids(b.named("References")) != want_refs)
    d.push_back("References: want " + join(want_refs) + ", got " + join(b.named("References")));
  // Dates as instants. With Resent-Date, the topmost stands for Date (§5.1.6) and
  // the original Date: is mapped nowhere (§5.1.3 "Date: Ignore"): not preserved.
  for (const char* name : {"Date", "Expires", "Reply-By"}) {
    auto ov = o.named(name), bv = b.named(name);
    if (std::string(name) == "Date" && !o.named("Resent-Date").empty()) ov = {o.named("Resent-Date").front()};
    if (ov.empty() && std::string(name) == "Date") continue;  // the gateway supplies one
    if (ov.size() != bv.size()) {
      d.push_back(std::string(name) + ": want " + join(ov) + ", got " + join(bv));
      continue;
    }
    for (std::size_t i = 0; i < ov.size(); ++i)
      if (instant(ov[i]) != instant(bv[i]) || !instant(ov[i]))
        d.push_back(std::string(name) + ": want the instant of '" + ov[i] + "', got '" + bv[i] + "'");
  }
  // Fields mapped to heading components and back in Appendix E's syntax, whose
  // values are case-insensitive (RFC 2156 Appendix E; RFC 5646 §2.1.1 for language tags).
  for (const char* name : {"Content-Language", "Importance", "Sensitivity", "Autoforwarded", "Incomplete-Copy"}) {
    std::vector<std::string> ov, bv;
    for (const auto& v : o.named(name)) ov.push_back(lower(v));
    for (const auto& v : b.named(name)) bv.push_back(lower(v));
    if (ov != bv) d.push_back(std::string(name) + ": want " + join(ov) + ", got " + join(bv));
  }
  // Unmapped fields, via the rfc-822-field extension (§5.1.2): each name's values in order.
  std::set<std::string> names;
  for (const auto& f : o.fields)
    if (!mapped_field(lower(f.name))) names.insert(lower(f.name));
  // RFC 3834 Auto-Submitted is written beside Autoforwarded: TRUE (auto-forwarded)
  // when the original had none: not RFC 2156's, and not the original's.
  if (o.named("Auto-Submitted").empty() && !b.named("Auto-Submitted").empty()) {
    if (b.named("Auto-Submitted") != std::vector<std::string>{"auto-forwarded"} ||
        o.named("Autoforwarded").empty() || lower(o.named("Autoforwarded").front()) != "true")
      d.push_back("Auto-Submitted: want none, got " + join(b.named("Auto-Submitted")));
    names.erase("auto-submitted");
  }
  for (const auto& n : names)
    if (o.named(n) != b.named(n)) d.push_back(n + ": want " + join(o.named(n)) + ", got " + join(b.named(n)));
  // The body octets; a last line without its line end gets one (RFC 5322 §2.1;
  // SMTP content always has it, RFC 5321 §4.1.1.4).
  std::string want_body = o.body;
  if (!want_body.empty() && !want_body.ends_with("\r\n")) want_body += "\r\n";
  if (want_body != b.body) {
    std::size_t at = 0;
    while (at < want_body.size() && at < b.body.size() && want_body[at] == b.body[at]) ++at;
    d.push_back("the body differs at octet " + std::to_string(at) + " of " + std::to_string(o.body.size()) + " (got " +
                std::to_string(b.body.size()) + ")");
  }
  // The SMTP envelope (§4.6.1, §4.6.2).
  auto spec_of = [](const std::string& a) {
    auto s = addr_specs({a});
    return s && s->size() == 1 ? s->front() : a;
  };
  if (!oenv.mail_from.empty() && spec_of(oenv.mail_from) != spec_of(benv.mail_from))
    d.push_back("MAIL FROM: want " + oenv.mail_from + ", got " + benv.mail_from);
  std::vector<std::string> orc, brc;
  for (const auto& r : oenv.recipients) orc.push_back(spec_of(r.address));
  for (const auto& r : benv.recipients) brc.push_back(spec_of(r.address));
  if (orc != brc) d.push_back("RCPT TO: want " + join(orc) + ", got " + join(brc));
  return d;
}

// Heading extensions as a sorted list of their JSON texts.
std::vector<std::string> extension_set(const Json& heading) {
  std::vector<std::string> out;
  if (heading.contains("extensions"))
    for (const auto& e : heading["extensions"]) out.push_back(e.dump());
  std::sort(out.begin(), out.end());
  return out;
}

// An RFC 822 address with no MCGAM is encapsulated in the O/R address of the
// gateway that maps it (§4.3.4 stage II: the gateway's O/R address with the
// RFC-822 domain-defined attribute), so B wraps it in its own O/R address
// where the original had another gateway's. Such an address is compared by
// its RFC-822 attribute, after checking (`gateway` given) that the gateway
// part is B's own.
void encapsulating_gateway_out(Json& j, const Json* gateway, std::vector<std::string>& d) {
  if (j.is_object()) {
    if (j.contains("built-in-domain-defined-attributes") && j.contains("built-in-standard-attributes")) {
      bool rfc822 = false;
      for (const auto& a : j["built-in-domain-defined-attributes"]) rfc822 = rfc822 || a.value("type", "") == "RFC-822";
      if (rfc822) {
        if (gateway && j["built-in-standard-attributes"] != *gateway)
          d.push_back("an encapsulated RFC 822 address is not in B's O/R address: " + j.dump());
        j["built-in-standard-attributes"] = "(the encapsulating gateway)";
      }
    }
    for (auto& [k, v] : j.items()) encapsulating_gateway_out(v, gateway, d);
  } else if (j.is_array()) {
    for (auto& v : j) encapsulating_gateway_out(v, gateway, d);
  }
}

// Subjects and free-form names as the text they render (§3.3.4: "the aim of a
// mapping is to render the characters appropriately ... rather than to
// maximise reversibility"): characters outside T.61 travel as RFC 2047
// encoded words, which the way back writes in its own (equally valid) form.
void as_text(Json& j) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if ((k == "subject" || k == "free-form-name") && v.is_string()) {
        if (auto t = decoded_text(v.get<std::string>())) v = *t;
      } else {
        as_text(v);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) as_text(v);
  }
}

// An IA5 text body part without a final line end gets one on the Internet
// side (RFC 5322 §2.1: lines end in CRLF; RFC 5321 §4.1.1.4 likewise for
// SMTP content), and keeps it on the way back.
void with_final_crlf(Json& ipm) {
  if (!ipm.contains("body")) return;
  for (auto& part : ipm["body"]) {
    if (!part.contains("basic") || !part["basic"].contains("ia5-text")) continue;
    auto& data = part["basic"]["ia5-text"]["data"];
    if (!data.is_string()) continue;
    std::string s = data.get<std::string>();
    if (!s.empty() && !s.ends_with("\r\n")) data = s + "\r\n";
  }
}

// The differences between an X.400 message and what came back.
std::vector<std::string> x400_differences(const Json& original_as_is, const Json& back_as_is) {
  std::vector<std::string> d;
  Json back = back_as_is, original = original_as_is;
  static const Json gateway_b_attributes = Json::parse(
      R"({"country-name":{"iso-3166-alpha2-code":"XX"},"administration-domain-name":{"printable":" "},)"
      R"("private-domain-name":{"printable":"MIXER"},"organization-name":"GatewayB"})");
  encapsulating_gateway_out(original, nullptr, d);
  encapsulating_gateway_out(back, &gateway_b_attributes, d);
  as_text(back["content"]);
  as_text(original["content"]);
  with_final_crlf(original["content"]["value"]["ipm"]);
  const auto& oenv = original["value"]["message"]["envelope"];
  const auto& benv = back["value"]["message"]["envelope"];
  if (oenv["message-identifier"] != benv["message-identifier"])
    d.push_back("MTS identifier: want " + oenv["message-identifier"].dump() + ", got " + benv["message-identifier"].dump());
  // The MTS names' directory names are not carried: §4.6.2.1 discards them for SMTP
  // (they show only as comments of X400-Originator / X400-Recipients, §4.6.2.2, which
  // §5.1.7 does not map back).
  auto without_dn = [](Json n) {
    n.erase("directory-name");
    return n;
  };
  if (without_dn(oenv["originator-name"]) != without_dn(benv["originator-name"]))
    d.push_back("originator: want " + oenv["originator-name"].dump() + ", got " + benv["originator-name"].dump());
  Json orc = Json::array(), brc = Json::array();
  for (const auto& r : oenv["per-recipient-fields"]) orc.push_back(without_dn(r["recipient-name"]));
  for (const auto& r : benv["per-recipient-fields"]) brc.push_back(without_dn(r["recipient-name"]));
  if (orc != brc) d.push_back("recipients: want " + orc.dump() + ", got " + brc.dump());
  Json oh = original["content"]["value"]["ipm"]["heading"], bh = back["content"]["value"]["ipm"]["heading"];
  // Heading extensions: as a set. The RFC 3834 Auto-Submitted that A writes beside
  // Autosubmitted comes back as an rfc-822-field when the original carried none.
  auto oe = extension_set(oh), be = extension_set(bh);
  const bool carried_auto_submitted = std::any_of(oe.begin(), oe.end(), [](const std::string& e) {
    return e.find("\"Auto-Submitted:") != std::string::npos;
  });
  for (auto& e : be) {
    Json j = Json::parse(e);
    if (!carried_auto_submitted && j["type"] == "1.3.6.1.7.1.3.2" && j["value"].is_array()) {
      Json kept = Json::array();
      for (const auto& f : j["value"])
        if (!f.get<std::string>().starts_with("Auto-Submitted:")) kept.push_back(f);
      j["value"] = kept;
      e = kept.empty() ? std::string() : j.dump();
    }
  }
  be.erase(std::remove(be.begin(), be.end(), std::string()), be.end());
  std::sort(be.begin(), be.end());
  if (oe != be) d.push_back("heading extensions: want " + join(oe) + ", got " + join(be));
  oh.erase("extensions");
  bh.erase("extensions");
  for (const auto& [k, v] : oh.items())
    if (!bh.contains(k) || bh[k] != v) d.push_back("heading " + k + ": want " + v.dump() + ", got " + (bh.contains(k) ? bh[k].dump() : "nothing"));
  for (const auto& [k, v] : bh.items())
    if (!oh.contains(k)) d.push_back("heading " + k + ": want nothing, got " + v.dump());
  // The body parts (IA5 text only for now).
  if (original["content"]["value"]["ipm"]["body"] != back["content"]["value"]["ipm"]["body"])
    d.push_back("body: want " + original["content"]["value"]["ipm"]["body"].dump() + ", got " +
                back["content"]["value"]["ipm"]["body"].dump());
  return d;
}

struct Trip {
  std::vector<std::string> failures;  // empty: every property held
};

// Internet -> X.400 (A) -> Internet (B), then that X.400 -> Internet (A) -> X.400 (B).
Trip round_trip(const std::string& name, const std::string& content, const SmtpEnvelope& env) {
  Trip t;
  keep(name + "/input.822", content);  // inputs are not the judges' business
  auto x = internet_to_x400(gateway_a(), env, content, "rt-" + std::to_string(std::hash<std::string>{}(name) % 100000000));
  if (!x.ok) return Trip{{"A refused it: " + x.refusal}};
  for (const auto& r : x.refused) t.failures.push_back("A refused a recipient: " + r);
  keep(name + "/a.ber", x.ber);
  auto i = x400_to_internet(gateway_b(), x.ber);
  if (!i.ok) return Trip{{"B refused A's X.400: " + i.refusal}};
  for (const auto& r : i.refused) t.failures.push_back("B refused a recipient: " + r);
  keep(name + "/b.eml", i.content);
  for (auto& f : internet_differences(content, env, i.content, i.envelope)) t.failures.push_back("822->400->822: " + f);
  // The X.400 way round, from A's X.400.
  auto i2 = x400_to_internet(gateway_a(), x.ber);
  if (!i2.ok) return Trip{{"A refused its own X.400: " + i2.refusal}};
  keep(name + "/a-back.eml", i2.content);
  auto x2 = internet_to_x400(gateway_b(), i2.envelope, i2.content, "rt-other");
  if (!x2.ok) {
    t.failures.push_back("B refused A's Internet message: " + x2.refusal);
    return t;
  }
  keep(name + "/b-back.ber", x2.ber);
  for (auto& f : x400_differences(x.json, x2.json)) t.failures.push_back("400->822->400: " + f);
  return t;
}

void expect_trip(const std::string& name, const std::string& content, const SmtpEnvelope& env, int& failures) {
  auto t = round_trip(name, content, env);
  if (t.failures.empty()) return;
  ++failures;
  std::string all;
  for (const auto& f : t.failures) all += "\n  " + f;
  ADD_FAILURE() << name << all << "\n--- input:\n" << content.substr(0, 3000);
}

// X.400 -> Internet (A) -> X.400 (B) from native X.400 messages: the inputs
// of the to_rfc822 conformance vectors that carry an IPM and expect it
// converted whole (no expected.refusal or expected.refused).
std::vector<std::string> native_trip(const std::string& name, const std::vector<std::uint8_t>& ber) {
  Json original;
  std::string error;
  if (!json_of(ber, original, error)) return {"the vector's input does not decode: " + error};
  keep(name + "/input.x400", ber);
  auto i = x400_to_internet(gateway_a(), ber);
  if (!i.ok) return {"A refused it: " + i.refusal};
  keep(name + "/a.eml", i.content);
  auto x = internet_to_x400(gateway_b(), i.envelope, i.content, "rt-native");
  if (!x.ok) return {"B refused A's Internet message: " + x.refusal};
  keep(name + "/b.ber", x.ber);
  std::vector<std::string> out;
  for (const auto& r : x.refused) out.push_back("B refused a recipient: " + r);
  for (auto& f : x400_differences(original, x.json)) out.push_back("400->822->400: " + f);
  return out;
}

TEST(RoundTrip, native_x400_vectors) {
  ASSERT_TRUE(gateway_a().error.empty() && gateway_b().error.empty());
  int seen = 0;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::recursive_directory_iterator("tests/vectors/mapping"))
    if (e.path().filename() == "input.json") dirs.push_back(e.path().parent_path());
  std::sort(dirs.begin(), dirs.end());
  // The vectors RFC 2156 itself does not round-trip, with why (roundtrip/rfc-asymmetric.txt).
  std::map<std::string, std::string> asymmetric;
  {
    std::ifstream list("tests/unit/mapping/roundtrip/rfc-asymmetric.txt");
    for (std::string line; std::getline(list, line);) {
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      ASSERT_NE(tab, std::string::npos) << line;
      asymmetric[line.substr(0, tab)] = line.substr(tab + 1);
    }
    ASSERT_FALSE(asymmetric.empty());
  }
  for (const auto& dir : dirs) {
    if (fs::exists(dir / "expected.refusal") || fs::exists(dir / "expected.refused")) continue;
    {
      // A vector read --lenient holds what a strict decoder refuses: nothing to round-trip.
      std::ifstream args(dir / "args");
      std::string a((std::istreambuf_iterator<char>(args)), std::istreambuf_iterator<char>());
      if (a.find("--lenient") != std::string::npos) continue;
    }
    std::ifstream in(dir / "input.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.contains("content") || !j["content"]["value"].contains("ipm")) continue;
    std::vector<std::uint8_t> ber;
    std::string error;
    ASSERT_TRUE(ber_of(j, ber, error)) << dir << ": " << error;
    ++seen;
    const std::string vector = fs::relative(dir, "tests/vectors/mapping").string();
    const std::string name = "native/" + vector;
    auto d = native_trip(name, ber);
    std::string all;
    for (const auto& f : d) all += "\n  " + f;
    if (auto it = asymmetric.find(vector); it != asymmetric.end()) {
      EXPECT_FALSE(d.empty()) << name << " comes back whole: remove it from rfc-asymmetric.txt (" << it->second << ")";
      asymmetric.erase(it);
    } else {
      EXPECT_TRUE(d.empty()) << name << all;
    }
  }
  EXPECT_GE(seen, 1);
  for (const auto& [v, why] : asymmetric) ADD_FAILURE() << "rfc-asymmetric.txt names " << v << ", which is not a native vector";
}

TEST(RoundTrip, gateways_load) {
  ASSERT_TRUE(gateway_a().error.empty()) << gateway_a().error;
  ASSERT_TRUE(gateway_b().error.empty()) << gateway_b().error;
  EXPECT_NE(gateway_a().ctx.mta_name, gateway_b().ctx.mta_name);
}

TEST(RoundTrip, generated_messages) {
  ASSERT_TRUE(gateway_a().error.empty() && gateway_b().error.empty());
  const int count = std::getenv("MIXER_ROUNDTRIP_COUNT") ? std::atoi(std::getenv("MIXER_ROUNDTRIP_COUNT")) : 400;
  int failures = 0;
  for (int seed = 1; seed <= count && failures < 10; ++seed) {
    auto g = generate_message(static_cast<std::uint32_t>(seed));
    expect_trip("generated/" + std::to_string(seed), g.content, g.envelope, failures);
  }
}

// Real messages: tests/vectors/mapping-corpus/*.eml, each with an envelope
// in its first lines ("X-Envelope-From:" and "X-Envelope-To:" are not
// there: the file's name.env holds "MAIL FROM" and "RCPT TO" lines).
TEST(RoundTrip, corpus_messages) {
  ASSERT_TRUE(gateway_a().error.empty() && gateway_b().error.empty());
  int failures = 0, seen = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator("tests/vectors/mapping-corpus"))
    if (e.path().extension() == ".eml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string content;
    for (char c : text) {
      if (c == '\n' && (content.empty() || content.back() != '\r')) content += '\r';
      content += c;
    }
    SmtpEnvelope env;
    std::ifstream ein(fs::path(f).replace_extension(".env"));
    ASSERT_TRUE(ein) << f << ": no .env beside it";
    for (std::string line; std::getline(ein, line);) {
      if (line.starts_with("MAIL FROM:")) env.mail_from = line.substr(line.find('<') + 1, line.rfind('>') - line.find('<') - 1);
      else if (line.starts_with("RCPT TO:"))
        env.recipients.push_back(SmtpRecipient{line.substr(line.find('<') + 1, line.rfind('>') - line.find('<') - 1), {}, std::nullopt});
    }
    ASSERT_FALSE(env.recipients.empty()) << f;
    ++seen;
    expect_trip("corpus/" + f.stem().string(), content, env, failures);
  }
  EXPECT_GE(seen, 10);
}

}  // namespace
