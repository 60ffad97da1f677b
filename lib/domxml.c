/* domxml.c: fleet domain XML and its metadata, built and read with libxml2 */
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <fleet/argv.h>
#include "internal.h"

#define QBOOT	"/usr/share/qemu/qboot.rom"
#define X(s)	((const xmlChar *)(s))

/* libxml2 sets itself up on first use, and not safely from two
 * threads at once (fleet_job_spawn_all() builds XML on several). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	pthread_once(&xml_once, xmlInitParser);
}

static xmlNodePtr
text_child(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *val)
{
	return xmlNewTextChild(parent, ns, X(name), X(val));
}

static xmlNodePtr
num_child(xmlNodePtr parent, xmlNsPtr ns, const char *name, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return text_child(parent, ns, name, buf);
}

/* bare: without the namespace, which virDomainSetMetadata() adds */
static void
add_meta(xmlNodePtr md, const struct vm_spec *s, int bare)
{
	xmlNodePtr p, args;
	xmlNsPtr ns = NULL;
	char enc[FLEET_CMDLINE_MAX + 1];
	size_t i;

	p = xmlNewChild(md, NULL, X("proc"), NULL);
	if (!bare) {
		ns = xmlNewNs(p, X(FLEET_XMLNS), X("fleet"));
		xmlSetNs(p, ns);
	}
	text_child(p, ns, "program", s->program);
	text_child(p, ns, "image", s->image);
	args = xmlNewChild(p, ns, X("argv"), NULL);
	for (i = 0; s->argv[i] != NULL; i++) {
		fleet_word_encode(s->argv[i], enc, sizeof(enc));
		text_child(args, ns, "arg", enc);
	}
	num_child(p, ns, "owner", s->owner_uid);
	num_child(p, ns, "parent", s->parent_pid);
	num_child(p, ns, "start", s->start_time);
	num_child(p, ns, "detached", s->detached ? 1 : 0);
}

static void
add_os(xmlNodePtr dom, const struct vm_spec *s)
{
	xmlNodePtr os, n;

	os = xmlNewChild(dom, NULL, X("os"), NULL);
	n = text_child(os, NULL, "type", "hvm");
	xmlNewProp(n, X("arch"), X("x86_64"));
	xmlNewProp(n, X("machine"), X("pc"));
	if (s->loader != NULL) {
		n = text_child(os, NULL, "loader", s->loader);
		xmlNewProp(n, X("type"), X("rom"));
	}
	text_child(os, NULL, "kernel", s->kernel != NULL ? s->kernel :
	    s->image);
	if (s->initrd != NULL)
		text_child(os, NULL, "initrd", s->initrd);
	text_child(os, NULL, "cmdline", s->cmdline);
}

/* The NIC on the fleet bridge, through a tap named after the VM. */
static void
add_nic(xmlNodePtr devs, const struct vm_net *v)
{
	xmlNodePtr n, c;

	n = xmlNewChild(devs, NULL, X("interface"), NULL);
	xmlNewProp(n, X("type"), X("bridge"));
	c = xmlNewChild(n, NULL, X("source"), NULL);
	xmlNewProp(c, X("bridge"), X(v->bridge));
	c = xmlNewChild(n, NULL, X("target"), NULL);
	xmlNewProp(c, X("dev"), X(v->tap));
	c = xmlNewChild(n, NULL, X("mac"), NULL);
	xmlNewProp(c, X("address"), X(v->lease.mac));
	c = xmlNewChild(n, NULL, X("model"), NULL);
	xmlNewProp(c, X("type"), X("virtio"));
}

/*
 * stdin and stdout: virtio-serial port 1 on a unix socket (port 0 is
 * QEMU's virtconsole, which drops bytes when the reader is slow). Two
 * ports, not QEMU's 31: each port's two queues get an ioeventfd when
 * the guest starts the device, and 64 of them grew QEMU's fd table,
 * which in a threaded process waits for an RCU grace period (one
 * eventfd2 call took 42 ms; perf trace).
 */
static void
add_port(xmlNodePtr devs, const char *path, const char *mode,
    const char *name, const char *port)
{
	xmlNodePtr n, t;

	n = xmlNewChild(devs, NULL, X("channel"), NULL);
	xmlNewProp(n, X("type"), X("unix"));
	t = xmlNewChild(n, NULL, X("source"), NULL);
	xmlNewProp(t, X("mode"), X(mode));
	xmlNewProp(t, X("path"), X(path));
	t = xmlNewChild(n, NULL, X("target"), NULL);
	xmlNewProp(t, X("type"), X("virtio"));
	xmlNewProp(t, X("name"), X(name));
	t = xmlNewChild(n, NULL, X("address"), NULL);
	xmlNewProp(t, X("type"), X("virtio-serial"));
	xmlNewProp(t, X("controller"), X("0"));
	xmlNewProp(t, X("bus"), X("0"));
	xmlNewProp(t, X("port"), X(port));
}

