/* test_xmlpolicy: fleet's own domain XML (built by lib/domxml.c as a
 * spawn and fleetd's pool build it) passes the proxy's policy; each thing
 * a VM may not ask for, added to it, is refused by name.
 * With --seeds DIR, each document tried is also written there (fuzz
 * seeds for fuzz_xmlpolicy). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core.h"
#include "router.h"
#include "xmlpolicy.h"
#include "../unit/check.h"

#define IMAGEDIR	TEST_IMAGE_DIR		/* the build's images */
#define RUNTIME		TEST_RUNTIME		/* the build's fleetrt */
#define QEMU_NS		"http://libvirt.org/schemas/domain/qemu/1.0"
#define SEED_MAX	(16 * 1024)
#define SEED_SOCKETS	"/run/fleet-xmlpolicy"	/* fuzz_xmlpolicy's */

static char top[] = "/tmp/test_xmlpolicy.XXXXXX";
static char sockbase[128];
static const char *seeds;
static int nseeds;
static struct xmlpolicy pol;

/* A seed: xml with the socket directory fuzz_xmlpolicy's policy names
 * (it need not exist) for ours. */
static void
seed(const char *xml, size_t len)
{
	size_t k = strlen(sockbase);
	const char *p, *q;
	char path[512];
	FILE *f;

	if (seeds == NULL || xml == NULL || len > SEED_MAX)
		return;
	snprintf(path, sizeof(path), "%s/seed-%03d.xml", seeds, nseeds++);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		check_failed = 1;
		return;
	}
	for (p = xml; (q = memmem(p, len - (size_t)(p - xml), sockbase,
	    k)) != NULL; p = q + k) {
		fwrite(p, 1, (size_t)(q - p), f);
		fputs(SEED_SOCKETS, f);
	}
	fwrite(p, 1, len - (size_t)(p - xml), f);
	fclose(f);
}

/* xmlpolicy_check() on len bytes gives code, and says what. */
static void
expect_len(int line, const char *xml, size_t len, int code, const char *what)
{
	int r = xmlpolicy_check(xml, len, &pol);

	seed(xml, len);
	if (r != code || (what != NULL &&
	    strstr(fleet_last_error(), what) == NULL)) {
		fprintf(stderr, "%s:%d: got %d \"%s\", wanted %d \"%s\"\n",
		    __FILE__, line, r, r != 0 ? fleet_last_error() : "",
		    code, what ? what : "");
		check_failed = 1;
	} else if (r != 0)
		printf("refused: %s\n", fleet_last_error());
}

static void
expect_at(int line, const char *xml, int code, const char *what)
{
	expect_len(line, xml, strlen(xml), code, what);
}

#define PASS(xml)		expect_at(__LINE__, xml, 0, NULL)
#define DENY(xml, what)		expect_at(__LINE__, xml, -EACCES, what)
#define BAD(xml, what)		expect_at(__LINE__, xml, -EINVAL, what)

/* xml with add put where at first is (after it: after), malloc'd. */
static char *
put(const char *xml, const char *at, const char *add, int after,
    size_t drop)
{
	const char *p = strstr(xml, at);
	char *out;
	size_t k;

	if (p == NULL) {
		fprintf(stderr, "test: \"%s\" not in the XML\n", at);
		exit(1);
	}
	k = (size_t)(p - xml) + (after ? strlen(at) : 0);
	if (asprintf(&out, "%.*s%s%s", (int)k, xml, add, xml + k + drop) < 0)
		exit(1);
	return out;
}

/* xml with add before the first at. */
static char *
with(const char *xml, const char *at, const char *add)
{
	return put(xml, at, add, 0, 0);
}

/* xml with its first old as new. */
static char *
swap(const char *xml, const char *old, const char *new)
{
	return put(xml, old, new, 0, strlen(old));
}

