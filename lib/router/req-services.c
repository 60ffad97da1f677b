/* req-services.c: the `services` request (docs/protocol.md, section 6) */
#include <stdio.h>
#include "core.h"
#include "control.h"
#include "request.h"
#include "services.h"

/* One `service NAME VM STATE RESTARTS` line each, then `ok N`. */
int
req_services(struct control *c, struct client *cl, char **w, int n)
{
	struct service_stat st;
	size_t i, k = services_count(c->svc);

	for (i = 0; i < k; i++) {
		services_info(c->svc, i, &st);
		if (client_reply(cl, "service %s %s %s %u", st.name, st.vm,
		    st.state, st.restarts) < 0)
			return 0;
	}
	return client_reply(cl, "ok %zu", k);
}
