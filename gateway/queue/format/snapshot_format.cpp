// gateway/queue/format/snapshot_format.cpp: the start-up snapshot's encoder
// and decoder (see snapshot_format.hpp). The decoder trusts nothing.
#include "gateway/queue/format/snapshot_format.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "gateway/queue/format/crc32c.hpp"
#include "gateway/queue/format/queue_id.hpp"

namespace mixer::queue {
namespace {

constexpr std::string_view kMagic{"MIXSNAP\0", 8};

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>(v >> (8 * i) & 0xff);
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>(v >> (8 * i) & 0xff);
}
std::uint32_t get_u32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}
std::uint64_t get_u64(std::string_view s, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}
void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out += s;
}

int apdu_code(std::string_view apdu) {
  if (apdu.empty()) return 0;
  if (apdu == "message") return 1;
  if (apdu == "report") return 2;
  if (apdu == "probe") return 3;
  return -1;
}
const char* apdu_name(std::uint64_t code) {
  static const char* names[] = {"", "message", "report", "probe"};
  return names[code];
}

// Reads one entry's fields from a block's payload; every read is checked.
class Reader {
 public:
  Reader(std::string_view s, const SnapshotLimits& limits) : s_(s), limits_(limits) {}
  bool done() const { return at_ == s_.size(); }
  bool failed() const { return failed_; }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= s_.size()) return fail();
      const auto b = static_cast<unsigned char>(s_[at_++]);
      if (shift == 63 && b > 1) return fail();  // beyond 64 bits
      v |= std::uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  // A value at most `max`.
  std::uint64_t bounded(std::uint64_t max) {
    const std::uint64_t v = varint();
    return v > max ? fail() : v;
  }
  std::string string() {
    const std::uint64_t n = bounded(limits_.max_string);
    if (failed_ || n > s_.size() - at_) return fail(), std::string();
    std::string out(s_.substr(at_, n));
    at_ += n;
    return out;
  }
  // A count of items each at least `min_octets` long (bounded by what is left).
  std::uint64_t count(std::uint64_t max, std::size_t min_octets) {
    const std::uint64_t n = bounded(max);
    return n > (s_.size() - at_) / min_octets ? fail() : n;
  }
  std::uint64_t fail() {
    failed_ = true;
    at_ = s_.size();
    return 0;
  }

 private:
  std::string_view s_;
  const SnapshotLimits& limits_;
  std::size_t at_ = 0;
  bool failed_ = false;
};

// One entry, or false (the reader failed).
bool read_entry(Reader& r, const SnapshotLimits& limits, ControlFile& c, std::uint64_t& inode) {
  c.id = r.string();
  inode = r.varint();
  c.file_size = r.varint();
  if (c.file_size == 0) return false;  // never written: a file's size is known or the entry is left out
  c.arrival_us = static_cast<std::int64_t>(r.varint());
  c.size = r.varint();
  const std::uint64_t flags = r.bounded(1);
  c.held = flags & 1;
  c.warned = static_cast<std::int64_t>(r.varint());
  c.mts_id = r.string();
  c.apdu = apdu_name(r.bounded(3));
  c.forms.resize(r.count(limits.max_forms, 2));
  for (std::size_t i = 0; i < c.forms.size(); ++i) {
    auto& f = c.forms[i];
    f.index = i + 1;
    f.kind = r.bounded(1) ? FormRecord::Kind::p1 : FormRecord::Kind::rfc822;
    f.mts_id = r.string();
  }
  c.recipients.resize(r.count(limits.max_recipients, 13));
  for (auto& rr : c.recipients) {
    rr.index = r.bounded(UINT32_MAX);
    rr.channel = static_cast<Channel>(r.bounded(2));
    std::string hop = r.string();
    rr.fallback.resize(r.count(limits.max_fallback, 1));
    for (auto& h : rr.fallback) h = r.string();
    rr.form = r.bounded(UINT32_MAX);
    rr.status = static_cast<RecipientStatus>(r.bounded(3));
    rr.attempts = static_cast<unsigned>(r.bounded(UINT32_MAX));
    rr.next_attempt = static_cast<std::int64_t>(r.varint());
    rr.delivery_report = r.bounded(1) & 1;
    rr.address = r.string();
    rr.dsn = r.string();
    rr.diagnostic = r.string();
    if (rr.channel == Channel::p1) rr.peer = std::move(hop);
    else if (rr.channel == Channel::smtp) rr.domain = std::move(hop);
    else if (hop != "local") return false;  // a local recipient's hop is always "local"
    if (rr.channel != Channel::p1 && !rr.fallback.empty()) return false;
  }
  return !r.failed() && is_queue_id(c.id);
}

