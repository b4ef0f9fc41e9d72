#!/usr/bin/env python3
"""tests/vectors/p1/extract.py: regenerates the P1 test vectors from the
reference captures (../shared/reference/captures): one hex file per TCP
segment that carries data, named FRAME-DIRECTION-WHAT.hex, holding the TCP
payload exactly as captured (one or more whole TPKTs). Needs tshark.

Usage: tests/vectors/p1/extract.py [CAPTURE_DIR]
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAPS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/reference/captures")

# capture file -> (directory, {frame: name}); I = initiator, R = responder.
FRAMES = {
    "x400-ping-success.pcap": ("ping-success", {
        4: "I-cr", 5: "R-cc", 6: "I-cn-cp-aarq-rtorq-bind", 7: "R-ac-cpa-aare-rtoac-bindres",
        8: "I-fn-rlrq", 9: "R-dn-rlre"}),
    "x400-ping-refuse.pcap": ("ping-refuse", {
        4: "I-cr", 5: "R-cc", 6: "I-cn-cp-aarq-rtorq-bind", 7: "R-rf-cpr-aare-rtorj-binderr"}),
    "pp-p1-transfer-1988.pcapng": ("pp-1988", {
        4: "I-cr", 6: "R-cc", 8: "I-cn-cp-aarq-rtorq-bind", 10: "R-ac-cpa-aare-rtoac-bindres",
        11: "I-gt-as", 13: "I-gt-dt-rttr-message+gt-ae", 15: "R-pt-aea", 16: "I-fn-rlrq",
        17: "R-dn-rlre", 18: "I-dr",
        27: "I-cr", 29: "R-cc", 31: "I-cn-cp-aarq-rtorq-bind", 32: "R-ac-cpa-aare-rtoac-bindres",
        33: "I-gt-as", 35: "I-gt-dt-rttr-message+gt-ae", 37: "R-pt-aea", 38: "I-fn-rlrq",
        39: "R-dn-rlre", 40: "I-dr"}),
    "pp-p1-transfer-x410.pcapng": ("pp-x410", {
        4: "I-cr", 6: "R-cc", 8: "I-cn-cp-x410-rtorq-bind", 9: "R-ac-cpa-x410-rtoac-bindres",
        10: "I-gt-as", 12: "I-gt-dt-message+gt-ae", 14: "R-pt-aea", 15: "I-fn", 16: "R-dn",
        17: "I-dr"}),
}

def main():
    for cap, (sub, names) in FRAMES.items():
        out = subprocess.run(["tshark", "-r", os.path.join(CAPS, cap), "-Y", "tcp.len>0",
                              "-T", "fields", "-e", "frame.number", "-e", "tcp.payload"],
                             check=True, capture_output=True, text=True).stdout
        os.makedirs(os.path.join(HERE, sub), exist_ok=True)
        for line in out.splitlines():
            num, payload = line.split("\t")
            num = int(num)
            if num not in names:
                sys.exit(f"{cap}: unexpected data frame {num}")
            path = os.path.join(HERE, sub, f"{num:02d}-{names[num]}.hex")
            with open(path, "w") as f:
                for i in range(0, len(payload), 64):
                    f.write(payload[i:i + 64] + "\n")

if __name__ == "__main__":
    main()
