"""Component ``leadbot_address``: the prospect's postal address and country.

Anchored on postal codes and widened to the street by ``parsers.address.find_in_line`` (every postal format
in one place: US, CA, UK, DE/ES/FR/IT, NL, PT, BR), line by line with the message's language. Country names
and codes come from the span ruler (``COUNTRY`` spans,
``patterns/countries.jsonl``) as ISO 3166 alpha-2 codes.

An address written after "the property at", "the house at", "la propiedad en" … is what the prospect
asks about, not where they live: it is left to the interest component. So is an address on a line labelled
as someone else's ("Dealer address:", "Objektadresse:", "Dirección del inmueble:").
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import ADDRESS, Candidate, add, candidates_of, effective_sender, layout_of, meta_of, ruler_spans
from nlp.city_text import (
    REGIONS,
    city_before,
    city_name_at,
    plausible_city,
    region_after,
    time_words,
    titled,
    zip_after,
)
from nlp.layout import Layout, Line
from nlp.lexicon import finditer_folded, greeting_re, is_first_name, is_surname, signoff_re
from nlp.note_places import (
    add_note_place,
    after_unit,
    cued_postal,
    other_side_before,
    rep_signature,
    street_parts,
    venue_before,
    whole_segment,
)
from nlp.places import OWN_PLACE, city_at, city_names, deal_at, is_city, names_a_deal, own_place
from parsers.address import FoundAddress, find_in_line
from parsers.boilerplate import is_firm_address_line
from parsers.postal_formats import CA_PROVINCES, US_STATE_NAMES, US_STATES
from parsers.regex_start import guard_start
from parsers.regions import region_country
from parsers.street_lines import with_street_above
from parsers.structured import is_automated

#: the words naming a property, a listing or a showing
_PROPERTY_NOUNS = (r"property|listing|house|home|condo|apartment|unit|lot|showing|open house|the one|objekt|wohnung|"
                   r"haus|immobilie|grundstück|propiedad|casa|piso|departamento|inmueble")
#: a whole word of them, or the end of a German compound ("Reihenhaus", "Eigentumswohnung"; not "warehouse")
_PROPERTY_WORD = rf"(?:(?<![\w])(?:{_PROPERTY_NOUNS})|(?:wohnung|haus|immobilie|grundstück))"
_PROPERTY_CONTEXT = re.compile(
    rf"(?i){_PROPERTY_WORD}\b[^.!?\n]{{0,25}}\b(?:at|on|in|an der|in der|"
    r"en|de|ubicad[oa] en)?\s*$"
)
#: the same with a longer description between the property and its place, for a property wished for ("Busca un
#: piso de 3 habitaciones con garaje en")
_WISHED_PROPERTY = re.compile(_PROPERTY_CONTEXT.pattern.replace("{0,25}", "{0,40}"))
#: a property word saying where it is, right before the address: "House is at", "home is", "das Haus ist in der",
#: "la casa está en" (with no sale in the message: the lead's own; "the house at …" stays a listing)
_IS_AT = re.compile(rf"(?i){_PROPERTY_WORD}[ \t]+(?:is|'s|’s|ist|está|es|fica|é|est|è|staat|ligt)[ \t]+"
                    r"(?:(?:located[ \t]+)?(?:at|on|in|in der|an der|en|em|na|no|à|a|aan|op)[ \t]+)?$")
#: a property's noun written right before a street's name, capitalised as German nouns are ("Wohnung Ahornweg 4")
_PROPERTY_NOUN = re.compile(rf"(?i:{_PROPERTY_NOUNS})[ \t]+(?=[A-ZÄÖÜ])")
#: a word naming the listing earlier in the address's sentence, however far on its line ("zu Ihrem Objekt
#: „Reihenhaus in Köln-Sülz, Berrenrather Straße 190"", "your listing (3 bd, 2 ba) — 500 Pine St")
_LISTING_BEFORE = re.compile(
    r"(?i)\b(?:listing|objekt|exposé|expose|inserat|anuncio|inmueble|anúncio|imóvel|imovel|annonce|annuncio|"
    r"immobile|advertentie|woning|viewing|bezichtiging\w*|besichtigung\w*)\b[^.!?\n]*$")
#: a label naming the other side of the deal: the address on that line is not the lead's
_OTHER_SIDE = re.compile(
    r"(?im)^\s*(?:dealer|dealership|store|showroom|branch|office|agent|agency|broker|seller(?![ \t-]*leads?\b)|vendor|"
    r"provider|listing|property|händler|autohaus|filiale|makler|objekt|immobilie|concesionario|agencia|inmueble|propiedad|"
    r"concessionária|agência|imóvel|imovel|concessionnaire|agence|bien|annonce|concessionario|agenzia|immobile|"
    r"dealerbedrijf|makelaar|woning|object)[\w -]{0,25}:"
)


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


class Address:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"
        city_names()  # the gazetteers are read once, when the pipeline is built, not inside the first message
        region_country("Ohio")

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        taken: list[tuple[int, int]] = []
        found: list[FoundAddress] = []
        for line_no, line in enumerate(layout.lines):
            previous = layout.lines[line_no - 1] if line_no else None
            for item in find_in_line(line.text, line.start, (previous.start, previous.text) if previous else None,
                                     layout.lang):
                item = with_street_above(item, layout.lines, line_no)  # "22 Lansdowne Terrace" / "Cheltenham" / …
                if layout.in_greeting(item.start, item.end):
                    continue  # "Dear Alderman Road team": the greeting, not an address ("Hi Kyle, we're at …" is)
                if not any(item.start < e and item.end > s for s, e in taken):
                    taken.append((item.start, item.end))
                    found.append(item)
        kept = 0
        subject = f" {_folded(meta_of(doc).subject or '')} "
        referred = meta_of(doc).referred
        _name, sender, _subject = effective_sender(doc)
        mailer = bool(sender) and is_automated(sender)
        chat = meta_of(doc).chat
        rep_sig = rep_signature(text, layout) if chat else None  # the note's text above a rep's signature
        deal = names_a_deal(text)  # a sale, rental or showing: a property word names the listing, not a home
        for item in found:
            line_start = text.rfind("\n", 0, item.start) + 1
            if rep_sig and item.start >= rep_sig[1]:
                continue  # "She lives in Meridian. -- Brent | Summit Glass | 410 Front St, Boise": the rep's
            if _OTHER_SIDE.match(text, line_start, item.end):
                continue  # "Dealer address: …": the dealer's, not the lead's
            if mailer and is_firm_address_line(text[line_start : item.end]):
                continue  # "Leadzilla Corp, 600 Congress Ave, Austin TX 78701" in a mailer's mail: its imprint
            prefix = text[max(layout.region[0], item.start - 60) : item.start]
            flags: tuple[str, ...] = ()
            if cue := _PROPERTY_CONTEXT.search(prefix):
                if not own_place(prefix[: cue.start()], referred) and (deal or not _IS_AT.search(prefix)):
                    continue  # what they ask about, not where they live
                flags = (OWN_PLACE,)  # "at my house on 12 Oak St", "House is at …" with no sale: theirs
            elif (listing := _LISTING_BEFORE.search(text, max(line_start, item.start - 120), item.start)) and \
                    not own_place(text[max(line_start, listing.start() - 30) : listing.start()], referred):
                continue  # "zu Ihrem Objekt „Reihenhaus in Köln-Sülz, Berrenrather Straße 190 …“": the listing's
            elif _deal_before(text, item.start, layout.region[0]):
                continue  # "under contract on 88 Heron Ridge Ct, Cary NC 27519": the home being bought
            if subject and item.parts.get("street") and f" {_folded(item.parts['street'])} " in subject:
                continue  # "Subject: New inquiry: 2418 Larkspur Ln, …": the listing the mail is about
            if (tidy := street_parts(item.parts)) is not item.parts:
                item = FoundAddress(item.start, item.end, tidy, item.country)  # "030 88127734, PLZ 10115 Berlin"
            value = ", ".join(v for k, v in item.parts.items() if k != "country" and v)
            confidence = 0.75 if "street" in item.parts else 0.6
            add(doc, Candidate(ADDRESS, value, confidence, self.source, item.start, parts=item.parts, flags=flags))
            kept += 1
            if item.country:
                add(doc, Candidate("country", item.country, 0.45, self.source, item.start))
        anchored = kept
        if not kept:
            where = rep_sig or (layout.region if chat else layout.body)
            kept = self._home_street(doc, text, *where, referred, deal) or (chat and (
                self._note_street(doc, text, *where, deal) or add_note_place(doc, text, *where, self.source)))
        if not kept and not self._signature_city(doc, layout):
            where = rep_sig or (layout.region if chat else layout.body)
            cued = self._prose_city(doc, text, *where) if chat else self._home_city(doc, text, *where)
            if not cued and not self._known_city(doc, text, *where):
                self._city_segment(doc, [ln for ln in layout.lines if ln not in layout.signature] if chat
                                   else layout.signature)  # a note's signature is the rep's
        if chat and not anchored:
            self._cued_postal(doc, text, *layout.region)
        for span in ruler_spans(doc, "COUNTRY"):
            if not layout.in_region(span.start, span.end):
                continue
            if _US_STATE_AFTER.match(text, span.end):
                continue  # "Holland, MI", "Mexico, MO": an American town named like a country
            near = any(s - 5 <= span.start <= e + 40 for s, e in taken)
            add(doc, Candidate("country", span.id, 0.8 if near else 0.55, self.source, span.start))
        return doc


    def _home_street(self, doc: Doc, text: str, b0: int, b1: int, referred: bool, deal: bool) -> int:
        """A street the prospect says they live at, without a postcode: "we live at 77 Harbor View Rd in Mystic,
        Connecticut", "wohne in der Kastanienallee 9 in Leipzig", "vivo en la Calle Olmo 3, Sevilla"."""
        for m in finditer_folded(_HOME_STREET, text, b0, b1):
            street_m = (_US_STREET.match(text, m.end()) or _EU_STREET.match(text, m.end())
                        or _US_STREET_ANY_CASE.match(text, m.end()))  # "lives at 3318 se division st"
            if street_m is None:
                continue
            prefix = text[max(b0, m.start() - 60) : m.start()]
            if (cue := _PROPERTY_CONTEXT.search(prefix + "at ")) and not own_place(prefix[: cue.start()], referred) \
                    and (deal or not _IS_AT.search(prefix + "at ")):
                continue  # "the house is located at …" in a mail about its sale: the listing
            self._add_street(doc, text, street_m, 0.6, need_city=False)
            return 1
        return 0

    def _note_street(self, doc: Doc, text: str, r0: int, r1: int, deal: bool) -> int:
        """A street and its known city in a rep's note without a cue or postcode: "…, Rua Oscar Freire 900, São
        Paulo", "Dorpsstraat 4, Ede" (not after a property or listing word)."""
        for rx in (_EU_STREET, _US_STREET, _US_STREET_ANY_CASE):
            for street_m in rx.finditer(text, r0, r1):
                if rx is _US_STREET_ANY_CASE and not street_m.group().islower():
                    continue  # capitalised: read above; "12 elm st, plano tx" needs its state (below)
                if noun := _PROPERTY_NOUN.match(text, street_m.start(), street_m.end()):
                    # "die Wohnung Gneisenaustraße 71": a German noun before the street is none of it
                    street_m = rx.match(text, noun.end()) or street_m
                line_start = text.rfind("\n", 0, street_m.start()) + 1
                prefix = text[max(line_start, street_m.start() - 60) : street_m.start()]
                if ((cue := _PROPERTY_CONTEXT.search(prefix)) and not own_place(prefix[: cue.start()], True)
                        and (deal or not _IS_AT.search(prefix))) or \
                        _LISTING_BEFORE.search(prefix) or _OTHER_SIDE.match(
                        text, line_start, street_m.start()) or (deal and _deal_before(text, street_m.start(), r0)):
                    continue
                if self._add_street(doc, text, street_m, 0.55, need_city=True,
                                    need_region=rx is _US_STREET_ANY_CASE):
                    return 1
        return 0

    def _add_street(self, doc: Doc, text: str, street_m: re.Match[str], confidence: float, *, need_city: bool,
                    need_region: bool = False) -> bool:
        """The street matched and the known city (and state) after it: "77 Harbor View Rd in Mystic, Connecticut"."""
        unit = _UNIT_AFTER.match(text, street_m.end())  # "Calle Olmo 3, 2ºB, Granada"
        end = unit.end() if unit else street_m.end()
        parts = {"street": _LABEL_WORD.sub("", text[street_m.start() : end]).strip(" ,")}  # "Adresse Hauptstr. 5"
        joint = _STREET_CITY_JOIN.match(text, end)
        bare = joint is None and (joint := _BARE_JOIN.match(text, end)) is not None  # "… Apt 4B Springfield IL"
        lower = street_m.group().islower()
        known = city_at(text, joint.end(), len(text)) if joint else None  # "Franklin TN": the name the gazetteer has
        city = known[0] if known else city_name_at(text, joint.end(), lower) if joint else None
        region = region_after(text, joint.end() + len(city), lower) if joint and city else None
        city_end = joint.end() + len(city) if joint and city else -1
        apart = city_end > 0 and whole_segment(text, street_m.start(), city_end)  # "- 1809 maple dr. dayton -"
        if city and (region or (is_city(city) and (not bare or apart))):  # "in Mystic, Connecticut": a town, its state
            parts["city"] = titled(city)
            if region:
                parts["region"] = region
            if street_m.group()[:1].isdigit() and (code := _zip_of(text, city_end, region)):
                parts["postal_code"] = code  # "4417 Elmhurst Ave S, Minneapolis 55409": a ZIP with no state
        elif need_city:
            return False
        if need_region and "region" not in parts and not apart:  # "- 1809 maple dr. dayton -": a segment apart
            return False
        add(doc, Candidate(ADDRESS, ", ".join(parts.values()), confidence, f"{self.source}.prose", street_m.start(),
                           parts=parts))
        return True

    def _prose_city(self, doc: Doc, text: str, r0: int, r1: int) -> bool:
        """A chat note's city without a postcode: "lives in decatur", "lab in Cambridge", "en A Coruña", or a
        known city alone in brackets ("Anneke de Vries (Utrecht)", "(Round Rock, TX)")."""
        lower = not any(c.isupper() for c in text[r0:r1])
        cues = [m for m in _CITY_CUE.finditer(text, r0, r1) if m["home"] or not (
            _REP_SELF.search(text, r0, m.start()) or venue_before(text, m.start(), r0, chat=True)
            or _wished(text, m, r0))]
        # "works in Boulder but lives in Golden": where they live before any other place ("called from Chicago"
        # has no such priority: measured, a later "from" lost more than it won); "the home show in Dallas" is the
        # show's town
        for m in sorted(cues, key=lambda m: not m["home"]):
            city = city_name_at(text, m.end(), lower and bool(m["home"]))
            if city and (known := city_at(text, m.end(), r1)) and len(known[0]) > len(city):
                city = known[0]  # "Rio de Janeiro": a known longer name holding a month's word ("janeiro")
            if city and (m["home"] or is_city(city)):
                confidence = 0.6 if m["home"] else 0.5
                parts = {"city": city}
                region = region_after(text, m.end() + len(city), lower)
                if region:
                    parts["region"] = region
                    confidence += 0.1
                    if code := zip_after(text, m.end() + len(city), region):
                        parts["postal_code"] = code
                elif bracketed := _POSTCODE_BRACKETED.match(text, m.end() + len(city)):
                    parts["postal_code"] = bracketed["code"]  # "vive en Madrid (28013)"
                value = ", ".join(parts.values())
                add(doc, Candidate(ADDRESS, value, confidence, f"{self.source}.prose", m.end(), parts=parts))
                return True
        for m in (*_BRACKETED.finditer(text, r0, r1), *_BRACKETED_TAIL.finditer(text, r0, r1)):
            city = m["city"]
            if is_city(city) and city not in REGIONS and city.split()[0].casefold() not in time_words() and not (
                    m.re is _BRACKETED and region_country(city) and city_before(text, m.start(), r0)):
                # "Sevilla (Andalucía)": the region after a city ("Anneke de Vries (Utrecht)" is the city)
                parts = {"city": city}
                if m["region"] and m["region"] in REGIONS:
                    parts["region"] = m["region"]
                add(doc, Candidate(ADDRESS, ", ".join(parts.values()), 0.5, f"{self.source}.prose",
                                   m.start("city"), parts=parts))
                return True
        return False


    def _cued_postal(self, doc: Doc, text: str, r0: int, r1: int) -> None:
        """A note's "zip 30301" joins the place read from the note, or stands alone."""
        m = cued_postal(text, r0, r1)
        if m is None:
            return
        code = m["code"].upper()
        ours = [c for c in candidates_of(doc) if c.field == ADDRESS and c.component.startswith(self.source)]
        best = max(ours, key=lambda c: c.confidence, default=None)
        parts = {**(best.parts if best else {}), "postal_code": code}
        value = ", ".join(parts.values())
        add(doc, Candidate(ADDRESS, value, (best.confidence if best else 0.45) + 0.05,
                           best.component if best else f"{self.source}.prose", best.start if best else m.start("code"),
                           parts=parts, flags=best.flags if best else ()))

    def _signature_city(self, doc: Doc, layout: Layout) -> bool:
        """ "Portland, OR | 971-555-0121" under the sender's name: a signature's city and state, no postcode."""
        lines = layout.signature or layout.lines[-4:]
        for line in lines:
            for part in _SIGNATURE_PARTS.split(line.text):
                m = _CITY_STATE.fullmatch(part.strip())
                if m and m["region"] in REGIONS:
                    parts = {"city": m["city"], "region": m["region"]}
                    add(doc, Candidate(ADDRESS, part.strip(), 0.55, f"{self.source}.signature", line.start,
                                       parts=parts))
                    return True
        return False

    def _home_city(self, doc: Doc, text: str, b0: int, b1: int) -> bool:
        """The city a prospect says they live or are in: "I live in Reno", "meu apartamento em Niterói"."""
        for m in finditer_folded(_HOME_CITY, text, b0, b1):
            city = city_name_at(text, m.end(), False)
            if city:
                self._add_city(doc, text, city, m.end() + len(city), m.end(), 0.5)
                return True
        return False

    def _known_city(self, doc: Doc, text: str, r0: int, r1: int) -> bool:
        """A gazetteer city after a place cue: "out of Reno", "build in fremont", "orchard in Wenatchee"."""
        chat = meta_of(doc).chat
        for m in _PLACE_CUE.finditer(text, r0, r1):
            found = city_at(text, m.end(), r1)
            if not found:
                continue
            city, end = found
            if chat and _REP_SELF.search(text, r0, m.start()):
                continue  # "I'll be in Denver tomorrow": in a note, the rep's whereabouts
            if venue_before(text, m.start(), r0, chat=chat):
                continue  # "at the home show in Dallas", "Summit Realty in Boise": the venue's town
            if m["from"] and not region_after(text, end, city.islower()) and not (
                    _PERSON_FROM.search(text, max(r0, m.start() - 40), m.start()) and _SEGMENT_CLOSE.match(text, end)):
                continue  # "from Springfield, MO" is where they are; "a lead from Austin" alone may be a firm's
                # ("Desmond Achebe from Sacramento - 916-…": a person's name, then the town ending its part)
            region = region_after(text, end, city.islower()) if city.islower() else None
            if not plausible_city(text, city, end) and not (region and city.casefold() not in time_words()):
                continue  # "out in bend oregon": a lowercase note's short city is read when its state follows
            if (city.islower() and not region and not _LIVES_BEFORE.search(text, max(r0, m.start() - 12), m.start())
                    and _SENTENCE_CAPITAL.match(text, _sentence_start(text, m.start(), r0))):
                continue  # "the fence in green", "the hallway in orange": a writer who capitalises would here too
            before = text[max(r0, m.start() - 60) : m.end()]
            if _ASKS_ABOUT.search(before) or (chat and _wished(text, m, r0)):
                continue  # "interested in the flat in Porto", "the listing in Austin": what they ask about
            self._add_city(doc, text, city, end, m.end(), 0.5)
            return True
        return False

    def _city_segment(self, doc: Doc, lines: tuple[Line, ...] | list[Line]) -> None:
        """A city standing alone between separators: "… - wants a quote on a sunroom, Naperville"."""
        for line in lines:
            for part in _SEGMENTS.finditer(line.text):
                name = part["seg"].rstrip()
                if part["inner"] and not (part["inner"] in REGIONS or region_country(part["inner"])):
                    continue  # "• Móstoles (Madrid) •" is a town and its region; "Ana (sister)" is no place
                if other_side_before(line.text, part.start("seg")):
                    continue  # "… - dealer: Lakeside Motors, Cleveland OH -": the dealer's town
                coded = _CITY_CODE_SEGMENT.fullmatch(name)
                if coded and coded["region"] in REGIONS and is_city(coded["city"]):
                    name = coded["city"]  # "— Scottsdale AZ —", ", Raleigh NC,": the region follows in the segment
                else:
                    coded = None
                start = line.start + part.start("seg")
                if (name[0].isupper() and is_city(name) and name not in REGIONS
                        and (coded or not is_first_name(name.split()[0])
                             or (" " in name and not is_surname(name.split()[-1]))  # "Belo Horizonte"
                             or region_after(layout_of(doc).text, start + len(name), False)
                             or after_unit(line.text, part.start("seg")))
                        and name.casefold() not in time_words() and not greeting_re().match(name)
                        and not signoff_re().match(name)):  # "Best, Paula": a sign-off, though a Dutch town
                    start = line.start + part.start("seg")
                    self._add_city(doc, layout_of(doc).text, name, start + len(name), start, 0.5)
                    return

    def _add_city(self, doc: Doc, text: str, city: str, end: int, start: int, confidence: float) -> None:
        region = region_after(text, end, not city[0].isupper())
        city = titled(city)
        parts = {"city": city}
        if region:
            parts["region"] = region
            confidence += 0.1
            if code := zip_after(text, end, region):
                parts["postal_code"] = code  # "in tampa fl 33602"
        elif bracketed := _POSTCODE_BRACKETED.match(text, end):
            parts["postal_code"] = bracketed["code"]  # "aus Leipzig (04109)"
        add(doc, Candidate(ADDRESS, ", ".join(parts.values()), confidence, f"{self.source}.gazetteer", start,
                           parts=parts))


