#!/usr/bin/env python3
"""tests/vectors/reports/make_ipn_inputs.py: writes the input.json (and
args) of the X.420 IPN -> RFC 8098 MDN vectors (folders rfc8098-ipn-*): one
Message MTS-APDU whose content is an IPN, as the JSON of `mixer decode
--json` (the envelope of tests/vectors/mapping's §5.3.5 vectors: Steve
Kille's UA, behind the gateway, to jpo). The MDN -> IPN vectors (input.eml)
are written by hand. The expected.* files are written by hand-checked runs
of `mixer convert` and then kept (see README.md).

Usage: tests/vectors/reports/make_ipn_inputs.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def internet(addr):
    return {"built-in-standard-attributes": {"country-name": {"iso-3166-alpha2-code": "XX"},
                                             "administration-domain-name": {"printable": " "},
                                             "private-domain-name": {"printable": "MIXER"},
                                             "organization-name": "Gateway"},
            "built-in-domain-defined-attributes": [{"type": "RFC-822", "value": addr.replace("@", "(a)")}]}


UCL = {"country-name": {"iso-3166-alpha2-code": "GB"}, "administration-domain-name": {"printable": "GOLD 400"},
       "private-domain-identifier": {"printable": "UK.AC"}}
STEVE = {"formal-name": internet("steve@cs.ucl.ac.uk"), "free-form-name": "Steve Kille"}
KILLE_X400 = {"formal-name": {"built-in-standard-attributes": {
    "country-name": {"iso-3166-alpha2-code": "GB"}, "administration-domain-name": {"printable": "GOLD 400"},
    "private-domain-name": {"printable": "UK.AC"}, "organization-name": "ucl",
    "personal-name": {"surname": "Kille", "initials": "S"}, "organizational-unit-names": ["cs"]}}}
SUBJECT = {"user-relative-identifier": "1229.614418325(a)UK.AC.NOTT.CS"}


def message(ipn):
    envelope = {
        "message-identifier": {"global-domain-identifier": UCL, "local-identifier": "msg-1"},
        "originator-name": internet("steve@cs.ucl.ac.uk"),
        "original-encoded-information-types": {"built-in-encoded-information-types": "001"},
        "content-type": {"built-in": 22},
        "per-message-indicators": "001",
        "trace-information": [{"global-domain-identifier": UCL,
                               "domain-supplied-information": {"arrival-time": "890621084525+0100",
                                                               "routing-action": 0}}],
        "per-recipient-fields": [{"recipient-name": internet("jpo@computer-science.nottingham.ac.uk"),
                                  "originally-specified-recipient-number": 1, "per-recipient-indicators": "10001"}],
    }
    return {"type": "mts-apdu", "value": {"message": {"envelope": envelope, "content": {"hex": ""}}},
            "content": {"type": "information-object", "value": {"ipn": ipn} if ipn else {}}}


def ipn(choice, originator=STEVE, **common):
    n = {"subject-ipm": SUBJECT, "ipn-originator": originator}
    n.update(common)
    n["choice"] = choice
    return n


RETURNED = {"heading": {"this-IPM": SUBJECT, "originator": {"formal-name": internet("jpo@computer-science.nottingham.ac.uk"),
                                                            "free-form-name": "Julian Onions"},
                        "subject": "Lunch"},
            "body": [{"basic": {"ia5-text": {"parameters": {}, "data": "Lunch at one?\r\n"}}}]}

CASES = {
    # A receipt, acknowledged automatically with supplementary information: displayed.
    "rfc8098-ipn-receipt-automatic-becomes-mdn-displayed": ipn(
        {"receipt-fields": {"receipt-time": "890621084525+0100", "acknowledgment-mode": 1,
                            "suppl-receipt-info": "Read on the train"}},
        **{"conversion-eits": {"built-in-encoded-information-types": "001"}}),
    # A receipt by the user's own action (acknowledgment-mode DEFAULT manual).
    "rfc8098-ipn-receipt-manual-becomes-mdn-manual-action": ipn(
        {"receipt-fields": {"receipt-time": "890621084525+0100"}}),
    # Non-receipt, the IPM expired, returned: deleted, the IPM as message/rfc822.
    "rfc8098-ipn-non-receipt-expired-becomes-mdn-deleted": ipn(
        {"non-receipt-fields": {"non-receipt-reason": 0, "discard-reason": 0, "returned-ipm": RETURNED}}),
    # Non-receipt, auto-forwarded with a comment, to a redirected recipient: dispatched.
    "rfc8098-ipn-non-receipt-auto-forwarded-becomes-mdn-dispatched": ipn(
        {"non-receipt-fields": {"non-receipt-reason": 1, "auto-forward-comment": "Sent on to a random destination"}},
        originator=KILLE_X400, **{"ipm-intended-recipient": STEVE}),
    # The same receipt, with mapping.to_rfc822.ipn_format: text (this folder's mixer.yaml): RFC 2156 §5.3.5's text.
    "5.3.5-ipn-receipt-text-form-with-ipn-format-text": ipn(
        {"receipt-fields": {"receipt-time": "890621084525+0100", "acknowledgment-mode": 1,
                            "suppl-receipt-info": "Read on the train"}}),
}


# An IPM whose recipient asks for a receipt notification (rn): Disposition-Notification-To (RFC 8098 §2.1).
IPM_RN = {"ipm": {"heading": {"this-IPM": SUBJECT, "originator": STEVE,
                              "primary-recipients": [{"recipient": {"formal-name": internet("jpo@computer-science.nottingham.ac.uk"),
                                                                    "free-form-name": "Julian Onions"},
                                                      "notification-requests": "1"}],
                              "subject": "Lunch"},
                  "body": [{"basic": {"ia5-text": {"parameters": {}, "data": "Lunch at one?\r\n"}}}]}}


def main():
    d = os.path.join(HERE, "rfc8098-2.1-rn-request-becomes-disposition-notification-to")
    os.makedirs(d, exist_ok=True)
    m = message(None)
    m["content"]["value"] = IPM_RN
    with open(os.path.join(d, "input.json"), "w") as f:
        json.dump(m, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(d, "args"), "w") as f:
        f.write("--now 1998-01-01T00:00:00Z\n")
    for name, n in CASES.items():
        d = os.path.join(HERE, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "input.json"), "w") as f:
            json.dump(message(n), f, indent=2, ensure_ascii=False)
            f.write("\n")
        with open(os.path.join(d, "args"), "w") as f:
            f.write("--now 1998-01-01T00:00:00Z\n")


if __name__ == "__main__":
    main()
