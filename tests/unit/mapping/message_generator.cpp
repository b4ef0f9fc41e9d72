// tests/unit/mapping/message_generator.cpp: see message_generator.hpp. The
// RFC 2047 encoder here is the test's own (not imf's), so a message the
// generator writes does not depend on the code under test.
#include "tests/unit/mapping/message_generator.hpp"

#include <algorithm>
#include <random>

namespace mixer::mapping::test {

namespace {

struct Rng {
  std::mt19937 g;
  explicit Rng(std::uint32_t seed) : g(seed) {}
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(g); }
  bool chance(int percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))]; }
};

const std::vector<std::string> mapped_domains = {"cs.ucl.AC.UK", "AC.UK", "Widget.COM", "GMD.DE", "HNE.EGM",
                                                 "ZZ.YY.XX", "Widget.PTT.XY", "ATLAS.FR", "gold-400.gb"};
const std::vector<std::string> mapped_locals = {"S.Kille", "Fred.Bloggs", "J.Smith", "postmaster", "jane.doe",
                                                "a.b.c", "Bloggs"};
const std::vector<std::string> other_domains = {"example.org", "mail.example.net", "lists.example.com",
                                                "Example.COM"};
const std::vector<std::string> other_locals = {"jane", "john.q.public", "info-request", "user+tag", "o'neil",
                                               "first_last", "x", "A.Person", "bounce-123=abc"};
const std::vector<std::string> words = {"the",    "meeting", "agenda", "for",     "next",   "week",  "report",
                                        "budget", "draft",   "review", "please",  "see",    "attached",
                                        "notes",  "on",      "X.400",  "gateway", "status", "update", "re:",
                                        "Q3",     "2026",    "final",  "(v2)",    "a/b",    "#42",   "50%"};
const std::vector<std::string> utf8_texts = {"J\xC3\xBCrgen M\xC3\xBCller", "Fran\xC3\xA7ois Lef\xC3\xA8vre",
                                             "\xC3\x85sa Nystr\xC3\xB6m", "Ren\xC3\xA9" "e Dupr\xC3\xA9",
                                             "\xE2\x82\xAC 5 each",  "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
                                             "\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1", "na\xC3\xAFve caf\xC3\xA9"};

// UTF-8 -> ISO-8859-1 when every character is in it.
bool latin1_of(const std::string& utf8, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F));
    } else {
      return false;
    }
  }
  return true;
}

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