#: a postcode in brackets right after a town's name, in the shapes of the countries we read: "Madrid (28013)",
#: "Utrecht (3511 AB)", "Porto (4000-123)", "Leeds (LS6 2AB)" (four digits alone are a year as often: "Denver (2021)")
_POSTCODE_BRACKETED = re.compile(
    r"[ \t]*\((?P<code>\d{5}(?:-\d{3,4})?|\d{4}-\d{3}|[1-9]\d{3}[ \t]?[A-Z]{2}|"
    r"[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)\)")
#: a US state's code right after a name: the name is a town ("Holland, MI")
_US_STATE_AFTER = re.compile(rf",?[ \t]+(?:{'|'.join(US_STATES)})\b")
#: two capitalised words (a person's name) right before "from": "Desmond Achebe from"
_PERSON_FROM = re.compile(r"[^\W\d_a-zß-öø-ÿ][a-zß-öø-ÿ'’-]+[ \t]+[^\W\d_a-zß-öø-ÿ][a-zß-öø-ÿ'’-]+[ \t]+\Z")
#: the end of a note's part right after a town: " - ", ",", ";", "." or the line's end
_SEGMENT_CLOSE = re.compile(r"[ \t]*(?:$|[,;.]|[ \t]?[-–—|][ \t])", re.MULTILINE)
#: a verb of living right before the place cue: "I live in austin" names a place even in lowercase
_LIVES_BEFORE = re.compile(r"(?i)\b(?:live|lives|living|based|located|wohne|wohnt|wohnen|vivo|vive|vivimos|moro|"
                           r"mora|woon|woont|wonen|abito|abita)[ \t]+$")
