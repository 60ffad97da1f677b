/* xmlpolicy.c: the domain XML a VM-side client may create: a whitelist
 * of what fleet's own domain XML holds (lib/domxml.c), all else refused */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "core.h"
#include "xmlpolicy.h"

#define QEMU_XMLNS	"http://libvirt.org/schemas/domain/qemu/1.0"
#define DENY		"denied by fleet policy: "
#define NAME_MAX_LEN	100
#define S(s)		((const char *)(s))
#define deny		xmlpolicy_deny

/* What a text or an attribute's value must be. */
enum value {
	V_BLANK,	/* text: white space only (an element of elements) */
	V_ANY,
	V_LIST,		/* one of the words of list */
	V_NUM,		/* a decimal number, nine digits at most */
	V_NAME,		/* a fleet VM's domain name */
	V_MAC,
	V_TAP,		/* a tap fleet would name: fl-... */
	V_BRIDGE,	/* the policy's bridge */
	V_SOCKET,	/* a path in socket_dirs */
	V_IMAGE,	/* a path in image_dirs */
	V_LOADER,	/* one of loaders */
};

struct attr {
	const char *name;
	enum value v;
	const char *list;	/* V_LIST's words */
	int required;
};

struct elem {
	const char *parent;	/* NULL: the root */
	const char *name;
	enum value text;
	const char *list;	/* V_LIST's words */
	const struct attr *attrs;
	int (*check)(xmlNodePtr n);
	int meta;		/* children: fleet's opaque metadata */
};

static int	check_serial(xmlNodePtr n);

#define ATTR(name, v, list)	{ name, v, list, 0 }
#define NEED(name, v, list)	{ name, v, list, 1 }
#define END			{ NULL, V_ANY, NULL, 0 }

static const struct attr a_none[] = { END };
static const struct attr a_domain[] = {
	NEED("type", V_LIST, "qemu kvm"), END };
static const struct attr a_memory[] = {
	ATTR("unit", V_LIST, "KiB MiB GiB"), END };
static const struct attr a_ostype[] = {
	ATTR("arch", V_LIST, "x86_64"), ATTR("machine", V_LIST, "pc"), END };
static const struct attr a_loader[] = {
	NEED("type", V_LIST, "rom"), END };
static const struct attr a_serial[] = {
	NEED("type", V_LIST, "pty unix"), END };
static const struct attr a_channel[] = {
	NEED("type", V_LIST, "unix"), END };
static const struct attr a_chr_source[] = {
	ATTR("mode", V_LIST, "bind connect"), NEED("path", V_SOCKET, NULL),
	END };
static const struct attr a_serial_target[] = {
	ATTR("port", V_NUM, NULL), END };
static const struct attr a_channel_target[] = {
	NEED("type", V_LIST, "virtio"),
	ATTR("name", V_LIST, "org.fleet.stdio org.fleet.files"), END };
static const struct attr a_channel_address[] = {
	NEED("type", V_LIST, "virtio-serial"), ATTR("controller", V_NUM, NULL),
	ATTR("bus", V_NUM, NULL), ATTR("port", V_NUM, NULL), END };
static const struct attr a_controller[] = {
	NEED("type", V_LIST, "virtio-serial usb"), ATTR("index", V_NUM, NULL),
	ATTR("ports", V_NUM, NULL), ATTR("model", V_LIST, "none"), END };
static const struct attr a_interface[] = {
	NEED("type", V_LIST, "bridge"), END };
static const struct attr a_if_source[] = {
	NEED("bridge", V_BRIDGE, NULL), END };
static const struct attr a_if_target[] = {
	NEED("dev", V_TAP, NULL), END };
static const struct attr a_if_mac[] = {
	NEED("address", V_MAC, NULL), END };
static const struct attr a_if_model[] = {
	NEED("type", V_LIST, "virtio"), END };
static const struct attr a_memballoon[] = {
	NEED("model", V_LIST, "none"), END };

#define LEAF(parent, name, text, list, attrs) \
	{ parent, name, text, list, attrs, NULL, 0 }
#define NODE(parent, name, attrs) \
	{ parent, name, V_BLANK, NULL, attrs, NULL, 0 }

