// tests/unit/mapping/roundtrip_support.cpp: see roundtrip_support.hpp.
#include "tests/unit/mapping/roundtrip_support.hpp"

#include <fstream>
#include <sstream>

#include <algorithm>

#include "addressing/rfc822_mailbox.hpp"
#include "gateway/cli/codec.hpp"
#include "gateway/runtime.hpp"
#include "imf/date_time.hpp"
#include "imf/encoded_word.hpp"
#include "imf/message.hpp"
#include "imf/tokens.hpp"
#include "p1/mts/mts.hpp"

namespace mixer::mapping::test {

namespace mts = p1::mts;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string refusal_text(const base::Refusal& r) {
  return std::to_string(r.smtp_code) + " " + r.enhanced_status + " X.411 " + std::to_string(r.x411_reason) + ": " +
         r.text();
}

imf::Limits limits() { return imf::Limits{}; }

}  // namespace

Gateway load_gateway(const std::string& yaml, const std::string& now_utc) {
  Gateway g;
  auto loaded = conf::load_config(yaml);
  for (const auto& e : loaded.errors) g.error += e.text() + "\n";
  if (!loaded.config) return g;
  auto built = gateway::make_addressing_runtime(std::move(*loaded.config));
  for (const auto& e : built.errors) g.error += e + "\n";
  if (!built.runtime) return g;
  const auto& rt = *built.runtime;
  g.keep = built.runtime;
  g.ctx.addressing = &rt.addressing;
  g.ctx.policy = &rt.config.mapping;
  g.ctx.mta_name = rt.config.gateway.mta_name;
  g.ctx.host_name = rt.config.smtp.hostname;
  // "YYYY-MM-DDTHH:MM:SSZ"
  const int y = std::stoi(now_utc.substr(0, 4)), mo = std::stoi(now_utc.substr(5, 2)), d = std::stoi(now_utc.substr(8, 2));
  const int h = std::stoi(now_utc.substr(11, 2)), mi = std::stoi(now_utc.substr(14, 2)), s = std::stoi(now_utc.substr(17, 2));
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  g.ctx.clock.now = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
  return g;
}

bool json_of(const std::vector<std::uint8_t>& ber, Json& out, std::string& error) {
  std::string text;
  if (!cli::apdu_to_json(ber, text, error)) return false;
  out = Json::parse(text, nullptr, false);
  if (out.is_discarded()) {
    error = "mixer decode --json wrote no JSON";
    return false;
  }
  return true;
}

bool ber_of(const Json& json, std::vector<std::uint8_t>& out, std::string& error) {
  return cli::apdu_from_json(json.dump(), out, error);
}

X400Out internet_to_x400(const Gateway& g, const SmtpEnvelope& env, const std::string& content,
                         const std::string& local_id, const ToX400Options& options) {
  X400Out out;
  ToX400Options o = options;
  o.local_identifier = local_id;
  auto r = to_x400(env, content, g.ctx, o);
  if (!r) {
    out.refusal = refusal_text(r.error());
    return out;
  }
  for (const auto& x : r->refused) out.refused.push_back(x.address + ": " + refusal_text(x.refusal));
  for (const auto& l : r->losses) out.losses.push_back(l.rule + ": " + l.what);
  const mts::MtsApdu apdu{std::move(r->message)};
  auto encoded = mts::encode(apdu);
  if (!encoded) {
    out.refusal = "the MTS-APDU does not encode: " + encoded.error().what;
    return out;
  }
  out.ber = std::move(encoded).value();
  std::string error;
  if (!json_of(out.ber, out.json, error)) {
    out.refusal = "the MTS-APDU does not decode: " + error;
    return out;
  }
  out.ok = true;
  return out;
}

InternetOut x400_to_internet(const Gateway& g, const std::vector<std::uint8_t>& ber) {
  InternetOut out;
  auto apdu = mts::decode<mts::MtsApdu>(ber);
  const auto* message = apdu ? std::get_if<mts::Message>(&*apdu) : nullptr;
  if (!message) {
    out.refusal = apdu ? "not a message" : "does not decode: " + apdu.error().what;
    return out;
  }
  auto r = to_internet(*message, g.ctx);
  if (!r) {
    out.refusal = refusal_text(r.error());
    return out;
  }
  for (const auto& x : r->refused) out.refused.push_back(x.address + ": " + refusal_text(x.refusal));
  for (const auto& l : r->losses) out.losses.push_back(l.rule + ": " + l.what);
  out.content = std::move(r->content);
  out.envelope = std::move(r->envelope);
  out.ok = true;
  return out;
}

std::vector<std::string> Parsed::named(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& f : fields)
    if (imf::iequals(f.name, name)) out.push_back(f.value);
  return out;
}

Parsed parse(const std::string& content) {
  Parsed p;
  auto m = imf::parse_message(content, limits());
  if (!m) return p;
  for (const auto& f : m->fields) {
    if (!f.is_field()) return p;
    p.fields.push_back(Header{std::string(f.name), imf::unfold(f.value)});
  }
  p.body = std::string(m->body);
  p.ok = true;
  return p;
}

std::optional<std::vector<std::string>> addr_specs(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    auto list = addressing::parse_address_list(v);
    if (!list) return std::nullopt;
    for (const auto& a : *list)
      for (const auto& m : a.mailboxes) {
        addressing::Rfc822Address spec = m.address;
        spec.route.clear();
        spec.domain = lower(spec.domain);
        out.push_back(addressing::format_rfc822_address(spec));
      }
  }
  return out;
}

std::vector<std::string> group_names(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    auto list = addressing::parse_address_list(v);
    if (!list) continue;
    for (const auto& a : *list)
      if (a.group) out.push_back(a.group_phrase);
  }
  return out;
}

std::vector<std::string> msg_ids(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    auto items = imf::parse_msg_id_list(v, limits());
    if (!items) continue;
    for (const auto& it : *items)
      if (it.kind != imf::MsgIdItem::Kind::phrase) out.push_back(it.kind == imf::MsgIdItem::Kind::invalid ? std::string(it.raw) : it.id);
  }
  return out;
}

std::optional<std::int64_t> instant(const std::string& value) {
  auto d = imf::parse_date_time(value, limits());
  if (!d) return std::nullopt;
  const auto& t = d->value;
  const std::chrono::year_month_day ymd{std::chrono::year{t.year}, std::chrono::month{static_cast<unsigned>(t.month)},
                                        std::chrono::day{static_cast<unsigned>(t.day)}};
  const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  return static_cast<std::int64_t>(days) * 86400 + t.hour * 3600 + t.minute * 60 + t.second.value_or(0) -
         static_cast<std::int64_t>(t.offset) * 60;
}

std::optional<std::string> decoded_text(const std::string& value) {
  auto d = imf::decode_unstructured(value, limits());
  if (!d) return std::nullopt;
  return d->text;
}

std::string read_crlf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str(), crlf;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) crlf += '\r';
    crlf += text[i];
  }
  return crlf;
}

SmtpEnvelope vector_envelope() {
  SmtpEnvelope e;
  e.mail_from = "jane@example.org";
  SmtpRecipient r;
  r.address = "S.Kille@cs.ucl.ac.uk";
  e.recipients.push_back(std::move(r));
  return e;
}

}  // namespace mixer::mapping::test
