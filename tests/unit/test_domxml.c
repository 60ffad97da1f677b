/* test_domxml: the domain XML, parsed back with libxml2 */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include "internal.h"
#include "check.h"

static xmlDocPtr doc;
static xmlXPathContextPtr ctx;

/* The document q() asks, parsed from xml (NULL: none); 1 if it parsed. */
static int
parse(const char *xml)
{
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	ctx = NULL;
	doc = xml ? xmlReadMemory(xml, (int)strlen(xml), "d.xml", NULL, 0) :
	    NULL;
	if (doc == NULL)
		return 0;
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"f",
	    (const xmlChar *)FLEET_XMLNS);
	return 1;
}

static char *
q(const char *expr)
{
	static char buf[512];
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr,
	    ctx);

	buf[0] = '\0';
	if (o != NULL && o->type == XPATH_STRING)
		snprintf(buf, sizeof(buf), "%s", (char *)o->stringval);
	else if (o != NULL && o->type == XPATH_NUMBER)
		snprintf(buf, sizeof(buf), "%g", o->floatval);
	xmlXPathFreeObject(o);
	return buf;
}

int
main(void)
{
	char *const argv[] = { "echo", "a b", "<x&y>", "c'd", "\x01", "",
	    NULL };
	struct vm_spec s = { .name = "fleet-echo-0011aabb", .program = "echo",
	    .image = "/img/echo & co", .argv = argv,
	    .cmdline = "fleet.v=1 -- echo a%20b", .loader = "/rom",
	    .mem_mib = 16, .owner_uid = 1000, .parent_pid = 4242,
	    .start_time = 1700000000, .detached = 1 };
	struct fleet_proc_info info = { 0 };
	char *xml;
	int i;

	CHECK(domxml_build(&s, &xml) == 0);
	CHECK(parse(xml));
	CHECK_STR(q("string(/domain/@type)"), "qemu");
	CHECK_STR(q("string(/domain/name)"), "fleet-echo-0011aabb");
	CHECK_STR(q("string(/domain/memory)"), "16");
	CHECK_STR(q("string(/domain/memory/@unit)"), "MiB");
	CHECK_STR(q("string(/domain/vcpu)"), "1");
	CHECK_STR(q("string(/domain/os/type/@machine)"), "pc");
	CHECK_STR(q("string(/domain/os/loader/@type)"), "rom");
	CHECK_STR(q("string(/domain/os/loader)"), "/rom");
	CHECK_STR(q("string(/domain/os/kernel)"), "/img/echo & co");
	CHECK_STR(q("string(/domain/os/cmdline)"), "fleet.v=1 -- echo a%20b");
	CHECK_STR(q("count(/domain/features/acpi)"), "1");
	CHECK_STR(q("string(/domain/on_poweroff)"), "destroy");
	CHECK_STR(q("string(/domain/on_reboot)"), "destroy");
	CHECK_STR(q("string(/domain/on_crash)"), "destroy");
	CHECK_STR(q("count(/domain/devices/serial[@type='pty'])"), "3");
	for (i = 0; i < 3; i++) {
		char e[128];

		snprintf(e, sizeof(e), "count(/domain/devices/serial/target"
		    "[@port='%d'])", i);
		CHECK_STR(q(e), "1");
	}
	CHECK_STR(q("string(/domain/devices/controller[@type='usb']/@model)"),
	    "none");
	CHECK_STR(q("string(/domain/devices/memballoon/@model)"), "none");
	CHECK_STR(q("count(/domain/devices/graphics)"), "0");
	CHECK_STR(q("string(/domain/metadata/f:proc/f:program)"), "echo");
	CHECK_STR(q("count(/domain/metadata/f:proc/f:argv/f:arg)"), "6");
	CHECK_STR(q("string(/domain/metadata/f:proc/f:owner)"), "1000");
	CHECK(domxml_meta_parse(xml, &info) == 0);
	CHECK_STR(info.program, "echo");
	CHECK_STR(info.image, "/img/echo & co");
	CHECK(info.owner_uid == 1000 && info.parent_pid == 4242);
	CHECK(info.start_time == 1700000000 && info.detached == 1);
	for (i = 0; argv[i] != NULL; i++)
		CHECK_STR(info.argv[i], argv[i]);
	CHECK(info.argv[i] == NULL);
	for (i = 0; info.argv[i] != NULL; i++)
		free(info.argv[i]);
	free(info.argv);
	free(info.program);
	free(info.image);
	memset(&info, 0, sizeof(info));
	CHECK(domxml_meta_parse("<proc><program>x</program><argv><arg>a%zz"
	    "</arg></argv></proc>", &info) == -EINVAL);
	s.kvm = 1;
	s.loader = NULL;
	free(xml);
	CHECK(domxml_build(&s, &xml) == 0);
	CHECK(strstr(xml, "type=\"kvm\"") != NULL);
	CHECK(strstr(xml, "<loader") == NULL);
	free(xml);
	/* COM3 on a unix socket: the third serial binds it, the others pty */
	s.serial_sock[2] = "/run/x/fleet-echo.ctl";
	CHECK(domxml_build(&s, &xml) == 0);
	CHECK(parse(xml));
	CHECK_STR(q("string(/domain/devices/serial[target/@port='2']/@type)"),
	    "unix");
	CHECK_STR(q("string(/domain/devices/serial[target/@port='2']/source"
	    "[@mode='bind']/@path)"), "/run/x/fleet-echo.ctl");
	CHECK_STR(q("count(/domain/devices/serial[@type='pty'])"), "2");
	free(xml);
	/* all three on sockets (a foreground VM on a local connection) */
	s.serial_sock[0] = "/run/x/fleet-echo.com1";
	s.serial_sock[1] = "/run/x/fleet-echo.com2";
	CHECK(domxml_build(&s, &xml) == 0);
	CHECK(parse(xml));
	CHECK_STR(q("count(/domain/devices/serial[@type='pty'])"), "0");
	CHECK_STR(q("string(/domain/devices/serial[target/@port='1']/source"
	    "/@path)"), "/run/x/fleet-echo.com2");
	CHECK_STR(q("count(/domain/devices/channel)"), "0");
	free(xml);
	/* stdio on virtio-serial port 1, a controller of two ports */
	s.console_sock = "/run/x/fleet-echo";
	CHECK(domxml_build(&s, &xml) == 0);
	CHECK(parse(xml));
	CHECK_STR(q("string(/domain/devices/controller[@type='virtio-serial']"
	    "/@ports)"), "2");
	CHECK_STR(q("string(/domain/devices/channel[target/@name="
	    "'org.fleet.stdio']/address/@port)"), "1");
	CHECK_STR(q("string(/domain/devices/channel/source/@path)"),
	    "/run/x/fleet-echo");
	CHECK_STR(q("string(/domain/devices/channel/source/@mode)"), "bind");
	free(xml);
	/* a foreground VM's: QEMU connects to libfleet's sockets */
	s.sock_connect = 1;
	CHECK(domxml_build(&s, &xml) == 0);
	CHECK(parse(xml));
	CHECK_STR(q("count(/domain/devices/*/source[@mode='connect'])"), "4");
	CHECK_STR(q("count(/domain/devices/*/source[@mode='bind'])"), "0");
	free(xml);
	parse(NULL);
	CHECK_DONE();
}
