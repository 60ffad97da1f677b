#!/usr/bin/env python3
"""Boot programs on fleetrt under plain QEMU (TCG) and check stdout, stderr
and the control channel's final line against the same program run on the
host (busybox's applets against the host's busybox) on the same input.
usage: boot_test.py IMAGE_DIR [--qboot] [-k PATTERN[,PATTERN...]]"""
import concurrent.futures as cf, hashlib, os, random, subprocess, sys
import tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fleetvm

IMG = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FLEET_PATH", "")
RT = os.environ.get("FLEET_RUNTIME") or os.path.join(IMG, "..", "fleetrt")
QBOOT = "--qboot" in sys.argv
PATTERNS = (sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv
            else "").split(",")
ENV = dict(os.environ, LC_ALL="C")
ALL256 = bytes(range(256))
rng = random.Random(2)
TEXT = b"".join(rng.choice([b"alpha ", b"Beta\t", b"gamma\n", b"  ", b"\n",
                            b"d\xc3\xa9lta ", b"x\x01y ", b"\r\f\v", b"zz"])
                for _ in range(1500))
BIN = bytes(rng.randrange(256) for _ in range(30000))
cases = []


def case(fn):
    cases.append(fn)
    return fn


def host(argv, stdin=b""):
    return subprocess.run(argv, input=stdin, stdout=subprocess.PIPE,
                          env=ENV, check=False).stdout


def applet(name):
    """The host's command for an image: busybox's applet, or name."""
    path = os.path.join(IMG, name)
    if os.path.realpath(path).endswith("/busybox"):
        return [os.path.realpath(path), name]
    return [name]


def boot(name, argv, stdin=b"", **kw):
    kw.setdefault("qboot", QBOOT)
    return fleetvm.run(RT, [name] + argv, stdin=stdin,
                       initrd=os.path.join(IMG, name), **kw)


def expect(r, out, status_prefix="exit 0", err=b""):
    problems = []
    if out is not None and bytes(r.out) != out:
        problems.append("stdout %r, want %r" % (bytes(r.out[:120]),
                                                  out[:120]))
    if err is not None and bytes(r.err) != err:
        problems.append("stderr %r, want %r" % (bytes(r.err[:200]), err))
    want = status_prefix
    if status_prefix.startswith("exit") and out is not None:
        want = "%s %d %d" % (status_prefix, len(out), len(r.err))
    if not r.status.startswith(want):
        problems.append("status %r, want %r" % (r.status, want))
    return problems


def same(name, argv, stdin=b"", host_argv=None, **kw):
    """The VM and the same program on the host agree on stdout, stderr
    and the exit status."""
    h = subprocess.run(host_argv or applet(name) + argv, input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=ENV, check=False)
    return expect(boot(name, argv, stdin, **kw), h.stdout,
                  "exit %d" % h.returncode, h.stderr)


@case
def hello():
    return expect(boot("hello", []), b"Hello, world!\n")


@case
def hello_settings():
    r = fleetvm.run(RT, [], qboot=QBOOT, initrd=os.path.join(IMG, "hello"),
                    append="/x/fleetrt fleet.v=1 fleet.ip=10.0.0.2/24 -- "
                    "hello")
    return expect(r, b"Hello, world!\n")


@case
def echo_words():
    words = ["a b", "it's \"quoted\"", "<&>|;$x", "new\nline", "",
             "\u00fcn\u00efc\u00f6de \U0001F600", "%41", "--", "-x"]
    return same("echo", words)


@case
def echo_options():
    p = []
    for argv in (["-n", "no newline"], ["-e", "tab\\there\\n\\x41\\0101"],
                 ["-neE", "x\\ty"], ["-e", "stop\\cnot"], ["-q", "x"]):
        p += same("echo", argv)
    return p


@case
def echo_all_bytes():
    word = bytes(range(1, 256))
    return expect(boot("echo", [word]), word + b"\n")


@case
def cat_all_bytes():
    data = ALL256 * 64
    r = boot("cat", [], data)
    p = expect(r, data)
    if hashlib.sha256(r.out).digest() != hashlib.sha256(data).digest():
        p.append("sha256 differs")
    return p


@case
def cat_empty():
    return expect(boot("cat", ["-"], b""), b"")


@case
def upcase():
    return same("upcase", [], TEXT + ALL256, host_argv=["tr", "a-z", "A-Z"])