/* Every element lib/domxml.c writes, where it writes it. */
static const struct elem elems[] = {
	NODE(NULL, "domain", a_domain),
	LEAF("domain", "name", V_NAME, NULL, a_none),
	LEAF("domain", "memory", V_NUM, NULL, a_memory),
	LEAF("domain", "vcpu", V_NUM, NULL, a_none),
	{ "domain", "metadata", V_BLANK, NULL, a_none, NULL, 1 },
	NODE("domain", "os", a_none),
	LEAF("os", "type", V_LIST, "hvm", a_ostype),
	LEAF("os", "loader", V_LOADER, NULL, a_loader),
	LEAF("os", "kernel", V_IMAGE, NULL, a_none),
	LEAF("os", "initrd", V_IMAGE, NULL, a_none),
	LEAF("os", "cmdline", V_ANY, NULL, a_none),
	NODE("domain", "features", a_none),
	NODE("features", "acpi", a_none),
	LEAF("domain", "on_poweroff", V_LIST, "destroy", a_none),
	LEAF("domain", "on_reboot", V_LIST, "destroy", a_none),
	LEAF("domain", "on_crash", V_LIST, "destroy", a_none),
	NODE("domain", "devices", a_none),
	{ "devices", "serial", V_BLANK, NULL, a_serial, check_serial, 0 },
	NODE("serial", "source", a_chr_source),
	NODE("serial", "target", a_serial_target),
	NODE("devices", "channel", a_channel),
	NODE("channel", "source", a_chr_source),
	NODE("channel", "target", a_channel_target),
	NODE("channel", "address", a_channel_address),
	NODE("devices", "controller", a_controller),
	NODE("devices", "interface", a_interface),
	NODE("interface", "source", a_if_source),
	NODE("interface", "target", a_if_target),
	NODE("interface", "mac", a_if_mac),
	NODE("interface", "model", a_if_model),
	NODE("devices", "memballoon", a_memballoon),
};

int
xmlpolicy_deny(const char *fmt, ...)
{
	char buf[400], *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (c = buf; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return fleet_seterr(-EACCES, DENY "%s", buf);
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	xmlInitParser();
}

static int
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static const struct elem *
rule_of(const char *parent, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(elems) / sizeof(elems[0]); i++)
		if (same(elems[i].parent, parent) &&
		    strcmp(elems[i].name, name) == 0)
			return &elems[i];
	return NULL;
}

/* An element's name as a message shows it: qemu's with "qemu:". */
static void
shown(const xmlChar *name, xmlNsPtr ns, char *buf, size_t n)
{
	const char *pre = ns == NULL ? NULL : S(ns->prefix);

	if (ns != NULL && same(S(ns->href), QEMU_XMLNS))
		pre = "qemu";
	if (pre != NULL)
		snprintf(buf, n, "%.40s:%.60s", pre, S(name));
	else
		snprintf(buf, n, "%.60s", S(name));
}

/* An element (of no elem: an element) or attribute in a namespace not
 * fleet's. */
static int
deny_ns(const xmlChar *elem, const xmlChar *name, xmlNsPtr ns)
{
	char buf[128], on[80] = "", as[128] = "";

	shown(name, ns, buf, sizeof(buf));
	if (elem != NULL)
		snprintf(on, sizeof(on), "<%.60s> attribute ", S(elem));
	if (!same(S(ns->href), QEMU_XMLNS))
		return deny("%s%s%s%s (namespace %.100s)", on,
		    elem ? "" : "<", buf, elem ? "" : ">", S(ns->href));
	if (!same(S(ns->prefix), "qemu"))
		snprintf(as, sizeof(as), " (as %s%s%s%.60s%s)", elem ? "" : "<",
		    ns->prefix ? S(ns->prefix) : "", ns->prefix ? ":" : "",
		    S(name), elem ? "" : ">");
	return deny("%s%s%s%s%s", on, elem ? "" : "<", buf, elem ? "" : ">",
	    as);
}

static int
deny_elem(xmlNodePtr n, const char *parent)
{
	char buf[128];
	size_t i;

	if (n->ns != NULL)
		return deny_ns(NULL, n->name, n->ns);
	shown(n->name, NULL, buf, sizeof(buf));
	for (i = 0; i < sizeof(elems) / sizeof(elems[0]); i++)
		if (strcmp(elems[i].name, S(n->name)) == 0)
			return deny("<%s> in <%s>", buf,
			    parent != NULL ? parent : "(the document)");
	return deny("<%s>", buf);
}

