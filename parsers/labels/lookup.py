"""Label lookup: a label as written (any of the seven languages, with role words, run into its value) → slot.

Shared by the label/value reader (``parsers.labels``), the JSON reader and the HTML flattener.
"""

from __future__ import annotations

import re
from functools import lru_cache

from parsers.labels.dictionary import DICTIONARY, norm_label

_D = DICTIONARY
#: role words Romance-language labels and keys write after the field ("telefone do cliente")
_ROLE_SUFFIXES = frozenset({"cliente", "client", "customer", "contato", "contacto", "contatto", "kunde", "klant",
                            "kunden", "klanten", "clientes", "customers", "interessenten", "anrufers",
                            "interessado", "interesado", "interessato", "lead", "usuario", "utente", "utilisateur",
                            "solicitante", "richiedente", "demandeur", "aanvrager"})
#: words a flat key puts before an address part to say which address it is part of ("address_city")
_ADDRESS_PREFIXES = frozenset({"address", "addr", "mailing", "billing", "shipping", "postal", "home", "residence",
                               "residential", "adresse", "anschrift", "direccion", "endereco", "indirizzo", "adres",
                               "morada", "domicilio", "wohnort"})
_ADDRESS_PARTS = frozenset({"street", "street2", "house_number", "city", "region", "postal_code", "country"})
#: a form's note after a label that it may be left empty or must be filled ("Company (optional)",
#: "Empresa (opcional)", "Organisation (falls vorhanden)"), as normalised: not part of the label
_QUALIFIER = re.compile(
    r"\s+(?:optional|opcional|facultatif|facultative|facoltativo|opzionale|optioneel|niet verplicht|freiwillig|"
    r"falls vorhanden|wenn vorhanden|if applicable|if any|not required|required|obligatorio|obrigatorio|"
    r"obligatoire|obbligatorio|verplicht|pflichtfeld|pflicht|si aplica|se aplicavel|se houver|si procede|"
    r"si applicable|se applicabile|indien van toepassing)$")
_CONNECTORS = frozenset({"do", "da", "de", "del", "du", "des", "di", "dello", "della", "van", "dos", "das"})
_LABELS = _D.labels
_ROLE_PREFIXES = _D.role_prefixes
#: words that say a label is about the other side of the transaction, and which side
ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("dealer", "dealer"), ("dealership", "dealer"), ("concesionario", "dealer"), ("concessionaria", "dealer"),
    ("concessionnaire", "dealer"), ("concessionario", "dealer"), ("handler", "dealer"), ("autohaus", "dealer"),
    ("agent", "agent"), ("agente", "agent"), ("makler", "agent"), ("makelaar", "agent"), ("corretor", "agent"),
    ("broker", "agent"), ("realtor", "agent"), ("brokerage", "agent"), ("agence", "agent"), ("agenzia", "agent"),
    ("imobiliaria", "agent"), ("inmobiliaria", "agent"), ("listing", "agent"), ("office", "agent"),
    ("seller", "seller"), ("vendedor", "seller"), ("verkaufer", "seller"), ("vendeur", "seller"),
    ("venditore", "seller"), ("verkoper", "seller"), ("salesperson", "seller"), ("sales", "seller"),
    ("partner", "partner"), ("parceiro", "partner"), ("referring", "partner"),
    ("provider", "provider"), ("pro", "provider"), ("professional", "provider"), ("anbieter", "provider"),
    ("aanbieder", "provider"), ("anunciante", "vendor"), ("inserent", "vendor"), ("annonceur", "vendor"),
    ("inserzionista", "vendor"), ("adverteerder", "vendor"), ("vendor", "vendor"), ("store", "dealer"),
    ("loja", "dealer"), ("recipient", "recipient"), ("your", "recipient"), ("ihr", "recipient"),
    ("sent", "vendor"), ("ansprechpartner", "agent"), ("asesor", "agent"), ("conseiller", "agent"),
)
#: role prefixes that say the lead wrote what follows ("Customer notes", "Buyer comments"); not "lead" nor "user"
#: ("Lead notes" are as often a rep's)
_LEAD_WRITERS = frozenset({"customer", "client", "buyer", "homeowner", "consumer", "caller", "sender", "requester",
                           "applicant", "tenant", "renter", "prospect", "submitter"})
