"""The people a writer hands on to us, read in any note or mail: "Passing along a client of mine, Samantha Greer",
"Te paso un contacto …:", "on behalf of my mother, Elena Ruiz", "Her name is Margarethe Osei". The one named is
the lead; the writer (and whoever refers) is a partner, decided by ``nlp.names``. Cues for acting on behalf of
a relative or a friend are data (``patterns/behalf_cues.txt``)."""

from __future__ import annotations

import re
from functools import cache

from nlp.lexicon import finditer_folded, read_lines
from nlp.prose import read_name_at
from parsers.keywords import may_match

#: the writer hands a lead of theirs on; the person named right after is the lead
_CLIENT = (r"(?:(?:a|my|our|the)[ \t]+)?(?:client|customer|buyer|seller|tenant|borrower|homebuyer)"
           r"(?:[ \t]+of[ \t]+(?:mine|ours))?")
_REFERRAL = (
    rf"(?i)\b(?:(?:passing along|passing on|handing over|referring|introducing|introduce you to)(?:[ \t]+{_CLIENT})?"
    rf"|(?:a|my|our)[ \t]+(?:client|customer|buyer|seller|tenant|borrower|homebuyer)(?:[ \t]+of[ \t]+(?:mine|ours))?"
    r"|(?:one[ \t]+of[ \t]+)?(?:his|her|their)[ \t]+(?:client|customer|buyer|tenant|seller|lead|prospect)s?"
    r"|(?:seu|sua|su|sein|seine|ihr|ihre|son|sa|suo|sua|zijn|haar)[ \t]+(?:cliente|comprador|compradora|kunde|kundin|"
    r"käufer|käuferin|client|cliente|acheteur|acquirente|klant|koper)"
    r"|mi cliente|nuestro cliente|nuestra cliente|su cliente|meu cliente|minha cliente|um cliente dele|"
    r"um cliente nosso|mein kunde|meine kundin|unser kunde|unsere kundin|mon client|ma cliente|notre client|"
    r"il mio cliente|la mia cliente|mijn klant|onze klant|"
    r"(?:i have|i've got|we have|tenho|temos|tengo|tenemos|j'ai|nous avons|ho|abbiamo|ich habe|wir haben|ik heb|"
    r"wij hebben)[ \t]+(?:a|um|uma|un|una|une|einen|eine|een)[ \t]+(?:client|buyer|customer|cliente|"
    r"compradora?|acheteur|acquirente|kunden|kundin|käufer|käuferin|klant|koper)|"
    r"(?:represent|representing)[ \t]+(?:a|the|my)[ \t]+"
    r"(?:buyer|seller|tenant|client)|{behalf})"
    r"(?![\w])[ \t]*[,:–—-]?[ \t]*(?:(?:la|el|o|a|der|die|le|il|de)[ \t]+)?"
    r"(?:(?:mr|mrs|ms|dr|sr|sra|herr|frau|mme|m|sig|dhr|mevr|mevrouw|meneer|signora|signor|señora|señor|"
    r"senhora|senhor|madame|monsieur)\.?[ \t]+)?"
)


@cache
def _referral_re() -> re.Pattern[str]:
    """The referral cues, with those of a writer acting for a relative, a neighbour or a friend
    (``patterns/behalf_cues.txt``): "on behalf of my mother, Elena Ruiz", "my neighbour Harold Briggs wants …"."""
    groups: dict[str, list[str]] = {}
    for line in read_lines("behalf_cues.txt"):
        kind, _, words = line.partition("\t")
        groups.setdefault(kind.strip(), []).extend(w.strip() for w in words.split("|") if w.strip())
    # lower(), not casefold(): the pattern runs over lower-cased text, where "großmutter" keeps its "ß"
    alt = {k: "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(v), key=len, reverse=True))
           for k, v in groups.items()}
    # a "for" cue, a possessive, a relative or a friend: the one named next is the lead; a friend or neighbour
    # after "my" alone only when a wanting verb follows their name within the clause
    behalf = (rf"(?:{alt['for']})\s+(?:{alt['own']}|{alt['one']})\s+(?:{alt['kin']}|{alt['near']})"
              rf"|(?:{alt['behalf']})\s+(?:{alt['third']})\s+(?:{alt['kin']})"
              rf"|(?:{alt['own']})\s+(?:{alt['kin']}|{alt['near']})(?=[ \t]*,?[ \t]*[^\W\d][^.\n]{{0,40}}?"
              rf"\b(?:{alt['wants']})\b)")
    return re.compile(_REFERRAL.replace("{behalf}", behalf))


#: the writer hands a contact over, the person named after the colon: "Te paso un contacto que nos ha llegado …:",
#: "I'm passing you a contact:", "ich leite dir einen Kontakt weiter:"
_PASS_ON = re.compile(
    r"(?i)\b(?:te paso|os paso|le paso|les paso|passing you|i'm passing on|sending you|handing you|"
    r"ich leite (?:dir|ihnen|euch)|ich gebe (?:dir|ihnen|euch)|je te transmets|je vous transmets|ti giro|vi giro|"
    r"ti passo|vi passo|envio-te|passo-te|passo para vocês|ik stuur je|ik geef je|ik stuur jullie)[ \t]+"
    r"(?:(?:un|una|el|la|a|an|the|einen|eine|den|die|le|un|il|o|um|uma|een|de)[ \t]+)?"
    r"(?:contacto|contact|kontakt|contatto|contato|lead|cliente|client|kunden|klant|interessenten|interesado)"
    r"\b[^:\n]{0,110}:[ \t]*\n?[ \t]*\n?[ \t]*")
_PASS_ON_KEYS = ("paso", "passing", "sending you", "handing you", "ich leite", "ich gebe", "transmets", "giro",
                 "passo", "envio-te", "ik stuur", "ik geef")


#: the writer names someone else in full: "Her name is Margarethe Osei", "Sein Name ist …", "Elle s'appelle …"
_THIRD_PERSON_NAME = re.compile(
    r"(?i)\b(?:(?:his|her|their)[ \t]+(?:full[ \t]+)?name[ \t]+is|(?:sein|ihr)[ \t]+name[ \t]+ist|"
    r"o[ \t]+nome[ \t]+del[ea][ \t]+é|(?:il|elle)[ \t]+s'appelle|(?:hij|zij|ze)[ \t]+heet)[ \t]*:?[ \t]*")


def referred_names(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The people a writer hands on as their client ("Passing along a client of mine, Samantha Greer"), and the
    one they name in full in the third person ("Her name is Margarethe Osei": a child named by a first name alone
    in a parent's own mail is no one passed on)."""
    found = []
    for m in finditer_folded(_referral_re(), text, start, end):
        name = read_name_at(text, m.end())
        if name:
            found.append(name)
    for m in _THIRD_PERSON_NAME.finditer(text, start, end):
        name = read_name_at(text, m.end())
        if name and len(name[0].split()) >= 2:
            found.append(name)
    for m in _PASS_ON.finditer(text, start, end) if may_match(text, _PASS_ON_KEYS) else ():
        name = read_name_at(text, m.end())
        if name:
            found.append(name)
    return found
