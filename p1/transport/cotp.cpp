// p1/transport/cotp.cpp: X.224 class 0 TPDU codec (see header).
#include "p1/transport/cotp.hpp"

#include <algorithm>
#include <string>

namespace mixer::p1::transport {

namespace {

enum : std::uint8_t { code_cr = 0xE0, code_cc = 0xD0, code_dr = 0x80, code_dc = 0xC0, code_dt = 0xF0, code_ed = 0x10,
                      code_ak = 0x60, code_ea = 0x20, code_rj = 0x50, code_er = 0x70 };
enum : std::uint8_t { p_tpdu_size = 0xC0, p_calling = 0xC1, p_called = 0xC2, p_additional = 0xE0, p_preferred = 0xF0,
                      p_invalid_tpdu = 0xC1 };

std::uint16_t u16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put_param(Bytes& b, std::uint8_t code, ByteView v) {
  b.push_back(code);
  b.push_back(static_cast<std::uint8_t>(v.size()));
  b.insert(b.end(), v.begin(), v.end());
}

Error fail(Errc c, std::string what, std::size_t at) { return make_error(c, std::move(what), at); }

// Walks the variable part [from, li] of a TPDU, calling f(code, value, offset).
template <class F>
std::optional<Error> each_param(ByteView t, std::size_t from, std::size_t header_end, F&& f) {
  std::size_t p = from;
  while (p < header_end) {
    if (header_end - p < 2) return fail(Errc::malformed_tpdu, "parameter header runs past the TPDU header", p);
    std::uint8_t code = t[p];
    std::size_t len = t[p + 1];
    if (len > header_end - p - 2) return fail(Errc::malformed_tpdu, "parameter length runs past the TPDU header", p);
    if (auto e = f(code, t.subspan(p + 2, len), p)) return e;
    p += 2 + len;
  }
  return std::nullopt;
}

Result<Tpdu> decode_connect(ByteView t, std::size_t header_end, bool is_cr) {
  if (header_end < 7) return fail(Errc::malformed_tpdu, is_cr ? "CR shorter than its fixed part" : "CC shorter than its fixed part", 0);
  ConnectTpdu c;
  if ((t[1] & 0x0f) != 0)
    return fail(Errc::bad_parameter, "CDT must be 0 in class 0 (RFC 2126 §6.5)", 1);
  c.dst_ref = u16(&t[2]);
  c.src_ref = u16(&t[4]);
  c.class_option = t[6];
  auto err = each_param(t, 7, header_end, [&](std::uint8_t code, ByteView v, std::size_t at) -> std::optional<Error> {
    switch (code) {
      case p_tpdu_size:
        if (v.size() != 1 || tpdu_size_of_code(v[0]) == 0)
          return fail(Errc::bad_parameter, "TPDU size parameter must be one octet 7..13 (X.224 §13.3.4 b)", at);
        c.tpdu_size_code = v[0];
        break;
      case p_calling: c.calling_tsap = Bytes(v.begin(), v.end()); break;
      case p_called: c.called_tsap = Bytes(v.begin(), v.end()); break;
      case p_preferred: {
        if (v.empty() || v.size() > 4) return fail(Errc::bad_parameter, "preferred maximum TPDU size of bad length", at);
        std::uint32_t units = 0;
        for (auto b : v) units = units << 8 | b;
        c.preferred_max_tpdu = units > 0x1ffffff ? 0xffffffffu : units * 128u;
        break;
      }
      default: break;  // other parameters do not apply to class 0: ignored
    }
    return std::nullopt;
  });
  if (err) return *err;
  if (header_end != t.size())
    return fail(Errc::malformed_tpdu, "user data in a class 0 CR/CC (X.224 §13.3.5)", header_end + 1);
  if (is_cr) return Tpdu(ConnectionRequest{c});
  return Tpdu(ConnectionConfirm{c});
}

Bytes encode_connect(std::uint8_t code, const ConnectTpdu& c) {
  Bytes b{0, code};
  put16(b, c.dst_ref);
  put16(b, c.src_ref);
  b.push_back(c.class_option);
  if (c.calling_tsap) put_param(b, p_calling, *c.calling_tsap);
  if (c.called_tsap) put_param(b, p_called, *c.called_tsap);
  if (c.tpdu_size_code) put_param(b, p_tpdu_size, ByteView(&*c.tpdu_size_code, 1));
  if (c.preferred_max_tpdu) {
    std::uint32_t units = *c.preferred_max_tpdu / 128;
    std::uint8_t v[4] = {static_cast<std::uint8_t>(units >> 24), static_cast<std::uint8_t>(units >> 16),
                         static_cast<std::uint8_t>(units >> 8), static_cast<std::uint8_t>(units)};
    int skip = 0;
    while (skip < 3 && v[skip] == 0) ++skip;
    put_param(b, p_preferred, ByteView(v + skip, static_cast<std::size_t>(4 - skip)));
  }
  b[0] = static_cast<std::uint8_t>(b.size() - 1);
  return b;
}

}  // namespace

std::size_t tpdu_size_of_code(std::uint8_t code) {
  return code >= 7 && code <= 13 ? std::size_t{1} << code : 0;
}

std::uint8_t tpdu_size_code_for(std::size_t max) {
  std::uint8_t code = 7;
  while (code < 13 && (std::size_t{1} << (code + 1)) <= max) ++code;
  return code;
}

Result<Tpdu> decode_tpdu(ByteView t) {
  if (t.size() < 2) return fail(Errc::malformed_tpdu, "TPDU shorter than 2 octets", 0);
  std::size_t li = t[0];
  if (li == 255) return fail(Errc::malformed_tpdu, "length indicator 255 is reserved (X.224 §13.2.1)", 0);
  if (li + 1 > t.size() || li < 1)
    return fail(Errc::malformed_tpdu, "length indicator " + std::to_string(li) + " exceeds the TPDU", 0);
  std::uint8_t code = t[1] & 0xf0;
  switch (code) {
    case code_cr: return decode_connect(t, li + 1, true);
    case code_cc: return decode_connect(t, li + 1, false);
    case code_dt: {
      if (t[1] != code_dt) return fail(Errc::bad_parameter, "DT with non-zero low bits in class 0", 1);
      if (li != 2) return fail(Errc::malformed_tpdu, "class 0 DT must have LI 2 (X.224 §13.7)", 0);
      if ((t[2] & 0x7f) != 0) return fail(Errc::bad_parameter, "TPDU-NR must be 0 in class 0 (RFC 2126 §6.5)", 2);
      return Tpdu(DataTpdu{(t[2] & 0x80) != 0, t.subspan(3)});
    }
    case code_dr: {
      if (li < 6) return fail(Errc::malformed_tpdu, "DR shorter than its fixed part", 0);
      DisconnectRequest dr;
      dr.dst_ref = u16(&t[2]);
      dr.src_ref = u16(&t[4]);
      dr.reason = t[6];
      auto err = each_param(t, 7, li + 1, [&](std::uint8_t c, ByteView v, std::size_t) -> std::optional<Error> {
        if (c == p_additional) dr.additional_information.assign(v.begin(), v.end());
        return std::nullopt;
      });
      if (err) return *err;
      return Tpdu(dr);
    }
    case code_er: {
      if (li < 4) return fail(Errc::malformed_tpdu, "ER shorter than its fixed part", 0);
      ErrorTpdu er;
      er.dst_ref = u16(&t[2]);
      er.cause = t[4];
      auto err = each_param(t, 5, li + 1, [&](std::uint8_t c, ByteView v, std::size_t) -> std::optional<Error> {
        if (c == p_invalid_tpdu) er.invalid_tpdu.assign(v.begin(), v.end());
        return std::nullopt;
      });
      if (err) return *err;
      return Tpdu(er);
    }
    case code_dc:
    case code_ed:
    case code_ak:
    case code_ea:
    case code_rj:
      return fail(Errc::unsupported_tpdu, "TPDU code 0x" + std::string(1, "0123456789abcdef"[code >> 4]) +
                                              "0 is not used in class 0 over RFC 1006", 1);
    default:
      return fail(Errc::unsupported_tpdu, "unknown TPDU code", 1);
  }
}

Bytes encode(const ConnectionRequest& cr) { return encode_connect(code_cr, cr); }
Bytes encode(const ConnectionConfirm& cc) { return encode_connect(code_cc, cc); }

Bytes encode(const DisconnectRequest& dr) {
  Bytes b{0, code_dr};
  put16(b, dr.dst_ref);
  put16(b, dr.src_ref);
  b.push_back(dr.reason);
  if (!dr.additional_information.empty())
    put_param(b, p_additional, ByteView(dr.additional_information).first(std::min<std::size_t>(dr.additional_information.size(), 64)));
  b[0] = static_cast<std::uint8_t>(b.size() - 1);
  return b;
}

Bytes encode(const ErrorTpdu& er) {
  Bytes b{0, code_er};
  put16(b, er.dst_ref);
  b.push_back(er.cause);
  // At most 2 octets of the rejected TPDU (its LI and code): receivers such as
  // Wireshark's cotp dissector take an ER with LI above 8 for something else.
  if (!er.invalid_tpdu.empty())
    put_param(b, p_invalid_tpdu, ByteView(er.invalid_tpdu).first(std::min<std::size_t>(er.invalid_tpdu.size(), 2)));
  b[0] = static_cast<std::uint8_t>(b.size() - 1);
  return b;
}

Bytes tpkt(ByteView tpdu) {
  Bytes b;
  b.reserve(tpdu.size() + tpkt_header_size);
  put_tpkt_header(b, tpdu.size());
  b.insert(b.end(), tpdu.begin(), tpdu.end());
  return b;
}

SizeChoice negotiate_tpdu_size(const ConnectionRequest& cr, std::size_t our_max) {
  SizeChoice c;
  our_max = std::clamp<std::size_t>(our_max, 128, rfc1006_default_max_tpdu);
  if (cr.tpdu_size_code) {
    std::uint8_t code = std::min(*cr.tpdu_size_code, tpdu_size_code_for(our_max));
    c.cc_code = code;
    c.max_tpdu = tpdu_size_of_code(code);
    return c;
  }
  std::size_t proposed = cr.preferred_max_tpdu ? std::clamp<std::size_t>(*cr.preferred_max_tpdu, 128, rfc1006_default_max_tpdu)
                                               : rfc1006_default_max_tpdu;
  if (our_max >= proposed) {
    c.max_tpdu = proposed;
    return c;
  }
  // RFC 2126 §6.4: state the (smaller) size in the CC.
  c.cc_code = tpdu_size_code_for(our_max);
  c.max_tpdu = tpdu_size_of_code(*c.cc_code);
  return c;
}

std::size_t agreed_tpdu_size(const ConnectionRequest& cr, const ConnectionConfirm& cc) {
  std::size_t proposed = cr.tpdu_size_code ? tpdu_size_of_code(*cr.tpdu_size_code) : rfc1006_default_max_tpdu;
  if (cc.tpdu_size_code) return std::min(proposed, tpdu_size_of_code(*cc.tpdu_size_code));
  if (cc.preferred_max_tpdu) return std::clamp<std::size_t>(*cc.preferred_max_tpdu, 128, proposed);
  return proposed;
}

void append_data_tpkts(Bytes& out, ByteView tsdu, std::size_t max_tpdu) {
  max_tpdu = std::clamp<std::size_t>(max_tpdu, 128, rfc1006_default_max_tpdu);
  const std::size_t room = max_tpdu - 3;
  std::size_t at = 0;
  do {
    std::size_t n = std::min(room, tsdu.size() - at);
    bool last = at + n == tsdu.size();
    put_tpkt_header(out, n + 3);
    out.push_back(2);
    out.push_back(code_dt);
    out.push_back(last ? 0x80 : 0x00);
    out.insert(out.end(), tsdu.begin() + static_cast<std::ptrdiff_t>(at), tsdu.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  } while (at < tsdu.size());
}

Result<std::optional<ByteView>> TsduAssembler::add(const DataTpdu& dt) {
  if (done_) {
    buf_.clear();
    done_ = false;
  }
  if (buf_.size() + dt.user_data.size() > limits_.max_tsdu)
    return make_error(Errc::tsdu_too_large, "TSDU larger than " + std::to_string(limits_.max_tsdu) + " octets");
  if (dt.eot && buf_.empty()) return std::optional<ByteView>(dt.user_data);
  buf_.insert(buf_.end(), dt.user_data.begin(), dt.user_data.end());
  if (!dt.eot) return std::optional<ByteView>{};
  done_ = true;
  return std::optional<ByteView>(ByteView(buf_));
}

}  // namespace mixer::p1::transport