#: a sentence that starts with a capital letter (after any bullet or quote mark)
_SENTENCE_CAPITAL = re.compile(r"[\s\"'“(*•-]*[^\W\d_a-zß-öø-ÿ]")


def _sentence_start(text: str, pos: int, floor: int) -> int:
    """Where the sentence holding ``pos`` starts: after the last full stop, "!", "?" or line break."""
    return max(floor, *(text.rfind(ch, floor, pos) + 1 for ch in ".!?\n"))


#: what they ask about, earlier in the sentence: the place after it is the listing's or the job's
_ASKS_ABOUT = re.compile(
    r"(?i)(?:interested in|interest in|looking (?:for|at)|interessiere mich|interesse an|me interesa|interesad[oa] en|"
    r"interessad[oa] em|intéressée? par|interessat[oa] a|geïnteresseerd in|viewing|showing|visit|besichtigung|"
    r"visita|bezichtiging|listing|exposé|anuncio|anúncio|annonce|annuncio|advertentie)[^.\n]{0,50}$"
)
#: a place cue before a gazetteer city, in any of our languages
_PLACE_CUE = guard_start(re.compile(
    r"(?i)(?<![\w])(?:in|out of|near|around|outside(?: of)?|aus|bei|nahe|en|em|no|na|de|à|a|près de|vers|"
    r"da|di|nel|nella|uit|bij|te|rond|(?P<from>from))[ \t]+"
))
#: "Naperville" between separators (" - ", ", ", " | "), alone at a line's end, or a sentence of its own ("…
#: prefers mornings. Portland.")
_CITY_CODE_SEGMENT = re.compile(r"(?P<city>.+?)[ \t]+(?P<region>[A-Z]{2})")
_SEGMENTS = re.compile(
    r"(?:^|,[ \t]+|[ \t][-–—|·•][ \t]+|(?<=[a-z][.!?])[ \t]+)"
    r"(?P<seg>[^\W\d_][\w'’ -]{2,30}?)(?:[ \t]*\((?P<inner>[^()\n]{2,30})\))?"
    r"[ \t.]*(?=$|,|[ \t][-–—|·•][ \t])")


