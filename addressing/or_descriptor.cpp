// addressing/or_descriptor.cpp: RFC 2156 §4.7.1 / §4.7.2.
#include "addressing/or_descriptor.hpp"

#include "addressing/detail.hpp"
#include "addressing/rfc822_mailbox.hpp"

namespace mixer::addressing {

namespace {

OrDescriptor descriptor_of(const Rfc822Mailbox& m, OrAddress formal) {
  OrDescriptor d;
  d.formal_name = OrName{std::move(formal), std::nullopt};
  // Step 2: the phrase of a phrase route-addr, then the comments in order.
  std::string ffn = m.angle ? m.phrase : "";
  for (const auto& c : m.comments) {
    if (!ffn.empty()) ffn += ' ';
    ffn += c;
  }
  if (!ffn.empty()) d.free_form_name = std::move(ffn);
  return d;
}

}  // namespace

Result<std::vector<OrDescriptor>> header_address_to_or_descriptors(std::string_view text, const MappingContext& ctx) {
  auto list = parse_address_list(text);
  if (!list) return list.error();
  if (list->size() != 1) return make_error(Errc::syntax, "RFC 2156 §4.7.1", "expected exactly one address");
  const Rfc822HeaderAddress& h = list->front();
  std::vector<OrDescriptor> out;
  if (h.group) {
    OrDescriptor g;
    g.free_form_name = h.group_phrase;
    out.push_back(std::move(g));
  }
  for (const auto& m : h.mailboxes) {
    // Step 1: source routing is removed; the addr-spec maps to the formal name.
    Rfc822Address spec = m.address;
    spec.route.clear();
    auto x = map_rfc822_to_x400(spec, AddressRole::ipms, ctx);
    if (!x) return x.error();
    out.push_back(descriptor_of(m, std::move(x->address)));
  }
  return out;
}

Result<std::string> or_descriptor_to_mailbox(const OrDescriptor& d, const MappingContext& ctx, const RecipientFlags& f,
                                             PhraseFormatter phrase) {
  auto format_phrase = [phrase](std::string_view text) {
    return phrase ? phrase(text) : addressing::format_phrase(text);
  };
  std::string out;
  if (d.formal_name) {
    auto r = map_x400_to_rfc822(d.formal_name->address, AddressRole::ipms, ctx);
    if (!r) return r.error();
    bool route = false;
    const bool parses = detail::is_rfc822_address(r->address, route);
    route = parses && route;
    if (d.free_form_name && !d.free_form_name->empty()) {
      out = format_phrase(*d.free_form_name);  // step 2a
      out.append(" <").append(r->address) += '>';
    } else if (route) {
      out = format_phrase(parse_rfc822_address(r->address)->local_part);  // step 2b
      out.append(" <").append(r->address) += '>';
    } else {
      out = std::move(r->address);
    }
  } else if (d.free_form_name) {
    out = format_phrase(*d.free_form_name) + ": ;";  // no formal name: a group
  } else {
    return make_error(Errc::not_x400_address, "RFC 2156 §4.7.2", "ORDescriptor with neither formal nor free-form name");
  }
  auto comment = [&](std::string_view text) {
    out += " (";
    for (char c : text) {
      if (c == '(' || c == ')' || c == '\\') out += '\\';
      if (c != '\r' && c != '\n') out += c;
    }
    out += ')';
  };
  if (d.telephone_number) comment("Tel " + *d.telephone_number);                     // step 3
  if (d.formal_name && d.formal_name->directory_name)                                // step 4
    out += " " + directory_name_comment(*d.formal_name->directory_name);
  if (f.show_notification_comments) {                                                 // step 5
    if (f.receipt_notification) comment("Receipt Notification Requested");
    if (f.non_receipt_notification) comment("Non Receipt Notification Requested");
    if (f.ipm_return) comment("IPM Return Requested");
  }
  if (f.reply_requested) comment("Reply requested");                                  // step 6
  return out;
}

}  // namespace mixer::addressing
