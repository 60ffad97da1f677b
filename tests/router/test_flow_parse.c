/* test_flow_parse: the flow text form, good and bad */
#include <errno.h>
#include <string.h>
#include <fleet/fleet.h>
#include "../unit/check.h"

static int
bad(const char *line, const char *words)
{
	struct fleet_flow f;

	if (fleet_flow_parse_line(&f, line) != -EINVAL)
		return 0;
	if (strstr(fleet_last_error(), words) == NULL) {
		fprintf(stderr, "\"%s\": message \"%s\" lacks \"%s\"\n", line,
		    fleet_last_error(), words);
		return 0;
	}
	return 1;
}

static void
good(void)
{
	struct fleet_flow f, g;
	char buf[256];

	CHECK(fleet_flow_parse(&f, "web", "db", "tcp/5432") == 0);
	CHECK(f.proto == FLEET_TCP && f.port_lo == 5432 && f.port_hi == 5432);
	CHECK_STR(f.src, "web");
	CHECK(fleet_flow_parse(&f, "a.b-c_d", "router", "udp/1-65535") == 0);
	CHECK(f.proto == FLEET_UDP && f.port_lo == 1 && f.port_hi == 65535);
	CHECK(fleet_flow_parse(&f, "router", "x9", "icmp") == 0);
	CHECK(f.proto == FLEET_ICMP && f.port_lo == 0);
	CHECK(fleet_flow_parse_line(&f, "  web\tdb   udp/53 \n") == 0);
	fleet_flow_format(&f, buf, sizeof(buf));
	CHECK_STR(buf, "web db udp/53");
	CHECK(fleet_flow_parse_line(&g, buf) == 0 && fleet_flow_equal(&f, &g));
	CHECK(fleet_flow_parse(&f, "a", "b", "tcp/80-90") == 0);
	fleet_flow_format(&f, buf, sizeof(buf));
	CHECK_STR(buf, "a b tcp/80-90");
	CHECK(fleet_flow_parse(&g, "a", "b", "tcp/80-91") == 0);
	CHECK(!fleet_flow_equal(&f, &g));
	memset(buf, 'a', 63);
	buf[63] = '\0';
	CHECK(fleet_flow_parse(&f, buf, "b", "icmp") == 0);
}

int
main(void)
{
	char longname[80];

	good();
	CHECK(bad("web db sctp/80", "unknown protocol \"sctp\""));
	CHECK(bad("web db tcp/0", "port 0 out of range"));
	CHECK(bad("web db tcp/65536", "port 65536 out of range"));
	CHECK(bad("web db tcp/99999999999999999999", "out of range"));
	CHECK(bad("web db udp/90-80", "backwards"));
	CHECK(bad("web db tcp/8o", "not a number"));
	CHECK(bad("web db tcp/", "missing port"));
	CHECK(bad("web db tcp/-5", "missing port"));
	CHECK(bad("web db tcp", "needs a port"));
	CHECK(bad("web db icmp/8", "icmp takes no port"));
	CHECK(bad("Web db tcp/1", "source \"Web\""));
	CHECK(bad("web d/b tcp/1", "destination \"d/b\""));
	CHECK(bad("-web db tcp/1", "character 1"));
	CHECK(bad("_web db tcp/1", "character 1"));
	CHECK(bad("router router icmp", "router to itself"));
	CHECK(bad("web db", "three words"));
	CHECK(bad("web db tcp/1 extra", "more than three"));
	memset(longname, 'a', 64);
	strcpy(longname + 64, " b icmp");
	CHECK(bad(longname, "longer than 63"));
	CHECK(fleet_flow_check_name("ok-name.1") == 0);
	CHECK(fleet_flow_check_name("") == -EINVAL);
	CHECK_STR(fleet_proto_name(FLEET_ICMP), "icmp");
	CHECK_DONE();
}
