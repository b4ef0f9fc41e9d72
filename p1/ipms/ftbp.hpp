// p1/ipms/ftbp.hpp: descriptions of the X.420 file-transfer body part
// (IPMSFileTransferBodyPartType, IMPLICIT TAGS): FileTransferParameters
// (related stored files, contents type, environment, compression, file
// attributes, IPMS extensions) and FileTransferData's EXTERNAL. The file
// attributes are ISO 8571 FTAM types (ISO8571-FTAM, whose own module has
// EXPLICIT TAGS: its untagged-CHOICE attributes are explicitly tagged by
// FileAttributes) and the access control location is ACSE-1's AP-title /
// AE-qualifier. Open types stay as their encodings: the document type's
// parameter (DOCUMENT-PARAMETER, no module we build from defines one), the
// compression algorithm's parameter and FTAM extension attributes.
#pragma once

#include "p1/ipms/heading.hpp"

namespace mixer::p1::ipms {

namespace names {
// ISO 8571 Permitted-Actions-Attribute
inline constexpr Named permitted_actions[] = {{0, "read"}, {1, "insert"}, {2, "replace"}, {3, "extend"}, {4, "erase"},
                                              {5, "read-attribute"}, {6, "change-attribute"}, {7, "delete-Object"},
                                              {8, "traversal"}, {9, "reverse-traversal"}, {10, "random-Order"},
                                              {11, "pass"}, {12, "link"}};
// X.420 Access-Request
inline constexpr Named access_request[] = {{0, "read"}, {1, "insert"}, {2, "replace"}, {3, "extend"}, {4, "erase"},
                                           {5, "read-attribute"}, {6, "change-attribute"}, {7, "delete-object"}};
inline constexpr Named concurrency_key[] = {{0, "not-required"}, {1, "shared"}, {2, "exclusive"}, {3, "no-access"}};
inline constexpr Named object_availability[] = {{0, "immediate-availability"}, {1, "deferred-availability"}};
inline constexpr Named explicit_relationship[] = {{0, "unspecified"}, {1, "new-file"}, {2, "replacement"}, {3, "extension"}};
}  // namespace names

template <class Io>
void asn1(Io& io, External& v, Tag t = univ::external) {
  io.constructed(t, Form::sequence, [&] {
    opt(io, "direct-reference", {univ::object_identifier}, v.direct_reference, [&](Oid& o) { io.oid(o); });
    opt(io, "indirect-reference", {univ::integer}, v.indirect_reference, [&](std::int64_t& i) { io.integer(i); });
    opt(io, "data-value-descriptor", {univ::object_descriptor}, v.data_value_descriptor,
        [&](std::string& s) { io.text(s, univ::object_descriptor, StringKind::graphic); });
    req(io, "encoding", {context(0), context(1), context(2)}, [&] {
      choice(io, v.encoding, [&](auto alt) {
        alt(index<0>, "single-ASN1-type", {context(0)},
            [&](SingleAsn1Type& x) { io.constructed(context(0), Form::sequence, [&] { io.raw(x.encoding); }); });
        alt(index<1>, "octet-aligned", {context(1)}, [&](OctetAligned& x) { io.octets(x.octets, context(1)); });
        alt(index<2>, "arbitrary", {context(2)}, [&](BitString& x) { io.bits(x, context(2)); });
      });
    });
  });
}

template <class Io>
void graphic_strings(Io& io, Tag t, std::vector<std::string>& v) {
  list(io, t, Form::sequence, v, mts::unbounded, [&](std::string& s) { io.text(s, univ::graphic_string, StringKind::graphic); });
}

// GeneralIdentifier, tagged [n] by its user: a CHOICE, so the tag is explicit.
template <class Io>
void general_identifier(Io& io, GeneralIdentifier& g, std::uint32_t n) {
  io.constructed(context(n), Form::sequence, [&] {
    choice(io, g, [&](auto alt) {
      alt(index<0>, "registered-identifier", {context(0)}, [&](Oid& o) { io.oid(o, context(0)); });
      alt(index<1>, "descriptive-identifier", {context(1)},
          [&](std::vector<std::string>& d) { graphic_strings(io, context(1), d); });
    });
  });
}

// EnvironmentParameter ::= SEQUENCE { application-reference [0], machine [1], operating-system [2], user-visible-string [3] }
template <class Io>
void asn1(Io& io, EnvironmentParameter& v, Tag t) {
  io.constructed(t, Form::sequence, [&] {
    opt(io, "application-reference", {context(0)}, v.application_reference,
        [&](GeneralIdentifier& g) { general_identifier(io, g, 0); });
    opt(io, "machine", {context(1)}, v.machine, [&](GeneralIdentifier& g) { general_identifier(io, g, 1); });
    opt(io, "operating-system", {context(2)}, v.operating_system, [&](Oid& o) { io.oid(o, context(2)); });
    opt_list(io, "user-visible-string", {context(3)}, v.user_visible_string,
             [&] { graphic_strings(io, context(3), v.user_visible_string); });
  });
}

// Pathname-Attribute ::= CHOICE { incomplete-pathname [0] Pathname, complete-pathname [23] Pathname }
inline const Tags pathname_tags{context(0), context(23)};
template <class Io>
void asn1(Io& io, PathnameAttribute& p) {
  choice(io, p, [&](auto alt) {
    alt(index<0>, "incomplete-pathname", {context(0)},
        [&](IncompletePathname& x) { graphic_strings(io, context(0), x.pathname); });
    alt(index<1>, "complete-pathname", {context(23)}, [&](CompletePathname& x) { graphic_strings(io, context(23), x.pathname); });
  });
}

// An FTAM attribute CHOICE { no-value-available [0] NULL, actual-values ... }, explicitly tagged [n]
// (a CHOICE) by FileAttributes; `actual(T&)` reads or writes the actual value.
template <class Io, class T, class F>
void ftam_attribute(Io& io, const char* name, std::uint32_t n, std::optional<FtamValue<T>>& v, const Tags& actual_tags,
                    F&& actual) {
  opt(io, name, {context(n)}, v, [&](FtamValue<T>& a) {
    io.constructed(context(n), Form::sequence, [&] {
      choice(io, a, [&](auto alt) {
        alt(index<0>, "no-value-available", {context(0)}, [&](NoValueAvailable&) { io.null(context(0)); });
        alt(index<1>, "actual-values", actual_tags, [&](T& x) { actual(x); });
      });
    });
  });
}

// Password ::= CHOICE { graphic-string GraphicString, octet-string OCTET STRING } (X.420)
template <class Io>
void asn1(Io& io, Password& p) {
  choice(io, p, [&](auto alt) {
    alt(index<0>, "graphic-string", {univ::graphic_string},
        [&](std::string& s) { io.text(s, univ::graphic_string, StringKind::graphic); });
    alt(index<1>, "octet-string", {univ::octet_string}, [&](Bytes& b) { io.octets(b); });
  });
}

// Access-Passwords (X.420: every component mandatory), [3] IMPLICIT in Access-Control-Element;
// each Password is a CHOICE, so explicitly tagged.
template <class Io>
void asn1(Io& io, AccessPasswords& p, Tag t) {
  static constexpr const char* password_names[] = {"read-password", "insert-password", "replace-password",
                                                   "extend-password", "erase-password", "read-attribute-password",
                                                   "change-attribute-password", "delete-password"};
  auto password = [&](const char* name, std::uint32_t n, Password& x) {
    req(io, name, {context(n)}, [&] { io.constructed(context(n), Form::sequence, [&] { asn1(io, x); }); });
  };
  io.constructed(t, Form::sequence, [&] {
    for (std::uint32_t i = 0; i < 8; ++i) password(password_names[i], i, p.passwords[i]);
    req(io, "pass-passwords", {context(8)}, [&] {
      list(io, context(8), Form::sequence, p.pass_passwords, mts::unbounded, [&](Password& x) { asn1(io, x); });
    });
    password("link-password", 9, p.link_password);
  });
}

// ACSE-1 AP-title: an extensible CHOICE of untagged forms (Name, OID, PrintableString) and [0] RELATIVE-OID.
template <class Io>
void asn1(Io& io, ApTitle& v) {
  choice(io, v, [&](auto alt) {
    alt(index<0>, "ap-title-form1", {univ::sequence}, [&](mts::NameWire& n) { mts::x509_name(io, n); });
    alt(index<1>, "ap-title-form2", {univ::object_identifier}, [&](Oid& o) { io.oid(o); });
    alt(index<2>, "ap-title-form3", {univ::printable_string},
        [&](std::string& s) { io.text(s, univ::printable_string, StringKind::printable); });
    alt(index<3>, "ap-title-form4", {context(0)}, [&](Bytes& b) { io.octets(b, context(0)); });
    alt(index<4>, "unknown-alternative", Tags::anything(),
        [&](mts::UnknownAlternative& u) { io.raw(u.encoding); });  // after "..."
  });
}

// ACSE-1 AE-qualifier ::= ASO-qualifier: RelativeDistinguishedName, INTEGER, PrintableString, [0] RELATIVE-OID.
template <class Io>
void asn1(Io& io, AeQualifier& v) {
  choice(io, v, [&](auto alt) {
    alt(index<0>, "aso-qualifier-form1", {univ::set}, [&](mts::RdnWire& r) { mts::relative_distinguished_name(io, r); });
    alt(index<1>, "aso-qualifier-form2", {univ::integer}, [&](std::int64_t& n) { io.integer(n); });
    alt(index<2>, "aso-qualifier-form3", {univ::printable_string},
        [&](std::string& s) { io.text(s, univ::printable_string, StringKind::printable); });
    alt(index<3>, "aso-qualifier-form4", {context(0)}, [&](Bytes& b) { io.octets(b, context(0)); });
    alt(index<4>, "unknown-alternative", Tags::anything(), [&](mts::UnknownAlternative& u) { io.raw(u.encoding); });
  });
}

// Access-Control-Element (X.420's, IMPLICIT TAGS; Concurrency-Access from ISO8571-FTAM)
template <class Io>
void asn1(Io& io, AccessControlElement& e) {
  static constexpr const char* key_names[] = {"read",  "insert",         "replace",          "extend",
                                              "erase", "read-attribute", "change-attribute", "delete-Object"};
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "action-list", {context(0)}, [&] { io.bits(e.action_list, context(0), names::access_request); });
    opt(io, "concurrency-access", {context(1)}, e.concurrency_access, [&](ConcurrencyAccess& c) {
      io.constructed(context(1), Form::sequence, [&] {
        for (std::uint32_t i = 0; i < 8; ++i)
          req(io, key_names[i], {context(i)}, [&] { io.bits(c.keys[i], context(i), names::concurrency_key); });
      });
    });
    opt(io, "identity", {context(2)}, e.identity, [&](std::string& s) { io.text(s, context(2), StringKind::graphic); });
    opt(io, "passwords", {context(3)}, e.passwords, [&](AccessPasswords& p) { asn1(io, p, context(3)); });
    opt(io, "location", {context(4)}, e.location, [&](ApplicationEntityTitle& l) {
      io.constructed(context(4), Form::sequence, [&] {
        req(io, "ap-title", Tags::anything(), [&] { asn1(io, l.ap_title); });
        req(io, "ae-qualifier", Tags::anything(), [&] { asn1(io, l.ae_qualifier); });
      });
    });
  });
}