// RFC 2047 encoded words for `utf8` (a phrase when `phrase`: Q's stricter alphabet),
// each word under 75 octets, split on character boundaries, separated by a space.
std::string encoded_words(Rng& r, const std::string& utf8, bool phrase) {
  std::string latin1;
  const bool use_latin1 = latin1_of(utf8, latin1) && r.chance(50);
  const std::string charset = use_latin1 ? "ISO-8859-1" : (r.chance(50) ? "UTF-8" : "utf-8");
  const std::string& octets = use_latin1 ? latin1 : utf8;
  const bool q = r.chance(50);
  std::vector<std::string> chunks;
  std::string cur;
  for (std::size_t i = 0; i < octets.size(); ++i) {
    cur += octets[i];
    const bool boundary = i + 1 == octets.size() || use_latin1 || (static_cast<unsigned char>(octets[i + 1]) & 0xC0) != 0x80;
    if (boundary && cur.size() >= 12) {
      chunks.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) chunks.push_back(cur);
  std::string out;
  for (const auto& c : chunks) {
    std::string text;
    if (q) {
      for (unsigned char ch : c) {
        const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                           (!phrase && ch > 32 && ch < 127 && ch != '=' && ch != '?' && ch != '_');
        if (ch == ' ') {
          text += '_';
        } else if (plain) {
          text += static_cast<char>(ch);
        } else {
          static const char* hex = "0123456789ABCDEF";
          text += {'=', hex[ch >> 4], hex[ch & 15]};
        }
      }
    } else {
      text = base64(c);
    }
    out += (out.empty() ? "" : " ") + ("=?" + charset + "?" + (q ? "Q" : "B") + "?" + text + "?=");
  }
  return out;
}

std::string sentence(Rng& r, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (s.empty() ? "" : " ") + r.pick(words);
  return s;
}

// "Name: value", folded at spaces so that lines stay under `width` where it can.
std::string field(Rng& r, const std::string& name, const std::string& value) {
  std::string line = name + ": " + value;
  if (line.size() <= 78 && !r.chance(15)) return line + "\r\n";
  std::string out;
  std::size_t start = 0;
  const std::size_t width = r.chance(30) ? 40 : 76;
  while (line.size() - start > width) {
    std::size_t cut = line.rfind(' ', start + width);
    if (cut == std::string::npos || cut <= start + name.size() + 1) cut = line.find(' ', start + width);
    if (cut == std::string::npos) break;
    // Only fold outside quoted strings and before a non-space.
    std::size_t quotes = std::count(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(cut), '"');
    if (quotes % 2 || cut + 1 >= line.size() || line[cut + 1] == ' ') {
      std::size_t next = line.find(' ', cut + 1);
      if (next == std::string::npos) break;
      out += line.substr(start, next - start) + "\r\n";
      start = next;
      continue;
    }
    out += line.substr(start, cut - start) + "\r\n";
    start = cut;  // the continuation line starts with the space
  }
  return out + line.substr(start) + "\r\n";
}

struct Mailbox {
  std::string spec;
  std::string text;  // as written in the header
};

Mailbox mailbox(Rng& r) {
  Mailbox m;
  if (r.chance(55)) m.spec = r.pick(mapped_locals) + "@" + r.pick(mapped_domains);
  else if (r.chance(4)) m.spec = "\"john doe\"@" + r.pick(other_domains);
  else m.spec = r.pick(other_locals) + "@" + r.pick(other_domains);
  switch (r.below(8)) {
    case 0: m.text = m.spec; break;
    case 1: m.text = "<" + m.spec + ">"; break;
    case 2: m.text = "Jane Doe <" + m.spec + ">"; break;
    case 3: m.text = "\"Doe, Jane (Sales)\" <" + m.spec + ">"; break;
    case 4: m.text = encoded_words(r, r.pick(utf8_texts), true) + " <" + m.spec + ">"; break;
    case 5: m.text = m.spec + " (Jane Doe)"; break;
    case 6: m.text = "J. Q. Public <" + m.spec + ">"; break;  // obs-phrase: a "." in a phrase (RFC 5322 §4.1)
    default: m.text = "Fred Bloggs <" + m.spec + "> (Accounts)"; break;
  }
  return m;
}

std::string date(Rng& r, int first_year, int last_year) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static const std::vector<std::string> zones = {"+0000", "-0500", "+0100", "+0530", "-0800", "+1245", "-0330", "GMT", "EST"};
  const int y = first_year + r.below(last_year - first_year + 1), mo = r.below(12) + 1, d = r.below(28) + 1;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  const std::chrono::weekday wd{std::chrono::sys_days{ymd}};
  char buf[96];
  std::string hm = std::to_string(100 + r.below(24)).substr(1) + ":" + std::to_string(100 + r.below(60)).substr(1);
  if (r.chance(85)) hm += ":" + std::to_string(100 + r.below(60)).substr(1);
  std::snprintf(buf, sizeof buf, "%s%d %s %d %s %s", r.chance(80) ? (std::string(days[wd.c_encoding()]) + ", ").c_str() : "",
                d, months[mo - 1], y, hm.c_str(), r.pick(zones).c_str());
  return buf;
}