#: "(Utrecht)", "(Round Rock, TX)", "(Campinas - SP)": a place's name alone in brackets
_BRACKETED = re.compile(
    r"\((?P<city>[^\W\d_a-zß-öø-ÿ][\w'’-]*(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’-]*){0,2})"
    r"(?:[ \t]*(?:,|[ \t]-)[ \t]*(?P<region>[A-Z]{2}))?\)")
#: "(De Santis Arredamenti, Bari)": a firm and its place in brackets, the place last
_BRACKETED_TAIL = re.compile(
    r"\([^()\n,]{2,60},[ \t]*(?P<city>[^\W\d_a-zß-öø-ÿ][\w'’-]*(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’-]*){0,2})"
    r"(?P<region>)\)")


#: a wish or a question earlier in the sentence: "wants to buy a condo in", "sucht ein Reihenhaus in", "busca un
#: piso en", "preguntando por hipoteca para un piso en"
_WISH = re.compile(
    r"(?i)\b(?:wants?|wanting|buy|buying|purchase|looking|interested|rent|renting|möchte|sucht|suchen|kaufen|mieten|"
    r"quiere|busca|buscan|comprar|alquilar|quer|procura|veut|cherche|acheter|louer|vuole|cerca|comprare|affittare|"
    r"wil|zoekt|kopen|huren|"
    r"asks?|asked|asking|inquir(?:e|es|ed|ing)|fragt|fragte|pregunta|preguntó|preguntando|pergunta|perguntou|"
    r"perguntando|demande|demandé|chiede|chiesto|vraagt|vroeg)\b[^.!?\n]*$")