/* The refusal of what `with` or `swap` made; the document goes. */
#define DENY_F(made, what) do {						\
	char *m_ = (made);						\
	expect_at(__LINE__, m_, -EACCES, what);				\
	free(m_);							\
} while (0)
#define BAD_F(made, what) do {						\
	char *m_ = (made);						\
	expect_at(__LINE__, m_, -EINVAL, what);				\
	free(m_);							\
} while (0)
#define PASS_F(made) do {						\
	char *m_ = (made);						\
	expect_at(__LINE__, m_, 0, NULL);				\
	free(m_);							\
} while (0)

/* What a lease on the fleet bridge gives a VM (lib/vmnet.c). */
static void
net_for(const char *name, struct vm_net *v)
{
	struct fleet_lease *l = &v->lease;
	size_t n = strlen(name);
	uint8_t mac[6];

	memset(v, 0, sizeof(*v));
	snprintf(v->tap, sizeof(v->tap), "fl-%s", n > 12 ? name + n - 12 :
	    name);
	snprintf(v->bridge, sizeof(v->bridge), "fleet0");
	snprintf(l->bridge, sizeof(l->bridge), "fleet0");
	snprintf(l->ip, sizeof(l->ip), "10.100.0.5");
	snprintf(l->gw, sizeof(l->gw), "10.100.0.1");
	l->prefix = 16;
	lease_mac(htonl(0x0a640005), mac);
	mac_format(mac, l->mac);
	snprintf(v->set_ip, sizeof(v->set_ip), "fleet.ip=%s/%u", l->ip,
	    l->prefix);
	snprintf(v->set_gw, sizeof(v->set_gw), "fleet.gw=%s", l->gw);
	snprintf(v->set_mac, sizeof(v->set_mac), "fleet.mac=%s", l->mac);
}

/*
 * A foreground spawn on a local connection: serial ports, stdio and the
 * file port on sockets libfleet listens on (lib/spawn.c build_xml), in
 * the VM's directory, BASE/NAME.PID/{com1,com2,ctl,stdio,files}, as
 * lib/sockdir.c lays them out (whose BASE for root is /run/libvirt/fleet,
 * whatever the URI: so not made by it here).
 */
static char *
foreground_xml(void)
{
	static const char *suffix[ST_N] = { "com1", "com2", "ctl", "stdio",
	    "files" };
	char image[] = IMAGEDIR "/hello", *argv[] = { "hello", "a b", NULL };
	char *set[] = { "fleet.linger=1", NULL }, *name, *xml = NULL;
	char dir[256], path[ST_N][300];
	struct vm_spec s;
	struct vm_net net;
	int i;

	name = vm_name(image);
	CHECK(name != NULL);
	snprintf(dir, sizeof(dir), "%s/%s.%ld", sockbase, name,
	    (long)getpid());
	CHECK(mkdir(dir, 0700) == 0);
	for (i = 0; i < ST_N; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir, suffix[i]);
	net_for(name, &net);
	vm_spec_init(&s, name, "hello", image);
	s.argv = argv;
	CHECK(fleet_cmdline_encode(set, argv, (char **)&s.cmdline) == 0);
	s.owner_uid = geteuid();
	s.parent_pid = getpid();
	s.net = &net;
	s.sock_connect = 1;
	s.console_sock = path[ST_VIRTIO];
	s.files_sock = path[ST_FILES];
	for (i = ST_COM1; i <= ST_COM3; i++)
		s.serial_sock[i] = path[i];
	CHECK(domxml_build(&s, &xml) == 0);
	free((char *)s.cmdline);
	free(name);
	return xml;
}

/* A pool VM (lib/router/pool-boot.c domain_xml): serial ports on ptys,
 * stdio and files on sockets QEMU listens on, BASE/NAME and
 * BASE/NAME.files (lib/sockdir.c sockdir_stdio_path()), detached, no
 * argv. */
