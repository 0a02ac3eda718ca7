"""XML leads: ADF (Auto-lead Data Format), LTS (Lead Transmission Standard, iHomefinder) and generic XML.

Parsing is defensive and tolerant:

- An entity declaration anywhere is refused (``ExtractionError``) before any parser sees the document,
  so an entity-expansion bomb ("billion laughs") is never expanded; defusedxml would refuse it too.
- The prolog is sanitised: processing instructions (``<?ADF VERSION "1.0"?>`` before ``<?xml?>``,
  ``<?XML VERSION “1.0”?>`` with typographic quotes, wrong encoding declarations) are dropped, since
  the text is already decoded; a DOCTYPE without entities is dropped.
- defusedxml parses first; a document it rejects as malformed goes to lxml with ``recover=True``,
  ``resolve_entities=False``, ``no_network=True``, ``huge_tree=False``.

ADF: each ``<prospect>`` is a lead; ``<customer><contact>`` is the person. ``<vendor>`` (the dealer) and
``<provider>`` (the lead portal) contacts are never the lead. The provider is the message's vendor (the one
paid for the lead, whose ledger it counts in); the dealer is kept as a value of the other side.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import defusedxml
import defusedxml.ElementTree as DET
from lxml import etree

from parsers.fields import Collector, clean_value
from parsers.json_shapes import labelled_lines
from parsers.lead import ExtractionError, RefusedInput
from parsers.limits import MAX_XML_TAGS, too_many_tags
from parsers.payloads import read_json

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_PI = re.compile(r"<\?.*?\?>", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", re.IGNORECASE | re.DOTALL)
_US_ADDRESS_IN_TEXT = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,4}\s+"
    r"(?:Drive|Dr|Avenue|Ave|Street|St|Road|Rd|Boulevard|Blvd|Lane|Ln|Way|Court|Ct|Place|Pl|Circle|Cir|"
    r"Parkway|Pkwy|Terrace|Ter|Trail|Trl|Highway|Hwy)\.?\s*,\s*[A-Z][A-Za-z .]+,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?"
)


@dataclass(slots=True)
class XmlRead:
    kind: str  # "adf", "lts" or "xml"
    leads: list[Collector] = field(default_factory=list)
    vendor: str | None = None
    warnings: list[str] = field(default_factory=list)


def refuse_entities(data: bytes) -> None:
    """Refuse entity declarations: the sender's fault, and the first step of an expansion bomb."""
    if _ENTITY_DECL.search(data):
        raise RefusedInput("XML with entity declarations refused (possible entity-expansion attack)")


def sanitize_xml(text: str) -> str:
    """The document without prolog oddities: PIs, DOCTYPE, BOM and anything before the first element."""
    text = text.lstrip("\ufeff")
    text = _PI.sub("", text)
    text = _DOCTYPE.sub("", text)
    start = text.find("<")
    return text[start:].strip() if start >= 0 else ""


def parse_xml(text: str) -> Any:
    """The root element (a stdlib or lxml element). Raises ExtractionError for refused or unreadable XML."""
    refuse_entities(text.encode("utf-8", "replace"))
    if too_many_tags(text):
        raise RefusedInput(f"XML with more than {MAX_XML_TAGS:,} tags refused: no lead document is that large")
    cleaned = sanitize_xml(text)
    if not cleaned:
        raise ExtractionError("empty XML document")
    try:
        return DET.fromstring(cleaned, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise RefusedInput(f"XML refused: {exc}") from exc
    except (ET.ParseError, ValueError):
        pass
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                             remove_pis=True, remove_comments=True)
    try:
        root = etree.fromstring(cleaned.encode("utf-8"), parser)
    except (etree.LxmlError, ValueError) as exc:
        raise ExtractionError(f"unreadable XML: {exc}") from exc
    if root is None:
        raise ExtractionError("unreadable XML: no element could be recovered")
    return root


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _kids(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c) == name] if el is not None else []


def _kid(el: Any, name: str) -> Any:
    found = _kids(el, name)
    return found[0] if found else None


def _text(el: Any) -> str:
    if el is None:
        return ""
    return clean_value("".join(t for t in el.itertext()))


def _own_text(el: Any) -> str:
    return clean_value(el.text or "") if el is not None else ""


def _attr(el: Any, name: str) -> str:
    if el is None:
        return ""
    for k, v in el.attrib.items():
        if str(k).lower() == name:
            return str(v).strip()
    return ""


