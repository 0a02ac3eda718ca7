'''Vendor templates: one TOML file per lead provider, validated when loaded.

Schema (every key not listed here is an error)::

    name = "cartrader"                       # [a-z0-9_-]+, unique
    display_name = "CarTrader"               # what cards and `leadbot vendors` show
    description = "…"                        # optional
    vertical = "automotive"                  # optional, free text
    not_lead_sections = ["Dealer details"]   # optional: extra section headings that are not the lead
    require_auth = true                      # optional (default false): credit a message to this vendor
                                             #   only when SPF/DKIM/DMARC vouch for one of [match] senders
                                             #   (which it then requires); failing mail is kept for review

    [match]                                  # at least one criterion
    mode = "any"                             # "any" (default) or "all" of the criteria given
    senders = ["*@leads.cartrader.example"]  # shell patterns on the sender address, case-insensitive
    subject = "^New lead"                    # regex searched in the subject, case-insensitive
    body_markers = ["CarTrader lead ID"]     # substrings of the readable text (or raw payload)

    [[rules]]                                # optional: fields the generic readers would miss
    name = "vehicle"                         # optional, defaults to the field; used in provenance
    field = "interest"                       # a public field, or address / city_region_postal / postal_city
    label = "Vehicle of interest"            # exactly one of: label, regex (one group or (?P<value>…)),
                                             #   html_cell (the value cell beside a label cell),
                                             #   xpath (on the HTML or XML tree), json_path ("a.b[0].c")
    type = "text"                            # text | name | email | phone | address | multiline
    confidence = 0.95                        # optional

    [sample]                                 # required: a message of our own writing…
    from = "CarTrader <leads@cartrader.example>"
    subject = "New lead"
    body = """…"""                           # or html = """…""" or payload = """…""" (JSON/XML)
    [sample.expected]                        # …and the fields it must yield (others are not checked)
    email = "jane@example.org"

A template that cannot be read, has an unknown key, a bad regex or XPath, or whose sample no longer
yields its expected fields raises ``TemplateError`` naming the file, the key and the problem.
'''

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from parsers.errors import StartupError
from parsers.fields import SLOTS, Collector, clean_value
from parsers.labels import is_field_line, is_footer
from parsers.lead import FIELD_NAMES
from parsers.patterns import EMAIL

BUILTIN_DIR = Path(__file__).with_name("vendors")

_TOP_KEYS = frozenset({"name", "display_name", "description", "vertical", "not_lead_sections", "match", "rules",
                       "sample", "require_auth"})
