// tests/fuzz/imf/fuzz_imf_encoded_word.cpp: arbitrary octets through the
// RFC 2047 decoders and, when they are UTF-8, the encoders
// (imf/encoded_word.hpp). Besides never crashing: a decoding that says it is
// exact is valid UTF-8; decode(encode(text)) == text for unstructured text
// and for phrases; a written field parses back and decodes to the text, in
// lines of at most 998 octets (76 where the name allows), with encoded words
// of at most 75.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/utf8.hpp"
#include "imf/encoded_word.hpp"
#include "imf/header_writer.hpp"
#include "imf/message.hpp"
#include "imf/tokens.hpp"

using namespace mixer::imf;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_imf_encoded_word: %s\n", what);
  std::abort();
}

void check_decoded(const Result<DecodedText>& d) {
  if (d && d->exact()) check(mixer::base::valid_utf8(d->text), "an exact decoding is not UTF-8");
}

void check_words(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && is_lwsp(v[i])) ++i;
    const std::size_t b = i;
    while (i < v.size() && !is_lwsp(v[i])) ++i;
    const std::string_view w = v.substr(b, i - b);
    if (w.size() >= 2 && w.substr(0, 2) == "=?") check(w.size() <= 75, "encoded word over 75 octets");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Limits limits;
  check_decoded(decode_unstructured(text, limits));
  check_decoded(decode_phrase(text, limits));
  check_decoded(decode_comment(text, limits));
  if (!mixer::base::valid_utf8(text)) {
    check(!encode_unstructured(text, 9).ok() && !encode_phrase(text, 0).ok(), "invalid UTF-8 encoded");
    return 0;
  }
  const std::size_t column = size == 0 ? 9 : 1 + data[0] % 40;
  auto v = encode_unstructured(text, column);
  check(v.ok(), "valid UTF-8 not encoded");
  check_words(*v);
  auto back = decode_unstructured(*v, limits);
  check(back.ok() && back->exact() && back->text == text, "decode(encode(text)) != text");

  const std::string name = "X-" + std::string(column > 4 ? column - 4 : 1, 'n');
  std::string field;
  check(!write_unstructured(field, name, text), "encoded text not written");
  auto m = parse_message(field, limits);
  check(m.ok() && m->fields.size() == 1 && m->fields[0].name == name, "written field does not parse back");
  for (std::size_t from = 0; from < field.size();) {
    const std::size_t eol = field.find("\r\n", from);
    check(eol - from <= kMaxLine, "line over 998 octets");
    from = eol + 2;
  }
  auto read = decode_unstructured(unfold(m->fields[0].value), limits);
  check(read.ok() && read->text == text, "written field does not decode to the text");

  auto p = encode_phrase(text, column);
  check(p.ok(), "valid UTF-8 phrase not encoded");
  check_words(*p);
  auto pb = decode_phrase(*p, limits);
  check(pb.ok() && pb->exact() && pb->text == text, "decode_phrase(encode_phrase(text)) != text");
  return 0;
}
