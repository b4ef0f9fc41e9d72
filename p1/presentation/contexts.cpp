// p1/presentation/contexts.cpp: context negotiation (see header).
#include "p1/presentation/contexts.hpp"

#include <algorithm>

namespace mixer::p1::presentation {

const Oid* ContextSet::abstract_syntax_of(std::int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> ContextSet::id_of(const Oid& abstract_syntax) const {
  for (const auto& [id, as] : by_id_)
    if (as == abstract_syntax) return id;
  return std::nullopt;
}

std::vector<ContextResult> negotiate(const std::vector<ContextDefinition>& proposed, const std::vector<Oid>& known,
                                     ContextSet& set) {
  std::vector<ContextResult> out;
  for (const auto& d : proposed) {
    ContextResult r;
    bool known_syntax = std::find(known.begin(), known.end(), d.abstract_syntax) != known.end();
    bool offers_ber = std::find(d.transfer_syntaxes.begin(), d.transfer_syntaxes.end(), ber_transfer_syntax) !=
                      d.transfer_syntaxes.end();
    if (set.abstract_syntax_of(d.id)) {
      r.result = result::provider_rejection;
      r.provider_reason = provider_reason::not_specified;
    } else if (!known_syntax) {
      r.result = result::provider_rejection;
      r.provider_reason = provider_reason::abstract_syntax_not_supported;
    } else if (!offers_ber) {
      r.result = result::provider_rejection;
      r.provider_reason = provider_reason::transfer_syntaxes_not_supported;
    } else {
      r.result = result::acceptance;
      r.transfer_syntax = ber_transfer_syntax;
      set.add(d.id, d.abstract_syntax);
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool accepted_contexts(const std::vector<ContextDefinition>& proposed, const std::vector<ContextResult>& results,
                       ContextSet& set) {
  if (proposed.size() != results.size()) return false;
  for (std::size_t i = 0; i < proposed.size(); ++i)
    if (results[i].result == result::acceptance) set.add(proposed[i].id, proposed[i].abstract_syntax);
  return true;
}

}  // namespace mixer::p1::presentation
