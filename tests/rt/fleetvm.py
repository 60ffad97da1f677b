#!/usr/bin/env python3
"""Boot one fleet image under plain QEMU (TCG), wire its three ports to
unix sockets, feed stdin, collect stdout, stderr and the control lines.

CLI: fleetvm.py [--qboot] [--stdin FILE] [--out FILE] [--err FILE]
                [--sig N@SECONDS] [--timeout S] IMAGE [ARGV0 ARGS...]
prints the last control line (`exit 0 14 0`, ...) or `timeout`."""
import os, select, socket, subprocess, sys, tempfile, time

SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
           b"0123456789-_.~/,:=+@")
QBOOT = "/usr/share/qemu/qboot.rom"


def encode(word):
    if isinstance(word, str):
        word = word.encode()
    if word == b"":
        return "%"
    return "".join(chr(c) if c in SAFE else "%%%02X" % c for c in word)


def cmdline(argv, settings=()):
    return " ".join(list(settings) + ["--"] + [encode(w) for w in argv])


class Result:
    def __init__(self):
        self.out = bytearray()
        self.err = bytearray()
        self.ctl = bytearray()
        self.timeout = False
        self.elapsed = 0.0
        self.first_out = self.last_out = None   # monotonic times
        self.first_in = self.last_ctl = None

    @property
    def lines(self):
        return self.ctl.decode(errors="replace").splitlines()

    @property
    def status(self):
        if self.timeout:
            return "timeout"
        ls = [l for l in self.lines if l != "ready"]
        return ls[-1] if ls else "none"


def qemu_argv(image, append, paths, qboot=False, mem=16):
    a = ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-nodefaults",
         "-display", "none", "-no-reboot", "-m", str(mem),
         "-kernel", image, "-append", append]
    if qboot:
        a += ["-bios", QBOOT]
    for i, p in enumerate(paths):
        a += ["-chardev", "socket,id=s%d,path=%s" % (i, p),
              "-serial", "chardev:s%d" % i]
    return a


def run(image, argv, stdin=b"", qboot=False, timeout=20.0, sig=None,
        append=None, send_eof=True, limit=None):
    """Run image with argv; sig = (N, seconds) sends `sig N` then.
    limit: stop reading stdout after that many bytes (then kill)."""
    r = Result()
    if append is None:
        append = cmdline(argv)
    with tempfile.TemporaryDirectory(prefix="fleetvm.") as d:
        paths, lsn = listen(d)
        t0 = time.monotonic()
        q = subprocess.Popen(qemu_argv(image, append, paths, qboot),
                             stdin=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        try:
            socks = accept_all(lsn, q, t0 + timeout)
            if socks is None:
                r.timeout = True
                return r
            pump(r, q, socks, stdin, send_eof, sig, t0, timeout, limit)
        finally:
            if q.poll() is None:
                q.kill()
            q.wait()
            r.qemu_err = q.stderr.read()
            q.stderr.close()
            for s in lsn:
                s.close()
        r.elapsed = time.monotonic() - t0
    return r


def listen(d):
    """Unix sockets com1..com3 in d for QEMU to connect to."""
    paths = [os.path.join(d, "com%d" % i) for i in (1, 2, 3)]
    lsn = []
    for p in paths:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(p)
        s.listen(1)
        lsn.append(s)
    return paths, lsn


def accept_all(lsn, q, deadline):
    socks = []
    for s in lsn:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            c, _ = s.accept()
        except socket.timeout:
            return None
        c.setblocking(False)
        socks.append(c)
    return socks


def pump(r, q, socks, stdin, send_eof, sig, t0, timeout, limit):
    com1, com2, com3 = socks
    bufs = {com1: r.out, com2: r.err, com3: r.ctl}
    pending = bytes(stdin)
    ctl_out = b"eof %d\n" % len(stdin) if send_eof else b""
    open_ = set(socks)
    while open_:
        now = time.monotonic()
        if now - t0 > timeout:
            r.timeout = True
            return
        if sig is not None and now - t0 >= sig[1]:
            ctl_out += b"sig %d\n" % sig[0]
            sig = None
        if limit is not None and len(r.out) >= limit:
            return
        wr = []
        ready = r.ctl.startswith(b"ready\n")
        if ready and pending and com1 in open_:
            wr.append(com1)
        if ready and ctl_out and com3 in open_:
            wr.append(com3)
        rd, wr, _ = select.select(list(open_), wr, [], 0.05)
        for s in wr:
            data = pending if s is com1 else ctl_out
            try:
                n = s.send(data[:65536])
            except (BlockingIOError, BrokenPipeError, ConnectionError):
                continue
            if s is com1:
                pending = pending[n:]
                if r.first_in is None:
                    r.first_in = time.monotonic()
            else:
                ctl_out = ctl_out[n:]
        for s in rd:
            try:
                data = s.recv(65536)
            except (BlockingIOError, ConnectionError):
                data = b"" if q.poll() is not None else None
            if data is None:
                continue
            if not data:
                open_.discard(s)
                continue
            if s is com3:
                r.last_ctl = time.monotonic()
            if s is com1:
                r.last_out = time.monotonic()
                if r.first_out is None:
                    r.first_out = r.last_out
            bufs[s] += data


def main(args):
    opts = {"qboot": False, "stdin": b"", "out": None, "err": None,
            "sig": None, "timeout": 20.0}
    while args and args[0].startswith("--"):
        o = args.pop(0)
        if o == "--qboot":
            opts["qboot"] = True
        elif o == "--stdin":
            with open(args.pop(0), "rb") as f:
                opts["stdin"] = f.read()
        elif o in ("--out", "--err"):
            opts[o[2:]] = args.pop(0)
        elif o == "--sig":
            n, t = args.pop(0).split("@")
            opts["sig"] = (int(n), float(t))
        elif o == "--timeout":
            opts["timeout"] = float(args.pop(0))
    image, argv = args[0], args[1:] or [os.path.basename(args[0])]
    r = run(image, argv, stdin=opts["stdin"], qboot=opts["qboot"],
            timeout=opts["timeout"], sig=opts["sig"])
    for k, data in (("out", r.out), ("err", r.err)):
        if opts[k]:
            with open(opts[k], "wb") as f:
                f.write(data)
        else:
            (sys.stdout if k == "out" else sys.stderr).buffer.write(data)
    sys.stdout.flush()
    print(r.status, file=sys.stderr)
    return 124 if r.timeout else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