/* The nodes that are neither elements nor text. */
static int
deny_node(xmlNodePtr n)
{
	switch (n->type) {
	case XML_ENTITY_REF_NODE:
		return deny("entity reference &%.60s;", S(n->name));
	case XML_PI_NODE:
		return deny("processing instruction <?%.60s?>", S(n->name));
	case XML_DTD_NODE:
		return deny("a DOCTYPE");
	case XML_XINCLUDE_START:
	case XML_XINCLUDE_END:
		return deny("XInclude");
	default:
		return deny("an XML node of type %d", (int)n->type);
	}
}

/* ---- values ---- */

/* A walk over one document. */
struct walk {
	const struct xmlpolicy *pol;
	const char *name;	/* the domain's */
};

static int
in_list(const char *v, const char *list)
{
	size_t n = strlen(v);
	const char *c;

	if (n == 0)
		return 0;
	for (c = list; (c = strstr(c, v)) != NULL; c += n)
		if ((c == list || c[-1] == ' ') && (c[n] == ' ' ||
		    c[n] == '\0'))
			return 1;
	return 0;
}

static int
all_of(const char *v, const char *set)
{
	return v[strspn(v, set)] == '\0';
}

#define DIGITS	"0123456789"
#define NAMECH	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
		DIGITS "-_."

static int
mac_ok(const char *v)
{
	int i;

	if (strlen(v) != 17)
		return 0;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? v[i] != ':' : !isxdigit((unsigned char)v[i]))
			return 0;
	return 1;
}

/* 1 if v may be what kind says (V_SOCKET .. V_LOADER: 0 or an error). */
static int
value_ok(enum value kind, const char *list, const char *v,
    const struct walk *w, const char *what)
{
	size_t i, n = strlen(v);
	int r;

	switch (kind) {
	case V_BLANK:
	case V_ANY:
		return 1;
	case V_LIST:
		return in_list(v, list);
	case V_NUM:
		return n > 0 && n <= 9 && all_of(v, DIGITS);
	case V_NAME:
		return n > strlen(FLEET_PREFIX) && n <= NAME_MAX_LEN &&
		    strncmp(v, FLEET_PREFIX, strlen(FLEET_PREFIX)) == 0 &&
		    all_of(v, NAMECH);
	case V_MAC:
		return mac_ok(v);
	case V_TAP:
		return n > 3 && n < 16 && strncmp(v, "fl-", 3) == 0 &&
		    all_of(v, NAMECH);
	case V_BRIDGE:
		return strcmp(v, w->pol->bridge != NULL ? w->pol->bridge :
		    XMLPOLICY_BRIDGE) == 0;
	case V_SOCKET:
		if ((r = xmlpath_check(what, v, w->pol->socket_dirs,
		    "a socket directory", 1)) < 0)
			return r;
		if (!xmlpath_own_socket(v, w->pol->socket_dirs, w->name))
			return deny("%s %.200s: not a socket of %.100s's own",
			    what, v, w->name != NULL ? w->name : "the domain");
		return 0;
	case V_IMAGE:
		return xmlpath_check(what, v, w->pol->image_dirs,
		    "an image directory", 0);
	case V_LOADER:
		for (i = 0; w->pol->loaders != NULL && w->pol->loaders[i]; i++)
			if (strcmp(v, w->pol->loaders[i]) == 0)
				return 0;
		return deny("%s %.200s: not fleet's firmware", what, v);
	}
	abort();
}

/* 0 if v passes, else -EACCES with a message (path kinds say why). */
static int
value_check(enum value kind, const char *list, const char *v,
    const struct walk *w, const char *what, const char *say)
{
	int r = value_ok(kind, list, v, w, what);

	if (kind == V_SOCKET || kind == V_IMAGE || kind == V_LOADER)
		return r;
	return r ? 0 : deny("%s", say);
}

/* ---- the tree ---- */

/* An attribute as messages show it: "<serial><source path>". */
static void
attr_what(xmlNodePtr n, const char *parent, const char *attr, char *buf,
    size_t len)
{
	if (parent != NULL)
		snprintf(buf, len, "<%s><%s %.40s>", parent, S(n->name), attr);
	else
		snprintf(buf, len, "<%s %.40s>", S(n->name), attr);
}

static int
check_attr(xmlNodePtr n, const char *parent, const struct attr *a,
    xmlAttrPtr p, const struct walk *w)
{
	char what[96], say[400];
	xmlChar *v = xmlNodeGetContent((xmlNodePtr)p);
	const char *val = v != NULL ? S(v) : "";
	int e;

	attr_what(n, parent, a->name, what, sizeof(what));
	if (parent != NULL)
		snprintf(say, sizeof(say), "<%s><%s %s='%.200s'>", parent,
		    S(n->name), a->name, val);
	else
		snprintf(say, sizeof(say), "<%s %s='%.200s'>", S(n->name),
		    a->name, val);
	e = value_check(a->v, a->list, val, w, what, say);
	xmlFree(v);
	return e;
}