// The entry's fields as read_entry() reads them; false when out of the limits.
bool write_entry(std::string& out, const ControlFile& c, std::uint64_t inode, const SnapshotLimits& limits) {
  auto fits = [&](const std::string& s) { return s.size() <= limits.max_string; };
  const int apdu = apdu_code(c.apdu);
  if (apdu < 0 || !fits(c.id) || !fits(c.mts_id) || c.forms.size() > limits.max_forms ||
      c.recipients.size() > limits.max_recipients)
    return false;
  for (std::size_t i = 0; i < c.forms.size(); ++i)
    if (c.forms[i].index != i + 1 || !fits(c.forms[i].mts_id)) return false;
  for (const auto& rr : c.recipients) {
    if (rr.index > UINT32_MAX || rr.form > UINT32_MAX || !fits(next_hop(rr)) || !fits(rr.address) ||
        !fits(rr.dsn) || !fits(rr.diagnostic))
      return false;
    if (rr.channel == Channel::p1) {
      if (rr.fallback.size() > limits.max_fallback) return false;
      for (const auto& h : rr.fallback)
        if (!fits(h)) return false;
    }
  }
  put_string(out, c.id);
  put_varint(out, inode);
  put_varint(out, c.file_size);
  put_varint(out, static_cast<std::uint64_t>(c.arrival_us));
  put_varint(out, c.size);
  put_varint(out, c.held ? 1 : 0);
  put_varint(out, static_cast<std::uint64_t>(c.warned));
  put_string(out, c.mts_id);
  put_varint(out, static_cast<std::uint64_t>(apdu));
  put_varint(out, c.forms.size());
  for (const auto& f : c.forms) {
    put_varint(out, f.kind == FormRecord::Kind::p1 ? 1 : 0);
    put_string(out, f.mts_id);
  }
  put_varint(out, c.recipients.size());
  for (const auto& rr : c.recipients) {
    put_varint(out, rr.index);
    put_varint(out, static_cast<std::uint64_t>(rr.channel));
    put_string(out, next_hop(rr));
    if (rr.channel == Channel::p1) {
      put_varint(out, rr.fallback.size());
      for (const auto& h : rr.fallback) put_string(out, h);
    } else {
      put_varint(out, 0);
    }
    put_varint(out, rr.form);
    put_varint(out, static_cast<std::uint64_t>(rr.status));
    put_varint(out, rr.attempts);
    put_varint(out, static_cast<std::uint64_t>(rr.next_attempt));
    put_varint(out, rr.delivery_report ? 1 : 0);
    put_string(out, rr.address);
    put_string(out, rr.dsn);
    put_string(out, rr.diagnostic);
  }
  return true;
}

}  // namespace

SnapshotEncoder::SnapshotEncoder(std::uint64_t generation, std::uint64_t as_of_ns, SnapshotLimits limits,
                                 std::size_t block_bytes)
    : generation_(generation), as_of_ns_(as_of_ns), limits_(limits),
      block_bytes_(std::min(block_bytes, limits.max_block_bytes / 2)) {}

bool SnapshotEncoder::add(const ControlFile& entry, std::uint64_t inode) {
  if (!is_queue_id(entry.id) || (entries_ && entry.id <= last_id_) || entries_ >= limits_.max_entries ||
      entry.file_size == 0)
    return false;
  const std::size_t before = block_.size();
  if (!write_entry(block_, entry, inode, limits_) || block_.size() - before > limits_.max_block_bytes / 2 ||
      size_ + ready_.size() + block_.size() + kSnapshotBlockHeaderSize > limits_.max_file_bytes) {
    block_.resize(before);
    return false;
  }
  last_id_ = entry.id;
  ++entries_;
  ++block_entries_;
  if (block_.size() >= block_bytes_) close_block();
  return true;
}

void SnapshotEncoder::close_block() {
  if (block_.empty()) return;
  std::string head;
  put_u32(head, static_cast<std::uint32_t>(block_.size()));
  put_u32(head, block_entries_);
  const std::uint32_t crc = crc32c(crc32c(0, head), block_);
  put_u32(head, crc);
  ready_ += head;
  ready_ += block_;
  block_.clear();
  block_entries_ = 0;
}

std::string SnapshotEncoder::take_blocks() {
  size_ += ready_.size();
  return std::exchange(ready_, std::string());
}

void SnapshotEncoder::finish() { close_block(); }

std::string SnapshotEncoder::header() const {
  std::string h(kMagic);
  put_u32(h, kSnapshotVersion);
  put_u32(h, 0);
  put_u64(h, generation_);
  put_u64(h, entries_);
  put_u64(h, size_ + ready_.size());
  put_u64(h, as_of_ns_);
  put_u32(h, crc32c(0, h));
  put_u32(h, 0);
  return h;
}