std::string msg_id(Rng& r) {
  static const std::vector<std::string> right = {"example.org", "mail.example.net", "cs.ucl.ac.uk", "host.Widget.COM",
                                                 "[192.0.2.1]"};
  std::string left;
  const int n = 4 + r.below(20);
  static const char* alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int i = 0; i < n; ++i) left += alnum[r.below(62)];
  if (r.chance(30)) left += "." + std::to_string(r.below(100000));
  if (r.chance(10)) left += "$%&";
  return "<" + left + "@" + r.pick(right) + ">";
}

std::string subject(Rng& r) {
  switch (r.below(7)) {
    case 0: return sentence(r, 1 + r.below(8));
    case 1: return sentence(r, 25 + r.below(30));  // over ub-subject-field (128) often
    case 2: return "Re: " + encoded_words(r, r.pick(utf8_texts), false);
    case 3: return sentence(r, 2) + " " + encoded_words(r, r.pick(utf8_texts), false) + " " + sentence(r, 2);
    case 4: return encoded_words(r, r.pick(utf8_texts) + " " + r.pick(utf8_texts), false);
    case 5: return "[list] " + sentence(r, 3) + "   with  spaces";
    default: return sentence(r, 3) + " (was: " + sentence(r, 2) + ")";
  }
}

std::string body(Rng& r) {
  if (r.chance(5)) return "";
  std::string b;
  const int lines = 1 + r.below(30);
  for (int i = 0; i < lines; ++i) {
    switch (r.below(12)) {
      case 0: b += "\r\n"; break;
      case 1: b += "From the desk of " + sentence(r, 2) + "\r\n"; break;
      case 2: b += ".\r\n"; break;
      case 3: b += "  indented " + sentence(r, 3) + "  \r\n"; break;
      case 4: b += std::string(200 + r.below(700), 'x') + "\r\n"; break;
      case 5: b += "> " + sentence(r, 6) + "\r\n"; break;
      case 6: b += "\ttab\t" + sentence(r, 2) + "\r\n"; break;
      default: b += sentence(r, 1 + r.below(14)) + "\r\n"; break;
    }
  }
  if (r.chance(10)) b += sentence(r, 3);  // no final line end
  return b;
}

}  // namespace