@case
def wc():
    p = []
    for argv in ([], ["-l"], ["-w"], ["-c"], ["-lw"], ["-m"], ["-L"],
                 ["-lwcL"], ["--lines", "--bytes"], ["-"], ["-l", "-"],
                 ["-lw", "-"]):
        for data in (TEXT, BIN, b"", b"one line no newline"):
            p += same("wc", argv, data)
    return p


@case
def head():
    p = []
    data = TEXT * 3
    for argv in ([], ["-n", "3"], ["-n3"], ["-3"], ["-c", "100"],
                 ["-c", "4K"], ["-c", "4M"], ["-c", "1kB"], ["-n", "-2"],
                 ["-c", "-5"], ["-n", "0"], ["-"]):
        p += same("head", argv, data)
    p += same("head", ["-n", "2"], b"a\nb")
    p += same("head", ["-n", "-1"], b"a\nb")
    return p


@case
def sha256sum():
    p = []
    for data in (b"", b"abc", ALL256, BIN, TEXT):
        p += same("sha256sum", [], data)
    return p


@case
def seq():
    p = []
    for argv in (["10"], ["3", "7"], ["1", "2", "10"], ["-5", "3", "5"],
                 ["10", "-3", "1"], ["5", "1"], ["-w", "1", "10"],
                 ["-w", "-5", "5"], ["-w", "010", "3", "20"], ["-s,", "1", "5"],
                 ["-s", ", ", "1", "3"], ["0"], ["-3", "-1"]):
        p += same("seq", argv)
    return p


@case
def tr():
    p = []
    for argv in (["a-z", "A-Z"], ["-d", "aeiou"], ["-s", " "],
                 ["-s", "a-z", "A-Z"], ["\\n", " "], ["-c", "a-z\\n", "_"],
                 ["[:lower:]", "[:upper:]"], ["-d", "\\000-\\037"],
                 ["abc", "x"], ["-t", "abc", "xy"], ["-cd", "[:alnum:]"],
                 ["-ds", "a", "b"], ["a-c", "[x*]"], ["[:space:]", "[.*3]-"],
                 ["\\200-\\377", "?"]):
        p += same("tr", argv, TEXT + ALL256)
    return p


@case
def yes():
    r = boot("yes", ["a", "b"], sig=(15, 0.4))
    p = expect(r, None, "signaled 15")
    if not r.out.startswith(b"a b\na b\n") or len(r.out) % 4 != 0:
        p.append("yes output %r..." % bytes(r.out[:20]))
    if r.status != "signaled 15 %d 0" % len(r.out):
        p.append("status %r for %d bytes" % (r.status, len(r.out)))
    return p


@case
def true_false():
    return expect(boot("true", ["x"]), b"") + \
        expect(boot("false", []), b"", "exit 1")


def exit_batch(values):
    p = []
    for v in values:
        r = boot("exit", [str(v)])
        if r.status != "exit %d 0 0" % (v & 255):
            p.append("exit %d: %r" % (v, r.status))
    return p


# Every status under qboot (the faster firmware); the boundaries only
# under SeaBIOS, unless qboot is missing.
if QBOOT or not os.path.exists(fleetvm.QBOOT):
    for lo in range(0, 256, 32):
        cases.append(lambda lo=lo: exit_batch(range(lo, lo + 32)))
        cases[-1].__name__ = "exit_%d_%d" % (lo, lo + 31)
else:
    cases.append(lambda: exit_batch([0, 1, 2, 42, 127, 128, 254, 255]))
    cases[-1].__name__ = "exit_boundaries"
cases.append(lambda: exit_batch([256, 257, -1]))
cases[-1].__name__ = "exit_wrap"


@case
def sleep():
    r = boot("sleep", ["0.5"])
    p = expect(r, b"")
    if r.elapsed < 0.5:
        p.append("slept only %.3f s" % r.elapsed)
    return p + expect(boot("sleep", ["x"]), None, "exit 1", None)


@case
def spin_signal():
    r = boot("spin", [], sig=(2, 0.3))
    return expect(r, b"", "signaled 2 0 0")


@case
def crash():
    p = []
    for how in ("pf", "de", "ud", "gp", "stack", "df"):
        r = boot("crash", [how], timeout=10)
        # int $8 from ring 3 is a #GP: its gate is the kernel's
        want = "crash " + {"stack": "pf", "df": "gp"}.get(how, how)
        p += expect(r, b"", want, None)
        if not r.err.startswith(b"fleetrt: ") or r.err.count(b"\n") != 1:
            p.append("%s: diagnosis %r" % (how, bytes(r.err)))
    return p