// FileAttributes ::= SEQUENCE { pathname, permitted-actions [1], storage-account [3], the dates [4]..[7],
// the identities [8]..[11], object-availability [12], object-size [13], future-object-size [14],
// access-control [15], legal-qualifications [16], private-use [17], attribute-extensions [22] } (all OPTIONAL)
template <class Io>
void asn1(Io& io, FileAttributes& a, Tag t) {
  static constexpr const char* dates[] = {"date-and-time-of-creation", "date-and-time-of-last-modification",
                                          "date-and-time-of-last-read-access",
                                          "date-and-time-of-last-attribute-modification"};
  static constexpr const char* identities[] = {"identity-of-creator", "identity-of-last-modifier",
                                               "identity-of-last-reader", "identity-of-last-attribute-modifier"};
  auto graphic = [&](std::string& s) { io.text(s, univ::graphic_string, StringKind::graphic); };
  io.constructed(t, Form::sequence, [&] {
    opt(io, "pathname", pathname_tags, a.pathname, [&](PathnameAttribute& p) { asn1(io, p); });
    opt(io, "permitted-actions", {context(1)}, a.permitted_actions,
        [&](BitString& b) { io.bits(b, context(1), names::permitted_actions); });
    ftam_attribute(io, "storage-account", 3, a.storage_account, {univ::graphic_string}, graphic);
    for (std::uint32_t i = 0; i < 4; ++i)
      ftam_attribute(io, dates[i], 4 + i, a.date_and_time[i], {context(1)}, [&](Time& x) { io.time(x, context(1), ber::TimeKind::generalized); });
    for (std::uint32_t i = 0; i < 4; ++i)
      ftam_attribute(io, identities[i], 8 + i, a.identity[i], {univ::graphic_string}, graphic);
    ftam_attribute(io, "object-availability", 12, a.object_availability, {context(1)},
                   [&](std::int64_t& x) { io.integer(x, context(1), names::object_availability); });
    ftam_attribute(io, "object-size", 13, a.object_size, {context(1)}, [&](std::int64_t& x) { io.integer(x, context(1)); });
    ftam_attribute(io, "future-object-size", 14, a.future_object_size, {context(1)},
                   [&](std::int64_t& x) { io.integer(x, context(1)); });
    ftam_attribute(io, "access-control", 15, a.access_control, {context(1)}, [&](std::vector<AccessControlElement>& l) {
      list(io, context(1), Form::set, l, mts::unbounded, [&](AccessControlElement& e) { asn1(io, e); });
    });
    ftam_attribute(io, "legal-qualifications", 16, a.legal_qualifications, {context(1)},
                   [&](std::string& s) { io.text(s, context(1), StringKind::graphic); });
    opt(io, "private-use", {context(17)}, a.private_use, [&](PrivateUse& p) {
      io.constructed(context(17), Form::sequence, [&] {
        choice(io, p, [&](auto alt) {
          alt(index<0>, "no-value-available", {context(0)}, [&](NoValueAvailable&) { io.null(context(0)); });
          alt(index<1>, "abstract-Syntax-not-supported", {context(1)},
              [&](AbstractSyntaxNotSupported&) { io.null(context(1)); });
          alt(index<2>, "actual-values", {context(2)}, [&](External& e) { asn1(io, e, context(2)); });
        });
      });
    });
    opt(io, "attribute-extensions", {context(22)}, a.attribute_extensions, [&](std::vector<AttributeExtensionSet>& sets) {
      list(io, context(22), Form::sequence, sets, mts::unbounded, [&](AttributeExtensionSet& s) {
        io.constructed(univ::sequence, Form::sequence, [&] {
          req(io, "extension-set-identifier", {context(0)}, [&] { io.oid(s.extension_set_identifier, context(0)); });
          req(io, "extension-set-attributes", {context(1)}, [&] {
            io.constructed(context(1), Form::sequence, [&] {  // [1] without IMPLICIT in ISO8571-FTAM: explicit
              list(io, univ::sequence, Form::sequence, s.extension_set_attributes, mts::unbounded,
                   [&](ExtensionAttribute& x) {
                     io.constructed(univ::sequence, Form::sequence, [&] {
                       req(io, "extension-attribute-identifier", {univ::object_identifier},
                           [&] { io.oid(x.extension_attribute_identifier); });
                       // TYPE-IDENTIFIER.&Type of the dynamically extensible Extension-Attributes: its encoding
                       req(io, "extension-attribute", Tags::anything(), [&] { io.raw(x.extension_attribute); });
                     });
                   });
            });
          });
        });
      });
    });
  });
}

