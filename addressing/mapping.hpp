// addressing/mapping.hpp: RFC 2156 §4.3 address mapping in both directions.
//
//   map_rfc822_to_x400()  §4.3.4 stages I and II (MCGAM via table1, std-or or
//                         encoded-pn local parts, RFC-822 DDA encapsulation at
//                         an MCGAM, preferred-gateway or the local gateway).
//   map_x400_to_rfc822()  §4.3.5 mappings A (RFC-822 DDA) and B (table2,
//                         gateway-domain, else std-or at the gateway's domain).
// Pure functions of their arguments: a MappingContext holds the gateway's
// identity, the heuristics switches and the loaded tables. Every result
// carries an Explanation (rule sections and table FILE:LINE used); an
// address that cannot be mapped comes back as an Error, never altered.
#pragma once

#include <iosfwd>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "addressing/error.hpp"
#include "addressing/or_address.hpp"
#include "addressing/rfc822_address.hpp"
#include "addressing/tables.hpp"

namespace mixer::addressing {

// The gateway's identity on both sides (from the config's gateway section).
struct GatewayIdentity {
  OrAddress or_address;                  // the gateway's own O/R address (§4.3.4 stage II default)
  std::string domain;                    // the gateway's Internet domain (§4.3.5 default domain)
  std::string mta_name;                  // MTA name in trace
  GlobalDomainIdentifier global_domain;  // C, ADMD, PRMD of trace and MTS identifiers
  std::vector<std::string> local_domains;  // names of this gateway, for SourceRoutes::strip_local
};

// Builds a GatewayIdentity from config text; refuses an O/R address that is
// not a valid X.400 address or a domain that is not domain-syntax.
Result<GatewayIdentity> make_gateway_identity(std::string_view or_address_std_or, std::string_view domain,
                                              std::string_view mta_name, std::string_view country,
                                              std::string_view admd, std::string_view prmd);

// §4.3.4 stage I step 1: what to do with RFC 822 source routes.
enum class SourceRoutes : std::uint8_t {
  keep,         // map the whole route-addr (stage II), as the RFC prefers
  strip,        // reduce to the final addr-spec (RFC 1123 practice)
  strip_local,  // remove only leading route domains naming this gateway
};

struct Heuristics {
  SourceRoutes source_routes = SourceRoutes::keep;
  bool inverted_ou_order = false;       // §4.3.4.1 (off: the §4.3.3 order only)
  bool semicolon_local_part = true;     // §4.1.3 input syntax ";" accepted in local parts
  bool rfc987_message_ids = false;      // §4.7.3.6 (not recommended by the RFC)
};

struct MappingContext {
  GatewayIdentity gateway;
  Heuristics heuristics;
  MappingTables::Ptr tables;  // never null: use MappingTables::empty()
};

// Which address is being mapped; chooses the §4.3.4 stage II default.
enum class AddressRole : std::uint8_t {
  smtp_originator,  // SMTP return address: the local gateway's O/R address
  smtp_recipient,   // X.400-routed RFC 822 island: as for IPMS addresses
  ipms,             // header addresses: preferred-gateway table, then local gateway
};

// One step of a mapping, for `mixer map --explain` and logs.
struct ExplanationStep {
  std::string section;  // "RFC 2156 §4.3.4 stage I step 8"
  std::string text;     // what happened
  std::string source;   // table FILE:LINE, when a table entry was used
};

namespace detail {
struct ExplanationRecorder;
}

// The table line a mapping used ("FILE:LINE"), or empty. A mapping records
// the entry; the text is written when it is read (str(), a comparison,
// operator<<). Holds the tables it points into, so it stays valid on its own.
class ExplanationSource {
 public:
  ExplanationSource() = default;
  ExplanationSource(std::string text) : text_(std::move(text)) {}
  ExplanationSource(const char* text) : text_(text) {}

  std::string str() const;
  operator std::string() const { return str(); }
  bool empty() const { return !table_ && text_.empty(); }
  void clear() { *this = ExplanationSource{}; }
  friend bool operator==(const ExplanationSource& a, std::string_view b);
  friend std::ostream& operator<<(std::ostream& o, const ExplanationSource& s);

 private:
  friend struct detail::ExplanationRecorder;
  std::string text_;
  std::shared_ptr<const MappingTables> tables_;  // keeps table_ alive
  const MappingTable* table_ = nullptr;
  std::uint32_t line_ = 0;
};

// The steps of a mapping, in order, with the interface of the
// std::vector<ExplanationStep> callers use. Mappings record each step in a
// compact form (which rule, the table entry, the words of the input it
// names) and the sentences are written only when the steps are read: only
// `mixer map --explain` and logs read them. Reading through a const
// reference writes the sentences each time (nothing is cached, so one
// Explanation may be read from any number of threads); changing the steps
// (insert, push_back, the non-const accessors) writes them into the vector
// first. Copies and moves carry the record, which holds the tables it points
// into.
class ExplanationSteps {
 public:
  using value_type = ExplanationStep;
  using iterator = std::vector<ExplanationStep>::iterator;
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = ExplanationStep;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = ExplanationStep;
    const_iterator() = default;
    ExplanationStep operator*() const { return s_->at(i_); }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      auto t = *this;
      ++i_;
      return t;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    friend class ExplanationSteps;
    const_iterator(const ExplanationSteps* s, std::size_t i) : s_(s), i_(i) {}
    const ExplanationSteps* s_ = nullptr;
    std::size_t i_ = 0;
  };