def read_xml(text: str) -> XmlRead:
    """The leads of an XML document (ADF, LTS or generic)."""
    root = parse_xml(text)
    name = _local(root)
    if name == "adf" or name == "prospect" or any(_local(e) == "prospect" and _is_adf_prospect(e) for e in root.iter()):
        return _read_adf(root)
    lts = None
    if name == "leadlist" or (_kid(root, "lead") is not None and _kid(_kid(root, "lead"), "contact") is not None):
        lts = _read_lts(root)
    obj = _to_obj(root)
    parsed = read_json({_local(root): obj}, source="reader:xml")
    if lts is not None and _filled(lts.leads) >= _filled(parsed.leads):
        return lts
    # a list of <Lead><Contact> records not in LTS's own element names (<FirstName>, <Notes>): read by its keys
    return XmlRead("xml", parsed.leads, None, parsed.warnings)


#: elements only an ADF ``<prospect>`` holds: a ``<prospect>`` of other lead XML is a person's object
_ADF_PARTS = frozenset({"customer", "vehicle", "vendor", "provider", "requestdate", "id"})


def _is_adf_prospect(el: Any) -> bool:
    return any(_local(c) in _ADF_PARTS for c in el)


def _filled(leads: list[Collector]) -> int:
    """How many fields the leads of a reading fill, all told."""
    return sum(len({c.slot for c in col.items if c.role == "lead" and c.value}) for col in leads)


# ---------------------------------------------------------------------------------------------- ADF


def _read_adf(root: Any) -> XmlRead:
    prospects = [root] if _local(root) == "prospect" else [e for e in root.iter() if _local(e) == "prospect"]
    out = XmlRead("adf")
    for prospect in prospects:
        col = Collector()
        customer = _kid(prospect, "customer")
        contact = _kid(customer, "contact")
        if contact is not None:
            _adf_contact(contact, col)
        src = "reader:adf:customer"
        comments = _kid(customer, "comments")
        if comments is not None:
            col.add("message", _text(comments), f"{src}/comments", confidence=0.95, rank=10)
        timeframe = _kid(customer, "timeframe")
        if timeframe is not None:
            desc = _text(_kid(timeframe, "description"))
            if not desc:
                dates = [_text(_kid(timeframe, n)) for n in ("earliestdate", "latestdate")]
                desc = " – ".join(d for d in dates if d)
            col.add("timeline", desc, f"{src}/timeframe", confidence=0.9, rank=10)
        _adf_vehicles(prospect, col)
        vendor = _adf_vendor(prospect, col)
        if col.contact_count():
            out.leads.append(col)
        if out.vendor is None:
            out.vendor = vendor
    if not out.leads:
        out.warnings.append("ADF document without a customer contact")
    return out


def _adf_contact(contact: Any, col: Collector) -> None:
    src = "reader:adf:customer/contact"
    for name in _kids(contact, "name"):
        value = _text(name)
        part = _attr(name, "part").lower()
        if _attr(name, "type").lower() == "business":
            col.add("company", value, f"{src}/name[business]", confidence=0.9, rank=10)
            continue
        slot = {"first": "first_name", "last": "last_name", "middle": "middle_name"}.get(part, "full_name")
        col.add(slot, value, f"{src}/name[{part or 'full'}]", confidence=0.98, rank=10)
    emails = sorted(_kids(contact, "email"), key=lambda e: _attr(e, "preferredcontact") != "1")
    for k, e in enumerate(emails):
        col.add("email", _text(e), f"{src}/email", confidence=0.98, rank=10 + k)
    phones = [p for p in _kids(contact, "phone") if _attr(p, "type").lower() not in ("fax", "pager")]
    phones.sort(key=lambda p: _attr(p, "preferredcontact") != "1")
    for k, p in enumerate(phones):
        kind = _attr(p, "type") or "voice"
        col.add("phone", _text(p), f"{src}/phone[{kind}]", confidence=0.95 if k == 0 else 0.6, rank=10 + k)
    address = _kid(contact, "address")
    if address is not None:
        streets = sorted(_kids(address, "street"), key=lambda s: _attr(s, "line") or "1")
        street = ", ".join(v for v in (_text(s) for s in streets) if v)
        asrc = f"{src}/address"
        col.add("street", street, f"{asrc}/street", confidence=0.95, rank=10)
        col.add("city", _own_text(_kid(address, "city")), f"{asrc}/city", confidence=0.95, rank=10)
        region = _kid(address, "regioncode") if _kid(address, "regioncode") is not None else _kid(address, "region")
        col.add("region", _own_text(region), f"{asrc}/regioncode", confidence=0.95, rank=10)
        col.add("postal_code", _own_text(_kid(address, "postalcode")), f"{asrc}/postalcode", confidence=0.95,
                rank=10)
        col.add("country", _own_text(_kid(address, "country")), f"{asrc}/country", confidence=0.95, rank=10)


