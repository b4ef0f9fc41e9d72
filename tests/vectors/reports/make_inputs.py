#!/usr/bin/env python3
"""tests/vectors/reports/make_inputs.py: writes the input.json (and args) of
the X.400 report -> DSN vectors (RFC 2156 §5.3.8): one Report MTS-APDU per
case, as the JSON of `mixer decode --json`. The expected.* files are written
by hand-checked runs of `mixer convert` and then kept (see README.md); this
script only makes the inputs reproducible.

Usage: tests/vectors/reports/make_inputs.py [IPM_HEX_FILE]
IPM_HEX_FILE: the returned IPM of the §5.3.8.4 example 1 (hex), default
returned-ipm.hex beside this script.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def gdi(c, admd, prmd=None):
    g = {"country-name": {"iso-3166-alpha2-code": c}, "administration-domain-name": {"printable": admd}}
    if prmd is not None:
        g["private-domain-identifier"] = {"printable": prmd}
    return g


def orname(c, admd, prmd=None, o=None, ous=(), s=None, g=None, i=None, rfc822=None):
    b = {"country-name": {"iso-3166-alpha2-code": c}, "administration-domain-name": {"printable": admd}}
    if prmd is not None:
        b["private-domain-name"] = {"printable": prmd}
    if o is not None:
        b["organization-name"] = o
    if s is not None:
        pn = {"surname": s}
        if g:
            pn["given-name"] = g
        if i:
            pn["initials"] = i
        b["personal-name"] = pn
    if ous:
        b["organizational-unit-names"] = list(ous)
    n = {"built-in-standard-attributes": b}
    if rfc822:
        n["built-in-domain-defined-attributes"] = [{"type": "RFC-822", "value": rfc822}]
    return n


# The gateway of tests/vectors/mapping/mixer.yaml encapsulates Internet addresses here.
def internet(addr):
    return orname("XX", " ", "MIXER", o="Gateway", rfc822=addr.replace("@", "(a)"))


UCL = gdi("GB", "GOLD 400", "UK.AC")
DGC = gdi("GB", "GOLD 400", "DGC")
KILLE = orname("GB", "GOLD 400", "UK.AC", o="ucl", ous=["cs"], s="Kille", i="S")
JANE = internet("jane@example.org")


def trace(domain, time, action=0, **more):
    d = {"arrival-time": time, "routing-action": action}
    d.update(more)
    return {"global-domain-identifier": domain, "domain-supplied-information": d}


def nd(reason, diag=None):
    r = {"non-delivery-reason-code": reason}
    if diag is not None:
        r["non-delivery-diagnostic-code"] = diag
    return {"non-delivery": r}


def dr(time, user=None):
    d = {"message-delivery-time": time}
    if user is not None:
        d["type-of-MTS-user"] = user
    return {"delivery": d}


def recipient(name, number, report, arrival="971231235930Z", **more):
    r = {"actual-recipient-name": name, "originally-specified-recipient-number": number,
         "per-recipient-indicators": "00001", "last-trace-information": {"arrival-time": arrival, "report-type": report}}
    r.update(more)
    return r


def report(recipients, destination=JANE, subject_id=("subject-1", UCL), report_id=("report-1", UCL),
           report_trace=None, subject_trace=None, env_ext=None, **content):
    env = {"report-identifier": {"global-domain-identifier": report_id[1], "local-identifier": report_id[0]},
           "report-destination-name": destination,
           "trace-information": report_trace or [trace(UCL, "971231235940Z")]}
    if env_ext:
        env["extensions"] = env_ext
    c = {"subject-identifier": {"global-domain-identifier": subject_id[1], "local-identifier": subject_id[0]}}
    if subject_trace:
        c["subject-intermediate-trace-information"] = subject_trace
    c.update({k.replace("_", "-"): v for k, v in content.items()})
    c["per-recipient-fields"] = recipients
    return {"type": "mts-apdu", "value": {"report": {"envelope": env, "content": c}}}


def ext(n, value=None, critical=None):
    e = {"type": {"standard-extension": n}}
    if critical is not None:
        e["criticality"] = critical
    if value is not None:
        e["value"] = value
    return e


CASES = {}

# §5.3.8.4 example 1, adapted: H.Hildegard@bbn.com (RFC-822 DDA in UCL's domain) unknown,
# the original message returned.
HILDEGARD = orname("GB", "GOLD 400", "UK.AC", o="ucl", ous=["cs"], rfc822="H.Hildegard(a)bbn.com")
CASES["5.3.8.4-example-1-returned-content"] = lambda ipm: report(
    [recipient(HILDEGARD, 1, nd(1, 0), arrival="910207154818Z",
               **{"supplementary-information": 'MTA bbn.com gives error message (USER) Unknown user name in H.Hildegard at bbn.com'})],
    destination=KILLE, subject_id=("<1803.665941698@UK.AC.UCL.CS>", UCL),
    report_id=("bells.cs.u.694:07.01.91.15.48.34", UCL),
    report_trace=[trace(UCL, "910207154834Z")],
    subject_trace=[trace(UCL, "910207154818Z"), trace(UCL, "910207154820Z")],
    content_type={"built-in": 22}, content_identifier="Greetings.",
    original_encoded_information_types={"built-in-encoded-information-types": "001"},
    returned_content={"hex": ipm})

# §5.3.8.4 example 2, adapted: reported by DGC's domain, relayed by UCL, no content returned.
NOSUCH = orname("GB", "GOLD 400", "DGC", o="cambridge", ous=["dle"], s="nosuchuser", i="j")
CASES["5.3.8.4-example-2-not-available"] = lambda ipm: report(
    [recipient(NOSUCH, 1, nd(1, 0), arrival="910207154840Z",
               **{"supplementary-information": "DG 21187: (CEO POA) Unknown addressee."})],
    destination=KILLE, subject_id=("<1796.665941626@UK.AC.UCL.CS>", UCL), report_id=("DLE/910207154840Z/000", DGC),
    report_trace=[trace(DGC, "910207154840Z"), trace(UCL, "910207154908Z")],
    content_type={"built-in": 22}, content_identifier="A useful mess...")

# Delivery: one recipient, type-of-MTS-user ms (2).
CASES["5.3.8.1-delivery-one-recipient"] = lambda ipm: report(
    [recipient(KILLE, 1, dr("971231235930Z", 2))], content_type={"built-in": 22}, content_identifier="Hello")

# Delivery with type-of-MTS-user left to its DEFAULT (public), and converted EITs.
CASES["5.3.8.1-delivery-default-mts-user-converted-eits"] = lambda ipm: report(
    [{"actual-recipient-name": KILLE, "originally-specified-recipient-number": 1, "per-recipient-indicators": "00001",
      "last-trace-information": {"arrival-time": "971231235930Z",
                                 "converted-encoded-information-types": {"built-in-encoded-information-types": "000001"},
                                 "report-type": dr("971231235931Z")}}],
    content_type={"built-in": 22})

# A positive report that returns the content: only its headers (text/rfc822-headers).
CASES["5.3.8.1-delivery-returned-content-headers-only"] = lambda ipm: report(
    [recipient(KILLE, 1, dr("971231235930Z"))], content_type={"built-in": 22}, returned_content={"hex": ipm})

# Every reason alone (no diagnostic): the "C/Any" rows of §5.3.8.2, and reason 8 (X.411 1992).
for reason, name in enumerate(["transfer-failure", "unable-to-transfer", "conversion-not-performed",
                               "physical-rendition-not-performed", "physical-delivery-not-performed",
                               "restricted-delivery", "directory-operation-unsuccessful",
                               "deferred-delivery-not-performed", "transfer-failure-for-security-reason"]):
    CASES["5.3.8.2-reason-%d-%s" % (reason, name)] = (lambda r: lambda ipm: report(
        [recipient(KILLE, 1, nd(r))], content_type={"built-in": 22}))(reason)

# Every diagnostic 0..49 with the reason the §5.3.8.2 table pairs it with, one recipient each.
TABLE_REASON = {8: 2, 9: 2, 19: 2, 20: 2, 21: 2, 22: 2, 23: 2, 24: 2, 25: 2, 47: 2, 31: 4, 48: 0, 49: 0}
for d in range(32, 46):
    if d != 43:
        TABLE_REASON[d] = 4


def every_diagnostic(ipm):
    rs = []
    for d in range(0, 50):
        who = orname("GB", "GOLD 400", "DGC", o="cambridge", s="user%d" % d)
        rs.append(recipient(who, d + 1, nd(TABLE_REASON.get(d, 1), d)))
    return report(rs, report_id=("report-diagnostics", DGC), report_trace=[trace(DGC, "971231235940Z")],
                  content_type={"built-in": 22})


CASES["5.3.8.2-every-diagnostic-0-49"] = every_diagnostic

# The 1992+ security diagnostics the table does not list: the reason's class.
CASES["5.3.8.2-security-diagnostics-outside-the-table"] = lambda ipm: report(
    [recipient(orname("GB", "GOLD 400", "DGC", o="cambridge", s="a"), 1, nd(8, 68)),
     recipient(orname("GB", "GOLD 400", "DGC", o="cambridge", s="b"), 2, nd(1, 59)),
     recipient(orname("GB", "GOLD 400", "DGC", o="cambridge", s="c"), 3, nd(9, 99))],
    content_type={"built-in": 22})

# Mixed outcomes from one MTA: "success and failures" for MTA word (internal trace names it).
CASES["5.3.8.1-mixed-outcomes-three-recipients"] = lambda ipm: report(
    [recipient(KILLE, 1, dr("971231235930Z")),
     recipient(orname("GB", "GOLD 400", "UK.AC", o="ucl", ous=["cs"], s="Nobody"), 2, nd(1, 0),
               **{"supplementary-information": "No such user"}),
     recipient(orname("GB", "GOLD 400", "UK.AC", o="ucl", ous=["cs"], s="Busy"), 3, nd(0, 2))],
    env_ext=[ext(38, [{"global-domain-identifier": UCL, "mta-name": "bells.cs.ucl.ac.uk",
                       "mta-supplied-information": {"arrival-time": "971231235940Z", "routing-action": 0}}])],
    content_type={"built-in": 22}, content_identifier="Status")

# Failures only, several recipients: "failure" for MTA word from the reporting-MTA-name extension.
CASES["5.3.8.1-all-failed-reporting-mta-name"] = lambda ipm: report(
    [recipient(orname("GB", "GOLD 400", "DGC", o="cambridge", s="x"), 1, nd(1, 4)),
     recipient(orname("GB", "GOLD 400", "DGC", o="cambridge", s="y"), 2, nd(1, 5))],
    report_trace=[trace(DGC, "971231235940Z")],
    env_ext=[ext(39, {"domain": DGC, "mta-name": "mta.dgc"})], content_type={"built-in": 22})

# Redirection: originally-intended-recipient-name and the redirection history.
ROBERT = orname("GB", "GOLD 400", "UK.AC", o="ucl", ous=["cs"], s="Robert")
CASES["5.3.8.1-originally-intended-recipient-redirected"] = lambda ipm: report(
    [recipient(KILLE, 1, nd(1, 4), **{
        "originally-intended-recipient-name": ROBERT,
        "extensions": [ext(25, [{"intended-recipient-name": {"intended-recipient": ROBERT,
                                                              "redirection-time": "971231235800Z"},
                                 "redirection-reason": 4}])]})],
    content_type={"built-in": 22})

# Per-report extensions: DL expansion history, reporting DL, security label discarded.
LIST = orname("GB", "GOLD 400", "UK.AC", o="ucl", ous=["cs"], s="list")
CASES["5.3.8.1-per-report-extensions-and-discarded"] = lambda ipm: report(
    [recipient(KILLE, 1, nd(1, 29), **{"extensions": [{"type": {"private-extension": "1.3.6.1.4.1.99999.1"}, "value": {"hex": "0400"}},
                                           ext(27, KILLE)]})],
    content_type={"built-in": 22},
    extensions=[ext(30, [{"originator-or-dl-name": JANE, "origination-or-expansion-time": "971231235000Z"},
                         {"originator-or-dl-name": LIST, "origination-or-expansion-time": "971231235100Z"}]),
                ext(31, LIST), ext(23, {"ia5text": "Subject: budget"}),
                ext(20, {"security-classification": 1})])

# The ENVID a gateway put in the content correlator comes back as Original-Envelope-Id.
CASES["5.3.8.1-content-correlator-envid"] = lambda ipm: report(
    [recipient(KILLE, 1, nd(1, 0))], content_type={"built-in": 22},
    extensions=[ext(23, {"ia5text": "SMTP/NOTARY ENVID: QQ314159"})])

# §5.3.8.3: subject-intermediate-trace, most recent first; the report's own trace as X400-Received.
CASES["5.3.8.3-subject-intermediate-trace-most-recent-first"] = lambda ipm: report(
    [recipient(NOSUCH, 1, nd(1, 0))], report_trace=[trace(DGC, "971231235940Z"), trace(UCL, "971231235950Z")],
    subject_trace=[trace(gdi("XX", " ", "MIXER"), "971231235000Z"),
                   trace(UCL, "971231235100Z", 1, **{"attempted-domain": gdi("GB", "GOLD 400", "DGC")}),
                   trace(DGC, "971231235200Z")],
    content_type={"built-in": 22})

# A report whose subject is a probe: no content, a content length in the subject only.
CASES["5.3.8-report-on-probe-deliverable-and-not"] = lambda ipm: report(
    [recipient(KILLE, 1, dr("971231235930Z")), recipient(NOSUCH, 2, nd(1, 0))],
    subject_id=("probe-1", gdi("XX", " ", "MIXER")), content_type={"built-in": 22}, content_identifier="probe")

# Returned content that is not an IPM that decodes: the ASN.1 as application/octet-stream.
CASES["5.3.8.1-returned-content-not-decodable-octet-stream"] = lambda ipm: report(
    [recipient(KILLE, 1, nd(1, 12))], content_type={"built-in": 22}, returned_content={"hex": "3003020101"})

# Returned content of another content type: through the engine as application/x400-content (RFC 3854).
CASES["5.3.8.1-returned-content-edi-x400-content"] = lambda ipm: report(
    [recipient(KILLE, 1, nd(2, 8))], content_type={"built-in": 35}, returned_content={"hex": "48656c6c6f"})


def main():
    hex_file = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "returned-ipm.hex")
    ipm = open(hex_file).read().strip()
    for name, make in CASES.items():
        d = os.path.join(HERE, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "input.json"), "w") as f:
            json.dump(make(ipm), f, indent=2, ensure_ascii=False)
            f.write("\n")
        with open(os.path.join(d, "args"), "w") as f:
            f.write("--now 1998-01-01T00:00:00Z\n")


if __name__ == "__main__":
    main()
