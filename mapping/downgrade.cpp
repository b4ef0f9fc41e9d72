// mapping/downgrade.cpp: RFC 2156 Appendix B (see the header).
#include "mapping/downgrade.hpp"

#include "addressing/charset.hpp"
#include "addressing/std_or.hpp"
#include "bodyparts/bodyparts.hpp"
#include "mapping/extensions.hpp"
#include "mapping/to_x400.hpp"

namespace mixer::mapping {

namespace mts = p1::mts;
namespace ipms = p1::ipms;
using addressing::OrAddress;
using addressing::Text;

namespace {

// An extension's name for a loss: its X.411 name, "standard N" when it has none, "private".
std::string extension_label(const std::optional<std::int64_t>& standard) {
  if (!standard) return "private";
  const char* name = mixer::p1::mts::extension_name(*standard);
  return name ? name : "standard " + std::to_string(*standard);
}


constexpr const char* app_b = "RFC 2156 Appendix B";

// A value X.400(1984) can carry: printable (or numeric) only.
bool printable_only(const Text& t) { return !t.teletex && !t.universal; }

// Whether the address has only the 1984 attributes, each printable.
bool is_1984(const OrAddress& a) {
  OrAddress rest = a;
  for (Text* t : {&rest.country, &rest.admd, &rest.network_address, &rest.terminal_identifier, &rest.prmd,
                  &rest.organization, &rest.numeric_user_identifier})
    *t = Text{};
  rest.personal_name = addressing::PersonalName{};
  rest.organizational_units.clear();
  rest.ddas.clear();
  if (!rest.empty()) return false;  // extension attributes (common name included)
  for (const Text* t : {&a.country, &a.admd, &a.network_address, &a.terminal_identifier, &a.prmd, &a.organization,
                        &a.numeric_user_identifier, &a.personal_name.surname, &a.personal_name.given_name,
                        &a.personal_name.initials, &a.personal_name.generation_qualifier})
    if (!printable_only(*t)) return false;
  for (const auto& ou : a.organizational_units)
    if (!printable_only(ou)) return false;
  for (const auto& d : a.ddas)
    if (d.form != addressing::DdaForm::printable) return false;
  return true;
}

void fit(mts::OrName& n, const addressing::MappingContext& ctx, std::vector<base::Loss>& losses) {
  address_1984(n.address, ctx, losses);
  if (n.directory_name) {
    n.directory_name.reset();  // ORName's directory-name is X.400(1988)
    losses.push_back(base::Loss{"a directory name is left out for the X.400(1984) next hop", app_b});
  }
}

void fit(std::optional<mts::OrName>& n, const addressing::MappingContext& ctx, std::vector<base::Loss>& losses) {
  if (n) fit(*n, ctx, losses);
}

void fit(ipms::OrDescriptor& d, const addressing::MappingContext& ctx, std::vector<base::Loss>& losses) {
  fit(d.formal_name, ctx, losses);
}

}  // namespace

bool has_1984_form(const OrAddress& a) { return is_1984(a); }

bool address_1984(OrAddress& a, const addressing::MappingContext& ctx, std::vector<base::Loss>& losses) {
  if (is_1984(a)) return true;
  // A printable common name and nothing else beyond 1984: the DDA "Common".
  OrAddress without_cn = a;
  without_cn.common_name = Text{};
  if (a.common_name.printable && printable_only(a.common_name) && is_1984(without_cn) && a.ddas.size() < 4) {
    without_cn.ddas.push_back(addressing::DomainDefinedAttribute{"Common", *a.common_name.printable});
    a = std::move(without_cn);
    return true;
  }
  // Otherwise the address is treated as an RFC 822 one: RFC-822 DDAs at the gateway.
  auto rfc822 = addressing::map_x400_to_rfc822(a, addressing::AddressRole::ipms, ctx);
  if (rfc822) {
    auto ps = addressing::ps_encode(rfc822->address);
    auto ddas = ps ? addressing::rfc822_ddas(*ps) : addressing::Result<std::vector<addressing::DomainDefinedAttribute>>(ps.error());
    if (ddas && is_1984(ctx.gateway.or_address)) {
      OrAddress encapsulated = ctx.gateway.or_address;
      encapsulated.ddas = std::move(*ddas);
      if (encapsulated.ddas.size() <= 4 && is_1984(encapsulated)) {
        losses.push_back(base::Loss{"an O/R address with 1988 attributes is carried as the RFC 822 address " +
                                        rfc822->address + " for the X.400(1984) next hop",
                                    app_b});
        a = std::move(encapsulated);
        return true;
      }
    }
  }
  auto text = addressing::format_std_or(a);
  losses.push_back(base::Loss{"the O/R address " + (text ? *text : std::string("(no std-or form)")) +
                                  " has no X.400(1984) form and is sent as it is",
                              app_b});
  return false;
}

void downgrade_1984(ipms::Ipm& ipm, mts::MessageTransferEnvelope& env, const x400_out::Plan& plan,
                    const addressing::MappingContext& ctx, std::vector<base::Loss>& losses) {
  std::vector<std::string> lines = plan.carried;
  lines.insert(lines.end(), plan.eighty_eight.begin(), plan.eighty_eight.end());
  for (const auto& e : env.extensions) {
    auto t = ext::standard_type(e);
    losses.push_back(base::Loss{std::string("the ") + extension_label(t) +
                                    " extension is left out for the X.400(1984) next hop",
                                app_b});
  }
  env.extensions.clear();
  for (auto& r : env.per_recipient_fields) {
    for (const auto& e : r.extensions) {
      auto t = ext::standard_type(e);
      losses.push_back(base::Loss{std::string("the per-recipient ") + extension_label(t) +
                                      " extension is left out for the X.400(1984) next hop",
                                  app_b});
    }
    r.extensions.clear();
    fit(r.recipient_name, ctx, losses);
  }
  fit(env.originator_name, ctx, losses);
  auto strip = [](std::optional<mts::EncodedInformationTypes>& e) {
    if (!e) return;
    e->extended.clear();
    e->teletex.reset();
    // g3-facsimile [1] G3NonBasicParams is X.411 (1984)'s too: kept.
  };
  strip(env.original_encoded_information_types);
  for (auto& t : env.trace_information) strip(t.domain_supplied_information.additional_actions.converted_encoded_information_types);
  env.content_type = mts::ContentType::builtin(2);
  downgrade_ipm_1984(ipm, lines, ctx, losses);
}

void downgrade_ipm_1984(ipms::Ipm& ipm, const std::vector<std::string>& lines, const addressing::MappingContext& ctx,
                        std::vector<base::Loss>& losses) {
  ipm.heading.extensions.clear();
  if (!lines.empty()) {
    std::string text = "RFC-822-Headers:\r\n";
    for (const auto& l : lines) text += l + "\r\n";
    ipms::BodyPart part = bodyparts::ia5_text_part(std::move(text));
    ipm.body.insert(ipm.body.begin(), std::move(part));
  }
  // The heading's O/R names.
  auto& h = ipm.heading;
  fit(h.this_ipm.user, ctx, losses);
  if (h.originator) fit(*h.originator, ctx, losses);
  for (auto& d : h.authorizing_users) fit(d, ctx, losses);
  for (auto& d : h.reply_recipients) fit(d, ctx, losses);
  for (auto* list : {&h.primary_recipients, &h.copy_recipients})
    for (auto& r : *list) fit(r.recipient, ctx, losses);
  if (h.blind_copy_recipients)
    for (auto& r : *h.blind_copy_recipients) fit(r.recipient, ctx, losses);
  if (h.replied_to_ipm) fit(h.replied_to_ipm->user, ctx, losses);
  for (auto* list : {&h.obsoleted_ipms, &h.related_ipms})
    for (auto& id : *list) fit(id.user, ctx, losses);
}

}  // namespace mixer::mapping
