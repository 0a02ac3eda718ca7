"""JSON payloads brought to one shape before ``parsers.payloads`` walks them.

- ``load_json`` keeps numbers as written (a phone sent as 15550000000 is not corrupted) and reads the JSON people
  write by hand or copy from documentation: comments, trailing commas, single quotes, ``...`` placeholder lines.
- ``decode_nested`` replaces JSON documents held in strings (an SNS ``Message``), salvaging a Python repr, a
  Ruby hash or JSON cut short.
- ``reshape`` brings documented form-builder shapes to plain keys and label/value pairs.
- ``pair_keys`` recognises a *pair list* (``{name, values}``, ``{column_id, string_value}``,
  ``{question, answer}`` …), read as label/value pairs.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from typing import Any
from urllib.parse import unquote_plus

import json5

from parsers.html import html_to_text
from parsers.labels.lookup import lookup_label, lookup_loose
from parsers.lead import ExtractionError
from parsers.patterns import PHONE_SHAPED, looks_like_date_or_time
from parsers.salvage import looks_salvageable, salvage

#: deeper nesting is not a lead (and would exhaust the stack)
MAX_DEPTH = 40
#: the label and the value keys of a pair list's items, in the order they are tried
PAIR_LABEL_KEYS = ("column_id", "name", "key", "field", "field_name", "fieldname", "label", "question", "title",
                   "column_name", "questionid", "question_id", "id", "veld", "campo", "feld", "champ", "etiqueta",
                   "bezeichnung", "pergunta", "pregunta", "domanda", "vraag", "frage", "nome", "naam", "nombre", "nom",
                   "property", "attribute", "rotulo", "atributo", "propiedad", "propriedade", "eigenschaft",
                   "eigenschap", "attribut", "attributo", "proprieta", "kind", "type")
PAIR_VALUE_KEYS = ("values", "value", "answer", "string_value", "response", "text", "answers", "waarde", "valor",
                   "wert", "valeur", "valore", "resposta", "respuesta", "risposta", "reponse", "réponse",
                   "antwoord", "antwort", "inhalt", "contenido", "conteudo", "answerdetails", "answer_details")


#: a line standing for "more of the same" in a documented example: ``...``, ``…``, ``// ...``
_ELLIPSIS_LINE = re.compile(r"^[ \t]*(?://[ \t]*)?(?:\.\.\.|…)[ \t]*,?[ \t]*$", re.MULTILINE)
#: the lenient reading is pure Python: only documents of a lead's size get it
_LENIENT_MAX = 1_000_000


def load_json(text: str) -> Any:
    """Parse JSON keeping numbers as written; a syntax error or absurd nesting is the sender's fault.

    Strict JSON first; what fails is read again as JSON5 (comments, trailing commas, single quotes, bare keys)
    with placeholder lines dropped, and only what fails both is an error (the strict parser's message)."""
    try:
        return json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except RecursionError as exc:
        raise ExtractionError("JSON nested too deeply to be a lead") from exc
    except ValueError as exc:
        if (found := _lenient(text)) is not None:
            return found
        raise ExtractionError(f"not valid JSON: {exc}") from exc


def _lenient(text: str) -> Any:
    """``text`` read as JSON5 without placeholder lines, or None when that fails too."""
    if len(text) > _LENIENT_MAX or not text.lstrip().startswith(("{", "[", "//", "/*")):
        return None
    try:
        return json5.loads(_ELLIPSIS_LINE.sub("", text), parse_int=str, parse_float=str, parse_constant=str)
    except (ValueError, RecursionError, TypeError, IndexError):
        return None


def decode_nested(obj: Any, depth: int = 0) -> Any:
    """Replace JSON documents held in strings (SNS ``Message``) by their parsed value."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(obj, dict):
        return {str(k): decode_nested(v, depth + 1) for k, v in _unflattened(obj).items()}
    if isinstance(obj, list):
        return [decode_nested(v, depth + 1) for v in obj]
    if isinstance(obj, str):
        s = obj.strip()
        if (inner := _base64_json(s)) is not None:
            return decode_nested(inner, depth + 1)  # a Pub/Sub push's "data": JSON in base64
        if (s := _unescaped(s)) != obj.strip():
            obj = s
        if (rows := labelled_lines(s)) is not None:
            return rows  # a submission sent as one string of "Label: value" lines (or an HTML table)
        if len(s) > 1 and s[0] in "{[":
            try:
                return decode_nested(json.loads(s, parse_int=str, parse_float=str), depth + 1)
            except (ValueError, RecursionError):
                # a Python repr, a Ruby hash or JSON cut short, stored as a string ("raw_body")
                found = salvage(s) if looks_salvageable(s) else None
                return decode_nested(found, depth + 1) if found is not None else obj
    return obj


#: a key that writes a path of nested keys ("contact.name.first", "contact__email", "contact[name][first]")
_PATH_KEY = re.compile(r"^[^\W\d_][\w-]*?(?:(?:__|\.|\[)[\w-]+\]?)+$")
_PATH_STEP = re.compile(r"__|\.|\]?\[|\]")


def _unflattened(obj: dict[Any, Any]) -> dict[Any, Any]:
    """An object whose keys write paths (an automation tool's or a form encoder's flattening) as the nested
    objects they name, so that a name's parts sit under their name and a contact's values under their contact;
    as it is when fewer than two keys are paths or when two paths collide."""
    paths = [k for k in obj if isinstance(k, str) and _PATH_KEY.match(k) and lookup_label(k) is None]  # "tel.nr"
    if len(paths) < 2:
        return obj
    out: dict[Any, Any] = {}
    for key, value in obj.items():
        steps = [x for x in _PATH_STEP.split(key) if x] if key in paths else [key]
        node = out
        for step in steps[:-1]:
            child = node.setdefault(step, {})
            if not isinstance(child, dict):
                return obj
            node = child
        if steps[-1] in node:
            return obj
        node[steps[-1]] = value
    return out


_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-f]{2,5}|[a-z]{2,8});", re.IGNORECASE)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_PLUS_WORDS = re.compile(r"[^\W\d_]+(?:\+[^\W\d_]+)+")


def _unescaped(s: str) -> str:
    """A value sent still escaped: HTML entities ("ann&#64;example.com") or form encoding ("ann%40example.com",
    "Ann+Lee") decoded; any other string as it is."""
    if "&" in s and _ENTITY.search(s):
        s = " ".join(html.unescape(s).split()) if len(s) < 2000 else s
    if (" " not in s and len(s) < 200 and not any(ch in s for ch in "/?=&")
            and (_PERCENT.search(s) or _PLUS_WORDS.fullmatch(s))):  # a value, never a link or a query
        s = unquote_plus(s)
    return s


_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")


def _base64_json(s: str) -> Any:
    """The JSON document a base64 string holds, or None (tried only when it opens with "{" or "[")."""
    if len(s) > 1_000_000 or not s.startswith(("ey", "ew", "W", "IHs", "Cn")) or not _BASE64.fullmatch(s):
        return None
    try:
        text = base64.b64decode(s + "=" * (-len(s) % 4), altchars=b"-_" if "-" in s or "_" in s else None).decode()
        found = json.loads(text, parse_int=str, parse_float=str)
    except (ValueError, RecursionError, binascii.Error):
        return None
    return found if isinstance(found, (dict, list)) else None


_LABEL_LINE = re.compile(r"^\s*[-*•]?\s*([^\W\d_][^:=\n]{0,40}?)\s*[:=]\s*(\S.*?)\s*$")
_MARKUP = re.compile(r"<(?:br|p|div|td|tr|li|table|span|b|strong)\b", re.IGNORECASE)
_CONTACT_SLOTS = frozenset({"email", "phone", "full_name", "first_name", "last_name"})


def labelled_lines(s: str) -> dict[str, str] | None:
    """A string of several "Label: value" lines (or HTML rows) as a dict, when at least two of its labels are a
    lead's contact fields and labelled lines are most of its lines; else None."""
    if len(s) > 20000 or ("\n" not in s and "<" not in s):
        return None
    text = html_to_text(s) if _MARKUP.search(s) else s
    lines = [line for line in text.splitlines() if line.strip()]
    out: dict[str, str] = {}
    contact = 0
    for line in lines:
        m = _LABEL_LINE.match(line)
        found = lookup_label(m[1]) if m else None
        if m and found:
            out.setdefault(m[1], m[2])
            contact += found[0] in _CONTACT_SLOTS
    return out if contact >= 2 and 2 * len(out) >= len(lines) else None


#: a string worth reading as prose: letters and a space or an address ("https://…" and ids are not)
_PROSE = re.compile(r"[^\W\d_].*(?:\s|@)|@.*[^\W\d_]", re.DOTALL)
_LINK = re.compile(r"^\s*(?:https?|ftp|urn|arn|gid|mailto)[:/]", re.IGNORECASE)
#: at most this many strings of a payload are read as prose
MAX_PROSE_STRINGS = 200


#: keys naming an identifier or a moment, not words of anyone's: "id", "leadgen_id", "formId", "uuid", "created_time"
_IDENTIFIER_KEY = re.compile(r"(?i:(?:^|[_\W])(?:id|ids|uuid|guid|token|hash|time|timestamp)$)|[a-z](?:Id|ID|Ids)$")


def prose_of(data: Any) -> str:
    """The strings of a parsed payload that read as prose, one a line: what the free-text reader is given when
    no key names the lead ({"text": "New lead: Ann Lee, ann@…"}, a chat's messages)."""
    out: list[str] = []
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack and len(out) < MAX_PROSE_STRINGS:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            # an identifier's digits ("leadgen_id": "444555666777888") are no phone number of anyone's
            stack.extend((v, depth + 1) for k, v in reversed(list(node.items())) if not _IDENTIFIER_KEY.search(str(k)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in reversed(node))
        elif isinstance(node, str) and (_PROSE.search(node) or phone_shaped(node)) and not _LINK.match(node):
            out.append(" ".join(node.split()))
    return "\n".join(out)


_QUESTION_PREFIX = re.compile(r"^(?:q|input|field|fld|element|question)[_-]?\d+[_-]+(?=[^\W\d_])", re.IGNORECASE)
#: a key that is only a field number ("2", "1.3": Gravity Forms and kin), which says nothing of the value
_NUMBERED_KEY = re.compile(r"^\d{1,4}(?:\.\d{1,3})?$")
#: keys that may stand beside "value" in a wrapper around one value (HubSpot's {"value": …, "timestamp": …})
_WRAPPER_KEYS = frozenset({"value", "timestamp", "source", "sourceid", "source_id", "versions", "updatedat",
                           "updated_at", "selected"})
_SINGLE_VALUE_KEYS = frozenset({"full", "value", "text", "formatted", "display", "raw"})
_EMAIL_VALUE = re.compile(r"^\s*[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\s*$")


def reshape(obj: Any, depth: int = 0, inherited: dict[str, str] | None = None) -> Any:
    """Documented form-builder shapes brought to plain keys and label/value pairs, so one walker reads them:
    a dict of ``{"title": …, "value": …}`` fields (Elementor, WPForms) becomes a pair list; a one-value
    wrapper (``{"value": "Ann"}``) its value; a one-item list its item; "q3_name" the key "name"; answers that
    name their field by id (Typeform) get the question's title; an email- or phone-shaped value under a bare
    field number is keyed by its shape, or by its label in a form definition beside it (Gravity Forms' "1.3"
    under ``form.fields[].inputs``)."""
    if depth > MAX_DEPTH:
        return obj
    if isinstance(obj, list):
        if len(obj) == 1 and not isinstance(obj[0], (dict, list)):
            return obj[0]
        table = _table_rows(obj[0] if obj else None, obj[1:])
        if table is not None:
            return [reshape(v, depth + 1) for v in table]
        if (pairs := _key_value_rows(obj)) is not None or (pairs := _one_key_items(obj)) is not None:
            return reshape(pairs, depth + 1)
        return [reshape(v, depth + 1) for v in _primary_first(obj)]
    if not isinstance(obj, dict):
        return obj
    if depth == 0:
        obj = {k: v for k, v in obj.items() if not _webhook_event(k, v)}
    obj = _columns_and_rows(obj)
    keys = {str(k).casefold() for k in obj}
    if "value" in keys and keys <= _WRAPPER_KEYS and not isinstance(obj.get("value"), (dict, list)):
        return obj.get("value")
    if len(keys) == 1 and keys <= _SINGLE_VALUE_KEYS and not isinstance(next(iter(obj.values())), (dict, list)):
        return next(iter(obj.values()))  # Jotform's phone {"full": "(415) 555-0133"}
    values = list(obj.values())
    if len(values) >= 2 and all(isinstance(v, dict) for v in values) and pair_keys(values):
        return [reshape(v, depth + 1) for v in values]
    titles = _titles(obj)
    labels = {**inherited, **titles} if inherited else titles
    out: dict[str, Any] = {}
    parts = _numbered_parts(obj, labels)
    for key, value in obj.items():
        name = _QUESTION_PREFIX.sub("", str(key))
        if _NUMBERED_KEY.match(name) and isinstance(value, str):
            if name in labels and lookup_label(labels[name]) is not None:
                name = labels[name]
            elif name in parts:
                name = parts[name]
            elif _EMAIL_VALUE.match(value) and "email" not in out:
                name = "email"
            elif phone_shaped(value) and "phone" not in out:
                name = "phone"
        if isinstance(value, list):
            value = _answers(value, titles) or _titled_pairs(value, labels) or value
        if isinstance(value, str) and _QUESTION_PREFIX.match(str(key)) and not _NUMBERED_KEY.match(name) \
                and lookup_loose(name) is None and "answers" not in obj:
            # "q7_whatDo": a form's question key cut short, no label: an answer, read as answers are
            out.setdefault("answers", {})[name] = value
            continue
        out[name if name not in out else str(key)] = reshape(value, depth + 1, labels or None)
    return out


#: the fixed sub-inputs of Gravity Forms' name and address fields ("1.3" first name, "4.5" ZIP): which one a
#: field is its set of sub-inputs tells (an address has a street "x.1" or a ZIP "x.5", a name neither)
_NAME_INPUTS = {"2": "prefix", "3": "first name", "4": "middle name", "6": "last name", "8": "suffix"}
_ADDRESS_INPUTS = {"1": "street", "2": "street 2", "3": "city", "4": "state", "5": "zip", "6": "country"}


def _numbered_parts(obj: dict[str, Any], labels: dict[str, str]) -> dict[str, str]:
    """Keys of numbered sub-inputs ("1.3", "1.6", "4.1" …) that no form definition names, keyed by what their
    field's set of sub-inputs says they are: {"1.3": "first name", "4.5": "zip"}."""
    fields: dict[str, set[str]] = {}
    for key, value in obj.items():
        if "." in key and _NUMBERED_KEY.match(key) and key not in labels \
                and isinstance(value, str) and value.strip():
            field_id, _, sub = key.partition(".")
            fields.setdefault(field_id, set()).add(sub)
    out: dict[str, str] = {}
    for field_id, subs in fields.items():
        if subs & {"1", "5"} and subs <= set(_ADDRESS_INPUTS):
            kinds = _ADDRESS_INPUTS
        elif {"3", "6"} <= subs and subs <= set(_NAME_INPUTS):
            kinds = _NAME_INPUTS
        else:
            continue
        out.update({f"{field_id}.{sub}": kinds[sub] for sub in subs})
    return out


_PRIMARY_KEYS = ("primary", "is_primary", "isPrimary", "preferred", "is_preferred", "default", "main")


def _primary_first(items: list[Any]) -> list[Any]:
    """A list of phones or emails with one flagged primary (``{"value": …, "primary": true}``): that one first,
    as the lead's own first-given contact."""
    flagged = [k for k, v in enumerate(items[:50]) if isinstance(v, dict)
               and any(v.get(f) is True or v.get(f) in ("true", "1", "yes") for f in _PRIMARY_KEYS)]
    if len(flagged) != 1 or flagged[0] == 0:
        return items
    k = flagged[0]
    return [items[k], *items[:k], *items[k + 1:]]


_HEADER_KEYS = ("columns", "headers", "header", "fields", "column_names", "cols")
_ROW_KEYS = ("rows", "values", "data", "records", "items")


def _table_rows(header: Any, rows: list[Any]) -> list[dict[str, Any]] | None:
    """Rows of a table sent as arrays (a sheet's ``values``, an export's ``rows``) as one dict per row, when the
    header names at least two fields a lead has (so a plain list of lists stays what it is)."""
    if not (rows and isinstance(header, list) and all(isinstance(h, str) and h.strip() for h in header)):
        return None
    if not all(isinstance(r, list) and all(not isinstance(v, (dict, list)) for v in r) for r in rows):
        return None
    if sum(1 for h in header if lookup_label(h)) < 2:
        return None
    return [dict(zip(header, row, strict=False)) for row in rows]


def _key_value_rows(items: list[Any]) -> dict[str, Any] | None:
    """``[["name", "Ann"], ["email", "ann@…"]]``: two-item rows whose first items are labels, as a dict."""
    if len(items) < 2 or not all(isinstance(r, list) and len(r) == 2 and isinstance(r[0], str)
                                 and not isinstance(r[1], (dict, list)) for r in items):
        return None
    if 2 * sum(1 for r in items if lookup_label(r[0])) < len(items):
        return None
    out: dict[str, Any] = {}
    for key, value in items:
        out.setdefault(key, value)
    return out


def _one_key_items(items: list[Any]) -> dict[str, Any] | None:
    """``[{"Name": "Ann"}, {"Email": "ann@…"}]``: one-key objects with distinct keys, most of them labels, as a dict."""
    if len(items) < 2 or not all(isinstance(x, dict) and len(x) == 1 for x in items):
        return None
    keys = [next(iter(x)) for x in items]
    if len(set(keys)) != len(keys) or 2 * sum(1 for k in keys if lookup_label(str(k))) < len(keys):
        return None
    return {str(k): x[k] for k, x in zip(keys, items, strict=True)}


def _columns_and_rows(obj: dict[str, Any]) -> dict[str, Any]:
    """``{"columns": [...], "rows": [[...], ...]}``: the rows as dicts under "rows", one lead each."""
    header_key = next((k for k in obj if str(k).casefold() in _HEADER_KEYS), None)
    rows_key = next((k for k in obj if str(k).casefold() in _ROW_KEYS), None)
    if header_key is None or rows_key is None or not isinstance(obj[rows_key], list):
        return obj
    table = _table_rows(obj[header_key], obj[rows_key])
    if table is None:
        return obj
    rest = {k: v for k, v in obj.items() if k not in (header_key, rows_key)}
    return {**rest, "rows": table}


#: an envelope's own keys naming the webhook event ("event_type": "form_response", "event": "invitee.created")
_EVENT_KEYS = frozenset({"event", "event_type", "eventtype", "event_name", "object", "topic", "trigger"})
_EVENT_NAME = re.compile(r"^[a-z]+(?:[._][a-z]+)+$")


def _webhook_event(key: Any, value: Any) -> bool:
    """A webhook envelope's event name: metadata, never an answer (an "Event type: Wedding" answer has words)."""
    return str(key).casefold() in _EVENT_KEYS and isinstance(value, str) and bool(_EVENT_NAME.match(value))


def _titles(obj: dict[str, Any]) -> dict[str, str]:
    """Question titles by field id from a form definition beside the answers (``definition.fields``)."""
    found: dict[str, str] = {}
    for value in obj.values():
        lists = [value] if isinstance(value, list) else [v for v in value.values() if isinstance(v, list)] \
            if isinstance(value, dict) else []
        for items in lists:
            for item in items[:200]:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("title"), str):
                    found[item["id"]] = item["title"]
                elif isinstance(item, dict) and isinstance(item.get("label"), str) and isinstance(
                        item.get("id"), (str, int)) and not isinstance(item.get("id"), bool):
                    _input_labels(item, found)
                elif isinstance(item, dict) and (qid := next((item[k] for k in _ID_KEYS if k in item), None)) \
                        is not None and isinstance(item.get("name"), str) and lookup_label(item["name"]):
                    found[str(qid)] = item["name"]  # a lead form's questions: {"questionId": 3, "name": "email"}
    return found


#: keys of a question's or a field's id, which answers elsewhere refer to
_ID_KEYS = ("questionId", "question_id", "fieldId", "field_id", "id")


def _titled_pairs(items: list[Any], labels: dict[str, str]) -> list[Any] | None:
    """Answers naming their question by id (``{"questionId": 3, "answerDetails": …}``) as pairs labelled with
    the question's name from the form definition beside them, or None."""
    pairs = pair_keys(items) if labels else None
    if pairs is None or (pairs[0] not in _ID_KEYS and pairs[0].lower() not in ("questionid", "fieldid")):
        return None
    if not any(str(item.get(pairs[0])) in labels for item in items):
        return None
    return [{"label": labels.get(str(item.get(pairs[0])), str(item.get(pairs[0]))), "value": item.get(pairs[1])}
            for item in items]


def _input_labels(field_: dict[str, Any], found: dict[str, str]) -> None:
    """A form definition's field (``{"id": 1, "label": "Name", "inputs": [{"id": "1.3", "label": "First"}]}``):
    its label by its id, and each input's by the input's id, in the words the label dictionaries know."""
    label = str(field_["label"])
    found[str(field_["id"])] = label
    for inp in field_.get("inputs") or ():
        if isinstance(inp, dict) and isinstance(inp.get("label"), str) and isinstance(inp.get("id"), (str, int)):
            own = inp["label"]
            found[str(inp["id"])] = next((x for x in (f"{own} {label}", own, f"{label} {own}")
                                          if lookup_label(x) is not None), own)


#: answer types that say what the answer is (a form builder's typed inputs)
_TYPED_ANSWERS = frozenset({"email", "phone_number"})


def _answers(items: list[Any], titles: dict[str, str]) -> list[Any] | None:
    """Answers that name their field ({"type": "email", "email": …, "field": {"id": …}}) as label/value pairs."""
    if not items or not all(isinstance(x, dict) and isinstance(x.get("field"), dict) for x in items):
        return None
    out: list[Any] = []
    for item in items:
        field_ = item["field"]
        kind = str(item.get("type") or "")
        named = [str(x) for x in (titles.get(str(field_.get("id"))), field_.get("ref"), field_.get("type"), kind) if x]
        if kind in _TYPED_ANSWERS:
            named.insert(0, kind)  # an answer typed "email" or "phone_number" says what it is, whatever its title
        # the first of the question's title, its ref and its type that the label dictionaries know, else the title
        label = next((x for x in named if lookup_loose(x) is not None), named[0] if named else "")
        raw = item.get(kind)
        if isinstance(raw, dict):
            raw = raw.get("label") or raw.get("labels") or raw.get("other")
        out.append({"label": str(label), "value": raw})
    return out


def phone_shaped(value: str) -> bool:
    return bool(PHONE_SHAPED.match(value)) and sum(ch.isdigit() for ch in value) >= 7 and not looks_like_date_or_time(
        value)


def pair_keys(obj: Any) -> tuple[str, str] | None:
    """(label key, value key) when ``obj`` is a list of label/value pairs."""
    if not isinstance(obj, list) or not obj or not all(isinstance(x, dict) for x in obj):
        return None
    first = obj[0]
    lowered = {str(k).lower(): str(k) for k in first}
    label_keys = [lowered[k] for k in PAIR_LABEL_KEYS if k in lowered]
    value_key = next((lowered[k] for k in PAIR_VALUE_KEYS if k in lowered), None)
    if value_key is None:
        # "field_value", "answerValue": a key that says it holds the value
        value_key = next((k for low, k in lowered.items() if low.endswith("value") and k not in label_keys), None)
    if not label_keys or value_key is None:
        return None
    label_keys = [k for k in label_keys if k != value_key and all(k in x for x in obj)]
    if not label_keys or not all(value_key in x for x in obj):
        return None
    if len(label_keys) > 1:
        # {"key": "question_1", "label": "Email", "value": …}: the key whose values the dictionary knows
        known = [sum(1 for x in obj[:50] if isinstance(x[k], str) and lookup_label(x[k])) for k in label_keys]
        return label_keys[known.index(max(known))], value_key
    return label_keys[0], value_key




#: how deep under the top a list of people is looked for (``{"export": {"results": {"items": […]}}}``)
_LIST_DEPTH = 3
#: the slots that make a record a person's: a name or an email address (a phone alone may be one of a
#: person's several numbers, ``"phones": [{"type": "mobile", "number": …}, …]``)
_PERSON_SLOTS = frozenset({"full_name", "first_name", "last_name", "email"})


def _slot_of(key: str) -> str | None:
    found = lookup_label(key)
    return found[0] if found else None


def _names_a_person(obj: Any, depth: int = 0) -> bool:
    if isinstance(obj, dict) and depth <= _LIST_DEPTH:
        return any(_names_a_person(v, depth + 1) if isinstance(v, (dict, list))
                   else isinstance(v, str) and v.strip() != "" and _slot_of(str(k)) in _PERSON_SLOTS
                   and _slot_of(v) is None  # a form definition's {"name": "firstName"} names a field, no person
                   for k, v in obj.items())
    if isinstance(obj, list) and depth <= _LIST_DEPTH:
        return bool(pair_keys(obj)) or any(_names_a_person(v, depth + 1) for v in obj[:20])
    return False


def people_list(obj: Any, depth: int = 0) -> tuple[tuple[str, ...], list[dict[str, Any]]] | None:
    """The path to, and the records of, a list of two or more people somewhere under ``obj``'s keys
    (an XML export's repeated ``<enquiry>``, ``{"results": {"items": […]}}``), or None. Each record names a
    person (a name or an email under a key the label dictionaries read as one); ``obj`` itself names nobody."""
    if depth > _LIST_DEPTH or not isinstance(obj, dict):
        return None
    if any(not isinstance(v, (dict, list)) and _slot_of(str(k)) in _PERSON_SLOTS for k, v in obj.items()):
        return None  # the record of one person, whatever lists it holds
    for key, value in obj.items():
        if isinstance(value, list) and not pair_keys(value):
            people = [v for v in value if isinstance(v, dict) and _names_a_person(v)]
            if len(people) >= 2:
                return (str(key),), people
        elif isinstance(value, dict):
            found = people_list(value, depth + 1)
            if found is not None:
                return (str(key), *found[0]), found[1]
    return None