static char *
pool_xml(void)
{
	char image[] = IMAGEDIR "/hello", *argv[] = { NULL };
	char *set[] = { "fleet.pool=1", "fleet.9p=1", NULL, NULL, NULL, NULL };
	char sock[256], files[300], *name, *line = NULL, *xml = NULL;
	struct vm_spec s;
	struct vm_net net;

	name = vm_name(image);
	CHECK(name != NULL);
	snprintf(sock, sizeof(sock), "%s/%s", sockbase, name);
	snprintf(files, sizeof(files), "%s.files", sock);
	net_for(name, &net);
	vmnet_settings(&net, set + 2);
	CHECK(cmdline_settings(set, &line) == 0);
	vm_spec_init(&s, name, "hello", image);
	s.kvm = 0;
	s.argv = argv;
	s.cmdline = line;
	s.owner_uid = geteuid();
	s.parent_pid = getpid();
	s.detached = 1;
	s.net = &net;
	s.console_sock = sock;
	s.files_sock = files;
	CHECK(domxml_build(&s, &xml) == 0);
	free(line);
	free(name);
	return xml;
}

/* A Linux program as a client with no sockets here (a remote one, as
 * in a VM) writes it: fleetrt boots the image itself as its module. */
static char *
linux_xml(int kvm)
{
	char image[] = IMAGEDIR "/sh", *argv[] = { "sh", "-c", "echo hi",
	    NULL };
	char *name, *xml = NULL;
	struct vm_spec s;

	name = vm_name(image);
	vm_spec_init(&s, name, "sh", image);
	s.kernel = RUNTIME;
	s.initrd = image;
	s.mem_mib = FLEET_MEM_LINUX;
	s.kvm = kvm;
	s.argv = argv;
	CHECK(fleet_cmdline_encode(NULL, argv, (char **)&s.cmdline) == 0);
	CHECK(domxml_build(&s, &xml) == 0);
	free((char *)s.cmdline);
	free(name);
	return xml;
}

/* The first source path='...' value in xml, in buf. */
static const char *
first_path(const char *xml, char *buf, size_t n)
{
	const char *p = strstr(xml, "path=\""), *e;

	CHECK(p != NULL);
	p += 6;
	e = strchr(p, '"');
	snprintf(buf, n, "%.*s", (int)(e - p), p);
	return buf;
}

/* The domain's name in xml, in buf. */
static void
domain_name(const char *xml, char *buf, size_t n)
{
	const char *p = strstr(xml, "<name>"), *e;

	CHECK(p != NULL);
	p += 6;
	e = strchr(p, '<');
	snprintf(buf, n, "%.*s", (int)(e - p), p);
}

static void
devices(const char *fg)
{
	char *m;

	DENY_F(with(fg, "</devices>", "<disk type=\"file\" device=\"disk\">"
	    "<source file=\"/etc/shadow\"/><target dev=\"vda\"/></disk>"),
	    "denied by fleet policy: <disk>");
	DENY_F(with(fg, "</devices>", "<filesystem type=\"mount\"><source "
	    "dir=\"/\"/><target dir=\"root\"/></filesystem>"), "<filesystem>");
	DENY_F(with(fg, "</devices>", "<hostdev mode=\"subsystem\" "
	    "type=\"pci\"><source><address domain=\"0\" bus=\"0\" "
	    "slot=\"2\" function=\"0\"/></source></hostdev>"), "<hostdev>");
	DENY_F(with(fg, "<serial", "<emulator>/tmp/evil</emulator>"),
	    "<emulator>");
	DENY_F(with(fg, "</domain>", "<seclabel type=\"none\"/>"),
	    "<seclabel>");
	DENY_F(with(fg, "</devices>", "<console type=\"pty\"/>"), "<console>");
	DENY_F(with(fg, "</devices>", "<graphics type=\"vnc\"/>"),
	    "<graphics>");
	DENY_F(swap(fg, "<interface type=\"bridge\">",
	    "<interface type=\"network\">"), "<interface type='network'>");
	DENY_F(swap(fg, "<interface type=\"bridge\">",
	    "<interface type=\"ethernet\">"), "<interface type='ethernet'>");
	DENY_F(swap(fg, "bridge=\"fleet0\"", "bridge=\"virbr0\""),
	    "<source bridge='virbr0'>");
	DENY_F(swap(fg, "dev=\"fl-", "dev=\"eth0"), "<target dev='eth0");
	DENY_F(with(fg, "</interface>", "<script path=\"/tmp/x\"/>"),
	    "<script>");
	DENY_F(with(fg, "</interface>", "<rom file=\"/etc/shadow\"/>"),
	    "<rom>");
	DENY_F(swap(fg, "<memballoon model=\"none\"/>",
	    "<memballoon model=\"virtio\"/>"), "model='virtio'");
	/* a <source> where it has no place */
	DENY_F(with(fg, "</devices>", "<source path=\"/x\"/>"),
	    "<source> in <devices>");
	m = with(fg, "</devices>", "<xi:include xmlns:xi="
	    "\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\"/>");
	DENY(m, "<xi:include> (namespace http://www.w3.org/2001/XInclude)");
	free(m);
}