_OTHER_SIDE_FIRST = frozenset(w for w, role in ROLE_WORDS if role in ("agent", "dealer", "seller", "provider",
                                                                          "partner")) - {"listing", "office", "sales",
                                                                                          "pro", "store"}


#: single-word labels as written, casefolded, by length (longest first): for labels run into values
_SURFACE = frozenset(w.casefold() for w in _D.surface_words)
_SURFACE_LENGTHS = sorted({len(w) for w in _SURFACE}, reverse=True)
#: a lower-case letter, digit or bracket directly followed by a capital: where a flattened label may start
_TRANSITION = re.compile(r"(?:(?<=[a-zß-ÿ0-9)\]])|(?<=^)|(?<=\n))(?=[A-ZÀ-Þ])")
_LETTERS = re.compile(r"[^\W\d_]{1,40}")
_VALUE_START = re.compile(r"[:：]|[A-ZÀ-Þ0-9+(]")


def split_run_in_labels(text: str) -> str:
    """Put labels that HTML flattening ran into their neighbours on lines of their own.

    "maria@example.comTelefone: (11) 5555-0101" → "maria@example.com" / "Telefone: (11) 5555-0101";
    "NomeMaria Souza" → "Nome: Maria Souza". Only a known single-word label directly after a lower-case
    letter, a digit or a line start, and directly followed by a colon or the capital/digit a value starts
    with, is split: "iPhone 15" and "McDonald" stay as written.
    """
    if not text:
        return text
    out: list[str] = []
    last = 0
    skip_until = -1
    for m in _TRANSITION.finditer(text):
        p = m.start()
        if p < skip_until:
            continue
        at_line_start = p == 0 or text[p - 1] == "\n"
        if not at_line_start and (p < 2 or text[p - 2].isspace()):
            continue  # "iPhone": one letter before the capital is a brand's spelling, not a run-in
        token = _LETTERS.match(text, p)
        camel = token is not None and any(ch.isupper() for ch in token.group(0)[1:])
        if token and camel and lookup_label(token.group(0)) is not None:
            # "FirstName:" is one label written in camel case; after a value it still starts a line
            skip_until = token.end()
            if not at_line_start:
                out.append(text[last:p])
                out.append("\n")
                last = p
            continue
        if at_line_start:
            eol = text.find("\n", p)
            if ":" in text[p:eol if eol >= 0 else len(text)]:
                continue  # "AutoMarket lead ID: …": the capital starts a longer label, not a value
        for n in _SURFACE_LENGTHS:
            if at_line_start and n < 4:
                continue  # "CarMax": a short word at a line start is more often a name's first part
            word = text[p:p + n]
            if len(word) < n or word.casefold() not in _SURFACE:
                continue
            after = text[p + n:p + n + 1]
            if not after or not _VALUE_START.match(after):
                continue
            if at_line_start and after in ":：":
                break  # an ordinary "Label: value" line
            if camel and token is not None and _written_again(text, token.group(0)):
                break  # "PropertyLoft" twice in one text is a portal's name, no label run into a value
            out.append(text[last:p])
            if not at_line_start:
                out.append("\n")
            out.append(word)
            if after not in ":：":
                out.append(": ")
            last = p + n
            break
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _written_again(text: str, word: str) -> bool:
    """Whether ``word`` stands in ``text`` more than once (case aside)."""
    return len(re.findall(rf"(?<![^\W\d_]){re.escape(word)}", text, re.IGNORECASE)) >= 2


@lru_cache(maxsize=4096)
def lookup_loose(label: str) -> tuple[str, int] | None:
    """``lookup_label``, and for long labels (form questions) their keyword."""
    found = lookup_label(label)
    if found is None:
        first = norm_label(label).split()[:1]
        if first and first[0] in _OTHER_SIDE_FIRST:
            return ("skip", 20)  # "Agent Phone", "Dealer Email": the other side's, whatever follows
        found = _composite_label(norm_label(label)) or question_label(norm_label(label))
    if found is None and "/" in label:
        # "Questions/Comments", "Ciudad / Provincia": the first part that is a label
        for part in label.split("/"):
            found = lookup_label(part)
            if found:
                break
    return found


