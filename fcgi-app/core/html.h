/*
 * html.h: escaping text for HTML.
 *
 * html_escape() replaces the five characters that can end a text node or
 * a quoted attribute value: & < > " ' become &amp; &lt; &gt; &quot;
 * &#39;. Its output is safe in element content and inside attribute
 * values quoted with either ' or ". It is NOT safe in an unquoted
 * attribute, inside <script> or <style>, or in a URL attribute whose
 * scheme a user chose (javascript:): templates always quote attributes,
 * and URLs go through url_escape() and a scheme check first.
 *
 * Bytes other than those five pass unchanged, NUL and invalid UTF-8
 * included: input is validated where it enters (str_valid_text()).
 * The escaped bytes are appended to a strbuf the caller owns.
 */
#ifndef SOUK_HTML_H
#define SOUK_HTML_H

#include <stddef.h>

struct strbuf;

/* Appends the n bytes at p to sb, escaped. */
void	html_escape(struct strbuf *sb, const char *p, size_t n);

/*
 * The same for element content only (a text node, never an attribute):
 * & < > alone, so that text a person edits again as HTML (a rich
 * description, core/richtext.h) keeps its quotes readable.
 */
void	html_escape_text(struct strbuf *sb, const char *p, size_t n);

/* The same for a NUL-terminated string; NULL appends nothing. */
void	html_escape_str(struct strbuf *sb, const char *s);

#endif