// RelatedStoredFile element: SEQUENCE { file-identifier FileIdentifier, relationship Relationship DEFAULT ... }
template <class Io>
void asn1(Io& io, RelatedStoredFile& f) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    req(io, "file-identifier", {context(0), context(1)}, [&] {
      choice(io, f.file_identifier, [&](auto alt) {
        alt(index<0>, "pathname-and-version", {context(0)}, [&](PathnameAndVersion& p) {
          io.constructed(context(0), Form::sequence, [&] {
            req(io, "pathname", {context(0)},
                [&] { io.constructed(context(0), Form::sequence, [&] { asn1(io, p.pathname); }); });
            opt(io, "file-version", {context(1)}, p.file_version,
                [&](std::string& s) { io.text(s, context(1), StringKind::graphic); });
          });
        });
        alt(index<1>, "cross-reference", {context(1)}, [&](CrossReference& id) {
          io.constructed(context(1), Form::sequence, [&] {
            req(io, "application-cross-reference", {context(0)},
                [&] { io.octets(id.application_cross_reference, context(0)); });
            opt(io, "message-reference", {context(1)}, id.message_reference, [&](MessageReference& m) {
              io.constructed(context(1), Form::set, [&] {
                opt(io, "user", {context(0)}, m.user, [&](OrName& n) { mts::asn1(io, n, context(0)); });
                req(io, "user-relative-identifier", {context(1)},
                    [&] { io.text(m.user_relative_identifier, context(1), StringKind::printable); });
              });
            });
            opt(io, "body-part-reference", {context(2)}, id.body_part_reference,
                [&](std::int64_t& n) { io.integer(n, context(2)); });
          });
        });
      });
    });
    opt(io, "relationship", {context(0), context(1)}, f.relationship, [&](Relationship& r) {
      choice(io, r, [&](auto alt) {
        alt(index<0>, "explicit-relationship", {context(0)},
            [&](std::int64_t& e) { io.integer(e, context(0), names::explicit_relationship); });
        alt(index<1>, "descriptive-relationship", {context(1)},
            [&](std::string& d) { io.text(d, context(1), StringKind::graphic); });
      });
    });
  });
}

