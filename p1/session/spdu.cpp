// p1/session/spdu.cpp: X.225 §8 SPDU encoding and decoding (see header).
#include "p1/session/spdu.hpp"

#include <string>

namespace mixer::p1::session {

namespace {

// Parameters, one bit each, for the per-SPDU tables (X.225 §8.3, Tables 11-45).
enum Param : std::uint32_t {
  P_CN_ID = 1u << 0,      // PGI 1
  P_ITEMS = 1u << 1,      // PGI 5
  P_SYNC = 1u << 2,       // 15
  P_TOKEN = 1u << 3,      // 16
  P_TDISC = 1u << 4,      // 17
  P_USER_REQ = 1u << 5,   // 20
  P_VERSION = 1u << 6,    // 22 (outside PGI 5: RF)
  P_PREPARE = 1u << 7,    // 24
  P_ENCLOSE = 1u << 8,    // 25
  P_TOKEN_SET = 1u << 9,  // 26 (outside PGI 5: RS, RA)
  P_RESYNC = 1u << 10,    // 27
  P_LINK = 1u << 11,      // PGI 33
  P_ACT_ID = 1u << 12,    // 41
  P_SERIAL = 1u << 13,    // 42
  P_MIA_DATA = 1u << 14,  // 46
  P_REFLECT = 1u << 15,   // 49
  P_REASON = 1u << 16,    // 50
  P_CALLING = 1u << 17,   // 51
  P_CALLED = 1u << 18,    // 52
  P_OVERFLOW = 1u << 19,  // 60
  P_UDATA = 1u << 20,     // 193
  P_XDATA = 1u << 21,     // 194
  P_USER_INFO = 1u << 30, // user information field after the parameters
};

enum Code : std::uint8_t {
  pgi_connection_id = 1, pgi_items = 5, pgi_linking = 33, pi_called_ref = 9, pi_calling_ref = 10,
  pi_common_ref = 11, pi_additional_ref = 12, pi_sync_type = 15, pi_token_item = 16, pi_tdisc = 17,
  pi_protocol_options = 19, pi_user_req = 20, pi_tsdu_max = 21, pi_version = 22, pi_isn = 23,
  pi_prepare = 24, pi_enclosure = 25, pi_token_setting = 26, pi_resync = 27, pi_activity_id = 41,
  pi_serial = 42, pi_mia_data = 46, pi_reflect = 49, pi_reason = 50, pi_calling_ssap = 51,
  pi_called_ssap = 52, pi_overflow = 60, pgi_user_data = 193, pgi_extended_user_data = 194,
};

struct KindInfo {
  Kind kind;
  std::uint8_t si;
  int category;  // 0, 1, 2; 3 = expedited
  std::uint32_t params;
  const char* name;
};

constexpr KindInfo kinds[] = {
    {Kind::connect, 13, 1, P_CN_ID | P_ITEMS | P_USER_REQ | P_CALLING | P_CALLED | P_OVERFLOW | P_UDATA | P_XDATA, "CN"},
    {Kind::accept, 14, 1, P_CN_ID | P_ITEMS | P_TOKEN | P_USER_REQ | P_ENCLOSE | P_CALLING | P_CALLED | P_UDATA, "AC"},
    {Kind::refuse, 12, 1, P_CN_ID | P_TDISC | P_USER_REQ | P_VERSION | P_ENCLOSE | P_REASON, "RF"},
    {Kind::finish, 9, 1, P_TDISC | P_ENCLOSE | P_UDATA, "FN"},
    {Kind::disconnect, 10, 1, P_ENCLOSE | P_UDATA, "DN"},
    {Kind::not_finished, 8, 1, P_ENCLOSE | P_UDATA, "NF"},
    {Kind::abort, 25, 1, P_TDISC | P_REFLECT | P_ENCLOSE | P_UDATA, "AB"},
    {Kind::abort_accept, 26, 1, 0, "AA"},
    {Kind::give_tokens_confirm, 21, 1, 0, "GTC"},
    {Kind::give_tokens_ack, 22, 1, 0, "GTA"},
    {Kind::prepare, 7, 1, P_PREPARE, "PR"},
    {Kind::typed_data, 33, 1, P_ENCLOSE | P_USER_INFO, "TD"},
    {Kind::give_tokens, 1, 0, P_TOKEN | P_ENCLOSE, "GT"},
    {Kind::please_tokens, 2, 0, P_TOKEN | P_ENCLOSE | P_UDATA, "PT"},
    {Kind::data, 1, 2, P_ENCLOSE | P_USER_INFO, "DT"},
    {Kind::minor_sync_point, 49, 2, P_SYNC | P_SERIAL | P_ENCLOSE | P_UDATA, "MIP"},
    {Kind::minor_sync_ack, 50, 2, P_SERIAL | P_ENCLOSE | P_MIA_DATA | P_UDATA, "MIA"},
    {Kind::major_sync_point, 41, 2, P_SYNC | P_SERIAL | P_ENCLOSE | P_UDATA, "MAP"},
    {Kind::major_sync_ack, 42, 2, P_SERIAL | P_ENCLOSE | P_UDATA, "MAA"},
    {Kind::activity_end, 41, 2, P_SERIAL | P_ENCLOSE | P_UDATA, "AE"},
    {Kind::activity_end_ack, 42, 2, P_SERIAL | P_ENCLOSE | P_UDATA, "AEA"},
    {Kind::resynchronize, 53, 2, P_TOKEN_SET | P_RESYNC | P_SERIAL | P_ENCLOSE | P_UDATA, "RS"},
    {Kind::resynchronize_ack, 34, 2, P_TOKEN_SET | P_SERIAL | P_ENCLOSE | P_UDATA, "RA"},
    {Kind::activity_start, 45, 2, P_ACT_ID | P_ENCLOSE | P_UDATA, "AS"},
    {Kind::activity_resume, 29, 2, P_LINK | P_ACT_ID | P_ENCLOSE | P_UDATA, "AR"},
    {Kind::activity_interrupt, 25, 2, P_REASON | P_ENCLOSE | P_UDATA, "AI"},
    {Kind::activity_interrupt_ack, 26, 2, P_ENCLOSE | P_UDATA, "AIA"},
    {Kind::activity_discard, 57, 2, P_REASON | P_ENCLOSE | P_UDATA, "AD"},
    {Kind::activity_discard_ack, 58, 2, P_ENCLOSE | P_UDATA, "ADA"},
    {Kind::capability_data, 61, 2, P_ENCLOSE | P_UDATA, "CD"},
    {Kind::capability_data_ack, 62, 2, P_ENCLOSE | P_UDATA, "CDA"},
    {Kind::exception_report, 0, 2, P_REFLECT | P_ENCLOSE, "ER"},
    {Kind::exception_data, 48, 2, P_REASON | P_ENCLOSE | P_UDATA, "ED"},
    {Kind::expedited, 5, 3, P_USER_INFO, "EX"},
};

const KindInfo& info(Kind k) {
  for (const auto& i : kinds)
    if (i.kind == k) return i;
  return kinds[0];
}

const KindInfo* find(std::uint8_t si, int position_category, bool activity_management, bool has_sync_type) {
  if (si == 41 && position_category == 2)
    return &info(has_sync_type || !activity_management ? Kind::major_sync_point : Kind::activity_end);
  if (si == 42 && position_category == 2)
    return &info(activity_management ? Kind::activity_end_ack : Kind::major_sync_ack);
  for (const auto& i : kinds) {
    if (i.si != si) continue;
    if (i.category == position_category || (position_category == 1 && i.category == 3)) return &i;
    if (position_category == 1 && i.category == 0) return &i;  // GT/PT lead a TSDU
  }
  return nullptr;
}

Error fail(Errc c, std::string what, std::size_t at) { return make_error(c, std::move(what), at); }

// Reads an LI (1 octet, or 0xFF and 2 octets) at p.
bool read_li(ByteView b, std::size_t& p, std::size_t& li) {
  if (p >= b.size()) return false;
  if (b[p] != 0xff) {
    li = b[p++];
    return true;
  }
  if (b.size() - p < 3) return false;
  li = std::size_t{b[p + 1]} << 8 | b[p + 2];
  p += 3;
  return true;
}

std::optional<std::uint32_t> parse_serial(ByteView v) {
  if (v.empty() || v.size() > 6) return std::nullopt;
  std::uint32_t n = 0;
  for (auto c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string serial_text(std::uint32_t n) { return std::to_string(n > max_serial_number ? max_serial_number : n); }

class Parser {
 public:
  Parser(ByteView tsdu, Spdu& s, std::uint32_t allowed, const char* name)
      : t_(tsdu), s_(s), allowed_(allowed), name_(name) {}

  std::optional<Error> units(std::size_t p, std::size_t end, int group) {
    while (p < end) {
      std::size_t at = p;
      std::uint8_t code = t_[p++];
      std::size_t len;
      if (!read_li(t_.first(end), p, len) || len > end - p)
        return fail(Errc::malformed, std::string(name_) + ": parameter " + std::to_string(code) + " runs past its SPDU", at);
      ByteView v = t_.subspan(p, len);
      if (auto e = unit(code, v, at, group)) return e;
      p += len;
    }
    return std::nullopt;
  }

 private:
  std::optional<Error> bad(std::uint8_t code, std::size_t at, const char* why) {
    return fail(Errc::bad_parameter, std::string(name_) + ": parameter " + std::to_string(code) + " " + why, at);
  }
  std::optional<Error> need(std::uint32_t bit, std::uint8_t code, std::size_t at) {
    if (!(allowed_ & bit)) return bad(code, at, "is not allowed in this SPDU");
    return std::nullopt;
  }
  std::optional<Error> octet(std::uint8_t code, ByteView v, std::size_t at, std::optional<std::uint8_t>& out) {
    if (v.size() != 1) return bad(code, at, "must be one octet");
    out = v[0];
    return std::nullopt;
  }
  std::optional<Error> bounded(std::uint8_t code, ByteView v, std::size_t at, std::size_t max,
                               std::optional<ByteView>& out) {
    if (v.size() > max) return bad(code, at, "is too long");
    out = v;
    return std::nullopt;
  }
  ConnectionIdentifier& cid() {
    if (!s_.connection_id) s_.connection_id.emplace();
    return *s_.connection_id;
  }

  std::optional<Error> unit(std::uint8_t code, ByteView v, std::size_t at, int group) {
    const std::size_t inner = static_cast<std::size_t>(v.data() - t_.data());
    if (group == pgi_connection_id || group == pgi_linking) {
      switch (code) {
        case pi_called_ref: return bounded(code, v, at, 64, cid().called_ss_user_reference);
        case pi_calling_ref: return bounded(code, v, at, 64, cid().calling_ss_user_reference);
        case pi_common_ref: return bounded(code, v, at, 64, cid().common_reference);
        case pi_additional_ref: return bounded(code, v, at, 4, cid().additional_reference);
        case pi_activity_id:
          if (group == pgi_linking) return bounded(code, v, at, 6, s_.old_activity_id);
          break;
        case pi_serial:
          if (group == pgi_linking) {
            s_.serial_number = parse_serial(v);
            if (!s_.serial_number) return bad(code, at, "is not 1 to 6 decimal digits");
            return std::nullopt;
          }
          break;
      }
      return bad(code, at, "is not allowed in this parameter group");
    }
    if (group == pgi_items) {
      switch (code) {
        case pi_protocol_options: return octet(code, v, at, s_.protocol_options);
        case pi_version: return octet(code, v, at, s_.version_number);
        case pi_token_setting: return octet(code, v, at, s_.token_setting);
        case pi_tsdu_max:
          if (v.size() != 4) return bad(code, at, "must be four octets");
          s_.tsdu_maximum_size = std::uint32_t{v[0]} << 24 | std::uint32_t{v[1]} << 16 | std::uint32_t{v[2]} << 8 | v[3];
          return std::nullopt;
        case pi_isn:
          s_.initial_serial_number = parse_serial(v);
          if (!s_.initial_serial_number) return bad(code, at, "is not 1 to 6 decimal digits");
          return std::nullopt;
        case 55: case 56: case 57: case 58:
          return std::nullopt;  // symmetric synchronization serial numbers: not used by RTSE
      }
      return bad(code, at, "is not allowed in the Connect/Accept Item");
    }
    switch (code) {
      case pgi_connection_id:
        if (auto e = need(P_CN_ID, code, at)) return e;
        cid();
        return units(inner, inner + v.size(), code);
      case pgi_linking:
        if (auto e = need(P_LINK, code, at)) return e;
        cid();
        return units(inner, inner + v.size(), code);
      case pgi_items:
        if (auto e = need(P_ITEMS, code, at)) return e;
        return units(inner, inner + v.size(), code);
      case pi_sync_type:
        if (auto e = need(P_SYNC, code, at)) return e;
        return octet(code, v, at, s_.sync_type);
      case pi_token_item:
        if (auto e = need(P_TOKEN, code, at)) return e;
        return octet(code, v, at, s_.token_item);
      case pi_tdisc:
        if (auto e = need(P_TDISC, code, at)) return e;
        return octet(code, v, at, s_.transport_disconnect);
      case pi_user_req:
        if (auto e = need(P_USER_REQ, code, at)) return e;
        if (v.size() != 2) return bad(code, at, "must be two octets");
        s_.session_requirements = static_cast<std::uint16_t>(v[0] << 8 | v[1]);
        return std::nullopt;
      case pi_version:
        if (auto e = need(P_VERSION, code, at)) return e;
        return octet(code, v, at, s_.version_number);
      case pi_prepare:
        if (auto e = need(P_PREPARE, code, at)) return e;
        return octet(code, v, at, s_.prepare_type);
      case pi_enclosure:
        if (auto e = need(P_ENCLOSE, code, at)) return e;
        return octet(code, v, at, s_.enclosure);
      case pi_token_setting:
        if (auto e = need(P_TOKEN_SET, code, at)) return e;
        return octet(code, v, at, s_.token_setting);
      case pi_resync:
        if (auto e = need(P_RESYNC, code, at)) return e;
        return octet(code, v, at, s_.resync_type);
      case pi_activity_id:
        if (auto e = need(P_ACT_ID, code, at)) return e;
        if (v.empty()) return bad(code, at, "is empty");
        return bounded(code, v, at, 6, s_.activity_id);
      case pi_serial:
        if (auto e = need(P_SERIAL, code, at)) return e;
        s_.serial_number = parse_serial(v);
        if (!s_.serial_number) return bad(code, at, "is not 1 to 6 decimal digits");
        return std::nullopt;
      case pi_mia_data:
        if (auto e = need(P_MIA_DATA, code, at)) return e;
        s_.user_data = v;
        return std::nullopt;
      case pi_reflect:
        if (auto e = need(P_REFLECT, code, at)) return e;
        return bounded(code, v, at, 9, s_.reflect_parameter);
      case pi_reason:
        if (auto e = need(P_REASON, code, at)) return e;
        if (v.empty()) return bad(code, at, "is empty");
        s_.reason_code = v;
        return std::nullopt;
      case pi_calling_ssap:
        if (auto e = need(P_CALLING, code, at)) return e;
        return bounded(code, v, at, 16, s_.calling_ssap);
      case pi_called_ssap:
        if (auto e = need(P_CALLED, code, at)) return e;
        return bounded(code, v, at, 16, s_.called_ssap);
      case pi_overflow:
        if (auto e = need(P_OVERFLOW, code, at)) return e;
        return std::nullopt;  // more data would follow in an OA/CDO exchange: refused by the machine
      case pgi_user_data:
        if (auto e = need(P_UDATA, code, at)) return e;
        s_.user_data = v;
        return std::nullopt;
      case pgi_extended_user_data:
        if (auto e = need(P_XDATA, code, at)) return e;
        s_.user_data = v;
        return std::nullopt;
    }
    return bad(code, at, "is unknown");
  }

  ByteView t_;
  Spdu& s_;
  std::uint32_t allowed_;
  const char* name_;
};

std::optional<Error> check_mandatory(const Spdu& s, std::size_t at) {
  auto missing = [&](const char* what) {
    return fail(Errc::missing_parameter, std::string(to_string(s.kind)) + " without " + what, at);
  };
  switch (s.kind) {
    case Kind::minor_sync_point:
    case Kind::minor_sync_ack:
    case Kind::major_sync_point:
    case Kind::major_sync_ack:
    case Kind::activity_end:
    case Kind::activity_end_ack:
    case Kind::resynchronize_ack:
      if (!s.serial_number) return missing("a Serial Number");
      break;
    case Kind::resynchronize:
      if (!s.serial_number || !s.resync_type) return missing("a Serial Number and a Resync Type");
      break;
    case Kind::activity_start:
      if (!s.activity_id) return missing("an Activity Identifier");
      break;
    case Kind::activity_resume:
      if (!s.activity_id || !s.old_activity_id || !s.serial_number) return missing("its Linking Information");
      break;
    case Kind::exception_data:
      if (!s.reason_code) return missing("a Reason Code");
      break;
    case Kind::prepare:
      if (!s.prepare_type) return missing("a Prepare Type");
      break;
    case Kind::abort:
      if (!s.transport_disconnect) return missing("a Transport Disconnect");
      break;
    default:
      break;
  }
  return std::nullopt;
}

// Writes PI/PGI units with X.225 §8.2.5 lengths, patching group lengths.
class UnitWriter {
 public:
  explicit UnitWriter(Bytes& out) : out_(out) {}
  void pi(std::uint8_t code, ByteView v) {
    out_.push_back(code);
    put_li(v.size());
    out_.insert(out_.end(), v.begin(), v.end());
  }
  void octet(std::uint8_t code, std::uint8_t v) { pi(code, ByteView(&v, 1)); }
  void text(std::uint8_t code, const std::string& s) { pi(code, ber::view(s)); }
  std::size_t open(std::uint8_t code) {
    out_.push_back(code);
    out_.push_back(0);
    return out_.size() - 1;
  }
  void close(std::size_t mark) { patch_li(out_, mark); }
  void put_li(std::size_t n) {
    if (n < 255) {
      out_.push_back(static_cast<std::uint8_t>(n));
    } else {
      out_.push_back(0xff);
      out_.push_back(static_cast<std::uint8_t>(n >> 8));
      out_.push_back(static_cast<std::uint8_t>(n));
    }
  }
  // Sets the LI at `mark` to the length of what follows it, widening to 3 octets if needed.
  static void patch_li(Bytes& out, std::size_t mark) {
    std::size_t n = out.size() - (mark + 1);
    if (n < 255) {
      out[mark] = static_cast<std::uint8_t>(n);
      return;
    }
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(mark + 1), 2, 0);
    out[mark] = 0xff;
    out[mark + 1] = static_cast<std::uint8_t>(n >> 8);
    out[mark + 2] = static_cast<std::uint8_t>(n);
  }

 private:
  Bytes& out_;
};

void put_cid(UnitWriter& w, std::uint8_t group, const ConnectionIdentifier& c, const Spdu& s) {
  std::size_t g = w.open(group);
  if (c.called_ss_user_reference) w.pi(pi_called_ref, *c.called_ss_user_reference);
  if (c.calling_ss_user_reference) w.pi(pi_calling_ref, *c.calling_ss_user_reference);
  if (c.common_reference) w.pi(pi_common_ref, *c.common_reference);
  if (c.additional_reference) w.pi(pi_additional_ref, *c.additional_reference);
  if (group == pgi_linking) {
    if (s.old_activity_id) w.pi(pi_activity_id, *s.old_activity_id);
    if (s.serial_number) w.text(pi_serial, serial_text(*s.serial_number));
  }
  w.close(g);
}

}  // namespace

const char* to_string(Errc e) {
  switch (e) {
    case Errc::malformed: return "malformed SPDU";
    case Errc::unknown_spdu: return "unknown SPDU";
    case Errc::bad_parameter: return "bad SPDU parameter";
    case Errc::missing_parameter: return "missing SPDU parameter";
    case Errc::bad_concatenation: return "bad SPDU concatenation";
    case Errc::protocol_error: return "session protocol error";
  }
  return "?";
}

const char* to_string(Kind k) { return info(k).name; }
std::uint8_t si_of(Kind k) { return info(k).si; }

Result<std::vector<Spdu>> decode_tsdu(ByteView t, const DecodeOptions& options) {
  std::vector<Spdu> out;
  std::size_t p = 0;
  if (t.empty()) return fail(Errc::malformed, "empty TSDU", 0);
  while (p < t.size()) {
    const std::size_t at = p;
    if (out.size() == 2) return fail(Errc::bad_concatenation, "more than two SPDUs in one TSDU (no extended concatenation)", at);
    const int position = out.empty() ? 1 : 2;
    std::uint8_t si = t[p++];
    std::size_t li;
    if (!read_li(t, p, li) || li > t.size() - p)
      return fail(Errc::malformed, "SPDU with SI " + std::to_string(si) + " runs past the TSDU", at);
    const std::size_t params_end = p + li;
    // MAP and AE differ only by the Sync Type Item: look for PI 15 at the top level.
    bool has_sync = false;
    if (si == 41) {
      for (std::size_t q = p; q + 1 < params_end;) {
        std::uint8_t code = t[q++];
        std::size_t l;
        if (!read_li(t.first(params_end), q, l) || l > params_end - q) break;
        if (code == pi_sync_type) has_sync = true;
        q += l;
      }
    }
    const KindInfo* k = find(si, position, options.activity_management, has_sync);
    if (!k) {
      bool known = false;
      for (const auto& i : kinds) known = known || i.si == si;
      if (known)
        return fail(Errc::bad_concatenation, "SI " + std::to_string(si) + (position == 1 ? " may not lead a TSDU" : " may not follow a GT/PT"), at);
      return fail(Errc::unknown_spdu, "unknown SPDU identifier " + std::to_string(si), at);
    }
    Spdu s;
    s.kind = k->kind;
    Parser parser(t, s, k->params, k->name);
    if (auto e = parser.units(p, params_end, 0)) return *e;
    p = params_end;
    if (k->params & P_USER_INFO) {
      s.user_data = t.subspan(p);
      p = t.size();
    }
    if (auto e = check_mandatory(s, at)) return *e;
    out.push_back(std::move(s));
    if ((k->category == 1 || k->category == 3) && p < t.size())
      return fail(Errc::bad_concatenation, std::string(k->name) + " must be alone in its TSDU", p);
  }
  return out;
}

void encode(const Spdu& s, Bytes& out) {
  const KindInfo& k = info(s.kind);
  out.push_back(k.si);
  out.push_back(0);
  const std::size_t li = out.size() - 1;
  UnitWriter w(out);
  const std::uint32_t a = k.params;
  if ((a & P_CN_ID) && s.connection_id) put_cid(w, pgi_connection_id, *s.connection_id, s);
  if ((a & P_ITEMS) && (s.protocol_options || s.tsdu_maximum_size || s.version_number || s.initial_serial_number ||
                        s.token_setting)) {
    std::size_t g = w.open(pgi_items);
    if (s.protocol_options) w.octet(pi_protocol_options, *s.protocol_options);
    if (s.tsdu_maximum_size) {
      std::uint32_t v = *s.tsdu_maximum_size;
      std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                           static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
      w.pi(pi_tsdu_max, ByteView(b, 4));
    }
    if (s.version_number) w.octet(pi_version, *s.version_number);
    if (s.initial_serial_number) w.text(pi_isn, serial_text(*s.initial_serial_number));
    if (s.token_setting) w.octet(pi_token_setting, *s.token_setting);
    w.close(g);
  }
  if ((a & P_LINK) && s.connection_id) put_cid(w, pgi_linking, *s.connection_id, s);
  if ((a & P_SYNC) && s.sync_type) w.octet(pi_sync_type, *s.sync_type);
  if ((a & P_TOKEN) && s.token_item) w.octet(pi_token_item, *s.token_item);
  if ((a & P_TDISC) && s.transport_disconnect) w.octet(pi_tdisc, *s.transport_disconnect);
  if ((a & P_USER_REQ) && s.session_requirements) {
    std::uint8_t b[2] = {static_cast<std::uint8_t>(*s.session_requirements >> 8),
                         static_cast<std::uint8_t>(*s.session_requirements)};
    w.pi(pi_user_req, ByteView(b, 2));
  }
  if ((a & P_VERSION) && s.version_number) w.octet(pi_version, *s.version_number);
  if ((a & P_PREPARE) && s.prepare_type) w.octet(pi_prepare, *s.prepare_type);
  if ((a & P_ENCLOSE) && s.enclosure) w.octet(pi_enclosure, *s.enclosure);
  if ((a & P_TOKEN_SET) && s.token_setting) w.octet(pi_token_setting, *s.token_setting);
  if ((a & P_RESYNC) && s.resync_type) w.octet(pi_resync, *s.resync_type);
  if ((a & P_ACT_ID) && s.activity_id) w.pi(pi_activity_id, *s.activity_id);
  if ((a & P_SERIAL) && s.serial_number) w.text(pi_serial, serial_text(*s.serial_number));
  if ((a & P_REFLECT) && s.reflect_parameter) w.pi(pi_reflect, *s.reflect_parameter);
  if ((a & P_REASON) && s.reason_code) w.pi(pi_reason, *s.reason_code);
  if ((a & P_CALLING) && s.calling_ssap) w.pi(pi_calling_ssap, *s.calling_ssap);
  if ((a & P_CALLED) && s.called_ssap) w.pi(pi_called_ssap, *s.called_ssap);
  if ((a & (P_UDATA | P_XDATA)) && s.user_data) {
    // X.225 §8.3.1.18: CN user data over 512 octets goes in Extended User Data.
    std::uint8_t code = (s.kind == Kind::connect && s.user_data->size() > 512) ? pgi_extended_user_data : pgi_user_data;
    w.pi(code, *s.user_data);
  }
  UnitWriter::patch_li(out, li);
  if ((a & P_USER_INFO) && s.user_data) out.insert(out.end(), s.user_data->begin(), s.user_data->end());
}

Bytes encode_tsdu(const Spdu& s) {
  Bytes out;
  encode(s, out);
  return out;
}

Bytes encode_tsdu(const Spdu& category0, const Spdu& category2) {
  Bytes out;
  encode(category0, out);
  encode(category2, out);
  return out;
}

}  // namespace mixer::p1::session