#: words that join two labels of one field ("Comment or Message", "Preguntas y comentarios", "Vragen of opmerkingen")
_EITHER = re.compile(r" (?:or|and|oder|und|o|y|ou|et|e|ed|of|en) ")


@lru_cache(maxsize=4096)
def lookup_label(label: str) -> tuple[str, int] | None:
    """The (slot, rank) a label or a key names, or None. Role prefixes ("contact", "customer"…) are ignored."""
    key = norm_label(label)
    if not key or len(key) > 60:
        return None
    key = _QUALIFIER.sub("", key) or key
    words = key.split()
    if words and words[-1] == "number" and " ".join(words[:-1]) in _LABELS and words[0] in ("stock", "mls"):
        return _LABELS[" ".join(words[:-1])]
    by_lead = False
    while words:
        found = _LABELS.get(" ".join(words))
        if found:
            if by_lead and found[0] == "message":
                return _LABELS["message"]  # "Customer notes": the lead's own words, not a portal's "Details"
            return found
        if words[0] in _ROLE_PREFIXES and len(words) > 1:
            by_lead = by_lead or words[0] in _LEAD_WRITERS
            words = words[1:]
            continue
        if words[0] in _ADDRESS_PREFIXES and len(words) > 1:
            # "address_city", "MailingCity", "billing_state": an address part under its address's name
            part = _LABELS.get(" ".join(words[1:]))
            if part and part[0] in _ADDRESS_PARTS:
                return part
        if words[-1] in _ROLE_SUFFIXES and len(words) > 1:
            # "Telefone do cliente", "nombre_cliente", "email del contacto": the role written after the label
            words = words[:-1]
            if len(words) > 1 and words[-1] in _CONNECTORS:
                words = words[:-1]
            continue
        break
    if len(parts := _EITHER.split(key)) >= 2:
        # "Comment or Message", "Fragen und Anmerkungen": labels of one slot joined by a word
        named = {lookup_label(part) for part in parts}
        if len(named) == 1:
            return named.pop()
    return None


_JOINERS = re.compile(r"\s+(?:and|und|en|y|e|et|ed|plus|number)\s+|\s+")


def _composite_label(key: str) -> tuple[str, int] | None:
    """"Postcode en plaats", "PLZ und Wohnort", "Cidade e estado": two or three address labels in one."""
    words = key.split()
    if not 2 <= len(words) <= 6:
        return None
    slots: list[str] = []
    k = 0
    while k < len(words):
        for n in (3, 2, 1):
            part = " ".join(words[k:k + n])
            found = _LABELS.get(part) if len(words[k:k + n]) == n else None
            if found and found[0] in ("postal_code", "city", "region"):
                slots.append(found[0])
                k += n
                break
        else:
            if words[k] not in ("and", "und", "en", "y", "e", "et", "ed", "plus"):
                return None
            k += 1
    kinds = set(slots)
    if kinds == {"postal_code", "city"}:
        return ("postal_city", 20)
    if kinds in ({"city", "region"}, {"city", "region", "postal_code"}):
        return ("city_region_postal", 20)
    return None


def question_label(key: str) -> tuple[str, int] | None:
    """Long labels (form questions such as "What is your budget?") by their keyword."""
    if len(key.split()) < 2:
        return None
    padded = f" {key} "
    for needles, result in _D.questions:
        if any(f" {n} " in padded for n in needles):
            return result
    return None


#: one to three words and a colon after a value on the same line: "… Thiago Nascimento Telefone: (21) …"
_INLINE_LABEL = re.compile(
    r"(?<=\S)[ \t]+(?=(?P<label>(?:[^\W\d_][\w.'’/-]*[ \t]+){0,2}[^\W\d_][\w.'’/-]*)[ \t]*:[ \t]+\S)")
