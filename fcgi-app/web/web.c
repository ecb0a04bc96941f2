/* web.c: placeholder answering every request until the handlers land. */
#include "core/common.h"
#include "core/strbuf.h"
#include "web/web.h"

void
web_worker_init(void)
{
}

int
web_serve(struct req *r, int parse_status)
{
	if (parse_status != 0)
		resp_status(r, parse_status);
	strbuf_addstr(r->out, "<!doctype html><title>souk</title><p>souk\n");
	return resp_send(r);
}

void
web_worker_exit(void)
{
}
