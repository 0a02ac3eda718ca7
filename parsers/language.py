"""The language of a lead's text, the one implementation: EN, DE, ES, PT, FR, IT, NL.

Counts each language's commonest function words (words no other of these languages shares are weighted
double); a short text or a tie gives None, and ``guess_language(text, default="en")`` falls back to the
default. Cheap enough to run on every message (one pass over the words).
"""

from __future__ import annotations

import re

LANGUAGES: tuple[str, ...] = ("en", "de", "es", "pt", "fr", "it", "nl")

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the and is are you your i we my me to for of with in on this that would like please "
                    "interested can could have has what when thanks just got off call spoke wants looking"),
    "de": _words("der die das und ist sind ich wir mein mich zu für mit von auf bitte ein eine einen gerne "
                    "interesse habe haben möchte würde ihr ihre sie nicht noch danke herr frau wäre uns"),
    "es": _words("el la los las y es son yo mi me para por con de en un una quiero quisiera gracias "
                    "interesado interesada usted su tengo estoy hola llamó necesita señor señora del"),
    "pt": _words("o a os as e é são eu meu me para por com de em um uma gostaria obrigado obrigada "
                    "interessado você seu olá tenho não uma do da no na quero ligou precisa"),
    "fr": _words("le la les et est sont je nous mon moi pour de avec dans un une voudrais merci intéressé "
                    "vous votre bonjour suis du des au aux pas souhaite appelé"),
    "it": _words("il lo la gli le e è sono io mio mi per di con in un una vorrei grazie interessato "
                    "lei suo buongiorno del della che non ho chiamato"),
    "nl": _words("de het een en is zijn ik wij mijn mij voor van met op graag interesse heb hebben "
                    "zou jullie u uw dank niet wil we ook bij"),
}
_OWNERS: dict[str, int] = {}
for _stop in _STOPWORDS.values():
    for _w in _stop:
        _OWNERS[_w] = _OWNERS.get(_w, 0) + 1
#: word → ((language, weight), …): a word only one language uses counts double
_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    w: tuple((lang, 2 if _OWNERS[w] == 1 else 1) for lang in LANGUAGES if w in _STOPWORDS[lang]) for w in _OWNERS
}
_TOKEN = re.compile(r"[^\W\d_]+")
#: words read at most (a language shows in the first few hundred)
_MAX_WORDS = 400


def guess_language(text: str | None, default: str | None = None) -> str | None:
    """The language most of the text's common words belong to; ``default`` if too little to tell."""
    if not text:
        return default
    head = text[:8000]
    if head.isascii():  # ASCII folds letter for letter: fold the text once, not each word
        words = _TOKEN.findall(head.lower())[:_MAX_WORDS]
    else:
        words = [w.casefold() for w in _TOKEN.findall(head)][:_MAX_WORDS]
    if len(words) < 3:
        return default
    counts = dict.fromkeys(LANGUAGES, 0)
    for w in words:
        for lang, weight in _WEIGHTS.get(w, ()):
            counts[lang] += weight
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < 2 or ranked[0] == ranked[1]:
        return default
    return max(LANGUAGES, key=lambda lang: counts[lang])