/* Port 2, when there is one, carries the caller's files (9P). */
static void
add_channels(xmlNodePtr devs, const struct vm_spec *s, const char *mode)
{
	xmlNodePtr n;

	n = xmlNewChild(devs, NULL, X("controller"), NULL);
	xmlNewProp(n, X("type"), X("virtio-serial"));
	xmlNewProp(n, X("index"), X("0"));
	xmlNewProp(n, X("ports"), X(s->files_sock != NULL ? "3" : "2"));
	add_port(devs, s->console_sock, mode, "org.fleet.stdio", "1");
	if (s->files_sock != NULL)
		add_port(devs, s->files_sock, mode, "org.fleet.files", "2");
}

static void
add_devices(xmlNodePtr dom, const struct vm_spec *s)
{
	const char *mode = s->sock_connect ? "connect" : "bind";
	xmlNodePtr devs, n, t;
	char port[4];
	int i;

	devs = xmlNewChild(dom, NULL, X("devices"), NULL);
	for (i = 0; i < 3; i++) {
		n = xmlNewChild(devs, NULL, X("serial"), NULL);
		if (s->serial_sock[i] != NULL) {
			xmlNewProp(n, X("type"), X("unix"));
			t = xmlNewChild(n, NULL, X("source"), NULL);
			xmlNewProp(t, X("mode"), X(mode));
			xmlNewProp(t, X("path"), X(s->serial_sock[i]));
		} else
			xmlNewProp(n, X("type"), X("pty"));
		t = xmlNewChild(n, NULL, X("target"), NULL);
		snprintf(port, sizeof(port), "%d", i);
		xmlNewProp(t, X("port"), X(port));
	}
	if (s->console_sock != NULL)
		add_channels(devs, s, mode);
	if (s->net != NULL)
		add_nic(devs, s->net);
	n = xmlNewChild(devs, NULL, X("controller"), NULL);
	xmlNewProp(n, X("type"), X("usb"));
	xmlNewProp(n, X("model"), X("none"));
	n = xmlNewChild(devs, NULL, X("memballoon"), NULL);
	xmlNewProp(n, X("model"), X("none"));
}

static xmlDocPtr
build(const struct vm_spec *s)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr dom, n;

	dom = xmlNewNode(NULL, X("domain"));
	xmlDocSetRootElement(doc, dom);
	xmlNewProp(dom, X("type"), X(s->kvm ? "kvm" : "qemu"));
	text_child(dom, NULL, "name", s->name);
	n = num_child(dom, NULL, "memory", s->mem_mib);
	xmlNewProp(n, X("unit"), X("MiB"));
	num_child(dom, NULL, "vcpu", 1);
	add_meta(xmlNewChild(dom, NULL, X("metadata"), NULL), s, 0);
	add_os(dom, s);
	n = xmlNewChild(dom, NULL, X("features"), NULL);
	xmlNewChild(n, NULL, X("acpi"), NULL);
	/*
	 * A foreground VM runs with fleet.linger=1: after its last control
	 * line it waits to be destroyed, so QEMU's pty keeps its last bytes
	 * until libfleet has read them. A power-off or reset before that is
	 * the end of the program, never a second run.
	 */
	text_child(dom, NULL, "on_poweroff", "destroy");
	text_child(dom, NULL, "on_reboot", "destroy");
	text_child(dom, NULL, "on_crash", "destroy");
	add_devices(dom, s);
	return doc;
}

const char *
domxml_loader(void)
{
	return access(QBOOT, R_OK) == 0 ? QBOOT : NULL;
}

int
domxml_build(const struct vm_spec *s, char **xmlp)
{
	xmlDocPtr doc;
	xmlChar *out = NULL;
	int len = 0;

	xml_init();
	*xmlp = NULL;
	if ((doc = build(s)) == NULL)
		return fleet_seterr(-ENOMEM, "%s: domain XML: out of memory",
		    s->name);
	xmlDocDumpFormatMemory(doc, &out, &len, 1);
	xmlFreeDoc(doc);
	if (out == NULL)
		return fleet_seterr(-ENOMEM, "%s: domain XML: out of memory",
		    s->name);
	*xmlp = strdup((char *)out);
	xmlFree(out);
	return *xmlp ? 0 : fleet_seterr(-ENOMEM, "%s: out of memory", s->name);
}

