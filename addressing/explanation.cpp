// addressing/explanation.cpp: the steps of a mapping, recorded compactly and
// written out when read (see mapping.hpp, explanation.hpp).
#include "addressing/explanation.hpp"

#include <ostream>

#include "addressing/dmn_or.hpp"

namespace mixer::addressing {

namespace {

std::string location(const MappingTable* table, std::uint32_t line) {
  return table ? table->file() + ":" + std::to_string(line) : std::string();
}

// "C=gb, ADMD=gold 400": labels joined by "." in level order, from level `first`.
std::string allocation(std::string_view labels, std::size_t first) {
  std::string out;
  std::size_t level = first;
  for (std::size_t start = 0; start <= labels.size(); ++level) {
    std::size_t dot = labels.find('.', start);
    if (dot == std::string_view::npos) dot = labels.size();
    if (!out.empty()) out += ", ";
    out += level_key(level);
    out += '=';
    out += labels.substr(start, dot - start);
    start = dot + 1;
  }
  return out;
}

}  // namespace

std::string ExplanationSource::str() const { return table_ ? location(table_, line_) : text_; }

bool operator==(const ExplanationSource& a, std::string_view b) {
  const std::string text = a.str();
  return std::string_view(text) == b;
}

std::ostream& operator<<(std::ostream& o, const ExplanationSource& s) { return o << s.str(); }

ExplanationStep ExplanationSteps::write(const Note& n) const {
  using K = detail::ExplanationRecorder::Kind;
  ExplanationStep s;
  s.section = n.section;
  const std::string_view words(args_.data() + n.arg, n.arg_length);
  switch (n.kind) {
    case K::text:
      s.text = n.text;
      break;
    case K::wrapped:
      s.text.append(n.text).append(words).append(n.text2 ? n.text2 : "");
      break;
    case K::wrapped_value:
      s.text.append(n.text).append(n.value).append(n.text2 ? n.text2 : "");
      break;
    case K::mcgam_x400:
      s.text = "MCGAM '" + std::string(n.value) + "' matches " + std::to_string(n.n1) + " label(s)" +
               (words.empty() ? "" : "; subdomains give " + allocation(words, n.n2));
      break;
    case K::mcgam_822:
      s.text = "MCGAM " + std::to_string(n.n1) + " level(s) -> '" + std::string(n.value) + "'";
      break;
    case K::subdomains:
      s.text = "subdomains from " + allocation(words, n.n2);
      break;
    case K::preferred_gateway:
      s.text = "preferred gateway for '" + std::string(words) + "': " + std::string(n.value);
      break;
  }
  s.source = location(n.table, n.line);
  return s;
}

ExplanationStep ExplanationSteps::at(std::size_t i) const {
  if (i < done_.size()) return done_[i];
  return write(notes_[i - done_.size()]);
}

std::vector<ExplanationStep>& ExplanationSteps::steps() {
  if (pending_) {
    done_.reserve(done_.size() + pending_);
    for (std::size_t i = 0; i < pending_; ++i) done_.push_back(write(notes_[i]));
    pending_ = 0;
    args_.clear();
    tables_.reset();
  }
  return done_;
}

void Explanation::add(std::string section, std::string text, std::string src) {
  steps.push_back({std::move(section), std::move(text), std::move(src)});
}

namespace detail {

void ExplanationRecorder::add(Explanation& e, Kind kind, const char* section, const char* text, std::string_view words,
                              const char* text2, const MappingContext* ctx, const TableHit* hit, std::size_t n1,
                              std::size_t n2) {
  ExplanationSteps& s = e.steps;
  if (s.pending_ == ExplanationSteps::kNotes) s.steps();  // full: write the notes out
  Note& n = s.notes_[s.pending_++];
  n = Note{};
  n.kind = kind;
  n.section = section;
  n.text = text;
  n.text2 = text2;
  n.n1 = static_cast<std::uint16_t>(n1);
  n.n2 = static_cast<std::uint16_t>(n2);
  if (!words.empty()) {
    n.arg = static_cast<std::uint32_t>(s.args_.size());
    n.arg_length = static_cast<std::uint32_t>(words.size());
    s.args_ += words;
  }
  if (hit && hit->table) {
    n.table = hit->table;
    n.line = hit->line;
    n.value = hit->value;
    if (s.tables_ != ctx->tables) s.tables_ = ctx->tables;
  }
}

void ExplanationRecorder::source(Explanation& e, const MappingContext& ctx, const TableHit& hit) {
  ExplanationSource& s = e.source;
  s.text_.clear();
  s.table_ = hit.table;
  s.line_ = hit.line;
  if (s.tables_ != ctx.tables) s.tables_ = ctx.tables;
}

}  // namespace detail

}  // namespace mixer::addressing
