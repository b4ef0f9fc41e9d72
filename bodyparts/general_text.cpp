// bodyparts/general_text.cpp: ISO 2022 (ECMA-35) in GeneralText, both ways.
// The reader knows ASCII (94-set 4/2) and the ISO 8859 96-sets in G0..G3,
// locking shifts (SI, SO, LS2, LS3, LS1R, LS2R, LS3R), C0/C1 designations
// (ignored) and ESC 2/5 4/7 (UTF-8 to the end, or to ESC 2/5 4/0). Anything
// else makes the text undecodable, and it is labelled x-iso-... as it is.
#include "bodyparts/general_text.hpp"

#include <algorithm>
#include <set>

#include "bodyparts/content_type.hpp"

namespace mixer::bodyparts {

namespace ipms = p1::ipms;

namespace {
constexpr char esc = 0x1B;

// A designated set: ASCII, an 8859 part, or unknown (0).
struct Set {
  enum Kind { none, ascii, iso8859 } kind = none;
  const charsets::IsoSet* iso = nullptr;
};
}  // namespace

bool general_text_safe(std::string_view octets) {
  for (char ch : octets) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0x1B || c == 0x0E || c == 0x0F || (c >= 0x80 && c < 0xA0)) return false;
  }
  return true;
}

ipms::GeneralTextBodyPart general_text_8859(const charsets::IsoSet& set, std::string_view octets) {
  ipms::GeneralTextBodyPart g;
  g.character_sets = {charsets::ir_ascii, set.ir};
  g.text.reserve(octets.size() + 11);
  // RFC 2157 §6.2, as written there: ESC 28 42, ESC 2D F, ESC 21 41, ESC 7E.
  g.text += {esc, 0x28, 0x42, esc, 0x2D, set.final, esc, 0x21, 0x41, esc, 0x7E};
  g.text += octets;
  return g;
}

ipms::GeneralTextBodyPart general_text_utf8(std::string_view utf8) {
  ipms::GeneralTextBodyPart g;
  g.character_sets = {charsets::ir_utf8};
  g.text += {esc, 0x25, 0x47};
  g.text += utf8;
  return g;
}

std::string x_iso_label(std::vector<std::int64_t> sets) {
  std::sort(sets.begin(), sets.end());
  std::string s = "x-iso";
  for (auto n : sets) s += "-" + std::to_string(n);
  return s;
}

MimeText read_general_text(const ipms::GeneralTextBodyPart& g) {
  const std::string_view t = g.text;
  MimeText fail{x_iso_label(g.character_sets), std::string(t), false};
  Set G[4];
  G[0].kind = Set::ascii;  // the initial state of a text that designates nothing
  for (auto n : g.character_sets)
    if (const auto* s = charsets::iso8859_by_ir(n); s && !G[1].iso) G[1] = {Set::iso8859, s};
  int gl = 0, gr = 1;
  std::string utf8;
  std::set<const charsets::IsoSet*> used;
  std::string run;  // octets of one 8859 set waiting for ICU
  const charsets::IsoSet* run_set = nullptr;
  auto flush = [&]() -> bool {
    if (run.empty()) return true;
    auto u = charsets::to_utf8(run, run_set->mime);
    if (u.status != charsets::Status::ok) return false;
    utf8 += u.text;
    run.clear();
    return true;
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == esc) {
      if (!flush()) return fail;
      if (i + 1 >= t.size()) return fail;
      const char i1 = t[i + 1];
      if (i1 == 0x25 && i + 2 < t.size() && t[i + 2] == 0x47) {  // ESC % G: UTF-8 follows
        std::size_t end = t.find(std::string_view("\x1B\x25\x40", 3), i + 3);
        if (end == std::string_view::npos) end = t.size();
        auto u = charsets::to_utf8(t.substr(i + 3, end - i - 3), "UTF-8");
        if (u.status != charsets::Status::ok) return fail;
        utf8 += u.text;
        used.insert(nullptr);
        i = end == t.size() ? end : end + 2;
        continue;
      }
      if (i1 >= 0x28 && i1 <= 0x2F && i + 2 < t.size()) {  // designate G0..G3
        const char f = t[i + 2];
        const int g_index = i1 & 0x03;
        if (i1 <= 0x2B) {  // 94-set
          if (f != 0x42) return fail;
          G[g_index] = {Set::ascii, nullptr};
        } else {  // 96-set (no 96-set in G0)
          const auto* s = charsets::iso8859_by_final(f);
          if (!s || g_index == 0) return fail;
          G[g_index] = {Set::iso8859, s};
        }
        i += 2;
        continue;
      }
      if ((i1 == 0x21 || i1 == 0x22) && i + 2 < t.size()) {  // C0 / C1 designation: controls pass as they are
        i += 2;
        continue;
      }
      switch (i1) {
        case 0x6E: gl = 2; break;  // LS2
        case 0x6F: gl = 3; break;  // LS3
        case 0x7E: gr = 1; break;  // LS1R
        case 0x7D: gr = 2; break;  // LS2R
        case 0x7C: gr = 3; break;  // LS3R
        default: return fail;
      }
      ++i;
      continue;
    }
    if (c == 0x0E || c == 0x0F) {  // SO, SI: locking shifts 1 and 0
      gl = c == 0x0E ? 1 : 0;
      continue;
    }
    const bool graphic_l = c > 0x20 && c < 0x7F;
    const bool graphic_r = c >= 0xA0;
    if (!graphic_l && !graphic_r) {  // controls and space as they are
      if (!flush()) return fail;
      if (c >= 0x80) return fail;   // C1 controls: no MIME text form
      utf8 += static_cast<char>(c);
      continue;
    }
    const Set& s = G[graphic_l ? gl : gr];
    if (s.kind == Set::ascii && graphic_l) {
      if (!flush()) return fail;
      utf8 += static_cast<char>(c);
    } else if (s.kind == Set::iso8859) {
      if (run_set != s.iso && !flush()) return fail;
      run_set = s.iso;
      used.insert(s.iso);
      run += static_cast<char>(c | 0x80);
    } else {
      return fail;
    }
  }
  if (!flush()) return fail;
  if (used.empty()) return {"us-ascii", std::move(utf8), true};
  if (used.size() == 1 && *used.begin()) {
    const auto* s = *used.begin();
    if (auto back = charsets::from_utf8(utf8, s->mime)) return {lower(s->mime), std::move(*back), true};
  }
  return {"utf-8", std::move(utf8), true};
}

}  // namespace mixer::bodyparts