// FileTransferParameters (X.420 IPMSFileTransferBodyPartType)
template <class Io>
void asn1(Io& io, FileTransferParameters& v) {
  io.constructed(univ::sequence, Form::sequence, [&] {
    opt(io, "related-stored-file", {context(0)}, v.related_stored_file, [&](std::vector<RelatedStoredFile>& files) {
      list(io, context(0), Form::set, files, mts::unbounded, [&](RelatedStoredFile& f) { asn1(io, f); });
    });
    opt(io, "contents-type", {context(1)}, v.contents_type, [&](ContentsType& c) {
      io.constructed(context(1), Form::sequence, [&] {  // explicit: a CHOICE
        choice(io, c, [&](auto alt) {
          alt(index<0>, "document-type", {context(0)}, [&](DocumentType& d) {
            io.constructed(context(0), Form::sequence, [&] {
              req(io, "document-type-name", {univ::object_identifier}, [&] { io.oid(d.document_type_name); });
              // [0] DOCUMENT-PARAMETER.&Type, explicit (an open type): the value's encoding
              opt(io, "parameter", {context(0)}, d.parameter,
                  [&](Bytes& b) { io.constructed(context(0), Form::sequence, [&] { io.raw(b); }); });
            });
          });
          alt(index<1>, "constraint-set-and-abstract-syntax", {context(1)}, [&](ConstraintSetAndAbstractSyntax& x) {
            io.constructed(context(1), Form::sequence, [&] {
              req(io, "constraint-set-name", {univ::object_identifier}, [&] { io.oid(x.constraint_set_name); });
              req(io, "abstract-syntax-name", {univ::object_identifier}, [&] { io.oid(x.abstract_syntax_name); });
            });
          });
        });
      });
    });
    opt(io, "environment", {context(2)}, v.environment, [&](EnvironmentParameter& e) { asn1(io, e, context(2)); });
    opt(io, "compression", {context(3)}, v.compression, [&](CompressionParameter& c) {
      io.constructed(context(3), Form::sequence, [&] {
        req(io, "compression-algorithm-id", {context(0)}, [&] { io.oid(c.compression_algorithm_id, context(0)); });
        req(io, "compression-algorithm-param", {context(1)},
            [&] { io.constructed(context(1), Form::sequence, [&] { io.raw(c.compression_algorithm_param); }); });
      });
    });
    opt(io, "file-attributes", {context(4)}, v.file_attributes, [&](FileAttributes& a) { asn1(io, a, context(4)); });
    opt(io, "extensions", {context(5)}, v.extensions,
        [&](std::vector<IpmsExtension>& x) { extension_list(io, x, context(5)); });
  });
}

}  // namespace mixer::p1::ipms
