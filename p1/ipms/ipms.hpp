// p1/ipms/ipms.hpp: entry points of the X.420 codecs: BER decode under
// mts::Limits (errors name the field path, e.g. "InformationObject.ipm.
// heading.subject: TeletexString of 200 characters, outside SIZE (0..128)
// (ub-subject-field)"), BER encode, and the readable tree both ways. The
// content of an MTS message of content type 22 (P22) or 2 (P2, 1984) is an
// InformationObject.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "p1/ipms/types.hpp"
#include "p1/mts/ber_io.hpp"

namespace mixer::p1::ipms {

using mts::Limits;
using mts::Node;
template <class T>
using Result = mts::Result<T>;

// The top-level types: InformationObject, Ipm, Ipn, Heading, BodyPart.
template <class T>
concept TopLevel = std::is_same_v<T, InformationObject> || std::is_same_v<T, Ipm> || std::is_same_v<T, Ipn> ||
                   std::is_same_v<T, Heading> || std::is_same_v<T, BodyPart>;

template <TopLevel T>
Result<T> decode(mts::ByteView in, const Limits& limits = {});
// BER of v, or the refusal (with the field path) of a value the description
// cannot write.
template <TopLevel T>
Result<Bytes> encode(const T& v);
template <TopLevel T>
Node to_tree(const T& v);
template <TopLevel T>
std::optional<std::string> from_tree(const Node& n, T& v);

// The type identifiers of a body part written as ExtendedBodyPart [15] (data's and
// parameters'), from the type it holds (id-et-* / id-ep-*, id-et-content + the content type,
// RFC 2157's MIME OIDs, or an unknown type's own): nullopt for a type without that form
// (the 1984 types) or without parameters.
std::optional<Oid> data_oid(const BodyPart& v);
std::optional<Oid> parameters_oid(const BodyPart& v);

// P2 (X.420 1984, content type 2) is the subset of P22 this checks: no
// heading extensions (the 1984 heading ends at auto-forwarded [14]), no
// extended body parts [15], no mixed-mode [11] or bilaterally-defined
// [14] body parts, no 1988 IPN fields (other-notification types, extensions).
// Returns the first 1988 element found, or nullopt when a 1984 peer can take it.
// `bp14`: the peer takes bilaterally-defined [14] (RFC 2157 §3.1, "X.400(84) UA with BP14
// handling capability", a bilateral agreement): [14] is then no violation.
std::optional<std::string> p2_1984_violation(const InformationObject& v, bool bp14 = false);

}  // namespace mixer::p1::ipms