static int
check_attrs(xmlNodePtr n, const struct elem *r, const char *parent,
    const struct walk *w)
{
	const struct attr *a;
	xmlAttrPtr p;
	int e = 0;

	for (p = n->properties; p != NULL && e == 0; p = p->next) {
		if (p->ns != NULL)
			return deny_ns(n->name, p->name, p->ns);
		for (a = r->attrs; a->name != NULL; a++)
			if (strcmp(a->name, S(p->name)) == 0)
				break;
		if (a->name == NULL)
			return deny("<%s> attribute %.60s", S(n->name),
			    S(p->name));
		e = check_attr(n, parent, a, p, w);
	}
	for (a = r->attrs; a->name != NULL && e == 0; a++)
		if (a->required && xmlHasProp(n, BAD_CAST a->name) == NULL)
			e = deny("<%s> without %s", S(n->name), a->name);
	return e;
}

/* A leaf's text (an element of elements has its own checked by
 * check_kids()). */
static int
check_text(xmlNodePtr n, const struct elem *r, const struct walk *w)
{
	char what[64], say[400];
	xmlChar *v;
	int e;

	if (r->text == V_BLANK)
		return 0;
	if ((v = xmlNodeGetContent(n)) == NULL)
		return fleet_seterr(-ENOMEM, "domain XML: out of memory");
	snprintf(what, sizeof(what), "<%s>", S(n->name));
	snprintf(say, sizeof(say), "<%s>%.200s</%s>", S(n->name), S(v),
	    S(n->name));
	e = value_check(r->text, r->list, S(v), w, what, say);
	xmlFree(v);
	return e;
}

/* A serial port on a pty names no path of its own. */
static int
check_serial(xmlNodePtr n)
{
	xmlNodePtr c;
	xmlChar *t = xmlGetProp(n, BAD_CAST "type");
	int pty = t != NULL && strcmp(S(t), "pty") == 0;

	xmlFree(t);
	for (c = n->children; pty && c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp(S(c->name), "source") == 0)
			return deny("<serial type='pty'> with a <source>");
	return 0;
}

/* Inside fleet's metadata any element goes; other nodes as elsewhere. */
static int
check_opaque(xmlNodePtr n)
{
	xmlNodePtr c;
	int e;

	for (c = n->children; c != NULL; c = c->next)
		switch (c->type) {
		case XML_ELEMENT_NODE:
			if ((e = check_opaque(c)) < 0)
				return e;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
		case XML_COMMENT_NODE:
			break;
		default:
			return deny_node(c);
		}
	return 0;
}

static int
check_meta(xmlNodePtr n)
{
	char buf[128];

	if (n->ns == NULL || !same(S(n->ns->href), FLEET_XMLNS)) {
		shown(n->name, n->ns, buf, sizeof(buf));
		return deny("<%s> in <metadata> (only fleet's, " FLEET_XMLNS
		    ")", buf);
	}
	return check_opaque(n);
}

static int	check_elem(xmlNodePtr n, const char *parent,
		    const struct walk *w);

static int
check_kids(xmlNodePtr n, const struct elem *r, const struct walk *w)
{
	xmlNodePtr c;
	int e = 0;

	for (c = n->children; c != NULL && e == 0; c = c->next)
		switch (c->type) {
		case XML_ELEMENT_NODE:
			e = r->meta ? check_meta(c) : check_elem(c, r->name,
			    w);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (r->text == V_BLANK && c->content != NULL &&
			    !all_of(S(c->content), " \t\r\n"))
				e = deny("text in <%s>", S(n->name));
			break;
		case XML_COMMENT_NODE:
			break;
		default:
			e = deny_node(c);
		}
	return e;
}

static int
check_elem(xmlNodePtr n, const char *parent, const struct walk *w)
{
	const struct elem *r;
	int e;

	if (n->ns != NULL || (r = rule_of(parent, S(n->name))) == NULL)
		return deny_elem(n, parent);
	if ((e = check_attrs(n, r, parent, w)) < 0 ||
	    (r->check != NULL && (e = r->check(n)) < 0) ||
	    (e = check_kids(n, r, w)) < 0)
		return e;
	return check_text(n, r, w);
}

