/* fuzz_xmlpolicy.c: any bytes as a VM-side client's domain XML into the
 * proxy's policy (libFuzzer); what it lets through, read again with
 * XPath, holds nothing fleet's XML does not. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include "core.h"
#include "xmlpolicy.h"

#define QBOOT	"/usr/share/qemu/qboot.rom"

/* as test_xmlpolicy --seeds writes them */
static const char *const images[] = { FUZZ_IMAGE_DIR, FUZZ_RUNTIME, NULL };
static const char *const socks[] = { "/run/fleet-xmlpolicy", NULL };
static const char *const loaders[] = { QBOOT, NULL };
static const struct xmlpolicy pol = { images, socks, loaders, NULL };

/* Outside the metadata: no namespace, none of these, only these types. */
static const char *const never[] = {
	"count(//*[not(ancestor-or-self::metadata)][namespace-uri() != ''])",
	"count(//*[not(ancestor::metadata)][self::disk or self::filesystem or"
	" self::hostdev or self::emulator or self::seclabel or self::console"
	" or self::graphics or self::redirdev or self::smartcard])",
	"count(/domain/devices/*/source[@file or @dev or @host or @dir])",
	"count(/domain/devices/serial[@type != 'pty' and @type != 'unix'])",
	"count(/domain/devices/channel[@type != 'unix'])",
	"count(/domain/devices/interface[@type != 'bridge'])",
	"count(/domain/os/loader[. != '" QBOOT "'])",
	"count(/domain[@type != 'qemu' and @type != 'kvm'])",
	"count(/domain/os/kernel[contains(., '/../')])",
};

static void
must(int ok)
{
	if (!ok)
		abort();
}

/* What passed parses again, and none of never[] is in it. */
static void
recheck(const char *xml, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "d.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	size_t i;

	must(doc != NULL && doc->intSubset == NULL);
	must((ctx = xmlXPathNewContext(doc)) != NULL);
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		o = xmlXPathEvalExpression((const xmlChar *)never[i], ctx);
		must(o != NULL && o->type == XPATH_NUMBER && o->floatval == 0);
		xmlXPathFreeObject(o);
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *xml = (const char *)data;
	int r = xmlpolicy_check(xml, size, &pol);

	must(r == 0 || r == -EACCES || r == -EINVAL || r == -ENOMEM);
	must(r != -EACCES || strncmp(fleet_last_error(),
	    "denied by fleet policy: ", 24) == 0);
	/* the verdict is the document's alone */
	must(xmlpolicy_check(xml, size, &pol) == r);
	if (r == 0)
		recheck(xml, size);
	return 0;
}
