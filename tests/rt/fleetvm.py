#!/usr/bin/env python3
"""Boot one fleet image under plain QEMU (TCG), wire its three ports to
unix sockets, feed stdin, collect stdout, stderr and the control lines.

CLI: fleetvm.py [--qboot] [--stdin FILE] [--out FILE] [--err FILE]
                [--sig N@SECONDS] [--timeout S] [--pool] [--linger]
                [--virtio] [--initrd PROGRAM] [--set fleet.KEY=VALUE]
                IMAGE [ARGV0 ARGS...]
prints the last control line (`exit 0 14 0`, ...) or `timeout`.
--pool boots with `fleet.pool=1` and sends argv in an `args` line;
--linger boots with `fleet.linger=1` and says `bye` after the last line;
--virtio adds a virtio console (virtio-serial-pci + virtserialport nr=1) for
stdin and stdout."""
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
        self.lingered = None    # QEMU still ran `linger` s after the end
        self.bye_to_end = None  # seconds from `bye` to QEMU's ports closing

    @property
    def lines(self):
        return self.ctl.decode(errors="replace").splitlines()

    @property
    def status(self):
        if self.timeout:
            return "timeout"
        ls = [l for l in self.lines if l.split(" ")[0] != "ready"]
        return ls[-1] if ls else "none"

    def ended(self):
        """The guest's final line (exit, signaled, crash) is in."""
        return any(l.startswith(FINAL) for l in
                   self.ctl.decode(errors="replace").split("\n")[:-1])


FINAL = ("exit ", "signaled ", "crash ")


def qemu_argv(image, append, paths, qboot=False, mem=16, virtio=None,
              initrd=None):
    """virtio: a socket path for a virtio console, or None; initrd: the
    program for the x86-64 kernel (image), or None."""
    a = ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-nodefaults",
         "-display", "none", "-no-reboot", "-m", str(mem),
         "-kernel", image, "-append", append]
    if initrd is not None:
        a += ["-initrd", initrd]
    if qboot:
        a += ["-bios", QBOOT]
    for i, p in enumerate(paths):
        a += ["-chardev", "socket,id=s%d,path=%s" % (i, p),
              "-serial", "chardev:s%d" % i]
    if virtio is not None:
        a += ["-chardev", "socket,id=vc,path=%s" % virtio,
              "-device", "virtio-serial-pci",
              "-device", "virtserialport,chardev=vc,nr=1"]
    return a


def run(image, argv, stdin=b"", qboot=False, timeout=20.0, sig=None,
        append=None, send_eof=True, limit=None, settings=(), pool=False,
        args=None, linger=None, after_end=b"", virtio=False, initrd=None,
        mem=None):
    """Run image with argv; sig = (N, seconds) sends `sig N` then.
    limit: stop reading stdout after that many bytes (then kill).
    settings: `fleet.` words for the kernel command line.
    pool: boot with `fleet.pool=1` and no `--`, then send `args ARGS`
    after `ready` (ARGS: args, else argv encoded), stdin after that.
    linger: seconds to wait after the final line before sending `bye`
    (for `fleet.linger=1`, which settings or args must hold);
    after_end: control bytes to send as soon as the final line is in.
    virtio: add a virtio console; stdin goes there, and stdout is what
    comes from it and COM1.
    initrd: the static program the x86-64 kernel image runs (mem: MiB,
    default 16, 128 with initrd)."""
    r = Result()
    settings = list(settings)
    if pool:
        if args is None:
            args = cmdline(argv)
        settings.append("fleet.pool=1")
    if append is None:
        append = " ".join(settings) if pool else cmdline(argv, settings)
    with tempfile.TemporaryDirectory(prefix="fleetvm.") as d:
        paths, lsn = listen(d, virtio)
        t0 = time.monotonic()
        if mem is None:
            mem = 128 if initrd is not None else 16
        q = subprocess.Popen(qemu_argv(image, append, paths[:3], qboot,
                                       mem=mem, initrd=initrd,
                                       virtio=paths[3] if virtio else None),
                             stdin=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        try:
            socks = accept_all(lsn, q, t0 + timeout)
            if socks is None:
                r.timeout = True
                return r
            ctl = b"args %s\n" % args.encode() if args is not None else b""
            pump(r, q, socks, stdin, send_eof, sig, t0, timeout, limit,
                 ctl, linger, after_end)
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


def listen(d, virtio=False):
    """Unix sockets com1..com3 (and vc) in d for QEMU to connect to."""
    paths = [os.path.join(d, "com%d" % i) for i in (1, 2, 3)]
    if virtio:
        paths.append(os.path.join(d, "vc"))
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


def pump(r, q, socks, stdin, send_eof, sig, t0, timeout, limit,
         ctl_out=b"", linger=None, after_end=b""):
    """ctl_out: control bytes to send first (an `args` line); stdin
    waits for them. linger: see run()."""
    com1, com2, com3 = socks[:3]
    bufs = {com1: r.out, com2: r.err, com3: r.ctl}
    if len(socks) > 3:
        bufs[socks[3]] = r.out
    pending = bytes(stdin)
    hold = len(ctl_out)
    ctl_out += b"eof %d\n" % len(stdin) if send_eof else b""
    open_ = set(socks)
    final = bye = None
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
        if linger is not None and final is None and r.ended():
            final = now
            ctl_out += after_end
        if final is not None and bye is None and now - final >= linger:
            r.lingered = q.poll() is None
            ctl_out += b"bye\n"
            bye = now
        wr = []
        words = r.ctl.split(b"\n")[0].split(b" ") if b"\n" in r.ctl else []
        ready = words[:1] == [b"ready"]
        if b"virtio" in words[1:] and len(socks) > 3:
            com1 = socks[3]     # stdin goes to the virtio console
        if ready and pending and hold == 0 and com1 in open_:
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
                hold = max(0, hold - n)
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
    if bye is not None:
        r.bye_to_end = time.monotonic() - bye


def main(args):
    opts = {"qboot": False, "stdin": b"", "out": None, "err": None,
            "sig": None, "timeout": 20.0, "pool": False, "linger": False,
            "virtio": False, "initrd": None, "set": []}
    while args and args[0].startswith("--"):
        o = args.pop(0)
        if o in ("--qboot", "--pool", "--linger", "--virtio"):
            opts[o[2:]] = True
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
        elif o == "--initrd":
            opts["initrd"] = args.pop(0)
        elif o == "--set":
            opts["set"].append(args.pop(0))
    image, argv = args[0], args[1:] or [os.path.basename(args[0])]
    r = run(image, argv, stdin=opts["stdin"], qboot=opts["qboot"],
            timeout=opts["timeout"], sig=opts["sig"], pool=opts["pool"],
            settings=opts["set"] + (["fleet.linger=1"] if opts["linger"]
                                    else []),
            linger=0 if opts["linger"] else None, virtio=opts["virtio"],
            initrd=opts["initrd"])
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
