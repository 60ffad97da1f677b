#!/usr/bin/env python3
"""proxy-client.py: a raw libvirt RPC client, for what virsh cannot send.

    proxy-client.py ADDR COMMAND [ARGS]
ADDR: tcp:HOST:PORT or unix:PATH. COMMAND:
    list                     fleet domains' names, one a line
    lookup-name NAME         "ok NAME UUID" or "error: MESSAGE"
    lookup-uuid UUID
    info NAME UUID           get_info with this name and uuid
    create FILE              create_xml of FILE's XML
    call PROC                a call with no arguments
    bigframe MB              a header claiming MB MiB: "closed" or not
    truncated                half a frame, then EOF: "closed"
    survive                  a session lists before and after another
                             client's 100 MiB header: "ok"
    many N                   N clients at once, each lists: "ok N"
    slow N                   N calls whose replies are not read (MiBs of
                             capabilities), meanwhile another client
                             lists within 5 s: "ok" (then all N come)
Exit status: 0 for ok, 1 for a libvirt error, 2 for anything else.
"""
import socket
import struct
import sys
import threading
import uuid as uuidmod

PROG, VERS = 0x20008086, 1
CALL, REPLY, MESSAGE = 0, 1, 2
P_OPEN, P_INFO, P_BY_NAME, P_BY_UUID = 1, 16, 23, 24
P_CREATE, P_AUTH_LIST, P_LIST_ALL = 10, 66, 273


def xstr(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


class Reader:
    def __init__(self, data):
        self.d, self.o = data, 0

    def u32(self):
        v = struct.unpack_from(">I", self.d, self.o)[0]
        self.o += 4
        return v

    def bytes(self, n):
        v = self.d[self.o:self.o + n]
        self.o += n + (-n % 4)
        return v

    def string(self):
        return self.bytes(self.u32()).decode(errors="replace")

    def dom(self):
        name = self.string()
        uid = self.bytes(16)
        self.u32()
        return name, uuidmod.UUID(bytes=uid)


class LibvirtError(Exception):
    pass


class Conn:
    def __init__(self, addr, timeout=30):
        kind, _, rest = addr.partition(":")
        if kind == "unix":
            self.s = socket.socket(socket.AF_UNIX)
            self.s.settimeout(timeout)
            self.s.connect(rest)
        else:
            host, _, port = rest.rpartition(":")
            self.s = socket.create_connection((host, int(port)), timeout)
        self.serial = 0

    def send_frame(self, proc, body, typ=CALL):
        self.serial += 1
        hdr = struct.pack(">IIIiIII", 28 + len(body), PROG, VERS, proc,
                          typ, self.serial, 0)
        self.s.sendall(hdr + body)
        return self.serial

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.s.recv(n - len(buf))
            if not chunk:
                raise EOFError("connection closed")
            buf += chunk
        return buf

    def recv_frame(self):
        n = struct.unpack(">I", self.recv_exact(4))[0]
        rest = self.recv_exact(n - 4)
        prog, vers, proc, typ, serial, status = struct.unpack_from(
            ">IIiIII", rest)
        return prog, proc, typ, serial, status, rest[24:]

    def call(self, proc, body=b""):
        serial = self.send_frame(proc, body)
        while True:
            prog, rproc, typ, rserial, status, data = self.recv_frame()
            if prog != PROG or typ != REPLY or rserial != serial:
                continue        # keepalive, events
            if status == 1:
                r = Reader(data)
                r.u32()
                r.u32()
                msg = r.string() if r.u32() else "(no message)"
                raise LibvirtError(msg)
            return Reader(data)

    def open(self):
        self.call(P_AUTH_LIST)
        self.call(P_OPEN, struct.pack(">I", 1) + xstr("qemu:///system") +
                  struct.pack(">I", 0))

    def list(self):
        r = self.call(P_LIST_ALL, struct.pack(">II", 1, 0))
        return [r.dom()[0] for _ in range(r.u32())]


def many(addr, n):
    results = [None] * n
    conns = [Conn(addr, timeout=60) for _ in range(n)]

    def one(i):
        try:
            conns[i].open()
            conns[i].list()
            results[i] = True
        except Exception as e:      # noqa: BLE001
            results[i] = e
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    bad = [r for r in results if r is not True]
    if bad:
        print("failed %d of %d: %s" % (len(bad), n, bad[0]))
        return 2
    print("ok %d" % n)
    return 0


def closed(c):
    try:
        c.s.settimeout(10)
        while c.s.recv(4096):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def main(argv):
    addr, cmd, args = argv[1], argv[2], argv[3:]
    if cmd == "many":
        return many(addr, int(args[0]))
    c = Conn(addr)
    if cmd == "bigframe":
        c.open()
        c.s.sendall(struct.pack(">IIIiIII", int(args[0]) << 20, PROG, VERS,
                                P_LIST_ALL, CALL, 99, 0))
        print("closed" if closed(c) else "still open")
        return 0
    if cmd == "slow":
        c.open()
        for _ in range(int(args[0])):
            c.send_frame(7, b"")            # connect_get_capabilities
        other = Conn(addr, timeout=5)
        other.open()
        other.list()
        got = 0
        while got < int(args[0]):
            if c.recv_frame()[2] == REPLY:
                got += 1
        print("ok")
        return 0
    if cmd == "survive":
        c.open()
        before = c.list()
        bad = Conn(addr)
        bad.open()
        bad.s.sendall(struct.pack(">IIIiIII", 100 << 20, PROG, VERS,
                                  P_LIST_ALL, CALL, 99, 0))
        if not closed(bad):
            print("the bad client stays")
            return 2
        after = c.list()
        print("ok" if before == after else "lists differ: %s %s" %
              (before, after))
        return 0
    if cmd == "truncated":
        c.open()
        c.s.sendall(struct.pack(">IIIi", 100, PROG, VERS, P_LIST_ALL))
        c.s.shutdown(socket.SHUT_WR)
        print("closed" if closed(c) else "still open")
        return 0
    c.open()
    try:
        if cmd == "list":
            for name in c.list():
                print(name)
        elif cmd == "lookup-name":
            name, uid = c.call(P_BY_NAME, xstr(args[0])).dom()
            print("ok", name, uid)
        elif cmd == "lookup-uuid":
            body = uuidmod.UUID(args[0]).bytes
            name, uid = c.call(P_BY_UUID, body).dom()
            print("ok", name, uid)
        elif cmd == "info":
            body = (xstr(args[0]) + uuidmod.UUID(args[1]).bytes +
                    struct.pack(">i", -1))
            r = c.call(P_INFO, body)
            print("ok state", r.u32())
        elif cmd == "create":
            with open(args[0], "rb") as f:
                xml = f.read()
            name, uid = c.call(P_CREATE, xstr(xml) +
                               struct.pack(">I", 0)).dom()
            print("ok", name, uid)
        elif cmd == "call":
            c.call(int(args[0]))
            print("ok")
        else:
            print("unknown command", cmd)
            return 2
    except LibvirtError as e:
        print("error:", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
