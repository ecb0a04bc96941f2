/* arena.c: bump allocation in kept blocks (see arena.h). */
#include "core/common.h"
#include "core/arena.h"

#define ARENA_BLOCK	(64 * 1024)
/* Blocks kept after a reset; a page bigger than this mallocs again. */
#define ARENA_KEEP	(8)
#define ARENA_ALIGN	(_Alignof(max_align_t))

struct arena_block {
	struct arena_block	*next;
	size_t			 size;
	size_t			 off;
	_Alignas(max_align_t) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup	*next;
	void			(*fn)(void *);
	void			*arg;
};

void
arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

static struct arena_block *
block_new(struct arena *a, size_t need)
{
	struct arena_block *b;

	if (need <= ARENA_BLOCK && a->free != NULL) {
		b = a->free;
		a->free = b->next;
	} else {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;

		b = xmalloc(sizeof(*b) + size);
		b->size = size;
	}
	b->off = 0;
	b->next = a->head;
	a->head = b;
	return b;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*b = a->head;
	size_t			 off;

	if (n > SIZE_MAX / 2)
		(void)xmul(n, 2);	/* exits: no request needs this */
	n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if (b == NULL || b->size - b->off < n)
		b = block_new(a, n);
	off = b->off;
	b->off += n;
	a->used += n;
	return b->data + off;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	size_t	 n = xmul(nmemb, size);
	void	*p = arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

struct str
arena_str(struct arena *a, struct str s)
{
	return (struct str){ arena_strndup(a, s.p, s.len), s.len };
}

struct str
arena_strlower(struct arena *a, struct str s)
{
	char	*p = arena_alloc(a, s.len + 1);
	size_t	 i;

	for (i = 0; i < s.len; i++)
		p[i] = (s.p[i] >= 'A' && s.p[i] <= 'Z') ?
		    (char)(s.p[i] + 'a' - 'A') : s.p[i];
	p[s.len] = '\0';
	return (struct str){ p, s.len };
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	n = vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		p[0] = '\0';
	return p;
}

void
arena_cleanup_add(struct arena *a, void (*fn)(void *), void *arg)
{
	struct arena_cleanup *c = arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

static void
run_cleanups(struct arena *a)
{
	/* A cleanup may itself allocate from a: take the list first. */
	while (a->cleanups != NULL) {
		struct arena_cleanup *c = a->cleanups;

		a->cleanups = c->next;
		c->fn(c->arg);
	}
}

void
arena_reset(struct arena *a)
{
	struct arena_block	*b, *next;
	size_t			 kept = 0;

	run_cleanups(a);
	for (b = a->free; b != NULL; b = b->next)
		kept++;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (b->size == ARENA_BLOCK && kept < ARENA_KEEP) {
			b->next = a->free;
			a->free = b;
			kept++;
		} else
			free(b);
	}
	a->head = NULL;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	arena_reset(a);
	for (b = a->free; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->free = NULL;
}