def _zip_of(text: str, city_end: int, region: str | None) -> str | None:
    """The US ZIP after a city that ends at ``city_end`` and its state ("Tampa, FL 33602"), or right after the
    city when no state is written ("Minneapolis 55409")."""
    if region:
        return zip_after(text, city_end, region)
    m = _ZIP_NEXT.match(text, city_end)
    return m["zip"] if m else None


def _deal_before(text: str, pos: int, floor: int) -> bool:
    """Whether the sentence before ``pos`` buys, rents or tours a place, with no word of the lead's own home
    between ("under contract on 88 Heron Ridge Ct", "looking to buy around $300k in Lakewood"; not "a buyer who
    lives at 12 Oak St")."""
    start = _sentence_start(text, pos, floor)
    deal = deal_at(text[start:pos])
    return deal is not None and not _OWN_HOME.search(text, start + deal.end(), pos) and not own_place(
        text[start : pos], False)


def _wished(text: str, m: re.Match[str], r0: int) -> bool:
    """Whether a note's place cue follows a property the lead wishes for ("wants to buy a condo in Miami") or one
    on sale ("a buyer for the flat Gneisenaustraße 71 in Berlin"): the place they look in, not where they live
    (measured on notes: such places were false cities)."""
    prefix = text[max(r0, m.start() - 60) : m.start() + 3]
    cue = _WISHED_PROPERTY.search(prefix)
    return cue is not None and not own_place(prefix[: cue.start()], True) and (  # a note's "su piso": the lead's
        _WISH.search(prefix, 0, cue.start()) is not None or names_a_deal(text))