/* The <fleet:proc> element alone: a claimed pool VM's new metadata. */
int
domxml_meta(const struct vm_spec *s, char **xmlp)
{
	xmlDocPtr doc;
	xmlNodePtr md;
	xmlBufferPtr buf;
	int r = -ENOMEM;

	xml_init();
	doc = xmlNewDoc(X("1.0"));
	md = xmlNewNode(NULL, X("metadata"));
	buf = xmlBufferCreate();
	*xmlp = NULL;
	if (doc != NULL && md != NULL && buf != NULL) {
		xmlDocSetRootElement(doc, md);
		add_meta(md, s, 1);
		if (xmlNodeDump(buf, doc, md->children, 0, 0) > 0 &&
		    (*xmlp = strdup((const char *)xmlBufferContent(buf))))
			r = 0;
	} else if (md != NULL)
		xmlFreeNode(md);
	xmlBufferFree(buf);
	xmlFreeDoc(doc);
	return r < 0 ? fleet_seterr(r, "%s: metadata: out of memory",
	    s->name) : 0;
}

/*
 * The <proc> element's child, namespaced in a domain's XML, bare in what
 * virDomainGetMetadata() returns.
 */
static xmlXPathObjectPtr
meta_eval(xmlXPathContextPtr ctx, const char *path)
{
	char expr[160];

	snprintf(expr, sizeof(expr), "//*[local-name()='proc']/%s", path);
	return xmlXPathEvalExpression(X(expr), ctx);
}

static char *
xpath_str(xmlXPathContextPtr ctx, const char *child)
{
	xmlXPathObjectPtr o;
	char path[64];
	char *s = NULL;

	snprintf(path, sizeof(path), "*[local-name()='%s']", child);
	if ((o = meta_eval(ctx, path)) == NULL)
		return NULL;
	if (o->nodesetval != NULL && o->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[0]);

		s = strdup(c ? (char *)c : "");
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
	return s;
}

static int64_t
xpath_num(xmlXPathContextPtr ctx, const char *expr)
{
	char *s = xpath_str(ctx, expr);
	int64_t v = s ? strtoll(s, NULL, 10) : -1;

	free(s);
	return v;
}

static int
read_argv(xmlXPathContextPtr ctx, char ***argvp)
{
	xmlXPathObjectPtr o;
	xmlNodeSetPtr ns;
	char **argv;
	int i, n, r = 0;

	o = meta_eval(ctx, "*[local-name()='argv']/*[local-name()='arg']");
	if (o == NULL)
		return -EINVAL;
	ns = o->nodesetval;
	n = ns ? ns->nodeNr : 0;
	if ((argv = calloc((size_t)n + 1, sizeof(*argv))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n && r == 0; i++) {
		xmlChar *c = xmlNodeGetContent(ns->nodeTab[i]);

		r = fleet_word_decode(c ? (char *)c : "%", &argv[i]);
		xmlFree(c);
	}
	if (r < 0) {
		while (i-- > 0)
			free(argv[i]);
		free(argv);
		goto out;
	}
	*argvp = argv;
out:
	xmlXPathFreeObject(o);
	return r;
}

/*
 * Read fleet metadata (the <fleet:proc> element, alone or inside a whole
 * domain XML) into info's program, argv, owner, parent, start, detached.
 */
int
domxml_meta_parse(const char *xml, struct fleet_proc_info *info)
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx = NULL;
	int r = -EINVAL;

	xml_init();
	doc = xmlReadMemory(xml, (int)strlen(xml), "meta.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || (ctx = xmlXPathNewContext(doc)) == NULL)
		goto out;
	if ((info->program = xpath_str(ctx, "program")) == NULL)
		goto out;
	info->image = xpath_str(ctx, "image");
	info->owner_uid = (unsigned)xpath_num(ctx, "owner");
	info->parent_pid = (long)xpath_num(ctx, "parent");
	info->start_time = xpath_num(ctx, "start");
	info->detached = xpath_num(ctx, "detached") == 1;
	r = read_argv(ctx, &info->argv);
out:
	if (r < 0) {
		free(info->program);
		free(info->image);
		info->program = info->image = NULL;
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return r;
}

/*
 * The host ends of the serial ports' ptys (serial0..2), as libvirt filled
 * them into a running domain's XML; malloc'd, NULL where there is none.
 */
int
domxml_ptys(const char *xml, char *paths[3])
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx = NULL;
	xmlXPathObjectPtr o = NULL;
	int i, n;

	xml_init();
	paths[0] = paths[1] = paths[2] = NULL;
	doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || (ctx = xmlXPathNewContext(doc)) == NULL ||
	    (o = xmlXPathEvalExpression(X("/domain/devices/serial"
	    "[@type='pty']/source/@path"), ctx)) == NULL)
		goto out;
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	for (i = 0; i < n && i < 3; i++) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[i]);

		paths[i] = c ? strdup((char *)c) : NULL;
		xmlFree(c);
	}
out:
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return paths[2] != NULL ? 0 : -ENOENT;
}