static void
qemu_ns(const char *fg)
{
	char *m, *n;

	m = swap(fg, "<domain type=\"qemu\">", "<domain type=\"qemu\" "
	    "xmlns:qemu=\"" QEMU_NS "\">");
	/* the namespace declared and unused is no request */
	PASS(m);
	DENY_F(with(m, "</domain>", "<qemu:commandline><qemu:arg value="
	    "\"-device\"/><qemu:arg value=\"pci-assign\"/></qemu:commandline>"),
	    "denied by fleet policy: <qemu:commandline>");
	DENY_F(with(m, "</domain>", "<qemu:capabilities><qemu:del capability="
	    "\"sandbox\"/></qemu:capabilities>"), "<qemu:capabilities>");
	DENY_F(swap(m, "<domain type=\"qemu\"", "<domain qemu:x=\"1\" "
	    "type=\"qemu\""), "<domain> attribute qemu:x");
	free(m);
	m = swap(fg, "<domain type=\"qemu\">", "<domain type=\"qemu\" "
	    "xmlns:x=\"" QEMU_NS "\">");
	n = with(m, "</domain>", "<x:commandline><x:arg value=\"-s\"/>"
	    "</x:commandline>");
	DENY(n, "<qemu:commandline> (as <x:commandline>)");
	free(n);
	free(m);
	DENY_F(with(fg, "</domain>", "<commandline xmlns=\"" QEMU_NS "\">"
	    "<arg value=\"-s\"/></commandline>"),
	    "<qemu:commandline> (as <commandline>)");
	/* an undeclared prefix does not make it qemu's, nor fine */
	DENY_F(with(fg, "</domain>", "<qemu:commandline/>"),
	    "<qemu:commandline>");
	/* metadata: fleet's alone, and opaque */
	DENY_F(with(fg, "</metadata>", "<x:y xmlns:x=\"urn:x\"/>"),
	    "<x:y> in <metadata>");
	DENY_F(with(fg, "</metadata>", "<qemu:commandline xmlns:qemu=\""
	    QEMU_NS "\"/>"), "<qemu:commandline> in <metadata>");
	PASS_F(with(fg, "</fleet:proc>", "<fleet:later a=\"1\"><b/>"
	    "</fleet:later>"));
}