  std::size_t size() const { return done_.size() + pending_; }
  bool empty() const { return size() == 0; }
  ExplanationStep at(std::size_t i) const;  // the step written out (a copy)
  ExplanationStep operator[](std::size_t i) const { return at(i); }
  ExplanationStep front() const { return at(0); }
  ExplanationStep back() const { return at(size() - 1); }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  std::vector<ExplanationStep>& steps();  // written out: the vector itself
  ExplanationStep& operator[](std::size_t i) { return steps()[i]; }
  ExplanationStep& front() { return steps().front(); }
  ExplanationStep& back() { return steps().back(); }
  iterator begin() { return steps().begin(); }
  iterator end() { return steps().end(); }
  iterator insert(iterator pos, ExplanationStep s) { return steps().insert(pos, std::move(s)); }
  void push_back(ExplanationStep s) { steps().push_back(std::move(s)); }
  void clear() { *this = ExplanationSteps{}; }

 private:
  friend struct detail::ExplanationRecorder;
  // One recorded step. kind says how its sentence is made from the static
  // texts, the numbers, the table entry and the words kept in args_.
  struct Note {
    const char* section = nullptr;
    const char* text = nullptr;   // a static sentence, or the part before the words
    const char* text2 = nullptr;  // the part after the words
    std::string_view value;       // the table entry's right side (table text)
    const MappingTable* table = nullptr;
    std::uint32_t line = 0;
    std::uint32_t arg = 0, arg_length = 0;  // words of the input, in args_
    std::uint16_t n1 = 0, n2 = 0;
    std::uint8_t kind = 0;
  };
  static constexpr std::size_t kNotes = 5;
  ExplanationStep write(const Note& n) const;

  std::vector<ExplanationStep> done_;  // steps written out, before the notes
  Note notes_[kNotes];
  std::uint8_t pending_ = 0;
  std::string args_;
  std::shared_ptr<const MappingTables> tables_;  // keeps the notes' tables alive
};

struct Explanation {
  ExplanationSteps steps;
  std::string_view rule;     // the deciding rule (static text), e.g. "§4.3.4 stage II (RFC-822 DDA at preferred gateway)"
  ExplanationSource source;  // the deciding table FILE:LINE, or empty
  void add(std::string section, std::string text, std::string source = {});
};

struct X400Mapping {
  OrAddress address;
  Explanation explanation;
  bool encapsulated = false;  // §4.3.4 stage II: the RFC 822 address rides in RFC-822 attributes
};

struct Rfc822Mapping {
  std::string address;  // addr-spec (route-addr for source routes kept by Mapping A)
  Explanation explanation;
};

// RFC 2156 Appendix B's null (zero-length) attributes in an O/R address that
// stage I derives: `kept` (X.400(1984), and where the next hop is not known);
// `not_legal` for an X.400(1988) next hop ("not legal in 1988, except for
// ADMD"): the address is then treated as an RFC 822 address, as Appendix B
// says of the other std-or forms 1984 cannot take, i.e. stage II (RFC-822 DDA).
enum class NullAttributes : std::uint8_t { kept, not_legal };

// RFC 822 -> X.400 (§4.3.4). Input is an 822-address ("<@a:b@c>", "b@c").
Result<X400Mapping> map_rfc822_to_x400(std::string_view rfc822_address, AddressRole role, const MappingContext& ctx,
                                       NullAttributes nulls = NullAttributes::kept);
Result<X400Mapping> map_rfc822_to_x400(const Rfc822Address& address, AddressRole role, const MappingContext& ctx,
                                       NullAttributes nulls = NullAttributes::kept);

// X.400 -> RFC 822 (§4.3.5).
Result<Rfc822Mapping> map_x400_to_rfc822(const OrAddress& address, AddressRole role, const MappingContext& ctx);

// §4.4.1: when an X.400 address maps (Mapping A) to an RFC 822 address that
// this gateway maps straight back to X.400 through an MCGAM, the X.400
// address to use instead of converting the message; nullopt otherwise.
std::optional<X400Mapping> recursive_x400(const OrAddress& address, const MappingContext& ctx);

// §4.3.2: the RFC-822 domain-defined attributes for a PrintableString-encoded
// address: "RFC-822", then RFC822C1..C3 for each further 128 characters.
Result<std::vector<DomainDefinedAttribute>> rfc822_ddas(std::string_view ps_encoded);

// §4.3.5 / §4.3.2: the RFC 822 address carried in RFC-822 DDAs (printable or
// teletex, RFC822C1..C3 appended), nullopt when there is none; an Error when
// the DDAs contradict each other.
Result<std::optional<std::string>> rfc822_from_ddas(const OrAddress& address);

}  // namespace mixer::addressing
