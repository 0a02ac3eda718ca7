"""HTML → text, the one implementation: lines that keep a form's structure as ``Label: value`` rows.

Table rows and ``<dl>`` pairs become ``Label: value``; a cell holding a label above its value
("<b>Email</b><br>ann@…") becomes one such line; an inline label run straight into its value
("<b>E-mail</b>ann@…") gets its colon back. Linear time, never raises.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import unquote

from lxml import etree

from parsers.labels.lookup import lookup_label

_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"})
_BLOCK_TAGS = frozenset({
    "p", "div", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead", "tfoot",
    "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "hr", "form", "fieldset",
    "legend", "address", "center", "dl", "main", "figure", "figcaption", "caption", "body", "html",
})
_INLINE_LABEL_TAGS = frozenset({"b", "strong", "label", "span", "em", "i", "u", "font", "th"})
_CELL_TAGS = frozenset({"td", "th", "dt"})
_IN_CELL_BREAKS = frozenset({"br", "p", "div"})
_CELL_BREAK = "\x0b"
_NO_CONTENT = re.compile(r"[\x00\ufffd]+")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


_PARSERS = threading.local()


def _parser() -> etree.HTMLParser:
    """This thread's HTML parser: built once (~10 us each), reused for every page (an lxml parser serves one
    thread at a time)."""
    parser: etree.HTMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True,
                                                    remove_pis=True, encoding="utf-8")
    return parser


def html_to_text(html: str | bytes) -> str:
    """Flatten HTML to lines, keeping form structure: table rows and ``<dl>`` pairs become ``Label: value``.

    Runs in linear time (lxml's recovering parser, an event walk, no recursion), so a 10 MB page is
    a matter of a second or two, and never raises: unparseable input yields "".
    """
    data = html.encode("utf-8", errors="replace") if isinstance(html, str) else html
    if not data.strip():
        return ""
    try:
        root = etree.fromstring(data, _parser())
    except (etree.LxmlError, ValueError):
        return ""
    if root is None:
        return ""
    out: list[str] = []
    skip = 0
    # True while directly inside a table cell (not inside a table nested in it): a line break there
    # separates a stacked "label<br>value" and is marked _CELL_BREAK, resolved by _tidy_lines
    cells: list[bool] = []
    #: links written out as their target ("Email: <a href='mailto:ann@…'>Click to email</a>")
    targets: list[etree._Element] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                skip += 1
            elif tag == "input" and not skip and (field := _input_field(el)):
                out.append(f"\n{field}\n")
            elif tag == "a" and not skip and (target := _link_target(el)):
                out.append(target)
                targets.append(el)
                skip += 1
            elif not skip:
                if tag in _INLINE_LABEL_TAGS and tag != "th" and _runs_into_value(el):
                    out.append("\n")  # an inline label starts its own "Label: value" line
                if tag in ("td", "th", "table"):
                    cells.append(tag != "table")
                if tag in _IN_CELL_BREAKS and cells and cells[-1]:
                    out.append(_CELL_BREAK)
                elif tag in _BLOCK_TAGS or tag == "br":
                    out.append("\n")
                if el.text:
                    out.append(_WS.sub(" ", el.text))
            continue
        if tag in _SKIP_TAGS:
            skip -= 1
        elif targets and targets[-1] is el:
            targets.pop()
            skip -= 1
        elif not skip:
            if tag in _INLINE_LABEL_TAGS and _runs_into_value(el):
                out.append(": ")
            if tag in ("td", "th", "table") and cells:
                cells.pop()
            if tag in _IN_CELL_BREAKS and cells and cells[-1]:
                out.append(_CELL_BREAK)
            elif tag in _BLOCK_TAGS:
                out.append("\n")
            elif tag in _CELL_TAGS:
                out.append("\t")
            elif tag == "dd":
                out.append("\n")
        if not skip and el.tail:
            out.append(_WS.sub(" ", el.tail))
    # NUL and U+FFFD (what "&#0;" and undecodable bytes become) carry nothing and only cost the readers time
    return _tidy_lines(_NO_CONTENT.sub("", "".join(out)))


_DIGITS = re.compile(r"\d")


#: input types whose value is never something the sender typed about themselves
_NO_ANSWER_INPUTS = frozenset({"hidden", "submit", "button", "reset", "image", "password", "file"})


def _input_field(el: etree._Element) -> str | None:
    """A filled form field sent as the form itself (``<input name="email" value="ann@…">``) as "email: ann@…";
    None for a hidden, button or unchecked field, or one without a value."""
    kind = str(el.get("type") or "text").lower()
    value = " ".join(str(el.get("value") or "").split())
    if not value or kind in _NO_ANSWER_INPUTS or (kind in ("checkbox", "radio") and el.get("checked") is None):
        return None
    label = str(el.get("aria-label") or el.get("placeholder") or el.get("name") or el.get("id") or "").strip()
    return f"{label}: {value}" if label else value


def _link_target(el: etree._Element) -> str | None:
    """The address or number of a mailto: or tel: link whose text does not spell it ("Click to email", "Call"),
    else None (the text is read as usual)."""
    href = str(el.get("href") or "").strip()
    scheme, _, rest = href.partition(":")
    scheme = scheme.lower()
    if scheme not in ("mailto", "tel", "callto", "sms") or not rest:
        return None
    target = unquote(rest.split("?", 1)[0]).strip().lstrip("/")
    text = "".join(el.itertext())
    if scheme == "mailto":
        return target if "@" in target and "@" not in text else None
    return target if len(_DIGITS.findall(target)) >= 7 and len(_DIGITS.findall(text)) < 7 else None


def _runs_into_value(el: etree._Element) -> bool:
    """An inline element holding only a known label, its value written straight after it: as its text
    ("<b>Email</b>ann@…") or in the next inline element ("<span>Nome</span><span>Ana</span>")."""
    if len(el):
        return False
    tail = el.tail or ""
    if tail and (tail[:1] in ":：" or tail[:1].isspace()):
        return False
    if not tail:
        nxt = el.getnext()
        if nxt is None or not isinstance(nxt.tag, str) or nxt.tag.lower() not in _INLINE_LABEL_TAGS:
            return False
        if (nxt.text or "").lstrip()[:1] in (":", "："):
            return False
    text = (el.text or "").strip()
    return 1 < len(text) <= 40 and not text.endswith((":", "：")) and lookup_label(text) is not None


def _tidy_lines(text: str) -> str:
    rows: list[str] = []
    for raw in text.split("\n"):
        if _CELL_BREAK in raw:
            rows.extend(_stacked_cells(raw))
        else:
            rows.append(raw)
    lines: list[str] = []
    k = 0
    while k < len(rows):
        raw = rows[k]
        k += 1
        if "\t" not in raw:
            line = raw.strip()
            if line or (lines and lines[-1]):
                lines.append(line)
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if not any(cells):
            continue
        records, k = _records_under_header(cells, rows, k)
        if records:
            lines.extend(records)
            continue
        lines.extend(_row_lines([c for c in cells if c]))
    return "\n".join(lines).strip()


def _cells(raw: str) -> list[str]:
    return [c.strip() for c in raw.split("\t")]


def _records_under_header(header: list[str], rows: list[str], k: int) -> tuple[list[str], int]:
    """A table whose first row names the columns ("Date | Name | Email | Phone") and whose rows are one
    record each: ``Label: value`` lines per row, each row headed "Lead n" when there are several, so
    the digest reader reads one lead per row. ([], k) when the row at ``k - 1`` is no such header."""
    named = [c for c in header if c]
    if len(named) < 3 or not all(_looks_like_label(c) for c in named):
        return [], k
    data: list[list[str]] = []
    j = k
    while j < len(rows):
        if "\t" not in rows[j]:
            if rows[j].strip():
                break
            j += 1
            continue
        cells = _cells(rows[j])
        if len(cells) != len(header) or all(_looks_like_label(c) for c in cells if c):
            break
        data.append(cells)
        j += 1
    if not data:
        return [], k
    out: list[str] = []
    for n, cells in enumerate(data, start=1):
        if len(data) > 1:
            out.extend(["", f"Lead {n}"])
        out.extend(f"{h.rstrip(':： ')}: {v}" for h, v in zip(header, cells, strict=True) if h and v)
    out.append("")
    return out, j


def _stacked_cells(raw: str) -> list[str]:
    """A row whose cells hold a label above their value ("<b>Email</b><br>ann@…"): one ``Label: value``
    line per cell; any other row with line breaks inside cells: the breaks, as lines."""
    cells = [c for c in raw.split("\t") if c.strip(" " + _CELL_BREAK)]
    if len(cells) == 2 and _CELL_BREAK not in cells[0].strip(" " + _CELL_BREAK):
        label = cells[0].strip(" " + _CELL_BREAK)
        values = [p.strip() for p in cells[1].split(_CELL_BREAK) if p.strip()]
        if _looks_like_label(label) and values:
            return [f"{label.rstrip(':： ')}: {values[0]}", *values[1:]]
    stacked: list[str] = []
    for cell in cells:
        parts = [p.strip() for p in cell.split(_CELL_BREAK) if p.strip()]
        if len(parts) >= 2 and len(parts[0]) <= 45 and lookup_label(parts[0].rstrip(":： ")) is not None \
                and not any(_looks_like_label(p.split(":")[0]) and ":" in p for p in parts[1:2]):
            stacked.extend([f"{parts[0].rstrip(':： ')}: {parts[1]}", *parts[2:]])
        else:
            stacked.extend(parts)
    return stacked


def _looks_like_label(cell: str) -> bool:
    return len(cell) <= 45 and (cell.endswith((":", "：")) or lookup_label(cell) is not None)


def _row_lines(cells: list[str]) -> list[str]:
    if len(cells) == 1:
        return cells
    if len(cells) == 2 and _looks_like_label(cells[0]):
        label = cells[0].rstrip(":： ")
        return [f"{label}: {cells[1]}"]
    if len(cells) % 2 == 0 and all(_looks_like_label(cells[k]) for k in range(0, len(cells), 2)):
        return [f"{cells[k].rstrip(':： ')}: {cells[k + 1]}" for k in range(0, len(cells), 2)]
    if len(cells) == 2 and len(cells[0]) <= 30 and not cells[0][-1:].isdigit():
        return [f"{cells[0].rstrip(':： ')}: {cells[1]}"]
    return ["  ".join(cells)]
