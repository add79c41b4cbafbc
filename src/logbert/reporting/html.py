"""Safe HTML building blocks and the page shell.

Every piece of text that reaches the page goes through `esc`, which escapes anything that is not
already `Safe` (markup produced by these helpers). Log content, session ids, config values and
file names are therefore always escaped, and the page's Content-Security-Policy forbids scripts
and every network fetch besides, so a hostile log line cannot run code or call out.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from logbert.parsing.splitter import ANSI_ESCAPE

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f;
       max-width: 1100px; margin: 0 auto; padding: 1.5em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd;
  padding-bottom: 0.2em; margin-top: 2em; } h3 { font-size: 1.05em; margin-bottom: 0.3em; }
.sub { color: #555; margin-top: 0; } .missing { color: #8a5a00; background: #fff6e0;
  border-left: 4px solid #e0a800; padding: 0.5em 0.8em; }
.warn { color: #8b0000; background: #ffecec; border-left: 4px solid #c00; padding: 0.5em 0.8em; }
.note { color: #444; font-size: 0.92em; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
  gap: 0.6em; margin: 1em 0; }
.figure-box { background: #f4f6f8; border-radius: 6px; padding: 0.6em 0.8em; }
.figure-box .v { font-size: 1.4em; font-weight: 600; } .figure-box .k { color: #555; }
img { max-width: 100%; height: auto; display: block; margin: 0.6em 0; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f6f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.surprise td { background: #ffe9d6; } code, .tpl { font-family: ui-monospace, monospace;
  font-size: 0.9em; word-break: break-all; }
td ul { margin: 0; padding-left: 1.1em; }
details { margin: 0.8em 0; } summary { cursor: pointer; font-weight: 600; }
nav a { margin-right: 1em; }
"""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Safe(str):
    """Markup built by this module: inserted into the page as is."""


def esc(value: object) -> Safe:
    """`value` as HTML text (escaped unless it is already `Safe`). Raw log lines may hold
    terminal colour codes and other control bytes, which are not HTML text: the codes are
    dropped, other control characters shown as U+FFFD."""
    if isinstance(value, Safe):
        return value
    text = _CONTROL.sub("\ufffd", re.sub(ANSI_ESCAPE, "", str(value)))
    return Safe(html.escape(text, quote=True))


def tag(name: str, *children: object, cls: str | None = None, **attrs: object) -> Safe:
    """<name class=cls attrs...>children</name>, with children and attribute values escaped."""
    if cls:
        attrs["class"] = cls
    attributes = "".join(f' {key.rstrip("_")}="{esc(val)}"' for key, val in attrs.items())
    return Safe(f"<{name}{attributes}>{join(children)}</{name}>")


def join(parts: Iterable[object]) -> Safe:
    """Concatenate escaped parts."""
    return Safe("".join(esc(part) for part in parts))


def missing(text: str) -> Safe:
    """A notice that a section lacks the data it needs."""
    return tag("p", text, cls="missing")


def fmt(value: object, digits: int = 4) -> str:
    """Numbers to short text (ints with separators, floats to `digits` significant digits)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value == 0:
            return "0"  # not "-0"
        # `g` turns a number with more integer digits than `digits` into 1.203e+04
        return f"{value:.{digits}g}" if abs(value) < 10**digits else f"{value:,.0f}"
    return str(value)


def table(header: list[str], rows: Iterable[Iterable[object]], row_cls=None) -> Safe:
    """A table; numeric cells are right-aligned; `row_cls(i)` may give a row its class."""
    head = tag("tr", *(tag("th", h) for h in header))
    body = []
    for i, row in enumerate(rows):
        cells = [
            tag("td", fmt(cell), cls="num")
            if isinstance(cell, int | float)
            else tag("td", "n/a" if cell is None else cell)
            for cell in row
        ]
        body.append(tag("tr", *cells, cls=row_cls(i) if row_cls else None))
    return tag("table", tag("thead", head), tag("tbody", *body))


def key_values(data: object, prefix: str = "") -> Safe:
    """A two-column table of a (possibly nested) dict, nested keys joined with dots."""
    rows = list(_flatten(data, prefix)) if isinstance(data, dict) else [("value", fmt_json(data))]
    if not rows:
        return tag("p", "(empty)", cls="note")
    return table(["field", "value"], rows)


def image(png: bytes, alt: str, file_name: str) -> Safe:
    """An inline base64 PNG (the same image is also written beside the report as `file_name`)."""
    data = base64.b64encode(png).decode("ascii")
    return Safe(
        f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" title="{esc(file_name)}">'
    )


@dataclass
class Section:
    """A titled part of the report."""

    anchor: str
    title: str
    body: Safe


def page(title: str, subtitle: object, figures: Safe, sections: list[Section]) -> str:
    """The whole self-contained document (no scripts, no external resources)."""
    nav = tag("nav", *(tag("a", s.title, href=f"#{s.anchor}") for s in sections))
    parts = [
        tag("h1", title),
        tag("p", subtitle, cls="sub"),
        figures,
        nav,
        *(tag("section", tag("h2", s.title), s.body, id=s.anchor) for s in sections),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{join(parts)}\n</body>\n</html>\n"
    )


def _flatten(data: dict, prefix: str) -> Iterable[tuple[str, object]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from _flatten(value, f"{name}.")
        elif isinstance(value, list) and len(value) > 20:
            yield name, f"[{len(value)} items]"
        elif isinstance(value, list | dict):
            yield name, fmt_json(value)
        else:
            yield name, value


def fmt_json(value: object) -> str:
    """Short JSON text of lists/dicts for table cells."""
    return json.dumps(value, ensure_ascii=False, default=str)