SnapshotDecode decode_snapshot_header(std::string_view data, const SnapshotLimits& limits) {
  SnapshotDecode out;
  auto fail = [&](std::string why) {
    out.error = std::move(why);
    return out;
  };
  if (data.size() < kSnapshotHeaderSize) return fail("shorter than its header");
  if (data.substr(0, kMagic.size()) != kMagic) return fail("not a snapshot (magic)");
  // The version first: another version's header has another layout (and CRC place).
  if (const auto v = get_u32(data, 8); v != kSnapshotVersion || get_u32(data, 12) != 0)
    return fail("format version " + std::to_string(v) + ", this program reads " + std::to_string(kSnapshotVersion));
  if (crc32c(0, data.substr(0, 48)) != get_u32(data, 48) || get_u32(data, 52) != 0)
    return fail("header CRC mismatch");
  out.generation = get_u64(data, 16);
  out.entries = get_u64(data, 24);
  const std::uint64_t size = get_u64(data, 32);
  out.as_of_ns = get_u64(data, 40);
  if (size > limits.max_file_bytes) return fail("larger than the limit (" + std::to_string(size) + " octets)");
  if (out.entries > limits.max_entries) return fail("more entries than the limit (" + std::to_string(out.entries) + ")");
  if (size != data.size())
    return fail("size " + std::to_string(data.size()) + " but the header says " + std::to_string(size));
  out.ok = true;
  return out;
}

SnapshotDecode decode_snapshot(std::string_view data, const SnapshotLimits& limits, const SnapshotEach& each) {
  SnapshotDecode out = decode_snapshot_header(data, limits);
  if (!out.ok) return out;
  out.ok = false;
  auto fail = [&](std::string why) {
    out.error = std::move(why);
    return out;
  };
  std::size_t at = kSnapshotHeaderSize, block = 0;
  std::uint64_t seen = 0;
  std::string last_id;
  ControlFile c;
  while (at < data.size()) {
    if (data.size() - at < kSnapshotBlockHeaderSize) return fail("torn block header at " + std::to_string(at));
    const std::uint32_t len = get_u32(data, at), n = get_u32(data, at + 4);
    if (len > limits.max_block_bytes || len > data.size() - at - kSnapshotBlockHeaderSize)
      return fail("block " + std::to_string(block) + ": length " + std::to_string(len) + " out of bounds");
    if (n == 0 || n > out.entries - seen) return fail("block " + std::to_string(block) + ": entry count " + std::to_string(n));
    const std::string_view payload = data.substr(at + kSnapshotBlockHeaderSize, len);
    if (crc32c(crc32c(0, data.substr(at, 8)), payload) != get_u32(data, at + 8))
      return fail("block " + std::to_string(block) + ": CRC mismatch");
    Reader r(payload, limits);
    for (std::uint32_t i = 0; i < n; ++i) {
      c = ControlFile{};
      std::uint64_t inode = 0;
      if (!read_entry(r, limits, c, inode)) return fail("block " + std::to_string(block) + ": entry " + std::to_string(i) + " unreadable");
      if (seen && c.id <= last_id) return fail("entry " + c.id + " out of order");
      last_id = c.id;
      ++seen;
      if (each) each(std::move(c), inode);
    }
    if (!r.done()) return fail("block " + std::to_string(block) + ": octets after its last entry");
    at += kSnapshotBlockHeaderSize + len;
    ++block;
  }
  if (seen != out.entries) return fail(std::to_string(seen) + " entries, the header says " + std::to_string(out.entries));
  out.ok = true;
  return out;
}

ControlFile snapshot_view(const ControlFile& c) {
  ControlFile v;
  v.id = c.id;
  v.arrival_us = c.arrival_us;
  v.size = c.size;
  v.held = c.held;
  v.warned = c.warned;
  v.mts_id = c.mts_id;
  v.apdu = c.apdu;
  for (const auto& f : c.forms) {
    FormRecord g;
    g.index = f.index;
    g.kind = f.kind;
    g.mts_id = f.mts_id;
    v.forms.push_back(std::move(g));
  }
  for (const auto& rr : c.recipients) {
    RecipientRecord s;
    s.index = rr.index;
    s.channel = rr.channel;
    if (rr.channel == Channel::p1) {
      s.peer = rr.peer;
      s.fallback = rr.fallback;
    }
    if (rr.channel == Channel::smtp) s.domain = rr.domain;
    s.form = rr.form;
    s.status = rr.status;
    s.attempts = rr.attempts;
    s.next_attempt = rr.next_attempt;
    s.delivery_report = rr.delivery_report;
    s.address = rr.address;
    s.dsn = rr.dsn;
    s.diagnostic = rr.diagnostic;
    v.recipients.push_back(std::move(s));
  }
  return v;
}

std::string snapshot_state_text(const ControlFile& c) {
  ControlFile v = snapshot_view(c);
  // The start-up reads "a delivery report is owed" per entry (any recipient's), and the
  // queue manager exports it so: compared per entry.
  bool report_owed = false;
  for (auto& rr : v.recipients) report_owed = std::exchange(rr.delivery_report, false) || report_owed;
  std::string out = encode_control(v);
  out += "held=" + std::to_string(v.held) + " warned=" + std::to_string(v.warned) +
         " report_owed=" + std::to_string(report_owed) + "\n";
  for (const auto& rr : v.recipients)
    out += "state " + std::to_string(rr.index) + " status=" + std::to_string(static_cast<int>(rr.status)) +
           " attempts=" + std::to_string(rr.attempts) + " next=" + std::to_string(rr.next_attempt) +
           " dsn=" + rr.dsn + " diag=" + rr.diagnostic + "\n";
  return out;
}

}  // namespace mixer::queue
