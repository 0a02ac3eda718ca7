"""Which lines of an address value belong to the address: a label's value may run on into the note.

A labelled address in a chat note ("Adresse: Hauptstr. 5, 80331 München") is often followed by the rep's
next line ("möchte ein Angebot für eine Markise") that a multi-line label value takes in. A line without a
digit that starts with a lower-case word and runs three words or more is prose, not a street, place or
country ("Rancho Santa Margarita" and "São Paulo - SP" start with capitals). Pure functions over strings.
"""

from __future__ import annotations

import re

#: a lower-case opening word and at least two more words, no digit anywhere
_PROSE_LINE = re.compile(r"[^\W\d_A-ZÀ-ÞÄÖÜ][^\d\n]*?(?:[ \t]+[^\s\d]+){2,}[^\d\n]*")
#: a postcode's city written after the postcode that is a lower-case clause ("98101 wants a quote")
_LOWER_CLAUSE = re.compile(r"(?!(?:den|de|del|la|le|el|les|los|las|di|da|do|dos|das|am|an|im|san|op)\b)"
                           r"[^\W\d_A-ZÀ-ÞÄÖÜ][^\s,]*(?:[ \t]+\S+){1,}")


def without_prose_tail(lines: list[str]) -> list[str]:
    """``lines`` without the prose lines at their end (the first line always stays)."""
    end = len(lines)
    while end > 1 and _PROSE_LINE.fullmatch(lines[end - 1]):
        end -= 1
    return lines[:end]


def is_lower_clause(city: str) -> bool:
    """Whether what follows a postcode is a lower-case clause of two words or more, not a place's name
    ("den Haag", "la Spezia" open on a particle)."""
    return _LOWER_CLAUSE.fullmatch(city.strip()) is not None


__all__ = ["is_lower_clause", "without_prose_tail"]