#: a word of living, owning or being somewhere between a deal's word and a place: the place is the lead's home
_OWN_HOME = re.compile(r"(?i)\b(?:live|lives|living|lived|reside|resides|currently|home is|wohnt|wohne|vive|vivo|mora|"
                       r"moro|habite|abita|woont|woon)\b")
#: the prospect says where they live, a street following: "we live at", "my address is", "wohne in der"
_HOME_STREET = re.compile(
    r"(?i)(?<![\w])(?:live at|lives at|living at|lives? (?:in|on) the|lives? on|reside at|we're at|i'm at|"
    r"we are at|i am at|located at|"
    r"(?:my|our|the|his|her) address is|address is|wohne in der|wohnen in der|wohnt in der|wohne am|wohnen am|"
    r"vivo en(?: la)?|vivimos en(?: la)?|vive en(?: la)?|moro na|moramos na|mora na|moro no|mora no|"
    r"j'habite au|j'habite|nous habitons au|habite au|abito in|abitiamo in|abita in|woon aan de|wonen aan de|"
    r"woont aan de|woon op|wonen op)[ \t]*:?[ \t]+")
#: a US street: number, name, a street word, and a unit ("77 Harbor View Rd", "4512 W. 38th Ave Apt 2")
_US_STREET = re.compile(  # not the tail of a phone number ("555-0123 123 Main St")
    r"(?<![\w-])\d{1,6}[A-Za-z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:[A-Z0-9][\w'.-]*[ \t]+){1,4}?"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Way|Ct|Court|Pl|Place|Cir|Circle|Ter|Terrace|Pkwy|Parkway|Hwy|Highway|Trl|"
    r"Trail|Loop|Row|Sq|Square)\b\.?(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW)\b(?![.'’-]))?"  # "4417 Elmhurst Ave S"
    r"(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?[ \t]*[\w-]{1,6})?")