def _vehicle_name(v: Any) -> str:
    parts = [_text(_kid(v, n)) for n in ("year", "make", "model", "trim")]
    return " ".join(p for p in parts if p)


def _adf_vehicles(prospect: Any, col: Collector) -> None:
    vehicles = _kids(prospect, "vehicle")
    wanted = [v for v in vehicles if _attr(v, "interest").lower() not in ("trade-in", "tradein", "trade")]
    trades = [v for v in vehicles if v not in wanted]
    texts: list[str] = []
    for v in wanted:
        name = " ".join(p for p in (_attr(v, "status"), _vehicle_name(v)) if p)
        details = []
        for tag, label in (("vin", "VIN"), ("stock", "stock")):
            value = _text(_kid(v, tag))
            if value:
                details.append(f"{label} {value}")
        price = next((p for p in _kids(v, "price")), None)
        if price is not None and _own_text(price):
            details.append(f"{_attr(price, 'type') or 'price'} ${_own_text(price)}")
        texts.append(f"{name} ({', '.join(details)})" if details and name else name or ", ".join(details))
        finance = _kid(v, "finance")
        if finance is not None:
            amounts = []
            for a in _kids(finance, "amount"):
                limit = {"maximum": "max ", "minimum": "min "}.get(_attr(a, "limit").lower(), "")
                value = " ".join(x for x in (_own_text(a), _attr(a, "currency")) if x)
                amounts.append(f"{_attr(a, 'type') or 'amount'} {limit}{value}".strip())
            if amounts:
                col.add("budget", "finance: " + ", ".join(amounts), "reader:adf:vehicle/finance",
                        confidence=0.8, rank=10)
    text = "; ".join(t for t in texts if t)
    trade = "; ".join(f"trade-in: {_vehicle_name(v)}" for v in trades if _vehicle_name(v))
    if text and trade:
        text = f"{text}; {trade}"
    col.add("interest", text, "reader:adf:vehicle", confidence=0.9, rank=10)


def _adf_dealer(prospect: Any) -> str:
    """The dealer's name (``<vendor><vendorname>``, else its contact's name): whom the lead is for."""
    vendor = _kid(prospect, "vendor")
    name = _text(_kid(vendor, "vendorname"))
    if not name:
        contact = _kid(vendor, "contact")
        name = _text(_kid(contact, "name")) if contact is not None else ""
    return name if len(name) <= 80 else ""


def _adf_vendor(prospect: Any, col: Collector) -> str | None:
    """Whom the lead is credited to: the lead provider (``<provider><name>``), the one paid for it; the
    dealer only when no provider is named (the dealer's own site sent it). The dealer, whom the lead is
    for, is kept in ``col`` as a value of the other side (role "dealer")."""
    dealer = _adf_dealer(prospect)
    col.add("company", dealer, "reader:adf:vendor/vendorname", confidence=0.9, rank=10, role="dealer")
    provider = _kid(prospect, "provider")
    name = _text(_kid(provider, "name")) if provider is not None else ""
    return (name if len(name) <= 80 else "") or dealer or None


# ---------------------------------------------------------------------------------------------- LTS