@case
def linger():
    """fleet.linger=1: after its last line the VM stays until `bye`; a
    `sig` meanwhile changes nothing. Whichever way the program ends."""
    p = []
    for name, argv, sig, want in (
            ("hello", [], None, "exit 0 14 0"),
            ("spin", [], (2, 0.3), "signaled 2 0 0"),
            ("crash", ["stack"], None, "crash pf 0 ")):
        r = boot(name, argv, settings=["fleet.linger=1"], sig=sig,
                 linger=0.3, after_end=b"sig 9\n", timeout=10)
        if not r.status.startswith(want) or r.lines[0] != "ready":
            p.append("%s: control %r, want %r" % (name, r.lines, want))
        if not r.lingered:
            p.append("%s: QEMU gone 0.3 s after the last line" % name)
        if r.bye_to_end is None or r.bye_to_end > 2:
            p.append("%s: QEMU ran on %s s after bye" % (name,
                                                          r.bye_to_end))
    return p


@case
def pool():
    """fleet.pool=1 without --: argv and settings in the `args` line."""
    p = []
    r = boot("echo", [], pool=True, args="-- echo x%20y")
    p += expect(r, b"x y\n")
    if r.lines.count("ready") != 1:
        p.append("control %r" % r.lines)
    data = ALL256 * 16
    p += expect(boot("cat", [], data, pool=True), data)
    p += expect(boot("cat", [], b"", pool=True), b"")
    word = bytes(range(1, 256))      # `args -- echo WORD`: 4095 bytes
    word += b"w" * (4095 - len("-- echo " + fleetvm.encode(word)))
    p += expect(boot("echo", [word], pool=True), word + b"\n")
    r = boot("hello", [], pool=True, args="fleet.linger=1 -- hello",
             linger=0.3)
    p += expect(r, b"Hello, world!\n")
    if not r.lingered:
        p.append("fleet.linger=1 in args: QEMU did not linger")
    r = fleetvm.run(RT, [], qboot=QBOOT, initrd=os.path.join(IMG, "hello"),
                    append="/x/fleetrt fleet.pool=1 -- hello")
    return p + expect(r, b"Hello, world!\n")


def qemu_cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu(name, argv, append=None, until=b"ready\n", end=b"sig 15\n",
             then=b"signaled"):
    """Start name with nobody reading its ports, after the control line
    until measure QEMU's CPU time for a second, then end it with the
    line end and wait for a line holding then."""
    if append is None:
        append = fleetvm.cmdline([name] + argv)
    with tempfile.TemporaryDirectory(prefix="fleetvm.") as d:
        paths, lsn = fleetvm.listen(d)
        for s in lsn:
            s.settimeout(10)
        q = subprocess.Popen(fleetvm.qemu_argv(
            RT, append, paths, QBOOT, mem=128,
            initrd=os.path.join(IMG, name)),
            stdin=subprocess.DEVNULL)
        try:
            socks = [s.accept()[0] for s in lsn]
            socks[2].settimeout(10)
            ctl = b""
            while until not in ctl:
                ctl += socks[2].recv(100)
            time.sleep(0.3)
            c0 = qemu_cpu(q.pid)
            time.sleep(1)
            used = qemu_cpu(q.pid) - c0
            socks[2].sendall(end)
            while not ctl.endswith(b"\n") or then not in ctl:
                ctl += socks[2].recv(100)
            q.wait(timeout=10)
            return used, ctl.decode()
        finally:
            if q.poll() is None:
                q.kill()
            q.wait()
            for s in lsn:
                s.close()


@case
def idle_waits_halt():
    """A blocked writer, a reader without input, a sleeper: all halt."""
    p = []
    for name, argv in (("yes", []), ("cat", []), ("sleep", ["100"])):
        used, ctl = idle_cpu(name, argv)
        if used > 0.25:
            p.append("%s used %.2f s of CPU in 1 s of waiting" % (name, used))
        if "signaled 15 " not in ctl:
            p.append("%s: control %r" % (name, ctl))
    return p


@case
def idle_pool_linger_halt():
    """Waiting for `args` (pool) and for `bye` (linger) halts too; a
    `sig` ends an unclaimed pool VM, `bye` a lingering one."""
    p = []
    used, ctl = idle_cpu("cat", [], append="fleet.pool=1")
    if used > 0.25 or ctl != "ready\nsignaled 15 0 0\n":
        p.append("pool: %.2f s of CPU, control %r" % (used, ctl))
    used, ctl = idle_cpu("hello", [], append="fleet.linger=1 -- hello",
                         until=b"exit 0 14 0\n", end=b"bye\n", then=b"")
    if used > 0.25 or ctl != "ready\nexit 0 14 0\n":
        p.append("linger: %.2f s of CPU, control %r" % (used, ctl))
    return p


