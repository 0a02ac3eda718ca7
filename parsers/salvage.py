"""Structured data that is not quite JSON: Ruby/Rails parameter dumps, Python reprs, truncated JSON.

Error mails and logs carry a lead as ``{"lead"=>{"name"=>"…"}}`` (Rails), ``{:name=>"…"}`` (a Ruby hash
with symbol keys), ``{'name': '…'}`` (a Python dict's repr) or JSON cut off mid-value. ``salvage`` turns
the first such object in a text into parsed JSON: one linear scan rewrites the syntax (``=>`` and
``:sym`` keys, single quotes, ``nil``/``None``/``True``), closes what truncation left open, and hands
the result to the JSON parser. It reads at most ``MAX_SALVAGE`` characters and never raises.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: characters of a text the salvager reads (a lead's parameters are far shorter)
MAX_SALVAGE = 200_000
_MAX_DEPTH = 40
#: objects tried per text: each try may scan the rest of the text, so a hostile text of many "{" stays linear
_MAX_TRIES = 8
#: where an object with keys starts: "{" then a quoted key or a Ruby symbol
_OBJECT_START = re.compile(r"\{\s*(?:\"|'|:[A-Za-z_])")
_BARE = {"nil": "null", "None": "null", "True": "true", "False": "false", "null": "null", "true": "true",
         "false": "false"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*[?!]?")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def looks_salvageable(text: str) -> bool:
    """Whether ``text`` holds an object in one of the shapes ``salvage`` reads."""
    head = text[:MAX_SALVAGE]
    return bool(_OBJECT_START.search(head)) and ("=>" in head or "':" in head or "' :" in head or '":' in head)


def salvage(text: str) -> Any:
    """The first object in ``text`` as parsed JSON, or None when nothing could be read."""
    text = text[:MAX_SALVAGE]
    for k, m in enumerate(_OBJECT_START.finditer(text)):
        if k >= _MAX_TRIES:
            break
        found = _rewrite(text, m.start())
        if found is None:
            continue
        try:
            data = json.loads(found, parse_int=str, parse_float=str)
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and data:
            return data
    return None


def _rewrite(text: str, start: int) -> str | None:
    """JSON text for the object at ``start``: one scan, strings re-quoted, Ruby and Python syntax rewritten."""
    out: list[str] = []
    stack: list[str] = []
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            value, i, closed = _read_string(text, i)
            out.append(json.dumps(value, ensure_ascii=False))
            if not closed:
                break
            continue
        if ch in "{[":
            if len(stack) >= _MAX_DEPTH:
                return None
            stack.append("}" if ch == "{" else "]")
            out.append(ch)
        elif ch in "}]":
            if not stack or stack[-1] != ch:
                return None
            stack.pop()
            out.append(ch)
            if not stack:
                return "".join(out)
        elif ch == "=" and text.startswith("=>", i):
            out.append(":")
            i += 2
            continue
        elif ch == ":" and i + 1 < n and (text[i + 1].isalpha() or text[i + 1] == "_") and _expects_key(out):
            word = _WORD.match(text, i + 1)
            if word is None:
                return None
            out.append(json.dumps(word.group(0)))
            i = word.end()
            continue
        elif ch.isalpha() or ch == "_":
            word = _WORD.match(text, i)
            if word is None:
                return None
            if word.group(0) in _BARE:
                out.append(_BARE[word.group(0)])
            elif stack and stack[-1] == "}" and _expects_key(out):
                out.append(json.dumps(word.group(0)))  # a bare key ({name: "…"})
            else:
                out.append(json.dumps(word.group(0)))
            i = word.end()
            continue
        elif ch == "-" or ch.isdigit():
            num = _NUMBER.match(text, i)
            if num is None:
                return None
            out.append(json.dumps(num.group(0)))
            i = num.end()
            continue
        elif ch in ",:" or ch.isspace():
            out.append(ch)
        else:
            return None  # not a data structure after all
        i += 1
    if not stack:
        return None
    # truncated: drop a dangling separator, give a dangling key a null value, close what is open
    tail = "".join(out).rstrip()
    if tail.endswith(","):
        tail = tail[:-1]
    elif tail.endswith(":"):
        tail += "null"
    elif tail.endswith('"') and stack[-1] == "}" and _dangling_key(tail):
        tail += ":null"
    return tail + "".join(reversed(stack))


def _read_string(text: str, i: int) -> tuple[str, int, bool]:
    """(value, index after the closing quote, closed) of the quoted string at ``i``."""
    quote = text[i]
    j = i + 1
    parts: list[str] = []
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == "\\" and j + 1 < n:
            nxt = text[j + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[j + 2:j + 6]):
                parts.append(chr(int(text[j + 2:j + 6], 16)))
                j += 6
                continue
            parts.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
            j += 2
            continue
        if ch == quote:
            return "".join(parts), j + 1, True
        parts.append(ch)
        j += 1
    return "".join(parts), n, False


def _expects_key(out: list[str]) -> bool:
    """Whether the last significant output opens an object or separates its members."""
    for piece in reversed(out):
        s = piece.strip()
        if s:
            return s[-1] in "{,"
    return False


def _dangling_key(tail: str) -> bool:
    """Whether the last string in ``tail`` is a key without its value ({"a": "b", "ke)."""
    k = len(tail) - 2
    depth_quote = False
    while k >= 0:
        if tail[k] == '"' and tail[k - 1] != "\\":
            depth_quote = True
            break
        k -= 1
    if not depth_quote:
        return False
    before = tail[:k].rstrip()
    return before.endswith((",", "{"))


#: PHP's ``print_r`` of an array: "Array", then "(" on its own line, then "[key] => value" lines
_PRINT_R = re.compile(r"^[ \t]*Array[ \t]*\r?\n[ \t]*\([ \t]*$", re.MULTILINE)
_PRINT_R_ITEM = re.compile(r"^[ \t]*\[(?P<key>[^\]\n]{1,80})\][ \t]*=>[ \t]?(?P<value>.*)$")
_PRINT_R_CLOSE = re.compile(r"^[ \t]*\)[ \t]*$")


def looks_print_r(text: str) -> bool:
    """Whether ``text`` holds a PHP ``print_r`` dump of an array (a form plugin's debug log)."""
    head = text[:MAX_SALVAGE]
    return "=>" in head and _PRINT_R.search(head) is not None


def print_r(text: str) -> dict[str, Any] | None:
    """The first ``print_r`` array in ``text`` as a dict (nested arrays as dicts; a value running over several
    lines joined with newlines), or None. One pass over the lines."""
    head = text[:MAX_SALVAGE]
    m = _PRINT_R.search(head)
    if m is None:
        return None
    root: dict[str, Any] = {}
    stack: list[dict[str, Any]] = [root]
    last: tuple[dict[str, Any], str] | None = None
    pending: str | None = None  # a key whose value is an "Array" opening on the next lines
    for line in head[m.end():].splitlines():
        if pending is not None and line.strip() in ("(", ""):
            if line.strip() == "(":
                child: dict[str, Any] = {}
                stack[-1][pending] = child
                stack.append(child)
                pending = None
            continue
        pending = None
        if _PRINT_R_CLOSE.match(line):
            if len(stack) == 1:
                break
            stack.pop()
            last = None
            continue
        item = _PRINT_R_ITEM.match(line)
        if item:
            value = item["value"].strip()
            if value == "Array" and len(stack) < _MAX_DEPTH:
                pending = item["key"].strip()
                last = None
            else:
                stack[-1][item["key"].strip()] = value
                last = (stack[-1], item["key"].strip())
        elif last is not None and line.strip():
            node, key = last
            node[key] = f"{node[key]}\n{line.strip()}"  # a textarea's further lines
    return root or None


#: PHP's ``var_dump``: '["name"]=>' then 'string(15) "Ann Lee"' on the next line
_VAR_DUMP_ITEM = re.compile(r'\["(?P<key>[^"\]\n]{1,80})"\]=>\s*\n[ \t]*(?:string\(\d+\)[ \t]*"(?P<text>[^\n]*)"|'
                            r"(?:int|float)\((?P<number>[^)\n]{1,30})\))")
#: Laravel's and Symfony's ``dump``/``dd``: 'array:5 [' then '"name" => "Ann Lee"' lines
_DD_START = re.compile(r"\barray:\d+[ \t]*\[[ \t]*$", re.MULTILINE)
_DD_ITEM = re.compile(r'^[ \t]*"(?P<key>[^"\n]{1,80})"[ \t]*=>[ \t]*(?:"(?P<text>[^\n]*)"|(?P<number>-?[\d.]+))[ \t]*$',
                      re.MULTILINE)


def looks_php_dump(text: str) -> bool:
    """Whether ``text`` holds a PHP array dump: ``print_r``, ``var_dump`` or Laravel's ``dd``."""
    head = text[:MAX_SALVAGE]
    return "=>" in head and (_PRINT_R.search(head) is not None or _VAR_DUMP_ITEM.search(head) is not None
                             or _DD_START.search(head) is not None)


def php_dump(text: str) -> dict[str, Any] | None:
    """The first PHP array dump in ``text`` as a dict (``print_r`` nested; ``var_dump`` and ``dd`` their flat
    string and number items), or None."""
    found = print_r(text)
    if found:
        return found
    head = text[:MAX_SALVAGE]
    items = _VAR_DUMP_ITEM.finditer(head) if "]=>" in head else _DD_ITEM.finditer(head) \
        if _DD_START.search(head) else iter(())
    out = {m["key"]: m["text"] if m["text"] is not None else m["number"] for m in items}
    return out or None