_US_STREET_ANY_CASE = re.compile(_US_STREET.pattern, re.IGNORECASE)
#: a US ZIP right after a city's name ("Minneapolis 55409"), the end of its segment
_ZIP_NEXT = re.compile(r"[ \t]*,?[ \t]*(?P<zip>\d{5}(?:-\d{4})?)(?![\w-])")
#: a European street: "Kastanienallee 9", "Calle Olmo 3, 2º B", "Rua Augusta 50", "5 rue des Lilas"
_EU_STREET = re.compile(
    r"(?:[A-ZÄÖÜ][\wäöüß.-]*(?:[ \t-](?:[A-ZÄÖÜ\d][\wäöüß.-]*|am|an|auf|bei|der|den|dem|des|im|in|unter|vom|von|"
    r"zum|zur))"  # capitalised words or particles: "Herr Beck wohnt Schillerplatz 2" starts at "Schillerplatz"
    r"{0,3}?(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|straat|laan|gracht|plein|kade|singel|dijk)"
    r"|(?:[Cc]alle|C/|[Aa]venida|Avda\.?|Av\.|[Pp]laza|[Pp]aseo|Rua|Travessa|Alameda|Praça|Via|Viale|Piazza|Corso)"
    r"[ \t]+[^\W\d][^\n,.\d]{1,40}?,?)[ \t]+(?:n[º°o]\.?[ \t]*)?\d{1,4}(?:[ \t]?[a-zA-Z]\b)?"
    r"|\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:rue|avenue|boulevard|chemin|impasse|allée|place|quai)[ \t]+"
    r"[^\n,.\d]{2,40}?(?=[,.\n]|[ \t]+(?:à|in)[ \t])")