static void
chardevs(const char *fg, const char *pool)
{
	char path[256], name[128], out[512], *m;

	first_path(fg, path, sizeof(path));
	domain_name(fg, name, sizeof(name));
	DENY_F(swap(fg, "<serial type=\"unix\">", "<serial type=\"file\">"),
	    "<devices><serial type='file'>");
	DENY_F(swap(fg, "<serial type=\"unix\">", "<serial type=\"tcp\">"),
	    "<serial type='tcp'>");
	DENY_F(swap(fg, "<serial type=\"unix\">", "<serial type=\"dev\">"),
	    "<serial type='dev'>");
	DENY_F(swap(fg, "<serial type=\"unix\">", "<serial>"),
	    "<serial> without type");
	DENY_F(swap(fg, "<channel type=\"unix\">",
	    "<channel type=\"spicevmc\">"), "<channel type='spicevmc'>");
	DENY_F(swap(fg, "<target type=\"virtio\"", "<target type=\"guestfwd\""),
	    "<target type='guestfwd'>");
	DENY_F(with(fg, "</serial>", "<log file=\"/etc/cron.d/x\"/>"),
	    "<log>");
	DENY_F(swap(fg, path, "/tmp/evil.sock"),
	    "<serial><source path> /tmp/evil.sock: not in a socket directory");
	snprintf(out, sizeof(out), "%s-x/com1", sockbase);
	DENY_F(swap(fg, path, out), "not in a socket directory");
	snprintf(out, sizeof(out), "%s/../../../etc/x", sockbase);
	DENY_F(swap(fg, path, out), "not a plain absolute path");
	snprintf(out, sizeof(out), "%s//x", sockbase);
	DENY_F(swap(fg, path, out), "not a plain absolute path");
	/* a symbolic link out of the socket directory */
	snprintf(out, sizeof(out), "%s/out", sockbase);
	CHECK(symlink("/etc", out) == 0);
	snprintf(out, sizeof(out), "%s/out/evil.sock", sockbase);
	DENY_F(swap(fg, path, out), "leads out of a socket directory "
	    "(to /etc/evil.sock)");
	/* another VM's sockets, however named */
	snprintf(out, sizeof(out), "%s/fleet-other-0011aabb.77/stdio",
	    sockbase);
	DENY_F(swap(fg, path, out), "fleet-other-0011aabb.77/stdio: not a "
	    "socket of fleet-hello-");
	snprintf(out, sizeof(out), "%s/%sx.77/stdio", sockbase, name);
	DENY_F(swap(fg, path, out), "not a socket of");
	snprintf(out, sizeof(out), "%s/%s.77x/stdio", sockbase, name);
	DENY_F(swap(fg, path, out), "not a socket of");
	snprintf(out, sizeof(out), "%s/%s.77/a/stdio", sockbase, name);
	DENY_F(swap(fg, path, out), "not a socket of");
	snprintf(out, sizeof(out), "%s/%s.program", sockbase, name);
	DENY_F(swap(fg, path, out), "not a socket of");
	snprintf(out, sizeof(out), "%s/%s.files", sockbase, name);
	PASS_F(swap(fg, path, out));
	DENY_F(with(fg, "<memory", "<name>fleet-other</name>"),
	    "a second <name>");
	/* a socket that is a symbolic link */
	snprintf(out, sizeof(out), "%s/link.sock", sockbase);
	CHECK(symlink("/run/other.sock", out) == 0);
	DENY_F(swap(fg, path, out), "link.sock: a symbolic link");
	/* a pty is a pty: no path of the client's */
	m = swap(pool, "<serial type=\"pty\">", "<serial type=\"pty\">"
	    "<source path=\"/dev/pts/0\"/>");
	DENY(m, "<serial type='pty'> with a <source>");
	free(m);
}

/* fg's kernel as path. */
static char *
kernel(const char *fg, const char *path)
{
	char *k, *m;

	if (asprintf(&k, "<kernel>%s<", path) < 0)
		exit(1);
	m = swap(fg, "<kernel>" IMAGEDIR "/hello<", k);
	free(k);
	return m;
}

