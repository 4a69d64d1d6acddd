"""Building blocks of the package's displays: the one-line ``repr`` and the
``_repr_html_`` that Jupyter shows.

A display shows what may be published and counts; never a suppressed value,
an identifier, a key or a passphrase. Everything that reaches HTML goes
through :func:`escape`. The HTML is plain (a ``<div>`` with a summary line and
``<table>`` elements without style sheets), so that it survives nbconvert,
e-mail and Excel's HTML import.
"""

from __future__ import annotations

import html
from typing import Any, Iterable, Optional, Sequence

from ._optional import is_na


def escape(value: Any) -> str:
    """`value` as HTML text (``None`` and pandas' missing values as "")."""
    if is_na(value):
        return ""
    return html.escape(str(value))


def plural(n: int, noun: str, nouns: Optional[str] = None) -> str:
    """'1 cell', '2 cells' (`nouns` for an irregular plural)."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def table(columns: Sequence[Any], rows: Iterable[Sequence[Any]], *,
          caption: Optional[str] = None, index: Optional[Sequence[Any]] = None,
          max_rows: int = 60) -> str:
    """An HTML table: a header row of `columns`, then `rows` (cut after
    `max_rows`, saying how many more there are). `index` labels the rows
    (a first header column) when given."""
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    head = ([""] if index is not None else []) + list(columns)
    parts.append("<thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in head)
                 + "</tr></thead><tbody>")
    shown = 0
    total = 0
    for i, row in enumerate(rows):
        total += 1
        if shown >= max_rows:
            continue
        label = f"<th>{escape(index[i])}</th>" if index is not None else ""
        parts.append("<tr>" + label + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>")
        shown += 1
    parts.append("</tbody></table>")
    if total > shown:
        parts.append(f"<p>... {plural(total - shown, 'more row')} not shown</p>")
    return "".join(parts)


def block(title: str, summary: str, *body: str) -> str:
    """A display: a bold title, a summary line (both escaped here), then the
    HTML `body` parts (already escaped by their makers)."""
    return (f"<div><b>{escape(title)}</b> {escape(summary)}"
            + "".join(body) + "</div>")


def one_line(kind: str, **fields: Any) -> str:
    """``<gdprkit.Kind a=1 b='x'>``: the repr of a result (fields must be
    counts or the library's own names, never caller values)."""
    inner = " ".join(f"{k}={v!r}" for k, v in fields.items())
    return f"<gdprkit.{kind} {inner}>" if inner else f"<gdprkit.{kind}>"
