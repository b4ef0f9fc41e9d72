// mapping/relay_1984.cpp: X.419 Annex B downgrading of a relayed MTS-APDU
// for an X.400(1984) MTA (see the header for the rules and their sources).
#include "mapping/relay_1984.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "addressing/std_or.hpp"
#include "mapping/downgrade.hpp"
#include "mapping/extensions.hpp"

namespace mixer::mapping::relay_1984 {

namespace mts = p1::mts;
using addressing::OrAddress;
using addressing::Text;

namespace {

constexpr const char* annex_b = "X.419 Annex B";

base::Refusal cannot_downgrade(const std::string& why) {
  return base::make_refusal(554, "5.3.3", base::reason::unable_to_transfer, base::diagnostic::unable_to_downgrade,
                            annex_b, why + ": it cannot be downgraded for the X.400(1984) next MTA");
}

base::Refusal critical_extension(const std::string& name) {
  return base::make_refusal(554, "5.3.3", base::reason::unable_to_transfer,
                            base::diagnostic::unsupported_critical_function, annex_b,
                            "the " + name + " extension is critical and X.400(1984) has no extensions");
}

// The extension's name; extension_name() has none for a standard type it does not know.
std::string extension_label(const mts::Extension& e) {
  auto t = e.standard_type();
  if (!t) return "private";
  const char* name = mts::extension_name(*t);
  return name ? std::string(name) : "standard-extension " + std::to_string(*t);
}

std::string name_text(const OrAddress& a) {
  auto t = addressing::format_std_or(a);
  return t ? *t : std::string("(an O/R address with no std-or form)");
}

// Every Text attribute of the address (built-in and extension attributes).
template <class F>
void for_each_text(OrAddress& a, F&& f) {
  for (Text* t : {&a.country, &a.admd, &a.network_address, &a.terminal_identifier, &a.prmd, &a.organization,
                  &a.numeric_user_identifier, &a.personal_name.surname, &a.personal_name.given_name,
                  &a.personal_name.initials, &a.personal_name.generation_qualifier, &a.common_name})
    f(*t);
  for (auto& ou : a.organizational_units) f(ou);
}

// One O/R address into the 1984 form, in place; the reason when it has none.
std::optional<std::string> address_1984(OrAddress& a, std::vector<base::Loss>& losses) {
  if (has_1984_form(a)) return std::nullopt;
  const std::string before = name_text(a);
  bool variants = false;
  bool teletex_only = false;
  for_each_text(a, [&](Text& t) {
    if (!t.teletex && !t.universal) return;
    if (!t.printable) {
      teletex_only = true;
      return;
    }
    t.teletex.reset();
    t.universal.reset();
    variants = true;
  });
  if (teletex_only) return "the O/R address " + before + " has a value in teletex or universal form only";
  if (variants)
    losses.push_back(base::Loss{"the teletex and universal forms in " + before + " are left out (1984 has printable only)",
                                annex_b});
  if (a.common_name.printable) {
    if (a.ddas.size() >= addressing::ub::domain_defined_attributes)
      return "the O/R address " + before + " has a common name and four domain-defined attributes already";
    a.ddas.push_back(addressing::DomainDefinedAttribute{"Common", *a.common_name.printable});
    a.common_name = Text{};
    losses.push_back(base::Loss{"the common name in " + before + " is the domain-defined attribute Common",
                                "RFC 1328 \xC2\xA7" "3.2"});
  }
  if (!has_1984_form(a)) return "the O/R address " + before + " has X.400(1988) attributes";
  return std::nullopt;
}

// An O/R name into the 1984 form (no directory name), in place; the reason when it has none.
std::optional<std::string> name_1984(mts::OrName& n, std::vector<base::Loss>& losses) {
  if (n.directory_name) {
    if (n.address.empty()) return std::string("an O/R name that is a directory name only");
    n.directory_name.reset();
    losses.push_back(base::Loss{"the directory name of " + name_text(n.address) + " is left out", annex_b});
  }
  return address_1984(n.address, losses);
}

// A bit string with every bit from `first_gone` on cleared (unchanged when none is set).
bool clear_bits_from(p1::ber::BitString& bits, std::size_t first_gone) {
  bool any = false;
  for (std::size_t b = first_gone; b < bits.size(); ++b) any = any || bits.test(b);
  if (!any) return false;
  p1::ber::BitString kept;
  for (std::size_t b = 0; b < first_gone && b < bits.size(); ++b)
    if (bits.test(b)) kept.set(b);
  if (kept.bytes.empty()) kept.bytes.assign(1, 0);  // BIT STRING keeps at least one octet here
  bits = std::move(kept);
  return true;
}

void eits_1984(std::optional<mts::EncodedInformationTypes>& e, const char* where, std::vector<base::Loss>& losses) {
  if (!e) return;
  if (!e->extended.empty()) {
    e->extended.clear();
    losses.push_back(base::Loss{std::string("the extended encoded information types of the ") + where + " are left out",
                                annex_b});
  }
  if (clear_bits_from(e->built_in, mts::eit::mixed_mode + 1))
    losses.push_back(base::Loss{std::string("built-in encoded information types beyond 1984's in the ") + where +
                                    " are left out",
                                annex_b});
}

void trace_1984(mts::TraceInformation& trace, const char* where, std::vector<base::Loss>& losses) {
  for (auto& t : trace) {
    auto& d = t.domain_supplied_information;
    if (d.additional_actions.other_actions) {
      d.additional_actions.other_actions.reset();
      losses.push_back(base::Loss{std::string("other-actions in the ") + where + " are left out", annex_b});
    }
    if (!d.extension_additions.empty()) {
      d.extension_additions.clear();
      losses.push_back(base::Loss{std::string("extension additions in the ") + where + " are left out", annex_b});
    }
    eits_1984(d.additional_actions.converted_encoded_information_types, where, losses);
  }
}

// Leaves the extensions out; the first critical one, when there is one.
std::optional<std::string> drop_extensions(mts::Extensions& x, const std::string& where, std::vector<base::Loss>& losses) {
  std::optional<std::string> critical;
  for (const auto& e : x) {
    if (ext::critical_for_transfer_or_delivery(e)) {
      if (!critical) critical = extension_label(e);
      continue;
    }
    losses.push_back(base::Loss{"the " + extension_label(e) + " extension" + where + " is left out", annex_b});
  }
  x.clear();
  return critical;
}

void bilateral_1984(std::vector<mts::PerDomainBilateralInformation>& b, std::vector<base::Loss>& losses) {
  auto gone = std::remove_if(b.begin(), b.end(), [](const mts::PerDomainBilateralInformation& i) {
    return std::holds_alternative<mts::BilateralPrivateDomain>(i.domain);
  });
  if (gone == b.end()) return;
  b.erase(gone, b.end());
  losses.push_back(base::Loss{"per-domain bilateral information for a private domain is left out", annex_b});
}

// What a message and a probe share: the envelope's per-message fields.
struct Envelope {
  mts::OrName& originator;
  std::optional<mts::EncodedInformationTypes>& eits;
  mts::ContentType& content_type;
  std::optional<p1::ber::BitString>& per_message_indicators;
  std::vector<mts::PerDomainBilateralInformation>& bilateral;
  mts::TraceInformation& trace;
  mts::Extensions& extensions;
  std::vector<mts::PerRecipientMessageTransferFields>& recipients;
};

Outcome downgrade_envelope(Envelope e) {
  Outcome out;
  auto& losses = out.losses;
  // Why every recipient is refused, if something per message cannot go.
  std::optional<base::Refusal> all;
  if (auto why = name_1984(e.originator, losses)) all = cannot_downgrade("the originator: " + *why);
  if (!e.content_type.built_in() && !all)
    all = cannot_downgrade("the content type is an object identifier (1984 has built-in integers only)");
  if (auto critical = drop_extensions(e.extensions, "", losses); critical && !all) all = critical_extension(*critical);
  eits_1984(e.eits, "envelope", losses);
  if (e.per_message_indicators && clear_bits_from(*e.per_message_indicators, mts::pmi::reserved))
    losses.push_back(base::Loss{"per-message indicators beyond 1984's (bits 4-7) are cleared", annex_b});
  bilateral_1984(e.bilateral, losses);
  trace_1984(e.trace, "trace information", losses);

  std::vector<mts::PerRecipientMessageTransferFields> kept;
  for (std::size_t i = 0; i < e.recipients.size(); ++i) {
    auto& r = e.recipients[i];
    const bool ours = r.per_recipient_indicators.test(mts::pri::responsibility);
    std::optional<base::Refusal> why = all;
    std::vector<base::Loss> own;
    if (auto bad = name_1984(r.recipient_name, own); bad && !why) why = cannot_downgrade("the recipient: " + *bad);
    if (auto critical = drop_extensions(r.extensions, " for " + name_text(r.recipient_name.address), own); critical && !why)
      why = critical_extension(*critical);
    if (why) {
      if (ours)
        out.refused.push_back(Refused{i, *why});
      else
        losses.push_back(base::Loss{"the recipient " + name_text(r.recipient_name.address) +
                                        " (another MTA's) is left out: " + why->message,
                                    annex_b});
      continue;
    }
    losses.insert(losses.end(), own.begin(), own.end());
    if (clear_bits_from(r.per_recipient_indicators, mts::pri::originator_non_delivery_report + 1))
      losses.push_back(base::Loss{"per-recipient indicators beyond 1984's (bits 5-7) are cleared", annex_b});
    if (ours) ++out.remaining;
    kept.push_back(std::move(r));
  }
  e.recipients = std::move(kept);
  return out;
}

void report_type_1984(mts::ReportType& t, std::vector<base::Loss>& losses) {
  if (auto* d = std::get_if<mts::DeliveryReport>(&t)) {
    if (d->type_of_mts_user && *d->type_of_mts_user > 1) {
      losses.push_back(base::Loss{"type-of-MTS-user " + std::to_string(*d->type_of_mts_user) +
                                      " is left out (1984 has public and private)",
                                  annex_b});
      d->type_of_mts_user.reset();
    }
    return;
  }
  auto& n = std::get<mts::NonDeliveryReport>(t);
  if (n.non_delivery_reason_code > base::reason::conversion_not_performed) {
    losses.push_back(base::Loss{"non-delivery reason " + std::to_string(n.non_delivery_reason_code) +
                                    " is unable-to-transfer (1984 has 0-2)",
                                annex_b});
    n.non_delivery_reason_code = base::reason::unable_to_transfer;
  }
  if (n.non_delivery_diagnostic_code && *n.non_delivery_diagnostic_code > base::diagnostic::invalid_arguments) {
    losses.push_back(base::Loss{"non-delivery diagnostic " + std::to_string(*n.non_delivery_diagnostic_code) +
                                    " is left out (1984 has 0-11)",
                                annex_b});
    n.non_delivery_diagnostic_code.reset();
  }
}

}  // namespace

Outcome downgrade(mts::Message& m) {
  auto& v = m.envelope;
  return downgrade_envelope(Envelope{v.originator_name, v.original_encoded_information_types, v.content_type,
                                     v.per_message_indicators, v.per_domain_bilateral_information, v.trace_information,
                                     v.extensions, v.per_recipient_fields});
}

Outcome downgrade(mts::Probe& p) {
  return downgrade_envelope(Envelope{p.originator_name, p.original_encoded_information_types, p.content_type,
                                     p.per_message_indicators, p.per_domain_bilateral_information, p.trace_information,
                                     p.extensions, p.per_recipient_fields});
}

base::Expected<std::vector<base::Loss>> downgrade(mts::Report& report) {
  std::vector<base::Loss> losses;
  auto& env = report.envelope;
  auto& content = report.content;
  if (auto why = name_1984(env.report_destination_name, losses)) return cannot_downgrade("the report destination: " + *why);
  if (auto critical = drop_extensions(env.extensions, "", losses)) return critical_extension(*critical);
  if (auto critical = drop_extensions(content.extensions, " of the report content", losses))
    return critical_extension(*critical);
  trace_1984(env.trace_information, "trace information", losses);
  trace_1984(content.subject_intermediate_trace_information, "subject intermediate trace", losses);
  if (content.original_encoded_information_types) {
    content.original_encoded_information_types.reset();
    losses.push_back(base::Loss{"the report's original encoded information types (1988) are left out", annex_b});
  }
  if (content.content_type) {
    content.content_type.reset();
    losses.push_back(base::Loss{"the report's content type (1988) is left out", annex_b});
  }
  for (auto& r : content.per_recipient_fields) {
    if (auto why = name_1984(r.actual_recipient_name, losses)) return cannot_downgrade("an actual recipient: " + *why);
    if (r.originally_intended_recipient_name)
      if (auto why = name_1984(*r.originally_intended_recipient_name, losses))
        return cannot_downgrade("an originally intended recipient: " + *why);
    if (auto critical = drop_extensions(r.extensions, " for " + name_text(r.actual_recipient_name.address), losses))
      return critical_extension(*critical);
    if (clear_bits_from(r.per_recipient_indicators, mts::pri::originator_non_delivery_report + 1))
      losses.push_back(base::Loss{"per-recipient indicators beyond 1984's (bits 5-7) are cleared", annex_b});
    eits_1984(r.last_trace_information.converted_encoded_information_types, "last trace information", losses);
    report_type_1984(r.last_trace_information.report_type, losses);
  }
  return losses;
}

}  // namespace mixer::mapping::relay_1984
