// tests/fuzz/imf/fuzz_imf_message.cpp: arbitrary octets as a message
// (imf/message.hpp), under small limits for some inputs so every limit is
// reached. Besides never crashing or reading outside the input: the
// fields' raw spans partition the header and every view lies in its field;
// unfold() leaves no fold; a field the writer accepts reads back as the same
// name and unfolded value (unfold(write(x)) == x) in lines of at most 998
// octets; the structured-field tokenizers return views inside the value.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "imf/encoded_word.hpp"
#include "imf/header_writer.hpp"
#include "imf/message.hpp"
#include "imf/tokens.hpp"

using namespace mixer::imf;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_imf_message: %s\n", what);
  std::abort();
}

bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void check_written(const std::string& name, const std::string& value, const Limits& limits) {
  std::string out;
  if (write_field(out, name, value)) return;  // refused: nothing to check
  std::size_t from = 0;
  while (from < out.size()) {
    const std::size_t eol = out.find("\r\n", from);
    check(eol != std::string::npos, "written field does not end with CRLF");
    check(eol - from <= kMaxLine, "written line over 998 octets");
    from = eol + 2;
  }
  Limits big = limits;
  big.max_line_length = big.max_field_size = big.max_header_size = 1u << 24;
  auto again = parse_message(out, big);
  check(again.ok(), "written field does not parse");
  check(again->fields.size() == 1 && again->fields[0].is_field(), "written field is not one field");
  check(again->fields[0].name == name, "written name changed");
  check(unfold(again->fields[0].value) == value, "unfold(write(x)) != x");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Limits limits;
  if (size > 0 && data[0] % 4 == 0) {
    limits.max_header_size = 300;
    limits.max_fields = 5;
    limits.max_field_size = 120;
    limits.max_line_length = 60;
    limits.max_value_size = 100;
    limits.max_items = 4;
    limits.max_comment_depth = 3;
  }
  auto m = parse_message(in, limits);
  if (!m) {
    check(m.error().offset <= size, "error offset outside the input");
    return 0;
  }
  check(m->header.data() == in.data() && m->header.size() <= size, "header is not a prefix of the input");
  const char* at = in.data();
  for (const Field& f : m->fields) {
    check(f.raw.data() == at, "fields do not partition the header");
    at += f.raw.size();
    check(!f.raw.empty(), "empty field");
    check(inside(f.name, f.raw) && inside(f.value, f.raw), "name or value outside its field");
    check(f.is_field() ? !f.name.empty() : f.name.empty(), "name and not_a_field disagree");
    const std::string u = unfold(f.value);
    for (std::size_t k = 0; k + 2 < u.size(); ++k)
      check(!(u[k] == '\r' && u[k + 1] == '\n' && (u[k + 2] == ' ' || u[k + 2] == '\t')), "unfold left a fold");
    if (f.is_field()) {
      check_written(std::string(f.name), u, limits);
      if (auto ids = parse_msg_id_list(f.value, limits))
        for (const MsgIdItem& item : *ids) check(inside(item.raw, f.value), "msg-id outside the value");
      if (auto list = split_list(f.value, ',', limits))
        for (std::string_view item : *list) check(inside(item, f.value), "list item outside the value");
      if (auto phrases = parse_phrase_list(f.value, limits))
        for (const PhraseItem& p : *phrases) (void)decode_phrase(p.raw, limits);
      (void)decode_unstructured(u, limits);
    }
  }
  check(at == m->header.data() + m->header.size(), "fields do not end where the header ends");
  if (m->separator) {
    check(m->body.data() == at + 2 && m->body.data() + m->body.size() == in.data() + size, "body is not the rest");
  } else {
    check(m->body.empty() && m->header.size() == size, "no separator, yet a body");
  }
  return 0;
}