Generated generate_message(std::uint32_t seed) {
  Rng r(seed);
  Generated g;
  std::string h;
  std::vector<std::string> rcpts;
  auto add_rcpt = [&](const std::string& spec) {
    if (std::find(rcpts.begin(), rcpts.end(), spec) == rcpts.end()) rcpts.push_back(spec);
  };
  std::string head = "seed " + std::to_string(seed);
  if (r.chance(30)) h += field(r, "Received", "from client.example.org (client.example.org [192.0.2.7]) by mail.example.org with ESMTP id " +
                                                  std::to_string(r.below(1 << 20)) + "; " + date(r, 2020, 2030));
  if (r.chance(30)) h += field(r, "Return-Path", "<" + mailbox(r).spec + ">");
  // Originator fields.
  std::vector<Mailbox> from;
  from.push_back(mailbox(r));
  if (r.chance(10)) from.push_back(mailbox(r));
  std::optional<Mailbox> sender;
  if (r.chance(15) || from.size() > 1) sender = mailbox(r);
  std::string from_text;
  for (const auto& m : from) from_text += (from_text.empty() ? "" : ", ") + m.text;
  h += field(r, "From", from_text);
  if (sender) h += field(r, "Sender", sender->text);
  g.envelope.mail_from = sender ? sender->spec : from.front().spec;
  if (r.chance(20)) h += field(r, "Reply-To", mailbox(r).text + (r.chance(30) ? ", " + mailbox(r).text : ""));
  // Recipients.
  auto list = [&](int n) {
    std::string v;
    for (int i = 0; i < n; ++i) {
      if (r.chance(10)) {
        Mailbox a = mailbox(r), b = mailbox(r);
        v += (v.empty() ? "" : ", ") + std::string("Project Team: ") + a.text + ", " + b.text + ";";
        add_rcpt(a.spec);
        add_rcpt(b.spec);
      } else {
        Mailbox m = mailbox(r);
        v += (v.empty() ? "" : ", ") + m.text;
        add_rcpt(m.spec);
      }
    }
    return v;
  };
  const int to_n = r.below(4);
  if (to_n) h += field(r, "To", list(to_n));
  else h += field(r, "To", "undisclosed-recipients:;");
  if (r.chance(30)) h += field(r, "Cc", list(1 + r.below(3)));
  if (r.chance(10)) h += field(r, "Bcc", list(1));
  if (rcpts.empty()) add_rcpt(mailbox(r).spec);  // Bcc'd only: the envelope has a recipient the header does not
  if (r.chance(90)) h += field(r, "Subject", subject(r));
  h += field(r, "Date", date(r, 1990, 2040));
  if (r.chance(90)) h += field(r, "Message-ID", msg_id(r));
  if (r.chance(30)) {
    std::string v = msg_id(r);
    if (r.chance(20)) v += " " + msg_id(r);  // several: related-IPMs (§5.1.3)
    h += field(r, "In-Reply-To", v);
  }
  if (r.chance(30)) {
    std::string v;
    for (int i = 0, n = 1 + r.below(6); i < n; ++i) v += (v.empty() ? "" : " ") + msg_id(r);
    h += field(r, "References", v);
  }
  if (r.chance(15)) h += field(r, "Expires", date(r, 1990, 2045));
  if (r.chance(15)) h += field(r, "Reply-By", date(r, 1990, 2045));
  if (r.chance(10)) h += field(r, "Supersedes", msg_id(r) + (r.chance(30) ? " " + msg_id(r) : ""));
  if (r.chance(10)) h += field(r, "Importance", r.pick(std::vector<std::string>{"low", "normal", "high", "High"}));
  if (r.chance(8)) h += field(r, "Sensitivity", r.pick(std::vector<std::string>{"Personal", "Private", "Company-Confidential"}));
  if (r.chance(10)) h += field(r, "Content-Language", r.pick(std::vector<std::string>{"en", "de, fr", "en-GB", "fr-CA, en"}));
  if (r.chance(5)) h += field(r, "Autoforwarded", r.chance(50) ? "TRUE" : "FALSE");
  if (r.chance(4)) h += "Incomplete-Copy:\r\n";
  if (r.chance(20)) h += field(r, "Keywords", sentence(r, 1) + ", " + sentence(r, 2));
  if (r.chance(15)) h += field(r, "Comments", sentence(r, 4 + r.below(10)));
  if (r.chance(30)) h += field(r, "X-Mailer", r.chance(50) ? "Mutt/2.2.9 (2022-11-12)" : "Microsoft Outlook 16.0");
  if (r.chance(20)) h += field(r, "X-Priority", "3 (Normal)");
  if (r.chance(15)) h += field(r, "X-Long-Header", sentence(r, 40 + r.below(40)));
  if (r.chance(10)) h += field(r, "Organization", "Example " + sentence(r, 2));
  if (r.chance(10)) h += field(r, "List-Id", "Project discussion <project.lists.example.com>");
  if (r.chance(10)) h += field(r, "x-lower-case", sentence(r, 2));
  switch (r.below(4)) {
    case 0: break;  // RFC 2045 §5.2 default: text/plain; charset=us-ascii
    case 1: h += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n"; break;
    case 2: h += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"us-ascii\"; format=flowed\r\n"
                 "Content-Transfer-Encoding: 7bit\r\n"; break;
    default: h += "Mime-Version: 1.0 (generated)\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"; break;
  }
  for (const auto& a : rcpts) g.envelope.recipients.push_back(SmtpRecipient{a, {}, std::nullopt});
  g.content = h + "\r\n" + body(r);
  g.describe = head;
  return g;
}

}  // namespace mixer::mapping::test
