"""Routing policy: which channel a scored lead's card goes to. Pure.

Grade decides by default: A to `sales` (now), B to `nurture` (falls back to `sales`), C nowhere (kept
and listed, never pings reps). `[[routing.rules]]` may send an A or B lead elsewhere, by vendor,
interest, region or language; the first rule whose every condition matches wins. Rules are validated
when the settings load (a bad rule stops the start with a message naming it).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.assess.scoring import route
from bot.settings import RoutingRule, RoutingSettings, SlackChannels
from parsers.lead import ExtractedLead


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: a few of each language's commonest words; enough to tell a lead's language from a sentence or two
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the and is are you your i we my me to for of with in on this that would like please "
                    "interested can could have has what when thanks"),
    "de": _words("der die das und ist sind ich wir mein mich zu für mit von auf bitte ein eine einen gerne "
                    "interesse habe haben möchte würde ihr ihre sie nicht noch danke"),
    "es": _words("el la los las y es son yo mi me para por con de en un una quiero quisiera gracias "
                    "interesado interesada usted su tengo estoy hola"),
    "fr": _words("le la les et est sont je nous mon moi pour de avec dans un une voudrais merci intéressé "
                    "vous votre bonjour suis"),
    "it": _words("il lo la gli le e è sono io mio mi per di con in un una vorrei grazie interessato "
                    "lei suo buongiorno sono"),
    "pt": _words("o a os as e é são eu meu me para por com de em um uma gostaria obrigado interessado "
                    "você seu olá tenho"),
    "nl": _words("de het een en is zijn ik wij mijn mij voor van met op graag interesse heb hebben "
                    "zou jullie u uw dank"),
}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str | None) -> str | None:
    """The language most of the text's common words belong to; None if too little to tell."""
    if not text:
        return None
    words = [w.casefold() for w in _TOKEN.findall(text)]
    if len(words) < 3:
        return None
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < 2 or ranked[0] == ranked[1]:
        return None
    return best


@dataclass(frozen=True, slots=True)
class RouteDecision:
    #: the channel the card goes to; None: no card (grade C, or no channel configured)
    channel: str | None
    #: the rule that decided, or "grade A"/"grade B"/"grade C"
    because: str


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _region_matches(rule: RoutingRule, lead: ExtractedLead) -> bool:
    region = (lead.value("region") or "").strip().casefold()
    country = (lead.value("country") or "").strip().casefold()
    postal = (lead.value("postal_code") or "").replace(" ", "").casefold()
    for wanted in rule.region:
        w = wanted.strip().casefold()
        if "*" in w or "?" in w:
            if postal and fnmatch.fnmatchcase(postal, w.replace(" ", "")):
                return True
        elif w in (region, country):
            return True
    return False


def rule_matches(rule: RoutingRule, lead: ExtractedLead, vendor: str | None, grade: str) -> bool:
    """Every condition the rule gives holds for the lead (conditions it leaves out are ignored)."""
    if grade not in rule.grades:
        return False
    if rule.vendor and not (vendor and any(fnmatch.fnmatchcase(vendor.casefold(), v.casefold()) for v in rule.vendor)):
        return False
    if rule.interest is not None:
        text = lead.value("interest") or lead.value("message") or ""
        if not _compiled(rule.interest).search(text):
            return False
    if rule.region and not _region_matches(rule, lead):
        return False
    if rule.language:
        language = guess_language(" ".join(filter(None, (lead.value("message"), lead.value("interest")))))
        if language not in rule.language:
            return False
    return True


def decide_route(
    lead: ExtractedLead,
    vendor: str | None,
    grade: str,
    channels: SlackChannels,
    settings: RoutingSettings,
) -> RouteDecision:
    """Where the card goes: the first matching rule's channel, else the grade's default."""
    if grade in ("A", "B"):
        for rule in settings.rules:
            if rule_matches(rule, lead, vendor, grade):
                return RouteDecision(rule.channel, f"rule {rule.name!r}")
    return RouteDecision(route(grade, channels), f"grade {grade}")


def describe_rules(rules: Iterable[RoutingRule]) -> list[str]:
    """One line per rule, as `leadbot rescore` and the docs show them."""
    lines = []
    for rule in rules:
        conditions = []
        if rule.vendor:
            conditions.append("vendor " + "/".join(rule.vendor))
        if rule.interest:
            conditions.append(f"interest ~ {rule.interest}")
        if rule.region:
            conditions.append("region " + "/".join(rule.region))
        if rule.language:
            conditions.append("language " + "/".join(rule.language))
        lines.append(f"{rule.name}: {' and '.join(conditions)} (grades {'/'.join(rule.grades)}) → {rule.channel}")
    return lines
