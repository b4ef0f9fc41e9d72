// addressing/map_command.cpp: `mixer map` single and batch modes.
#include "addressing/map_command.hpp"

#include <istream>
#include <ostream>

#include "addressing/refusal.hpp"
#include "addressing/std_or.hpp"

namespace mixer::addressing {

namespace {

std::string tsv_field(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return out;
}

const char* direction_name(MapDirection d) {
  return d == MapDirection::to_x400 ? "x400" : d == MapDirection::to_rfc822 ? "rfc822" : "auto";
}

std::string steps_text(const Explanation& e) {
  std::string s;
  for (const auto& st : e.steps) {
    if (!s.empty()) s += " | ";
    s += st.section + ": " + st.text;
    if (!st.source.empty()) s += " [" + st.source + "]";
  }
  return s;
}

}  // namespace

MapOutcome map_one(std::string_view input, const MapCommandOptions& options, const MappingContext& ctx) {
  MapOutcome o;
  o.input = std::string(input);
  o.direction = options.direction;
  auto refuse = [&](const Error& e) -> MapOutcome& {
    o.refusal = to_refusal(e, options.role);
    return o;
  };
  if (o.direction == MapDirection::automatic)
    o.direction = parse_rfc822_address(input) ? MapDirection::to_x400 : MapDirection::to_rfc822;
  if (o.direction == MapDirection::to_x400) {
    auto r = map_rfc822_to_x400(input, options.role, ctx);
    if (!r) return refuse(r.error());
    o.explanation = std::move(r->explanation);
    auto text = format_std_or(r->address);
    if (!text) return refuse(text.error());
    o.result = std::move(*text);
    return o;
  }
  StdOrParseOptions po;
  po.label_prefix = true;
  po.inverted_ou_heuristic = ctx.heuristics.inverted_ou_order;
  auto a = parse_std_or(input, po);
  if (!a) return refuse(a.error());
  if (auto v = validate_x411(a->address); !v) return refuse(v.error());
  auto r = map_x400_to_rfc822(a->address, options.role, ctx);
  if (!r) return refuse(r.error());
  o.explanation = std::move(r->explanation);
  if (a->inverted_ou_order)
    o.explanation.steps.insert(o.explanation.steps.begin(), {"RFC 2156 §4.3.4.1", "OU order read as inverted", ""});
  o.result = std::move(r->address);
  return o;
}

int run_map(std::string_view address, const MapCommandOptions& options, const MappingContext& ctx, std::ostream& out) {
  const MapOutcome o = map_one(address, options, ctx);
  if (const auto& r = o.refusal) {
    // RFC 2156 §5.1.8.4 writes an absent diagnostic as "None".
    out << "refused: " << r->text() << " [" << r->enhanced_status << ", X.411 " << r->x411_reason << "/"
        << (r->x411_diagnostic ? std::to_string(*r->x411_diagnostic) : "None") << "]\n";
    return 1;
  }
  if (!options.explain) {
    out << o.result << "\n";
    return 0;
  }
  out << "result: " << o.result << "\n"
      << "to: " << direction_name(o.direction) << "\n"
      << "rule: RFC 2156 " << o.explanation.rule << "\n"
      << "table: " << (o.explanation.source.empty() ? std::string("(none)") : o.explanation.source.str()) << "\n";
  for (const auto& st : o.explanation.steps) {
    out << "  " << st.section << ": " << st.text;
    if (!st.source.empty()) out << " [" << st.source << "]";
    out << "\n";
  }
  return 0;
}

int run_map_batch(std::istream& in, const MapCommandOptions& options, const MappingContext& ctx, std::ostream& out) {
  out << "# input\tto\tstatus\tresult\trule\tsource" << (options.explain ? "\tsteps" : "") << "\n";
  int rc = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    MapOutcome o;
    if (line.size() > options.max_line_length) {
      o.input = line.substr(0, 64) + "...";
      o.direction = options.direction;
      o.refusal = to_refusal(
          make_error(Errc::limit, "", "line longer than " + std::to_string(options.max_line_length) + " characters"),
          options.role);
    } else {
      o = map_one(std::string_view(line).substr(b), options, ctx);
    }
    out << tsv_field(o.input) << '\t' << direction_name(o.direction) << '\t';
    if (o.refusal) {
      rc = 1;
      out << "refused\t\t\t" << tsv_field(o.refusal->text());
    } else {
      out << "ok\t" << tsv_field(o.result) << '\t' << tsv_field(o.explanation.rule) << '\t' << tsv_field(o.explanation.source.str());
    }
    if (options.explain) out << '\t' << tsv_field(steps_text(o.explanation));
    out << '\n';
  }
  return rc;
}

}  // namespace mixer::addressing