static void
os(const char *fg, const char *lx)
{
	char out[512];

	DENY_F(kernel(fg, "/etc/passwd"),
	    "<kernel> /etc/passwd: not in an image directory");
	DENY_F(kernel(fg, IMAGEDIR "/../../etc/passwd"),
	    "<kernel> " IMAGEDIR "/../../etc/passwd: not a plain absolute "
	    "path");
	DENY_F(kernel(fg, IMAGEDIR "/./hello"), "not a plain absolute path");
	DENY_F(kernel(fg, IMAGEDIR "x/hello"), "not in an image directory");
	DENY_F(kernel(fg, "hello"), "not a plain absolute path");
	DENY_F(kernel(fg, IMAGEDIR "/hello\n"), "not a plain absolute path");
	/* the link to a program an image directory holds is fine */
	PASS_F(kernel(fg, IMAGEDIR "/sh"));
	PASS_F(kernel(fg, RUNTIME));
	DENY_F(kernel(fg, RUNTIME "x"), "not in an image directory");
	DENY_F(swap(lx, "<initrd>" IMAGEDIR "/sh<", "<initrd>/etc/shadow<"),
	    "<initrd> /etc/shadow: not in an image directory");
	/* a module staged in a VM's socket directory is another's */
	snprintf(out, sizeof(out), "<initrd>%s/fleet-sh-1.2/program<",
	    sockbase);
	DENY_F(swap(lx, "<initrd>" IMAGEDIR "/sh<", out),
	    "not in an image directory");
	if (strstr(fg, "<loader") != NULL) {
		DENY_F(swap(fg, pol.loaders[0], "/tmp/evil.rom"),
		    "<loader> /tmp/evil.rom: not fleet's firmware");
		DENY_F(swap(fg, "type=\"rom\"", "type=\"pflash\""),
		    "<loader type='pflash'>");
	} else
		DENY_F(with(fg, "<kernel>", "<loader type=\"rom\">/tmp/evil.rom"
		    "</loader>"), "<loader> /tmp/evil.rom");
	DENY_F(with(fg, "<kernel>", "<nvram>/tmp/x</nvram>"), "<nvram>");
	DENY_F(with(fg, "<kernel>", "<dtb>/tmp/x</dtb>"), "<dtb>");
	DENY_F(with(fg, "<kernel>", "<acpi><table type=\"slic\">/etc/shadow"
	    "</table></acpi>"), "<acpi> in <os>");
	DENY_F(swap(fg, "<domain type=\"qemu\">", "<domain type=\"xen\">"),
	    "<domain type='xen'>");
	DENY_F(swap(fg, "<domain type=\"qemu\">", "<domain type=\"lxc\">"),
	    "<domain type='lxc'>");
	DENY_F(swap(fg, "<domain type=\"qemu\">", "<domain>"),
	    "<domain> without type");
	DENY_F(swap(fg, "<on_crash>destroy", "<on_crash>coredump-destroy"),
	    "<on_crash>coredump-destroy</on_crash>");
	DENY_F(swap(fg, "<name>fleet-", "<name>"), "<name>hello-");
	DENY_F(swap(fg, "<vcpu>1<", "<vcpu placement=\"auto\">1<"),
	    "<vcpu> attribute placement");
	DENY_F(swap(fg, "<vcpu>1<", "<vcpu>1 <"), "<vcpu>1 </vcpu>");
	DENY_F(with(fg, "<devices>", "cpus"), "text in <domain>");
}