def _read_lts(root: Any) -> XmlRead:
    out = XmlRead("lts")
    leads = [root] if _local(root) == "lead" else [e for e in root.iter() if _local(e) == "lead"]
    for lead in leads:
        contact = _kid(lead, "contact")
        if contact is None:
            continue
        col = Collector()
        src = "reader:lts:contact"
        name = _kid(contact, "name")
        if name is not None:
            col.add("first_name", _text(_kid(name, "first")), f"{src}/name/first", confidence=0.95, rank=10)
            col.add("last_name", _text(_kid(name, "last")), f"{src}/name/last", confidence=0.95, rank=10)
            if _kid(name, "first") is None and _kid(name, "last") is None:
                col.add("full_name", _text(name), f"{src}/name", confidence=0.95, rank=10)
        for k, e in enumerate(_kids(contact, "email")):
            col.add("email", _text(e), f"{src}/email", confidence=0.95, rank=10 + k)
        phones = [_text(_kid(p, "number")) or _own_text(p) for p in _kids(_kid(contact, "phonelist"), "phone")]
        phones += [_text(p) for p in _kids(contact, "phone")]
        for k, p in enumerate(phones):
            col.add("phone", p, f"{src}/phonelist/phone", confidence=0.95, rank=10 + k)
        address = _kid(contact, "address")
        if address is not None:
            street = " ".join(_text(_kid(address, n)) for n in ("streetnumber", "streetname", "street"))
            unit = _text(_kid(address, "unitnumber"))
            col.add("street", f"{street.strip()} {('#' + unit) if unit else ''}".strip(), f"{src}/address",
                    confidence=0.9, rank=10)
            col.add("city", _text(_kid(address, "city")), f"{src}/address/city", confidence=0.9, rank=10)
            col.add("region", _text(_kid(address, "state")), f"{src}/address/state", confidence=0.9, rank=10)
            for n in ("zip", "zipcode", "postalcode"):
                col.add("postal_code", _text(_kid(address, n)), f"{src}/address/{n}", confidence=0.9, rank=10)
            col.add("country", _text(_kid(address, "country")), f"{src}/address/country", confidence=0.9, rank=10)
        note = _text(_kid(contact, "note")) or _text(_kid(lead, "note"))
        col.add("message", note, f"{src}/note", confidence=0.9, rank=10)
        listing = _text(_kid(lead, "listingnumber"))
        source = _text(_kid(lead, "leadsource"))
        place = _US_ADDRESS_IN_TEXT.search(note or "")
        main = place.group(0) if place else ""
        if listing:
            main = f"{main} (listing {listing})".strip()
        if source:
            main = f"{main} - {source}" if main else source
        col.add("interest", main, "reader:lts:lead", confidence=0.7, rank=10)
        if col.contact_count():
            out.leads.append(col)
        provider = _text(_kid(_kid(lead, "thisdataprovider"), "dataprovidername"))
        out.vendor = out.vendor or " ".join(x for x in (_text(_kid(lead, "leadsubsource")), source) if x) or provider
    if not out.leads:
        out.warnings.append("LTS document without a contact")
    return out


# ---------------------------------------------------------------------------------------------- generic


def _to_obj(el: Any, depth: int = 0) -> Any:
    """An element as JSON-like data: children by tag (repeated tags become lists), leaves as text."""
    children = [c for c in el if _local(c)]
    if not children or depth > 30:
        return _leaf_obj(el, depth)
    out: dict[str, Any] = {}
    for c in children:
        value = _to_obj(c, depth + 1)
        key = c.tag.rsplit("}", 1)[-1] if isinstance(c.tag, str) else ""
        if key in out:
            if not isinstance(out[key], list):
                out[key] = [out[key]]
            out[key].append(value)
        else:
            out[key] = value
    return out


#: attributes that name the field an element holds (``<Field name="Email" value="…"/>``, ``<field id="phone">``)
_FIELD_ATTRS = frozenset({"name", "id", "key", "field", "label", "fieldname", "field_name"})


def _leaf_obj(el: Any, depth: int) -> Any:
    """A leaf's text; the field and value its attributes give; or the XML document its text holds (CDATA)."""
    text = _text(el)
    attrs = {str(k).rsplit("}", 1)[-1]: str(v) for k, v in el.attrib.items()}
    if {k.lower() for k in attrs} & _FIELD_ATTRS and (text or any(k.lower() == "value" for k in attrs)):
        return {**attrs, "value": text} if text else attrs
    if not text.strip() and len(attrs) >= 2:
        return attrs  # <lead name="Ann Lee" email="ann@…"/>
    inner = text.strip()
    if labelled_lines(inner) is not None:
        return text  # HTML rows ("<p>Name: Ann<br/>Email: …"): read as the lines they are
    if depth < 30 and inner.startswith("<") and inner.endswith(">") and len(inner) < 1_000_000:
        try:
            root = parse_xml(inner)
        except ExtractionError:
            return text
        return {_local(root): _to_obj(root, depth + 1)}
    return text