@case
def acpi_power_button():
    """virDomainShutdown's power button reaches spin as SIGTERM."""
    with tempfile.TemporaryDirectory(prefix="fleetvm.") as d:
        f = [os.path.join(d, "com%d" % i) for i in (1, 2, 3)]
        argv = fleetvm.qemu_argv(RT, "-- spin", [], QBOOT, mem=128,
                                 initrd=os.path.join(IMG, "spin"))
        for path in f:
            argv += ["-serial", "file:" + path]
        q = subprocess.Popen(argv + ["-monitor", "stdio"],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        try:
            t0 = time.monotonic()
            while time.monotonic() - t0 < 10 and not (
                    os.path.exists(f[2]) and b"ready" in open(f[2], "rb").read()):
                time.sleep(0.05)
            q.stdin.write(b"system_powerdown\n")
            q.stdin.flush()
            q.wait(timeout=15)
        finally:
            if q.poll() is None:
                q.kill()
                q.wait()
            q.stdin.close()
        ctl = open(f[2], "rb").read()
    if ctl != b"ready\nsignaled 15 0 0\n":
        return ["control %r" % ctl]
    return []


def malformed(line, what, pool=False):
    """exit 125 with the message; `ready` only if the line was pool
    mode's `args` line."""
    if pool:
        r = boot("echo", [], pool=True, args=line, timeout=10)
    else:
        r = fleetvm.run(RT, [], append=line, qboot=QBOOT, timeout=10,
                        initrd=os.path.join(IMG, "echo"))
    msg = b"fleetrt: malformed command line: " + what
    p = expect(r, b"", "exit 125", None)
    if not r.err.startswith(msg):
        p.append("stderr %r, want %r..." % (bytes(r.err), msg))
    if ("ready" in r.lines) != pool:
        p.append("%r: control %r" % (line[:40], r.lines))
    return p


@case
def malformed_cmdline():
    return (malformed("/img/echo echo hi", b"no -- ") +
            malformed("fleet.v=1 echo", b"no -- ") +
            malformed("-- echo a%zz", b"bad %-escape in word 1") +
            malformed("-- echo a%4", b"bad %-escape in word 1") +
            malformed("-- echo %00", b"encoded NUL byte in word 1") +
            malformed("-- echo a\"b", b"raw byte not allowed in word 1") +
            malformed("--", b"no program name") +
            malformed("-- " + "x" * 4100, b"longer than 4095 bytes"))


@case
def pool_malformed_args():
    return (malformed("echo hi", b"no -- ", True) +
            malformed("", b"no -- ", True) +
            malformed("-- echo a%zz", b"bad %-escape in word 1", True) +
            malformed("fleet.v=1 -- echo a\"b",
                      b"raw byte not allowed in word 1", True) +
            malformed("--", b"no program name", True) +
            malformed("-- echo " + "x" * 4100, b"longer than 4095 bytes",
                      True))


@case
def virtio_console():
    """stdin and stdout on the virtio console: same bytes, same counts."""
    big = random.Random(8).randbytes(1 << 20)
    p = []
    for data in (ALL256 * 64, big):
        r = boot("cat", [], data, virtio=True, timeout=60)
        p += expect(r, data)
        if r.lines[:1] != ["ready virtio"]:
            p.append("cat: first line %r, want 'ready virtio'" % r.lines[:1])
    p += expect(boot("cat", [], b"", virtio=True), b"")
    p += same_virtio("wc", [], TEXT + BIN)
    for argv in (["-c"], ["-m"], ["-lc"]):
        p += same_virtio("wc", argv, big)
    p += same_virtio("head", ["-c", "700001"], big)
    for v in (0, 1, 255):
        p += expect(boot("exit", [str(v)], virtio=True), b"",
                    "exit %d" % v)
    p += expect(boot("upcase", [], b"x", virtio=True, pool=True), b"X")
    r = boot("yes", [], virtio=True, sig=(15, 1.0))
    if not r.status.startswith("signaled 15 ") or \
            len(r.out) != int(r.status.split()[2]):
        p.append("yes: %r after %d bytes" % (r.status, len(r.out)))
    r = boot("yes", ["a", "bc"], virtio=True, sig=(15, 1.0))
    if len(r.out) < 1 or r.out != (b"a bc\n" * (len(r.out) // 5 + 1))[
            :len(r.out)]:
        p.append("yes a bc: %d bytes, not the line repeated" % len(r.out))
    return p


def same_virtio(name, argv, stdin):
    return same(name, argv, stdin, virtio=True)


@case
def virtio_fallback():
    """No device, or fleet.console=uart: `ready` and COM1, as before."""
    p = []
    for kw in ({}, {"virtio": True, "settings": ["fleet.console=uart"]}):
        r = boot("cat", [], ALL256, **kw)
        p += expect(r, ALL256)
        if r.lines[:1] != ["ready"]:
            p.append("%r: first line %r, want 'ready'" % (kw, r.lines[:1]))
    return p


@case
def memory():
    """musl's and glibc's malloc, mmap and mremap, a 6 MiB stack, argv
    and the environment, on both libcs."""
    p = []
    args = ["w%d" % i for i in range(300)]
    n = sum(len(a) + 1 for a in args)
    for name in ("memtest", "memtest-glibc"):
        r = boot(name, args, settings=["fleet.env=FLEET_TEST=a%20b"],
                 timeout=60)
        want = ("malloc: ok\nmmap: ok\nstack: ok\nargc 301, %d bytes of "
                "argv\nFLEET_TEST=a b\n" % (n + len(name) + 1)).encode()
        p += ["%s: %s" % (name, x) for x in expect(r, want)]
    return p


@case
def environment():
    """fleet.env settings are the environment, in order, decoded."""
    r = boot("env", [], settings=["fleet.env=A=1", "fleet.env=B=x%0Ay",
                                  "fleet.env=C="])
    return expect(r, b"A=1\nB=x\ny\nC=\n")


@case
def bad_programs():
    """What is not a static x86-64 program crashes `exec`, saying why."""
    p = []
    with tempfile.TemporaryDirectory(prefix="fleetvm.") as d:
        text = os.path.join(d, "text")
        with open(text, "w") as f:
            f.write("#!/bin/sh\necho hi\n")
        cut = os.path.join(d, "cut")
        with open(os.path.join(IMG, "hello"), "rb") as f:
            data = f.read()
        with open(cut, "wb") as f:
            f.write(data[:3000])
        for path, what in ((text, b"not an ELF file"),
                           ("/bin/true", b"dynamically linked (PT_INTERP "),
                           (cut, b"truncated ELF")):
            r = fleetvm.run(RT, ["prog"], qboot=QBOOT, initrd=path,
                            mem=128, timeout=10)
            p += expect(r, b"", "crash exec", None)
            if what not in bytes(r.err):
                p.append("%s: stderr %r, want %r" % (path, bytes(r.err),
                                                      what))
    return p


@case
def strace():
    """fleet.strace=1: every call on stderr; a path says why it fails."""
    r = boot("cat", ["/etc/shadow"], settings=["fleet.strace=1"])
    err = bytes(r.err)
    p = expect(r, b"", "exit 1", None)
    for want in (b"fleetrt: arch_prctl(0x1002, ", b"fleetrt: open",
                 b"no such file: this VM has no files of its caller",
                 b"cat: can't open '/etc/shadow': No such file or directory",
                 b"fleetrt: exit_group(0x1) ..."):
        if want not in err:
            p.append("stderr lacks %r" % want)
    return p


@case
def one_process():
    """No fork or exec: the program is told, and says so itself."""
    r = boot("sh", ["-c", "(true); echo $?"])
    p = expect(r, None, "exit", None)
    if b"a fleet VM runs one process" not in bytes(r.err):
        p.append("stderr %r" % bytes(r.err))
    return p


def main():
    todo = [c for c in cases if any(p in c.__name__ for p in PATTERNS)]
    failed = 0
    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(max_workers=3) as ex:
        futs = {ex.submit(c): c for c in todo}
        for f in cf.as_completed(futs):
            name = futs[f].__name__
            try:
                problems = f.result()
            except Exception as e:
                problems = ["exception %r" % e]
            if problems:
                failed += 1
                print("not ok - %s" % name)
                for pr in problems[:10]:
                    print("    " + pr)
            else:
                print("ok - %s" % name)
            sys.stdout.flush()
    print("%d/%d passed in %.1f s%s" % (len(todo) - failed, len(todo),
          time.monotonic() - t0, " (qboot)" if QBOOT else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