/* What does not parse, or asks libxml2 to fetch or expand. */
static void
syntax(const char *fg)
{
	char *m, *n;

	m = with(fg, "<domain", "<!DOCTYPE domain [<!ENTITY x \"y\">]>\n");
	DENY(m, "a DOCTYPE");
	free(m);
	m = swap(fg, "<name>", "<name>&x;");
	n = with(m, "<domain", "<!DOCTYPE domain [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]>\n");
	DENY(n, "a DOCTYPE");
	free(n);
	/* no DTD: &x; is undefined */
	BAD(m, "domain XML does not parse: line ");
	free(m);
	m = with(fg, "<domain", "<!DOCTYPE domain SYSTEM "
	    "\"http://127.0.0.1:9/x.dtd\">\n");
	DENY(m, "a DOCTYPE");
	free(m);
	DENY_F(with(fg, "<name>", "<?php x ?>"),
	    "processing instruction <?php?>");
	BAD("hello, world", "does not parse");
	BAD("<domain type=\"qemu\"><name>fleet-x</name>", "does not parse");
	BAD("", "domain XML is empty");
	expect_len(__LINE__, NULL, 0, -EINVAL, "empty");
	expect_len(__LINE__, "<domain/>\0<x/>", 14, -EINVAL,
	    "a NUL byte at offset 9");
	DENY("<?xml version=\"1.0\"?><foo/>", "<foo>");
	PASS_F(with(fg, "<domain", "<!-- fleet -->"));
}

/* 2 MiB of it: refused before it is parsed. */
static void
big(const char *fg)
{
	size_t n = 2u << 20;
	char *m = malloc(n + 1), *pad;

	CHECK(m != NULL);
	memset(m, ' ', n);
	m[n] = '\0';
	memcpy(m, "<!--", 4);
	memcpy(m + n - 3, "-->", 3);
	pad = with(fg, "<domain", m);
	expect_len(__LINE__, pad, strlen(pad), -EACCES,
	    "bytes (1048576 at most)");
	free(pad);
	free(m);
}

/* libxml2 printed nothing of its own. */
static void
quiet(const char *fg)
{
	char path[256];
	struct stat st;
	int fd, saved;

	snprintf(path, sizeof(path), "%s/stderr", top);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	saved = dup(2);
	CHECK(fd >= 0 && saved >= 0);
	dup2(fd, 2);
	xmlpolicy_check("<a><b></a>", 10, &pol);
	xmlpolicy_check("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", 41,
	    &pol);
	xmlpolicy_check("<a>&x;</a>", 10, &pol);
	xmlpolicy_check("<q:a/>", 6, &pol);
	xmlpolicy_check(fg, strlen(fg) / 2, &pol);
	dup2(saved, 2);
	close(saved);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0);
	close(fd);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int
main(int argc, char **argv)
{
	const char *images[] = { IMAGEDIR, RUNTIME, NULL };
	const char *socks[] = { sockbase, NULL };
	const char *loaders[] = { domxml_loader(), NULL };
	char *fg, *pool, *lx, *lxk;

	if (argc == 3 && strcmp(argv[1], "--seeds") == 0)
		seeds = argv[2];
	if (mkdtemp(top) == NULL) {
		perror(top);
		return 1;
	}
	snprintf(sockbase, sizeof(sockbase), "%s/fleet", top);
	CHECK(mkdir(sockbase, 0711) == 0);
	pol.image_dirs = images;
	pol.socket_dirs = socks;
	pol.loaders = loaders;
	fg = foreground_xml();
	pool = pool_xml();
	lx = linux_xml(0);
	lxk = linux_xml(1);
	CHECK(fg != NULL && pool != NULL && lx != NULL && lxk != NULL);
	if (check_failed)
		return 1;
	/* fleet's own */
	PASS(fg);
	PASS(pool);
	PASS(lx);
	PASS(lxk);
	devices(fg);
	qemu_ns(fg);
	chardevs(fg, pool);
	os(fg, lx);
	syntax(fg);
	big(fg);
	quiet(fg);
	/* another bridge, when fleetd runs with one */
	pol.bridge = "fleet1";
	DENY(fg, "<source bridge='fleet0'>");
	pol.bridge = NULL;
	pol.image_dirs = NULL;
	DENY(fg, "not in an image directory");
	CHECK(xmlpolicy_check(fg, strlen(fg), NULL) == -EACCES);
	free(fg);
	free(pool);
	free(lx);
	free(lxk);
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
