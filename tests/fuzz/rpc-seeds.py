#!/usr/bin/env python3
"""rpc-seeds.py DIR: seed inputs for fuzz_rpc (its format: fuzz_rpc.c)."""
import os
import struct
import sys

PROG = 0x20008086
UUID_A = bytes([0xaa, 1, 2, 3]) + bytes(12)


def xstr(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def dom(name, uuid, id_):
    return xstr(name) + uuid + struct.pack(">i", id_)


def frame(back, proc, typ, serial, body, status=0):
    hdr = struct.pack(">IIIiIII", 28 + len(body), PROG, 1, proc, typ,
                      serial, status)
    return bytes([1 if back else 0]) + hdr + body


def main(out):
    os.makedirs(out, exist_ok=True)
    other = dom("other", bytes(range(16)), 2)
    fleet = dom("fleet-a", UUID_A, 1)
    seeds = {
        "open": frame(0, 66, 0, 1, b"") + frame(0, 1, 0, 2, struct.pack(
            ">I", 1) + xstr("qemu:///system") + struct.pack(">I", 0)),
        "list": frame(0, 273, 0, 3, struct.pack(">II", 0, 0)) +
        frame(1, 273, 1, 3, struct.pack(">I", 2) + fleet + other +
              struct.pack(">I", 2)),
        "info": frame(0, 16, 0, 4, fleet) + frame(0, 16, 0, 5, other),
        "lookup": frame(0, 23, 0, 6, xstr("other")) +
        frame(0, 24, 0, 7, UUID_A) + frame(0, 22, 0, 8,
                                           struct.pack(">i", 1)),
        "events": frame(0, 316, 0, 9, struct.pack(">II", 0, 0)) +
        frame(1, 318, 2, 0, struct.pack(">I", 1) + other +
              struct.pack(">ii", 0, 0)) +
        frame(1, 107, 2, 0, fleet + struct.pack(">ii", 2, 0)),
        "create": frame(0, 10, 0, 10, xstr("<domain/>") +
                        struct.pack(">I", 0)) +
        frame(1, 10, 1, 10, fleet),
        "stream": frame(0, 201, 3, 11, b"abcd") + frame(1, 201, 3, 11,
                                                        b"efgh", 2),
    }
    for mode in (0, 1):
        for name, data in seeds.items():
            with open(os.path.join(out, "%s-%d" % (name, mode)), "wb") as f:
                f.write(bytes([mode]) + data)


if __name__ == "__main__":
    main(sys.argv[1])