#: between a street and its city: ", " or " in " / " en " / " à " …
_STREET_CITY_JOIN = re.compile(r"(?:,[ \t]*|[ \t]*\([ \t]*|[ \t]+(?:in|en|em|à|a|in der|[-–—|])[ \t]+)")
#: a bare space between a street and its city, read only when a known city and its state follow
_BARE_JOIN = re.compile(r"[ \t]+(?=[^\W\d_])")
#: a flat or unit written after the street, before its city: ", 2ºB", " Apt 4", ", piso 3"
_UNIT_AFTER = re.compile(r",?[ \t]*(?:\d{1,2}[ºª°][ \t]?(?:izq|dcha|dto|esq|[A-Za-z])?\b\.?|"
                         r"(?:apt|apto|unit|suite|ste|piso|bloco|#)\.?[ \t]*[\w-]{1,5}\b)", re.IGNORECASE)
#: a label word without its colon that a street's words swallowed ("Adresse Hauptstr. 5")
_LABEL_WORD = re.compile(r"^(?i:adresse|address|addr|anschrift|dirección|direccion|endereço|endereco|adres|"
                         r"indirizzo|morada)[ \t]+")
#: the prospect's own place in a mail: "I live in", "our house in", "sono a", "meu apartamento em" …
_HOME_CITY = re.compile(
    r"(?i)(?<![\w])(?:(?:i|we)(?: currently)? (?:live|are|am) (?:located )?in|i'm (?:located )?in|we're in|"
    r"(?:located|based|living) in|moving to|(?:just )?moved to|relocat(?:ing|ed) to|"
    r"ich wohne in|wir wohnen in|wohnhaft in|vivo en|vivimos en|estoy en|"
    r"moro em|moramos em|estou em|j'habite à|nous habitons à|je suis à|abito a|abitiamo a|sono a|siamo a|"
    r"(?:he|she|they) (?:lives?|is|are) (?:located )?in|(?:er|sie) wohnt in|(?:él|ella) vive en|vive en|"
    r"(?:ele|ela) mora em|mora em|vive em|(?:il|elle) habite à|habite à|abita a|(?:hij|zij) woont in|woont in|"
    r"ik woon in|wij wonen in|we wonen in|"
    r"(?:my|our|mein|meine|unser|unsere|mi|nuestra|nuestro|meu|minha|nosso|nossa|mon|ma|notre|mio|mia|nostro|"
    r"nostra|mijn|ons|onze)\s+(?:house|home|apartment|flat|condo|office|shop|store|farm|haus|wohnung|büro|laden|"
    r"casa|piso|apartamento|oficina|tienda|escritório|loja|maison|appartement|bureau|magasin|appartamento|ufficio|"
    r"negozio|huis|woning|appartement|kantoor|winkel)\b[^.\n]{0,20}?\s(?:in|en|em|à|a|nel|nella|te))\s+"
)


#: "lives in", "based in", "wohnt in", "en", "em", "in" … before a city's name in a chat note
_CITY_CUE = re.compile(
    r"(?i)(?<![\w])(?:(?P<home>lives in|living in|based in|located in|wohnt in|sitzt in|vive en|ubicad[oa] en|"
    r"mora em|baseado em|habite(?: à)?|basée? à|abita a|vive a|woont in|gevestigd in|moving to|moved to|"
    r"relocating to|relocated to)[ \t]+"
    r"|(?:in|en|em|no|na|à|aus|desde|uit|bei|nahe|near|out of|outside(?: of)?|cerca de|perto de|près de|vicino a|"
    r"(?:is|are|'s|comes?|called|calling|phoned|texted|emailed|writing) from|(?:(?<=[,;:(–—-][ ])|(?<![^\n]))from|"
    r"in der nähe von|in de buurt van)[ \t]+(?=(?-i:[^\W\d_a-zß-öø-ÿ]))"
    r"|(?:(?<=📍)|(?<=:round_pushpin:)|(?<=:pushpin:))[ \t]*(?=(?-i:[^\W\d_a-zß-öø-ÿ])))"  # "📍Tucson AZ": a pin
)
#: the rep's own whereabouts before a place cue in a note: "I'll be in Denver tomorrow"
_REP_SELF = re.compile(r"(?i)\b(?:i'll be|i will be|i'm|i am|i was|we'll be|we're|we are|we were|heading|going|"
                       r"driving)[ \t]+$")


_SIGNATURE_PARTS = re.compile(r"\s+[|·•]\s+|\s+[-–]\s+")
_CITY_STATE = re.compile(
    r"(?P<city>[^\W\d_a-zß-öø-ÿ][\w'’.-]*(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’.-]*){0,2}),[ \t]*"
    rf"(?P<region>[A-Z]{{2}}|{US_STATE_NAMES}|{CA_PROVINCES})")


@Language.factory("leadbot_address", default_config={})
def make_address(nlp: Language, name: str) -> Address:
    return Address(name)