_MATCH_KEYS = frozenset({"mode", "senders", "subject", "body_markers"})
_RULE_KEYS = frozenset({"name", "field", "label", "regex", "html_cell", "xpath", "json_path", "type", "confidence"})
_RULE_KINDS = ("label", "regex", "html_cell", "xpath", "json_path")
_TYPES = frozenset({"text", "name", "email", "phone", "address", "multiline"})
_SAMPLE_KEYS = frozenset({"from", "subject", "body", "html", "payload", "expected"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_EMAIL = EMAIL
_JSON_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_JSON_PATH = re.compile(r"[^.\[\]]+(?:\.[^.\[\]]+|\[\d+\])*")


class TemplateError(StartupError, ValueError):
    """A vendor template is unusable; the message names the file, the key and the problem."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"vendor template {self.path}: {key}: {problem}")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    field: str
    kind: str
    spec: str
    type: str = "text"
    confidence: float = 0.95
    regex: re.Pattern[str] | None = None
    xpath: Any = None


@dataclass(frozen=True, slots=True)
class Sample:
    sender: str | None
    subject: str | None
    body: str | None
    html: str | None
    payload: str | None
    expected: Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class VendorTemplate:
    """One vendor: how to recognise its messages and the fields only it needs rules for."""

    name: str
    display_name: str
    path: str
    mode: str = "any"
    senders: tuple[str, ...] = ()
    subject: re.Pattern[str] | None = None
    body_markers: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    not_lead_sections: tuple[str, ...] = ()
    description: str = ""
    vertical: str = ""
    sample: Sample | None = field(default=None, compare=False)
    #: credit a message to this vendor only when sender authentication vouches for one of ``senders``
    require_auth: bool = False

    def matches(self, *, sender: str | None, subject: str | None, text: str, raw: str = "",
                folded: tuple[str, str] | None = None) -> bool:
        """Whether a message is this vendor's (criteria combined by ``mode``). ``folded``: ``text`` and ``raw``
        already casefolded, when the caller tries many templates on one message."""
        results: list[bool] = []
        if self.senders:
            addr = (sender or "").casefold()
            results.append(bool(addr) and any(fnmatch.fnmatchcase(addr, p.casefold()) for p in self.senders))
        if self.subject is not None:
            results.append(bool(subject) and bool(self.subject.search(subject or "")))
        if self.body_markers:
            hay, raw_hay = folded if folded is not None else (text.casefold(), raw.casefold())
            results.append(any(m.casefold() in hay or (raw_hay and m.casefold() in raw_hay)
                               for m in self.body_markers))
        return all(results) if self.mode == "all" else any(results)

    def apply(self, *, text: str, html: str | None, data: Any, xml_root: Any, col: Collector) -> None:
        """Add this template's rule values to ``col`` (rank 0: they win over generic readers)."""
        for rule in self.rules:
            value = _apply_rule(rule, text=text, html=html, data=data, xml_root=xml_root)
            if value is None:
                continue
            value = _typed(rule.type, value)
            if value:
                col.add(rule.field, value, f"template:{self.name}:{rule.name}", confidence=rule.confidence,
                        rank=0, label=rule.name)

    def describe_rules(self) -> list[str]:
        return [f"{r.field} ← {r.kind} {r.spec!r}" for r in self.rules]

    def describe_match(self) -> list[str]:
        out = [f"senders {', '.join(self.senders)}"] if self.senders else []
        if self.subject is not None:
            out.append(f"subject /{self.subject.pattern}/")
        if self.body_markers:
            out.append("body contains " + " | ".join(repr(m) for m in self.body_markers))
        return out


# ---------------------------------------------------------------------------------------------- rules


def _apply_rule(rule: Rule, *, text: str, html: str | None, data: Any, xml_root: Any) -> str | None:
    if rule.kind == "label":
        return _by_label(rule, text)
    if rule.kind == "regex":
        assert rule.regex is not None
        m = rule.regex.search(text)
        if not m:
            return None
        if "value" in rule.regex.groupindex:
            return m.group("value")
        return m.group(1) if rule.regex.groups else m.group(0)
    if rule.kind == "html_cell":
        return _html_cell(rule.spec, html) if html else None
    if rule.kind == "xpath":
        tree = xml_root
        if tree is None and html:
            tree = _html_tree(html)
        if tree is None:
            return None
        return _xpath_value(rule.xpath, tree)
    if rule.kind == "json_path":
        return _json_path(data, rule.spec)
    return None


def _by_label(rule: Rule, text: str) -> str | None:
    assert rule.regex is not None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = rule.regex.match(line)
        if not m:
            continue
        value = m.group(1).strip()
        if value:
            if rule.type in ("multiline", "address"):
                more = []
                for nxt in lines[i + 1:i + 12]:
                    if not nxt.strip() or is_field_line(nxt) or is_footer(nxt):
                        break
                    more.append(nxt.strip())
                value = "\n".join([value, *more])
            return value
        collected: list[str] = []
        for nxt in lines[i + 1:i + 12]:
            if not nxt.strip():
                if collected:
                    break
                continue
            if is_field_line(nxt) or is_footer(nxt):
                break
            collected.append(nxt.strip())
            if rule.type not in ("multiline", "address"):
                break
        return "\n".join(collected) or None
    return None


def _html_tree(html: str) -> Any:
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True)
    try:
        return etree.fromstring(html.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):
        return None


def _html_cell(label: str, html: str) -> str | None:
    root = _html_tree(html)
    if root is None:
        return None
    want = label.strip().rstrip(":").casefold()
    for el in root.iter("td", "th", "dt", "span", "div", "label", "b", "strong"):
        own = clean_value("".join(el.itertext())).rstrip(":： ").casefold()
        if own != want:
            continue
        nxt = el.getnext()
        if nxt is None and el.getparent() is not None and el.getparent().tag in ("b", "strong", "span"):
            nxt = el.getparent().getnext()
        if nxt is not None:
            return clean_value("".join(nxt.itertext())) or None
        tail = (el.tail or "").strip(" :")
        if tail:
            return tail
    return None


def _xpath_value(xpath: Any, tree: Any) -> str | None:
    try:
        result = xpath(tree) if isinstance(tree, etree._Element) else None
    except etree.XPathError:
        return None
    if result is None:
        return None
    if isinstance(result, list):
        if not result:
            return None
        first = result[0]
        return clean_value(first if isinstance(first, str) else "".join(first.itertext())) or None
    text = clean_value(str(result))
    return text or None


def _json_path(data: Any, path: str) -> str | None:
    node = data
    for m in _JSON_STEP.finditer(path):
        key, index = m.group(1), m.group(2)
        if key is not None:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        else:
            if not isinstance(node, list) or int(index) >= len(node):
                return None
            node = node[int(index)]
    if node is None or isinstance(node, (dict, bool)):
        return None
    if isinstance(node, list):
        return ", ".join(str(x) for x in node if x is not None) or None
    return str(node)


def _typed(kind: str, value: str) -> str:
    if kind == "email":
        m = _EMAIL.search(value)
        return m.group(0) if m else value.strip()
    if kind in ("multiline", "address"):
        return value.strip()
    return clean_value(value)


# ---------------------------------------------------------------------------------------------- loading


def _str_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TemplateError(path, key, "must be a string or a list of non-empty strings")
    return tuple(value)


def _unknown(path: Path, where: str, data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise TemplateError(path, f"{where}{extra[0]}", f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _regex(path: Path, key: str, pattern: Any, flags: int) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise TemplateError(path, key, "must be a non-empty string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise TemplateError(path, key, f"bad regular expression {pattern!r}: {exc}") from exc


def _parse_rule(path: Path, k: int, data: Any) -> Rule:
    where = f"rules[{k}]."
    if not isinstance(data, dict):
        raise TemplateError(path, f"rules[{k}]", "must be a table")
    _unknown(path, where, data, _RULE_KEYS)
    slot = data.get("field")
    if not isinstance(slot, str) or slot not in SLOTS or slot in ("skip",):
        raise TemplateError(path, f"{where}field", f"unknown field {slot!r} (use one of {', '.join(FIELD_NAMES)}, "
                                                  "address, city_region_postal, postal_city)")
    kinds = [kind for kind in _RULE_KINDS if kind in data]
    if len(kinds) != 1:
        raise TemplateError(path, f"rules[{k}]", "needs exactly one of " + ", ".join(_RULE_KINDS))
    kind = kinds[0]
    spec = data[kind]
    if not isinstance(spec, str) or not spec.strip():
        raise TemplateError(path, f"{where}{kind}", "must be a non-empty string")
    rtype = data.get("type", "text")
    if rtype not in _TYPES:
        raise TemplateError(path, f"{where}type", f"unknown type {rtype!r} (use {', '.join(sorted(_TYPES))})")
    confidence = data.get("confidence", 0.95)
    if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        raise TemplateError(path, f"{where}confidence", "must be a number in (0, 1]")
    name = data.get("name", slot)
    if not isinstance(name, str) or not name:
        raise TemplateError(path, f"{where}name", "must be a non-empty string")
    regex = None
    xpath = None
    if kind == "regex":
        regex = _regex(path, f"{where}regex", spec, re.MULTILINE | re.IGNORECASE)
        if regex.groups == 0:
            raise TemplateError(path, f"{where}regex", "needs a group (…) or (?P<value>…) around the value")
    elif kind == "label":
        regex = re.compile(rf"^[\s*•>\-|]*{re.escape(spec.strip().rstrip(':'))}\s*[:：]?\s*(.*?)\s*$",
                           re.IGNORECASE)
    elif kind == "xpath":
        try:
            xpath = etree.XPath(spec)
        except etree.XPathSyntaxError as exc:
            raise TemplateError(path, f"{where}xpath", f"bad XPath {spec!r}: {exc}") from exc
    elif kind == "json_path" and not _JSON_PATH.fullmatch(spec):
        raise TemplateError(path, f"{where}json_path", f"bad JSON path {spec!r} (write a.b[0].c)")
    return Rule(name, slot, kind, spec, rtype, float(confidence), regex, xpath)


def parse_template(path: Path) -> VendorTemplate:
    """Read and validate one template file's schema (the sample is checked by ``load_templates``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TemplateError(path, "(file)", f"cannot be read: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(path, "(file)", f"is not UTF-8: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(path, "(file)", f"is not valid TOML: {exc}") from exc
    _unknown(path, "", data, _TOP_KEYS)
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise TemplateError(path, "name", "required; lowercase letters, digits, '_' or '-'")
    display = data.get("display_name")
    if not isinstance(display, str) or not display.strip():
        raise TemplateError(path, "display_name", "required, a non-empty string")
    match = data.get("match")
    if not isinstance(match, dict):
        raise TemplateError(path, "match", "required table ([match]) with senders, subject or body_markers")
    _unknown(path, "match.", match, _MATCH_KEYS)
    mode = match.get("mode", "any")
    if mode not in ("any", "all"):
        raise TemplateError(path, "match.mode", f"must be 'any' or 'all', not {mode!r}")
    senders = _str_list(path, "match.senders", match["senders"]) if "senders" in match else ()
    markers = _str_list(path, "match.body_markers", match["body_markers"]) if "body_markers" in match else ()
    subject = _regex(path, "match.subject", match["subject"], re.IGNORECASE) if "subject" in match else None
    if not senders and not markers and subject is None:
        raise TemplateError(path, "match", "needs at least one of senders, subject, body_markers")
    rules_data = data.get("rules", [])
    if not isinstance(rules_data, list):
        raise TemplateError(path, "rules", "must be an array of tables ([[rules]])")
    rules = tuple(_parse_rule(path, k, r) for k, r in enumerate(rules_data))
    sections = _str_list(path, "not_lead_sections", data["not_lead_sections"]) if "not_lead_sections" in data else ()
    sample = _parse_sample(path, data.get("sample"))
    for key in ("description", "vertical"):
        if key in data and not isinstance(data[key], str):
            raise TemplateError(path, key, "must be a string")
    require_auth = data.get("require_auth", False)
    if not isinstance(require_auth, bool):
        raise TemplateError(path, "require_auth", "must be true or false")
    if require_auth and not senders:
        raise TemplateError(path, "require_auth", "needs [match] senders: the addresses authentication must vouch for")
    return VendorTemplate(
        name=name, display_name=display.strip(), path=str(path), mode=mode, senders=senders, subject=subject,
        body_markers=markers, rules=rules, not_lead_sections=sections, description=data.get("description", ""),
        vertical=data.get("vertical", ""), sample=sample, require_auth=require_auth,
    )


def _parse_sample(path: Path, data: Any) -> Sample:
    if not isinstance(data, dict):
        raise TemplateError(path, "sample", "required table ([sample]) with a message of our own and its expected "
                                            "fields")
    _unknown(path, "sample.", data, _SAMPLE_KEYS)
    bodies = [k for k in ("body", "html", "payload") if k in data]
    if len(bodies) != 1:
        raise TemplateError(path, "sample", "needs exactly one of body, html, payload")
    for key in ("from", "subject", *bodies):
        if key in data and not isinstance(data[key], str):
            raise TemplateError(path, f"sample.{key}", "must be a string")
    expected = data.get("expected")
    if not isinstance(expected, dict) or not expected:
        raise TemplateError(path, "sample.expected", "required table of the fields the sample yields")
    for key, value in expected.items():
        if key not in FIELD_NAMES and key != "vendor":
            raise TemplateError(path, f"sample.expected.{key}", f"unknown field (use {', '.join(FIELD_NAMES)})")
        if not isinstance(value, str):
            raise TemplateError(path, f"sample.expected.{key}", "must be a string ('' for absent)")
    return Sample(data.get("from"), data.get("subject"), data.get("body"), data.get("html"), data.get("payload"),
                  {k: (v or None) for k, v in expected.items()})


#: reads a sample the way the extractor would: (vendor, fields of the first lead)
SampleReader = Callable[[VendorTemplate, Sequence[VendorTemplate]], tuple[str | None, Mapping[str, str | None]]]


def template_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            raise TemplateError(d, "(directory)", "vendor templates directory does not exist")
        files.extend(sorted(d.glob("*.toml")))
    return files


def load_templates(dirs: Iterable[Path], read_sample: SampleReader) -> tuple[VendorTemplate, ...]:
    """Parse every ``*.toml`` in ``dirs`` and check each sample with ``read_sample``.

    Later directories add vendors; a duplicate name is an error.
    """
    templates: list[VendorTemplate] = []
    seen: dict[str, str] = {}
    for path in template_files(dirs):
        t = parse_template(path)
        if t.name in seen:
            raise TemplateError(path, "name", f"{t.name!r} is already defined in {seen[t.name]}")
        seen[t.name] = str(path)
        templates.append(t)
    for t in templates:
        check_sample(t, templates, read_sample)
    return tuple(templates)


def _same(expected: str, got: str | None) -> bool:
    return got is not None and clean_value(expected).casefold() == clean_value(got).casefold()


def check_sample(t: VendorTemplate, templates: Sequence[VendorTemplate], read_sample: SampleReader) -> None:
    assert t.sample is not None
    vendor, fields = read_sample(t, templates)
    if vendor != t.display_name:
        raise TemplateError(t.path, "sample", f"is not recognised as this vendor (recognised as {vendor!r}); "
                                              "check [match]")
    for key, want in t.sample.expected.items():
        got = vendor if key == "vendor" else fields.get(key)
        if want is None:
            if got:
                raise TemplateError(t.path, f"sample.expected.{key}", f"expected absent, the sample yields {got!r}")
            continue
        if not _same(want, got):
            raise TemplateError(t.path, f"sample.expected.{key}", f"expected {want!r}, the sample yields {got!r}")
