/*
 * tests/fuzz/tmpl.c: libFuzzer target for the template parser and
 * renderer. Parses the input as a template; when it parses, renders it
 * against a fixed model (with a partial of its own name, so recursion
 * is exercised) and checks the render limits hold.
 */
#define TMPL_MAX_STEPS		(200 * 1000)
#define TMPL_MAX_OUTPUT		((size_t)4 * 1024 * 1024)

#include "core/arena.c"
#include "core/html.c"
/* NEEDSWORK: log.c's static log_vmsg() lacks format(printf, 2, 0), which
 * clang's -Wformat-nonliteral wants; drop this once log.c has it. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#include "core/log.c"
#pragma clang diagnostic pop
#include "core/str.c"
#include "core/strbuf.c"
#include "core/tmpl.c"
#include "core/xalloc.c"

static const char fuzz_model[] =
    "{\"name\":\"<b>&'\\\"\",\"n\":42,\"neg\":-1,\"f\":1.5,\"t\":true,"
    "\"no\":false,\"nil\":null,\"s\":\"\",\"e\":[],"
    "\"items\":[{\"name\":\"a\",\"price\":1},{\"name\":\"b\",\"x\":{}},"
    "\"str\",3,null],"
    "\"product\":{\"name\":\"Mug\",\"price\":{\"amount\":1250},"
    "\"tags\":[\"x\",\"y\"]},\"a\":{\"a\":{\"a\":[1,2]}},"
    "\"children\":[{\"name\":\"c\",\"children\":[]}]}";

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object	*model;
	static struct strbuf	 out = STRBUF_INIT;
	struct tmpl_set		*set;
	char			 err[256];

	if (model == NULL)
		model = json_tokener_parse(fuzz_model);
	set = tmpl_set_new();
	/* the partial "p" and "f" itself, so {{>p}} and {{>f}} resolve */
	if (tmpl_parse_string(set, "p", "<{{name}}{{#items}}{{.}}{{/items}}>",
	    34, err, sizeof(err)) == -1)
		abort();
	if (tmpl_parse_string(set, "f", (const char *)data, size, err,
	    sizeof(err)) == 0) {
		strbuf_reset(&out);
		(void)tmpl_render(set, "f", model, &out);
		if (out.len > TMPL_MAX_OUTPUT + TMPL_MAX_FILE + 4096)
			abort();
		if (strlen(out.buf) > out.len)
			abort();
	} else if (err[0] == '\0' || strchr(err, ':') == NULL)
		abort();	/* every error says where */
	tmpl_set_free(set);
	return 0;
}
