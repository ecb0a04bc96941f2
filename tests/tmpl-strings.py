#!/usr/bin/env python3
"""Extract the {{_ text}} tags of souk templates as a .pot fragment.

Usage: tmpl-strings.py FILE.html... > tmpl.pot

`make pot` merges the output with xgettext's for the C sources (msgcat).
The scan mirrors fcgi-app/core/tmpl.c exactly, so the msgids here are the
strings the engine passes to gettext(): tags are found left to right,
`{{{` ... `}}}` is a raw tag, anything else ends at the first `}}`, and a
translation tag is one whose trimmed inside starts with "_" followed by
white space (or nothing); its msgid is the rest, trimmed. Only the ASCII
white space of C's isspace() is trimmed, as tmpl.c does.

Equal msgids are merged into one entry listing every place (#: path:line).
An unterminated tag or an empty {{_ }} is an error, as in the engine.
"""
import sys

WS = " \t\n\r\v\f"

HEADER = '''msgid ""
msgstr ""
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
'''

ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t",
           "\r": "\\r", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}


def po_escape(s):
    out = []
    for c in s:
        if c in ESCAPES:
            out.append(ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7f:
            out.append("\\%03o" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def po_string(keyword, s):
    """keyword "..." on one line, or split after each newline."""
    if "\n" not in s[:-1]:
        return '%s "%s"\n' % (keyword, po_escape(s))
    lines = s.split("\n")
    parts = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        parts.append(lines[-1])
    return '%s ""\n' % keyword + "".join(
        '"%s"\n' % po_escape(p) for p in parts)


def scan(path, text, found):
    """Adds (msgid -> [(path, line)]) for every translation tag."""
    pos, line, n = 0, 1, len(text)
    while pos < n:
        start = text.find("{{", pos)
        if start < 0:
            return
        line += text.count("\n", pos, start)
        raw = start + 2 < n and text[start + 2] == "{"
        close = text.find("}}}" if raw else "}}", start + 2 + raw)
        if close < 0:
            raise SyntaxError("%s:%d: unterminated tag" % (path, line))
        end = close + 2 + raw
        if not raw:
            inner = text[start + 2:close].strip(WS)
            if inner[:1] == "_" and (len(inner) == 1 or inner[1] in WS):
                msgid = inner[1:].strip(WS)
                if not msgid:
                    raise SyntaxError("%s:%d: empty text in '%s'"
                                      % (path, line, text[start:end]))
                found.setdefault(msgid, []).append((path, line))
        line += text.count("\n", start, end)
        pos = end


def main(argv):
    found = {}
    try:
        for path in argv[1:]:
            with open(path, encoding="utf-8") as f:
                scan(path, f.read(), found)
    except (OSError, UnicodeDecodeError, SyntaxError) as e:
        print("tmpl-strings: %s" % e, file=sys.stderr)
        return 1
    out = [HEADER]
    for msgid, refs in found.items():
        out.append("\n")
        out.append("#:" + "".join(" %s:%d" % r for r in refs) + "\n")
        out.append(po_string("msgid", msgid))
        out.append('msgstr ""\n')
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