_LEADING_LABEL = re.compile(r"^[ \t]*(?P<label>[^\W\d_][\w .'’/-]{0,40}?)[ \t]*:[ \t]+\S")
#: the slots whose label starts a new field even in a line that opened with prose ("Lead from the expo: …");
#: not the company's ("… Company: …" in a rep's sentence is as often a note as a field)
_CONTACT_SLOTS = frozenset({"phone", "email", "full_name", "first_name", "last_name"})


def split_inline_labels(line: str) -> str:
    """A line of several "Label: value" pairs (Slack's ``*Name:* … *Phone:* …`` with its stars gone, a form
    pasted flat) cut into one line per pair, so that a value ends where the next label starts: "Nome: Thiago
    Nascimento Telefone: (21) 99876-5432" → "Nome: Thiago Nascimento" / "Telefone: (21) 99876-5432".

    A label inside a line is one of the label dictionaries'; after a line that opened with a
    known label any field's label cuts, after prose only a contact field's ("… Farrukh Aliyev Phone:
    …"), and "re:" or other two-letter words never do."""
    if not line.count(":") or _CODE.search(line):
        return line
    lead = _LEADING_LABEL.match(line)
    labelled = lead is not None and _known_label(lead["label"]) is not None
    if lead is not None and labelled:
        # "Ciudad: Bilbao / Tel 633 221 100 / Nombre: Iker": fields apart by slashes or bars, one a line (not
        # the slash of a label such as "Straße / Hausnr.:")
        segments = _SEGMENT_SEPARATOR.split(line[lead.end("label"):])
        if len(segments) >= 2 and any(_labelled_segment(x) for x in segments[1:]):
            segments[0] = line[:lead.end("label")] + segments[0]
            return "\n".join(split_inline_labels(x) for x in segments)
    if line.count(":") < 2:
        return line
    cuts: list[int] = []
    inside = 0  # the end of the last label cut: "First Name:" is one label, no cut again before its "Name:"
    for m in _INLINE_LABEL.finditer(line):
        if m.start("label") < inside:
            continue
        words = m["label"].split()
        for n in range(len(words), 0, -1):  # the longest label that ends at the colon: "Interested in"
            label = " ".join(words[-n:])
            slot = _known_label(label)
            if slot is None or len(label) < 3 or (not labelled and slot not in _CONTACT_SLOTS):
                continue
            cuts.append(m.start("label") + len(m["label"]) - len(label))
            inside = m.end("label")
            break
    if not cuts:
        return line
    cuts = sorted(set(cuts))
    # "Ciudad: Bilbao / Tel: …", "Name: Ann Lee - Phone: …": the separator before the next label is neither's
    parts = [_TRAILING_SEPARATOR.sub("", line[a:b].strip()).rstrip(",;|")
             for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
    return "\n".join(p for p in parts if p)


_SEGMENT_SEPARATOR = re.compile(r"\s+[/|·•]\s+")
#: a segment that opens with a label: any with a colon, a phone's or an email's before its value without one
_SEGMENT_LABEL = re.compile(r"(?P<label>[^\W\d_][\w.'’-]*(?:[ \t]+[^\W\d_][\w.'’-]*){0,2})[ \t]*(?P<colon>:)?")


def _labelled_segment(segment: str) -> bool:
    m = _SEGMENT_LABEL.match(segment)
    if m is None:
        return False
    slot = _known_label(m["label"])
    if slot is None or slot == "skip":
        return False
    rest = segment[m.end():].lstrip()
    if m["colon"]:
        return bool(rest)
    return slot in ("phone", "email") and bool(rest) and (rest[0].isdigit() or rest[0] in "+(" or "@" in rest)


_TRAILING_SEPARATOR = re.compile(r"\s+[/|·•–—-]+$")
#: a line of a parameter dump or JSON ("{name: …, phone: …}", "=>"): the payload reader's, not cut
_CODE = re.compile(r"[{}\[\]]|=>|\":")


def _known_label(label: str) -> str | None:
    found = lookup_label(label.strip(" *_"))
    return found[0] if found else None
