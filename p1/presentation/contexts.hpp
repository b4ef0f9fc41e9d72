// p1/presentation/contexts.hpp: the defined context set of a presentation
// connection (X.226 §6.2.2) and the responder's context negotiation: which
// proposed contexts it accepts, with what transfer syntax, and why not.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "p1/presentation/ppdu.hpp"

namespace mixer::p1::presentation {

class ContextSet {
 public:
  void add(std::int64_t id, Oid abstract_syntax) { by_id_[id] = std::move(abstract_syntax); }
  void clear() { by_id_.clear(); }
  bool empty() const { return by_id_.empty(); }
  std::size_t size() const { return by_id_.size(); }
  const Oid* abstract_syntax_of(std::int64_t id) const;
  std::optional<std::int64_t> id_of(const Oid& abstract_syntax) const;

 private:
  std::map<std::int64_t, Oid> by_id_;
};

// One result per proposed context, in order (X.226 §6.2.2.4): accepted with
// BER when the abstract syntax is one we know and BER is offered; otherwise
// provider-rejected saying which. Accepted contexts are added to `set`.
// Duplicate identifiers are rejected (the second one).
std::vector<ContextResult> negotiate(const std::vector<ContextDefinition>& proposed, const std::vector<Oid>& known,
                                     ContextSet& set);

// Initiator: the contexts the responder accepted (results in proposal order).
// Returns false when the result list does not match the proposal.
bool accepted_contexts(const std::vector<ContextDefinition>& proposed, const std::vector<ContextResult>& results,
                       ContextSet& set);

}  // namespace mixer::p1::presentation
