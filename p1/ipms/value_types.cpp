// p1/ipms/value_types.cpp: the special members of the large X.420 value types
// (BodyPart, Heading, IPM, IPN), compiled once here instead of in every file
// that copies, moves or destroys one. Nothing but defaults.
#include "p1/ipms/types.hpp"

namespace mixer::p1::ipms {

BodyPart::BodyPart() = default;
BodyPart::BodyPart(BodyPartType t) : type(std::move(t)) {}
BodyPart::BodyPart(const BodyPart&) = default;
BodyPart::BodyPart(BodyPart&&) noexcept = default;
BodyPart& BodyPart::operator=(const BodyPart&) = default;
BodyPart& BodyPart::operator=(BodyPart&&) noexcept = default;
BodyPart::~BodyPart() = default;

Heading::Heading() = default;
Heading::Heading(const Heading&) = default;
Heading::Heading(Heading&&) noexcept = default;
Heading& Heading::operator=(const Heading&) = default;
Heading& Heading::operator=(Heading&&) noexcept = default;
Heading::~Heading() = default;

// Not value-initialised by zeroing: the heading is ~9.7 KB (three O/R names
// inline), and every decode of an IPM starts from an empty one (each member
// has its own default constructor, so nothing is left indeterminate).
Ipm::Ipm() noexcept {}
Ipm::Ipm(const Ipm&) = default;
Ipm::Ipm(Ipm&&) noexcept = default;
Ipm& Ipm::operator=(const Ipm&) = default;
Ipm& Ipm::operator=(Ipm&&) noexcept = default;
Ipm::~Ipm() = default;

Ipn::Ipn() = default;
Ipn::Ipn(const Ipn&) = default;
Ipn::Ipn(Ipn&&) noexcept = default;
Ipn& Ipn::operator=(const Ipn&) = default;
Ipn& Ipn::operator=(Ipn&&) noexcept = default;
Ipn::~Ipn() = default;

}  // namespace mixer::p1::ipms