/* The domain's name, for its sockets: one <name>, or none. */
static int
name_of(xmlNodePtr root, xmlChar **namep)
{
	xmlNodePtr c;

	*namep = NULL;
	for (c = root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && c->ns == NULL &&
		    strcmp(S(c->name), "name") == 0) {
			if (*namep != NULL)
				return deny("a second <name>");
			if ((*namep = xmlNodeGetContent(c)) == NULL)
				return fleet_seterr(-ENOMEM, "domain XML: out "
				    "of memory");
		}
	return 0;
}

static int
check_doc(xmlDocPtr doc, const struct xmlpolicy *pol)
{
	struct walk w = { .pol = pol };
	xmlChar *name = NULL;
	xmlNodePtr c, root;
	int e;

	if (doc->intSubset != NULL || doc->extSubset != NULL)
		return deny("a DOCTYPE");
	for (c = doc->children; c != NULL; c = c->next)
		if (c->type != XML_ELEMENT_NODE && c->type != XML_COMMENT_NODE)
			return deny_node(c);
	if ((root = xmlDocGetRootElement(doc)) == NULL)
		return fleet_seterr(-EINVAL, "domain XML: no <domain>");
	if ((e = name_of(root, &name)) == 0) {
		w.name = S(name);
		e = check_elem(root, NULL, &w);
	}
	xmlFree(name);
	return e;
}

/* ---- parsing ---- */

struct parse {
	int doctype;
	char err[200];
};

/* libxml2's errors, kept (the first) rather than printed. */
static void
on_error(void *arg, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = arg;
	struct parse *p = ctxt != NULL ? ctxt->_private : NULL;
	size_t n;

	if (p == NULL || e == NULL || e->level < XML_ERR_ERROR ||
	    p->err[0] != '\0')
		return;
	snprintf(p->err, sizeof(p->err), "line %d: %s", e->line,
	    e->message != NULL ? e->message : "error");
	n = strlen(p->err);
	while (n > 0 && (p->err[n - 1] == '\n' || p->err[n - 1] == ' '))
		p->err[--n] = '\0';
}

/* A DOCTYPE stops the parse before its declarations are read. */
static void
on_doctype(void *arg, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = arg;

	((struct parse *)ctxt->_private)->doctype = 1;
	xmlStopParser(ctxt);
}

static int
parse(const char *xml, size_t len, xmlDocPtr *docp)
{
	xmlStructuredErrorFunc old = xmlStructuredError;
	void *oldctx = xmlStructuredErrorContext;
	struct parse p = { .doctype = 0 };
	xmlParserCtxtPtr ctxt;

	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return fleet_seterr(-ENOMEM, "domain XML: out of memory");
	ctxt->_private = &p;
	ctxt->sax->serror = on_error;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->externalSubset = on_doctype;
	xmlSetStructuredErrorFunc(ctxt, on_error);
	*docp = xmlCtxtReadMemory(ctxt, xml, (int)len, "domain.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(oldctx, old);
	xmlFreeParserCtxt(ctxt);
	if (p.doctype) {
		xmlFreeDoc(*docp);
		*docp = NULL;
		return deny("a DOCTYPE (no DTD, no entity declarations)");
	}
	if (*docp == NULL)
		return fleet_seterr(-EINVAL, "domain XML does not parse: %s",
		    p.err[0] != '\0' ? p.err : "not well-formed");
	return 0;
}

int
xmlpolicy_check(const char *xml, size_t len, const struct xmlpolicy *pol)
{
	static const struct xmlpolicy none;
	const char *nul;
	xmlDocPtr doc;
	int r;

	fleet_clearerr();
	if (xml == NULL || len == 0)
		return fleet_seterr(-EINVAL, "domain XML is empty");
	if (len > XMLPOLICY_MAX)
		return deny("domain XML of %zu bytes (%d at most)", len,
		    XMLPOLICY_MAX);
	if ((nul = memchr(xml, '\0', len)) != NULL)
		return fleet_seterr(-EINVAL, "domain XML has a NUL byte at "
		    "offset %zu", (size_t)(nul - xml));
	pthread_once(&xml_once, xml_init);
	if ((r = parse(xml, len, &doc)) < 0)
		return r;
	r = check_doc(doc, pol != NULL ? pol : &none);
	xmlFreeDoc(doc);
	return r;
}
